/**
 * Progress (src/cli/progress.ts): drawn only on a terminal and never with
 * --json, redrawn in place at most ten times a second, erased at the end;
 * and the commands keep stdout free of it (pure JSON with --json).
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { createProgress, formatBytes, progressEnabled, summaryLine } from '../../src/cli/progress.js';
import { ANSI_STYLE } from '../../src/cli/style.js';
import { runVerify } from '../../src/cli/verify.js';
import { capture } from './capture.js';

const ROOT = resolve(__dirname, '../..');
const SAMPLE = join(ROOT, 'examples/sample');
const ID = 'https://github.com/sigvet-test/app/.github/workflows/release.yml@refs/heads/main';
const ISSUER = 'https://token.actions.githubusercontent.com';
const TMP = mkdtempSync(join(tmpdir(), 'sigvet-cli-progress-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

/** A sink that records writes, and a clock the test moves. */
function harness(enabled = true, total = 3): { writes: string[]; tick: (ms: number) => void; p: ReturnType<typeof createProgress> } {
  const writes: string[] = [];
  let t = 1000;
  const p = createProgress({ enabled, sink: { write: (s: string) => writes.push(s) }, total, now: () => t, columns: 80 });
  return { writes, tick: (ms) => (t += ms), p };
}

describe('createProgress', () => {
  it('draws nothing before the first interval, then one line per 100 ms at most', () => {
    const { writes, tick, p } = harness();
    p.addBytes(10);
    p.itemDone();
    expect(writes).toEqual([]);
    tick(100);
    p.addBytes(2048);
    expect(writes).toEqual(['\rsigvet: 1/3 files, 2.0 KiB hashed\u001b[K']);
    // Within the interval: counted, not drawn.
    tick(50);
    p.itemDone();
    p.addBytes(1024 * 1024);
    expect(writes).toHaveLength(1);
    tick(50);
    p.addBytes(0);
    expect(writes[1]).toBe('\rsigvet: 2/3 files, 1.0 MiB hashed\u001b[K');
    p.finish();
    expect(writes[2]).toBe('\r\u001b[K');
    // Finished twice: erased once.
    p.finish();
    expect(writes).toHaveLength(3);
  });

  it('shows only bytes for a single artifact, cuts long lines to the terminal, and dims when styled', () => {
    const writes: string[] = [];
    let t = 0;
    const p = createProgress({ enabled: true, sink: { write: (s: string) => writes.push(s) }, total: 1, now: () => t, columns: 20, style: ANSI_STYLE });
    t = 500;
    p.addBytes(5 * 1024 ** 3);
    expect(writes).toEqual([`\r${ANSI_STYLE.dim('sigvet: 5.0 GiB has')}\u001b[K`]);
  });

  it('writes nothing at all when disabled, nor an erase when nothing was drawn', () => {
    const disabled = harness(false);
    disabled.tick(1000);
    disabled.p.addBytes(1);
    disabled.p.itemDone();
    disabled.p.finish();
    expect(disabled.writes).toEqual([]);
    const quick = harness(true);
    quick.p.itemDone();
    quick.p.finish();
    expect(quick.writes).toEqual([]);
  });

  it('is enabled only on a terminal without --json', () => {
    expect(progressEnabled({ isTTY: true }, false)).toBe(true);
    expect(progressEnabled({ isTTY: true }, true)).toBe(false);
    expect(progressEnabled({ isTTY: false }, false)).toBe(false);
    expect(progressEnabled({}, false)).toBe(false);
  });

  it('formats sizes and the summary', () => {
    expect([formatBytes(0), formatBytes(1023), formatBytes(1536), formatBytes(3 * 1024 ** 2), formatBytes(2 * 1024 ** 4)]).toEqual(['0 B', '1023 B', '1.5 KiB', '3.0 MiB', '2.0 TiB']);
    expect(summaryLine(3, 1)).toBe('3 verified, 1 failed');
  });
});

describe('sigvet verify with several files', () => {
  const dir = join(TMP, 'files');
  mkdirSync(dir, { recursive: true });
  const files = ['a.txt', 'b.txt', 'c.txt'].map((n) => join(dir, n));
  for (const f of files) {
    cpSync(join(SAMPLE, 'artifact.txt'), f);
    cpSync(join(SAMPLE, 'artifact.txt.sigstore.json'), `${f}.sigstore.json`);
  }
  writeFileSync(files[2]!, 'tampered\n');
  const args = ['--trusted-root', join(SAMPLE, 'trusted_root.json'), '--certificate-identity', ID, '--certificate-oidc-issuer', ISSUER];
  const before = process.stderr.isTTY;
  const setTTY = (v: boolean | undefined): void => {
    Object.defineProperty(process.stderr, 'isTTY', { value: v, configurable: true, writable: true });
  };
  afterEach(() => {
    setTTY(before);
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  });
  /** Every clock reading is 200 ms after the previous one (still near the real time, which verification compares with), so every update is drawn; no colors. */
  const fastClock = (): void => {
    vi.stubEnv('NO_COLOR', '1');
    vi.stubEnv('FORCE_COLOR', '');
    const real = Date.now.bind(Date);
    let k = 0;
    vi.spyOn(Date, 'now').mockImplementation(() => real() + (k += 200));
  };

  it('without a terminal: no progress bytes; the report and the summary on stdout', async () => {
    setTTY(false);
    vi.stubEnv('FORCE_COLOR', '');
    const r = await capture(() => runVerify('verify', [...args, ...files]));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.map((l) => l.split(/\s+/)[0])).toEqual(['OK', 'OK', 'FAIL', '2']);
    expect(lines.at(-1)).toBe('2 verified, 1 failed');
    expect(r.stdout).not.toMatch(/[\r\u001b]/);
  });

  it('on a terminal: progress redrawn on stderr only, erased before the report', async () => {
    setTTY(true);
    fastClock();
    const r = await capture(() => runVerify('verify', [...args, ...files]));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('\rsigvet: 1/3 files');
    expect(r.stderr).toContain('3/3 files');
    expect(r.stderr).toMatch(/ hashed\u001b\[K\r\u001b\[K$/);
    expect(r.stdout).not.toMatch(/[\r]|files,/);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('2 verified, 1 failed');
  });

  it('with --json, even on a terminal: stdout is one JSON document, the summary alone on stderr', async () => {
    setTTY(true);
    fastClock();
    const r = await capture(() => runVerify('verify', ['--json', ...args, ...files]));
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as { summary: unknown; results: unknown[] };
    expect(doc.summary).toEqual({ verified: 2, failed: 1 });
    expect(doc.results).toHaveLength(3);
    expect(r.stderr).toBe('2 verified, 1 failed\n');
  });

  it('streams a large artifact and counts every byte hashed', async () => {
    setTTY(true);
    fastClock();
    const big = join(TMP, 'big.bin');
    // Above the 32 MiB streaming threshold.
    writeFileSync(big, new Uint8Array(33 * 1024 * 1024));
    const r = await capture(() => runVerify('verify', ['--bundle', join(SAMPLE, 'artifact.txt.sigstore.json'), ...args, big]));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('\rsigvet: 1.0 MiB hashed');
    expect(r.stderr).toContain('33.0 MiB hashed');
    expect(r.stderr).toContain('verification failed: SIGNATURE');
    expect(r.stdout).toBe('');
  });
});
