/**
 * The BigInt-free DER → P1363 conversion of the WebCrypto provider must
 * accept exactly what the strict parser accepts, with the same r and s:
 * checked on real signatures, on every boundary of 0 < r, s < n and of the
 * DER rules, on every Wycheproof ECDSA signature (most are malformed), and
 * on random mutations of valid encodings.
 */
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../src/encoding/hex.js';
import { EC_CURVES, type EcKeyType, parseEcdsaSignature } from '../../src/crypto/ecdsa-signature.js';
import { ecdsaDerToP1363OrUndefined } from '../../src/crypto/p1363-signature.js';
import { derIntHex, ecdsaSigHex, tlvHex } from '../helpers/ecdsa-der.js';

const TYPES: readonly EcKeyType[] = ['ec-p256', 'ec-p384', 'ec-p521'];

/** The strict BigInt parser's verdict, in the converter's terms: r‖s as hex, each padded to the curve width. */
function strict(der: Uint8Array, type: EcKeyType): string | undefined {
  let rs: { r: bigint; s: bigint };
  try {
    rs = parseEcdsaSignature(der, type);
  } catch {
    return undefined;
  }
  const w = 2 * EC_CURVES[type].bytes;
  return rs.r.toString(16).padStart(w, '0') + rs.s.toString(16).padStart(w, '0');
}

function agree(der: Uint8Array, type: EcKeyType): string | undefined {
  const got = ecdsaDerToP1363OrUndefined(der, type);
  const want = strict(der, type);
  expect(got === undefined ? undefined : toHex(got), `${type} ${toHex(der)}`).toBe(want);
  return want;
}

const sig = (r: bigint, s: bigint): Uint8Array => fromHex(ecdsaSigHex(r, s), 'test');

describe('ecdsaDerToP1363OrUndefined', () => {
  it('converts real signatures on every curve exactly as the reference parser reads them', () => {
    for (const [curve, type] of [['P-256', 'ec-p256'], ['P-384', 'ec-p384'], ['P-521', 'ec-p521']] as const) {
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: curve });
      for (let i = 0; i < 20; i++) {
        const der = new Uint8Array(sign('sha256', randomBytes(16), { key: privateKey, dsaEncoding: 'der' }));
        const p1363 = new Uint8Array(sign('sha256', randomBytes(16), { key: privateKey, dsaEncoding: 'ieee-p1363' }));
        expect(agree(der, type)).toBeDefined();
        expect(ecdsaDerToP1363OrUndefined(der, type)!.length).toBe(p1363.length);
      }
    }
  });

  it('agrees on every boundary of 0 < r, s < n (including n, n±1, 2^(8w) and values one byte too long)', () => {
    for (const type of TYPES) {
      const n = EC_CURVES[type].order;
      const w = BigInt(EC_CURVES[type].bytes);
      const values = [0n, 1n, 2n, 0x7fn, 0x80n, 0xffn, n / 2n, n - 2n, n - 1n, n, n + 1n, (1n << (8n * w)) - 1n, 1n << (8n * w), 1n << (8n * w + 8n)];
      let accepted = 0;
      for (const r of values) for (const s of values) if (agree(sig(r, s), type) !== undefined) accepted++;
      // r and s each in {1, 2, 0x7f, 0x80, 0xff, n/2, n-2, n-1}: 8 × 8 accepted pairs.
      expect(accepted).toBe(64);
    }
  });

  it('refuses what strict DER refuses: BER lengths, non-minimal and negative INTEGERs, trailing bytes, wrong tags, empty input', () => {
    const good = toHex(sig(5n, 7n));
    const cases = [
      '',
      '30',
      '3006020105020107' + '00', // trailing byte after the SEQUENCE
      '308106020105020107', // long-form length for a short SEQUENCE
      '3007020105020107' + '00', // SEQUENCE length covers a trailing byte inside
      '30070200050201' + '07', // truncated
      '300702020005020107', // non-minimal r (00 05)
      '3006020185020107', // negative r (0x85)
      '30060201ff020107', // r = -1
      '300502000201' + '07', // empty INTEGER r
      '3106020105020107', // SET instead of SEQUENCE
      '3006030105020107', // BIT STRING instead of INTEGER
      '30090201050201070201' + '01', // three INTEGERs
      '3003020105', // one INTEGER
    ];
    expect(agree(fromHex(good, 'test'), 'ec-p256')).toBeDefined();
    for (const hex of cases) for (const type of TYPES) expect(agree(fromHex(hex, 'test'), type)).toBeUndefined();
  });

  it('agrees with the strict parser on random mutations of valid signatures', () => {
    let accepted = 0;
    let refused = 0;
    for (const type of TYPES) {
      const n = EC_CURVES[type].order;
      for (let i = 0; i < 400; i++) {
        const r = BigInt('0x' + randomBytes(EC_CURVES[type].bytes).toString('hex')) % n;
        const s = BigInt('0x' + randomBytes(EC_CURVES[type].bytes).toString('hex')) % n;
        const base = sig(r === 0n ? 1n : r, s === 0n ? 1n : s);
        const m = new Uint8Array(base);
        const rnd = randomBytes(4);
        const at = rnd[0]! % m.length;
        let der: Uint8Array;
        switch (rnd[1]! % 4) {
          case 0: // flip bits of one byte
            m[at] = m[at]! ^ (1 + (rnd[2]! % 255));
            der = m;
            break;
          case 1: // truncate
            der = m.subarray(0, at);
            break;
          case 2: // insert a byte
            der = new Uint8Array([...m.subarray(0, at), rnd[2]!, ...m.subarray(at)]);
            break;
          default: // set one byte to a boundary value
            m[at] = [0x00, 0x7f, 0x80, 0xff][rnd[2]! % 4]!;
            der = m;
        }
        if (agree(der, type) === undefined) refused++;
        else accepted++;
      }
    }
    // Both outcomes occur, so the comparison means something.
    expect(refused).toBeGreaterThan(100);
    expect(accepted).toBeGreaterThan(10);
  });

  const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  const wycheproof = path.resolve(repoRoot, '../shared/vectors/wycheproof');
  const haveVectors = existsSync(wycheproof);
  if (!haveVectors) console.warn(`NOTE: ${wycheproof} is absent; the Wycheproof part of the P1363 test is skipped.`);
  it.skipIf(!haveVectors)('agrees with the strict parser on every Wycheproof ECDSA signature', () => {
    const curves: { readonly [c: string]: EcKeyType } = { secp256r1: 'ec-p256', secp384r1: 'ec-p384', secp521r1: 'ec-p521' };
    let total = 0;
    let accepted = 0;
    for (const f of readdirSync(wycheproof).filter((x) => x.startsWith('ecdsa_') && x.endsWith('.json'))) {
      const suite = JSON.parse(readFileSync(path.join(wycheproof, f), 'utf8')) as {
        testGroups: { publicKey: { curve: string }; tests: { sig: string }[] }[];
      };
      for (const g of suite.testGroups) {
        const type = curves[g.publicKey.curve];
        if (type === undefined) continue;
        for (const t of g.tests) {
          total++;
          if (agree(fromHex(t.sig, 'wycheproof'), type) !== undefined) accepted++;
        }
      }
    }
    expect(total).toBeGreaterThan(500);
    expect(accepted).toBeGreaterThan(0);
    expect(accepted).toBeLessThan(total);
  });
});
