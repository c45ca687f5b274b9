/**
 * Loads the attestation fixtures in test/fixtures/attestations: each file
 * is `{ description, expect, statement }`, where `expect` says the kind,
 * whether the predicate is valid, and for invalid ones the failing check
 * and the JSON Pointer of the offending field.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the fixtures live. */
export const FIXTURE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/attestations');

/** What a fixture's view should show (only the fields a fixture states are checked). */
export interface ExpectedView {
  readonly builderId?: string;
  readonly repository?: string | null;
  readonly ref?: string | null;
  readonly invocationId?: string | null;
  readonly verifierId?: string;
  readonly result?: string;
  readonly buildLevel?: number;
  readonly resultFormat?: string;
  readonly findings?: number;
  readonly scores?: readonly (number | null)[];
  readonly severities?: readonly string[];
  readonly dbLastUpdate?: string;
}

/** One fixture. */
export interface FixtureCase {
  readonly name: string;
  readonly description: string;
  readonly expect: {
    readonly kind: string;
    readonly valid: boolean;
    readonly check?: string;
    readonly pointer?: string;
    readonly keyword?: string;
    readonly view?: ExpectedView;
  };
  readonly statement: Record<string, unknown>;
}

/** Every fixture, sorted by name. */
export function loadFixtureCases(): FixtureCase[] {
  return fs
    .readdirSync(FIXTURE_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ name: f.replace(/\.json$/, ''), ...(JSON.parse(fs.readFileSync(path.join(FIXTURE_DIR, f), 'utf8')) as Omit<FixtureCase, 'name'>) }));
}

/** The statement of a fixture as payload bytes. */
export function payloadOf(c: FixtureCase): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(c.statement));
}
