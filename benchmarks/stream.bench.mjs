#!/usr/bin/env node
// Scenario 5, large artifacts: a generated --mib MiB artifact (default
// 1 GiB; never on disk, never one buffer: 64 KiB chunks cycling over a pool
// of 16 random chunks) verified as a stream against a synthetic managed-key
// bundle signed over its digest (benchmarks/lib/synthetic.mjs):
//
//   sigvet async-iterable  verify(bundle, { artifact: asyncIterable, key })
//   sigvet ReadableStream  verify(bundle, { artifact: readableStream, key })
//   floor                  node:crypto createHash('sha256') fed from the same
//                          async iterable (same chunking, same iteration cost)
//   floor sync             the same hash in a plain loop (no async iteration)
//
// Throughput is bytes / wall time; ratios are per round. Peak RSS growth is
// sampled inside the chunk generator (every 16 MiB) over the first sigvet
// pass, against the RSS right before it; maxRSS from getrusage is reported too.
//
//   node --expose-gc benchmarks/stream.bench.mjs [--mib N] [--chunk-kib K] [--rounds R] [--quick]

import crypto from 'node:crypto';
import path from 'node:path';
import { pooledArtifact, syntheticKeyBundle } from './lib/synthetic.mjs';
import { importSigvet, nodeRuntimeId, nodeRuntimeInfo, parseOptions, writeScenario } from './lib/env.mjs';
import { fmt, median, nowNs, round, roundRatios, roundSpread, runRound, spread, table } from './lib/stats.mjs';

const opts = parseOptions(
  process.argv.slice(2),
  {
    mib: { type: 'number', default: 1024, help: 'artifact size in MiB' },
    'chunk-kib': { type: 'number', default: 64, help: 'chunk size in KiB' },
    rounds: { type: 'number', default: 3, help: 'interleaved rounds' },
  },
  'usage: node --expose-gc benchmarks/stream.bench.mjs [options]',
);
if (opts.quick) {
  opts.mib = Math.min(opts.mib, 64);
  opts.rounds = 1;
}
const started = Date.now();
const sigvet = await importSigvet();
const MiB = 2 ** 20;
const art = pooledArtifact({ totalBytes: opts.mib * MiB, chunkSize: opts.chunkKib * 1024 });
const digest = art.digest();
const synth = syntheticKeyBundle(digest);
const verifier = await sigvet.createVerifier({ trustedRoot: synth.rootText });
const hex = Buffer.from(digest).toString('hex');

/** Checks a sigvet result really is the verification of this artifact. */
function check(result) {
  if (result?.content?.artifactDigest?.hex !== hex) throw new Error('stream: the verified digest is not the artifact digest');
}

// ---------------------------------------------------------------- peak RSS of one streamed verification

const gc = typeof globalThis.gc === 'function' ? globalThis.gc : null;
if (gc) {
  gc();
  gc();
}
const rssBefore = process.memoryUsage.rss();
const maxRssBefore = process.resourceUsage().maxRSS * 1024;
let rssPeak = rssBefore;
const sampleEvery = Math.max(1, Math.floor((16 * MiB) / art.chunkSize));
const sampled = {
  async *[Symbol.asyncIterator]() {
    let i = 0;
    for await (const c of art.chunks()) {
      if (++i % sampleEvery === 0) rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
      yield c;
    }
  },
};
const tFirst = nowNs();
check(await verifier.verify(synth.bundleText, { artifact: sampled, key: synth.keyPem }));
const firstPassS = (nowNs() - tFirst) / 1e9;
rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
const memory = {
  rssBeforeMiB: round(rssBefore / MiB, 1),
  peakRssGrowthMiB: round((rssPeak - rssBefore) / MiB, 1),
  maxRssGrowthMiB: round(Math.max(0, process.resourceUsage().maxRSS * 1024 - Math.max(maxRssBefore, rssBefore)) / MiB, 1),
  heapUsedAfterMiB: round(process.memoryUsage().heapUsed / MiB, 1),
  firstPassMiBps: round(opts.mib / firstPassS, 0),
};

// ---------------------------------------------------------------- throughput

const contenders = [
  {
    key: 'sigvet async-iterable',
    run: async () => check(await verifier.verify(synth.bundleText, { artifact: art.chunks(), key: synth.keyPem })),
  },
  {
    key: 'sigvet ReadableStream',
    run: async () => check(await verifier.verify(synth.bundleText, { artifact: art.readableStream(), key: synth.keyPem })),
  },
  {
    key: 'floor',
    run: async () => {
      const h = crypto.createHash('sha256');
      for await (const c of art.chunks()) h.update(c);
      if (h.digest('hex') !== hex) throw new Error('stream: floor digest mismatch');
    },
  },
  { key: 'floor sync', run: () => void (Buffer.from(art.digest()).toString('hex') === hex || (() => { throw new Error('stream: floor digest mismatch'); })()) },
];
for (const c of contenders) c.batch = 1;
const samples = {};
for (let r = 0; r < opts.rounds; r++) await runRound(contenders, r, samples);

const mibps = (k) => samples[k].map((us) => opts.mib / (us / 1e6));
const rows = contenders.map((c) => ({
  key: c.key,
  MiBps: round(median(mibps(c.key)), 0),
  secondsPerPass: round(median(samples[c.key]) / 1e6, 3),
  overFloor: roundSpread(spread(roundRatios(mibps(c.key), mibps('floor'))), 3),
  overFloorSync: roundSpread(spread(roundRatios(mibps(c.key), mibps('floor sync'))), 3),
}));

const iter = rows[0];
const targets = [
  {
    id: 'stream.throughput',
    description: `Large artifact (${opts.mib} MiB, AsyncIterable, ${opts.chunkKib} KiB chunks): hashed at least at 90% of node:crypto SHA-256 throughput`,
    limit: '>= 0.90',
    measured: iter.overFloor.median,
    againstSyncFloor: iter.overFloorSync.median,
    readableStream: rows[1].overFloor.median,
    met: iter.overFloor.median >= 0.9,
  },
  {
    id: 'stream.memory',
    description: `Large artifact (${opts.mib} MiB): constant memory (peak RSS growth under 32 MiB)`,
    limit: '< 32 MiB',
    measured: memory.peakRssGrowthMiB,
    met: memory.peakRssGrowthMiB < 32,
  },
];
const file = writeScenario({
  resultsDir: opts.resultsDir,
  runtimeId: nodeRuntimeId(),
  runtime: nodeRuntimeInfo(),
  name: 'stream',
  quick: opts.quick,
  data: {
    status: 'ok',
    artifactMiB: opts.mib,
    chunkKiB: opts.chunkKib,
    rounds: opts.rounds,
    rows,
    memory,
    targets,
    durationS: round((Date.now() - started) / 1000, 1),
  },
});

const out = [`stream: ${process.version}, ${opts.mib} MiB in ${opts.chunkKib} KiB chunks, ${opts.rounds} rounds; medians, ratios per round (min–max)`, ''];
out.push(
  table(
    ['contender', 'MiB/s', 's per pass', '÷ floor', '÷ floor sync'],
    rows.map((r) => [r.key, fmt(r.MiBps), fmt(r.secondsPerPass, 2), `${fmt(r.overFloor.median, 3)} (${fmt(r.overFloor.min, 2)}–${fmt(r.overFloor.max, 2)})`, fmt(r.overFloorSync.median, 3)]),
  ),
);
out.push('');
out.push(`memory over one streamed verification: RSS ${fmt(memory.rssBeforeMiB, 1)} MiB before, peak growth ${fmt(memory.peakRssGrowthMiB, 1)} MiB (getrusage maxRSS growth ${fmt(memory.maxRssGrowthMiB, 1)} MiB)`);
out.push('');
for (const t of targets) out.push(`target ${t.met ? 'MET  ' : 'UNMET'} ${t.description}: ${fmt(t.measured, 3)}`);
out.push(`\nwrote ${path.relative(process.cwd(), file)} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.stdout.write(out.join('\n') + '\n');
