// The policy test vectors (test-vectors/policy): every case passes through
// the same loader and runner that `sigvet policy test DIR` uses.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadPolicyTestCases } from '../../src/cli/policy.js';
import { compilePolicy, runPolicyTestCase } from '../../src/policy.js';
import { writePolicyVectors } from './vectors.gen.js';

const dir = fileURLToPath(new URL('../../test-vectors/policy', import.meta.url));
if (process.env.SIGVET_REGENERATE_POLICY_VECTORS === '1' || !existsSync(dir)) writePolicyVectors(dir);

const cases = loadPolicyTestCases(dir);

describe('policy test vectors', () => {
  it('has cases, all readable', () => {
    expect(cases.length).toBeGreaterThanOrEqual(15);
    expect(cases.filter((c) => c.error)).toEqual([]);
  });

  it.each(cases.filter((c) => c.testCase).map((c) => [c.testCase!.name, c.testCase!] as const))('%s', (_name, tc) => {
    expect(compilePolicy(tc.policy).ok).toBe(true);
    const r = runPolicyTestCase(tc);
    expect(r.failures).toEqual([]);
    expect(r.passed).toBe(true);
  });

  it('a wrong expectation is reported, not passed', () => {
    const tc = cases.find((c) => c.testCase?.name === 'release-gate-allow')!.testCase!;
    const r = runPolicyTestCase({ ...tc, expect: { decision: 'deny', reasons: ['STALE'] } });
    expect(r.passed).toBe(false);
    expect(r.failures.join()).toContain('decision allow, expected deny');
    expect(r.failures.join()).toContain('reasons [], expected [STALE]');
  });
});
