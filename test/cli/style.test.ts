/**
 * Colors (src/cli/style.ts): on only for a terminal without NO_COLOR,
 * FORCE_COLOR overriding both ways, never in JSON; and the commands use
 * them for verdicts only when the decision says so.
 */
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ANSI_STYLE, PLAIN_STYLE, colorsEnabled, stripAnsi, styleFor } from '../../src/cli/style.js';
import { runVerify } from '../../src/cli/verify.js';
import { runInspect } from '../../src/cli/inspect.js';
import { capture } from './capture.js';

const ESC = '\u001b[';
const ROOT = resolve(__dirname, '../..');
const SAMPLE = join(ROOT, 'examples/sample');
const ID = 'https://github.com/sigvet-test/app/.github/workflows/release.yml@refs/heads/main';
const ISSUER = 'https://token.actions.githubusercontent.com';
const verifyArgs = ['--bundle', join(SAMPLE, 'artifact.txt.sigstore.json'), '--trusted-root', join(SAMPLE, 'trusted_root.json'), '--certificate-identity', ID, '--certificate-oidc-issuer', ISSUER, join(SAMPLE, 'artifact.txt')];

describe('colorsEnabled', () => {
  it.each([
    // [isTTY, env, expected]
    [true, {}, true],
    [false, {}, false],
    [undefined, {}, false],
    [true, { NO_COLOR: '1' }, false],
    [true, { NO_COLOR: 'anything' }, false],
    // NO_COLOR set but empty is unset (no-color.org).
    [true, { NO_COLOR: '' }, true],
    [true, { TERM: 'dumb' }, false],
    // FORCE_COLOR wins both ways.
    [false, { FORCE_COLOR: '1' }, true],
    [undefined, { FORCE_COLOR: '3' }, true],
    [true, { FORCE_COLOR: '1', NO_COLOR: '1' }, true],
    [true, { FORCE_COLOR: '0' }, false],
    [true, { FORCE_COLOR: 'false' }, false],
    [false, { FORCE_COLOR: '', NO_COLOR: '' }, false],
    [true, { FORCE_COLOR: '', NO_COLOR: '1' }, false],
  ] as const)('isTTY %s, env %j → %s', (isTTY, env, expected) => {
    expect(colorsEnabled({ isTTY, env })).toBe(expected);
  });
});

describe('styleFor', () => {
  it('styles a terminal, never JSON, and plain text stays plain', () => {
    expect(styleFor({ isTTY: true }, false, {})).toBe(ANSI_STYLE);
    expect(styleFor({ isTTY: true }, true, { FORCE_COLOR: '1' })).toBe(PLAIN_STYLE);
    expect(styleFor({ isTTY: false }, false, {})).toBe(PLAIN_STYLE);
    expect(ANSI_STYLE.green('ok')).toBe(`${ESC}32mok${ESC}39m`);
    expect(ANSI_STYLE.red('x')).toContain(`${ESC}31m`);
    expect(ANSI_STYLE.dim('d')).toBe(`${ESC}2md${ESC}22m`);
    expect(stripAnsi(ANSI_STYLE.bold(ANSI_STYLE.green('Verified.')))).toBe('Verified.');
    for (const f of [PLAIN_STYLE.green, PLAIN_STYLE.red, PLAIN_STYLE.yellow, PLAIN_STYLE.dim, PLAIN_STYLE.bold]) expect(f('text')).toBe('text');
  });
});

describe('the commands', () => {
  const tty = (stream: NodeJS.WriteStream, value: boolean | undefined): void => {
    Object.defineProperty(stream, 'isTTY', { value, configurable: true, writable: true });
  };
  const before = { out: process.stdout.isTTY, err: process.stderr.isTTY };
  afterEach(() => {
    tty(process.stdout, before.out);
    tty(process.stderr, before.err);
    vi.unstubAllEnvs();
  });

  it('color the verdict on a terminal', async () => {
    vi.stubEnv('NO_COLOR', '');
    vi.stubEnv('FORCE_COLOR', '');
    vi.stubEnv('TERM', 'xterm-256color');
    tty(process.stdout, true);
    const r = await capture(() => runVerify('verify', verifyArgs));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(ANSI_STYLE.green('Verified.'));
    expect(stripAnsi(r.stdout)).toMatch(/^Verified\.\n {2}signer {6}https:/);
  });

  it('do not color with NO_COLOR, on a pipe, or in --json (even with FORCE_COLOR)', async () => {
    vi.stubEnv('FORCE_COLOR', '');
    vi.stubEnv('NO_COLOR', '1');
    tty(process.stdout, true);
    expect((await capture(() => runVerify('verify', verifyArgs))).stdout).not.toContain(ESC);
    vi.stubEnv('NO_COLOR', '');
    tty(process.stdout, false);
    expect((await capture(() => runVerify('verify', verifyArgs))).stdout).not.toContain(ESC);
    vi.stubEnv('FORCE_COLOR', '1');
    const json = await capture(() => runVerify('verify', ['--json', ...verifyArgs]));
    expect(json.stdout).not.toContain(ESC);
    expect(JSON.parse(json.stdout).verified).toBe(true);
    const inspect = await capture(() => runInspect(['--json', join(SAMPLE, 'artifact.txt.sigstore.json')]));
    expect(inspect.stdout).not.toContain(ESC);
  });

  it('color failures red on stderr when forced, and not at all when forced off', async () => {
    const failing = verifyArgs.map((a) => (a === ISSUER ? 'https://example.com' : a));
    vi.stubEnv('FORCE_COLOR', '1');
    const red = await capture(() => runVerify('verify', failing));
    expect(red.code).toBe(1);
    expect(red.stderr).toContain(ANSI_STYLE.red('verification failed'));
    vi.stubEnv('FORCE_COLOR', '0');
    tty(process.stderr, true);
    const plain = await capture(() => runVerify('verify', failing));
    expect(plain.stderr).toMatch(/^sigvet: verification failed: IDENTITY/);
    expect(plain.stderr).not.toContain(ESC);
  });

  it('never color the conformance protocol', async () => {
    vi.stubEnv('FORCE_COLOR', '1');
    const failing = verifyArgs.map((a) => (a === ISSUER ? 'https://example.com' : a));
    const r = await capture(() => runVerify('verify-bundle', failing));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^sigvet: verification failed: IDENTITY \[identity\.issuer\]: [^\n]*\n$/);
    expect(r.stderr).not.toContain(ESC);
  });
});
