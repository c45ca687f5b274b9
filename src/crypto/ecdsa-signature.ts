/**
 * Strict DER `ECDSA-Sig-Value` (RFC 5480 §2.2, RFC 3279 §2.2.3): the
 * reference parser, and the curve constants. The conversion to the
 * fixed-width r‖s form (IEEE P1363) that WebCrypto verifies is the
 * byte-level `ecdsaDerToP1363OrUndefined` (./p1363-signature.ts).
 *
 * Strictness matters because a lenient decoder makes signatures malleable
 * (Wycheproof "BerEncodedSignature", CVE-2020-13822, CVE-2024-42460): one
 * signature must have exactly one accepted encoding, except for high-S, which
 * stays valid because Go signers (Fulcio, Rekor, cosign) do not normalize s.
 * @module
 */
import { SigvetError } from '../errors.js';
import { parseDer, Tag } from '../der/element.js';
import type { KeyType } from './provider.js';

/** The elliptic-curve key types. */
export type EcKeyType = Extract<KeyType, 'ec-p256' | 'ec-p384' | 'ec-p521'>;

/** Per-curve constants: group order n and the byte length of scalars and field elements. */
export interface EcCurveParams {
  /** The order n of the base point. */
  readonly order: bigint;
  /** Bytes in a scalar or coordinate (32, 48, 66); r and s are padded to this in P1363 form. */
  readonly bytes: number;
}

/** Curve constants from SEC 2 / FIPS 186-4 (checked against `@noble/curves` in the tests). */
export const EC_CURVES: { readonly [K in EcKeyType]: EcCurveParams } = {
  'ec-p256': {
    order: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
    bytes: 32,
  },
  'ec-p384': {
    order:
      0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
    bytes: 48,
  },
  'ec-p521': {
    order:
      0x01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409n,
    bytes: 66,
  },
};

/** True for the elliptic-curve key types. */
export function isEcKeyType(type: KeyType): type is EcKeyType {
  return type === 'ec-p256' || type === 'ec-p384' || type === 'ec-p521';
}

/**
 * Parses a DER `ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }`.
 *
 * Rejects BER (long-form or non-minimal lengths), non-minimal or negative
 * integers, trailing bytes, and r or s outside [1, n−1] for the curve.
 * High-S values are accepted.
 *
 * The reference form, with error messages and BigInt values; the hot paths
 * use the byte-level `ecdsaDerToP1363OrUndefined` (./p1363-signature.ts),
 * which the tests hold to exactly this acceptance.
 *
 * @throws SigvetError `PARSE` (check `signature.ecdsa`) on any violation.
 */
export function parseEcdsaSignature(der: Uint8Array, type: EcKeyType): { r: bigint; s: bigint } {
  const curve = EC_CURVES[type];
  if (curve === undefined) {
    throw new SigvetError('KEY', `not an ECDSA key type: ${String(type)}`, { check: 'signature.ecdsa' });
  }
  // A valid signature is at most 2 + 2·(3 + bytes + 1) bytes; refuse more before parsing.
  const maxLen = 2 * (curve.bytes + 4) + 3;
  if (der.length > maxLen) {
    throw new SigvetError('PARSE', `ECDSA signature: ${der.length} bytes exceeds ${maxLen} for ${type}`, {
      check: 'signature.ecdsa',
      expected: `at most ${maxLen} bytes`,
      actual: `${der.length} bytes`,
    });
  }
  try {
    const seq = parseDer(der, 'ECDSA signature').expect(Tag.SEQUENCE, 'ECDSA-Sig-Value');
    const items = seq.items(2, 2, 'ECDSA-Sig-Value');
    const r = scalar(items[0]!.unsignedBigInt(), curve.order, 'r');
    const s = scalar(items[1]!.unsignedBigInt(), curve.order, 's');
    return { r, s };
  } catch (e) {
    if (e instanceof SigvetError && e.check === 'signature.ecdsa') throw e;
    throw new SigvetError('PARSE', `ECDSA signature: ${e instanceof Error ? e.message : String(e)}`, {
      check: 'signature.ecdsa',
      cause: e,
    });
  }
}

function scalar(v: bigint, n: bigint, name: string): bigint {
  // SEC 1 §4.1.4 step 1: r and s must lie in [1, n−1]; 0 and n are the classic forgery values.
  if (v <= 0n || v >= n) {
    throw new SigvetError('PARSE', `ECDSA signature: ${name} is outside [1, n-1]`, { check: 'signature.ecdsa' });
  }
  return v;
}
