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

/** Parses a decimal number from a JSON number or a strict decimal string. */
export function parseNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' && /^-?(0|[1-9]\d{0,20})(\.\d{1,20})?$/.test(v)) return Number(v);
  return undefined;
}

/** The rank of a severity label or CVSS score. */
export function severityRank(v: unknown): number {
  if (typeof v === 'string') {
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
  const n = parseNumber(v);
  if (n === undefined || n < 0 || n > 10) return SEVERITY_RANK.unknown;
  if (n === 0) return SEVERITY_RANK.none;
  if (n < 4) return SEVERITY_RANK.low;
  if (n < 7) return SEVERITY_RANK.medium;
  if (n < 9) return SEVERITY_RANK.high;
  return SEVERITY_RANK.critical;
}

/** True for a policy severity name. */
export function isSeverity(v: unknown): v is Severity {
  return v === 'none' || v === 'low' || v === 'medium' || v === 'high' || v === 'critical';
}
