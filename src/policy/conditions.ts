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
import { slotValue } from './path-slots.js';
import { compareSemver, parseSemver } from './semver.js';
import { parseNumber, severityRank, SEVERITY_RANK } from './severity.js';
import { formatTimestamp, parseTimestamp } from './time.js';
import { andOf, orOf, type Status } from './tri.js';
import type { RuleResult } from './verdict.js';
import { NodeMemo, sharedNode, type ParentNode } from './shared-nodes.js';

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
  /** RFC 3339 text of a time (the evaluation memoizes it). */
  readonly formatTime: (t: bigint) => string;
  /**
   * Values of the statement paths already resolved for this attestation in
   * this evaluation, by slot (undefined: not yet); shared by every rule.
   */
  readonly values: unknown[];
}

/** Bounded work for nested quantifiers: steps taken by one top-level condition and everything under it. */
export interface Budget {
  steps: number;
}

const MAX_STEPS = 1_000_000;

function result(c: CompiledCondition, status: Status, reason: string, message: string, extra: Partial<RuleResult> = {}): RuleResult {
  return { rule: 'condition', at: c.at, status, reason, message, ...extra };
}

/** A passing leaf (the common case, built without a spread). */
function passed(c: CompiledCondition, message: string): RuleResult {
  return { rule: 'condition', at: c.at, status: 'pass', reason: 'OK', message };
}

/** The generic failure reasons a shortcut renames. */
function isGeneric(reason: string): boolean {
  return reason === 'CONDITION_FAILED' || reason === 'PATH_ABSENT' || reason === 'TYPE_MISMATCH';
}

/** Gives the generic failures under a shortcut's condition the shortcut's reason code. */
function brand(r: RuleResult, reason: string): RuleResult {
  if (r.status === 'pass') return r;
  // Nothing to rename: the node itself (a copy would be identical).
  if (!r.children && !isGeneric(r.reason)) return r;
  const children = r.children?.map((k) => brand(k, reason));
  return { ...r, reason: isGeneric(r.reason) ? reason : r.reason, ...(children ? { children } : {}) };
}

/** The results with {@link brand} applied (the same array when no result changes). */
function branded(list: RuleResult[], reason: string): RuleResult[] {
  let out: RuleResult[] | undefined;
  for (let i = 0; i < list.length; i++) {
    const b = brand(list[i]!, reason);
    if (b !== list[i]) (out ??= list.slice())[i] = b;
  }
  return out ?? list;
}

function firstNotPassing(list: readonly RuleResult[]): RuleResult | undefined {
  for (const r of list) if (r.status !== 'pass') return r;
  return undefined;
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

/** The texts of a path condition that depend only on the policy (computed once, at compile time). */
export interface PathConditionTexts {
  /** The path as messages name it, e.g. `signer /extensions/issuer`. */
  readonly where: string;
  /** The condition's own message as a prefix (`"<message>: "`), or empty. */
  readonly lead: string;
  /** The full message of the usual pass when it depends on nothing evaluated; else undefined. */
  readonly passText: string | undefined;
  /** The full message when the value is absent. */
  readonly absentText: string;
  /** What a comparison expected, when it is text (order comparisons); else computed when needed. */
  readonly expectedText: string | undefined;
}

/** Computes {@link PathConditionTexts} for a compiled path condition. */
export function pathConditionTexts(pointer: string, on: 'statement' | 'signer', message: string | undefined, t: PathOp): PathConditionTexts {
  const where = `${on === 'signer' ? 'signer ' : ''}${pointer || '(root)'}`;
  const lead = message ? `${message}: ` : '';
  let pass: string | undefined;
  switch (t.op) {
    case 'exists':
      pass = `${where} ${t.want ? 'exists' : 'is absent'}`;
      break;
    case 'onlyKeys':
      pass = `${where} has only allowed keys`;
      break;
    case 'eq':
    case 'ne':
      if (t.value === null) pass = t.op === 'eq' ? `${where} is null or absent` : `${where} is present`;
      else pass = `${where} ${OP_TEXT[t.op]} ${valueText(t.value)}`;
      break;
    case 'in':
    case 'notIn':
      pass = `${where} ${t.op === 'in' ? 'is one of' : 'is none of'} the listed values`;
      break;
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte':
      // A relative time is shown resolved, so only fixed operands have a fixed text.
      pass = typeof t.value === 'object' ? undefined : `${where} ${OP_TEXT[t.op]} ${String(t.value)}`;
      break;
    case 'match':
      pass = `${where} matches`;
      break;
    case 'sameAs':
      pass = `${where} equals ${t.on === 'signer' ? 'signer ' : ''}${t.pointer}`;
      break;
    default:
      pass = undefined;
  }
  const ordered = t.op === 'lt' || t.op === 'lte' || t.op === 'gt' || t.op === 'gte';
  return {
    where,
    lead,
    passText: pass === undefined ? undefined : `${lead}${pass}`,
    absentText: `${lead}${where} is absent`,
    expectedText: ordered ? (expectedOf(t) as string) : undefined,
  };
}

/** A condition compiled to a closure that builds its verdict node (see {@link nodeFnOf}). */
export type NodeFn = (env: ConditionEnv, root: unknown, budget: Budget) => RuleResult;

const nodeFns = new WeakMap<CompiledCondition, NodeFn>();

/**
 * A condition's evaluation as a closure compiled once per condition: its
 * kind and operator, and the texts and values that depend only on the
 * policy, are settled then rather than on every evaluation, and the nodes
 * that depend only on the policy are shared (see shared-nodes.ts).
 */
export function nodeFnOf(c: CompiledCondition): NodeFn {
  let f = nodeFns.get(c);
  if (!f) {
    f = compileNode(c);
    nodeFns.set(c, f);
  }
  return f;
}

/** Evaluates one condition with `root` as the document paths start from (a fresh step budget unless given). */
export function evalCondition(c: CompiledCondition, env: ConditionEnv, root: unknown, budget: Budget = { steps: 0 }): RuleResult {
  return nodeFnOf(c)(env, root, budget);
}

/** The node of a condition reached past the step budget. */
function overBudget(c: CompiledCondition): RuleResult {
  return result(c, 'indeterminate', 'LIMIT_EXCEEDED', 'condition evaluation exceeded its step budget');
}

function compileNode(c: CompiledCondition): NodeFn {
  switch (c.kind) {
    case 'allOf':
    case 'anyOf':
      return compileListNode(c);
    case 'cases':
      return compileCasesNode(c);
    case 'plugin':
      return (env, _root, budget) => (++budget.steps > MAX_STEPS ? overBudget(c) : evalPlugin(c, env));
    case 'path':
      return compilePathNode(c);
  }
}

/** Evaluates each closure into a new list (every one runs: the budget and plug-in calls do not depend on failures). */
function evalAll(fns: readonly NodeFn[], env: ConditionEnv, root: unknown, budget: Budget): RuleResult[] {
  const out: RuleResult[] = new Array(fns.length);
  for (let i = 0; i < fns.length; i++) out[i] = fns[i]!(env, root, budget);
  return out;
}

/**
 * Evaluates each closure, as {@link evalAll}, against the children of the
 * node a composite kept (see NodeMemo): undefined when every child came
 * back as the kept node's own (no list is built then), else the new list.
 */
function evalAgainst(kept: ParentNode | undefined, fns: readonly NodeFn[], env: ConditionEnv, root: unknown, budget: Budget): RuleResult[] | undefined {
  if (kept === undefined) return evalAll(fns, env, root, budget);
  const same = kept.children;
  let out: RuleResult[] | undefined;
  for (let i = 0; i < fns.length; i++) {
    const r = fns[i]!(env, root, budget);
    if (out) out[i] = r;
    else if (same[i] !== r) {
      out = same.slice(0, i);
      out.length = fns.length;
      out[i] = r;
    }
  }
  return out;
}

function compileListNode(c: Extract<CompiledCondition, { kind: 'allOf' | 'anyOf' }>): NodeFn {
  const fns = c.items.map(nodeFnOf);
  const isAll = c.kind === 'allOf';
  const memo = new NodeMemo();
  return (env, root, budget) => {
    if (++budget.steps > MAX_STEPS) return overBudget(c);
    const kept = memo.kept();
    const raw = evalAgainst(kept, fns, env, root, budget);
    if (raw === undefined) return kept!;
    const allPass = firstNotPassing(raw) === undefined;
    // (An empty anyOf fails: `or` of nothing.)
    if (allPass && (raw.length > 0 || isAll)) return memo.keep({ rule: 'condition', at: c.at, status: 'pass', reason: 'OK', message: c.text, children: raw });
    const kids = c.reason ? branded(raw, c.reason) : raw;
    const status = isAll ? andOf(kids) : orOf(kids);
    const reason = status === 'pass' ? 'OK' : (c.reason ?? firstNotPassing(kids)?.reason ?? 'CONDITION_FAILED');
    return memo.keep({ rule: 'condition', at: c.at, status, reason, message: c.text, children: kids });
  };
}

function compileCasesNode(c: Extract<CompiledCondition, { kind: 'cases' }>): NodeFn {
  const byType = new Map<string, readonly NodeFn[]>();
  for (const [t, list] of c.cases) byType.set(t, list.map(nodeFnOf));
  const memo = new NodeMemo();
  // The last type looked up: a rule's attestations mostly share one, compared faster than hashed.
  let lastType: string | undefined;
  let lastFns: readonly NodeFn[] | undefined;
  return (env, root, budget) => {
    if (++budget.steps > MAX_STEPS) return overBudget(c);
    const t = env.statement.predicateType;
    if (t !== lastType) {
      lastFns = byType.get(t);
      lastType = t;
    }
    const fns = lastFns;
    if (!fns) {
      return result(c, 'fail', c.reason ?? 'PREDICATE_TYPE_UNSUPPORTED', `${c.message ?? 'check'}: not defined for predicate type ${t}`, {
        expected: [...c.cases.keys()],
        actual: t,
      });
    }
    // The message names the type: it is part of what a kept node was built from.
    const kept = memo.kept(t);
    const raw = evalAgainst(kept, fns, env, root, budget);
    if (raw === undefined) return kept!;
    const message = c.message ?? `checks for ${t}`;
    if (firstNotPassing(raw) === undefined) return memo.keep({ rule: 'condition', at: c.at, status: 'pass', reason: 'OK', message, children: raw }, t);
    const kids = c.reason ? branded(raw, c.reason) : raw;
    const status = andOf(kids);
    const reason = status === 'pass' ? 'OK' : (firstNotPassing(kids)?.reason ?? c.reason ?? 'CONDITION_FAILED');
    return memo.keep({ rule: 'condition', at: c.at, status, reason, message, children: kids }, t);
  };
}

/** A plug-in condition: the caller's evaluator decides (called once per evaluation of the condition). */
function evalPlugin(c: Extract<CompiledCondition, { kind: 'plugin' }>, env: ConditionEnv): RuleResult {
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

/** A condition compiled to a status-only closure (see {@link statusFnOf}). */
type StatusFn = (env: ConditionEnv, root: unknown, budget: Budget) => Status;

const statusFns = new WeakMap<CompiledCondition, StatusFn>();
const statusLists = new WeakMap<readonly CompiledCondition[], readonly StatusFn[]>();

/**
 * The status {@link evalCondition} gives, from closures compiled once per
 * condition (one specialized per operator), without building the result
 * tree: for the per-item checks under every/some/count, where only the
 * status is kept. Spends the same step budget and calls the same plug-ins,
 * in the same order, so the two never disagree.
 */
export function statusFnOf(c: CompiledCondition): StatusFn {
  let f = statusFns.get(c);
  if (!f) {
    f = compileStatus(c);
    statusFns.set(c, f);
  }
  return f;
}

function statusFnsOf(list: readonly CompiledCondition[]): readonly StatusFn[] {
  let fns = statusLists.get(list);
  if (!fns) {
    fns = list.map(statusFnOf);
    statusLists.set(list, fns);
  }
  return fns;
}

/** AND of every function's status (all are run: the budget and plug-in calls do not depend on order of failure). */
function allOfFns(fns: readonly StatusFn[], env: ConditionEnv, root: unknown, budget: Budget): Status {
  let fail = false;
  let maybe = false;
  for (let i = 0; i < fns.length; i++) {
    const s = fns[i]!(env, root, budget);
    if (s === 'fail') fail = true;
    else if (s === 'indeterminate') maybe = true;
  }
  return fail ? 'fail' : maybe ? 'indeterminate' : 'pass';
}

/** One status closure for the conditions every item must satisfy (the one itself when there is one: items are many). */
function itemStatusFn(list: readonly CompiledCondition[]): StatusFn {
  const fns = statusFnsOf(list);
  return fns.length === 1 ? fns[0]! : (env, root, budget) => allOfFns(fns, env, root, budget);
}

function compileStatus(c: CompiledCondition): StatusFn {
  switch (c.kind) {
    case 'allOf': {
      const fns = c.items.map(statusFnOf);
      return (env, root, budget) => (++budget.steps > MAX_STEPS ? 'indeterminate' : allOfFns(fns, env, root, budget));
    }
    case 'anyOf': {
      const fns = c.items.map(statusFnOf);
      return (env, root, budget) => {
        if (++budget.steps > MAX_STEPS) return 'indeterminate';
        let pass = false;
        let maybe = false;
        for (let i = 0; i < fns.length; i++) {
          const s = fns[i]!(env, root, budget);
          if (s === 'pass') pass = true;
          else if (s === 'indeterminate') maybe = true;
        }
        return pass ? 'pass' : maybe ? 'indeterminate' : 'fail';
      };
    }
    case 'cases': {
      const byType = new Map<string, readonly StatusFn[]>();
      for (const [t, list] of c.cases) byType.set(t, list.map(statusFnOf));
      return (env, root, budget) => {
        if (++budget.steps > MAX_STEPS) return 'indeterminate';
        const fns = byType.get(env.statement.predicateType);
        return fns ? allOfFns(fns, env, root, budget) : 'fail';
      };
    }
    case 'plugin':
      return (env, _root, budget) => (++budget.steps > MAX_STEPS ? 'indeterminate' : evalPlugin(c, env).status);
    case 'path':
      return compilePathStatus(c);
  }
}

/** How a path condition reads its value: from the signer, a statement slot, an item by one token, or by several. */
const READ_SIGNER = 0;
const READ_SLOT = 1;
const READ_ONE = 2;
const READ_TOKENS = 3;

/**
 * A reader for a path condition. The closures call {@link readPath} with it
 * (a plain function, inlined where it is called) rather than a closure per
 * condition, which every value read would call through.
 */
function pathReader(c: PathCondition): number {
  if (c.on === 'signer') return READ_SIGNER;
  if (c.slot >= 0) return READ_SLOT;
  return c.tokens.length === 1 ? READ_ONE : READ_TOKENS;
}

/** The value a path condition reads (as {@link resolveActual} does), by its {@link pathReader}. */
function readPath(reader: number, c: PathCondition, env: ConditionEnv, root: unknown): unknown {
  switch (reader) {
    case READ_ONE:
      return root === undefined ? ABSENT : resolveOne(root, c.tokens[0]!);
    case READ_SLOT:
      return resolveActual(c, env, root);
    case READ_SIGNER:
      return env.signer === undefined ? ABSENT : resolvePointer(env.signer, c.tokens);
    default:
      return root === undefined ? ABSENT : resolvePointer(root, c.tokens);
  }
}

/** `resolvePointer(doc, [key])`, for the one-token paths items are read by. */
function resolveOne(doc: unknown, key: string): unknown {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return resolvePointer(doc, [key]);
  if (!Object.prototype.hasOwnProperty.call(doc, key)) return ABSENT;
  const v = (doc as Record<string, unknown>)[key];
  return v === undefined ? ABSENT : v;
}

function compilePathStatus(c: PathCondition): StatusFn {
  const reader = pathReader(c);
  const t = c.test;
  const ifAbsent = c.ifAbsent;
  switch (t.op) {
    case 'exists': {
      const want = t.want;
      return (env, root, budget) => (++budget.steps > MAX_STEPS ? 'indeterminate' : !isAbsent(readPath(reader, c, env, root)) === want ? 'pass' : 'fail');
    }
    case 'onlyKeys': {
      const keys = t.keys;
      return (env, root, budget) => {
        if (++budget.steps > MAX_STEPS) return 'indeterminate';
        const actual = readPath(reader, c, env, root);
        if (isAbsent(actual)) return 'pass';
        if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return 'fail';
        for (const k of Object.keys(actual)) if (!keys.has(k) && !isAbsent((actual as Record<string, unknown>)[k])) return 'fail';
        return 'pass';
      };
    }
    case 'eq':
    case 'ne': {
      const value = t.value;
      const eq = t.op === 'eq';
      if (value === null) {
        return (env, root, budget) => {
          if (++budget.steps > MAX_STEPS) return 'indeterminate';
          const actual = readPath(reader, c, env, root);
          const missing = actual === ABSENT || actual === null;
          return eq ? (missing ? 'pass' : 'fail') : missing ? ifAbsent : 'pass';
        };
      }
      const as = t.as;
      return (env, root, budget) => {
        if (++budget.steps > MAX_STEPS) return 'indeterminate';
        const actual = readPath(reader, c, env, root);
        if (actual === ABSENT || actual === null) return ifAbsent;
        let equal: boolean;
        if (as) {
          const a = typed(actual, as);
          if (a === undefined) return 'fail';
          const b = typed(value, as);
          equal = b !== undefined && compareTyped(a, b) === 0;
        } else equal = jsonEqual(actual, value);
        return (eq ? equal : !equal) ? 'pass' : 'fail';
      };
    }
    case 'in':
    case 'notIn': {
      const values = t.values;
      const isIn = t.op === 'in';
      return (env, root, budget) => {
        if (++budget.steps > MAX_STEPS) return 'indeterminate';
        const actual = readPath(reader, c, env, root);
        if (actual === ABSENT || actual === null) return ifAbsent;
        let member = false;
        for (let i = 0; i < values.length; i++) {
          if (jsonEqual(actual, values[i])) {
            member = true;
            break;
          }
        }
        return (isIn ? member : !member) ? 'pass' : 'fail';
      };
    }
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte': {
      if (typeof t.value === 'object') {
        const timed = t as OrderOp & { readonly value: CompiledTime };
        return (env, root, budget) => {
          if (++budget.steps > MAX_STEPS) return 'indeterminate';
          const actual = readPath(reader, c, env, root);
          return actual === ABSENT || actual === null ? ifAbsent : orderStatus(timed, actual, env);
        };
      }
      // A fixed operand: parsed once.
      const as = t.as;
      const b = fixedOperand(t);
      const op = t.op;
      return (env, root, budget) => {
        if (++budget.steps > MAX_STEPS) return 'indeterminate';
        const actual = readPath(reader, c, env, root);
        if (actual === ABSENT || actual === null) return ifAbsent;
        const a = typed(actual, as);
        if (a === undefined || b === undefined) return 'fail';
        return holds(op, compareTyped(a, b)) ? 'pass' : 'fail';
      };
    }
    case 'match': {
      const matcher = t.matcher;
      return (env, root, budget) => {
        if (++budget.steps > MAX_STEPS) return 'indeterminate';
        const actual = readPath(reader, c, env, root);
        if (actual === ABSENT || actual === null) return ifAbsent;
        return typeof actual !== 'string' ? 'fail' : matcher.test(actual);
      };
    }
    case 'sameAs':
      return (env, root, budget) => {
        if (++budget.steps > MAX_STEPS) return 'indeterminate';
        const actual = readPath(reader, c, env, root);
        if (actual === ABSENT || actual === null) return ifAbsent;
        const otherDoc = t.on === 'signer' ? env.signer : root;
        const other = otherDoc === undefined ? ABSENT : resolvePointer(otherDoc, t.tokens);
        if (other === ABSENT || other === null) return ifAbsent;
        return jsonEqual(actual, other) ? 'pass' : 'fail';
      };
    case 'every':
    case 'some':
    case 'count': {
      const item = itemStatusFn(t.op === 'count' ? t.where : t.items);
      return (env, root, budget) => {
        if (++budget.steps > MAX_STEPS) return 'indeterminate';
        const actual = readPath(reader, c, env, root);
        if (actual === ABSENT || actual === null) return ifAbsent;
        if (!Array.isArray(actual)) return 'fail';
        const items = quantifiedItems(t, actual, env.maxArrayItems);
        if (items === 'nested') return 'fail';
        if (items.length > env.maxArrayItems) return 'indeterminate';
        // Counted in place (no per-evaluation allocation): passing, undecided, and the first three that do not pass.
        let n = 0;
        let maybe = 0;
        let bad0 = -1;
        let bad1 = -1;
        let bad2 = -1;
        for (let i = 0; i < items.length; i++) {
          const s = item(env, items[i], budget);
          if (s === 'pass') n++;
          else {
            if (s === 'indeterminate') maybe++;
            if (bad0 < 0) bad0 = i;
            else if (bad1 < 0) bad1 = i;
            else if (bad2 < 0) bad2 = i;
          }
        }
        if (t.op === 'count') return countRange(t, n, maybe).status;
        const fails = items.length - n - maybe;
        const status: Status = t.op === 'every' ? (fails > 0 ? 'fail' : maybe > 0 ? 'indeterminate' : 'pass') : n > 0 ? 'pass' : maybe > 0 ? 'indeterminate' : 'fail';
        if (status !== 'pass' && t.op === 'every') {
          // The full tree re-evaluates the first failing items for its children: spend the same.
          if (bad0 >= 0) item(env, items[bad0], budget);
          if (bad1 >= 0) item(env, items[bad1], budget);
          if (bad2 >= 0) item(env, items[bad2], budget);
        }
        return status;
      };
    }
  }
}

/** Per-item outcome counts, and the indices of the first (up to ten) items that do not pass. */
interface Quantified {
  readonly n: number;
  readonly maybe: number;
  /** Non-passing items in all. */
  readonly badCount: number;
  readonly bad: readonly number[];
}

const NO_INDICES: readonly number[] = [];

/** Runs `item` (see itemStatusFn) over every item. */
function quantify(item: StatusFn, items: readonly unknown[], env: ConditionEnv, budget: Budget): Quantified {
  let n = 0;
  let maybe = 0;
  let badCount = 0;
  let bad: number[] | undefined;
  for (let i = 0; i < items.length; i++) {
    const s = item(env, items[i], budget);
    if (s === 'pass') n++;
    else {
      if (s === 'indeterminate') maybe++;
      if (badCount++ < 10) (bad ??= []).push(i);
    }
  }
  return { n, maybe, badCount, bad: bad ?? NO_INDICES };
}

/** every: all items pass; some: one does (Kleene). */
function quantifierStatus(op: 'every' | 'some', q: Quantified): Status {
  if (op === 'every') return q.badCount - q.maybe > 0 ? 'fail' : q.maybe > 0 ? 'indeterminate' : 'pass';
  return q.n > 0 ? 'pass' : q.maybe > 0 ? 'indeterminate' : 'fail';
}

type PathCondition = Extract<CompiledCondition, { kind: 'path' }>;

function resolveActual(c: PathCondition, env: ConditionEnv, root: unknown): unknown {
  // Resolved once per attestation per evaluation, prefixes shared.
  if (c.slot >= 0 && root === env.statement) return slotValue(c.slots, env.values, root, c.slot);
  const doc = c.on === 'signer' ? env.signer : root;
  return doc === undefined ? ABSENT : resolvePointer(doc, c.tokens);
}

type OrderOp = Extract<PathOp, { op: 'lt' | 'lte' | 'gt' | 'gte' }>;

/** A fixed operand of an order comparison, parsed (severity names by rank); undefined when it does not parse. */
function fixedOperand(t: OrderOp): ReturnType<typeof typed> {
  return t.as === 'severity' ? SEVERITY_RANK[t.value as keyof typeof SEVERITY_RANK] : typed(t.value, t.as);
}

/** Whether a comparison result `d` (negative, zero, positive) satisfies the operator. */
function holds(op: OrderOp['op'], d: number): boolean {
  return op === 'lt' ? d < 0 : op === 'lte' ? d <= 0 : op === 'gt' ? d > 0 : d >= 0;
}

/** The status of an order comparison with a time operand (what the node closure decides, without its texts). */
function orderStatus(t: OrderOp & { readonly value: CompiledTime }, actual: unknown, env: ConditionEnv): Status {
  const a = typed(actual, t.as);
  if (a === undefined) return 'fail';
  const b = resolveTime(t.value, env);
  if (b === undefined) return 'indeterminate';
  return holds(t.op, compareTyped(a, b)) ? 'pass' : 'fail';
}

/** The items an every/some/count walks, a type failure, or the over-limit marker. */
function quantifiedItems(t: Extract<PathOp, { op: 'every' | 'some' | 'count' }>, actual: unknown[], maxItems: number): unknown[] | 'nested' {
  if (!t.flatten) return actual;
  const items: unknown[] = [];
  for (const e of actual) {
    const inner = resolvePointer(e, t.flatten);
    if (inner === ABSENT || inner === null) continue;
    if (!Array.isArray(inner)) return 'nested';
    for (const x of inner) {
      items.push(x);
      if (items.length > maxItems) break;
    }
    if (items.length > maxItems) break;
  }
  return items;
}

interface CountOutcome {
  readonly n: number;
  readonly maybe: number;
  readonly status: Status;
}

/** Whether `n` passing items (and `maybe` undecided ones) satisfy the count's range. */
function countRange(cnt: Extract<PathOp, { op: 'count' }>, n: number, maybe: number): CountOutcome {
  const inRange = (k: number) => (cnt.min === undefined || k >= cnt.min) && (cnt.max === undefined || k <= cnt.max);
  let lowOk = false;
  let highOk = true;
  let any = false;
  for (let k = n; k <= n + maybe; k++) {
    if (inRange(k)) any = true;
    else highOk = false;
    if (k === n) lowOk = inRange(k);
  }
  return { n, maybe, status: lowOk && highOk ? 'pass' : any ? 'indeterminate' : 'fail' };
}

/** A failed path condition: its own reason and message lead first, the value found as `actual`. */
function failed(c: PathCondition, actual: unknown, code: string, message: string, extra?: Partial<RuleResult>): RuleResult {
  const r: RuleResult = { rule: 'condition', at: c.at, status: 'fail', reason: c.reason ?? code, message: `${c.lead}${message}`, actual: preview(actual) };
  // Extra fields follow (an extra `actual` replaces the value found, in its place).
  return extra ? Object.assign(r, extra) : r;
}

/** A pass whose message is computed: the condition's own message leads. */
function passedWithLead(c: PathCondition, message: string): RuleResult {
  return passed(c, `${c.lead}${message}`);
}

/**
 * The node of a missing or null value, where `ifAbsent` decides: one shared
 * node, unless what it expected is an object of the policy's (a node is
 * then built each time, so a verdict never shares it with another).
 */
function absentNode(c: PathCondition): () => RuleResult {
  const expected = c.expectedText ?? expectedOf(c.test);
  const build = (): RuleResult => ({ rule: 'condition', at: c.at, status: c.ifAbsent, reason: c.reason ?? 'PATH_ABSENT', message: c.absentText, expected, actual: '(absent)' });
  if (expected !== null && typeof expected === 'object') return build;
  const node = sharedNode(build());
  return () => node;
}

/**
 * A path condition's node closure, one per operator. Messages and values
 * that depend only on the policy are computed here, once; the passing node
 * with a fixed message and the node of an absent value are shared.
 */
function compilePathNode(c: PathCondition): NodeFn {
  const reader = pathReader(c);
  const where = c.where;
  const t = c.test;
  const pass = c.passText !== undefined ? sharedNode({ rule: 'condition', at: c.at, status: 'pass', reason: 'OK', message: c.passText }) : undefined;
  const absent = absentNode(c);
  switch (t.op) {
    case 'exists': {
      const want = t.want;
      const failText = `${where} ${want ? 'is absent, null or empty' : 'is present'}`;
      const expected = want ? '(present)' : '(absent)';
      return (env, root, budget) => {
        if (++budget.steps > MAX_STEPS) return overBudget(c);
        const actual = readPath(reader, c, env, root);
        return !isAbsent(actual) === want ? pass! : failed(c, actual, 'CONDITION_FAILED', failText, { expected });
      };
    }
    case 'onlyKeys': {
      const keys = t.keys;
      const noKeys = sharedNode(passedWithLead(c, `${where} has no keys`));
      return (env, root, budget) => {
        if (++budget.steps > MAX_STEPS) return overBudget(c);
        const actual = readPath(reader, c, env, root);
        if (isAbsent(actual)) return noKeys;
        if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return failed(c, actual, 'TYPE_MISMATCH', `${where} is not an object`);
        // Keys whose value is null or empty are the same as absent keys (own keys, in Object.keys order).
        let extra: string[] | undefined;
        for (const k in actual) {
          if (Object.prototype.hasOwnProperty.call(actual, k) && !keys.has(k) && !isAbsent((actual as Record<string, unknown>)[k])) (extra ??= []).push(k);
        }
        return extra === undefined ? pass! : failed(c, actual, 'CONDITION_FAILED', `${where} has unexpected keys: ${extra.join(', ')}`, { expected: [...keys], actual: extra });
      };
    }
    case 'eq':
    case 'ne': {
      const value = t.value;
      const eq = t.op === 'eq';
      if (value === null) {
        // eq null: passes when missing; ne null: a missing value is absent (ifAbsent), any other passes.
        return (env, root, budget) => {
          if (++budget.steps > MAX_STEPS) return overBudget(c);
          const actual = readPath(reader, c, env, root);
          const missing = actual === ABSENT || actual === null;
          if (eq) return missing ? pass! : failed(c, actual, 'CONDITION_FAILED', `${where} is not null`, { expected: null });
          return missing ? absent() : pass!;
        };
      }
      const as = t.as;
      // The policy's operand, parsed once.
      const b = as ? typed(value, as) : undefined;
      const failText = `${where} ${eq ? 'differs' : 'equals the forbidden value'}`;
      return (env, root, budget) => {
        if (++budget.steps > MAX_STEPS) return overBudget(c);
        const actual = readPath(reader, c, env, root);
        if (actual === ABSENT || actual === null) return absent();
        let equal: boolean;
        if (as) {
          const a = typed(actual, as);
          if (a === undefined) return failed(c, actual, 'TYPE_MISMATCH', `${where} is not a valid ${as}`, { expected: value });
          equal = b !== undefined && compareTyped(a, b) === 0;
        } else equal = jsonEqual(actual, value);
        return (eq ? equal : !equal) ? pass! : failed(c, actual, 'CONDITION_FAILED', failText, { expected: eq ? value : { not: value } });
      };
    }
    case 'in':
    case 'notIn': {
      const values = t.values;
      const isIn = t.op === 'in';
      const failText = `${where} ${isIn ? 'is not one of' : 'is one of'} the listed values`;
      return (env, root, budget) => {
        if (++budget.steps > MAX_STEPS) return overBudget(c);
        const actual = readPath(reader, c, env, root);
        if (actual === ABSENT || actual === null) return absent();
        const member = values.some((v) => jsonEqual(actual, v));
        return (isIn ? member : !member) ? pass! : failed(c, actual, 'CONDITION_FAILED', failText, { expected: isIn ? values : { notIn: values } });
      };
    }
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte': {
      const op = OP_TEXT[t.op];
      const time = typeof t.value === 'object' ? t.value : undefined;
      const operand = time ? describeTime(time) : String(t.value);
      const fixed = time ? undefined : fixedOperand(t);
      // A time operand is resolved per evaluation and shown resolved: the passing node is kept per resolved time.
      const passAt = new NodeMemo<RuleResult>();
      return (env, root, budget) => {
        if (++budget.steps > MAX_STEPS) return overBudget(c);
        const actual = readPath(reader, c, env, root);
        if (actual === ABSENT || actual === null) return absent();
        const a = typed(actual, t.as);
        if (a === undefined) return failed(c, actual, 'TYPE_MISMATCH', `${where} is not a valid ${t.as}`, { expected: `${op} ${operand}` });
        let b = fixed;
        if (time) {
          b = resolveTime(time, env);
          if (b === undefined) return result(c, 'indeterminate', 'NO_VERIFIED_TIME', `${where}: no verified time to compare with`);
        }
        if (b === undefined) return failed(c, actual, 'TYPE_MISMATCH', `the policy value is not a valid ${t.as}`);
        if (holds(t.op, compareTyped(a, b))) return pass ?? passAt.kept(b) ?? passAt.keep(passedWithLead(c, `${where} ${op} ${env.formatTime(b as bigint)}`), b);
        const shown = time ? env.formatTime(b as bigint) : operand;
        return failed(c, actual, 'CONDITION_FAILED', `${where} is not ${op} ${shown} (as ${t.as})`, { expected: `${op} ${shown}` });
      };
    }
    case 'match': {
      const matcher = t.matcher;
      return (env, root, budget) => {
        if (++budget.steps > MAX_STEPS) return overBudget(c);
        const actual = readPath(reader, c, env, root);
        if (actual === ABSENT || actual === null) return absent();
        if (typeof actual !== 'string') return failed(c, actual, 'TYPE_MISMATCH', `${where} is not a string`, { expected: matcher.spec });
        const s = matcher.test(actual);
        if (s === 'indeterminate') return result(c, 'indeterminate', 'LIMIT_EXCEEDED', `${where}: pattern or value beyond the length limits`);
        return s === 'pass' ? pass! : failed(c, actual, 'CONDITION_FAILED', `${where} does not match`, { expected: matcher.spec });
      };
    }
    case 'sameAs': {
      const other = `${t.on === 'signer' ? 'signer ' : ''}${t.pointer}`;
      return (env, root, budget) => {
        if (++budget.steps > MAX_STEPS) return overBudget(c);
        const actual = readPath(reader, c, env, root);
        if (actual === ABSENT || actual === null) return absent();
        const otherDoc = t.on === 'signer' ? env.signer : root;
        const otherValue = otherDoc === undefined ? ABSENT : resolvePointer(otherDoc, t.tokens);
        if (otherValue === ABSENT || otherValue === null) {
          return { rule: 'condition', at: c.at, status: c.ifAbsent, reason: c.reason ?? 'PATH_ABSENT', message: `${c.lead}${other} is absent`, actual: preview(actual) };
        }
        return jsonEqual(actual, otherValue) ? pass! : failed(c, actual, 'CONDITION_FAILED', `${where} differs from ${other}`, { expected: preview(otherValue) });
      };
    }
    case 'every':
    case 'some':
    case 'count':
      return quantifierNode(c, t, reader, absent);
  }
}

/** The node closure of an every/some/count condition: items are checked by status closures, the first failing ones shown in full. */
function quantifierNode(
  c: PathCondition,
  t: Extract<PathOp, { op: 'every' | 'some' | 'count' }>,
  reader: number,
  absent: () => RuleResult,
): NodeFn {
  const where = c.where;
  const item = itemStatusFn(t.op === 'count' ? t.where : t.items);
  const itemNodes = t.op === 'every' ? t.items.map(nodeFnOf) : [];
  const range = t.op === 'count' ? `${t.min !== undefined ? `>= ${t.min}` : ''}${t.min !== undefined && t.max !== undefined ? ' and ' : ''}${t.max !== undefined ? `<= ${t.max}` : ''}` : '';
  // The passing node names a count only (items, or matching items): kept per count.
  const passFor = new NodeMemo<RuleResult>();
  return (env, root, budget) => {
    if (++budget.steps > MAX_STEPS) return overBudget(c);
    const actual = readPath(reader, c, env, root);
    if (actual === ABSENT || actual === null) return absent();
    if (!Array.isArray(actual)) return failed(c, actual, 'TYPE_MISMATCH', `${where} is not an array`);
    const items = quantifiedItems(t, actual, env.maxArrayItems);
    if (items === 'nested') return failed(c, actual, 'TYPE_MISMATCH', `${where}: an element's nested list is not an array`);
    if (items.length > env.maxArrayItems) {
      return result(c, 'indeterminate', 'LIMIT_EXCEEDED', `${where} has more than ${env.maxArrayItems} items`);
    }
    const q = quantify(item, items, env, budget);
    if (t.op === 'every' || t.op === 'some') {
      const status = quantifierStatus(t.op, q);
      if (status === 'pass') return passFor.kept(items.length) ?? passFor.keep(passedWithLead(c, `${t.op} of ${items.length} items satisfied`), items.length);
      // Show the first non-passing items in detail.
      const children = t.op === 'every' ? q.bad.slice(0, 3).flatMap((i) => evalAll(itemNodes, env, items[i], budget).filter((r) => r.status !== 'pass')) : undefined;
      return result(c, status, status === 'indeterminate' ? 'CHILD_INDETERMINATE' : (c.reason ?? 'CONDITION_FAILED'), `${c.lead}${t.op === 'every' ? `${q.badCount} of ${items.length} items fail` : `none of ${items.length} items satisfies the conditions`} at ${where}`, {
        ...(children ? { children } : {}),
        actual: t.op === 'every' ? { failingItems: q.bad.slice(0, 10) } : { items: items.length },
      });
    }
    const { n, maybe, status } = countRange(t as Extract<PathOp, { op: 'count' }>, q.n, q.maybe);
    if (status === 'pass') return passFor.kept(n) ?? passFor.keep(passedWithLead(c, `${n} matching items at ${where} (${range})`), n);
    if (status === 'indeterminate') return result(c, 'indeterminate', 'CHILD_INDETERMINATE', `${n} to ${n + maybe} matching items at ${where}: cannot decide ${range}`);
    return failed(c, actual, 'CONDITION_FAILED', `${n} matching items at ${where}; wanted ${range}`, { expected: range, actual: n });
  };
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

/**
 * A policy value as message text: JSON, with integers beyond 2^53 (parsed
 * as bigint by the strict JSON reader) written as their digits, since
 * JSON.stringify would throw on them.
 */
function valueText(v: unknown): string {
  if (typeof v === 'bigint') return v.toString();
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x)) ?? String(v);
}
