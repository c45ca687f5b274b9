/**
 * Runs one case of test-vectors/oci/CASES.json against an image source:
 * the options a case names, mapped onto {@link checkImage}.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkImage, type ImageVerification } from '../../src/oci/verify-image.js';
import type { ImageSource } from '../../src/oci/source.js';
import type { Verifier } from '../../src/verify/verifier.js';
import { SigvetError } from '../../src/errors.js';

/** One entry of CASES.json. */
export interface OciCase {
  name: string;
  expect: 'pass' | 'fail';
  expected_error_code: string | null;
  expected_check: string | null;
  layout: string;
  reference: string;
  identity: string | null;
  issuer: string | null;
  key: string | null;
  platform: string | null;
  signatures: boolean;
  attestations: boolean;
  predicate_types: string[] | null;
  attestation_identity: string | null;
  readme: string;
}

/** What became of a case: the report, or the error thrown before any report. */
export type CaseOutcome = { report: ImageVerification; thrown: undefined } | { report: undefined; thrown: SigvetError };

/** Key files of a case directory, by the names cases use. */
export function keyFiles(dir: string): Record<string, string> {
  return { 'key.pub': readFileSync(join(dir, 'key.pub'), 'utf8'), 'other-key.pub': readFileSync(join(dir, 'other-key.pub'), 'utf8') };
}

/** Runs `c` on `source`; `reference` overrides the case's (e.g. another registry host). */
export async function runCase(keys: Record<string, string>, c: OciCase, verifier: Verifier, source: ImageSource, reference = c.reference): Promise<CaseOutcome> {
  const key = c.key ? keys[c.key] : undefined;
  if (c.key && key === undefined) throw new Error(`no key ${c.key}`);
  const identity = c.identity && c.issuer ? { subjectAlternativeName: c.identity, issuer: c.issuer } : undefined;
  try {
    const report = await checkImage({
      verifier,
      source,
      reference,
      ...(identity ? { identity } : {}),
      ...(key ? { key } : {}),
      signatures: c.signatures,
      ...(c.platform ? { platform: c.platform } : {}),
      ...(c.attestations
        ? {
            attestations: {
              ...(c.predicate_types ? { predicateTypes: c.predicate_types } : {}),
              ...(c.attestation_identity ? { identity: { subjectAlternativeName: c.attestation_identity, issuer: c.issuer! } } : {}),
            },
          }
        : {}),
    });
    return { report, thrown: undefined };
  } catch (e) {
    if (e instanceof SigvetError) return { report: undefined, thrown: e };
    throw e;
  }
}

/** The error a case ended with (thrown, or the report's), if any. */
export function outcomeError(o: CaseOutcome): SigvetError | undefined {
  return o.thrown ?? o.report?.error;
}

/** Reads CASES.json. */
export function readOciCases(dir: string): OciCase[] {
  return (JSON.parse(readFileSync(join(dir, 'CASES.json'), 'utf8')) as { cases: OciCase[] }).cases;
}
