/**
 * Wycheproof vectors through `verifySignature` (and `verifySignatureOverDigest`
 * for the prehashed path) with each of the three providers.
 *
 * Expected outcomes: `valid` → true; `invalid` → false, or a SigvetError when
 * the key is imported. `acceptable` vectors are decided per flag in
 * ACCEPTABLE below; an acceptable vector with an undecided flag, or an
 * unknown result, fails the run.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SigvetError } from '../../src/errors.js';
import { fromHex } from '../../src/encoding/hex.js';
import { nodeCryptoProvider } from '../../src/crypto/node.js';
import { nobleProvider } from '../../src/crypto/noble.js';
import type { CryptoProvider, HashAlgorithm, KeyType, PublicKey, SignatureScheme } from '../../src/crypto/provider.js';
import { parseSpki } from '../../src/crypto/spki.js';
import {
  importPublicKey,
  verifySignature,
  verifySignatureOverDigest,
} from '../../src/crypto/verify-signature.js';
import { webCryptoProvider } from '../../src/crypto/webcrypto.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dir = path.resolve(repoRoot, '../shared/vectors/wycheproof');
const haveVectors = existsSync(dir);
if (!haveVectors) console.warn(`NOTE: ${dir} is absent; the Wycheproof suite is skipped.`);

/**
 * What sigvet decides for `acceptable` vectors, per Wycheproof flag.
 * - MissingNull (RSA PKCS#1 v1.5 DigestInfo without the NULL parameters):
 *   rejected. RFC 8017 §9.2 gives one encoding; sigvet compares the whole
 *   encoded message with it, and OpenSSL does the same.
 */
const ACCEPTABLE: { readonly [flag: string]: boolean } = {
  MissingNull: false,
};

const PROVIDERS: readonly CryptoProvider[] = [nodeCryptoProvider, webCryptoProvider, nobleProvider];

interface Vector {
  tcId: number;
  comment: string;
  flags: string[];
  msg: string;
  sig: string;
  result: 'valid' | 'invalid' | 'acceptable';
}
interface Group {
  type: string;
  publicKeyDer: string;
  sha?: string;
  mgf?: string;
  mgfSha?: string;
  sLen?: number;
  publicKey: { curve?: string };
  tests: Vector[];
}
interface VectorFile {
  algorithm: string;
  schema?: string;
  numberOfTests: number;
  testGroups: Group[];
}

const SHA: { readonly [name: string]: HashAlgorithm } = { 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };
const CURVE_TYPES: { readonly [name: string]: KeyType } = {
  secp256r1: 'ec-p256',
  secp384r1: 'ec-p384',
  secp521r1: 'ec-p521',
};

function hashOf(name: string | undefined): HashAlgorithm {
  const h = name === undefined ? undefined : SHA[name];
  if (h === undefined) throw new Error(`unsupported hash ${String(name)}`);
  return h;
}

/** The scheme a group's vectors use, from the group's own fields (every schema is handled or refused). */
function schemeFor(g: Group): { scheme: SignatureScheme; keyType: KeyType | undefined } {
  switch (g.type) {
    case 'EcdsaVerify': {
      const keyType = CURVE_TYPES[g.publicKey.curve ?? ''];
      if (keyType === undefined) throw new Error(`unknown curve ${String(g.publicKey.curve)}`);
      return { scheme: { kind: 'ecdsa', hash: hashOf(g.sha) }, keyType };
    }
    case 'EddsaVerify':
      if (g.publicKey.curve !== 'edwards25519') throw new Error(`unknown curve ${String(g.publicKey.curve)}`);
      return { scheme: { kind: 'ed25519' }, keyType: 'ed25519' };
    case 'RsassaPkcs1Verify':
      return { scheme: { kind: 'rsa-pkcs1', hash: hashOf(g.sha) }, keyType: 'rsa' };
    case 'RsassaPssVerify': {
      if (g.mgf !== 'MGF1' || g.mgfSha !== g.sha) throw new Error('only MGF1 with the message hash is supported');
      if (typeof g.sLen !== 'number') throw new Error('missing sLen');
      return { scheme: { kind: 'rsa-pss', hash: hashOf(g.sha), saltLength: g.sLen }, keyType: 'rsa' };
    }
    default:
      throw new Error(`unknown test group type ${g.type}`);
  }
}

function expected(v: Vector): boolean {
  switch (v.result) {
    case 'valid':
      return true;
    case 'invalid':
      return false;
    case 'acceptable': {
      const decisions = v.flags.map((f) => ACCEPTABLE[f]).filter((d) => d !== undefined);
      if (decisions.length === 0) throw new Error(`tcId ${v.tcId}: no decision for acceptable flags ${v.flags.join(',')}`);
      if (decisions.some((d) => d !== decisions[0])) throw new Error(`tcId ${v.tcId}: conflicting decisions`);
      return decisions[0]!;
    }
    default:
      throw new Error(`tcId ${(v as Vector).tcId}: unknown result ${String((v as Vector).result)}`);
  }
}

const files = haveVectors ? readdirSync(dir).filter((f) => f.endsWith('_test.json')).sort() : [];

function load(file: string): VectorFile {
  return JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as VectorFile;
}

function counts(d: VectorFile): string {
  const c = { valid: 0, invalid: 0, acceptable: 0 };
  for (const g of d.testGroups) for (const t of g.tests) c[t.result]++;
  return `${c.valid} valid, ${c.invalid} invalid, ${c.acceptable} acceptable`;
}

describe.skipIf(!haveVectors)('Wycheproof signature vectors', () => {
  it('finds the vector files', () => {
    expect(files.length).toBeGreaterThanOrEqual(7);
  });

  for (const file of files) {
    const data = load(file);
    for (const provider of PROVIDERS) {
      it(`${file} × ${provider.name}: ${data.numberOfTests} vectors (${counts(data)})`, async () => {
        const mismatches: string[] = [];
        let ran = 0;
        let keyRejections = 0;
        for (const g of data.testGroups) {
          const { scheme, keyType } = schemeFor(g);
          const spki = fromHex(g.publicKeyDer, 'publicKeyDer');
          let key: PublicKey | undefined;
          try {
            key = await importPublicKey(provider, spki, `tc group key`);
            expect(parseSpki(spki, 'key').type).toBe(keyType);
          } catch (e) {
            if (!(e instanceof SigvetError)) throw e;
            keyRejections++;
          }
          for (const v of g.tests) {
            ran++;
            const want = expected(v);
            if (key === undefined) {
              if (want) mismatches.push(`tcId ${v.tcId}: key rejected but the vector is valid`);
              continue;
            }
            const msg = fromHex(v.msg, 'msg');
            const sig = fromHex(v.sig, 'sig');
            const got = await verifySignature(provider, key, scheme, msg, sig);
            if (got !== want) mismatches.push(`tcId ${v.tcId} (${v.comment}; ${v.flags.join(',')}): got ${got}`);
            if (scheme.kind !== 'ed25519') {
              const digest = new Uint8Array(createHash(scheme.hash).update(msg).digest());
              const gotDigest = await verifySignatureOverDigest(provider, key, scheme, digest, sig);
              if (gotDigest !== want) mismatches.push(`tcId ${v.tcId} over digest (${v.comment}): got ${gotDigest}`);
            }
          }
        }
        expect(ran).toBe(data.numberOfTests);
        expect(mismatches).toEqual([]);
        // No file here has invalid keys; a rejection would be a regression in key import.
        expect(keyRejections).toBe(0);
      }, 120_000);
    }
  }
});
