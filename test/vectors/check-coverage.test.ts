/**
 * Issue 5's rule for sigvet's own vectors: every check the verifier performs
 * has at least one vector that fails only because of that check.
 *
 * The check names come from sigvet's source (test/vectors/check-names.ts);
 * the checks a vector reaches come from running every failing case through
 * the API and reading the error (and, for a wrapper such as
 * timestamp.authority, its inner errors). A check with neither a vector nor
 * an entry in the reviewed list vectors/generator/unreachable-checks.mjs
 * fails the test, and so does a stale entry of that list.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { createVerifierWith } from '../../src/api.js';
import { nodeCryptoProvider } from '../../src/crypto/node.js';
import { SigvetError } from '../../src/errors.js';
import { DEFAULT_VERIFIER_LIMITS, VERIFIER_LIMIT_CEILINGS, type VerifierLimitName } from '../../src/verify/limits.js';
import { inputFor, readCases, type Case as ConformanceCase } from '../helpers/cases.js';
import { extractCheckNames, type ExtractedChecks } from './check-names.js';
// @ts-expect-error: plain JavaScript module without type declarations
import { UNREACHABLE_CHECKS } from '../../vectors/generator/unreachable-checks.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DIR = path.join(repoRoot, 'test-vectors');
const cases = readCases(DIR) as (ConformanceCase & { expected_inner_check?: string | null; tags?: string[] })[];
const failing = cases.filter((c) => c.expect === 'fail');
const exclusions = UNREACHABLE_CHECKS as Record<string, { category: string; reason: string }>;
const CATEGORIES = ['caller-input', 'environment', 'relabelled', 'pre-empted', 'not-alone', 'size', 'unreachable', 'not-verification'];

/** The check of an error and of every inner error, recursively. */
function checksOf(e: SigvetError): { top: string | undefined; inner: string[] } {
  const inner: string[] = [];
  const walk = (x: SigvetError): void => {
    for (const i of x.errors ?? []) {
      if (i.check) inner.push(i.check);
      walk(i);
    }
  };
  walk(e);
  return { top: e.check, inner };
}

async function run(c: ConformanceCase, limits?: Record<string, number>): Promise<SigvetError | undefined> {
  try {
    const v = await createVerifierWith(nodeCryptoProvider, {
      trustedRoot: readFileSync(path.join(DIR, c.trusted_root), 'utf8'),
      ...(limits ? { limits } : {}),
    });
    await v.verify(readFileSync(path.join(DIR, c.bundle), 'utf8'), inputFor(DIR, c, 'path'));
    return undefined;
  } catch (e) {
    if (e instanceof SigvetError) return e;
    throw e;
  }
}

let extracted: ExtractedChecks;
let names: Set<string>;
/** Check → the failing cases that reach it (top-level, or as the inner check of a wrapper whose inner errors agree). */
const reachedBy = new Map<string, string[]>();

beforeAll(async () => {
  extracted = extractCheckNames(path.join(repoRoot, 'src'), Object.keys(DEFAULT_VERIFIER_LIMITS));
  names = new Set(extracted.checks.map((c) => c.name));
  for (const c of failing) {
    const e = await run(c);
    if (!e) continue; // verify-vectors.test.ts reports a failing case that verifies
    const { top, inner } = checksOf(e);
    const reached = new Set<string>();
    if (top) reached.add(top);
    // A wrapper counts for its inner check only when all inner failures agree: one fault.
    if (inner.length > 0 && inner.every((i) => i === inner[0])) reached.add(inner[0]!);
    for (const r of reached) reachedBy.set(r, [...(reachedBy.get(r) ?? []), c.name]);
  }
}, 120_000);

describe('check names read from src/', () => {
  it('resolves every expression in a check position to names', () => {
    expect(extracted.unresolved, 'teach test/vectors/check-names.ts the new way of building check names').toEqual([]);
  });

  it('finds the checks of every part of the verifier', () => {
    // A sample from each area: if the extraction breaks, these disappear first.
    for (const n of [
      'bundle.shape',
      'certificate.precert',
      'cert_chain.issuer',
      'sct.parse',
      'tlog.set',
      'tlog.inclusion_proof.length',
      'tlog.checkpoint.size',
      'timestamp.attributes.content-type',
      'intoto.statement.type',
      'identity.subjectAlternativeName',
      'key.ed25519',
      'trust.log.url',
      'trust_root.shape',
      'limit.tlogEntries',
    ]) {
      expect(names.has(n), n).toBe(true);
    }
    expect(names.size).toBeGreaterThan(100);
  });

  it('knows every expected_check and expected_inner_check of CASES.json', () => {
    for (const c of failing) {
      expect(names.has(c.expected_check!), `${c.name}: ${c.expected_check}`).toBe(true);
      if (c.expected_inner_check) expect(names.has(c.expected_inner_check), `${c.name}: ${c.expected_inner_check}`).toBe(true);
    }
  });
});

describe('every check has a failing vector', () => {
  it('each failing case reaches the check it names (inner check included)', () => {
    for (const c of failing) {
      expect(reachedBy.get(c.expected_check!) ?? [], `${c.name} reaches ${c.expected_check}`).toContain(c.name);
      if (c.expected_inner_check) {
        expect(reachedBy.get(c.expected_inner_check) ?? [], `${c.name} reaches ${c.expected_inner_check}`).toContain(c.name);
      }
    }
  });

  it('every check sigvet can report has a vector or a reviewed reason why none can exist', () => {
    const missing = [...names].filter((n) => !reachedBy.has(n) && !(n in exclusions)).sort();
    expect(missing, 'add a failing vector (vectors/generator/cases) or, if none can exist, a reviewed entry in vectors/generator/unreachable-checks.mjs').toEqual([]);
  });

  it('the list of checks without a vector is exact: no stale entry, none a vector covers', () => {
    for (const [check, e] of Object.entries(exclusions)) {
      expect(names.has(check), `${check} is no longer a check sigvet reports: remove it from unreachable-checks.mjs`).toBe(true);
      expect(reachedBy.get(check) ?? [], `${check} is covered by a vector: remove it from unreachable-checks.mjs`).toEqual([]);
      expect(CATEGORIES, `${check}: category`).toContain(e.category);
      expect(e.reason.length, `${check}: reason`).toBeGreaterThan(20);
    }
  });
});

describe('cap vectors fail on their cap alone', () => {
  const caps = failing.filter((c) => c.tags?.includes('sigvet-cap'));

  it('every case tagged sigvet-cap fails with code LIMIT', () => {
    expect(caps.length).toBeGreaterThanOrEqual(10);
    for (const c of caps) expect(c.expected_error_code, c.name).toBe('LIMIT');
    for (const c of failing.filter((x) => x.expected_error_code === 'LIMIT')) expect(c.tags, c.name).toContain('sigvet-cap');
  });

  // Where the cap can be raised (its ceiling is above the default), raising it must make the case verify.
  const liftable = caps.filter((c) => {
    const m = /^limit\.(\w+)$/.exec(c.expected_check ?? '');
    const n = m?.[1] as VerifierLimitName | undefined;
    return n !== undefined && n in DEFAULT_VERIFIER_LIMITS && VERIFIER_LIMIT_CEILINGS[n] > DEFAULT_VERIFIER_LIMITS[n];
  });
  it('some cap cases can be lifted', () => {
    expect(liftable.length).toBeGreaterThanOrEqual(4);
  });
  it.each(liftable.map((c) => [c.name, c] as const))('%s verifies once its cap is raised to the ceiling', async (_n, c) => {
    const cap = c.expected_check!.slice('limit.'.length) as VerifierLimitName;
    const err = await run(c, { [cap]: VERIFIER_LIMIT_CEILINGS[cap] });
    expect(err?.toJSON(), `${c.name} still fails with the cap at ${VERIFIER_LIMIT_CEILINGS[cap]}`).toBeUndefined();
  }, 60_000);
});
