// The batch API, the opt-in result cache and streamed artifacts.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createVerifierWith, type BatchItem, type CryptoProvider, type VerifyInput } from '../../src/api.js';
import { nodeCryptoProvider } from '../../src/crypto/node.js';
import { webCryptoProvider } from '../../src/crypto/webcrypto.js';
import { SigvetError } from '../../src/errors.js';

const VECTORS = resolve(__dirname, '../../test-vectors');
const read = (p: string): string => readFileSync(join(VECTORS, p), 'utf8');
const ROOT = read('happy-path-v0.3/trusted_root.json');
const BUNDLE = read('happy-path-v0.3/bundle.sigstore.json');
const ARTIFACT = new Uint8Array(readFileSync(join(VECTORS, 'happy-path-v0.3/artifact')));
const IDENTITY = { subjectAlternativeName: read('happy-path-v0.3/identity').trim(), issuer: read('happy-path-v0.3/issuer').trim() };
const OK: VerifyInput = { artifact: ARTIFACT, identity: IDENTITY };

/** A provider that counts signature verifications, to see whether work was done. */
function counting(base: CryptoProvider): CryptoProvider & { count: number } {
  const p = {
    ...base,
    count: 0,
    verify(...args: Parameters<CryptoProvider['verify']>) {
      p.count++;
      return base.verify(...args);
    },
  };
  return p;
}

describe('verifyMany', () => {
  it('yields one outcome per item, in order, errors typed', async () => {
    const v = await createVerifierWith(nodeCryptoProvider, { trustedRoot: ROOT });
    const items: BatchItem[] = Array.from({ length: 25 }, (_, i) => ({
      bundle: BUNDLE,
      input: i % 5 === 3 ? { ...OK, identity: { ...IDENTITY, issuer: 'https://other' } } : OK,
    }));
    const out = [];
    for await (const o of v.verifyMany(items, { concurrency: 4 })) out.push(o);
    expect(out.map((o) => o.index)).toEqual(items.map((_, i) => i));
    for (const o of out) {
      if (o.index % 5 === 3) {
        expect(o.ok).toBe(false);
        expect(!o.ok && o.error).toBeInstanceOf(SigvetError);
        expect(!o.ok && o.error.code).toBe('IDENTITY');
      } else {
        expect(o.ok).toBe(true);
      }
    }
  });

  it('a slow bundle at the head does not hold the other slots; outcomes still leave in order, at most 2 × concurrency held', async () => {
    // The very first signature check (bundle 0's) waits for a gate; every other check runs normally.
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let calls = 0;
    let armed = false; // after createVerifierWith, whose trust-root checks also call verify
    const perBundle = await (async () => {
      const c = counting(webCryptoProvider);
      const v0 = await createVerifierWith(c, { trustedRoot: ROOT });
      const before = c.count;
      await v0.verify(BUNDLE, OK);
      return c.count - before;
    })();
    const gated: CryptoProvider = {
      ...webCryptoProvider,
      verify(...args: Parameters<CryptoProvider['verify']>) {
        if (!armed) return webCryptoProvider.verify(...args);
        calls++;
        if (calls === 1) return gate.then(() => webCryptoProvider.verify(...args));
        return webCryptoProvider.verify(...args);
      },
    };
    const v = await createVerifierWith(gated, { trustedRoot: ROOT });
    armed = true;
    const items: BatchItem[] = Array.from({ length: 10 }, () => ({ bundle: BUNDLE, input: OK }));
    const it = v.verifyMany(items, { concurrency: 2 })[Symbol.asyncIterator]();
    const first = it.next();
    // Let everything that can run, run.
    for (let i = 0; i < 50 && calls < 4 * perBundle; i++) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 50));
    // Bundles 1–3 finished while bundle 0 waited (2 × concurrency = 4 held); bundle 4 did not start.
    expect(calls).toBeGreaterThanOrEqual(3 * perBundle + 1);
    expect(calls).toBeLessThanOrEqual(4 * perBundle);
    release();
    const out = [(await first).value as { index: number; ok: boolean }];
    for (let r = await it.next(); !r.done; r = await it.next()) out.push(r.value);
    expect(out.map((o) => o.index)).toEqual(items.map((_, i) => i));
    expect(out.every((o) => o.ok)).toBe(true);
  });

  it('accepts async iterables and rejects a bad concurrency', async () => {
    const v = await createVerifierWith(webCryptoProvider, { trustedRoot: ROOT });
    async function* gen(): AsyncGenerator<BatchItem> {
      for (let i = 0; i < 3; i++) yield { bundle: BUNDLE, input: OK };
    }
    let n = 0;
    for await (const o of v.verifyMany(gen())) n += o.ok ? 1 : 0;
    expect(n).toBe(3);
    const it0 = v.verifyMany([], { concurrency: 0 })[Symbol.asyncIterator]();
    await expect(it0.next()).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});

describe('result cache', () => {
  it('answers a repeat from the cache with a frozen result', async () => {
    const p = counting(nodeCryptoProvider);
    const v = await createVerifierWith(p, { trustedRoot: ROOT, cache: { maxEntries: 8 } });
    const first = await v.verify(BUNDLE, OK);
    const n = p.count;
    expect(n).toBeGreaterThan(0);
    const again = await v.verify(BUNDLE, OK);
    expect(again).toBe(first);
    expect(p.count).toBe(n);
    expect(Object.isFrozen(again.signer)).toBe(true);
  });

  it('misses when any input that decides the verdict changes', async () => {
    const p = counting(nodeCryptoProvider);
    const v = await createVerifierWith(p, { trustedRoot: ROOT, cache: { maxEntries: 64 } });
    await v.verify(BUNDLE, OK);
    // Variants that still verify must do the work again (a miss, not a hit).
    const stillValid: [string, () => Promise<unknown>][] = [
      ['bundle bytes (whitespace)', () => v.verify(`${BUNDLE} `, OK)],
      ['bundle as bytes', () => v.verify(new TextEncoder().encode(`\n${BUNDLE}`), OK)],
      ['identity as regex', () => v.verify(BUNDLE, { ...OK, identity: { ...IDENTITY, subjectAlternativeName: { regex: '.*' } } })],
      ['unsafe flag', () => v.verify(BUNDLE, { artifact: ARTIFACT, unsafeSkipIdentity: true })],
    ];
    for (const [what, run] of stillValid) {
      const before = p.count;
      await run();
      expect(p.count, what).toBeGreaterThan(before);
    }
    // Variants that must fail: a cache hit would wrongly answer with the success.
    const mustFail: [string, () => Promise<unknown>][] = [
      ['artifact', () => v.verify(BUNDLE, { ...OK, artifact: new Uint8Array([...ARTIFACT, 0]) })],
      ['digest instead of bytes', () => v.verify(BUNDLE, { artifactDigest: `sha256:${'0'.repeat(64)}`, identity: IDENTITY })],
      ['issuer', () => v.verify(BUNDLE, { ...OK, identity: { ...IDENTITY, issuer: 'x' } })],
      ['managed key', () => v.verify(BUNDLE, { artifact: ARTIFACT, key: read('happy-path-managed-key/key.pub') })],
    ];
    for (const [what, run] of mustFail) await expect(run(), what).rejects.toBeInstanceOf(SigvetError);
  });

  it('misses under another trusted root (another verifier) and stays bounded', async () => {
    const v = await createVerifierWith(nodeCryptoProvider, { trustedRoot: ROOT, cache: { maxEntries: 2 } });
    const other = JSON.parse(ROOT);
    other.ctlogs = [];
    const v2 = await createVerifierWith(nodeCryptoProvider, { trustedRoot: other, cache: { maxEntries: 2 } });
    await v.verify(BUNDLE, OK);
    await expect(v2.verify(BUNDLE, OK)).rejects.toMatchObject({ code: 'SCT' });
    await expect(createVerifierWith(nodeCryptoProvider, { trustedRoot: ROOT, cache: { maxEntries: 0 } })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });
});

describe('streamed artifacts', () => {
  it('fileArtifact (Node entry) streams a file; a missing file or a failing stream is a typed INVALID_ARGUMENT', async () => {
    const { fileArtifact } = await import('../../src/index.node.js');
    const v = await createVerifierWith(nodeCryptoProvider, { trustedRoot: ROOT });
    const r = await v.verify(BUNDLE, { ...OK, artifact: fileArtifact(join(VECTORS, 'happy-path-v0.3/artifact')) });
    expect(r.content.type).toBe('messageSignature');
    const missing = await v.verify(BUNDLE, { ...OK, artifact: fileArtifact(join(VECTORS, 'no-such-file')) }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(SigvetError);
    expect([(missing as SigvetError).code, (missing as SigvetError).check]).toEqual(['INVALID_ARGUMENT', 'input.artifact']);
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield ARTIFACT.subarray(0, 1);
      throw new Error('connection reset');
    }
    const broken = await v.verify(BUNDLE, { ...OK, artifact: failing() }).catch((e: unknown) => e);
    expect([(broken as SigvetError).code, (broken as SigvetError).message]).toEqual(['INVALID_ARGUMENT', 'reading the artifact stream failed: connection reset']);
  });

  const chunksOf = (b: Uint8Array, size: number): Uint8Array[] => {
    const out: Uint8Array[] = [];
    for (let i = 0; i < b.length; i += size) out.push(b.subarray(i, i + size));
    return out;
  };
  async function* iter(parts: Uint8Array[]): AsyncGenerator<Uint8Array> {
    yield* parts;
  }

  for (const [name, provider] of [
    ['node', nodeCryptoProvider],
    ['webcrypto', webCryptoProvider],
  ] as const) {
    it(`${name}: an AsyncIterable or ReadableStream verifies like the bytes`, async () => {
      const v = await createVerifierWith(provider, { trustedRoot: ROOT });
      const r1 = await v.verify(BUNDLE, { ...OK, artifact: iter(chunksOf(ARTIFACT, 3)) });
      const stream = new ReadableStream<Uint8Array>({
        start(c) {
          for (const part of chunksOf(ARTIFACT, 2)) c.enqueue(part);
          c.close();
        },
      });
      const r2 = await v.verify(BUNDLE, { ...OK, artifact: stream });
      const r3 = await v.verify(BUNDLE, OK);
      expect(r1.content).toEqual(r3.content);
      expect(r2.content).toEqual(r3.content);
    });

    it(`${name}: a stream of other bytes fails, a non-byte chunk is a typed error`, async () => {
      const v = await createVerifierWith(provider, { trustedRoot: ROOT });
      const other = ARTIFACT.slice();
      other[other.length - 1]! ^= 1;
      await expect(v.verify(BUNDLE, { ...OK, artifact: iter([other]) })).rejects.toMatchObject({ code: 'SIGNATURE' });
      const bad = (async function* () {
        yield 'text' as unknown as Uint8Array;
      })();
      await expect(v.verify(BUNDLE, { ...OK, artifact: bad })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    });
  }
});
