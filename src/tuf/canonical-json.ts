/**
 * OLPC canonical JSON, the form TUF metadata is signed in (securesystemslib's
 * `encode_canonical`, which python-tuf, go-tuf, tuf-js and the Sigstore
 * root-signing tooling all produce): object keys sorted by code point, no
 * whitespace, integers only, and strings escaping nothing but `\` and `"`
 * (every other character, newlines included, is written raw as UTF-8).
 *
 * This is not RFC 8785 (JCS): JCS escapes control characters and sorts keys
 * by UTF-16 code unit, so a document with a PEM key (raw newlines) or
 * non-BMP keys would hash differently.
 * @module
 */
import { SigvetError } from '../errors.js';
import { utf8 } from '../encoding/bytes.js';
import type { JsonValue } from '../encoding/json.js';

/** Deepest nesting encoded; parsed metadata is already bounded more tightly. */
const MAX_DEPTH = 64;

/**
 * Encodes a parsed JSON value in OLPC canonical form.
 *
 * @throws SigvetError `PARSE` (check `json.canonical`) for values canonical
 *   JSON cannot represent: non-integral or non-finite numbers, strings with
 *   unpaired surrogates (they have no UTF-8 encoding), nesting deeper than 64.
 */
export function canonicalJson(value: JsonValue): string {
  const parts: string[] = [];
  encode(value, parts, 0);
  return parts.join('');
}

/** {@link canonicalJson} as the UTF-8 bytes a signature covers. */
export function canonicalJsonBytes(value: JsonValue): Uint8Array {
  return utf8(canonicalJson(value));
}

function encode(v: JsonValue, out: string[], depth: number): void {
  if (depth > MAX_DEPTH) fail(`nesting deeper than ${MAX_DEPTH}`);
  if (v === null) out.push('null');
  else if (v === true) out.push('true');
  else if (v === false) out.push('false');
  else if (typeof v === 'bigint') out.push(v.toString());
  else if (typeof v === 'number') {
    if (!Number.isInteger(v)) fail(`${String(v)} is not an integer`);
    // String(-0) is "0", as Python writes the integer that "-0" parses to.
    out.push(String(v));
  } else if (typeof v === 'string') out.push(encodeString(v));
  else if (Array.isArray(v)) {
    out.push('[');
    v.forEach((item, i) => {
      if (i > 0) out.push(',');
      encode(item, out, depth + 1);
    });
    out.push(']');
  } else {
    const keys = Object.keys(v).sort(compareCodePoints);
    out.push('{');
    keys.forEach((k, i) => {
      if (i > 0) out.push(',');
      out.push(encodeString(k), ':');
      encode(v[k]!, out, depth + 1);
    });
    out.push('}');
  }
}

/** `"` + the string with only `\` and `"` escaped + `"`. */
function encodeString(s: string): string {
  if (!wellFormed(s)) fail('a string holds an unpaired surrogate');
  return `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** True when every UTF-16 surrogate is part of a pair (the string has a UTF-8 encoding). */
function wellFormed(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdfff) continue;
    if (c >= 0xdc00) return false;
    const d = s.charCodeAt(i + 1);
    if (!(d >= 0xdc00 && d <= 0xdfff)) return false;
    i++;
  }
  return true;
}

/**
 * Orders strings by Unicode code point, as Python's `sorted` does. Plain
 * `<` compares UTF-16 code units, which puts U+10000 and above (surrogate
 * pairs) before U+E000–U+FFFF.
 */
export function compareCodePoints(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const ca = a.codePointAt(i)!;
    const cb = b.codePointAt(j)!;
    if (ca !== cb) return ca < cb ? -1 : 1;
    i += ca > 0xffff ? 2 : 1;
    j += cb > 0xffff ? 2 : 1;
  }
  return i < a.length ? 1 : j < b.length ? -1 : 0;
}

function fail(msg: string): never {
  throw new SigvetError('PARSE', `canonical JSON: ${msg}`, { check: 'json.canonical' });
}
