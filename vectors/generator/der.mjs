// Minimal DER encoder (and a tiny TLV reader) for the test-vector generator.
// Written for this generator only: it builds exactly the structures the
// private Sigstore instance needs and nothing else. It is deliberately
// independent of sigvet's own DER code in src/.

/** Concatenates byte arrays. */
export function concat(...parts) {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function encodeLength(n) {
  if (n < 0x80) return Uint8Array.of(n);
  const bytes = [];
  while (n > 0) {
    bytes.unshift(n & 0xff);
    n = Math.floor(n / 256);
  }
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

/** A TLV with a one-byte tag. */
export function tlv(tag, content) {
  return concat(Uint8Array.of(tag), encodeLength(content.length), content);
}

export const seq = (...items) => tlv(0x30, concat(...items));
export const set = (...items) => tlv(0x31, concat(...items));
export const octets = (bytes) => tlv(0x04, bytes);
export const nul = () => Uint8Array.of(0x05, 0x00);
export const bool = (b) => tlv(0x01, Uint8Array.of(b ? 0xff : 0x00));
export const utf8 = (s) => tlv(0x0c, new TextEncoder().encode(s));
export const printable = (s) => tlv(0x13, new TextEncoder().encode(s));
export const ia5 = (s) => tlv(0x16, new TextEncoder().encode(s));
/** BIT STRING with zero unused bits. */
export const bits = (bytes) => tlv(0x03, concat(Uint8Array.of(0), bytes));
/** Context-specific [n], constructed (EXPLICIT or constructed IMPLICIT). */
export const ctx = (n, content) => tlv(0xa0 | n, content);
/** Context-specific [n], primitive (IMPLICIT of a primitive type). */
export const ctxPrim = (n, content) => tlv(0x80 | n, content);

/** DER INTEGER from a non-negative bigint, or from unsigned big-endian bytes. */
export function int(value) {
  let bytes;
  if (typeof value === 'bigint' || typeof value === 'number') {
    let v = BigInt(value);
    if (v < 0n) throw new Error('negative integers are not needed here');
    const hex = v.toString(16);
    bytes = fromHex(hex.length % 2 ? '0' + hex : hex);
  } else {
    bytes = value;
  }
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  bytes = bytes.subarray(i);
  if (bytes[0] & 0x80) bytes = concat(Uint8Array.of(0), bytes);
  return tlv(0x02, bytes);
}

/** OBJECT IDENTIFIER from dotted text. */
export function oid(dotted) {
  const arcs = dotted.split('.').map((a) => BigInt(a));
  const out = [];
  const first = arcs[0] * 40n + arcs[1];
  const push = (v) => {
    const tmp = [Number(v & 0x7fn)];
    v >>= 7n;
    while (v > 0n) {
      tmp.unshift(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    out.push(...tmp);
  };
  push(first);
  for (const a of arcs.slice(2)) push(a);
  return tlv(0x06, Uint8Array.from(out));
}

const pad2 = (n) => String(n).padStart(2, '0');

/** X.509 Time: UTCTime before 2050, GeneralizedTime from 2050 (RFC 5280 §4.1.2.5). */
export function time(ms) {
  const d = new Date(ms);
  if (d.getUTCMilliseconds() !== 0) throw new Error('certificate times are whole seconds');
  const y = d.getUTCFullYear();
  const rest = `${pad2(d.getUTCMonth() + 1)}${pad2(d.getUTCDate())}${pad2(d.getUTCHours())}${pad2(d.getUTCMinutes())}${pad2(d.getUTCSeconds())}Z`;
  if (y >= 1950 && y < 2050) return tlv(0x17, new TextEncoder().encode(pad2(y % 100) + rest));
  return tlv(0x18, new TextEncoder().encode(String(y).padStart(4, '0') + rest));
}

export function fromHex(hex) {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function toHex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Reads one TLV at `offset` (single-byte tags only; enough for X.509).
 * Returns { tag, start, contentStart, end }.
 */
export function readTlv(bytes, offset = 0) {
  const tag = bytes[offset];
  let p = offset + 1;
  let len = bytes[p++];
  if (len & 0x80) {
    const n = len & 0x7f;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + bytes[p++];
  }
  const end = p + len;
  if (tag === undefined || end > bytes.length) throw new Error('truncated DER');
  return { tag, start: offset, contentStart: p, end };
}

/** The child TLVs of a constructed TLV. */
export function children(bytes, node) {
  const out = [];
  let p = node.contentStart;
  while (p < node.end) {
    const c = readTlv(bytes, p);
    out.push(c);
    p = c.end;
  }
  return out;
}
