/**
 * JSON Pointers (RFC 6901) for error locations: every attestation error
 * names the offending field as a pointer into the statement, e.g.
 * `/subject/0/digest/sha256` or `/predicate/runDetails/builder/id`.
 * @module
 */

/** Escapes one reference token (`~` → `~0`, `/` → `~1`). */
export function escapePointerToken(token: string | number): string {
  return String(token).replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Appends reference tokens to a pointer (`''` is the whole document). */
export function pointerJoin(base: string, ...tokens: readonly (string | number)[]): string {
  let out = base;
  for (const t of tokens) out += `/${escapePointerToken(t)}`;
  return out;
}

/** A pointer for messages: the empty pointer (the whole document) reads as `/`. */
export function displayPointer(pointer: string): string {
  return pointer === '' ? '/' : pointer;
}
