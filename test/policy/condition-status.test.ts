// The compiled status closures (statusFnOf) against the full evaluation
// (evalCondition, which builds the verdict nodes): the same status, the same
// step budget spent and the same plug-in calls, for every condition of the
// recorded policies over every recorded attestation and array item.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compilePolicy } from '../../src/policy.js';
import type { CompiledCondition, CompiledRule } from '../../src/policy/compile.js';
import { evalCondition, statusFnOf, type ConditionEnv } from '../../src/policy/conditions.js';
import { DEFAULT_LIMITS, viewEvidence } from '../../src/policy/evidence.js';
import { formatTimestamp, parseTimestamp } from '../../src/policy/time.js';

const recorded = JSON.parse(readFileSync(new URL('../fixtures/policy-verdicts/verdicts.json', import.meta.url), 'utf8'), (_k, v) =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 1 && '$bigint' in v ? BigInt(v.$bigint) : v,
) as { policies: { doc: unknown }[]; evidence: { results?: unknown[] }[] };

/** Every condition of a compiled rule tree, nested ones included, and whether it reads quantified items. */
function conditionsOf(rules: readonly CompiledRule[]): { c: CompiledCondition; item: boolean }[] {
  const out: { c: CompiledCondition; item: boolean }[] = [];
  const visit = (c: CompiledCondition, item: boolean): void => {
    out.push({ c, item });
    if (c.kind === 'allOf' || c.kind === 'anyOf') c.items.forEach((x) => visit(x, item));
    else if (c.kind === 'cases') for (const list of c.cases.values()) list.forEach((x) => visit(x, item));
    else if (c.kind === 'path' && (c.test.op === 'every' || c.test.op === 'some')) c.test.items.forEach((x) => visit(x, true));
    else if (c.kind === 'path' && c.test.op === 'count') c.test.where.forEach((x) => visit(x, true));
  };
  const walk = (r: CompiledRule): void => {
    if (r.kind === 'attestation') r.rule.conditions.forEach((x) => visit(x, false));
    else if (r.kind === 'allOf' || r.kind === 'anyOf' || r.kind === 'atLeast') r.children.forEach(walk);
    else if (r.kind === 'not') walk(r.child);
  };
  rules.forEach(walk);
  return out;
}

/** The value and every array element below it (the roots quantified conditions are evaluated on). */
function itemsOf(v: unknown, out: unknown[] = [], depth = 0): unknown[] {
  if (depth > 12 || v === null || typeof v !== 'object') return out;
  for (const x of Array.isArray(v) ? v : Object.values(v)) {
    if (Array.isArray(v)) out.push(x);
    itemsOf(x, out, depth + 1);
  }
  return out;
}

describe('compiled condition status', () => {
  const conditions: { c: CompiledCondition; item: boolean }[] = [];
  for (const p of recorded.policies) {
    const c = compilePolicy(p.doc);
    if (c.ok) conditions.push(...conditionsOf([c.policy.root, ...c.policy.rules.values()]));
  }
  // Distinct attestations (the recorded cases share evidence).
  const byContent = new Map<string, ReturnType<typeof viewEvidence>>();
  for (const e of recorded.evidence) {
    for (const [i, r] of (Array.isArray(e.results) ? e.results : []).entries()) {
      const v = viewEvidence(r, i, DEFAULT_LIMITS);
      if (v.kind === 'attestation') byContent.set(JSON.stringify(v.statement, (_k, x) => (typeof x === 'bigint' ? `${x}n` : x)), v);
    }
  }
  const views = [...byContent.values()];
  const now = parseTimestamp('2025-06-01T12:00:00Z')!;

  it('covers a real corpus', () => {
    expect(conditions.length).toBeGreaterThan(100);
    expect(conditions.filter((x) => x.item).length).toBeGreaterThan(20);
    expect(views.length).toBeGreaterThan(10);
  });

  it('gives the full evaluation\'s status, budget and plug-in calls on every condition, attestation and item', () => {
    let compared = 0;
    for (const v of views) {
      const calls: string[] = [];
      const env = (tag: string): ConditionEnv => ({
        statement: v.statement!,
        signer: v.signer,
        verifiedTime: v.verifiedTimes[0],
        now,
        clockSkew: 300_000_000_000n,
        maxArrayItems: 1000,
        plugins: { rego: (_i, source) => (calls.push(`${tag}:${source}`), source.length % 2 === 0) },
        formatTime: formatTimestamp,
        values: [],
      });
      const items = itemsOf(v.statement).slice(0, 60);
      for (const { c, item } of conditions) {
        // Top-level conditions read the statement; quantified ones read items (and, to be sure, the statement).
        for (const root of item ? [v.statement, ...items] : [v.statement]) {
          const a = { steps: 0 };
          const b = { steps: 0 };
          calls.length = 0;
          const want = evalCondition(c, env('ref'), root, a).status;
          const got = statusFnOf(c)(env('fn'), root, b);
          expect(got).toBe(want);
          expect(b.steps).toBe(a.steps);
          expect(calls.filter((x) => x.startsWith('fn')).length).toBe(calls.filter((x) => x.startsWith('ref')).length);
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(10_000);
  });

  it('stops at the step budget exactly where the full evaluation stops', () => {
    const doc = {
      apiVersion: 'policy.sigvet.dev/v1',
      name: 'budget',
      authorities: { a: { kind: 'keyless', identities: [{ issuer: { exact: 'i' }, subject: { exact: 's' } }] } },
      require: {
        attestation: {
          id: 'x',
          predicateType: 'x:t',
          by: ['a'],
          select: 'all',
          where: [{ path: '/predicate/items', every: [{ path: '/v', some: [{ path: '', op: 'gte', value: 2, as: 'number' }] }] }],
        },
      },
    };
    const c = compilePolicy(doc);
    if (!c.ok) throw new Error(JSON.stringify(c.problems));
    const cond = conditionsOf([c.policy.root])[0]!.c;
    const statement = { _type: 'https://in-toto.io/Statement/v1', subject: [], predicateType: 'x:t', predicate: { items: Array.from({ length: 50 }, (_, i) => ({ v: [i % 3, 1] })) } };
    const env: ConditionEnv = { statement, signer: undefined, verifiedTime: undefined, now, clockSkew: 0n, maxArrayItems: 1000, plugins: undefined, formatTime: formatTimestamp, values: [] };
    for (const start of [0, 999_800, 999_900, 999_950, 999_990, 999_999]) {
      const a = { steps: start };
      const b = { steps: start };
      expect(statusFnOf(cond)(env, statement, b)).toBe(evalCondition(cond, env, statement, a).status);
      expect(b.steps).toBe(a.steps);
    }
  });
});
