#!/usr/bin/env node
// Runs any Sigstore client that speaks the sigstore-conformance CLI protocol
// (verify-bundle) over sigvet's test vectors (or any directory with a
// CASES.json in the same format) and reports per-case results.
//
//   node scripts/vectors-run.mjs --cli "<command prefix>" [--cases DIR|CASES.json]
//        [--mode both|path|digest] [--filter REGEX] [--codes] [--jobs N]
//        [--timeout SECONDS] [--json OUT.json] [--verbose]
//
// For each case and mode it runs, through /bin/sh from the current directory
// (so the prefix may hold options, environment assignments or quotes, and
// relative paths in it resolve as typed):
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
// Output: one line per case, then the failing case names, then exactly
// "N passed, M failed" (cases). Exit status 0 when nothing failed, 1
// otherwise, 2 on usage errors. Plain Node >= 20, no dependencies.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const USAGE =
  'usage: vectors-run.mjs --cli "PREFIX" [--cases DIR|CASES.json] [--mode both|path|digest] [--filter REGEX] [--codes] [--jobs N] [--timeout SECONDS] [--json OUT] [--verbose]';

function usageError(msg) {
  process.stderr.write(`vectors-run: ${msg}\n${USAGE}\n`);
  process.exit(2);
}

function parseArgs(argv) {
  const defaultCases = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'test-vectors');
  const o = { cases: defaultCases, mode: 'both', jobs: Math.max(1, Math.min(4, os.cpus().length)), timeout: 60, codes: false, verbose: false };
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
  if (!o.cli) usageError('--cli is required');
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
  let filter;
  try {
    filter = o.filter ? new RegExp(o.filter) : undefined;
  } catch (e) {
    usageError(`bad --filter: ${e.message}`);
  }
  const selected = cases.filter((c) => !filter || filter.test(c.name));
  if (selected.length === 0) usageError('no case matches --filter');
  return { dir: path.dirname(manifestPath), cases: selected };
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

function runOnce(o, argv) {
  return new Promise((resolve) => {
    // The prefix is resolved from the caller's working directory; every path argument is absolute.
    const child = spawn('/bin/sh', ['-c', `${o.cli} "$@"`, 'vectors-run', ...argv], {
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
  return { name: c.name, expect: c.expect, expected_error_code: c.expected_error_code ?? null, ok: runs.length > 0 && runs.every((r) => r.ok), runs };
}

const o = parseArgs(process.argv.slice(2));
const { dir, cases } = loadCases(o);
const results = new Array(cases.length);
const width = Math.min(56, Math.max(...cases.map((c) => c.name.length)));
let next = 0;
let printed = 0;

function printReady() {
  while (printed < results.length && results[printed]) {
    const r = results[printed++];
    const modes = r.runs.map((x) => `${x.mode}=${x.got}`).join(' ');
    const want = r.expect === 'fail' && r.expected_error_code ? `fail (${r.expected_error_code})` : r.expect;
    const shown = r.runs.find((x) => !x.ok) ?? (o.verbose || r.expect === 'fail' ? r.runs[0] : undefined);
    const msg = shown?.message ? `  | ${shown.message}` : '';
    process.stdout.write(`${r.ok ? 'PASS' : 'FAIL'}  ${r.name.padEnd(width)}  expected ${want.padEnd(26)} ${modes}${msg}\n`);
  }
}

async function worker() {
  while (next < cases.length) {
    const i = next++;
    results[i] = await runCase(o, dir, cases[i]);
    printReady();
  }
}

await Promise.all(Array.from({ length: Math.min(o.jobs, cases.length) }, worker));
printReady();

const failed = results.filter((r) => !r.ok);
if (o.json) {
  fs.mkdirSync(path.dirname(o.json), { recursive: true });
  fs.writeFileSync(
    o.json,
    `${JSON.stringify({ cli: o.cli, cases_dir: dir, mode: o.mode, codes: o.codes, passed: results.length - failed.length, failed: failed.length, results }, null, 2)}\n`,
  );
}
if (failed.length > 0) process.stdout.write(`failing cases: ${failed.map((r) => r.name).join(', ')}\n`);
process.stdout.write(`${results.length - failed.length} passed, ${failed.length} failed\n`);
process.exit(failed.length > 0 ? 1 : 0);
