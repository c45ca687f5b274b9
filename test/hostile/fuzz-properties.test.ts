/**
 * Property tests (fast-check) for every parser and decoder that reads
 * attacker-controlled input: only SigvetError escapes (never a TypeError,
 * RangeError or stack overflow), every input finishes within its time
 * budget, and valid inputs round-trip where the format allows (see each
 * target in fuzz/targets.ts). Seeds are fixed, so a failure reproduces.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { campaignTargets } from '../../fuzz/campaign.js';
import { runInput } from '../../fuzz/harness.js';

/** CI machines are slower and noisier than the campaign's budget assumes. */
const BUDGET_FACTOR = 4;
const SEED = 20261123;

const targets = campaignTargets();

describe('fuzz targets', () => {
  it('cover every parser the issue names', () => {
    const covered = targets.flatMap((t) => t.covers).join(' ');
    for (const fn of [
      'parseJson',
      'decodeBase64',
      'parseDer',
      'parseCertificate',
      'parseEmbeddedScts',
      'decodeBundle',
      'parseTrustedRoot',
      'preAuthEncoding',
      'parseStatement',
      'parseCheckpoint',
      'parseTimestampToken',
      'parseEntryBody',
      'setPayload',
    ]) {
      expect(covered, fn).toContain(fn);
    }
  });
});

describe.each(targets.map((t) => [t.name, t] as const))('%s', (name, target) => {
  it('lets only SigvetError escape, within its time budget, and round-trips', async () => {
    const runs = name === 'verify.bundle' || name === 'trust.trusted-root' ? 150 : 400;
    await fc.assert(
      fc.asyncProperty(target.arbitrary, async (input) => {
        const o = await runInput(target, input, target.budgetMs * BUDGET_FACTOR);
        if (o.kind === 'finding') throw new Error(o.error);
      }),
      { seed: SEED, numRuns: runs, endOnFailure: false },
    );
  }, 120_000);
});
