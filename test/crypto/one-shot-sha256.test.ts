import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../src/encoding/hex.js';
import { oneShotSha256 } from '../../src/crypto/one-shot-sha256.js';

const reference = (d: Uint8Array): string => createHash('sha256').update(d).digest('hex');
const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('oneShotSha256', () => {
  it('gives the FIPS 180-4 example digests', () => {
    expect(toHex(oneShotSha256(new Uint8Array(0)))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(toHex(oneShotSha256(ascii('abc')))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(toHex(oneShotSha256(ascii('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')))).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
  });

  it("equals node:crypto's SHA-256 at every length around the padding boundaries (0–300 bytes)", () => {
    const data = new Uint8Array(randomBytes(300));
    for (let n = 0; n <= 300; n++) expect(toHex(oneShotSha256(data.subarray(0, n))), `length ${n}`).toBe(reference(data.subarray(0, n)));
  });

  it('equals node:crypto on large inputs and on views at an offset into a larger buffer', () => {
    for (const n of [4096, 65_537, 1_000_003]) {
      const data = new Uint8Array(randomBytes(n));
      expect(toHex(oneShotSha256(data))).toBe(reference(data));
      const view = data.subarray(7, n - 5);
      expect(toHex(oneShotSha256(view))).toBe(reference(view));
    }
  });

  it('leaves its input untouched and returns a fresh digest each call (scratch state is not shared with results)', () => {
    const data = new Uint8Array(randomBytes(130));
    const copy = data.slice();
    const first = oneShotSha256(data);
    const other = oneShotSha256(new Uint8Array(5));
    expect(data).toEqual(copy);
    expect(first).not.toBe(other);
    expect(toHex(first)).toBe(reference(data));
    expect(toHex(oneShotSha256(data))).toBe(toHex(first));
  });
});
