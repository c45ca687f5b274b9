/**
 * Strict DER `ECDSA-Sig-Value` to the fixed-width r‖s form (IEEE P1363)
 * WebCrypto verifies, without BigInt: the same acceptance rules as
 * {@link parseEcdsaSignature} (strict DER through the project's reader,
 * minimal non-negative INTEGERs, no trailing bytes, 0 < r, s < n; high-S
 * accepted), with the range check done on bytes. On the warm path every
 * signature goes through this conversion, and BigInt parsing plus
 * byte-by-byte BigInt shifts cost more than the rest of the call.
 * @module
 */
import { parseDer, Tag } from '../der/element.js';
import { EC_CURVES, type EcKeyType } from './ecdsa-signature.js';

/** The group order n of each curve as big-endian bytes of the curve's scalar width. */
const ORDER_BYTES: { readonly [K in EcKeyType]: Uint8Array } = {
  'ec-p256': orderBytes('ec-p256'),
  'ec-p384': orderBytes('ec-p384'),
  'ec-p521': orderBytes('ec-p521'),
};

function orderBytes(type: EcKeyType): Uint8Array {
  const { order, bytes } = EC_CURVES[type];
  const out = new Uint8Array(bytes);
  let x = order;
  for (let i = bytes - 1; i >= 0; i--) {
    out[i] = Number(x & 0xffn);
    x >>= 8n;
  }
  return out;
}

/**
 * Writes one INTEGER's magnitude right-aligned into `out[offset, offset+width)`;
 * false unless it is non-negative and in [1, n−1].
 */
function writeScalar(content: Uint8Array, n: Uint8Array, out: Uint8Array, offset: number): boolean {
  // Minimality was checked by the DER reader; a negative value is never a scalar.
  if (content[0]! >= 0x80) return false;
  // Minimal encoding: a leading zero only when the next byte has its top bit set.
  const v = content[0] === 0 ? content.subarray(1) : content;
  const width = n.length;
  if (v.length === 0 || v.length > width) return false;
  // v ≠ 0: a minimal encoding of zero is the single byte 0x00, emptied above.
  if (v.length === width) {
    // Big-endian, same width: the first differing byte decides v < n.
    let i = 0;
    while (i < width && v[i] === n[i]) i++;
    if (i === width || v[i]! > n[i]!) return false;
  }
  out.set(v, offset + width - v.length);
  return true;
}

/**
 * The P1363 form (r and s each left-padded to the curve's scalar width) of a
 * DER ECDSA signature, or undefined when the signature is not strict DER
 * with 0 < r, s < n for `type`. Accepts exactly what
 * {@link parseEcdsaSignature} accepts.
 */
export function ecdsaDerToP1363OrUndefined(der: Uint8Array, type: EcKeyType): Uint8Array<ArrayBuffer> | undefined {
  const n = ORDER_BYTES[type];
  if (n === undefined) return undefined;
  const width = n.length;
  // SEQUENCE header (≤ 3) + two INTEGERs (≤ 3 + width + 1 each): refuse more before parsing.
  if (der.length > 2 * (width + 4) + 3) return undefined;
  let r: Uint8Array;
  let s: Uint8Array;
  try {
    const seq = parseDer(der, 'ECDSA signature').expect(Tag.SEQUENCE, 'ECDSA-Sig-Value');
    const items = seq.items(2, 2, 'ECDSA-Sig-Value');
    r = items[0]!.integerBytes();
    s = items[1]!.integerBytes();
  } catch {
    return undefined;
  }
  const out = new Uint8Array(2 * width);
  return writeScalar(r, n, out, 0) && writeScalar(s, n, out, width) ? out : undefined;
}
