// Evidence summaries list the rules that accepted each piece of evidence
// (`usedBy`), sorted: an evaluation records them as a bit per rule location,
// 32 to a word. Checked against the verdict tree itself, with more than 32
// locations so several words are in play.
import { describe, expect, it } from 'vitest';
import { compilePolicy, evaluate, type PolicyDocument, type Rule, type RuleResult } from '../../src/policy.js';
import { ARTIFACT, GHA_ISSUER, NOW, attestation } from './fixtures.js';

const PROVENANCE = 'https://slsa.dev/provenance/v1';
const SBOM = 'https://spdx.dev/Document/v2.3';

describe('usedBy', () => {
  it('lists, sorted, every signedBy and attestation rule that accepted the evidence, across more than 32 locations', () => {
    const att = (id: string, predicateType = PROVENANCE): Rule => ({ attestation: { id, predicateType, by: ['gha'], select: 'any' } });
    const rules: Rule[] = Array.from({ length: 37 }, (_, i) => att(`a${i}`));
    rules.push({ signedBy: ['gha'], include: 'attestations' }, { use: 'named' }, { anyOf: [att('sbom', SBOM), att('b')] });
    const doc: PolicyDocument = {
      apiVersion: 'policy.sigvet.dev/v1',
      name: 'many',
      authorities: { gha: { kind: 'keyless', identities: [{ issuer: { exact: GHA_ISSUER }, subject: { prefix: 'https://github.com/acme/app/' } }] } },
      rules: { named: att('n') },
      require: { allOf: rules },
    };
    const c = compilePolicy(doc);
    if (!c.ok) throw new Error(JSON.stringify(c.problems));
    expect(c.policy.locations.length).toBeGreaterThan(32);
    const v = evaluate(c.policy, { artifacts: [ARTIFACT], results: [attestation({ predicateType: PROVENANCE }), attestation({ predicateType: SBOM, subjects: [{ digest: { sha256: 'f'.repeat(64) } }] })] }, { now: NOW });

    // The reference: the passing signedBy and attestation nodes that name the evidence.
    const accepted = new Set<string>();
    const walk = (r: RuleResult): void => {
      if ((r.rule.startsWith('attestation ') || r.rule.startsWith('signedBy')) && r.status === 'pass' && r.evidence?.includes(0)) accepted.add(r.at);
      r.children?.forEach(walk);
    };
    walk(v.result);
    const want = [...accepted].sort();
    expect(want.length).toBe(40);
    expect(want).toContain('/rules/named');
    expect(v.evidence[0]!.usedBy).toEqual(want);
    // The SBOM's subject is not the artifact: no rule accepted it.
    expect(v.evidence[1]!.usedBy).toEqual([]);
  });
});
