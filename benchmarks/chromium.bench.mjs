#!/usr/bin/env node
// Scenario 8, Chromium: headless Debian chromium (playwright-core) loads a
// page from 127.0.0.1 that imports dist/browser/sigvet.js (WebCrypto
// provider) and benchmarks/lib/browser-harness.js side by side. Per
// happy-path bundle, interleaved in the page:
//
//   sigvet          verifier.verify(bundleText, { artifact, identity | key })
//   floor           the bundle's signatures, awaited one after another with
//                   crypto.subtle.verify, keys imported beforehand
//   floor parallel  the same signatures under one Promise.all
//
// plus a streamed artifact (ReadableStream of --stream-mib MiB through
// verify) against WebCrypto's one-shot SHA-256 of a 64 MiB buffer.
// The page is cross-origin isolated (COOP/COEP) so performance.now() has
// its fine resolution. Writes <results dir>/chromium.json.
//
// --profile then looks into sigvet's time in the page: WebCrypto calls per
// verify (count, µs inside the call, µs until settled), and a CPU profile
// (CDP Profiler) of each bundle's warm loop split into WebCrypto, GC and
// JavaScript, with the top functions. Writes <results dir>/profile-chromium.txt.
//
//   node benchmarks/chromium.bench.mjs [--rounds N] [--target-ms T] [--stream-mib M] [--quick]
//                                      [--profile [--profile-ms MS] [--profile-filter RE]]

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { loadBundles, quickSubset } from './lib/cases.mjs';
import { cryptoFloor, describeFloor, floorForWebCrypto } from './lib/floor.mjs';
import { pooledArtifact, syntheticKeyBundle } from './lib/synthetic.mjs';
import { BENCH_DIR, DIST_BROWSER, parseOptions, writeScenario } from './lib/env.mjs';
import { fmt, geomean, median, round, roundRatios, roundSpread, spread, table } from './lib/stats.mjs';

const opts = parseOptions(
  process.argv.slice(2),
  {
    rounds: { type: 'number', default: 20, help: 'interleaved rounds in the page' },
    'target-ms': { type: 'number', default: 5, help: 'length each timed batch is sized to' },
    'stream-mib': { type: 'number', default: 256, help: 'streamed artifact size in MiB' },
    profile: { type: 'boolean', default: false, help: 'also count WebCrypto calls per verify and CPU-profile the warm loop (profile-chromium.txt)' },
    'profile-ms': { type: 'number', default: 1000, help: 'with --profile: profiled warm loop per bundle' },
    'profile-filter': { type: 'string', default: '', help: 'with --profile: only bundles whose id matches this RegExp' },
  },
  'usage: node benchmarks/chromium.bench.mjs [options]',
);
if (opts.quick) {
  opts.rounds = Math.min(opts.rounds, 2);
  opts.targetMs = 1;
  opts.streamMib = Math.min(opts.streamMib, 16);
}
const started = Date.now();
const IN_CI = Boolean(process.env.CI) && !['0', 'false'].includes(String(process.env.CI).toLowerCase());

function findChromium() {
  if (process.env.CHROMIUM_PATH) return fs.existsSync(process.env.CHROMIUM_PATH) ? process.env.CHROMIUM_PATH : undefined;
  try {
    return execFileSync('/bin/sh', ['-c', 'command -v chromium || command -v chromium-browser'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

const chromiumPath = findChromium();
if (!chromiumPath) {
  const msg = 'chromium: SKIPPED, no chromium found (apt-get install -y chromium, or set CHROMIUM_PATH)';
  process.stdout.write(`${msg}\n`);
  writeScenario({ resultsDir: opts.resultsDir, runtimeId: 'chromium', runtime: { id: 'chromium', name: 'chromium', version: null }, name: 'warm', quick: opts.quick, data: { status: 'skipped: chromium not found' } });
  process.exit(IN_CI ? 1 : 0);
}
const { chromium } = await import('playwright-core');

// ---------------------------------------------------------------- data for the page

const bundles = opts.quick ? quickSubset(loadBundles()) : loadBundles();
const cases = bundles.map((b) => ({
  id: b.id,
  family: b.kind.family,
  rootText: b.rootText,
  bundleText: b.bundleText,
  artifact: b.artifact.toString('base64'),
  keyPem: b.keyPem,
  identity: b.identity,
  floorText: describeFloor(cryptoFloor(b)),
  floor: floorForWebCrypto(cryptoFloor(b)),
}));
const MiB = 2 ** 20;
const art = pooledArtifact({ totalBytes: opts.streamMib * MiB });
const digest = art.digest();
const synth = syntheticKeyBundle(digest);
const stream = {
  ...synth,
  pool: art.pool.map((c) => Buffer.from(c).toString('base64')),
  totalBytes: art.totalBytes,
  digestHex: Buffer.from(digest).toString('hex'),
  referenceMiB: Math.min(64, opts.streamMib),
  rounds: opts.quick ? 1 : 3,
};

// ---------------------------------------------------------------- --profile

/** WebCrypto natives as the V8 profiler names them (no script URL). */
const WEBCRYPTO_NATIVES = new Set(['verify', 'importKey', 'digest', 'sign', 'exportKey']);

/** Self time of a .cpuprofile per area and per function (µs). */
function splitProfile(p) {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const areas = { webcrypto: 0, gc: 0, program: 0, idle: 0, sigvet: 0, other: 0 };
  const fns = new Map();
  for (let i = 0; i < p.samples.length; i++) {
    const dt = Math.max(0, p.timeDeltas[i] ?? 0);
    const { functionName, url, lineNumber } = byId.get(p.samples[i]).callFrame;
    const area = !url
      ? WEBCRYPTO_NATIVES.has(functionName)
        ? 'webcrypto'
        : functionName === '(garbage collector)'
          ? 'gc'
          : functionName === '(idle)'
            ? 'idle'
            : functionName === '(program)' || functionName === '(root)'
              ? 'program'
              : 'other'
      : url.endsWith('/sigvet.js')
        ? 'sigvet'
        : 'other';
    areas[area] += dt;
    const key = `${functionName || '(anonymous)'} ${url ? `${url.split('/').pop()}:${lineNumber + 1}` : '(native)'}`;
    fns.set(key, (fns.get(key) ?? 0) + dt);
  }
  return { areas, fns };
}

async function profilePage(page) {
  const filter = opts.profileFilter ? new RegExp(opts.profileFilter) : null;
  const ids = cases.map((c) => c.id).filter((id) => !filter || filter.test(id));
  const calls = await page.evaluate(async () => window.__harness.countWebCrypto(window.__prepared));
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 50 });
  // Starting the profiler logs every compiled function once (counted as
  // "(program)"): done once here, outside the measured loops.
  await cdp.send('Profiler.start');
  await cdp.send('Profiler.stop');
  const bundles = [];
  for (const id of ids) {
    await cdp.send('Profiler.start');
    const run = await page.evaluate(({ id, ms }) => window.__harness.loopOne(window.__prepared, id, ms), { id, ms: opts.profileMs });
    const { profile } = await cdp.send('Profiler.stop');
    bundles.push({ id, ...run, ...splitProfile(profile) });
  }
  await cdp.detach();
  return { calls: calls.filter((c) => ids.includes(c.id)), bundles };
}

function profileReport(profile, version) {
  const lines = [
    `sigvet warm verify in Chromium ${version}: WebCrypto calls and CPU profile of the page's main thread`,
    `(${new Date().toISOString()}, ${opts.profileMs} ms per bundle sampled every 50 µs; µs per verify)`,
    '',
    'WebCrypto calls per verify: count, µs inside the call / µs until the promise settled',
  ];
  lines.push(
    table(
      ['bundle', 'verify µs', 'importKey', 'verify', 'digest'],
      profile.calls.map((c) => [
        c.id,
        fmt(c.verifyUs),
        ...['importKey', 'verify', 'digest'].map((op) => `${fmt(c.ops[op].calls, 1)}: ${fmt(c.ops[op].inCallUs)} / ${fmt(c.ops[op].settleUs)}`),
      ]),
      ['l', 'r', 'r', 'r', 'r'],
    ),
  );
  lines.push('', 'Main-thread time per verify by area (WebCrypto = the natives verify/importKey/digest running in the call)');
  const areaNames = ['webcrypto', 'sigvet', 'gc', 'program', 'idle', 'other'];
  lines.push(
    table(
      ['bundle', 'verifies', ...areaNames],
      profile.bundles.map((b) => [b.id, String(b.verifies), ...areaNames.map((a) => fmt(b.areas[a] / b.verifies))]),
      ['l', ...areaNames.map(() => 'r'), 'r'],
    ),
  );
  const total = new Map();
  let n = 0;
  for (const b of profile.bundles) {
    n++;
    for (const [k, us] of b.fns) total.set(k, (total.get(k) ?? 0) + us / b.verifies);
  }
  lines.push('', `Top functions by self time, µs per verify averaged over the ${n} bundles`);
  lines.push(
    table(
      ['µs', 'function'],
      [...total]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 40)
        .map(([k, us]) => [fmt(us / n, 1), k]),
      ['r', 'l'],
    ),
  );
  return lines.join('\n') + '\n';
}

// ---------------------------------------------------------------- server and browser

const PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>sigvet bench</title></head><body>
<script type="module">
  window.__state = 'loading';
  Promise.all([import('./sigvet.js'), import('./harness.js')]).then(
    ([sigvet, harness]) => { window.__sigvet = sigvet; window.__harness = harness; window.__state = 'ready'; },
    (e) => { window.__state = 'error: ' + ((e && e.stack) || e); },
  );
</script></body></html>`;

const files = {
  '/': ['text/html; charset=utf-8', () => PAGE],
  '/sigvet.js': ['text/javascript; charset=utf-8', () => fs.readFileSync(DIST_BROWSER)],
  '/harness.js': ['text/javascript; charset=utf-8', () => fs.readFileSync(path.join(BENCH_DIR, 'lib', 'browser-harness.js'))],
};
const server = http.createServer((req, res) => {
  const f = files[new URL(req.url ?? '/', 'http://127.0.0.1').pathname];
  const headers = { 'cache-control': 'no-store', 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };
  if (req.method !== 'GET' || !f) {
    res.writeHead(404, headers);
    res.end();
    return;
  }
  res.writeHead(200, { ...headers, 'content-type': f[0] });
  res.end(f[1]());
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch({
  executablePath: chromiumPath,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-quic', '--disable-sync', '--enable-precise-memory-info'],
  timeout: 120_000,
});
let result;
try {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.route('**/*', (route) => (route.request().url().startsWith(`${origin}/`) ? route.continue() : route.abort()));
  await page.goto(`${origin}/`);
  await page.waitForFunction(() => window.__state !== 'loading', undefined, { timeout: 120_000 });
  const state = await page.evaluate(() => window.__state);
  if (state !== 'ready') throw new Error(`the page did not load: ${state}\n${errors.join('\n')}`);
  const env = await page.evaluate(() => ({ isolated: globalThis.crossOriginIsolated === true, userAgent: navigator.userAgent, hardwareConcurrency: navigator.hardwareConcurrency }));
  const warm = await page.evaluate(
    async ({ cases, cfg }) => {
      const prepared = await window.__harness.prepare(window.__sigvet, cases);
      window.__prepared = prepared;
      return window.__harness.measureWarm(prepared, cfg);
    },
    { cases, cfg: { rounds: opts.rounds, targetMs: opts.targetMs, warmup: opts.quick ? 2 : 10 } },
  );
  let streamed = null;
  let streamError = null;
  try {
    streamed = await page.evaluate(({ s }) => window.__harness.measureStream(window.__sigvet, s), { s: stream });
  } catch (e) {
    streamError = String(e.message ?? e).split('\n')[0];
  }
  const profile = opts.profile ? await profilePage(page) : null;
  if (errors.length) throw new Error(`page errors: ${errors.join('\n')}`);
  result = { env, warm, streamed, streamError, profile, version: browser.version() };
} finally {
  await browser.close();
  server.close();
}

// ---------------------------------------------------------------- results

const rows = result.warm.map((w) => {
  const c = cases.find((x) => x.id === w.id);
  const s = w.samples;
  return {
    id: w.id,
    family: c.family,
    floorSignatures: c.floorText,
    batch: w.batch,
    us: { sigvet: round(median(s.sigvet), 1), floor: round(median(s.floor), 1), floorParallel: round(median(s.floorParallel), 1) },
    ratios: {
      sigvetOverFloor: roundSpread(spread(roundRatios(s.sigvet, s.floor))),
      sigvetOverFloorParallel: roundSpread(spread(roundRatios(s.sigvet, s.floorParallel))),
      floorParallelOverFloor: roundSpread(spread(roundRatios(s.floorParallel, s.floor))),
    },
  };
});
const families = {};
for (const f of ['rekor-v1', 'rekor-v2', 'managed-key']) {
  const rs = rows.filter((r) => r.family === f);
  if (!rs.length) continue;
  const worst = rs.reduce((a, r) => (r.ratios.sigvetOverFloor.median > a.ratios.sigvetOverFloor.median ? r : a));
  families[f] = {
    bundles: rs.length,
    us: { sigvet: round(geomean(rs.map((r) => r.us.sigvet)), 1), floor: round(geomean(rs.map((r) => r.us.floor)), 1), floorParallel: round(geomean(rs.map((r) => r.us.floorParallel)), 1) },
    sigvetOverFloor: round(geomean(rs.map((r) => r.ratios.sigvetOverFloor.median)), 3),
    sigvetOverFloorParallel: round(geomean(rs.map((r) => r.ratios.sigvetOverFloorParallel.median)), 3),
    worstSigvetOverFloor: { id: worst.id, value: worst.ratios.sigvetOverFloor.median },
  };
}
const allWorst = rows.reduce((a, r) => (r.ratios.sigvetOverFloor.median > a.ratios.sigvetOverFloor.median ? r : a));
const targets = [
  {
    id: 'chromium.warm',
    description: 'Chromium warm: at most 1.2× the WebCrypto floor measured in the same page',
    limit: '<= 1.2',
    measured: allWorst.ratios.sigvetOverFloor.median,
    worst: allWorst.id,
    geomean: round(geomean(rows.map((r) => r.ratios.sigvetOverFloor.median)), 3),
    met: allWorst.ratios.sigvetOverFloor.median <= 1.2,
  },
];
let streamSummary = null;
if (result.streamed) {
  const s = result.streamed;
  const mibps = s.sigvetMs.map((ms) => opts.streamMib / (ms / 1000));
  const refMibps = s.webcryptoOneShotMs.map((ms) => stream.referenceMiB / (ms / 1000));
  streamSummary = {
    status: 'ok',
    artifactMiB: opts.streamMib,
    chunkKiB: art.chunkSize / 1024,
    sigvetMiBps: round(median(mibps), 0),
    webcryptoOneShotMiBps: round(median(refMibps), 0),
    overWebcryptoOneShot: roundSpread(spread(roundRatios(mibps, refMibps)), 3),
    heapPeakGrowthMiB: s.heapPeakGrowthBytes === null ? null : round(s.heapPeakGrowthBytes / MiB, 1),
  };
} else {
  streamSummary = { status: `error: ${result.streamError}` };
}
const runtime = { id: 'chromium', name: 'chromium', version: result.version, userAgent: result.env.userAgent, crossOriginIsolated: result.env.isolated, hardwareConcurrency: result.env.hardwareConcurrency, host: process.version };
const file = writeScenario({
  resultsDir: opts.resultsDir,
  runtimeId: 'chromium',
  runtime,
  name: 'warm',
  quick: opts.quick,
  data: { status: 'ok', rounds: opts.rounds, targetMs: opts.targetMs, unit: 'µs per verify (median over rounds)', rows, families, stream: streamSummary, targets, durationS: round((Date.now() - started) / 1000, 1) },
});

const out = [`chromium ${result.version}: sigvet (dist/browser/sigvet.js) vs the WebCrypto floor, ${opts.rounds} rounds${result.env.isolated ? '' : ' (not cross-origin isolated: coarse timer)'}; µs medians, ratios per round (min–max)`, ''];
out.push(
  table(
    ['bundle', 'sigvet', 'floor', 'sigvet/floor', 'par. floor', 'sigvet/par. floor', 'floor signatures'],
    rows.map((r) => [r.id, fmt(r.us.sigvet), fmt(r.us.floor), `${fmt(r.ratios.sigvetOverFloor.median, 2)}× (${fmt(r.ratios.sigvetOverFloor.min, 2)}–${fmt(r.ratios.sigvetOverFloor.max, 2)})`, fmt(r.us.floorParallel), `${fmt(r.ratios.sigvetOverFloorParallel.median, 2)}×`, r.floorSignatures]),
    ['l', 'r', 'r', 'r', 'r', 'r', 'l'],
  ),
);
out.push('');
if (streamSummary.status === 'ok') {
  out.push(`stream: ${opts.streamMib} MiB ReadableStream through verify: ${fmt(streamSummary.sigvetMiBps)} MiB/s; WebCrypto one-shot SHA-256 of ${stream.referenceMiB} MiB: ${fmt(streamSummary.webcryptoOneShotMiBps)} MiB/s; JS heap peak growth ${fmt(streamSummary.heapPeakGrowthMiB, 1)} MiB`);
} else {
  out.push(`stream: ${streamSummary.status}`);
}
out.push('');
for (const t of targets) out.push(`target ${t.met ? 'MET  ' : 'UNMET'} ${t.description}: worst ${fmt(t.measured, 2)} (${t.worst}), geomean ${fmt(t.geomean, 2)}`);
if (result.profile) {
  const profileFile = path.join(opts.resultsDir, 'profile-chromium.txt');
  fs.mkdirSync(opts.resultsDir, { recursive: true });
  fs.writeFileSync(profileFile, profileReport(result.profile, result.version));
  out.push(`wrote ${path.relative(process.cwd(), profileFile)}`);
}
out.push(`\nwrote ${path.relative(process.cwd(), file)} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.stdout.write(out.join('\n') + '\n');
