/**
 * test-vectors/oci: the committed layouts are exactly what
 * scripts/oci/generate-vectors.mjs generates, and every case gives its
 * expected verdict (and, for failures, error code and check) when verified
 * from the image layout.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateOciVectorFiles } from '../../scripts/oci/generate-vectors.mjs';
import { openOciLayout } from '../../src/oci/layout.js';
import { dirReader, OCI_VECTORS, REPO_ROOT, verifierFor } from './helpers.js';
import { keyFiles, outcomeError, readOciCases, runCase } from './case-runner.js';

function tree(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tree(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
  );
}

const present = existsSync(join(OCI_VECTORS, 'CASES.json'));

describe('test-vectors/oci', () => {
  it('is present (regenerate with: node scripts/oci/generate-vectors.mjs)', () => {
    expect(present, 'test-vectors/oci/CASES.json is missing').toBe(true);
  });

  it('matches a fresh generation byte for byte (regenerate instead of editing)', () => {
    const fresh = generateOciVectorFiles();
    const committed = tree(OCI_VECTORS).map((p) => `test-vectors/oci/${p}`).sort();
    expect(committed).toEqual([...fresh.keys()].sort());
    for (const [rel, bytes] of fresh) {
      expect(Buffer.from(readFileSync(join(REPO_ROOT, rel))).equals(Buffer.from(bytes)), `${rel} differs`).toBe(true);
    }
  });

  const cases = present ? readOciCases(OCI_VECTORS) : [];
  it('has passing and failing cases, each failure naming its code and check', () => {
    expect(cases.filter((c) => c.expect === 'pass').length).toBeGreaterThan(5);
    for (const c of cases) {
      expect(c.name.endsWith('_fail'), c.name).toBe(c.expect === 'fail');
      if (c.expect === 'fail') expect(c.expected_error_code && c.expected_check, c.name).toBeTruthy();
    }
  });

  for (const c of cases) {
    it(`${c.name} ${c.expect}s from its image layout`, async () => {
      const verifier = await verifierFor(readFileSync(join(OCI_VECTORS, 'trusted_root.json'), 'utf8'));
      const layout = await openOciLayout(dirReader(join(OCI_VECTORS, c.layout)), { description: c.layout });
      const outcome = await runCase(keyFiles(OCI_VECTORS), c, verifier, layout);
      const err = outcomeError(outcome);
      if (c.expect === 'pass') {
        expect(err, err && `${err.code} ${err.check}: ${err.message}`).toBeUndefined();
        expect(outcome.report!.verified).toBe(true);
        expect(outcome.report!.signatures.some((s) => s.verified) || !c.signatures).toBe(true);
        if (c.attestations) expect(outcome.report!.attestations.some((a) => a.verified && a.counted)).toBe(true);
      } else {
        expect(err, 'must fail').toBeDefined();
        expect(`${err!.code} ${err!.check}`, err!.message).toBe(`${c.expected_error_code} ${c.expected_check}`);
      }
    });
  }
});
