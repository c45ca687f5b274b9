import { generateKeyPairSync, sign } from 'node:crypto';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { describe, expect, it } from 'vitest';
import { SigvetError } from '../../src/errors.js';
import { fromHex, toHex } from '../../src/encoding/hex.js';
import {
  EC_CURVES,
  type EcKeyType,
  parseEcdsaSignature,
} from '../../src/crypto/ecdsa-signature.js';
import { derIntHex, ecdsaSigHex, tlvHex } from '../helpers/ecdsa-der.js';
import { ecdsaDerToP1363OrUndefined } from '../../src/crypto/p1363-signature.js';

const h = (s: string): Uint8Array => fromHex(s, 'test');
const int = derIntHex;
const sigHex = ecdsaSigHex;

function parseError(der: Uint8Array, type: EcKeyType = 'ec-p256'): SigvetError {
  try {
    parseEcdsaSignature(der, type);
  } catch (e) {
    expect(e).toBeInstanceOf(SigvetError);
    expect((e as SigvetError).code).toBe('PARSE');
    expect((e as SigvetError).check).toBe('signature.ecdsa');
    return e as SigvetError;
  }
  throw new Error('expected a PARSE error');
}

describe('EC_CURVES', () => {
  it('has the group orders and sizes noble uses', () => {
    expect(EC_CURVES['ec-p256'].order).toBe(p256.Point.Fn.ORDER);
    expect(EC_CURVES['ec-p384'].order).toBe(p384.Point.Fn.ORDER);
    expect(EC_CURVES['ec-p521'].order).toBe(p521.Point.Fn.ORDER);
    expect(EC_CURVES['ec-p256'].bytes).toBe(p256.Point.Fn.BYTES);
    expect(EC_CURVES['ec-p384'].bytes).toBe(p384.Point.Fn.BYTES);
    expect(EC_CURVES['ec-p521'].bytes).toBe(p521.Point.Fn.BYTES);
  });
});

describe('parseEcdsaSignature', () => {
  const n = EC_CURVES['ec-p256'].order;

  it('reads real signatures on every curve, including P-521 long-form lengths', () => {
    for (const [curve, type] of [
      ['P-256', 'ec-p256'],
      ['P-384', 'ec-p384'],
      ['P-521', 'ec-p521'],
    ] as const) {
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: curve });
      const der = new Uint8Array(sign('sha256', new Uint8Array([1]), { key: privateKey, dsaEncoding: 'der' }));
      const p1363 = new Uint8Array(sign('sha256', new Uint8Array([1]), { key: privateKey, dsaEncoding: 'ieee-p1363' }));
      const { r, s } = parseEcdsaSignature(der, type);
      expect(r > 0n && s > 0n).toBe(true);
      // Both signatures are random; check only shape and a round trip through the converter.
      const conv = ecdsaDerToP1363OrUndefined(der, type)!;
      expect(conv.length).toBe(p1363.length);
      const w = EC_CURVES[type].bytes;
      expect(BigInt('0x' + toHex(conv.subarray(0, w)))).toBe(r);
      expect(BigInt('0x' + toHex(conv.subarray(w)))).toBe(s);
    }
  });

  it('accepts high-S (s > n/2) and the extreme values 1 and n-1', () => {
    expect(parseEcdsaSignature(h(sigHex(1n, n - 1n)), 'ec-p256')).toEqual({ r: 1n, s: n - 1n });
    expect(parseEcdsaSignature(h(sigHex(n - 1n, n / 2n + 1n)), 'ec-p256')).toEqual({ r: n - 1n, s: n / 2n + 1n });
  });

  it('rejects r = 0, s = 0, r = n, s = n and larger values', () => {
    parseError(h(sigHex(0n, 5n)));
    parseError(h(sigHex(5n, 0n)));
    parseError(h(sigHex(n, 5n)));
    parseError(h(sigHex(5n, n)));
    parseError(h(sigHex(5n, n + 1n)));
    parseError(h(sigHex(5n, 1n << 256n)));
    // n of P-256 is fine as a P-384 scalar, so the range is per curve.
    expect(parseEcdsaSignature(h(sigHex(5n, n)), 'ec-p384').s).toBe(n);
  });

  it('rejects negative and non-minimal integers', () => {
    parseError(h(tlvHex('30', tlvHex('02', 'ff') + int(5n)))); // -1
    parseError(h(tlvHex('30', tlvHex('02', '80' + '00'.repeat(31)) + int(5n)))); // high bit set: negative
    parseError(h(tlvHex('30', tlvHex('02', '0005') + int(5n)))); // leading zero not needed
    parseError(h(tlvHex('30', int(5n) + tlvHex('02', '000005'))));
    parseError(h(tlvHex('30', tlvHex('02', '') + int(5n)))); // empty INTEGER
  });

  it('rejects BER long-form lengths, indefinite lengths and trailing bytes', () => {
    const good = sigHex(5n, 7n); // 30 06 02 01 05 02 01 07
    expect(parseEcdsaSignature(h(good), 'ec-p256')).toEqual({ r: 5n, s: 7n });
    parseError(h('3081' + good.slice(2))); // long-form outer length for < 128
    parseError(h('3006' + '028105' + '020107').subarray(0)); // malformed long-form inner length
    parseError(h('3007' + '02810105' + '020107'));
    parseError(h('3080' + good.slice(4) + '0000')); // indefinite length
    parseError(h(good + '00')); // trailing byte after the SEQUENCE
    parseError(h(tlvHex('30', int(5n) + int(7n) + '0500'))); // extra element
    parseError(h(tlvHex('30', int(5n)))); // one element
  });

  it('rejects wrong tags and raw r‖s', () => {
    parseError(h(tlvHex('31', int(5n) + int(7n))));
    parseError(h(tlvHex('30', tlvHex('03', '0005') + int(7n))));
    parseError(new Uint8Array(64).fill(1));
    parseError(new Uint8Array(0));
  });

  it('refuses oversized input before parsing', () => {
    const e = parseError(new Uint8Array(1000));
    expect(e.expected).toMatch(/at most/);
  });
});

describe('ecdsaDerToP1363OrUndefined', () => {
  it('pads r and s to the curve width', () => {
    expect(toHex(ecdsaDerToP1363OrUndefined(h(sigHex(5n, 7n)), 'ec-p256')!)).toBe('00'.repeat(31) + '05' + '00'.repeat(31) + '07');
    const p521 = ecdsaDerToP1363OrUndefined(h(sigHex(1n, 2n)), 'ec-p521')!;
    expect(p521.length).toBe(132);
    expect(p521[65]).toBe(1);
    expect(p521[131]).toBe(2);
  });

  it('refuses what the parser refuses', () => {
    expect(ecdsaDerToP1363OrUndefined(h(sigHex(0n, 7n)), 'ec-p256')).toBeUndefined();
  });
});
