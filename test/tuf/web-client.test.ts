/**
 * The web TUF client (`sigvet/tuf` for browsers and workers) against a TUF
 * repository generated here with its own keys and served on 127.0.0.1,
 * through Node's fetch, with the WebCrypto provider and with the noble
 * provider: a fresh fetch, use of the cache, root rotation, and the refusals
 * the TUF client workflow requires (expired metadata of every role,
 * rollbacks, signatures below the threshold, tampered or oversized files).
 * The fetched trusted root then verifies a real bundle.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SigvetError } from '../../src/errors.js';
import type { CryptoProvider } from '../../src/crypto/provider.js';
import { nobleProvider } from '../../src/crypto/noble.js';
import { webCryptoProvider } from '../../src/crypto/webcrypto.js';
import { parseTrustedRoot } from '../../src/trust/trusted-root.js';
import { createVerifierWith } from '../../src/verify/verifier.js';
import { fetchTrustedRootWeb, memoryCache, PUBLIC_GOOD_TUF_URL, TUF_WEB_LIMITS, type TufCache, type TufOptions } from '../../src/tuf-web.js';
import { TestTufRepository, aliasKey, inDays, newKey, signMetadata, type TufKey } from './test-repository.js';

const REPO_ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const VECTORS = path.join(REPO_ROOT, 'test-vectors');
const ROOT_A = new Uint8Array(fs.readFileSync(path.join(VECTORS, 'happy-path-v0.3', 'trusted_root.json')));
/** A second, different trusted root to publish as an update (same content, other bytes). */
const ROOT_B = new TextEncoder().encode(JSON.stringify(JSON.parse(new TextDecoder().decode(ROOT_A)), null, 1));
const TARGET = /^\/targets\/[0-9a-f]{64}\.trusted_root\.json$/;

/** What a failure looked like: code and check. */
async function failureOf(p: Promise<unknown>): Promise<{ code: string; check: string | undefined; message: string }> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(SigvetError);
    const e = err as SigvetError;
    return { code: e.code, check: e.check, message: e.message };
  }
  throw new Error('expected a failure');
}

const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe.each([
  ['webcrypto', webCryptoProvider],
  ['noble', nobleProvider],
] as const)('web TUF client (%s)', (_name, provider: CryptoProvider) => {
  let repo: TestTufRepository;
  let rootV1: Uint8Array;
  let cache: TufCache;
  let options: TufOptions;

  /** Requests made since `from`. */
  const since = (from: number) => repo.requests.slice(from);

  beforeEach(async () => {
    repo = new TestTufRepository();
    rootV1 = repo.publishRoot();
    repo.publishTargets({ 'trusted_root.json': ROOT_A });
    await repo.start();
    cache = memoryCache();
    options = { tufUrl: repo.origin, tufRoot: rootV1, cache, provider, retries: 0, timeoutMs: 10_000 };
  });

  afterEach(async () => {
    await repo.stop();
  });

  it('fetches the trusted root in the TUF order, caches it, and it verifies a bundle', async () => {
    const got = await fetchTrustedRootWeb(options);
    expect(got.json).toBe(text(ROOT_A));
    expect(got).toMatchObject({ tufUrl: repo.origin, fromCache: false, metadata: { root: 1, timestamp: 1, snapshot: 1, targets: 1 } });
    expect(got.trustedRoot).toEqual(parseTrustedRoot(ROOT_A));
    expect(repo.requests).toEqual(['/2.root.json', '/timestamp.json', '/1.snapshot.json', '/1.targets.json', expect.stringMatching(TARGET)]);
    for (const name of ['timestamp', 'snapshot', 'targets']) expect(await cache.getMetadata(repo.origin, name), name).toBeInstanceOf(Uint8Array);
    expect(await cache.getTarget(repo.origin, 'trusted_root.json')).toEqual(ROOT_A);

    const verifier = await createVerifierWith(provider, { trustedRoot: got.json });
    const c = path.join(VECTORS, 'happy-path-v0.3');
    const result = await verifier.verify(fs.readFileSync(path.join(c, 'bundle.sigstore.json'), 'utf8'), {
      artifact: new Uint8Array(fs.readFileSync(path.join(c, 'artifact'))),
      identity: {
        subjectAlternativeName: fs.readFileSync(path.join(c, 'identity'), 'utf8').trim(),
        issuer: fs.readFileSync(path.join(c, 'issuer'), 'utf8').trim(),
      },
    });
    expect(result.signer.type).toBe('certificate');
  });

  it('works with ECDSA P-256 keys written as PEM and as hex DER, and sha512-first target hashes', async () => {
    repo.keys = { root: newKey('ecdsa'), timestamp: newKey('ecdsa-hex'), snapshot: newKey('ecdsa'), targets: newKey('ecdsa-hex') };
    const v1 = repo.publishRoot();
    repo.publishTargets({ 'trusted_root.json': ROOT_A }, { targetHashes: ['sha512', 'sha256'], metaHashes: true });
    const got = await fetchTrustedRootWeb({ ...options, tufRoot: text(v1) });
    expect(got.json).toBe(text(ROOT_A));
    // Under consistent snapshots the first listed hash names the file.
    expect(repo.requests.at(-1)).toMatch(/^\/targets\/[0-9a-f]{128}\.trusted_root\.json$/);
  });

  it('reuses cached metadata and target, and with preferCache asks nothing while the timestamp is fresh', async () => {
    await fetchTrustedRootWeb(options);
    let mark = repo.requests.length;
    const again = await fetchTrustedRootWeb(options);
    // The workflow always asks for a newer root and timestamp; the rest is unchanged and comes from the cache.
    expect(since(mark)).toEqual(['/2.root.json', '/timestamp.json']);
    expect(again).toMatchObject({ fromCache: false, json: text(ROOT_A) });

    mark = repo.requests.length;
    const cached = await fetchTrustedRootWeb({ ...options, preferCache: true });
    expect(since(mark)).toEqual([]);
    expect(cached).toMatchObject({ fromCache: true, json: text(ROOT_A), metadata: { root: 1, timestamp: 1, snapshot: 1, targets: 1 } });

    // A new publication: only what changed is downloaded.
    repo.publishTargets({ 'trusted_root.json': ROOT_B });
    mark = repo.requests.length;
    const updated = await fetchTrustedRootWeb(options);
    expect(updated.json).toBe(text(ROOT_B));
    expect(updated.metadata).toEqual({ root: 1, timestamp: 2, snapshot: 2, targets: 2 });
    expect(since(mark)).toEqual(['/2.root.json', '/timestamp.json', '/2.snapshot.json', '/2.targets.json', expect.stringMatching(TARGET)]);
  });

  it('re-verifies the cache at start: corrupt or forged entries are dropped, never trusted', async () => {
    await fetchTrustedRootWeb(options);
    // A forged root version 2, self-signed by a key the chain never trusted.
    const intruder = newKey();
    const saved = repo.keys;
    repo.keys = { root: intruder, timestamp: intruder, snapshot: intruder, targets: intruder };
    const forged = repo.publishRoot([intruder]);
    repo.files.delete('/2.root.json');
    repo.rootVersion = 1;
    repo.keys = saved;
    await cache.setMetadata(repo.origin, '2.root', forged);
    await cache.setMetadata(repo.origin, 'timestamp', new TextEncoder().encode('garbage'));
    const tampered = ROOT_A.slice();
    tampered[10] = tampered[10]! ^ 1;
    await cache.setTarget(repo.origin, 'trusted_root.json', tampered);

    const mark = repo.requests.length;
    const got = await fetchTrustedRootWeb(options);
    expect(got.metadata.root).toBe(1);
    expect(got.json).toBe(text(ROOT_A));
    expect(since(mark)).toEqual(['/2.root.json', '/timestamp.json', expect.stringMatching(TARGET)]);
    expect(await cache.getMetadata(repo.origin, '2.root')).toBeUndefined();

    // preferCache with an unusable cache falls back to the network.
    await cache.setMetadata(repo.origin, 'snapshot', new Uint8Array([1]));
    const fallback = await fetchTrustedRootWeb({ ...options, preferCache: true });
    expect(fallback.fromCache).toBe(false);
    expect(repo.requests.at(-1)).toBe('/1.snapshot.json');
  });

  it('follows a root rotation chain, then refuses metadata signed with the retired key', async () => {
    await fetchTrustedRootWeb(options);
    const retiredTimestampKey = repo.keys.timestamp;
    for (let i = 0; i < 3; i++) {
      const oldRootKey = repo.keys.root;
      repo.keys = { ...repo.keys, root: newKey(i === 1 ? 'ecdsa' : 'ed25519'), timestamp: newKey() };
      // Each new root is signed by the old root key and by the new one; an intermediate one may have expired.
      repo.publishRoot([oldRootKey, repo.keys.root], i === 1 ? '2001-01-01T00:00:00Z' : inDays(365));
    }
    repo.publishTargets({ 'trusted_root.json': ROOT_B });
    const mark = repo.requests.length;
    const got = await fetchTrustedRootWeb(options);
    expect(got.metadata.root).toBe(4);
    expect(got.json).toBe(text(ROOT_B));
    expect(since(mark).slice(0, 5)).toEqual(['/2.root.json', '/3.root.json', '/4.root.json', '/5.root.json', '/timestamp.json']);

    // The next run starts from the cached chain (re-verified) and asks only for version 5.
    const again = repo.requests.length;
    await fetchTrustedRootWeb(options);
    expect(since(again)[0]).toBe('/5.root.json');

    repo.publishTargets({ 'trusted_root.json': ROOT_A }, { timestampSigner: retiredTimestampKey });
    expect(await failureOf(fetchTrustedRootWeb(options))).toMatchObject({ code: 'TRUST_ROOT', check: 'tuf.timestamp.signature' });
  });

  it('refuses a new root without a threshold of the old keys, or of its own', async () => {
    const oldRootKey = repo.keys.root;
    repo.keys = { ...repo.keys, root: newKey() };
    repo.publishRoot([repo.keys.root]); // the new key only
    expect(await failureOf(fetchTrustedRootWeb(options))).toMatchObject({ code: 'TRUST_ROOT', check: 'tuf.root.signature' });
    repo.rootVersion = 1;
    repo.publishRoot([oldRootKey]); // the old key only
    const f = await failureOf(fetchTrustedRootWeb(options));
    expect(f).toMatchObject({ code: 'TRUST_ROOT', check: 'tuf.root.signature' });
    expect(f.message).toContain('by its own root keys');
  });

  it('refuses a root numbered other than N+1', async () => {
    repo.publishRoot(undefined, inDays(365), { signedVersion: 3 });
    expect(await failureOf(fetchTrustedRootWeb(options))).toMatchObject({ code: 'TRUST_ROOT', check: 'tuf.root.version' });
    repo.rootVersion = 1;
    repo.publishRoot(undefined, inDays(365), { signedVersion: 1 });
    expect(await failureOf(fetchTrustedRootWeb(options))).toMatchObject({ code: 'TRUST_ROOT', check: 'tuf.root.rollback' });
  });

  it(`fetches at most ${TUF_WEB_LIMITS.maxRootRotations} new roots per update, and continues next time`, async () => {
    for (let i = 0; i < TUF_WEB_LIMITS.maxRootRotations + 3; i++) repo.publishRoot();
    repo.publishTargets({ 'trusted_root.json': ROOT_A });
    const first = await fetchTrustedRootWeb(options);
    expect(first.metadata.root).toBe(1 + TUF_WEB_LIMITS.maxRootRotations);
    const second = await fetchTrustedRootWeb(options);
    expect(second.metadata.root).toBe(repo.rootVersion);
  });

  it('refuses expired metadata of every role', async () => {
    expect(await failureOf(fetchTrustedRootWeb({ ...options, now: Date.now() + 400 * 86_400_000 }))).toMatchObject({ code: 'TRUST_ROOT', check: 'tuf.root.expired' });
    repo.publishTargets({ 'trusted_root.json': ROOT_A }, { timestampExpires: '2020-01-01T00:00:00Z' });
    expect(await failureOf(fetchTrustedRootWeb(options))).toMatchObject({ code: 'TRUST_ROOT', check: 'tuf.timestamp.expired' });
    repo.publishTargets({ 'trusted_root.json': ROOT_A }, { snapshotExpires: '2020-01-01T00:00:00Z' });
    expect(await failureOf(fetchTrustedRootWeb(options))).toMatchObject({ code: 'TRUST_ROOT', check: 'tuf.snapshot.expired' });
    repo.publishTargets({ 'trusted_root.json': ROOT_A }, { targetsExpires: '2020-01-01T00:00:00Z' });
    expect(await failureOf(fetchTrustedRootWeb(options))).toMatchObject({ code: 'TRUST_ROOT', check: 'tuf.targets.expired' });
    repo.publishTargets({ 'trusted_root.json': ROOT_A });
    expect((await fetchTrustedRootWeb(options)).metadata.timestamp).toBe(5);
  });

  it('refuses rollbacks of the timestamp, of the snapshot it names, and of targets versions', async () => {
    repo.publishTargets({ 'trusted_root.json': ROOT_B });
    await fetchTrustedRootWeb(options); // timestamp 2, snapshot 2, targets 2 are trusted now
    repo.publishTargets({ 'trusted_root.json': ROOT_A }, { timestampVersion: 1 });
    expect(await failureOf(fetchTrustedRootWeb(options))).toMatchObject({ code: 'TRUST_ROOT', check: 'tuf.timestamp.rollback' });
    repo.publishTargets({ 'trusted_root.json': ROOT_A }, { timestampVersion: 5, snapshotVersion: 1 });
    expect(await failureOf(fetchTrustedRootWeb(options))).toMatchObject({ code: 'TRUST_ROOT', check: 'tuf.timestamp.rollback' });
    repo.publishTargets({ 'trusted_root.json': ROOT_A }, { timestampVersion: 6, snapshotVersion: 3, targetsVersion: 1 });
    expect(await failureOf(fetchTrustedRootWeb(options))).toMatchObject({ code: 'TRUST_ROOT', check: 'tuf.snapshot.rollback' });
    // Nothing refused was cached: the trusted state is still version 2.
    repo.publishTargets({ 'trusted_root.json': ROOT_A }, { timestampVersion: 7, snapshotVersion: 4, targetsVersion: 3 });
    expect(await fetchTrustedRootWeb(options)).toMatchObject({ json: text(ROOT_A), metadata: { timestamp: 7, snapshot: 4, targets: 3 } });
  });

  it('keeps the trusted timestamp when the repository serves another of the same version', async () => {
    await fetchTrustedRootWeb(options);
    repo.publishTargets({ 'trusted_root.json': ROOT_B }, { timestampVersion: 1 });
    const got = await fetchTrustedRootWeb(options);
    expect(got).toMatchObject({ json: text(ROOT_A), metadata: { timestamp: 1, snapshot: 1 } });
  });

  it('refuses signatures below the threshold, by foreign keys, or tampered', async () => {
    repo.publishTargets({ 'trusted_root.json': ROOT_A }, { timestampSigner: newKey() });
    expect(await failureOf(fetchTrustedRootWeb(options))).toMatchObject({ code: 'TRUST_ROOT', check: 'tuf.timestamp.signature' });
    expect(await cache.getMetadata(repo.origin, 'timestamp')).toBeUndefined();

    // Targets need 2 of 2 keys; one key, the same key twice, or one key under two ids are not enough.
    const t2 = newKey('ecdsa');
    const roleKeys = { targets: [repo.keys.targets, t2] };
    repo.publishRoot(undefined, inDays(365), { roleKeys, thresholds: { targets: 2 } });
    const alias = aliasKey(repo.keys.targets, 'f'.repeat(64));
    for (const signers of [[repo.keys.targets], [repo.keys.targets, repo.keys.targets]] as TufKey[][]) {
      repo.publishTargets({ 'trusted_root.json': ROOT_A }, { targetsSigners: signers });
      expect(await failureOf(fetchTrustedRootWeb(options)), `${signers.length} signatures`).toMatchObject({ code: 'TRUST_ROOT', check: 'tuf.targets.signature' });
    }
    repo.publishRoot(undefined, inDays(365), { roleKeys: { targets: [repo.keys.targets, alias] }, thresholds: { targets: 2 } });
    repo.publishTargets({ 'trusted_root.json': ROOT_A }, { targetsSigners: [repo.keys.targets, alias] });
    expect(await failureOf(fetchTrustedRootWeb(options))).toMatchObject({ check: 'tuf.targets.signature' });
    repo.publishRoot(undefined, inDays(365), { roleKeys, thresholds: { targets: 2 } });
    repo.publishTargets({ 'trusted_root.json': ROOT_A }, { targetsSigners: [t2, repo.keys.targets] });
    expect((await fetchTrustedRootWeb(options)).metadata).toMatchObject({ root: 4 });

    // One flipped bit in the timestamp's signature.
    repo.publishTargets({ 'trusted_root.json': ROOT_B });
    const doc = JSON.parse(text(repo.files.get('/timestamp.json')!));
    const sig: string = doc.signatures[0].sig;
    doc.signatures[0].sig = sig.slice(0, 10) + (sig[10] === '0' ? '1' : '0') + sig.slice(11);
    repo.files.set('/timestamp.json', new TextEncoder().encode(JSON.stringify(doc)));
    expect(await failureOf(fetchTrustedRootWeb(options))).toMatchObject({ check: 'tuf.timestamp.signature' });
  });

  it('refuses a target whose length or hash differs from what targets signed', async () => {
    const [targetPath] = [...repo.files.keys()].filter((p) => p.startsWith('/targets/'));
    const flipped = ROOT_A.slice();
    flipped[flipped.length - 2] = flipped[flipped.length - 2]! ^ 1;
    repo.files.set(targetPath!, flipped);
    expect(await failureOf(fetchTrustedRootWeb(options))).toMatchObject({ code: 'TRUST_ROOT', check: 'tuf.target.hash' });
    repo.files.set(targetPath!, ROOT_A.slice(0, -1));
    expect(await failureOf(fetchTrustedRootWeb(options))).toMatchObject({ code: 'TRUST_ROOT', check: 'tuf.target.length' });
    const longer = new Uint8Array(ROOT_A.length + 1);
    longer.set(ROOT_A);
    repo.files.set(targetPath!, longer);
    expect(await failureOf(fetchTrustedRootWeb(options))).toMatchObject({ code: 'TRUST_ROOT', check: 'tuf.target.length' });
    expect(await cache.getTarget(repo.origin, 'trusted_root.json')).toBeUndefined();
  });

  it('checks the snapshot and targets files against the length and hashes their referrers sign', async () => {
    repo.publishTargets({ 'trusted_root.json': ROOT_A }, { metaHashes: true });
    const snapshotPath = `/${repo.snapshotVersion}.snapshot.json`;
    const snapshot = new Uint8Array(repo.files.get(snapshotPath)!);
    const changed = text(snapshot).replace('"_type"', '"_type" ');
    repo.files.set(snapshotPath, new TextEncoder().encode(changed)); // same content, one byte longer
    expect(await failureOf(fetchTrustedRootWeb(options))).toMatchObject({ check: 'tuf.snapshot.length' });
    const flipped = snapshot.slice();
    flipped[flipped.indexOf(0x20)] = 0x0a; // whitespace swapped: same JSON, same length, other bytes
    repo.files.set(snapshotPath, flipped);
    expect(await failureOf(fetchTrustedRootWeb(options))).toMatchObject({ check: 'tuf.snapshot.hash' });
    repo.files.set(snapshotPath, snapshot);
    const targetsPath = `/${repo.targetsVersion}.targets.json`;
    const targets = new Uint8Array(repo.files.get(targetsPath)!);
    targets[targets.indexOf(0x20)] = 0x0a;
    repo.files.set(targetsPath, targets);
    expect(await failureOf(fetchTrustedRootWeb(options))).toMatchObject({ check: 'tuf.targets.hash' });
  });

  it(`refuses metadata larger than ${TUF_WEB_LIMITS.maxMetadataBytes} bytes, whether the length is declared or streamed`, async () => {
    repo.publishTargets({ 'trusted_root.json': ROOT_A }, { timestampPadding: TUF_WEB_LIMITS.maxMetadataBytes });
    for (const chunked of [false, true]) {
      repo.chunked = chunked;
      expect(await failureOf(fetchTrustedRootWeb(options)), `chunked: ${chunked}`).toMatchObject({ code: 'TRUST_ROOT', check: 'tuf.download.length' });
    }
    repo.publishTargets({ 'trusted_root.json': ROOT_A });
    repo.files.set('/2.root.json', new Uint8Array(TUF_WEB_LIMITS.maxMetadataBytes + 1).fill(0x20));
    for (const chunked of [false, true]) {
      repo.chunked = chunked;
      expect(await failureOf(fetchTrustedRootWeb(options)), `chunked: ${chunked}`).toMatchObject({ code: 'TRUST_ROOT', check: 'tuf.download.length' });
    }
    // Exactly at the limit is fine (the padding makes the timestamp that long).
    repo.files.delete('/2.root.json');
    const doc = repo.files.get('/timestamp.json')!;
    const room = TUF_WEB_LIMITS.maxMetadataBytes - doc.length;
    repo.publishTargets({ 'trusted_root.json': ROOT_A }, { timestampPadding: room - 40 });
    expect(repo.files.get('/timestamp.json')!.length).toBeLessThanOrEqual(TUF_WEB_LIMITS.maxMetadataBytes);
    expect(repo.files.get('/timestamp.json')!.length).toBeGreaterThan(TUF_WEB_LIMITS.maxMetadataBytes - 200);
    expect((await fetchTrustedRootWeb(options)).metadata.timestamp).toBe(4);
  });

  it('searches delegations in order: path patterns, hash prefixes, terminating roles', async () => {
    const d1 = newKey();
    const d2 = newKey('ecdsa');
    const npm = new TextEncoder().encode('{"keys": []}');
    repo.publishTargets(
      { 'trusted_root.json': ROOT_A },
      {
        delegations: [
          { name: 'registry.npmjs.org', keys: [d1], paths: ['registry.npmjs.org/*'], terminating: true, targets: { 'registry.npmjs.org/keys.json': npm } },
          { name: 'other', keys: [d2], paths: ['*.json'], targets: { 'extra.json': ROOT_B } },
        ],
      },
    );
    // Top-level targets answer first: no delegated role is fetched for trusted_root.json.
    let mark = repo.requests.length;
    await fetchTrustedRootWeb(options);
    expect(since(mark).some((p) => p.includes('registry') || p.includes('other'))).toBe(false);
    // A target only a delegated role lists.
    mark = repo.requests.length;
    expect((await fetchTrustedRootWeb({ ...options, targetName: 'extra.json' })).json).toBe(text(ROOT_B));
    expect(since(mark)).toEqual(['/2.root.json', '/timestamp.json', `/${repo.targetsVersion}.other.json`, expect.stringMatching(/^\/targets\/[0-9a-f]{64}\.extra\.json$/)]);
    expect(await cache.getTarget(repo.origin, 'extra.json')).toEqual(ROOT_B);
    // A nested path in a terminating delegation.
    const npmCacheless = { ...options, cache: memoryCache(), targetName: 'registry.npmjs.org/keys.json' };
    // Not a trusted root: TUF accepted it, then the last step refuses it.
    expect(await failureOf(fetchTrustedRootWeb(npmCacheless))).toMatchObject({ code: 'TRUST_ROOT', check: 'trust_root.shape' });
    expect(repo.requests.at(-1)).toMatch(/^\/targets\/registry\.npmjs\.org\/[0-9a-f]{64}\.keys\.json$/);

    // A terminating delegation without the target ends the search, even if a later role has it.
    // (Delegated roles vanish from the snapshot here: 5.5.5 calls that a rollback, so start afresh.)
    repo.publishTargets(
      { 'trusted_root.json': ROOT_A },
      {
        delegations: [
          { name: 'first', keys: [d1], paths: ['*.json'], terminating: true, targets: {} },
          { name: 'second', keys: [d2], paths: ['*.json'], targets: { 'extra.json': ROOT_B } },
        ],
      },
    );
    expect(await failureOf(fetchTrustedRootWeb({ ...options, targetName: 'extra.json' }))).toMatchObject({ code: 'TRUST_ROOT', check: 'tuf.snapshot.rollback' });
    options = { ...options, cache: memoryCache() };
    expect(await failureOf(fetchTrustedRootWeb({ ...options, targetName: 'extra.json' }))).toMatchObject({ code: 'TRUST_ROOT', check: 'tuf.target' });
    // Non-terminating: the search goes on to the next role, here one delegated by hash prefix.
    const digest = createHash('sha256').update('extra.json').digest('hex');
    repo.publishTargets(
      { 'trusted_root.json': ROOT_A },
      {
        delegations: [
          { name: 'first', keys: [d1], paths: ['*.json'], targets: {} },
          { name: 'bins', keys: [d2], pathHashPrefixes: [digest.slice(0, 1)], targets: { 'extra.json': ROOT_A } },
        ],
      },
    );
    options = { ...options, cache: memoryCache() };
    expect((await fetchTrustedRootWeb({ ...options, targetName: 'extra.json' })).json).toBe(text(ROOT_A));
    // A delegated role signed by a key its delegator does not name.
    options = { ...options, cache: memoryCache() };
    repo.publishTargets({ 'trusted_root.json': ROOT_A }, { delegations: [{ name: 'bad', keys: [d1], signers: [d2], paths: ['*'], targets: { 'extra.json': ROOT_A } }] });
    expect(await failureOf(fetchTrustedRootWeb({ ...options, targetName: 'extra.json' }))).toMatchObject({ check: 'tuf.targets.signature' });
  });

  it('supports repositories without consistent snapshots', async () => {
    const v2 = repo.publishRoot(undefined, inDays(365), { consistentSnapshot: false });
    repo.publishTargets({ 'trusted_root.json': ROOT_B });
    const got = await fetchTrustedRootWeb({ ...options, tufRoot: v2 });
    expect(got.json).toBe(text(ROOT_B));
    expect(repo.requests).toEqual(['/3.root.json', '/timestamp.json', '/snapshot.json', '/targets.json', '/targets/trusted_root.json']);
  });

  it('reports download failures, and retries the ones worth retrying', async () => {
    repo.failOnce.set('/timestamp.json', 503);
    const got = await fetchTrustedRootWeb({ ...options, retries: 1 });
    expect(got.json).toBe(text(ROOT_A));
    expect(repo.requests.filter((p) => p === '/timestamp.json')).toHaveLength(2);
    repo.failOnce.set('/timestamp.json', 503);
    expect(await failureOf(fetchTrustedRootWeb(options))).toMatchObject({ code: 'TRUST_ROOT', check: 'tuf.download' });
    repo.files.delete('/timestamp.json');
    const missing = fetchTrustedRootWeb(options).catch((e: unknown) => e);
    expect(await missing).toMatchObject({ code: 'TRUST_ROOT', check: 'tuf.download', expected: '200', actual: '404' });
    await repo.stop();
    expect(await failureOf(fetchTrustedRootWeb(options))).toMatchObject({ code: 'TRUST_ROOT', check: 'tuf.download' });
    await repo.start();
  });

  it('needs an initial root for any repository but the public-good one, an http(s) URL and a plain target name', async () => {
    expect(await failureOf(fetchTrustedRootWeb({ tufUrl: repo.origin, cache }))).toMatchObject({ code: 'INVALID_ARGUMENT', check: 'tuf.root' });
    expect(await failureOf(fetchTrustedRootWeb({ ...options, tufUrl: 'file:///etc' }))).toMatchObject({ code: 'INVALID_ARGUMENT', check: 'tuf.url' });
    expect(await failureOf(fetchTrustedRootWeb({ ...options, targetName: '../../etc/passwd' }))).toMatchObject({ code: 'INVALID_ARGUMENT', check: 'tuf.target' });
    expect(await failureOf(fetchTrustedRootWeb({ ...options, tufRoot: '{}' }))).toMatchObject({ code: 'TRUST_ROOT', check: 'tuf.root.shape' });
    // An initial root that is not signed by its own root keys.
    const unsigned = text(signMetadata(JSON.parse(text(rootV1)).signed, [newKey()]));
    expect(await failureOf(fetchTrustedRootWeb({ ...options, tufRoot: unsigned }))).toMatchObject({ code: 'TRUST_ROOT', check: 'tuf.root.signature' });
  });
});

describe('web TUF client with the embedded public-good root', () => {
  /** A fetch that answers 404 to everything, recording the URLs. */
  const offline = (urls: string[]) => async (url: string) => {
    urls.push(url);
    return new Response('not found', { status: 404 });
  };

  it('starts from the embedded root (version 14) and asks the public-good repository for version 15', async () => {
    const urls: string[] = [];
    // Before the embedded root expires: the chain ends at once (404), then timestamp.json is missing.
    const f = await failureOf(fetchTrustedRootWeb({ fetch: offline(urls), cache: memoryCache(), now: Date.parse('2026-01-01T00:00:00Z'), retries: 0 }));
    expect(f).toMatchObject({ code: 'TRUST_ROOT', check: 'tuf.download' });
    expect(urls).toEqual([`${PUBLIC_GOOD_TUF_URL}/15.root.json`, `${PUBLIC_GOOD_TUF_URL}/timestamp.json`]);
    // After it expires, and without a newer root, TUF refuses to go on (a freeze attack looks like this).
    const g = await failureOf(fetchTrustedRootWeb({ fetch: offline([]), cache: memoryCache(), now: Date.parse('2026-07-01T00:00:00Z'), retries: 0 }));
    expect(g).toMatchObject({ code: 'TRUST_ROOT', check: 'tuf.root.expired' });
  });
});
