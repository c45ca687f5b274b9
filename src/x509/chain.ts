/**
 * The Fulcio leaf profile and the leaf's chain to a trusted CA.
 *
 * The chain is taken from the trusted root only: certificates the bundle
 * carries besides the leaf are never used to build a path, so a bundle
 * cannot bring its own anchor. The CA chains were checked once when the
 * trust material was built; per bundle, only the leaf's signature and the
 * validity of every certificate at every verified time are checked.
 * @module
 */
import { SigvetError } from '../errors.js';
import type { CryptoProvider } from '../crypto/provider.js';
import { verifyCertificateSignature, type TrustedAuthority } from '../trust/trust-material.js';
import { withinWindow } from '../trust/trusted-root.js';
import { EkuOid, ExtensionOid, type Certificate, type GeneralName } from './certificate.js';

/** Critical extensions a Fulcio leaf may carry; any other critical extension fails. */
const HANDLED_CRITICAL = new Set<string>([
  ExtensionOid.SUBJECT_ALT_NAME,
  ExtensionOid.BASIC_CONSTRAINTS,
  ExtensionOid.KEY_USAGE,
  ExtensionOid.EXT_KEY_USAGE,
]);

function certFail(msg: string, check: string): never {
  throw new SigvetError('CERTIFICATE', msg, { check });
}

/**
 * Checks the code-signing leaf profile: not a CA, `digitalSignature` key
 * usage when key usage is present, the code-signing EKU, no unhandled
 * critical extension, no precertificate poison.
 */
export function checkLeafProfile(leaf: Certificate): void {
  const wrap = <T>(f: () => T): T => {
    try {
      return f();
    } catch (e) {
      if (e instanceof SigvetError && e.code === 'PARSE') certFail(`signing certificate: ${e.message}`, 'certificate.extension');
      throw e;
    }
  };
  if (wrap(() => leaf.basicConstraints)?.ca) certFail('the signing certificate is a CA certificate', 'certificate.ca');
  const ku = wrap(() => leaf.keyUsage);
  if (ku && !ku.digitalSignature) certFail('the signing certificate lacks the digitalSignature key usage', 'certificate.key_usage');
  const eku = wrap(() => leaf.extKeyUsage);
  if (!eku?.includes(EkuOid.CODE_SIGNING)) certFail('the signing certificate lacks the code-signing extended key usage', 'certificate.eku');
  if (leaf.extension(ExtensionOid.CT_POISON)) certFail('the signing certificate is a precertificate', 'certificate.precert');
  for (const x of leaf.extensions) {
    if (x.critical && !HANDLED_CRITICAL.has(x.oid)) {
      certFail(`the signing certificate has an unhandled critical extension ${x.oid}`, 'certificate.critical_extension');
    }
  }
}

/**
 * The signer identity from the SAN: exactly one URI, email or Fulcio
 * username (otherName 1.3.6.1.4.1.57264.1.7).
 */
export function leafIdentity(leaf: Certificate): { type: 'uri' | 'email' | 'username'; value: string } {
  let names: GeneralName[];
  try {
    names = leaf.subjectAltNames;
  } catch (e) {
    return certFail(`signing certificate SAN: ${(e as Error).message}`, 'certificate.san');
  }
  const ids = names.flatMap((n): { type: 'uri' | 'email' | 'username'; value: string }[] => {
    if (n.type === 'uri' || n.type === 'email') return [{ type: n.type, value: n.value }];
    if (n.type === 'otherName' && n.oid === '1.3.6.1.4.1.57264.1.7' && n.value !== undefined) {
      return [{ type: 'username', value: n.value }];
    }
    return [];
  });
  if (ids.length !== 1) certFail(`the signing certificate must carry exactly one identity SAN, found ${ids.length}`, 'certificate.san');
  return ids[0]!;
}

/**
 * Finds the trusted CA that issued `leaf` (by name and key identifier) and
 * verifies the leaf's signature with its key. Time checks are separate
 * ({@link checkChainAtTimes}) so this can start before the verified times
 * are known and overlap with the rest of the verification.
 * @throws SigvetError `CERT_CHAIN`.
 */
export async function findIssuingAuthority(
  leaf: Certificate,
  cas: readonly TrustedAuthority[],
  provider: CryptoProvider,
): Promise<TrustedAuthority> {
  const failures: SigvetError[] = [];
  for (const ca of cas) {
    const issuer = ca.authority.certificates[0]!;
    if (!leaf.isIssuedByName(issuer)) continue;
    const ku = issuer.keyUsage;
    if (ku && !ku.keyCertSign) {
      failures.push(new SigvetError('CERT_CHAIN', 'the issuing CA may not sign certificates', { check: 'cert_chain.key_usage' }));
      continue;
    }
    if (!(await verifyCertificateSignature(provider, leaf, ca.keys[0]!))) {
      failures.push(
        new SigvetError('CERT_CHAIN', `the certificate's signature does not verify with ${ca.authority.uri}`, {
          check: 'cert_chain.signature',
        }),
      );
      continue;
    }
    return ca;
  }
  throw new SigvetError('CERT_CHAIN', 'the signing certificate does not chain to a trusted certificate authority', {
    check: failures[0]?.check ?? 'cert_chain.issuer',
    errors: failures,
  });
}

/**
 * Checks the leaf, every CA certificate and the CA's trusted-root `validFor`
 * window at every verified time.
 * @throws SigvetError `TIME` or `CERT_CHAIN`.
 */
export function checkChainAtTimes(leaf: Certificate, ca: TrustedAuthority, times: readonly number[]): void {
  for (const t of times) {
    const iso = new Date(t).toISOString();
    if (!leaf.validAt(t)) {
      throw new SigvetError('TIME', `the signing certificate is not valid at the verified time ${iso}`, {
        check: 'time.certificate',
        expected: `${new Date(leaf.notBefore).toISOString()}..${new Date(leaf.notAfter).toISOString()}`,
        actual: iso,
      });
    }
    if (!withinWindow(ca.authority.validFor, t)) {
      throw new SigvetError('TIME', `the CA ${ca.authority.uri} is not valid in the trusted root at ${iso}`, { check: 'time.ca' });
    }
    const expired = ca.authority.certificates.findIndex((c) => !c.validAt(t));
    if (expired >= 0) {
      throw new SigvetError('CERT_CHAIN', `CA certificate ${expired} is not valid at ${iso}`, { check: 'cert_chain.validity' });
    }
  }
}

/**
 * Finds the trusted CA that issued `leaf`, verifies the leaf's signature,
 * and checks the leaf, every CA certificate and the CA's `validFor` window
 * at every time in `times`.
 * @throws SigvetError `CERT_CHAIN` or `TIME`.
 */
export async function verifyLeafChain(
  leaf: Certificate,
  cas: readonly TrustedAuthority[],
  times: readonly number[],
  provider: CryptoProvider,
): Promise<TrustedAuthority> {
  const ca = await findIssuingAuthority(leaf, cas, provider);
  checkChainAtTimes(leaf, ca, times);
  return ca;
}
