/**
 * The pure-JavaScript crypto provider: `@noble/curves` for ECDSA and Ed25519,
 * BigInt RSA from `./rsa.ts`, `@noble/hashes` for SHA-2. Works anywhere,
 * needs no WebCrypto, and is the slowest choice.
 *
 * noble's defaults are wrong for Sigstore and are overridden on every call:
 * `lowS: false` (Go signers do not normalize s, so high-S is valid),
 * `format: 'der'` (not compact r‖s) and `prehash: false` (sigvet hashes with
 * the scheme's hash, which need not be the curve's default). Ed25519 is
 * strict RFC 8032 (canonical encodings, S < L, never ZIP-215) with the
 * cofactorless equation, as in OpenSSL and Go; see {@link nobleEd25519Verify}.
 *
 * Subpath: `sigvet/noble`.
 * @module
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { SigvetError } from '../errors.js';
import { type EcKeyType, isEcKeyType } from './ecdsa-signature.js';
import type { CryptoProvider, HashAlgorithm, KeyType, PublicKey, SignatureScheme } from './provider.js';
import { digestSync, rsaPkcs1v15VerifyDigest, rsaPssVerifyDigest } from './rsa.js';
import { parseRsaPublicKey, parseSpki, type RsaPublicKeyNumbers } from './spki.js';

const CURVES = { 'ec-p256': p256, 'ec-p384': p384, 'ec-p521': p521 } as const;

/** Verification options that make noble behave like Go and OpenSSL for DER ECDSA over a digest. */
const ECDSA_OPTS = { prehash: false, lowS: false, format: 'der' } as const;

/** The noble provider's key handle: the raw key material, copied at import. */
class NobleKey {
  constructor(
    /** Uncompressed EC point or 32-byte Ed25519 key; empty for RSA. */
    readonly raw: Uint8Array,
    /** RSA numbers; undefined for other types. */
    readonly rsa: RsaPublicKeyNumbers | undefined,
  ) {}
}

/**
 * Verifies a DER ECDSA signature over a digest with `@noble/curves`,
 * accepting high-S. Shared by the providers whose runtime cannot verify a
 * prehashed message. False for any invalid or malformed input.
 * @internal
 */
export function nobleEcdsaVerifyDigest(
  type: EcKeyType,
  point: Uint8Array,
  digest: Uint8Array,
  derSignature: Uint8Array,
): boolean {
  try {
    return CURVES[type].verify(derSignature, digest, point, ECDSA_OPTS) === true;
  } catch {
    return false;
  }
}

/**
 * Verifies a pure Ed25519 signature (RFC 8032 §5.1.7) with canonical
 * encodings (y < p, no "−0"), S < L, a public key not of small order, and the
 * cofactorless equation [S]B = R + [k]A compared exactly. noble's own
 * `ed25519.verify` checks the cofactored equation; OpenSSL, BoringSSL and Go
 * check the cofactorless one, and RFC 8032 allows either. Using the same
 * equation as the native providers means a signer cannot craft a signature
 * (R with a small-order component) that one provider accepts and another
 * rejects. False for any invalid or malformed input.
 * @internal
 */
export function nobleEd25519Verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  try {
    if (publicKey.length !== 32 || signature.length !== 64) return false;
    const Point = ed25519.Point;
    const rBytes = signature.subarray(0, 32);
    const s = littleEndian(signature.subarray(32, 64));
    if (s >= Point.Fn.ORDER) return false;
    const A = Point.fromBytes(publicKey, false);
    if (A.isSmallOrder()) return false;
    const R = Point.fromBytes(rBytes, false);
    const k = littleEndian(sha512.create().update(rBytes).update(publicKey).update(message).digest()) % Point.Fn.ORDER;
    return Point.BASE.multiplyUnsafe(s).equals(R.add(A.multiplyUnsafe(k)));
  } catch {
    return false;
  }
}

function littleEndian(b: Uint8Array): bigint {
  let v = 0n;
  for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]!);
  return v;
}

/**
 * Checks that an EC point or Ed25519 key decodes (on the curve, canonical,
 * not the identity) with noble; throws SigvetError `KEY` otherwise.
 * @internal
 */
export function nobleCheckPoint(type: Exclude<KeyType, 'rsa'>, raw: Uint8Array): void {
  let ok: boolean;
  try {
    ok = type === 'ed25519' ? (ed25519.Point.fromBytes(raw, false), true) : !CURVES[type].Point.fromBytes(raw).is0();
  } catch {
    ok = false;
  }
  if (!ok) {
    throw new SigvetError('KEY', `the ${type} public key is not a valid point`, { check: 'key.import' });
  }
}

function hashWith(hash: HashAlgorithm, data: Uint8Array): Uint8Array {
  return digestSync(hash, data);
}

function nobleKey(key: PublicKey): NobleKey {
  if (!(key.handle instanceof NobleKey)) {
    throw new SigvetError('KEY', 'the key was not imported by the noble provider', { check: 'key.provider' });
  }
  return key.handle;
}

function verifyDigestWith(k: NobleKey, type: KeyType, scheme: SignatureScheme, digest: Uint8Array, sig: Uint8Array): boolean {
  switch (scheme.kind) {
    case 'ecdsa':
      return isEcKeyType(type) && nobleEcdsaVerifyDigest(type, k.raw, digest, sig);
    case 'rsa-pkcs1':
      return k.rsa !== undefined && rsaPkcs1v15VerifyDigest(k.rsa, scheme.hash, digest, sig);
    case 'rsa-pss':
      return k.rsa !== undefined && rsaPssVerifyDigest(k.rsa, scheme.hash, scheme.saltLength, digest, sig);
    default:
      throw new SigvetError('UNSUPPORTED', `${scheme.kind} cannot be verified over a digest`, {
        check: 'signature.scheme',
      });
  }
}

/**
 * The pure-JavaScript {@link CryptoProvider}. Every method answers
 * synchronously.
 *
 * @example
 * ```ts
 * import { nobleProvider } from 'sigvet/noble';
 * ```
 */
export const nobleProvider: CryptoProvider = {
  name: 'noble',

  importSpki(spki: Uint8Array, type: KeyType, bits: number): PublicKey {
    const info = parseSpki(spki, 'public key');
    if (info.type !== type || info.bits !== bits) {
      throw new SigvetError('KEY', 'the key does not match its declared type', {
        check: 'key.import',
        expected: `${type}/${bits}`,
        actual: `${info.type}/${info.bits}`,
      });
    }
    if (info.type === 'rsa') {
      const rsa = parseRsaPublicKey(info.publicKey, 'public key');
      return { type, spki, bits, handle: new NobleKey(new Uint8Array(0), rsa) };
    }
    const raw = info.publicKey.slice();
    nobleCheckPoint(info.type, raw);
    return { type, spki, bits, handle: new NobleKey(raw, undefined) };
  },

  verify(key: PublicKey, scheme: SignatureScheme, data: Uint8Array, signature: Uint8Array): boolean {
    const k = nobleKey(key);
    if (scheme.kind === 'ed25519') return key.type === 'ed25519' && nobleEd25519Verify(k.raw, data, signature);
    return verifyDigestWith(k, key.type, scheme, hashWith(scheme.hash, data), signature);
  },

  verifyDigest(key: PublicKey, scheme: SignatureScheme, digest: Uint8Array, signature: Uint8Array): boolean {
    return verifyDigestWith(nobleKey(key), key.type, scheme, digest, signature);
  },

  digest(hash: HashAlgorithm, data: Uint8Array): Uint8Array {
    return hashWith(hash, data);
  },
};
