/**
 * Evaluation of compiled conditions over one attestation. Absent, null
 * and empty follow one rule set (documented in docs/policy.md):
 * - `exists` and `onlyKeys` treat missing, `null`, `{}`, `[]` and `""` alike.
 * - Every other operator on a missing or `null` value gives `ifAbsent`
 *   (default `fail`): a constraint on a field that is not there never
 *   passes, whatever the operator (`ne` and `notIn` included).
 * - Typed comparisons parse the value (`"10.0"` as a number, RFC 3339 with
 *   fractions, SemVer with prereleases); an unparsable value fails.
 * @module
 */
import type { CompiledCondition, CompiledTime, PathOp } from './compile.js';
import type { CompareAs, Json } from './document.js';
import type { SignerDoc, StatementDoc } from './evidence.js';
import { ABSENT, isAbsent, resolvePointer } from './json-pointer.js';
import { compareSemver, parseSemver } from './semver.js';
import { parseNumber, severityRank, SEVERITY_RANK } from './severity.js';
import { formatTimestamp, parseTimestamp } from './time.js';
import { and, or, type Status } from './tri.js';
import type { RuleResult } from './verdict.js';

/** A caller-supplied evaluator for `plugin` conditions (synchronous and pure). */
export type PluginEvaluator = (
  input: { readonly statement: StatementDoc; readonly signer: SignerDoc | undefined },
  source: string,
  entry: string | undefined,
) => boolean | { readonly result: boolean; readonly error?: string; readonly warning?: string } | undefined;

/** What conditions read. */
export interface ConditionEnv {
  readonly statement: StatementDoc;
  readonly signer: SignerDoc | undefined;
  /** Earliest verified time of the attestation. */
  readonly verifiedTime: bigint | undefined;
  readonly now: bigint;
  readonly clockSkew: bigint;
  readonly maxArrayItems: number;
  readonly plugins: Readonly<Record<string, PluginEvaluator>> | undefined;
}

/** Bounded work for nested quantifiers. */
interface Budget {
  steps: number;
}

const MAX_STEPS = 1_000_000;

function result(c: CompiledCondition, status: Status, reason: string, message: string, extra: Partial<RuleResult> = {}): RuleResult {
  return { rule: 'condition', at: c.at, status, reason, message, ...extra };
}

const GENERIC = new Set(['CONDITION_FAILED', 'PATH_ABSENT', 'TYPE_MISMATCH']);

/** Gives the generic failures under a shortcut's condition the shortcut's reason code. */
function brand(r: RuleResult, reason: string): RuleResult {
  if (r.status === 'pass') return r;
  const children = r.children?.map((k) => brand(k, reason));
  return { ...r, reason: GENERIC.has(r.reason) ? reason : r.reason, ...(children ? { children } : {}) };
}

/** Deep JSON equality (bigint and number compare by value). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (typeof a === 'bigint' || typeof b === 'bigint') {
    return (typeof a === 'bigint' || typeof a === 'number') && (typeof b === 'bigint' || typeof b === 'number') && String(a) === String(b);
  }
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object' && !Array.isArray(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    if (ka.length !== kb.length) return false;
    return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return false;
}

/** A short rendering of a value for messages (bounded). */
export function preview(v: unknown): unknown {
  if (v === ABSENT || v === undefined) return '(absent)';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'string') return v.length > 200 ? `${v.slice(0, 200)}…` : v;
  if (Array.isArray(v)) return v.length > 20 ? `(array of ${v.length})` : v.map(preview);
  if (v !== null && typeof v === 'object') {
    const keys = Object.keys(v);
    if (keys.length > 20) return `(object with ${keys.length} keys)`;
    const o: Record<string, unknown> = {};
    for (const k of keys) o[k] = preview((v as Record<string, unknown>)[k]);
    return o;
  }
  return v;
}

function resolveTime(t: CompiledTime, env: ConditionEnv): bigint | undefined {
  if (t.kind === 'fixed') return t.t;
  if (t.kind === 'now') return env.now + t.offset;
  return env.verifiedTime === undefined ? undefined : env.verifiedTime + t.offset;
}

/** Parses a value for a typed comparison; undefined when it does not parse. */
function typed(v: unknown, as: CompareAs): number | bigint | ReturnType<typeof parseSemver> | undefined {
  switch (as) {
    case 'number':
      return parseNumber(v);
    case 'semver':
      return parseSemver(v);
    case 'time':
      return parseTimestamp(v);
    case 'severity':
      return typeof v === 'string' || typeof v === 'number' ? severityRank(v) : undefined;
  }
}

function compareTyped(a: NonNullable<ReturnType<typeof typed>>, b: NonNullable<ReturnType<typeof typed>>): number {
  if (typeof a === 'object' && typeof b === 'object') return compareSemver(a, b);
  const x = a as number | bigint;
  const y = b as number | bigint;
  return x < y ? -1 : x > y ? 1 : 0;
}

function describeTime(t: CompiledTime): string {
  if (t.kind === 'fixed') return formatTimestamp(t.t);
  return `${t.kind}${t.offset === 0n ? '' : ` ${t.offset < 0n ? '-' : '+'} ${Number((t.offset < 0n ? -t.offset : t.offset) / 1_000_000_000n)}s`}`;
}

const OP_TEXT: Record<string, string> = { lt: '<', lte: '<=', gt: '>', gte: '>=', eq: '==', ne: '!=' };

/** Evaluates one condition with `root` as the document paths start from. */
export function evalCondition(c: CompiledCondition, env: ConditionEnv, root: unknown, budget: Budget = { steps: 0 }): RuleResult {
  if (++budget.steps > MAX_STEPS) return result(c, 'indeterminate', 'LIMIT_EXCEEDED', 'condition evaluation exceeded its step budget');
  switch (c.kind) {
    case 'allOf':
    case 'anyOf': {
      const raw = c.items.map((x) => evalCondition(x, env, root, budget));
      const kids = c.reason ? raw.map((k) => brand(k, c.reason!)) : raw;
      const status = c.kind === 'allOf' ? and(kids.map((k) => k.status)) : or(kids.map((k) => k.status));
      const firstBad = kids.find((k) => k.status !== 'pass');
      const reason = status === 'pass' ? 'OK' : (c.reason ?? firstBad?.reason ?? 'CONDITION_FAILED');
      return result(c, status, reason, c.message ?? `${c.kind} of ${kids.length} conditions`, { children: kids });
    }
    case 'cases': {
      const t = env.statement.predicateType;
      const list = c.cases.get(t);
      if (!list) {
        return result(c, 'fail', c.reason ?? 'PREDICATE_TYPE_UNSUPPORTED', `${c.message ?? 'check'}: not defined for predicate type ${t}`, {
          expected: [...c.cases.keys()],
          actual: t,
        });
      }
      const raw = list.map((x) => evalCondition(x, env, root, budget));
      const kids = c.reason ? raw.map((k) => brand(k, c.reason!)) : raw;
      const status = and(kids.map((k) => k.status));
      const firstBad = kids.find((k) => k.status !== 'pass');
      return result(c, status, status === 'pass' ? 'OK' : (firstBad?.reason ?? c.reason ?? 'CONDITION_FAILED'), c.message ?? `checks for ${t}`, { children: kids });
    }
    case 'plugin': {
      const fn = env.plugins?.[c.plugin];
      if (!fn) return result(c, 'indeterminate', 'PLUGIN_UNAVAILABLE', `no ${c.plugin} evaluator was supplied; the condition cannot be decided`);
      let out: ReturnType<PluginEvaluator>;
      try {
        out = fn({ statement: env.statement, signer: env.signer }, c.source, c.entry);
      } catch (e) {
        return result(c, 'indeterminate', 'PLUGIN_ERROR', `${c.plugin} evaluator failed: ${e instanceof Error ? e.message : String(e)}`);
      }
      // Undefined (Rego's "undefined") is a failure, never a pass.
      if (out === true) return result(c, 'pass', 'OK', c.message ?? `${c.plugin} condition`);
      if (out === false || out === undefined || out === null) return result(c, 'fail', 'CONDITION_FAILED', c.message ?? `${c.plugin} condition is not satisfied${out === undefined ? ' (undefined)' : ''}`);
      if (typeof out === 'object' && typeof out.result === 'boolean') {
        const msg = [c.message ?? `${c.plugin} condition`, out.error, out.warning].filter(Boolean).join('; ');
        return result(c, out.result && !out.error ? 'pass' : 'fail', out.result && !out.error ? 'OK' : 'CONDITION_FAILED', msg);
      }
      return result(c, 'fail', 'CONDITION_FAILED', `${c.plugin} evaluator returned an unexpected value`);
    }
    case 'path':
      return evalPath(c, env, root, budget);
  }
}

function evalPath(c: Extract<CompiledCondition, { kind: 'path' }>, env: ConditionEnv, root: unknown, budget: Budget): RuleResult {
  const doc = c.on === 'signer' ? env.signer : root;
  const actual = doc === undefined ? ABSENT : resolvePointer(doc, c.tokens);
  const where = `${c.on === 'signer' ? 'signer ' : ''}${c.pointer || '(root)'}`;
  const t = c.test;
  const fail = (code: string, message: string, extra: Partial<RuleResult> = {}) =>
    result(c, 'fail', c.reason ?? code, c.message ? `${c.message}: ${message}` : message, { actual: preview(actual), ...extra });
  const pass = (message: string) => result(c, 'pass', 'OK', c.message ? `${c.message}: ${message}` : message);
  const absent = () =>
    result(c, c.ifAbsent, c.ifAbsent === 'indeterminate' ? (c.reason ?? 'PATH_ABSENT') : (c.reason ?? 'PATH_ABSENT'), `${c.message ? `${c.message}: ` : ''}${where} is absent`, {
      expected: expectedOf(t),
      actual: '(absent)',
    });

  if (t.op === 'exists') {
    const present = !isAbsent(actual);
    return present === t.want ? pass(`${where} ${t.want ? 'exists' : 'is absent'}`) : fail('CONDITION_FAILED', `${where} ${t.want ? 'is absent, null or empty' : 'is present'}`, { expected: t.want ? '(present)' : '(absent)' });
  }
  if (t.op === 'onlyKeys') {
    if (isAbsent(actual)) return pass(`${where} has no keys`);
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return fail('TYPE_MISMATCH', `${where} is not an object`);
    // Keys whose value is null or empty are the same as absent keys.
    const extra = Object.keys(actual).filter((k) => !t.keys.has(k) && !isAbsent((actual as Record<string, unknown>)[k]));
    return extra.length === 0
      ? pass(`${where} has only allowed keys`)
      : fail('CONDITION_FAILED', `${where} has unexpected keys: ${extra.join(', ')}`, { expected: [...t.keys], actual: extra });
  }
  const missing = actual === ABSENT || actual === null;
  if (t.op === 'eq' && t.value === null) return missing ? pass(`${where} is null or absent`) : fail('CONDITION_FAILED', `${where} is not null`, { expected: null });
  if (missing) return absent();
  switch (t.op) {
    case 'eq':
    case 'ne': {
      if (t.op === 'ne' && t.value === null) return pass(`${where} is present`);
      let equal: boolean;
      if (t.as) {
        const a = typed(actual, t.as);
        const b = typed(t.value, t.as);
        if (a === undefined) return fail('TYPE_MISMATCH', `${where} is not a valid ${t.as}`, { expected: t.value });
        equal = b !== undefined && compareTyped(a, b) === 0;
      } else {
        equal = jsonEqual(actual, t.value);
      }
      const ok = t.op === 'eq' ? equal : !equal;
      return ok ? pass(`${where} ${OP_TEXT[t.op]} ${JSON.stringify(t.value)}`) : fail('CONDITION_FAILED', `${where} ${t.op === 'eq' ? 'differs' : 'equals the forbidden value'}`, { expected: t.op === 'eq' ? t.value : { not: t.value } });
    }
    case 'in':
    case 'notIn': {
      const member = t.values.some((v) => jsonEqual(actual, v));
      const ok = t.op === 'in' ? member : !member;
      return ok ? pass(`${where} ${t.op === 'in' ? 'is one of' : 'is none of'} the listed values`) : fail('CONDITION_FAILED', `${where} ${t.op === 'in' ? 'is not one of' : 'is one of'} the listed values`, { expected: t.op === 'in' ? t.values : { notIn: t.values } });
    }
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte': {
      const a = typed(actual, t.as);
      if (a === undefined) return fail('TYPE_MISMATCH', `${where} is not a valid ${t.as}`, { expected: `${OP_TEXT[t.op]} ${typeof t.value === 'object' ? describeTime(t.value) : String(t.value)}` });
      let b: ReturnType<typeof typed>;
      let shown: string;
      if (typeof t.value === 'object') {
        const tv = resolveTime(t.value, env);
        if (tv === undefined) return result(c, 'indeterminate', 'NO_VERIFIED_TIME', `${where}: no verified time to compare with`);
        b = tv;
        shown = formatTimestamp(tv);
      } else {
        b = t.as === 'severity' ? SEVERITY_RANK[t.value as keyof typeof SEVERITY_RANK] : typed(t.value, t.as);
        shown = String(t.value);
      }
      if (b === undefined) return fail('TYPE_MISMATCH', `the policy value is not a valid ${t.as}`);
      const d = compareTyped(a, b);
      const ok = t.op === 'lt' ? d < 0 : t.op === 'lte' ? d <= 0 : t.op === 'gt' ? d > 0 : d >= 0;
      return ok ? pass(`${where} ${OP_TEXT[t.op]} ${shown}`) : fail('CONDITION_FAILED', `${where} is not ${OP_TEXT[t.op]} ${shown} (as ${t.as})`, { expected: `${OP_TEXT[t.op]} ${shown}` });
    }
    case 'match': {
      if (typeof actual !== 'string') return fail('TYPE_MISMATCH', `${where} is not a string`, { expected: t.matcher.spec });
      const s = t.matcher.test(actual);
      if (s === 'indeterminate') return result(c, 'indeterminate', 'LIMIT_EXCEEDED', `${where}: pattern or value beyond the length limits`);
      return s === 'pass' ? pass(`${where} matches`) : fail('CONDITION_FAILED', `${where} does not match`, { expected: t.matcher.spec });
    }
    case 'sameAs': {
      const otherDoc = t.on === 'signer' ? env.signer : root;
      const other = otherDoc === undefined ? ABSENT : resolvePointer(otherDoc, t.tokens);
      if (other === ABSENT || other === null) {
        return result(c, c.ifAbsent, c.reason ?? 'PATH_ABSENT', `${c.message ? `${c.message}: ` : ''}${t.on === 'signer' ? 'signer ' : ''}${t.pointer} is absent`, { actual: preview(actual) });
      }
      return jsonEqual(actual, other)
        ? pass(`${where} equals ${t.on === 'signer' ? 'signer ' : ''}${t.pointer}`)
        : fail('CONDITION_FAILED', `${where} differs from ${t.on === 'signer' ? 'signer ' : ''}${t.pointer}`, { expected: preview(other) });
    }
    case 'every':
    case 'some':
    case 'count': {
      if (!Array.isArray(actual)) return fail('TYPE_MISMATCH', `${where} is not an array`);
      let items: unknown[] = actual;
      if (t.flatten) {
        items = [];
        for (const e of actual) {
          const inner = resolvePointer(e, t.flatten);
          if (inner === ABSENT || inner === null) continue;
          if (!Array.isArray(inner)) return fail('TYPE_MISMATCH', `${where}: an element's nested list is not an array`);
          for (const x of inner) {
            items.push(x);
            if (items.length > env.maxArrayItems) break;
          }
          if (items.length > env.maxArrayItems) break;
        }
      }
      if (items.length > env.maxArrayItems) {
        return result(c, 'indeterminate', 'LIMIT_EXCEEDED', `${where} has more than ${env.maxArrayItems} items`);
      }
      const conds = t.op === 'count' ? t.where : t.items;
      const perItem = items.map((item) => and(conds.map((x) => evalCondition(x, env, item, budget).status)));
      if (t.op === 'every' || t.op === 'some') {
        const status = t.op === 'every' ? and(perItem) : or(perItem);
        if (status === 'pass') return pass(`${t.op} of ${items.length} items satisfied`);
        const bad = perItem.map((s, i) => [s, i] as const).filter(([s]) => s !== 'pass').map(([, i]) => i);
        // Show the first non-passing items in detail.
        const children = t.op === 'every' ? bad.slice(0, 3).flatMap((i) => t.items.map((x) => evalCondition(x, env, items[i], budget)).filter((r) => r.status !== 'pass')) : undefined;
        return result(c, status, status === 'indeterminate' ? 'CHILD_INDETERMINATE' : (c.reason ?? 'CONDITION_FAILED'), `${c.message ? `${c.message}: ` : ''}${t.op === 'every' ? `${bad.length} of ${items.length} items fail` : `none of ${items.length} items satisfies the conditions`} at ${where}`, {
          ...(children ? { children } : {}),
          actual: t.op === 'every' ? { failingItems: bad.slice(0, 10) } : { items: items.length },
        });
      }
      const cnt = t as Extract<PathOp, { op: 'count' }>;
      const n = perItem.filter((s) => s === 'pass').length;
      const maybe = perItem.filter((s) => s === 'indeterminate').length;
      const inRange = (k: number) => (cnt.min === undefined || k >= cnt.min) && (cnt.max === undefined || k <= cnt.max);
      const range = `${cnt.min !== undefined ? `>= ${cnt.min}` : ''}${cnt.min !== undefined && cnt.max !== undefined ? ' and ' : ''}${cnt.max !== undefined ? `<= ${cnt.max}` : ''}`;
      let lowOk = false;
      let highOk = true;
      let any = false;
      for (let k = n; k <= n + maybe; k++) {
        if (inRange(k)) any = true;
        else highOk = false;
        if (k === n) lowOk = inRange(k);
      }
      if (lowOk && highOk) return pass(`${n} matching items at ${where} (${range})`);
      if (any) return result(c, 'indeterminate', 'CHILD_INDETERMINATE', `${n} to ${n + maybe} matching items at ${where}: cannot decide ${range}`);
      return fail('CONDITION_FAILED', `${n} matching items at ${where}; wanted ${range}`, { expected: range, actual: n });
    }
  }
}

function expectedOf(t: PathOp): Json | undefined {
  switch (t.op) {
    case 'eq':
    case 'ne':
      return t.op === 'eq' ? t.value : { not: t.value };
    case 'in':
    case 'notIn':
      return t.op === 'in' ? t.values : { notIn: t.values };
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte':
      return `${OP_TEXT[t.op]} ${typeof t.value === 'object' ? describeTime(t.value) : String(t.value)}`;
    case 'match':
      return t.matcher.spec as unknown as Json;
    default:
      return undefined;
  }
}
