/**
 * sigvet/tuf against a TUF repository generated here with its own keys and
 * served on 127.0.0.1: a fresh fetch, use of the cache, an update, a root
 * rotation, and the refusals TUF requires (expired metadata, rollback, a
 * signature by a key the root does not name, a target whose hash differs).
 * The fetched root then verifies a real bundle.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SigvetError } from '../../src/errors.js';
import { createVerifier } from '../../src/index.node.js';
import { fetchTrustedRoot, repositoryDirName, type TufOptions } from '../../src/tuf.js';
import { TestTufRepository, inDays, newKey } from './test-repository.js';

const REPO_ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const VECTORS = path.join(REPO_ROOT, 'test-vectors');
const ROOT_A = fs.readFileSync(path.join(VECTORS, 'happy-path-v0.3', 'trusted_root.json'));
const SHARED_ROOT = path.resolve(REPO_ROOT, '../shared/conformance/public_good_trusted_root.json');
/** A second, different trusted root to publish as an update. */
const ROOT_B = fs.existsSync(SHARED_ROOT) ? fs.readFileSync(SHARED_ROOT) : Buffer.from(JSON.stringify(JSON.parse(ROOT_A.toString()), null, 1));

const tmpDirs: string[] = [];
afterAll(() => {
  for (const d of tmpDirs) fs.rmSync(d, { recursive: true, force: true });
});

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

describe('sigvet/tuf: fetchTrustedRoot', () => {
  let repo: TestTufRepository;
  let rootV1: Uint8Array;
  let cacheDir: string;
  let options: TufOptions;

  beforeEach(async () => {
    repo = new TestTufRepository();
    rootV1 = repo.publishRoot();
    repo.publishTargets({ 'trusted_root.json': ROOT_A });
    await repo.start();
    cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sigvet-tuf-'));
    tmpDirs.push(cacheDir);
    options = { tufUrl: repo.origin, tufRoot: rootV1, cacheDir, retries: 0, timeoutMs: 10_000 };
  });

  afterEach(async () => {
    await repo.stop();
  });

  it('fetches the trusted root on first use, verified and cached, and it verifies a bundle', async () => {
    const got = await fetchTrustedRoot(options);
    expect(Buffer.from(got.json)).toEqual(Buffer.from(ROOT_A));
    expect(got).toMatchObject({ tufUrl: repo.origin, fromCache: false, metadata: { root: 1, timestamp: 1, snapshot: 1, targets: 1 } });
    // The TUF client workflow, in order: no newer root, then timestamp, snapshot, targets, the target by hash.
    expect(repo.requests).toEqual(['/2.root.json', '/timestamp.json', '/1.snapshot.json', '/1.targets.json', expect.stringMatching(/^\/targets\/[0-9a-f]{64}\.trusted_root\.json$/)]);
    const dir = path.join(cacheDir, repositoryDirName(repo.origin));
    for (const f of ['root.json', 'timestamp.json', 'snapshot.json', 'targets.json']) expect(fs.existsSync(path.join(dir, f)), f).toBe(true);
    expect(got.path.startsWith(dir)).toBe(true);

    const verifier = await createVerifier({ trustedRoot: got.json });
    const c = 'happy-path-v0.3';
    const result = await verifier.verify(fs.readFileSync(path.join(VECTORS, c, 'bundle.sigstore.json'), 'utf8'), {
      artifact: new Uint8Array(fs.readFileSync(path.join(VECTORS, c, 'artifact'))),
      identity: {
        subjectAlternativeName: fs.readFileSync(path.join(VECTORS, c, 'identity'), 'utf8').trim(),
        issuer: fs.readFileSync(path.join(VECTORS, c, 'issuer'), 'utf8').trim(),
      },
    });
    expect(result.signer.type).toBe('certificate');
  });

  it('serves from the cache without a request while the timestamp is unexpired (preferCache)', async () => {
    await fetchTrustedRoot(options);
    const before = repo.requests.length;
    const again = await fetchTrustedRoot({ ...options, preferCache: true });
    expect(repo.requests.length).toBe(before);
    expect(again.fromCache).toBe(true);
    expect(Buffer.from(again.json)).toEqual(Buffer.from(ROOT_A));
    // Without preferCache it asks for a newer root and timestamp, but does not download the unchanged target again.
    await fetchTrustedRoot(options);
    expect(repo.requests.slice(before)).toEqual(['/2.root.json', '/timestamp.json']);
  });

  it('refreshes when the cached timestamp has expired, even with preferCache', async () => {
    repo.publishTargets({ 'trusted_root.json': ROOT_A }, { timestampExpires: inDays(1) });
    await fetchTrustedRoot(options);
    // Make the cached timestamp stale by publishing one that expires almost at once, then a fresh one.
    const dir = path.join(cacheDir, repositoryDirName(repo.origin));
    const cached = JSON.parse(fs.readFileSync(path.join(dir, 'timestamp.json'), 'utf8'));
    cached.signed.expires = '2000-01-01T00:00:00Z';
    fs.writeFileSync(path.join(dir, 'timestamp.json'), JSON.stringify(cached));
    const before = repo.requests.length;
    const got = await fetchTrustedRoot({ ...options, preferCache: true });
    expect(got.fromCache).toBe(false);
    expect(repo.requests.slice(before)).toContain('/timestamp.json');
  });

  it('picks up a new trusted root the repository publishes', async () => {
    await fetchTrustedRoot(options);
    repo.publishTargets({ 'trusted_root.json': ROOT_B });
    const got = await fetchTrustedRoot(options);
    expect(Buffer.from(got.json)).toEqual(Buffer.from(ROOT_B));
    expect(got.metadata).toEqual({ root: 1, timestamp: 2, snapshot: 2, targets: 2 });
  });

  it('follows a root rotation to new keys, and then refuses metadata signed with the retired key', async () => {
    await fetchTrustedRoot(options);
    const retiredTimestampKey = repo.keys.timestamp;
    const oldRootKey = repo.keys.root;
    repo.keys = { ...repo.keys, root: newKey(), timestamp: newKey() };
    // A new root is signed by the old root key and by the new one.
    repo.publishRoot([oldRootKey, repo.keys.root]);
    repo.publishTargets({ 'trusted_root.json': ROOT_B });
    const got = await fetchTrustedRoot(options);
    expect(got.metadata.root).toBe(2);
    expect(Buffer.from(got.json)).toEqual(Buffer.from(ROOT_B));
    // The old timestamp key is no longer trusted.
    repo.publishTargets({ 'trusted_root.json': ROOT_A }, { timestampSigner: retiredTimestampKey });
    expect(await failureOf(fetchTrustedRoot(options))).toMatchObject({ code: 'TRUST_ROOT', check: 'tuf.metadata.signature' });
  });

  it('refuses expired metadata', async () => {
    repo.publishTargets({ 'trusted_root.json': ROOT_A }, { timestampExpires: '2020-01-01T00:00:00Z' });
    expect(await failureOf(fetchTrustedRoot(options))).toMatchObject({ code: 'TRUST_ROOT', check: 'tuf.metadata.expired' });
    // Expired targets metadata too, behind a valid timestamp and snapshot.
    repo.publishTargets({ 'trusted_root.json': ROOT_A }, { targetsExpires: '2020-01-01T00:00:00Z' });
    expect(await failureOf(fetchTrustedRoot(options))).toMatchObject({ code: 'TRUST_ROOT', check: 'tuf.metadata.expired' });
  });

  it('refuses a rollback to older metadata than it has seen', async () => {
    repo.publishTargets({ 'trusted_root.json': ROOT_B });
    await fetchTrustedRoot(options); // timestamp 2 is now trusted
    repo.publishTargets({ 'trusted_root.json': ROOT_A }, { timestampVersion: 1 });
    expect(await failureOf(fetchTrustedRoot(options))).toMatchObject({ code: 'TRUST_ROOT', check: 'tuf.metadata.rollback' });
    // A newer timestamp that points at an older snapshot is a rollback as well.
    repo.publishTargets({ 'trusted_root.json': ROOT_A }, { timestampVersion: 5, snapshotVersion: 1 });
    expect(await failureOf(fetchTrustedRoot(options))).toMatchObject({ code: 'TRUST_ROOT', check: 'tuf.metadata.rollback' });
  });

  it('refuses metadata signed by a key the root does not name', async () => {
    repo.publishTargets({ 'trusted_root.json': ROOT_A }, { timestampSigner: newKey() });
    expect(await failureOf(fetchTrustedRoot(options))).toMatchObject({ code: 'TRUST_ROOT', check: 'tuf.metadata.signature' });
    expect(fs.existsSync(path.join(cacheDir, repositoryDirName(repo.origin), 'timestamp.json'))).toBe(false);
  });

  it('refuses a target whose bytes do not match the signed hash', async () => {
    const [targetPath] = [...repo.files.keys()].filter((p) => p.startsWith('/targets/'));
    const tampered = Buffer.from(ROOT_A);
    tampered.writeUInt8(tampered.readUInt8(tampered.length - 2) ^ 0x01, tampered.length - 2);
    repo.files.set(targetPath!, tampered);
    const failure = await failureOf(fetchTrustedRoot(options));
    expect(failure.code).toBe('TRUST_ROOT');
    expect(failure.check).toMatch(/^tuf\.(target\.hash|download\.length)$/);
  });

  it('refuses a target that is not a trusted root, although TUF vouches for it', async () => {
    repo.publishTargets({ 'trusted_root.json': Buffer.from('{"mediaType": "something else"}') });
    expect((await failureOf(fetchTrustedRoot(options))).code).toBe('TRUST_ROOT');
  });

  it('reports an unreachable repository as a download failure', async () => {
    await repo.stop();
    expect(await failureOf(fetchTrustedRoot({ ...options, timeoutMs: 2_000 }))).toMatchObject({ code: 'TRUST_ROOT', check: 'tuf.download' });
    await repo.start();
  });

  it('needs an initial root for any repository but the public-good one, and an http(s) URL', async () => {
    expect(await failureOf(fetchTrustedRoot({ tufUrl: repo.origin, cacheDir }))).toMatchObject({ code: 'INVALID_ARGUMENT', check: 'tuf.root' });
    expect(await failureOf(fetchTrustedRoot({ tufUrl: 'file:///etc', tufRoot: rootV1, cacheDir }))).toMatchObject({ code: 'INVALID_ARGUMENT', check: 'tuf.url' });
    expect(await failureOf(fetchTrustedRoot({ ...options, targetName: '../../etc/passwd' }))).toMatchObject({ code: 'INVALID_ARGUMENT', check: 'tuf.target' });
  });
});
