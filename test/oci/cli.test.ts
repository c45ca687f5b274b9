/**
 * `sigvet verify-image` (src/cli/verify-image.ts), run in-process on image
 * layouts written from the fixtures: exit codes, the per-signature report,
 * --json, the usage errors, and credentials from the Docker config file.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildOciFixtures, type OciFixtures } from '../../scripts/oci/fixtures.mjs';
import { layoutFiles } from '../../scripts/oci/layout-writer.mjs';
import { dockerConfigCredentials, runVerifyImage } from '../../src/cli/verify-image.js';

let fx: OciFixtures;
let dir: string;

beforeAll(() => {
  fx = buildOciFixtures();
  dir = mkdtempSync(join(tmpdir(), 'sigvet-cli-oci-'));
  for (const name of ['signed-keyless', 'managed-key', 'multi-platform', 'tampered-manifest', 'attestation-only']) {
    for (const [rel, bytes] of layoutFiles(fx.repos.get(name)!)) {
      const p = join(dir, name, rel);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, bytes);
    }
  }
  writeFileSync(join(dir, 'trusted_root.json'), JSON.stringify(fx.trustedRoot));
  writeFileSync(join(dir, 'key.pub'), fx.keyPem);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
    out += String(s);
    return true;
  });
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
    err += String(s);
    return true;
  });
  try {
    const code = await runVerifyImage(args);
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

const layout = (name: string): string[] => ['--oci-layout', join(dir, name), '--trusted-root', join(dir, 'trusted_root.json')];
const who = (): string[] => ['--certificate-identity', fx.identity, '--certificate-oidc-issuer', fx.issuer];

describe('sigvet verify-image', () => {
  it('prints usage with --help', async () => {
    const r = await run('--help');
    expect(r.code).toBe(0);
    expect(r.out).toContain('sigvet verify-image IMAGE');
  });

  it('verifies a keyless image and reports every check per signature', async () => {
    const r = await run(...layout('signed-keyless'), ...who(), 'registry.test/sigvet-test/signed-keyless:v1');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^Verified registry\.test\/sigvet-test\/signed-keyless:v1@sha256:/);
    expect(r.out).toContain('Signatures: 1 of 1 verified');
    for (const check of ['oci.layer', 'signature.message', 'tlog.entry', 'cert_chain', 'identity', 'cosign.payload.digest']) expect(r.out).toContain(`ok  ${check}`);
    expect(r.out).toContain('tags are mutable');
    expect(r.out).toContain('The following checks were performed');
  });

  it('verifies attestations of a required type, and fails on another type', async () => {
    const ok = await run(...layout('signed-keyless'), ...who(), '--attestations', '--type', 'https://slsa.dev/provenance/v1', 'registry.test/a:v1');
    expect(ok.code, ok.out).toBe(0);
    expect(ok.out).toContain('Attestations: 1 of 1 verified');
    const bad = await run(...layout('signed-keyless'), ...who(), '--type', 'https://spdx.dev/Document', 'registry.test/a:v1');
    expect(bad.code).toBe(1);
    expect(bad.out).toContain('Result: THRESHOLD [image.attestations.predicate_type]');
  });

  it('says why, per signature, when verification fails', async () => {
    const r = await run(...layout('signed-keyless'), '--certificate-identity', 'https://nobody', '--certificate-oidc-issuer', fx.issuer, 'registry.test/a:v1');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^NOT verified/);
    expect(r.out).toContain('FAILED IDENTITY [identity.subjectAlternativeName]');
    expect(r.out).toContain(`actual   ${fx.identity}`);
  });

  it('verifies a managed-key image with --key, and a platform of an index', async () => {
    expect((await run(...layout('managed-key'), '--key', join(dir, 'key.pub'), 'registry.test/a:v1')).code).toBe(0);
    const amd = await run(...layout('multi-platform'), ...who(), '--platform', 'linux/amd64', 'registry.test/a:v1');
    expect(amd.code).toBe(0);
    expect(amd.out).toContain('platform    linux/amd64 of index');
    expect((await run(...layout('multi-platform'), ...who(), '--platform', 'linux/arm64', 'registry.test/a:v1')).code).toBe(1);
  });

  it('writes --json with the full report', async () => {
    const r = await run(...layout('signed-keyless'), ...who(), '--json', 'registry.test/a:v1');
    const doc = JSON.parse(r.out) as { verified: boolean; report: { image: { digest: string }; signatures: { verified: boolean; result: { signer: { subjectAlternativeName: string } } }[] } };
    expect(doc.verified).toBe(true);
    expect(doc.report.image.digest).toBe(fx.repos.get('signed-keyless')!.imageDigest);
    expect(doc.report.signatures[0]!.result.signer.subjectAlternativeName).toBe(fx.identity);
    const bad = await run(...layout('tampered-manifest'), ...who(), '--json', 'registry.test/a:v1');
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.out)).toMatchObject({ verified: false, error: { code: 'SIGNATURE', check: 'oci.digest' } });
  });

  it('fails with one line naming the code when nothing can be reported', async () => {
    const r = await run(...layout('tampered-manifest'), ...who(), 'registry.test/a:v1');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^sigvet: verification failed: SIGNATURE \[oci\.digest\]/);
  });

  it.each([
    [['registry.test/a:v1'], 'identity'],
    [['--certificate-identity', 'x', 'registry.test/a:v1'], 'both'],
    [['--policy', '/nonexistent/p.json', 'registry.test/a:v1'], 'cannot read policy'],
    [['--no-signatures', '--certificate-identity', 'x', '--certificate-oidc-issuer', 'y', 'registry.test/a:v1'], '--attestations'],
    [['--certificate-identity', 'x', '--certificate-oidc-issuer', 'y', 'Registry.test/A:v1'], 'invalid image reference'],
    [['--key', '/nonexistent/key.pub', 'registry.test/a:v1'], 'cannot read key'],
    [['--key', 'k'], 'IMAGE is required'],
    [['--bogus', 'registry.test/a:v1'], 'unknown option'],
    [['--oci-layout', '/nonexistent', '--certificate-identity', 'x', '--certificate-oidc-issuer', 'y', 'registry.test/a:v1'], 'not an OCI image layout'],
    [['-a', 'novalue', '--certificate-identity', 'x', '--certificate-oidc-issuer', 'y', 'registry.test/a:v1'], 'KEY=VALUE'],
  ])('usage error %j', async (args, msg) => {
    const r = await run(...args);
    expect(r.code).toBe(2);
    expect(r.err).toContain(msg);
  });
});

describe('sigvet verify-image --policy', () => {
  const policy = (subject: string): object => ({
    apiVersion: 'policy.sigvet.dev/v1',
    name: 'release-gate',
    authorities: { gha: { kind: 'keyless', identities: [{ issuer: { exact: fx.issuer }, subject: { exact: subject } }] } },
    require: { allOf: [{ signedBy: ['gha'] }, { attestation: { id: 'provenance', predicateType: 'https://slsa.dev/provenance/v1', by: ['gha'], select: 'any' } }] },
  });
  const write = (name: string, text: string): string => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };

  it('allows a signed image with provenance, with the identity left to the policy', async () => {
    const r = await run(...layout('signed-keyless'), '--policy', write('allow.json', JSON.stringify(policy(fx.identity))), 'registry.test/a:v1');
    expect(r.code, r.out + r.err).toBe(0);
    expect(r.out).toContain('ALLOW: policy "release-gate" pass');
  });

  it('denies another signer, and an image with only an attestation (not a signature)', async () => {
    const other = await run(...layout('signed-keyless'), '--policy', write('deny.json', JSON.stringify(policy('https://nobody'))), 'registry.test/a:v1');
    expect(other.code).toBe(1);
    expect(other.out).toContain('DENY');
    const attOnly = await run(...layout('attestation-only'), '--policy', join(dir, 'allow.json'), '--json', 'registry.test/a:v1');
    expect(attOnly.code).toBe(1);
    const doc = JSON.parse(attOnly.out) as { verified: boolean; verdicts: { decision: string }[] };
    expect(doc).toMatchObject({ verified: false, verdicts: [{ decision: 'deny' }] });
  });

  it('imports a ClusterImagePolicy', async () => {
    const cip = [
      'apiVersion: policy.sigstore.dev/v1beta1',
      'kind: ClusterImagePolicy',
      'metadata:',
      '  name: release-signed',
      'spec:',
      '  images:',
      '  - glob: "registry.test/**"',
      '  authorities:',
      '  - keyless:',
      '      identities:',
      `      - issuer: ${fx.issuer}`,
      `        subject: ${fx.identity}`,
      '',
    ].join('\n');
    const r = await run(...layout('signed-keyless'), '--policy', write('cip.yaml', cip), 'registry.test/a:v1');
    expect(r.code, r.out + r.err).toBe(0);
    expect(r.out).toContain('ALLOW');
  });

  it('refuses an invalid policy as a usage error', async () => {
    const r = await run(...layout('signed-keyless'), '--policy', write('bad.json', '{"apiVersion":"policy.sigvet.dev/v1"}'), 'registry.test/a:v1');
    expect(r.code).toBe(2);
    expect(r.err).toContain('invalid');
  });
});

describe('Docker config credentials', () => {
  it('reads auths (base64 user:password, identity tokens), mapping Docker Hub keys', () => {
    const cfgDir = mkdtempSync(join(tmpdir(), 'sigvet-docker-config-'));
    try {
      writeFileSync(
        join(cfgDir, 'config.json'),
        JSON.stringify({
          auths: {
            'https://index.docker.io/v1/': { auth: Buffer.from('hubuser:hub:pass').toString('base64') },
            'ghcr.io': { identitytoken: 'refresh' },
            'http://localhost:5000': { username: 'u', password: 'p' },
          },
        }),
      );
      const env = { DOCKER_CONFIG: cfgDir };
      expect(dockerConfigCredentials('docker.io', env)).toEqual({ username: 'hubuser', password: 'hub:pass' });
      expect(dockerConfigCredentials('ghcr.io', env)).toEqual({ identityToken: 'refresh' });
      expect(dockerConfigCredentials('localhost:5000', env)).toEqual({ username: 'u', password: 'p' });
      expect(dockerConfigCredentials('quay.io', env)).toBeUndefined();
      expect(dockerConfigCredentials('quay.io', { DOCKER_CONFIG: join(cfgDir, 'missing') })).toBeUndefined();
    } finally {
      rmSync(cfgDir, { recursive: true, force: true });
    }
  });
});
