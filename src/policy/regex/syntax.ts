/**
 * Parser for the RE2 regular-expression dialect (the one Go-based policies
 * use), producing a small syntax tree for the linear-time matcher.
 *
 * Accepted: literals, `.`, classes (`[a-z]`, `[^…]`, POSIX `[[:alpha:]]`,
 * Perl `\d\s\w` and negations, Unicode `\pL` / `\p{Greek}`), anchors
 * `^ $ \A \z \b \B`, groups `(…)`, `(?:…)`, `(?P<n>…)`, `(?<n>…)`,
 * flags `(?i) (?m) (?s) (?U)` and `(?flags:…)`, repetition `* + ? {n} {n,}
 * {n,m}` (greedy or lazy), `\Q…\E`, `\x41`, `\x{263a}`.
 *
 * Rejected with a message naming the construct: backreferences, lookahead
 * and lookbehind, atomic groups, possessive or nested repetition, `\Z`,
 * `\C`, and any escape RE2 does not define. Nothing here backtracks.
 * @module
 */

/** A problem in a pattern, with the offset where it was found. */
export class RegexSyntaxError extends Error {
  /** UTF-16 offset in the pattern. */
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(`${message} (at offset ${offset})`);
    this.name = 'RegexSyntaxError';
    this.offset = offset;
  }
}

/** A predicate over one code point. */
export type CharTest = (cp: number) => boolean;

/** Zero-width assertions. */
export type AssertKind = 'beginText' | 'endText' | 'beginLine' | 'endLine' | 'wordBoundary' | 'notWordBoundary';

/** The syntax tree. */
export type RegexNode =
  | { readonly type: 'empty' }
  | { readonly type: 'char'; readonly test: CharTest }
  | { readonly type: 'concat'; readonly items: readonly RegexNode[] }
  | { readonly type: 'alternate'; readonly items: readonly RegexNode[] }
  | { readonly type: 'repeat'; readonly node: RegexNode; readonly min: number; readonly max: number /* -1 = unbounded */ }
  | { readonly type: 'assert'; readonly kind: AssertKind };

/** Largest `{n,m}` bound RE2 accepts. */
export const MAX_REPEAT = 1000;

/** Maximum nesting of groups (bounds the parser's recursion). */
const MAX_DEPTH = 100;

interface Flags {
  i: boolean;
  m: boolean;
  s: boolean;
}

type Range = readonly [number, number];

const DIGIT: Range[] = [[0x30, 0x39]];
const SPACE: Range[] = [[0x09, 0x0a], [0x0c, 0x0d], [0x20, 0x20]];
const WORD: Range[] = [[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]];

/** POSIX classes (ASCII, as RE2 defines them). */
const POSIX: Record<string, Range[]> = {
  alnum: [[0x30, 0x39], [0x41, 0x5a], [0x61, 0x7a]],
  alpha: [[0x41, 0x5a], [0x61, 0x7a]],
  ascii: [[0x00, 0x7f]],
  blank: [[0x09, 0x09], [0x20, 0x20]],
  cntrl: [[0x00, 0x1f], [0x7f, 0x7f]],
  digit: DIGIT,
  graph: [[0x21, 0x7e]],
  lower: [[0x61, 0x7a]],
  print: [[0x20, 0x7e]],
  punct: [[0x21, 0x2f], [0x3a, 0x40], [0x5b, 0x60], [0x7b, 0x7e]],
  space: [[0x09, 0x0d], [0x20, 0x20]],
  upper: [[0x41, 0x5a]],
  word: WORD,
  xdigit: [[0x30, 0x39], [0x41, 0x46], [0x61, 0x66]],
};

function inRanges(ranges: readonly Range[], cp: number): boolean {
  for (const [lo, hi] of ranges) if (cp >= lo && cp <= hi) return true;
  return false;
}

/** True for RE2's ASCII word characters (used by `\b`). */
export function isWordChar(cp: number): boolean {
  return inRanges(WORD, cp);
}

/** Simple case variants of a code point (itself, lower, upper, when single code points). */
function caseVariants(cp: number): number[] {
  const s = String.fromCodePoint(cp);
  const out = [cp];
  for (const v of [s.toLowerCase(), s.toUpperCase()]) {
    const c = v.codePointAt(0)!;
    if (v.length === String.fromCodePoint(c).length && !out.includes(c)) out.push(c);
  }
  return out;
}

function foldTest(test: CharTest): CharTest {
  return (cp) => {
    if (test(cp)) return true;
    for (const v of caseVariants(cp)) if (v !== cp && test(v)) return true;
    return false;
  };
}

const propertyCache = new Map<string, RegExp>();

/**
 * A Unicode class test. Membership of one code point is decided by the
 * runtime's own property tables (a single-character, anchored RegExp,
 * which cannot backtrack), so no tables are shipped here.
 */
function unicodeProperty(name: string, offset: number): CharTest {
  if (name === 'Any') return () => true;
  if (!/^[A-Za-z_]{1,40}$/.test(name)) throw new RegexSyntaxError(`invalid Unicode class \\p{${name}}`, offset);
  let re = propertyCache.get(name);
  if (!re) {
    // RE2 knows general categories (one or two letters) and scripts, nothing else.
    const source = /^[A-Z][a-z]?$/.test(name) ? `\\p{${name}}` : `\\p{Script=${name}}`;
    try {
      re = new RegExp(`^${source}$`, 'u');
    } catch {
      throw new RegexSyntaxError(`unknown Unicode class \\p{${name}}`, offset);
    }
    if (propertyCache.size < 256) propertyCache.set(name, re);
  }
  const r = re;
  return (cp) => r.test(String.fromCodePoint(cp));
}

function rangesTest(ranges: readonly Range[]): CharTest {
  if (ranges.length === 1) {
    const [lo, hi] = ranges[0]!;
    return lo === hi ? (cp) => cp === lo : (cp) => cp >= lo && cp <= hi;
  }
  return (cp) => inRanges(ranges, cp);
}

function not(t: CharTest): CharTest {
  return (cp) => !t(cp);
}

function anyOfTests(tests: readonly CharTest[]): CharTest {
  return (cp) => {
    for (const t of tests) if (t(cp)) return true;
    return false;
  };
}

/**
 * Parses `pattern` in the RE2 dialect.
 * @param options.ignoreCase starts the pattern with `(?i)` in effect.
 * @throws RegexSyntaxError on anything outside the dialect.
 */
export function parseRegex(pattern: string, options: { ignoreCase?: boolean } = {}): RegexNode {
  const p = new Parser(pattern, { i: options.ignoreCase === true, m: false, s: false });
  const node = p.alternation(0);
  if (p.pos < pattern.length) {
    // Only an unmatched ')' stops the top level early.
    throw new RegexSyntaxError('unexpected )', p.pos);
  }
  return node;
}

class Parser {
  pos = 0;
  constructor(
    readonly src: string,
    public flags: Flags,
  ) {}

  fail(msg: string, at = this.pos): never {
    throw new RegexSyntaxError(msg, at);
  }

  peek(): string | undefined {
    return this.src[this.pos];
  }

  /** The next code point, consumed. */
  nextCodePoint(): number {
    const cp = this.src.codePointAt(this.pos);
    if (cp === undefined) this.fail('unexpected end of pattern');
    this.pos += cp > 0xffff ? 2 : 1;
    return cp;
  }

  alternation(depth: number): RegexNode {
    if (depth > MAX_DEPTH) this.fail('groups nested too deeply');
    const saved = { ...this.flags };
    const items: RegexNode[] = [this.concatenation(depth)];
    while (this.peek() === '|') {
      this.pos++;
      items.push(this.concatenation(depth));
    }
    // Flags set with (?i) inside a group end with the group.
    this.flags = saved;
    return items.length === 1 ? items[0]! : { type: 'alternate', items };
  }

  concatenation(depth: number): RegexNode {
    const items: RegexNode[] = [];
    for (;;) {
      const c = this.peek();
      if (c === undefined || c === '|' || c === ')') break;
      const start = this.pos;
      let atom = this.atom(depth);
      if (atom === null) continue; // a flag group like (?i) or \Q\E produced nothing
      atom = this.repetition(atom, start);
      if (Array.isArray(atom)) items.push(...atom);
      else items.push(atom);
    }
    if (items.length === 0) return { type: 'empty' };
    return items.length === 1 ? items[0]! : { type: 'concat', items };
  }

  repetition(atom: RegexNode | RegexNode[], start: number): RegexNode | RegexNode[] {
    let q = this.quantifier();
    if (q === null) return atom;
    if (Array.isArray(atom)) {
      // \Q…\E yields several literals; a quantifier applies to the last one.
      const last = atom.pop()!;
      return [...atom, this.repetition(last, start) as RegexNode];
    }
    let node: RegexNode = { type: 'repeat', node: atom, min: q.min, max: q.max };
    if (this.peek() === '?') this.pos++; // lazy: same language, so same yes/no answer
    q = this.quantifier(true);
    if (q !== null) this.fail('invalid nested repetition operator (possessive and stacked quantifiers are not RE2)', start);
    return node;
  }

  quantifier(probeOnly = false): { min: number; max: number } | null {
    const c = this.peek();
    if (c === '*' || c === '+' || c === '?') {
      if (probeOnly) return { min: 0, max: 0 };
      this.pos++;
      return c === '*' ? { min: 0, max: -1 } : c === '+' ? { min: 1, max: -1 } : { min: 0, max: 1 };
    }
    if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.pos, this.pos + 16));
      if (!m) return null; // RE2 reads a '{' that starts no repeat as a literal
      if (probeOnly) return { min: 0, max: 0 };
      const min = Number(m[1]);
      const max = m[2] === undefined ? min : m[3] === '' ? -1 : Number(m[3]);
      if (min > MAX_REPEAT || max > MAX_REPEAT) this.fail(`repeat count above ${MAX_REPEAT}`);
      if (max !== -1 && max < min) this.fail('invalid repeat count: max below min');
      this.pos += m[0].length;
      return { min, max };
    }
    return null;
  }

  literal(cp: number): RegexNode {
    if (this.flags.i) {
      const vs = caseVariants(cp);
      if (vs.length > 1) return { type: 'char', test: (c) => vs.includes(c) };
    }
    return { type: 'char', test: (c) => c === cp };
  }

  classNode(test: CharTest): RegexNode {
    return { type: 'char', test: this.flags.i ? foldTest(test) : test };
  }

  atom(depth: number): RegexNode | RegexNode[] | null {
    const start = this.pos;
    const c = this.peek()!;
    switch (c) {
      case '*':
      case '+':
      case '?':
        return this.fail('missing argument to repetition operator');
      case '(':
        return this.group(depth);
      case '[':
        return this.classNode(this.charClass());
      case '.': {
        this.pos++;
        return { type: 'char', test: this.flags.s ? () => true : (cp) => cp !== 0x0a };
      }
      case '^':
        this.pos++;
        return { type: 'assert', kind: this.flags.m ? 'beginLine' : 'beginText' };
      case '$':
        this.pos++;
        return { type: 'assert', kind: this.flags.m ? 'endLine' : 'endText' };
      case '\\':
        return this.escape(start);
      default:
        return this.literal(this.nextCodePoint());
    }
  }

  group(depth: number): RegexNode | null {
    const start = this.pos;
    this.pos++; // (
    if (this.peek() === '?') {
      const rest = this.src.slice(this.pos + 1, this.pos + 3);
      if (rest.startsWith('=') || rest.startsWith('!')) this.fail('lookahead is not supported (RE2 dialect)', start);
      if (rest === '<=' || rest === '<!') this.fail('lookbehind is not supported (RE2 dialect)', start);
      if (rest.startsWith('>')) this.fail('atomic groups are not supported (RE2 dialect)', start);
      if (rest.startsWith('(')) this.fail('conditionals are not supported (RE2 dialect)', start);
      if (rest.startsWith('#')) this.fail('comments are not supported (RE2 dialect)', start);
      const named = /^\?P?<([A-Za-z_][A-Za-z0-9_]{0,63})>/.exec(this.src.slice(this.pos, this.pos + 70));
      if (named) {
        this.pos += named[0].length;
        return this.groupBody(depth, start);
      }
      if (rest.startsWith('P=') || rest.startsWith('P>')) this.fail('backreferences are not supported (RE2 dialect)', start);
      const fm = /^\?([imsU]*)(?:-([imsU]*))?([:)])/.exec(this.src.slice(this.pos, this.pos + 16));
      if (!fm || (fm[3] === ')' && fm[1] === '' && fm[2] === undefined)) this.fail('invalid or unsupported group syntax', start);
      if (fm[2] === '') this.fail('invalid flag group: empty negation', start);
      this.pos += fm[0].length;
      const newFlags = { ...this.flags };
      for (const f of fm[1]!) if (f !== 'U') newFlags[f as keyof Flags] = true;
      for (const f of fm[2] ?? '') if (f !== 'U') newFlags[f as keyof Flags] = false;
      if (fm[3] === ')') {
        // (?i): flags for the rest of the enclosing group.
        this.flags = newFlags;
        return null;
      }
      const outer = this.flags;
      this.flags = newFlags;
      const body = this.groupBody(depth, start);
      this.flags = outer;
      return body;
    }
    return this.groupBody(depth, start);
  }

  groupBody(depth: number, start: number): RegexNode {
    const node = this.alternation(depth + 1);
    if (this.peek() !== ')') this.fail('missing closing )', start);
    this.pos++;
    return node;
  }

  /** An escape outside a class. */
  escape(start: number): RegexNode | RegexNode[] | null {
    this.pos++; // backslash
    const c = this.peek();
    if (c === undefined) this.fail('trailing backslash at end of pattern', start);
    switch (c) {
      case 'A':
        this.pos++;
        return { type: 'assert', kind: 'beginText' };
      case 'z':
        this.pos++;
        return { type: 'assert', kind: 'endText' };
      case 'b':
        this.pos++;
        return { type: 'assert', kind: 'wordBoundary' };
      case 'B':
        this.pos++;
        return { type: 'assert', kind: 'notWordBoundary' };
      case 'Z':
        return this.fail('\\Z is not supported in RE2; use \\z', start);
      case 'C':
        return this.fail('\\C is not supported', start);
      case 'Q': {
        this.pos++;
        const end = this.src.indexOf('\\E', this.pos);
        const text = end < 0 ? this.src.slice(this.pos) : this.src.slice(this.pos, end);
        this.pos = end < 0 ? this.src.length : end + 2;
        const items: RegexNode[] = [];
        for (const ch of text) items.push(this.literal(ch.codePointAt(0)!));
        return items.length === 0 ? null : items;
      }
      case 'E':
        // A stray \E (no \Q) is ignored by RE2.
        this.pos++;
        return null;
      default: {
        const t = this.classEscape(start);
        return typeof t === 'number' ? this.literal(t) : this.classNode(t);
      }
    }
  }

  /**
   * An escape valid both inside and outside classes, after the backslash:
   * a code point (literal) or a class test.
   */
  classEscape(start: number): number | CharTest {
    const c = this.peek()!;
    if (c >= '0' && c <= '9') {
      if (c === '0') this.fail('octal escapes are not supported', start);
      this.fail('backreferences are not supported (RE2 dialect)', start);
    }
    this.pos++;
    switch (c) {
      case 'd':
        return rangesTest(DIGIT);
      case 'D':
        return not(rangesTest(DIGIT));
      case 's':
        return rangesTest(SPACE);
      case 'S':
        return not(rangesTest(SPACE));
      case 'w':
        return rangesTest(WORD);
      case 'W':
        return not(rangesTest(WORD));
      case 'p':
      case 'P': {
        let name: string;
        if (this.peek() === '{') {
          const end = this.src.indexOf('}', this.pos);
          if (end < 0) this.fail('missing } in Unicode class', start);
          name = this.src.slice(this.pos + 1, end);
          this.pos = end + 1;
        } else {
          const n = this.peek();
          if (n === undefined) this.fail('missing Unicode class name', start);
          name = n;
          this.pos++;
        }
        let negate = c === 'P';
        if (name.startsWith('^')) {
          negate = !negate;
          name = name.slice(1);
        }
        const t = unicodeProperty(name, start);
        return negate ? not(t) : t;
      }
      case 'k':
        return this.fail('backreferences are not supported (RE2 dialect)', start);
      case 'a':
        return 0x07;
      case 'f':
        return 0x0c;
      case 't':
        return 0x09;
      case 'n':
        return 0x0a;
      case 'r':
        return 0x0d;
      case 'v':
        return 0x0b;
      case 'x': {
        if (this.peek() === '{') {
          const m = /^\{([0-9A-Fa-f]{1,8})\}/.exec(this.src.slice(this.pos, this.pos + 11));
          if (!m) this.fail('invalid \\x{…} escape', start);
          const v = parseInt(m[1]!, 16);
          if (v > 0x10ffff) this.fail('\\x{…} escape beyond U+10FFFF', start);
          this.pos += m[0].length;
          return v;
        }
        const m = /^[0-9A-Fa-f]{2}/.exec(this.src.slice(this.pos, this.pos + 2));
        if (!m) this.fail('invalid \\x escape', start);
        this.pos += 2;
        return parseInt(m[0], 16);
      }
      default:
        // RE2 lets any ASCII punctuation be escaped; letters and digits are reserved.
        if (/^[!-\/:-@\[-`{-~]$/.test(c)) return c.codePointAt(0)!;
        return this.fail(`unknown escape \\${c}`, start);
    }
  }

  /** A bracketed class; returns its membership test (before case folding). */
  charClass(): CharTest {
    const start = this.pos;
    this.pos++; // [
    let negate = false;
    if (this.peek() === '^') {
      negate = true;
      this.pos++;
    }
    const ranges: Range[] = [];
    const tests: CharTest[] = [];
    let first = true;
    for (;;) {
      const c = this.peek();
      if (c === undefined) this.fail('missing closing ]', start);
      if (c === ']' && !first) {
        this.pos++;
        break;
      }
      first = false;
      if (c === '[' && this.src[this.pos + 1] === ':') {
        const m = /^\[:(\^?)([a-z]+):\]/.exec(this.src.slice(this.pos, this.pos + 16));
        if (m) {
          const r = POSIX[m[2]!];
          if (!r) this.fail(`unknown POSIX class [:${m[2]}:]`);
          tests.push(m[1] ? not(rangesTest(r)) : rangesTest(r));
          this.pos += m[0].length;
          continue;
        }
      }
      const lo = this.classAtom(start);
      if (typeof lo !== 'number') {
        tests.push(lo);
        continue;
      }
      if (this.peek() === '-' && this.src[this.pos + 1] !== ']' && this.src[this.pos + 1] !== undefined) {
        const dash = this.pos;
        this.pos++;
        const hi = this.classAtom(start);
        if (typeof hi !== 'number') this.fail('invalid character class range', dash);
        if (hi < lo) this.fail('invalid character class range: end before start', dash);
        ranges.push([lo, hi]);
      } else {
        ranges.push([lo, lo]);
      }
    }
    const all = ranges.length > 0 ? [rangesTest(ranges), ...tests] : tests;
    const t = all.length === 1 ? all[0]! : anyOfTests(all);
    return negate ? not(t) : t;
  }

  classAtom(start: number): number | CharTest {
    if (this.peek() === '\\') {
      const at = this.pos;
      this.pos++;
      if (this.peek() === undefined) this.fail('trailing backslash at end of pattern', at);
      const c = this.peek();
      if (c === 'b' || c === 'B' || c === 'A' || c === 'z' || c === 'Q' || c === 'E' || c === 'Z' || c === 'C') {
        this.fail(`\\${c} is not allowed inside a class`, at);
      }
      return this.classEscape(at);
    }
    if (this.peek() === undefined) this.fail('missing closing ]', start);
    return this.nextCodePoint();
  }
}
