// The built CLI (dist/cli.js): the conformance protocol's exit codes and
// one-line reasons, and the human command's report and --json output.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuild } from '../build/ensure-build.js';

const ROOT = resolve(__dirname, '../..');
const CLI = join(ROOT, 'dist/cli.js');
const V = join(ROOT, 'test-vectors');
const S = join(ROOT, 'examples/sample');
const ID = 'https://github.com/sigvet-test/app/.github/workflows/release.yml@refs/heads/main';
const ISSUER = 'https://token.actions.githubusercontent.com';

function run(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const sample = ['--bundle', join(S, 'artifact.txt.sigstore.json'), '--trusted-root', join(S, 'trusted_root.json')];

describe('sigvet CLI', () => {
  beforeAll(() => ensureBuild(), 300_000);

  it('verify-bundle exits 0 silently on success (path and digest)', () => {
    const ok = run('verify-bundle', ...sample, '--certificate-identity', ID, '--certificate-oidc-issuer', ISSUER, join(S, 'artifact.txt'));
    expect(ok).toMatchObject({ status: 0, stdout: '', stderr: '' });
    const digest = run('verify-bundle', ...sample, '--certificate-identity', ID, '--certificate-oidc-issuer', ISSUER, `sha256:${'a'.repeat(64)}`);
    expect(digest.status).toBe(1);
  });

  it('verify-bundle exits 1 with one line naming the code on failure', () => {
    const bad = run('verify-bundle', ...sample, '--certificate-identity', `${ID}x`, '--certificate-oidc-issuer', ISSUER, join(S, 'artifact.txt'));
    expect(bad.status).toBe(1);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toContain('IDENTITY');
  });

  it('verify-bundle takes --key for managed-key bundles', () => {
    const c = join(V, 'happy-path-managed-key');
    const r = run('verify-bundle', '--bundle', join(c, 'bundle.sigstore.json'), '--key', join(c, 'key.pub'), '--trusted-root', join(c, 'trusted_root.json'), join(c, 'artifact'));
    expect(r.status).toBe(0);
  });

  it('uses the embedded public-good root without --trusted-root (and rejects a private-instance bundle)', () => {
    const r = run('verify-bundle', '--bundle', join(S, 'artifact.txt.sigstore.json'), '--certificate-identity', ID, '--certificate-oidc-issuer', ISSUER, join(S, 'artifact.txt'));
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/TLOG_BODY|not in the trusted root/);
  });

  it('verify prints a report, and --json a machine-readable result', () => {
    const human = run('verify', ...sample, '--certificate-identity', ID, '--certificate-oidc-issuer', ISSUER, join(S, 'artifact.txt'));
    expect(human.status).toBe(0);
    expect(human.stdout).toContain('Verified.');
    expect(human.stdout).toContain(`signer      ${ID}`);
    expect(human.stdout).toMatch(/ok {2}tlog\.entry/);
    const json = run('verify', ...sample, '--certificate-identity-regexp', 'https://github\\.com/sigvet-test/.*', '--certificate-oidc-issuer', ISSUER, '--json', join(S, 'artifact.txt'));
    expect(json.status).toBe(0);
    const out = JSON.parse(json.stdout);
    expect(out.verified).toBe(true);
    expect(out.result.signer.subjectAlternativeName).toBe(ID);
    const fail = run('verify', ...sample, '--certificate-identity', ID, '--certificate-oidc-issuer', 'https://example.com', '--json', join(S, 'artifact.txt'));
    expect(fail.status).toBe(1);
    expect(JSON.parse(fail.stdout)).toMatchObject({ verified: false, error: { code: 'IDENTITY', check: 'identity.issuer' } });
  });

  it('verify --policy decides over the verified facts: allow exits 0, deny 1, JSON on request', () => {
    const policy = join(ROOT, 'examples/policies/sample-release.json');
    const allow = run('verify', '--policy', policy, ...sample, join(S, 'artifact.txt'));
    expect(allow.status).toBe(0);
    expect(allow.stdout).toMatch(/^ALLOW: policy "sample-release"/);
    const other = JSON.parse(readFileSync(policy, 'utf8'));
    other.authorities.release.identities[0].subject.exact = `${ID}-unreviewed`;
    const dir = mkdtempSync(join(tmpdir(), 'sigvet-policy-'));
    writeFileSync(join(dir, 'p.json'), JSON.stringify(other));
    const deny = run('verify', '--policy', join(dir, 'p.json'), ...sample, '--json', join(S, 'artifact.txt'));
    expect(deny.status).toBe(1);
    const out = JSON.parse(deny.stdout);
    expect(out.verdict.decision).toBe('deny');
    expect(JSON.stringify(out.verdict)).toContain('IDENTITY_SUBJECT_MISMATCH');
    // A bundle that does not verify is no evidence: the policy then denies.
    const wrongArtifact = run('verify', '--policy', policy, ...sample, `sha256:${'0'.repeat(64)}`);
    expect(wrongArtifact.status).toBe(1);
    expect(wrongArtifact.stderr).toContain('not verified');
    expect(run('verify', '--policy', join(dir, 'missing.json'), ...sample, join(S, 'artifact.txt')).status).toBe(2);
  });

  it('verify --policy matches key authorities by the key that verified (never the bundle hint)', () => {
    const c = join(V, 'happy-path-managed-key');
    const pem = readFileSync(join(c, 'key.pub'), 'utf8');
    const policy = {
      apiVersion: 'policy.sigvet.dev/v1',
      name: 'managed-key',
      authorities: { release: { kind: 'key', keys: [{ pem }] } },
      require: { signedBy: ['release'] },
    };
    const dir = mkdtempSync(join(tmpdir(), 'sigvet-policy-'));
    writeFileSync(join(dir, 'p.json'), JSON.stringify(policy));
    const args = ['verify', '--policy', join(dir, 'p.json'), '--bundle', join(c, 'bundle.sigstore.json'), '--trusted-root', join(c, 'trusted_root.json')];
    expect(run(...args, '--key', join(c, 'key.pub'), join(c, 'artifact')).status).toBe(0);
    // Without the key the bundle cannot be verified, so nothing vouches: deny.
    expect(run(...args, join(c, 'artifact')).status).toBe(1);
  });

  it('rejects bad usage with exit 2', () => {
    expect(run('verify-bundle', '--bundle', 'x').status).toBe(2);
    expect(run('verify-bundle', ...sample, '--nope', 'x', 'y').status).toBe(2);
    expect(run('frobnicate').status).toBe(2);
    expect(run('--help').status).toBe(0);
  });
});
