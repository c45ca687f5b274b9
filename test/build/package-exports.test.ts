/**
 * The package as consumers see it: every path package.json names exists
 * after the build, Node's resolver picks the intended build for each
 * runtime condition, ESM and CJS builds expose the same API, and the CLI
 * is a single executable file.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { DIST, REPO_ROOT, ensureBuild } from './ensure-build.js';
import { importSpecifiers } from './module-imports.js';

type ExportTarget = string | { [condition: string]: ExportTarget };

const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
  name: string;
  main: string;
  module: string;
  types: string;
  bin: Record<string, string>;
  exports: Record<string, ExportTarget>;
};

/** Every file path in an exports target, with the condition chain leading to it. */
function targets(target: ExportTarget, chain: string[] = []): Array<{ chain: string; file: string }> {
  if (typeof target === 'string') return [{ chain: chain.join(' > ') || '(string)', file: target }];
  return Object.entries(target).flatMap(([condition, inner]) => targets(inner, [...chain, condition]));
}

/** Runs Node in the repository (so `sigvet` self-resolves) and returns stdout. */
function node(args: string[]): string {
  return execFileSync(process.execPath, args, { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
}

/** Resolves `specifier` as ESM under extra conditions; returns the path relative to the repo. */
function resolveImport(specifier: string, conditions: string[] = []): string {
  const url = node([
    ...conditions.map((c) => `--conditions=${c}`),
    '--input-type=module',
    '-e',
    `console.log(import.meta.resolve(${JSON.stringify(specifier)}))`,
  ]);
  return path.relative(REPO_ROOT, new URL(url).pathname);
}

function resolveRequire(specifier: string): string {
  return path.relative(REPO_ROOT, node(['-e', `console.log(require.resolve(${JSON.stringify(specifier)}))`]));
}

/** Export names of a built file, loaded by plain Node (not vitest's loader). */
function exportNames(file: string): string[] {
  const script = file.endsWith('.cjs')
    ? `console.log(JSON.stringify(Object.keys(require(${JSON.stringify(file)})).sort()))`
    : `const m = await import(${JSON.stringify(pathToFileURL(file).href)}); console.log(JSON.stringify(Object.keys(m).sort()))`;
  return JSON.parse(node(file.endsWith('.cjs') ? ['-e', script] : ['--input-type=module', '-e', script]));
}

describe('package.json ↔ dist', () => {
  beforeAll(async () => {
    await ensureBuild();
  }, 600_000);

  it('every path named by exports, main, module, types and bin exists', () => {
    const named = [
      ...Object.entries(pkg.exports).flatMap(([subpath, target]) =>
        targets(target).map((t) => ({ what: `exports["${subpath}"] ${t.chain}`, file: t.file })),
      ),
      { what: 'main', file: pkg.main },
      { what: 'module', file: pkg.module },
      { what: 'types', file: pkg.types },
      ...Object.entries(pkg.bin).map(([name, file]) => ({ what: `bin.${name}`, file })),
    ];
    expect(named.length).toBeGreaterThan(10);
    const missing = named.filter((n) => !fs.existsSync(path.join(REPO_ROOT, n.file))).map((n) => `${n.what}: ${n.file}`);
    expect(missing).toEqual([]);
  });

  it('Node picks the node:crypto build; browsers, workers, Deno and Bun the WebCrypto build', () => {
    expect(resolveImport(pkg.name)).toBe('dist/index.node.js');
    expect(resolveRequire(pkg.name)).toBe('dist/index.node.cjs');
    for (const condition of ['browser', 'worker', 'deno', 'bun']) {
      expect(resolveImport(pkg.name, [condition]), condition).toBe('dist/index.web.js');
    }
    expect(resolveImport(`${pkg.name}/noble`)).toBe('dist/noble.js');
    expect(resolveRequire(`${pkg.name}/noble`)).toBe('dist/noble.cjs');
    expect(resolveImport(`${pkg.name}/package.json`)).toBe('package.json');
  });

  it('the Node and web builds, ESM and CJS, expose the same API but for their crypto provider', () => {
    const nodeEsm = exportNames(path.join(DIST, 'index.node.js'));
    const webEsm = exportNames(path.join(DIST, 'index.web.js'));
    for (const name of ['createVerifier', 'createVerifierWith', 'SigvetError', 'isSigvetError']) {
      expect(nodeEsm).toContain(name);
    }
    // Each runtime build adds exactly its own provider to the shared API
    // (and Node its file-path artifact helper).
    expect(nodeEsm.filter((n) => !webEsm.includes(n)).sort()).toEqual(['fileArtifact', 'nodeCryptoProvider']);
    expect(webEsm.filter((n) => !nodeEsm.includes(n))).toEqual(['webCryptoProvider']);
    expect(exportNames(path.join(DIST, 'index.node.cjs'))).toEqual(nodeEsm);
    expect(exportNames(path.join(DIST, 'index.web.cjs'))).toEqual(webEsm);
    expect(exportNames(path.join(DIST, 'browser', 'sigvet.js'))).toEqual(webEsm);
  });

  it('sigvet/noble exports nobleProvider in ESM and CJS', () => {
    const esm = exportNames(path.join(DIST, 'noble.js'));
    expect(esm).toContain('nobleProvider');
    expect(exportNames(path.join(DIST, 'noble.cjs'))).toEqual(esm);
  });

  it('the Node entry is one self-contained file: it imports Node builtins only, no chunk or package', () => {
    for (const f of ['index.node.js', 'index.node.cjs']) {
      const code = fs.readFileSync(path.join(DIST, f), 'utf8');
      const specifiers = [...importSpecifiers(code), ...[...code.matchAll(/\brequire\(["']([^"']+)["']\)/g)].map((m) => m[1]!)];
      expect(specifiers, f).toContain('node:crypto');
      expect(specifiers.filter((s) => !s.startsWith('node:')), f).toEqual([]);
    }
  });

  it('SigvetError instanceof holds across copies: ESM and CJS, the Node entry and the other entries', () => {
    // Each copy throws; every copy's SigvetError and isSigvetError must claim the error.
    const out = node([
      '--input-type=module',
      '-e',
      `
      import { createRequire } from 'node:module';
      const require = createRequire(process.cwd() + '/');
      const copies = [
        await import('./dist/index.node.js'),
        require('./dist/index.node.cjs'),
        await import('./dist/index.web.js'),
        require('./dist/index.web.cjs'),
        await import('./dist/attestations.js'),
      ];
      const errors = [];
      for (const c of copies.slice(0, 4)) errors.push(await c.createVerifierWith({}, { trustedRoot: '{' }).then(() => null, (e) => e));
      errors.push((() => { try { copies[4].matchSubject(null); } catch (e) { return e; } })());
      const classes = copies.filter((c) => c.SigvetError).map((c) => c.SigvetError);
      const checks = copies.filter((c) => c.isSigvetError).map((c) => c.isSigvetError);
      console.log(JSON.stringify({
        distinctClasses: new Set(classes).size,
        codes: errors.map((e) => e && e.code),
        instanceOf: errors.every((e) => classes.every((C) => e instanceof C)),
        isSigvetError: errors.every((e) => checks.every((f) => f(e))),
        plainErrors: [new Error('x'), { code: 'TRUST_ROOT' }, null].some((e) => classes.some((C) => e instanceof C)),
      }));`,
    ]);
    const r = JSON.parse(out) as { distinctClasses: number; codes: unknown[]; instanceOf: boolean; isSigvetError: boolean; plainErrors: boolean };
    expect(r.distinctClasses).toBeGreaterThan(1); // the copies really are different classes
    expect(r.codes.every((c) => typeof c === 'string')).toBe(true);
    expect(r.instanceOf).toBe(true);
    expect(r.isSigvetError).toBe(true);
    expect(r.plainErrors).toBe(false);
  });

  it('the CLI is an executable ESM entry with a single hashbang, importing only builtins and its own chunks', () => {
    const cli = path.join(REPO_ROOT, pkg.bin.sigvet!);
    const code = fs.readFileSync(cli, 'utf8');
    expect(code.startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(code.match(/^#!/gm)).toHaveLength(1);
    expect(fs.statSync(cli).mode & 0o111).not.toBe(0);
    // Bundled: only Node builtins and the CLI's own lazily loaded chunks
    // (one per command) are imported at run time, never a package.
    const chunkDir = path.join(path.dirname(cli), 'cli-chunks');
    const files = [cli, ...fs.readdirSync(chunkDir).map((f) => path.join(chunkDir, f))];
    for (const f of files) {
      const specifiers = importSpecifiers(fs.readFileSync(f, 'utf8'));
      expect(specifiers.filter((s) => !s.startsWith('node:') && !/^\.\.?\/(cli-chunks\/)?[\w.-]+\.js$/.test(s)), f).toEqual([]);
    }
  });
});
