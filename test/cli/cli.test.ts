// The built CLI (dist/cli.js): the conformance protocol's exit codes and
// one-line reasons, the human command's report and --json output (against
// its schema), --help of every command, colors and progress end to end.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ALL_EXIT_CODES, ExitCode } from '../../src/cli/exit-codes.js';
import { ensureBuild } from '../build/ensure-build.js';
import { schemaErrors } from './output-schemas.js';

const ROOT = resolve(__dirname, '../..');
const CLI = join(ROOT, 'dist/cli.js');
const V = join(ROOT, 'test-vectors');
const S = join(ROOT, 'examples/sample');
const ID = 'https://github.com/sigvet-test/app/.github/workflows/release.yml@refs/heads/main';
const ISSUER = 'https://token.actions.githubusercontent.com';

/** The environment without the color switches (each test sets the ones it means). */
const PLAIN_ENV: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'FORCE_COLOR' && k !== 'NO_COLOR'));

function runWith(env: NodeJS.ProcessEnv, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...PLAIN_ENV, ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function run(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  return runWith({}, ...args);
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

/** Every command and subcommand, as its --help is asked for. */
const HELP_COMMANDS: readonly string[][] = [
  ['verify-bundle'],
  ['verify'],
  ['verify', '--policy'],
  ['inspect'],
  ['verify-image'],
  ['policy'],
  ['policy', 'lint'],
  ['policy', 'import'],
  ['policy', 'test'],
  ['trusted-root'],
  ['trusted-root', 'fetch'],
];

/** The `exit codes:` table of a help text: code → meaning. */
function exitCodeTable(help: string): Map<number, string> {
  const i = help.indexOf('\nexit codes:\n');
  expect(i, help).toBeGreaterThan(0);
  const rows = new Map<number, string>();
  for (const line of help.slice(i + 13).split('\n')) {
    const m = /^ {2}(\d+) +(\S.*)$/.exec(line);
    if (m) rows.set(Number(m[1]), m[2]!);
    else if (line.trim() !== '') break;
  }
  return rows;
}

describe('sigvet --help', () => {
  beforeAll(() => ensureBuild(), 300_000);

  it.each(HELP_COMMANDS.map((c) => [c.join(' '), c] as const))('%s --help: usage, an example and the exit codes, on stdout with exit 0', (_name, words) => {
    const r = run(...words, '--help');
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^usage:/);
    expect(r.stdout).toMatch(/\nexamples:\n {2}# .+\n {2}sigvet /);
    const codes = exitCodeTable(r.stdout);
    for (const c of [ExitCode.OK, ExitCode.USAGE, ExitCode.INTERNAL]) expect(codes.has(c), `${words.join(' ')}: exit ${c}`).toBe(true);
    // Every code a command names is one of the documented table.
    for (const c of codes.keys()) expect(ALL_EXIT_CODES.map(([k]) => k)).toContain(c);
    if (!words.includes('import') && !(words.length === 1 && words[0] === 'policy')) expect(codes.has(ExitCode.UNMAPPED), words.join(' ')).toBe(false);
  });

  it('-h and `sigvet help COMMAND` print the same help', () => {
    expect(run('inspect', '-h').stdout).toBe(run('inspect', '--help').stdout);
    expect(run('help', 'verify-image').stdout).toBe(run('verify-image', '--help').stdout);
    expect(run('help', 'policy').stdout).toBe(run('policy', '--help').stdout);
    expect(run('help', 'nope').status).toBe(2);
  });

  it('lists every command, an example and the whole exit-code table', () => {
    const r = run('--help');
    expect(r.status).toBe(0);
    for (const c of ['verify-bundle', 'verify', 'inspect', 'verify-image', 'policy', 'trusted-root']) expect(r.stdout).toMatch(new RegExp(`\\n {2}${c} +\\S`));
    expect(r.stdout).toMatch(/\nexamples:\n/);
    expect([...exitCodeTable(r.stdout).entries()]).toEqual(ALL_EXIT_CODES.map(([c, m]) => [c, m]));
    // Without a command: the same text on stderr, exit 2.
    const bare = run();
    expect([bare.status, bare.stdout, bare.stderr]).toEqual([2, '', r.stdout]);
  });

  it('docs/cli.md documents the same exit codes', () => {
    const md = readFileSync(join(ROOT, 'docs/cli.md'), 'utf8');
    for (const [code] of ALL_EXIT_CODES) expect(md).toMatch(new RegExp(`\\n\\| ${code} +\\|`));
  });
});

describe('sigvet end to end: --json, colors, progress', () => {
  beforeAll(() => ensureBuild(), 300_000);
  const who = ['--certificate-identity', ID, '--certificate-oidc-issuer', ISSUER, '--trusted-root', join(S, 'trusted_root.json')];

  it('--json prints one schema-valid document, with nothing else on stdout', () => {
    const ok = run('verify', ...sample, '--certificate-identity', ID, '--certificate-oidc-issuer', ISSUER, '--json', join(S, 'artifact.txt'));
    expect(schemaErrors('verify', JSON.parse(ok.stdout))).toBe('');
    const inspect = run('inspect', '--json', join(S, 'artifact.txt.sigstore.json'));
    expect(inspect.status).toBe(0);
    expect(schemaErrors('inspect', JSON.parse(inspect.stdout))).toBe('');
    const lint = run('policy', 'lint', '--json', join(ROOT, 'examples/policies/sample-release.json'));
    expect(schemaErrors('policy-lint', JSON.parse(lint.stdout))).toBe('');
  });

  it('several files through pipes: no progress bytes, the summary last on stdout (on stderr with --json)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sigvet-cli-many-'));
    const files = ['one.txt', 'two.txt'].map((n) => join(dir, n));
    for (const f of files) {
      cpSync(join(S, 'artifact.txt'), f);
      cpSync(join(S, 'artifact.txt.sigstore.json'), `${f}.sigstore.json`);
    }
    const human = run('verify', ...who, ...files);
    expect(human.status).toBe(0);
    expect(human.stderr).toBe('');
    expect(human.stdout.trimEnd().split('\n').at(-1)).toBe('2 verified, 0 failed');
    expect(human.stdout).not.toMatch(/[\r\u001b]/);
    const json = run('verify', ...who, '--json', ...files);
    expect(json.status).toBe(0);
    expect(schemaErrors('verify', JSON.parse(json.stdout))).toBe('');
    expect(json.stderr).toBe('2 verified, 0 failed\n');
    // A missing bundle is an input error before anything is verified.
    mkdirSync(join(dir, 'lonely'));
    writeFileSync(join(dir, 'lonely', 'x.txt'), 'x');
    const missing = run('verify', ...who, '--json', files[0]!, join(dir, 'lonely', 'x.txt'));
    expect([missing.status, missing.stdout]).toEqual([2, '']);
    expect(missing.stderr).toContain('x.txt.sigstore.json');
    // Digests need --bundle; --bundle takes one target.
    expect(run('verify', ...who, `sha256:${'a'.repeat(64)}`).status).toBe(2);
    expect(run('verify', ...sample, '--certificate-identity', ID, '--certificate-oidc-issuer', ISSUER, files[0]!, files[1]!).status).toBe(2);
  });

  it('colors only when forced (pipes are not terminals), never in --json', () => {
    const args = ['verify', ...sample, '--certificate-identity', ID, '--certificate-oidc-issuer', ISSUER, join(S, 'artifact.txt')];
    expect(run(...args).stdout).not.toContain('\u001b[');
    expect(runWith({ FORCE_COLOR: '1' }, ...args).stdout).toContain('\u001b[32mVerified.\u001b[39m');
    expect(runWith({ FORCE_COLOR: '1', NO_COLOR: '1' }, ...args).stdout).toContain('\u001b[');
    expect(runWith({ NO_COLOR: '1' }, ...args).stdout).not.toContain('\u001b[');
    expect(runWith({ FORCE_COLOR: '1' }, ...args, '--json').stdout).not.toContain('\u001b[');
    const deny = runWith({ FORCE_COLOR: '1' }, 'verify', '--policy', join(ROOT, 'examples/policies/sample-release.json'), ...sample, `sha256:${'0'.repeat(64)}`);
    expect(deny.status).toBe(1);
    expect(deny.stdout).toMatch(/^\u001b\[31mDENY\u001b\[39m/);
  });
});

