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
/** Flag bits of {@link T}: the character is one of the standard (`+/`) or URL-safe (`-_`) extras. */
const F_STD = 0x40;
const F_URL = 0x80;
/**
 * One table for both alphabets, so a string is decoded in a single pass:
 * char code (low byte) → 6-bit value, with {@link F_STD} / {@link F_URL}
 * marking the alphabet-specific characters and 0xff (both flags) anything
 * outside either alphabet.
 */
const T = new Uint8Array(256).fill(0xff);
for (let i = 0; i < 64; i++) {
  T[STD.charCodeAt(i)] = i | (i >= 62 ? F_STD : 0);
  T[URL.charCodeAt(i)] = i | (i >= 62 ? F_URL : 0);
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
  const outLen = Math.floor(end / 4) * 3 + (rem === 0 ? 0 : rem - 1);
  const out = new Uint8Array(outLen);
  // flags: OR of every table entry (alphabet marks; 0xff for a bad char);
  // high: OR of every char code, so a code above 0xff (which the table's
  // low-byte index would alias) is caught once, after the loop.
  let flags = 0;
  let high = 0;
  let o = 0;
  let i = 0;
  const full = end - rem;
  for (; i < full; i += 4) {
    const c0 = s.charCodeAt(i);
    const c1 = s.charCodeAt(i + 1);
    const c2 = s.charCodeAt(i + 2);
    const c3 = s.charCodeAt(i + 3);
    high |= c0 | c1 | c2 | c3;
    const a = T[c0 & 0xff]!;
    const b = T[c1 & 0xff]!;
    const c = T[c2 & 0xff]!;
    const d = T[c3 & 0xff]!;
    flags |= a | b | c | d;
    out[o++] = ((a & 63) << 2) | ((b & 63) >> 4);
    out[o++] = (((b & 63) << 4) | ((c & 63) >> 2)) & 0xff;
    out[o++] = (((c & 63) << 6) | (d & 63)) & 0xff;
  }
  let last = 0;
  if (rem > 0) {
    const c0 = s.charCodeAt(i);
    const c1 = s.charCodeAt(i + 1);
    const c2 = rem === 3 ? s.charCodeAt(i + 2) : 65; /* 'A' */
    high |= c0 | c1 | c2;
    const a = T[c0 & 0xff]!;
    const b = T[c1 & 0xff]!;
    const c = T[c2 & 0xff]!;
    flags |= a | b | c;
    out[o++] = ((a & 63) << 2) | ((b & 63) >> 4);
    if (rem === 2) {
      last = b & 0x0f;
    } else {
      out[o++] = (((b & 63) << 4) | ((c & 63) >> 2)) & 0xff;
      last = c & 0x03;
    }
  }
  if (high > 0xff || (flags & (F_STD | F_URL)) === (F_STD | F_URL)) {
    // A character outside both alphabets, or both alphabets in one string:
    // find which, for the message.
    badChar(s, end, bad);
    bad('mixes the standard and URL-safe alphabets');
  }
  if ((flags & F_URL) !== 0 && alphabet === 'std') bad('URL-safe characters in standard base64');
  if ((flags & F_STD) !== 0 && alphabet === 'url') bad('standard characters in URL-safe base64');
  // Canonical form: the bits left over after the last byte must be zero.
  if (last !== 0) bad('non-zero trailing bits');
  return out;
}

function badChar(s: string, end: number, bad: (why: string) => never): void {
  for (let i = 0; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c > 0xff || T[c] === 0xff) bad(`character ${JSON.stringify(s[i])} at ${i}`);
  }
}

/** Length of the padded standard base64 of `n` bytes. */
export function base64Length(n: number): number {
  return Math.ceil(n / 3) * 4;
}

const STD_CODES = Uint8Array.from(STD, (c) => c.charCodeAt(0));

/**
 * Writes the padded standard base64 of `bytes` as ASCII into `out` at
 * `offset` (which must have {@link base64Length} bytes free); returns the
 * offset after it. For signed payloads built as bytes, without an
 * intermediate string.
 */
export function encodeBase64Into(bytes: Uint8Array, out: Uint8Array, offset: number): number {
  let o = offset;
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out[o++] = STD_CODES[n >> 18]!;
    out[o++] = STD_CODES[(n >> 12) & 63]!;
    out[o++] = STD_CODES[(n >> 6) & 63]!;
    out[o++] = STD_CODES[n & 63]!;
  }
  if (i < bytes.length) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8);
    out[o++] = STD_CODES[n >> 18]!;
    out[o++] = STD_CODES[(n >> 12) & 63]!;
    out[o++] = i + 1 < bytes.length ? STD_CODES[(n >> 6) & 63]! : 61;
    out[o++] = 61; // '='
  }
  return o;
}

/** Encodes bytes as padded standard base64. */
export function encodeBase64(bytes: Uint8Array): string {
  const ascii = new Uint8Array(base64Length(bytes.length));
  encodeBase64Into(bytes, ascii, 0);
  // Chunks keep String.fromCharCode's argument count bounded.
  let out = '';
  for (let i = 0; i < ascii.length; i += 8192) out += String.fromCharCode(...ascii.subarray(i, i + 8192));
  return out;
}
