/**
 * Progress on a terminal while many bundles or large artifacts are verified:
 * one line (files done of total, bytes hashed) redrawn in place with `\r`,
 * at most ten times a second, and erased when the work ends. It is shown
 * only on a terminal and never with `--json` (machines read the summary and
 * the JSON, not a spinner). The writer is injected, so tests drive it with a
 * fake clock and a string sink.
 * @module
 */
import { PLAIN_STYLE, type Style } from './style.js';

/** Where progress goes: `process.stderr`, or a test's collector. */
export interface ProgressSink {
  write(chunk: string): unknown;
}

/** How a progress line is drawn. */
export interface ProgressOptions {
  /** Draw anything at all: the sink is a terminal and the output is not `--json`. */
  readonly enabled: boolean;
  readonly sink: ProgressSink;
  /** Items (bundles) to verify; with 0 or 1 only bytes are shown. */
  readonly total: number;
  /** What the items are, plural (`files`, `bundles`). */
  readonly unit?: string;
  /** Milliseconds clock (default `Date.now`). */
  readonly now?: () => number;
  /** Minimum time between two redraws (default 100 ms: 10 Hz). */
  readonly intervalMs?: number;
  /** Terminal width: longer lines are cut, since a wrapped line cannot be redrawn with `\r`. */
  readonly columns?: number;
  readonly style?: Style;
}

/** A running progress line. */
export interface Progress {
  /** Counts bytes read and hashed. */
  addBytes(n: number): void;
  /** Counts one item finished (verified or not). */
  itemDone(): void;
  /** Erases the line (when one was drawn); call before printing results. */
  finish(): void;
}

/** Erase-to-end-of-line: a shorter redraw leaves no tail of the previous one. */
const CLEAR_TO_EOL = '\u001b[K';

/** `1.5 MiB`: binary units, one decimal above KiB. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(1)} ${units[i]}`;
}

/** The summary line printed when a run of several items ends: `3 verified, 1 failed`. */
export function summaryLine(verified: number, failed: number): string {
  return `${verified} verified, ${failed} failed`;
}

/** True when progress may be drawn on `stream`: a terminal, and not `--json`. */
export function progressEnabled(stream: { readonly isTTY?: boolean }, json: boolean): boolean {
  return !json && stream.isTTY === true;
}

/** A progress line that does nothing (disabled, or nothing to show). */
const NO_PROGRESS: Progress = { addBytes() {}, itemDone() {}, finish() {} };

/**
 * Starts a progress line. Nothing is drawn before the first interval has
 * passed, so quick runs print no progress at all.
 */
export function createProgress(o: ProgressOptions): Progress {
  if (!o.enabled) return NO_PROGRESS;
  const now = o.now ?? Date.now;
  const interval = o.intervalMs ?? 100;
  const style = o.style ?? PLAIN_STYLE;
  const unit = o.unit ?? 'files';
  let bytes = 0;
  let done = 0;
  let lastDraw = now();
  let drawn = false;
  const text = (): string => {
    const parts: string[] = [];
    if (o.total > 1) parts.push(`${done}/${o.total} ${unit}`);
    parts.push(`${formatBytes(bytes)} hashed`);
    let line = `sigvet: ${parts.join(', ')}`;
    const max = (o.columns ?? 80) - 1;
    if (max > 0 && line.length > max) line = line.slice(0, max);
    return line;
  };
  const maybeDraw = (): void => {
    const t = now();
    if (t - lastDraw < interval) return;
    lastDraw = t;
    drawn = true;
    o.sink.write(`\r${style.dim(text())}${CLEAR_TO_EOL}`);
  };
  return {
    addBytes(n) {
      bytes += n;
      maybeDraw();
    },
    itemDone() {
      done++;
      maybeDraw();
    },
    finish() {
      if (drawn) o.sink.write(`\r${CLEAR_TO_EOL}`);
      drawn = false;
    },
  };
}
