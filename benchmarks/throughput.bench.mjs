#!/usr/bin/env node
// Scenario 3, throughput over --items bundles (default 1,000), per workload
// (the largest group of Rekor v1 bundles sharing a trusted root, and the
// same for Rekor v2), one verifier per workload:
//
//   sequential      for (item of items) await verifier.verify(item.bundle, item.input)
//   verifyMany/c    (c = 4, 8 by default) for await (const o of verifier.verifyMany(items, { concurrency: c }))
//   pool/8          a plain promise pool of 8 over verify() (what a caller
//                   gets without the batch API)
//   floor           the items' floor signatures, sequential and synchronous
//   single core     not run: items ÷ the CPU seconds of the sequential loop
//                   (all threads), what one core verifies; the target's
//                   baseline, since the sequential loop already overlaps
//                   each bundle's slow check with the rest on a second core
//   floor async/8   the same signatures through the async crypto.verify with
//                   8 bundles in flight: what this machine's cores can give
//                   at the moment (the machine is shared)
//
// Every round runs each contender once over all items, order rotated per
// round; ratios (batch ÷ sequential throughput) are per round.
//
//   node benchmarks/throughput.bench.mjs [--items N] [--rounds R] [--quick]

import path from 'node:path';
import { verifyInput, workloads, loadBundles } from './lib/cases.mjs';
import { cryptoFloor, runFloor, runFloorParallel } from './lib/floor.mjs';
import { importSigvet, nodeRuntimeId, nodeRuntimeInfo, parseOptions, writeScenario } from './lib/env.mjs';
import { fmt, median, round, roundRatios, roundSpread, runRound, spread, table } from './lib/stats.mjs';

const opts = parseOptions(
  process.argv.slice(2),
  {
    items: { type: 'number', default: 1000, help: 'bundles per pass' },
    rounds: { type: 'number', default: 3, help: 'interleaved rounds' },
    concurrency: { type: 'string', default: '4,8', help: 'verifyMany concurrency values (comma-separated)' },
  },
  'usage: node benchmarks/throughput.bench.mjs [options]',
);
if (opts.quick) {
  opts.items = Math.min(opts.items, 60);
  opts.rounds = 1;
  opts.concurrency = '8';
}
const levels = opts.concurrency.split(',').map(Number);
if (levels.some((c) => !Number.isInteger(c) || c < 1)) throw new Error('--concurrency: positive integers');
const started = Date.now();

const sigvet = await importSigvet();
const results = [];
let apiStatus = 'ok';

for (const w of workloads(loadBundles())) {
  const verifier = await sigvet.createVerifier({ trustedRoot: w.bundles[0].rootText });
  const floors = w.bundles.map((b) => cryptoFloor(b));
  const items = [];
  const itemFloors = [];
  for (let i = 0; i < opts.items; i++) {
    const k = i % w.bundles.length;
    items.push({ bundle: w.bundles[k].bundleText, input: verifyInput(w.bundles[k]) });
    itemFloors.push(floors[k]);
  }
  const hasBatch = typeof verifier.verifyMany === 'function';
  if (!hasBatch) apiStatus = 'pending: verifier.verifyMany is not in dist/ yet';

  // CPU time of each sequential pass (all threads: the main thread and the
  // pool's P-384 checks): items ÷ CPU seconds is the single-core throughput,
  // what one core verifies with nothing waiting; the sequential loop itself
  // already overlaps a bundle's slow check with the rest on a second core.
  const seqCpuUs = [];
  const sequential = async () => {
    const c0 = process.cpuUsage();
    for (const it of items) await verifier.verify(it.bundle, it.input);
    const c = process.cpuUsage(c0);
    seqCpuUs.push(c.user + c.system);
  };
  const batch = (c) => async () => {
    let n = 0;
    for await (const o of verifier.verifyMany(items, { concurrency: c })) {
      if (!o.ok) throw new Error(`throughput: item ${o.index} failed: ${o.error?.code} ${o.error?.message}`);
      n++;
    }
    if (n !== items.length) throw new Error(`throughput: verifyMany yielded ${n} of ${items.length} outcomes`);
  };
  const pool = (c) => async () => {
    let next = 0;
    const worker = async () => {
      while (next < items.length) {
        const it = items[next++];
        await verifier.verify(it.bundle, it.input);
      }
    };
    await Promise.all(Array.from({ length: c }, worker));
  };
  const floorSeq = () => {
    for (const f of itemFloors) runFloor(f);
  };
  const floorAsync = (c) => async () => {
    let next = 0;
    const worker = async () => {
      while (next < itemFloors.length) await runFloorParallel(itemFloors[next++]);
    };
    await Promise.all(Array.from({ length: c }, worker));
  };

  const contenders = [{ key: 'sequential', run: sequential }];
  if (hasBatch) for (const c of levels) contenders.push({ key: `verifyMany/${c}`, run: batch(c), concurrency: c });
  contenders.push({ key: 'pool/8', run: pool(8) }, { key: 'floor', run: floorSeq }, { key: 'floor async/8', run: floorAsync(8) });
  for (const c of contenders) c.batch = 1;

  // Warm-up: one short pass of each, so the first round is not the JIT's.
  const warmItems = items.slice(0, Math.min(items.length, 50));
  for (const it of warmItems) await verifier.verify(it.bundle, it.input);
  if (hasBatch) for await (const o of verifier.verifyMany(warmItems, { concurrency: 8 })) if (!o.ok) throw o.error;

  const samples = {};
  for (let r = 0; r < opts.rounds; r++) await runRound(contenders, r, samples);

  // A sample is µs per pass; bundles per second = items / pass time.
  const perSecond = (k) => samples[k].map((us) => items.length / (us / 1e6));
  const rows = contenders.map((c) => ({
    key: c.key,
    concurrency: c.concurrency ?? null,
    bundlesPerSecond: round(median(perSecond(c.key)), 0),
    msPerPass: round(median(samples[c.key]) / 1000, 1),
    overSequential: roundSpread(spread(roundRatios(perSecond(c.key), perSecond('sequential'))), 3),
  }));
  const singleCoreBps = items.length / (median(seqCpuUs) / 1e6);
  for (const r of rows) r.overSingleCore = round(r.bundlesPerSecond / singleCoreBps, 3);
  const batchRows = rows.filter((r) => r.key.startsWith('verifyMany/'));
  const best = batchRows.reduce((a, r) => (a === null || r.overSequential.median > a.overSequential.median ? r : a), null);
  const dflt = batchRows.find((r) => r.concurrency === 8) ?? null;
  results.push({
    family: w.family,
    bundles: w.bundles.map((b) => b.id),
    items: items.length,
    rounds: opts.rounds,
    rows,
    singleCoreBundlesPerSecond: round(singleCoreBps, 0),
    best: best && { key: best.key, overSequential: best.overSequential.median, overSingleCore: best.overSingleCore },
    default: dflt && { key: dflt.key, overSequential: dflt.overSequential.median },
    floorAsyncOverFloor: rows.find((r) => r.key === 'floor async/8').bundlesPerSecond / rows.find((r) => r.key === 'floor').bundlesPerSecond,
  });
}

const rowsOver = (r, key) => r.rows.find((x) => x.key === key)?.overSingleCore ?? null;
const targets = results.map((r) => ({
  id: `throughput.${r.family}`,
  description: `Throughput (${r.family}, ${r.items} bundles): the batch API at least 1.8× single-core throughput`,
  limit: '>= 1.8',
  measured: r.best?.overSingleCore ?? null,
  concurrency: r.best?.key ?? null,
  atDefaultConcurrency: r.default ? rowsOver(r, r.default.key) : null,
  met: r.best ? r.best.overSingleCore >= 1.8 : null,
  note: `single-core: ${r.singleCoreBundlesPerSecond} bundles/s (items ÷ CPU seconds of the sequential loop); over the sequential loop itself, which already overlaps each bundle's slow check with the rest: ${fmt(r.best?.overSequential ?? NaN, 2)}×; this run's crypto floor scales ${fmt(r.floorAsyncOverFloor, 2)}× from 1 to 8 bundles in flight (the cores the shared machine had free)`,
}));

const file = writeScenario({
  resultsDir: opts.resultsDir,
  runtimeId: nodeRuntimeId(),
  runtime: nodeRuntimeInfo(),
  name: 'throughput',
  quick: opts.quick,
  data: { status: apiStatus, workloads: results, targets, durationS: round((Date.now() - started) / 1000, 1) },
});

const out = [`throughput: ${process.version}, ${opts.items} bundles per pass, ${opts.rounds} rounds; medians`];
for (const r of results) {
  out.push('', `${r.family}: ${r.bundles.join(', ')}`);
  out.push(
    table(
      ['contender', 'bundles/s', 'ms per pass', '÷ sequential (min–max)', '÷ single core'],
      r.rows.map((x) => [x.key, fmt(x.bundlesPerSecond), fmt(x.msPerPass, 1), `${fmt(x.overSequential.median, 2)}× (${fmt(x.overSequential.min, 2)}–${fmt(x.overSequential.max, 2)})`, `${fmt(x.overSingleCore, 2)}×`]),
    ),
  );
}
out.push('');
if (apiStatus !== 'ok') out.push(`status: ${apiStatus}`);
for (const t of targets) out.push(`target ${t.met === null ? 'n/a  ' : t.met ? 'MET  ' : 'UNMET'} ${t.description}: ${fmt(t.measured, 2)} (${t.concurrency}); ${t.note}`);
out.push(`\nwrote ${path.relative(process.cwd(), file)} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.stdout.write(out.join('\n') + '\n');
