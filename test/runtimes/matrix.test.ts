/**
 * The runtime matrix's own logic (scripts/runtimes): the runtime table in
 * config.mjs is consistent, unit-test results are sorted into passed /
 * not applicable / known gap / unexpected as documented, the page renders
 * what the results say, and the committed docs/runtimes.md is a rendering
 * of a run over the configured runtimes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../build/ensure-build.js';

// Plain-JavaScript modules: imported by URL (they carry no type declarations).
const load = (file: string): Promise<any> => import(pathToFileURL(path.join(REPO_ROOT, 'scripts', 'runtimes', file)).href);

let config: any;
let matrix: any;
let report: any;

beforeAll(async () => {
  config = await load('config.mjs');
  matrix = await load('matrix.mjs');
  report = await load('report.mjs');
});

describe('scripts/runtimes/config.mjs', () => {
  it('lists Node 20, 22 and 24, Bun and Deno, each with a pinned version and an expected provider', () => {
    expect(config.RUNTIMES.map((r: any) => r.id)).toEqual(['node20', 'node22', 'node24', 'bun', 'deno']);
    for (const r of config.RUNTIMES) {
      expect(r.version, r.id).toMatch(/^\d+\.\d+\.\d+$/);
      expect(['node', 'webcrypto'], r.id).toContain(r.expectedProvider);
      expect(r.script('/bin/x', 'file.mjs', ['a'])).toContain('file.mjs');
    }
    // Bun and Deno must load the WebCrypto build through their own export conditions.
    for (const id of ['bun', 'deno']) {
      const r = config.RUNTIMES.find((x: any) => x.id === id);
      expect(r.expectedProvider).toBe('webcrypto');
      expect(r.expectedEntry.esm).toBe('dist/index.web.js');
    }
  });

  it('gives every exception a known runtime, a kind, a reason and an existing test file', () => {
    const ids = new Set(config.RUNTIMES.map((r: any) => r.id));
    for (const e of config.UNIT_EXCEPTIONS) {
      const where = `${e.file} ${e.test ?? ''}`;
      expect(e.runtimes.length, where).toBeGreaterThan(0);
      for (const id of e.runtimes) expect(ids.has(id), `${where}: runtime ${id}`).toBe(true);
      expect(['n/a', 'gap'], where).toContain(e.kind);
      expect(e.reason.length, where).toBeGreaterThan(20);
      expect(fs.existsSync(path.join(REPO_ROOT, e.file)), `${where}: file missing`).toBe(true);
    }
  });

  it('keeps the runtimes out of the repository by default', () => {
    const dir = config.cacheDir();
    expect(path.relative(REPO_ROOT, dir).startsWith('..') || path.isAbsolute(path.relative(REPO_ROOT, dir))).toBe(true);
  });
});

/** A vitest JSON report with the given tests (file → [fullName, status]). */
function vitestReport(files: Record<string, [string, string][]>, fileStatus: Record<string, string> = {}) {
  return {
    testResults: Object.entries(files).map(([file, tests]) => ({
      name: path.join(REPO_ROOT, file),
      status: fileStatus[file] ?? (tests.some(([, s]) => s === 'failed') ? 'failed' : 'passed'),
      message: fileStatus[file] === 'failed' ? 'Cannot find module x' : '',
      assertionResults: tests.map(([fullName, status]) => ({ fullName, status, failureMessages: status === 'failed' ? ['AssertionError: boom\n at x'] : [] })),
    })),
  };
}

describe('classifyUnitResults', () => {
  it('passes listed failures as n/a or gap and fails the rest', () => {
    const r = vitestReport({
      'test/crypto/spki.test.ts': [
        ['parseSpki rejects RSASSA-PSS keys as UNSUPPORTED', 'failed'],
        ['parseSpki reads P-256', 'passed'],
        ['parseSpki something new', 'failed'],
      ],
      'test/der/element.test.ts': [['x', 'skipped']],
    });
    const bun = matrix.classifyUnitResults(r, 'bun', REPO_ROOT);
    expect(bun).toMatchObject({ passed: 1, failed: 2, skipped: 1 });
    expect(bun.notApplicable.map((x: any) => x.test)).toEqual(['parseSpki rejects RSASSA-PSS keys as UNSUPPORTED']);
    expect(bun.unexpected.map((x: any) => x.test)).toEqual(['parseSpki something new']);
    expect(bun.unexpected[0].message).toBe('AssertionError: boom');
    // The same failure on Node is not excused.
    const node = matrix.classifyUnitResults(r, 'node22', REPO_ROOT);
    expect(node.unexpected.map((x: any) => x.test)).toEqual(['parseSpki rejects RSASSA-PSS keys as UNSUPPORTED', 'parseSpki something new']);
  });

  it('reports a known gap that now passes, and an exception that matches nothing', () => {
    // Synthetic exceptions: the real list may hold no test-level gap at a given time.
    const gap = { runtimes: ['deno'], file: 'test/der/element.test.ts', test: 'parses a thing', kind: 'gap', reason: 'r' };
    const stale = { runtimes: ['deno'], file: 'test/der/element.test.ts', test: 'a test that no longer exists', kind: 'n/a', reason: 'r' };
    const r = vitestReport({ [gap.file]: [[gap.test, 'passed']] });
    const out = matrix.classifyUnitResults(r, 'deno', REPO_ROOT, [gap, stale]);
    expect(out.fixedGaps).toEqual([{ file: gap.file, test: gap.test }]);
    expect(out.stale.length).toBe(1);
    // With the real list, every test-level exception of a runtime that matches no test here is reported stale.
    const real = matrix.classifyUnitResults(vitestReport({ 'test/der/element.test.ts': [['x', 'passed']] }), 'deno', REPO_ROOT);
    expect(real.stale.length).toBe(config.exceptionsFor('deno').filter((e: any) => e.test).length);
  });

  it('counts a file that failed to load as an unexpected failure', () => {
    const r = vitestReport({ 'test/der/element.test.ts': [] }, { 'test/der/element.test.ts': 'failed' });
    const out = matrix.classifyUnitResults(r, 'node20', REPO_ROOT);
    expect(out.failed).toBe(1);
    expect(out.unexpected).toMatchObject([{ file: 'test/der/element.test.ts', test: '(the file itself)', message: 'Cannot find module x' }]);
  });
});

describe('renderRuntimesMarkdown', () => {
  const tally = (passed: number, failed = 0) => ({ passed, failed, failures: failed ? [{ case: 'c1', mode: 'path', expected: 'pass', got: 'SigvetError X y: z' }] : [] });
  const results = {
    finishedAt: '2026-01-01T00:00:00.000Z',
    machine: 'Linux x64, 2 CPU(s)',
    packageVersion: '0.1.0',
    durationMs: 1000,
    suites: { conformance: 'conf (1 case)', 'test-vectors': 'vec (1 case)' },
    runtimes: [
      {
        id: 'deno',
        label: 'Deno',
        version: '2.9.6',
        ok: false,
        expectedProvider: 'webcrypto',
        expectedEntry: { esm: 'dist/index.web.js', cjs: 'dist/index.node.cjs' },
        durationMs: 500,
        harness: {
          esm: { entry: 'dist/index.web.js', provider: 'webcrypto' },
          cjs: { entry: 'dist/index.node.cjs', provider: 'node', sameApi: true },
          suites: { conformance: { providers: { webcrypto: tally(2), noble: tally(1, 1) } } },
        },
        cli: { conformance: { passed: 2, failed: 0 } },
        unit: {
          ok: true,
          passed: 10,
          failed: 1,
          skipped: 0,
          excludedFiles: [{ file: 'test/x.test.ts', reason: 'not here' }],
          notApplicable: [],
          gaps: [{ file: 'test/y.test.ts', test: 'y z', reason: 'a gap' }],
          fixedGaps: [],
          stale: [],
          unexpected: [],
        },
      },
    ],
  };

  it('shows each runtime with its provider, counts and verdict, and lists gaps and failed cases', () => {
    const md = report.renderRuntimesMarkdown(results);
    expect(md).toContain(report.GENERATED_MARKER);
    const row = md.split('\n').find((l: string) => l.startsWith('| Deno |'))!;
    expect(row).toContain('✅ `webcrypto`');
    expect(row).toContain('❌ webcrypto 2/2, noble 1/2');
    expect(row).toContain('✅ 2/2');
    expect(row).toContain('10/11 (1 known gap, 1 file n/a)');
    expect(row.trim().endsWith('❌ |')).toBe(true);
    expect(md).toContain('**known gap**, `test/y.test.ts` › y z: a gap.');
    expect(md).toContain('- Deno, conformance [noble] `c1` (path): expected pass, got SigvetError X y: z');
  });
});

describe('docs/runtimes.md', () => {
  const file = path.join(REPO_ROOT, 'docs', 'runtimes.md');
  it.skipIf(!fs.existsSync(file))('is generated by the matrix and covers every configured runtime', () => {
    const md = fs.readFileSync(file, 'utf8');
    expect(md).toContain(report.GENERATED_MARKER);
    for (const r of config.RUNTIMES) expect(md, r.label).toMatch(new RegExp(`^\\| ${r.label} \\| ${r.version.replaceAll('.', '\\.')} \\|`, 'm'));
  });
});
