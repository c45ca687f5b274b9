/**
 * The typed accessors: one provenance view over SLSA v1 and v0.2, VSA
 * levels, vulnerability findings with numeric scores, SBOM basics, the
 * summary, and the entry functions' failures on the wrong input.
 */
import { describe, expect, it } from 'vitest';
import {
  SigvetError,
  countBySeverity,
  parseAttestation,
  parseAttestationPayload,
  parseGitUri,
  parseStatementJson,
  provenanceView,
  readAttestation,
  sbomView,
  scoreNumber,
  slsaTrackLevels,
  summarizeAttestation,
  verificationSummary,
  vulnerabilityReport,
  MAX_FACT_LENGTH,
  type Statement,
} from '../../src/attestations.js';
import { parseJson } from '../../src/encoding/json.js';
import { loadFixtureCases } from './fixture-cases.js';

const CASES = new Map(loadFixtureCases().map((c) => [c.name, c]));
const statementOf = (name: string): Statement => parseStatementJson(CASES.get(name)!.statement as never);
const attestationOf = (name: string) => parseAttestation(statementOf(name));

function failure(f: () => unknown): SigvetError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(SigvetError);
    return e as SigvetError;
  }
  throw new Error('expected a failure');
}

describe('provenance view', () => {
  it('names v1 and v0.2 fields alike (npm v1 and v0.2 provenance of the same release)', () => {
    const v1 = provenanceView(attestationOf('slsa-v1-npm-publish'))!;
    const v02 = provenanceView(attestationOf('slsa-v02-npm'))!;
    expect([v1.slsaVersion, v02.slsaVersion]).toEqual(['1', '0.2']);
    expect(v02.source.repository).toBe(v1.source.repository);
    expect(v02.source.ref).toBe(v1.source.ref);
    expect(v02.source.path).toBe(v1.source.path);
    expect(Object.keys(v1.source.digest!)).toEqual(['gitCommit']);
    expect(Object.keys(v02.source.digest!)).toEqual(['sha1']);
    expect(v02.resolvedDependencies).toEqual([{ uri: v02.source.uri, digest: v02.source.digest }]);
    expect(v02.externalParameters).toEqual({});
    expect(v1.externalParameters).toEqual({ workflow: expect.objectContaining({ path: '.github/workflows/publish.yml' }) });
  });

  it('reads times from both versions and nulls as absent', () => {
    const gen = provenanceView(attestationOf('slsa-v02-generic-generator'))!;
    expect([gen.startedOn, gen.finishedOn]).toEqual(['2023-10-02T08:15:00Z', '2023-10-02T08:19:27.5Z']);
    const nulls = provenanceView(attestationOf('slsa-v1-nulls'))!;
    expect(nulls).toMatchObject({ invocationId: undefined, startedOn: undefined, externalParameters: {}, resolvedDependencies: [] });
    expect(nulls.source).toEqual({ uri: undefined, repository: undefined, ref: undefined, digest: undefined, path: undefined });
  });

  it('falls back to the first git dependency for build types it does not know', () => {
    const s = statementOf('slsa-v1-github-actions');
    const p = structuredClone(s.predicate!) as { buildDefinition: { buildType: string; externalParameters: unknown } };
    p.buildDefinition.buildType = 'https://example.com/other-build@v1';
    p.buildDefinition.externalParameters = {};
    const view = provenanceView(parseAttestation({ ...s, predicate: p as never }))!;
    expect(view.source.repository).toBe('https://github.com/octo-org/octo-app');
    expect(view.source.ref).toBe('refs/tags/v1.2.3');
    expect(view.source.path).toBeUndefined();
  });

  it.each([
    ['git+https://github.com/o/r@refs/heads/main', 'https://github.com/o/r', 'refs/heads/main'],
    ['git+https://github.com/o/r', 'https://github.com/o/r', undefined],
    ['git+ssh://git@github.com/o/r', 'ssh://git@github.com/o/r', undefined],
    ['git+ssh://git@github.com/o/r@v1#sub/dir', 'ssh://git@github.com/o/r', 'v1'],
    ['git+https://h.example/r@', 'https://h.example/r', undefined],
  ])('parseGitUri(%j)', (uri, repository, ref) => {
    expect(parseGitUri(uri)).toEqual({ repository, ref });
  });

  it('is undefined for other kinds', () => {
    expect(provenanceView(attestationOf('vsa-v1'))).toBeUndefined();
    expect(parseGitUri('https://github.com/o/r')).toBeUndefined();
  });
});

describe('verification summary view', () => {
  it('decodes track levels and rejects two levels of one track', () => {
    const v = verificationSummary(attestationOf('vsa-v1'))!;
    expect(v).toMatchObject({ result: 'PASSED', slsaLevels: { BUILD: 3 }, slsaVersion: '1.0' });
    expect(v.dependencyLevels.SLSA_BUILD_LEVEL_2).toBe(7);
    expect(slsaTrackLevels(['SLSA_BUILD_LEVEL_2', 'SLSA_SOURCE_LEVEL_1', 'ACME_REVIEWED', 'FAILED'])).toEqual({ levels: { BUILD: 2, SOURCE: 1 } });
    expect(slsaTrackLevels(['SLSA_BUILD_LEVEL_2', 'SLSA_BUILD_LEVEL_2'])).toEqual({ conflict: 'BUILD' });
  });
});

describe('vulnerability report', () => {
  it('reads Trivy results: severities and CVSS scores as numbers, per package', () => {
    const r = vulnerabilityReport(attestationOf('cosign-vuln-trivy'))!;
    expect(r.resultFormat).toBe('trivy');
    expect(r.findings![0]).toEqual({
      id: 'CVE-2024-0727',
      severity: 'MEDIUM',
      scores: [
        { method: 'nvd:V3Score', score: 5.5, value: 5.5 },
        { method: 'redhat:V3Score', score: 5.5, value: 5.5 },
      ],
      package: { name: 'libcrypto3', version: '3.1.4-r5', fixedVersion: '3.1.4-r6' },
    });
    // cosign writes "" for unknown database fields: absent, not "".
    expect(r.database).toEqual({ uri: undefined, version: undefined, lastUpdate: undefined });
    expect(countBySeverity(r.findings!)).toEqual({ MEDIUM: 1, HIGH: 2 });
  });

  it('reads Grype results, with the database build time', () => {
    const r = vulnerabilityReport(attestationOf('cosign-vuln-grype'))!;
    expect(r.findings!.map((f) => [f.id, f.package?.fixedVersion])).toEqual([
      ['CVE-2023-5363', '3.1.4-r0'],
      ['GHSA-c2qf-rxjj-qqgw', undefined],
    ]);
    expect(r.findings![0]!.scores).toEqual([{ method: 'cvss3.1', score: 7.5, value: 7.5 }]);
    expect(r.database.lastUpdate).toBe('2024-01-10T01:30:05Z');
  });

  it('reads in-toto vulns v0.2: decimal strings become numbers, labels stay labels', () => {
    const r = vulnerabilityReport(attestationOf('intoto-vulns-v0.2'))!;
    expect(r.findings![0]!.scores).toEqual([
      { method: 'nvd', score: undefined, value: 'medium' },
      { method: 'cvss_score', score: 5.5, value: '5.5' },
    ]);
    expect(r.findings![0]!.severity).toBe('medium');
    expect([scoreNumber('7'), scoreNumber('7.25'), scoreNumber(' 7'), scoreNumber('1e3'), scoreNumber(Number.NaN), scoreNumber(9.8)]).toEqual([
      7, 7.25, undefined, undefined, undefined, 9.8,
    ]);
  });

  it('says "not read" for a scanner result it does not recognize, never "no findings"', () => {
    const s = statementOf('cosign-vuln-trivy');
    const p = structuredClone(s.predicate!) as { scanner: { result: unknown } };
    p.scanner.result = { runs: [] }; // SARIF-like
    const att = parseAttestation({ ...s, predicate: p as never });
    expect(vulnerabilityReport(att)).toMatchObject({ resultFormat: 'unrecognized', findings: undefined });
    expect(summarizeAttestation(att).facts.find((f) => f.label === 'findings')?.value).toMatch(/not read/);
  });
});

describe('SBOM view', () => {
  it('gives SPDX 2, SPDX 3 and CycloneDX one shape', () => {
    expect(sbomView(attestationOf('spdx-2.3'))).toMatchObject({ format: 'spdx', specVersion: 'SPDX-2.3', componentCount: 2 });
    expect(sbomView(attestationOf('spdx-3'))).toMatchObject({ format: 'spdx', specVersion: '3', name: 'octo-app 1.2.3', created: '2024-06-01T00:00:00Z' });
    expect(sbomView(attestationOf('cyclonedx-1.5'))).toMatchObject({ format: 'cyclonedx', specVersion: '1.5', name: 'octo-app', componentCount: 1 });
  });
});

describe('entry functions', () => {
  it('parseAttestationPayload refuses other payload types', () => {
    const e = failure(() => parseAttestationPayload(new Uint8Array(), 'application/vnd.cncf.notary.payload+json'));
    expect([e.code, e.check, e.expected]).toEqual(['DSSE', 'attestation.payload_type', 'application/vnd.in-toto+json']);
  });

  it('readAttestation refuses a result without a statement', () => {
    const e = failure(() => readAttestation({ content: { type: 'messageSignature', artifactDigest: undefined } }));
    expect([e.code, e.check, e.actual]).toEqual(['DSSE', 'attestation.statement', 'messageSignature']);
    const s = statementOf('vsa-v1');
    expect(readAttestation({ content: { type: 'dsseEnvelope', payloadType: 'application/vnd.in-toto+json', statement: s, matchedSubject: undefined } }).kind).toBe(
      'slsa-vsa-v1',
    );
  });

  it('a known predicate type without a predicate fails on its required fields', () => {
    const s = statementOf('unknown-no-predicate');
    const e = failure(() => parseAttestation({ ...s, predicateType: 'https://slsa.dev/provenance/v1' }));
    expect(e.check).toBe('attestation.predicate.schema');
    expect(e.errors?.map((x) => x.message)).toEqual(['/predicate/buildDefinition: is required', '/predicate/runDetails: is required']);
  });

  it('predicate types are compared exactly', () => {
    const s = statementOf('vsa-v1');
    expect(parseAttestation({ ...s, predicateType: 'https://slsa.dev/verification_summary/v1/' }).kind).toBe('unknown');
    expect(parseAttestation({ ...s, predicateType: 'HTTPS://slsa.dev/verification_summary/v1' }).kind).toBe('unknown');
    expect(parseAttestation({ ...s, predicateType: 'https://cyclonedx.org/bom/v1.6', predicate: statementOf('cyclonedx-1.5').predicate }).kind).toBe('cyclonedx');
  });

  it('summaries are bounded and survive integers beyond 2^53', () => {
    const doc = parseJson(
      JSON.stringify({ ...CASES.get('slsa-v1-github-actions')!.statement }).replace('"workflow":{"ref"', '"workflow":{"run":123456789012345678901,"ref"'),
      'statement',
    );
    const att = parseAttestation(parseStatementJson(doc));
    expect(typeof (att.statement.predicate as { buildDefinition: { externalParameters: { workflow: { run: unknown } } } }).buildDefinition.externalParameters.workflow.run).toBe('bigint');
    const ext = summarizeAttestation(att).facts.find((f) => f.label === 'external parameters')!;
    expect(ext.value).toContain('"run":123456789012345678901');
    const long = statementOf('unknown-openvex');
    const withLongBuilder = structuredClone(statementOf('slsa-v1-nulls').predicate!) as { runDetails: { builder: { id: string } } };
    withLongBuilder.runDetails.builder.id = `https://example.com/${'x'.repeat(500)}`;
    const facts = summarizeAttestation(parseAttestation({ ...long, predicateType: 'https://slsa.dev/provenance/v1', predicate: withLongBuilder as never })).facts;
    const builder = facts.find((f) => f.label === 'builder')!.value;
    expect(builder.length).toBe(MAX_FACT_LENGTH);
    expect(builder.endsWith('…')).toBe(true);
  });
});
