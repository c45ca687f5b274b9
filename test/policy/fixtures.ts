// Builders of verification results for policy tests: the same plain data
// the verifier returns, so tests exercise evaluate() as embedders call it.
import type { VerificationResult } from '../../src/verify/result.js';
import { VERIFICATION_RESULT_MEDIA_TYPE } from '../../src/verify/result.js';

export const GHA_ISSUER = 'https://token.actions.githubusercontent.com';
export const SHA_A = 'a'.repeat(64);
export const SHA_B = 'b'.repeat(64);
export const SHA_C = 'c'.repeat(64);
export const ARTIFACT = { digest: { sha256: SHA_A } };
export const NOW = '2025-06-01T12:00:00Z';
export const WORKFLOW_SAN = 'https://github.com/acme/app/.github/workflows/release.yml@refs/tags/v1.2.3';

export interface SignerSpec {
  san?: string;
  issuer?: string | undefined;
  extensions?: Record<string, string>;
  byOid?: Record<string, string>;
  scts?: number;
  key?: boolean;
}

export function signer(s: SignerSpec = {}): VerificationResult['signer'] {
  // No well-formed keyId: these fixtures pass the key's id as EvidenceEntry.keyId.
  if (s.key) return { type: 'publicKey', hint: 'untrusted-hint', keyId: 'unrecorded' };
  const issuer = 'issuer' in s ? s.issuer : GHA_ISSUER;
  return {
    type: 'certificate',
    subjectAlternativeName: s.san ?? WORKFLOW_SAN,
    subjectAlternativeNameType: 'uri',
    issuer,
    extensions: { ...(issuer ? { issuer } : {}), ...(s.extensions ?? {}) },
    extensionsByOid: s.byOid ?? {},
    certificate: { serialNumber: '01', notBefore: '2025-06-01T09:00:00.000Z', notAfter: '2025-06-01T09:10:00.000Z', certificateAuthority: 'https://fulcio.sigstore.dev' },
    scts: Array.from({ length: s.scts ?? 1 }, (_, i) => ({ log: `https://ctfe${i}.sigstore.dev/test`, time: '2025-06-01T09:00:01.000Z' })),
  };
}

let logIndex = 0;

function common(time: string, bundleMediaType = 'application/vnd.dev.sigstore.bundle.v0.3+json') {
  return {
    mediaType: VERIFICATION_RESULT_MEDIA_TYPE,
    bundle: { mediaType: bundleMediaType, version: bundleMediaType.includes('v0.3') ? '0.3' : bundleMediaType.includes('0.2') ? '0.2' : '0.1' },
    verifiedTimes: [{ source: 'tlog' as const, time, authority: 'https://rekor.sigstore.dev' }],
    tlogEntries: [
      {
        baseUrl: 'https://rekor.sigstore.dev',
        logId: 'c0d23d6ad406973f9559f3ba2d1ca01f84147d8ffc5b8445c224f98b9591801d',
        logIndex: String(++logIndex),
        kind: 'dsse',
        version: '0.0.1',
        integratedTime: time,
        setVerified: true,
        inclusionProofVerified: true,
        checkpoint: undefined,
      },
    ],
    checks: [],
    skipped: [],
  };
}

export interface AttestationSpec {
  predicateType: string;
  predicate?: unknown;
  subjects?: { name?: string; digest: Record<string, string> }[];
  signer?: SignerSpec;
  time?: string;
  statementType?: string;
  payloadType?: string;
  bundleMediaType?: string;
}

export function attestation(a: AttestationSpec): VerificationResult {
  return {
    ...common(a.time ?? '2025-06-01T09:00:00Z', a.bundleMediaType),
    signer: signer(a.signer),
    content: {
      type: 'dsseEnvelope',
      payloadType: a.payloadType ?? 'application/vnd.in-toto+json',
      statement: {
        type: (a.statementType ?? 'https://in-toto.io/Statement/v1') as 'https://in-toto.io/Statement/v1',
        subject: (a.subjects ?? [{ name: 'app.tgz', digest: { sha256: SHA_A } }]).map((s) => ({ name: s.name ?? '', digest: s.digest })),
        predicateType: a.predicateType,
        predicate: (a.predicate ?? {}) as never,
      },
      matchedSubject: undefined,
    },
  } as VerificationResult;
}

export function signature(o: { hex?: string; signer?: SignerSpec; time?: string } = {}): VerificationResult {
  return {
    ...common(o.time ?? '2025-06-01T09:00:00Z', 'application/vnd.dev.sigstore.bundle.v0.3+json'),
    signer: signer(o.signer),
    content: { type: 'messageSignature', artifactDigest: { algorithm: 'sha256', hex: o.hex ?? SHA_A } },
  } as VerificationResult;
}

/** A SLSA v1 GitHub Actions provenance predicate. */
export function slsaV1(o: { builder?: string; repo?: string; ref?: string; params?: Record<string, unknown>; inputs?: Record<string, unknown>; finishedOn?: string; commit?: string } = {}) {
  const repo = o.repo ?? 'https://github.com/acme/app';
  const ref = o.ref ?? 'refs/tags/v1.2.3';
  return {
    buildDefinition: {
      buildType: 'https://actions.github.io/buildtypes/workflow/v1',
      externalParameters: o.params ?? { workflow: { ref, repository: repo, path: '.github/workflows/release.yml' }, ...(o.inputs ? { inputs: o.inputs } : {}) },
      internalParameters: { github: { event_name: 'push' } },
      resolvedDependencies: [{ uri: `git+${repo}@${ref}`, digest: { gitCommit: o.commit ?? 'd'.repeat(40) } }],
    },
    runDetails: {
      builder: { id: o.builder ?? WORKFLOW_SAN },
      metadata: { invocationId: 'https://github.com/acme/app/actions/runs/1/attempts/1', ...(o.finishedOn ? { finishedOn: o.finishedOn } : {}) },
    },
  };
}

/** A SLSA v0.2 provenance predicate. */
export function slsaV02(o: { builder?: string; source?: string; params?: Record<string, unknown> } = {}) {
  const source = o.source ?? 'git+https://github.com/acme/app@refs/tags/v1.2.3';
  return {
    builder: { id: o.builder ?? 'https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@refs/tags/v1.9.0' },
    buildType: 'https://github.com/slsa-framework/slsa-github-generator/generic@v1',
    invocation: { configSource: { uri: source, digest: { sha1: 'e'.repeat(40) }, entryPoint: '.github/workflows/release.yml' }, parameters: o.params ?? {} },
    materials: [{ uri: source, digest: { sha1: 'e'.repeat(40) } }],
  };
}
