// docs/policy.md's worked examples import, lint and evaluate end to end.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compilePolicy, evaluate, formatVerdict, keyIdFromPem, type PolicyDocument } from '../../src/policy.js';
import { importClusterImagePolicy, importKyverno } from '../../src/policy-import.js';
import { loadPolicyTestCases } from '../../src/cli/policy.js';
import { ARTIFACT, NOW, SHA_A, attestation, signature, slsaV1 } from './fixtures.js';

const md = readFileSync(fileURLToPath(new URL('../../docs/policy.md', import.meta.url)), 'utf8');
const examples = new Map<string, { lang: string; text: string }>();
for (const m of md.matchAll(/<!-- example: ([a-z-]+) -->\n```(json|yaml)\n([\s\S]*?)\n```/g)) examples.set(m[1]!, { lang: m[2]!, text: m[3]! });
const vectors = fileURLToPath(new URL('../../test-vectors/policy', import.meta.url));
const RELEASE = 'https://github.com/acme/app/.github/workflows/release.yml@refs/tags/v1.2.3';

describe('docs/policy.md examples', () => {
  it('has the five worked examples', () => {
    expect([...examples.keys()].sort()).toEqual(['clusterimagepolicy', 'container', 'kyverno', 'npm-package', 'release-gate']);
  });

  it.each(['release-gate', 'npm-package', 'container'])('%s is the vector policy, compiles, and its cases pass', (name) => {
    const doc = JSON.parse(examples.get(name)!.text) as PolicyDocument;
    expect(doc).toEqual(JSON.parse(readFileSync(`${vectors}/policies/${name}.json`, 'utf8')));
    const c = compilePolicy(doc);
    expect(c.problems.filter((p) => p.severity === 'error')).toEqual([]);
    const cases = loadPolicyTestCases(vectors).filter((x) => x.testCase && JSON.stringify(x.testCase.policy) === JSON.stringify(doc));
    expect(cases.length).toBeGreaterThan(0);
    for (const x of cases) expect(evaluate(doc, x.testCase!.evidence, { now: x.testCase!.now, ...(x.testCase!.limits ? { limits: x.testCase!.limits } : {}) }).decision).toBe(x.testCase!.expect.decision);
  });

  it('shows the release-gate fork verdict as formatVerdict prints it', () => {
    const fork = loadPolicyTestCases(vectors).find((x) => x.testCase?.name === 'release-gate-fork')!.testCase!;
    const text = formatVerdict(evaluate(fork.policy, fork.evidence, { now: fork.now }));
    expect(text).toContain('[FAIL] attestation provenance SLSA_SOURCE_MISMATCH (at /require/allOf/1)');
    expect(text).toContain('actual:   https://github.com/acme-evil/app');
    expect(md).toContain('actual:   https://github.com/acme-evil/app');
  });

  it('imports, lints and evaluates the ClusterImagePolicy example', () => {
    const r = importClusterImagePolicy(examples.get('clusterimagepolicy')!.text);
    expect(r.policies.map((p) => p.name)).toEqual(['acme-images', 'acme-tools']);
    const d = r.diagnostics.map((x) => `${x.document} ${x.severity} ${x.code} ${x.path}`);
    expect(d).toContain('0 unmapped TRUST_ROOT_SETTING spec.authorities[1].keyless.url');
    expect(d).toContain('0 semantics UNANCHORED_REGEX spec.authorities[1].keyless.identities[0].subjectRegExp');
    expect(d).toContain('0 unmapped POLICY_BODY spec.authorities[1].attestations[1].policy');
    expect(r.diagnostics.some((x) => x.severity === 'invalid')).toBe(false);
    const [images, tools] = r.policies as [PolicyDocument, PolicyDocument];
    const c = compilePolicy(images);
    expect(c.ok).toBe(true);
    expect(c.problems.map((p) => p.code)).toEqual(expect.arrayContaining(['UNANCHORED_SEARCH', 'PLUGIN_CONDITION', 'TAG_REFERENCES_ALLOWED']));
    expect(compilePolicy(tools).ok).toBe(true);
    // The alias expanded to the same identity twice.
    expect((tools.authorities['authority-0'] as unknown as { identities: unknown[] }).identities.length).toBe(2);

    const ref = `ghcr.io/acme/app@sha256:${SHA_A}`;
    const prov = attestation({ predicateType: 'https://slsa.dev/provenance/v1', predicate: slsaV1(), signer: { san: RELEASE } });
    const scan = attestation({ predicateType: 'https://cosign.sigstore.dev/attestation/vuln/v1', predicate: { scanner: { result: {} } }, signer: { san: RELEASE } });
    const ev = { artifacts: [ARTIFACT], reference: ref, results: [prov, scan] };
    // The CUE body is not evaluated natively: indeterminate, so deny (fail closed) ...
    const v = evaluate(images, ev, { now: NOW });
    expect([v.decision, v.status]).toEqual(['deny', 'indeterminate']);
    // ... unless the caller supplies a CUE evaluator.
    expect(evaluate(images, ev, { now: NOW, plugins: { cue: () => true } }).decision).toBe('allow');
    // The key authority alone (OR) also admits, with the key the caller verified with.
    const pem = (images.authorities['release-key'] as unknown as { keys: { pem: string }[] }).keys[0]!.pem;
    const keyed = evaluate(images, { artifacts: [ARTIFACT], reference: ref, results: [{ result: signature({ signer: { key: true } }), keyId: keyIdFromPem(pem)! }] }, { now: NOW });
    expect(keyed.decision).toBe('allow');
    // A hint-only key signature is not trusted.
    expect(evaluate(images, { artifacts: [ARTIFACT], reference: ref, results: [signature({ signer: { key: true } })] }, { now: NOW }).decision).toBe('deny');
    // Out of scope: denied (noMatch defaults to deny).
    expect(evaluate(images, { ...ev, reference: `docker.io/library/nginx@sha256:${SHA_A}` }, { now: NOW }).status).toBe('not-applicable');
  });

  it('imports, lints and evaluates the Kyverno example', () => {
    const r = importKyverno(examples.get('kyverno')!.text);
    expect(r.policies.length).toBe(1);
    const d = r.diagnostics.map((x) => `${x.severity} ${x.code} ${x.path}`);
    expect(d).toContain('unmapped RULE_SCOPING spec.rules[0].match');
    expect(d).toContain('unmapped REKOR_SETTING spec.rules[0].verifyImages[0].attestors[0].entries[0].keyless.rekor');
    const p = r.policies[0]!;
    expect(p.scope).toEqual({ images: [{ glob: 'ghcr.io/acme/*', dialect: 'kyverno' }], requireDigest: true });
    expect(compilePolicy(p).ok).toBe(true);
    const ref = `ghcr.io/acme/app@sha256:${SHA_A}`;
    const sig = signature({ signer: { san: RELEASE } });
    const prov = attestation({ predicateType: 'https://slsa.dev/provenance/v1', predicate: slsaV1(), signer: { san: RELEASE } });
    expect(evaluate(p, { artifacts: [ARTIFACT], reference: ref, results: [sig, prov] }, { now: NOW }).decision).toBe('allow');
    const fork = attestation({ predicateType: 'https://slsa.dev/provenance/v1', predicate: slsaV1({ repo: 'https://github.com/acme-evil/app' }), signer: { san: RELEASE } });
    // Kyverno's "all statements of the type must pass".
    expect(evaluate(p, { artifacts: [ARTIFACT], reference: ref, results: [sig, prov, fork] }, { now: NOW }).decision).toBe('deny');
    expect(evaluate(p, { artifacts: [ARTIFACT], reference: 'ghcr.io/acme/app:1.0', results: [sig, prov] }, { now: NOW }).result.reason).toBe('DIGEST_REQUIRED');
  });
});
