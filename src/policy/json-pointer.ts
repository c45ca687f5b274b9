/**
 * RFC 6901 JSON Pointers: parsing (strict) and resolution over parsed JSON.
 * Resolution never walks the prototype chain and never throws.
 * @module
 */

/** Parses a pointer into reference tokens; undefined when it is not a valid pointer. */
export function parsePointer(pointer: string): string[] | undefined {
  if (typeof pointer !== 'string') return undefined;
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) return undefined;
  const tokens: string[] = [];
  for (const raw of pointer.slice(1).split('/')) {
    // '~' must be followed by 0 or 1.
    if (/~(?![01])/.test(raw)) return undefined;
    tokens.push(raw.replace(/~1/g, '/').replace(/~0/g, '~'));
  }
  return tokens;
}

/** Escapes one reference token. */
export function escapeToken(token: string): string {
  // Most tokens need no escape: skip the two replacements.
  if (token.indexOf('~') < 0 && token.indexOf('/') < 0) return token;
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Joins tokens into a pointer. */
export function formatPointer(tokens: readonly (string | number)[]): string {
  return tokens.map((t) => `/${escapeToken(String(t))}`).join('');
}

/** Sentinel for "no value at this path". */
export const ABSENT: unique symbol = Symbol('absent');

/** The index a token names (`0` or 1-9 digits without a leading zero), or -1. */
function arrayIndex(t: string): number {
  const n = t.length;
  if (n === 0 || n > 9 || (n > 1 && t.charCodeAt(0) === 0x30)) return -1;
  let v = 0;
  for (let k = 0; k < n; k++) {
    const c = t.charCodeAt(k) - 0x30;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/** Resolves `tokens` in `doc`; {@link ABSENT} when any step is missing. */
export function resolvePointer(doc: unknown, tokens: readonly string[]): unknown {
  let cur: unknown = doc;
  for (const t of tokens) {
    if (Array.isArray(cur)) {
      // Array indices: decimal, no leading zeros, in range ('-' is never present).
      const i = arrayIndex(t);
      if (i < 0) return ABSENT;
      if (i >= cur.length) return ABSENT;
      cur = cur[i];
    } else if (cur !== null && typeof cur === 'object') {
      if (!Object.prototype.hasOwnProperty.call(cur, t)) return ABSENT;
      cur = (cur as Record<string, unknown>)[t];
    } else {
      return ABSENT;
    }
    if (cur === undefined) return ABSENT;
  }
  return cur;
}

/**
 * True when a value counts as absent for policy purposes: missing, `null`,
 * `{}`, `[]` or `""` (SLSA and in-toto: unset, null and empty are equivalent).
 */
export function isAbsent(v: unknown): boolean {
  if (v === ABSENT || v === null || v === undefined || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') {
    // Empty when it has no own enumerable key (what Object.keys lists), found without listing them.
    for (const k in v as object) if (Object.prototype.hasOwnProperty.call(v, k)) return false;
    return true;
  }
  return false;
}
