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
import { UsageError, bigintAsString } from './io.js';
import { dirname, join, relative, resolve } from 'node:path';
import { parseJson } from '../encoding/json.js';
import { compilePolicy } from '../policy/compile.js';
import { runPolicyTestCase, type PolicyTestCase } from '../policy/test-case.js';
import { formatVerdict } from '../policy/format-verdict.js';
import { ExitCode, USAGE_ROW } from './exit-codes.js';
import { formatHelp, helpHint } from './help.js';
import { jsonText } from './json-output.js';
import { styleFor } from './style.js';

/** Help of `policy lint`. */
export const POLICY_LINT_HELP = formatHelp({
  usage: ['sigvet policy lint FILE [--json]'],
  description: 'Checks a sigvet policy (JSON): schema, references, patterns, thresholds; findings are warnings.',
  options: [['--json', 'print { valid, problems } as a JSON document']],
  jsonSchema: 'policy-lint.v1.schema.json',
  examples: [['Lint a policy before committing it', 'sigvet policy lint release-policy.json']],
  exitCodes: [[ExitCode.OK, 'clean'], [ExitCode.FAILED, 'findings (warnings)'], [ExitCode.USAGE, 'invalid policy, or usage or input error']],
});

/** Help of `policy import`. */
export const POLICY_IMPORT_HELP = formatHelp({
  usage: ['sigvet policy import --from clusterimagepolicy|kyverno FILE [--json]'],
  description: `Converts a Sigstore policy-controller ClusterImagePolicy or a Kyverno verifyImages policy (YAML)
into sigvet policies: the policy JSON on stdout, diagnostics (what did not map, and why) on stderr;
with --json, both in one document on stdout.`,
  options: [
    ['--from FORMAT', 'clusterimagepolicy or kyverno'],
    ['--json', 'print { policies, diagnostics } as a JSON document'],
  ],
  jsonSchema: 'policy-import.v1.schema.json',
  examples: [['Import a ClusterImagePolicy', 'sigvet policy import --from clusterimagepolicy cip.yaml > policy.json']],
  exitCodes: [[ExitCode.OK, 'everything mapped'], [ExitCode.USAGE, 'invalid input, or usage error'], [ExitCode.UNMAPPED, 'imported, but something did not map (see the diagnostics)']],
});

/** Help of `policy test`. */
export const POLICY_TEST_HELP = formatHelp({
  usage: ['sigvet policy test DIR [--json] [--verbose]'],
  description: `Runs the policy test cases under DIR (every *.json with an "expect" member, recursively) and
ends with "N passed, M failed" (on stderr with --json, so stdout stays one JSON document).`,
  options: [
    ['--verbose', 'print every verdict, not only those of failed cases'],
    ['--json', 'print { passed, failed, cases } as a JSON document'],
  ],
  jsonSchema: 'policy-test.v1.schema.json',
  examples: [['Run the policy tests of a repository in CI', 'sigvet policy test policies/tests']],
  exitCodes: [[ExitCode.OK, 'every case passed'], [ExitCode.FAILED, 'a case failed'], [ExitCode.USAGE, 'no cases, unreadable DIR, or usage error']],
});

/** Help of `sigvet policy`. */
export const POLICY_HELP = formatHelp({
  usage: ['sigvet policy lint FILE [--json]', 'sigvet policy import --from clusterimagepolicy|kyverno FILE [--json]', 'sigvet policy test DIR [--json] [--verbose]'],
  description: 'Lints, imports and tests sigvet policies (docs/policy.md). `sigvet policy SUBCOMMAND --help` shows one.',
  examples: [
    ['Lint a policy', 'sigvet policy lint release-policy.json'],
    ['Import a Kyverno policy', 'sigvet policy import --from kyverno kyverno.yaml --json'],
    ['Run policy test cases', 'sigvet policy test policies/tests'],
  ],
  exitCodes: [
    [ExitCode.OK, 'clean / everything mapped / every case passed'],
    [ExitCode.FAILED, 'lint findings / a test case failed'],
    USAGE_ROW,
    [ExitCode.UNMAPPED, 'import: something did not map'],
  ],
});

function out(s: string): void {
  process.stdout.write(s.endsWith('\n') ? s : `${s}\n`);
}
function err(s: string): void {
  process.stderr.write(s.endsWith('\n') ? s : `${s}\n`);
}

/** JSON.stringify that writes bigints as numbers' decimal text. */
function toJson(v: unknown): string {
  return JSON.stringify(v, bigintAsString, 2);
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
      const kind = Object.prototype.hasOwnProperty.call(known, name) ? known[name] : undefined;
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
  const st = styleFor(process.stdout, f['--json'] === true);
  if (rest.length !== 1) throw new UsageError('lint takes one FILE');
  let doc: unknown;
  try {
    doc = readJsonFile(rest[0]!, 'policy');
  } catch (e) {
    if (e instanceof UsageError) throw e;
    err(`sigvet policy lint: ${(e as Error).message}`);
    return ExitCode.USAGE;
  }
  const r = compilePolicy(doc);
  const invalid = !r.ok;
  const code = invalid ? ExitCode.USAGE : r.problems.length > 0 ? ExitCode.FAILED : ExitCode.OK;
  if (f['--json']) {
    process.stdout.write(jsonText('policy-lint', { valid: !invalid, problems: r.problems }));
    return code;
  }
  for (const p of r.problems) out(`${rest[0]}: ${p.severity === 'error' ? st.red(p.severity) : st.yellow(p.severity)} ${p.code} at ${p.path || '/'}: ${p.message}`);
  if (code === 0) out(`${rest[0]}: ${st.green('ok')}`);
  else out(`${rest[0]}: ${invalid ? st.red('invalid') : st.yellow(`${r.problems.length} finding(s)`)}`);
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
    return ExitCode.USAGE;
  }
  // The importers (and the YAML parser) load only for this command.
  const mod = await import('../policy-import.js');
  const r = from === 'kyverno' ? mod.importKyverno(text) : mod.importClusterImagePolicy(text);
  const invalid = r.diagnostics.some((d) => d.severity === 'invalid') || r.policies.length === 0;
  const unmapped = r.diagnostics.some((d) => d.severity === 'unmapped');
  const code = invalid ? ExitCode.USAGE : unmapped ? ExitCode.UNMAPPED : ExitCode.OK;
  const policies = r.policies.length === 1 ? r.policies[0] : r.policies;
  if (f['--json']) {
    process.stdout.write(jsonText('policy-import', { policies: r.policies, diagnostics: r.diagnostics }));
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
  const st = styleFor(process.stdout, f['--json'] === true);
  if (rest.length !== 1) throw new UsageError('test takes one DIR');
  const dir = rest[0]!;
  let loaded;
  try {
    if (!statSync(dir).isDirectory()) throw new Error('not a directory');
    loaded = loadPolicyTestCases(dir);
  } catch (e) {
    err(`sigvet policy test: cannot read ${dir}: ${(e as Error).message}`);
    return ExitCode.USAGE;
  }
  let passed = 0;
  let failed = 0;
  const report: unknown[] = [];
  for (const c of loaded) {
    if (!c.testCase) {
      failed++;
      report.push({ file: c.file, passed: false, failures: [c.error] });
      if (!f['--json']) out(`${st.red('FAIL')} ${relative(dir, c.file)}: ${c.error}`);
      continue;
    }
    const r = runPolicyTestCase(c.testCase);
    if (r.passed) passed++;
    else failed++;
    report.push({ file: c.file, name: r.name, passed: r.passed, failures: r.failures, decision: r.verdict.decision });
    if (!f['--json']) {
      out(`${r.passed ? st.green('ok  ') : st.red('FAIL')} ${r.name}${r.passed ? '' : `: ${r.failures.join('; ')}`}`);
      if (!r.passed || f['--verbose']) out(st.dim(formatVerdict(r.verdict).replace(/^/gm, '      ')));
    }
  }
  const summary = `${passed} passed, ${failed} failed`;
  if (f['--json']) {
    // stdout is the JSON document alone; the summary goes beside it.
    process.stdout.write(jsonText('policy-test', { passed, failed, cases: report }));
    err(summary);
  } else {
    out(failed === 0 ? st.green(summary) : st.red(summary));
  }
  if (loaded.length === 0) return ExitCode.USAGE;
  return failed === 0 ? ExitCode.OK : ExitCode.FAILED;
}

/** Help of each subcommand. */
const SUBCOMMAND_HELP: Readonly<Record<string, string>> = { lint: POLICY_LINT_HELP, import: POLICY_IMPORT_HELP, test: POLICY_TEST_HELP };

/** Runs `sigvet policy …`; resolves to the exit code. */
export async function runPolicy(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== undefined && Object.prototype.hasOwnProperty.call(SUBCOMMAND_HELP, sub) && (rest.includes('--help') || rest.includes('-h'))) {
    out(SUBCOMMAND_HELP[sub]!);
    return ExitCode.OK;
  }
  const hint = helpHint(sub !== undefined && Object.prototype.hasOwnProperty.call(SUBCOMMAND_HELP, sub) ? `policy ${sub}` : 'policy');
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
        out(POLICY_HELP);
        return ExitCode.OK;
      default:
        err(`sigvet policy: ${sub === undefined ? 'a subcommand is required' : `unknown subcommand ${sub}`}\n${helpHint('policy')}`);
        return ExitCode.USAGE;
    }
  } catch (e) {
    if (e instanceof UsageError) {
      err(`sigvet policy: ${e.message}\n${hint}`);
      return ExitCode.USAGE;
    }
    throw e;
  }
}
