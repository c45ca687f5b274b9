import {
  constants,
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  generatePrimeSync,
  sign,
  type KeyObject,
} from 'node:crypto';
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { SigvetError } from '../../src/errors.js';
import { parseDer } from '../../src/der/element.js';
import { fromHex, toHex } from '../../src/encoding/hex.js';
import { EC_CURVES, parseEcdsaSignature } from '../../src/crypto/ecdsa-signature.js';
import { nodeCryptoProvider } from '../../src/crypto/node.js';
import { nobleProvider } from '../../src/crypto/noble.js';
import type { CryptoProvider, HashAlgorithm, PublicKey, SignatureScheme } from '../../src/crypto/provider.js';
import { parseSpki } from '../../src/crypto/spki.js';
import {
  defaultSchemeForKey,
  hashFromOid,
  importPublicKey,
  schemeFromAlgorithmIdentifier,
  verifySignature,
  verifySignatureOverDigest,
} from '../../src/crypto/verify-signature.js';
import { webCryptoProvider } from '../../src/crypto/webcrypto.js';

const PROVIDERS: readonly CryptoProvider[] = [nodeCryptoProvider, webCryptoProvider, nobleProvider];
const MSG = new TextEncoder().encode('sigvet test message');
const h = (s: string): Uint8Array => fromHex(s, 'test');
const spkiOf = (k: KeyObject) => new Uint8Array(k.export({ format: 'der', type: 'spki' }));
const digestOf = (hash: HashAlgorithm, data: Uint8Array) => new Uint8Array(createHash(hash).update(data).digest());
const flip = (b: Uint8Array, i: number) => {
  const c = b.slice();
  c[i]! ^= 1;
  return c;
};

function derInt(v: bigint): string {
  let hex = v.toString(16);
  if (hex.length % 2) hex = '0' + hex;
  if (parseInt(hex.slice(0, 2), 16) >= 0x80) hex = '00' + hex;
  return '02' + (hex.length / 2).toString(16).padStart(2, '0') + hex;
}
function derSig(r: bigint, s: bigint): Uint8Array {
  const body = derInt(r) + derInt(s);
  const len = body.length / 2;
  return h('30' + (len < 0x80 ? '' : '81') + len.toString(16).padStart(2, '0') + body);
}

async function expectSigvet(p: Promise<unknown>, code: string): Promise<SigvetError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(SigvetError);
  expect((e as SigvetError).code).toBe(code);
  return e as SigvetError;
}

// Keys are generated once; each provider imports them.
const ec = {
  'P-256': generateKeyPairSync('ec', { namedCurve: 'P-256' }),
  'P-384': generateKeyPairSync('ec', { namedCurve: 'P-384' }),
  'P-521': generateKeyPairSync('ec', { namedCurve: 'P-521' }),
};
const edKeys = generateKeyPairSync('ed25519');
const rsaKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const rsaE3 = generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 3 });

interface Case {
  name: string;
  keys: { publicKey: KeyObject; privateKey: KeyObject };
  scheme: SignatureScheme;
  sign: (data: Uint8Array) => Uint8Array;
}
const ecdsaCase = (curve: keyof typeof ec, hash: HashAlgorithm): Case => ({
  name: `ECDSA ${curve} ${hash}`,
  keys: ec[curve],
  scheme: { kind: 'ecdsa', hash },
  sign: (d) => new Uint8Array(sign(hash, d, { key: ec[curve].privateKey, dsaEncoding: 'der' })),
});
const pkcs1Case = (hash: HashAlgorithm, keys = rsaKeys, label = ''): Case => ({
  name: `RSA PKCS#1 v1.5 ${hash}${label}`,
  keys,
  scheme: { kind: 'rsa-pkcs1', hash },
  sign: (d) => new Uint8Array(sign(hash, d, { key: keys.privateKey, padding: constants.RSA_PKCS1_PADDING })),
});
const pssCase = (hash: HashAlgorithm, saltLength: number): Case => ({
  name: `RSA-PSS ${hash} salt ${saltLength}`,
  keys: rsaKeys,
  scheme: { kind: 'rsa-pss', hash, saltLength },
  sign: (d) =>
    new Uint8Array(sign(hash, d, { key: rsaKeys.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength })),
});
const CASES: Case[] = [
  ecdsaCase('P-256', 'sha256'),
  ecdsaCase('P-384', 'sha384'),
  ecdsaCase('P-521', 'sha512'),
  ecdsaCase('P-256', 'sha512'),
  ecdsaCase('P-384', 'sha256'),
  {
    name: 'Ed25519',
    keys: edKeys,
    scheme: { kind: 'ed25519' },
    sign: (d) => new Uint8Array(sign(null, d, edKeys.privateKey)),
  },
  pkcs1Case('sha256'),
  pkcs1Case('sha384'),
  pkcs1Case('sha512'),
  pkcs1Case('sha256', rsaE3, ' (e = 3)'),
  pssCase('sha256', 32),
  pssCase('sha384', 0),
  pssCase('sha512', 64),
];

let rsa2049: { publicKey: KeyObject; privateKey: KeyObject } | undefined;

/** OpenSSL only generates even modulus sizes; build an RSA key of exactly `bits` bits from two primes. */
function rsaKeyWithBits(bits: number): { publicKey: KeyObject; privateKey: KeyObject } {
  const e = 65537n;
  const modInv = (a: bigint, m: bigint): bigint => {
    let [r0, r1, t0, t1] = [m, a % m, 0n, 1n];
    while (r1 !== 0n) {
      const q = r0 / r1;
      [r0, r1, t0, t1] = [r1, r0 - q * r1, t1, t0 - q * t1];
    }
    if (r0 !== 1n) throw new Error('not invertible');
    return ((t0 % m) + m) % m;
  };
  const b64u = (v: bigint) => Buffer.from(h(v.toString(16).padStart(Math.ceil(v.toString(16).length / 2) * 2, '0'))).toString('base64url');
  for (let i = 0; i < 200; i++) {
    const p = generatePrimeSync(Math.floor(bits / 2), { bigint: true });
    const q = generatePrimeSync(Math.ceil(bits / 2), { bigint: true });
    const n = p * q;
    if (n.toString(2).length !== bits || (p - 1n) % e === 0n || (q - 1n) % e === 0n) continue;
    const d = modInv(e, (p - 1n) * (q - 1n));
    const jwk = {
      kty: 'RSA',
      n: b64u(n),
      e: b64u(e),
      d: b64u(d),
      p: b64u(p),
      q: b64u(q),
      dp: b64u(d % (p - 1n)),
      dq: b64u(d % (q - 1n)),
      qi: b64u(modInv(q, p)),
    };
    const privateKey = createPrivateKey({ key: jwk, format: 'jwk' });
    return { privateKey, publicKey: createPublicKey(privateKey) };
  }
  throw new Error(`no ${bits}-bit key found`);
}

describe.each(PROVIDERS.map((p) => [p.name, p] as const))('provider %s', (_, provider) => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s: valid signatures verify, altered ones do not', async (__, c) => {
    const key = await importPublicKey(provider, spkiOf(c.keys.publicKey), 'test key');
    const sig = c.sign(MSG);
    expect(await verifySignature(provider, key, c.scheme, MSG, sig)).toBe(true);
    expect(await verifySignature(provider, key, c.scheme, flip(MSG, 0), sig)).toBe(false);
    expect(await verifySignature(provider, key, c.scheme, MSG, flip(sig, sig.length - 1))).toBe(false);
    expect(await verifySignature(provider, key, c.scheme, MSG, sig.subarray(0, sig.length - 1))).toBe(false);
    expect(await verifySignature(provider, key, c.scheme, MSG, new Uint8Array([...sig, 0]))).toBe(false);
    if (c.scheme.kind !== 'ed25519') {
      const digest = digestOf(c.scheme.hash, MSG);
      expect(await verifySignatureOverDigest(provider, key, c.scheme, digest, sig)).toBe(true);
      expect(await verifySignatureOverDigest(provider, key, c.scheme, flip(digest, 3), sig)).toBe(false);
      expect(await verifySignatureOverDigest(provider, key, c.scheme, digest, flip(sig, 10))).toBe(false);
    }
  });

  it('accepts high-S ECDSA signatures (Go does not normalize s), over data and over a digest', async () => {
    for (const [curve, type, hash] of [
      ['P-256', 'ec-p256', 'sha256'],
      ['P-384', 'ec-p384', 'sha384'],
      ['P-521', 'ec-p521', 'sha512'],
    ] as const) {
      const key = await importPublicKey(provider, spkiOf(ec[curve].publicKey), 'k');
      const n = EC_CURVES[type].order;
      const { r, s } = parseEcdsaSignature(ecdsaCase(curve, hash).sign(MSG), type);
      // Exactly one of (r, s) and (r, n − s) is high-S; both are valid.
      const high = derSig(r, s > n / 2n ? s : n - s);
      const low = derSig(r, s > n / 2n ? n - s : s);
      const scheme: SignatureScheme = { kind: 'ecdsa', hash };
      expect(await verifySignature(provider, key, scheme, MSG, high)).toBe(true);
      expect(await verifySignature(provider, key, scheme, MSG, low)).toBe(true);
      expect(await verifySignatureOverDigest(provider, key, scheme, digestOf(hash, MSG), high)).toBe(true);
    }
  });

  it('returns false (does not throw) for BER, raw r‖s and out-of-range ECDSA signatures', async () => {
    const key = await importPublicKey(provider, spkiOf(ec['P-256'].publicKey), 'k');
    const scheme: SignatureScheme = { kind: 'ecdsa', hash: 'sha256' };
    const good = ecdsaCase('P-256', 'sha256').sign(MSG);
    expect(await verifySignature(provider, key, scheme, MSG, good)).toBe(true);
    const { r, s } = parseEcdsaSignature(good, 'ec-p256');
    const n = EC_CURVES['ec-p256'].order;
    const longForm = new Uint8Array([0x30, 0x81, ...good.subarray(1)]);
    const rawP1363 = h(r.toString(16).padStart(64, '0') + s.toString(16).padStart(64, '0'));
    const paddedR = h('30' + (good[1]! + 1).toString(16) + '02' + (good[3]! + 1).toString(16) + '00' + toHex(good.subarray(4)));
    for (const bad of [longForm, rawP1363, paddedR, derSig(r, s + n), derSig(r + n, s), derSig(0n, s), new Uint8Array(0)]) {
      expect(await verifySignature(provider, key, scheme, MSG, bad)).toBe(false);
      expect(await verifySignatureOverDigest(provider, key, scheme, digestOf('sha256', MSG), bad)).toBe(false);
    }
  });

  it('rejects malleable and cofactor-dependent Ed25519 signatures', async () => {
    const secret = ed25519.utils.randomSecretKey();
    const pub = ed25519.getPublicKey(secret);
    const spki = h('302a300506032b6570032100' + toHex(pub));
    const key = await importPublicKey(provider, spki, 'k');
    const scheme: SignatureScheme = { kind: 'ed25519' };
    const sig = ed25519.sign(MSG, secret);
    expect(await verifySignature(provider, key, scheme, MSG, sig)).toBe(true);
    const Point = ed25519.Point;
    const L = Point.Fn.ORDER;
    const le = (b: Uint8Array) => BigInt('0x' + toHex(b.slice().reverse()));
    const toLe = (v: bigint) => h(v.toString(16).padStart(64, '0')).reverse();
    // S + L: the same signature, malleated.
    const sPlusL = new Uint8Array([...sig.subarray(0, 32), ...toLe(le(sig.subarray(32)) + L)]);
    expect(await verifySignature(provider, key, scheme, MSG, sPlusL)).toBe(false);
    // R + T (T of order 8): passes the cofactored equation (noble's own verify) but not the cofactorless one.
    const { scalar } = ed25519.utils.getExtendedPublicKey(secret);
    const rNonce = 123456789n;
    const T = Point.fromBytes(h('26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05'));
    const R = Point.BASE.multiply(rNonce).add(T).toBytes();
    const k = le(sha512(new Uint8Array([...R, ...pub, ...MSG]))) % L;
    const torsioned = new Uint8Array([...R, ...toLe((rNonce + k * scalar) % L)]);
    expect(ed25519.verify(torsioned, MSG, pub, { zip215: false })).toBe(true);
    expect(await verifySignature(provider, key, scheme, MSG, torsioned)).toBe(false);
  });

  it('throws KEY when the scheme does not fit the key', async () => {
    const ecKey = await importPublicKey(provider, spkiOf(ec['P-256'].publicKey), 'k');
    const edKey = await importPublicKey(provider, spkiOf(edKeys.publicKey), 'k');
    const rsaKey = await importPublicKey(provider, spkiOf(rsaKeys.publicKey), 'k');
    const sig = new Uint8Array(64);
    const pairs: [PublicKey, SignatureScheme][] = [
      [ecKey, { kind: 'ed25519' }],
      [ecKey, { kind: 'rsa-pkcs1', hash: 'sha256' }],
      [edKey, { kind: 'ecdsa', hash: 'sha256' }],
      [edKey, { kind: 'rsa-pss', hash: 'sha256', saltLength: 32 }],
      [rsaKey, { kind: 'ecdsa', hash: 'sha256' }],
      [rsaKey, { kind: 'ed25519' }],
    ];
    for (const [key, scheme] of pairs) {
      const e = await expectSigvet(verifySignature(provider, key, scheme, MSG, sig), 'KEY');
      expect(e.check).toBe('signature.scheme');
      expect(e.actual).toBe(key.type);
      await expectSigvet(verifySignatureOverDigest(provider, key, scheme, new Uint8Array(32), sig), 'KEY');
    }
  });

  it('refuses Ed25519 over a digest, digests of the wrong length and bad PSS salt lengths', async () => {
    const edKey = await importPublicKey(provider, spkiOf(edKeys.publicKey), 'k');
    await expectSigvet(verifySignatureOverDigest(provider, edKey, { kind: 'ed25519' }, new Uint8Array(32), new Uint8Array(64)), 'UNSUPPORTED');
    const ecKey = await importPublicKey(provider, spkiOf(ec['P-384'].publicKey), 'k');
    const e = await expectSigvet(
      verifySignatureOverDigest(provider, ecKey, { kind: 'ecdsa', hash: 'sha384' }, digestOf('sha256', MSG), new Uint8Array(8)),
      'SIGNATURE',
    );
    expect(e).toMatchObject({ check: 'signature.digest', expected: '48 bytes', actual: '32 bytes' });
    const rsaKey = await importPublicKey(provider, spkiOf(rsaKeys.publicKey), 'k');
    await expectSigvet(
      verifySignature(provider, rsaKey, { kind: 'rsa-pss', hash: 'sha256', saltLength: -1 }, MSG, new Uint8Array(256)),
      'INVALID_ARGUMENT',
    );
  });

  it('does not cross PSS and PKCS#1 v1.5 or salt lengths', async () => {
    const key = await importPublicKey(provider, spkiOf(rsaKeys.publicKey), 'k');
    const pss = pssCase('sha256', 32).sign(MSG);
    const pkcs1 = pkcs1Case('sha256').sign(MSG);
    const digest = digestOf('sha256', MSG);
    for (const over of [false, true]) {
      const v = (scheme: SignatureScheme, sig: Uint8Array) =>
        over ? verifySignatureOverDigest(provider, key, scheme, digest, sig) : verifySignature(provider, key, scheme, MSG, sig);
      expect(await v({ kind: 'rsa-pkcs1', hash: 'sha256' }, pss)).toBe(false);
      expect(await v({ kind: 'rsa-pss', hash: 'sha256', saltLength: 32 }, pkcs1)).toBe(false);
      expect(await v({ kind: 'rsa-pss', hash: 'sha256', saltLength: 20 }, pss)).toBe(false);
      expect(await v({ kind: 'rsa-pss', hash: 'sha256', saltLength: 32 }, pss)).toBe(true);
    }
  });

  it('verifies PSS when the modulus has 8k+1 bits (encoded message one byte shorter)', async () => {
    rsa2049 ??= rsaKeyWithBits(2049);
    const keys = rsa2049;
    expect(parseSpki(spkiOf(keys.publicKey), 'k').bits).toBe(2049);
    const key = await importPublicKey(provider, spkiOf(keys.publicKey), 'k');
    const scheme: SignatureScheme = { kind: 'rsa-pss', hash: 'sha256', saltLength: 32 };
    const sig = new Uint8Array(sign('sha256', MSG, { key: keys.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }));
    expect(sig.length).toBe(257);
    expect(await verifySignature(provider, key, scheme, MSG, sig)).toBe(true);
    expect(await verifySignatureOverDigest(provider, key, scheme, digestOf('sha256', MSG), sig)).toBe(true);
    expect(await verifySignatureOverDigest(provider, key, scheme, digestOf('sha256', flip(MSG, 1)), sig)).toBe(false);
    const pkcs1 = new Uint8Array(sign('sha256', MSG, { key: keys.privateKey, padding: constants.RSA_PKCS1_PADDING }));
    expect(await verifySignatureOverDigest(provider, key, { kind: 'rsa-pkcs1', hash: 'sha256' }, digestOf('sha256', MSG), pkcs1)).toBe(true);
  });

  it('rejects EC points that are not on the curve at import', async () => {
    const spki = spkiOf(ec['P-256'].publicKey);
    const bad = flip(spki, spki.length - 1);
    const e = await expectSigvet(importPublicKey(provider, bad, 'k'), 'KEY');
    expect(e.check).toBe('key.import');
  });

  it('never verifies with an Ed25519 key that is not on the curve', async () => {
    // Find a canonical y with no matching x (noble refuses to decode it).
    let enc: Uint8Array | undefined;
    for (let y = 2; enc === undefined; y++) {
      const b = new Uint8Array(32);
      b[0] = y;
      try {
        ed25519.Point.fromBytes(b, false);
      } catch {
        enc = b;
      }
    }
    const spki = h('302a300506032b6570032100' + toHex(enc));
    const key = await importPublicKey(provider, spki, 'k').catch((e: unknown) => {
      expect(e).toBeInstanceOf(SigvetError);
      expect((e as SigvetError).code).toBe('KEY');
      return undefined;
    });
    if (key !== undefined) {
      // OpenSSL cannot tell at import; the key must then fail every verification.
      const sig = new Uint8Array(64);
      sig[0] = 1;
      expect(await verifySignature(provider, key, { kind: 'ed25519' }, MSG, sig)).toBe(false);
      expect(await verifySignature(provider, key, { kind: 'ed25519' }, MSG, ed25519.sign(MSG, ed25519.utils.randomSecretKey()))).toBe(false);
    }
  });

  it('refuses keys imported by another provider', async () => {
    const other = PROVIDERS.find((p) => p !== provider)!;
    const key = await importPublicKey(other, spkiOf(ec['P-256'].publicKey), 'k');
    const sig = ecdsaCase('P-256', 'sha256').sign(MSG);
    const e = await expectSigvet(verifySignature(provider, key, { kind: 'ecdsa', hash: 'sha256' }, MSG, sig), 'KEY');
    expect(e.check).toBe('key.provider');
  });

  it('hashes like node:crypto', async () => {
    for (const hash of ['sha256', 'sha384', 'sha512'] as const) {
      for (const data of [new Uint8Array(0), MSG, new Uint8Array(100_000).fill(0xab)]) {
        expect(toHex(await provider.digest(hash, data))).toBe(toHex(digestOf(hash, data)));
      }
    }
  });
});

describe('node provider', () => {
  it('answers cheap verifications synchronously and expensive ones through the thread pool', async () => {
    const key = nodeCryptoProvider.importSpki(spkiOf(ec['P-256'].publicKey), 'ec-p256', 0);
    expect(key).not.toBeInstanceOf(Promise);
    const sig = ecdsaCase('P-256', 'sha256').sign(MSG);
    expect(nodeCryptoProvider.verify(key as PublicKey, { kind: 'ecdsa', hash: 'sha256' }, MSG, sig)).toBe(true);
    const bad = sig.slice();
    bad[bad.length - 1] = bad[bad.length - 1]! ^ 1;
    expect(nodeCryptoProvider.verify(key as PublicKey, { kind: 'ecdsa', hash: 'sha256' }, MSG, bad)).toBe(false);
    const k384 = nodeCryptoProvider.importSpki(spkiOf(ec['P-384'].publicKey), 'ec-p384', 0) as PublicKey;
    const s384 = ecdsaCase('P-384', 'sha384').sign(MSG);
    const r = nodeCryptoProvider.verify(k384, { kind: 'ecdsa', hash: 'sha384' }, MSG, s384);
    expect(r).toBeInstanceOf(Promise);
    expect(await r).toBe(true);
  });

  it('refuses a key whose declared type differs from the SPKI', () => {
    expect(() => nodeCryptoProvider.importSpki(spkiOf(ec['P-256'].publicKey), 'ec-p384', 0)).toThrow(SigvetError);
    expect(() => nobleProvider.importSpki(spkiOf(ec['P-256'].publicKey), 'ec-p384', 0)).toThrow(SigvetError);
  });
});

describe('defaultSchemeForKey', () => {
  it('maps each key type to its customary scheme', () => {
    expect(defaultSchemeForKey({ type: 'ec-p256', bits: 0 })).toEqual({ kind: 'ecdsa', hash: 'sha256' });
    expect(defaultSchemeForKey({ type: 'ec-p384', bits: 0 })).toEqual({ kind: 'ecdsa', hash: 'sha384' });
    expect(defaultSchemeForKey({ type: 'ec-p521', bits: 0 })).toEqual({ kind: 'ecdsa', hash: 'sha512' });
    expect(defaultSchemeForKey({ type: 'ed25519', bits: 0 })).toEqual({ kind: 'ed25519' });
    expect(defaultSchemeForKey({ type: 'rsa', bits: 4096 })).toEqual({ kind: 'rsa-pkcs1', hash: 'sha256' });
  });
});

describe('hashFromOid', () => {
  it('knows SHA-256/384/512 and nothing else', () => {
    expect(hashFromOid('2.16.840.1.101.3.4.2.1')).toBe('sha256');
    expect(hashFromOid('2.16.840.1.101.3.4.2.2')).toBe('sha384');
    expect(hashFromOid('2.16.840.1.101.3.4.2.3')).toBe('sha512');
    expect(hashFromOid('1.3.14.3.2.26')).toBeUndefined(); // SHA-1
    expect(hashFromOid('2.16.840.1.101.3.4.2.4')).toBeUndefined(); // SHA-224
    expect(hashFromOid('toString')).toBeUndefined();
  });
});

describe('schemeFromAlgorithmIdentifier', () => {
  const alg = (hex: string) => parseDer(h(hex), 'AlgorithmIdentifier');
  const scheme = (hex: string, cms?: HashAlgorithm) => schemeFromAlgorithmIdentifier(alg(hex), cms);
  const error = (hex: string, cms?: HashAlgorithm): SigvetError => {
    try {
      scheme(hex, cms);
    } catch (e) {
      expect(e).toBeInstanceOf(SigvetError);
      return e as SigvetError;
    }
    throw new Error('expected a SigvetError');
  };
  const SHA256_NULL = '300d06096086480165030402010500';
  const SHA256_ABSENT = '300b0609608648016503040201';
  const MGF1_SHA256 = '301a06092a864886f70d010108' + SHA256_NULL;
  // Build RSASSA-PSS-params from field hex strings.
  const tlv = (tag: string, body: string) => tag + (body.length / 2).toString(16).padStart(2, '0') + body;
  const pss = (...fields: string[]) => tlv('30', '06092a864886f70d01010a' + tlv('30', fields.join('')));

  it('maps ECDSA identifiers with absent parameters', () => {
    expect(scheme('300a06082a8648ce3d040302')).toEqual({ kind: 'ecdsa', hash: 'sha256' });
    expect(scheme('300a06082a8648ce3d040303')).toEqual({ kind: 'ecdsa', hash: 'sha384' });
    expect(scheme('300a06082a8648ce3d040304')).toEqual({ kind: 'ecdsa', hash: 'sha512' });
    expect(error('300c06082a8648ce3d0403020500')).toMatchObject({ code: 'PARSE', check: 'signature.algorithm' });
  });

  it('maps shaNWithRSAEncryption with NULL (or absent, RFC 4055) parameters', () => {
    expect(scheme('300d06092a864886f70d01010b0500')).toEqual({ kind: 'rsa-pkcs1', hash: 'sha256' });
    expect(scheme('300d06092a864886f70d01010c0500')).toEqual({ kind: 'rsa-pkcs1', hash: 'sha384' });
    expect(scheme('300d06092a864886f70d01010d0500')).toEqual({ kind: 'rsa-pkcs1', hash: 'sha512' });
    expect(scheme('300b06092a864886f70d01010b')).toEqual({ kind: 'rsa-pkcs1', hash: 'sha256' });
    expect(error('300e06092a864886f70d01010b020100').code).toBe('PARSE');
    expect(error('300f06092a864886f70d01010b05000500').code).toBe('PARSE');
  });

  it('maps rsaEncryption only with a CMS digest algorithm', () => {
    expect(scheme('300d06092a864886f70d0101010500', 'sha384')).toEqual({ kind: 'rsa-pkcs1', hash: 'sha384' });
    expect(error('300d06092a864886f70d0101010500').code).toBe('UNSUPPORTED');
  });

  it('maps Ed25519 with absent parameters', () => {
    expect(scheme('300506032b6570')).toEqual({ kind: 'ed25519' });
    expect(error('300706032b65700500').code).toBe('PARSE');
  });

  it('parses RSASSA-PSS parameters strictly', () => {
    expect(scheme(pss(tlv('a0', SHA256_NULL), tlv('a1', MGF1_SHA256), tlv('a2', '020120')))).toEqual({
      kind: 'rsa-pss',
      hash: 'sha256',
      saltLength: 32,
    });
    expect(scheme(pss(tlv('a0', SHA256_ABSENT), tlv('a1', MGF1_SHA256), tlv('a2', '020100')))).toMatchObject({ saltLength: 0 });
    // Salt length absent: the default, 20.
    expect(scheme(pss(tlv('a0', SHA256_NULL), tlv('a1', MGF1_SHA256)))).toMatchObject({ saltLength: 20 });
    // An explicit default (20) or trailer field is not DER.
    expect(error(pss(tlv('a0', SHA256_NULL), tlv('a1', MGF1_SHA256), tlv('a2', '020114'))).code).toBe('PARSE');
    expect(error(pss(tlv('a0', SHA256_NULL), tlv('a1', MGF1_SHA256), tlv('a3', '020101'))).code).toBe('PARSE');
    // Out of order.
    expect(error(pss(tlv('a1', MGF1_SHA256), tlv('a0', SHA256_NULL))).code).toBe('PARSE');
    // SHA-1 defaults.
    expect(error(pss()).code).toBe('UNSUPPORTED');
    expect(error(pss(tlv('a0', SHA256_NULL))).code).toBe('UNSUPPORTED');
    // MGF1 over a different hash.
    const mgf1Sha384 = '301a06092a864886f70d010108300d06096086480165030402020500';
    expect(error(pss(tlv('a0', SHA256_NULL), tlv('a1', mgf1Sha384))).code).toBe('UNSUPPORTED');
    // Unknown MGF.
    const otherMgf = '301a06092a864886f70d010109' + SHA256_NULL;
    expect(error(pss(tlv('a0', SHA256_NULL), tlv('a1', otherMgf))).code).toBe('UNSUPPORTED');
    // Missing parameters, negative salt.
    expect(error('300b06092a864886f70d01010a').code).toBe('PARSE');
    expect(error(pss(tlv('a0', SHA256_NULL), tlv('a1', MGF1_SHA256), tlv('a2', '0201ff'))).code).toBe('PARSE');
  });

  it('rejects unknown algorithms with UNSUPPORTED and names the OID', () => {
    const e = error('300d06092a864886f70d0101050500'); // sha1WithRSAEncryption
    expect(e).toMatchObject({ code: 'UNSUPPORTED', check: 'signature.algorithm', actual: '1.2.840.113549.1.1.5' });
    expect(error('300a06082a8648ce3d040301').code).toBe('UNSUPPORTED'); // ecdsa-with-SHA224
  });

  it('rejects malformed identifiers with PARSE', () => {
    expect(error('3100').code).toBe('PARSE');
    expect(error('3000').code).toBe('PARSE');
    expect(error('3003020101').code).toBe('PARSE');
  });
});
