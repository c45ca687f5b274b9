/**
 * Which delegated role may speak for a target path (TUF specification 1.0,
 * section 4.5, `paths` and `path_hash_prefixes`). A path pattern matches
 * segment by segment, as the reference implementation (python-tuf) does: the
 * pattern and the path have the same number of `/`-separated segments, and
 * each path segment matches its pattern segment under shell rules (`*` any
 * run of characters, `?` one character, `[abc]`, `[a-z]`, `[!abc]` a set),
 * so `*` never crosses a `/`.
 * @module
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8 } from '../encoding/bytes.js';
import { toHex } from '../encoding/hex.js';
import type { DelegatedRole } from './web-metadata.js';

/** Longest path or pattern matched; longer ones never match. */
const MAX_PATTERN_CHARS = 1024;

type Token = { readonly k: 'star' } | { readonly k: 'one' } | { readonly k: 'char'; readonly c: string } | { readonly k: 'set'; readonly negated: boolean; readonly ranges: readonly (readonly [string, string])[] };

/** True when `targetPath` matches the shell-style `pattern`, segment by segment. */
export function matchesPathPattern(targetPath: string, pattern: string): boolean {
  if (targetPath.length > MAX_PATTERN_CHARS || pattern.length > MAX_PATTERN_CHARS) return false;
  const path = targetPath.split('/');
  const pat = pattern.split('/');
  if (path.length !== pat.length) return false;
  return path.every((segment, i) => matchSegment(segment, tokenize(pat[i]!)));
}

/** True when the delegation covers `targetPath` (by pattern or by the SHA-256 prefix of the path). */
export function delegationCovers(role: DelegatedRole, targetPath: string): boolean {
  if (role.paths !== undefined) return role.paths.some((p) => matchesPathPattern(targetPath, p));
  if (role.pathHashPrefixes !== undefined) {
    const digest = toHex(sha256(utf8(targetPath)));
    return role.pathHashPrefixes.some((prefix) => digest.startsWith(prefix));
  }
  return false;
}

/** Splits a pattern segment into tokens; a `[` without its `]` is a literal, as in fnmatch. */
function tokenize(p: string): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '*') {
      if (out[out.length - 1]?.k !== 'star') out.push({ k: 'star' });
    } else if (c === '?') out.push({ k: 'one' });
    else if (c === '[') {
      let j = i + 1;
      const negated = p[j] === '!';
      if (negated) j++;
      // A `]` right after `[` or `[!` is a member, not the end.
      const close = p.indexOf(']', p[j] === ']' ? j + 1 : j);
      if (close < 0) {
        out.push({ k: 'char', c });
        continue;
      }
      const members = p.slice(j, close);
      const ranges: [string, string][] = [];
      for (let m = 0; m < members.length; m++) {
        if (members[m + 1] === '-' && m + 2 < members.length) {
          ranges.push([members[m]!, members[m + 2]!]);
          m += 2;
        } else ranges.push([members[m]!, members[m]!]);
      }
      out.push({ k: 'set', negated, ranges });
      i = close;
    } else out.push({ k: 'char', c });
  }
  return out;
}

/** Dynamic programming over (token, character): O(tokens × length), no backtracking blow-up. */
function matchSegment(s: string, tokens: readonly Token[]): boolean {
  // reach[j]: the tokens consumed so far can match exactly s[0..j).
  let reach = new Array<boolean>(s.length + 1).fill(false);
  reach[0] = true;
  for (const t of tokens) {
    const next = new Array<boolean>(s.length + 1).fill(false);
    if (t.k === 'star') {
      let any = false;
      for (let j = 0; j <= s.length; j++) {
        any = any || reach[j]!;
        next[j] = any;
      }
    } else {
      for (let j = 0; j < s.length; j++) {
        if (reach[j] && tokenMatches(t, s[j]!)) next[j + 1] = true;
      }
    }
    reach = next;
  }
  return reach[s.length]!;
}

function tokenMatches(t: Token, c: string): boolean {
  switch (t.k) {
    case 'one':
      return true;
    case 'char':
      return t.c === c;
    case 'set': {
      const inSet = t.ranges.some(([lo, hi]) => c >= lo && c <= hi);
      return inSet !== t.negated;
    }
    default:
      return false;
  }
}
