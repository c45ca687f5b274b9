/**
 * Test-side DER surgery, independent of sigvet's reader: walk an encoding
 * by child indices and replace, remove or duplicate one element, with every
 * enclosing length recomputed (minimally). Used to build malformed inputs
 * from real certificates.
 */
import { cat, tlv } from '../x509/pki.js';

/** One TLV located in a buffer. */
export interface Tlv {
  readonly tag: number;
  readonly start: number;
  readonly contentStart: number;
  readonly end: number;
}

/** Reads the TLV at `off` (definite lengths only; test inputs are DER). */
export function readTlv(buf: Uint8Array, off: number): Tlv {
  const tag = buf[off]!;
  let p = off + 1;
  const first = buf[p++]!;
  let len = first;
  if (first >= 0x80) {
    len = 0;
    for (let i = 0; i < (first & 0x7f); i++) len = len * 256 + buf[p++]!;
  }
  return { tag, start: off, contentStart: p, end: p + len };
}

/** The children of a constructed TLV. */
export function childrenOf(buf: Uint8Array, el: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let off = el.contentStart; off < el.end; ) {
    const k = readTlv(buf, off);
    out.push(k);
    off = k.end;
  }
  return out;
}

/** The element at `path` (child indices from the outermost element). */
export function at(buf: Uint8Array, path: readonly number[]): Tlv {
  let el = readTlv(buf, 0);
  for (const i of path) el = childrenOf(buf, el)[i]!;
  return el;
}

/** The raw bytes of the element at `path`. */
export function rawAt(buf: Uint8Array, path: readonly number[]): Uint8Array {
  const el = at(buf, path);
  return buf.slice(el.start, el.end);
}

/**
 * Replaces the element at `path` with `fn(raw)`, which may return nothing
 * (removal), one element, or several (insertion); enclosing lengths are
 * re-encoded minimally.
 */
export function edit(buf: Uint8Array, path: readonly number[], fn: (raw: Uint8Array) => Uint8Array): Uint8Array {
  const go = (el: Tlv, rest: readonly number[]): Uint8Array => {
    if (rest.length === 0) return fn(buf.slice(el.start, el.end));
    const kids = childrenOf(buf, el);
    if (rest[0]! >= kids.length) throw new Error(`no child ${rest[0]} at this path`);
    return tlv(el.tag, ...kids.map((k, i) => (i === rest[0] ? go(k, rest.slice(1)) : buf.slice(k.start, k.end))));
  };
  return go(readTlv(buf, 0), path);
}

/** Re-encodes an element's length in a non-minimal long form (0x81/0x82 ...). */
export function longFormLength(raw: Uint8Array): Uint8Array {
  const el = readTlv(raw, 0);
  const len = el.end - el.contentStart;
  const content = raw.slice(el.contentStart, el.end);
  const lenBytes = len < 0x100 ? Uint8Array.of(0x81, len) : Uint8Array.of(0x82, len >> 8, len & 0xff);
  // 0x81 for a length below 128, or 0x82 with a leading zero byte otherwise: both non-minimal.
  const nonMinimal = len < 0x80 ? lenBytes : Uint8Array.of(0x80 | (lenBytes.length), 0, ...lenBytes.subarray(1));
  return cat(Uint8Array.of(el.tag), nonMinimal, content);
}
