/**
 * Policy test cases: a policy, evidence, a `now`, and the expected
 * decision and reason codes. The same runner serves sigvet's own vectors
 * (test-vectors/policy) and users' CI (`sigvet policy test DIR`).
 *
 * Case files may name the policy and evidence items by relative path; the
 * CLI resolves those before calling {@link runPolicyTestCase}.
 * @module
 */
import type { PolicyDocument } from './document.js';
import { evaluate } from './evaluate.js';
import { requireObject } from '../arguments.js';
import type { EffectiveLimits, PolicyEvidence } from './evidence.js';
import { reasonCodes, type Verdict } from './verdict.js';

/** A resolved test case. */
export interface PolicyTestCase {
  readonly name: string;
  readonly description?: string;
  readonly policy: PolicyDocument;
  /** RFC 3339. */
  readonly now: string;
  readonly evidence: PolicyEvidence;
  readonly limits?: Partial<EffectiveLimits>;
  readonly expect: {
    readonly decision: 'allow' | 'deny';
    readonly status?: 'pass' | 'fail' | 'indeterminate' | 'not-applicable';
    /** The reason codes of the non-pass leaves, exactly (order ignored). */
    readonly reasons?: readonly string[];
  };
}

/** The outcome of one case. */
export interface PolicyTestOutcome {
  readonly name: string;
  readonly passed: boolean;
  /** What differed from the expectation. */
  readonly failures: readonly string[];
  readonly verdict: Verdict;
}

/** Shape problems of a (resolved) test case; empty when well-formed. */
export function validateTestCase(tc: unknown): string[] {
  const out: string[] = [];
  if (tc === null || typeof tc !== 'object' || Array.isArray(tc)) return ['a test case is an object'];
  const t = tc as Record<string, unknown>;
  const known = ['name', 'description', 'policy', 'now', 'evidence', 'limits', 'expect'];
  for (const k of Object.keys(t)) if (!known.includes(k)) out.push(`unknown field ${k}`);
  if (typeof t.name !== 'string' || t.name === '') out.push('name must be a non-empty string');
  if (typeof t.now !== 'string') out.push('now must be an RFC 3339 string');
  if (t.policy === null || typeof t.policy !== 'object') out.push('policy must be a policy document');
  const e = t.evidence as Record<string, unknown> | undefined;
  if (!e || typeof e !== 'object' || !Array.isArray(e.results)) out.push('evidence.results must be an array');
  const x = t.expect as Record<string, unknown> | undefined;
  if (!x || typeof x !== 'object') out.push('expect is required');
  else {
    if (x.decision !== 'allow' && x.decision !== 'deny') out.push('expect.decision must be allow or deny');
    if (x.reasons !== undefined && (!Array.isArray(x.reasons) || !x.reasons.every((r) => typeof r === 'string'))) out.push('expect.reasons must be an array of strings');
    if (x.status !== undefined && !['pass', 'fail', 'indeterminate', 'not-applicable'].includes(x.status as string)) out.push('expect.status is pass, fail, indeterminate or not-applicable');
  }
  return out;
}

/** Runs one case. */
export function runPolicyTestCase(tc: PolicyTestCase): PolicyTestOutcome {
  requireObject(tc, 'runPolicyTestCase', 'testCase');
  const shape = validateTestCase(tc);
  const verdict = evaluate(tc.policy, tc.evidence, { now: tc.now, ...(tc.limits ? { limits: tc.limits } : {}) });
  const failures = [...shape];
  if (verdict.decision !== tc.expect?.decision) failures.push(`decision ${verdict.decision}, expected ${tc.expect?.decision}`);
  if (tc.expect?.status !== undefined && verdict.status !== tc.expect.status) failures.push(`status ${verdict.status}, expected ${tc.expect.status}`);
  if (tc.expect?.reasons !== undefined) {
    const got = reasonCodes(verdict);
    const want = [...new Set(tc.expect.reasons)].sort();
    if (got.join(',') !== want.join(',')) failures.push(`reasons [${got.join(', ')}], expected [${want.join(', ')}]`);
  }
  return { name: tc.name, passed: failures.length === 0, failures, verdict };
}
