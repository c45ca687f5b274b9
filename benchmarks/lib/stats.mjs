// Small statistics and table helpers shared by the scenarios and the report.

/** Median of a non-empty list (the mean of the middle two for even lengths). */
export function median(xs) {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Geometric mean: the right average of ratios. */
export function geomean(xs) {
  const v = xs.filter((x) => typeof x === 'number' && x > 0);
  if (v.length === 0) return null;
  return Math.exp(v.reduce((a, x) => a + Math.log(x), 0) / v.length);
}

/** min / median / max of a list, the spread every ratio is reported with. */
export function spread(xs) {
  const v = xs.filter((x) => typeof x === 'number' && Number.isFinite(x));
  if (v.length === 0) return null;
  return { min: Math.min(...v), median: median(v), max: Math.max(...v), n: v.length };
}

/** Per-round ratios a[i] / b[i] of two interleaved sample lists. */
export function roundRatios(a, b) {
  const n = Math.min(a.length, b.length);
  const out = [];
  for (let i = 0; i < n; i++) if (b[i] > 0) out.push(a[i] / b[i]);
  return out;
}

/** Rounds for JSON: keeps results files readable and diffs small. */
export function round(x, digits = 3) {
  if (typeof x !== 'number' || !Number.isFinite(x)) return x ?? null;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** Rounds every number in a spread. */
export function roundSpread(s, digits = 3) {
  return s && { min: round(s.min, digits), median: round(s.median, digits), max: round(s.max, digits), n: s.n };
}

/** Formats a number for a table; `null` becomes n/a. */
export function fmt(x, digits = 0) {
  if (x === null || x === undefined || Number.isNaN(x)) return 'n/a';
  return x.toFixed(digits);
}

/** `1.23× (1.10–1.40)`: a ratio with its spread. */
export function fmtRatio(s, digits = 2) {
  if (!s) return 'n/a';
  return `${fmt(s.median, digits)}× (${fmt(s.min, digits)}–${fmt(s.max, digits)})`;
}

/**
 * A Markdown table: `header` cells, rows of cells, `align` ('l' or 'r' per
 * column). Padded so it also reads as plain text in a terminal.
 */
export function table(header, rows, align = header.map((_, i) => (i === 0 ? 'l' : 'r'))) {
  const cells = rows.map((r) => r.map((c) => String(c ?? '')));
  const widths = header.map((h, i) => Math.max(3, h.length, ...cells.map((r) => (r[i] ?? '').length)));
  const line = (r) => `| ${r.map((c, i) => (align[i] === 'l' ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (align[i] === 'l' ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(header), rule, ...cells.map(line)].join('\n');
}

/** A high-resolution clock in nanoseconds as a Number (fine below ~100 days). */
export const nowNs = () => Number(process.hrtime.bigint());

/**
 * One round of an interleaved measurement: one batch of every contender, in
 * an order rotated by `roundIndex`, so none always goes first or right after
 * a heavy one. `contenders`: [{ key, run(n) -> Promise<void> | void, batch }].
 * Pushes µs per call into `samples[key]`.
 */
export async function runRound(contenders, roundIndex, samples) {
  for (let k = 0; k < contenders.length; k++) {
    const c = contenders[(roundIndex + k) % contenders.length];
    const t0 = nowNs();
    await c.run(c.batch);
    (samples[c.key] ??= []).push((nowNs() - t0) / c.batch / 1000);
  }
  return samples;
}

/** `rounds` interleaved rounds (see {@link runRound}); returns { key: [µs per call] }. */
export async function interleave(contenders, rounds) {
  const samples = Object.fromEntries(contenders.map((c) => [c.key, []]));
  for (let r = 0; r < rounds; r++) await runRound(contenders, r, samples);
  return samples;
}

/**
 * Warms `run` up and sizes its batch so one batch takes about `targetMs`
 * (between 1 and `maxBatch` calls).
 */
export async function calibrate(run, targetMs, { warmup = 20, maxBatch = 500 } = {}) {
  await run(warmup);
  const n = 5;
  const t0 = nowNs();
  await run(n);
  const perNs = (nowNs() - t0) / n;
  return Math.max(1, Math.min(maxBatch, Math.round((targetMs * 1e6) / Math.max(perNs, 1))));
}

/** Repeats `fn` `n` times, awaiting each call when `isAsync`. */
export function repeat(fn, isAsync) {
  if (isAsync) {
    return async (n) => {
      for (let i = 0; i < n; i++) await fn();
    };
  }
  return (n) => {
    for (let i = 0; i < n; i++) fn();
  };
}
