/**
 * Fulcio certificate extensions (OID arc 1.3.6.1.4.1.57264.1), decoded.
 *
 * The v1 extensions (.1 to .6) hold the value's raw bytes; from .8 on they
 * hold a DER UTF8String. Both are decoded as strict UTF-8: a value that is
 * not valid UTF-8 is an error, never a "best effort" string.
 * @module
 */
import { SigvetError } from '../errors.js';
import { Tag, parseDer } from '../der/element.js';
import type { Certificate } from './certificate.js';

/** The Fulcio OID arc. */
export const FULCIO_OID_ARC = '1.3.6.1.4.1.57264.1';

/** Names of the Fulcio extensions sigvet knows, by OID suffix. */
export const FULCIO_EXTENSIONS = {
  1: 'issuerV1',
  2: 'githubWorkflowTrigger',
  3: 'githubWorkflowSha',
  4: 'githubWorkflowName',
  5: 'githubWorkflowRepository',
  6: 'githubWorkflowRef',
  8: 'issuer',
  9: 'buildSignerUri',
  10: 'buildSignerDigest',
  11: 'runnerEnvironment',
  12: 'sourceRepositoryUri',
  13: 'sourceRepositoryDigest',
  14: 'sourceRepositoryRef',
  15: 'sourceRepositoryIdentifier',
  16: 'sourceRepositoryOwnerUri',
  17: 'sourceRepositoryOwnerIdentifier',
  18: 'buildConfigUri',
  19: 'buildConfigDigest',
  20: 'buildTrigger',
  21: 'runInvocationUri',
  22: 'sourceRepositoryVisibilityAtSigning',
  23: 'deploymentEnvironment',
} as const;

/** A decoded Fulcio extension name. */
export type FulcioExtensionName = (typeof FULCIO_EXTENSIONS)[keyof typeof FULCIO_EXTENSIONS];

/** Fulcio extensions of a certificate, by name, plus every extension under the arc by OID. */
export interface FulcioExtensions {
  /** Known extensions by name (the v1 issuer as `issuerV1`, the v2 issuer as `issuer`). */
  readonly byName: Partial<Record<FulcioExtensionName, string>>;
  /** Every extension under 1.3.6.1.4.1.57264.1, by dotted OID; undecodable ones are absent. */
  readonly byOid: Readonly<Record<string, string>>;
}

const utf8Fatal = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function decodeUtf8(b: Uint8Array, oid: string): string {
  try {
    return utf8Fatal.decode(b);
  } catch {
    throw new SigvetError('CERTIFICATE', `Fulcio extension ${oid} is not valid UTF-8`, { check: 'x509.fulcio' });
  }
}

/** Decodes every Fulcio extension of `cert`. */
export function fulcioExtensions(cert: Certificate): FulcioExtensions {
  const byName: Partial<Record<FulcioExtensionName, string>> = {};
  const byOid: Record<string, string> = {};
  const prefix = `${FULCIO_OID_ARC}.`;
  for (const x of cert.extensions) {
    if (!x.oid.startsWith(prefix)) continue;
    const suffix = x.oid.slice(prefix.length);
    if (!/^[1-9][0-9]{0,3}$/.test(suffix)) continue;
    const n = Number(suffix);
    if (n === 7) continue; // otherName SAN type, not an extension
    let value: string;
    if (n <= 6) {
      value = decodeUtf8(x.value, x.oid);
    } else {
      const el = parseDer(x.value, `Fulcio extension ${x.oid}`);
      if (el.tag !== Tag.UTF8_STRING) el.fail(`Fulcio extension ${x.oid} must be a UTF8String`);
      value = decodeUtf8(el.content(), x.oid);
    }
    byOid[x.oid] = value;
    const name = (FULCIO_EXTENSIONS as Record<number, FulcioExtensionName>)[n];
    if (name) byName[name] = value;
  }
  return { byName, byOid };
}

/**
 * The OIDC issuer of a Fulcio certificate: the v2 extension, else the v1
 * one. When both are present they must agree.
 */
export function fulcioIssuer(ext: FulcioExtensions): string | undefined {
  const v1 = ext.byName.issuerV1;
  const v2 = ext.byName.issuer;
  if (v1 !== undefined && v2 !== undefined && v1 !== v2) {
    throw new SigvetError('CERTIFICATE', 'the v1 and v2 Fulcio issuer extensions disagree', {
      check: 'x509.fulcio.issuer',
      expected: v2,
      actual: v1,
    });
  }
  return v2 ?? v1;
}
