/**
 * `evaluate(policy, evidence, { now })`: pure, synchronous and
 * deterministic. No crypto, no I/O, no clock but the `now` given; the same
 * inputs give the same verdict in a CLI, an admission webhook or a browser.
 * Evaluation never short-circuits, so every mode returns the full tree.
 * @module
 */
import { checkAuthority, type AuthorityCheck } from './authority.js';
import { compilePolicy, isCompiledPolicy, type CompiledAttestation, type CompiledPolicy, type CompiledRule } from './compile.js';
import { evalCondition, jsonEqual, preview, type ConditionEnv, type PluginEvaluator } from './conditions.js';
import type { PolicyDocument } from './document.js';
import { viewEvidence, type ArtifactDigests, type EffectiveLimits, type EvidenceView, type PolicyEvidence } from './evidence.js';
import { ggcrName, kyvernoName, parseImageReference } from './image-ref.js';
import { ABSENT, resolvePointer } from './json-pointer.js';
import { bindSubjects, DEFAULT_SUBJECT_BINDING, subjectBindingKey, wellFormedDigest, type SubjectBinding, type SubjectBindingOptions } from './subject-binding.js';
import { formatTimestamp, parseTimestamp } from './time.js';
import { and, atLeast, negate, or, type Status } from './tri.js';
import { failingLeaves, type EvidenceSummary, type RuleResult, type Verdict } from './verdict.js';
import type { CompiledMatch } from './string-match.js';

/** Options of {@link evaluate}. */
export interface EvaluateOptions {
  /** The evaluation time: RFC 3339 text, a Date, or milliseconds since the epoch. */
  readonly now: string | Date | number;
  /** Tighter (or looser) caps than the policy's. */
  readonly limits?: Partial<EffectiveLimits>;
  /** Evaluators for `plugin` conditions; without one such a condition is indeterminate. */
  readonly plugins?: Readonly<Record<string, PluginEvaluator>>;
}

function toNanos(now: EvaluateOptions['now']): bigint | undefined {
  if (typeof now === 'string') return parseTimestamp(now);
  if (now instanceof Date) {
    const ms = now.getTime();
    return Number.isFinite(ms) ? BigInt(ms) * 1_000_000n : undefined;
  }
  if (typeof now === 'number' && Number.isSafeInteger(now)) return BigInt(now) * 1_000_000n;
  return undefined;
}

function node(rule: string, at: string, status: Status, reason: string, message: string, extra: Partial<RuleResult> = {}): RuleResult {
  return { rule, at, status, reason, message, ...extra };
}

/** Kleene AND of two statuses (see tri.ts). */
function and2(a: Status, b: Status): Status {
  return a === 'fail' || b === 'fail' ? 'fail' : a === 'indeterminate' || b === 'indeterminate' ? 'indeterminate' : 'pass';
}

/** Counts the passing results. */
function passCount(list: readonly RuleResult[]): number {
  let n = 0;
  for (const r of list) if (r.status === 'pass') n++;
  return n;
}

function formatDuration(ns: bigint): string {
  const whole = ns / 1_000_000_000n;
  // Below 2^44 s (half a million years) double arithmetic, floor of quotients included, is exact; bigint past that.
  if (whole < 17_592_186_044_416n && whole > -17_592_186_044_416n) {
    let s = Number(whole);
    const neg = s < 0;
    if (neg) s = -s;
    const d = Math.floor(s / 86400);
    const h = Math.floor((s % 86400) / 3600);
    const m = Math.floor((s % 3600) / 60);
    const sec = s % 60;
    const t = `${h > 0 ? `${h}H` : ''}${m > 0 ? `${m}M` : ''}${sec > 0 ? `${sec}S` : ''}`;
    return `${neg ? '-' : ''}P${d > 0 ? `${d}D` : ''}${t ? `T${t}` : d > 0 ? '' : 'T0S'}`;
  }
  let s = whole;
  const neg = s < 0n;
  if (neg) s = -s;
  const d = s / 86400n;
  const h = (s % 86400n) / 3600n;
  const m = (s % 3600n) / 60n;
  const sec = s % 60n;
  const t = `${h > 0n ? `${h}H` : ''}${m > 0n ? `${m}M` : ''}${sec > 0n ? `${sec}S` : ''}`;
  return `${neg ? '-' : ''}P${d > 0n ? `${d}D` : ''}${t ? `T${t}` : d > 0n ? '' : 'T0S'}`;
}

/** An attestation that a rule's authorities trust and that is about the artifact. */
interface Candidate {
  readonly v: EvidenceView;
  /** Trust and binding combined (indeterminate when either is). */
  readonly status: Status;
  readonly subject: RuleResult;
  /** Its node under the rule, once evaluated. */
  result: RuleResult | undefined;
}

/** The latest earliest-verified-time among attestations that all have one. */
function newestTime(list: readonly Candidate[]): bigint {
  let m = -1n;
  for (const c of list) if (c.v.verifiedTimes[0]! > m) m = c.v.verifiedTimes[0]!;
  return m;
}

/** Kleene AND of the candidates' results. */
function candidateStatus(list: readonly Candidate[]): Status {
  let maybe = false;
  for (const c of list) {
    const s = c.result!.status;
    if (s === 'fail') return 'fail';
    if (s === 'indeterminate') maybe = true;
  }
  return maybe ? 'indeterminate' : 'pass';
}

interface AttestationOutcome {
  readonly result: RuleResult;
  /** Bound values of the attestations that satisfied the rule. */
  readonly bindings: ReadonlyMap<string, readonly { readonly value: unknown; readonly index: number }[]>;
}

const NO_BINDINGS: ReadonlyMap<string, readonly { readonly value: unknown; readonly index: number }[]> = new Map();

/** The locations of the rules that accept evidence (signedBy and attestation rules), sorted, and each one's rank. */
interface RuleLocations {
  readonly sorted: readonly string[];
  readonly rank: ReadonlyMap<string, number>;
}

const locationIndex = new WeakMap<CompiledPolicy, RuleLocations>();

/** The {@link RuleLocations} of a policy, computed once (evidence summaries list them sorted). */
function locationsOf(policy: CompiledPolicy): RuleLocations {
  let found = locationIndex.get(policy);
  if (!found) {
    const set = new Set<string>();
    const stack: CompiledRule[] = [policy.root, ...policy.rules.values()];
    const seen = new Set<CompiledRule>();
    while (stack.length > 0) {
      const r = stack.pop()!;
      if (seen.has(r)) continue;
      seen.add(r);
      if (r.kind === 'attestation' || r.kind === 'signedBy') set.add(r.at);
      if (r.kind === 'allOf' || r.kind === 'anyOf' || r.kind === 'atLeast') stack.push(...r.children);
      else if (r.kind === 'not') stack.push(r.child);
    }
    const sorted = [...set].sort();
    found = { sorted, rank: new Map(sorted.map((at, i) => [at, i])) };
    locationIndex.set(policy, found);
  }
  return found;
}

/** Where each attestation rule sits, by id (for `equal`), computed once per compiled policy. */
const attestationIndex = new WeakMap<CompiledPolicy, ReadonlyMap<string, { readonly rule: CompiledAttestation; readonly at: string }>>();

function attestationsById(policy: CompiledPolicy): ReadonlyMap<string, { readonly rule: CompiledAttestation; readonly at: string }> {
  let index = attestationIndex.get(policy);
  if (!index) {
    const found = new Map<string, { rule: CompiledAttestation; at: string }>();
    const stack: CompiledRule[] = [policy.root, ...policy.rules.values()];
    const seen = new Set<CompiledRule>();
    while (stack.length > 0) {
      const r = stack.pop()!;
      if (seen.has(r)) continue;
      seen.add(r);
      // The first found wins, as a search from the root would find it (ids are unique: compile refuses duplicates).
      if (r.kind === 'attestation' && !found.has(r.rule.id)) found.set(r.rule.id, { rule: r.rule, at: r.at });
      if (r.kind === 'allOf' || r.kind === 'anyOf' || r.kind === 'atLeast') stack.push(...r.children);
      else if (r.kind === 'not') stack.push(r.child);
    }
    index = found;
    attestationIndex.set(policy, index);
  }
  return index;
}

/**
 * One evaluation: the evidence views plus what is derived from them once
 * (views by kind and predicate type, authority and subject-binding
 * outcomes per view, per-view node texts, formatted times), so each rule
 * only reads.
 */
class Evaluation {
  /** Outcome per attestation rule (by ordinal): each is evaluated once, wherever it is used. */
  readonly attestationMemo: (AttestationOutcome | undefined)[] = [];
  readonly ruleMemo = new Map<string, RuleResult>();
  /** Rule locations in sorted order (see {@link locationsOf}). */
  readonly locations: RuleLocations;
  /** Per view and location rank: whether the rule there accepted the view. */
  readonly used: Uint8Array;
  /** Locations outside the policy's list (none in practice), per view. */
  readonly usedElsewhere: (string[] | undefined)[];
  /** Attestation views, in evidence order, and by predicate type. */
  readonly attestations: EvidenceView[] = [];
  readonly invalid: EvidenceView[] = [];
  readonly byType = new Map<string, EvidenceView[]>();
  /** Per authority (and per binding key): the outcome for each view index, decided once. */
  readonly authorityChecks = new Map<string, (AuthorityCheck | undefined)[]>();
  readonly bindings = new Map<string, (SubjectBinding | undefined)[]>();
  readonly distinctKeys: (string | undefined)[];
  /** Per view: the `evidence #i` node's name and message. */
  readonly evidenceNames: (string | undefined)[];
  readonly evidenceMessages: (string | undefined)[];
  /** Per view: what its conditions read (the statement path values they resolved are cached in it). */
  readonly envs: (ConditionEnv | undefined)[];
  readonly times = new Map<bigint, string>();
  /** RFC 3339 text of a time, formatted once per evaluation. */
  readonly formatTime = (t: bigint): string => {
    let s = this.times.get(t);
    if (s === undefined) {
      s = formatTimestamp(t);
      this.times.set(t, s);
    }
    return s;
  };

  constructor(
    readonly policy: CompiledPolicy,
    readonly views: readonly EvidenceView[],
    readonly artifacts: readonly ArtifactDigests[],
    readonly now: bigint,
    readonly limits: EffectiveLimits,
    readonly plugins: EvaluateOptions['plugins'],
  ) {
    const n = views.length;
    this.locations = locationsOf(policy);
    this.used = new Uint8Array(n * this.locations.sorted.length);
    this.usedElsewhere = new Array(n).fill(undefined);
    this.distinctKeys = new Array(n).fill(undefined);
    this.evidenceNames = new Array(n).fill(undefined);
    this.evidenceMessages = new Array(n).fill(undefined);
    this.envs = new Array(n).fill(undefined);
    for (const v of views) {
      if (v.kind === 'invalid') this.invalid.push(v);
      else if (v.kind === 'attestation') {
        this.attestations.push(v);
        const t = v.statement!.predicateType;
        const list = this.byType.get(t);
        if (list) list.push(v);
        else this.byType.set(t, [v]);
      }
    }
  }

  checkAuthority(name: string, v: EvidenceView): AuthorityCheck {
    let list = this.authorityChecks.get(name);
    if (!list) this.authorityChecks.set(name, (list = new Array(this.views.length).fill(undefined)));
    let c = list[v.index];
    if (!c) {
      c = checkAuthority(this.policy.authorities.get(name)!, v);
      list[v.index] = c;
    }
    return c;
  }

  bind(v: EvidenceView, opts: SubjectBindingOptions, key: string): SubjectBinding {
    let list = this.bindings.get(key);
    if (!list) this.bindings.set(key, (list = new Array(this.views.length).fill(undefined)));
    let b = list[v.index];
    if (!b) {
      b = bindSubjects(v.statement!, this.artifacts, opts);
      list[v.index] = b;
    }
    return b;
  }

  /** Identity of an attestation for distinct counting: signer plus statement content. */
  distinctKey(v: EvidenceView): string {
    let k = this.distinctKeys[v.index];
    if (k === undefined) {
      // The same log entry is the same signed envelope (a duplicated bundle); without one, compare content.
      k = v.entryKey !== '' ? `${v.signerKey}\n${v.entryKey}` : `${v.signerKey}\n${JSON.stringify(v.statement, (_k, x) => (typeof x === 'bigint' ? x.toString() : x))}`;
      this.distinctKeys[v.index] = k;
    }
    return k;
  }

  /** Attestation views of any of `types`, in evidence order. */
  typedViews(types: readonly string[]): readonly EvidenceView[] {
    if (types.length === 1) return this.byType.get(types[0]!) ?? [];
    return this.attestations.filter((v) => types.includes(v.statement!.predicateType));
  }

  /** The conditions' view of an attestation, one per evaluation (its path-value cache is shared by every rule). */
  conditionEnv(v: EvidenceView): ConditionEnv {
    let env = this.envs[v.index];
    if (!env) {
      env = {
        statement: v.statement!,
        signer: v.signer,
        verifiedTime: v.verifiedTimes[0],
        now: this.now,
        clockSkew: this.policy.clockSkew,
        maxArrayItems: this.limits.maxArrayItems,
        plugins: this.plugins,
        formatTime: this.formatTime,
        values: [],
      };
      this.envs[v.index] = env;
    }
    return env;
  }

  evidenceName(v: EvidenceView): string {
    return (this.evidenceNames[v.index] ??= `evidence #${v.index}`);
  }

  evidenceMessage(v: EvidenceView): string {
    return (this.evidenceMessages[v.index] ??= `${v.statement!.predicateType} signed by ${v.signerLabel}`);
  }

  use(index: number, at: string): void {
    const rank = this.locations.rank.get(at);
    if (rank !== undefined) this.used[index * this.locations.sorted.length + rank] = 1;
    else (this.usedElsewhere[index] ??= []).push(at);
  }

  /** The sorted, distinct rule locations that accepted a view. */
  usedByOf(index: number): string[] {
    const sorted = this.locations.sorted;
    const out: string[] = [];
    const base = index * sorted.length;
    for (let r = 0; r < sorted.length; r++) if (this.used[base + r] === 1) out.push(sorted[r]!);
    const other = this.usedElsewhere[index];
    if (!other) return out;
    // Code-unit order, distinct (as a sorted set would give).
    const all = [...out, ...other].sort();
    return all.filter((x, i) => i === 0 || all[i - 1] !== x);
  }

  rule(r: CompiledRule): RuleResult {
    switch (r.kind) {
      case 'allOf':
      case 'anyOf': {
        const children = r.children.map((c) => this.rule(c));
        const status = r.kind === 'allOf' ? and(children.map((c) => c.status)) : or(children.map((c) => c.status));
        const reason = status === 'pass' ? 'OK' : status === 'fail' ? 'CHILD_FAILED' : 'CHILD_INDETERMINATE';
        const passed = passCount(children);
        return {
          rule: r.id ? `${r.kind} ${r.id}` : r.kind,
          at: r.at,
          status,
          reason,
          message: `${passed} of ${children.length} passed; ${r.kind === 'allOf' ? 'all' : 'one'} required`,
          children,
        };
      }
      case 'atLeast': {
        const children = r.children.map((c) => this.rule(c));
        const status = atLeast(r.k, children.map((c) => c.status));
        const passed = passCount(children);
        return {
          rule: r.id ? `atLeast ${r.id}` : 'atLeast',
          at: r.at,
          status,
          reason: status === 'pass' ? 'OK' : status === 'fail' ? 'THRESHOLD_NOT_MET' : 'CHILD_INDETERMINATE',
          message: `${passed} of ${children.length} passed; at least ${r.k} required`,
          expected: r.k,
          actual: passed,
          children,
        };
      }
      case 'not': {
        const child = this.rule(r.child);
        const status = negate(child.status);
        return node(r.id ? `not ${r.id}` : 'not', r.at, status, status === 'pass' ? 'OK' : status === 'fail' ? 'NEGATED_RULE_PASSED' : 'CHILD_INDETERMINATE', `negation (non-monotonic) of a rule that ${child.status === 'pass' ? 'passed' : child.status === 'fail' ? 'failed' : 'is indeterminate'}`, { children: [child] });
      }
      case 'use': {
        const memo = this.ruleMemo.get(r.name);
        const child = memo ?? this.rule(r.target());
        if (!memo) this.ruleMemo.set(r.name, child);
        return node(`use ${r.name}`, r.at, child.status, child.status === 'pass' ? 'OK' : child.status === 'fail' ? 'CHILD_FAILED' : 'CHILD_INDETERMINATE', `named rule ${r.name}`, { children: [child] });
      }
      case 'signedBy':
        return this.signedBy(r);
      case 'attestation':
        return this.attestation(r.rule, r.at).result;
      case 'equal':
        return this.equal(r);
    }
  }

  /** True when the view is about one of the artifacts (for signedBy). */
  bindsArtifact(v: EvidenceView, include: 'signatures' | 'attestations' | 'both'): boolean {
    if (v.kind === 'signature' && include !== 'attestations') {
      const d = v.signedDigest!;
      return this.artifacts.some((a) => a.digest[d.algorithm] === d.hex);
    }
    if (v.kind === 'attestation' && include !== 'signatures') {
      return this.bind(v, DEFAULT_SUBJECT_BINDING, DEFAULT_BINDING_KEY).status === 'pass';
    }
    return false;
  }

  signedBy(r: Extract<CompiledRule, { kind: 'signedBy' }>): RuleResult {
    const label = r.id ? `signedBy ${r.id}` : `signedBy ${r.authorities.join('|')}`;
    const auths = r.authorities.map((n) => this.policy.authorities.get(n)!);
    const statics = auths.filter((a) => a.kind === 'static');
    if (statics.some((a) => a.kind === 'static' && a.decision === 'pass')) {
      const a = statics.find((x) => x.kind === 'static' && x.decision === 'pass')!;
      return node(label, r.at, 'pass', 'STATIC_PASS', a.kind === 'static' && a.message ? a.message : `static authority ${a.name} passes`);
    }
    const signing = statics.length === 0 ? auths : auths.filter((a) => a.kind !== 'static');
    if (signing.length === 0) {
      const a = statics[0]!;
      return node(label, r.at, 'fail', 'STATIC_FAIL', a.kind === 'static' && a.message ? a.message : `static authority ${a.name} fails`);
    }
    if (this.artifacts.length === 0) return node(label, r.at, 'indeterminate', 'ARTIFACT_UNKNOWN', 'no artifact digest was given, so no signature can be bound to it');
    const candidates: EvidenceView[] = [];
    for (const v of this.views) if (v.kind !== 'invalid' && this.bindsArtifact(v, r.include)) candidates.push(v);
    const passing = new Map<string, number[]>();
    const maybe = new Set<string>();
    let closest: AuthorityCheck | undefined;
    for (const v of candidates) {
      let best: AuthorityCheck | undefined;
      for (const a of signing) {
        const c = this.checkAuthority(a.name, v);
        if (!best || c.status === 'pass' || (best.status !== 'pass' && c.progress > best.progress)) best = c;
        if (c.status === 'pass') break;
      }
      if (!best) continue;
      const status: Status = best.status === 'pass' && v.overLimit ? 'indeterminate' : best.status;
      if (status === 'pass') {
        const list = passing.get(v.signerKey);
        if (list) list.push(v.index);
        else passing.set(v.signerKey, [v.index]);
        this.use(v.index, r.at);
      } else if (status === 'indeterminate') maybe.add(v.signerKey);
      else if (!closest || best.progress > closest.progress) closest = best;
    }
    const distinct = passing.size;
    let undecided = 0;
    for (const k of maybe) if (!passing.has(k)) undecided++;
    const evidence: number[] = [];
    for (const list of passing.values()) for (const i of list) evidence.push(i);
    const seen = () => ({ identities: [...new Set(candidates.map((v) => v.signerLabel))] });
    if (distinct >= r.distinct) {
      return {
        rule: label,
        at: r.at,
        status: 'pass',
        reason: 'OK',
        message: `${distinct} distinct signer(s) of ${r.authorities.join(', ')}; ${r.distinct} required`,
        evidence,
        expected: r.distinct,
        actual: distinct,
      };
    }
    if (distinct + undecided >= r.distinct) {
      return node(label, r.at, 'indeterminate', 'LIMIT_EXCEEDED', `${distinct} distinct signer(s) decided, ${undecided} undecided (limits); ${r.distinct} required`, { evidence, seen: seen() });
    }
    if (candidates.length === 0) {
      return node(label, r.at, 'fail', 'NO_SIGNATURE', `no ${r.include === 'signatures' ? 'signature' : r.include === 'attestations' ? 'attestation' : 'signature or attestation'} over the artifact`, {
        seen: { identities: [...new Set(this.views.filter((v) => v.kind !== 'invalid').map((v) => v.signerLabel))] },
      });
    }
    if (distinct > 0) {
      return node(label, r.at, 'fail', 'THRESHOLD_NOT_MET', `${distinct} distinct signer(s); ${r.distinct} required (the same identity or key counts once)`, { evidence, expected: r.distinct, actual: distinct, seen: seen() });
    }
    return node(label, r.at, 'fail', closest?.reason ?? 'NO_SIGNATURE', closest?.message ?? 'no signature by the authorities', { expected: closest?.expected, actual: closest?.actual, seen: seen() });
  }

  attestation(a: CompiledAttestation, at: string): AttestationOutcome {
    const memo = this.attestationMemo[a.ordinal];
    if (memo) return memo;
    const out = this.attestationUncached(a, at);
    this.attestationMemo[a.ordinal] = out;
    return out;
  }

  attestationUncached(a: CompiledAttestation, at: string): AttestationOutcome {
    const label = a.label;
    if (this.artifacts.length === 0) return { result: node(label, at, 'indeterminate', 'ARTIFACT_UNKNOWN', 'no artifact digest was given, so no attestation can be bound to it'), bindings: NO_BINDINGS };

    const typed = this.typedViews(a.predicateTypes);
    if (typed.length === 0) {
      // Zero attestations of the type is a failure, never a vacuous pass.
      const invalid = this.invalid;
      const result = node(label, at, 'fail', 'NO_ATTESTATION_OF_TYPE', `no verified attestation of type ${a.predicateTypes.join(' or ')}${invalid.length ? ` (${invalid.length} evidence item(s) were invalid: ${invalid.flatMap((v) => v.problems).slice(0, 3).join('; ')})` : ''}`, {
        expected: { predicateTypes: a.predicateTypes },
        seen: { predicateTypes: [...this.byType.keys()] },
      });
      return { result, bindings: NO_BINDINGS };
    }

    // Who signed them, and whether each is about this artifact (in evidence order).
    const subjectAt = `${at}/subject`;
    const bound: Candidate[] = [];
    const unbound: RuleResult[] = [];
    let trustedCount = 0;
    let closest: AuthorityCheck | undefined;
    for (const v of typed) {
      let best: AuthorityCheck | undefined;
      for (const name of a.by) {
        const c = this.checkAuthority(name, v);
        if (!best || c.status === 'pass' || (best.status !== 'pass' && c.progress > best.progress)) best = c;
        if (c.status === 'pass') break;
      }
      if (!best || best.status === 'fail') {
        if (best && (!closest || best.progress > closest.progress)) closest = best;
        continue;
      }
      trustedCount++;
      const b = this.bind(v, a.binding, a.bindingKey);
      // Evidence over a limit was only partly read: a failed binding is undecided, not a fail.
      const bs: Status = b.status === 'fail' && v.overLimit ? 'indeterminate' : b.status;
      const subject: RuleResult = {
        rule: 'subject',
        at: subjectAt,
        status: bs,
        reason: bs === b.status ? b.reason : 'LIMIT_EXCEEDED',
        message: bs === b.status ? b.message : `${v.overLimit}; ${b.message}`,
        evidence: [v.index],
      };
      if (bs === 'fail') unbound.push(subject);
      else bound.push({ v, status: and2(best.status, bs), subject, result: undefined });
    }
    if (trustedCount === 0) {
      const result = node(label, at, 'fail', closest?.reason ?? 'NO_TRUSTED_ATTESTATION', `${typed.length} attestation(s) of the type, none signed by ${a.by.join(' or ')}${closest ? `: ${closest.message}` : ''}`, {
        expected: closest?.expected ?? { authorities: a.by },
        actual: closest?.actual,
        seen: { identities: [...new Set(typed.map((v) => v.signerLabel))] },
      });
      return { result, bindings: NO_BINDINGS };
    }
    if (bound.length === 0) {
      const first = unbound[0]!;
      const trusted = typed.filter((v) => this.trusts(a, v));
      const result = node(label, at, 'fail', first.reason, `${trustedCount} trusted attestation(s), none about this artifact: ${first.message}`, {
        expected: { artifacts: this.artifacts.map((x) => x.digest), algorithms: a.digestAlgorithms, ...(a.subjectName ? { name: a.subjectName.spec } : {}) },
        actual: { subjects: trusted.flatMap((v) => v.statement!.subject.map((s) => ({ name: s.name, digest: s.digest }))).slice(0, 20) },
        seen: { subjects: [...new Set(trusted.flatMap((v) => v.statement!.subject.map((s) => s.name)))].slice(0, 20) },
      });
      return { result, bindings: NO_BINDINGS };
    }

    // Each candidate on its own: age, then conditions.
    // newest: only the newest (by earliest verified time; ties all count) is evaluated.
    let candidates = bound;
    let older = 0;
    if (a.select === 'newest' && bound.every((c) => c.v.verifiedTimes.length > 0)) {
      const newest = newestTime(bound);
      candidates = bound.filter((c) => c.v.verifiedTimes[0] === newest);
      older = bound.length - candidates.length;
    }
    const maxAgeText = a.maxAge ? formatDuration(a.maxAge.duration) : '';
    const children: RuleResult[] = new Array(candidates.length);
    let passed = 0;
    let undecided = 0;
    for (let k = 0; k < candidates.length; k++) {
      const c = candidates[k]!;
      const r = this.candidate(a, at, c, maxAgeText);
      c.result = r;
      children[k] = r;
      if (r.status === 'pass') passed++;
      else if (r.status === 'indeterminate') undecided++;
    }

    // The quantifier.
    let selected = candidates;
    let status: Status;
    let message: string;
    if (a.select === 'newest') {
      if (candidates.some((c) => c.v.verifiedTimes.length === 0)) {
        status = 'indeterminate';
        message = 'an attestation has no verified time, so the newest cannot be chosen';
      } else {
        const newest = newestTime(candidates);
        // Ties (same verified time) must all pass: evidence order never decides.
        selected = candidates.filter((c) => c.v.verifiedTimes[0] === newest);
        status = candidateStatus(selected);
        message = `newest by verified time (${this.formatTime(newest)})${selected.length > 1 ? `, ${selected.length} tied` : ''}${older > 0 ? `; ${older} older not considered` : ''}`;
      }
    } else if (a.select === 'any') {
      const n = a.minCount <= 1 ? Math.min(passed, 1) : this.distinctCount(a, candidates.filter((c) => c.result!.status === 'pass'));
      const maybe = a.minCount <= 1 ? Math.min(undecided, 1) : this.distinctCount(a, candidates.filter((c) => c.result!.status === 'indeterminate'));
      status = n >= a.minCount ? 'pass' : n + maybe >= a.minCount ? 'indeterminate' : 'fail';
      message = `${n} distinct passing attestation(s) of ${candidates.length}; ${a.minCount} required`;
      if (status === 'pass' && passed !== candidates.length) selected = candidates.filter((c) => c.result!.status === 'pass');
    } else {
      status = passed + undecided < candidates.length ? 'fail' : undecided > 0 ? 'indeterminate' : 'pass';
      if (status === 'pass' && this.distinctCount(a, candidates) < a.minCount) status = 'fail';
      message = `${passed} of ${candidates.length} attestation(s) pass; all must${a.minCount > 1 ? ` (at least ${a.minCount})` : ''}`;
    }
    let reason = 'OK';
    if (status !== 'pass') {
      const firstBad = (selected.find((c) => c.result!.status !== 'pass') ?? candidates.find((c) => c.result!.status !== 'pass'))?.result;
      reason = firstBad?.reason ?? (a.minCount > 1 ? 'THRESHOLD_NOT_MET' : 'QUANTIFIER_NOT_MET');
    }
    let bindings = NO_BINDINGS;
    if (status === 'pass') {
      const found = a.bind.size > 0 ? new Map<string, { value: unknown; index: number }[]>() : undefined;
      for (const c of selected) {
        this.use(c.v.index, at);
        if (!found) continue;
        for (const [name, b] of a.bind) {
          const value = resolvePointer(c.v.statement, b.tokens);
          if (value === ABSENT || value === null) continue;
          const list = found.get(name);
          if (list) list.push({ value, index: c.v.index });
          else found.set(name, [{ value, index: c.v.index }]);
        }
      }
      if (found && found.size > 0) bindings = found;
    }
    const evidence: number[] = [];
    for (const c of selected) if (c.result!.status === 'pass') evidence.push(c.v.index);
    return {
      result: {
        rule: label,
        at,
        status,
        reason,
        message: `select ${a.select}: ${message}`,
        evidence,
        expected: { select: a.select, minCount: a.minCount },
        children,
      },
      bindings,
    };
  }

  /** Distinct attestations among `list`: distinctness matters only when more than one is required (duplicates count once). */
  distinctCount(a: CompiledAttestation, list: readonly Candidate[]): number {
    return a.minCount <= 1 ? Math.min(list.length, 1) : new Set(list.map((c) => this.distinctKey(c.v))).size;
  }

  /** True when one of the rule's authorities does not reject the view's signer. */
  trusts(a: CompiledAttestation, v: EvidenceView): boolean {
    let best: AuthorityCheck | undefined;
    for (const name of a.by) {
      const c = this.checkAuthority(name, v);
      if (!best || c.status === 'pass' || (best.status !== 'pass' && c.progress > best.progress)) best = c;
      if (c.status === 'pass') break;
    }
    return best !== undefined && best.status !== 'fail';
  }

  /** One attestation under a rule: its subject, limits, age and conditions. */
  candidate(a: CompiledAttestation, at: string, c: Candidate, maxAgeText: string): RuleResult {
    const v = c.v;
    // Sized up front: subject, limits note, age, conditions.
    const children: RuleResult[] = new Array(1 + (v.overLimit ? 1 : 0) + (a.maxAge ? 1 : 0) + a.conditions.length);
    let k = 0;
    children[k++] = c.subject;
    if (v.overLimit) children[k++] = node('limits', at, 'indeterminate', 'LIMIT_EXCEEDED', v.overLimit, { evidence: [v.index] });
    if (a.maxAge) children[k++] = this.maxAge(a, at, v, v.verifiedTimes[0], maxAgeText);
    if (a.conditions.length > 0) {
      const env = this.conditionEnv(v);
      for (const cond of a.conditions) children[k++] = evalCondition(cond, env, v.statement);
    }
    let st: Status = c.status;
    let bad: RuleResult | undefined;
    for (const r of children) {
      if (r.status === 'pass') continue;
      bad ??= r;
      st = and2(st, r.status);
    }
    return {
      rule: this.evidenceName(v),
      at,
      status: st,
      reason: st === 'pass' ? 'OK' : (bad?.reason ?? (c.status === 'indeterminate' ? 'LIMIT_EXCEEDED' : 'CONDITION_FAILED')),
      message: this.evidenceMessage(v),
      evidence: [v.index],
      children,
    };
  }

  maxAge(a: CompiledAttestation, at: string, v: EvidenceView, verifiedTime: bigint | undefined, durationText: string): RuleResult {
    const m = a.maxAge!;
    const where = `${at}/maxAge`;
    let t: bigint | undefined;
    let source: string;
    if (m.field) {
      const raw = resolvePointer(v.statement, m.field);
      if (raw === ABSENT || raw === null) return node('maxAge', where, 'fail', 'TIME_FIELD_MISSING', `the clock field ${m.fieldPointer} is absent`, { expected: m.fieldPointer });
      t = parseTimestamp(raw);
      if (t === undefined) return node('maxAge', where, 'fail', 'TYPE_MISMATCH', `the clock field ${m.fieldPointer} is not an RFC 3339 time`, { actual: preview(raw) });
      source = m.fieldPointer!;
    } else {
      if (verifiedTime === undefined) return node('maxAge', where, 'indeterminate', 'NO_VERIFIED_TIME', 'the attestation has no verified time');
      t = verifiedTime;
      source = 'earliest verified time';
    }
    const time = this.formatTime(t);
    if (t > this.now + this.policy.clockSkew) {
      return node('maxAge', where, 'fail', 'FUTURE_TIMESTAMP', `${source} ${time} is after now (${this.formatTime(this.now)}) beyond the allowed clock skew`, { actual: time });
    }
    const age = this.now - t;
    const expected = `age <= ${durationText}`;
    const actual = { time, age: formatDuration(age < 0n ? 0n : age) };
    if (age > m.duration) return { rule: 'maxAge', at: where, status: 'fail', reason: 'STALE', message: `${source} ${time} is older than ${durationText}`, expected, actual };
    return { rule: 'maxAge', at: where, status: 'pass', reason: 'OK', message: `${source} ${time} is within ${durationText}`, expected, actual };
  }

  equal(r: Extract<CompiledRule, { kind: 'equal' }>): RuleResult {
    const label = r.id ? `equal ${r.id}` : `equal ${r.refs.map((x) => `${x.rule}.${x.name}`).join(' = ')}`;
    const values: Record<string, unknown[]> = {};
    const statuses: Status[] = [];
    let missing: string | undefined;
    for (const ref of r.refs) {
      const rule = this.findAttestation(ref.rule);
      const out = this.attestation(rule.rule, rule.at);
      const key = `${ref.rule}.${ref.name}`;
      statuses.push(out.result.status);
      const vals = out.bindings.get(ref.name) ?? [];
      values[key] = vals.map((x) => preview(x.value));
      if (out.result.status === 'pass' && vals.length === 0) missing ??= key;
    }
    const upstream = and(statuses);
    if (upstream !== 'pass') {
      return node(label, r.at, upstream, upstream === 'fail' ? 'BINDING_UNAVAILABLE' : 'CHILD_INDETERMINATE', 'a bound attestation did not pass, so there is no value to compare', { actual: values });
    }
    if (missing) return node(label, r.at, 'fail', 'BINDING_MISSING', `${missing} is absent in the attestation(s) that passed`, { actual: values });
    const all = Object.values(values).flat();
    const first = all[0];
    const same = all.every((x) => jsonEqual(x, first));
    return same
      ? node(label, r.at, 'pass', 'OK', `all bound values equal ${JSON.stringify(first)}`, { actual: values })
      : node(label, r.at, 'fail', 'BINDING_MISMATCH', 'bound values differ across attestations', { expected: 'one value', actual: values });
  }

  findAttestation(id: string): { readonly rule: CompiledAttestation; readonly at: string } {
    const found = attestationsById(this.policy).get(id);
    if (!found) throw new Error(`attestation rule ${id} not found`); // unreachable: compile checks references
    return found;
  }
}

/** The binding key of {@link DEFAULT_SUBJECT_BINDING} (shared with rules that bind the same way). */
const DEFAULT_BINDING_KEY = subjectBindingKey(DEFAULT_SUBJECT_BINDING, '');

function validArtifacts(evidence: PolicyEvidence): { artifacts: ArtifactDigests[]; problem?: string } {
  const list = evidence.artifacts ?? [];
  if (!Array.isArray(list)) return { artifacts: [], problem: 'artifacts must be an array' };
  const out: ArtifactDigests[] = [];
  for (const [i, a] of list.entries()) {
    if (a === null || typeof a !== 'object' || a.digest === null || typeof a.digest !== 'object') return { artifacts: [], problem: `artifacts[${i}].digest must be an object` };
    const entries = Object.entries(a.digest);
    if (entries.length === 0 || entries.length > 32) return { artifacts: [], problem: `artifacts[${i}].digest must hold 1..32 algorithms` };
    for (const [alg, v] of entries) {
      if (typeof v !== 'string' || !wellFormedDigest(alg, v)) return { artifacts: [], problem: `artifacts[${i}].digest.${alg} is not a lower-case hex digest of the right length` };
    }
    out.push(a);
  }
  return { artifacts: out };
}

function scopeMatches(m: CompiledMatch, ref: string): Status {
  const spec = m.spec;
  if ('glob' in spec && spec.dialect === 'kyverno') return m.test(kyvernoName(ref) ?? ref);
  const normalized = ggcrName(ref);
  if (normalized === undefined) return m.test(ref);
  const r = m.test(normalized);
  // policy-controller falls back to the raw string when the normalized one fails.
  if (r !== 'pass' && 'glob' in spec && spec.dialect === 'policy-controller' && normalized !== ref) return or([r, m.test(ref)]);
  return r;
}

/**
 * Evaluates `policy` over verified evidence. Pure and synchronous.
 * Never throws for bad input: an invalid policy, evidence or `now` gives
 * a deny verdict whose status is indeterminate and whose reason says why.
 */
export function evaluate(policy: CompiledPolicy | PolicyDocument, evidence: PolicyEvidence, options: EvaluateOptions): Verdict {
  let compiled: CompiledPolicy;
  if (isCompiledPolicy(policy)) compiled = policy;
  else {
    const c = compilePolicy(policy);
    if (!c.ok) {
      const name = policy && typeof policy === 'object' && typeof (policy as { name?: unknown }).name === 'string' ? (policy as { name: string }).name : '(invalid)';
      return stop(name, 'enforce', '', node('policy', '', 'indeterminate', 'POLICY_INVALID', `the policy is invalid: ${c.problems.filter((p) => p.severity === 'error').map((p) => `${p.path || '/'}: ${p.message}`).slice(0, 5).join('; ')}`), c.problems, evidence);
    }
    compiled = c.policy;
  }
  const doc = compiled.document;
  const now = toNanos(options?.now);
  if (now === undefined) {
    return stop(doc.name, compiled.mode, '', node('evaluate', '', 'indeterminate', 'INVALID_ARGUMENT', 'options.now must be an RFC 3339 time, a Date or epoch milliseconds'), compiled.findings, evidence);
  }
  const limits: EffectiveLimits = options.limits ? { ...compiled.limits, ...options.limits } : compiled.limits;
  const nowText = formatTimestamp(now);
  if (evidence === null || typeof evidence !== 'object' || !Array.isArray(evidence.results)) {
    return stop(doc.name, compiled.mode, nowText, node('evidence', '', 'indeterminate', 'EVIDENCE_INVALID', 'evidence.results must be an array of verification results'), compiled.findings, evidence);
  }
  if (evidence.results.length > limits.maxEvidence) {
    return stop(doc.name, compiled.mode, nowText, node('evidence', '', 'indeterminate', 'LIMIT_EXCEEDED', `${evidence.results.length} evidence items exceed the limit of ${limits.maxEvidence}`, { expected: limits.maxEvidence, actual: evidence.results.length }), compiled.findings, evidence);
  }
  const av = validArtifacts(evidence);
  if (av.problem) return stop(doc.name, compiled.mode, nowText, node('evidence', '', 'indeterminate', 'EVIDENCE_INVALID', av.problem), compiled.findings, evidence);
  let artifacts = av.artifacts;

  // Scope: which artifacts this policy is about.
  const reference = typeof evidence.reference === 'string' ? evidence.reference : undefined;
  const normalizedReference = reference !== undefined ? ggcrName(reference) : undefined;
  const artifactInfo = { digests: artifacts.map((a) => a.digest), ...(reference !== undefined ? { reference } : {}), ...(normalizedReference ? { normalizedReference } : {}) };
  const scope = compiled.scope;
  if (scope && (scope.images || scope.requireDigest)) {
    if (reference === undefined) {
      return finish(compiled, nowText, node('scope', '/scope', 'indeterminate', 'ARTIFACT_UNKNOWN', 'the policy has a scope but no artifact reference was given'), [], artifactInfo);
    }
    if (scope.images) {
      const inc = or(scope.images.map((m) => scopeMatches(m, reference)));
      const exc = or(scope.exclude.map((m) => scopeMatches(m, reference)));
      const applies = scope.exclude.length ? and([inc, negate(exc)]) : inc;
      if (applies === 'indeterminate') return finish(compiled, nowText, node('scope', '/scope', 'indeterminate', 'LIMIT_EXCEEDED', 'scope match beyond the length limits'), [], artifactInfo);
      if (applies === 'fail') return notApplicable(compiled, nowText, reference, artifactInfo);
    }
    if (scope.requireDigest) {
      const parsed = parseImageReference(reference);
      if (!parsed?.digest) {
        return finish(compiled, nowText, node('scope', '/scope/requireDigest', 'fail', 'DIGEST_REQUIRED', `reference ${reference} has no digest; a tag can be repointed`, { actual: reference }), [], artifactInfo);
      }
      const [alg, hex] = parsed.digest.split(':') as [string, string];
      if (artifacts.length === 0) artifacts = [{ digest: { [alg]: hex } }];
      else if (!artifacts.some((a) => a.digest[alg] === hex)) {
        return finish(compiled, nowText, node('scope', '/scope/requireDigest', 'fail', 'SUBJECT_DIGEST_MISMATCH', `the reference digest ${parsed.digest} is not the artifact digest being evaluated`, { expected: parsed.digest, actual: artifacts.map((a) => a.digest) }), [], {
          ...artifactInfo,
        });
      }
    }
  }

  const views = evidence.results.map((r, i) => viewEvidence(r, i, limits));
  const ev = new Evaluation(compiled, views, artifacts, now, limits, options.plugins);
  const result = ev.rule(compiled.root);
  const summaries: EvidenceSummary[] = views.map((v) => {
    const usedBy = ev.usedByOf(v.index);
    const problems = v.overLimit ? [...v.problems, v.overLimit] : v.problems;
    return v.statement
      ? { index: v.index, kind: v.kind, signer: v.signerLabel, predicateType: v.statement.predicateType, usedBy, problems }
      : { index: v.index, kind: v.kind, signer: v.signerLabel, usedBy, problems };
  });
  return finish(compiled, nowText, result, summaries, { ...artifactInfo, digests: artifacts.map((a) => a.digest) });
}

function finish(p: CompiledPolicy, now: string, result: RuleResult, evidence: EvidenceSummary[], artifact: Verdict['artifact']): Verdict {
  const mode = p.mode;
  let decision: 'allow' | 'deny';
  let warnings: RuleResult[] = [];
  if (result.status === 'pass') decision = 'allow';
  else if (mode === 'warn' && result.status === 'fail') {
    // Warn mode admits failures but reports every one; indeterminate still denies.
    decision = 'allow';
    warnings = failingLeaves(result);
  } else decision = 'deny';
  return { decision, status: result.status, mode, enforced: mode !== 'audit', policy: p.document.name, evaluatedAt: now, result, warnings, findings: p.findings, evidence, artifact };
}

function notApplicable(p: CompiledPolicy, now: string, reference: string, artifact: Verdict['artifact']): Verdict {
  const result = node('scope', '/scope', 'fail', 'SCOPE_NO_MATCH', `the policy does not apply to ${reference} (noMatch: ${p.noMatch})`, { actual: artifact.normalizedReference ?? reference });
  const decision = p.noMatch === 'deny' ? 'deny' : 'allow';
  return {
    decision,
    status: 'not-applicable',
    mode: p.mode,
    enforced: p.mode !== 'audit',
    policy: p.document.name,
    evaluatedAt: now,
    result,
    warnings: p.noMatch === 'warn' ? [result] : [],
    findings: p.findings,
    evidence: [],
    artifact,
  };
}

function stop(name: string, mode: Verdict['mode'], now: string, result: RuleResult, findings: Verdict['findings'], evidence: PolicyEvidence): Verdict {
  const digests = evidence && typeof evidence === 'object' && Array.isArray(evidence.artifacts) ? evidence.artifacts.filter((a) => a && typeof a === 'object').map((a) => a.digest) : [];
  return { decision: 'deny', status: result.status, mode, enforced: mode !== 'audit', policy: name, evaluatedAt: now, result, warnings: [], findings, evidence: [], artifact: { digests } };
}
