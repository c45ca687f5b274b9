#!/usr/bin/env node
// Scenario 4, repeat verification with the opt-in result cache
// (createVerifier({ trustedRoot, cache: { maxEntries } })), per happy-path
// bundle, interleaved against the same verify without a cache and the
// bundle's crypto floor. The cached verify gets the same JSON text and the
// same input every time, as an admission webhook or CI gate would.
//
// Memory bound (needs --expose-gc, which benchmarks/run.mjs passes): a
// cache of --max-entries is filled with 3 × that many distinct bundle texts
// (the same bundle with different leading whitespace, so each is a new key
// and verifies); heap after GC when full and at the end shows the LRU cap.
//
//   node --expose-gc benchmarks/cache.bench.mjs [--rounds N] [--max-entries M] [--quick]

import path from 'node:path';
import { loadBundles, quickSubset, verifyInput } from './lib/cases.mjs';
import { cryptoFloor, runFloor } from './lib/floor.mjs';
import { importSigvet, nodeRuntimeId, nodeRuntimeInfo, parseOptions, writeScenario } from './lib/env.mjs';
import { calibrate, fmt, geomean, median, repeat, round, roundRatios, roundSpread, runRound, spread, table } from './lib/stats.mjs';

const opts = parseOptions(
  process.argv.slice(2),
  {
    rounds: { type: 'number', default: 20, help: 'interleaved rounds' },
    'target-ms': { type: 'number', default: 3, help: 'length each timed batch is sized to' },
    'max-entries': { type: 'number', default: 1000, help: 'cache size for the memory-bound check' },
  },
  'usage: node --expose-gc benchmarks/cache.bench.mjs [options]',
);
if (opts.quick) {
  opts.rounds = Math.min(opts.rounds, 3);
  opts.targetMs = 1;
  opts.maxEntries = Math.min(opts.maxEntries, 50);
}
const started = Date.now();
const sigvet = await importSigvet();
const bundles = opts.quick ? quickSubset(loadBundles()) : loadBundles();

// ---------------------------------------------------------------- repeat cost

const verifiers = new Map();
const rows = [];
let cacheEffect = true;
for (const b of bundles) {
  if (!verifiers.has(b.rootDigest)) {
    verifiers.set(b.rootDigest, {
      cached: await sigvet.createVerifier({ trustedRoot: b.rootText, cache: { maxEntries: 1000 } }),
      plain: await sigvet.createVerifier({ trustedRoot: b.rootText }),
    });
  }
  const v = verifiers.get(b.rootDigest);
  const input = verifyInput(b);
  const first = await v.cached.verify(b.bundleText, input);
  const again = await v.cached.verify(b.bundleText, input);
  const fresh = await v.plain.verify(b.bundleText, input);
  // A cached verdict must be the verdict: same result, whether cached or not.
  if (JSON.stringify(again) !== JSON.stringify(fresh) || JSON.stringify(first) !== JSON.stringify(fresh)) {
    throw new Error(`cache: ${b.id}: the cached result differs from a fresh verification`);
  }
  const floor = cryptoFloor(b);
  const contenders = [
    { key: 'cached', run: repeat(() => v.cached.verify(b.bundleText, input), true) },
    { key: 'uncached', run: repeat(() => v.plain.verify(b.bundleText, input), true) },
    { key: 'floor', run: repeat(() => runFloor(floor), false) },
  ];
  for (const c of contenders) c.batch = await calibrate(c.run, opts.targetMs, { warmup: opts.quick ? 3 : 20, maxBatch: 20000 });
  rows.push({ b, contenders, samples: {} });
}
for (let r = 0; r < opts.rounds; r++) for (const row of rows) await runRound(row.contenders, r, row.samples);

const table1 = rows.map(({ b, samples }) => {
  const cachedOverFloor = roundSpread(spread(roundRatios(samples.cached, samples.floor)), 5);
  const cachedOverUncached = roundSpread(spread(roundRatios(samples.cached, samples.uncached)), 5);
  if (cachedOverUncached.median > 0.5) cacheEffect = false;
  return {
    id: b.id,
    family: b.kind.family,
    us: { cached: round(median(samples.cached), 2), uncached: round(median(samples.uncached), 1), floor: round(median(samples.floor), 1) },
    cachedOverFloor,
    cachedOverUncached,
    fractionOfFloor: `1/${fmt(1 / cachedOverFloor.median, 0)}`,
  };
});

// ---------------------------------------------------------------- memory bound

const gc = typeof globalThis.gc === 'function' ? globalThis.gc : null;
const heap = () => {
  if (gc) {
    gc();
    gc();
  }
  return process.memoryUsage().heapUsed;
};
let memory = null;
{
  const b = bundles.find((x) => x.kind.family === 'rekor-v1') ?? bundles[0];
  const input = verifyInput(b);
  const m = opts.maxEntries;
  const v = await sigvet.createVerifier({ trustedRoot: b.rootText, cache: { maxEntries: m } });
  await v.verify(b.bundleText, input);
  const h0 = heap();
  const points = [];
  let distinct = 0;
  for (const upTo of [m, 2 * m, 3 * m]) {
    for (; distinct < upTo; distinct++) await v.verify(' '.repeat(distinct + 1) + b.bundleText, input);
    points.push({ distinctBundles: distinct, heapGrowthMiB: round((heap() - h0) / 2 ** 20, 3) });
  }
  const atCap = points[0].heapGrowthMiB;
  const end = points[2].heapGrowthMiB;
  memory = {
    bundle: b.id,
    maxEntries: m,
    gcExposed: gc !== null,
    points,
    bytesPerEntry: round((atCap * 2 ** 20) / m, 0),
    growthAfterCapMiB: round(end - atCap, 3),
    // Bounded: filling the cache three times over grows the heap by less
    // than a quarter of what the first fill took.
    bounded: gc ? end - atCap < Math.max(0.25 * atCap, 0.5) : null,
  };
}

// ---------------------------------------------------------------- results

const worst = table1.reduce((a, r) => (a === null || r.cachedOverFloor.median > a.cachedOverFloor.median ? r : a), null);
const targets = [
  {
    id: 'cache.repeat',
    description: 'Repeat verification with the result cache: at most 1/30 of the crypto floor',
    limit: '<= 0.0333 (1/30)',
    measured: worst.cachedOverFloor.median,
    worst: worst.id,
    geomean: round(geomean(table1.map((r) => r.cachedOverFloor.median)), 5),
    met: cacheEffect ? worst.cachedOverFloor.median <= 1 / 30 : false,
  },
  {
    id: 'cache.bounded',
    description: `Result cache memory bounded (LRU, maxEntries ${memory.maxEntries}, filled 3× over)`,
    limit: 'heap growth after the cap < 25% of the first fill',
    measured: memory.growthAfterCapMiB,
    met: memory.bounded,
  },
];
const file = writeScenario({
  resultsDir: opts.resultsDir,
  runtimeId: nodeRuntimeId(),
  runtime: nodeRuntimeInfo(),
  name: 'cache',
  quick: opts.quick,
  data: {
    status: cacheEffect ? 'ok' : 'pending: no cache effect measured (does createVerifier take `cache` in this build?)',
    rounds: opts.rounds,
    unit: 'µs per verify (median over rounds)',
    rows: table1,
    memory,
    targets,
    durationS: round((Date.now() - started) / 1000, 1),
  },
});

const out = [`cache: ${process.version}, ${opts.rounds} rounds; µs per verify (medians); ratios per round, median (min–max)`, ''];
out.push(
  table(
    ['bundle', 'cached', 'uncached', 'floor', 'cached/floor', 'of floor', 'cached/uncached'],
    table1.map((r) => [r.id, fmt(r.us.cached, 1), fmt(r.us.uncached), fmt(r.us.floor), `${fmt(r.cachedOverFloor.median, 4)} (${fmt(r.cachedOverFloor.min, 4)}–${fmt(r.cachedOverFloor.max, 4)})`, r.fractionOfFloor, fmt(r.cachedOverUncached.median, 4)]),
  ),
);
out.push('');
out.push(`memory (${memory.bundle}, maxEntries ${memory.maxEntries}${gc ? '' : ', no --expose-gc: heap figures are rough'}):`);
out.push(table(['distinct bundles verified', 'heap growth MiB (after GC)'], memory.points.map((p) => [p.distinctBundles, fmt(p.heapGrowthMiB, 2)])));
out.push(`≈ ${memory.bytesPerEntry} bytes per cached result; growth after the cap ${fmt(memory.growthAfterCapMiB, 2)} MiB`);
out.push('');
for (const t of targets) out.push(`target ${t.met === null ? 'n/a  ' : t.met ? 'MET  ' : 'UNMET'} ${t.description}: ${fmt(t.measured, 4)}${t.worst ? ` (worst: ${t.worst})` : ''}`);
out.push(`\nwrote ${path.relative(process.cwd(), file)} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.stdout.write(out.join('\n') + '\n');
