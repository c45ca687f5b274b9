import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LinearRegex, RegexSyntaxError } from '../../src/policy/regex/linear-regex.js';

const whole = (p: string, s: string, ignoreCase = false) => LinearRegex.compile(p, { ignoreCase }).test(s);
const search = (p: string, s: string) => LinearRegex.compile(p, { mode: 'search' }).test(s);

describe('RE2 parser and Pike VM', () => {
  it('matches the whole string by default', () => {
    expect(whole('abc', 'abc')).toBe(true);
    expect(whole('abc', 'xabc')).toBe(false);
    expect(whole('abc', 'abcx')).toBe(false);
    expect(search('abc', 'xabcx')).toBe(true);
    expect(search('^abc', 'xabc')).toBe(false);
    expect(search('abc$', 'abcx')).toBe(false);
  });

  it('handles classes, repetition and escapes', () => {
    expect(whole('[a-c]{2,3}', 'abc')).toBe(true);
    expect(whole('[a-c]{2,3}', 'abca')).toBe(false);
    expect(whole('[a-c]{2,3}', 'a')).toBe(false);
    expect(whole('a{2,}', 'aaaaa')).toBe(true);
    expect(whole('a{2}', 'aaa')).toBe(false);
    expect(whole('x{', 'x{')).toBe(true); // a '{' that starts no repeat is literal
    expect(whole('[^/]+', 'a/b')).toBe(false);
    expect(whole('[]a]+', ']a]')).toBe(true);
    expect(whole('[a-]+', 'a-a')).toBe(true);
    expect(whole('\\d+\\.\\d+', '12.5')).toBe(true);
    expect(whole('\\w+', 'a_b')).toBe(true);
    expect(whole('\\W', 'é')).toBe(true); // \w is ASCII in RE2
    expect(whole('\\x41\\x{263a}', 'A☺')).toBe(true);
    expect(whole('\\Qa.b*\\E', 'a.b*')).toBe(true);
    expect(whole('\\Qa.b*\\E', 'axbb')).toBe(false);
    expect(whole('a.c', 'a\nc')).toBe(false);
    expect(whole('(?s)a.c', 'a\nc')).toBe(true);
    expect(whole('(?P<x>a)(?<y>b)', 'ab')).toBe(true);
    expect(whole('\\pL+\\p{Greek}', 'abα')).toBe(true);
    expect(whole('\\PL', 'a')).toBe(false);
    expect(whole('.', '😀')).toBe(true); // one code point, not two code units
  });

  it('accepts (?i), \\z, POSIX classes and flag groups', () => {
    expect(whole('(?i)https://github\\.com/acme/', 'HTTPS://GitHub.com/ACME/')).toBe(true);
    expect(whole('(?i:ab)c', 'ABc')).toBe(true);
    expect(whole('(?i:ab)c', 'ABC')).toBe(false);
    expect(whole('(?i)[a-c]+', 'AbC')).toBe(true);
    expect(whole('a(?i)b|c', 'aB')).toBe(true);
    expect(search('abc\\z', 'xabc')).toBe(true);
    expect(search('abc\\z', 'abc\n')).toBe(false);
    expect(search('\\Aabc', 'xabc')).toBe(false);
    expect(whole('[[:alpha:]]+[[:digit:]]', 'ab1')).toBe(true);
    expect(whole('[[:^alpha:]]', 'a')).toBe(false);
    expect(search('(?m)^b$', 'a\nb\nc')).toBe(true);
    expect(search('^b$', 'a\nb\nc')).toBe(false);
    expect(search('\\bfoo\\b', 'a foo b')).toBe(true);
    expect(search('\\bfoo\\b', 'afoob')).toBe(false);
    expect(whole('a\\Bb', 'ab')).toBe(true);
  });

  it.each([
    ['(a)\\1', /backreference/],
    ['\\k<x>', /backreference/],
    ['(?P=x)', /backreference/],
    ['a(?=b)', /lookahead/],
    ['a(?!b)', /lookahead/],
    ['(?<=a)b', /lookbehind/],
    ['(?<!a)b', /lookbehind/],
    ['(?>a)', /atomic/],
    ['(?)', /group syntax/],
    ['(?i-)', /empty negation/],
    ['a**', /nested repetition/],
    ['a*+', /nested repetition/],
    ['a{2}{3}', /nested repetition/],
    ['*a', /missing argument/],
    ['(a', /missing closing \)/],
    ['a)', /unexpected \)/],
    ['[a', /missing closing \]/],
    ['[z-a]', /range/],
    ['a\\Z', /\\Z/],
    ['\\C', /not supported/],
    ['\\j', /unknown escape/],
    ['a{1001}', /repeat count/],
    ['a{3,2}', /max below min/],
    ['\\p{NotAScript}', /Unicode class/],
    ['[[:nope:]]', /POSIX/],
    ['\\', /trailing backslash/],
    ['((a{100}){100}){100}', /too large/],
  ])('rejects %s', (p, msg) => {
    expect(() => LinearRegex.compile(p)).toThrow(RegexSyntaxError);
    expect(() => LinearRegex.compile(p)).toThrow(msg);
  });

  it('agrees with a backtracking engine on random small patterns (both modes)', () => {
    const atom = fc.oneof(
      fc.constantFrom('a', 'b', '.', '[ab]', '[^a]', '\\d', 'x'),
      fc.constantFrom('(a|b)', '(ab|a)', '()', '(a*)', '(?:a|bb)', '(?:)'),
    );
    const quant = fc.constantFrom('', '', '*', '+', '?', '{1,2}', '{2}', '*?');
    const piece = fc.tuple(atom, quant).map(([a, q]) => a + q);
    const pattern = fc
      .array(fc.array(piece, { minLength: 0, maxLength: 4 }).map((x) => x.join('')), { minLength: 1, maxLength: 3 })
      .map((alts) => alts.join('|'));
    const input = fc.array(fc.constantFrom('a', 'b', 'x', '1', '\n'), { maxLength: 8 }).map((x) => x.join(''));
    fc.assert(
      fc.property(pattern, input, (p, s) => {
        expect(whole(p, s)).toBe(new RegExp(`^(?:${p})$`).test(s));
        expect(search(p, s)).toBe(new RegExp(p).test(s));
      }),
      { numRuns: 2000 },
    );
  });

  it('runs (a+)+$ over 100,000 a and ! in linear time', () => {
    const evil = `${'a'.repeat(100_000)}!`;
    const re = LinearRegex.compile('(a+)+$', { mode: 'search' });
    const t0 = performance.now();
    expect(re.test(evil)).toBe(false);
    const ms = performance.now() - t0;
    // Speed is measured in benchmarks/, never asserted in tests.
    expect(LinearRegex.compile('(a+)+').test(evil)).toBe(false);
    expect(LinearRegex.compile('(a+)+!').test(evil)).toBe(true);
  });
});
