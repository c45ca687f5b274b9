// The in-page half of benchmarks/chromium.bench.mjs, loaded as an ES module
// beside dist/browser/sigvet.js. Plain browser JavaScript: WebCrypto,
// performance.now(), no Node APIs. Node hands in the cases (bundle text,
// artifact, trusted root, expected identity or key, and each bundle's floor
// as WebCrypto-ready data) and reads back per-round samples in µs.

const fromB64 = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));

/** Builds verifiers (one per trusted root), inputs and the imported floor keys. */
export async function prepare(sigvet, cases) {
  const verifiers = new Map();
  const out = [];
  for (const c of cases) {
    let v = verifiers.get(c.rootText);
    if (!v) {
      v = await sigvet.createVerifier({ trustedRoot: c.rootText });
      verifiers.set(c.rootText, v);
    }
    const input = { artifact: fromB64(c.artifact), ...(c.keyPem ? { key: c.keyPem } : { identity: c.identity }) };
    const floor = [];
    for (const f of c.floor) {
      const key = await crypto.subtle.importKey('spki', fromB64(f.spki), f.importAlg, false, ['verify']);
      floor.push({ key, alg: f.verifyAlg, data: fromB64(f.data), signature: fromB64(f.signature), what: f.what });
    }
    for (const f of floor) {
      if (!(await crypto.subtle.verify(f.alg, f.key, f.signature, f.data))) throw new Error(`${c.id}: floor ${f.what} does not verify in WebCrypto`);
    }
    await v.verify(c.bundleText, input); // must pass here too
    out.push({ id: c.id, verifier: v, bundleText: c.bundleText, input, floor });
  }
  return out;
}

function contendersOf(p) {
  return [
    {
      key: 'sigvet',
      run: async (n) => {
        for (let i = 0; i < n; i++) await p.verifier.verify(p.bundleText, p.input);
      },
    },
    {
      key: 'floor',
      run: async (n) => {
        for (let i = 0; i < n; i++) {
          for (const f of p.floor) if (!(await crypto.subtle.verify(f.alg, f.key, f.signature, f.data))) throw new Error('floor failed');
        }
      },
    },
    {
      key: 'floorParallel',
      run: async (n) => {
        for (let i = 0; i < n; i++) {
          const ok = await Promise.all(p.floor.map((f) => crypto.subtle.verify(f.alg, f.key, f.signature, f.data)));
          if (ok.includes(false)) throw new Error('floor failed');
        }
      },
    },
  ];
}

async function calibrate(run, targetMs, warmup) {
  await run(warmup);
  const t0 = performance.now();
  await run(5);
  const per = (performance.now() - t0) / 5;
  return Math.max(1, Math.min(500, Math.round(targetMs / Math.max(per, 0.001))));
}

/** Interleaved rounds over every prepared case; returns { id: { key: [µs per call] } } and the batch sizes. */
export async function measureWarm(prepared, { rounds, targetMs, warmup }) {
  const plan = [];
  for (const p of prepared) {
    const cs = contendersOf(p);
    for (const c of cs) c.batch = await calibrate(c.run, targetMs, warmup);
    plan.push({ id: p.id, cs, samples: Object.fromEntries(cs.map((c) => [c.key, []])) });
  }
  for (let r = 0; r < rounds; r++) {
    for (const p of plan) {
      for (let k = 0; k < p.cs.length; k++) {
        const c = p.cs[(r + k) % p.cs.length];
        const t0 = performance.now();
        await c.run(c.batch);
        p.samples[c.key].push(((performance.now() - t0) * 1000) / c.batch);
      }
    }
  }
  return plan.map((p) => ({ id: p.id, samples: p.samples, batch: Object.fromEntries(p.cs.map((c) => [c.key, c.batch])) }));
}

function heapBytes() {
  return performance.memory ? performance.memory.usedJSHeapSize : null;
}

/**
 * A streamed artifact of `count` pooled chunks through verify() as a
 * ReadableStream, against WebCrypto's one-shot SHA-256 of a buffer of
 * `referenceMiB` (WebCrypto has no incremental hash). Heap is sampled every
 * 16 MiB while streaming.
 */
export async function measureStream(sigvet, s) {
  const pool = s.pool.map(fromB64);
  const chunkSize = pool[0].length;
  const count = s.totalBytes / chunkSize;
  const verifier = await sigvet.createVerifier({ trustedRoot: s.rootText });
  const every = Math.max(1, Math.floor((16 * 2 ** 20) / chunkSize));
  // The one-shot reference buffer exists before the heap baseline is taken.
  const ref = new Uint8Array(s.referenceMiB * 2 ** 20);
  for (let off = 0; off < ref.length; off += chunkSize) ref.set(pool[(off / chunkSize) % pool.length].subarray(0, Math.min(chunkSize, ref.length - off)), off);
  const results = { sigvetMs: [], webcryptoOneShotMs: [] };
  const heapStart = heapBytes();
  let heapPeak = heapStart;
  const stream = () => {
    let i = 0;
    return new ReadableStream({
      pull(controller) {
        if (i < count) {
          if (i % every === 0 && heapStart !== null) heapPeak = Math.max(heapPeak, heapBytes());
          controller.enqueue(pool[i++ % pool.length]);
        } else controller.close();
      },
    });
  };
  for (let r = 0; r < s.rounds; r++) {
    const t0 = performance.now();
    const res = await verifier.verify(s.bundleText, { artifact: stream(), key: s.keyPem });
    results.sigvetMs.push(performance.now() - t0);
    if (res.content.artifactDigest.hex !== s.digestHex) throw new Error('stream: wrong digest verified');
    const t1 = performance.now();
    await crypto.subtle.digest('SHA-256', ref);
    results.webcryptoOneShotMs.push(performance.now() - t1);
  }
  return {
    ...results,
    heapStartBytes: heapStart,
    heapPeakGrowthBytes: heapStart === null ? null : heapPeak - heapStart,
  };
}

/**
 * WebCrypto calls per verify, for --profile: `crypto.subtle.importKey`,
 * `verify` and `digest` are wrapped for `verifies` warm verifications of each
 * prepared case, then restored. Per call it records the time spent inside
 * the call (until it returns its promise) and until the promise settles: an
 * implementation that works synchronously in the call (Chromium) shows both
 * equal, one that hands the work to another thread shows a short call.
 * Returns, per case, the average count and µs per verify of each operation.
 */
export async function countWebCrypto(prepared, { verifies = 20 } = {}) {
  const subtle = crypto.subtle;
  const ops = ['importKey', 'verify', 'digest'];
  let log = null;
  for (const op of ops) {
    const original = subtle[op];
    subtle[op] = function (...args) {
      const t0 = performance.now();
      const result = original.apply(this, args);
      const entry = { op, inCallUs: (performance.now() - t0) * 1000, settleUs: null };
      if (log) {
        log.push(entry);
        result.then(
          () => (entry.settleUs = (performance.now() - t0) * 1000),
          () => (entry.settleUs = (performance.now() - t0) * 1000),
        );
      }
      return result;
    };
  }
  const out = [];
  try {
    for (const p of prepared) {
      await p.verifier.verify(p.bundleText, p.input);
      log = [];
      let totalUs = 0;
      for (let i = 0; i < verifies; i++) {
        const t0 = performance.now();
        await p.verifier.verify(p.bundleText, p.input);
        totalUs += (performance.now() - t0) * 1000;
      }
      const calls = log;
      log = null;
      const per = {};
      for (const op of ops) {
        const mine = calls.filter((c) => c.op === op);
        per[op] = {
          calls: mine.length / verifies,
          inCallUs: mine.reduce((a, c) => a + c.inCallUs, 0) / verifies,
          settleUs: mine.reduce((a, c) => a + (c.settleUs ?? 0), 0) / verifies,
        };
      }
      out.push({ id: p.id, verifyUs: totalUs / verifies, ops: per });
    }
  } finally {
    for (const op of ops) delete subtle[op];
  }
  return out;
}

/** Runs warm verifications of one prepared case for `ms` milliseconds (a CPU profile is recorded around it). */
export async function loopOne(prepared, id, ms) {
  const p = prepared.find((x) => x.id === id);
  const t0 = performance.now();
  let n = 0;
  while (performance.now() - t0 < ms) {
    await p.verifier.verify(p.bundleText, p.input);
    n++;
  }
  return { verifies: n, elapsedMs: performance.now() - t0 };
}
