/**
 * The benchmark suite in quick (smoke) mode: every scenario runs against the
 * current build and writes its section of benchmarks/results/<runtime>.json
 * (here into a temporary directory), the profile summary is written, and
 * scripts/bench-report.mjs renders a page from those files. No timing is
 * asserted anywhere: figures only have to exist and be numbers.
 *
 * Also checks the pieces the figures rest on: the synthetic bundle of the
 * large-artifact scenario verifies only its own artifact, every floor
 * signature of a real bundle verifies, and the profile summarizer adds up.
 */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIST, REPO_ROOT, ensureBuild } from '../build/ensure-build.js';

const QUICK_TIMEOUT_MS = 6 * 60_000;
const IN_CI = Boolean(process.env.CI) && !['0', 'false'].includes(process.env.CI!.toLowerCase());
const RUNTIME_ID = `node${process.versions.node.split('.')[0]}`;
const NODE_SCENARIOS = ['warm', 'cold', 'throughput', 'cache', 'stream', 'memory', 'profile'] as const;

function hasChromium(): boolean {
  if (process.env.CHROMIUM_PATH) return fs.existsSync(process.env.CHROMIUM_PATH);
  return spawnSync('/bin/sh', ['-c', 'command -v chromium || command -v chromium-browser'], { encoding: 'utf8' }).stdout.trim() !== '';
}

/** Imports one of the suite's plain-JS modules (typed loosely: they are .mjs). */
async function benchModule(rel: string): Promise<any> {
  return import(pathToFileURL(path.join(REPO_ROOT, 'benchmarks', rel)).href);
}

interface Target {
  id: string;
  description: string;
  limit: string;
  met: boolean | null;
}

interface Section {
  date: string;
  mode: string;
  status: string;
  runtimeVersion: string | null;
  targets?: Target[];
  [k: string]: unknown;
}

interface Results {
  schema: string;
  runtime: { id: string; version: string | null };
  machine: { cpus: number; cpuModel: string };
  scenarios: Record<string, Section>;
}

const isPositive = (x: unknown): boolean => typeof x === 'number' && Number.isFinite(x) && x > 0;

describe('benchmark suite, quick mode (npm run bench:quick)', () => {
  let dir = '';
  let run: ReturnType<typeof spawnSync>;
  const started = Date.now();

  beforeAll(async () => {
    await ensureBuild();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sigvet-bench-test-'));
    run = spawnSync(process.execPath, [path.join(REPO_ROOT, 'benchmarks', 'run.mjs'), '--quick', '--build', 'never', '--results-dir', dir], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: '' },
      maxBuffer: 64 * 2 ** 20,
      timeout: QUICK_TIMEOUT_MS,
    });
  }, QUICK_TIMEOUT_MS + 60_000);

  afterAll(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const readResults = (id: string): Results => JSON.parse(fs.readFileSync(path.join(dir, `${id}.json`), 'utf8')) as Results;

  it('runs every scenario to completion', () => {
    expect(run.error, String(run.error)).toBeUndefined();
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(String(run.stdout)).toContain('== summary');
  });

  it(`writes ${RUNTIME_ID}.json with machine, runtime and a fresh section per scenario`, () => {
    const r = readResults(RUNTIME_ID);
    expect(r.schema).toBe('sigvet-bench-results/v1');
    expect(r.runtime.id).toBe(RUNTIME_ID);
    expect(r.runtime.version).toBe(process.version);
    expect(r.machine.cpus).toBeGreaterThan(0);
    expect(r.machine.cpuModel).not.toBe('');
    for (const name of NODE_SCENARIOS) {
      const s = r.scenarios[name];
      expect(s, name).toBeDefined();
      expect(s!.mode, name).toBe('quick');
      expect(s!.status, name).toMatch(/^(ok|pending)/);
      expect(Date.parse(s!.date), name).toBeGreaterThanOrEqual(started - 1000);
      expect(s!.runtimeVersion, name).toBe(process.version);
      for (const t of s!.targets ?? []) {
        expect(t.id, name).toMatch(/^[a-z0-9.-]+$/);
        expect(t.description.length, t.id).toBeGreaterThan(10);
        expect(t.limit, t.id).not.toBe('');
        expect([true, false, null], t.id).toContain(t.met);
      }
    }
  });

  it('records measured figures (numbers, not checked against any limit)', () => {
    const s = readResults(RUNTIME_ID).scenarios;
    const warm = s.warm as unknown as { rows: { us: Record<string, number | null>; ratios: Record<string, { median: number } | null> }[] };
    expect(warm.rows.length).toBeGreaterThan(0);
    for (const row of warm.rows) {
      expect(isPositive(row.us.sigvet)).toBe(true);
      expect(isPositive(row.us.floor)).toBe(true);
      expect(isPositive(row.ratios.sigvetOverFloor?.median)).toBe(true);
    }
    const cold = s.cold as unknown as { library: { plain: { libraryMs: { median: number } } }[]; cli: { plain: { ratio: { median: number } } } };
    expect(isPositive(cold.library[0]!.plain.libraryMs.median)).toBe(true);
    expect(isPositive(cold.cli.plain.ratio.median)).toBe(true);
    const tp = s.throughput as unknown as { workloads: { rows: { key: string; bundlesPerSecond: number }[] }[] };
    expect(tp.workloads.length).toBeGreaterThan(0);
    expect(tp.workloads[0]!.rows.map((x) => x.key)).toContain('sequential');
    expect(tp.workloads[0]!.rows.some((x) => x.key.startsWith('verifyMany/'))).toBe(true);
    const stream = s.stream as unknown as { rows: { MiBps: number }[]; memory: { peakRssGrowthMiB: number } };
    expect(stream.rows.every((x) => isPositive(x.MiBps))).toBe(true);
    expect(typeof stream.memory.peakRssGrowthMiB).toBe('number');
    const mem = s.memory as unknown as { loop: { verifications: number; snapshotGrowth: { byCategoryKiB: Record<string, number> } } };
    expect(mem.loop.verifications).toBeGreaterThan(0);
    expect(Object.keys(mem.loop.snapshotGrowth.byCategoryKiB)).toContain('program data');
  });

  it('writes the profile summary', () => {
    const txt = fs.readFileSync(path.join(dir, `profile-${RUNTIME_ID}.txt`), 'utf8');
    expect(txt).toContain('Top functions by self time');
    expect(txt).toContain("sigvet's functions by inclusive time");
  });

  it.skipIf(!hasChromium() && !IN_CI)('writes chromium.json from the headless page', () => {
    const r = readResults('chromium');
    expect(r.runtime.id).toBe('chromium');
    expect(r.runtime.version).toMatch(/^\d+\./);
    const warm = r.scenarios.warm as unknown as Section & { rows: { us: Record<string, number> }[] };
    expect(warm.status).toBe('ok');
    expect(warm.rows.length).toBeGreaterThan(0);
    expect(warm.rows.every((x) => isPositive(x.us.sigvet) && isPositive(x.us.floor))).toBe(true);
  });

  it('renders docs/performance.md from the results (and --check agrees with it)', () => {
    const out = path.join(dir, 'performance.md');
    const report = path.join(REPO_ROOT, 'scripts', 'bench-report.mjs');
    const gen = spawnSync(process.execPath, [report, '--results', dir, '--out', out], { encoding: 'utf8' });
    expect(gen.status, gen.stderr).toBe(0);
    const md = fs.readFileSync(out, 'utf8');
    for (const heading of ['## Targets (issue 8)', '## Machine and runtimes', '## 1. Warm', '## 2. Cold', '## 3. Throughput', '## 4. Repeat', '## 5. Large', '## 6. Memory', '## 7. Policy', '## 8. Chromium', '## Where the time goes']) {
      expect(md).toContain(heading);
    }
    expect(md).toContain(`${RUNTIME_ID}.json`);
    expect(md).toContain('Quick (smoke) mode');
    const check = spawnSync(process.execPath, [report, '--results', dir, '--out', out, '--check'], { encoding: 'utf8' });
    expect(check.status, check.stderr).toBe(0);
    fs.appendFileSync(out, '\nedited by hand\n');
    const stale = spawnSync(process.execPath, [report, '--results', dir, '--out', out, '--check'], { encoding: 'utf8' });
    expect(stale.status).toBe(1);
  });
});

describe('what the figures rest on', () => {
  it('the synthetic large-artifact bundle verifies its own streamed artifact and no other', async () => {
    await ensureBuild();
    const { pooledArtifact, syntheticKeyBundle } = await benchModule('lib/synthetic.mjs');
    const sigvet = await import(pathToFileURL(path.join(DIST, 'index.node.js')).href);
    const art = pooledArtifact({ totalBytes: 4 * 2 ** 20 });
    const digest: Uint8Array = art.digest();
    const s = syntheticKeyBundle(digest);
    const verifier = await sigvet.createVerifier({ trustedRoot: s.rootText });
    const ok = await verifier.verify(s.bundleText, { artifact: art.chunks(), key: s.keyPem });
    expect(ok.content.artifactDigest.hex).toBe(Buffer.from(digest).toString('hex'));
    const other = pooledArtifact({ totalBytes: 4 * 2 ** 20 });
    await expect(verifier.verify(s.bundleText, { artifact: other.chunks(), key: s.keyPem })).rejects.toMatchObject({ name: 'SigvetError' });
  });

  it('every floor signature of every happy-path bundle verifies, and breaks when the data changes', async () => {
    const { loadBundles } = await benchModule('lib/cases.mjs');
    const { cryptoFloor, floorForWebCrypto } = await benchModule('lib/floor.mjs');
    const bundles = loadBundles({ note: () => {} });
    expect(bundles.length).toBeGreaterThan(0);
    for (const b of bundles) {
      const items = cryptoFloor(b) as { what: string; hash: string | null; data: Buffer; key: crypto.KeyObject; signature: Buffer }[];
      expect(items.length, b.id).toBeGreaterThanOrEqual(3);
      for (const it of items) {
        expect(crypto.verify(it.hash, it.data, it.key, it.signature), `${b.id} ${it.what}`).toBe(true);
        const flipped = Buffer.from(it.data);
        flipped[flipped.length - 1]! ^= 1;
        expect(crypto.verify(it.hash, flipped, it.key, it.signature), `${b.id} ${it.what} (flipped)`).toBe(false);
      }
      for (const w of floorForWebCrypto(items) as { importAlg: { name: string; namedCurve?: string }; signature: string }[]) {
        // WebCrypto's ECDSA signature is r || s at the field size.
        if (w.importAlg.name === 'ECDSA') {
          const size = { 'P-256': 64, 'P-384': 96, 'P-521': 132 }[w.importAlg.namedCurve!];
          expect(Buffer.from(w.signature, 'base64').length, b.id).toBe(size);
        }
      }
    }
  });

  it('the profile summarizer splits self and inclusive time by function and area', async () => {
    const { summarizeProfile } = await benchModule('lib/profile-summary.mjs');
    const frame = (id: number, functionName: string, url: string, children: number[] = []) => ({
      id,
      callFrame: { functionName, url, lineNumber: id, columnNumber: 0, scriptId: '1' },
      children,
    });
    const profile = {
      nodes: [
        frame(1, '(root)', '', [2, 5]),
        frame(2, 'verifyBundle', 'file:///x/dist/chunk.js', [3, 4]),
        frame(3, 'parseJson', 'file:///x/dist/chunk.js'),
        frame(4, 'verifyOneShot', 'node:internal/crypto/sig'),
        frame(5, '(garbage collector)', ''),
      ],
      samples: [2, 3, 3, 4, 4, 4, 5],
      timeDeltas: [100, 100, 100, 100, 100, 100, 100],
    };
    const s = summarizeProfile(profile, { distDir: '/x/dist' });
    expect(s.totalMs).toBeCloseTo(0.7);
    const area = Object.fromEntries(s.areas.map((a: { area: string; ms: number }) => [a.area, a.ms]));
    expect(area['sigvet (dist)']).toBeCloseTo(0.3);
    expect(area['node:crypto (JS side)']).toBeCloseTo(0.3);
    expect(area.GC).toBeCloseTo(0.1);
    expect(s.topSelf[0].name).toBe('verifyOneShot');
    const incl = Object.fromEntries(s.topInclusiveSigvet.map((f: { name: string; ms: number }) => [f.name, f.ms]));
    expect(incl.verifyBundle).toBeCloseTo(0.6);
    expect(incl.parseJson).toBeCloseTo(0.2);
  });
});
