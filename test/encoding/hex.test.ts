import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../src/encoding/hex.js';
import { expectCode } from './expect-error.js';

describe('toHex / fromHex', () => {
  it('toHex matches node for every byte value and fromHex inverts it', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(toHex(all)).toBe(Buffer.from(all).toString('hex'));
    expect(fromHex(toHex(all), 'x')).toEqual(all);
    expect(fromHex(toHex(all), 'x', true)).toEqual(all);
  });

  it('round-trips random data of lengths 0..40', () => {
    for (let n = 0; n <= 40; n++) {
      const data = new Uint8Array(crypto.randomBytes(n));
      expect(fromHex(toHex(data), 'x')).toEqual(data);
    }
  });

  it('accepts upper case unless lowerOnly', () => {
    expect([...fromHex('ABCDEF', 'x')]).toEqual([0xab, 0xcd, 0xef]);
    expect([...fromHex('aBcD', 'x')]).toEqual([0xab, 0xcd]);
    expectCode(() => fromHex('ABCDEF', 'x', true), 'PARSE', 'encoding.hex');
    expectCode(() => fromHex('abcdeF', 'x', true), 'PARSE', 'encoding.hex');
  });

  it('rejects odd lengths, prefixes, whitespace, signs and non-hex characters', () => {
    for (const s of ['a', 'abc', '0x10', ' 10', '10 ', '1 0', '+1', '-1', 'gg', 'zz', '1g', 'é0', '０１', '\n0']) {
      expectCode(() => fromHex(s, 'x'), 'PARSE', 'encoding.hex');
    }
  });

  it('rejects non-strings with a typed error', () => {
    expectCode(() => fromHex(12 as unknown as string, 'x'), 'PARSE', 'encoding.hex');
  });

  it('decodes the empty string', () => {
    expect(fromHex('', 'x')).toEqual(new Uint8Array(0));
  });
});
