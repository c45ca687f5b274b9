/**
 * A readable rendering of a verdict: the decision, then the rule tree with
 * one line per node (status, rule, reason, location), and under failing
 * nodes what was expected, what was found and what was seen instead.
 * @module
 */
import { requireVerdict, type RuleResult, type Verdict } from './verdict.js';
import { requireObject } from '../arguments.js';

const MARK: Record<string, string> = { pass: 'PASS', fail: 'FAIL', indeterminate: 'INDETERMINATE' };

function show(v: unknown): string {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > 300 ? `${s.slice(0, 300)}…` : s;
}

function lines(r: RuleResult, depth: number, out: string[], opts: { all: boolean }): void {
  const pad = '  '.repeat(depth);
  const reason = r.status === 'pass' ? '' : ` ${r.reason}`;
  out.push(`${pad}[${MARK[r.status]}] ${r.rule}${reason} (at ${r.at || '/'}): ${r.message}`);
  if (r.status !== 'pass') {
    if (r.expected !== undefined) out.push(`${pad}    expected: ${show(r.expected)}`);
    if (r.actual !== undefined) out.push(`${pad}    actual:   ${show(r.actual)}`);
    if (r.seen?.predicateTypes) out.push(`${pad}    seen predicate types: ${r.seen.predicateTypes.length ? r.seen.predicateTypes.join(', ') : '(none)'}`);
    if (r.seen?.identities) out.push(`${pad}    seen signers: ${r.seen.identities.length ? r.seen.identities.join('; ') : '(none)'}`);
    if (r.seen?.subjects) out.push(`${pad}    seen subjects: ${r.seen.subjects.join(', ')}`);
  }
  if (r.evidence && r.evidence.length && r.status === 'pass') out.push(`${pad}    evidence: ${r.evidence.map((i) => `#${i}`).join(', ')}`);
  // Passing subtrees are summarized unless everything is asked for.
  if (r.children && (opts.all || r.status !== 'pass')) for (const c of r.children) lines(c, depth + 1, out, opts);
}

/**
 * Renders a verdict as text for people (the CLI prints this).
 * @param options.all also expands passing subtrees.
 */
export function formatVerdict(verdict: Verdict, options: { all?: boolean } = {}): string {
  requireVerdict(verdict, 'formatVerdict');
  requireObject(options, 'formatVerdict', 'options');
  const out: string[] = [];
  const status = verdict.status === 'not-applicable' ? 'not applicable' : verdict.status;
  out.push(`${verdict.decision.toUpperCase()}: policy ${JSON.stringify(verdict.policy)} ${status} (mode ${verdict.mode}${verdict.enforced ? '' : ', not enforced'}) at ${verdict.evaluatedAt || '(no time)'}`);
  const a = verdict.artifact;
  if (a.reference) out.push(`artifact: ${a.reference}${a.normalizedReference && a.normalizedReference !== a.reference ? ` (${a.normalizedReference})` : ''}`);
  for (const d of a.digests) out.push(`digest:   ${Object.entries(d).map(([k, v]) => `${k}:${v}`).join(' ')}`);
  lines(verdict.result, 0, out, { all: options.all === true });
  if (verdict.warnings.length) {
    out.push('warnings (did not deny):');
    for (const w of verdict.warnings) out.push(`  ${w.reason} (at ${w.at || '/'}): ${w.message}`);
  }
  for (const e of verdict.evidence) {
    const used = e.usedBy.length ? `used by ${e.usedBy.join(', ')}` : 'not used';
    out.push(`evidence #${e.index}: ${e.kind}${e.predicateType ? ` ${e.predicateType}` : ''} by ${e.signer}; ${used}${e.problems.length ? `; ${e.problems.join('; ')}` : ''}`);
  }
  for (const f of verdict.findings) out.push(`lint ${f.severity} ${f.code} (at ${f.path || '/'}): ${f.message}`);
  return out.join('\n');
}
