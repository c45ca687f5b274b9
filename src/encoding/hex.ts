/**
 * Lower-case hexadecimal, strict in both directions.
 * @module
 */
import { SigvetError } from '../errors.js';

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Encodes bytes as lower-case hex. */
export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += HEX[bytes[i]!]!;
  return s;
}

/**
 * Decodes hex. Accepts lower- and upper-case digits only (no prefix, no
 * whitespace); `lowerOnly` rejects upper case, for digests compared as text.
 */
export function fromHex(s: string, what: string, lowerOnly = false): Uint8Array {
  if (typeof s !== 'string' || s.length % 2 !== 0) {
    throw new SigvetError('PARSE', `${what}: invalid hex (odd length or not a string)`, { check: 'encoding.hex' });
  }
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = nibble(s.charCodeAt(2 * i), lowerOnly);
    const lo = nibble(s.charCodeAt(2 * i + 1), lowerOnly);
    if (hi < 0 || lo < 0) {
      throw new SigvetError('PARSE', `${what}: invalid hex character near offset ${2 * i}`, { check: 'encoding.hex' });
    }
    out[i] = (hi << 4) | lo;
  }
  return out;
}

function nibble(c: number, lowerOnly: boolean): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (!lowerOnly && c >= 65 && c <= 70) return c - 55;
  return -1;
}
