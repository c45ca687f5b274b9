// What compilation precomputes is shared and reused, and what one
// evaluation derives from its evidence never leaks into another: a compiled
// policy evaluated over changing evidence gives exactly the verdict a fresh
// compilation gives.
import { describe, expect, it } from 'vitest';
import { compilePolicy, evaluate, type PolicyDocument, type PolicyEvidence } from '../../src/policy.js';
import type { CompiledCondition, CompiledPolicy, CompiledRule } from '../../src/policy/compile.js';
import { statusFnOf } from '../../src/policy/conditions.js';
import { ARTIFACT, GHA_ISSUER, NOW, WORKFLOW_SAN, attestation } from './fixtures.js';

const PROVENANCE = 'https://slsa.dev/provenance/v1';
const VULNS = 'https://in-toto.io/attestation/vulns/v0.2';

const doc: PolicyDocument = {
  apiVersion: 'policy.sigvet.dev/v1',
  name: 'reuse',
  authorities: { gha: { kind: 'keyless', identities: [{ issuer: { exact: GHA_ISSUER }, subject: { regex: 'https://github\\.com/acme/app/\\.github/workflows/[a-z]+\\.yml@refs/tags/v[0-9.]+' } }] } },
  require: {
    allOf: [
      { attestation: { id: 'a', predicateType: PROVENANCE, by: ['gha'], select: 'all', slsa: { builderIsSigner: true, buildType: { exact: 'bt' } } } },
      { attestation: { id: 'b', predicateType: PROVENANCE, by: ['gha'], select: 'any', slsa: { externalParameters: { only: ['workflow'] } }, where: [{ path: '/predicate/runDetails/builder/id', match: { prefix: 'https://github.com/acme/' } }] } },
      { attestation: { id: 'v', predicateType: VULNS, by: ['gha'], select: 'all', vulns: { maxSeverity: 'medium' } } },
    ],
  },
};

function provenance(builder: string, params: Record<string, unknown> = { workflow: {} }) {
  return { buildDefinition: { buildType: 'bt', externalParameters: params }, runDetails: { builder: { id: builder } } };
}
function scan(scores: string[]) {
  return { scanner: { uri: 'x', db: { lastUpdate: NOW }, result: scores.map((score, i) => ({ id: `CVE-${i}`, severity: [{ method: 'nvd', score }] })) } };
}
function evidence(builder: string, scores: string[], params?: Record<string, unknown>): PolicyEvidence {
  return {
    artifacts: [ARTIFACT],
    results: [attestation({ predicateType: PROVENANCE, predicate: provenance(builder, params) }), attestation({ predicateType: VULNS, predicate: scan(scores) })],
  };
}
const fresh = (ev: PolicyEvidence) => {
  const c = compilePolicy(doc);
  if (!c.ok) throw new Error(JSON.stringify(c.problems));
  return JSON.stringify(evaluate(c.policy, ev, { now: NOW }));
};

function pathConditions(p: CompiledPolicy): Extract<CompiledCondition, { kind: 'path' }>[] {
  const out: Extract<CompiledCondition, { kind: 'path' }>[] = [];
  const visit = (c: CompiledCondition): void => {
    if (c.kind === 'path') out.push(c);
    if (c.kind === 'allOf' || c.kind === 'anyOf') c.items.forEach(visit);
    if (c.kind === 'cases') for (const l of c.cases.values()) l.forEach(visit);
  };
  const walk = (r: CompiledRule): void => {
    if (r.kind === 'attestation') r.rule.conditions.forEach(visit);
    if (r.kind === 'allOf') r.children.forEach(walk);
  };
  walk(p.root);
  return out;
}

describe('compiled policy reuse', () => {
  const compiled = compilePolicy(doc);
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.problems));
  const policy = compiled.policy;

  it('gives a fresh compilation\'s verdict whatever was evaluated before (no state carried between evaluations)', () => {
    const cases = [
      evidence(WORKFLOW_SAN, ['1.0', '5.5']),
      evidence('https://github.com/evil/x', ['9.8']),
      evidence(WORKFLOW_SAN, ['1.0', '5.5'], { workflow: {}, extra: 'x' }),
      evidence(WORKFLOW_SAN, []),
    ];
    const want = cases.map(fresh);
    expect(new Set(want.map((v) => (JSON.parse(v) as { decision: string }).decision))).toEqual(new Set(['allow', 'deny']));
    for (const order of [[0, 1, 2, 3], [3, 2, 1, 0], [1, 0, 1, 0, 2, 2, 3, 0]]) {
      for (const i of order) expect(JSON.stringify(evaluate(policy, cases[i]!, { now: NOW }))).toBe(want[i]);
    }
  });

  it('reads the evidence afresh on every evaluation (an object changed in place gives the new verdict)', () => {
    const ev = evidence(WORKFLOW_SAN, ['1.0']);
    expect(evaluate(policy, ev, { now: NOW }).decision).toBe('allow');
    const predicate = (ev.results[0] as unknown as { content: { statement: { predicate: { runDetails: { builder: { id: string } } } } } }).content.statement.predicate;
    predicate.runDetails.builder.id = 'https://github.com/evil/x';
    const after = evaluate(policy, ev, { now: NOW });
    expect(after.decision).toBe('deny');
    expect(JSON.stringify(after)).toBe(fresh(ev));
  });

  it('numbers each statement path once per policy: rules reading the same path share its slot', () => {
    const paths = pathConditions(policy);
    const finished = paths.filter((c) => c.pointer === '/predicate/runDetails/metadata/finishedOn');
    expect(finished.length).toBeGreaterThanOrEqual(4); // the time check of both slsa rules (exists and <=)
    expect(new Set(finished.map((c) => c.slot)).size).toBe(1);
    expect(finished[0]!.slot).toBeGreaterThanOrEqual(0);
    // One table per policy, prefixes included: /predicate/runDetails is the parent of both runDetails paths.
    const builder = paths.find((c) => c.pointer === '/predicate/runDetails/builder/id')!;
    expect(builder.slots).toBe(finished[0]!.slots);
    const parents = (slot: number): number[] => (slot < 0 ? [] : [slot, ...parents(builder.slots.parent[slot]!)]);
    const shared = parents(builder.slot).filter((s) => parents(finished[0]!.slot).includes(s));
    expect(shared.map((s) => builder.slots.token[s])).toEqual(['runDetails', 'predicate']);
  });

  it('precomputes pass texts at compile time and compiles each condition\'s status closure once', () => {
    const paths = pathConditions(policy);
    const match = paths.find((c) => c.test.op === 'match' && c.pointer === '/predicate/runDetails/builder/id')!;
    expect(match.passText).toBe('/predicate/runDetails/builder/id matches');
    expect(match.absentText).toBe('/predicate/runDetails/builder/id is absent');
    expect(statusFnOf(match)).toBe(statusFnOf(match));
  });
});
