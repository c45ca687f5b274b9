/**
 * RFC 3161 signed timestamps: verifying a parsed token (`timestamp-token.ts`)
 * over a bundle's signature against the trusted timestamp authorities of a
 * trusted root.
 *
 * Decisions, all deliberate:
 * - Embedded certificates are never trusted: the signer is always the first
 *   certificate of a trusted-root TSA chain. An embedded certificate that
 *   names the same signer must be byte-identical to it; others are ignored.
 * - The TSA certificate must have exactly one EKU, id-kp-timeStamping, in a
 *   critical extension (RFC 3161 §2.3); a CA of the chain that restricts its
 *   EKUs must allow time stamping.
 * - Every certificate of the trusted chain must be valid at genTime; the
 *   trusted-root window (closed) must contain genTime.
 * - genTime is used as is: `accuracy` is reported but does not widen it. The
 *   TSTInfo `tsa` name and policy are reported, not checked.
 * @module
 */
import { sha384, sha512 } from '@noble/hashes/sha2.js';
import { oneShotSha256 } from '../crypto/one-shot-sha256.js';
import { sha1 } from '@noble/hashes/legacy.js';
import { SigvetError } from '../errors.js';
import { Tag } from '../der/element.js';
import { bytesEqual } from '../encoding/bytes.js';
import { toHex } from '../encoding/hex.js';
import type { CryptoProvider, HashAlgorithm, SignatureScheme } from '../crypto/provider.js';
import { hashFromOid, schemeFromAlgorithmIdentifier, verifySignature } from '../crypto/verify-signature.js';
import { EkuOid, ExtensionOid, type Certificate } from '../x509/certificate.js';
import { withinWindow } from '../trust/trusted-root.js';
import type { TrustedAuthority } from '../trust/trust-material.js';
import { TimestampOid, type EssCertId, type SignerIdentifier, type TimestampToken } from './timestamp-token.js';

export {
  MAX_TIMESTAMP_CERTIFICATES,
  MAX_TIMESTAMP_TOKEN_SIZE,
  TimestampOid,
  parseTimestampToken,
  type EssCertId,
  type SignedAttribute,
  type SignerIdentifier,
  type TimestampAccuracy,
  type TimestampSignerInfo,
  type TimestampToken,
  type TstInfo,
  type TstInfoExtension,
} from './timestamp-token.js';

/** anyExtendedKeyUsage (RFC 5280 §4.2.1.12). */
const EKU_ANY = '2.5.29.37.0';

/** A timestamp that verified against a trusted TSA. */
export interface VerifiedTimestamp {
  /** genTime in ms since the epoch. */
  readonly time: number;
  /** The trusted TSA whose leaf certificate signed the token. */
  readonly authority: TrustedAuthority;
  /** The TSTInfo serial number (INTEGER content bytes). */
  readonly serialNumber: Uint8Array;
  /** The message imprint's hash algorithm. */
  readonly hashAlgorithm: HashAlgorithm;
}

function tsFail(check: string, msg: string, extra: { expected?: string; actual?: string } = {}): never {
  throw new SigvetError('TIMESTAMP', `timestamp: ${msg}`, { check, ...extra });
}

/** Synchronous hashing (JavaScript), so the timestamp checks need no provider round-trip for digests. */
function digest(alg: HashAlgorithm | 'sha1', data: Uint8Array): Uint8Array {
  switch (alg) {
    case 'sha1':
      return sha1(data);
    case 'sha256':
      return oneShotSha256(data);
    case 'sha384':
      return sha384(data);
    case 'sha512':
      return sha512(data);
  }
}

function supportedHash(oid: string, check: string, what: string): HashAlgorithm {
  const h = hashFromOid(oid);
  if (h === undefined) {
    throw new SigvetError('UNSUPPORTED', `timestamp: unsupported ${what} hash algorithm ${oid}`, { check, actual: oid });
  }
  return h;
}

/** True when the SignerInfo's sid names `cert` (issuer and serial compared as encoded bytes, or key id). */
function sidMatches(sid: SignerIdentifier, cert: Certificate): boolean {
  if (sid.kind === 'issuerAndSerialNumber') {
    return bytesEqual(sid.issuer, cert.issuer) && bytesEqual(sid.serialNumber, cert.serialNumber);
  }
  const ski = cert.subjectKeyId;
  return ski !== undefined && bytesEqual(sid.keyId, ski);
}

function describeSid(sid: SignerIdentifier): string {
  return sid.kind === 'issuerAndSerialNumber' ? `serial ${toHex(sid.serialNumber)}` : `key id ${toHex(sid.keyId)}`;
}

function iso(t: number): string {
  const d = new Date(t);
  return Number.isNaN(d.getTime()) ? String(t) : d.toISOString();
}

/** Checks the token's own consistency: imprint, content type, message digest. Returns the imprint and signer hashes. */
function checkContent(
  token: TimestampToken,
  signature: Uint8Array,
): { imprintHash: HashAlgorithm; signerHash: HashAlgorithm } {
  const { tstInfo, signer } = token;
  const imprintOid = tstInfo.messageImprint.hashAlgorithmOid;
  const imprintHash = supportedHash(imprintOid, 'timestamp.imprint.algorithm', 'message imprint');
  const want = digest(imprintHash, signature);
  if (!bytesEqual(want, tstInfo.messageImprint.hashedMessage)) {
    tsFail('timestamp.imprint', `the message imprint is not the ${imprintHash} of the signature`, {
      expected: toHex(want),
      actual: toHex(tstInfo.messageImprint.hashedMessage),
    });
  }

  const ctCheck = 'timestamp.attributes.content-type';
  const ctOid = signer.contentType;
  if (ctOid === undefined) tsFail(ctCheck, 'the content-type signed attribute is missing');
  if (ctOid !== TimestampOid.TST_INFO) {
    tsFail(ctCheck, 'the content-type signed attribute is not id-ct-TSTInfo', {
      expected: TimestampOid.TST_INFO,
      actual: ctOid,
    });
  }

  const mdCheck = 'timestamp.attributes.message-digest';
  const signerHash = supportedHash(signer.digestAlgorithmOid, 'timestamp.digest-algorithm', 'SignerInfo digest');
  const mdValue = signer.messageDigest;
  if (mdValue === undefined) tsFail(mdCheck, 'the message-digest signed attribute is missing');
  const eDigest = digest(signerHash, token.eContent);
  if (!bytesEqual(eDigest, mdValue)) {
    tsFail(mdCheck, `the message-digest attribute is not the ${signerHash} of the TSTInfo`, {
      expected: toHex(eDigest),
      actual: toHex(mdValue),
    });
  }
  return { imprintHash, signerHash };
}

/** Verifies the token as signed by one trusted TSA; throws on the first failed check. */
async function verifyWithAuthority(
  token: TimestampToken,
  tsa: TrustedAuthority,
  index: number,
  essIds: readonly EssCertId[],
  signedBytes: Uint8Array,
  scheme: SignatureScheme,
  provider: CryptoProvider,
): Promise<void> {
  const { tstInfo, signer } = token;
  const genTime = tstInfo.genTime;
  const name = `timestampAuthorities[${index}]`;
  const w = tsa.authority.validFor;
  if (!withinWindow(w, genTime)) {
    tsFail('timestamp.authority.validity', `genTime is outside the validity of trusted ${name}`, {
      expected: `[${iso(w.start)}, ${w.end === undefined ? '∞' : iso(w.end)}]`,
      actual: iso(genTime),
    });
  }
  const chain = tsa.authority.certificates;
  const leaf = chain[0];
  const key = tsa.keys[0];
  if (!leaf || !key) tsFail('timestamp.signer', `trusted ${name} has no certificate`);

  if (!sidMatches(signer.sid, leaf)) {
    const bySerial = signer.sid.kind === 'issuerAndSerialNumber';
    tsFail('timestamp.signer', `the token's signer is not the certificate of trusted ${name}`, {
      expected: bySerial ? `serial ${toHex(leaf.serialNumber)}` : `key id ${toHex(leaf.subjectKeyId ?? new Uint8Array())}`,
      actual: describeSid(signer.sid),
    });
  }
  // An embedded certificate naming the same signer but differing from the trusted one means the token
  // and the trust root disagree about who signed; refuse rather than pick one.
  for (const c of token.certificates) {
    if (sidMatches(signer.sid, c) && !bytesEqual(c.der, leaf.der)) {
      tsFail('timestamp.embedded-certificate', `an embedded certificate names the signer but differs from trusted ${name}`);
    }
  }

  // RFC 3161 §2.3: the TSA certificate has exactly one EKU, id-kp-timeStamping, and the extension is critical.
  const ekuExt = leaf.extension(ExtensionOid.EXT_KEY_USAGE);
  const eku = leaf.extKeyUsage;
  if (!ekuExt || !eku || eku.length !== 1 || eku[0] !== EkuOid.TIME_STAMPING || !ekuExt.critical) {
    tsFail('timestamp.eku', `the certificate of trusted ${name} is not a time-stamping certificate`, {
      expected: `critical extKeyUsage [${EkuOid.TIME_STAMPING}]`,
      actual: eku ? `${ekuExt?.critical ? 'critical ' : ''}extKeyUsage [${eku.join(', ')}]` : 'no extKeyUsage',
    });
  }
  // EKUs nest down a chain (as in Go's path validation): a CA that restricts its EKUs must allow time stamping.
  for (const [i, c] of chain.entries()) {
    if (i === 0) continue;
    const ca = c.extKeyUsage;
    if (ca && !ca.includes(EkuOid.TIME_STAMPING) && !ca.includes(EKU_ANY)) {
      tsFail('timestamp.eku', `${name} certificates[${i}] restricts extKeyUsage without time stamping`, {
        expected: EkuOid.TIME_STAMPING,
        actual: ca.join(', '),
      });
    }
  }
  for (const [i, c] of chain.entries()) {
    if (!c.validAt(genTime)) {
      tsFail('timestamp.certificate.validity', `genTime is outside the validity of ${name} certificates[${i}]`, {
        expected: `[${iso(c.notBefore)}, ${iso(c.notAfter)}]`,
        actual: iso(genTime),
      });
    }
  }

  const essCheck = 'timestamp.attributes.signing-certificate';
  for (const id of essIds) {
    const h = digest(id.hash, leaf.der);
    if (!bytesEqual(h, id.certHash)) {
      tsFail(essCheck, `the ${id.attribute} attribute does not identify the certificate of trusted ${name}`, {
        expected: toHex(h),
        actual: toHex(id.certHash),
      });
    }
    const is = id.issuerSerial;
    const named =
      is === undefined ||
      (bytesEqual(is.serialNumber, leaf.serialNumber) && is.issuerNames.some((n) => bytesEqual(n, leaf.issuer)));
    if (!named) {
      tsFail(essCheck, `the ${id.attribute} issuerSerial does not name the certificate of trusted ${name}`, {
        expected: `serial ${toHex(leaf.serialNumber)}`,
        actual: `serial ${toHex(is.serialNumber)}`,
      });
    }
  }

  if (!(await verifySignature(provider, key, scheme, signedBytes, signer.signature))) {
    tsFail('timestamp.signature', `the signature does not verify with the key of trusted ${name}`);
  }
}

/**
 * Verifies a parsed timestamp token over `signature` against trusted TSAs.
 *
 * Token checks: the message imprint is H(signature) with the imprint's hash;
 * the content-type signed attribute is id-ct-TSTInfo; the message-digest
 * attribute is the SignerInfo digest of the TSTInfo; a signing-certificate
 * (v1 or v2) attribute is present. Then, for each trusted TSA in turn whose
 * trust-root window contains genTime: the SignerInfo names the TSA chain's
 * first certificate (embedded certificates are never trusted, and one naming
 * the signer must equal it byte for byte); that certificate has the critical
 * id-kp-timeStamping EKU; every chain certificate is valid at genTime; the
 * signing-certificate attributes hash to it; and the signature over the
 * signed attributes (re-tagged as SET, not re-encoded) verifies with its key.
 *
 * @param signature the bytes the TSA timestamped: the bundle's message signature or DSSE signature.
 * @param tsas the trusted timestamp authorities (trust material).
 * @throws SigvetError `TIMESTAMP` with a distinct `check` per failed check; `timestamp.authority` (with every
 *   per-TSA failure in `errors`) when no trusted TSA verifies the token; `UNSUPPORTED` for unknown hash or
 *   signature algorithms.
 */
export async function verifyTimestampToken(
  token: TimestampToken,
  signature: Uint8Array,
  tsas: readonly TrustedAuthority[],
  provider: CryptoProvider,
): Promise<VerifiedTimestamp> {
  if (!(signature instanceof Uint8Array)) {
    throw new SigvetError('INVALID_ARGUMENT', 'timestamp: the timestamped signature must be bytes', {
      check: 'timestamp.imprint',
    });
  }
  const { imprintHash, signerHash } = checkContent(token, signature);
  const essIds = token.signer.signingCertificates;
  if (essIds.length === 0) {
    tsFail('timestamp.attributes.signing-certificate', 'no signing-certificate or signing-certificate-v2 signed attribute');
  }
  // The signature covers the DER of the SET OF attributes (RFC 5652 §5.4): the same bytes with the
  // [0] IMPLICIT tag replaced by SET. The element was read as strict DER, so no re-encoding is needed.
  const signedBytes = token.signer.signedAttrs.slice();
  signedBytes[0] = Tag.SET;
  // rsaEncryption in a SignerInfo means PKCS#1 v1.5 with the digest algorithm (RFC 3370 §3.2).
  const scheme = schemeFromAlgorithmIdentifier(token.signer.signatureAlgorithm, signerHash);

  const errors: SigvetError[] = [];
  for (const [i, tsa] of tsas.entries()) {
    try {
      await verifyWithAuthority(token, tsa, i, essIds, signedBytes, scheme, provider);
      const { genTime, serialNumber } = token.tstInfo;
      return { time: genTime, authority: tsa, serialNumber, hashAlgorithm: imprintHash };
    } catch (e) {
      errors.push(
        e instanceof SigvetError
          ? e
          : new SigvetError('TIMESTAMP', `timestamp: verification with timestampAuthorities[${i}] failed`, {
              check: 'timestamp.signature',
              cause: e,
            }),
      );
    }
  }
  const detail = errors.length === 0 ? 'the trusted root has no timestamp authority' : errors.map((e) => e.message).join('; ');
  throw new SigvetError('TIMESTAMP', `timestamp: no trusted timestamp authority verifies the token (${detail})`, {
    check: 'timestamp.authority',
    errors,
  });
}
