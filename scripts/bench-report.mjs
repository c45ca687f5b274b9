#!/usr/bin/env node
// `npm run bench:report`: renders docs/performance.md from the benchmark
// results (benchmarks/results/*.json, written by `npm run bench` /
// `npm run bench:all`). Every figure in that page comes from those files;
// the page is regenerated, never edited. The output depends only on the
// results files (no clock), so regenerating without a new run changes nothing.
//
//   node scripts/bench-report.mjs [--results DIR] [--out FILE] [--check]
//
// --check: exit 1 when FILE differs from what the results give (CI can use
// it to catch a hand-edited or stale page).

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SCHEMA = 'sigvet-bench-results/v1';

function parseArgs(argv) {
  const o = { results: path.join(REPO, 'benchmarks', 'results'), out: path.join(REPO, 'docs', 'performance.md'), check: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (i + 1 >= argv.length) fail(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--results') o.results = path.resolve(val());
    else if (a === '--out') o.out = path.resolve(val());
    else if (a === '--check') o.check = true;
    else if (a === '-h' || a === '--help') {
      process.stdout.write('usage: node scripts/bench-report.mjs [--results DIR] [--out FILE] [--check]\n');
      process.exit(0);
    } else fail(`unknown argument ${a}`);
  }
  return o;
}

function fail(msg) {
  process.stderr.write(`bench-report: ${msg}\n`);
  process.exit(2);
}

// ---------------------------------------------------------------- loading

const RUNTIME_ORDER = ['node20', 'node22', 'node24', 'chromium'];

/** Every results file of the right schema, in runtime order. */
export function loadResults(dir) {
  if (!fs.existsSync(dir)) return [];
  const out = [];
  for (const f of fs.readdirSync(dir).sort()) {
    if (!f.endsWith('.json')) continue;
    let r;
    try {
      r = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
    } catch {
      continue;
    }
    if (r?.schema !== SCHEMA || typeof r.scenarios !== 'object') continue;
    out.push({ id: path.basename(f, '.json'), file: f, ...r });
  }
  const rank = (id) => (RUNTIME_ORDER.includes(id) ? RUNTIME_ORDER.indexOf(id) : RUNTIME_ORDER.length);
  return out.sort((a, b) => rank(a.id) - rank(b.id) || a.id.localeCompare(b.id));
}

// ---------------------------------------------------------------- formatting

const n = (x, d = 0) => (typeof x === 'number' && Number.isFinite(x) ? x.toFixed(d) : 'n/a');
const ratio = (x, d = 2) => (typeof x === 'number' ? `${n(x, d)}×` : 'n/a');
const spreadCell = (s, d = 2) => (s ? `${n(s.median, d)}× (${n(s.min, d)}–${n(s.max, d)})` : 'n/a');
const msSpread = (s, d = 1) => (s ? `${n(s.median, d)} (${n(s.min, d)}–${n(s.max, d)})` : 'n/a');
const status = (met) => (met === true ? '**met**' : met === false ? '**not met**' : 'n/a');

function table(header, rows, align = header.map((_, i) => (i === 0 ? 'l' : 'r'))) {
  const esc = (c) => String(c ?? '').replaceAll('|', '\\|');
  const lines = [`| ${header.map(esc).join(' | ')} |`, `|${align.map((a) => (a === 'l' ? ' :--- ' : ' ---: ')).join('|')}|`];
  for (const r of rows) lines.push(`| ${r.map(esc).join(' | ')} |`);
  return lines.join('\n');
}

/** The measured value of a target, in its unit. */
function measured(t) {
  const v = t.measured;
  if (v === null || v === undefined) return 'n/a';
  if (t.id.startsWith('cold.library')) return `${n(v, 1)} ms wall${t.cpuMs != null ? `, ${n(t.cpuMs, 1)} ms CPU` : ''}${t.withCompileCache != null ? ` (${n(t.withCompileCache, 1)} ms wall with compile cache)` : ''}`;
  if (t.id.startsWith('cold.cli')) return `${ratio(v, 2)}${t.withCompileCache != null ? ` (${ratio(t.withCompileCache, 2)} with compile cache)` : ''}`;
  if (t.id === 'cache.repeat') return `1/${n(1 / v, 0)} of the floor (worst bundle; ${n(v, 4)}×)`;
  if (t.id === 'cache.bounded') return `${n(v, 2)} MiB heap growth after the cap`;
  if (t.id === 'stream.memory') return `${n(v, 1)} MiB peak RSS growth`;
  if (t.id === 'memory.loop') return `${n(v, 1)} KiB program data${t.totalHeapGrowthKiB != null ? ` (total heap ${n(t.totalHeapGrowthKiB, 0)} KiB, of it compiled code ${n(t.compiledCodeGrowthKiB, 0)} KiB)` : ''}`;
  if (t.id.startsWith('policy')) return `${n(v, 1)} µs`;
  if (t.id.startsWith('throughput')) return `${ratio(v, 2)} (${t.concurrency ?? '?'})`;
  if (t.id === 'stream.throughput') return `${n(v * 100, 0)}% of node:crypto`;
  if (t.geomean !== undefined) return `${ratio(v, 2)} worst (${t.worst ?? '?'}); ${ratio(t.geomean, 2)} geomean`;
  return ratio(v, 2);
}

function sectionMeta(s, r) {
  if (!s) return '';
  const bits = [`${r.runtime?.name === 'chromium' ? `Chromium ${r.runtime.version}` : `Node ${s.runtimeVersion ?? r.runtime?.version}`}`, `run ${s.date?.slice(0, 16).replace('T', ' ')} UTC`];
  if (s.git?.commit) bits.push(`commit ${s.git.commit}${s.git.srcDirty ? ' + uncommitted src/ changes' : ''}`);
  if (typeof s.loadAverage1m === 'number') bits.push(`load average ${n(s.loadAverage1m, 1)} at the end`);
  if (s.durationS !== undefined) bits.push(`${n(s.durationS, 0)} s`);
  let line = `_${bits.join(', ')}._`;
  if (s.mode === 'quick') line += ' **Quick (smoke) mode: these figures only show that the scenario runs.**';
  if (s.status && s.status !== 'ok') line += ` Status: ${s.status}.`;
  return line;
}

// ---------------------------------------------------------------- sections

function targetsSection(all) {
  const rows = [];
  for (const r of all) {
    for (const [name, s] of Object.entries(r.scenarios)) {
      for (const t of s.targets ?? []) {
        // The cold-start targets are set for Node 22; other runtimes' figures are in section 2.
        if (t.primary === false) continue;
        rows.push([t.description, r.id, measured(t), t.limit, status(s.mode === 'quick' ? null : t.met) + (s.mode === 'quick' ? ' (quick run)' : ''), name]);
      }
    }
  }
  const cold22 = all.find((r) => r.id === 'node22')?.scenarios.cold;
  const notes = [];
  if (!cold22) notes.push('The cold-start targets are set for Node 22, which these results do not include (`npm run bench:all`, or `npm run bench` with a Node 22 at hand).');
  if (!all.some((r) => r.scenarios.policy)) notes.push('Policy: not measured (benchmarks/policy.bench.mjs was not present when the suite ran).');
  const body = rows.length ? table(['target', 'runtime', 'measured', 'limit', 'status', 'scenario'], rows, ['l', 'l', 'l', 'l', 'l', 'l']) : '_No results yet: run `npm run bench`._';
  return ['## Targets (issue 8)', '', body, ...(notes.length ? ['', ...notes.map((x) => `- ${x}`)] : [])].join('\n');
}

function machineSection(all) {
  const rows = all.map((r) => {
    const dates = Object.values(r.scenarios).map((s) => s.date).filter(Boolean).sort();
    const commits = [...new Set(Object.values(r.scenarios).map((s) => s.git?.commit).filter(Boolean))];
    const rt = r.runtime ?? {};
    const ver = rt.name === 'chromium' ? `Chromium ${rt.version}` : `Node ${rt.version}`;
    const detail = rt.name === 'chromium' ? `${rt.crossOriginIsolated ? 'cross-origin isolated' : 'not isolated'}; host Node ${rt.host}` : `V8 ${rt.v8}, OpenSSL ${rt.openssl}`;
    return [`benchmarks/results/${r.file}`, ver, detail, `${dates[0]?.slice(0, 10) ?? '?'} – ${dates[dates.length - 1]?.slice(0, 10) ?? '?'}`, commits.join(', ') || '?', Object.keys(r.scenarios).join(', ')];
  });
  const m = all.find((r) => r.machine)?.machine;
  const lines = ['## Machine and runtimes', ''];
  if (m) lines.push(`${m.cpus} × ${m.cpuModel}${m.cpuMHz ? ` (${m.cpuMHz} MHz)` : ''}, ${n(m.totalMemoryMiB / 1024, 0)} GiB memory, ${m.platform}, libuv thread pool ${m.uvThreadpoolSize}. The machine is shared with other work, so each scenario records the load average when it finished; compare ratios, not absolute times.`, '');
  lines.push(table(['results file', 'runtime', 'engine', 'dates', 'commit', 'scenarios'], rows, ['l', 'l', 'l', 'l', 'l', 'l']));
  return lines.join('\n');
}

function warmSection(all) {
  const lines = ['## 1. Warm verification of one bundle (Node)', ''];
  lines.push('From bundle JSON text to verified result, with a verifier built once per trusted root. `official`: `@sigstore/verify` (JSON.parse, bundleFromJSON, toSignedEntity, Verifier.verify). `floor`: the signatures the bundle needs, run one after another with `node:crypto`, keys imported beforehand. `par. floor`: the same signatures all at once through the asynchronous `crypto.verify` (libuv thread pool), which is how far below the sequential floor overlapping independent checks could go. Times are medians in µs per verification. Ratios are the median (min–max) of the per-round ratios.');
  let any = false;
  for (const r of all.filter((x) => x.id.startsWith('node'))) {
    const s = r.scenarios.warm;
    if (!s?.rows) continue;
    any = true;
    lines.push('', `### ${r.id}`, '', sectionMeta(s, r), '');
    lines.push(
      table(
        ['family (geometric means)', 'bundles', 'sigvet µs', 'official µs', 'floor µs', 'par. floor µs', 'official/sigvet', 'sigvet/floor', 'sigvet/par. floor'],
        Object.values(s.families).map((f) => [f.label, f.bundles, n(f.us.sigvet), n(f.us.official), n(f.us.floor), n(f.us.floorParallel), ratio(f.officialOverSigvet, 1), ratio(f.sigvetOverFloor), ratio(f.sigvetOverFloorParallel)]),
      ),
    );
    lines.push('', '<details><summary>Every bundle</summary>', '');
    lines.push(
      table(
        ['bundle', 'sigvet µs', 'official µs', 'official/sigvet', 'floor µs', 'sigvet/floor', 'par. floor µs', 'sigvet/par. floor', 'floor signatures'],
        s.rows.map((x) => [x.id, n(x.us.sigvet), x.officialError ? 'rejects' : n(x.us.official), x.officialError ? 'n/a' : spreadCell(x.ratios.officialOverSigvet, 1), n(x.us.floor), spreadCell(x.ratios.sigvetOverFloor), n(x.us.floorParallel), spreadCell(x.ratios.sigvetOverFloorParallel), x.floorSignatures]),
        ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l'],
      ),
    );
    const rejected = s.rows.filter((x) => x.officialError);
    if (rejected.length) lines.push('', ...rejected.map((x) => `- \`@sigstore/verify\` ${s.official?.version ?? ''} rejects ${x.id}: ${x.officialError}`));
    lines.push('', '</details>');
  }
  if (!any) lines.push('', '_Not measured._');
  return lines.join('\n');
}

function coldSection(all) {
  const lines = ['## 2. Cold start (fresh processes)', ''];
  lines.push('Library: `import` of the Node build, `createVerifier({ trustedRoot })`, then the first `verify`, each timed inside a fresh process, in ms (median, min–max over processes). `library CPU` is the CPU time of the process over the same span, thread pool included; on a loaded machine it is the better estimate of the work. CLI: the wall time of `node dist/cli.js verify-bundle …` against `node -e 0`, run alternately in the same run. With `NODE_COMPILE_CACHE` (Node 22.1 and later), the cache directory is primed by one unmeasured run.');
  let any = false;
  for (const r of all.filter((x) => x.id.startsWith('node'))) {
    const s = r.scenarios.cold;
    if (!s?.library) continue;
    any = true;
    lines.push('', `### ${r.id}`, '', sectionMeta(s, r), '');
    const variants = ['plain', 'compileCache'];
    lines.push(
      table(
        ['case', 'variant', 'import', 'createVerifier', 'first verify', 'library total', 'library CPU', 'Node bootstrap'],
        s.library.flatMap((l) => variants.filter((v) => l[v]).map((v) => [l.id, v === 'plain' ? 'no cache' : 'compile cache', msSpread(l[v].importMs), msSpread(l[v].createVerifierMs), msSpread(l[v].firstVerifyMs), msSpread(l[v].libraryMs), msSpread(l[v].libraryCpuMs), msSpread(l[v].nodeBootstrapMs)])),
        ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r'],
      ),
    );
    lines.push('');
    lines.push(
      table(
        ['CLI one-shot', '`node -e 0` ms', '`sigvet verify-bundle` ms', 'overhead ms', 'ratio'],
        variants.filter((v) => s.cli[v]).map((v) => [v === 'plain' ? 'no cache' : 'compile cache', msSpread(s.cli[v].baselineMs), msSpread(s.cli[v].cliMs), n(s.cli[v].overheadMs, 1), spreadCell(s.cli[v].ratio, 2)]),
      ),
    );
  }
  if (!any) lines.push('', '_Not measured._');
  return lines.join('\n');
}

function throughputSection(all) {
  const lines = ['## 3. Throughput (batch API)', ''];
  lines.push('Each pass verifies the same list of bundles (cycling over one workload that shares a trusted root) with one verifier. `sequential` awaits `verify` one bundle at a time. `verifyMany/c` is the batch API with `c` bundles in flight. `pool/8` is a plain promise pool over `verify`. `floor` and `floor async/8` are the same passes for the bundles\' crypto floors alone, which shows what the cores had free at that moment. `÷ single core` compares with the single-core throughput (bundles ÷ CPU seconds of the sequential passes, all threads counted): the target\'s baseline, because the sequential loop itself already runs each bundle\'s slow check (the P-384 CA signature) on a second core.');
  let any = false;
  for (const r of all.filter((x) => x.id.startsWith('node'))) {
    const s = r.scenarios.throughput;
    if (!s?.workloads) continue;
    any = true;
    lines.push('', `### ${r.id}`, '', sectionMeta(s, r));
    for (const w of s.workloads) {
      lines.push('', `${w.family}: ${w.items} bundles per pass, ${w.rounds} rounds, over ${w.bundles.length} bundles (${w.bundles.join(', ')}).`, '');
      if (w.singleCoreBundlesPerSecond) lines.push(`Single core: ${n(w.singleCoreBundlesPerSecond)} bundles/s.`, '');
      lines.push(
        table(
          ['contender', 'bundles/s', 'ms per pass', '÷ sequential', '÷ single core'],
          w.rows.map((x) => [x.key, n(x.bundlesPerSecond), n(x.msPerPass, 0), spreadCell(x.overSequential, 2), x.overSingleCore === undefined ? '–' : `${n(x.overSingleCore, 2)}×`]),
        ),
      );
    }
  }
  if (!any) lines.push('', '_Not measured._');
  return lines.join('\n');
}

function cacheSection(all) {
  const lines = ['## 4. Repeat verification with the result cache', ''];
  lines.push('`createVerifier({ trustedRoot, cache: { maxEntries: 1000 } })`, verifying the same bundle text with the same input again, compared with the same verification without a cache and with the bundle\'s crypto floor. Memory: a cache is filled three times over with distinct bundle texts, and the heap is measured after GC.');
  let any = false;
  for (const r of all.filter((x) => x.id.startsWith('node'))) {
    const s = r.scenarios.cache;
    if (!s?.rows) continue;
    any = true;
    lines.push('', `### ${r.id}`, '', sectionMeta(s, r), '');
    lines.push(
      table(
        ['bundle', 'cached µs', 'uncached µs', 'floor µs', 'cached/floor', 'of the floor'],
        s.rows.map((x) => [x.id, n(x.us.cached, 1), n(x.us.uncached), n(x.us.floor), spreadCell(x.cachedOverFloor, 4), x.fractionOfFloor]),
      ),
    );
    const m = s.memory;
    if (m) lines.push('', `Memory (${m.bundle}, maxEntries ${m.maxEntries}): heap growth after GC ${m.points.map((p) => `${n(p.heapGrowthMiB, 2)} MiB at ${p.distinctBundles}`).join(', ')} distinct bundles. That is about ${n(m.bytesPerEntry)} bytes per cached result, and ${n(m.growthAfterCapMiB, 2)} MiB of growth once the cap is reached.`);
  }
  if (!any) lines.push('', '_Not measured._');
  return lines.join('\n');
}

function streamSection(all) {
  const lines = ['## 5. Large artifacts (streamed)', ''];
  lines.push('A generated artifact (64 KiB chunks cycling over a pool of random chunks, never on disk) is verified as a stream against a synthetic managed-key bundle signed over its digest. `floor` is `node:crypto` SHA-256 fed from the same async iterable; `floor sync` is the same hash in a plain loop. Peak RSS growth is sampled while one streamed verification runs.');
  let any = false;
  for (const r of all.filter((x) => x.id.startsWith('node'))) {
    const s = r.scenarios.stream;
    if (!s?.rows) continue;
    any = true;
    lines.push('', `### ${r.id}`, '', sectionMeta(s, r), '', `${s.artifactMiB} MiB in ${s.chunkKiB} KiB chunks, ${s.rounds} rounds.`, '');
    lines.push(table(['contender', 'MiB/s', 's per pass', '÷ floor', '÷ floor sync'], s.rows.map((x) => [x.key, n(x.MiBps), n(x.secondsPerPass, 2), spreadCell(x.overFloor, 3), ratio(x.overFloorSync.median, 3)])));
    lines.push('', `Memory during one streamed verification: peak RSS growth ${n(s.memory.peakRssGrowthMiB, 1)} MiB (getrusage maxRSS growth ${n(s.memory.maxRssGrowthMiB, 1)} MiB) from an RSS of ${n(s.memory.rssBeforeMiB, 0)} MiB.`);
  }
  const c = all.find((x) => x.id === 'chromium')?.scenarios.warm?.stream;
  if (c) {
    any = true;
    lines.push('', '### chromium', '');
    lines.push(
      c.status === 'ok'
        ? `A ${c.artifactMiB} MiB \`ReadableStream\` (${c.chunkKiB} KiB chunks) through \`verify\` in the page ran at ${n(c.sigvetMiBps)} MiB/s, with a JS heap peak growth of ${n(c.heapPeakGrowthMiB, 1)} MiB. WebCrypto has no incremental hash, so sigvet streams through @noble/hashes. For reference, WebCrypto's one-shot \`digest\` of a buffer already in memory ran at ${n(c.webcryptoOneShotMiBps)} MiB/s (${spreadCell(c.overWebcryptoOneShot, 3)} of that).`
        : `Streaming in Chromium: ${c.status}.`,
    );
  }
  if (!any) lines.push('', '_Not measured._');
  return lines.join('\n');
}

function memorySection(all) {
  const lines = ['## 6. Memory', ''];
  lines.push('A loop of verifications with one verifier per workload. The heap is measured after forced GCs (`--expose-gc`) once a warm-up is done, then at each quarter of the loop. Heap per verifier: verifiers kept alive, heap after GC divided by their number.');
  let any = false;
  for (const r of all.filter((x) => x.id.startsWith('node'))) {
    const s = r.scenarios.memory;
    if (!s?.loop) continue;
    any = true;
    const l = s.loop;
    lines.push('', `### ${r.id}`, '', sectionMeta(s, r), '');
    lines.push(
      table(
        ['measure', 'value'],
        [
          ['verifications (after a warm-up of)', `${l.verifications} (${l.warmup ?? '?'})`],
          ['heap before → after (after GC)', `${n(l.heapBeforeMiB, 2)} → ${n(l.heapAfterMiB, 2)} MiB`],
          ['growth', `${n(l.heapGrowthKiB, 1)} KiB (${n(l.heapGrowthBytesPerVerification, 1)} B per verification)`],
          ['growth at each quarter', l.quarters ? l.quarters.map((q) => `${n(q.heapGrowthKiB, 0)} KiB`).join(' / ') : 'n/a'],
          ['growth by V8 space', l.spaceGrowthKiB ? Object.entries(l.spaceGrowthKiB).map(([k, v]) => `${k} ${n(v, 0)} KiB`).join(', ') || 'none' : 'n/a'],
          ['heap-snapshot growth', l.snapshotGrowth ? Object.entries(l.snapshotGrowth.byCategoryKiB).map(([k, v]) => `${k} ${n(v, 1)} KiB`).join(', ') : 'n/a'],
          ['RSS before → after; peak in the loop', `${n(l.rssBeforeMiB, 0)} → ${n(l.rssAfterMiB, 0)} MiB; peak ${n(l.peakRssMiB, 0)} MiB`],
          ...s.verifiers.map((v) => [`heap per verifier, ${v.root}`, `${n(v.kiBPerVerifier, 1)} KiB`]),
        ],
        ['l', 'r'],
      ),
    );
  }
  if (!any) lines.push('', '_Not measured._');
  return lines.join('\n');
}

function policySection(all) {
  const lines = ['## 7. Policy evaluation', ''];
  let any = false;
  for (const r of all.filter((x) => x.id.startsWith('node'))) {
    const s = r.scenarios.policy;
    if (!s) continue;
    any = true;
    lines.push(`### ${r.id}`, '', sectionMeta(s, r), '');
    if (s.output) lines.push('```text', s.output, '```');
    else if (s.rows) lines.push(table(Object.keys(s.rows[0] ?? { result: '' }), s.rows.map((x) => Object.values(x).map((v) => (typeof v === 'object' ? JSON.stringify(v) : v)))));
    lines.push('');
  }
  if (!any) lines.push('_Not measured: benchmarks/policy.bench.mjs was not present when the suite ran._');
  return lines.join('\n').trimEnd();
}

function chromiumSection(all) {
  const lines = ['## 8. Chromium (headless), warm', ''];
  const r = all.find((x) => x.id === 'chromium');
  const s = r?.scenarios.warm;
  if (!s?.rows) return [...lines, s?.status ? `_${s.status}._` : '_Not measured._'].join('\n');
  lines.push('A page on 127.0.0.1 loads `dist/browser/sigvet.js` (WebCrypto provider) and the floor code side by side. `floor` awaits `crypto.subtle.verify` for each signature in turn, with keys imported beforehand. `par. floor` runs them under one `Promise.all`. Times are medians in µs per verification, and ratios are per round.', '', sectionMeta(s, r), '');
  lines.push(
    table(
      ['family (geometric means)', 'bundles', 'sigvet µs', 'floor µs', 'par. floor µs', 'sigvet/floor', 'sigvet/par. floor'],
      Object.entries(s.families).map(([k, f]) => [k, f.bundles, n(f.us.sigvet), n(f.us.floor), n(f.us.floorParallel), ratio(f.sigvetOverFloor), ratio(f.sigvetOverFloorParallel)]),
    ),
  );
  lines.push('', '<details><summary>Every bundle</summary>', '');
  lines.push(
    table(
      ['bundle', 'sigvet µs', 'floor µs', 'sigvet/floor', 'par. floor µs', 'sigvet/par. floor', 'floor signatures'],
      s.rows.map((x) => [x.id, n(x.us.sigvet), n(x.us.floor), spreadCell(x.ratios.sigvetOverFloor), n(x.us.floorParallel), spreadCell(x.ratios.sigvetOverFloorParallel), x.floorSignatures]),
      ['l', 'r', 'r', 'r', 'r', 'r', 'l'],
    ),
  );
  lines.push('', '</details>');
  return lines.join('\n');
}

function profileSection(all) {
  const lines = ['## Where the time goes: CPU profile of the warm loop', ''];
  let any = false;
  for (const r of all.filter((x) => x.id.startsWith('node'))) {
    const s = r.scenarios.profile;
    if (!s?.areas) continue;
    any = true;
    lines.push(`### ${r.id}`, '', sectionMeta(s, r), '');
    lines.push(`${s.verifications} warm verifications in ${s.seconds} s (${n(s.usPerVerifyWall, 0)} µs each, wall clock, profiler on). The full summary is in \`${s.summaryFile}\`. The profile covers the main thread only: checks that \`node:crypto\` runs on the thread pool appear as idle time.`, '');
    lines.push(table(['area (self time)', 'ms', '%'], s.areas.map((a) => [a.area, n(a.ms, 0), n(a.pct, 1)])));
    lines.push('', table(['top functions by self time', 'ms', '%'], s.topSelf.slice(0, 12).map((f) => [`${f.name} (${f.where})`, n(f.ms, 0), n(f.pct, 1)])));
    lines.push('', table(["sigvet's functions by inclusive time", 'ms', '%'], s.topInclusiveSigvet.slice(0, 12).map((f) => [`${f.name} (${f.where})`, n(f.ms, 0), n(f.pct, 1)])), '');
  }
  if (!any) lines.push('_No profile in these results: `npm run bench:profile`._');
  return lines.join('\n').trimEnd();
}

/** The whole page. */
export function renderReport(all) {
  const parts = [
    '# Performance',
    '',
    '<!-- Generated by `npm run bench:report` (scripts/bench-report.mjs) from benchmarks/results/*.json. Do not edit: run the benchmarks and regenerate. -->',
    '',
    'Generated from the benchmark results in `benchmarks/results/`. The suite and what it measures are described in [benchmarks/README.md](../benchmarks/README.md). `npm run bench` measures the current Node and Chromium. `npm run bench:all` measures Node 20, 22 and 24. `npm run bench:profile` records the CPU profile, and `npm run bench:report` rewrites this page. Every ratio compares contenders measured in one process and interleaved round by round. Absolute times on the shared 2-core machine move by 20–25% between runs.',
    '',
    targetsSection(all),
    '',
    machineSection(all),
    '',
    warmSection(all),
    '',
    coldSection(all),
    '',
    throughputSection(all),
    '',
    cacheSection(all),
    '',
    streamSection(all),
    '',
    memorySection(all),
    '',
    policySection(all),
    '',
    chromiumSection(all),
    '',
    profileSection(all),
    '',
  ];
  return parts.join('\n');
}

// ---------------------------------------------------------------- main

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const opts = parseArgs(process.argv.slice(2));
  const all = loadResults(opts.results);
  if (all.length === 0) process.stderr.write(`bench-report: no results in ${opts.results}; the page will say so (run npm run bench)\n`);
  const text = renderReport(all);
  if (opts.check) {
    const current = fs.existsSync(opts.out) ? fs.readFileSync(opts.out, 'utf8') : '';
    if (current !== text) {
      process.stderr.write(`bench-report: ${path.relative(process.cwd(), opts.out)} is not what the results give; run npm run bench:report\n`);
      process.exit(1);
    }
    process.stdout.write(`bench-report: ${path.relative(process.cwd(), opts.out)} is up to date\n`);
  } else {
    fs.mkdirSync(path.dirname(opts.out), { recursive: true });
    fs.writeFileSync(opts.out, text);
    process.stdout.write(`bench-report: wrote ${path.relative(process.cwd(), opts.out)} from ${all.map((r) => r.file).join(', ') || 'no results'}\n`);
  }
}
