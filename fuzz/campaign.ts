/**
 * The fuzzing campaign: round-robins over every target for a time budget,
 * drawing inputs from each target's arbitrary with a fresh seed per batch,
 * and writes every finding to `fuzz/findings/<target>/<id>.json` (input,
 * error, seed) so it can be replayed and turned into a regression case
 * (`fuzz/regressions/`, replayed by test/hostile/fuzz-regressions.test.ts).
 *
 *   npm run fuzz -- --minutes 30 [--target NAME[,NAME]] [--seed N] [--batch N]
 *
 * The test suite runs the same loop for a few seconds (test/hostile/fuzz-campaign.test.ts).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { allTargets, inputId, type FuzzTarget } from './targets.js';
import { extraTargets } from './targets-extra.js';

/** Every target: the verifier's parsers, then policy and predicates. */
export function campaignTargets(): FuzzTarget<any>[] {
  return [...allTargets(), ...extraTargets()];
}
import { runInput, serializeInput } from './harness.js';
import { REPO_ROOT } from './seeds.js';

/** Campaign settings. */
export interface CampaignOptions {
  /** Wall-clock budget in milliseconds. */
  readonly durationMs: number;
  /** Only these targets (names); all when absent. */
  readonly targets?: readonly string[];
  /** Base seed; each batch uses seed + batch number. */
  readonly seed?: number;
  /** Inputs per target per round. */
  readonly batch?: number;
  /** Where findings are written; nothing is written when undefined. */
  readonly findingsDir?: string;
  /** Progress output (one line per round); silent when undefined. */
  readonly log?: (line: string) => void;
}

/** Per-target counters. */
export interface TargetStats {
  inputs: number;
  accepted: number;
  refused: number;
  findings: number;
  maxMs: number;
  totalMs: number;
  codes: Record<string, number>;
}

/** One finding. */
export interface CampaignFinding {
  readonly target: string;
  readonly id: string;
  readonly error: string;
  readonly seed: number;
  readonly input: string;
}

/** What a campaign did. */
export interface CampaignReport {
  readonly elapsedMs: number;
  readonly rounds: number;
  readonly inputs: number;
  readonly stats: Record<string, TargetStats>;
  readonly findings: readonly CampaignFinding[];
}

/** Runs the campaign until the budget is spent. */
export async function runCampaign(opts: CampaignOptions): Promise<CampaignReport> {
  const start = Date.now();
  const deadline = start + opts.durationMs;
  const all = campaignTargets();
  const targets: FuzzTarget<any>[] = opts.targets?.length ? all.filter((t) => opts.targets!.includes(t.name)) : all;
  if (targets.length === 0) throw new Error(`no such target: ${opts.targets?.join(', ')}; known: ${all.map((t) => t.name).join(', ')}`);
  const batch = opts.batch ?? 50;
  const baseSeed = opts.seed ?? Date.now() % 2 ** 31;
  const stats: Record<string, TargetStats> = {};
  for (const t of targets) stats[t.name] = { inputs: 0, accepted: 0, refused: 0, findings: 0, maxMs: 0, totalMs: 0, codes: {} };
  const findings: CampaignFinding[] = [];
  const seen = new Set<string>();
  let rounds = 0;
  let inputs = 0;
  while (Date.now() < deadline) {
    for (const t of targets) {
      if (Date.now() >= deadline) break;
      const seed = (baseSeed + rounds * 7919 + targets.indexOf(t)) % 2 ** 31;
      const values = fc.sample(t.arbitrary, { seed, numRuns: batch });
      const s = stats[t.name]!;
      for (const v of values) {
        const o = await runInput(t, v);
        s.inputs++;
        inputs++;
        s.totalMs += o.ms;
        s.maxMs = Math.max(s.maxMs, o.ms);
        if (o.kind === 'accepted') s.accepted++;
        else if (o.kind === 'refused') {
          s.refused++;
          s.codes[o.code] = (s.codes[o.code] ?? 0) + 1;
        } else {
          s.findings++;
          const input = serializeInput(v);
          const id = inputId(input);
          // One file per distinct error site: the first line of the message and stack frame.
          const sig = `${t.name}|${o.error.split('\n').slice(0, 2).join('|').replace(/\d+ ms/g, '')}`;
          if (seen.has(sig)) continue;
          seen.add(sig);
          const f: CampaignFinding = { target: t.name, id, error: o.error, seed, input };
          findings.push(f);
          if (opts.findingsDir) {
            const dir = path.join(opts.findingsDir, t.name);
            mkdirSync(dir, { recursive: true });
            writeFileSync(path.join(dir, `${id}.json`), `${JSON.stringify({ target: t.name, error: o.error, seed, input: JSON.parse(input) }, null, 1)}\n`);
          }
          opts.log?.(`FINDING ${t.name} ${id}: ${o.error.split('\n')[0]}`);
        }
      }
    }
    rounds++;
    if (opts.log && rounds % 20 === 0) {
      opts.log(`round ${rounds}: ${inputs} inputs, ${findings.length} findings, ${Math.round((Date.now() - start) / 1000)} s`);
    }
  }
  return { elapsedMs: Date.now() - start, rounds, inputs, stats, findings };
}

/** Formats a report as a table. */
export function formatReport(r: CampaignReport): string {
  const lines = [
    `fuzz campaign: ${r.inputs} inputs in ${(r.elapsedMs / 1000).toFixed(1)} s (${r.rounds} rounds), ${r.findings.length} finding(s)`,
    '',
    'target                     inputs   accepted  refused  findings  max ms   refusal codes',
  ];
  for (const [name, s] of Object.entries(r.stats)) {
    const codes = Object.entries(s.codes)
      .sort((a, b) => b[1] - a[1])
      .map(([c, n]) => `${c}:${n}`)
      .join(' ');
    lines.push(
      `${name.padEnd(26)} ${String(s.inputs).padStart(7)} ${String(s.accepted).padStart(9)} ${String(s.refused).padStart(8)} ${String(s.findings).padStart(9)} ${s.maxMs.toFixed(0).padStart(7)}   ${codes}`,
    );
  }
  for (const f of r.findings) lines.push('', `FINDING ${f.target} ${f.id} (seed ${f.seed})`, f.error);
  return lines.join('\n');
}

/** CLI entry (`npm run fuzz -- --minutes N`). */
export async function main(argv: readonly string[]): Promise<number> {
  let minutes = 1;
  let targets: string[] | undefined;
  let seed: number | undefined;
  let batch: number | undefined;
  let list = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--minutes') minutes = Number(next());
    else if (a === '--target') targets = next().split(',');
    else if (a === '--seed') seed = Number(next());
    else if (a === '--batch') batch = Number(next());
    else if (a === '--list') list = true;
    else if (a === '--help' || a === '-h') {
      process.stdout.write('usage: npm run fuzz -- [--minutes N] [--target NAME[,NAME]] [--seed N] [--batch N] [--list]\n');
      return 0;
    } else throw new Error(`unknown argument ${a}`);
  }
  if (list) {
    for (const t of campaignTargets()) process.stdout.write(`${t.name.padEnd(26)} ${t.covers.join(', ')}\n`);
    return 0;
  }
  if (!(minutes > 0)) throw new Error('--minutes must be a positive number');
  const findingsDir = path.join(REPO_ROOT, 'fuzz', 'findings');
  const report = await runCampaign({
    durationMs: minutes * 60_000,
    ...(targets ? { targets } : {}),
    ...(seed !== undefined ? { seed } : {}),
    ...(batch !== undefined ? { batch } : {}),
    findingsDir,
    log: (l) => process.stdout.write(`${new Date().toISOString()} ${l}\n`),
  });
  process.stdout.write(`${formatReport(report)}\n`);
  if (report.findings.length > 0) process.stdout.write(`\nfindings written to ${findingsDir}\n`);
  return report.findings.length > 0 ? 1 : 0;
}
