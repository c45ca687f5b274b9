#!/usr/bin/env node
// `npm run bench:profile`: a V8 CPU profile of sigvet's warm loop (every
// happy-path bundle, verified over and over for --seconds), summarized as
// where the main thread's time goes: by area, the top functions by self
// time, and sigvet's functions by inclusive time. Writes
// <results dir>/profile-<runtime>.txt and a `profile` section in
// <runtime>.json; the raw .cpuprofile is kept with --keep (open it in
// Chrome DevTools → Performance).
//
//   node benchmarks/profile.mjs [--seconds S] [--interval-us I] [--keep] [--quick]
//
// Off-thread work (signature checks node:crypto runs on the libuv pool)
// is not in a main-thread profile: it shows as (idle)/(program) time
// while the main thread waits.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadBundles, verifyInput } from './lib/cases.mjs';
import { DIST, REPO, importSigvet, nodeRuntimeId, nodeRuntimeInfo, parseOptions, writeScenario } from './lib/env.mjs';
import { summarizeProfile } from './lib/profile-summary.mjs';
import { fmt, round } from './lib/stats.mjs';

const opts = parseOptions(
  process.argv.slice(2),
  {
    seconds: { type: 'number', default: 10, help: 'length of the profiled warm loop' },
    'interval-us': { type: 'number', default: 100, help: 'sampling interval' },
    keep: { type: 'boolean', default: false, help: 'copy the raw .cpuprofile next to the summary' },
    child: { type: 'boolean', default: false, help: '(internal) run the loop being profiled' },
  },
  'usage: node benchmarks/profile.mjs [options]',
);
if (opts.quick) opts.seconds = Math.min(opts.seconds, 1);

// ---------------------------------------------------------------- the profiled loop (child)

if (opts.child) {
  const sigvet = await importSigvet();
  const work = [];
  const verifiers = new Map();
  for (const b of loadBundles({ note: () => {} })) {
    if (!verifiers.has(b.rootDigest)) verifiers.set(b.rootDigest, await sigvet.createVerifier({ trustedRoot: b.rootText }));
    work.push({ v: verifiers.get(b.rootDigest), text: b.bundleText, input: verifyInput(b) });
  }
  // Warm-up outside the measured window would still be in the profile;
  // a short one keeps start-up compilation a small share.
  for (const w of work) await w.v.verify(w.text, w.input);
  const end = Date.now() + opts.seconds * 1000;
  let n = 0;
  while (Date.now() < end) {
    for (const w of work) await w.v.verify(w.text, w.input);
    n += work.length;
  }
  process.stdout.write(JSON.stringify({ verifications: n }) + '\n');
  process.exit(0);
}

// ---------------------------------------------------------------- run and summarize (parent)

const started = Date.now();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sigvet-prof-'));
const self = fileURLToPath(import.meta.url);
const r = spawnSync(
  process.execPath,
  ['--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-interval=${opts.intervalUs}`, self, '--child', '--seconds', String(opts.seconds)],
  { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } },
);
if (r.status !== 0) throw new Error(`profile: the profiled loop failed:\n${r.stderr}`);
const { verifications } = JSON.parse(r.stdout.trim().split('\n').pop());
const profFile = fs.readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
if (!profFile) throw new Error('profile: no .cpuprofile written');
const profile = JSON.parse(fs.readFileSync(path.join(dir, profFile), 'utf8'));
const summary = summarizeProfile(profile, { distDir: DIST, repo: REPO });

const runtimeId = nodeRuntimeId();
const lines = [];
lines.push(`sigvet warm-loop CPU profile — ${process.version}, ${new Date().toISOString()}`);
lines.push(`${verifications} verifications of ${loadBundles({ note: () => {} }).length} happy-path bundles in ${opts.seconds} s (${fmt((opts.seconds * 1e6) / verifications, 0)} µs each, wall), sampled every ${opts.intervalUs} µs; ${fmt(summary.totalMs, 0)} ms sampled.`);
lines.push('Main thread only: signature checks node:crypto runs on the libuv pool show up as (idle)/(program) while the loop waits.');
lines.push('');
lines.push('Where the time goes (self time by area):');
for (const a of summary.areas) lines.push(`  ${a.area.padEnd(40)} ${fmt(a.ms, 1).padStart(9)} ms  ${fmt(a.pct, 1).padStart(5)}%`);
lines.push('');
lines.push('Top functions by self time:');
lines.push(`  ${'self ms'.padStart(9)} ${'%'.padStart(6)}  function (file:line)`);
for (const f of summary.topSelf) lines.push(`  ${fmt(f.ms, 1).padStart(9)} ${fmt(f.pct, 1).padStart(6)}  ${f.name} (${f.where})`);
lines.push('');
lines.push("sigvet's functions by inclusive time (self + callees; async waits not included):");
lines.push(`  ${'total ms'.padStart(9)} ${'%'.padStart(6)}  function (file:line)`);
for (const f of summary.topInclusiveSigvet) lines.push(`  ${fmt(f.ms, 1).padStart(9)} ${fmt(f.pct, 1).padStart(6)}  ${f.name} (${f.where})`);
const text = lines.join('\n') + '\n';

fs.mkdirSync(opts.resultsDir, { recursive: true });
const txt = path.join(opts.resultsDir, `profile-${runtimeId}.txt`);
fs.writeFileSync(txt, text);
if (opts.keep) fs.copyFileSync(path.join(dir, profFile), path.join(opts.resultsDir, `profile-${runtimeId}.cpuprofile`));
fs.rmSync(dir, { recursive: true, force: true });
writeScenario({
  resultsDir: opts.resultsDir,
  runtimeId,
  runtime: nodeRuntimeInfo(),
  name: 'profile',
  quick: opts.quick,
  data: {
    status: 'ok',
    seconds: opts.seconds,
    intervalUs: opts.intervalUs,
    verifications,
    usPerVerifyWall: round((opts.seconds * 1e6) / verifications, 1),
    summaryFile: path.relative(REPO, txt),
    areas: summary.areas.map((a) => ({ ...a, ms: round(a.ms, 1), pct: round(a.pct, 1) })),
    topSelf: summary.topSelf.slice(0, 15).map((f) => ({ ...f, ms: round(f.ms, 1), pct: round(f.pct, 1) })),
    topInclusiveSigvet: summary.topInclusiveSigvet.slice(0, 15).map((f) => ({ ...f, ms: round(f.ms, 1), pct: round(f.pct, 1) })),
    durationS: round((Date.now() - started) / 1000, 1),
  },
});
process.stdout.write(text + `\nwrote ${path.relative(process.cwd(), txt)}\n`);
