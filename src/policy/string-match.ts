/**
 * Compiled string matchers. Every form matches the whole string, except the
 * explicit `search`. Regex and glob patterns run on the linear-time
 * matcher (src/policy/regex), never on a backtracking engine.
 * @module
 */
import type { GlobDialect, StringMatch } from './document.js';
import { LinearRegex, RegexSyntaxError } from './regex/linear-regex.js';
import { and, type Status } from './tri.js';

/** A compiled matcher. */
export interface CompiledMatch {
  readonly spec: StringMatch;
  /** `indeterminate` when a pattern or input is beyond a limit. */
  test(value: string): Status;
}

/** Limits applied when matching. */
export interface MatchLimits {
  readonly maxPatternLength: number;
  readonly maxStringLength: number;
}

/** A pattern problem found at compile time. */
export class MatchCompileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MatchCompileError';
  }
}

function escapeRegex(s: string): string {
  return s.replace(/[\\^$.|?*+()[\]{}]/g, (c) => `\\${c}`);
}

/** The policy-controller glob character set (pkg/apis/glob). */
const PC_VALID_GLOB = /^[a-zA-Z0-9\-_:/*.]+$/;

/** Translates a glob into an RE2 pattern (matched whole) for `dialect`. */
export function globToRegex(glob: string, dialect: GlobDialect): string {
  let g = glob;
  if (dialect === 'policy-controller') {
    // policy-controller rewrites these two before matching.
    if (g === '*/*') g = 'index.docker.io/*/*';
    if (g === '*') g = 'index.docker.io/library/*';
    if (!PC_VALID_GLOB.test(g)) throw new MatchCompileError(`invalid policy-controller glob ${JSON.stringify(glob)}`);
  }
  let out = '';
  for (let i = 0; i < g.length; i++) {
    const c = g[i]!;
    if (c === '*') {
      if (dialect !== 'kyverno' && g[i + 1] === '*') {
        out += '.*';
        i++;
      } else {
        out += dialect === 'kyverno' ? '.*' : '[^/]*';
      }
    } else if (c === '?' && dialect !== 'policy-controller') {
      out += dialect === 'kyverno' ? '.' : '[^/]';
    } else {
      out += escapeRegex(c);
    }
  }
  return `(?s)${out}`;
}

/** A readable one-line description of a matcher. */
export function describeMatch(m: StringMatch): string {
  if ('exact' in m) return `exactly ${JSON.stringify(m.exact)}`;
  if ('prefix' in m) return `prefix ${JSON.stringify(m.prefix)}`;
  if ('suffix' in m) return `suffix ${JSON.stringify(m.suffix)}`;
  if ('glob' in m) return `glob ${JSON.stringify(m.glob)} (${m.dialect})`;
  if ('regex' in m) return `regex ${JSON.stringify(m.regex)}${m.ignoreCase ? ' (ignore case)' : ''}`;
  if ('search' in m) return `unanchored search ${JSON.stringify(m.search)}${m.ignoreCase ? ' (ignore case)' : ''}`;
  if ('allOf' in m) return `all of [${m.allOf.map(describeMatch).join(', ')}]`;
  return `any of [${m.anyOf.map(describeMatch).join(', ')}]`;
}

function patternMatcher(spec: StringMatch, source: string, mode: 'whole' | 'search', ignoreCase: boolean, limits: MatchLimits): CompiledMatch {
  if (source.length > limits.maxPatternLength) {
    return { spec, test: () => 'indeterminate' };
  }
  let re: LinearRegex;
  try {
    re = LinearRegex.compile(source, { mode, ignoreCase });
  } catch (e) {
    if (e instanceof RegexSyntaxError) throw new MatchCompileError(`invalid pattern ${JSON.stringify(source)}: ${e.message}`);
    throw e;
  }
  return {
    spec,
    test: (v) => (v.length > limits.maxStringLength ? 'indeterminate' : re.test(v) ? 'pass' : 'fail'),
  };
}

/**
 * Compiles a matcher.
 * @throws MatchCompileError for an invalid pattern.
 */
export function compileMatch(spec: StringMatch, limits: MatchLimits): CompiledMatch {
  // The literal is read once here, not from the policy document on every test.
  if ('exact' in spec) {
    const exact = spec.exact;
    return { spec, test: (v) => (v === exact ? 'pass' : 'fail') };
  }
  if ('prefix' in spec) {
    const prefix = spec.prefix;
    return { spec, test: (v) => (v.startsWith(prefix) ? 'pass' : 'fail') };
  }
  if ('suffix' in spec) {
    const suffix = spec.suffix;
    return { spec, test: (v) => (v.endsWith(suffix) ? 'pass' : 'fail') };
  }
  if ('glob' in spec) {
    if (spec.glob.length > limits.maxPatternLength) return { spec, test: () => 'indeterminate' };
    return patternMatcher(spec, globToRegex(spec.glob, spec.dialect), 'whole', false, limits);
  }
  if ('regex' in spec) return patternMatcher(spec, spec.regex, 'whole', spec.ignoreCase === true, limits);
  if ('search' in spec) return patternMatcher(spec, spec.search, 'search', spec.ignoreCase === true, limits);
  if ('allOf' in spec) {
    const all = spec.allOf.map((m) => compileMatch(m, limits));
    return { spec, test: (v) => and(all.map((p) => p.test(v))) };
  }
  const parts = spec.anyOf.map((m) => compileMatch(m, limits));
  return {
    spec,
    test: (v) => {
      let maybe = false;
      for (const p of parts) {
        const r = p.test(v);
        if (r === 'pass') return 'pass';
        if (r === 'indeterminate') maybe = true;
      }
      return maybe ? 'indeterminate' : 'fail';
    },
  };
}
