// Verdict nodes shared between evaluations (src/policy/shared-nodes.ts) and
// the closures that keep them (src/policy/conditions.ts): shared nodes are
// frozen, reused only while what they were built from comes back, and a
// compiled policy evaluated over changing evidence, times and plug-ins
// (re-entrant ones included) still gives exactly a fresh compilation's
// verdict.
import { describe, expect, it } from 'vitest';
import { compilePolicy, evaluate, type PluginEvaluator, type PolicyDocument, type PolicyEvidence, type RuleResult, type Verdict } from '../../src/policy.js';
import { NodeMemo, evidenceOf, isShared, sharedNode } from '../../src/policy/shared-nodes.js';
import { ARTIFACT, GHA_ISSUER, NOW, SHA_A, attestation, slsaV1 } from './fixtures.js';

const PROVENANCE = 'https://slsa.dev/provenance/v1';
const VULNS = 'https://in-toto.io/attestation/vulns/v0.2';

const leaf = (message: string): RuleResult => ({ rule: 'condition', at: '/x', status: 'pass', reason: 'OK', message });

function nodesOf(r: RuleResult, out: RuleResult[] = []): RuleResult[] {
  out.push(r);
  for (const c of r.children ?? []) nodesOf(c, out);
  return out;
}

describe('NodeMemo and shared nodes', () => {
  it('keeps a composite only when every child is shared, and hands it back for the same children and key only', () => {
    const a = sharedNode(leaf('a'));
    const b = sharedNode(leaf('b'));
    const memo = new NodeMemo();
    const parent = { ...leaf('p'), children: [a, b] };
    expect(memo.keep(parent, 't1')).toBe(parent);
    expect(isShared(parent)).toBe(true);
    expect(Object.isFrozen(parent) && Object.isFrozen(parent.children)).toBe(true);
    expect(memo.kept('t1')).toBe(parent);
    expect(memo.kept('t2')).toBeUndefined();
    expect(memo.kept()).toBeUndefined();

    // A fresh (unshared) child: the node is returned as built, not kept, not frozen.
    const fresh = leaf('c');
    const other = { ...leaf('q'), children: [a, fresh] };
    expect(memo.keep(other, 't1')).toBe(other);
    expect(isShared(other)).toBe(false);
    expect(Object.isFrozen(other)).toBe(false);
    expect(memo.kept('t1')).toBe(parent);
  });

  it('keeps leaves per key (an item count, a resolved time)', () => {
    const memo = new NodeMemo<RuleResult>();
    const three = memo.keep(leaf('3 items'), 3);
    expect(memo.kept(3)).toBe(three);
    expect(memo.kept(4)).toBeUndefined();
    const big = memo.keep(leaf('at t'), 1_748_779_200_000_000_000n);
    // Bigint keys compare by value.
    expect(memo.kept(1_748_779_200_000_000_000n)).toBe(big);
    expect(memo.kept(3)).toBeUndefined();
  });

  it('shares frozen one-element evidence lists below a bound, and builds larger ones each time', () => {
    expect(evidenceOf(7)).toEqual([7]);
    expect(evidenceOf(7)).toBe(evidenceOf(7));
    expect(Object.isFrozen(evidenceOf(7))).toBe(true);
    expect(evidenceOf(5000)).toEqual([5000]);
    expect(evidenceOf(5000)).not.toBe(evidenceOf(5000));
  });
});

const doc: PolicyDocument = {
  apiVersion: 'policy.sigvet.dev/v1',
  name: 'shared',
  authorities: { gha: { kind: 'keyless', identities: [{ issuer: { exact: GHA_ISSUER }, subject: { prefix: 'https://github.com/acme/app/' } }] } },
  require: {
    allOf: [
      { attestation: { id: 'p', predicateType: PROVENANCE, by: ['gha'], select: 'all', slsa: { builderIsSigner: true, versionedTag: 'v1' } } },
      { attestation: { id: 'r', predicateType: PROVENANCE, by: ['gha'], select: 'any', where: [{ path: '/predicate/runDetails/metadata/finishedOn', op: 'gte', as: 'time', value: { clock: 'now', offset: '-P1D' } }] } },
      { attestation: { id: 'v', predicateType: VULNS, by: ['gha'], select: 'all', vulns: { maxCount: { high: 1 }, dbMaxAge: 'P2D' } } },
      { attestation: { id: 'x', predicateType: PROVENANCE, by: ['gha'], select: 'any', where: [{ plugin: 'rego', source: 'allow' }] } },
    ],
  },
};

function scan(scores: string[], lastUpdate = '2025-06-01T00:00:00Z') {
  return { scanner: { uri: 'x', db: { lastUpdate }, result: scores.map((score, i) => ({ id: `CVE-${i}`, severity: [{ method: 'nvd', score }] })) } };
}

function evidenceWith(o: { finishedOn?: string; scores?: string[]; lastUpdate?: string } = {}): PolicyEvidence {
  return {
    artifacts: [ARTIFACT],
    results: [
      attestation({ predicateType: PROVENANCE, predicate: slsaV1({ finishedOn: o.finishedOn }), subjects: [{ name: 'app', digest: { sha256: SHA_A } }] }),
      attestation({ predicateType: VULNS, predicate: scan(o.scores ?? ['1.0'], o.lastUpdate), subjects: [{ name: 'app', digest: { sha256: SHA_A } }] }),
    ],
  };
}

const plugins: Readonly<Record<string, PluginEvaluator>> = { rego: (_input, source) => source === 'allow' };

function fresh(ev: PolicyEvidence, now: string, p = plugins): string {
  const c = compilePolicy(doc);
  if (!c.ok) throw new Error(JSON.stringify(c.problems));
  return JSON.stringify(evaluate(c.policy, ev, { now, plugins: p }));
}

describe('a compiled policy reusing shared nodes', () => {
  const compiled = compilePolicy(doc);
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.problems));
  const policy = compiled.policy;

  it('shares most condition nodes of a repeated evaluation, frozen, and never a node naming evidence', () => {
    const ev = evidenceWith();
    const first = evaluate(policy, ev, { now: NOW, plugins });
    const second = evaluate(policy, ev, { now: NOW, plugins });
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
    const firstNodes = nodesOf(first.result);
    const secondNodes = nodesOf(second.result);
    const shared = secondNodes.filter((n) => firstNodes.includes(n));
    expect(shared.length).toBeGreaterThan(5);
    for (const n of shared) {
      expect(Object.isFrozen(n)).toBe(true);
      expect(n.children === undefined || Object.isFrozen(n.children)).toBe(true);
      // Subject and evidence nodes name the evidence: always built afresh.
      expect(n.rule).toBe('condition');
    }
    // Strict-mode code cannot change a shared node (and so another verdict).
    const node = shared[0]! as { message: string };
    expect(() => {
      node.message = 'changed';
    }).toThrow(TypeError);
    expect(JSON.stringify(evaluate(policy, ev, { now: NOW, plugins }))).toBe(JSON.stringify(first));
  });

  it('gives a fresh compilation\'s verdict as the evidence, the time and the plug-ins change in any order', () => {
    const cases: { ev: PolicyEvidence; now: string; plugins: typeof plugins }[] = [
      { ev: evidenceWith(), now: NOW, plugins },
      // finishedOn present: the time check's anyOf now has two passing children.
      { ev: evidenceWith({ finishedOn: '2025-06-01T08:59:00Z' }), now: NOW, plugins },
      // Another count of items at or above high, a stale database, another day.
      { ev: evidenceWith({ scores: ['9.0', '8.0', '1.0'] }), now: NOW, plugins },
      { ev: evidenceWith({ scores: ['9.0'], lastUpdate: '2025-05-01T00:00:00Z' }), now: '2025-06-02T12:00:00Z', plugins },
      { ev: evidenceWith(), now: '2025-06-01T13:00:00Z', plugins: { rego: () => false } },
    ];
    const want = cases.map((c) => fresh(c.ev, c.now, c.plugins));
    expect(new Set(want).size).toBe(cases.length);
    for (const order of [[0, 1, 2, 3, 4], [4, 3, 2, 1, 0], [1, 1, 0, 3, 3, 2, 4, 0]]) {
      for (const i of order) expect(JSON.stringify(evaluate(policy, cases[i]!.ev, { now: cases[i]!.now, plugins: cases[i]!.plugins }))).toBe(want[i]);
    }
  });

  it('stays exact when a plug-in evaluates the same compiled policy re-entrantly', () => {
    const inner: Verdict[] = [];
    const innerEv = evidenceWith({ scores: ['9.0', '9.5'], finishedOn: '2025-06-01T08:59:00Z' });
    const reentrant: Readonly<Record<string, PluginEvaluator>> = {
      rego: (_input, source) => {
        if (inner.length < 3) inner.push(evaluate(policy, innerEv, { now: '2025-06-01T13:00:00Z', plugins }));
        return source === 'allow';
      },
    };
    const ev = evidenceWith();
    const outer = evaluate(policy, ev, { now: NOW, plugins: reentrant });
    expect(inner.length).toBeGreaterThan(0);
    expect(JSON.stringify(outer)).toBe(fresh(ev, NOW, reentrant));
    for (const v of inner) expect(JSON.stringify(v)).toBe(fresh(innerEv, '2025-06-01T13:00:00Z'));
  });
});
