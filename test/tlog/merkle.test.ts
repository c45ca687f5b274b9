import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha256 } from '@noble/hashes/sha2.js';
import {
  leafHash,
  nodeHash,
  rootFromInclusionProof,
  verifyConsistency,
  verifyInclusion,
} from '../../src/tlog/merkle.js';
import { SigvetError, isSigvetError } from '../../src/errors.js';
import { decodeBase64 } from '../../src/encoding/base64.js';

const VECTORS = fileURLToPath(new URL('../../../shared/vectors/merkle/testdata', import.meta.url));
const haveVectors = existsSync(VECTORS);
if (!haveVectors) console.warn(`merkle vectors skipped: ${VECTORS} is absent`);

function jsonFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out.push(...jsonFiles(p));
    else if (name.endsWith('.json')) out.push(p);
  }
  return out;
}

/** Reads a vector, keeping the integers exact (some exceed 2^53). */
function readVector(file: string): Record<string, unknown> {
  const text = readFileSync(file, 'utf8').replace(/"(leafIdx|treeSize|size1|size2)":\s*(-?\d+)/g, '"$1": "$2"');
  return JSON.parse(text) as Record<string, unknown>;
}

const b64 = (s: unknown): Uint8Array => decodeBase64(String(s ?? ''), 'vector', 'std');
const b64list = (v: unknown): Uint8Array[] => ((v as string[] | null) ?? []).map(b64);

function catchError(fn: () => void): SigvetError {
  try {
    fn();
  } catch (e) {
    if (e instanceof SigvetError) return e;
    throw e;
  }
  throw new Error('expected a failure');
}

function expectProofError(fn: () => void): void {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err, 'expected a failure').toBeDefined();
  expect(isSigvetError(err, 'TLOG_INCLUSION_PROOF'), String(err)).toBe(true);
}

describe.skipIf(!haveVectors)('transparency-dev merkle vectors', () => {
  const inclusion = haveVectors ? jsonFiles(path.join(VECTORS, 'inclusion')) : [];
  const consistency = haveVectors ? jsonFiles(path.join(VECTORS, 'consistency')) : [];

  it('finds the vectors', () => {
    expect(inclusion.length).toBeGreaterThanOrEqual(90);
    expect(consistency.length).toBeGreaterThanOrEqual(90);
    console.info(`merkle vectors: ${inclusion.length} inclusion, ${consistency.length} consistency`);
  });

  it.each(inclusion.map((f) => [path.relative(VECTORS, f), f]))('inclusion %s', (_name, file) => {
    const v = readVector(file);
    if (path.basename(file) === 'happy-path.json') expect(v.wantErr).toBe(false);
    const run = (): void =>
      verifyInclusion({
        index: BigInt(v.leafIdx as string),
        treeSize: BigInt(v.treeSize as string),
        leafHash: b64(v.leafHash),
        proof: b64list(v.proof),
        root: b64(v.root),
      });
    if (v.wantErr === false) run();
    else if (v.wantErr === true) expectProofError(run);
    else throw new Error(`unknown wantErr in ${file}`);
  });

  it.each(consistency.map((f) => [path.relative(VECTORS, f), f]))('consistency %s', (_name, file) => {
    const v = readVector(file);
    if (path.basename(file) === 'happy-path.json') expect(v.wantErr).toBe(false);
    const run = (): void =>
      verifyConsistency(BigInt(v.size1 as string), BigInt(v.size2 as string), b64list(v.proof), b64(v.root1), b64(v.root2));
    if (v.wantErr === false) run();
    else if (v.wantErr === true) expectProofError(run);
    else throw new Error(`unknown wantErr in ${file}`);
  });
});

/** Reference tree for self-made cases: RFC 6962 §2.1 MTH over leaf hashes. */
function mth(leaves: Uint8Array[]): Uint8Array {
  if (leaves.length === 0) return sha256(new Uint8Array(0));
  if (leaves.length === 1) return leaves[0]!;
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return nodeHash(mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}

/** RFC 6962 §2.1.1 PATH(m, D[n]). */
function auditPath(m: number, leaves: Uint8Array[]): Uint8Array[] {
  if (leaves.length <= 1) return [];
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return m < k
    ? [...auditPath(m, leaves.slice(0, k)), mth(leaves.slice(k))]
    : [...auditPath(m - k, leaves.slice(k)), mth(leaves.slice(0, k))];
}

describe('inclusion proofs on generated trees', () => {
  const leaves = Array.from({ length: 33 }, (_, i) => leafHash(new Uint8Array([i, i >> 8])));

  it('leaf and node hashes use the RFC 6962 prefixes', () => {
    const data = new Uint8Array([1, 2, 3]);
    expect(leafHash(data)).toEqual(sha256(new Uint8Array([0, 1, 2, 3])));
    const a = new Uint8Array(32).fill(7);
    const b = new Uint8Array(32).fill(9);
    const joined = new Uint8Array(65);
    joined[0] = 1;
    joined.set(a, 1);
    joined.set(b, 33);
    expect(nodeHash(a, b)).toEqual(sha256(joined));
  });

  it('verifies every leaf of every tree size up to 33, and rejects a flipped bit or an extra hash', () => {
    let n = 0;
    for (let size = 1; size <= leaves.length; size++) {
      const tree = leaves.slice(0, size);
      const root = mth(tree);
      for (let i = 0; i < size; i++) {
        const proof = auditPath(i, tree);
        verifyInclusion({ index: BigInt(i), treeSize: BigInt(size), leafHash: tree[i]!, proof, root });
        expect(rootFromInclusionProof({ index: BigInt(i), treeSize: BigInt(size), leafHash: tree[i]!, proof })).toEqual(root);
        n++;
        if (proof.length > 0) {
          const bad = proof.map((p) => p.slice());
          bad[bad.length - 1]![0]! ^= 1;
          expectProofError(() => verifyInclusion({ index: BigInt(i), treeSize: BigInt(size), leafHash: tree[i]!, proof: bad, root }));
        }
        expectProofError(() =>
          verifyInclusion({ index: BigInt(i), treeSize: BigInt(size), leafHash: tree[i]!, proof: [...proof, root], root }),
        );
        if (proof.length > 0) {
          // A short proof is refused by the length rule, before any hashing, and says what it wanted.
          const err = catchError(() =>
            verifyInclusion({ index: BigInt(i), treeSize: BigInt(size), leafHash: tree[i]!, proof: proof.slice(1), root }),
          );
          expect(err.check).toBe('tlog.inclusion_proof.length');
          expect([err.expected, err.actual]).toEqual([String(proof.length), String(proof.length - 1)]);
        }
      }
    }
    expect(n).toBe((33 * 34) / 2);
  });

  it('verifies consistency between every pair of sizes up to 17', () => {
    // RFC 6962 §2.1.2 SUBPROOF(m, D[n], b).
    const subproof = (m: number, d: Uint8Array[], b: boolean): Uint8Array[] => {
      const n = d.length;
      if (m === n) return b ? [] : [mth(d)];
      let k = 1;
      while (k * 2 < n) k *= 2;
      return m <= k
        ? [...subproof(m, d.slice(0, k), b), mth(d.slice(k))]
        : [...subproof(m - k, d.slice(k), false), mth(d.slice(0, k))];
    };
    for (let s2 = 1; s2 <= 17; s2++) {
      for (let s1 = 1; s1 <= s2; s1++) {
        const proof = s1 === s2 ? [] : subproof(s1, leaves.slice(0, s2), true);
        const r1 = mth(leaves.slice(0, s1));
        const r2 = mth(leaves.slice(0, s2));
        verifyConsistency(BigInt(s1), BigInt(s2), proof, r1, r2);
        if (s1 !== s2) expectProofError(() => verifyConsistency(BigInt(s1), BigInt(s2), proof, r2, r1));
      }
    }
  });

  it('rejects out-of-range indexes and sizes with a typed error', () => {
    const h = leaves[0]!;
    expectProofError(() => verifyInclusion({ index: -1n, treeSize: 1n, leafHash: h, proof: [], root: h }));
    expectProofError(() => verifyInclusion({ index: 1n, treeSize: 1n, leafHash: h, proof: [], root: h }));
    expectProofError(() => verifyInclusion({ index: 0n, treeSize: 0n, leafHash: h, proof: [], root: h }));
    expectProofError(() => verifyInclusion({ index: 0n, treeSize: 1n << 63n, leafHash: h, proof: [], root: h }));
    expectProofError(() =>
      verifyInclusion({ index: 0n, treeSize: 2n, leafHash: h, proof: Array.from({ length: 65 }, () => h), root: h }),
    );
    expectProofError(() => verifyInclusion({ index: 0n, treeSize: 2n, leafHash: h, proof: [h.subarray(0, 31)], root: h }));
    expectProofError(() => verifyInclusion({ index: 0n, treeSize: 1n, leafHash: h.subarray(1), proof: [], root: h }));
    // The largest accepted tree: 63 hashes for the last leaf of a 2^63 - 1 tree, then a root mismatch.
    const big = (1n << 63n) - 1n;
    expectProofError(() =>
      verifyInclusion({ index: big - 1n, treeSize: big, leafHash: h, proof: Array.from({ length: 62 }, () => h), root: h }),
    );
  });
});
