import { describe, expect, it } from 'vitest';
import { MAX_DER_DEPTH, Tag, contextTag, parseDer, parseDerAt, type DerElement } from '../../src/der/element.js';
import { int, oid, oidContent, seq, tlv } from '../x509/pki.js';
import { expectCode } from '../encoding/expect-error.js';

const b = (...xs: number[]): Uint8Array => Uint8Array.from(xs);
const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);
const parseBad = (bytes: Uint8Array): void => {
  const e = expectCode(() => parseDer(bytes, 'thing'), 'PARSE', 'der');
  expect(e.message).toContain('thing');
};
const el = (bytes: Uint8Array): DerElement => parseDer(bytes, 'thing');

describe('parseDer: element framing', () => {
  it('reads tag, header and content as views into the input', () => {
    const bytes = b(0x30, 0x06, 0x02, 0x01, 0x05, 0x04, 0x01, 0xaa);
    const e = el(bytes);
    expect(e.tag).toBe(Tag.SEQUENCE);
    expect([e.start, e.contentStart, e.end, e.length]).toEqual([0, 2, 8, 6]);
    expect(e.raw()).toEqual(bytes);
    expect(e.raw().buffer).toBe(bytes.buffer);
    const [i, o] = e.items(2);
    expect(i!.smallInt()).toBe(5);
    expect([...o!.octets()]).toEqual([0xaa]);
    expect(e.children()).toBe(e.children());
  });

  it('accepts long-form lengths when needed (>= 128) with 1 to 4 length bytes', () => {
    expect(el(tlv(0x04, new Uint8Array(200))).length).toBe(200);
    expect(el(tlv(0x04, new Uint8Array(70_000))).length).toBe(70_000);
    expect(el(b(0x04, 0x81, 0x80, ...new Uint8Array(128))).length).toBe(128);
  });

  it('rejects non-minimal lengths', () => {
    parseBad(b(0x04, 0x81, 0x05, 1, 2, 3, 4, 5)); // long form for 5
    parseBad(b(0x04, 0x81, 0x7f, ...new Uint8Array(0x7f)));
    parseBad(b(0x04, 0x82, 0x00, 0x80, ...new Uint8Array(0x80))); // leading zero length byte
    parseBad(b(0x04, 0x82, 0x00, 0x05, 1, 2, 3, 4, 5));
  });

  it('rejects the indefinite length form', () => {
    parseBad(b(0x30, 0x80, 0x02, 0x01, 0x00, 0x00, 0x00));
  });

  it('rejects lengths longer than 4 bytes, however small their value', () => {
    parseBad(b(0x04, 0x85, 0x01, 0x00, 0x00, 0x00, 0x00));
    parseBad(b(0x04, 0x88, 0, 0, 0, 0, 0, 0, 0, 1, 0));
    parseBad(b(0x04, 0xff));
  });

  it('rejects truncated input at every point', () => {
    parseBad(b());
    parseBad(b(0x04)); // no length
    parseBad(b(0x04, 0x82, 0x01)); // truncated length
    parseBad(b(0x04, 0x05, 1, 2, 3, 4)); // content short by one
    parseBad(b(0x04, 0x84, 0xff, 0xff, 0xff, 0xff, 0)); // 4 GiB claimed
  });

  it('rejects trailing bytes after the outermost element', () => {
    parseBad(b(0x05, 0x00, 0x00));
    parseBad(b(0x02, 0x01, 0x01, 0x02, 0x01, 0x01));
  });

  it('rejects a child running past its parent, and trailing junk inside a constructed element', () => {
    // SEQUENCE of length 3 holding an INTEGER that claims 2 content bytes.
    const e = el(b(0x30, 0x03, 0x02, 0x02, 0x01, 0x01).subarray(0, 5));
    expectCode(() => e.children(), 'PARSE', 'der');
    const e2 = el(b(0x30, 0x04, 0x02, 0x01, 0x01, 0x00));
    expectCode(() => e2.children(), 'PARSE', 'der');
  });

  it('rejects high tag numbers in every class', () => {
    for (const t of [0x1f, 0x3f, 0x5f, 0x9f, 0xbf, 0xdf, 0xff]) parseBad(b(t, 0x01, 0x00));
    parseBad(b(0x1f, 0x81, 0x00, 0x00));
  });

  it('parseDerAt reads an element inside a buffer without requiring it to end the buffer', () => {
    const buf = b(0xaa, 0x04, 0x01, 0x07, 0xbb);
    const e = parseDerAt(buf, 1, 'thing');
    expect([...e.octets()]).toEqual([7]);
    expect(e.end).toBe(4);
  });

  it('children() of a primitive element, items() with a wrong count and expect() with a wrong tag are PARSE', () => {
    expectCode(() => el(b(0x04, 0x00)).children(), 'PARSE', 'der');
    expectCode(() => el(seq(int(1))).items(2), 'PARSE', 'der');
    expectCode(() => el(seq(int(1), int(2), int(3))).items(1, 2), 'PARSE', 'der');
    expectCode(() => el(int(1)).expect(Tag.SEQUENCE, 'x'), 'PARSE', 'der');
    expect(el(seq()).items(0)).toEqual([]);
  });

  it('contextTag builds explicit and implicit tags', () => {
    expect(contextTag(0, true)).toBe(0xa0);
    expect(contextTag(3, true)).toBe(0xa3);
    expect(contextTag(2, false)).toBe(0x82);
  });
});

describe('DER nesting limit', () => {
  /** `levels` nested SEQUENCEs around an INTEGER, built outside-in without quadratic copying. */
  function nested(levels: number): Uint8Array {
    const inner = int(1);
    const contentLens: number[] = new Array(levels);
    let len = inner.length;
    for (let i = levels - 1; i >= 0; i--) {
      contentLens[i] = len;
      len += 1 + (len < 0x80 ? 1 : len < 0x100 ? 2 : len < 0x10000 ? 3 : 4);
    }
    const out = new Uint8Array(len);
    let o = 0;
    for (let i = 0; i < levels; i++) {
      const n = contentLens[i]!;
      out[o++] = 0x30;
      if (n < 0x80) out[o++] = n;
      else {
        const bytes: number[] = [];
        for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
        out[o++] = 0x80 | bytes.length;
        for (const x of bytes) out[o++] = x;
      }
    }
    out.set(inner, o);
    return out;
  }

  /** Walks first children down to the innermost element; returns its depth. */
  function walk(e: DerElement): number {
    let cur = e;
    while (cur.constructed) cur = cur.children()[0]!;
    return cur.depth;
  }

  it(`accepts elements down to depth ${MAX_DER_DEPTH}`, () => {
    // MAX_DER_DEPTH sequences: the INTEGER inside sits at depth MAX_DER_DEPTH.
    expect(walk(el(nested(MAX_DER_DEPTH)))).toBe(MAX_DER_DEPTH);
  });

  it(`rejects an element at depth ${MAX_DER_DEPTH + 1} with LIMIT`, () => {
    expectCode(() => walk(el(nested(MAX_DER_DEPTH + 1))), 'LIMIT', 'der.depth');
  });

  it('fails fast on 10,000 levels of nesting without a stack overflow', () => {
    const bytes = nested(10_000);
    const t = performance.now();
    expectCode(() => walk(el(bytes)), 'LIMIT', 'der.depth');
    // Speed is measured in benchmarks/, never asserted in tests.
  });
});

describe('INTEGER', () => {
  it('reads minimal encodings', () => {
    expect(el(b(0x02, 0x01, 0x00)).unsignedBigInt()).toBe(0n);
    expect(el(b(0x02, 0x01, 0x7f)).unsignedBigInt()).toBe(127n);
    expect(el(b(0x02, 0x02, 0x00, 0x80)).unsignedBigInt()).toBe(128n);
    expect(el(int(2n ** 160n - 1n)).unsignedBigInt()).toBe(2n ** 160n - 1n);
    expect([...el(b(0x02, 0x01, 0x80)).integerBytes()]).toEqual([0x80]); // -128, minimal
    expect([...el(b(0x02, 0x02, 0xff, 0x7f)).integerBytes()]).toEqual([0xff, 0x7f]);
  });

  it('rejects empty and non-minimal encodings', () => {
    expectCode(() => el(b(0x02, 0x00)).integerBytes(), 'PARSE', 'der');
    expectCode(() => el(b(0x02, 0x02, 0x00, 0x7f)).integerBytes(), 'PARSE', 'der');
    expectCode(() => el(b(0x02, 0x02, 0x00, 0x00)).integerBytes(), 'PARSE', 'der');
    expectCode(() => el(b(0x02, 0x02, 0xff, 0x80)).integerBytes(), 'PARSE', 'der');
    expectCode(() => el(b(0x02, 0x03, 0x00, 0x00, 0x80)).unsignedBigInt(), 'PARSE', 'der');
  });

  it('rejects negative values where unsigned ones are required', () => {
    expectCode(() => el(b(0x02, 0x01, 0x80)).unsignedBigInt(), 'PARSE', 'der');
    expectCode(() => el(b(0x02, 0x01, 0xff)).smallInt(), 'PARSE', 'der');
  });

  it('smallInt accepts up to 2^31−1 only', () => {
    expect(el(int(0x7fffffff)).smallInt()).toBe(0x7fffffff);
    expectCode(() => el(int(0x80000000)).smallInt(), 'PARSE', 'der');
    expectCode(() => el(int(2n ** 64n)).smallInt(), 'PARSE', 'der');
  });

  it('rejects other tags', () => {
    expectCode(() => el(b(0x0a, 0x01, 0x01)).integerBytes(), 'PARSE', 'der'); // ENUMERATED
  });
});

describe('BOOLEAN', () => {
  it('reads 0xFF as true and 0x00 as false', () => {
    expect(el(b(0x01, 0x01, 0xff)).boolean()).toBe(true);
    expect(el(b(0x01, 0x01, 0x00)).boolean()).toBe(false);
  });

  it('rejects other values and lengths', () => {
    for (const bytes of [b(0x01, 0x01, 0x01), b(0x01, 0x01, 0x80), b(0x01, 0x01, 0xfe), b(0x01, 0x00), b(0x01, 0x02, 0xff, 0xff), b(0x02, 0x01, 0xff)]) {
      expectCode(() => el(bytes).boolean(), 'PARSE', 'der');
    }
  });
});

describe('BIT STRING', () => {
  it('reads whole-byte bit strings', () => {
    expect(el(b(0x03, 0x03, 0x00, 0xab, 0xcd)).bitString()).toEqual({ bytes: b(0xab, 0xcd), unusedBits: 0 });
    expect(el(b(0x03, 0x01, 0x00)).bitString()).toEqual({ bytes: b(), unusedBits: 0 });
  });

  it('reads unused bits only when allowed, and only if they are zero', () => {
    expect(el(b(0x03, 0x02, 0x07, 0x80)).bitString(true)).toEqual({ bytes: b(0x80), unusedBits: 7 });
    expectCode(() => el(b(0x03, 0x02, 0x07, 0x80)).bitString(), 'PARSE', 'der');
    expectCode(() => el(b(0x03, 0x02, 0x01, 0x01)).bitString(true), 'PARSE', 'der');
    expectCode(() => el(b(0x03, 0x02, 0x07, 0xc0)).bitString(true), 'PARSE', 'der');
  });

  it('rejects an empty BIT STRING, more than 7 unused bits, and unused bits with no content', () => {
    expectCode(() => el(b(0x03, 0x00)).bitString(true), 'PARSE', 'der');
    expectCode(() => el(b(0x03, 0x02, 0x08, 0x00)).bitString(true), 'PARSE', 'der');
    expectCode(() => el(b(0x03, 0x01, 0x01)).bitString(true), 'PARSE', 'der');
    expectCode(() => el(b(0x23, 0x03, 0x03, 0x01, 0x00)).bitString(), 'PARSE', 'der'); // constructed form
  });
});

describe('OBJECT IDENTIFIER', () => {
  it('decodes OIDs, including each first-arc range', () => {
    expect(el(hex('06 07 2a8648ce3d0201')).oid()).toBe('1.2.840.10045.2.1');
    expect(el(oid('1.3.6.1.4.1.57264.1.8')).oid()).toBe('1.3.6.1.4.1.57264.1.8');
    expect(el(b(0x06, 0x01, 0x27)).oid()).toBe('0.39');
    expect(el(b(0x06, 0x01, 0x28)).oid()).toBe('1.0');
    expect(el(b(0x06, 0x01, 0x50)).oid()).toBe('2.0');
    expect(el(b(0x06, 0x02, 0x88, 0x37)).oid()).toBe('2.999'); // first subidentifier 1079
  });

  it('decodes huge arcs exactly, so 2^32+1 does not alias 1 and 2^64+3 does not alias 3', () => {
    const big = el(oid('1.2.4294967297')).oid();
    expect(big).toBe('1.2.4294967297');
    expect(big).not.toBe(el(oid('1.2.1')).oid());
    expect(el(oid('1.2.18446744073709551619')).oid()).toBe('1.2.18446744073709551619');
    expect(el(oid('2.18446744073709551700')).oid()).toBe('2.18446744073709551700');
  });

  it('rejects a non-minimal arc (leading 0x80), in any position', () => {
    expectCode(() => el(b(0x06, 0x03, 0x2a, 0x80, 0x01)).oid(), 'PARSE', 'der');
    expectCode(() => el(b(0x06, 0x02, 0x80, 0x2a)).oid(), 'PARSE', 'der');
    expectCode(() => el(b(0x06, 0x04, 0x2a, 0x03, 0x80, 0x7f)).oid(), 'PARSE', 'der');
  });

  it('rejects empty, truncated and oversized OIDs', () => {
    expectCode(() => el(b(0x06, 0x00)).oid(), 'PARSE', 'der');
    expectCode(() => el(b(0x06, 0x02, 0x2a, 0x86)).oid(), 'PARSE', 'der');
    // 128 content bytes is the most accepted; 129 is rejected.
    expect(el(tlv(0x06, oidContent('1.2'), new Uint8Array(127).fill(1))).oid()).toBe(`1.2${'.1'.repeat(127)}`);
    expectCode(() => el(tlv(0x06, oidContent('1.2'), new Uint8Array(128).fill(1))).oid(), 'PARSE', 'der');
  });
});

describe('OCTET STRING and NULL', () => {
  it('octets() requires the OCTET STRING tag', () => {
    expect([...el(b(0x04, 0x02, 1, 2)).octets()]).toEqual([1, 2]);
    expectCode(() => el(b(0x24, 0x03, 0x04, 0x01, 0x01)).octets(), 'PARSE', 'der');
  });

  it('null() requires empty content', () => {
    expect(() => el(b(0x05, 0x00)).null()).not.toThrow();
    expectCode(() => el(b(0x05, 0x01, 0x00)).null(), 'PARSE', 'der');
  });
});

describe('time()', () => {
  const utc = (s: string): DerElement => el(tlv(Tag.UTC_TIME, ascii(s)));
  const gen = (s: string): DerElement => el(tlv(Tag.GENERALIZED_TIME, ascii(s)));

  it('reads UTCTime with the RFC 5280 century rule', () => {
    expect(utc('260115120000Z').time()).toBe(Date.UTC(2026, 0, 15, 12, 0, 0));
    expect(utc('491231235959Z').time()).toBe(Date.UTC(2049, 11, 31, 23, 59, 59));
    expect(utc('500101000000Z').time()).toBe(Date.UTC(1950, 0, 1));
    expect(utc('991231235959Z').time()).toBe(Date.UTC(1999, 11, 31, 23, 59, 59));
  });

  it('rejects UTCTime without seconds, without Z, with an offset or a fraction', () => {
    for (const s of ['2601151200Z', '260115120000', '260115120000+0000', '260115120000.5Z', '260115120000z', ' 60115120000Z']) {
      expectCode(() => utc(s).time(), 'PARSE', 'der');
    }
  });

  it('reads GeneralizedTime', () => {
    expect(gen('20260115120000Z').time()).toBe(Date.UTC(2026, 0, 15, 12, 0, 0));
    expect(gen('20500101000000Z').time()).toBe(Date.UTC(2050, 0, 1));
    expect(gen('20240229000000Z').time()).toBe(Date.UTC(2024, 1, 29));
  });

  it('accepts fractional seconds only when asked, to millisecond precision', () => {
    expectCode(() => gen('20260115120000.5Z').time(), 'PARSE', 'der');
    expect(gen('20260115120000.5Z').time(true)).toBe(Date.UTC(2026, 0, 15, 12, 0, 0, 500));
    expect(gen('20260115120000.123Z').time(true)).toBe(Date.UTC(2026, 0, 15, 12, 0, 0, 123));
    expect(gen('20260115120000.057Z').time(true)).toBe(Date.UTC(2026, 0, 15, 12, 0, 0, 57));
    expect(gen('20260115120000.9999Z').time(true)).toBe(Date.UTC(2026, 0, 15, 12, 0, 0, 999));
    for (let ms = 1; ms < 1000; ms++) {
      const frac = String(ms).padStart(3, '0').replace(/0+$/, '');
      expect(gen(`20260115120000.${frac}Z`).time(true)).toBe(Date.UTC(2026, 0, 15, 12, 0, 0, ms));
    }
  });

  it('rejects fractions with trailing zeros, empty fractions and comma separators', () => {
    for (const s of ['20260115120000.50Z', '20260115120000.0Z', '20260115120000.Z', '20260115120000,5Z', '20260115120000.500Z']) {
      expectCode(() => gen(s).time(true), 'PARSE', 'der');
    }
  });

  it('rejects GeneralizedTime without Z, with an offset, or without seconds', () => {
    for (const s of ['20260115120000', '20260115120000+0100', '202601151200Z', '2026011512Z']) {
      expectCode(() => gen(s).time(true), 'PARSE', 'der');
    }
  });

  it('rejects impossible dates and out-of-range fields', () => {
    for (const s of ['20260230000000Z', '20250229000000Z', '20261301000000Z', '20260001000000Z', '20260100000000Z', '20260431000000Z', '20260115240000Z', '20260115126000Z', '20260115120060Z']) {
      expectCode(() => gen(s).time(), 'PARSE', 'der');
    }
    expectCode(() => utc('260230000000Z').time(), 'PARSE', 'der');
  });

  it('rejects other tags', () => {
    expectCode(() => el(tlv(Tag.UTF8_STRING, ascii('20260115120000Z'))).time(), 'PARSE', 'der');
  });
});
