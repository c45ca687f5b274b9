/**
 * Every command's `--json` output against its published JSON Schema
 * (schemas/cli/, draft 2020-12, strict Ajv): passing and failing runs over
 * the test vectors, the shared conformance cases, the OCI fixtures, the
 * policy vectors and a local TUF repository. The schemas close every
 * object, so a field the schema does not declare fails the test.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_SCHEMA_BASE_URL, CLI_SCHEMA_VERSION, schemaFileName, schemaUrl, type CliOutputKind } from '../../src/cli/json-output.js';
import { runInspect } from '../../src/cli/inspect.js';
import { runPolicy } from '../../src/cli/policy.js';
import { runTrustedRoot } from '../../src/cli/trusted-root.js';
import { runVerify } from '../../src/cli/verify.js';
import { runVerifyImage } from '../../src/cli/verify-image.js';
import { buildOciFixtures, type OciFixtures } from '../../scripts/oci/fixtures.mjs';
import { layoutFiles } from '../../scripts/oci/layout-writer.mjs';
import { TestTufRepository } from '../tuf/test-repository.js';
import { capture, type Captured } from './capture.js';
import { ROOT, SCHEMA_DIR, outputAjv, schemaErrors, schemaFiles } from './output-schemas.js';

const KINDS: readonly CliOutputKind[] = ['verify', 'verify-policy', 'inspect', 'verify-image', 'policy-lint', 'policy-import', 'policy-test', 'trusted-root-fetch'];
const VECTORS = join(ROOT, 'test-vectors');
const SHARED = resolve(ROOT, '../shared/conformance');
const SHARED_PRESENT = existsSync(join(SHARED, 'CASES.json'));
if (!SHARED_PRESENT) console.warn(`json-output.test: ${SHARED} not found; the shared conformance cases are skipped`);
const SAMPLE = join(ROOT, 'examples/sample');
const ID = 'https://github.com/sigvet-test/app/.github/workflows/release.yml@refs/heads/main';
const ISSUER = 'https://token.actions.githubusercontent.com';
const TMP = mkdtempSync(join(tmpdir(), 'sigvet-cli-json-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

/** A case of a CASES.json (test vectors and shared conformance share the format). */
interface Case {
  name: string;
  expect: 'pass' | 'fail';
  bundle: string;
  artifact: string;
  artifact_digest: string;
  identity: string | null;
  issuer: string | null;
  key: string | null;
  trusted_root: string;
  trusted_root_is_default: boolean;
}

function loadCases(dir: string): Case[] {
  const doc = JSON.parse(readFileSync(join(dir, 'CASES.json'), 'utf8')) as { cases: Case[]; defaults?: Partial<Case> };
  return doc.cases.map((c) => ({ ...doc.defaults, ...c }) as Case);
}

/** The verify command line of a case (path or digest mode). */
function verifyArgs(dir: string, c: Case, mode: 'path' | 'digest'): string[] {
  const args = ['--json', '--bundle', join(dir, c.bundle)];
  if (!c.trusted_root_is_default) args.push('--trusted-root', join(dir, c.trusted_root));
  if (c.key) args.push('--key', join(dir, c.key));
  else args.push('--certificate-identity', c.identity!, '--certificate-oidc-issuer', c.issuer!);
  args.push(mode === 'path' ? join(dir, c.artifact) : c.artifact_digest);
  return args;
}

/** Parses stdout as one JSON document, checks the header and validates it; returns the document. */
function validDocument(kind: CliOutputKind, r: Captured, label: string): Record<string, unknown> {
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(r.stdout) as Record<string, unknown>;
  } catch (e) {
    throw new Error(`${label}: stdout is not one JSON document (${(e as Error).message}): ${r.stdout.slice(0, 200)}\nstderr: ${r.stderr}`);
  }
  expect(doc.$schema, label).toBe(schemaUrl(kind));
  expect(doc.schemaVersion, label).toBe(CLI_SCHEMA_VERSION);
  expect(schemaErrors(kind, doc), label).toBe('');
  return doc;
}

describe('the CLI output schemas', () => {
  it('are strict draft 2020-12 schemas, one per output, each $id the URL its documents name', () => {
    const files = schemaFiles();
    expect([...files.keys()].sort()).toEqual(['defs.v1.schema.json', ...KINDS.map(schemaFileName)].sort());
    for (const [name, s] of files) {
      expect(s.$schema, name).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(s.$id, name).toBe(`${CLI_SCHEMA_BASE_URL}${name}`);
    }
    for (const kind of KINDS) {
      const s = files.get(schemaFileName(kind))!;
      expect(s.$id).toBe(schemaUrl(kind));
      expect((s.properties as Record<string, { const?: string }>).schemaVersion!.const).toBe(CLI_SCHEMA_VERSION);
      expect((s.properties as Record<string, { const?: string }>).$schema!.const).toBe(schemaUrl(kind));
      expect(s.unevaluatedProperties, kind).toBe(false);
    }
    // Compiling every schema strictly fails on an unknown keyword or a dangling $ref.
    const ajv = outputAjv();
    for (const kind of KINDS) expect(ajv.getSchema(schemaUrl(kind)), kind).toBeTypeOf('function');
  });

  it('close every object they declare (additionalProperties or unevaluatedProperties false)', () => {
    const open: string[] = [];
    const walk = (node: unknown, at: string): void => {
      if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${at}/${i}`));
      if (node === null || typeof node !== 'object') return;
      const o = node as Record<string, unknown>;
      // An object with named properties is closed; maps (additionalProperties: schema) and free JSON are not named.
      if (o.properties !== undefined && o.additionalProperties !== false && o.unevaluatedProperties !== false && o.oneOf === undefined) {
        // Branches of a oneOf are closed by the unevaluatedProperties of the object holding them.
        if (!/\/oneOf\/\d+$/.test(at)) open.push(at);
      }
      for (const [k, v] of Object.entries(o)) walk(v, `${at}/${k}`);
    };
    for (const [name, s] of schemaFiles()) walk(s, name);
    expect(open).toEqual([]);
  });

  it('enumerate exactly the error codes of src/errors.ts', () => {
    const src = readFileSync(join(ROOT, 'src/errors.ts'), 'utf8');
    const union = /export type ErrorCode =([\s\S]*?);/.exec(src)![1]!;
    const codes = [...union.matchAll(/\|\s*'([A-Z_]+)'/g)].map((m) => m[1]).sort();
    const defs = JSON.parse(readFileSync(join(SCHEMA_DIR, 'defs.v1.schema.json'), 'utf8')) as { $defs: { errorCode: { enum: string[] } } };
    expect(codes.length).toBeGreaterThan(10);
    expect([...defs.$defs.errorCode.enum].sort()).toEqual(codes);
  });

  it('reject a document with a field they do not declare, or without the version', () => {
    const good = { $schema: schemaUrl('policy-lint'), schemaVersion: '1', valid: true, problems: [] };
    expect(schemaErrors('policy-lint', good)).toBe('');
    expect(schemaErrors('policy-lint', { ...good, extra: 1 })).not.toBe('');
    expect(schemaErrors('policy-lint', { ...good, schemaVersion: '2' })).not.toBe('');
    const { schemaVersion: _v, ...unversioned } = good;
    expect(schemaErrors('policy-lint', unversioned)).not.toBe('');
    const err = { $schema: schemaUrl('verify'), schemaVersion: '1', verified: false, error: { code: 'IDENTITY', message: 'x' } };
    expect(schemaErrors('verify', err)).toBe('');
    expect(schemaErrors('verify', { ...err, error: { ...err.error, stack: 'x' } })).not.toBe('');
    expect(schemaErrors('verify', { ...err, error: { ...err.error, code: 'NOT_A_CODE' } })).not.toBe('');
  });
});

describe('sigvet verify --json', () => {
  const vectorCases = loadCases(VECTORS);

  it.each(['path', 'digest'] as const)('matches the schema for every test vector (%s mode), verified exactly when the case passes', async (mode) => {
    let passed = 0;
    let failed = 0;
    for (const c of vectorCases) {
      const r = await capture(() => runVerify('verify', verifyArgs(VECTORS, c, mode)));
      if (r.code === 2) {
        // An input error (a trusted root that does not load): nothing on stdout, a reason on stderr.
        expect([c.name, c.expect, r.stdout]).toEqual([c.name, 'fail', '']);
        expect(r.stderr, c.name).toMatch(/^sigvet: /);
        continue;
      }
      const doc = validDocument('verify', r, `${c.name} (${mode})`);
      expect([c.name, doc.verified, r.code]).toEqual([c.name, c.expect === 'pass', c.expect === 'pass' ? 0 : 1]);
      if (doc.verified) passed++;
      else failed++;
    }
    expect(passed).toBeGreaterThan(20);
    expect(failed).toBeGreaterThan(40);
  }, 120_000);

  it.skipIf(!SHARED_PRESENT)('matches the schema for every shared conformance case', async () => {
    let n = 0;
    for (const c of loadCases(SHARED)) {
      const r = await capture(() => runVerify('verify', verifyArgs(SHARED, c, 'path')));
      if (r.code === 2) {
        expect([c.name, c.expect, r.stdout]).toEqual([c.name, 'fail', '']);
        continue;
      }
      const doc = validDocument('verify', r, c.name);
      expect([c.name, doc.verified]).toEqual([c.name, c.expect === 'pass']);
      n++;
    }
    expect(n).toBeGreaterThan(30);
  }, 120_000);

  it('several files: one result each, a summary, and the summary line on stderr', async () => {
    const dir = join(TMP, 'several');
    mkdirSync(dir, { recursive: true });
    for (const name of ['a.txt', 'b.txt']) {
      cpSync(join(SAMPLE, 'artifact.txt'), join(dir, name));
      cpSync(join(SAMPLE, 'artifact.txt.sigstore.json'), join(dir, `${name}.sigstore.json`));
    }
    writeFileSync(join(dir, 'b.txt'), 'tampered\n');
    const args = ['--json', '--trusted-root', join(SAMPLE, 'trusted_root.json'), '--certificate-identity', ID, '--certificate-oidc-issuer', ISSUER];
    const r = await capture(() => runVerify('verify', [...args, join(dir, 'a.txt'), join(dir, 'b.txt')]));
    expect(r.code).toBe(1);
    const doc = validDocument('verify', r, 'several');
    expect(doc).toMatchObject({ verified: false, summary: { verified: 1, failed: 1 } });
    expect((doc.results as { artifact: string; verified: boolean }[]).map((x) => [x.artifact, x.verified])).toEqual([
      [join(dir, 'a.txt'), true],
      [join(dir, 'b.txt'), false],
    ]);
    expect(r.stderr).toBe('1 verified, 1 failed\n');
    const ok = await capture(() => runVerify('verify', [...args, join(dir, 'a.txt')]));
    expect(ok.code).toBe(0);
    expect(validDocument('verify', ok, 'one of several')).toMatchObject({ verified: true, summary: { verified: 1, failed: 0 } });
  });
});

describe('sigvet verify --policy --json', () => {
  const policy = join(ROOT, 'examples/policies/sample-release.json');
  const sample = ['--bundle', join(SAMPLE, 'artifact.txt.sigstore.json'), '--trusted-root', join(SAMPLE, 'trusted_root.json')];

  it('matches the schema when the policy allows, denies, and when a bundle fails', async () => {
    const allow = await capture(() => runVerify('verify', ['--policy', policy, ...sample, '--json', join(SAMPLE, 'artifact.txt')]));
    expect(allow.code).toBe(0);
    expect(validDocument('verify-policy', allow, 'allow')).toMatchObject({ verified: 1, failedBundles: [], verdict: { decision: 'allow' } });
    const deny = await capture(() => runVerify('verify', ['--policy', policy, ...sample, '--json', `sha256:${'0'.repeat(64)}`]));
    expect(deny.code).toBe(1);
    const d = validDocument('verify-policy', deny, 'deny');
    expect(d).toMatchObject({ verified: 0, verdict: { decision: 'deny' }, failedBundles: [{ error: { code: 'SIGNATURE' } }] });
    // Two bundles: the summary line goes to stderr, stdout stays one document.
    const two = await capture(() => runVerify('verify', ['--policy', policy, ...sample, '--bundle', join(SAMPLE, 'artifact.txt.sigstore.json'), '--json', join(SAMPLE, 'artifact.txt')]));
    expect(validDocument('verify-policy', two, 'two bundles')).toMatchObject({ verified: 2 });
    expect(two.stderr).toBe('bundles: 2 verified, 0 failed\n');
  });
});

describe('sigvet inspect --json', () => {
  it('matches the schema for every test-vector bundle', async () => {
    let clean = 0;
    for (const c of loadCases(VECTORS)) {
      const r = await capture(() => runInspect(['--json', join(VECTORS, c.bundle)]));
      expect([0, 1], c.name).toContain(r.code);
      validDocument('inspect', r, c.name);
      if (r.code === 0) clean++;
    }
    expect(clean).toBeGreaterThan(20);
  }, 60_000);

  it.skipIf(!SHARED_PRESENT)('matches the schema for every shared conformance bundle', async () => {
    for (const c of loadCases(SHARED)) {
      const r = await capture(() => runInspect(['--json', join(SHARED, c.bundle)]));
      validDocument('inspect', r, c.name);
    }
  }, 60_000);

  it('matches the schema when the bundle does not decode', async () => {
    const p = join(TMP, 'garbage.json');
    writeFileSync(p, '{"mediaType": 1');
    const r = await capture(() => runInspect(['--json', p]));
    expect(r.code).toBe(1);
    expect(validDocument('inspect', r, 'garbage')).toMatchObject({ verified: false, error: { code: 'PARSE' } });
  });
});

describe('sigvet verify-image --json', () => {
  let fx: OciFixtures;
  const layouts = join(TMP, 'oci');
  beforeAll(() => {
    fx = buildOciFixtures();
    for (const name of fx.repos.keys()) {
      for (const [rel, bytes] of layoutFiles(fx.repos.get(name)!)) {
        const p = join(layouts, name, rel);
        mkdirSync(dirname(p), { recursive: true });
        writeFileSync(p, bytes);
      }
    }
    writeFileSync(join(layouts, 'trusted_root.json'), JSON.stringify(fx.trustedRoot));
    writeFileSync(join(layouts, 'key.pub'), fx.keyPem);
  }, 120_000);
  const layout = (name: string): string[] => ['--oci-layout', join(layouts, name), '--trusted-root', join(layouts, 'trusted_root.json')];
  const who = (): string[] => ['--certificate-identity', fx.identity, '--certificate-oidc-issuer', fx.issuer];

  it('matches the schema for every fixture image, verified or not, with and without attestations', async () => {
    const codes = new Set<number>();
    for (const name of fx.repos.keys()) {
      for (const extra of [[], ['--attestations']]) {
        const r = await capture(() => runVerifyImage([...layout(name), ...who(), ...extra, '--json', 'registry.test/a:v1']));
        expect([0, 1], `${name} ${r.stderr}`).toContain(r.code);
        validDocument('verify-image', r, `${name} ${extra.join(' ')}`);
        codes.add(r.code);
      }
    }
    const key = await capture(() => runVerifyImage([...layout('managed-key'), '--key', join(layouts, 'key.pub'), '--json', 'registry.test/a:v1']));
    expect(validDocument('verify-image', key, 'managed-key')).toMatchObject({ verified: true });
    expect([...codes].sort()).toEqual([0, 1]);
  }, 120_000);

  it('matches the schema with --policy (allow and deny) and when nothing can be reported', async () => {
    const policy = (subject: string): string => {
      const p = join(TMP, `image-policy-${subject.length}.json`);
      writeFileSync(
        p,
        JSON.stringify({
          apiVersion: 'policy.sigvet.dev/v1',
          name: 'release-gate',
          authorities: { gha: { kind: 'keyless', identities: [{ issuer: { exact: fx.issuer }, subject: { exact: subject } }] } },
          require: { allOf: [{ signedBy: ['gha'] }, { attestation: { id: 'provenance', predicateType: 'https://slsa.dev/provenance/v1', by: ['gha'], select: 'any' } }] },
        }),
      );
      return p;
    };
    const allow = await capture(() => runVerifyImage([...layout('signed-keyless'), '--policy', policy(fx.identity), '--json', 'registry.test/a:v1']));
    expect(allow.code).toBe(0);
    expect(validDocument('verify-image', allow, 'policy allow')).toMatchObject({ verified: true, verdicts: [{ decision: 'allow' }] });
    const deny = await capture(() => runVerifyImage([...layout('signed-keyless'), '--policy', policy('https://nobody'), '--json', 'registry.test/a:v1']));
    expect(deny.code).toBe(1);
    expect(validDocument('verify-image', deny, 'policy deny')).toMatchObject({ verified: false, verdicts: [{ decision: 'deny' }] });
    const broken = await capture(() => runVerifyImage([...layout('tampered-manifest'), ...who(), '--json', 'registry.test/a:v1']));
    expect(broken.code).toBe(1);
    expect(validDocument('verify-image', broken, 'tampered manifest')).toMatchObject({ verified: false, error: { code: 'SIGNATURE' } });
  }, 60_000);
});

describe('sigvet policy … --json', () => {
  const vectors = join(VECTORS, 'policy');
  const file = (name: string, text: string): string => {
    const p = join(TMP, name);
    writeFileSync(p, text);
    return p;
  };

  it('lint: clean, findings and invalid match the schema', async () => {
    const clean = readFileSync(join(vectors, 'policies/npm-package.json'), 'utf8');
    const ok = await capture(() => runPolicy(['lint', '--json', file('clean.json', clean)]));
    expect(ok.code).toBe(0);
    expect(validDocument('policy-lint', ok, 'clean')).toMatchObject({ valid: true, problems: [] });
    const doc = JSON.parse(clean);
    delete doc.require.allOf[0].attestation.select;
    const warn = await capture(() => runPolicy(['lint', '--json', file('warn.json', JSON.stringify(doc))]));
    expect(warn.code).toBe(1);
    expect(validDocument('policy-lint', warn, 'findings')).toMatchObject({ valid: true, problems: [{ severity: 'warning' }] });
    const bad = await capture(() => runPolicy(['lint', '--json', file('bad.json', JSON.stringify({ ...doc, authorities: { publisher: { kind: 'keyless', identities: [] } } }))]));
    expect(bad.code).toBe(2);
    expect(validDocument('policy-lint', bad, 'invalid')).toMatchObject({ valid: false });
  });

  it('import: the policies (each valid under policy.v1.schema.json) and the diagnostics match the schema', async () => {
    const md = readFileSync(join(ROOT, 'docs/policy.md'), 'utf8');
    const yaml = (name: string): string => new RegExp(`<!-- example: ${name} -->\\n\`\`\`yaml\\n([\\s\\S]*?)\\n\`\`\``).exec(md)![1]!;
    const { default: Ajv7 } = await import('ajv');
    const policySchema = new Ajv7({ strict: false }).compile(JSON.parse(readFileSync(join(ROOT, 'schemas/policy.v1.schema.json'), 'utf8')));
    for (const [from, name] of [['clusterimagepolicy', 'clusterimagepolicy'], ['kyverno', 'kyverno']] as const) {
      const r = await capture(() => runPolicy(['import', '--from', from, '--json', file(`${name}.yaml`, yaml(name))]));
      expect([0, 3], name).toContain(r.code);
      const doc = validDocument('policy-import', r, name) as { policies: unknown[]; diagnostics: unknown[] };
      expect(doc.policies.length, name).toBeGreaterThan(0);
      for (const p of doc.policies) expect(policySchema(p), `${name}: ${JSON.stringify(policySchema.errors)}`).toBe(true);
    }
    const invalid = await capture(() => runPolicy(['import', '--from', 'kyverno', '--json', file('notpolicy.yaml', 'kind: Deployment\napiVersion: apps/v1\n')]));
    expect(invalid.code).toBe(2);
    expect(validDocument('policy-import', invalid, 'not a policy')).toMatchObject({ policies: [], diagnostics: [{ severity: 'invalid' }] });
  });

  it('test: passing and failing runs match the schema; stdout is the document alone', async () => {
    const ok = await capture(() => runPolicy(['test', '--json', vectors]));
    expect(ok.code).toBe(0);
    const doc = validDocument('policy-test', ok, 'vectors') as { passed: number; failed: number };
    expect(doc.failed).toBe(0);
    expect(ok.stderr).toBe(`${doc.passed} passed, 0 failed\n`);
    const dir = join(TMP, 'policy-cases');
    cpSync(vectors, dir, { recursive: true });
    const p = join(dir, 'cases/release-gate-allow.json');
    const tc = JSON.parse(readFileSync(p, 'utf8'));
    tc.expect = { decision: 'deny' };
    writeFileSync(p, JSON.stringify(tc));
    writeFileSync(join(dir, 'cases/unreadable.json'), '{"expect": ');
    const bad = await capture(() => runPolicy(['test', '--json', dir]));
    expect(bad.code).toBe(1);
    expect(validDocument('policy-test', bad, 'failing').failed).toBe(2);
  });
});

describe('sigvet trusted-root fetch --json', () => {
  let repo: TestTufRepository;
  let rootFile = '';
  beforeAll(async () => {
    repo = new TestTufRepository();
    rootFile = join(TMP, 'tuf-root.json');
    writeFileSync(rootFile, repo.publishRoot());
    repo.publishTargets({ 'trusted_root.json': readFileSync(join(VECTORS, 'happy-path-v0.3/trusted_root.json')) });
    await repo.start();
  });
  afterAll(async () => repo?.stop());

  it('matches the schema, fetched and from the cache', async () => {
    const args = ['fetch', '--tuf-url', repo.origin, '--tuf-root', rootFile, '--cache-dir', join(TMP, 'tuf-cache'), '--json'];
    const first = await capture(() => runTrustedRoot(args));
    expect(first.code, first.stderr).toBe(0);
    expect(validDocument('trusted-root-fetch', first, 'fetch')).toMatchObject({ tufUrl: repo.origin, fromCache: false });
    const cached = await capture(() => runTrustedRoot([...args, '--prefer-cache', '--out', join(TMP, 'root-out.json')]));
    expect(validDocument('trusted-root-fetch', cached, 'cached')).toMatchObject({ fromCache: true, trustedRootPath: join(TMP, 'root-out.json') });
  });
});
