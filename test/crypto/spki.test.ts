import { generateKeyPairSync } from 'node:crypto';
import { ed25519 } from '@noble/curves/ed25519.js';
import { describe, expect, it } from 'vitest';
import { SigvetError } from '../../src/errors.js';
import { encodeBase64 } from '../../src/encoding/base64.js';
import { fromHex, toHex } from '../../src/encoding/hex.js';
import { ed25519EncodingIssue, parseRsaPublicKey, parseSpki, pemToDer } from '../../src/crypto/spki.js';

/** Minimal DER encoder for building test inputs. */
function tlv(tag: number, ...parts: Uint8Array[]): Uint8Array {
  const len = parts.reduce((n, p) => n + p.length, 0);
  const head =
    len < 0x80 ? [tag, len] : len < 0x100 ? [tag, 0x81, len] : [tag, 0x82, len >> 8, len & 0xff];
  const out = new Uint8Array(head.length + len);
  out.set(head);
  let o = head.length;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
const h = (s: string): Uint8Array => fromHex(s, 'test');
const seq = (...p: Uint8Array[]) => tlv(0x30, ...p);
const bitString = (b: Uint8Array, unused = 0) => tlv(0x03, new Uint8Array([unused]), b);
const NULL = h('0500');
const OID = {
  ecPublicKey: h('06072a8648ce3d0201'),
  p256: h('06082a8648ce3d030107'),
  secp256k1: h('06052b8104000a'),
  ed25519: h('06032b6570'),
  x25519: h('06032b656e'),
  rsaEncryption: h('06092a864886f70d010101'),
};
function integer(v: bigint): Uint8Array {
  let hex = v.toString(16);
  if (hex.length % 2) hex = '0' + hex;
  if (parseInt(hex.slice(0, 2), 16) >= 0x80) hex = '00' + hex;
  return tlv(0x02, h(hex));
}

function spkiOf(type: 'ec' | 'ed25519' | 'rsa' | 'rsa-pss', opts: object = {}): Uint8Array {
  const { publicKey } = generateKeyPairSync(type as 'ec', opts as { namedCurve: string });
  return new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }));
}

function caught(f: () => unknown): SigvetError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(SigvetError);
    return e as SigvetError;
  }
  throw new Error('expected a SigvetError');
}

describe('parseSpki', () => {
  it.each([
    ['P-256', 'ec-p256', 65],
    ['P-384', 'ec-p384', 97],
    ['P-521', 'ec-p521', 133],
  ] as const)('reads %s keys', (curve, type, pointLen) => {
    const spki = spkiOf('ec', { namedCurve: curve });
    const info = parseSpki(spki, 'key');
    expect(info.type).toBe(type);
    expect(info.bits).toBe(0);
    expect(info.publicKey.length).toBe(pointLen);
    expect(info.publicKey[0]).toBe(0x04);
    // A view into the input, not a copy.
    expect(info.publicKey.buffer).toBe(spki.buffer);
  });

  it('reads Ed25519 keys', () => {
    const info = parseSpki(spkiOf('ed25519'), 'key');
    expect(info).toMatchObject({ type: 'ed25519', bits: 0 });
    expect(info.publicKey.length).toBe(32);
  });

  it.each([2048, 3072, 4096])('reads %i-bit RSA keys and computes the modulus bits', (bits) => {
    const info = parseSpki(spkiOf('rsa', { modulusLength: bits }), 'key');
    expect(info.type).toBe('rsa');
    expect(info.bits).toBe(bits);
    expect(parseRsaPublicKey(info.publicKey, 'key').e).toBe(65537n);
  });

  it('rejects RSA keys below 2048 bits with KEY', () => {
    const e = caught(() => parseSpki(spkiOf('rsa', { modulusLength: 1024 }), 'key'));
    expect(e.code).toBe('KEY');
    expect(e.actual).toBe('1024 bits');
  });

  it('counts modulus bits exactly (odd sizes, checked against the JWK modulus)', () => {
    for (const size of [2049, 2055, 2063]) {
      const { publicKey } = generateKeyPairSync('rsa', { modulusLength: size });
      const n = BigInt('0x' + toHex(new Uint8Array(Buffer.from(publicKey.export({ format: 'jwk' }).n!, 'base64url'))));
      const spki = new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }));
      expect(parseSpki(spki, 'key').bits).toBe(n.toString(2).length);
    }
  });

  it('accepts odd exponents from 3 and rejects even, 1 and huge exponents', () => {
    const n = (1n << 2047n) + 12345n * 2n + 1n; // 2048 bits, odd
    const rsa = (e: bigint) => seq(seq(OID.rsaEncryption, NULL), bitString(seq(integer(n), integer(e))));
    expect(parseSpki(rsa(3n), 'key').bits).toBe(2048);
    expect(parseSpki(rsa(0x7fffffffn), 'key').type).toBe('rsa');
    for (const e of [1n, 2n, 65536n, 0x80000001n, 1n << 80n]) {
      expect(caught(() => parseSpki(rsa(e), 'key')).code).toBe('KEY');
    }
    // Even modulus.
    const even = seq(seq(OID.rsaEncryption, NULL), bitString(seq(integer(n + 1n), integer(65537n))));
    expect(caught(() => parseSpki(even, 'key')).code).toBe('KEY');
  });

  it('requires NULL parameters for rsaEncryption', () => {
    const body = bitString(seq(integer((1n << 2047n) + 1n), integer(65537n)));
    expect(caught(() => parseSpki(seq(seq(OID.rsaEncryption), body), 'key')).code).toBe('PARSE');
    expect(caught(() => parseSpki(seq(seq(OID.rsaEncryption, h('0400')), body), 'key')).code).toBe('PARSE');
  });

  it('rejects RSASSA-PSS keys as UNSUPPORTED', () => {
    const e = caught(() => parseSpki(spkiOf('rsa-pss', { modulusLength: 2048 }), 'key'));
    expect(e.code).toBe('UNSUPPORTED');
    expect(e.check).toBe('key.algorithm');
  });

  it('rejects unknown algorithms and curves as UNSUPPORTED key.algorithm', () => {
    const x25519 = seq(seq(OID.x25519), bitString(new Uint8Array(32).fill(9)));
    expect(caught(() => parseSpki(x25519, 'key'))).toMatchObject({ code: 'UNSUPPORTED', check: 'key.algorithm' });
    const k1 = seq(seq(OID.ecPublicKey, OID.secp256k1), bitString(new Uint8Array(65).fill(4)));
    expect(caught(() => parseSpki(k1, 'key'))).toMatchObject({ code: 'UNSUPPORTED', check: 'key.algorithm' });
    // Explicit curve parameters (a SEQUENCE instead of a named curve).
    const explicit = seq(seq(OID.ecPublicKey, seq(integer(1n))), bitString(new Uint8Array(65).fill(4)));
    expect(caught(() => parseSpki(explicit, 'key')).code).toBe('UNSUPPORTED');
  });

  it('rejects compressed points, the point at infinity and wrong lengths', () => {
    const spki = spkiOf('ec', { namedCurve: 'P-256' });
    const point = parseSpki(spki, 'key').publicKey;
    const withPoint = (p: Uint8Array) => seq(seq(OID.ecPublicKey, OID.p256), bitString(p));
    expect(toHex(withPoint(point))).toBe(toHex(spki));
    const compressed = new Uint8Array(33);
    compressed[0] = 2 + (point[64]! & 1);
    compressed.set(point.subarray(1, 33), 1);
    for (const bad of [compressed, new Uint8Array([0]), point.subarray(0, 64), new Uint8Array([6, ...point.subarray(1)])]) {
      expect(caught(() => parseSpki(withPoint(bad), 'key'))).toMatchObject({ code: 'PARSE', check: 'key.spki' });
    }
  });

  it('rejects trailing bytes, unused bits and malformed DER with PARSE', () => {
    const spki = spkiOf('ed25519');
    const trailing = new Uint8Array([...spki, 0]);
    expect(caught(() => parseSpki(trailing, 'key'))).toMatchObject({ code: 'PARSE', check: 'key.spki' });
    const key = parseSpki(spki, 'key').publicKey;
    expect(caught(() => parseSpki(seq(seq(OID.ed25519), bitString(key, 1)), 'key')).code).toBe('PARSE');
    expect(caught(() => parseSpki(seq(seq(OID.ed25519), bitString(key), NULL), 'key')).code).toBe('PARSE');
    expect(caught(() => parseSpki(spki.subarray(0, 20), 'key')).code).toBe('PARSE');
    // Ed25519 parameters must be absent (RFC 8410).
    expect(caught(() => parseSpki(seq(seq(OID.ed25519, NULL), bitString(key)), 'key')).code).toBe('PARSE');
    expect(caught(() => parseSpki(seq(seq(OID.ed25519), bitString(key.subarray(1))), 'key')).code).toBe('PARSE');
  });

  it('rejects small-order and non-canonical Ed25519 keys with KEY', () => {
    const withKey = (k: Uint8Array) => seq(seq(OID.ed25519), bitString(k));
    const identity = h('01' + '00'.repeat(31));
    const yIsP = h('ed' + 'ff'.repeat(30) + '7f'); // y = p: non-canonical encoding of y = 0
    for (const k of [identity, yIsP, h('01' + '00'.repeat(30) + '80')]) {
      expect(caught(() => parseSpki(withKey(k), 'key'))).toMatchObject({ code: 'KEY', check: 'key.ed25519' });
    }
  });
});

describe('ed25519EncodingIssue', () => {
  const Point = ed25519.Point;
  // The eight points of order dividing 8: multiples of one point of order 8.
  const t8 = Point.fromBytes(h('26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05'));

  it('flags exactly the small-order points that noble finds', () => {
    const torsion = Array.from({ length: 8 }, (_, i) => (i === 0 ? Point.ZERO : t8.multiplyUnsafe(BigInt(i))));
    expect(new Set(torsion.map((p) => p.toHex())).size).toBe(8);
    // Their y-coordinates are the five values the check lists (x = ±… share y).
    expect(new Set(torsion.map((p) => p.toAffine().y)).size).toBe(5);
    for (const p of torsion) {
      expect(p.isSmallOrder()).toBe(true);
      expect(ed25519EncodingIssue(p.toBytes())).toBe('small-order');
    }
    // Random honest keys are never flagged.
    for (let i = 0; i < 32; i++) {
      const pk = ed25519.getPublicKey(ed25519.utils.randomSecretKey());
      expect(ed25519EncodingIssue(pk)).toBeUndefined();
    }
  });

  it('flags non-canonical encodings that noble strict decoding refuses', () => {
    const p = (1n << 255n) - 19n;
    for (let y = p; y < 1n << 255n; y += 3n) {
      const b = new Uint8Array(32);
      let v = y;
      for (let i = 0; i < 32; i++, v >>= 8n) b[i] = Number(v & 0xffn);
      expect(ed25519EncodingIssue(b)).toBe('non-canonical');
      expect(() => Point.fromBytes(b, false)).toThrow();
    }
    const minusZero = h('01' + '00'.repeat(30) + '80');
    expect(ed25519EncodingIssue(minusZero)).toBe('non-canonical');
    expect(() => Point.fromBytes(minusZero, false)).toThrow();
  });
});

describe('pemToDer', () => {
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pem = publicKey.export({ format: 'pem', type: 'spki' }) as string;
  const der = new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }));

  it('decodes a PEM block exactly as node:crypto exports it, with LF or CRLF', () => {
    expect(toHex(pemToDer(pem, 'PUBLIC KEY'))).toBe(toHex(der));
    expect(toHex(pemToDer(pem.replace(/\n/g, '\r\n'), 'PUBLIC KEY'))).toBe(toHex(der));
    expect(toHex(pemToDer(pem.trimEnd(), 'PUBLIC KEY'))).toBe(toHex(der));
  });

  it('accepts body lines of any length, including a single line', () => {
    const b64 = encodeBase64(new Uint8Array(200).fill(7));
    const wrap = (n: number) =>
      `-----BEGIN CERTIFICATE-----\n${b64.match(new RegExp(`.{1,${n}}`, 'g'))!.join('\n')}\n-----END CERTIFICATE-----\n`;
    for (const n of [64, 76, 77, b64.length]) expect(pemToDer(wrap(n), 'CERTIFICATE')).toEqual(new Uint8Array(200).fill(7));
  });

  it.each([
    ['a different label', (p: string) => p.replace(/PUBLIC KEY/g, 'CERTIFICATE')],
    ['a mismatched END label', (p: string) => p.replace('END PUBLIC KEY', 'END CERTIFICATE')],
    ['text before BEGIN', (p: string) => `comment\n${p}`],
    ['leading whitespace', (p: string) => ` ${p}`],
    ['text after END', (p: string) => `${p}junk\n`],
    ['a second block', (p: string) => p + p],
    ['a header line', (p: string) => p.replace('-----\n', '-----\nProc-Type: 4,ENCRYPTED\n')],
    ['a blank line in the body', (p: string) => p.replace('-----\n', '-----\n\n')],
    ['spaces in the body', (p: string) => p.replace(/\n([A-Za-z0-9+/]{10})/, '\n $1')],
    ['mixed line endings', (p: string) => p.replace('\n', '\r\n')],
    ['URL-safe characters', (p: string) => p.replace(/-----\n./, '-----\n_')],
    ['a missing END line', (p: string) => p.replace(/-----END[^\n]*\n/, '')],
    ['an empty body', () => '-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----\n'],
  ])('rejects %s', (_, mutate) => {
    const bad = mutate(pem);
    expect(bad).not.toBe(pem);
    expect(caught(() => pemToDer(bad, 'PUBLIC KEY'))).toMatchObject({ code: 'PARSE', check: 'encoding.pem' });
  });

  it('rejects non-canonical base64 (non-zero trailing bits)', () => {
    expect(caught(() => pemToDer('-----BEGIN X-----\nAB==\n-----END X-----\n', 'X')).code).toBe('PARSE');
    expect(pemToDer('-----BEGIN X-----\nAA==\n-----END X-----\n', 'X')).toEqual(new Uint8Array([0]));
  });

  it('rejects oversized input with LIMIT', () => {
    const big = `-----BEGIN X-----\n${'AAAA\n'.repeat(300_000)}-----END X-----\n`;
    expect(caught(() => pemToDer(big, 'X')).code).toBe('LIMIT');
  });
});
