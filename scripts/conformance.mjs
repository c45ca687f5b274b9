#!/usr/bin/env node
// Runs the sigstore-conformance bundle-verify cases against the built CLI
// (dist/cli.js, `sigvet verify-bundle ...`), using the shared runner
// ../shared/tools/conformance-run.mjs. Part of `npm test` (after the build).
//
//   node scripts/conformance.mjs [--cases DIR] [runner options: --filter RE, --mode path|digest|both, --jobs N, --json OUT, ...]
//
// Output is the runner's, streamed; its last line is "N passed, M failed"
// and this script exits with the runner's status. Without ../shared (e.g. a
// plain clone) it prints a skip note and exits 0.
//
// Plain Node (>= 20), no dependencies.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SHARED = path.resolve(REPO, '..', 'shared');
const RUNNER = path.join(SHARED, 'tools', 'conformance-run.mjs');
const CLI = path.join(REPO, 'dist', 'cli.js');

/** Quotes one word for /bin/sh (the runner passes --cli through a shell). */
function shellQuote(word) {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

const passThrough = [];
let cases = path.join(SHARED, 'conformance');
let casesGiven = false;
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--cases') {
    if (i + 1 >= argv.length) {
      process.stderr.write('conformance: --cases needs a directory\n');
      process.exit(2);
    }
    cases = path.resolve(argv[++i]);
    casesGiven = true;
  } else if (argv[i].startsWith('--cases=')) {
    cases = path.resolve(argv[i].slice('--cases='.length));
    casesGiven = true;
  } else {
    passThrough.push(argv[i]);
  }
}

if (casesGiven && !fs.existsSync(cases)) {
  process.stderr.write(`conformance: --cases ${cases} not found\n`);
  process.exit(2);
}
if (!fs.existsSync(RUNNER) || !fs.existsSync(cases)) {
  const missing = !fs.existsSync(cases) ? path.relative(REPO, cases) : path.relative(REPO, RUNNER);
  process.stdout.write(`conformance: skipped (${missing} not found)\n`);
  process.exit(0);
}
if (!fs.existsSync(CLI)) {
  process.stderr.write(`conformance: ${path.relative(REPO, CLI)} not found; run \`npm run build\` first\n`);
  process.exit(2);
}

const args = [RUNNER, '--cases', cases, '--cli', `${shellQuote(process.execPath)} ${shellQuote(CLI)}`, ...passThrough];
process.stdout.write(`conformance: node ${path.relative(REPO, RUNNER)} --cases ${path.relative(REPO, cases)} --cli "node dist/cli.js"${passThrough.length ? ' ' + passThrough.join(' ') : ''}\n`);
const child = spawn(process.execPath, args, { cwd: REPO, stdio: 'inherit' });
// Forward interrupts so an aborted `npm test` stops the runner too.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('error', (err) => {
  process.stderr.write(`conformance: cannot start the runner: ${err.message}\n`);
  process.exit(2);
});
child.on('exit', (code, signal) => {
  process.exit(code ?? (signal ? 1 : 0));
});
