/**
 * Vulnerability thresholds as conditions over the scan formats in use:
 * in-toto vulns v0.1/v0.2 (`scanner.result[]` with string scores), and
 * cosign vuln/v1 carrying Trivy (`Results[].Vulnerabilities[]`) or Grype
 * (`matches[]`) output. The result array must be present (an unreadable
 * scan is never "no vulnerabilities"); unknown severities count as above
 * every level; ignored ids are not counted.
 * @module
 */
import type { Condition, Severity, VulnCheck } from '../document.js';
import { COSIGN_VULN_V1, INTOTO_VULNS_V01, INTOTO_VULNS_V02 } from '../predicate-types.js';
import { ptr, type ShortcutCondition } from './expansion.js';

/** How one scan format lays out its findings. */
interface Layout {
  readonly list: string;
  readonly flatten?: string;
  readonly id: string;
  /** Severity: an array of `{score}` entries, or a single label. */
  readonly severity: { readonly entries: string; readonly score: string } | { readonly label: string };
}

const INTOTO: Layout = { list: ptr('predicate', 'scanner', 'result'), id: '/id', severity: { entries: '/severity', score: '/score' } };
const TRIVY: Layout = { list: ptr('predicate', 'scanner', 'result', 'Results'), flatten: '/Vulnerabilities', id: '/VulnerabilityID', severity: { label: '/Severity' } };
const GRYPE: Layout = { list: ptr('predicate', 'scanner', 'result', 'matches'), id: '/vulnerability/id', severity: { label: '/vulnerability/severity' } };

/** A finding at or above `level` (or of unknown severity). */
function atLeast(l: Layout, level: Severity): Condition {
  if ('label' in l.severity) return { path: l.severity.label, op: 'gte', value: level, as: 'severity' };
  return {
    anyOf: [
      { path: l.severity.entries, some: [{ path: l.severity.score, op: 'gte', value: level, as: 'severity' }] },
      // No severity at all is unknown, which is above every level.
      { path: l.severity.entries, exists: false },
    ],
  };
}

function countAtLeast(l: Layout, level: Severity, max: number, ignore: readonly string[], reason: string): Condition {
  const where: Condition[] = [atLeast(l, level)];
  if (ignore.length > 0) where.unshift({ anyOf: [{ path: l.id, exists: false }, { path: l.id, op: 'notIn', value: ignore }] });
  const base = { path: l.list, count: { max }, where, reason, message: `at most ${max} vulnerabilities at or above ${level}` };
  return l.flatten ? { ...base, flatten: l.flatten } : base;
}

function perFormat(make: (l: Layout) => Condition, reason: string, message: string): Condition {
  return {
    cases: {
      [INTOTO_VULNS_V02]: [make(INTOTO)],
      [INTOTO_VULNS_V01]: [make(INTOTO)],
      [COSIGN_VULN_V1]: [
        {
          anyOf: [
            { allOf: [{ path: TRIVY.list, op: 'ne', value: null }, make(TRIVY)] },
            { allOf: [{ path: GRYPE.list, op: 'ne', value: null }, make(GRYPE)] },
          ],
          reason,
          message: 'cosign vuln/v1 scanner.result holds Trivy Results[] or Grype matches[]',
        },
      ],
    },
    reason,
    message,
  };
}

const NEXT: Record<Severity, Severity | undefined> = { none: 'low', low: 'medium', medium: 'high', high: 'critical', critical: undefined };

/** Expands a `vulns` check into conditions. */
export function vulnConditions(v: VulnCheck): ShortcutCondition[] {
  const out: ShortcutCondition[] = [];
  const ignore = v.ignore ?? [];
  // The findings list must exist (an empty list means "no vulnerabilities").
  const presence: Condition = {
    cases: {
      [INTOTO_VULNS_V02]: [{ path: INTOTO.list, op: 'ne', value: null }],
      [INTOTO_VULNS_V01]: [{ path: INTOTO.list, op: 'ne', value: null }],
      [COSIGN_VULN_V1]: [{ path: ptr('predicate', 'scanner', 'result'), op: 'ne', value: null }],
    },
    reason: 'VULN_SCAN_UNREADABLE',
    message: 'the scan result must be present',
  };
  out.push({ field: [], condition: presence });
  if (v.maxSeverity !== undefined) {
    const above = NEXT[v.maxSeverity];
    const reason = 'VULN_SEVERITY_EXCEEDED';
    // Above critical there is only "unknown": counted by asking for >= critical and then excluding criticals is not
    // expressible, so maxSeverity critical counts unknowns via a rank above critical.
    const level: Severity = above ?? 'critical';
    out.push({
      field: ['maxSeverity'],
      condition: perFormat(
        (l) => (above ? countAtLeast(l, level, 0, ignore, reason) : countUnknown(l, ignore, reason)),
        reason,
        `no vulnerability above ${v.maxSeverity}`,
      ),
    });
  }
  for (const [level, max] of Object.entries(v.maxCount ?? {}) as [Severity, number][]) {
    const reason = 'VULN_COUNT_EXCEEDED';
    out.push({
      field: ['maxCount', level],
      condition: perFormat((l) => countAtLeast(l, level, max, ignore, reason), reason, `at most ${max} at or above ${level}`),
    });
  }
  if (v.dbMaxAge !== undefined) {
    const reason = 'VULN_DB_STALE';
    const fresh: Condition = {
      path: ptr('predicate', 'scanner', 'db', 'lastUpdate'),
      op: 'gte',
      as: 'time',
      value: { clock: 'now', offset: `-${v.dbMaxAge}` },
      reason,
      message: `scanner database updated within ${v.dbMaxAge}`,
    };
    out.push({
      field: ['dbMaxAge'],
      condition: { cases: { [INTOTO_VULNS_V02]: [fresh], [INTOTO_VULNS_V01]: [fresh] }, reason, message: 'only in-toto vulns predicates record the database update time' },
    });
  }
  return out;
}

/** Findings whose severity is unreadable (for `maxSeverity: critical`). */
function countUnknown(l: Layout, ignore: readonly string[], reason: string): Condition {
  const unknown: Condition =
    'label' in l.severity
      ? { path: l.severity.label, op: 'gt', value: 'critical', as: 'severity' }
      : {
          anyOf: [
            { path: l.severity.entries, some: [{ path: l.severity.score, op: 'gt', value: 'critical', as: 'severity' }] },
            { path: l.severity.entries, exists: false },
          ],
        };
  const where: Condition[] = [unknown];
  if (ignore.length > 0) where.unshift({ anyOf: [{ path: l.id, exists: false }, { path: l.id, op: 'notIn', value: ignore }] });
  const base = { path: l.list, count: { max: 0 }, where, reason, message: 'no vulnerability of unknown severity' };
  return l.flatten ? { ...base, flatten: l.flatten } : base;
}
