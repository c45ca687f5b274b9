/**
 * The test-vector generator (vectors/generator/generate.mjs): its output is
 * reproducible, the committed copies are exactly what it generates, and the
 * official Sigstore JS verifier (@sigstore/verify) gives exactly the verdicts
 * the cases' `sigstoreJs` notes (the findings in test-vectors/README.md)
 * say, failing for the intended reason wherever it rejects a failing case.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createHash, createPublicKey } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Verifier, toSignedEntity, toTrustMaterial } from '@sigstore/verify';
import { bundleFromJSON } from '@sigstore/bundle';
import { X509Certificate } from '@sigstore/core';
import { TrustedRoot } from '@sigstore/protobuf-specs';
// @ts-expect-error: plain JavaScript module without type declarations
import { CASES } from '../../vectors/generator/cases.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const generator = path.join(repoRoot, 'vectors/generator/generate.mjs');
const OUTPUTS = ['test-vectors', 'examples/sample'];

interface Case {
  name: string;
  expect: 'pass' | 'fail';
  expected_error_code: string | null;
  expected_check: string | null;
  bundle: string;
  artifact: string;
  artifact_digest: string;
  identity: string | null;
  issuer: string | null;
  key: string | null;
  trusted_root: string;
  files: string[];
  tags: string[];
}

/** A case definition of the generator, as far as this test reads it. */
interface CaseDefinition {
  name: string;
  sigstoreJs?: { verdict: 'pass' | 'fail'; why: string };
  /** A failing case @sigstore/verify rejects only through another path, and what it reports then. */
  sigstoreJsRejects?: { signal: RegExp; why: string };
}

/** Every file under `dir`, as relative path → bytes. */
function readTree(dir: string, prefix = ''): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    const abs = path.join(dir, entry.name);
    if (entry.isDirectory()) for (const [k, v] of readTree(abs, rel)) out.set(k, v);
    else out.set(rel, readFileSync(abs));
  }
  return out;
}

function generateInto(dir: string): void {
  execFileSync(process.execPath, [generator, '--out', dir], { stdio: 'pipe' });
}

/** Asserts two trees hold the same paths with the same bytes, naming the first difference. */
function expectSameTree(actual: Map<string, Buffer>, wanted: Map<string, Buffer>, what: string): void {
  expect([...actual.keys()].sort(), `${what}: file list`).toEqual([...wanted.keys()].sort());
  for (const [rel, bytes] of wanted) {
    expect(actual.get(rel)?.equals(bytes), `${what}: ${rel} differs`).toBe(true);
  }
}

let dirA: string;
let dirB: string;

beforeAll(() => {
  dirA = mkdtempSync(path.join(tmpdir(), 'sigvet-vectors-a-'));
  dirB = mkdtempSync(path.join(tmpdir(), 'sigvet-vectors-b-'));
  generateInto(dirA);
  generateInto(dirB);
}, 120_000);

afterAll(() => {
  for (const d of [dirA, dirB]) if (d) rmSync(d, { recursive: true, force: true });
});

describe('vector generator output', () => {
  it('is byte-identical across two runs', () => {
    const a = readTree(dirA);
    expect(a.size).toBeGreaterThan(400);
    expectSameTree(readTree(dirB), a, 'second run');
  });

  it.each(OUTPUTS)('matches the committed %s/ (regenerate instead of editing by hand)', (sub) => {
    const fresh = readTree(path.join(dirA, sub));
    expect(fresh.size).toBeGreaterThan(0);
    let committed = readTree(path.join(repoRoot, sub));
    if (sub === 'test-vectors') {
      // Other suites live in subfolders that are not bundle-verify cases (oci/, policy/), and the
      // package manifest and runner (package.json, run.mjs) are written by hand; only this
      // generator's files are compared. A case-shaped folder it did not generate is still an error.
      const ours = new Set([...fresh.keys()].map((rel) => rel.split('/')[0]));
      const isForeign = (top: string) => !ours.has(top) && !committed.has(`${top}/bundle.sigstore.json`);
      committed = new Map([...committed].filter(([rel]) => !isForeign(rel.split('/')[0]!)));
    }
    expectSameTree(committed, fresh, `committed ${sub}/ vs fresh generation`);
  });

  it('lists every case directory in CASES.json with its files, artifact digest and expected failure', () => {
    const root = path.join(dirA, 'test-vectors');
    const manifest = JSON.parse(readFileSync(path.join(root, 'CASES.json'), 'utf8')) as { cases: Case[] };
    const dirs = readdirSync(root, { withFileTypes: true })
      .filter((d) => d.isDirectory() && existsSync(path.join(root, d.name, 'bundle.sigstore.json')))
      .map((d) => d.name);
    expect(manifest.cases.map((c) => c.name).sort()).toEqual(dirs.sort());
    expect(manifest.cases.length).toBeGreaterThanOrEqual(60);
    for (const c of manifest.cases) {
      expect(readdirSync(path.join(root, c.name)).sort(), c.name).toEqual(c.files);
      expect(c.name.endsWith('_fail'), c.name).toBe(c.expect === 'fail');
      if (c.expect === 'fail') {
        expect(c.expected_error_code, c.name).toMatch(/^[A-Z_]+$/);
        expect(c.expected_check, c.name).toMatch(/^[a-z][\w .-]*$/);
      } else {
        expect([c.expected_error_code, c.expected_check], c.name).toEqual([null, null]);
      }
      expect(c.files, c.name).toContain('README');
      expect(c.files, c.name).toContain(c.key ? 'key.pub' : 'identity');
      const digest = createHash('sha256').update(readFileSync(path.join(root, c.artifact))).digest('hex');
      expect(c.artifact_digest, c.name).toBe(`sha256:${digest}`);
    }
  });

  it('covers every bundle media type, log entry kind, key type and content type', () => {
    const manifest = JSON.parse(readFileSync(path.join(dirA, 'test-vectors/CASES.json'), 'utf8')) as { cases: Case[] };
    const passingTags = new Set(manifest.cases.filter((c) => c.expect === 'pass').flatMap((c) => c.tags));
    for (const tag of [
      'media-type:application/vnd.dev.sigstore.bundle+json;version=0.1',
      'media-type:application/vnd.dev.sigstore.bundle+json;version=0.2',
      'media-type:application/vnd.dev.sigstore.bundle+json;version=0.3',
      'media-type:application/vnd.dev.sigstore.bundle.v0.3+json',
      'tlog:hashedrekord/0.0.1',
      'tlog:dsse/0.0.1',
      'tlog:intoto/0.0.2',
      'tlog:hashedrekord/0.0.2',
      'tlog:dsse/0.0.2',
      'keytype:p256',
      'keytype:p384',
      'keytype:ed25519',
      'keytype:rsa',
      'content:message-signature',
      'content:dsse',
      'key:certificate',
      'key:x509CertificateChain',
      'key:publicKey',
      'timestamp:rfc3161',
    ]) {
      expect(passingTags.has(tag), `a passing case with ${tag}`).toBe(true);
    }
  });
});

/**
 * What @sigstore/verify reports when it rejects a failing case for the
 * intended reason, keyed by the case's sigvet error code.
 */
const SIGSTORE_JS_CODES: Record<string, RegExp> = {
  BUNDLE_FORMAT: /^ERROR invalid (v0\.\d )?bundle/,
  THRESHOLD: /^TLOG_ERROR /,
  SIGNATURE: /^(SIGNATURE_ERROR|TLOG_BODY_ERROR digest mismatch)/,
  CERT_CHAIN: /^CERTIFICATE_ERROR Failed to verify certificate chain/,
  TIME: /^(CERTIFICATE_ERROR Failed to verify certificate chain|TIMESTAMP_ERROR )/,
  SCT: /^CERTIFICATE_ERROR (SCT verification failed|expected 1 SCTs)/,
  TLOG_SET: /^TLOG_INCLUSION_PROMISE_ERROR /,
  TLOG_CHECKPOINT: /^TLOG_INCLUSION_PROOF_ERROR (invalid checkpoint signature|no signatures found)/,
  TLOG_INCLUSION_PROOF: /^TLOG_INCLUSION_PROOF_ERROR (calculated root hash|invalid hash count|invalid index)/,
  // An entry from an unknown log fails where the log's key is first needed.
  TLOG_BODY: /^(TLOG_BODY_ERROR |TLOG_INCLUSION_PROMISE_ERROR )/,
  TIMESTAMP: /^TIMESTAMP_ERROR /,
  IDENTITY: /^UNTRUSTED_SIGNER_ERROR /,
  // The caller's key cannot be decoded, or (managed-key bundle, identity given) no key was given.
  KEY: /^(ERR_OSSL_EVP_DECODE_ERROR |PUBLIC_KEY_ERROR key not found)/,
  // A broken CA chain in the trusted root leaves no certificate path.
  TRUST_ROOT: /^CERTIFICATE_ERROR Failed to verify certificate chain/,
};

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Runs @sigstore/verify on a case (path mode); returns null on success or "CODE message" on failure. */
function verifyWithSigstoreJs(root: string, c: Case): string | null {
  const at = (rel: string) => path.join(root, rel);
  try {
    const bundle = bundleFromJSON(JSON.parse(readFileSync(at(c.bundle), 'utf8')));
    const trustedRoot = TrustedRoot.fromJSON(JSON.parse(readFileSync(at(c.trusted_root), 'utf8')));
    const keyPem = c.key ? readFileSync(at(c.key), 'utf8') : undefined;
    const keys = keyPem ? () => ({ publicKey: createPublicKey(keyPem), validFor: () => true }) : undefined;
    const verifier = new Verifier(toTrustMaterial(trustedRoot, keys));
    const entity = toSignedEntity(bundle, readFileSync(at(c.artifact)));
    // @sigstore/verify treats the identity as an unanchored regular
    // expression; anchor it to get the whole-string match the vectors expect.
    const policy =
      c.identity !== null && c.issuer !== null
        ? { subjectAlternativeName: `^${escapeRegExp(c.identity)}$`, extensions: { issuer: c.issuer } }
        : undefined;
    verifier.verify(entity, policy);
    return null;
  } catch (e) {
    const err = e as { code?: string; message?: string; cause?: { message?: string } };
    return `${err.code ?? 'ERROR'} ${err.message ?? String(e)}${err.cause?.message ? ` / ${err.cause.message}` : ''}`;
  }
}

function leafOf(bundleJson: any): X509Certificate {
  return X509Certificate.parse(Buffer.from(bundleJson.verificationMaterial.certificate.rawBytes, 'base64'));
}

/**
 * Independent evidence, for failing cases @sigstore/verify accepts, that the
 * case is broken as intended (its acceptance there shows that every other
 * check it runs passes).
 */
const EVIDENCE: Record<string, (bundleJson: any, c: Case) => void> = {
  'leaf-is-ca_fail': (b) => {
    expect(leafOf(b).extBasicConstraints?.isCA).toBe(true);
  },
  'leaf-missing-codesigning-eku_fail': (b) => {
    expect(leafOf(b).extension('2.5.29.37')).toBeUndefined();
  },
  'tlog-body-different-key_fail': (b) => {
    const entry = b.verificationMaterial.tlogEntries[0];
    const body = JSON.parse(Buffer.from(entry.canonicalizedBody, 'base64').toString('utf8'));
    const logged = X509Certificate.parse(Buffer.from(body.spec.signature.publicKey.content, 'base64').toString('utf8'));
    expect(body.spec.signature.content).toBe(b.messageSignature.signature);
    expect(logged.equals(leafOf(b))).toBe(false);
  },
  'managed-key-ed25519-small-order_fail': (_b, c) => {
    // key.pub is the identity point (y = 1): SPKI prefix, then 01 00 … 00.
    const spki = createPublicKey(readFileSync(path.join(repoRoot, 'test-vectors', c.key!), 'utf8')).export({ type: 'spki', format: 'der' });
    expect(spki.subarray(12).toString('hex')).toBe(`01${'00'.repeat(31)}`);
  },
  'tlog-body-duplicate-key_fail': (b) => {
    const body = Buffer.from(b.verificationMaterial.tlogEntries[0].canonicalizedBody, 'base64').toString('utf8');
    expect(body.split('"spec":')).toHaveLength(3);
  },
  'rekor2-entry-with-set_fail': (b) => {
    const e = b.verificationMaterial.tlogEntries[0];
    expect(e.kindVersion).toEqual({ kind: 'hashedrekord', version: '0.0.2' });
    expect(e.inclusionPromise?.signedEntryTimestamp).toBeTruthy();
  },
  'rekor2-checkpoint-wrong-origin_fail': (b) => {
    const envelope: string = b.verificationMaterial.tlogEntries[0].inclusionProof.checkpoint.envelope;
    expect(envelope.split('\n')[0]).toBe('log2026-9.rekor.sigvet.test');
  },
};

describe('cross-check with @sigstore/verify', () => {
  const root = path.join(repoRoot, 'test-vectors');
  const manifestPath = path.join(root, 'CASES.json');
  const cases: Case[] = existsSync(manifestPath)
    ? (JSON.parse(readFileSync(manifestPath, 'utf8')) as { cases: Case[] }).cases
    : [];
  const definitions = new Map((CASES as CaseDefinition[]).map((d) => [d.name, d]));

  it('has a definition for every committed case', () => {
    expect(cases.length).toBeGreaterThanOrEqual(60);
    for (const c of cases) expect(definitions.has(c.name), c.name).toBe(true);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s: verdict as documented', (_n, c) => {
    const note = definitions.get(c.name)?.sigstoreJs;
    const result = verifyWithSigstoreJs(root, c);
    const verdict = result === null ? 'pass' : 'fail';
    if (note) {
      // A documented finding: @sigstore/verify disagrees with the expected verdict.
      expect(note.verdict, `${c.name}: a finding must disagree with the expected verdict`).not.toBe(c.expect);
      expect(verdict, `${c.name}: @sigstore/verify no longer behaves as test-vectors/README.md says (${result})`).toBe(note.verdict);
      EVIDENCE[c.name]?.(JSON.parse(readFileSync(path.join(root, c.bundle), 'utf8')), c);
      return;
    }
    expect(verdict, `${c.name}: ${result}`).toBe(c.expect);
    const incidental = definitions.get(c.name)?.sigstoreJsRejects;
    if (incidental) {
      // Documented in test-vectors/README.md: rejected, but through another path.
      expect(c.expect, `${c.name}: sigstoreJsRejects is for failing cases`).toBe('fail');
      expect(result).toMatch(incidental.signal);
    } else if (c.expect === 'fail') {
      const signal = SIGSTORE_JS_CODES[c.expected_error_code ?? ''];
      expect(signal, `no @sigstore/verify signal for ${c.expected_error_code}`).toBeDefined();
      expect(result).toMatch(signal!);
    }
  });

  it.each(['identity-prefix-only_fail', 'identity-suffix-only_fail', 'identity-regex-metacharacter_fail'])(
    '%s: the SAN differs from the expected identity, which a pattern match accepts',
    (name) => {
      const c = cases.find((x) => x.name === name);
      expect(c).toBeDefined();
      const san = leafOf(JSON.parse(readFileSync(path.join(root, c!.bundle), 'utf8'))).subjectAltName;
      expect(san).toBeDefined();
      expect(san).not.toBe(c!.identity);
      expect(new RegExp(c!.identity!).test(san!), `${name}: an unanchored pattern matches`).toBe(true);
    },
  );
});
