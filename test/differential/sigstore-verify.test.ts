/**
 * Differential test: sigvet against the official Sigstore JS verifier
 * (@sigstore/verify, a dev dependency) on every case of the shared
 * sigstore-conformance subset (../shared/conformance) and of the project's
 * own test vectors (test-vectors/).
 *
 * Both verifiers get the same trusted root, bundle, artifact bytes and
 * policy (identity + issuer, or the managed key), with thresholds 1/1/1, and
 * must agree on pass/fail. The only exceptions are listed in
 * DELIBERATE_DIFFERENCES, each with its reason; docs/differences.md mirrors
 * that table (a test below keeps the two in step). For a listed case the
 * test pins both sides' verdicts, so a stale entry (say, after an upgrade of
 * the official client) fails instead of hiding a change.
 *
 * Modes. @sigstore/verify has no digest input: its message-signature check
 * verifies the signature over the artifact bytes, so only the bytes mode is
 * run against it. sigvet's digest mode is still compared with the official
 * bytes verdict, since a case has one right answer whatever the mode.
 *
 * Derived variants: each passing case is also run with one expectation
 * changed (issuer, SAN, artifact, managed key), which both verifiers must
 * reject unless a deliberate difference says otherwise.
 */
import { createHash, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Verifier as OfficialVerifier, toSignedEntity, toTrustMaterial, type TrustMaterial } from '@sigstore/verify';
import { bundleFromJSON } from '@sigstore/bundle';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { createVerifierWith, isSigvetError, type ErrorCode, type Verifier, type VerifyInput } from '../../src/api.js';
import { nodeCryptoProvider } from '../../src/crypto/node.js';
// @ts-expect-error: plain JavaScript module without type declarations
import { CASES as VECTOR_DEFINITIONS } from '../../vectors/generator/cases.mjs';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CONFORMANCE_DIR = path.resolve(REPO_ROOT, '../shared/conformance');
const VECTORS_DIR = path.join(REPO_ROOT, 'test-vectors');
const DIFFERENCES_DOC = path.join(REPO_ROOT, 'docs/differences.md');

/** A verifier's pass/fail verdict. */
type Verdict = 'pass' | 'fail';

/** One case (or derived variant) on which the two verifiers deliberately disagree. */
interface DeliberateDifference {
  /** sigvet's verdict: `'pass'`, or the error code it fails with. */
  readonly sigvet: 'pass' | ErrorCode;
  /** The official client's verdict. */
  readonly official: Verdict;
  /** Why they differ. */
  readonly reason: string;
  /** Who is right, and the spec or advisory that says so. */
  readonly right: string;
}

const ARTIFACT_NOT_CHECKED =
  '@sigstore/verify never compares a DSSE statement\'s subjects with the artifact (it verifies the envelope only; ' +
  'the subject check is left to the caller), so another artifact still passes. sigvet requires the artifact digest ' +
  'to match a subject.';
const ARTIFACT_NOT_CHECKED_RIGHT =
  'sigvet: client-spec §4.4 item 3 ("the subject of the parsed body matches the artifact") and the in-toto ' +
  'attestation framework (a statement is about its subjects); the same flaw in sigstore-ruby was GHSA-mhg6-2q2v-9h2c.';

/**
 * Cases and variants on which sigvet and @sigstore/verify 3.1.1 disagree on
 * purpose. Keys are `<suite>/<case>` (suite: `conformance` or `test-vectors`),
 * with `#<variant>` for derived variants. Mirrored in docs/differences.md.
 */
const DELIBERATE_DIFFERENCES: Readonly<Record<string, DeliberateDifference>> = {
  'conformance/rekor2-dsse-happy-path': {
    sigvet: 'pass',
    official: 'fail',
    reason:
      'The Rekor v2 entry is hashedrekord 0.0.2 over a DSSE envelope, whose digest is Hash(PAE(payloadType, payload)). @sigstore/verify 3.1.1 compares it with SHA-256 of the payload alone and fails with TLOG_BODY_ERROR "digest mismatch".',
    right:
      'sigvet: rekor-v2-spec §6.1.4 ("DSSE Envelopes": verifiers compute Hash(PAE(payloadType, payload)) and compare it with data.digest); the conformance case expects pass. @sigstore/verify 3.1.1 predates this encoding.',
  },
  'conformance/happy-path-intoto-in-dsse-v3#other-artifact': {
    sigvet: 'SUBJECT',
    official: 'pass',
    reason: ARTIFACT_NOT_CHECKED,
    right: ARTIFACT_NOT_CHECKED_RIGHT,
  },
};

/** A case from a CASES.json manifest (the fields this test reads). */
interface ManifestCase {
  readonly name: string;
  readonly expect: Verdict;
  readonly bundle: string;
  readonly artifact: string;
  readonly artifact_digest: string;
  readonly identity: string | null;
  readonly issuer: string | null;
  readonly key: string | null;
  readonly trusted_root: string;
  readonly expected_error_code?: ErrorCode;
}

/** A case with its files read. */
interface LoadedCase {
  readonly id: string;
  readonly expect: Verdict;
  readonly rootPath: string;
  readonly rootText: string;
  readonly bundleText: string;
  readonly artifact: Uint8Array;
  readonly artifactDigest: string;
  readonly identity: { readonly subjectAlternativeName: string; readonly issuer: string } | null;
  readonly keyPem: string | null;
  /** sigvet's expected error code (sigvet's own vectors only). */
  readonly expectedCode: ErrorCode | undefined;
}

/** What a verifier said about one run. */
type Outcome = { readonly pass: true } | { readonly pass: false; readonly code: string; readonly message: string };

function loadSuite(suite: string, dir: string): LoadedCase[] {
  const manifest = JSON.parse(readFileSync(path.join(dir, 'CASES.json'), 'utf8')) as { cases: ManifestCase[] };
  return manifest.cases.map((c) => {
    const read = (rel: string): Buffer => readFileSync(path.join(dir, rel));
    if ((c.key === null) === (c.identity === null || c.issuer === null)) {
      throw new Error(`${suite}/${c.name}: a case needs either a key or an identity and issuer`);
    }
    return {
      id: `${suite}/${c.name}`,
      expect: c.expect,
      rootPath: path.join(dir, c.trusted_root),
      rootText: read(c.trusted_root).toString('utf8'),
      bundleText: read(c.bundle).toString('utf8'),
      artifact: new Uint8Array(read(c.artifact)),
      artifactDigest: c.artifact_digest,
      identity: c.identity !== null && c.issuer !== null ? { subjectAlternativeName: c.identity, issuer: c.issuer } : null,
      keyPem: c.key === null ? null : read(c.key).toString('utf8'),
      expectedCode: c.expected_error_code,
    };
  });
}

/** The expectation a run passes to both verifiers. */
interface Run {
  readonly id: string;
  readonly c: LoadedCase;
  readonly artifact: Uint8Array;
  readonly artifactDigest: string;
  readonly identity: LoadedCase['identity'];
  readonly keyPem: string | null;
}

const sigvetVerifiers = new Map<string, Promise<Verifier>>();
const officialTrust = new Map<string, TrustMaterial>();

function sigvetVerifierFor(c: LoadedCase): Promise<Verifier> {
  let v = sigvetVerifiers.get(c.rootPath);
  if (v === undefined) {
    v = createVerifierWith(nodeCryptoProvider, { trustedRoot: c.rootText });
    sigvetVerifiers.set(c.rootPath, v);
  }
  return v;
}

/** Runs sigvet; any throw that is not a SigvetError is itself a test failure (fail closed, typed errors). */
async function runSigvet(run: Run, mode: 'bytes' | 'digest'): Promise<Outcome> {
  const input: VerifyInput = {
    ...(mode === 'bytes' ? { artifact: run.artifact } : { artifactDigest: run.artifactDigest }),
    ...(run.keyPem !== null ? { key: run.keyPem } : {}),
    ...(run.identity !== null ? { identity: run.identity } : {}),
  };
  try {
    const verifier = await sigvetVerifierFor(run.c);
    await verifier.verify(run.c.bundleText, input);
    return { pass: true };
  } catch (e) {
    if (!isSigvetError(e)) throw new Error(`${run.id}: sigvet threw a non-SigvetError: ${String(e)}`, { cause: e });
    return { pass: false, code: e.code, message: `${e.check ?? ''}: ${e.message}` };
  }
}

/**
 * Runs @sigstore/verify the way its own `sigstore` wrapper does: trust
 * material from the trusted root, the bundle through bundleFromJSON, the
 * artifact bytes, and the policy (SAN + issuer extension) for certificates;
 * for managed keys a key finder that returns the caller's key for any hint.
 */
function runOfficial(run: Run): Outcome {
  try {
    const keyName = run.keyPem ?? '';
    const cacheKey = `${run.c.rootPath}\n${keyName}`;
    let trust = officialTrust.get(cacheKey);
    if (trust === undefined) {
      const root = TrustedRoot.fromJSON(JSON.parse(run.c.rootText));
      if (run.keyPem !== null) {
        const publicKey: KeyObject = createPublicKey(run.keyPem);
        trust = toTrustMaterial(root, () => ({ publicKey, validFor: () => true }));
      } else {
        trust = toTrustMaterial(root);
      }
      officialTrust.set(cacheKey, trust);
    }
    const verifier = new OfficialVerifier(trust, { tlogThreshold: 1, ctlogThreshold: 1, timestampThreshold: 1 });
    const bundle = bundleFromJSON(JSON.parse(run.c.bundleText));
    const entity = toSignedEntity(bundle, Buffer.from(run.artifact));
    verifier.verify(
      entity,
      run.identity === null
        ? undefined
        : { subjectAlternativeName: run.identity.subjectAlternativeName, extensions: { issuer: run.identity.issuer } },
    );
    return { pass: true };
  } catch (e) {
    const err = e as { code?: unknown; name?: unknown; message?: unknown };
    const code = typeof err.code === 'string' ? err.code : typeof err.name === 'string' ? err.name : 'unknown';
    return { pass: false, code, message: typeof err.message === 'string' ? err.message : String(e) };
  }
}

function describeOutcome(o: Outcome): string {
  return o.pass ? 'pass' : `fail ${o.code} (${o.message})`;
}

/**
 * Differences on sigvet's own vectors are documented where each vector is
 * defined (the `sigstoreJs` note in vectors/generator/cases, listed in
 * test-vectors/README.md), not repeated here; and @sigstore/verify never
 * matches a DSSE statement's subjects against the artifact (client-spec
 * §4.4 item 3), so another artifact passes there and fails SUBJECT here.
 */
interface VectorDefinition {
  readonly name: string;
  readonly sigstoreJs?: { readonly verdict: Verdict; readonly why: string };
}
const UNANCHORED_SAN =
  '@sigstore/verify treats the expected SAN as an unanchored JavaScript regular expression (String.prototype.match), so a prefix, a suffix or a pattern with "." wildcards of the real SAN matches.';
const UNANCHORED_SAN_RIGHT =
  "sigvet: the conformance protocol's --certificate-identity is an exact identity (cosign semantics); sigvet matches whole strings, or a regex only when asked for one explicitly.";
const VECTOR_NOTES = new Map((VECTOR_DEFINITIONS as VectorDefinition[]).map((d) => [d.name, d]));

function vectorDifference(run: Run): DeliberateDifference | undefined {
  const m = /^test-vectors\/([^#]+)(#.+)?$/.exec(run.id);
  if (!m) return undefined;
  const def = VECTOR_NOTES.get(m[1]!);
  // The generator's notes assume an anchored identity; this test passes the
  // SAN as @sigstore/verify's API documents, an unanchored regular expression.
  if (m[2] === undefined && /^identity-(prefix-only|suffix-only|regex-metacharacter)_fail$/.test(m[1]!)) {
    return { sigvet: 'IDENTITY', official: 'pass', reason: UNANCHORED_SAN, right: UNANCHORED_SAN_RIGHT };
  }
  const officialRejectsBase = def?.sigstoreJs?.verdict === 'fail';
  if (m[2] === '#other-artifact' && run.c.expect === 'pass' && !officialRejectsBase && run.c.bundleText.includes('"dsseEnvelope"')) {
    return { sigvet: 'SUBJECT', official: 'pass', reason: ARTIFACT_NOT_CHECKED, right: ARTIFACT_NOT_CHECKED_RIGHT };
  }
  if (m[2] !== undefined || !def?.sigstoreJs) return undefined;
  return {
    sigvet: run.c.expect === 'pass' ? 'pass' : (run.c.expectedCode ?? 'PARSE'),
    official: def.sigstoreJs.verdict,
    reason: def.sigstoreJs.why,
    right: 'sigvet: see test-vectors/README.md',
  };
}

/** Asserts agreement, or the pinned deliberate difference for `run.id`. */
function assertAgreement(run: Run, sigvet: Outcome, official: Outcome, label: string): void {
  const diff = DELIBERATE_DIFFERENCES[run.id] ?? vectorDifference(run);
  const context = `${run.id} [${label}]\n  sigvet:           ${describeOutcome(sigvet)}\n  @sigstore/verify: ${describeOutcome(official)}`;
  if (diff === undefined) {
    expect(sigvet.pass, `verdicts differ: ${context}`).toBe(official.pass);
    return;
  }
  expect(sigvet.pass ? 'pass' : sigvet.code, `sigvet no longer gives the documented verdict: ${context}`).toBe(diff.sigvet);
  expect(official.pass ? 'pass' : 'fail', `@sigstore/verify no longer gives the documented verdict: ${context}`).toBe(
    diff.official,
  );
}

/** Derived variants of a passing case: one expectation changed, which must make verification fail. */
function variantsOf(c: LoadedCase): Run[] {
  const base: Run = { id: c.id, c, artifact: c.artifact, artifactDigest: c.artifactDigest, identity: c.identity, keyPem: c.keyPem };
  const out: Run[] = [];
  if (c.identity !== null) {
    out.push({ ...base, id: `${c.id}#wrong-issuer`, identity: { ...c.identity, issuer: `${c.identity.issuer}.evil.example` } });
    out.push({
      ...base,
      id: `${c.id}#san-suffix`,
      identity: { ...c.identity, subjectAlternativeName: `${c.identity.subjectAlternativeName}x` },
    });
  }
  if (c.keyPem !== null) {
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' });
    out.push({ ...base, id: `${c.id}#other-key`, keyPem: other.toString() });
  }
  const otherArtifact = new Uint8Array(c.artifact.length + 1);
  otherArtifact.set(c.artifact);
  otherArtifact[c.artifact.length] = 0x0a;
  out.push({
    ...base,
    id: `${c.id}#other-artifact`,
    artifact: otherArtifact,
    artifactDigest: `sha256:${createHash('sha256').update(otherArtifact).digest('hex')}`,
  });
  return out;
}

/** The differential suite for one folder of cases. */
function defineSuite(suite: string, dir: string): void {
  const cases = loadSuite(suite, dir);

  it(`reads the ${suite} cases`, () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  describe('artifact bytes: sigvet vs @sigstore/verify', () => {
    for (const c of cases) {
      it(c.id, async () => {
        const run: Run = { id: c.id, c, artifact: c.artifact, artifactDigest: c.artifactDigest, identity: c.identity, keyPem: c.keyPem };
        assertAgreement(run, await runSigvet(run, 'bytes'), runOfficial(run), 'bytes');
      });
    }
  });

  describe('artifact digest: sigvet (digest) vs @sigstore/verify (bytes; it has no digest input)', () => {
    for (const c of cases) {
      it(c.id, async () => {
        const run: Run = { id: c.id, c, artifact: c.artifact, artifactDigest: c.artifactDigest, identity: c.identity, keyPem: c.keyPem };
        assertAgreement(run, await runSigvet(run, 'digest'), runOfficial(run), 'sigvet digest');
      });
    }
  });

  describe('derived variants of the passing cases', () => {
    for (const c of cases.filter((k) => k.expect === 'pass')) {
      for (const run of variantsOf(c)) {
        it(run.id, async () => {
          const official = runOfficial(run);
          const bytes = await runSigvet(run, 'bytes');
          const digest = await runSigvet(run, 'digest');
          // A changed expectation must never turn into a pass for sigvet.
          expect(bytes.pass || digest.pass, `${run.id}: sigvet accepted a changed expectation`).toBe(false);
          assertAgreement(run, bytes, official, 'bytes');
          assertAgreement(run, digest, official, 'sigvet digest');
        });
      }
    }
  });
}

/** All ids the suites can produce (cases and derived variants), for the table checks. */
function knownIds(suite: string, dir: string): Set<string> {
  const ids = new Set<string>();
  for (const c of loadSuite(suite, dir)) {
    ids.add(c.id);
    if (c.expect === 'pass') for (const v of variantsOf(c)) ids.add(v.id);
  }
  return ids;
}

const hasConformance = existsSync(path.join(CONFORMANCE_DIR, 'CASES.json'));
if (!hasConformance) {
  console.warn(`differential: ${CONFORMANCE_DIR} not found; skipping the conformance cases (test-vectors still run)`);
}

describe.skipIf(!hasConformance)('differential: shared sigstore-conformance cases', () => {
  // Vitest still collects a skipped suite, so only read the cases when they exist.
  if (hasConformance) defineSuite('conformance', CONFORMANCE_DIR);
  else it('needs ../shared/conformance', () => {});
});

describe('differential: sigvet test vectors', () => {
  defineSuite('test-vectors', VECTORS_DIR);
});

describe('DELIBERATE_DIFFERENCES table', () => {
  it('names only cases and variants that exist', () => {
    const ids = knownIds('test-vectors', VECTORS_DIR);
    if (hasConformance) for (const id of knownIds('conformance', CONFORMANCE_DIR)) ids.add(id);
    for (const id of Object.keys(DELIBERATE_DIFFERENCES)) {
      if (!hasConformance && id.startsWith('conformance/')) continue;
      expect(ids.has(id), `DELIBERATE_DIFFERENCES names an unknown case: ${id}`).toBe(true);
    }
  });

  it('is mirrored row for row in docs/differences.md', () => {
    const doc = readFileSync(DIFFERENCES_DOC, 'utf8');
    // Table rows whose first cell is a `code` span naming a case.
    const rows = new Map<string, string>();
    for (const line of doc.split('\n')) {
      const m = /^\|\s*`([^`]+)`\s*\|(.*)$/.exec(line);
      if (m?.[1] !== undefined && m[2] !== undefined && /^(conformance|test-vectors)\//.test(m[1])) rows.set(m[1], m[2]);
    }
    expect([...rows.keys()].sort()).toEqual(Object.keys(DELIBERATE_DIFFERENCES).sort());
    for (const [id, diff] of Object.entries(DELIBERATE_DIFFERENCES)) {
      const cells = (rows.get(id) ?? '').split('|').map((s) => s.trim());
      expect(cells[0], `${id}: sigvet verdict cell`).toContain(diff.sigvet === 'pass' ? 'pass' : diff.sigvet);
      expect(cells[1]?.toLowerCase(), `${id}: @sigstore/verify verdict cell`).toContain(diff.official);
    }
  });
});
