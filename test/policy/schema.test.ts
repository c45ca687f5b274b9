// schemas/policy.v1.schema.json is documentation of the format: these tests
// keep it in step with the TypeScript validator (the authority).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import Ajv from 'ajv';
import { compilePolicy } from '../../src/policy.js';
import { CONDITION_OPERATORS, EXTENSION_KEYS, KNOWN_KEYS, MATCH_KINDS, RULE_KINDS } from '../../src/policy/validate.js';
import { loadPolicyTestCases } from '../../src/cli/policy.js';

const schema = JSON.parse(readFileSync(fileURLToPath(new URL('../../schemas/policy.v1.schema.json', import.meta.url)), 'utf8'));
const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, strictRequired: false });
ajv.addFormat('date-time', (s: string) => /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(s));
const validate = ajv.compile(schema);
const defs = schema.definitions;
const props = (o: { properties: Record<string, unknown> }) => Object.keys(o.properties).sort();
const variants = (d: { oneOf: { properties: Record<string, unknown> }[] }) => d.oneOf.map((v) => Object.keys(v.properties));

describe('policy JSON Schema', () => {
  it('has the $id the schema compiler expects and compiles in ajv strict mode', () => {
    expect(schema.$id).toBe('policy.v1.schema.json');
    expect(typeof validate).toBe('function');
  });

  it('names the same fields as the TypeScript validator', () => {
    expect(props(schema)).toEqual([...KNOWN_KEYS.document].sort());
    expect(props(schema.properties.scope)).toEqual([...KNOWN_KEYS.scope].sort());
    expect(props(schema.properties.limits)).toEqual([...KNOWN_KEYS.limits].sort());
    expect(props(defs.attestation)).toEqual([...KNOWN_KEYS.attestation].sort());
    expect(props(defs.identity)).toEqual([...KNOWN_KEYS.identity].sort());
    expect(props(defs.identity.properties.extensions)).toEqual([...EXTENSION_KEYS].sort());
    expect(props(defs.slsa)).toEqual([...KNOWN_KEYS.slsa].sort());
    expect(props(defs.vsa)).toEqual([...KNOWN_KEYS.vsa].sort());
    expect(props(defs.vulns)).toEqual([...KNOWN_KEYS.vulns].sort());
    expect(props(defs.attestation.properties.subject)).toEqual([...KNOWN_KEYS.subject].sort());
    const [keyless, key, stat] = variants(defs.authority);
    expect(keyless!.sort()).toEqual([...KNOWN_KEYS.keyless].sort());
    expect(key!.sort()).toEqual([...KNOWN_KEYS.key].sort());
    expect(stat!.sort()).toEqual([...KNOWN_KEYS.static].sort());
    expect(variants(defs.rule).map((v) => v.find((k) => (RULE_KINDS as readonly string[]).includes(k)))).toEqual([...RULE_KINDS]);
    expect(variants(defs.stringMatch).map((v) => v[0])).toEqual([...MATCH_KINDS]);
    const ops = variants(defs.condition).map((v) => v.find((k) => (CONDITION_OPERATORS as readonly string[]).includes(k))).filter(Boolean);
    expect([...new Set(ops)].sort()).toEqual([...CONDITION_OPERATORS].sort());
  });

  it('accepts every vector and documented policy, and agrees with the validator on broken ones', () => {
    const dir = fileURLToPath(new URL('../../test-vectors/policy', import.meta.url));
    const policies = loadPolicyTestCases(dir).map((c) => c.testCase!.policy);
    expect(policies.length).toBeGreaterThan(10);
    for (const p of policies) expect(validate(p), JSON.stringify(validate.errors)).toBe(true);
    const base = policies[0]!;
    const broken: unknown[] = [
      { ...base, apiVersion: 'v0' },
      { ...base, extra: 1 },
      { ...base, require: { allOf: [] } },
      { ...base, require: { signedBy: ['x'], bogus: true } },
      { ...base, authorities: { a: { kind: 'keyless', identities: [] } } },
      { ...base, authorities: { a: { kind: 'keyless', identities: [{ subject: { exact: 'x' } }] } } },
      { ...base, scope: { images: [{ glob: 'x' }] } },
      { ...base, require: { attestation: { id: 'a.b', predicateType: 'x', by: ['a'] } } },
      { ...base, require: { attestation: { id: 'a', predicateType: 'x', by: ['a'], where: [{ path: 'no-slash', exists: true }] } } },
      { ...base, require: { attestation: { id: 'a', predicateType: 'x', by: ['a'], where: [{ path: '/x', op: 'gt', value: 1 }] } } },
    ];
    for (const b of broken) {
      expect(validate(b), JSON.stringify(b)).toBe(false);
      expect(compilePolicy(b).ok, JSON.stringify(b)).toBe(false);
    }
  });
});
