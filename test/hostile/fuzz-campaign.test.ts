/**
 * The fuzzing campaign, briefly: the same loop `npm run fuzz -- --minutes N`
 * runs for hours, here for a few seconds with a fixed seed, over every
 * target. It must end with no finding.
 */
import { describe, expect, it } from 'vitest';
import { campaignTargets, formatReport, runCampaign } from '../../fuzz/campaign.js';

describe('fuzz campaign (short)', () => {
  it('runs every target and finds nothing', async () => {
    const report = await runCampaign({ durationMs: 8_000, seed: 424242, batch: 10 });
    const names = campaignTargets().map((t) => t.name);
    expect(Object.keys(report.stats).sort()).toEqual([...names].sort());
    for (const [name, s] of Object.entries(report.stats)) expect(s.inputs, name).toBeGreaterThan(0);
    expect(report.findings.map((f) => `${f.target}: ${f.error.split('\n')[0]}`), formatReport(report)).toEqual([]);
  }, 60_000);
});
