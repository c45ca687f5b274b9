#!/usr/bin/env node
// Scenario 2, cold start, in fresh processes of the Node running this script:
//
// - library: import dist/index.node.js, createVerifier({ trustedRoot }),
//   the first verify, each phase timed inside a fresh process
//   (benchmarks/lib/cold-child.mjs); median of --runs processes per case;
// - CLI one-shot: wall time of `node dist/cli.js verify-bundle ...` against
//   `node -e 0`, the two alternating, ratio per pair;
// both without and (Node >= 22.1) with NODE_COMPILE_CACHE (a fresh cache
// directory, primed by one unmeasured run).
//
//   node benchmarks/cold.bench.mjs [--runs N] [--quick]
//   ~/.cache/.../node22/bin/node benchmarks/cold.bench.mjs   (the Node 22 target)

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadBundles } from './lib/cases.mjs';
import { BENCH_DIR, DIST_CLI, DIST_NODE_ENTRY, nodeRuntimeId, nodeRuntimeInfo, parseOptions, writeScenario } from './lib/env.mjs';
import { fmt, median, nowNs, round, roundRatios, roundSpread, spread, table } from './lib/stats.mjs';

const opts = parseOptions(
  process.argv.slice(2),
  { runs: { type: 'number', default: 15, help: 'fresh processes per case and variant' } },
  'usage: node benchmarks/cold.bench.mjs [options]',
);
if (opts.quick) opts.runs = Math.min(opts.runs, 3);
const started = Date.now();

const [major, minor] = process.versions.node.split('.').map(Number);
const compileCacheAvailable = major > 22 || (major === 22 && minor >= 1);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sigvet-cold-'));

const bundles = loadBundles();
/** One certificate bundle per family (Rekor v1, Rekor v2), preferring the conformance suite. */
const cases = ['rekor-v1', 'rekor-v2']
  .map((f) => bundles.find((b) => b.kind.family === f && b.name === 'happy-path-v0.3') ?? bundles.find((b) => b.kind.family === f))
  .filter(Boolean);
if (cases.length === 0) {
  process.stderr.write('cold: no bundles found\n');
  process.exit(1);
}

const variants = [{ key: 'plain', env: {} }];
if (compileCacheAvailable) variants.push({ key: 'compileCache', env: { NODE_COMPILE_CACHE: path.join(tmp, 'compile-cache') } });

function childEnv(extra) {
  const env = { ...process.env, ...extra };
  // The measured processes must not inherit a cache (or a loader) from the shell.
  if (!('NODE_COMPILE_CACHE' in extra)) delete env.NODE_COMPILE_CACHE;
  delete env.NODE_OPTIONS;
  return env;
}

function run(args, env) {
  const t0 = nowNs();
  const r = spawnSync(process.execPath, args, { env: childEnv(env), encoding: 'utf8', maxBuffer: 16 * 2 ** 20 });
  const wallMs = (nowNs() - t0) / 1e6;
  return { ...r, wallMs };
}

// ---------------------------------------------------------------- library phases

const library = [];
for (const b of cases) {
  const caseFile = path.join(tmp, `${b.name}.json`);
  fs.writeFileSync(
    caseFile,
    JSON.stringify({ trustedRoot: b.paths.trustedRoot, bundle: b.paths.bundle, artifact: b.paths.artifact, key: b.paths.key, identity: b.identity }),
  );
  const child = [path.join(BENCH_DIR, 'lib', 'cold-child.mjs'), DIST_NODE_ENTRY, caseFile];
  const samples = Object.fromEntries(variants.map((v) => [v.key, []]));
  for (const v of variants) if (v.key === 'compileCache') run(child, v.env); // prime the cache
  for (let i = 0; i < opts.runs; i++) {
    for (let k = 0; k < variants.length; k++) {
      const v = variants[(i + k) % variants.length];
      const r = run(child, v.env);
      if (r.status !== 0) throw new Error(`cold: the child failed for ${b.id} (${v.key}):\n${r.stderr}`);
      samples[v.key].push(JSON.parse(r.stdout.trim().split('\n').pop()));
    }
  }
  const phases = ['importMs', 'createVerifierMs', 'firstVerifyMs', 'libraryMs', 'nodeBootstrapMs', 'importCpuMs', 'createVerifierCpuMs', 'firstVerifyCpuMs', 'libraryCpuMs'];
  const byVariant = {};
  for (const v of variants) {
    byVariant[v.key] = Object.fromEntries(phases.map((p) => [p, roundSpread(spread(samples[v.key].map((s) => s[p])), 2)]));
  }
  library.push({ id: b.id, family: b.kind.family, runs: opts.runs, ...byVariant });
}

// ---------------------------------------------------------------- CLI one-shot

const cliCase = cases[0];
const cliArgs = [
  DIST_CLI,
  'verify-bundle',
  '--bundle',
  cliCase.paths.bundle,
  ...(cliCase.keyPem ? ['--key', cliCase.paths.key] : ['--certificate-identity', cliCase.identity.subjectAlternativeName, '--certificate-oidc-issuer', cliCase.identity.issuer]),
  '--trusted-root',
  cliCase.paths.trustedRoot,
  cliCase.paths.artifact,
];
const baselineArgs = ['-e', '0'];
const cli = { case: cliCase.id, command: `node dist/cli.js verify-bundle ... (${cliCase.name})`, baseline: 'node -e 0', runs: opts.runs };
for (const v of variants) {
  if (v.key === 'compileCache') run(cliArgs, v.env);
  const base = [];
  const one = [];
  for (let i = 0; i < opts.runs; i++) {
    // Alternate which goes first, so neither always follows the other.
    const order = i % 2 === 0 ? ['base', 'cli'] : ['cli', 'base'];
    for (const w of order) {
      const r = run(w === 'base' ? baselineArgs : cliArgs, v.env);
      if (r.status !== 0) throw new Error(`cold: ${w === 'base' ? 'node -e 0' : 'the CLI'} exited ${r.status}:\n${r.stderr}`);
      (w === 'base' ? base : one).push(r.wallMs);
    }
  }
  cli[v.key] = {
    baselineMs: roundSpread(spread(base), 2),
    cliMs: roundSpread(spread(one), 2),
    overheadMs: round(median(one) - median(base), 2),
    ratio: roundSpread(spread(roundRatios(one, base)), 3),
  };
}
fs.rmSync(tmp, { recursive: true, force: true });

// ---------------------------------------------------------------- results

const runtimeId = nodeRuntimeId();
const primary = runtimeId === 'node22';
const libPlain = library[0].plain.libraryMs.median;
const libCache = library[0].compileCache?.libraryMs.median ?? null;
const targets = [
  {
    id: 'cold.library',
    description: `Cold start (${process.version}): import + trusted-root load + first verify at most 8 ms of library work (${library[0].id})`,
    limit: '<= 8 ms',
    measured: round(libPlain, 2),
    withCompileCache: libCache === null ? null : round(libCache, 2),
    cpuMs: library[0].plain.libraryCpuMs.median,
    met: libPlain <= 8,
    primary,
  },
  {
    id: 'cold.cli',
    description: `CLI one-shot (${process.version}): sigvet verify-bundle at most 1.3× the wall time of node -e 0`,
    limit: '<= 1.3',
    measured: cli.plain.ratio.median,
    withCompileCache: cli.compileCache?.ratio.median ?? null,
    met: cli.plain.ratio.median <= 1.3,
    primary,
  },
];
const file = writeScenario({
  resultsDir: opts.resultsDir,
  runtimeId,
  runtime: nodeRuntimeInfo(),
  name: 'cold',
  quick: opts.quick,
  data: {
    status: 'ok',
    unit: 'ms (min / median / max over fresh processes)',
    compileCache: compileCacheAvailable ? 'NODE_COMPILE_CACHE (primed by one unmeasured run)' : `not available on ${process.version}`,
    library,
    cli,
    targets,
    durationS: round((Date.now() - started) / 1000, 1),
  },
});

const out = [`cold: ${process.version}, ${opts.runs} fresh processes per case and variant; ms, medians (min–max)`, ''];
const cell = (s) => (s ? `${fmt(s.median, 2)} (${fmt(s.min, 2)}–${fmt(s.max, 2)})` : 'n/a');
out.push(
  table(
    ['case', 'variant', 'import', 'createVerifier', 'first verify', 'library total', 'library CPU', 'node bootstrap'],
    library.flatMap((l) => variants.map((v) => [l.id, v.key, cell(l[v.key].importMs), cell(l[v.key].createVerifierMs), cell(l[v.key].firstVerifyMs), cell(l[v.key].libraryMs), cell(l[v.key].libraryCpuMs), cell(l[v.key].nodeBootstrapMs)])),
    ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r'],
  ),
);
out.push('');
out.push(
  table(
    ['CLI one-shot', 'node -e 0 ms', 'sigvet verify-bundle ms', 'overhead ms', 'ratio'],
    variants.map((v) => [v.key, cell(cli[v.key].baselineMs), cell(cli[v.key].cliMs), fmt(cli[v.key].overheadMs, 1), `${fmt(cli[v.key].ratio.median, 3)}× (${fmt(cli[v.key].ratio.min, 2)}–${fmt(cli[v.key].ratio.max, 2)})`]),
    ['l', 'r', 'r', 'r', 'r'],
  ),
);
out.push('');
for (const t of targets) out.push(`target ${t.met ? 'MET  ' : 'UNMET'} ${t.description}: ${fmt(t.measured, 2)}${t.withCompileCache !== null ? ` (with compile cache ${fmt(t.withCompileCache, 2)})` : ''}${primary ? '' : ' [the target is set for Node 22]'}`);
out.push(`\nwrote ${path.relative(process.cwd(), file)} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.stdout.write(out.join('\n') + '\n');
