/**
 * Mutation: every single-point change to a valid case must be refused with
 * a SigvetError, unless the reviewed list (mutation/accepted.json) says why
 * the change leaves the bundle legitimately valid.
 *
 * The suite runs a deterministic subset (every mutant whose id hashes to
 * 0 mod STRIDE, plus the first two of each class per case; STRIDE is 2 or
 * more, sized below) in artifact-bytes mode, over every valid case of test-vectors/ and ../shared/conformance;
 * `npm run mutate` runs every mutant in both modes plus @sigstore/verify.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { hasConformance, loadValidCases, CONFORMANCE_DIR, type ValidCase } from '../../mutation/cases.js';
import {
  allowedBy,
  baselineOk,
  loadAccepted,
  mutantsFor,
  runCase,
  subsetFilter,
  totalsByClass,
  type MutantResult,
} from '../../mutation/engine.js';
import { checkpointMutants, spreadOffsets } from '../../mutation/mutants.js';

const cases = loadValidCases();
const accepted = loadAccepted();
const mutantsByCase = new Map(cases.map((c) => [c.id, mutantsFor(c, cases)]));

/**
 * 1 in STRIDE mutants (by id hash) run in the test: at least 1 in 2, and
 * fewer as the vectors grow, so the suite stays near TARGET_RUNS runs
 * (about 20 s on 2 cores; the budget is 2 minutes).
 */
const TARGET_RUNS = 16_000;
const totalMutants = [...mutantsByCase.values()].reduce((n, m) => n + m.length, 0);
const STRIDE = Math.max(2, Math.ceil(totalMutants / TARGET_RUNS));
const results: MutantResult[] = [];

if (!hasConformance()) console.warn(`mutation: ${CONFORMANCE_DIR} not found; mutating the test-vectors cases only`);

describe('the allow-list', () => {
  it('gives every entry a name, patterns, a reason and the specification behind it', () => {
    expect(accepted.entries.length).toBeGreaterThan(0);
    const names = new Set<string>();
    for (const e of accepted.entries) {
      expect(names.has(e.name), `duplicate entry ${e.name}`).toBe(false);
      names.add(e.name);
      expect(e.reason.length, e.name).toBeGreaterThan(40);
      expect(e.spec.length, e.name).toBeGreaterThan(20);
      // Anchored patterns: an entry must not match by accident in the middle of another id.
      expect(e.mutants.startsWith('^'), `${e.name}: mutant pattern must be anchored`).toBe(true);
    }
  });

  it('covers a mutant only when case, pattern and entry kinds all match', () => {
    const v2 = { id: 'x/rekor2', bundleText: JSON.stringify({ verificationMaterial: { tlogEntries: [{ kindVersion: { kind: 'hashedrekord', version: '0.0.2' } }] } }) };
    const v1 = { id: 'x/rekor1', bundleText: JSON.stringify({ verificationMaterial: { tlogEntries: [{ kindVersion: { kind: 'hashedrekord', version: '0.0.1' } }] } }) };
    const id = 'tlog.move $.verificationMaterial.tlogEntries[0].logIndex@+1';
    // A synthetic list: the matcher, not the reviewed entries, is under test.
    const list = {
      ...accepted,
      entries: [
        {
          name: 'v2-only-example',
          cases: '^x/',
          entryKinds: ['hashedrekord/0.0.2'],
          mutants: '^tlog\\.move \\$\\.verificationMaterial\\.tlogEntries\\[\\d+\\]\\.logIndex@',
          reason: 'synthetic entry for this test only',
          spec: 'none',
        },
      ],
    } as typeof accepted;
    expect(allowedBy(list, v2, id)?.name).toBe('v2-only-example');
    expect(allowedBy(list, v1, id)).toBeUndefined();
    expect(allowedBy(list, v1, 'bytes.flip $.messageSignature.signature@0.1')).toBeUndefined();
    // The reviewed list no longer excuses a moved Rekor v2 log index (it is now refused).
    expect(allowedBy(accepted, v2, id)).toBeUndefined();
  });
});

describe('the mutators', () => {
  it('spread bit flips over a field, first and last byte included', () => {
    expect(spreadOffsets(0)).toEqual([]);
    expect(spreadOffsets(1)).toEqual([0]);
    const o = spreadOffsets(100);
    expect(o[0]).toBe(0);
    expect(o[o.length - 1]).toBe(99);
    expect(o.length).toBe(8);
  });

  it('tell the log\'s checkpoint signature from an unknown key\'s', () => {
    const note = 'origin\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n\u2014 log AQIDBAUG\n\u2014 witness AQIDBAUG\n';
    const ms = checkpointMutants(note, { name: 'log', hint: new Uint8Array([1, 2, 3, 4]) });
    expect(ms.some((m) => m.where.startsWith('sig[0,log]'))).toBe(true);
    expect(ms.some((m) => m.where.startsWith('sig[1,foreign]'))).toBe(true);
    // Every checkpoint mutant changes the text.
    for (const m of ms) expect(m.text, m.where).not.toBe(note);
  });
});

describe.each(cases.map((c) => [c.id, c] as [string, ValidCase]))('mutants of %s', (_id, c) => {
  it('are each refused with a SigvetError, or covered by the reviewed allow-list', async () => {
    expect(await baselineOk(c)).toBeUndefined();
    const mutants = mutantsByCase.get(c.id)!;
    expect(mutants.length).toBeGreaterThan(100);
    const r = await runCase(c, mutants, accepted, { filter: subsetFilter(STRIDE) });
    results.push(...r);
    const crashed = r.filter((x) => x.verdict === 'crashed');
    expect(crashed.map((x) => `${x.id}: ${x.code} ${x.message?.split('\n')[0]}`)).toEqual([]);
    const unexpected = r.filter((x) => x.verdict === 'accepted' && !x.allowedBy);
    expect(unexpected.map((x) => x.id), 'accepted mutants outside mutation/accepted.json').toEqual([]);
    // A rejected mutant names its check, so the refusal is explained.
    for (const x of r.filter((y) => y.verdict === 'rejected')) expect(x.check, `${x.id} (${x.code})`).toBeTruthy();
  }, 120_000);
});

describe('totals', () => {
  it('cover every mutation class the issue lists', () => {
    const classes = new Set(results.map((r) => r.cls));
    for (const cls of [
      'json.remove',
      'json.type',
      'json.empty',
      'json.int',
      'array.drop',
      'array.duplicate',
      'array.reorder',
      'bytes.flip',
      'region.cert',
      'region.signature',
      'region.body',
      'body.field',
      'tlog.move',
      'tlog.log-id',
      'checkpoint.signature',
      'checkpoint.size',
      'checkpoint.origin',
      'checkpoint.root',
      'checkpoint.key-hint',
      'chain.ca-as-leaf',
      'input.artifact',
      'input.digest',
      'input.identity',
    ]) {
      expect(classes.has(cls), cls).toBe(true);
    }
  });
});

afterAll(() => {
  if (results.length === 0) return;
  const lines = [`mutation subset (1 in ${STRIDE} of ${totalMutants} mutants): ${results.length} runs over ${cases.length} cases`];
  for (const [cls, t] of totalsByClass(results)) {
    const codes = Object.entries(t.codes)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 4)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
    lines.push(`  ${cls.padEnd(24)} ${String(t.total).padStart(6)} rejected ${String(t.rejected).padStart(6)} allowed ${String(t.acceptedAllowed).padStart(4)}  ${codes}`);
  }
  console.log(lines.join('\n'));
});
