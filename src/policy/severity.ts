/**
 * Vulnerability severities from the spellings scanners use: labels
 * (`LOW`, `Moderate`, `critical`, `Negligible`) and CVSS base scores as
 * numbers or strings (`"9.8"`). Anything else ranks as unknown, above
 * every level, so an unreadable severity never passes a threshold.
 * @module
 */
import type { Severity } from './document.js';

/** Rank of each level; `unknown` is above `critical`. */
export const SEVERITY_RANK = { none: 0, low: 1, medium: 2, high: 3, critical: 4, unknown: 5 } as const;

/** True for a strict decimal: `-?(0|[1-9][0-9]{0,20})(\.[0-9]{1,20})?`, the whole string. */
export function isStrictDecimal(v: string): boolean {
  const n = v.length;
  let i = 0;
  if (i < n && v.charCodeAt(i) === 0x2d) i++;
  if (i >= n) return false;
  const first = v.charCodeAt(i);
  if (first === 0x30) i++;
  else if (first >= 0x31 && first <= 0x39) {
    const start = i++;
    while (i < n && i - start < 21 && isDigit(v.charCodeAt(i))) i++;
  } else return false;
  if (i === n) return true;
  if (v.charCodeAt(i) !== 0x2e) return false;
  const fraction = ++i;
  while (i < n && isDigit(v.charCodeAt(i))) i++;
  return i === n && i - fraction >= 1 && i - fraction <= 20;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** Parses a decimal number from a JSON number or a strict decimal string. */
export function parseNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' && isStrictDecimal(v)) return Number(v);
  return undefined;
}

/** The rank of a severity label or CVSS score. */
export function severityRank(v: unknown): number {
  const c = typeof v === 'string' && v.length > 0 ? v.charCodeAt(0) : -1;
  // A score (it starts with a digit or "-") is never a label: skip the label spellings.
  if (typeof v === 'string' && !(isDigit(c) || c === 0x2d)) {
    const label = v.trim().toLowerCase();
    switch (label) {
      case 'none':
      case 'negligible':
      case 'informational':
        return SEVERITY_RANK.none;
      case 'low':
        return SEVERITY_RANK.low;
      case 'medium':
      case 'moderate':
        return SEVERITY_RANK.medium;
      case 'high':
      case 'important':
        return SEVERITY_RANK.high;
      case 'critical':
        return SEVERITY_RANK.critical;
    }
  }
  if (typeof v === 'string') return scoreRank(v);
  const n = parseNumber(v);
  return numberRank(n);
}

function numberRank(n: number | undefined): number {
  if (n === undefined || n < 0 || n > 10) return SEVERITY_RANK.unknown;
  if (n === 0) return SEVERITY_RANK.none;
  if (n < 4) return SEVERITY_RANK.low;
  if (n < 7) return SEVERITY_RANK.medium;
  if (n < 9) return SEVERITY_RANK.high;
  return SEVERITY_RANK.critical;
}

/** Powers of ten a score's fraction scales by (at most 14 fraction digits reach them). */
const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/**
 * The rank of a score written as text: what `numberRank(parseNumber(v))`
 * gives, decided on the digits, read in one pass (scanners repeat scores
 * for every finding). With at most 15 digits the decimal and its double
 * agree on every comparison with the (integer) thresholds, so no
 * conversion is needed; longer ones are converted. The grammar is
 * {@link isStrictDecimal}'s.
 */
function scoreRank(v: string): number {
  const n = v.length;
  const neg = v.charCodeAt(0) === 0x2d;
  let i = neg ? 1 : 0;
  // Integer part: "0", or 1-9 and at most 20 more digits.
  const first = v.charCodeAt(i) - 0x30;
  if (!(first >= 0 && first <= 9)) return SEVERITY_RANK.unknown;
  let scaled = first;
  let digits = 1;
  i++;
  if (first !== 0) {
    for (; i < n && digits < 21; i++) {
      const c = v.charCodeAt(i) - 0x30;
      if (!(c >= 0 && c <= 9)) break;
      scaled = scaled * 10 + c;
      digits++;
    }
  }
  // Fraction: a dot and 1 to 20 digits, to the end.
  let fracDigits = 0;
  if (i < n) {
    if (v.charCodeAt(i) !== 0x2e) return SEVERITY_RANK.unknown;
    for (i++; i < n; i++) {
      const c = v.charCodeAt(i) - 0x30;
      if (!(c >= 0 && c <= 9)) return SEVERITY_RANK.unknown;
      scaled = scaled * 10 + c;
      fracDigits++;
    }
    if (fracDigits === 0 || fracDigits > 20) return SEVERITY_RANK.unknown;
  }
  if (digits + fracDigits > 15) return numberRank(Number(v));
  if (scaled === 0) return SEVERITY_RANK.none; // zero, "-0" included
  if (neg) return SEVERITY_RANK.unknown;
  const scale = POW10[fracDigits]!;
  if (scaled > 10 * scale) return SEVERITY_RANK.unknown;
  if (scaled < 4 * scale) return SEVERITY_RANK.low;
  if (scaled < 7 * scale) return SEVERITY_RANK.medium;
  if (scaled < 9 * scale) return SEVERITY_RANK.high;
  return SEVERITY_RANK.critical;
}

/** True for a policy severity name. */
export function isSeverity(v: unknown): v is Severity {
  return v === 'none' || v === 'low' || v === 'medium' || v === 'high' || v === 'critical';
}
