// Deterministic keys: every private key is derived from the generator's seed
// string and a label with HKDF-SHA256, so regeneration yields the same keys,
// certificates and signatures. ECDSA signing uses RFC 6979 (noble's default,
// no extra entropy), so signatures are deterministic too.

import { createHash, createPrivateKey, createPublicKey, hkdfSync, sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import { p256, p384 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { ed25519 } from '@noble/curves/ed25519.js';
import { concat, seq, oid, bits, nul, toHex, fromHex } from './der.mjs';

export const OID = {
  ecPublicKey: '1.2.840.10045.2.1',
  prime256v1: '1.2.840.10045.3.1.7',
  secp384r1: '1.3.132.0.34',
  secp256k1: '1.3.132.0.10',
  ecdsaWithSHA256: '1.2.840.10045.4.3.2',
  ecdsaWithSHA384: '1.2.840.10045.4.3.3',
  ed25519: '1.3.101.112',
  rsaEncryption: '1.2.840.113549.1.1.1',
  sha256WithRSAEncryption: '1.2.840.113549.1.1.11',
};

const CURVES = {
  'P-256': { impl: p256, curveOid: OID.prime256v1, sigOid: OID.ecdsaWithSHA256, keyDetails: 'PKIX_ECDSA_P256_SHA_256' },
  'P-384': { impl: p384, curveOid: OID.secp384r1, sigOid: OID.ecdsaWithSHA384, keyDetails: 'PKIX_ECDSA_P384_SHA_384' },
  // Not a Sigstore curve (no PublicKeyDetails names it): for the cases about unsupported keys.
  secp256k1: { impl: secp256k1, curveOid: OID.secp256k1, sigOid: OID.ecdsaWithSHA256, keyDetails: undefined, jwkCrv: 'secp256k1' },
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

  /** DER AlgorithmIdentifier of {@link sigAlgOid} (ECDSA: no parameters, RFC 5758 §3.2). */
  get sigAlgId() {
    return seq(oid(this.curve.sigOid));
  }

  /** 'ecdsa': how the key signs, for the log-body and note code. */
  get kind() {
    return 'ecdsa';
  }

  get keyDetails() {
    return this.curve.keyDetails;
  }

  /** ECDSA over the curve's hash (SHA-256 for P-256, SHA-384 for P-384), DER-encoded, RFC 6979. */
  sign(message) {
    return this.curve.impl.sign(message, this.secretKey, { format: 'der', lowS: true, extraEntropy: false });
  }

  /** ECDSA over a digest computed elsewhere (e.g. SHA-1, for the case about an unsupported algorithm), DER, RFC 6979. */
  signDigest(digest) {
    return this.curve.impl.sign(digest, this.secretKey, { format: 'der', lowS: true, extraEntropy: false, prehash: false });
  }

  /** The private key as PKCS#8 PEM (one case hands a verifier the private key instead of the public one). */
  get privatePem() {
    const half = (this.publicPoint.length - 1) / 2;
    const jwk = {
      kty: 'EC',
      crv: this.curve.jwkCrv ?? this.curveName,
      x: Buffer.from(this.publicPoint.subarray(1, 1 + half)).toString('base64url'),
      y: Buffer.from(this.publicPoint.subarray(1 + half)).toString('base64url'),
      d: Buffer.from(this.secretKey).toString('base64url'),
    };
    return createPrivateKey({ key: jwk, format: 'jwk' }).export({ type: 'pkcs8', format: 'pem' });
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

const ED25519_SPKI_PREFIX = fromHex('302a300506032b6570032100');

/** An Ed25519 key pair derived from (seed, label); signatures are deterministic by design (RFC 8032). */
export class Ed25519Key {
  constructor(seed, label) {
    this.label = label;
    this.secretKey = deriveBytes(seed, `ed25519-key:${label}`, 32);
    this.publicKey = ed25519.getPublicKey(this.secretKey);
    this.spki = concat(ED25519_SPKI_PREFIX, this.publicKey);
  }

  get kind() {
    return 'ed25519';
  }

  get keyDetails() {
    return 'PKIX_ED25519';
  }

  get sigAlgOid() {
    return OID.ed25519;
  }

  /** RFC 8410 §3: id-Ed25519 with absent parameters. */
  get sigAlgId() {
    return seq(oid(OID.ed25519));
  }

  /** Pure Ed25519 over the whole message. */
  sign(message) {
    return ed25519.sign(message, this.secretKey);
  }

  verify(signature, message) {
    return ed25519.verify(signature, message, this.publicKey, { zip215: false });
  }

  get spkiSha256() {
    return sha256(this.spki);
  }

  get keyIdentifier() {
    return sha1(this.publicKey);
  }

  get pem() {
    return toPem('PUBLIC KEY', this.spki);
  }
}

// ---------------------------------------------------------------- RSA

const SMALL_PRIMES = (() => {
  const out = [];
  for (let n = 3; out.length < 400; n += 2) if (out.every((p) => n % p !== 0)) out.push(n);
  return out.map(BigInt);
})();

function bytesToBigInt(bytes) {
  return BigInt('0x' + (toHex(bytes) || '0'));
}

function bigIntToBytes(v, length) {
  const hex = v.toString(16).padStart(length * 2, '0');
  if (hex.length > length * 2) throw new Error('integer too large');
  return fromHex(hex);
}

function modPow(base, exp, mod) {
  let result = 1n;
  base %= mod;
  while (exp > 0n) {
    if (exp & 1n) result = (result * base) % mod;
    base = (base * base) % mod;
    exp >>= 1n;
  }
  return result;
}

function modInverse(a, m) {
  let [oldR, r] = [a % m, m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  if (oldR !== 1n) throw new Error('not invertible');
  return ((oldS % m) + m) % m;
}

const gcd = (a, b) => (b === 0n ? a : gcd(b, a % b));

/** Miller–Rabin with fixed bases: enough for candidates nobody chose adversarially. */
function isProbablePrime(n) {
  for (const p of SMALL_PRIMES) if (n % p === 0n) return n === p;
  let d = n - 1n;
  let r = 0;
  while ((d & 1n) === 0n) {
    d >>= 1n;
    r++;
  }
  for (const a of SMALL_PRIMES.slice(0, 32)) {
    let x = modPow(a, d, n);
    if (x === 1n || x === n - 1n) continue;
    let composite = true;
    for (let i = 1; i < r; i++) {
      x = (x * x) % n;
      if (x === n - 1n) {
        composite = false;
        break;
      }
    }
    if (composite) return false;
  }
  return true;
}

/** A `bits`-bit prime from the seed: top two bits set (so p·q has exactly 2·bits bits), p ≢ 1 mod e. */
function derivePrime(seed, label, bits, e) {
  for (let counter = 0; counter < 100_000; counter++) {
    const c = deriveBytes(seed, `rsa-prime:${label}:${counter}`, bits / 8);
    c[0] |= 0xc0;
    c[c.length - 1] |= 0x01;
    const candidate = bytesToBigInt(c);
    if (gcd(candidate - 1n, e) === 1n && isProbablePrime(candidate)) return candidate;
  }
  throw new Error('no prime found');
}

const b64url = (bytes) => Buffer.from(bytes).toString('base64url');

/**
 * An RSA key pair (PKCS#1 v1.5 with SHA-256) derived from (seed, label):
 * primes come from the seed through a deterministic search, and PKCS#1 v1.5
 * signatures are deterministic, so the output is reproducible.
 */
export class RsaKey {
  constructor(seed, label, modulusBits = 2048) {
    this.label = label;
    this.bits = modulusBits;
    const e = 65537n;
    const p = derivePrime(seed, `${label}:p`, modulusBits / 2, e);
    const q = derivePrime(seed, `${label}:q`, modulusBits / 2, e);
    if (p === q) throw new Error('equal primes');
    const n = p * q;
    const d = modInverse(e, (p - 1n) * (q - 1n));
    const len = modulusBits / 8;
    const half = modulusBits / 16;
    const jwk = {
      kty: 'RSA',
      n: b64url(bigIntToBytes(n, len)),
      e: b64url(bigIntToBytes(e, 3)),
      d: b64url(bigIntToBytes(d, len)),
      p: b64url(bigIntToBytes(p, half)),
      q: b64url(bigIntToBytes(q, half)),
      dp: b64url(bigIntToBytes(d % (p - 1n), half)),
      dq: b64url(bigIntToBytes(d % (q - 1n), half)),
      qi: b64url(bigIntToBytes(modInverse(q, p), half)),
    };
    this.privateKey = createPrivateKey({ key: jwk, format: 'jwk' });
    this.publicKeyObject = createPublicKey(this.privateKey);
    this.spki = new Uint8Array(this.publicKeyObject.export({ type: 'spki', format: 'der' }));
  }

  get kind() {
    return 'rsa';
  }

  get keyDetails() {
    return `PKIX_RSA_PKCS1V15_${this.bits}_SHA256`;
  }

  get sigAlgOid() {
    return OID.sha256WithRSAEncryption;
  }

  /** RFC 4055 §5: sha256WithRSAEncryption with NULL parameters. */
  get sigAlgId() {
    return seq(oid(OID.sha256WithRSAEncryption), nul());
  }

  /** RSASSA-PKCS1-v1_5 with SHA-256 (deterministic). */
  sign(message) {
    return new Uint8Array(nodeSign('sha256', message, this.privateKey));
  }

  verify(signature, message) {
    return nodeVerify('sha256', message, this.publicKeyObject, signature);
  }

  get spkiSha256() {
    return sha256(this.spki);
  }

  get pem() {
    return toPem('PUBLIC KEY', this.spki);
  }
}
