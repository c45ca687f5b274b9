#!/usr/bin/env node
// Runs Sigstore clients over sigvet's test vectors and reports per-case
// results: bundle verification through the sigstore-conformance CLI
// protocol (verify-bundle), and policy evaluation through the policy-test
// protocol below. Either suite, or both, in one run.
//
//   node test-vectors/run.mjs [--cli "<command prefix>"] [--cases DIR|CASES.json]
//        [--policy-cli "<command prefix>"] [--policy-cases DIR]
//        [--mode both|path|digest] [--filter REGEX] [--codes] [--jobs N]
//        [--timeout SECONDS] [--json OUT.json] [--verbose]
//
// Bundle cases (--cli). For each case and mode it runs, through /bin/sh from
// the current directory (so the prefix may hold options, environment
// assignments or quotes, and relative paths in it resolve as typed):
//
//   <prefix> verify-bundle --bundle B --certificate-identity I --certificate-oidc-issuer U --trusted-root T FILE_OR_DIGEST
//   <prefix> verify-bundle --bundle B --key K --trusted-root T FILE_OR_DIGEST
//
// FILE_OR_DIGEST is the artifact path (mode "path") or "sha256:<hex>"
// (mode "digest"). Exit status 0 means verified; anything else (including a
// crash, a signal or the timeout) means not verified. A case passes when
// every mode gives its expected verdict. With --codes, a failing case also
// needs the client's stderr or stdout to name the case's expected_error_code
// (sigvet's error codes; only meaningful for clients that print them).
//
// Policy cases (--policy-cli). Each case file (a *.json with an "expect"
// member under DIR/cases, or DIR) is made self-contained: its "policy" and
// its "evidence.results" items, when they are paths, are replaced by the
// JSON they name. The runner writes it as case.json into a fresh empty
// directory and runs
//
//   <prefix> policy test DIR
//
// Exit status 0 means the client evaluated the policy over the evidence at
// "now" and its verdict matched "expect" (decision, status when given, and
// the exact set of reason codes when given); 1 means it did not match;
// anything else is an error. To tell a client that evaluates from one that
// only says yes, every case also runs with its expectation altered (the
// decision flipped; a reason code added; the status changed, when given),
// and each of those runs must exit 1. A case passes when the run as given
// exits 0 and every altered run exits 1.
//
// Output: one line per case, then the failing case names, then exactly
// "N passed, M failed" (cases of every suite run). Exit status 0 when
// nothing failed, 1 otherwise, 2 on usage errors. Plain Node >= 20, no
// dependencies.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const USAGE =
  'usage: run.mjs [--cli "PREFIX"] [--cases DIR|CASES.json] [--policy-cli "PREFIX"] [--policy-cases DIR] [--mode both|path|digest] [--filter REGEX] [--codes] [--jobs N] [--timeout SECONDS] [--json OUT] [--verbose]\n(at least one of --cli and --policy-cli)';

function usageError(msg) {
  process.stderr.write(`vectors-run: ${msg}\n${USAGE}\n`);
  process.exit(2);
}

function parseArgs(argv) {
  const defaultCases = path.dirname(fileURLToPath(import.meta.url));
  const o = { cases: defaultCases, policyCases: path.join(defaultCases, 'policy'), mode: 'both', jobs: Math.max(1, Math.min(4, os.cpus().length)), timeout: 60, codes: false, verbose: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const value = () => {
      if (eq > 0) return arg.slice(eq + 1);
      if (i + 1 >= argv.length) usageError(`missing value for ${name}`);
      return argv[++i];
    };
    switch (name) {
      case '--cli': o.cli = value(); break;
      case '--cases': o.cases = path.resolve(value()); break;
      case '--policy-cli': o.policyCli = value(); break;
      case '--policy-cases': o.policyCases = path.resolve(value()); break;
      case '--mode': o.mode = value(); break;
      case '--filter': o.filter = value(); break;
      case '--jobs': o.jobs = Number(value()); break;
      case '--timeout': o.timeout = Number(value()); break;
      case '--json': o.json = path.resolve(value()); break;
      case '--codes': o.codes = true; break;
      case '--verbose': o.verbose = true; break;
      case '-h':
      case '--help':
        process.stdout.write(`${USAGE}\n`);
        process.exit(0);
        break;
      default:
        usageError(`unknown argument ${arg}`);
    }
  }
  if (!o.cli && !o.policyCli) usageError('--cli or --policy-cli is required');
  if (!['both', 'path', 'digest'].includes(o.mode)) usageError(`bad --mode ${o.mode}`);
  if (!Number.isInteger(o.jobs) || o.jobs < 1) usageError('--jobs must be a positive integer');
  if (!(o.timeout > 0)) usageError('--timeout must be positive');
  return o;
}

function loadCases(o) {
  const manifestPath = fs.existsSync(o.cases) && fs.statSync(o.cases).isFile() ? o.cases : path.join(o.cases, 'CASES.json');
  let manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
  } catch (e) {
    usageError(`cannot read ${manifestPath}: ${e.message}`);
  }
  const cases = Array.isArray(manifest) ? manifest : manifest.cases;
  if (!Array.isArray(cases) || cases.length === 0) usageError(`${manifestPath} lists no cases`);
  const filter = filterOf(o);
  return { dir: path.dirname(manifestPath), cases: cases.filter((c) => !filter || filter.test(c.name)) };
}

function filterOf(o) {
  try {
    return o.filter ? new RegExp(o.filter) : undefined;
  } catch (e) {
    return usageError(`bad --filter: ${e.message}`);
  }
}

/** The verify-bundle argument vector for one case and mode. */
function argvFor(dir, c, mode) {
  const at = (p) => path.resolve(dir, p);
  const argv = ['verify-bundle', '--bundle', at(c.bundle)];
  if (c.key) argv.push('--key', at(c.key));
  else argv.push('--certificate-identity', c.identity, '--certificate-oidc-issuer', c.issuer);
  if (c.trusted_root) argv.push('--trusted-root', at(c.trusted_root));
  argv.push(mode === 'digest' ? c.artifact_digest : at(c.artifact));
  return argv;
}

function firstLine(text) {
  for (const line of text.split(/\r?\n/)) {
    const t = line.trim();
    if (t) return t.length > 240 ? `${t.slice(0, 240)}…` : t;
  }
  return '';
}

function runOnce(o, argv, prefix = o.cli) {
  return new Promise((resolve) => {
    // The prefix is resolved from the caller's working directory; every path argument is absolute.
    const child = spawn('/bin/sh', ['-c', `${prefix} "$@"`, 'vectors-run', ...argv], {
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    const cap = 256 * 1024;
    child.stdout.on('data', (d) => {
      if (stdout.length < cap) stdout += d;
    });
    child.stderr.on('data', (d) => {
      if (stderr.length < cap) stderr += d;
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already exited
      }
    }, o.timeout * 1000);
    child.on('error', (e) => {
      stderr += `spawn error: ${e.message}\n`;
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, timedOut, stdout, stderr });
    });
  });
}

async function runCase(o, dir, c) {
  const modes = (c.modes ?? ['path', 'digest']).filter((m) => o.mode === 'both' || m === o.mode);
  const runs = [];
  for (const mode of modes) {
    const r = await runOnce(o, argvFor(dir, c, mode));
    const verified = r.code === 0 && !r.timedOut;
    const got = verified ? 'pass' : 'fail';
    let ok = got === c.expect;
    let note = r.timedOut ? `timeout after ${o.timeout}s` : firstLine(r.stderr) || (verified ? '' : `exit ${r.code ?? r.signal}, no message`);
    if (ok && o.codes && c.expect === 'fail' && c.expected_error_code) {
      const named = new RegExp(`\\b${c.expected_error_code}\\b`).test(`${r.stderr}\n${r.stdout}`);
      if (!named) {
        ok = false;
        note = `expected error code ${c.expected_error_code} not reported: ${note}`;
      }
    }
    runs.push({ mode, got, ok, exit_code: r.code, signal: r.signal, timed_out: r.timedOut, message: note });
  }
  return { suite: 'bundle', name: c.name, expect: c.expect, expected_error_code: c.expected_error_code ?? null, ok: runs.length > 0 && runs.every((r) => r.ok), runs };
}

// ------------------------------------------------------------- policy cases

function readJson(file, what) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    return usageError(`cannot read ${what} ${file}: ${e.message}`);
  }
}

/** Every *.json under `dir`, sorted, recursing into sub-directories. */
function jsonFilesUnder(dir, depth = 0) {
  if (depth > 8) return [];
  const out = [];
  for (const name of fs.readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    if (fs.statSync(p).isDirectory()) out.push(...jsonFilesUnder(p, depth + 1));
    else if (name.endsWith('.json')) out.push(p);
  }
  return out;
}

/**
 * The policy cases under `o.policyCases` (its cases/ folder when there is
 * one): files with an "expect" member, each made self-contained (policy and
 * evidence paths replaced by the JSON they name, relative to the case file).
 */
function loadPolicyCases(o) {
  const root = fs.existsSync(path.join(o.policyCases, 'cases')) ? path.join(o.policyCases, 'cases') : o.policyCases;
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) usageError(`no policy case folder ${root}`);
  const filter = filterOf(o);
  const cases = [];
  for (const file of jsonFilesUnder(root)) {
    const doc = readJson(file, 'policy case');
    if (doc === null || typeof doc !== 'object' || Array.isArray(doc) || !('expect' in doc)) continue;
    const base = path.dirname(file);
    const c = { ...doc };
    if (typeof c.name !== 'string') c.name = path.relative(root, file);
    if (typeof c.policy === 'string') c.policy = readJson(path.resolve(base, c.policy), 'policy');
    if (c.evidence && Array.isArray(c.evidence.results)) {
      c.evidence = { ...c.evidence, results: c.evidence.results.map((r) => (typeof r === 'string' ? readJson(path.resolve(base, r), 'evidence') : r)) };
    }
    if (!filter || filter.test(c.name)) cases.push(c);
  }
  if (cases.length === 0 && !filter) usageError(`no policy cases under ${root}`);
  return cases;
}

/** The case as given, then with its expectation altered in each way a client must notice. */
function policyVariants(c) {
  const e = c.expect ?? {};
  const out = [{ variant: 'as given', expect: e, want: 0 }];
  out.push({ variant: 'decision flipped', expect: { ...e, decision: e.decision === 'allow' ? 'deny' : 'allow' }, want: 1 });
  out.push({ variant: 'reason added', expect: { ...e, reasons: [...(e.reasons ?? []), 'VECTORS_RUN_CONTROL'] }, want: 1 });
  if (e.status !== undefined) {
    const other = ['pass', 'fail', 'indeterminate', 'not-applicable'].find((x) => x !== e.status);
    out.push({ variant: 'status changed', expect: { ...e, status: other }, want: 1 });
  }
  return out;
}

async function runPolicyCase(o, tmpRoot, c, index) {
  const runs = [];
  for (const [i, v] of policyVariants(c).entries()) {
    const dir = path.join(tmpRoot, `${index}-${i}`);
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'case.json'), `${JSON.stringify({ ...c, expect: v.expect }, null, 2)}\n`);
    const r = await runOnce(o, ['policy', 'test', dir], o.policyCli);
    const ok = !r.timedOut && r.code === v.want;
    const got = r.timedOut ? 'timeout' : r.code === 0 ? 'match' : r.code === 1 ? 'mismatch' : 'error';
    const note = r.timedOut ? `timeout after ${o.timeout}s` : ok ? '' : `exit ${r.code ?? r.signal}, wanted ${v.want}: ${firstLine(r.stderr) || firstLine(r.stdout) || 'no message'}`;
    runs.push({ mode: v.variant, got, ok, exit_code: r.code, signal: r.signal, timed_out: r.timedOut, message: note });
  }
  const want = `${c.expect?.decision}${c.expect?.reasons?.length ? ` ${c.expect.reasons.join(',')}` : ''}`;
  return { suite: 'policy', name: c.name, expect: want, expected_error_code: null, ok: runs.every((r) => r.ok), runs };
}

// ------------------------------------------------------------------- main

const o = parseArgs(process.argv.slice(2));
const bundleCases = o.cli ? loadCases(o) : { dir: undefined, cases: [] };
const policyCases = o.policyCli ? loadPolicyCases(o) : [];
if (bundleCases.cases.length + policyCases.length === 0) usageError('no case matches --filter');
const { dir } = bundleCases;
const tasks = [
  ...bundleCases.cases.map((c) => ({ name: c.name, run: () => runCase(o, dir, c) })),
  ...policyCases.map((c, i) => ({ name: `policy:${c.name}`, run: (tmp) => runPolicyCase(o, tmp, c, i) })),
];
const tmpRoot = policyCases.length > 0 ? fs.mkdtempSync(path.join(os.tmpdir(), 'vectors-run-policy-')) : undefined;
const results = new Array(tasks.length);
const width = Math.min(56, Math.max(...tasks.map((t) => t.name.length)));
let next = 0;
let printed = 0;

function printReady() {
  while (printed < results.length && results[printed]) {
    const r = results[printed++];
    const label = r.suite === 'policy' ? `policy:${r.name}` : r.name;
    const modes = r.runs.map((x) => (r.suite === 'policy' ? `${x.mode.replace(/ /g, '-')}=${x.got}` : `${x.mode}=${x.got}`)).join(' ');
    const want = r.expect === 'fail' && r.expected_error_code ? `fail (${r.expected_error_code})` : r.expect;
    const shown = r.runs.find((x) => !x.ok) ?? (o.verbose || r.expect === 'fail' ? r.runs[0] : undefined);
    const msg = shown?.message ? `  | ${shown.message}` : '';
    process.stdout.write(`${r.ok ? 'PASS' : 'FAIL'}  ${label.padEnd(width)}  expected ${want.padEnd(26)} ${modes}${msg}\n`);
  }
}

async function worker() {
  while (next < tasks.length) {
    const i = next++;
    results[i] = await tasks[i].run(tmpRoot);
    printReady();
  }
}

try {
  await Promise.all(Array.from({ length: Math.min(o.jobs, tasks.length) }, worker));
} finally {
  if (tmpRoot) fs.rmSync(tmpRoot, { recursive: true, force: true });
}
printReady();

const failed = results.filter((r) => !r.ok);
const bundleResults = results.filter((r) => r.suite !== 'policy');
const policyResults = results.filter((r) => r.suite === 'policy');
if (o.json) {
  fs.mkdirSync(path.dirname(o.json), { recursive: true });
  const doc = { cli: o.cli ?? null, cases_dir: dir ?? null, mode: o.mode, codes: o.codes, passed: results.length - failed.length, failed: failed.length, results: bundleResults };
  if (o.policyCli) Object.assign(doc, { policy_cli: o.policyCli, policy_cases_dir: o.policyCases, policy_results: policyResults });
  fs.writeFileSync(o.json, `${JSON.stringify(doc, null, 2)}\n`);
}
if (failed.length > 0) process.stdout.write(`failing cases: ${failed.map((r) => (r.suite === 'policy' ? `policy:${r.name}` : r.name)).join(', ')}\n`);
if (o.cli && o.policyCli) {
  const count = (rs) => `${rs.filter((r) => r.ok).length} passed, ${rs.filter((r) => !r.ok).length} failed`;
  process.stdout.write(`bundle cases: ${count(bundleResults)}\npolicy cases: ${count(policyResults)}\n`);
}
process.stdout.write(`${results.length - failed.length} passed, ${failed.length} failed\n`);
process.exit(failed.length > 0 ? 1 : 0);
