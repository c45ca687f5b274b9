/**
 * Strict base64 decoding. protobuf-JSON `bytes` accept the standard and the
 * URL-safe alphabet, padded or not, and (like Go) ignore CR/LF line breaks;
 * nothing else is accepted: no other whitespace, no junk, no mixed
 * alphabets, and the unused trailing bits must be zero.
 * @module
 */
import { SigvetError } from '../errors.js';

const STD = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
/** Char code → 6-bit value, 255 for anything outside the alphabet. */
const T_STD = new Uint8Array(128).fill(255);
const T_URL = new Uint8Array(128).fill(255);
for (let i = 0; i < 64; i++) {
  T_STD[STD.charCodeAt(i)] = i;
  T_URL[URL.charCodeAt(i)] = i;
}

/** Which alphabets {@link decodeBase64} accepts. */
export type Base64Alphabet = 'std' | 'url' | 'any';

/**
 * Decodes base64 strictly. `alphabet: 'std'` (checkpoints, PEM) requires the
 * standard alphabet with canonical padding; `'any'` (protobuf JSON) accepts
 * either alphabet, padded or not, but never both alphabets in one string.
 * @param what names the field for the error message.
 */
export function decodeBase64(s: string, what: string, alphabet: Base64Alphabet = 'any'): Uint8Array {
  const bad = (why: string): never => {
    throw new SigvetError('PARSE', `${what}: invalid base64 (${why})`, { check: 'encoding.base64' });
  };
  if (typeof s !== 'string') bad(`expected a string, got ${typeof s}`);
  // protobuf JSON as Go decodes it (encoding/base64) ignores CR and LF, and
  // real bundles carry `base64`-tool output wrapped at 76 columns. No other
  // whitespace is accepted, and never in the standard-only form.
  if (alphabet !== 'std' && (s.includes('\n') || s.includes('\r'))) s = s.replace(/[\r\n]/g, '');
  let end = s.length;
  let pad = 0;
  while (end > 0 && s.charCodeAt(end - 1) === 61 /* = */ && pad < 3) {
    end--;
    pad++;
  }
  if (pad > 0) {
    if (s.length % 4 !== 0) bad('padding with a length that is not a multiple of 4');
    if (pad > 2) bad('too much padding');
  } else if (alphabet === 'std' && s.length % 4 !== 0) {
    bad('missing padding');
  }
  const rem = end % 4;
  if (rem === 1) bad('impossible length');
  if (pad > 0 && (rem === 0 || 4 - rem !== pad)) bad('wrong padding');
  // One alphabet per string: find which (native scans), then decode with its table.
  const hasUrl = s.includes('-') || s.includes('_');
  const hasStd = s.includes('+') || s.includes('/');
  if (hasUrl && hasStd) bad('mixes the standard and URL-safe alphabets');
  if (hasUrl && alphabet === 'std') bad('URL-safe characters in standard base64');
  if (hasStd && alphabet === 'url') bad('standard characters in URL-safe base64');
  const T = hasUrl ? T_URL : T_STD;
  const outLen = Math.floor(end / 4) * 3 + (rem === 0 ? 0 : rem - 1);
  const out = new Uint8Array(outLen);
  const lookup = (i: number): number => {
    const c = s.charCodeAt(i);
    return c < 128 ? T[c]! : 255;
  };
  let o = 0;
  let i = 0;
  const full = end - rem;
  for (; i < full; i += 4) {
    const a = lookup(i);
    const b = lookup(i + 1);
    const c = lookup(i + 2);
    const d = lookup(i + 3);
    if ((a | b | c | d) > 63) badChar(s, i, T, bad);
    out[o++] = (a << 2) | (b >> 4);
    out[o++] = ((b << 4) | (c >> 2)) & 0xff;
    out[o++] = ((c << 6) | d) & 0xff;
  }
  if (rem > 0) {
    const a = lookup(i);
    const b = lookup(i + 1);
    const c = rem === 3 ? lookup(i + 2) : 0;
    if ((a | b | c) > 63) badChar(s, i, T, bad);
    out[o++] = (a << 2) | (b >> 4);
    // Canonical form: the bits left over after the last byte must be zero.
    if (rem === 2) {
      if ((b & 0x0f) !== 0) bad('non-zero trailing bits');
    } else {
      out[o++] = ((b << 4) | (c >> 2)) & 0xff;
      if ((c & 0x03) !== 0) bad('non-zero trailing bits');
    }
  }
  return out;
}

function badChar(s: string, from: number, T: Uint8Array, bad: (why: string) => never): never {
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128 || T[c] === 255) bad(`character ${JSON.stringify(s[i])} at ${i}`);
  }
  return bad('invalid character');
}

/** Encodes bytes as padded standard base64. */
export function encodeBase64(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += STD[n >> 18]! + STD[(n >> 12) & 63]! + STD[(n >> 6) & 63]! + STD[n & 63]!;
  }
  if (i < bytes.length) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8);
    out += STD[n >> 18]! + STD[(n >> 12) & 63]!;
    out += i + 1 < bytes.length ? STD[(n >> 6) & 63]! + '=' : '==';
  }
  return out;
}
