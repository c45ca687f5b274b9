/**
 * Time for policies: strict RFC 3339 timestamps (fractional seconds kept
 * to the nanosecond, offsets honoured) and ISO 8601 durations.
 * @module
 */

/** Nanoseconds since the Unix epoch. */
export type EpochNanos = bigint;

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

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
  return [4, 6, 9, 11].includes(m) ? 30 : 31;
}

/** Parses an RFC 3339 timestamp; undefined when malformed or out of range. */
export function parseTimestamp(s: unknown): EpochNanos | undefined {
  if (typeof s !== 'string' || s.length > 40) return undefined;
  const m = RFC3339.exec(s);
  if (!m) return undefined;
  const [y, mo, d, h, mi, se] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i]));
  if (mo! < 1 || mo! > 12 || d! < 1 || d! > daysInMonth(y!, mo!) || h! > 23 || mi! > 59 || se! > 60) return undefined;
  let seconds = BigInt(daysFromCivil(y!, mo!, d!)) * 86400n + BigInt(h! * 3600 + mi! * 60 + Math.min(se!, 59));
  if (m[9]) {
    const oh = Number(m[10]);
    const om = Number(m[11]);
    if (oh > 23 || om > 59) return undefined;
    const off = BigInt(oh * 3600 + om * 60);
    seconds += m[9] === '+' ? -off : off;
  }
  const frac = BigInt((m[7] ?? '').padEnd(9, '0') || '0');
  return seconds * 1_000_000_000n + frac;
}

/** Formats epoch nanoseconds as RFC 3339 UTC (fraction only when non-zero). */
export function formatTimestamp(t: EpochNanos): string {
  const ms = Number(t / 1_000_000n);
  const iso = new Date(ms).toISOString();
  const nanos = ((t % 1_000_000_000n) + 1_000_000_000n) % 1_000_000_000n;
  const base = iso.slice(0, 19);
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
