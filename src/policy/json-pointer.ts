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
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Joins tokens into a pointer. */
export function formatPointer(tokens: readonly (string | number)[]): string {
  return tokens.map((t) => `/${escapeToken(String(t))}`).join('');
}

/** Sentinel for "no value at this path". */
export const ABSENT: unique symbol = Symbol('absent');

/** Resolves `tokens` in `doc`; {@link ABSENT} when any step is missing. */
export function resolvePointer(doc: unknown, tokens: readonly string[]): unknown {
  let cur: unknown = doc;
  for (const t of tokens) {
    if (Array.isArray(cur)) {
      // Array indices: decimal, no leading zeros, in range ('-' is never present).
      if (!/^(0|[1-9][0-9]{0,8})$/.test(t)) return ABSENT;
      const i = Number(t);
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
  if (typeof v === 'object') return Object.keys(v as object).length === 0;
  return false;
}
