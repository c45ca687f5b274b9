// Shared plumbing for the benchmark scenarios: where things are, which
// runtime and machine a run is on, command-line options, and the results
// file every scenario merges its section into.
//
// Results: <results dir>/<runtime>.json (runtime = node20, node22, node24,
// chromium), one object with the machine, the runtime's versions and one
// entry per scenario under `scenarios`, each with its own date and mode.
// scripts/bench-report.mjs renders docs/performance.md from these files.

import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Absolute path of the repository. */
export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BENCH_DIR = path.join(REPO, 'benchmarks');
/** The build the repository's tests and CLI use. */
export const REPO_DIST = path.join(REPO, 'dist');
/**
 * The build measured: $SIGVET_BENCH_DIST when set (benchmarks/run.mjs sets
 * it to a snapshot of dist/, so a rebuild by other work on the tree during
 * a run cannot pull files from under a scenario), else dist/.
 */
export const DIST = process.env.SIGVET_BENCH_DIST ? path.resolve(process.env.SIGVET_BENCH_DIST) : REPO_DIST;
export const DIST_NODE_ENTRY = path.join(DIST, 'index.node.js');
export const DIST_CLI = path.join(DIST, 'cli.js');
export const DIST_BROWSER = path.join(DIST, 'browser', 'sigvet.js');
/** Where run.mjs keeps its snapshot: under benchmarks/, named dist so git ignores it. */
export const SNAPSHOT_DIR = path.join(BENCH_DIR, '.cache', 'dist');
export const DEFAULT_RESULTS_DIR = path.join(BENCH_DIR, 'results');
export const RESULTS_SCHEMA = 'sigvet-bench-results/v1';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------- options

/**
 * Parses `argv` against `spec` ({ name: { type: 'number' | 'string' | 'boolean', default, help } }).
 * Every scenario takes --quick and --results-dir; unknown options are errors.
 */
export function parseOptions(argv, spec, usageLine) {
  const all = {
    quick: { type: 'boolean', default: false, help: 'smoke mode: tiny sizes, checks that it runs' },
    'results-dir': { type: 'string', default: process.env.SIGVET_BENCH_RESULTS || DEFAULT_RESULTS_DIR, help: 'where <runtime>.json is written' },
    ...spec,
  };
  const out = {};
  for (const [k, s] of Object.entries(all)) out[camel(k)] = s.default;
  const usage = (msg) => {
    const lines = [usageLine, '', 'options:'];
    for (const [k, s] of Object.entries(all)) {
      lines.push(`  --${k}${s.type === 'boolean' ? '' : ` <${s.type}>`}`.padEnd(30) + `${s.help ?? ''}${s.default !== undefined && s.type !== 'boolean' ? ` (default ${s.default})` : ''}`);
    }
    (msg ? process.stderr : process.stdout).write(`${msg ? `${msg}\n` : ''}${lines.join('\n')}\n`);
    process.exit(msg ? 2 : 0);
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-h' || a === '--help') usage(null);
    if (!a.startsWith('--')) usage(`unexpected argument ${a}`);
    let name = a.slice(2);
    let value;
    const eq = name.indexOf('=');
    if (eq >= 0) {
      value = name.slice(eq + 1);
      name = name.slice(0, eq);
    }
    if (name.startsWith('no-') && all[name.slice(3)]?.type === 'boolean') {
      out[camel(name.slice(3))] = false;
      continue;
    }
    const s = all[name];
    if (!s) usage(`unknown option --${name}`);
    if (s.type === 'boolean') {
      out[camel(name)] = value === undefined ? true : value !== 'false';
      continue;
    }
    if (value === undefined) {
      if (i + 1 >= argv.length) usage(`--${name} needs a value`);
      value = argv[++i];
    }
    if (s.type === 'number') {
      const n = Number(value);
      if (!Number.isFinite(n)) usage(`--${name} must be a number`);
      out[camel(name)] = n;
    } else {
      out[camel(name)] = value;
    }
  }
  out.resultsDir = path.resolve(out.resultsDir);
  return out;
}

function camel(k) {
  return k.replace(/-([a-z])/g, (_, c) => c.toUpperCase());
}

// ---------------------------------------------------------------- runtime, machine, build

/** `node20`, `node22`, ...: the results file of this process's runtime. */
export function nodeRuntimeId(version = process.version) {
  return `node${version.replace(/^v/, '').split('.')[0]}`;
}

/** The versions that matter for crypto and JIT. */
export function nodeRuntimeInfo() {
  const v = process.versions;
  return { id: nodeRuntimeId(), name: 'node', version: process.version, v8: v.v8, openssl: v.openssl, uv: v.uv, execPath: process.execPath };
}

/** The machine, as far as the numbers depend on it. Load is sampled now: the machine is shared. */
export function machineInfo() {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    availableParallelism: typeof os.availableParallelism === 'function' ? os.availableParallelism() : cpus.length,
    cpuModel: cpus[0]?.model?.trim() ?? 'unknown',
    cpuMHz: cpus[0]?.speed ?? null,
    totalMemoryMiB: Math.round(os.totalmem() / 2 ** 20),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    loadAverage1m: Number(os.loadavg()[0].toFixed(2)),
    uvThreadpoolSize: Number(process.env.UV_THREADPOOL_SIZE) || 4,
  };
}

let gitCache;
/** The commit of the tree being measured, and whether src/ has uncommitted changes. */
export function gitInfo() {
  if (gitCache !== undefined) return gitCache;
  try {
    const commit = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() !== '';
    gitCache = { commit, srcDirty: dirty };
  } catch {
    gitCache = { commit: null, srcDirty: null };
  }
  return gitCache;
}

function newestMtime(p) {
  const st = fs.statSync(p, { throwIfNoEntry: false });
  if (!st) return 0;
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const n of fs.readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, n)));
  return newest;
}

const REPO_OUTPUTS = ['index.node.js', 'cli.js', path.join('browser', 'sigvet.js')].map((p) => path.join(REPO_DIST, p));

/** True when every bench-relevant output of dist/ exists and is newer than src/. */
export function distIsFresh() {
  const outs = REPO_OUTPUTS.map((p) => fs.statSync(p, { throwIfNoEntry: false }));
  if (outs.some((s) => !s)) return false;
  return newestMtime(path.join(REPO, 'src')) <= Math.min(...outs.map((s) => s.mtimeMs));
}

/**
 * Makes sure dist/ exists. `build`: 'auto' builds when missing or older
 * than src/ (a failed rebuild of a stale tree falls back to the old build,
 * with a warning); 'never' only warns.
 */
export function ensureDist(build = 'auto', log = (s) => process.stderr.write(`${s}\n`)) {
  const missing = () => REPO_OUTPUTS.some((p) => !fs.existsSync(p));
  if (!missing() && distIsFresh()) return { built: false, fresh: true };
  if (build === 'never') {
    if (missing()) throw new Error('dist/ is missing: run `npm run build` first');
    log('bench: warning: dist/ is older than src/; measuring the old build (npm run build to refresh)');
    return { built: false, fresh: false };
  }
  log(`bench: dist/ is ${missing() ? 'missing' : 'older than src/'}; running npm run build`);
  const r = spawnSync('npm', ['run', 'build'], { cwd: REPO, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status === 0 && !missing()) return { built: true, fresh: true };
  if (missing()) throw new Error('bench: the build failed and there is no dist/ to measure');
  log('bench: warning: the build failed; measuring the existing (older) dist/');
  return { built: false, fresh: false };
}

function listing(dir, withMtime = true) {
  const out = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else {
        const st = fs.statSync(p);
        out.push(`${path.relative(dir, p)}:${st.size}${withMtime ? `:${st.mtimeMs}` : ''}`);
      }
    }
  };
  walk(dir);
  return out.sort().join('\n');
}

/**
 * Copies dist/ to {@link SNAPSHOT_DIR} and returns that path. Other work on
 * the tree rebuilds dist/ at any moment (a build empties it first); a copy
 * is taken only when dist/ is complete and did not change while copying.
 */
export async function snapshotDist(log = (s) => process.stderr.write(`${s}\n`)) {
  for (let attempt = 1; attempt <= 20; attempt++) {
    try {
      if (REPO_OUTPUTS.every((p) => fs.existsSync(p))) {
        const before = listing(REPO_DIST);
        await sleep(500);
        if (listing(REPO_DIST) === before) {
          fs.rmSync(SNAPSHOT_DIR, { recursive: true, force: true });
          fs.mkdirSync(path.dirname(SNAPSHOT_DIR), { recursive: true });
          fs.cpSync(REPO_DIST, SNAPSHOT_DIR, { recursive: true, preserveTimestamps: true });
          if (listing(REPO_DIST) === before && listing(SNAPSHOT_DIR, false) === listing(REPO_DIST, false)) return SNAPSHOT_DIR;
        }
      }
    } catch {
      // dist/ changed under the copy: try again
    }
    if (attempt === 1) log('bench: dist/ is being rebuilt; waiting for a complete build to snapshot');
    await sleep(1500);
  }
  throw new Error('bench: dist/ did not settle long enough to take a snapshot');
}

/** When dist/index.node.js was built (ISO), to tell results of old builds apart. */
export function distBuiltAt() {
  const st = fs.statSync(DIST_NODE_ENTRY, { throwIfNoEntry: false });
  return st ? new Date(st.mtimeMs).toISOString() : null;
}

/** Imports the Node build of sigvet. */
export async function importSigvet() {
  return import(pathToFileURL(DIST_NODE_ENTRY).href);
}

// ---------------------------------------------------------------- results

/** Path of a runtime's results file. */
export function resultsFile(resultsDir, runtimeId) {
  return path.join(resultsDir, `${runtimeId}.json`);
}

/** Reads a results file, or a fresh skeleton when it is absent or of another schema. */
export function readResults(file) {
  try {
    const r = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (r && r.schema === RESULTS_SCHEMA && r.scenarios && typeof r.scenarios === 'object') return r;
  } catch {
    // absent or unreadable: start over
  }
  return { schema: RESULTS_SCHEMA, scenarios: {} };
}

/**
 * Merges one scenario's section into <resultsDir>/<runtimeId>.json. The
 * runtime and machine blocks describe the latest writer (`runtime` may be
 * omitted to keep the one on file); each scenario keeps its own date, mode,
 * commit and runtime version.
 */
export function writeScenario({ resultsDir, runtimeId, runtime, name, quick, data }) {
  fs.mkdirSync(resultsDir, { recursive: true });
  const file = resultsFile(resultsDir, runtimeId);
  const r = readResults(file);
  const machine = machineInfo();
  const section = {
    date: new Date().toISOString(),
    mode: quick ? 'quick' : 'full',
    runtimeVersion: runtime?.version ?? r.runtime?.version ?? null,
    git: gitInfo(),
    distBuiltAt: distBuiltAt(),
    loadAverage1m: machine.loadAverage1m,
    ...data,
  };
  if (runtime) r.runtime = runtime;
  r.machine = machine;
  r.date = section.date;
  r.scenarios[name] = section;
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(r, null, 2) + '\n');
  fs.renameSync(tmp, file);
  return file;
}

/** Package versions of the contenders (dev dependencies). */
export function packageVersion(name) {
  try {
    return JSON.parse(fs.readFileSync(path.join(REPO, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return null;
  }
}

/** sigvet's own version. */
export function sigvetVersion() {
  return JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')).version;
}

