/**
 * The Sigstore trusted root (`application/vnd.dev.sigstore.trustedroot+json`,
 * v0.1 and v0.2), decoded strictly into typed data.
 *
 * Rules: every `validFor` needs a `start` (a root without one is invalid);
 * `end` is inclusive; log ids must be the key's id (SHA-256 of the SPKI, or
 * for Ed25519 Rekor v2 logs the C2SP key id); two logs may not share an id.
 * @module
 */
import { SigvetError } from '../errors.js';
import { parseJson, type JsonObject, type JsonValue } from '../encoding/json.js';
import { JsonFields } from '../encoding/json-fields.js';
import { parseCertificate, type Certificate } from '../x509/certificate.js';

/** Accepted trusted-root media types. */
export const TRUSTED_ROOT_MEDIA_TYPES = [
  'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
  'application/vnd.dev.sigstore.trustedroot.v0.1+json',
  'application/vnd.dev.sigstore.trustedroot+json;version=0.2',
  'application/vnd.dev.sigstore.trustedroot.v0.2+json',
] as const;

/** A closed validity window in ms since the epoch; `end` undefined means open. */
export interface ValidityWindow {
  readonly start: number;
  readonly end: number | undefined;
}

/** A transparency log or CT log entry of the trusted root. */
export interface TrustedRootLog {
  readonly baseUrl: string;
  readonly hashAlgorithm: string;
  /** DER SubjectPublicKeyInfo. */
  readonly publicKey: Uint8Array;
  /** `PublicKeyDetails` enum name, e.g. `PKIX_ECDSA_P256_SHA_256`. */
  readonly keyDetails: string;
  readonly validFor: ValidityWindow;
  readonly logId: Uint8Array;
  readonly operator: string | undefined;
}

/** A certificate authority or timestamp authority of the trusted root. */
export interface TrustedRootAuthority {
  readonly subject: { readonly organization: string | undefined; readonly commonName: string | undefined };
  readonly uri: string;
  /** The chain, issuing certificate first, root last. */
  readonly certificates: readonly Certificate[];
  readonly validFor: ValidityWindow;
  readonly operator: string | undefined;
}

/** A decoded trusted root. */
export interface TrustedRoot {
  readonly mediaType: (typeof TRUSTED_ROOT_MEDIA_TYPES)[number];
  readonly tlogs: readonly TrustedRootLog[];
  readonly ctlogs: readonly TrustedRootLog[];
  readonly certificateAuthorities: readonly TrustedRootAuthority[];
  readonly timestampAuthorities: readonly TrustedRootAuthority[];
}

const f: JsonFields = new JsonFields('TRUST_ROOT', 'trusted root', 'trust_root');

/**
 * Parses a strict RFC 3339 timestamp to ms since the epoch. Fractional
 * seconds beyond milliseconds are truncated (times compared against it have
 * at most millisecond precision).
 */
export function parseRfc3339(s: string, path: string, fields: JsonFields = f): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/.exec(s);
  if (!m) fields.fail(path, `invalid RFC 3339 time ${JSON.stringify(s)}`);
  const [y, mo, d, h, mi, se] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i])) as [number, number, number, number, number, number];
  const ms = m[7] ? Number(m[7].padEnd(3, '0').slice(0, 3)) : 0;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60) fields.fail(path, `time out of range ${s}`);
  // Date.UTC maps years 0–99 to 1900–1999; set the full year explicitly.
  const date = new Date(Date.UTC(2000, 0, 1, h, mi, Math.min(se, 59), ms));
  date.setUTCFullYear(y, mo - 1, d);
  let t = date.getTime();
  if (date.getUTCDate() !== d) fields.fail(path, `invalid date ${s}`);
  if (m[9]) {
    const oh = Number(m[10]);
    const om = Number(m[11]);
    if (oh > 23 || om > 59) fields.fail(path, `bad offset ${s}`);
    t -= (m[9] === '+' ? 1 : -1) * (oh * 60 + om) * 60_000;
  }
  return t;
}

function validity(o: JsonObject, path: string): ValidityWindow {
  const v = f.object(o.validFor, `${path}.validFor`, ['start', 'end']);
  if (v.start === undefined) f.fail(`${path}.validFor`, 'missing start: a validity window must have a start');
  const start = parseRfc3339(f.string(v, 'start', `${path}.validFor`), `${path}.validFor.start`);
  const endS = f.string(v, 'end', `${path}.validFor`, true);
  const end = endS === undefined ? undefined : parseRfc3339(endS, `${path}.validFor.end`);
  if (end !== undefined && end < start) f.fail(`${path}.validFor`, 'end before start');
  return { start, end };
}

function log(v: JsonValue, path: string): TrustedRootLog {
  const o = f.object(v, path, ['baseUrl', 'hashAlgorithm', 'publicKey', 'logId', 'checkpointKeyId', 'operator']);
  const pk = f.object(o.publicKey, `${path}.publicKey`, ['rawBytes', 'keyDetails', 'validFor']);
  const id = f.object(o.logId, `${path}.logId`, ['keyId']);
  const publicKey = f.bytes(pk, 'rawBytes', `${path}.publicKey`);
  const logId = f.bytes(id, 'keyId', `${path}.logId`);
  if (logId.length !== 32) f.fail(`${path}.logId.keyId`, `expected 32 bytes, got ${logId.length}`);
  return {
    baseUrl: f.string(o, 'baseUrl', path),
    hashAlgorithm: f.string(o, 'hashAlgorithm', path),
    publicKey,
    keyDetails: f.string(pk, 'keyDetails', `${path}.publicKey`),
    validFor: validity(pk, `${path}.publicKey`),
    logId,
    operator: f.string(o, 'operator', path, true),
  };
}

function authority(v: JsonValue, path: string): TrustedRootAuthority {
  const o = f.object(v, path, ['subject', 'uri', 'certChain', 'validFor', 'operator']);
  const subj = o.subject === undefined ? {} : f.object(o.subject, `${path}.subject`, ['organization', 'commonName']);
  const chain = f.object(o.certChain, `${path}.certChain`, ['certificates']);
  const certs = f.array(chain, 'certificates', `${path}.certChain`, 10);
  if (certs.length === 0) f.fail(`${path}.certChain.certificates`, 'empty certificate chain');
  const certificates = certs.map((c, i) => {
    const p = `${path}.certChain.certificates[${i}]`;
    const raw = f.bytes(f.object(c, p, ['rawBytes']), 'rawBytes', p);
    try {
      return parseCertificate(raw, p);
    } catch (e) {
      return f.fail(p, (e as Error).message);
    }
  });
  return {
    subject: {
      organization: f.string(subj, 'organization', `${path}.subject`, true),
      commonName: f.string(subj, 'commonName', `${path}.subject`, true),
    },
    uri: f.string(o, 'uri', path, true) ?? '',
    certificates,
    validFor: validity(o, path),
    operator: f.string(o, 'operator', path, true),
  };
}

/**
 * Decodes a trusted root from JSON text, bytes or an already-parsed object.
 * @throws SigvetError `TRUST_ROOT` (or `PARSE` for malformed JSON text).
 */
export function parseTrustedRoot(input: string | Uint8Array | object): TrustedRoot {
  let doc: JsonValue;
  if (typeof input === 'string') doc = parseJson(input, 'trusted root');
  else if (input instanceof Uint8Array) {
    let text: string;
    try {
      // Fatal: invalid UTF-8 must not be silently replaced with U+FFFD.
      text = new TextDecoder('utf-8', { fatal: true }).decode(input);
    } catch (e) {
      throw new SigvetError('PARSE', 'trusted root: not valid UTF-8', { check: 'json', cause: e });
    }
    doc = parseJson(text, 'trusted root');
  } else doc = structuredCloneJson(input);
  const o = f.object(doc, '$', ['mediaType', 'tlogs', 'certificateAuthorities', 'ctlogs', 'timestampAuthorities']);
  const mediaType = f.string(o, 'mediaType', '$');
  if (!(TRUSTED_ROOT_MEDIA_TYPES as readonly string[]).includes(mediaType)) {
    f.fail('$.mediaType', `unsupported trusted root media type ${JSON.stringify(mediaType)}`, {
      expected: TRUSTED_ROOT_MEDIA_TYPES.join(' | '),
      actual: mediaType,
    });
  }
  const root: TrustedRoot = {
    mediaType: mediaType as TrustedRoot['mediaType'],
    tlogs: f.array(o, 'tlogs', '$', 64, true).map((v, i) => log(v, `$.tlogs[${i}]`)),
    ctlogs: f.array(o, 'ctlogs', '$', 64, true).map((v, i) => log(v, `$.ctlogs[${i}]`)),
    certificateAuthorities: f
      .array(o, 'certificateAuthorities', '$', 64, true)
      .map((v, i) => authority(v, `$.certificateAuthorities[${i}]`)),
    timestampAuthorities: f
      .array(o, 'timestampAuthorities', '$', 64, true)
      .map((v, i) => authority(v, `$.timestampAuthorities[${i}]`)),
  };
  for (const [name, logs] of [['tlogs', root.tlogs], ['ctlogs', root.ctlogs]] as const) {
    const seen = new Map<string, Uint8Array>();
    logs.forEach((l, i) => {
      const k = l.logId.join(',');
      const prev = seen.get(k);
      if (prev && prev.join(',') !== l.publicKey.join(',')) {
        f.fail(`$.${name}[${i}].logId`, 'two logs share a log id with different keys');
      }
      seen.set(k, l.publicKey);
    });
  }
  return root;
}

/** Copies a caller's object through JSON so getters and later mutation cannot change it. */
function structuredCloneJson(input: object): JsonValue {
  let text: string;
  try {
    text = JSON.stringify(input);
  } catch (e) {
    throw new SigvetError('TRUST_ROOT', 'trusted root object is not JSON-serializable', { cause: e });
  }
  return parseJson(text, 'trusted root');
}

/** True when `t` lies in the closed window. */
export function withinWindow(w: ValidityWindow, t: number): boolean {
  return t >= w.start && (w.end === undefined || t <= w.end);
}
