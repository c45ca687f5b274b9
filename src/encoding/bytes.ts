/**
 * Byte helpers shared by every module.
 * @module
 */

/** Constant-shape byte comparison (lengths first, then every byte). */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i]! ^ b[i]!;
  return d === 0;
}

/** Concatenates byte arrays. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
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

const encoder = new TextEncoder();
const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** UTF-8 encodes a string. */
export function utf8(s: string): Uint8Array {
  return encoder.encode(s);
}

/** Decodes UTF-8, throwing on invalid sequences (caller wraps in a typed error). */
export function utf8DecodeStrict(b: Uint8Array): string {
  return strictDecoder.decode(b);
}

/** Decodes bytes that must be ASCII (IA5String, PrintableString); null if any byte is ≥ 0x80. */
export function asciiDecode(b: Uint8Array): string | null {
  let s = '';
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if (c >= 0x80) return null;
    s += String.fromCharCode(c);
  }
  return s;
}
