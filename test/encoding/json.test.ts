import { describe, expect, it } from 'vitest';
import { parseJson, type JsonObject } from '../../src/encoding/json.js';
import { expectCode } from './expect-error.js';

const parse = (s: string): unknown => parseJson(s, 'doc');
const bad = (s: string): void => {
  const e = expectCode(() => parseJson(s, 'doc'), 'PARSE', 'json');
  expect(e.message).toContain('doc');
};

describe('parseJson: values', () => {
  it('parses the same values as JSON.parse for ordinary documents', () => {
    const docs = [
      '{"a":[1,2.5,-3e2,true,false,null,"x\\n\\u00e9\\/"],"b":{"c":{}},"d":[]}',
      ' \t\r\n[ 1 , { "k" : "v" } ] \n',
      '"just a string"',
      '0',
      'null',
      '{"emoji":"\\ud83d\\ude00","raw":"😀","ctl":"\\b\\f\\r\\t\\"\\\\"}',
    ];
    for (const d of docs) expect(parse(d)).toEqual(JSON.parse(d));
  });

  it('returns objects without a prototype, so "__proto__" is a plain key', () => {
    const o = parse('{"__proto__":{"polluted":true},"constructor":1}') as JsonObject;
    expect(Object.getPrototypeOf(o)).toBe(null);
    expect(Object.keys(o)).toEqual(['__proto__', 'constructor']);
    expect(o['__proto__']).toEqual({ polluted: true });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('accepts lone surrogate escapes, as the JSON grammar does (RFC 8259 §8.2)', () => {
    expect(parse('"\\ud800"')).toBe('\ud800');
    expect(parse('"a\\udfffb"')).toBe('a\udfffb');
  });
});

describe('parseJson: duplicate keys', () => {
  it('rejects a repeated key', () => {
    bad('{"a":1,"a":2}');
    bad('{"a":1,"b":2,"a":1}');
  });

  it('rejects a repeated "__proto__" key', () => {
    bad('{"__proto__":1,"__proto__":2}');
  });

  it('compares keys after unescaping', () => {
    bad('{"a":1,"\\u0061":2}');
    bad('{"\\/":1,"/":2}');
  });

  it('rejects duplicates at any depth, but allows the same key in sibling objects', () => {
    bad('[{"x":{"k":1,"k":1}}]');
    expect(parse('[{"k":1},{"k":2}]')).toEqual([{ k: 1 }, { k: 2 }]);
  });

  it('treats keys differing only in case as distinct (no case folding)', () => {
    expect(Object.keys(parse('{"Key":1,"key":2}') as object)).toEqual(['Key', 'key']);
  });
});

describe('parseJson: limits', () => {
  const nest = (n: number, open = '[', close = ']'): string => open.repeat(n) + close.repeat(n);

  it('accepts nesting up to the default depth of 64 and rejects 65 with LIMIT', () => {
    expect(() => parse(nest(64))).not.toThrow();
    expectCode(() => parse(nest(65)), 'LIMIT', 'json.depth');
    const objects = (n: number): string => '{"a":'.repeat(n) + '1' + '}'.repeat(n);
    expect(() => parse(objects(64))).not.toThrow();
    expectCode(() => parse(objects(65)), 'LIMIT', 'json.depth');
  });

  it('honours a custom maxDepth, counting arrays and objects alike', () => {
    expect(() => parseJson('[{"a":[1]}]', 'doc', { maxDepth: 3 })).not.toThrow();
    expectCode(() => parseJson('[{"a":[[1]]}]', 'doc', { maxDepth: 3 }), 'LIMIT', 'json.depth');
  });

  it('fails fast on 100,000 levels of nesting without a stack overflow', () => {
    const t = performance.now();
    expectCode(() => parse('['.repeat(100_000)), 'LIMIT', 'json.depth');
    expectCode(() => parse('{"a":'.repeat(100_000)), 'LIMIT', 'json.depth');
    // Speed is measured in benchmarks/, never asserted in tests.
  });

  it('rejects text longer than maxLength with LIMIT', () => {
    expect(parseJson('"abcd"', 'doc', { maxLength: 6 })).toBe('abcd');
    expectCode(() => parseJson('"abcde"', 'doc', { maxLength: 6 }), 'LIMIT', 'json.length');
  });

  it('rejects non-string input with PARSE', () => {
    expectCode(() => parseJson(undefined as unknown as string, 'doc'), 'PARSE', 'json');
    expectCode(() => parseJson(new Uint8Array(2) as unknown as string, 'doc'), 'PARSE', 'json');
  });
});

describe('parseJson: syntax errors', () => {
  it('rejects trailing data after the value', () => {
    for (const s of ['{} x', '1 2', '{}}', '[]]', '"a""b"', 'null,', '{}\u0000', 'true false']) bad(s);
  });

  it('rejects empty input, lone whitespace, and a byte-order mark', () => {
    for (const s of ['', '   ', '\ufeff{}']) bad(s);
  });

  it('rejects bad escapes and unterminated strings', () => {
    for (const s of ['"\\x"', '"\\u12"', '"\\u12G4"', '"\\U0041"', '"\\', '"abc', '"\\u"', '"\\\'"', '"\\0"']) bad(s);
  });

  it('rejects raw control characters in strings', () => {
    for (const c of ['\u0000', '\n', '\t', '\u001f']) bad(`"a${c}b"`);
  });

  it('rejects non-JSON literals, comments and trailing commas', () => {
    for (const s of ['NaN', 'Infinity', '-Infinity', 'undefined', 'True', 'nul', "'a'", '[1,]', '{"a":1,}', '[1 2]', '{"a" 1}', '{a:1}', '// c\n1', '/* c */1', '{,}']) {
      bad(s);
    }
  });

  it('rejects malformed numbers', () => {
    for (const s of ['01', '-01', '1.', '.5', '+1', '1e', '1e+', '-', '--1', '1.e5', '0x10', '1_000', '0.1.2', '1ee2']) bad(s);
  });

  it('rejects numbers outside the double range instead of returning Infinity', () => {
    bad('1e400');
    bad('-1e400');
    bad('[1.5e309]');
    // Underflow is a finite value (zero), as in other parsers.
    expect(parse('1e-400')).toBe(0);
  });
});

describe('parseJson: numbers', () => {
  it('keeps safe integers as numbers', () => {
    expect(parse('9007199254740991')).toBe(Number.MAX_SAFE_INTEGER);
    expect(parse('-9007199254740991')).toBe(-Number.MAX_SAFE_INTEGER);
    expect(parse('123456789012345')).toBe(123456789012345);
  });

  it('returns integers beyond ±(2^53−1) as exact bigints', () => {
    expect(parse('9007199254740992')).toBe(9007199254740992n);
    expect(parse('9007199254740993')).toBe(9007199254740993n);
    expect(parse('-9007199254740993')).toBe(-9007199254740993n);
    expect(parse('9223372036854775807')).toBe(9223372036854775807n);
    expect(parse('123456789012345678901234567890')).toBe(123456789012345678901234567890n);
    expect(parse('{"i":18446744073709551617}')).toEqual({ i: 18446744073709551617n });
  });

  it('keeps -0 as negative zero', () => {
    expect(Object.is(parse('-0'), -0)).toBe(true);
    expect(Object.is(parse('0'), 0)).toBe(true);
  });

  it('parses fractions and exponents as doubles, even when the value is integral', () => {
    expect(parse('1e2')).toBe(100);
    expect(parse('1E+2')).toBe(100);
    expect(parse('25e-1')).toBe(2.5);
    expect(parse('-0.5')).toBe(-0.5);
    expect(parse('1.0')).toBe(1);
    // Written with an exponent, a large integer is a double: precision is the writer's choice.
    expect(typeof parse('9007199254740993e0')).toBe('number');
  });
});
