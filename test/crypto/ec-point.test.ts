import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ecPointOnCurve } from '../../src/crypto/ec-point.js';

const CURVES = [
  ['ec-p256', 'P-256'],
  ['ec-p384', 'P-384'],
  ['ec-p521', 'P-521'],
] as const;

function rawPoint(namedCurve: string): Uint8Array {
  const { publicKey } = crypto.generateKeyPairSync('ec', { namedCurve });
  const jwk = publicKey.export({ format: 'jwk' });
  const x = Buffer.from(jwk.x!, 'base64url');
  const y = Buffer.from(jwk.y!, 'base64url');
  return new Uint8Array([4, ...x, ...y]);
}

describe('ecPointOnCurve', () => {
  for (const [type, name] of CURVES) {
    it(`${name}: accepts real public keys and refuses every one-bit change of y, the wrong length and a compressed prefix`, () => {
      for (let i = 0; i < 20; i++) {
        const p = rawPoint(name);
        expect(ecPointOnCurve(type, p)).toBe(true);
        const bad = p.slice();
        bad[bad.length - 1]! ^= 1;
        expect(ecPointOnCurve(type, bad)).toBe(false);
        const c = p.slice();
        c[0] = 2;
        expect(ecPointOnCurve(type, c)).toBe(false);
        expect(ecPointOnCurve(type, p.subarray(0, p.length - 1))).toBe(false);
      }
    });
  }

  it('refuses coordinates not below p (x = p with a y that would match modulo p)', () => {
    // P-256: x and y of all-0xff bytes exceed p; the all-zero point is off the curve.
    expect(ecPointOnCurve('ec-p256', new Uint8Array([4, ...new Uint8Array(64).fill(0xff)]))).toBe(false);
    expect(ecPointOnCurve('ec-p256', new Uint8Array(65).fill(0, 1).fill(4, 0, 1))).toBe(false);
  });
});
