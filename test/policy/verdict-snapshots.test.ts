// Verdict snapshots: every evaluate() call the policy tests, the hostile
// tests and the benchmark made before the evaluation-speed rework (issue 8),
// recorded with its inputs and verdict, replayed here. The verdict JSON must
// be byte-identical (same nodes, same messages, same key order).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compilePolicy, evaluate, type EvaluateOptions, type PolicyEvidence } from '../../src/policy.js';

interface Recorded {
  readonly policies: readonly ({ compiled: true; doc: unknown; limits: Record<string, number> } | { compiled: false; doc: unknown })[];
  readonly evidence: readonly unknown[];
  readonly cases: readonly { policy: number; evidence: number; options: unknown; verdict: unknown }[];
}

const file = new URL('../fixtures/policy-verdicts/verdicts.json', import.meta.url);
const recorded = JSON.parse(readFileSync(file, 'utf8'), (_k, v) => {
  // JSON cannot carry bigints or Dates: the recorder tagged them.
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    const keys = Object.keys(v);
    if (keys.length === 1 && keys[0] === '$bigint') return BigInt(v.$bigint);
    if (keys.length === 1 && keys[0] === '$date') return new Date(v.$date);
  }
  return v;
}) as Recorded;

const json = (v: unknown): string => JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? { $bigint: x.toString() } : x));

function policyOf(i: number): Parameters<typeof evaluate>[0] {
  const p = recorded.policies[i]!;
  if (!p.compiled) return p.doc as Parameters<typeof evaluate>[0];
  const c = compilePolicy(p.doc, { limits: p.limits });
  if (!c.ok) throw new Error(`recorded compiled policy ${i} no longer compiles: ${json(c.problems)}`);
  return c.policy;
}

describe('verdict snapshots (recorded before the evaluation-speed rework)', () => {
  it('has a substantial corpus, including allow, deny, warn and indeterminate verdicts', () => {
    expect(recorded.cases.length).toBeGreaterThanOrEqual(200);
    const verdicts = recorded.cases.map((c) => c.verdict as { decision: string; status: string; mode: string });
    expect(new Set(verdicts.map((v) => v.decision))).toEqual(new Set(['allow', 'deny']));
    expect(new Set(verdicts.map((v) => v.status))).toEqual(new Set(['pass', 'fail', 'indeterminate', 'not-applicable']));
    expect(new Set(verdicts.map((v) => v.mode))).toEqual(new Set(['enforce', 'warn', 'audit']));
  });

  it.each(recorded.cases.map((c, i) => [i, c] as const))('case %i gives the recorded verdict', (_i, c) => {
    const v = evaluate(policyOf(c.policy), recorded.evidence[c.evidence] as PolicyEvidence, c.options as EvaluateOptions);
    const got = json(v);
    const want = json(c.verdict);
    if (got !== want) expect(JSON.parse(got)).toEqual(JSON.parse(want)); // a readable diff first
    expect(got).toBe(want); // then key order and every byte
  });

  it('is deterministic: a compiled policy evaluated twice over the same evidence gives the same JSON', () => {
    for (const c of recorded.cases.filter((x) => recorded.policies[x.policy]!.compiled).slice(0, 40)) {
      const p = policyOf(c.policy);
      const ev = recorded.evidence[c.evidence] as PolicyEvidence;
      const a = json(evaluate(p, ev, c.options as EvaluateOptions));
      const b = json(evaluate(p, ev, c.options as EvaluateOptions));
      expect(b).toBe(a);
    }
  });
});
