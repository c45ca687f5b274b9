/**
 * Verification of one transparency-log entry: the log is trusted, the body
 * matches the bundle, the SET signs the body and time, the inclusion proof
 * leads to the root of a checkpoint the log signed.
 * @module
 */
import { SigvetError } from '../errors.js';
import { bytesEqual } from '../encoding/bytes.js';
import { toHex } from '../encoding/hex.js';
import type { CryptoProvider } from '../crypto/provider.js';
import { verifySignature } from '../crypto/verify-signature.js';
import type { TransparencyLogEntry } from '../bundle/bundle.js';
import type { TrustedLog } from '../trust/trust-material.js';
import { withinWindow } from '../trust/trusted-root.js';
import { checkBodyBinding, parseEntryBody, type BundleFacts, type EntryBody } from './body.js';
import { checkpointKeyHint, checkpointOriginMatches, parseCheckpoint, verifyCheckpoint, type CheckpointVerifier } from './checkpoint.js';
import { leafHash, verifyInclusion } from './merkle.js';
import { setPayload } from './set.js';
import { sha256For } from '../crypto/one-shot-sha256.js';

/** The facts a verified entry establishes. */
export interface VerifiedTlogEntry {
  readonly entry: TransparencyLogEntry;
  readonly log: TrustedLog;
  readonly body: EntryBody;
  /** The integrated time in ms, only when a verified SET signs it. */
  readonly integratedTime: number | undefined;
  readonly setVerified: boolean;
  readonly inclusionProofVerified: boolean;
  readonly checkpoint: { readonly origin: string; readonly size: bigint; readonly rootHash: Uint8Array } | undefined;
}

const verifierCache = new WeakMap<TrustedLog, CheckpointVerifier>();

function checkpointVerifier(log: TrustedLog): CheckpointVerifier {
  let v = verifierCache.get(log);
  if (!v) {
    v = { name: log.host, key: log.key, scheme: log.scheme, keyHint: checkpointKeyHint(log.host, log.key) };
    verifierCache.set(log, v);
  }
  return v;
}

/**
 * Verifies `entry` against the trusted logs and binds it to the bundle.
 * @param facts what the bundle signed; `digest` is computed by the caller
 *   with the algorithm the body names (see {@link parseEntryBody}).
 */
export async function verifyTlogEntry(
  entry: TransparencyLogEntry,
  tlogsById: ReadonlyMap<string, readonly TrustedLog[]>,
  facts: (body: EntryBody) => BundleFacts | Promise<BundleFacts>,
  provider: CryptoProvider,
): Promise<VerifiedTlogEntry> {
  const logs = tlogsById.get(toHex(entry.logId));
  if (!logs || logs.length === 0) {
    throw new SigvetError('TLOG_BODY', `the entry's log ${toHex(entry.logId)} is not in the trusted root`, {
      check: 'tlog.log.unknown',
    });
  }
  const body = parseEntryBody(entry.canonicalizedBody, entry.kindVersion.kind, entry.kindVersion.version);
  checkBodyBinding(body, await facts(body));

  const failures: SigvetError[] = [];
  for (const log of logs) {
    try {
      return await verifyWithLog(entry, body, log, provider);
    } catch (e) {
      if (!(e instanceof SigvetError)) throw e;
      failures.push(e);
    }
  }
  if (failures.length === 1) throw failures[0]!;
  throw new SigvetError(failures[0]!.code, 'the entry does not verify with any trusted log of its id', {
    check: failures[0]!.check ?? 'tlog',
    errors: failures,
  });
}

async function verifyWithLog(
  entry: TransparencyLogEntry,
  body: EntryBody,
  log: TrustedLog,
  provider: CryptoProvider,
): Promise<VerifiedTlogEntry> {
  let integratedTime: number | undefined;
  let setVerified = false;
  // The SET and the checkpoint signatures are independent: both start before
  // either is awaited (the SET's outcome is reported first).
  let setOk: Promise<{ ok: boolean } | { error: unknown }> | undefined;
  if (entry.signedEntryTimestamp) {
    if (entry.integratedTime === undefined) {
      throw new SigvetError('TLOG_SET', 'an inclusion promise needs an integrated time', { check: 'tlog.set' });
    }
    const payload = setPayload(entry.canonicalizedBody, entry.integratedTime, entry.logId, entry.logIndex);
    setOk = verifySignature(provider, log.key, log.scheme, payload, entry.signedEntryTimestamp).then(
      (ok) => ({ ok }),
      (error: unknown) => ({ error }),
    );
  }
  const checkpointP = verifyProofAndCheckpoint(entry, log, provider).then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if (setOk) {
    const r = await setOk;
    if ('error' in r) throw r.error;
    if (!r.ok) {
      throw new SigvetError('TLOG_SET', `the signed entry timestamp does not verify with ${log.log.baseUrl}'s key`, {
        check: 'tlog.set.signature',
      });
    }
    const t = Number(entry.integratedTime) * 1000;
    if (!withinWindow(log.log.validFor, t)) {
      throw new SigvetError('TLOG_SET', `the integrated time is outside the validity of ${log.log.baseUrl}'s key`, {
        check: 'tlog.set.validity',
      });
    }
    integratedTime = t;
    setVerified = true;
  }

  const cpResult = await checkpointP;
  if ('error' in cpResult) throw cpResult.error;
  const checkpoint = cpResult.value;
  // Without a SET nothing signs the entry's own logIndex; the proof's index
  // is what the Merkle path verified, so the two must agree (Rekor v2).
  if (!setVerified && checkpoint && entry.inclusionProof && entry.logIndex !== entry.inclusionProof.logIndex) {
    throw new SigvetError('TLOG_INCLUSION_PROOF', "the entry's log index is not the one its inclusion proof verifies", {
      check: 'tlog.inclusion_proof.log_index',
      expected: entry.inclusionProof.logIndex.toString(),
      actual: entry.logIndex.toString(),
    });
  }
  if (!setVerified && !checkpoint) {
    throw new SigvetError('BUNDLE_FORMAT', 'the entry has neither an inclusion promise nor an inclusion proof', {
      check: 'tlog.evidence',
    });
  }
  if (body.rekorV2 && entry.signedEntryTimestamp) {
    throw new SigvetError('TLOG_SET', 'Rekor v2 entries carry no inclusion promise', { check: 'tlog.set' });
  }
  return {
    entry,
    log,
    body,
    integratedTime,
    setVerified,
    inclusionProofVerified: checkpoint !== undefined,
    checkpoint,
  };
}

/** Verifies the inclusion proof against a checkpoint the log signed; undefined when the entry has no proof. */
async function verifyProofAndCheckpoint(
  entry: TransparencyLogEntry,
  log: TrustedLog,
  provider: CryptoProvider,
): Promise<VerifiedTlogEntry['checkpoint']> {
  const proof = entry.inclusionProof;
  if (proof) {
    if (proof.checkpoint === undefined) {
      throw new SigvetError('TLOG_CHECKPOINT', 'an inclusion proof needs a signed checkpoint', { check: 'tlog.checkpoint.missing' });
    }
    if (proof.logIndex >= proof.treeSize) {
      throw new SigvetError('TLOG_INCLUSION_PROOF', 'log index is not below the tree size', { check: 'tlog.inclusion_proof.index' });
    }
    const cp = parseCheckpoint(proof.checkpoint);
    if (!checkpointOriginMatches(cp.origin, log.host)) {
      throw new SigvetError('TLOG_CHECKPOINT', "the checkpoint's origin is not the log's", {
        check: 'tlog.checkpoint.origin',
        expected: log.host,
        actual: cp.origin,
      });
    }
    await verifyCheckpoint(cp, [checkpointVerifier(log)], provider);
    if (cp.size !== proof.treeSize || !bytesEqual(cp.rootHash, proof.rootHash)) {
      throw new SigvetError('TLOG_INCLUSION_PROOF', 'the inclusion proof is for another tree than the signed checkpoint', {
        check: 'tlog.inclusion_proof.checkpoint',
        expected: `${cp.size}/${toHex(cp.rootHash)}`,
        actual: `${proof.treeSize}/${toHex(proof.rootHash)}`,
      });
    }
    const hash = sha256For(provider);
    verifyInclusion(
      {
        index: proof.logIndex,
        treeSize: proof.treeSize,
        leafHash: leafHash(entry.canonicalizedBody, hash),
        proof: proof.hashes,
        root: cp.rootHash,
      },
      hash,
    );
    return { origin: cp.origin, size: cp.size, rootHash: cp.rootHash };
  }
  return undefined;
}
