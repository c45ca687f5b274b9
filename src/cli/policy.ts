/**
 * `sigvet policy lint|import|test`.
 * - lint FILE: exit 0 clean, 1 with findings, 2 invalid.
 * - import --from clusterimagepolicy|kyverno FILE: policy JSON on stdout,
 *   diagnostics on stderr (`--json`: both in one document on stdout);
 *   exit 0 when everything mapped, 3 when something did not, 2 on invalid input.
 * - test DIR: runs every test case (`*.json` with an `expect` member) under
 *   DIR and ends with `N passed, M failed`; exit 0 only when none failed.
 * @module
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { UsageError } from './io.js';
import { dirname, join, relative, resolve } from 'node:path';
import { parseJson } from '../encoding/json.js';
import { compilePolicy } from '../policy/compile.js';
import { runPolicyTestCase, type PolicyTestCase } from '../policy/test-case.js';
import { formatVerdict } from '../policy/format-verdict.js';

/** Usage text. */
export const POLICY_USAGE = `usage:
  sigvet policy lint FILE [--json]
      exit 0: clean; 1: findings (warnings); 2: invalid policy
  sigvet policy import --from clusterimagepolicy|kyverno FILE [--json]
      policy JSON on stdout, diagnostics on stderr (--json: one document on stdout)
      exit 0: everything mapped; 3: something did not map; 2: invalid input
  sigvet policy test DIR [--json] [--verbose]
      runs the policy test cases under DIR; prints "N passed, M failed"
      exit 0: all passed; 1: a case failed; 2: unreadable cases`;


function out(s: string): void {
  process.stdout.write(s.endsWith('\n') ? s : `${s}\n`);
}
function err(s: string): void {
  process.stderr.write(s.endsWith('\n') ? s : `${s}\n`);
}

/** JSON.stringify that writes bigints as numbers' decimal text. */
function toJson(v: unknown): string {
  return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x), 2);
}

function readJsonFile(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${what} ${path}: ${(e as Error).message}`);
  }
  return parseJson(text, `${what} ${path}`);
}

function flags(args: string[], known: Record<string, 'bool' | 'value'>): { flags: Record<string, string | true>; rest: string[] } {
  const f: Record<string, string | true> = {};
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq > 0 ? a.slice(0, eq) : a;
      const kind = known[name];
      if (!kind) throw new UsageError(`unknown option ${name}`);
      if (kind === 'bool') f[name] = true;
      else {
        const v = eq > 0 ? a.slice(eq + 1) : args[++i];
        if (v === undefined) throw new UsageError(`missing value for ${name}`);
        f[name] = v;
      }
    } else rest.push(a);
  }
  return { flags: f, rest };
}

function lint(args: string[]): number {
  const { flags: f, rest } = flags(args, { '--json': 'bool' });
  if (rest.length !== 1) throw new UsageError('lint takes one FILE');
  let doc: unknown;
  try {
    doc = readJsonFile(rest[0]!, 'policy');
  } catch (e) {
    if (e instanceof UsageError) throw e;
    err(`sigvet policy lint: ${(e as Error).message}`);
    return 2;
  }
  const r = compilePolicy(doc);
  const invalid = !r.ok;
  const code = invalid ? 2 : r.problems.length > 0 ? 1 : 0;
  if (f['--json']) {
    out(toJson({ valid: !invalid, problems: r.problems }));
    return code;
  }
  for (const p of r.problems) out(`${rest[0]}: ${p.severity} ${p.code} at ${p.path || '/'}: ${p.message}`);
  if (code === 0) out(`${rest[0]}: ok`);
  else out(`${rest[0]}: ${invalid ? 'invalid' : `${r.problems.length} finding(s)`}`);
  return code;
}

async function importCmd(args: string[]): Promise<number> {
  const { flags: f, rest } = flags(args, { '--json': 'bool', '--from': 'value' });
  const from = f['--from'];
  if (from !== 'clusterimagepolicy' && from !== 'kyverno') throw new UsageError('--from clusterimagepolicy|kyverno is required');
  if (rest.length !== 1) throw new UsageError('import takes one FILE');
  let text: string;
  try {
    text = readFileSync(rest[0]!, 'utf8');
  } catch (e) {
    err(`sigvet policy import: cannot read ${rest[0]}: ${(e as Error).message}`);
    return 2;
  }
  // The importers (and the YAML parser) load only for this command.
  const mod = await import('../policy-import.js');
  const r = from === 'kyverno' ? mod.importKyverno(text) : mod.importClusterImagePolicy(text);
  const invalid = r.diagnostics.some((d) => d.severity === 'invalid') || r.policies.length === 0;
  const unmapped = r.diagnostics.some((d) => d.severity === 'unmapped');
  const code = invalid ? 2 : unmapped ? 3 : 0;
  const policies = r.policies.length === 1 ? r.policies[0] : r.policies;
  if (f['--json']) {
    out(toJson({ policies: r.policies, diagnostics: r.diagnostics }));
    return code;
  }
  if (r.policies.length > 0) out(toJson(policies));
  for (const d of r.diagnostics) err(`${rest[0]}: document ${d.document}: ${d.severity} ${d.code} at ${d.path || '(document)'}: ${d.message}`);
  return code;
}

/** Every `*.json` file under `dir`, sorted, recursing into sub-directories. */
function jsonFiles(dir: string, depth = 0): string[] {
  if (depth > 8) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) out.push(...jsonFiles(p, depth + 1));
    else if (name.endsWith('.json')) out.push(p);
  }
  return out;
}

/**
 * Loads the test cases under `dir`: files whose top level has `expect`.
 * A string `policy`, and string items of `evidence.results`, are paths
 * relative to the case file.
 */
export function loadPolicyTestCases(dir: string): { file: string; testCase?: PolicyTestCase; error?: string }[] {
  const cases: { file: string; testCase?: PolicyTestCase; error?: string }[] = [];
  for (const file of jsonFiles(dir)) {
    let doc: unknown;
    try {
      doc = readJsonFile(file, 'test case');
    } catch (e) {
      cases.push({ file, error: (e as Error).message });
      continue;
    }
    if (doc === null || typeof doc !== 'object' || Array.isArray(doc) || !('expect' in doc)) continue;
    try {
      const base = dirname(file);
      const tc = { ...(doc as Record<string, unknown>) } as Record<string, unknown>;
      if (typeof tc.policy === 'string') tc.policy = readJsonFile(resolve(base, tc.policy), 'policy');
      const ev = tc.evidence as Record<string, unknown> | undefined;
      if (ev && Array.isArray(ev.results)) {
        tc.evidence = { ...ev, results: ev.results.map((r) => (typeof r === 'string' ? readJsonFile(resolve(base, r), 'evidence') : r)) };
      }
      if (typeof tc.name !== 'string') tc.name = relative(dir, file);
      cases.push({ file, testCase: tc as unknown as PolicyTestCase });
    } catch (e) {
      cases.push({ file, error: (e as Error).message });
    }
  }
  return cases;
}

function test(args: string[]): number {
  const { flags: f, rest } = flags(args, { '--json': 'bool', '--verbose': 'bool' });
  if (rest.length !== 1) throw new UsageError('test takes one DIR');
  const dir = rest[0]!;
  let loaded;
  try {
    if (!statSync(dir).isDirectory()) throw new Error('not a directory');
    loaded = loadPolicyTestCases(dir);
  } catch (e) {
    err(`sigvet policy test: cannot read ${dir}: ${(e as Error).message}`);
    return 2;
  }
  let passed = 0;
  let failed = 0;
  const report: unknown[] = [];
  for (const c of loaded) {
    if (!c.testCase) {
      failed++;
      report.push({ file: c.file, passed: false, failures: [c.error] });
      if (!f['--json']) out(`FAIL ${relative(dir, c.file)}: ${c.error}`);
      continue;
    }
    const r = runPolicyTestCase(c.testCase);
    if (r.passed) passed++;
    else failed++;
    report.push({ file: c.file, name: r.name, passed: r.passed, failures: r.failures, decision: r.verdict.decision });
    if (!f['--json']) {
      out(`${r.passed ? 'ok  ' : 'FAIL'} ${r.name}${r.passed ? '' : `: ${r.failures.join('; ')}`}`);
      if (!r.passed || f['--verbose']) out(formatVerdict(r.verdict).replace(/^/gm, '      '));
    }
  }
  if (f['--json']) out(toJson({ passed, failed, cases: report }));
  out(`${passed} passed, ${failed} failed`);
  if (loaded.length === 0) return 2;
  return failed === 0 ? 0 : 1;
}

/** Runs `sigvet policy …`; resolves to the exit code. */
export async function runPolicy(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  try {
    switch (sub) {
      case 'lint':
        return lint(rest);
      case 'import':
        return await importCmd(rest);
      case 'test':
        return test(rest);
      case '--help':
      case '-h':
      case 'help':
        out(POLICY_USAGE);
        return 0;
      default:
        err(`sigvet policy: ${sub === undefined ? 'a subcommand is required' : `unknown subcommand ${sub}`}\n${POLICY_USAGE}`);
        return 2;
    }
  } catch (e) {
    if (e instanceof UsageError) {
      err(`sigvet policy: ${e.message}\n${POLICY_USAGE}`);
      return 2;
    }
    throw e;
  }
}
