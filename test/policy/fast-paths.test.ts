// The hand-written fast paths of the policy engine against the plain
// definitions they replaced: each must accept and return exactly the same.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatTimestamp, parseTimestamp } from '../../src/policy/time.js';
import { isStrictDecimal, parseNumber, severityRank } from '../../src/policy/severity.js';
import { ABSENT, escapeToken, formatPointer, parsePointer, resolvePointer } from '../../src/policy/json-pointer.js';
import { jsonSizeAtMost } from '../../src/policy/evidence.js';
import { PathSlotBuilder, slotValue } from '../../src/policy/path-slots.js';
import { bindSubjects } from '../../src/policy/subject-binding.js';

// The reference definitions (the regular expressions the engine used before).
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  return era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
}
function referenceTimestamp(s: unknown): bigint | undefined {
  if (typeof s !== 'string' || s.length > 40) return undefined;
  const m = RFC3339.exec(s);
  if (!m) return undefined;
  const [y, mo, d, h, mi, se] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i])) as [number, number, number, number, number, number];
  const dim = mo === 2 ? ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28) : [4, 6, 9, 11].includes(mo) ? 30 : 31;
  if (mo < 1 || mo > 12 || d < 1 || d > dim || h > 23 || mi > 59 || se > 60) return undefined;
  let seconds = BigInt(daysFromCivil(y, mo, d)) * 86400n + BigInt(h * 3600 + mi * 60 + Math.min(se, 59));
  if (m[9]) {
    const oh = Number(m[10]);
    const om = Number(m[11]);
    if (oh > 23 || om > 59) return undefined;
    const off = BigInt(oh * 3600 + om * 60);
    seconds += m[9] === '+' ? -off : off;
  }
  return seconds * 1_000_000_000n + BigInt((m[7] ?? '').padEnd(9, '0') || '0');
}
const DECIMAL = /^-?(0|[1-9]\d{0,20})(\.\d{1,20})?$/;
const INDEX = /^(0|[1-9][0-9]{0,8})$/;

/** Strings built from the characters that matter, plus mutations of valid ones. */
const digitsAnd = (extra: string[], maxLength: number) => fc.array(fc.constantFrom('0', '1', '5', '9', ...extra), { maxLength }).map((x) => x.join(''));

describe('parseTimestamp (hand-written) equals the RFC 3339 regex definition', () => {
  it('on valid, edge and mutated timestamps', () => {
    const valid = fc
      .tuple(
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        fc.integer({ min: 0, max: 24 }),
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 0, max: 61 }),
        fc.option(digitsAnd([], 11), { nil: undefined }),
        fc.constantFrom('Z', 'z', '+00:00', '-05:30', '+23:59', '+24:00', '-00:60', '', 'Z ', '+0530'),
        fc.constantFrom('T', 't', ' '),
      )
      .map(([y, mo, d, h, mi, se, frac, zone, t]) => {
        const p = (n: number, w = 2) => String(n).padStart(w, '0');
        return `${p(y, 4)}-${p(mo)}-${p(d)}${t}${p(h)}:${p(mi)}:${p(se)}${frac !== undefined ? `.${frac}` : ''}${zone}`;
      });
    const mutated = fc.tuple(valid, fc.nat(40), fc.constantFrom('', 'x', '0', '-', ':', '.', 'Z', '\n')).map(([s, i, c]) => s.slice(0, i % (s.length + 1)) + c + s.slice((i % (s.length + 1)) + 1));
    fc.assert(
      fc.property(fc.oneof(valid, mutated, fc.string({ maxLength: 45 })), (s) => {
        expect(parseTimestamp(s)).toBe(referenceTimestamp(s));
      }),
      { numRuns: 20_000 },
    );
    for (const s of ['2025-06-01T09:00:00Z', '2024-02-29T23:59:60.123456789+01:00', '1969-12-31T23:59:59.5Z', '0000-01-01T00:00:00Z', '9999-12-31T23:59:59.999999999-23:59']) {
      expect(parseTimestamp(s)).toBe(referenceTimestamp(s));
      expect(parseTimestamp(s)).not.toBeUndefined();
    }
    for (const v of [undefined, null, 1, {}, '2025-06-01T09:00:00.Z', '2025-06-01T09:00:00.1234567890Z', '2023-02-29T00:00:00Z']) expect(parseTimestamp(v)).toBeUndefined();
  });
});

describe('formatTimestamp (without a Date for four-digit years) equals the Date rendering', () => {
  function reference(t: bigint): string {
    // Floor to the millisecond (BigInt division truncates toward zero).
    const q = t / 1_000_000n;
    const iso = new Date(Number(t < 0n && q * 1_000_000n !== t ? q - 1n : q)).toISOString();
    const nanos = ((t % 1_000_000_000n) + 1_000_000_000n) % 1_000_000_000n;
    const base = iso.slice(0, 19);
    if (nanos === 0n) return `${base}Z`;
    return `${base}.${nanos.toString().padStart(9, '0').replace(/0+$/, '')}Z`;
  }
  it('over the whole four-digit range, its edges and beyond', () => {
    const ms = fc.oneof(
      fc.integer({ min: -62_167_219_200_000 - 86_400_000, max: 253_402_300_799_999 + 86_400_000 }),
      fc.integer({ min: -3_000_000_000_000, max: 3_000_000_000_000 }),
      fc.constantFrom(0, -1, 1, -62_167_219_200_000, 253_402_300_799_999, 951_782_400_000, 4_107_542_400_000),
    );
    fc.assert(
      fc.property(ms, fc.integer({ min: -999_999_999, max: 999_999_999 }), (m, extra) => {
        const t = BigInt(m) * 1_000_000n + BigInt(extra);
        expect(formatTimestamp(t)).toBe(reference(t));
        // Within four-digit years the text reads back as the same instant.
        if (m > -62_167_219_200_000 + 1000 && m < 253_402_300_799_999 - 1000) expect(parseTimestamp(formatTimestamp(t))).toBe(t);
      }),
      { numRuns: 20_000 },
    );
    // Before 1970 a sub-millisecond part belongs to the previous millisecond.
    expect(formatTimestamp(-1n)).toBe('1969-12-31T23:59:59.999999999Z');
    expect(formatTimestamp(-1_000_001n)).toBe('1969-12-31T23:59:59.998999999Z');
    for (const s of ['2025-06-01T09:00:00Z', '2024-02-29T23:59:59.5Z', '0000-01-01T00:00:00Z', '9999-12-31T23:59:59.999999999Z', '1900-03-01T00:00:00Z']) {
      expect(formatTimestamp(parseTimestamp(s)!)).toBe(s);
    }
  });
});

describe('strict decimals and severities', () => {
  it('isStrictDecimal equals the regex; parseNumber and severityRank follow', () => {
    const candidates = fc.oneof(digitsAnd(['-', '.', ' ', 'e', '+'], 26), fc.string({ maxLength: 8 }), fc.constantFrom('high', ' HIGH ', 'Moderate', '-1', '10', '10.1', '9.8', '0.0', '00', '1.', '.5'));
    fc.assert(
      fc.property(candidates, (s) => {
        expect(isStrictDecimal(s)).toBe(DECIMAL.test(s));
        expect(parseNumber(s)).toBe(DECIMAL.test(s) ? Number(s) : undefined);
        const label = s.trim().toLowerCase();
        const labels: Record<string, number> = { none: 0, negligible: 0, informational: 0, low: 1, medium: 2, moderate: 2, high: 3, important: 3, critical: 4 };
        const n = DECIMAL.test(s) ? Number(s) : undefined;
        const fromScore = n === undefined || n < 0 || n > 10 ? 5 : n === 0 ? 0 : n < 4 ? 1 : n < 7 ? 2 : n < 9 ? 3 : 4;
        expect(severityRank(s)).toBe(labels[label] ?? fromScore);
      }),
      { numRuns: 20_000 },
    );
    expect(isStrictDecimal('1'.repeat(21))).toBe(true);
    expect(isStrictDecimal('1'.repeat(22))).toBe(false);
    expect(isStrictDecimal(`1.${'2'.repeat(20)}`)).toBe(true);
    expect(isStrictDecimal(`1.${'2'.repeat(21)}`)).toBe(false);
  });
});

describe('JSON Pointer escapes', () => {
  it('escapeToken equals the two replacements, and pointers round-trip', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: fc.constantFrom('a', '~', '/', '0', '1', 'é'), maxLength: 6 }), { maxLength: 4 }), (tokens) => {
        for (const t of tokens) expect(escapeToken(t)).toBe(t.replace(/~/g, '~0').replace(/\//g, '~1'));
        expect(parsePointer(formatPointer(tokens))).toEqual(tokens);
      }),
      { numRuns: 3_000 },
    );
  });
});

describe('JSON Pointer array indices', () => {
  it('a token selects an array element exactly when the index grammar says so', () => {
    const arr = Array.from({ length: 12 }, (_, i) => i);
    fc.assert(
      fc.property(fc.oneof(digitsAnd(['-', '+', ' ', 'a'], 11), fc.string({ maxLength: 4 })), (t) => {
        const want = INDEX.test(t) && Number(t) < arr.length ? Number(t) : ABSENT;
        expect(resolvePointer(arr, [t])).toBe(want);
      }),
      { numRuns: 10_000 },
    );
  });
});

describe('jsonSizeAtMost', () => {
  // The node-by-node walk it replaced: the partial total past the limit must not change either.
  function reference(v: unknown, limit: number): number {
    let size = 0;
    const stack: unknown[] = [v];
    while (stack.length > 0 && size <= limit) {
      const x = stack.pop();
      if (typeof x === 'string') size += x.length + 2;
      else if (Array.isArray(x)) {
        size += 2 + x.length;
        for (const e of x) stack.push(e);
      } else if (x !== null && typeof x === 'object' && !Array.isArray(x)) {
        size += 2;
        for (const [k, e] of Object.entries(x)) {
          size += k.length + 4;
          stack.push(e);
        }
      } else size += 8;
    }
    return size;
  }

  it('equals the node-by-node walk, within and past the limit', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), fc.nat(400), (v, limit) => {
        expect(jsonSizeAtMost(v, limit)).toBe(reference(v, limit));
        expect(jsonSizeAtMost(v, 1 << 30)).toBe(reference(v, 1 << 30));
      }),
      { numRuns: 5_000 },
    );
  });

  it('stops on cyclic values', () => {
    const a: Record<string, unknown> = { x: 'y' };
    a.self = a;
    const list: unknown[] = [1];
    list.push(list);
    expect(jsonSizeAtMost(a, 10_000)).toBe(reference(a, 10_000));
    expect(jsonSizeAtMost(list, 10_000)).toBe(reference(list, 10_000));
    expect(jsonSizeAtMost(a, 10_000)).toBeGreaterThan(10_000);
  });
});

describe('statement path slots', () => {
  it('give resolvePointer\'s value for every path, prefixes shared, in any order', () => {
    const token = fc.constantFrom('a', 'b', '0', '1', '01', '-', '', 'constructor', '__proto__', 'x/y', 'k~');
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.array(fc.array(token, { maxLength: 4 }), { minLength: 1, maxLength: 12 }), (doc, paths) => {
        const table = new PathSlotBuilder();
        const slots = paths.map((p) => table.slot(p));
        const values: unknown[] = [];
        paths.forEach((p, i) => {
          const want = resolvePointer(doc, p);
          expect(slots[i]! < 0 ? doc : slotValue(table, values, doc, slots[i]!)).toBe(want);
        });
        // The same path twice has one slot.
        paths.forEach((p, i) => expect(table.slot(p)).toBe(slots[i]));
      }),
      { numRuns: 3_000 },
    );
  });
});

describe('subject binding message', () => {
  it('quotes subject names exactly as JSON.stringify does', () => {
    const sha = 'a'.repeat(64);
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 12 }), (name) => {
        const b = bindSubjects({ _type: 'x', predicateType: 'p', predicate: {}, subject: [{ name, digest: { sha256: sha } }] }, [{ digest: { sha256: sha } }], { algorithms: ['sha256'], name: undefined, requireAll: false, allAlgorithms: false });
        expect(b.message).toBe(`artifact is subject ${JSON.stringify(name)}`);
      }),
      { numRuns: 3_000 },
    );
  });
});
