/**
 * RFC 6962 / RFC 9162 Merkle tree hashing and proof verification.
 *
 * Rules: leaves hash as SHA-256(0x00 ‖ data), nodes as SHA-256(0x01 ‖ l ‖ r).
 * An inclusion proof is accepted only when 0 ≤ index < size < 2^63, every hash
 * is 32 bytes, the proof has exactly the length RFC 9162 §2.1.3.2 implies for
 * (index, size) — never more, never fewer — and it leads to the expected root.
 * Consistency proofs (§2.1.4.2) follow the same rules; a proof from the empty
 * tree is rejected as meaningless. Every loop is bounded by 64 iterations.
 *
 * Internal module of the transparency-log verifier (`src/tlog`).
 * @module
 */
import { oneShotSha256 as sha256 } from '../crypto/one-shot-sha256.js';
import { SigvetError } from '../errors.js';
import { bytesEqual } from '../encoding/bytes.js';
import { toHex } from '../encoding/hex.js';

/**
 * A one-shot SHA-256: the provider's native {@link CryptoProvider.sha256Sync}
 * where it has one (several times faster on Node), else the core's JavaScript one.
 */
export type Sha256 = (data: Uint8Array) => Uint8Array;

/** Size of every hash in an RFC 6962 SHA-256 tree. */
export const MERKLE_HASH_SIZE = 32;

/** Largest proof accepted: a tree of fewer than 2^63 leaves needs at most 63 hashes (64 for consistency). */
export const MAX_PROOF_HASHES = 64;

/** Tree sizes must stay below 2^63 (Rekor stores them as int64). */
const MAX_TREE_SIZE_EXCLUSIVE = 1n << 63n;

const LEAF_PREFIX = 0x00;
const NODE_PREFIX = 0x01;

/**
 * The RFC 6962 §2.1 leaf hash: SHA-256(0x00 ‖ data).
 * @param hash the SHA-256 to use (default: the core's JavaScript one).
 * @example leafHash(canonicalEntryBytes)
 */
export function leafHash(data: Uint8Array, hash: Sha256 = sha256): Uint8Array {
  const buf = new Uint8Array(1 + data.length);
  buf[0] = LEAF_PREFIX;
  buf.set(data, 1);
  return hash(buf);
}

/** The RFC 6962 §2.1 interior node hash: SHA-256(0x01 ‖ left ‖ right). */
export function nodeHash(left: Uint8Array, right: Uint8Array, hash: Sha256 = sha256): Uint8Array {
  const buf = new Uint8Array(1 + left.length + right.length);
  buf[0] = NODE_PREFIX;
  buf.set(left, 1);
  buf.set(right, 1 + left.length);
  return hash(buf);
}

/** Inputs of an inclusion proof (RFC 9162 §2.1.3). */
export interface InclusionProofInput {
  /** Zero-based index of the leaf. */
  readonly index: bigint;
  /** Number of leaves in the tree the proof is for. */
  readonly treeSize: bigint;
  /** The leaf hash ({@link leafHash} of the entry). */
  readonly leafHash: Uint8Array;
  /** The audit path, bottom to top. */
  readonly proof: readonly Uint8Array[];
}

/** An inclusion proof plus the root it must lead to. */
export interface InclusionProofCheck extends InclusionProofInput {
  /** The expected root hash (from a verified checkpoint). */
  readonly root: Uint8Array;
}

function inclusionFail(message: string, check: string, details: { expected?: string; actual?: string } = {}): never {
  throw new SigvetError('TLOG_INCLUSION_PROOF', message, { check, ...details });
}

function bitLength(x: bigint): number {
  let n = 0;
  // x < 2^64 here, so at most 64 iterations.
  while (x > 0n && n < 64) {
    x >>= 1n;
    n++;
  }
  return n;
}

function popCount(x: bigint): number {
  let n = 0;
  for (let i = 0; i < 64 && x > 0n; i++) {
    if ((x & 1n) === 1n) n++;
    x >>= 1n;
  }
  return n;
}

/**
 * Number of hashes an inclusion proof for `index` in a tree of `size` leaves
 * has: the "inner" part (where the paths to `index` and `size - 1` differ)
 * plus the "border" part (one hash per set bit above it). Equals the number of
 * proof elements the RFC 9162 §2.1.3.2 algorithm consumes. Caller ensures
 * 0 ≤ index < size < 2^63.
 */
function inclusionProofLength(index: bigint, size: bigint): number {
  const inner = bitLength(index ^ (size - 1n));
  const border = popCount(index >> BigInt(inner));
  return inner + border;
}

function checkHash(h: unknown, what: string, check: string): Uint8Array {
  if (!(h instanceof Uint8Array)) inclusionFail(`${what} is not a byte array`, check);
  if (h.length !== MERKLE_HASH_SIZE) {
    inclusionFail(`${what} must be ${MERKLE_HASH_SIZE} bytes`, check, {
      expected: String(MERKLE_HASH_SIZE),
      actual: String(h.length),
    });
  }
  return h;
}

function checkProofHashes(proof: readonly Uint8Array[], expectedLength: number, check: string): void {
  if (!Array.isArray(proof)) inclusionFail('proof is not an array', check);
  // Length first: a longer proof is never "extra harmless data" (RFC 9162 §2.1.3.2 fails on it).
  if (proof.length > MAX_PROOF_HASHES) {
    inclusionFail(`proof has ${proof.length} hashes, more than the maximum ${MAX_PROOF_HASHES}`, check);
  }
  if (proof.length !== expectedLength) {
    inclusionFail('proof has the wrong number of hashes for this index and tree size', `${check}.length`, {
      expected: String(expectedLength),
      actual: String(proof.length),
    });
  }
  for (let i = 0; i < proof.length; i++) checkHash(proof[i], `proof hash ${i}`, check);
}

function checkTreeSize(size: unknown, what: string, check: string): bigint {
  if (typeof size !== 'bigint') inclusionFail(`${what} must be a bigint`, check);
  if (size < 0n) inclusionFail(`${what} is negative`, check, { actual: size.toString() });
  if (size >= MAX_TREE_SIZE_EXCLUSIVE) inclusionFail(`${what} must be below 2^63`, check, { actual: size.toString() });
  return size;
}

/**
 * Computes the root an inclusion proof leads to (RFC 9162 §2.1.3.2), after
 * checking every input: 0 ≤ index < treeSize < 2^63, a 32-byte leaf hash, at
 * most {@link MAX_PROOF_HASHES} 32-byte proof hashes and exactly as many as the
 * (index, treeSize) pair requires. For callers that compare the root themselves.
 * @throws SigvetError `TLOG_INCLUSION_PROOF` when the proof is malformed.
 */
export function rootFromInclusionProof(input: InclusionProofInput, hash: Sha256 = sha256): Uint8Array {
  const check = 'tlog.inclusion_proof';
  const size = checkTreeSize(input.treeSize, 'tree size', check);
  const index = input.index;
  if (typeof index !== 'bigint') inclusionFail('leaf index must be a bigint', check);
  if (index < 0n) inclusionFail('leaf index is negative', check, { actual: index.toString() });
  if (index >= size) {
    inclusionFail('leaf index is not below the tree size', check, {
      expected: `< ${size.toString()}`,
      actual: index.toString(),
    });
  }
  const leaf = checkHash(input.leafHash, 'leaf hash', check);
  const proof = input.proof;
  checkProofHashes(proof, inclusionProofLength(index, size), check);

  // RFC 9162 §2.1.3.2, steps 2–5.
  let fn = index;
  let sn = size - 1n;
  let r = leaf;
  for (const p of proof) {
    // Step 4a; unreachable after the exact-length check, kept as defence in depth.
    if (sn === 0n) inclusionFail('proof is longer than the tree is high', `${check}.length`);
    if ((fn & 1n) === 1n || fn === sn) {
      r = nodeHash(p, r, hash);
      if ((fn & 1n) === 0n) {
        // Climb past levels where this node is the rightmost and has no sibling; ≤ 63 steps.
        while ((fn & 1n) === 0n && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
      }
    } else {
      r = nodeHash(r, p, hash);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  if (sn !== 0n) inclusionFail('proof is shorter than the tree is high', `${check}.length`);
  return r;
}

/**
 * Verifies a Merkle inclusion proof against an expected root (RFC 9162 §2.1.3.2).
 * @example verifyInclusion({ index, treeSize, leafHash: leafHash(body), proof, root: checkpoint.rootHash })
 * @throws SigvetError `TLOG_INCLUSION_PROOF` (check `tlog.inclusion_proof…`) on any malformed input or a root mismatch.
 */
export function verifyInclusion(input: InclusionProofCheck, hash: Sha256 = sha256): void {
  const root = checkHash(input.root, 'expected root hash', 'tlog.inclusion_proof');
  const computed = rootFromInclusionProof(input, hash);
  if (!bytesEqual(computed, root)) {
    inclusionFail('inclusion proof does not lead to the expected root hash', 'tlog.inclusion_proof.root', {
      expected: toHex(root),
      actual: toHex(computed),
    });
  }
}

/**
 * Verifies a consistency proof between two tree heads (RFC 9162 §2.1.4.2):
 * the tree of `size2` leaves with root `root2` extends the tree of `size1`
 * leaves with root `root1`. Equal sizes require an empty proof and equal roots;
 * `size1 = 0` is rejected (a proof from the empty tree proves nothing).
 * @throws SigvetError `TLOG_INCLUSION_PROOF` (check `tlog.consistency_proof…`).
 */
export function verifyConsistency(
  size1: bigint,
  size2: bigint,
  proof: readonly Uint8Array[],
  root1: Uint8Array,
  root2: Uint8Array,
): void {
  const check = 'tlog.consistency_proof';
  checkTreeSize(size1, 'first tree size', check);
  checkTreeSize(size2, 'second tree size', check);
  if (!(root1 instanceof Uint8Array) || !(root2 instanceof Uint8Array)) inclusionFail('roots must be byte arrays', check);
  if (size2 < size1) {
    inclusionFail('second tree is smaller than the first', check, {
      expected: `>= ${size1.toString()}`,
      actual: size2.toString(),
    });
  }
  if (size1 === 0n) inclusionFail('a consistency proof from the empty tree is meaningless', check);
  if (size1 === size2) {
    checkProofHashes(proof, 0, check);
    if (!bytesEqual(root1, root2)) {
      inclusionFail('equal tree sizes with different roots', `${check}.root`, { expected: toHex(root1), actual: toHex(root2) });
    }
    return;
  }
  checkHash(root1, 'first root hash', check);
  checkHash(root2, 'second root hash', check);

  // Expected length: strip the levels where size1's subtree is complete (it is
  // a node of both trees), then an inclusion proof of that node in the larger
  // tree, plus the node itself when it is not the first tree's root.
  let level = 0n;
  while (((size1 >> level) & 1n) === 0n && level < 64n) level++;
  const node = (size1 - 1n) >> level;
  const sizeAtLevel = ((size2 - 1n) >> level) + 1n;
  const expectedLength = (node === 0n ? 0 : 1) + inclusionProofLength(node, sizeAtLevel);
  checkProofHashes(proof, expectedLength, check);

  // RFC 9162 §2.1.4.2, steps 2–7.
  const path: Uint8Array[] = node === 0n ? [root1, ...proof] : [...proof];
  let fn = size1 - 1n;
  let sn = size2 - 1n;
  while ((fn & 1n) === 1n) {
    fn >>= 1n;
    sn >>= 1n;
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (let i = 1; i < path.length; i++) {
    const c = path[i]!;
    if (sn === 0n) inclusionFail('proof is longer than the tree is high', `${check}.length`);
    if ((fn & 1n) === 1n || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while ((fn & 1n) === 0n && fn !== 0n) {
        fn >>= 1n;
        sn >>= 1n;
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  if (sn !== 0n) inclusionFail('proof is shorter than the tree is high', `${check}.length`);
  if (!bytesEqual(fr, root1)) {
    inclusionFail('consistency proof does not lead to the first root', `${check}.root`, { expected: toHex(root1), actual: toHex(fr) });
  }
  if (!bytesEqual(sr, root2)) {
    inclusionFail('consistency proof does not lead to the second root', `${check}.root`, { expected: toHex(root2), actual: toHex(sr) });
  }
}
