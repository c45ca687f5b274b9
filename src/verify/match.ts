/**
 * Whole-string matching for expected identities. A plain string matches
 * only itself; `{ regex }` must match the entire value, as if written
 * `^(?:regex)$`, never a substring. (The policy engine brings a linear-time
 * matcher; this is for the caller's own, trusted, pattern.)
 * @module
 */
import { SigvetError } from '../errors.js';
import type { StringMatcher } from './options.js';

const compiled = new Map<string, RegExp>();

/** Longest identity pattern accepted. */
export const MAX_PATTERN_LENGTH = 1024;

/**
 * True when `value` matches `m` as a whole string.
 * @param maxPatternLength the longest `{ regex }` accepted ({@link MAX_PATTERN_LENGTH} unless lower).
 * @throws SigvetError `LIMIT` (check `limit.patternLength`) for a longer pattern; `INVALID_ARGUMENT` for a bad one.
 */
export function matchesWhole(m: StringMatcher, value: string, maxPatternLength: number = MAX_PATTERN_LENGTH): boolean {
  if (typeof m === 'string') return m === value;
  if (m === null || typeof m !== 'object' || typeof m.regex !== 'string') {
    throw new SigvetError('INVALID_ARGUMENT', 'a matcher is a string or { regex: string }', { check: 'input.matcher' });
  }
  const max = Math.min(maxPatternLength, MAX_PATTERN_LENGTH);
  if (m.regex.length > max) {
    throw new SigvetError('LIMIT', `a regular expression of ${m.regex.length} characters exceeds the limit of ${max} (limits.patternLength)`, {
      check: 'limit.patternLength',
      expected: `<= ${max}`,
      actual: String(m.regex.length),
    });
  }
  let re = compiled.get(m.regex);
  if (!re) {
    try {
      // The pattern must be a whole expression by itself: otherwise "a)|(b"
      // would close the anchoring group and match any string starting with a.
      new RegExp(m.regex, 'u');
      re = new RegExp(`^(?:${m.regex})$`, 'u');
    } catch (e) {
      throw new SigvetError('INVALID_ARGUMENT', `invalid regular expression ${JSON.stringify(m.regex)}`, { check: 'input.matcher', cause: e });
    }
    if (compiled.size < 256) compiled.set(m.regex, re);
  }
  return re.test(value);
}
