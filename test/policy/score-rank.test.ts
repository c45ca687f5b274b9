// Severity ranks of CVSS scores written as text, read in one pass: the
// boundaries of the strict-decimal grammar and of the rank thresholds, and
// the scores too long to decide on digits alone (converted to a number).
import { describe, expect, it } from 'vitest';
import { SEVERITY_RANK, severityRank } from '../../src/policy/severity.js';

/** The reference: a strict decimal (the grammar the policy documents) ranked by its number. */
function reference(s: string): number {
  if (!/^-?(0|[1-9][0-9]{0,20})(\.[0-9]{1,20})?$/.test(s)) return SEVERITY_RANK.unknown;
  const n = Number(s);
  if (n < 0 || n > 10) return SEVERITY_RANK.unknown;
  if (n === 0) return SEVERITY_RANK.none;
  return n < 4 ? SEVERITY_RANK.low : n < 7 ? SEVERITY_RANK.medium : n < 9 ? SEVERITY_RANK.high : SEVERITY_RANK.critical;
}

describe('severityRank of scores', () => {
  const cases = [
    '0', '-0', '0.0', '-0.000', '00', '01', '1.', '.5', '-', '--1', '-1', '-0.1',
    '3.9', '3.99999999999999', '3.999999999999999', '3.9999999999999999', '4', '4.0', '6.9', '7', '8.999', '9', '10', '10.0', '10.00000000000001', '10.1', '11',
    '1'.repeat(21), '1'.repeat(22), `1.${'2'.repeat(20)}`, `1.${'2'.repeat(21)}`, `0.${'0'.repeat(19)}1`, `9.${'9'.repeat(20)}`, `${'0'}.${'9'.repeat(14)}`,
    '5.5a', '5 ', ' 5', '5e0', '+5', '٥',
  ];
  it.each(cases)('%j ranks as a strict decimal would', (s) => {
    expect(severityRank(s)).toBe(reference(s));
  });
});
