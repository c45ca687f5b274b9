#!/usr/bin/env node
// Scenario 6, memory (run with --expose-gc; benchmarks/run.mjs does):
//
// - a loop of --verifications (default 10,000) verifications with one
//   verifier, cycling over the Rekor v1 and Rekor v2 workload bundles:
//   heap after GC before and after the loop, RSS, peak RSS (getrusage);
// - heap per verifier: --verifiers verifiers built from one trusted root
//   (and from the embedded public-good root) and kept alive, heap after GC
//   divided by their number.
//
//   node --expose-gc benchmarks/memory.bench.mjs [--verifications N] [--verifiers M] [--quick]

import path from 'node:path';
import v8 from 'node:v8';
import { loadBundles, verifyInput, workloads } from './lib/cases.mjs';
import { heapDiff, summarizeSnapshot, writeSnapshot } from './lib/heap-snapshot.mjs';
import { importSigvet, nodeRuntimeId, nodeRuntimeInfo, parseOptions, writeScenario } from './lib/env.mjs';
import { fmt, round, table } from './lib/stats.mjs';

const opts = parseOptions(
  process.argv.slice(2),
  {
    verifications: { type: 'number', default: 10000, help: 'verifications in the loop' },
    verifiers: { type: 'number', default: 50, help: 'verifiers kept alive for the per-verifier heap' },
    warmup: { type: 'number', default: 3000, help: 'verifications before the baseline heap is taken' },
  },
  'usage: node --expose-gc benchmarks/memory.bench.mjs [options]',
);
if (opts.quick) {
  opts.verifications = Math.min(opts.verifications, 400);
  opts.verifiers = Math.min(opts.verifiers, 10);
  opts.warmup = Math.min(opts.warmup, 100);
}
const started = Date.now();
const gc = typeof globalThis.gc === 'function' ? globalThis.gc : null;
if (!gc) process.stderr.write('memory: run with --expose-gc for exact heap figures (heap numbers below are without a forced GC)\n');
const MiB = 2 ** 20;
const heapAfterGc = () => {
  if (gc) for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
};

const sigvet = await importSigvet();
const loads = workloads(loadBundles());

// ---------------------------------------------------------------- the loop

const setups = [];
for (const w of loads) {
  const verifier = await sigvet.createVerifier({ trustedRoot: w.bundles[0].rootText });
  for (const b of w.bundles) setups.push({ verifier, bundle: b.bundleText, input: verifyInput(b), id: b.id });
}
// Warm-up: optimized code, feedback, key caches and lazily built tables
// exist before the baseline (V8's heap grows for the first few thousand
// verifications, then levels off: measured, see benchmarks/README.md).
for (let i = 0; i < opts.warmup; i++) {
  const s = setups[i % setups.length];
  await s.verifier.verify(s.bundle, s.input);
}
// Heap snapshots before and after tell program data (a leak) from V8's
// compiled code. Both are written to files and parsed after the second.
const snapBefore = writeSnapshot();
const heapBefore = heapAfterGc();
const spacesBefore = v8.getHeapSpaceStatistics();
const rssBefore = process.memoryUsage.rss();
const t0 = Date.now();
let rssPeakSampled = rssBefore;
// Heap after GC at each quarter: a leak grows with every verification, while
// V8's one-time growth (optimized code, feedback) levels off.
const quarters = [];
let gcMs = 0;
for (let i = 0; i < opts.verifications; i++) {
  const s = setups[i % setups.length];
  await s.verifier.verify(s.bundle, s.input);
  if (i % 250 === 0) rssPeakSampled = Math.max(rssPeakSampled, process.memoryUsage.rss());
  if ((i + 1) % Math.ceil(opts.verifications / 4) === 0 && i + 1 < opts.verifications) {
    const g0 = Date.now();
    quarters.push({ verifications: i + 1, heapGrowthKiB: round((heapAfterGc() - heapBefore) / 1024, 1) });
    gcMs += Date.now() - g0;
  }
}
const loopS = (Date.now() - t0 - gcMs) / 1000;
const heapAfter = heapAfterGc();
// Which V8 space grew: code_space is compiled code (JIT tier-up), old_space
// is data the program keeps.
const spaceGrowthKiB = Object.fromEntries(
  v8
    .getHeapSpaceStatistics()
    .map((sp) => [sp.space_name, round((sp.space_used_size - (spacesBefore.find((b) => b.space_name === sp.space_name)?.space_used_size ?? 0)) / 1024, 1)])
    .filter(([, kib]) => kib !== 0),
);
quarters.push({ verifications: opts.verifications, heapGrowthKiB: round((heapAfter - heapBefore) / 1024, 1) });
const snapAfter = writeSnapshot();
const diff = heapDiff(summarizeSnapshot(snapBefore), summarizeSnapshot(snapAfter));
const snapshotGrowth = {
  byCategoryKiB: Object.fromEntries(Object.entries(diff.byCategory).map(([k, v]) => [k, round(v.bytes / 1024, 1)])),
  objectsByCategory: Object.fromEntries(Object.entries(diff.byCategory).map(([k, v]) => [k, v.count])),
  topProgramData: diff.topProgramData.map((c) => ({ ...c, bytes: c.bytes })),
};
const half = quarters[Math.floor(quarters.length / 2) - 1] ?? { verifications: 0, heapGrowthKiB: 0 };
const rssAfter = process.memoryUsage.rss();
const loop = {
  verifications: opts.verifications,
  warmup: opts.warmup,
  bundles: [...new Set(setups.map((s) => s.id))],
  gcExposed: gc !== null,
  heapBeforeMiB: round(heapBefore / MiB, 3),
  heapAfterMiB: round(heapAfter / MiB, 3),
  heapGrowthKiB: round((heapAfter - heapBefore) / 1024, 1),
  heapGrowthBytesPerVerification: round((heapAfter - heapBefore) / opts.verifications, 2),
  quarters,
  spaceGrowthKiB,
  snapshotGrowth,
  secondHalfGrowthKiB: round(quarters[quarters.length - 1].heapGrowthKiB - half.heapGrowthKiB, 1),
  rssBeforeMiB: round(rssBefore / MiB, 1),
  rssAfterMiB: round(rssAfter / MiB, 1),
  rssPeakSampledMiB: round(rssPeakSampled / MiB, 1),
  // Sampled in the loop (getrusage's maxRSS would include the heap snapshots).
  peakRssMiB: round(rssPeakSampled / MiB, 1),
  processMaxRssMiB: round((process.resourceUsage().maxRSS * 1024) / MiB, 1),
  verificationsPerSecond: round(opts.verifications / loopS, 0),
};

// ---------------------------------------------------------------- heap per verifier

async function perVerifier(label, make) {
  const base = heapAfterGc();
  const keep = [];
  for (let i = 0; i < opts.verifiers; i++) keep.push(await make());
  const withThem = heapAfterGc();
  const r = { root: label, verifiers: keep.length, kiBPerVerifier: round((withThem - base) / keep.length / 1024, 1) };
  keep.length = 0;
  return r;
}
const firstRoot = loads[0].bundles[0];
const verifiers = [
  await perVerifier(`case root (${firstRoot.id})`, () => sigvet.createVerifier({ trustedRoot: firstRoot.rootText })),
  await perVerifier('embedded public-good root', () => sigvet.createVerifier()),
];

// ---------------------------------------------------------------- results

// "Where it started", judged on program data: the heap-snapshot growth of
// everything but V8's compiled code and internals must stay under 64 KiB
// (a per-verification leak of even 8 bytes would show as 80 KB over
// 10,000). V8 keeps compiling hot functions for a long time, so the total
// heap creeps up by code alone; it is reported beside it.
const limitKiB = 64;
const programKiB = loop.snapshotGrowth.byCategoryKiB['program data'];
const targets = [
  {
    id: 'memory.loop',
    description: `Memory: ${opts.verifications} verifications leave the heap where it started (after GC; program data, V8 compiled code apart)`,
    limit: `program-data growth < ${limitKiB} KiB`,
    measured: programKiB,
    totalHeapGrowthKiB: loop.heapGrowthKiB,
    compiledCodeGrowthKiB: loop.snapshotGrowth.byCategoryKiB['compiled code'],
    met: gc ? programKiB < limitKiB : null,
    note: `total heap growth ${fmt(loop.heapGrowthKiB, 0)} KiB, of it compiled code ${fmt(loop.snapshotGrowth.byCategoryKiB['compiled code'], 0)} KiB; heap per verifier ${verifiers.map((v) => `${fmt(v.kiBPerVerifier, 0)} KiB (${v.root})`).join(', ')}; peak RSS ${fmt(loop.peakRssMiB, 0)} MiB`,
  },
];
const file = writeScenario({
  resultsDir: opts.resultsDir,
  runtimeId: nodeRuntimeId(),
  runtime: nodeRuntimeInfo(),
  name: 'memory',
  quick: opts.quick,
  data: { status: 'ok', loop, verifiers, targets, durationS: round((Date.now() - started) / 1000, 1) },
});

const out = [`memory: ${process.version}${gc ? '' : ' (no --expose-gc)'}`, ''];
out.push(
  table(
    ['loop', 'value'],
    [
      ['verifications', loop.verifications],
      ['heap before (after GC)', `${fmt(loop.heapBeforeMiB, 2)} MiB`],
      ['heap after (after GC)', `${fmt(loop.heapAfterMiB, 2)} MiB`],
      ['growth', `${fmt(loop.heapGrowthKiB, 1)} KiB (${fmt(loop.heapGrowthBytesPerVerification, 2)} B per verification)`],
      ['growth by quarter (KiB)', loop.quarters.map((q) => fmt(q.heapGrowthKiB, 0)).join(' / ')],
      ['growth over the second half', `${fmt(loop.secondHalfGrowthKiB, 1)} KiB`],
      ['growth by V8 space (KiB)', Object.entries(loop.spaceGrowthKiB).map(([k, v]) => `${k} ${fmt(v, 0)}`).join(', ')],
      ['RSS before / after', `${fmt(loop.rssBeforeMiB, 1)} / ${fmt(loop.rssAfterMiB, 1)} MiB`],
      ['heap snapshot growth (KiB)', Object.entries(loop.snapshotGrowth.byCategoryKiB).map(([k, v]) => `${k} ${fmt(v, 1)}`).join(', ')],
      ['peak RSS in the loop (sampled)', `${fmt(loop.peakRssMiB, 1)} MiB`],
      ['verifications per second', fmt(loop.verificationsPerSecond)],
    ],
    ['l', 'r'],
  ),
);
out.push('');
out.push(table(['verifier built from', 'verifiers kept', 'KiB per verifier'], verifiers.map((v) => [v.root, v.verifiers, fmt(v.kiBPerVerifier, 1)])));
out.push('');
for (const t of targets) out.push(`target ${t.met === null ? 'n/a  ' : t.met ? 'MET  ' : 'UNMET'} ${t.description}: ${fmt(t.measured, 1)} KiB; ${t.note}`);
out.push(`\nwrote ${path.relative(process.cwd(), file)} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.stdout.write(out.join('\n') + '\n');
