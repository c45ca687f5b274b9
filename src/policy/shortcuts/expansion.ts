/**
 * What a typed shortcut expands to: plain conditions, each tagged with the
 * shortcut field it came from (so the verdict points at that field).
 * @module
 */
import type { Condition } from '../document.js';

/** One generated condition. */
export interface ShortcutCondition {
  /** The shortcut field, e.g. `builderId` (JSON Pointer tokens under the shortcut). */
  readonly field: readonly string[];
  readonly condition: Condition;
}

/** Escapes text for use inside an RE2 pattern. */
export function escapeRegex(s: string): string {
  return s.replace(/[\\^$.|?*+()[\]{}]/g, (c) => `\\${c}`);
}

/** A pointer from tokens. */
export function ptr(...tokens: string[]): string {
  return tokens.map((t) => `/${t.replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}
