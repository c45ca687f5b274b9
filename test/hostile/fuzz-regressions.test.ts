/**
 * Every finding of the fuzzers, kept as a regression case: the inputs in
 * fuzz/regressions/*.json are replayed through their target and must no
 * longer be findings. A file with "status": "open" records a finding whose
 * fix belongs to another module's owner; it is expected to still fail
 * (it.fails), so the day it is fixed this test asks for the status to change.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { campaignTargets } from '../../fuzz/campaign.js';
import { deserializeInput, runInput } from '../../fuzz/harness.js';
import { REPO_ROOT } from '../../fuzz/seeds.js';
import { parseDer } from '../../src/der/element.js';
import { parseRfc3339 } from '../../src/trust/trusted-root.js';

const DIR = path.join(REPO_ROOT, 'fuzz', 'regressions');
const files = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();
const targets = new Map(campaignTargets().map((t) => [t.name, t]));

describe('fuzz regressions', () => {
  it('are on file', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  for (const f of files) {
    const doc = JSON.parse(readFileSync(path.join(DIR, f), 'utf8')) as { target: string; status?: string; input: unknown };
    const open = doc.status === 'open';
    (open ? it.fails : it)(`${f}${open ? ' (open: owned elsewhere)' : ''}`, async () => {
      const target = targets.get(doc.target);
      expect(target, `unknown target ${doc.target}`).toBeDefined();
      const input = deserializeInput(JSON.stringify(doc.input));
      // Generous budget: the campaign's budget is for a quiet machine.
      const o = await runInput(target!, input, target!.budgetMs * 4);
      expect(o.kind === 'finding' ? o.error : 'no finding').toBe('no finding');
    });
  }
});

describe('two-digit years (found by the rfc3339 round trip)', () => {
  it('parses RFC 3339 years 0000-0099 as written, not as 19xx', () => {
    expect(new Date(parseRfc3339('0058-07-31T07:28:47.058Z', 'x')).toISOString()).toBe('0058-07-31T07:28:47.058Z');
    expect(new Date(parseRfc3339('0000-01-01T00:00:00Z', 'x')).getUTCFullYear()).toBe(0);
    expect(new Date(parseRfc3339('1999-12-31T23:59:59Z', 'x')).toISOString()).toBe('1999-12-31T23:59:59.000Z');
  });

  it('parses a GeneralizedTime year 0050 as 0050 (DER time)', () => {
    const text = new TextEncoder().encode('00500101000000Z');
    const el = parseDer(new Uint8Array([0x18, text.length, ...text]), 'x');
    expect(new Date(el.time()).toISOString()).toBe('0050-01-01T00:00:00.000Z');
    // UTCTime keeps the RFC 5280 window: 50 is 1950.
    const utc = new TextEncoder().encode('500101000000Z');
    expect(new Date(parseDer(new Uint8Array([0x17, utc.length, ...utc]), 'x').time()).getUTCFullYear()).toBe(1950);
  });

  it('still refuses 29 February of a year that is not a leap year', () => {
    expect(() => parseRfc3339('0001-02-29T00:00:00Z', 'x')).toThrow(/invalid date/);
    const text = new TextEncoder().encode('00010229000000Z');
    expect(() => parseDer(new Uint8Array([0x18, text.length, ...text]), 'x').time()).toThrow(/calendar/);
  });
});
