/**
 * `npm run mutate`: every mutant of every valid case through sigvet (both
 * artifact modes) and @sigstore/verify, with totals per class, the error
 * code distribution, the accepted mutants and the disagreements.
 *
 *   npm run mutate [-- --case RE] [--class RE] [--subset N] [--no-official] [--no-digest] [--json FILE]
 *
 * Exits 1 when a mutant outside the reviewed list (mutation/accepted.json)
 * is accepted, when any mutant crashes (a non-SigvetError), or when a
 * valid case does not verify to begin with.
 */
import { writeFileSync } from 'node:fs';
import { hasConformance, loadValidCases, CONFORMANCE_DIR } from './cases.js';
import {
  baselineOk,
  loadAccepted,
  mutantsFor,
  runCase,
  subsetFilter,
  totalsByClass,
  type MutantResult,
  type OfficialRunner,
} from './engine.js';

function pct(n: number, d: number): string {
  return d === 0 ? '-' : `${((100 * n) / d).toFixed(1)}%`;
}

/** Formats totals per class as a fixed-width table. */
export function formatTotals(results: readonly MutantResult[]): string {
  const t = totalsByClass(results);
  const lines = ['class                         runs  rejected  allowed  UNEXPECTED  crashed   error codes (rejected)'];
  let sum = { total: 0, rejected: 0, allowed: 0, unexpected: 0, crashed: 0 };
  for (const [cls, x] of t) {
    const codes = Object.entries(x.codes)
      .sort((a, b) => b[1] - a[1])
      .map(([c, n]) => `${c} ${n}`)
      .join(', ');
    lines.push(
      `${cls.padEnd(26)} ${String(x.total).padStart(7)} ${String(x.rejected).padStart(9)} ${String(x.acceptedAllowed).padStart(8)} ${String(x.acceptedUnexpected).padStart(11)} ${String(x.crashed).padStart(8)}   ${codes}`,
    );
    sum = {
      total: sum.total + x.total,
      rejected: sum.rejected + x.rejected,
      allowed: sum.allowed + x.acceptedAllowed,
      unexpected: sum.unexpected + x.acceptedUnexpected,
      crashed: sum.crashed + x.crashed,
    };
  }
  lines.push(
    `${'TOTAL'.padEnd(26)} ${String(sum.total).padStart(7)} ${String(sum.rejected).padStart(9)} ${String(sum.allowed).padStart(8)} ${String(sum.unexpected).padStart(11)} ${String(sum.crashed).padStart(8)}   (${pct(sum.rejected, sum.total)} rejected)`,
  );
  return lines.join('\n');
}

/** Groups sigvet/@sigstore/verify disagreements by class and verdicts. */
export function formatDisagreements(results: readonly MutantResult[]): string {
  const groups = new Map<string, MutantResult[]>();
  for (const r of results) {
    if (!r.official) continue;
    const sig = r.verdict === 'accepted';
    if (sig === r.official.pass && r.verdict !== 'crashed') continue;
    const key = `${r.cls} | sigvet ${r.verdict === 'accepted' ? 'pass' : `fail ${r.code}`} | official ${r.official.pass ? 'pass' : `fail ${r.official.code}`}`;
    const g = groups.get(key) ?? [];
    g.push(r);
    groups.set(key, g);
  }
  if (groups.size === 0) return 'no disagreements';
  const lines: string[] = [];
  for (const [k, g] of [...groups.entries()].sort((a, b) => b[1].length - a[1].length)) {
    lines.push(`${String(g.length).padStart(5)}  ${k}`);
    for (const r of g.slice(0, 3)) lines.push(`         e.g. ${r.caseId}: ${r.id}${r.official?.pass ? '' : ` (${(r.official?.message ?? '').slice(0, 100)})`}`);
  }
  return lines.join('\n');
}

/** CLI entry. */
export async function main(argv: readonly string[]): Promise<number> {
  let caseRe: RegExp | undefined;
  let classRe: RegExp | undefined;
  let stride: number | undefined;
  let official = true;
  let digest = true;
  let jsonOut: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--case') caseRe = new RegExp(next());
    else if (a === '--class') classRe = new RegExp(next());
    else if (a === '--subset') stride = Number(next());
    else if (a === '--no-official') official = false;
    else if (a === '--no-digest') digest = false;
    else if (a === '--json') jsonOut = next();
    else if (a === '--help' || a === '-h') {
      process.stdout.write('usage: npm run mutate -- [--case RE] [--class RE] [--subset N] [--no-official] [--no-digest] [--json FILE]\n');
      return 0;
    } else throw new Error(`unknown argument ${a}`);
  }
  const all = loadValidCases();
  if (!hasConformance()) process.stdout.write(`note: ${CONFORMANCE_DIR} not found; only test-vectors cases are mutated\n`);
  const cases = all.filter((c) => !caseRe || caseRe.test(c.id));
  const accepted = loadAccepted();
  const runner: OfficialRunner | undefined = official ? (await import('./official.js')).runOfficial : undefined;
  const results: MutantResult[] = [];
  let failures = 0;
  const t0 = Date.now();
  for (const c of cases) {
    const bad = await baselineOk(c);
    if (bad) {
      process.stdout.write(`BASELINE FAILS: ${bad}\n`);
      failures++;
      continue;
    }
    if (runner && !runner(c, c.bundleText, { artifact: c.artifact, ...(c.identity ? { identity: c.identity } : {}), ...(c.keyPem ? { keyPem: c.keyPem } : {}) }).pass) {
      process.stdout.write(`note: @sigstore/verify rejects ${c.id} itself; its mutants are not compared\n`);
    }
    const mutants = mutantsFor(c, all).filter((m) => !classRe || classRe.test(m.cls));
    const sub = stride ? subsetFilter(stride) : undefined;
    const r = await runCase(c, mutants, accepted, {
      digestMode: digest,
      ...(runner ? { official: runner } : {}),
      ...(sub ? { filter: sub } : {}),
    });
    results.push(...r);
    const acc = r.filter((x) => x.verdict === 'accepted').length;
    process.stdout.write(`${c.id}: ${r.length} runs of ${mutants.length} mutants, ${r.filter((x) => x.verdict === 'rejected').length} rejected, ${acc} accepted, ${r.filter((x) => x.verdict === 'crashed').length} crashed\n`);
  }
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  const distinct = new Set(results.map((r) => `${r.caseId} ${r.id}`)).size;
  process.stdout.write(
    `\n${distinct} mutants, ${results.length} runs (bundle mutants in both artifact modes) over ${cases.length} cases in ${secs} s\n\n${formatTotals(results)}\n`,
  );

  const allowed = results.filter((r) => r.verdict === 'accepted' && r.allowedBy);
  const byEntry = new Map<string, number>();
  for (const r of allowed) byEntry.set(r.allowedBy!, (byEntry.get(r.allowedBy!) ?? 0) + 1);
  process.stdout.write('\naccepted mutants covered by mutation/accepted.json:\n');
  for (const e of accepted.entries) process.stdout.write(`  ${String(byEntry.get(e.name) ?? 0).padStart(5)}  ${e.name}\n`);
  const unexpected = results.filter((r) => r.verdict === 'accepted' && !r.allowedBy);
  const crashed = results.filter((r) => r.verdict === 'crashed');
  if (unexpected.length > 0) {
    process.stdout.write(`\nUNEXPECTED ACCEPTED MUTANTS (${unexpected.length}):\n`);
    for (const r of unexpected) process.stdout.write(`  ${r.caseId} [${r.mode}] ${r.id}\n`);
  }
  if (crashed.length > 0) {
    process.stdout.write(`\nCRASHED (non-SigvetError) (${crashed.length}):\n`);
    for (const r of crashed) process.stdout.write(`  ${r.caseId} [${r.mode}] ${r.id}: ${r.code} ${r.message?.split('\n')[0]}\n`);
  }
  if (!caseRe && !classRe && !stride) {
    const stale = accepted.entries.filter((e) => !byEntry.has(e.name));
    if (stale.length > 0) process.stdout.write(`\nstale allow-list entries (match no accepted mutant): ${stale.map((e) => e.name).join(', ')}\n`);
  }
  if (runner) process.stdout.write(`\nsigvet vs @sigstore/verify (artifact bytes mode):\n${formatDisagreements(results)}\n`);
  if (jsonOut) writeFileSync(jsonOut, JSON.stringify(results, null, 1));
  return unexpected.length + crashed.length + failures > 0 ? 1 : 0;
}
