/**
 * The vector runner (test-vectors/run.mjs): its verdict logic and report
 * format with stand-in clients, and sigvet's built CLI (dist/cli.js)
 * passing every vector through it, naming each failing case's error code,
 * and every policy case (test-vectors/policy) through the policy-test
 * protocol, including the altered-expectation controls.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const runner = path.join(repoRoot, 'test-vectors/run.mjs');
const cli = path.join(repoRoot, 'dist/cli.js');
const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'test-vectors/CASES.json'), 'utf8')) as {
  cases: { name: string; expect: 'pass' | 'fail'; expected_error_code: string | null }[];
};
const total = manifest.cases.length;
const passing = manifest.cases.filter((c) => c.expect === 'pass').length;
const policyDir = path.join(repoRoot, 'test-vectors/policy/cases');
const policyCases = readdirSync(policyDir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => JSON.parse(readFileSync(path.join(policyDir, f), 'utf8')) as { name: string; expect: { decision: string; status?: string; reasons?: string[] } });

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [runner, ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 300_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const lastLine = (s: string) => s.trimEnd().split('\n').at(-1);

describe('vectors-run.mjs with stand-in clients', () => {
  it('counts a client that verifies everything as passing exactly the cases that must pass', () => {
    const r = run(['--cli', 'true', '--mode', 'path']);
    expect(r.status).toBe(1);
    expect(lastLine(r.stdout)).toBe(`${passing} passed, ${total - passing} failed`);
    const lines = r.stdout.split('\n').filter((l) => /^(PASS|FAIL) /.test(l));
    expect(lines).toHaveLength(total);
    for (const c of manifest.cases) {
      const line = lines.find((l) => l.split(/\s+/)[1] === c.name);
      expect(line, c.name).toBeDefined();
      expect(line!.startsWith(c.expect === 'pass' ? 'PASS' : 'FAIL'), line).toBe(true);
    }
  });

  it('counts a client that rejects everything as passing exactly the cases that must fail', () => {
    const r = run(['--cli', 'false']);
    expect(r.status).toBe(1);
    expect(lastLine(r.stdout)).toBe(`${total - passing} passed, ${passing} failed`);
  });

  it('with --codes, a rejection must name the expected error code', () => {
    const r = run(['--cli', 'false', '--codes', '--filter', '_fail$']);
    expect(lastLine(r.stdout)).toBe(`0 passed, ${total - passing} failed`);
    expect(r.stdout).toMatch(/expected error code [A-Z_]+ not reported/);
  });

  it('passes the conformance arguments: identity and issuer, or --key; the trusted root; a path or a digest', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sigvet-runner-'));
    try {
      const echo = path.join(dir, 'args.json');
      // A client that records its arguments and verifies nothing.
      const client = `node -e "require('fs').appendFileSync('${echo}', JSON.stringify(process.argv.slice(1)) + '\\n'); process.exit(1)"`;
      const r = run(['--cli', client, '--filter', '^(happy-path-v0\\.3|happy-path-managed-key)$', '--jobs', '1']);
      expect(r.status).toBe(1);
      const calls = readFileSync(echo, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as string[]);
      expect(calls).toHaveLength(4);
      for (const argv of calls) {
        expect(argv[0]).toBe('verify-bundle');
        expect(argv[1]).toBe('--bundle');
        expect(path.isAbsolute(argv[2]!)).toBe(true);
        expect(argv).toContain('--trusted-root');
        const target = argv.at(-1)!;
        expect(target.startsWith('sha256:') || path.isAbsolute(target)).toBe(true);
        if (argv[2]!.includes('managed-key')) {
          expect(argv[3]).toBe('--key');
        } else {
          expect(argv.slice(3, 7)).toEqual([
            '--certificate-identity',
            'https://github.com/sigvet-test/app/.github/workflows/release.yml@refs/heads/main',
            '--certificate-oidc-issuer',
            'https://token.actions.githubusercontent.com',
          ]);
        }
      }
      expect(calls.filter((a) => a.at(-1)!.startsWith('sha256:'))).toHaveLength(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects bad usage with exit status 2', () => {
    expect(run([]).status).toBe(2);
    expect(run(['--cli', 'true', '--mode', 'sideways']).status).toBe(2);
    expect(run(['--cli', 'true', '--filter', 'no-such-case-anywhere']).status).toBe(2);
    expect(run(['--policy-cli', 'true', '--policy-cases', path.join(repoRoot, 'no-such-folder')]).status).toBe(2);
  });
});

describe('vectors-run.mjs policy cases with stand-in clients', () => {
  it('fails every case for a client that always reports a match: the altered expectations must not match', () => {
    const r = run(['--policy-cli', 'true']);
    expect(r.status).toBe(1);
    expect(lastLine(r.stdout)).toBe(`0 passed, ${policyCases.length} failed`);
    expect(r.stdout).toMatch(/decision-flipped=match/);
  });

  it('fails every case for a client that never reports a match', () => {
    const r = run(['--policy-cli', 'false']);
    expect(r.status).toBe(1);
    expect(lastLine(r.stdout)).toBe(`0 passed, ${policyCases.length} failed`);
    expect(r.stdout).toMatch(/as-given=mismatch/);
  });

  it('passes "policy test DIR" with DIR holding one self-contained case.json, as given and with the expectation altered', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sigvet-runner-policy-'));
    try {
      const log = path.join(dir, 'calls.json');
      const target = policyCases.find((c) => c.name === 'container-out-of-scope')!;
      // A client that records its arguments and the case it was given, and reports a
      // match exactly when the expectation is the case's true one.
      const client = path.join(dir, 'client.cjs');
      writeFileSync(
        client,
        `const fs = require('fs'), p = require('path');
const d = process.argv[4];
const c = JSON.parse(fs.readFileSync(p.join(d, 'case.json'), 'utf8'));
fs.appendFileSync(${JSON.stringify(log)}, JSON.stringify({ argv: process.argv.slice(2), files: fs.readdirSync(d), c }) + '\\n');
process.exit(JSON.stringify(c.expect) === ${JSON.stringify(JSON.stringify(target.expect))} ? 0 : 1);
`,
      );
      const r = run(['--policy-cli', `node ${JSON.stringify(client)}`, '--filter', '^container-out-of-scope$', '--jobs', '1']);
      expect(lastLine(r.stdout), r.stdout).toBe('1 passed, 0 failed');
      const calls = readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { argv: string[]; files: string[]; c: any });
      // As given, decision flipped, reason added, status changed.
      expect(calls).toHaveLength(4);
      for (const call of calls) {
        expect(call.argv.slice(0, 2)).toEqual(['policy', 'test']);
        expect(path.isAbsolute(call.argv[2]!)).toBe(true);
        expect(call.files).toEqual(['case.json']);
        expect(call.c.name).toBe('container-out-of-scope');
        expect(typeof call.c.policy).toBe('object');
        for (const e of call.c.evidence.results) expect(typeof e).toBe('object');
      }
      expect(calls[0]!.c.expect).toEqual(target.expect);
      expect(calls[1]!.c.expect.decision).not.toBe(target.expect.decision);
      expect(calls[2]!.c.expect.reasons).toEqual([...target.expect.reasons!, 'VECTORS_RUN_CONTROL']);
      expect(calls[3]!.c.expect.status).not.toBe(target.expect.status);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * Copies the built CLI (dist/cli.js and its chunks: self-contained, no
 * node_modules lookups) to a private folder and checks that the copy runs,
 * so a rebuild of dist/ while the cases run cannot break them.
 */
function snapshotCli(into: string): string | undefined {
  if (!existsSync(cli)) return undefined;
  try {
    rmSync(into, { recursive: true, force: true });
    cpSync(path.dirname(cli), into, {
      recursive: true,
      filter: (src) => src === path.dirname(cli) || src === cli || src.includes(`${path.sep}cli-chunks`),
    });
  } catch {
    return undefined;
  }
  const copy = path.join(into, 'cli.js');
  const r = spawnSync(process.execPath, [copy, '--version'], { encoding: 'utf8' });
  return r.status === 0 ? copy : undefined;
}

describe('vectors-run.mjs with sigvet (node dist/cli.js)', () => {
  let snapshotDir: string;
  let cliCopy: string | undefined;

  beforeAll(async () => {
    snapshotDir = mkdtempSync(path.join(tmpdir(), 'sigvet-cli-'));
    const into = path.join(snapshotDir, 'dist');
    // dist/ may be half-written by a build running right now: wait for a copy that runs.
    for (let attempt = 0; attempt < 20 && !cliCopy; attempt++) {
      cliCopy = snapshotCli(into);
      if (!cliCopy) await new Promise((r) => setTimeout(r, 3000));
    }
    if (!cliCopy) {
      console.warn('dist/cli.js is missing or does not run: running `npm run build` first');
      execFileSync('npm', ['run', 'build'], { cwd: repoRoot, stdio: 'ignore' });
      cliCopy = snapshotCli(into);
    }
  }, 600_000);

  afterAll(() => {
    if (snapshotDir) rmSync(snapshotDir, { recursive: true, force: true });
  });

  it('passes every policy case through "policy test", noticing each altered expectation', () => {
    expect(cliCopy, 'a runnable dist/cli.js').toBeDefined();
    const dir = mkdtempSync(path.join(tmpdir(), 'sigvet-runner-'));
    try {
      const out = path.join(dir, 'results.json');
      const r = run(['--policy-cli', `node ${JSON.stringify(cliCopy)}`, '--json', out]);
      expect(lastLine(r.stdout), r.stdout.split('\n').filter((l) => l.startsWith('FAIL')).join('\n')).toBe(`${policyCases.length} passed, 0 failed`);
      expect(r.status).toBe(0);
      const json = JSON.parse(readFileSync(out, 'utf8')) as { policy_results: { name: string; runs: { mode: string; got: string }[] }[] };
      expect(json.policy_results.map((x) => x.name).sort()).toEqual(policyCases.map((c) => c.name).sort());
      for (const res of json.policy_results) {
        expect(res.runs[0], res.name).toMatchObject({ mode: 'as given', got: 'match' });
        for (const control of res.runs.slice(1)) expect(control.got, `${res.name}: ${control.mode}`).toBe('mismatch');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);

  it('runs both suites in one call and reports each', () => {
    expect(cliCopy, 'a runnable dist/cli.js').toBeDefined();
    const cli = `node ${JSON.stringify(cliCopy)}`;
    const r = run(['--cli', cli, '--policy-cli', cli, '--codes', '--filter', '^(happy-path-v0\\.3|bundle-duplicate-key_fail|release-gate-allow|release-gate-fork)$']);
    expect(r.status, r.stdout).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.slice(-3)).toEqual(['bundle cases: 2 passed, 0 failed', 'policy cases: 2 passed, 0 failed', '4 passed, 0 failed']);
  }, 300_000);

  it('passes every case in both modes, each failing case with its expected error code', () => {
    expect(cliCopy, 'a runnable dist/cli.js').toBeDefined();
    const dir = mkdtempSync(path.join(tmpdir(), 'sigvet-runner-'));
    try {
      const out = path.join(dir, 'results.json');
      const r = run(['--cli', `node ${JSON.stringify(cliCopy)}`, '--codes', '--json', out]);
      expect(lastLine(r.stdout), r.stdout.split('\n').filter((l) => l.startsWith('FAIL')).join('\n')).toBe(`${total} passed, 0 failed`);
      expect(r.status).toBe(0);
      const json = JSON.parse(readFileSync(out, 'utf8')) as { passed: number; results: { name: string; runs: { mode: string }[] }[] };
      expect(json.passed).toBe(total);
      for (const res of json.results) expect(res.runs.map((x) => x.mode), res.name).toEqual(['path', 'digest']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
