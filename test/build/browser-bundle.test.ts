/**
 * The web-facing build outputs must run where Node globals do not exist:
 * no `node:` imports, no `require`, no `Buffer`/`process`, and no dynamic
 * code evaluation (CSP-safe). Entry files are scanned together with every
 * chunk they import, since shared code lives in chunks.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DIST, REPO_ROOT, ensureBuild } from './ensure-build.js';
import { importSpecifiers } from './module-imports.js';

/** A forbidden construct: what it is and how to find it in bundled code. */
interface Rule {
  readonly name: string;
  readonly pattern: RegExp;
}

// Word-boundary lookbehinds keep `ArrayBuffer`, `x.eval(` (a method) or
// `preprocess.` from matching; `globalThis.process.` still does.
const RULES: readonly Rule[] = [
  { name: '`node:` import', pattern: /["'`]node:[a-z_/]+["'`]/g },
  { name: '`require(`', pattern: /(?<![\w$.])require\s*\(/g },
  { name: '`Buffer`', pattern: /(?<![\w$])Buffer(?![\w$])/g },
  { name: '`process.`', pattern: /(?<![\w$])process\s*\??\./g },
  { name: '`eval(`', pattern: /(?<![\w$.])eval\s*\(/g },
  { name: '`new Function`', pattern: /\bnew\s+Function\s*\(/g },
];

/** The entry plus every relative module it reaches (chunks), as absolute paths. */
function moduleGraph(entry: string): string[] {
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const spec of importSpecifiers(fs.readFileSync(file, 'utf8'))) {
      if (spec.startsWith('./') || spec.startsWith('../')) queue.push(path.resolve(path.dirname(file), spec));
    }
  }
  return [...seen];
}

/** Package names (not subpaths) of bare specifiers. */
function bareImports(files: readonly string[]): Set<string> {
  const names = new Set<string>();
  for (const file of files) {
    for (const spec of importSpecifiers(fs.readFileSync(file, 'utf8'))) {
      if (spec.startsWith('.') || spec.startsWith('/')) continue;
      const parts = spec.split('/');
      names.add(spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!);
    }
  }
  return names;
}

/** Every forbidden construct in one module's code, with a little context. */
function violationsIn(label: string, code: string): string[] {
  const found: string[] = [];
  for (const rule of RULES) {
    for (const match of code.matchAll(rule.pattern)) {
      const at = match.index;
      const line = code.slice(0, at).split('\n').length;
      const context = code.slice(Math.max(0, at - 40), at + 40).replace(/\s+/g, ' ');
      found.push(`${label}:${line}: ${rule.name} in "…${context}…"`);
    }
  }
  return found;
}

/** Every forbidden construct in the files. */
function violations(files: readonly string[]): string[] {
  return files.flatMap((file) => violationsIn(path.relative(REPO_ROOT, file), fs.readFileSync(file, 'utf8')));
}

const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
  dependencies?: Record<string, string>;
};
const runtimeDependencies = new Set(Object.keys(pkg.dependencies ?? {}));

describe('web build outputs carry no Node-only code', () => {
  beforeAll(async () => {
    await ensureBuild();
  }, 600_000);

  it('the rules catch what they should and ignore look-alikes', () => {
    const bad = [
      'import x from "node:crypto";',
      'const r = require("fs");',
      'Buffer.from(a);',
      'globalThis.process.env.X;',
      'eval("1");',
      'new Function("return 1");',
    ];
    for (const code of bad) expect(violationsIn('sample', code), code).toHaveLength(1);
    const harmless = ['new ArrayBuffer(8);', 'obj.eval(a);', 'preprocess.run();', 'x.require(y);', 'import "./node.js";'];
    for (const code of harmless) expect(violationsIn('sample', code), code).toEqual([]);
  });

  it('the import scanner finds static, side-effect, dynamic and re-export specifiers', () => {
    const code = [
      'import { a as b, c } from "./chunk-A.js";',
      'import * as ns from "@noble/hashes/sha2.js";',
      'import "./side-effect.js";',
      'export { x } from "./chunk-B.js";',
      'export * from "pkg/sub";',
      'const m = await import("./lazy.js");',
      'throw new Error("cannot import key from \'x\'");',
      '  x.import("./method.js");',
    ].join('\n');
    expect(importSpecifiers(code).sort()).toEqual(
      ['./chunk-A.js', '@noble/hashes/sha2.js', './side-effect.js', './chunk-B.js', 'pkg/sub', './lazy.js'].sort(),
    );
  });

  for (const entry of ['index.web.js', 'noble.js']) {
    it(`dist/${entry} and its chunks`, () => {
      const files = moduleGraph(path.join(DIST, entry));
      expect(files.length).toBeGreaterThan(0);
      expect(violations(files)).toEqual([]);
      // Bare imports must be declared runtime dependencies (resolvable by
      // the consumer's bundler); nothing else may sneak in.
      const undeclared = [...bareImports(files)].filter((name) => !runtimeDependencies.has(name));
      expect(undeclared).toEqual([]);
    });
  }

  it('dist/browser/sigvet.js is self-contained and Node-free', () => {
    const file = path.join(DIST, 'browser', 'sigvet.js');
    const files = moduleGraph(file);
    // Loadable from a plain <script type="module">: no chunks, no bare specifiers.
    expect(files).toEqual([file]);
    expect([...bareImports(files)]).toEqual([]);
    expect(violations(files)).toEqual([]);
  });
});
