/**
 * Whether an uncompressed NIST curve point lies on its curve. WebCrypto
 * implementations differ here: browsers refuse an off-curve key at import,
 * Deno only fails every verification with it; the WebCrypto provider checks
 * it itself so every runtime reports the same `KEY` error at import.
 * @module
 */
import { toHex } from '../encoding/hex.js';
import type { EcKeyType } from './ecdsa-signature.js';

/** Field prime p and coefficient b of y² = x³ − 3x + b (SEC 2 / FIPS 186-4). */
const CURVES: { readonly [K in EcKeyType]: { readonly p: bigint; readonly b: bigint; readonly size: number } } = {
  'ec-p256': {
    p: (1n << 256n) - (1n << 224n) + (1n << 192n) + (1n << 96n) - 1n,
    b: 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn,
    size: 32,
  },
  'ec-p384': {
    p: (1n << 384n) - (1n << 128n) - (1n << 96n) + (1n << 32n) - 1n,
    b: 0xb3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aefn,
    size: 48,
  },
  'ec-p521': {
    p: (1n << 521n) - 1n,
    b: 0x0051953eb9618e1c9a1f929a21a0b68540eea2da725b99b315f3b8b489918ef109e156193951ec7e937b1652c0bd3bb1bf073573df883d2c34f1ef451fd46b503f00n,
    size: 66,
  },
};

/** Big-endian bytes as an unsigned integer (one native parse, as rsa.ts does). */
function toBigInt(b: Uint8Array): bigint {
  return BigInt(`0x${toHex(b)}`);
}

/**
 * True when `point` is `0x04 ‖ x ‖ y` with both coordinates below p and
 * y² ≡ x³ − 3x + b (mod p). The identity has no such encoding, so it is
 * never accepted.
 */
export function ecPointOnCurve(type: EcKeyType, point: Uint8Array): boolean {
  const c = CURVES[type];
  if (point.length !== 1 + 2 * c.size || point[0] !== 0x04) return false;
  const x = toBigInt(point.subarray(1, 1 + c.size));
  const y = toBigInt(point.subarray(1 + c.size));
  if (x >= c.p || y >= c.p) return false;
  const { p, b } = c;
  const rhs = (((((x * x) % p) * x) % p) - ((3n * x) % p) + b + 2n * p) % p;
  return (y * y) % p === rhs;
}
