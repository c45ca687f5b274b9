/**
 * Strict base64 decoding. protobuf-JSON `bytes` accept the standard and the
 * URL-safe alphabet, padded or not, and (like Go) ignore CR/LF line breaks;
 * nothing else is accepted: no other whitespace, no junk, no mixed
 * alphabets, and the unused trailing bits must be zero.
 * @module
 */
import { SigvetError } from '../errors.js';

const STD = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DECODE = new Int16Array(128).fill(-1);
for (let i = 0; i < 64; i++) DECODE[STD.charCodeAt(i)] = i;
// URL-safe alphabet: '-' and '_' stand for '+' and '/'.
const URL_MINUS = 45;
const URL_UNDERSCORE = 95;

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
  let sawStd = false;
  let sawUrl = false;
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < end; i++) {
    let c = s.charCodeAt(i);
    if (c === URL_MINUS || c === URL_UNDERSCORE) {
      if (alphabet === 'std') bad(`character ${JSON.stringify(s[i])} at ${i}`);
      sawUrl = true;
      c = c === URL_MINUS ? 43 : 47;
    } else if (c === 43 || c === 47) {
      if (alphabet === 'url') bad(`character ${JSON.stringify(s[i])} at ${i}`);
      sawStd = true;
    }
    const v = c < 128 ? DECODE[c]! : -1;
    if (v < 0) bad(`character ${JSON.stringify(s[i])} at ${i}`);
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  if (sawStd && sawUrl) bad('mixes the standard and URL-safe alphabets');
  // Canonical form: the bits left over after the last byte must be zero.
  if (bits > 0 && (acc & ((1 << bits) - 1)) !== 0) bad('non-zero trailing bits');
  return out;
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
