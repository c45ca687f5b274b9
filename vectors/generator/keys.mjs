// Deterministic keys: every private key is derived from the generator's seed
// string and a label with HKDF-SHA256, so regeneration yields the same keys,
// certificates and signatures. ECDSA signing uses RFC 6979 (noble's default,
// no extra entropy), so signatures are deterministic too.

import { createHash, hkdfSync } from 'node:crypto';
import { p256, p384 } from '@noble/curves/nist.js';
import { concat, seq, oid, bits, toHex } from './der.mjs';

export const OID = {
  ecPublicKey: '1.2.840.10045.2.1',
  prime256v1: '1.2.840.10045.3.1.7',
  secp384r1: '1.3.132.0.34',
  ecdsaWithSHA256: '1.2.840.10045.4.3.2',
  ecdsaWithSHA384: '1.2.840.10045.4.3.3',
};

const CURVES = {
  'P-256': { impl: p256, curveOid: OID.prime256v1, sigOid: OID.ecdsaWithSHA256, keyDetails: 'PKIX_ECDSA_P256_SHA_256' },
  'P-384': { impl: p384, curveOid: OID.secp384r1, sigOid: OID.ecdsaWithSHA384, keyDetails: 'PKIX_ECDSA_P384_SHA_384' },
};

export const sha256 = (data) => new Uint8Array(createHash('sha256').update(data).digest());
export const sha1 = (data) => new Uint8Array(createHash('sha1').update(data).digest());

/** Deterministic bytes for `label`, derived from `seed`. */
export function deriveBytes(seed, label, length) {
  return new Uint8Array(hkdfSync('sha256', seed, 'sigvet-test-vectors', label, length));
}

/** An ECDSA key pair derived from (seed, label). */
export class EcKey {
  constructor(seed, label, curveName) {
    const curve = CURVES[curveName];
    if (!curve) throw new Error(`unknown curve ${curveName}`);
    this.label = label;
    this.curveName = curveName;
    this.curve = curve;
    const n = curve.impl.Point.Fn.ORDER;
    const nBytes = curve.impl.Point.Fn.BYTES;
    // FIPS 186-5 A.2.1 style: 64 extra bits, then reduce into [1, n-1].
    const okm = deriveBytes(seed, `ec-key:${label}`, nBytes + 8);
    const d = (BigInt('0x' + toHex(okm)) % (n - 1n)) + 1n;
    this.secretKey = Uint8Array.from(Buffer.from(d.toString(16).padStart(nBytes * 2, '0'), 'hex'));
    this.publicPoint = curve.impl.getPublicKey(this.secretKey, false);
    this.spki = seq(seq(oid(OID.ecPublicKey), oid(curve.curveOid)), bits(this.publicPoint));
  }

  /** The signature AlgorithmIdentifier this key signs certificates with. */
  get sigAlgOid() {
    return this.curve.sigOid;
  }

  get keyDetails() {
    return this.curve.keyDetails;
  }

  /** ECDSA over the curve's hash (SHA-256 for P-256, SHA-384 for P-384), DER-encoded, RFC 6979. */
  sign(message) {
    return this.curve.impl.sign(message, this.secretKey, { format: 'der', lowS: true, extraEntropy: false });
  }

  /** Verifies a DER ECDSA signature made by {@link sign} (self-checks only). */
  verify(signatureDer, message) {
    return this.curve.impl.verify(signatureDer, message, this.publicPoint, { format: 'der', lowS: false });
  }

  /** SHA-256 of the DER SubjectPublicKeyInfo: Rekor and CT log IDs, publicKey.hint. */
  get spkiSha256() {
    return sha256(this.spki);
  }

  /** RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey BIT STRING value. */
  get keyIdentifier() {
    return sha1(this.publicPoint);
  }

  get pem() {
    return toPem('PUBLIC KEY', this.spki);
  }
}

/** PEM with 64-character lines and a trailing newline, as Go's encoding/pem writes it. */
export function toPem(label, der) {
  const b64 = Buffer.from(der).toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

export const b64 = (bytes) => Buffer.from(bytes).toString('base64');
export { concat };
