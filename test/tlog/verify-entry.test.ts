import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { setPayload } from '../../src/tlog/set.js';
import { verifyTlogEntry } from '../../src/tlog/verify-entry.js';
import type { BundleFacts } from '../../src/tlog/body.js';
import type { TransparencyLogEntry } from '../../src/bundle/bundle.js';
import { decodeBundle } from '../../src/bundle/decode.js';
import { parseTrustedRoot } from '../../src/trust/trusted-root.js';
import { buildTrustMaterial, type TrustMaterial } from '../../src/trust/trust-material.js';
import { nodeCryptoProvider } from '../../src/crypto/node.js';
import { expectRejects } from '../encoding/expect-error.js';
import {
  b64,
  clone,
  conformanceBundle,
  conformanceTrustedRoot,
  haveConformance,
  toB64,
  vectorArtifact,
  vectorBundle,
  vectorTrustedRoot,
  warnIfNoConformance,
  type Json,
} from '../bundle/data.js';
import { makeLeaf, makeRootCa, newKey, trustedRootJson, type TestKey } from '../x509/pki.js';

warnIfNoConformance('tlog entry tests');

const provider = nodeCryptoProvider;
const sha256 = (...parts: Uint8Array[]): Uint8Array => {
  const h = crypto.createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
};
const spkiKey = (spki: Uint8Array): crypto.KeyObject => crypto.createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

// ---------------------------------------------------------------------------
// setPayload

/** The SET payload re-derived independently: JSON.stringify with keys in canonical (sorted) order. */
function canonicalSetJson(body: Uint8Array, integratedTime: number, logId: Uint8Array, logIndex: number): string {
  return JSON.stringify({ body: toB64(body), integratedTime, logID: hex(logId), logIndex });
}

describe('setPayload', () => {
  it('is byte-exact: a real SET verifies over it with node:crypto', () => {
    const bundle = vectorBundle('happy-path-v0.3');
    const e = decodeBundle(bundle).tlogEntries[0]!;
    const payload = setPayload(e.canonicalizedBody, e.integratedTime!, e.logId, e.logIndex);
    const logKey = parseTrustedRoot(vectorTrustedRoot('happy-path-v0.3')).tlogs[0]!.publicKey;
    expect(crypto.verify('sha256', payload, spkiKey(logKey), e.signedEntryTimestamp!)).toBe(true);
    expect(new TextDecoder().decode(payload)).toBe(canonicalSetJson(e.canonicalizedBody, Number(e.integratedTime), e.logId, Number(e.logIndex)));
    // Any field changed breaks the signature.
    const moved = setPayload(e.canonicalizedBody, e.integratedTime! + 1n, e.logId, e.logIndex);
    expect(crypto.verify('sha256', moved, spkiKey(logKey), e.signedEntryTimestamp!)).toBe(false);
  });

  it.skipIf(!haveConformance)('is byte-exact against a public-good Rekor SET', () => {
    const e = decodeBundle(conformanceBundle('happy-path-v0.3')).tlogEntries[0]!;
    const root = parseTrustedRoot(conformanceTrustedRoot());
    const log = root.tlogs.find((l) => hex(l.logId) === hex(e.logId))!;
    const payload = setPayload(e.canonicalizedBody, e.integratedTime!, e.logId, e.logIndex);
    expect(crypto.verify('sha256', payload, spkiKey(log.publicKey), e.signedEntryTimestamp!)).toBe(true);
  });

  it('prints integers beyond 2^53 exactly', () => {
    const text = new TextDecoder().decode(setPayload(new Uint8Array([1, 2, 3]), 9007199254740993n, new Uint8Array([0xab, 0xcd]), 9007199254740993n));
    expect(text).toBe('{"body":"AQID","integratedTime":9007199254740993,"logID":"abcd","logIndex":9007199254740993}');
    expect(text).not.toContain('9007199254740992');
    expect(new TextDecoder().decode(setPayload(new Uint8Array(0), 0n, new Uint8Array(0), 0n))).toBe('{"body":"","integratedTime":0,"logID":"","logIndex":0}');
  });
});

// ---------------------------------------------------------------------------
// verifyTlogEntry against the real test vector

const V03 = vectorBundle('happy-path-v0.3');
const ARTIFACT = vectorArtifact('happy-path-v0.3');

function realFacts(bundle: Json = V03, artifact = ARTIFACT): (body: unknown) => BundleFacts {
  return () => ({
    signature: b64(bundle.messageSignature.signature),
    verifier: { type: 'certificate', der: b64(bundle.verificationMaterial.certificate.rawBytes) },
    digest: { algorithm: 'sha256', value: sha256(artifact) },
    payload: undefined,
    dsse: false,
  });
}

async function realMaterial(edit?: (root: Json) => void): Promise<TrustMaterial> {
  const root = JSON.parse(vectorTrustedRoot('happy-path-v0.3'));
  edit?.(root);
  return buildTrustMaterial(parseTrustedRoot(root), provider);
}

const realEntry = (edit?: (e: Json) => void): TransparencyLogEntry => {
  const b = clone(V03);
  edit?.(b.verificationMaterial.tlogEntries[0]);
  return decodeBundle(b).tlogEntries[0]!;
};

describe('verifyTlogEntry: a real entry', () => {
  it('verifies the body binding, SET, inclusion proof and checkpoint', async () => {
    const tm = await realMaterial();
    const v = await verifyTlogEntry(realEntry(), tm.tlogsById, realFacts(), provider);
    expect(v.setVerified).toBe(true);
    expect(v.inclusionProofVerified).toBe(true);
    expect(v.integratedTime).toBe(Number(V03.verificationMaterial.tlogEntries[0].integratedTime) * 1000);
    expect(v.log).toBe(tm.tlogs[0]);
    expect(v.checkpoint!.size).toBe(BigInt(V03.verificationMaterial.tlogEntries[0].inclusionProof.treeSize));
    expect(v.body.kind).toBe('hashedrekord');
  });

  it('verifies with the inclusion proof alone (no integrated time is then reported)', async () => {
    const tm = await realMaterial();
    const v = await verifyTlogEntry(realEntry((e) => delete e.inclusionPromise), tm.tlogsById, realFacts(), provider);
    expect(v.setVerified).toBe(false);
    expect(v.integratedTime).toBeUndefined();
    expect(v.inclusionProofVerified).toBe(true);
  });

  it('rejects an entry from a log not in the trusted root', async () => {
    const tm = await realMaterial();
    const e = realEntry((j) => (j.logId.keyId = toB64(new Uint8Array(32))));
    await expectRejects(verifyTlogEntry(e, tm.tlogsById, realFacts(), provider), 'TLOG_BODY', 'tlog.log.unknown');
  });

  it('rejects a body that does not match the bundle before any signature work', async () => {
    const tm = await realMaterial();
    const facts = (): BundleFacts => ({ ...realFacts()(undefined), signature: new Uint8Array(70) });
    await expectRejects(verifyTlogEntry(realEntry(), tm.tlogsById, facts, provider), 'TLOG_BODY', 'tlog.body.signature');
    await expectRejects(verifyTlogEntry(realEntry(), tm.tlogsById, realFacts(V03, new Uint8Array([1])), provider), 'TLOG_BODY', 'tlog.body.digest');
  });

  it('rejects a SET that does not sign the entry (time, index or signature changed)', async () => {
    const tm = await realMaterial();
    const it0 = BigInt(V03.verificationMaterial.tlogEntries[0].integratedTime);
    for (const edit of [
      (e: Json) => (e.integratedTime = String(it0 + 1n)),
      (e: Json) => {
        const s = b64(e.inclusionPromise.signedEntryTimestamp);
        s[s.length - 1] = s[s.length - 1]! ^ 1;
        e.inclusionPromise.signedEntryTimestamp = toB64(s);
      },
      (e: Json) => (e.logIndex = String(BigInt(e.logIndex) + 1n)),
    ]) {
      await expectRejects(verifyTlogEntry(realEntry(edit), tm.tlogsById, realFacts(), provider), 'TLOG_SET', 'tlog.set.signature');
    }
  });

  it('rejects an inclusion promise without an integrated time', async () => {
    const tm = await realMaterial();
    await expectRejects(verifyTlogEntry(realEntry((e) => delete e.integratedTime), tm.tlogsById, realFacts(), provider), 'TLOG_SET', 'tlog.set');
  });

  it("rejects an integrated time outside the log key's validity", async () => {
    const t = Number(V03.verificationMaterial.tlogEntries[0].integratedTime) * 1000;
    const late = await realMaterial((r) => (r.tlogs[0].publicKey.validFor = { start: new Date(t + 1000).toISOString() }));
    await expectRejects(verifyTlogEntry(realEntry(), late.tlogsById, realFacts(), provider), 'TLOG_SET', 'tlog.set.validity');
    const ended = await realMaterial((r) => (r.tlogs[0].publicKey.validFor = { start: '2020-01-01T00:00:00Z', end: new Date(t - 1000).toISOString() }));
    await expectRejects(verifyTlogEntry(realEntry(), ended.tlogsById, realFacts(), provider), 'TLOG_SET', 'tlog.set.validity');
    // The end is inclusive.
    const exact = await realMaterial((r) => (r.tlogs[0].publicKey.validFor = { start: '2020-01-01T00:00:00Z', end: new Date(t).toISOString() }));
    await expect(verifyTlogEntry(realEntry(), exact.tlogsById, realFacts(), provider)).resolves.toBeDefined();
  });

  it('tries every trusted log with the id, and reports all failures when none verifies', async () => {
    const t = Number(V03.verificationMaterial.tlogEntries[0].integratedTime) * 1000;
    const twin = await realMaterial((r) => {
      r.tlogs[1] = clone(r.tlogs[0]);
      r.tlogs[0].publicKey.validFor = { start: new Date(t + 1000).toISOString() };
    });
    const v = await verifyTlogEntry(realEntry(), twin.tlogsById, realFacts(), provider);
    expect(v.log).toBe(twin.tlogs[1]);
    const neither = await realMaterial((r) => {
      r.tlogs[0].publicKey.validFor = { start: new Date(t + 1000).toISOString() };
      r.tlogs[1] = clone(r.tlogs[0]);
    });
    const e = await expectRejects(verifyTlogEntry(realEntry(), neither.tlogsById, realFacts(), provider), 'TLOG_SET', 'tlog.set.validity');
    expect(e.errors).toHaveLength(2);
  });

  it('rejects a log index not below the tree size', async () => {
    const tm = await realMaterial();
    const e = realEntry((j) => (j.inclusionProof.logIndex = j.inclusionProof.treeSize));
    await expectRejects(verifyTlogEntry(e, tm.tlogsById, realFacts(), provider), 'TLOG_INCLUSION_PROOF', 'tlog.inclusion_proof.index');
  });

  it("rejects a proof for another tree than the checkpoint's", async () => {
    const tm = await realMaterial();
    const root = realEntry((j) => (j.inclusionProof.rootHash = toB64(new Uint8Array(32).fill(7))));
    const e1 = await expectRejects(verifyTlogEntry(root, tm.tlogsById, realFacts(), provider), 'TLOG_INCLUSION_PROOF', 'tlog.inclusion_proof.checkpoint');
    expect(e1.expected).not.toBe(e1.actual);
    const size = realEntry((j) => (j.inclusionProof.treeSize = String(BigInt(j.inclusionProof.treeSize) + 1n)));
    await expectRejects(verifyTlogEntry(size, tm.tlogsById, realFacts(), provider), 'TLOG_INCLUSION_PROOF', 'tlog.inclusion_proof.checkpoint');
  });

  it('rejects a proof whose hashes do not lead to the root', async () => {
    const tm = await realMaterial();
    const flipped = realEntry((j) => {
      const h = b64(j.inclusionProof.hashes[0]);
      h[0] = h[0]! ^ 1;
      j.inclusionProof.hashes[0] = toB64(h);
    });
    await expectRejects(verifyTlogEntry(flipped, tm.tlogsById, realFacts(), provider), 'TLOG_INCLUSION_PROOF', 'tlog.inclusion_proof.root');
    const short = realEntry((j) => j.inclusionProof.hashes.pop());
    await expectRejects(verifyTlogEntry(short, tm.tlogsById, realFacts(), provider), 'TLOG_INCLUSION_PROOF', /^tlog\.inclusion_proof/);
    // The proof is for this body: another index in the same tree does not verify.
    const moved = realEntry((j) => (j.inclusionProof.logIndex = String(BigInt(j.inclusionProof.logIndex) + 1n)));
    await expectRejects(verifyTlogEntry(moved, tm.tlogsById, realFacts(), provider), 'TLOG_INCLUSION_PROOF', /^tlog\.inclusion_proof/);
  });

  it('rejects a checkpoint whose signature does not verify, and a missing checkpoint', async () => {
    const tm = await realMaterial();
    const forged = realEntry((j) => {
      const lines = j.inclusionProof.checkpoint.envelope.split('\n');
      lines[1] = String(Number(lines[1]) + 1);
      j.inclusionProof.checkpoint.envelope = lines.join('\n');
      j.inclusionProof.treeSize = lines[1];
    });
    await expectRejects(verifyTlogEntry(forged, tm.tlogsById, realFacts(), provider), 'TLOG_CHECKPOINT', 'tlog.checkpoint.signature');
    const proof = realEntry().inclusionProof!;
    const missing = { ...realEntry(), inclusionProof: { ...proof, checkpoint: undefined } };
    await expectRejects(verifyTlogEntry(missing, tm.tlogsById, realFacts(), provider), 'TLOG_CHECKPOINT', 'tlog.checkpoint.missing');
  });

  it('rejects an entry with neither an inclusion promise nor an inclusion proof', async () => {
    const tm = await realMaterial();
    const bare = { ...realEntry(), signedEntryTimestamp: undefined, inclusionProof: undefined };
    await expectRejects(verifyTlogEntry(bare, tm.tlogsById, realFacts(), provider), 'BUNDLE_FORMAT', 'tlog.evidence');
  });
});

// ---------------------------------------------------------------------------
// A synthetic log whose key the test holds, for cases a real log never signs.

interface SyntheticLog {
  readonly key: TestKey;
  readonly host: string;
  readonly logId: Uint8Array;
  readonly material: TrustMaterial;
}

async function syntheticLog(host = 'rekor.synthetic.test'): Promise<SyntheticLog> {
  const key = newKey();
  const root = trustedRootJson({ tlogs: [{ baseUrl: `https://${host}`, spki: key.spki, start: '2020-01-01T00:00:00Z' }] });
  return { key, host, logId: sha256(key.spki), material: await buildTrustMaterial(parseTrustedRoot(root), provider) };
}

const ca = makeRootCa({ cn: 'ca' });
const leaf = makeLeaf(ca).der;
const signature = new Uint8Array(crypto.randomBytes(70));
const digest = sha256(new TextEncoder().encode('synthetic artifact'));

function hashedrekordV2Body(): Uint8Array {
  return new TextEncoder().encode(
    JSON.stringify({
      apiVersion: '0.0.2',
      kind: 'hashedrekord',
      spec: {
        hashedRekordV002: {
          data: { algorithm: 'SHA2_256', digest: toB64(digest) },
          signature: { content: toB64(signature), verifier: { x509Certificate: { rawBytes: toB64(leaf) }, keyDetails: 'PKIX_ECDSA_P256_SHA_256' } },
        },
      },
    }),
  );
}

function hashedrekordV1Body(): Uint8Array {
  const pem = `-----BEGIN CERTIFICATE-----\n${toB64(leaf).replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;
  return new TextEncoder().encode(
    JSON.stringify({
      apiVersion: '0.0.1',
      kind: 'hashedrekord',
      spec: {
        data: { hash: { algorithm: 'sha256', value: hex(digest) } },
        signature: { content: toB64(signature), publicKey: { content: Buffer.from(pem).toString('base64') } },
      },
    }),
  );
}

const syntheticFacts = (): BundleFacts => ({
  signature,
  verifier: { type: 'certificate', der: leaf },
  digest: { algorithm: 'sha256', value: digest },
  payload: undefined,
  dsse: false,
});

const leafHash = (b: Uint8Array): Uint8Array => sha256(Uint8Array.of(0), b);
const nodeHash = (l: Uint8Array, r: Uint8Array): Uint8Array => sha256(Uint8Array.of(1), l, r);

/** A signed checkpoint (C2SP signed note) by the synthetic log. */
function checkpoint(log: SyntheticLog, origin: string, size: bigint, root: Uint8Array): string {
  const text = `${origin}\n${size}\n${toB64(root)}\n`;
  const sig = crypto.sign('sha256', Buffer.from(text), log.key.privateKey);
  const hint = sha256(log.key.spki).subarray(0, 4);
  return `${text}\n\u2014 ${log.host} ${toB64(new Uint8Array([...hint, ...sig]))}\n`;
}

/** An entry at index 0 of a two-leaf tree, with a SET and/or a proof. */
function syntheticEntry(
  log: SyntheticLog,
  body: Uint8Array,
  o: { kind: string; version: string; set?: boolean; proof?: boolean; origin?: string; logIndex?: bigint; integratedTime?: bigint },
): TransparencyLogEntry {
  const logIndex = o.logIndex ?? 0n;
  const integratedTime = o.integratedTime ?? 1768478400n;
  const other = leafHash(new TextEncoder().encode('another entry'));
  const root = nodeHash(leafHash(body), other);
  return {
    logIndex,
    logId: log.logId,
    kindVersion: { kind: o.kind, version: o.version },
    integratedTime: o.set ? integratedTime : undefined,
    signedEntryTimestamp: o.set ? new Uint8Array(crypto.sign('sha256', setPayload(body, integratedTime, log.logId, logIndex), log.key.privateKey)) : undefined,
    inclusionProof: o.proof
      ? { logIndex: 0n, treeSize: 2n, rootHash: root, hashes: [other], checkpoint: checkpoint(log, o.origin ?? log.host, 2n, root) }
      : undefined,
    canonicalizedBody: body,
  };
}

describe('verifyTlogEntry: a synthetic log', () => {
  it('verifies a Rekor v2 entry by its proof and checkpoint, with no integrated time', async () => {
    const log = await syntheticLog();
    const e = syntheticEntry(log, hashedrekordV2Body(), { kind: 'hashedrekord', version: '0.0.2', proof: true });
    const v = await verifyTlogEntry(e, log.material.tlogsById, syntheticFacts, provider);
    expect(v.body.rekorV2).toBe(true);
    expect(v.integratedTime).toBeUndefined();
    expect(v.checkpoint).toEqual({ origin: log.host, size: 2n, rootHash: e.inclusionProof!.rootHash });
  });

  it('rejects a Rekor v2 entry carrying an inclusion promise, even one the log signed', async () => {
    const log = await syntheticLog();
    const e = syntheticEntry(log, hashedrekordV2Body(), { kind: 'hashedrekord', version: '0.0.2', set: true, proof: true });
    await expectRejects(verifyTlogEntry(e, log.material.tlogsById, syntheticFacts, provider), 'TLOG_SET', 'tlog.set');
  });

  it("rejects a checkpoint signed by the log for another origin; accepts the Rekor v1 '<host> - <tree id>' form", async () => {
    const log = await syntheticLog();
    const body = hashedrekordV1Body();
    const other = syntheticEntry(log, body, { kind: 'hashedrekord', version: '0.0.1', proof: true, origin: 'rekor.other.test' });
    const e = await expectRejects(verifyTlogEntry(other, log.material.tlogsById, syntheticFacts, provider), 'TLOG_CHECKPOINT', 'tlog.checkpoint.origin');
    expect(e.expected).toBe(log.host);
    const v1 = syntheticEntry(log, body, { kind: 'hashedrekord', version: '0.0.1', proof: true, origin: `${log.host} - 1193050959916656506` });
    await expect(verifyTlogEntry(v1, log.material.tlogsById, syntheticFacts, provider)).resolves.toBeDefined();
    const suffix = syntheticEntry(log, body, { kind: 'hashedrekord', version: '0.0.1', proof: true, origin: `${log.host}.evil` });
    await expectRejects(verifyTlogEntry(suffix, log.material.tlogsById, syntheticFacts, provider), 'TLOG_CHECKPOINT', 'tlog.checkpoint.origin');
  });

  it('verifies a SET over a log index and time beyond 2^53 exactly', async () => {
    const log = await syntheticLog();
    const e = syntheticEntry(log, hashedrekordV1Body(), { kind: 'hashedrekord', version: '0.0.1', set: true, logIndex: 2n ** 53n + 1n });
    const v = await verifyTlogEntry(e, log.material.tlogsById, syntheticFacts, provider);
    expect(v.setVerified).toBe(true);
    // 2^53 + 1 and 2^53 are the same double: the SET must not verify for the neighbour.
    const neighbour = { ...e, logIndex: 2n ** 53n };
    await expectRejects(verifyTlogEntry(neighbour, log.material.tlogsById, syntheticFacts, provider), 'TLOG_SET', 'tlog.set.signature');
  });

  it("rejects a SET signed by another log's key", async () => {
    const log = await syntheticLog();
    const impostor = await syntheticLog();
    const e = syntheticEntry({ ...impostor, logId: log.logId }, hashedrekordV1Body(), { kind: 'hashedrekord', version: '0.0.1', set: true });
    await expectRejects(verifyTlogEntry(e, log.material.tlogsById, syntheticFacts, provider), 'TLOG_SET', 'tlog.set.signature');
  });
});
