// The lazy DFA must answer exactly what the Pike VM answers, on a compiled
// pattern reused over many inputs (so cached states and transitions are
// exercised), in both modes, past its state budget, and never for programs
// it does not support.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LinearRegex } from '../../src/policy/regex/linear-regex.js';
import { dfaSupports, LazyDfa, MAX_DFA_STATES } from '../../src/policy/regex/lazy-dfa.js';
import { parseRegex } from '../../src/policy/regex/syntax.js';
import { compileProgram } from '../../src/policy/regex/program.js';

const program = (p: string, anchored: boolean) => compileProgram(parseRegex(p), anchored);

describe('lazy DFA', () => {
  it('agrees with the Pike VM on random patterns reused over many inputs (both modes)', () => {
    const atom = fc.oneof(
      fc.constantFrom('a', 'b', '.', '[ab]', '[^a]', '\\d', 'x', 'é', '😀', '(?i:A)'),
      fc.constantFrom('(a|b)', '(ab|a)', '()', '(a*)', '(?:a|bb)', '(?:)', '^', '$', '\\A', '\\z', '(?s:.)'),
    );
    const quant = fc.constantFrom('', '', '*', '+', '?', '{1,2}', '{2}', '*?');
    const piece = fc.tuple(atom, quant).map(([a, q]) => (a === '^' || a === '$' || a === '\\A' || a === '\\z' ? a : a + q));
    const pattern = fc
      .array(fc.array(piece, { minLength: 0, maxLength: 4 }).map((x) => x.join('')), { minLength: 1, maxLength: 3 })
      .map((alts) => alts.join('|'));
    const inputs = fc.array(
      fc.array(fc.constantFrom('a', 'b', 'x', '1', '\n', 'A', 'é', '😀', '\ud800'), { maxLength: 8 }).map((x) => x.join('')),
      { minLength: 1, maxLength: 12 },
    );
    fc.assert(
      fc.property(pattern, inputs, (p, list) => {
        for (const mode of ['whole', 'search'] as const) {
          const re = LinearRegex.compile(p, { mode });
          // Twice over the list: the second pass runs on cached transitions.
          for (const s of [...list, ...list]) expect(re.test(s)).toBe(re.testNfa(s));
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('supports text-boundary assertions only, and programs of bounded size; the rest stay on the Pike VM', () => {
    expect(dfaSupports(program('a{1000}b{1000}c{1000}d{1000}e{1000}', true))).toBe(false);
    expect(LinearRegex.compile('a{1000}b{1000}c{1000}d{1000}e{1000}').test(['a', 'b', 'c', 'd', 'e'].map((x) => x.repeat(1000)).join(''))).toBe(true);
    expect(dfaSupports(program('^a+$', true))).toBe(true);
    expect(dfaSupports(program('\\Aa\\z', false))).toBe(true);
    expect(dfaSupports(program('\\ba', true))).toBe(false);
    expect(dfaSupports(program('(?m)^a$', true))).toBe(false);
    // Still correct through the fallback.
    expect(LinearRegex.compile('\\bfoo\\b', { mode: 'search' }).test('a foo b')).toBe(true);
    expect(LinearRegex.compile('\\bfoo\\b', { mode: 'search' }).test('afoob')).toBe(false);
  });

  it('gives up (undefined) past its state budget, and LinearRegex then answers through the Pike VM', () => {
    // "An a 9 characters from the end" needs 2^10 states: more than the budget.
    const p = '(?:a|b)*a(?:a|b){9}';
    expect(MAX_DFA_STATES).toBeLessThan(2 ** 10);
    const dfa = new LazyDfa(program(p, true), false);
    let gaveUp = false;
    const re = LinearRegex.compile(p);
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'b'), { minLength: 10, maxLength: 40 }), (chars) => {
        const s = chars.join('');
        const r = dfa.test(s);
        if (r === undefined) gaveUp = true;
        else expect(r).toBe(re.testNfa(s));
        expect(re.test(s)).toBe(re.testNfa(s));
        expect(re.test(s)).toBe(s[s.length - 10] === 'a');
      }),
      { numRuns: 3000 },
    );
    expect(gaveUp).toBe(true);
  });

  it('matches the whole string in whole mode and anywhere in search mode, on a reused pattern', () => {
    const whole = LinearRegex.compile('https://github\\.com/acme/app/\\.github/workflows/[a-z]+\\.yml@refs/tags/v[0-9]+');
    const good = 'https://github.com/acme/app/.github/workflows/release.yml@refs/tags/v1';
    for (let k = 0; k < 3; k++) {
      expect(whole.test(good)).toBe(true);
      expect(whole.test(`${good}x`)).toBe(false);
      expect(whole.test(`x${good}`)).toBe(false);
      expect(whole.test(good.slice(0, -1))).toBe(false);
      expect(whole.test('')).toBe(false);
    }
    const search = LinearRegex.compile('v[0-9]+$', { mode: 'search' });
    expect(search.test(good)).toBe(true);
    expect(search.test(`${good}-rc`)).toBe(false);
    expect(LinearRegex.compile('', { mode: 'search' }).test('')).toBe(true);
    expect(LinearRegex.compile('a*').test('')).toBe(true);
  });
});
