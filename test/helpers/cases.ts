// Reads a folder in the sigstore-conformance CASES.json layout (the shared
// suite, or sigvet's own test-vectors) and runs its cases through the API.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { VerifyInput } from '../../src/api.js';

/** One case of a CASES.json manifest. */
export interface Case {
  name: string;
  expect: 'pass' | 'fail';
  bundle: string;
  artifact: string;
  artifact_digest: string;
  identity: string | null;
  issuer: string | null;
  key: string | null;
  trusted_root: string;
  expected_error_code?: string;
  expected_check?: string;
  modes?: ('path' | 'digest')[];
}

/** The cases of `dir/CASES.json`. */
export function readCases(dir: string): Case[] {
  return JSON.parse(readFileSync(join(dir, 'CASES.json'), 'utf8')).cases as Case[];
}

/** The verify() input a case implies, in path or digest mode. */
export function inputFor(dir: string, c: Case, mode: 'path' | 'digest'): VerifyInput {
  const base: VerifyInput =
    mode === 'path' ? { artifact: new Uint8Array(readFileSync(join(dir, c.artifact))) } : { artifactDigest: c.artifact_digest };
  if (c.key) return { ...base, key: readFileSync(join(dir, c.key), 'utf8') };
  return { ...base, identity: { subjectAlternativeName: c.identity!, issuer: c.issuer! } };
}
