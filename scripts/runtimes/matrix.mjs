#!/usr/bin/env node
// The runtime matrix: for every runtime in scripts/runtimes/config.mjs
// (Node 20, 22, 24, Bun, Deno), against the BUILT and PACKED package:
//
//  1. the harness (harness.mjs) in that runtime: how it resolves `sigvet`
//     (ESM and CJS), which crypto provider it gets, and every case of the
//     shared conformance suite and of test-vectors/ through the API, with
//     the entry's provider and with sigvet/noble;
//  2. the same cases through the CLI (dist/cli.js run by that runtime), with
//     the shared conformance runner;
//  3. the vitest unit suite run by that runtime, less what does not apply
//     there (config.mjs says why). The Node running the matrix is left to
//     `npm test`, which runs the whole suite with it (--unit-current: here too).
//
// Then writes docs/runtimes.md and the raw results (<cache>/results.json).
//
//   node scripts/runtimes/matrix.mjs [--only id,id] [--skip-unit] [--skip-cli]
//                                    [--unit-current] [--no-docs] [--docs FILE]
//                                    [--results FILE] [--package DIR]
//   node scripts/runtimes/matrix.mjs --render RESULTS.json [--docs FILE]
//
// --render rewrites the page from a previous run's results (e.g. after a
// wording change), taking the exceptions' reasons from the current config.
//
// --package packs another checkout or a copy of the package (default: this
// repository), e.g. a snapshot of dist/ while the tree is being rebuilt.
//
// Needs `npm run build` first. Exit status 0 when every runtime passed.
// Plain Node (>= 20), no dependencies beyond the repository's own.

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ALWAYS_EXCLUDED, RUNTIMES, cacheDir, exceptionsFor } from './config.mjs';
import { ensureRuntime } from './install.mjs';
import { renderRuntimesMarkdown } from './report.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '..', '..');
const SHARED = path.resolve(REPO, '..', 'shared');
const RUNNER = path.join(SHARED, 'tools', 'conformance-run.mjs');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** Files the tarball must hold for the matrix to mean anything. */
const REQUIRED_FILES = ['package.json', 'dist/index.node.js', 'dist/index.node.cjs', 'dist/index.web.js', 'dist/index.web.cjs', 'dist/noble.js', 'dist/cli.js'];

/** Per-step time limits: generous for 2 cores, small next to CI's budget. */
const LIMITS = { harness: 5 * 60_000, cli: 5 * 60_000, unit: 10 * 60_000, npm: 10 * 60_000 };

function parseArgs(argv) {
  const o = { only: undefined, skipUnit: false, skipCli: false, unitCurrent: false, docs: path.join(REPO, 'docs', 'runtimes.md'), results: undefined, packageDir: REPO };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--only') o.only = new Set(val().split(','));
    else if (a === '--skip-unit') o.skipUnit = true;
    else if (a === '--skip-cli') o.skipCli = true;
    else if (a === '--unit-current') o.unitCurrent = true;
    else if (a === '--no-docs') o.docs = undefined;
    else if (a === '--docs') o.docs = path.resolve(val());
    else if (a === '--results') o.results = path.resolve(val());
    else if (a === '--package') o.packageDir = path.resolve(val());
    else if (a === '--render') o.render = path.resolve(val());
    else if (a === '-h' || a === '--help') {
      process.stdout.write('usage: matrix.mjs [--only id,id] [--skip-unit] [--skip-cli] [--unit-current] [--no-docs] [--docs FILE] [--results FILE] [--package DIR]\n');
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  if (o.only) {
    const known = new Set(RUNTIMES.map((r) => r.id));
    for (const id of o.only) if (!known.has(id)) throw new Error(`--only: unknown runtime ${id} (known: ${[...known].join(', ')})`);
  }
  return o;
}

const say = (s) => process.stdout.write(`${s}\n`);

/**
 * Runs a command with output to `logFile`; resolves to { code, timedOut }.
 * A step over its limit is killed with its process group.
 */
function run(cmd, args, { cwd, logFile, timeoutMs, env }) {
  return new Promise((resolve) => {
    const log = fs.openSync(logFile, 'w');
    fs.writeSync(log, `$ ${[cmd, ...args].join(' ')}\n(cwd ${cwd})\n\n`);
    const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', log, log], detached: true });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      fs.writeSync(log, `\ncannot start: ${err.message}\n`);
      fs.closeSync(log);
      resolve({ code: 127, timedOut });
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      fs.closeSync(log);
      resolve({ code: code ?? (signal ? 128 : 1), timedOut });
    });
  });
}

function tail(file, lines = 30) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * Packs the repository as npm would publish it and installs the tarball
 * into a fresh consumer project, so runtimes load exactly the published
 * files. Returns the consumer directory.
 */
function prepareConsumer(workDir, packageDir) {
  const dir = path.join(workDir, 'consumer');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  // Deno caches what it has read of CommonJS files under node_modules by path
  // and served a previous build's dist/lazy/*.cjs (requiring chunks of that
  // build) after the consumer was reinstalled at the same path: every run
  // gets its own, empty Deno cache.
  const denoDir = path.join(workDir, 'deno-cache');
  fs.rmSync(denoDir, { recursive: true, force: true });
  process.env.DENO_DIR = denoDir;
  // --ignore-scripts: dist/ is already built; nothing may rebuild it here.
  const pack = spawnSync(NPM, ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], {
    cwd: packageDir,
    encoding: 'utf8',
    timeout: LIMITS.npm,
  });
  if (pack.status !== 0) throw new Error(`npm pack failed:\n${pack.stdout}\n${pack.stderr}`);
  const [info] = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('[')));
  const packed = new Set(info.files.map((f) => f.path));
  const missing = REQUIRED_FILES.filter((f) => !packed.has(f));
  if (missing.length) throw new Error(`the packed tarball lacks ${missing.join(', ')} (is dist/ built, and not being rebuilt?)`);
  const manifest = {
    name: 'sigvet-runtime-consumer',
    private: true,
    type: 'module',
    dependencies: { sigvet: `file:./${info.filename}` },
  };
  fs.writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  // The dependencies come from npm's cache when the repository's install put them there.
  const install = spawnSync(NPM, ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], {
    cwd: dir,
    encoding: 'utf8',
    timeout: LIMITS.npm,
  });
  if (install.status !== 0) throw new Error(`npm install of the packed tarball failed:\n${install.stdout}\n${install.stderr}`);
  fs.copyFileSync(path.join(HERE, 'harness.mjs'), path.join(dir, 'harness.mjs'));
  return { dir, tarball: info.filename, files: info.files.length, version: info.version };
}

/** Suites the harness and the CLI run: name → folder with CASES.json. */
function suites() {
  const all = [
    { name: 'conformance', dir: path.join(SHARED, 'conformance') },
    { name: 'test-vectors', dir: path.join(REPO, 'test-vectors') },
  ];
  return all.filter((s) => {
    const found = fs.existsSync(path.join(s.dir, 'CASES.json'));
    if (!found) say(`note: ${s.name} skipped, ${path.relative(REPO, s.dir)}/CASES.json not found`);
    return found;
  });
}

/** Quotes one word for /bin/sh (the conformance runner passes --cli through a shell). */
function shellQuote(word) {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/** Sorts vitest's per-test results into passed, exceptions and unexpected failures. */
export function classifyUnitResults(report, runtimeId, repo = REPO, allExceptions = exceptionsFor(runtimeId)) {
  const exceptions = allExceptions.filter((e) => e.test !== undefined);
  const unit = { passed: 0, failed: 0, skipped: 0, notApplicable: [], gaps: [], fixedGaps: [], stale: [], unexpected: [] };
  const seen = new Map(exceptions.map((e) => [e, { matched: 0, failed: 0 }]));
  for (const file of report.testResults ?? []) {
    const rel = path.relative(repo, file.name).split(path.sep).join('/');
    const match = (fullName) => exceptions.find((e) => e.file === rel && fullName.includes(e.test));
    const assertions = file.assertionResults ?? [];
    for (const a of assertions) {
      const e = match(a.fullName);
      if (e) seen.get(e).matched++;
      if (a.status === 'passed') unit.passed++;
      else if (a.status === 'failed') {
        unit.failed++;
        const entry = { file: rel, test: a.fullName, pattern: e?.test, reason: e?.reason, message: String(a.failureMessages?.[0] ?? '').split('\n')[0].slice(0, 300) };
        if (!e) unit.unexpected.push(entry);
        else {
          seen.get(e).failed++;
          (e.kind === 'gap' ? unit.gaps : unit.notApplicable).push(entry);
        }
      } else unit.skipped++;
    }
    // A file that failed to load (or crashed) has no failed test to show for it.
    if (file.status === 'failed' && !assertions.some((a) => a.status === 'failed')) {
      unit.failed++;
      unit.unexpected.push({ file: rel, test: '(the file itself)', message: String(file.message ?? '').split('\n')[0].slice(0, 300) });
    }
  }
  for (const [e, s] of seen) {
    if (s.matched === 0) unit.stale.push({ file: e.file, test: e.test });
    else if (e.kind === 'gap' && s.failed === 0) unit.fixedGaps.push({ file: e.file, test: e.test });
  }
  return unit;
}

async function runUnit(runtime, bin, logDir, workDir) {
  const excluded = exceptionsFor(runtime.id).filter((e) => e.test === undefined);
  const out = path.join(workDir, `${runtime.id}-vitest.json`);
  fs.rmSync(out, { force: true });
  const vitest = path.join(REPO, 'node_modules', 'vitest', 'vitest.mjs');
  const args = ['run', ...[...ALWAYS_EXCLUDED, ...excluded.map((e) => e.file)].flatMap((p) => ['--exclude', p])];
  args.push('--reporter=dot', '--reporter=json', `--outputFile.json=${out}`);
  const [cmd, ...rest] = runtime.script(bin, vitest, args);
  const logFile = path.join(logDir, `${runtime.id}-unit.log`);
  const { code, timedOut } = await run(cmd, rest, { cwd: REPO, logFile, timeoutMs: LIMITS.unit, env: { NO_COLOR: '1', FORCE_COLOR: '0' } });
  const excludedFiles = excluded.map((e) => ({ file: e.file, reason: e.reason }));
  if (!fs.existsSync(out)) {
    return { ok: false, error: timedOut ? 'timed out' : `vitest exited ${code} without a report`, excludedFiles, logFile, notApplicable: [], gaps: [], fixedGaps: [], stale: [], unexpected: [], passed: 0, failed: 0, skipped: 0 };
  }
  const unit = classifyUnitResults(JSON.parse(fs.readFileSync(out, 'utf8')), runtime.id);
  unit.excludedFiles = excludedFiles;
  unit.logFile = logFile;
  unit.ok = unit.unexpected.length === 0 && unit.passed > 0 && !timedOut;
  if (timedOut) unit.error = 'timed out';
  return unit;
}

async function runCli(runtime, bin, consumer, suite, logDir, workDir) {
  const cli = path.join(consumer, 'node_modules', 'sigvet', 'dist', 'cli.js');
  const prefix = runtime.script(bin, cli).map(shellQuote).join(' ');
  const out = path.join(workDir, `${runtime.id}-cli-${suite.name}.json`);
  fs.rmSync(out, { force: true });
  const logFile = path.join(logDir, `${runtime.id}-cli-${suite.name}.log`);
  const args = [RUNNER, '--cases', suite.dir, '--cli', prefix, '--json', out, '--jobs', String(Math.max(1, Math.min(4, os.cpus().length)))];
  const { code, timedOut } = await run(process.execPath, args, { cwd: consumer, logFile, timeoutMs: LIMITS.cli });
  if (!fs.existsSync(out)) return { error: timedOut ? 'timed out' : `runner exited ${code}`, logFile };
  const report = JSON.parse(fs.readFileSync(out, 'utf8'));
  return { passed: report.summary.passed, failed: report.summary.failed, failingCases: report.summary.failing_cases, logFile };
}

async function runHarness(runtime, bin, consumer, suiteList, logDir, workDir) {
  const out = path.join(workDir, `${runtime.id}-harness.json`);
  fs.rmSync(out, { force: true });
  const logFile = path.join(logDir, `${runtime.id}-harness.log`);
  const args = [...suiteList.flatMap((s) => ['--suite', `${s.name}=${s.dir}`]), '--out', out];
  const [cmd, ...rest] = runtime.script(bin, path.join(consumer, 'harness.mjs'), args);
  const { code, timedOut } = await run(cmd, rest, { cwd: consumer, logFile, timeoutMs: LIMITS.harness });
  if (!fs.existsSync(out)) return { error: timedOut ? 'timed out' : `harness exited ${code}`, logFile };
  return { result: JSON.parse(fs.readFileSync(out, 'utf8')), logFile };
}

/** The package as the table names it: `sigvet@<version>`. */
function packageVersion() {
  return JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')).version;
}

/** Re-renders the page from saved results, with the exceptions' current reasons. */
function renderOnly(opts) {
  const results = JSON.parse(fs.readFileSync(opts.render, 'utf8'));
  for (const r of results.runtimes) {
    for (const list of ['notApplicable', 'gaps']) {
      for (const x of r.unit?.[list] ?? []) {
        const e = exceptionsFor(r.id).find((c) => c.file === x.file && c.test !== undefined && x.test.includes(c.test));
        if (e) x.reason = e.reason;
      }
    }
    for (const f of r.unit?.excludedFiles ?? []) {
      const e = exceptionsFor(r.id).find((c) => c.file === f.file && c.test === undefined);
      if (e) f.reason = e.reason;
    }
  }
  const out = opts.docs ?? path.join(REPO, 'docs', 'runtimes.md');
  fs.writeFileSync(out, renderRuntimesMarkdown(results));
  say(`wrote ${path.relative(REPO, out)} from ${opts.render}`);
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.render) return renderOnly(opts);
  const started = Date.now();
  if (!fs.existsSync(path.join(opts.packageDir, 'dist', 'cli.js'))) {
    process.stderr.write(`runtime matrix: ${path.join(opts.packageDir, 'dist')} not found; run \`npm run build\` first\n`);
    process.exit(2);
  }
  const workDir = path.join(cacheDir(), 'run');
  const logDir = path.join(workDir, 'logs');
  fs.rmSync(workDir, { recursive: true, force: true });
  fs.mkdirSync(logDir, { recursive: true });

  say(`runtime matrix: packing sigvet and installing it into ${path.join(workDir, 'consumer')}`);
  let consumer;
  // A build running elsewhere in the tree (a developer's watch, a test's
  // rebuild) may empty dist/ for a moment: try again before failing.
  for (let attempt = 1; ; attempt++) {
    try {
      consumer = prepareConsumer(workDir, opts.packageDir);
      break;
    } catch (err) {
      if (attempt >= 3) throw err;
      say(`  ${err.message.split('\n')[0]}; retrying in 10 s`);
      await new Promise((resolve) => setTimeout(resolve, 10_000));
    }
  }
  say(`  ${consumer.tarball}: ${consumer.files} files`);
  const suiteList = suites();
  const cliAvailable = fs.existsSync(RUNNER);
  if (!cliAvailable) say(`note: CLI conformance skipped, ${path.relative(REPO, RUNNER)} not found`);

  const results = {
    startedAt: new Date(started).toISOString(),
    finishedAt: '',
    machine: `${os.type()} ${os.arch()}, ${os.cpus().length} CPU(s)`,
    packageVersion: consumer.version,
    suites: {
      conformance: suiteList.some((s) => s.name === 'conformance') ? readTitle(path.join(SHARED, 'conformance')) : undefined,
      'test-vectors': suiteList.some((s) => s.name === 'test-vectors') ? readTitle(path.join(REPO, 'test-vectors')) : undefined,
    },
    runtimes: [],
    durationMs: 0,
  };

  for (const runtime of RUNTIMES) {
    if (opts.only && !opts.only.has(runtime.id)) continue;
    const t0 = Date.now();
    const row = { id: runtime.id, label: runtime.label, expectedProvider: runtime.expectedProvider, expectedEntry: runtime.expectedEntry, ok: false };
    results.runtimes.push(row);
    say(`\n== ${runtime.label}`);
    let bin;
    try {
      const got = ensureRuntime(runtime, { log: (s) => say(`  ${s}`) });
      bin = got.bin;
      row.version = got.version;
      row.source = got.source;
      say(`  ${got.version} (${got.source})`);
    } catch (err) {
      row.installError = err.message;
      say(`  FAILED to install: ${err.message}`);
      row.durationMs = Date.now() - t0;
      continue;
    }

    const problems = [];
    const h = await runHarness(runtime, bin, consumer.dir, suiteList, logDir, workDir);
    if (h.error) {
      row.harnessError = h.error;
      problems.push(`harness: ${h.error}\n${tail(h.logFile)}`);
    } else {
      row.harness = h.result;
      const r = h.result;
      if (r.esm.entry !== runtime.expectedEntry.esm) problems.push(`import resolved ${r.esm.entry}, expected ${runtime.expectedEntry.esm}`);
      if (r.esm.provider !== runtime.expectedProvider) problems.push(`provider ${r.esm.provider}, expected ${runtime.expectedProvider}`);
      if (r.cjs.entry !== runtime.expectedEntry.cjs || !r.cjs.sameApi) problems.push(`require resolved ${r.cjs.entry} (same API as ESM: ${r.cjs.sameApi}), expected ${runtime.expectedEntry.cjs}`);
      for (const [suite, s] of Object.entries(r.suites)) {
        for (const [provider, t] of Object.entries(s.providers)) {
          say(`  API ${suite} [${provider}]: ${t.passed} passed, ${t.failed} failed`);
          if (t.failed) problems.push(`API ${suite} [${provider}]: ${t.failed} failed\n${tail(h.logFile)}`);
        }
      }
      say(`  import -> ${r.esm.entry} (${r.esm.provider}); require -> ${r.cjs.entry} (${r.cjs.provider})`);
    }

    if (!opts.skipCli && cliAvailable) {
      row.cli = {};
      for (const suite of suiteList) {
        const c = await runCli(runtime, bin, consumer.dir, suite, logDir, workDir);
        row.cli[suite.name] = c;
        if (c.error) problems.push(`CLI ${suite.name}: ${c.error}\n${tail(c.logFile)}`);
        else {
          say(`  CLI ${suite.name}: ${c.passed} passed, ${c.failed} failed`);
          if (c.failed) problems.push(`CLI ${suite.name}: failing cases ${c.failingCases.join(', ')}\n${tail(c.logFile)}`);
        }
      }
    }

    if (!opts.skipUnit && runtime.useCurrent() && !opts.unitCurrent) {
      // The Node running the matrix is the Node `npm test` runs the suite with.
      row.unit = { deferred: 'npm test', ok: true };
      say('  unit: run by `npm test` on this Node (--unit-current runs them here too)');
    } else if (!opts.skipUnit) {
      const u = await runUnit(runtime, bin, logDir, workDir);
      row.unit = u;
      if (u.error) problems.push(`unit tests: ${u.error}\n${tail(u.logFile)}`);
      else {
        say(
          `  unit: ${u.passed} passed, ${u.failed} failed (${u.notApplicable.length} n/a, ${u.gaps.length} known gaps, ${u.unexpected.length} unexpected), ${u.skipped} skipped, ${u.excludedFiles.length} files not run`,
        );
        for (const x of u.unexpected.slice(0, 10)) problems.push(`unit test failed: ${x.file} > ${x.test}: ${x.message}`);
        if (u.unexpected.length > 10) problems.push(`… and ${u.unexpected.length - 10} more failed unit tests (see ${u.logFile})`);
        for (const g of u.fixedGaps) say(`  note: known gap now passes, remove it from config.mjs: ${g.file} > ${g.test}`);
        for (const s of u.stale) say(`  note: exception matches no test: ${s.file} > ${s.test}`);
        if (u.passed === 0) problems.push(`unit tests: none passed\n${tail(u.logFile)}`);
      }
    }

    row.ok = problems.length === 0;
    row.durationMs = Date.now() - t0;
    say(`  ${row.ok ? 'PASS' : 'FAIL'} ${runtime.label} in ${Math.round(row.durationMs / 1000)} s`);
    for (const p of problems) say(`  - ${p.replaceAll('\n', '\n    ')}`);
  }

  results.finishedAt = new Date().toISOString();
  results.durationMs = Date.now() - started;
  const resultsFile = opts.results ?? path.join(workDir, 'results.json');
  fs.writeFileSync(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
  if (opts.docs) {
    fs.mkdirSync(path.dirname(opts.docs), { recursive: true });
    fs.writeFileSync(opts.docs, renderRuntimesMarkdown(results));
    say(`\nwrote ${path.relative(REPO, opts.docs)} and ${resultsFile}`);
  }
  const passedRuntimes = results.runtimes.filter((r) => r.ok).length;
  say(`runtime matrix: ${passedRuntimes} of ${results.runtimes.length} runtimes passed in ${Math.round(results.durationMs / 1000)} s`);
  process.exitCode = passedRuntimes === results.runtimes.length ? 0 : 1;
}

/** A suite's title from its CASES.json, for the page. */
function readTitle(dir) {
  try {
    const m = JSON.parse(fs.readFileSync(path.join(dir, 'CASES.json'), 'utf8'));
    return `${m.title} (${m.counts?.cases ?? m.cases.length} cases)`;
  } catch {
    return undefined;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    process.stderr.write(`runtime matrix: ${err && err.stack ? err.stack : err}\n`);
    process.exit(2);
  });
}
