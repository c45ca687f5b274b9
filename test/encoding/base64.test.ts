import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { base64Length, decodeBase64, encodeBase64, encodeBase64Into } from '../../src/encoding/base64.js';
import { expectCode } from './expect-error.js';

const bad = (s: string, alphabet: 'std' | 'url' | 'any'): void => {
  const e = expectCode(() => decodeBase64(s, 'field', alphabet), 'PARSE', 'encoding.base64');
  expect(e.message).toContain('field');
};
const bytes = (s: string, alphabet: 'std' | 'url' | 'any' = 'any'): number[] => [...decodeBase64(s, 'field', alphabet)];
const toUrl = (s: string): string => s.replace(/\+/g, '-').replace(/\//g, '_');

describe('decodeBase64: alphabets', () => {
  it('decodes the standard alphabet, padded, with every alphabet option that allows it', () => {
    // 0xfb 0xff 0xbf encodes as "+/+/" and exercises both special characters.
    expect(bytes('+/+/', 'std')).toEqual([0xfb, 0xff, 0xbf]);
    expect(bytes('+/+/', 'any')).toEqual([0xfb, 0xff, 0xbf]);
    expect(bytes('aGk=', 'std')).toEqual([0x68, 0x69]);
  });

  it('decodes the URL-safe alphabet with url and any, and rejects it with std', () => {
    expect(bytes('-_-_', 'url')).toEqual([0xfb, 0xff, 0xbf]);
    expect(bytes('-_-_', 'any')).toEqual([0xfb, 0xff, 0xbf]);
    bad('-_-_', 'std');
    bad('ab-c', 'std');
  });

  it('rejects the standard special characters with url', () => {
    bad('+/+/', 'url');
    bad('ab+c', 'url');
  });

  it('rejects a string that mixes both alphabets, in either order', () => {
    bad('+_+_', 'any');
    bad('-/-/', 'any');
    bad('ab+c-_AA', 'any');
  });

  it('decodes the empty string to no bytes', () => {
    for (const a of ['std', 'url', 'any'] as const) expect(bytes('', a)).toEqual([]);
  });
});

describe('decodeBase64: padding', () => {
  it('std requires canonical padding', () => {
    expect(bytes('AA==', 'std')).toEqual([0]);
    expect(bytes('AAA=', 'std')).toEqual([0, 0]);
    bad('AA', 'std');
    bad('AAA', 'std');
  });

  it('any and url accept padded and unpadded forms', () => {
    for (const a of ['any', 'url'] as const) {
      expect(bytes('AA', a)).toEqual([0]);
      expect(bytes('AA==', a)).toEqual([0]);
      expect(bytes('AAA', a)).toEqual([0, 0]);
      expect(bytes('AAA=', a)).toEqual([0, 0]);
    }
  });

  it('rejects wrong, partial and excess padding', () => {
    for (const a of ['std', 'url', 'any'] as const) {
      bad('AA=', a); // padding, but not to a multiple of 4
      bad('AAA==', a);
      bad('A===', a); // three pad characters
      bad('====', a);
      bad('AAAA====', a);
      bad('AAA==', a);
      bad('AA=A', a); // '=' inside the string
      bad('=AAA', a);
      bad('AAAA=', a);
      bad('==', a);
    }
    // "AA=" with a third char that makes the group look full: length 4 but 2 data chars need "==".
    bad('AAA=A===', 'any');
  });

  it('rejects impossible lengths (one character left over)', () => {
    for (const a of ['url', 'any'] as const) {
      bad('A', a);
      bad('AAAAA', a);
    }
  });
});

describe('decodeBase64: canonical form', () => {
  it('rejects non-zero trailing bits, for one and two trailing bytes', () => {
    // "AQ==" is 0x01; "AR==" decodes to 0x01 too but with non-zero leftover bits.
    expect(bytes('AQ==')).toEqual([1]);
    bad('AR==', 'any');
    bad('AR', 'any');
    bad('AB==', 'std');
    // "AAE=" is 0x00 0x01; "AAF=" has a set leftover bit.
    expect(bytes('AAE=')).toEqual([0, 1]);
    bad('AAF=', 'any');
    bad('AAF', 'url');
  });

  it('decodes each two-byte tail uniquely: exactly one of the 4 candidate last characters is accepted', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    let accepted = 0;
    for (const c of alphabet) {
      try {
        decodeBase64(`AA${c}=`, 'x', 'std');
        accepted++;
      } catch {
        // rejected: non-zero trailing bits
      }
    }
    // 64 characters, 2 trailing bits: 16 canonical endings.
    expect(accepted).toBe(16);
  });
});

describe('decodeBase64: junk', () => {
  it('rejects spaces, tabs and other whitespace anywhere, in every alphabet', () => {
    for (const a of ['std', 'url', 'any'] as const) {
      for (const s of [' AAAA', 'AAAA ', 'AA AA', '\tAAAA', 'AA\u00a0AA', 'AA\fAA', 'AA\vAA']) bad(s, a);
    }
  });

  it('ignores CR and LF (line-wrapped tool output, as Go decodes protobuf JSON) except in the std form', () => {
    expect(bytes('AAAA\n', 'any')).toEqual([0, 0, 0]);
    expect(bytes('AA\r\nAA', 'url')).toEqual([0, 0, 0]);
    expect(bytes('AQ\n==', 'any')).toEqual([1]);
    bad('AAAA\n', 'std');
    bad('AA\r\nAA', 'std');
    // Line breaks do not make an otherwise invalid string valid.
    bad('AR\n==', 'any');
    bad('A\nA=', 'any');
    bad('\n', 'std');
  });

  it('rejects characters outside both alphabets, including non-ASCII look-alikes', () => {
    for (const s of ['AA*A', 'AA.A', 'AA%3D', 'AAAé', 'ＡＡＡＡ', 'AA\u0000A', 'AAA\u00ff']) bad(s, 'any');
  });

  it('rejects characters above U+00FF whose low byte is a base64 character (no aliasing through the table)', () => {
    // U+0141 'Ł' has low byte 0x41 'A'; U+012B low byte 0x2B '+'; U+015F low byte 0x5F '_'.
    for (const s of ['AAA\u0141', '\u0141AAA', 'AA\u012bA', 'AA\u015fA', 'AAAAAA\u0141A', 'A\u0141'])
      for (const a of ['std', 'url', 'any'] as const) bad(s, a);
  });

  it('agrees with a reference decoder (regex grammar + Buffer) on random strings', () => {
    const chars = 'AZaz09+/-_=\n\r *\u0141\u00ff';
    const reference = (s: string, alphabet: 'std' | 'url' | 'any'): number[] | 'bad' => {
      const t = alphabet === 'std' ? s : s.replace(/[\r\n]/g, '');
      const grammar =
        alphabet === 'std'
          ? /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/
          : /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=?)?$/;
      const std = alphabet === 'std' ? t : /[-_]/.test(t) && /[+/]/.test(t) ? '!' : t.replace(/-/g, '+').replace(/_/g, '/');
      if (alphabet === 'url' && /[+/]/.test(t)) return 'bad';
      if (!grammar.test(std)) return 'bad';
      const out = [...Buffer.from(std, 'base64')];
      // Canonical trailing bits: re-encoding must give back the same characters.
      if (Buffer.from(out).toString('base64').replace(/=+$/, '') !== std.replace(/=+$/, '')) return 'bad';
      return out;
    };
    let seed = 12345;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let k = 0; k < 20000; k++) {
      let s = '';
      const len = rnd(12);
      for (let j = 0; j < len; j++) s += rnd(6) === 0 ? chars[rnd(chars.length)]! : 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'[rnd(62)]!;
      for (const a of ['std', 'url', 'any'] as const) {
        const want = reference(s, a);
        let got: number[] | 'bad';
        try {
          got = [...decodeBase64(s, 'x', a)];
        } catch {
          got = 'bad';
        }
        expect({ s, a, got }).toEqual({ s, a, got: want });
      }
    }
  });

  it('rejects non-strings with a typed error', () => {
    expectCode(() => decodeBase64(42 as unknown as string, 'field'), 'PARSE', 'encoding.base64');
    expectCode(() => decodeBase64(null as unknown as string, 'field'), 'PARSE', 'encoding.base64');
  });
});

describe('encodeBase64 and round trips', () => {
  it('encodeBase64Into writes exactly the ASCII of encodeBase64, at an offset, and nothing outside', () => {
    for (let n = 0; n <= 40; n++) {
      const data = new Uint8Array(crypto.randomBytes(n));
      const len = base64Length(n);
      const out = new Uint8Array(len + 6).fill(0xee);
      expect(encodeBase64Into(data, out, 3)).toBe(3 + len);
      expect(new TextDecoder().decode(out.subarray(3, 3 + len))).toBe(encodeBase64(data));
      expect([...out.subarray(0, 3), ...out.subarray(3 + len)]).toEqual([0xee, 0xee, 0xee, 0xee, 0xee, 0xee]);
    }
  });

  it('matches node Buffer base64 and round-trips for lengths 0..64 in every alphabet', () => {
    for (let n = 0; n <= 64; n++) {
      const data = new Uint8Array(crypto.randomBytes(n));
      const std = encodeBase64(data);
      expect(std).toBe(Buffer.from(data).toString('base64'));
      expect(decodeBase64(std, 'x', 'std')).toEqual(data);
      expect(decodeBase64(std, 'x', 'any')).toEqual(data);
      const url = toUrl(std);
      const unpadded = url.replace(/=+$/, '');
      expect(decodeBase64(url, 'x', 'url')).toEqual(data);
      expect(decodeBase64(unpadded, 'x', 'url')).toEqual(data);
      expect(decodeBase64(unpadded, 'x', 'any')).toEqual(data);
      expect(decodeBase64(std.replace(/=+$/, ''), 'x', 'any')).toEqual(data);
    }
  });

  it('round-trips all-0xff and all-zero inputs (both special characters at every position)', () => {
    for (let n = 0; n <= 12; n++) {
      for (const fill of [0x00, 0xff, 0xfb]) {
        const data = new Uint8Array(n).fill(fill);
        expect(decodeBase64(encodeBase64(data), 'x', 'std')).toEqual(data);
      }
    }
  });
});
