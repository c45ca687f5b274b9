// Summarizes a V8 CPU profile (.cpuprofile) into where the time goes: self
// time by area (sigvet, @noble, node:crypto, GC, idle...), the top
// functions by self time, and sigvet's functions by inclusive time.
// Used by benchmarks/profile.mjs; tested in test/bench.

/**
 * Self and inclusive time per function and per area of a V8 .cpuprofile
 * (nodes with callFrame and children; samples with timeDeltas in µs).
 * `distDir`: the sigvet build the profile ran, so its functions are told
 * apart; `repo`: stripped from file paths for short names.
 */
export function summarizeProfile(p, { distDir = null, repo = null, top = 30 } = {}) {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map();
  let totalUs = 0;
  for (let i = 0; i < p.samples.length; i++) {
    const dt = Math.max(0, p.timeDeltas[i] ?? 0);
    selfUs.set(p.samples[i], (selfUs.get(p.samples[i]) ?? 0) + dt);
    totalUs += dt;
  }
  const distUrl = distDir ? `file://${distDir}` : null;
  const keyOf = (n) => {
    const cf = n.callFrame;
    const file = cf.url ? cf.url.replace(/^file:\/\//, '').replace(repo ? `${repo}/` : '\u0000', '') : '';
    const where = file ? `${file}:${cf.lineNumber + 1}` : 'native';
    return { key: `${cf.functionName}|${where}`, name: cf.functionName || '(anonymous)', where };
  };
  const areaOf = (n) => {
    const { url, functionName } = n.callFrame;
    if (!url) {
      if (functionName === '(garbage collector)') return 'GC';
      if (functionName === '(idle)') return 'idle (waiting, e.g. on the thread pool)';
      if (functionName === '(program)') return 'program (V8/native, unattributed)';
      if (functionName === '(root)') return 'root';
      return 'native/builtins';
    }
    if ((distUrl && url.startsWith(distUrl)) || url.includes('/dist/')) return 'sigvet (dist)';
    if (url.includes('/node_modules/@noble/')) return '@noble (hashes, curves)';
    if (url.startsWith('node:internal/crypto') || url.includes('internal/crypto')) return 'node:crypto (JS side)';
    if (url.startsWith('node:')) return 'node internals';
    if (url.includes('/benchmarks/')) return 'benchmark loop';
    return 'other JS';
  };
  const fn = new Map();
  const areas = new Map();
  for (const [id, us] of selfUs) {
    const n = byId.get(id);
    if (!n) continue;
    const k = keyOf(n);
    const e = fn.get(k.key) ?? { name: k.name, where: k.where, area: areaOf(n), us: 0 };
    e.us += us;
    fn.set(k.key, e);
    const a = areaOf(n);
    areas.set(a, (areas.get(a) ?? 0) + us);
  }
  // Inclusive time: each sample counts once for every distinct function on its stack.
  const incl = new Map();
  const stackKeys = new Map();
  const keysOnStack = (id) => {
    let s = stackKeys.get(id);
    if (s) return s;
    s = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const n = byId.get(cur);
      if (n && areaOf(n) === 'sigvet (dist)') s.add(keyOf(n).key);
    }
    stackKeys.set(id, s);
    return s;
  };
  const meta = new Map();
  for (const n of p.nodes) meta.set(keyOf(n).key, keyOf(n));
  for (let i = 0; i < p.samples.length; i++) {
    const dt = Math.max(0, p.timeDeltas[i] ?? 0);
    for (const k of keysOnStack(p.samples[i])) incl.set(k, (incl.get(k) ?? 0) + dt);
  }
  const pct = (us) => (totalUs > 0 ? (100 * us) / totalUs : 0);
  return {
    totalMs: totalUs / 1000,
    areas: [...areas].map(([area, us]) => ({ area, ms: us / 1000, pct: pct(us) })).sort((a, b) => b.ms - a.ms),
    topSelf: [...fn.values()]
      .filter((f) => f.area !== 'root')
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map((f) => ({ name: f.name, where: f.where, area: f.area, ms: f.us / 1000, pct: pct(f.us) })),
    topInclusiveSigvet: [...incl]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, us]) => ({ name: meta.get(k).name, where: meta.get(k).where, ms: us / 1000, pct: pct(us) })),
  };
}
