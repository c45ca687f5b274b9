/**
 * What `npm publish` would ship, read from `npm pack --dry-run --json`: only
 * the build, the JSON schemas and the package documents; every file the
 * manifest names is in it; nothing from the tests, the sources, the examples
 * or ../shared; no file is unexpectedly large. Also checks the manifest's
 * publishing fields (exports with types for every condition, sideEffects,
 * provenance).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtDist } from '../runtimes/built-dist.js';

/** One file of the dry-run tarball. */
interface PackedFile {
  path: string;
  size: number;
}

/** What may ship, by path pattern, and why. */
const ALLOWED: readonly { pattern: RegExp; why: string }[] = [
  { pattern: /^package\.json$/, why: 'the manifest' },
  { pattern: /^(README|LICENSE|CHANGELOG)(\.md)?$/, why: 'package documents' },
  { pattern: /^dist\/[\w.-]+\.(js|cjs|d\.ts|d\.cts)$/, why: 'the library build (entries, shared chunks, declarations)' },
  { pattern: /^dist\/lazy\/[\w.-]+\.(js|cjs|d\.ts|d\.cts)$/, why: 'the chunks the core loads on demand (timestamps, statements, the embedded root, RSA over a digest, SHA-384/512, noble)' },
  { pattern: /^dist\/cli-chunks\/[\w.-]+\.js$/, why: 'the CLI, one chunk per command' },
  { pattern: /^dist\/browser\/[\w.-]+\.js$/, why: 'the self-contained browser files' },
  { pattern: /^schemas\/[\w.-]+\.schema\.json$/, why: 'the JSON Schemas the validators were compiled from' },
  { pattern: /^schemas\/cli\/[\w.-]+\.schema\.json$/, why: 'the JSON Schemas of the CLI --json outputs' },
];

/** Never to be published, whatever `files` says; a clearer message than "not allowed". */
const FORBIDDEN = [
  /(^|\/)test(s)?\//,
  /\.test\.[cm]?[jt]s$/,
  /^src\//,
  /^examples\//,
  /^scripts\//,
  /^\.ci\//,
  /^\.changeset\//,
  /(^|\/)node_modules\//,
  /(^|\/)shared\//,
  /^dist\/browser-extension\//,
  /\.map$/,
  /\.tsbuildinfo$/,
];

/** Any one file above this is a mistake (the largest legitimate one is the CLI or the browser file). */
const MAX_FILE_BYTES = 1_500_000;

let files: PackedFile[] = [];
let manifest: any;

beforeAll(async () => {
  // The package directory holding the build under test (the repository, normally).
  const pkgDir = path.dirname(await builtDist());
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  // --ignore-scripts: the build is fresh; a prepack script must not rebuild under the test.
  const out = execFileSync(npm, ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: pkgDir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
  const [info] = JSON.parse(out.slice(out.indexOf('['))) as [{ files: PackedFile[] }];
  files = info.files;
  manifest = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
}, 10 * 60_000);

/** Every file path the manifest points at (exports leaves, main, module, types, bin). */
function namedFiles(m: any): string[] {
  const out = new Set<string>();
  const walk = (v: unknown) => {
    if (typeof v === 'string') {
      if (v.startsWith('./') && !v.includes('*')) out.add(v.slice(2));
    } else if (v && typeof v === 'object') for (const x of Object.values(v)) walk(x);
  };
  walk(m.exports);
  for (const k of ['main', 'module', 'types']) if (typeof m[k] === 'string') out.add(m[k].replace(/^\.\//, ''));
  const bins = typeof m.bin === 'string' ? [m.bin] : Object.values(m.bin ?? {});
  for (const b of bins) if (typeof b === 'string') out.add(b.replace(/^\.\//, ''));
  return [...out].sort();
}

describe('npm pack --dry-run', () => {
  it('ships only the build, the schemas and the package documents', () => {
    expect(files.length).toBeGreaterThan(10);
    const forbidden = files.filter((f) => FORBIDDEN.some((p) => p.test(f.path))).map((f) => f.path);
    expect(forbidden, 'files that must never be published').toEqual([]);
    const unexpected = files.filter((f) => !ALLOWED.some((a) => a.pattern.test(f.path))).map((f) => f.path);
    expect(unexpected, 'files outside the allowed set (extend ALLOWED with a reason if one belongs)').toEqual([]);
  });

  it('contains every file package.json names', () => {
    const packed = new Set(files.map((f) => f.path));
    const named = namedFiles(manifest);
    expect(named.length).toBeGreaterThan(8);
    expect(named.filter((f) => !packed.has(f))).toEqual([]);
  });

  it('has no oversized file', () => {
    expect(files.filter((f) => f.size > MAX_FILE_BYTES).map((f) => `${f.path} (${f.size} bytes)`)).toEqual([]);
  });

  it('ships a declaration file for every JavaScript entry and chunk it types', () => {
    const packed = new Set(files.map((f) => f.path));
    for (const f of namedFiles(manifest).filter((x) => /\.(c?js)$/.test(x) && x !== 'dist/cli.js')) {
      const dts = f.replace(/\.js$/, '.d.ts').replace(/\.cjs$/, '.d.cts');
      expect(packed.has(dts), `${f} has no ${dts}`).toBe(true);
    }
  });
});

describe('package.json publishing fields', () => {
  it('gives types for every condition of every export', () => {
    const missing: string[] = [];
    const walk = (v: unknown, where: string) => {
      if (!v || typeof v !== 'object') return;
      const o = v as Record<string, unknown>;
      // A leaf condition object picks a JavaScript file: it must say where its types are, first.
      if (typeof o.default === 'string' && o.default.endsWith('js')) {
        if (typeof o.types !== 'string') missing.push(where);
        else if (Object.keys(o)[0] !== 'types') missing.push(`${where} (types must come first)`);
        return;
      }
      for (const [k, x] of Object.entries(o)) walk(x, `${where} > ${k}`);
    };
    for (const [subpath, target] of Object.entries(manifest.exports as Record<string, unknown>)) {
      if (typeof target === 'string') {
        if (!target.endsWith('.json')) missing.push(subpath);
      } else walk(target, subpath);
    }
    expect(missing).toEqual([]);
  });

  it('offers ESM and CommonJS for every code entry', () => {
    for (const [subpath, target] of Object.entries(manifest.exports as Record<string, any>)) {
      if (typeof target === 'string') continue;
      const text = JSON.stringify(target);
      expect(text, subpath).toContain('"import"');
      expect(text, subpath).toContain('"require"');
    }
  });

  it('is side-effect free, ESM first, and ready for provenance', () => {
    expect(manifest.sideEffects).toBe(false);
    expect(manifest.type).toBe('module');
    expect(manifest.publishConfig).toMatchObject({ access: 'public', provenance: true });
    // The release workflow may mint the OIDC token provenance is signed with,
    // and fills `repository` from the run (npm requires it to match).
    const workflow = fs.readFileSync(new URL('../../.github/workflows/release.yml', import.meta.url), 'utf8');
    expect(workflow).toMatch(/id-token:\s*write/);
    expect(workflow).toMatch(/npm pkg set repository\.type=git "repository\.url=git\+https:\/\/github\.com\/\$\{GITHUB_REPOSITORY\}\.git"/);
    expect(workflow).toMatch(/NPM_CONFIG_PROVENANCE: 'true'/);
    expect(manifest.engines?.node).toMatch(/>=\s*20/);
    expect(manifest.license).toBeTruthy();
  });
});
