/**
 * `evaluate(policy, evidence, { now })`: pure, synchronous and
 * deterministic. No crypto, no I/O, no clock but the `now` given; the same
 * inputs give the same verdict in a CLI, an admission webhook or a browser.
 * Evaluation never short-circuits, so every mode returns the full tree.
 * @module
 */
import { checkAuthority, type AuthorityCheck } from './authority.js';
import { compilePolicy, DEFAULT_BINDING_ORDINAL, isCompiledPolicy, type CompiledAttestation, type CompiledAuthority, type CompiledPolicy, type CompiledRule } from './compile.js';
import { jsonEqual, preview, type Budget, type ConditionEnv, type PluginEvaluator } from './conditions.js';
import type { PolicyDocument } from './document.js';
import { sameSignerKey, viewEvidence, type ArtifactDigests, type EffectiveLimits, type EvidenceView, type PolicyEvidence } from './evidence.js';
import { ggcrName, kyvernoName, parseImageReference } from './image-ref.js';
import { ABSENT, resolvePointer } from './json-pointer.js';
import { slotValue } from './path-slots.js';
import { bindSubjects, DEFAULT_SUBJECT_BINDING, wellFormedDigest, type SubjectBinding, type SubjectBindingOptions } from './subject-binding.js';
import { distinctKeyCount, firstEqualIndices } from './key-groups.js';
import { evidenceOf } from './shared-nodes.js';
import { formatDuration, formatTimestamp, parseTimestamp } from './time.js';
import { and, andOf, atLeast, negate, or, orOf, passCount, type Status } from './tri.js';
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

/** An attestation that a rule's authorities trust and that is about the artifact. */
interface Candidate {
  readonly v: EvidenceView;
  /** Trust and binding combined (indeterminate when either is). */
  readonly status: Status;
  /** Its subject binding (status as the rule sees it: see {@link subjectNode}). */
  readonly binding: SubjectBinding;
  readonly bindingStatus: Status;
  /** Its node under the rule, once evaluated. */
  result: RuleResult | undefined;
}

/** The `subject` node of an attestation under a rule (built only for the attestations the verdict shows). */
function subjectNode(a: CompiledAttestation, v: EvidenceView, b: SubjectBinding, status: Status): RuleResult {
  return {
    rule: 'subject',
    at: a.subjectAt,
    status,
    reason: status === b.status ? b.reason : 'LIMIT_EXCEEDED',
    message: status === b.status ? b.message : `${v.overLimit}; ${b.message}`,
    evidence: evidenceOf(v.index),
  };
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
  /**
   * Which rules accepted each view: a bit per location rank (see
   * CompiledPolicy `locations`), `words` 32-bit words per view.
   */
  readonly used: number[];
  readonly words: number;
  /** Attestation views, in evidence order, and by predicate type. */
  readonly attestations: EvidenceView[] = [];
  readonly invalid: EvidenceView[] = [];
  readonly byType = new Map<string, EvidenceView[]>();
  /** Per authority ordinal (and per binding ordinal): the outcome for each view index, decided once. */
  readonly authorityChecks: ((AuthorityCheck | undefined)[] | undefined)[] = [];
  readonly bindings: ((SubjectBinding | undefined)[] | undefined)[] = [];
  readonly distinctKeys: (string | undefined)[];
  /** Per view: the first view with the same signer (see {@link signerGroups}). */
  private signerGroupIds: readonly number[] | undefined;
  /** Per view: the `evidence #i` node's name and message. */
  readonly evidenceNames: (string | undefined)[];
  readonly evidenceMessages: (string | undefined)[];
  /** Per view: what its conditions read (the statement path values they resolved are cached in it). */
  readonly envs: (ConditionEnv | undefined)[];
  readonly times = new Map<bigint, string>();
  /** The step budget of the condition being evaluated (reset for each one). */
  readonly budget: Budget = { steps: 0 };
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
    this.words = (policy.locations.length + 31) >>> 5;
    // A plain array: allocating a typed array costs more than this one is ever used for.
    this.used = new Array(n * this.words).fill(0);
    this.distinctKeys = new Array(n);
    this.evidenceNames = new Array(n);
    this.evidenceMessages = new Array(n);
    this.envs = new Array(n);
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

  checkAuthority(a: CompiledAuthority, v: EvidenceView): AuthorityCheck {
    const list = (this.authorityChecks[a.ordinal] ??= new Array(this.views.length));
    return (list[v.index] ??= checkAuthority(a, v));
  }

  /**
   * The outcome of the first of `authorities` that accepts the view's
   * signer, else of the one that got closest (undefined when there are none).
   */
  bestCheck(authorities: readonly CompiledAuthority[], v: EvidenceView): AuthorityCheck | undefined {
    let best: AuthorityCheck | undefined;
    for (const a of authorities) {
      const c = this.checkAuthority(a, v);
      if (c.status === 'pass') return c;
      if (!best || c.progress > best.progress) best = c;
    }
    return best;
  }

  /** The binding of an attestation view under a rule's options (`ordinal`: see CompiledAttestation). */
  bind(v: EvidenceView, opts: SubjectBindingOptions, ordinal: number): SubjectBinding {
    const list = (this.bindings[ordinal] ??= new Array(this.views.length));
    return (list[v.index] ??= bindSubjects(v.statement!, this.artifacts, opts));
  }

  /** Per view index: the index of the first view with the same signer (distinct-signer counting). */
  signerGroups(): readonly number[] {
    const views = this.views;
    return (this.signerGroupIds ??= firstEqualIndices(
      views.length,
      (i) => views[i]!.signerKey,
      (i, j) => sameSignerKey(views[i]!, views[j]!),
    ));
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
        // Sized for every slot up front: grown one resolved path at a time, it would be copied over and over.
        values: new Array(this.policy.slots.parent.length),
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

  /** Records that the rule whose location has `rank` (see CompiledPolicy `locations`) accepted view `index`. */
  use(index: number, rank: number): void {
    const w = index * this.words + (rank >>> 5);
    this.used[w] = this.used[w]! | (1 << (rank & 31));
  }

  /** The sorted, distinct rule locations that accepted a view. */
  usedByOf(index: number): string[] {
    const sorted = this.policy.locations;
    const out: string[] = [];
    const base = index * this.words;
    for (let w = 0; w < this.words; w++) {
      // The set bits, lowest (first in sorted order) first.
      for (let m = this.used[base + w]!; m !== 0; ) {
        const low = m & -m;
        out.push(sorted[(w << 5) + 31 - Math.clz32(low)]!);
        m ^= low;
      }
    }
    return out;
  }

  rule(r: CompiledRule): RuleResult {
    switch (r.kind) {
      case 'allOf':
      case 'anyOf': {
        const children = r.children.map((c) => this.rule(c));
        const status = r.kind === 'allOf' ? andOf(children) : orOf(children);
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
        return this.attestation(r.rule).result;
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
      return this.bind(v, DEFAULT_SUBJECT_BINDING, DEFAULT_BINDING_ORDINAL).status === 'pass';
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
    const rank = this.policy.locationRanks.get(r.at)!;
    const candidates: EvidenceView[] = [];
    for (const v of this.views) if (v.kind !== 'invalid' && this.bindsArtifact(v, r.include)) candidates.push(v);
    // Signers by group (see signerGroups): numbers, cheaper to key by than the fresh signer-key strings.
    const groups = this.signerGroups();
    const passing = new Map<number, number[]>();
    const maybe = new Set<number>();
    let closest: AuthorityCheck | undefined;
    for (const v of candidates) {
      const best = this.bestCheck(signing, v);
      if (!best) continue;
      const status: Status = best.status === 'pass' && v.overLimit ? 'indeterminate' : best.status;
      const group = groups[v.index]!;
      if (status === 'pass') {
        const list = passing.get(group);
        if (list) list.push(v.index);
        else passing.set(group, [v.index]);
        this.use(v.index, rank);
      } else if (status === 'indeterminate') maybe.add(group);
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

  attestation(a: CompiledAttestation): AttestationOutcome {
    const memo = this.attestationMemo[a.ordinal];
    if (memo) return memo;
    const out = this.attestationUncached(a);
    this.attestationMemo[a.ordinal] = out;
    return out;
  }

  attestationUncached(a: CompiledAttestation): AttestationOutcome {
    const label = a.label;
    const at = a.at;
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
    const bound: Candidate[] = [];
    let firstUnbound: RuleResult | undefined;
    let trustedCount = 0;
    let closest: AuthorityCheck | undefined;
    for (const v of typed) {
      const best = this.bestCheck(a.authorities, v);
      if (!best || best.status === 'fail') {
        if (best && (!closest || best.progress > closest.progress)) closest = best;
        continue;
      }
      trustedCount++;
      const b = this.bind(v, a.binding, a.bindingOrdinal);
      // Evidence over a limit was only partly read: a failed binding is undecided, not a fail.
      const bs: Status = b.status === 'fail' && v.overLimit ? 'indeterminate' : b.status;
      if (bs === 'fail') firstUnbound ??= subjectNode(a, v, b, bs);
      else bound.push({ v, status: and2(best.status, bs), binding: b, bindingStatus: bs, result: undefined });
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
      const first = firstUnbound!;
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
    const children: RuleResult[] = new Array(candidates.length);
    let passed = 0;
    let undecided = 0;
    for (let k = 0; k < candidates.length; k++) {
      const c = candidates[k]!;
      const r = this.candidate(a, c);
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
      const rank = this.policy.attestationRanks[a.ordinal]!;
      for (const c of selected) {
        this.use(c.v.index, rank);
        if (!found) continue;
        const env = this.conditionEnv(c.v);
        for (const [name, b] of a.bind) {
          const value = b.slot < 0 ? env.statement : slotValue(this.policy.slots, env.values, env.statement, b.slot);
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
        expected: a.expected,
        children,
      },
      bindings,
    };
  }

  /** Distinct attestations among `list`: distinctness matters only when more than one is required (duplicates count once). */
  distinctCount(a: CompiledAttestation, list: readonly Candidate[]): number {
    return a.minCount <= 1 ? Math.min(list.length, 1) : distinctKeyCount(list.length, (i) => this.distinctKey(list[i]!.v));
  }

  /** True when one of the rule's authorities does not reject the view's signer. */
  trusts(a: CompiledAttestation, v: EvidenceView): boolean {
    const best = this.bestCheck(a.authorities, v);
    return best !== undefined && best.status !== 'fail';
  }

  /** One attestation under a rule: its subject, limits, age and conditions. */
  candidate(a: CompiledAttestation, c: Candidate): RuleResult {
    const at = a.at;
    const v = c.v;
    // Sized up front: subject, limits note, age, conditions.
    const children: RuleResult[] = new Array(1 + (v.overLimit ? 1 : 0) + (a.maxAge ? 1 : 0) + a.conditions.length);
    let k = 0;
    children[k++] = subjectNode(a, v, c.binding, c.bindingStatus);
    if (v.overLimit) children[k++] = node('limits', at, 'indeterminate', 'LIMIT_EXCEEDED', v.overLimit, { evidence: evidenceOf(v.index) });
    if (a.maxAge) children[k++] = this.maxAge(a.maxAge, v);
    if (a.conditions.length > 0) {
      const env = this.conditionEnv(v);
      const budget = this.budget;
      for (const fn of a.conditionNodes) {
        // Each top-level condition has a budget of its own.
        budget.steps = 0;
        children[k++] = fn(env, v.statement, budget);
      }
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
      evidence: evidenceOf(v.index),
      children,
    };
  }

  /** The age of one attestation under a rule's maxAge. */
  maxAge(m: NonNullable<CompiledAttestation['maxAge']>, v: EvidenceView): RuleResult {
    const where = m.at;
    let t: bigint | undefined;
    let source: string;
    if (m.field) {
      const raw = resolvePointer(v.statement, m.field);
      if (raw === ABSENT || raw === null) return node('maxAge', where, 'fail', 'TIME_FIELD_MISSING', `the clock field ${m.fieldPointer} is absent`, { expected: m.fieldPointer });
      t = parseTimestamp(raw);
      if (t === undefined) return node('maxAge', where, 'fail', 'TYPE_MISMATCH', `the clock field ${m.fieldPointer} is not an RFC 3339 time`, { actual: preview(raw) });
      source = m.fieldPointer!;
    } else {
      t = v.verifiedTimes[0];
      if (t === undefined) return node('maxAge', where, 'indeterminate', 'NO_VERIFIED_TIME', 'the attestation has no verified time');
      source = 'earliest verified time';
    }
    const time = this.formatTime(t);
    if (t > this.now + this.policy.clockSkew) {
      return node('maxAge', where, 'fail', 'FUTURE_TIMESTAMP', `${source} ${time} is after now (${this.formatTime(this.now)}) beyond the allowed clock skew`, { actual: time });
    }
    const age = this.now - t;
    const expected = m.expected;
    const actual = { time, age: formatDuration(age < 0n ? 0n : age) };
    if (age > m.duration) return { rule: 'maxAge', at: where, status: 'fail', reason: 'STALE', message: `${source} ${time} is older than ${m.durationText}`, expected, actual };
    return { rule: 'maxAge', at: where, status: 'pass', reason: 'OK', message: `${source} ${time} is within ${m.durationText}`, expected, actual };
  }

  equal(r: Extract<CompiledRule, { kind: 'equal' }>): RuleResult {
    const label = r.label;
    const values: Record<string, unknown[]> = {};
    const statuses: Status[] = [];
    let missing: string | undefined;
    for (const ref of r.refs) {
      // Compilation checked that every reference names an attestation rule.
      const out = this.attestation(this.policy.attestationsById.get(ref.rule)!);
      const key = ref.key;
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
    // Every value against the first, in the order the keys list them (a repeated reference counts once).
    let first: unknown;
    let count = 0;
    let same = true;
    for (const key of Object.keys(values)) {
      for (const x of values[key]!) {
        if (count++ === 0) first = x;
        else if (same && !jsonEqual(x, first)) same = false;
      }
    }
    return same
      ? { rule: label, at: r.at, status: 'pass', reason: 'OK', message: `all bound values equal ${JSON.stringify(first)}`, actual: values }
      : node(label, r.at, 'fail', 'BINDING_MISMATCH', 'bound values differ across attestations', { expected: 'one value', actual: values });
  }
}

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
  const artifactInfo = artifactSummary(artifacts, reference, normalizedReference);
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
  return finish(compiled, nowText, result, summaries, artifactSummary(artifacts, reference, normalizedReference));
}

/** The verdict's `artifact`: the digests evaluated, and the reference as given and normalized when there is one. */
function artifactSummary(artifacts: readonly ArtifactDigests[], reference: string | undefined, normalizedReference: string | undefined): Verdict['artifact'] {
  const digests = artifacts.map((a) => a.digest);
  if (reference === undefined) return { digests };
  return normalizedReference ? { digests, reference, normalizedReference } : { digests, reference };
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
