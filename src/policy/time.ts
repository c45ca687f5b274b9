/**
 * Time for policies: strict RFC 3339 timestamps (fractional seconds kept
 * to the nanosecond, offsets honoured) and ISO 8601 durations.
 * @module
 */

/** Nanoseconds since the Unix epoch. */
export type EpochNanos = bigint;

function daysFromCivil(y: number, m: number, d: number): number {
  // Howard Hinnant's algorithm: proleptic Gregorian calendar, no Date object needed.
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** The value of two ASCII digits at `i`, or -1. */
function two(s: string, i: number): number {
  const a = s.charCodeAt(i) - 0x30;
  const b = s.charCodeAt(i + 1) - 0x30;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * Parses an RFC 3339 timestamp, `YYYY-MM-DD(T|t)hh:mm:ss(.f{1,9})?(Z|z|±hh:mm)`;
 * undefined when malformed or out of range. Read by hand, without a regex
 * match array: evidence carries times that every evaluation reads.
 */
export function parseTimestamp(s: unknown): EpochNanos | undefined {
  if (typeof s !== 'string' || s.length > 40 || s.length < 20) return undefined;
  const yh = two(s, 0);
  const yl = two(s, 2);
  const mo = two(s, 5);
  const d = two(s, 8);
  const h = two(s, 11);
  const mi = two(s, 14);
  const se = two(s, 17);
  const t = s.charCodeAt(10);
  if (yh < 0 || yl < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || se < 0) return undefined;
  if (s.charCodeAt(4) !== 0x2d || s.charCodeAt(7) !== 0x2d || (t !== 0x54 && t !== 0x74) || s.charCodeAt(13) !== 0x3a || s.charCodeAt(16) !== 0x3a) return undefined;
  let i = 19;
  let frac = 0;
  let fracDigits = 0;
  if (s.charCodeAt(i) === 0x2e) {
    i++;
    for (;;) {
      const c = s.charCodeAt(i) - 0x30;
      if (!(c >= 0 && c <= 9)) break;
      if (++fracDigits > 9) return undefined;
      frac = frac * 10 + c;
      i++;
    }
    if (fracDigits === 0) return undefined;
  }
  const y = yh * 100 + yl;
  let offset = 0;
  const z = s.charCodeAt(i);
  if (z === 0x5a || z === 0x7a) {
    if (i + 1 !== s.length) return undefined;
  } else if (z === 0x2b || z === 0x2d) {
    const oh = two(s, i + 1);
    const om = two(s, i + 4);
    if (oh < 0 || om < 0 || s.charCodeAt(i + 3) !== 0x3a || i + 6 !== s.length) return undefined;
    if (oh > 23 || om > 59) return undefined;
    offset = z === 0x2b ? -(oh * 3600 + om * 60) : oh * 3600 + om * 60;
  } else return undefined;
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || se > 60) return undefined;
  // Exact in a double: |seconds| < 2^53 for four-digit years.
  const seconds = daysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + Math.min(se, 59) + offset;
  for (let k = fracDigits; k < 9; k++) frac *= 10;
  const whole = BigInt(seconds) * 1_000_000_000n;
  return frac === 0 ? whole : whole + BigInt(frac);
}

/** Milliseconds of 0000-01-01T00:00:00Z and of the last millisecond of 9999: four-digit years. */
const MIN_FOUR_DIGIT_MS = -62_167_219_200_000;
const MAX_FOUR_DIGIT_MS = 253_402_300_799_999;

function pad2(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
}

/** `YYYY-MM-DDThh:mm:ss` of a millisecond time with a four-digit year (what `toISOString` gives, without a Date). */
function isoSeconds(ms: number): string {
  const secs = Math.floor(ms / 1000);
  const days = Math.floor(secs / 86400);
  const sod = secs - days * 86400;
  // Howard Hinnant's civil_from_days.
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  const h = Math.floor(sod / 3600);
  const mi = Math.floor((sod % 3600) / 60);
  return `${String(y).padStart(4, '0')}-${pad2(m)}-${pad2(d)}T${pad2(h)}:${pad2(mi)}:${pad2(sod % 60)}`;
}

/** Formats epoch nanoseconds as RFC 3339 UTC (fraction only when non-zero). */
export function formatTimestamp(t: EpochNanos): string {
  // Floor division: BigInt `/` truncates toward zero, which would put a
  // pre-1970 instant with a sub-millisecond part one millisecond late.
  const q = t / 1_000_000n;
  const ms = Number(t < 0n && q * 1_000_000n !== t ? q - 1n : q);
  // Four-digit years by hand; anything else as Date renders it (or refuses it).
  const base = ms >= MIN_FOUR_DIGIT_MS && ms <= MAX_FOUR_DIGIT_MS ? isoSeconds(ms) : new Date(ms).toISOString().slice(0, 19);
  const nanos = ((t % 1_000_000_000n) + 1_000_000_000n) % 1_000_000_000n;
  if (nanos === 0n) return `${base}Z`;
  return `${base}.${nanos.toString().padStart(9, '0').replace(/0+$/, '')}Z`;
}

const DURATION = /^([+-])?P(?:(\d{1,6})W)?(?:(\d{1,6})D)?(?:T(?:(\d{1,8})H)?(?:(\d{1,9})M)?(?:(\d{1,10})(?:\.(\d{1,9}))?S)?)?$/;

/**
 * Parses an ISO 8601 duration limited to weeks, days, hours, minutes and
 * seconds (years and months have no fixed length, so they are refused).
 * Returns signed nanoseconds; undefined when malformed.
 */
export function parseDuration(s: unknown): bigint | undefined {
  if (typeof s !== 'string') return undefined;
  const m = DURATION.exec(s);
  if (!m || s.endsWith('P') || s.endsWith('T')) return undefined;
  if (m.slice(2, 8).every((x) => x === undefined)) return undefined;
  const n = (i: number) => BigInt(m[i] ?? '0');
  const secs = n(2) * 604800n + n(3) * 86400n + n(4) * 3600n + n(5) * 60n + n(6);
  let nanos = secs * 1_000_000_000n + BigInt((m[7] ?? '').padEnd(9, '0') || '0');
  if (m[1] === '-') nanos = -nanos;
  return nanos;
}

/** An ISO 8601 duration of whole seconds (days, hours, minutes, seconds; `PT0S` for zero), e.g. `P7D`, `PT1H30M`. */
export function formatDuration(ns: bigint): string {
  const whole = ns / 1_000_000_000n;
  // Below 2^44 s (half a million years) double arithmetic, floor of quotients included, is exact; bigint past that.
  if (whole < 17_592_186_044_416n && whole > -17_592_186_044_416n) {
    let s = Number(whole);
    const neg = s < 0;
    if (neg) s = -s;
    const d = Math.floor(s / 86400);
    const h = Math.floor((s % 86400) / 3600);
    const m = Math.floor((s % 3600) / 60);
    const sec = s % 60;
    const t = `${h > 0 ? `${h}H` : ''}${m > 0 ? `${m}M` : ''}${sec > 0 ? `${sec}S` : ''}`;
    return `${neg ? '-' : ''}P${d > 0 ? `${d}D` : ''}${t ? `T${t}` : d > 0 ? '' : 'T0S'}`;
  }
  let s = whole;
  const neg = s < 0n;
  if (neg) s = -s;
  const d = s / 86400n;
  const h = (s % 86400n) / 3600n;
  const m = (s % 3600n) / 60n;
  const sec = s % 60n;
  const t = `${h > 0n ? `${h}H` : ''}${m > 0n ? `${m}M` : ''}${sec > 0n ? `${sec}S` : ''}`;
  return `${neg ? '-' : ''}P${d > 0n ? `${d}D` : ''}${t ? `T${t}` : d > 0n ? '' : 'T0S'}`;
}
