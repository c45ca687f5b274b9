import { describe, expect, it } from 'vitest';
import { JsonFields } from '../../src/encoding/json-fields.js';
import { parseJson, type JsonObject, type JsonValue } from '../../src/encoding/json.js';
import { expectCode } from './expect-error.js';

const f = new JsonFields('BUNDLE_FORMAT', 'bundle');
const int64 = (v: JsonValue | undefined, min?: bigint, optional = false): bigint | undefined =>
  f.int64(v === undefined ? {} : { v }, 'v', '$', min, optional);
const badInt = (v: JsonValue | undefined, min?: bigint): void => {
  const e = expectCode(() => int64(v, min), 'BUNDLE_FORMAT', 'bundle.shape');
  expect(e.message).toContain('$.v');
};

describe('JsonFields.int64', () => {
  it('accepts decimal strings, JSON integers and bigints', () => {
    expect(int64('0')).toBe(0n);
    expect(int64('5')).toBe(5n);
    expect(int64('1768478403')).toBe(1768478403n);
    expect(int64('9223372036854775807')).toBe(9223372036854775807n);
    expect(int64(5)).toBe(5n);
    expect(int64(Number.MAX_SAFE_INTEGER)).toBe(9007199254740991n);
    expect(int64(2n ** 60n)).toBe(2n ** 60n);
  });

  it('reads integers beyond 2^53 exactly when they come from parseJson', () => {
    const o = parseJson('{"v":9007199254740993,"w":"9007199254740993"}', 'doc') as JsonObject;
    expect(f.int64(o, 'v', '$')).toBe(9007199254740993n);
    expect(f.int64(o, 'w', '$')).toBe(9007199254740993n);
  });

  it('enforces the minimum, with expected and actual', () => {
    const e = expectCode(() => int64('-1', 0n), 'BUNDLE_FORMAT', 'bundle.shape');
    expect(e.expected).toBe('>= 0');
    expect(e.actual).toBe('-1');
    expectCode(() => int64(-1, 0n), 'BUNDLE_FORMAT', 'bundle.shape');
    expectCode(() => int64(-1n, 0n), 'BUNDLE_FORMAT', 'bundle.shape');
    expect(int64('-1', -5n)).toBe(-1n);
    badInt('-6', -5n);
    badInt('4', 5n);
  });

  it('rejects values above 2^63−1', () => {
    badInt('9223372036854775808');
    badInt('99999999999999999999');
    badInt(2n ** 63n);
    badInt('100000000000000000000000');
  });

  it('rejects every string outside -?(0|[1-9][0-9]*)', () => {
    for (const s of ['0x10', '', ' 5', '5 ', '+5', '05', '00', '5e0', '1.0', '1.', '-', '--1', '1_0', '١', '5\n', 'NaN', 'Infinity', '0b1']) {
      badInt(s);
    }
  });

  it('rejects JSON numbers that are not safe integers', () => {
    for (const n of [1.5, 2 ** 53, -(2 ** 53), 1e20, Number.NaN, Infinity]) badInt(n);
  });

  it('rejects other JSON types, and absence unless optional', () => {
    for (const v of [null, true, [], {}, [1]] as JsonValue[]) badInt(v);
    badInt(undefined);
    expect(int64(undefined, 0n, true)).toBeUndefined();
  });
});

describe('JsonFields: other readers', () => {
  it('object() rejects unknown fields and non-objects', () => {
    expect(f.object({ a: 1 }, '$', ['a', 'b'])).toEqual({ a: 1 });
    expectCode(() => f.object({ a: 1, c: 2 }, '$', ['a']), 'BUNDLE_FORMAT', 'bundle.shape');
    for (const v of [null, [], 'x', 1, undefined]) expectCode(() => f.object(v as JsonValue, '$', []), 'BUNDLE_FORMAT', 'bundle.shape');
  });

  it('string() rejects numbers, null and absence (unless optional)', () => {
    expect(f.string({ s: 'x' }, 's', '$')).toBe('x');
    for (const v of [1, null, true, ['x'], 1n]) expectCode(() => f.string({ s: v }, 's', '$'), 'BUNDLE_FORMAT', 'bundle.shape');
    expectCode(() => f.string({}, 's', '$'), 'BUNDLE_FORMAT', 'bundle.shape');
    expect(f.string({}, 's', '$', true)).toBeUndefined();
  });

  it('array() bounds the length with LIMIT', () => {
    expect(f.array({ a: [1, 2] }, 'a', '$', 2)).toEqual([1, 2]);
    expectCode(() => f.array({ a: [1, 2, 3] }, 'a', '$', 2), 'LIMIT', 'bundle.limit');
    expectCode(() => f.array({ a: 'x' }, 'a', '$', 2), 'BUNDLE_FORMAT', 'bundle.shape');
    expect(f.array({}, 'a', '$', 2, true)).toEqual([]);
  });

  it('bytes() decodes either alphabet and reports bad base64 with the context code and the path', () => {
    expect([...f.bytes({ b: '-_-_' }, 'b', '$')]).toEqual([0xfb, 0xff, 0xbf]);
    expect([...f.bytes({ b: '+/+/' }, 'b', '$')]).toEqual([0xfb, 0xff, 0xbf]);
    for (const v of ['AR==', 'A', '+_+_', 'AA AA', 5, null]) {
      const e = expectCode(() => f.bytes({ b: v as JsonValue }, 'b', '$.x'), 'BUNDLE_FORMAT', 'bundle.shape');
      expect(e.message).toContain('$.x.b');
    }
    const t = new JsonFields('TRUST_ROOT', 'trusted root', 'trust_root');
    expectCode(() => t.bytes({ b: 'A' }, 'b', '$'), 'TRUST_ROOT', 'trust_root.shape');
  });
});
