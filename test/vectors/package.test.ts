/**
 * test-vectors/ is also its own npm package (sigvet-test-vectors), so other
 * Sigstore implementations can install the vectors and the runner without
 * sigvet. Checks what `npm pack` would publish from that folder.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dir = path.join(repoRoot, 'test-vectors');

let packed: Set<string>;
let manifest: Record<string, any>;

beforeAll(() => {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  const [info] = JSON.parse(out.slice(out.indexOf('['))) as [{ files: { path: string }[] }];
  packed = new Set(info.files.map((f) => f.path));
  manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
}, 120_000);

describe('sigvet-test-vectors (the test-vectors folder as a package)', () => {
  it('has the name, version and runner bin other projects install', () => {
    const main = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
    expect(manifest.name).toBe('sigvet-test-vectors');
    expect(manifest.version).toBe(main.version);
    expect(manifest.bin).toEqual({ 'sigvet-test-vectors': './run.mjs' });
    expect(manifest.dependencies ?? {}).toEqual({});
    expect(fs.readFileSync(path.join(dir, 'run.mjs'), 'utf8').startsWith('#!/usr/bin/env node')).toBe(true);
  });

  it('ships every file of every case CASES.json lists, the manifests and the runner', () => {
    for (const f of ['package.json', 'CASES.json', 'README.md', 'run.mjs', 'policy/README.md', 'oci/CASES.json']) expect(packed, f).toContain(f);
    const cases = JSON.parse(fs.readFileSync(path.join(dir, 'CASES.json'), 'utf8'));
    const list: { name?: string; path?: string }[] = Array.isArray(cases) ? cases : cases.cases;
    expect(list.length).toBeGreaterThan(100);
    let files = 0;
    for (const c of list) {
      const caseDir = c.path ?? c.name!;
      for (const f of fs.readdirSync(path.join(dir, caseDir))) {
        expect(packed, `${caseDir}/${f}`).toContain(`${caseDir}/${f}`);
        files++;
      }
    }
    expect(files).toBeGreaterThan(list.length * 3);
  });

  it('ships nothing else: no node_modules, no sigvet sources', () => {
    for (const p of packed) {
      expect(p).not.toMatch(/(^|\/)node_modules\//);
      expect(p).not.toMatch(/\.(ts|cjs)$/);
    }
  });
});
