// Writes test-vectors/policy (policies, evidence, cases) from the fixtures.
// Run by test/policy/vectors.test.ts when SIGVET_REGENERATE_POLICY_VECTORS=1;
// the committed files are otherwise read as they are.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PolicyDocument } from '../../src/policy.js';
import { GHA_ISSUER, SHA_A, attestation, signature, slsaV1 } from './fixtures.js';

const SAN = 'https://github.com/acme/app/.github/workflows/release.yml@refs/tags/v1.2.3';
const SCANNER_SAN = 'https://github.com/acme/security/.github/workflows/scan.yml@refs/heads/main';
const VSA_SAN = 'https://github.com/acme/verifier/.github/workflows/vsa.yml@refs/heads/main';
/** The `now` of the stale release-gate case. */
export const STALE_NOW = '2025-08-01T12:00:00Z';
const COMMIT = '5c0e1c3f7e2a4b6d8f0a1c3e5b7d9f1a3c5e7b9d';

/** The GitHub Actions release gate of docs/policy.md. */
export const releaseGate: PolicyDocument = {
  apiVersion: 'policy.sigvet.dev/v1',
  name: 'acme-app-release',
  description: 'Release artifacts of acme/app: signed by the release workflow on a v1 tag, with SLSA provenance from that workflow.',
  authorities: {
    release: {
      kind: 'keyless',
      identities: [
        {
          issuer: { exact: GHA_ISSUER },
          subject: { regex: 'https://github\\.com/acme/app/\\.github/workflows/release\\.yml@refs/tags/v[0-9]+\\.[0-9]+\\.[0-9]+' },
          extensions: { sourceRepositoryUri: { exact: 'https://github.com/acme/app' }, runnerEnvironment: { exact: 'github-hosted' } },
        },
      ],
    },
  },
  require: {
    allOf: [
      { signedBy: ['release'] },
      {
        attestation: {
          id: 'provenance',
          predicateType: 'https://slsa.dev/provenance/v1',
          by: ['release'],
          select: 'all',
          slsa: { builderIsSigner: true, sourceUri: 'github.com/acme/app', versionedTag: 'v1', externalParameters: { only: ['workflow'] } },
          maxAge: { duration: 'P30D', clock: 'verified' },
        },
      },
    ],
  },
};

/** The npm package policy of docs/policy.md. */
export const npmPackage: PolicyDocument = {
  apiVersion: 'policy.sigvet.dev/v1',
  name: 'acme-npm-package',
  authorities: {
    publisher: {
      kind: 'keyless',
      identities: [{ issuer: { exact: GHA_ISSUER }, subject: { regex: 'https://github\\.com/acme/app/\\.github/workflows/release\\.yml@refs/tags/v.*' } }],
    },
  },
  require: {
    allOf: [
      {
        attestation: {
          id: 'provenance',
          predicateType: 'https://slsa.dev/provenance/v1',
          by: ['publisher'],
          select: 'all',
          subject: { npmPackage: { name: '@acme/app' }, digestAlgorithms: ['sha512'] },
          slsa: { builderIsSigner: true, sourceUri: 'github.com/acme/app' },
        },
      },
      {
        attestation: {
          id: 'publish',
          predicateType: 'https://github.com/npm/attestation/tree/main/specs/publish/v0.1',
          by: ['publisher'],
          select: 'all',
          subject: { npmPackage: { name: '@acme/app' }, digestAlgorithms: ['sha512'] },
          where: [{ path: '/predicate/name', op: 'eq', value: '@acme/app' }],
        },
      },
    ],
  },
};

/** The container policy of docs/policy.md: provenance + vulnerability scan + VSA, bound to one commit. */
export const container: PolicyDocument = {
  apiVersion: 'policy.sigvet.dev/v1',
  name: 'acme-app-image',
  scope: { images: [{ glob: 'ghcr.io/acme/**', dialect: 'segment' }], requireDigest: true },
  authorities: {
    builder: { kind: 'keyless', identities: [{ issuer: { exact: GHA_ISSUER }, subject: { prefix: 'https://github.com/acme/app/.github/workflows/' } }] },
    scanner: { kind: 'keyless', identities: [{ issuer: { exact: GHA_ISSUER }, subject: { exact: SCANNER_SAN } }] },
    verifier: { kind: 'keyless', identities: [{ issuer: { exact: GHA_ISSUER }, subject: { exact: VSA_SAN } }] },
  },
  rules: {
    provenance: {
      attestation: {
        id: 'provenance',
        predicateType: { family: 'slsa-provenance' },
        by: ['builder'],
        select: 'all',
        slsa: { builderIsSigner: true, sourceUri: 'github.com/acme/app', branch: 'main' },
        bind: { commit: '/predicate/buildDefinition/resolvedDependencies/0/digest/gitCommit' },
      },
    },
    scan: {
      attestation: {
        id: 'scan',
        predicateType: 'https://in-toto.io/attestation/vulns/v0.2',
        by: ['scanner'],
        select: 'newest',
        maxAge: { duration: 'P7D', clock: 'verified' },
        vulns: { maxSeverity: 'medium', maxCount: { medium: 5 }, ignore: ['CVE-2024-0001'], dbMaxAge: 'P2D' },
        bind: { commit: '/predicate/scanner/result/0/annotations/sourceCommit' },
      },
    },
  },
  require: {
    allOf: [
      { use: 'provenance' },
      { use: 'scan' },
      { equal: ['provenance.commit', 'scan.commit'] },
      {
        attestation: {
          id: 'vsa',
          predicateType: 'https://slsa.dev/verification_summary/v1',
          by: ['verifier'],
          select: 'any',
          vsa: { verifierId: { exact: 'https://github.com/acme/verifier' }, resourceUri: { prefix: 'ghcr.io/acme/app@sha256:' }, minLevels: { BUILD: 3 } },
        },
      },
    ],
  },
};

const scan = (o: { severities?: string[]; lastUpdate?: string; commit?: string } = {}) => ({
  scanner: {
    uri: 'pkg:github/aquasecurity/trivy@0.50.0',
    version: '0.50.0',
    db: { uri: 'pkg:github/aquasecurity/trivy-db', lastUpdate: o.lastUpdate ?? '2025-06-01T06:00:00Z' },
    result: (o.severities ?? ['low', '5.3', 'medium']).map((score, i) => ({
      id: i === 0 ? 'CVE-2024-0001' : `CVE-2025-${1000 + i}`,
      severity: [{ method: 'nvd', score }],
      ...(i === 0 ? { annotations: { sourceCommit: o.commit ?? COMMIT } } : {}),
    })),
  },
  metadata: { scanStartedOn: '2025-06-01T08:00:00Z', scanFinishedOn: '2025-06-01T08:05:00Z' },
});

const vsaPredicate = (o: Record<string, unknown> = {}) => ({
  verifier: { id: 'https://github.com/acme/verifier' },
  timeVerified: '2025-06-01T09:30:00Z',
  resourceUri: `ghcr.io/acme/app@sha256:${SHA_A}`,
  policy: { uri: 'https://github.com/acme/policies/blob/main/release.json' },
  verificationResult: 'PASSED',
  verifiedLevels: ['SLSA_BUILD_LEVEL_3'],
  ...o,
});

const mainProvenance = (commit = COMMIT) => slsaV1({ builder: 'https://github.com/acme/app/.github/workflows/build.yml@refs/heads/main', ref: 'refs/heads/main', commit });
const builderSigner = { san: 'https://github.com/acme/app/.github/workflows/build.yml@refs/heads/main' };
const NPM_SHA512 = 'f'.repeat(128);

/** Writes every vector under `dir`. */
export function writePolicyVectors(dir: string): void {
  const write = (rel: string, v: unknown) => {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), `${JSON.stringify(v, null, 2)}\n`);
  };
  write('policies/release-gate.json', releaseGate);
  write('policies/npm-package.json', npmPackage);
  write('policies/container.json', container);

  const ext = { sourceRepositoryUri: 'https://github.com/acme/app', runnerEnvironment: 'github-hosted', githubWorkflowRepository: 'acme/app' };
  write('evidence/release-signature.json', signature({ signer: { san: SAN, extensions: ext } }));
  write('evidence/release-provenance.json', attestation({ predicateType: 'https://slsa.dev/provenance/v1', predicate: slsaV1(), signer: { san: SAN, extensions: ext } }));
  write('evidence/fork-provenance.json', attestation({ predicateType: 'https://slsa.dev/provenance/v1', predicate: slsaV1({ repo: 'https://github.com/acme-evil/app' }), signer: { san: SAN, extensions: ext } }));
  write('evidence/other-workflow-signature.json', signature({ signer: { san: 'https://github.com/acme/app/.github/workflows/ci.yml@refs/heads/main', extensions: ext } }));
  write('evidence/vuln-scan-only.json', attestation({ predicateType: 'https://cosign.sigstore.dev/attestation/vuln/v1', predicate: { scanner: { uri: 'x', version: '1', db: { uri: '', version: '' }, result: {} } }, signer: { san: SAN, extensions: ext } }));
  write('evidence/conflicting-extensions-signature.json', signature({ signer: { san: SAN, extensions: { ...ext, githubWorkflowRepository: 'acme-evil/app' } } }));

  const npmSubject = [{ name: 'pkg:npm/%40acme/app@1.4.0', digest: { sha512: NPM_SHA512 } }];
  const npmSigner = { san: 'https://github.com/acme/app/.github/workflows/release.yml@refs/tags/v1.4.0' };
  write('evidence/npm-provenance.json', attestation({ predicateType: 'https://slsa.dev/provenance/v1', predicate: slsaV1({ builder: npmSigner.san, ref: 'refs/tags/v1.4.0' }), subjects: npmSubject, signer: npmSigner }));
  write('evidence/npm-publish.json', attestation({ predicateType: 'https://github.com/npm/attestation/tree/main/specs/publish/v0.1', predicate: { name: '@acme/app', version: '1.4.0', registry: 'https://registry.npmjs.org' }, subjects: npmSubject, signer: npmSigner }));
  write('evidence/npm-publish-other-package.json', attestation({ predicateType: 'https://github.com/npm/attestation/tree/main/specs/publish/v0.1', predicate: { name: '@acme/app-evil', version: '1.4.0' }, subjects: [{ name: 'pkg:npm/%40acme/app-evil@1.4.0', digest: { sha512: NPM_SHA512 } }], signer: npmSigner }));

  const image = [{ name: 'ghcr.io/acme/app', digest: { sha256: SHA_A } }];
  write('evidence/image-provenance.json', attestation({ predicateType: 'https://slsa.dev/provenance/v1', predicate: mainProvenance(), subjects: image, signer: builderSigner, time: '2025-06-01T09:00:00Z' }));
  write('evidence/image-scan.json', attestation({ predicateType: 'https://in-toto.io/attestation/vulns/v0.2', predicate: scan(), subjects: image, signer: { san: SCANNER_SAN }, time: '2025-06-01T09:10:00Z' }));
  write('evidence/image-scan-critical.json', attestation({ predicateType: 'https://in-toto.io/attestation/vulns/v0.2', predicate: scan({ severities: ['low', '9.8'] }), subjects: image, signer: { san: SCANNER_SAN }, time: '2025-06-01T09:20:00Z' }));
  write('evidence/image-scan-old.json', attestation({ predicateType: 'https://in-toto.io/attestation/vulns/v0.2', predicate: scan(), subjects: image, signer: { san: SCANNER_SAN }, time: '2025-05-01T09:10:00Z' }));
  write('evidence/image-scan-other-commit.json', attestation({ predicateType: 'https://in-toto.io/attestation/vulns/v0.2', predicate: scan({ commit: '0'.repeat(40) }), subjects: image, signer: { san: SCANNER_SAN }, time: '2025-06-01T09:10:00Z' }));
  write('evidence/image-vsa.json', attestation({ predicateType: 'https://slsa.dev/verification_summary/v1', predicate: vsaPredicate(), subjects: image, signer: { san: VSA_SAN }, time: '2025-06-01T09:30:00Z' }));
  write('evidence/image-vsa-failed.json', attestation({ predicateType: 'https://slsa.dev/verification_summary/v1', predicate: vsaPredicate({ verificationResult: 'FAILED' }), subjects: image, signer: { san: VSA_SAN }, time: '2025-06-01T09:30:00Z' }));

  const now = '2025-06-01T12:00:00Z';
  const art = [{ digest: { sha256: SHA_A } }];
  const tc = (name: string, policy: string, results: string[], decision: 'allow' | 'deny', reasons: string[], more: Record<string, unknown> = {}) =>
    write(`cases/${name}.json`, {
      name,
      policy: `../policies/${policy}.json`,
      now: (more.now as string | undefined) ?? now,
      evidence: { artifacts: art, results: results.map((r) => `../evidence/${r}.json`), ...((more.evidence as object) ?? {}) },
      expect: { decision, reasons, ...((more.expect as object) ?? {}) },
      ...(more.limits ? { limits: more.limits } : {}),
    });
  tc('release-gate-allow', 'release-gate', ['release-signature', 'release-provenance'], 'allow', []);
  tc('release-gate-no-provenance', 'release-gate', ['release-signature', 'vuln-scan-only'], 'deny', ['NO_ATTESTATION_OF_TYPE']);
  tc('release-gate-fork', 'release-gate', ['release-signature', 'fork-provenance'], 'deny', ['SLSA_SOURCE_MISMATCH']);
  tc('release-gate-other-workflow', 'release-gate', ['other-workflow-signature', 'release-provenance'], 'deny', ['IDENTITY_SUBJECT_MISMATCH']);
  tc('release-gate-conflicting-oids', 'release-gate', ['conflicting-extensions-signature', 'release-provenance'], 'deny', ['EXTENSION_CONFLICT']);
  tc('release-gate-stale', 'release-gate', ['release-signature', 'release-provenance'], 'deny', ['STALE'], { now: STALE_NOW });
  tc('release-gate-too-much-evidence', 'release-gate', ['release-signature', 'release-provenance', 'release-provenance'], 'deny', ['LIMIT_EXCEEDED'], { limits: { maxEvidence: 2 }, expect: { status: 'indeterminate' } });
  tc('npm-allow', 'npm-package', ['npm-provenance', 'npm-publish'], 'allow', [], { evidence: { artifacts: [{ digest: { sha512: NPM_SHA512 } }] } });
  tc('npm-other-package', 'npm-package', ['npm-provenance', 'npm-publish-other-package'], 'deny', ['SUBJECT_NAME_MISMATCH'], { evidence: { artifacts: [{ digest: { sha512: NPM_SHA512 } }] } });
  const ref = `ghcr.io/acme/app@sha256:${SHA_A}`;
  tc('container-allow', 'container', ['image-provenance', 'image-scan', 'image-vsa'], 'allow', [], { evidence: { reference: ref } });
  tc('container-critical-vulnerability', 'container', ['image-provenance', 'image-scan', 'image-scan-critical', 'image-vsa'], 'deny', ['BINDING_UNAVAILABLE', 'VULN_SEVERITY_EXCEEDED'], { evidence: { reference: ref } });
  tc('container-stale-scan', 'container', ['image-provenance', 'image-scan-old', 'image-vsa'], 'deny', ['BINDING_UNAVAILABLE', 'STALE'], { evidence: { reference: ref } });
  tc('container-scan-of-other-commit', 'container', ['image-provenance', 'image-scan-other-commit', 'image-vsa'], 'deny', ['BINDING_MISMATCH'], { evidence: { reference: ref } });
  tc('container-vsa-failed', 'container', ['image-provenance', 'image-scan', 'image-vsa-failed'], 'deny', ['VSA_NOT_PASSED'], { evidence: { reference: ref } });
  tc('container-tag-only', 'container', ['image-provenance', 'image-scan', 'image-vsa'], 'deny', ['DIGEST_REQUIRED'], { evidence: { reference: 'ghcr.io/acme/app:1.4.0' } });
  tc('container-out-of-scope', 'container', ['image-provenance'], 'deny', ['SCOPE_NO_MATCH'], { evidence: { reference: `docker.io/library/nginx@sha256:${SHA_A}` }, expect: { status: 'not-applicable' } });
}
