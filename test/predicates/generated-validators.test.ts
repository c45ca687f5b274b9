/**
 * The schema validators are compiled at build time (scripts/compile-schemas.mjs)
 * into src/schemas-generated/validators.js, which is committed. These tests
 * keep that file honest: it is what the schemas compile to today, it
 * evaluates no code at run time and imports nothing, and every published
 * schema is documented, named after its file and compiled.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as generated from '../../src/schemas-generated/validators.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const GENERATED = path.join(REPO, 'src/schemas-generated/validators.js');
const SCHEMAS = path.join(REPO, 'schemas');
const code = fs.readFileSync(GENERATED, 'utf8');

describe('src/schemas-generated/validators.js', () => {
  it('is up to date with schemas/ (npm run schemas regenerates it)', () => {
    const r = spawnSync(process.execPath, [path.join(REPO, 'scripts/compile-schemas.mjs'), '--check'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  }, 60_000);

  it('contains no run-time code generation and no imports', () => {
    const forbidden: [string, RegExp][] = [
      ['new Function', /\bnew\s+Function\b/],
      ['Function(', /(?<![\w$.])Function\s*\(/],
      ['eval(', /(?<![\w$.])eval\s*\(/],
      ['setTimeout with a string', /setTimeout\s*\(\s*["'`]/],
      ['require(', /(?<![\w$.])require\s*\(/],
      ['import', /^\s*import\b|(?<![\w$.])import\s*\(/m],
    ];
    for (const [name, re] of forbidden) expect(re.test(code), name).toBe(false);
    // The scan itself finds what it looks for.
    expect(/\bnew\s+Function\b/.test('x = new Function("return 1")')).toBe(true);
    expect(/(?<![\w$.])eval\s*\(/.test('eval("1")')).toBe(true);
  });

  it('exports one validator per compiled schema with a root, and they run', () => {
    const names = Object.keys(generated).filter((n) => n.startsWith('validate'));
    // Every compiled schema but the definitions-only field types.
    expect(names).toHaveLength(generated.SCHEMA_FILES.length - 1);
    for (const f of generated.SCHEMA_FILES) expect(fs.existsSync(path.join(SCHEMAS, f)), f).toBe(true);
    for (const n of names) {
      const v = (generated as unknown as Record<string, (d: unknown) => boolean>)[n]!;
      expect(v('not an object'), n).toBe(false);
    }
  });

  it('reports JSON Pointers in instancePath', () => {
    const v = generated.validateSlsaProvenanceV1;
    expect(v({ buildDefinition: { buildType: 'https://b.example/t' }, runDetails: { builder: { id: 'no scheme' } } })).toBe(false);
    expect(v.errors?.map((e) => e.instancePath)).toEqual(['/runDetails/builder/id']);
    expect(generated.validateIntotoDigestSetV1({ 'a/b': 1 })).toBe(false);
    expect(generated.validateIntotoDigestSetV1.errors?.[0]?.instancePath).toBe('/a~1b');
  });
});

describe('schemas/ (the attestation schemas)', () => {
  const files = generated.SCHEMA_FILES;

  it.each(files)('%s is a documented draft-07 schema whose $id is its file name', (file) => {
    const s = JSON.parse(fs.readFileSync(path.join(SCHEMAS, file), 'utf8')) as Record<string, unknown>;
    expect(s.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(s.$id).toBe(file);
    expect(typeof s.title).toBe('string');
    expect(String(s.description).length).toBeGreaterThan(40);
    // Every $ref names a compiled schema file (so the directory is usable on its own).
    for (const m of JSON.stringify(s).matchAll(/"\$ref":"([^"#]*)(#[^"]*)?"/g)) {
      if (m[1]) expect(files, m[1]).toContain(m[1]);
    }
  });

  it('are shipped in the package (package.json files lists schemas)', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { files: string[] };
    expect(pkg.files).toContain('schemas');
    const packed = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const listed = (JSON.parse(packed) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
    for (const f of files) expect(listed).toContain(`schemas/${f}`);
  }, 60_000);
});
