/**
 * Every attestation fixture through the public entry (sigvet/attestations):
 * valid ones parse to their kind and their views show the stated fields;
 * invalid ones fail with the stated check and the JSON Pointer of the
 * offending field. Every modelled predicate kind has both.
 */
import { describe, expect, it } from 'vitest';
import {
  PREDICATE_SCHEMA_FILES,
  SigvetError,
  parseAttestationPayload,
  provenanceView,
  validatePredicate,
  verificationSummary,
  vulnerabilityReport,
  type Attestation,
} from '../../src/attestations.js';
import { loadFixtureCases, payloadOf, type FixtureCase } from './fixture-cases.js';

const CASES = loadFixtureCases();
const VALID = CASES.filter((c) => c.expect.valid);
const INVALID = CASES.filter((c) => !c.expect.valid);

function checkView(att: Attestation, c: FixtureCase): void {
  const want = c.expect.view;
  if (!want) return;
  const prov = provenanceView(att);
  if (want.builderId !== undefined) expect(prov?.builderId).toBe(want.builderId);
  if (want.repository !== undefined) expect(prov?.source.repository ?? null).toBe(want.repository);
  if (want.ref !== undefined) expect(prov?.source.ref ?? null).toBe(want.ref);
  if (want.invocationId !== undefined) expect(prov?.invocationId ?? null).toBe(want.invocationId);
  const vsa = verificationSummary(att);
  if (want.verifierId !== undefined) expect(vsa?.verifierId).toBe(want.verifierId);
  if (want.result !== undefined) expect(vsa?.result).toBe(want.result);
  if (want.buildLevel !== undefined) expect(vsa?.slsaLevels.BUILD).toBe(want.buildLevel);
  const vuln = vulnerabilityReport(att);
  if (want.resultFormat !== undefined) expect(vuln?.resultFormat).toBe(want.resultFormat);
  if (want.findings !== undefined) expect(vuln?.findings).toHaveLength(want.findings);
  if (want.scores !== undefined) expect(vuln?.findings?.flatMap((f) => f.scores.map((s) => s.score ?? null))).toEqual(want.scores);
  if (want.severities !== undefined) expect(vuln?.findings?.map((f) => f.severity)).toEqual(want.severities);
  if (want.dbLastUpdate !== undefined) expect(vuln?.database.lastUpdate).toBe(want.dbLastUpdate);
}

describe('attestation fixtures', () => {
  it('cover every modelled predicate kind with a valid and an invalid case', () => {
    for (const kind of Object.keys(PREDICATE_SCHEMA_FILES)) {
      expect(VALID.some((c) => c.expect.kind === kind), `valid ${kind}`).toBe(true);
      expect(INVALID.some((c) => c.expect.kind === kind), `invalid ${kind}`).toBe(true);
    }
    expect(VALID.some((c) => c.expect.kind === 'unknown')).toBe(true);
  });

  describe.each(VALID.map((c) => [c.name, c] as const))('valid: %s', (_name, c) => {
    it(`parses as ${c.expect.kind} (${c.description})`, () => {
      const att = parseAttestationPayload(payloadOf(c));
      expect(att.kind).toBe(c.expect.kind);
      expect(att.predicateType).toBe(c.statement.predicateType);
      // The typed predicate is the statement's own (or {} when it has none); unknown kinds keep the JSON.
      if (att.kind === 'unknown') expect(att.predicate).toEqual(c.statement.predicate);
      else expect(att.predicate).toEqual(c.statement.predicate ?? {});
      checkView(att, c);
    });
  });

  describe.each(INVALID.map((c) => [c.name, c] as const))('invalid: %s', (_name, c) => {
    it(`fails ${c.expect.check} at ${c.expect.pointer} (${c.description})`, () => {
      let err: unknown;
      try {
        parseAttestationPayload(payloadOf(c));
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(SigvetError);
      const e = err as SigvetError;
      expect(e.code).toBe('DSSE');
      expect(e.check).toBe(c.expect.check);
      expect(e.message).toContain(c.expect.pointer);
      if (c.expect.check === 'attestation.predicate.schema') {
        // Machine-readable: the non-throwing validator names the same field and keyword.
        const r = validatePredicate(c.statement.predicateType as string, c.statement.predicate);
        expect(r.valid).toBe(false);
        expect(r.kind).toBe(c.expect.kind);
        expect(r.issues.map((i) => `${i.pointer} ${i.keyword}`)).toContain(`${c.expect.pointer} ${c.expect.keyword}`);
        expect(e.errors?.map((x) => x.message)).toContain(r.issues.find((i) => i.pointer === c.expect.pointer)!.pointer + ': ' + r.issues.find((i) => i.pointer === c.expect.pointer)!.message);
      }
    });
  });
});
