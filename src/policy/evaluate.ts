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
import { bindSubjects, wellFormedDigest } from './subject-binding.js';
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

function formatDuration(ns: bigint): string {
  let s = ns / 1_000_000_000n;
  const neg = s < 0n;
  if (neg) s = -s;
  const d = s / 86400n;
  const h = (s % 86400n) / 3600n;
  const m = (s % 3600n) / 60n;
  const sec = s % 60n;
  const t = `${h > 0n ? `${h}H` : ''}${m > 0n ? `${m}M` : ''}${sec > 0n ? `${sec}S` : ''}`;
  return `${neg ? '-' : ''}P${d > 0n ? `${d}D` : ''}${t ? `T${t}` : d > 0n ? '' : 'T0S'}`;
}

interface AttestationOutcome {
  readonly result: RuleResult;
  /** Bound values of the attestations that satisfied the rule. */
  readonly bindings: ReadonlyMap<string, readonly { readonly value: unknown; readonly index: number }[]>;
}

class Evaluation {
  readonly attestationMemo = new Map<string, AttestationOutcome>();
  readonly ruleMemo = new Map<string, RuleResult>();
  readonly usedBy = new Map<number, Set<string>>();
  /** Per-evaluation caches: each (authority, evidence) and (subject options, evidence) pair is decided once. */
  readonly authorityCache = new Map<string, AuthorityCheck>();
  readonly bindingCache = new Map<string, ReturnType<typeof bindSubjects>>();
  readonly distinctKeys = new Map<number, string>();

  checkAuthority(name: string, v: EvidenceView): AuthorityCheck {
    const key = `${name}\u0000${v.index}`;
    let c = this.authorityCache.get(key);
    if (!c) {
      c = checkAuthority(this.policy.authorities.get(name)!, v);
      this.authorityCache.set(key, c);
    }
    return c;
  }

  bind(v: EvidenceView, opts: Parameters<typeof bindSubjects>[2], optsKey: string): ReturnType<typeof bindSubjects> {
    const key = `${optsKey}\u0000${v.index}`;
    let b = this.bindingCache.get(key);
    if (!b) {
      b = bindSubjects(v.statement!, this.artifacts, opts);
      this.bindingCache.set(key, b);
    }
    return b;
  }

  /** Identity of an attestation for distinct counting: signer plus statement content. */
  distinctKey(v: EvidenceView): string {
    let k = this.distinctKeys.get(v.index);
    if (k === undefined) {
      // The same log entry is the same signed envelope (a duplicated bundle); without one, compare content.
      k = v.entryKey !== '' ? `${v.signerKey}\n${v.entryKey}` : `${v.signerKey}\n${JSON.stringify(v.statement, (_k, x) => (typeof x === 'bigint' ? x.toString() : x))}`;
      this.distinctKeys.set(v.index, k);
    }
    return k;
  }

  constructor(
    readonly policy: CompiledPolicy,
    readonly views: readonly EvidenceView[],
    readonly artifacts: readonly ArtifactDigests[],
    readonly now: bigint,
    readonly limits: EffectiveLimits,
    readonly plugins: EvaluateOptions['plugins'],
  ) {}

  use(index: number, at: string): void {
    let s = this.usedBy.get(index);
    if (!s) this.usedBy.set(index, (s = new Set()));
    s.add(at);
  }

  rule(r: CompiledRule): RuleResult {
    switch (r.kind) {
      case 'allOf':
      case 'anyOf': {
        const children = r.children.map((c) => this.rule(c));
        const status = r.kind === 'allOf' ? and(children.map((c) => c.status)) : or(children.map((c) => c.status));
        const reason = status === 'pass' ? 'OK' : status === 'fail' ? 'CHILD_FAILED' : 'CHILD_INDETERMINATE';
        const passed = children.filter((c) => c.status === 'pass').length;
        return node(r.id ? `${r.kind} ${r.id}` : r.kind, r.at, status, reason, `${passed} of ${children.length} passed; ${r.kind === 'allOf' ? 'all' : 'one'} required`, { children });
      }
      case 'atLeast': {
        const children = r.children.map((c) => this.rule(c));
        const status = atLeast(r.k, children.map((c) => c.status));
        const passed = children.filter((c) => c.status === 'pass').length;
        return node(r.id ? `atLeast ${r.id}` : 'atLeast', r.at, status, status === 'pass' ? 'OK' : status === 'fail' ? 'THRESHOLD_NOT_MET' : 'CHILD_INDETERMINATE', `${passed} of ${children.length} passed; at least ${r.k} required`, {
          expected: r.k,
          actual: passed,
          children,
        });
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
      return this.bind(v, { algorithms: ['sha256', 'sha384', 'sha512'], name: undefined, requireAll: false, allAlgorithms: false }, 'default').status === 'pass';
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
    const signing = auths.filter((a) => a.kind !== 'static');
    if (signing.length === 0) {
      const a = statics[0]!;
      return node(label, r.at, 'fail', 'STATIC_FAIL', a.kind === 'static' && a.message ? a.message : `static authority ${a.name} fails`);
    }
    if (this.artifacts.length === 0) return node(label, r.at, 'indeterminate', 'ARTIFACT_UNKNOWN', 'no artifact digest was given, so no signature can be bound to it');
    const candidates = this.views.filter((v) => v.kind !== 'invalid' && this.bindsArtifact(v, r.include));
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
        passing.set(v.signerKey, [...(passing.get(v.signerKey) ?? []), v.index]);
        this.use(v.index, r.at);
      } else if (status === 'indeterminate') maybe.add(v.signerKey);
      else if (!closest || best.progress > closest.progress) closest = best;
    }
    const distinct = passing.size;
    const undecided = [...maybe].filter((k) => !passing.has(k)).length;
    const evidence = [...passing.values()].flat();
    const seen = { identities: [...new Set(candidates.map((v) => v.signerLabel))] };
    if (distinct >= r.distinct) {
      return node(label, r.at, 'pass', 'OK', `${distinct} distinct signer(s) of ${r.authorities.join(', ')}; ${r.distinct} required`, { evidence, expected: r.distinct, actual: distinct });
    }
    if (distinct + undecided >= r.distinct) {
      return node(label, r.at, 'indeterminate', 'LIMIT_EXCEEDED', `${distinct} distinct signer(s) decided, ${undecided} undecided (limits); ${r.distinct} required`, { evidence, seen });
    }
    if (candidates.length === 0) {
      return node(label, r.at, 'fail', 'NO_SIGNATURE', `no ${r.include === 'signatures' ? 'signature' : r.include === 'attestations' ? 'attestation' : 'signature or attestation'} over the artifact`, {
        seen: { identities: [...new Set(this.views.filter((v) => v.kind !== 'invalid').map((v) => v.signerLabel))] },
      });
    }
    if (distinct > 0) {
      return node(label, r.at, 'fail', 'THRESHOLD_NOT_MET', `${distinct} distinct signer(s); ${r.distinct} required (the same identity or key counts once)`, { evidence, expected: r.distinct, actual: distinct, seen });
    }
    return node(label, r.at, 'fail', closest?.reason ?? 'NO_SIGNATURE', closest?.message ?? 'no signature by the authorities', { expected: closest?.expected, actual: closest?.actual, seen });
  }

  attestation(a: CompiledAttestation, at: string): AttestationOutcome {
    const memo = this.attestationMemo.get(a.id);
    if (memo) return memo;
    const out = this.attestationUncached(a, at);
    this.attestationMemo.set(a.id, out);
    return out;
  }

  attestationUncached(a: CompiledAttestation, at: string): AttestationOutcome {
    const label = `attestation ${a.id}`;
    const empty = new Map<string, { value: unknown; index: number }[]>();
    const done = (result: RuleResult, bindings = empty): AttestationOutcome => ({ result, bindings });
    if (this.artifacts.length === 0) return done(node(label, at, 'indeterminate', 'ARTIFACT_UNKNOWN', 'no artifact digest was given, so no attestation can be bound to it'));

    const attestations = this.views.filter((v) => v.kind === 'attestation');
    const typed = attestations.filter((v) => a.predicateTypes.includes(v.statement!.predicateType));
    if (typed.length === 0) {
      // Zero attestations of the type is a failure, never a vacuous pass.
      const invalid = this.views.filter((v) => v.kind === 'invalid');
      return done(
        node(label, at, 'fail', 'NO_ATTESTATION_OF_TYPE', `no verified attestation of type ${a.predicateTypes.join(' or ')}${invalid.length ? ` (${invalid.length} evidence item(s) were invalid: ${invalid.flatMap((v) => v.problems).slice(0, 3).join('; ')})` : ''}`, {
          expected: { predicateTypes: a.predicateTypes },
          seen: { predicateTypes: [...new Set(attestations.map((v) => v.statement!.predicateType))] },
        }),
      );
    }

    // Who signed them.
    const trusted: { v: EvidenceView; status: Status }[] = [];
    let closest: AuthorityCheck | undefined;
    for (const v of typed) {
      let best: AuthorityCheck | undefined;
      for (const name of a.by) {
        const c = this.checkAuthority(name, v);
        if (!best || c.status === 'pass' || (best.status !== 'pass' && c.progress > best.progress)) best = c;
        if (c.status === 'pass') break;
      }
      if (best && best.status !== 'fail') trusted.push({ v, status: best.status });
      else if (best && (!closest || best.progress > closest.progress)) closest = best;
    }
    if (trusted.length === 0) {
      return done(
        node(label, at, 'fail', closest?.reason ?? 'NO_TRUSTED_ATTESTATION', `${typed.length} attestation(s) of the type, none signed by ${a.by.join(' or ')}${closest ? `: ${closest.message}` : ''}`, {
          expected: closest?.expected ?? { authorities: a.by },
          actual: closest?.actual,
          seen: { identities: [...new Set(typed.map((v) => v.signerLabel))] },
        }),
      );
    }

    // About this artifact.
    const bound: { v: EvidenceView; status: Status; subject: RuleResult }[] = [];
    const unbound: RuleResult[] = [];
    for (const t of trusted) {
      const optsKey = a.subjectName ? `rule:${a.id}` : `${a.digestAlgorithms.join(',')}|${a.requireAllArtifactDigests}|${a.allDigestAlgorithms}`;
      const b = this.bind(t.v, { algorithms: a.digestAlgorithms, name: a.subjectName, requireAll: a.requireAllArtifactDigests, allAlgorithms: a.allDigestAlgorithms }, optsKey);
      // Evidence over a limit was only partly read: a failed binding is undecided, not a fail.
      const bs: Status = b.status === 'fail' && t.v.overLimit ? 'indeterminate' : b.status;
      const sr = node('subject', `${at}/subject`, bs, bs === b.status ? b.reason : 'LIMIT_EXCEEDED', bs === b.status ? b.message : `${t.v.overLimit}; ${b.message}`, { evidence: [t.v.index] });
      if (bs === 'fail') unbound.push(sr);
      else bound.push({ v: t.v, status: and([t.status, bs]), subject: sr });
    }
    if (bound.length === 0) {
      const first = unbound[0]!;
      return done(
        node(label, at, 'fail', first.reason, `${trusted.length} trusted attestation(s), none about this artifact: ${first.message}`, {
          expected: { artifacts: this.artifacts.map((x) => x.digest), algorithms: a.digestAlgorithms, ...(a.subjectName ? { name: a.subjectName.spec } : {}) },
          actual: { subjects: trusted.flatMap((t) => t.v.statement!.subject.map((s) => ({ name: s.name, digest: s.digest }))).slice(0, 20) },
          seen: { subjects: [...new Set(trusted.flatMap((t) => t.v.statement!.subject.map((s) => s.name)))].slice(0, 20) },
        }),
      );
    }

    // Each candidate on its own: age, then conditions.
    // newest: only the newest (by earliest verified time; ties all count) is evaluated.
    let candidates = bound;
    let older = 0;
    if (a.select === 'newest' && bound.every((b) => b.v.verifiedTimes.length > 0)) {
      const newest = bound.reduce((m, b) => (b.v.verifiedTimes[0]! > m ? b.v.verifiedTimes[0]! : m), -1n);
      candidates = bound.filter((b) => b.v.verifiedTimes[0] === newest);
      older = bound.length - candidates.length;
    }
    const perAttestation = candidates.map(({ v, status, subject }) => {
      const children: RuleResult[] = [subject];
      if (v.overLimit) children.push(node('limits', at, 'indeterminate', 'LIMIT_EXCEEDED', v.overLimit, { evidence: [v.index] }));
      const verifiedTime = v.verifiedTimes[0];
      if (a.maxAge) children.push(this.maxAge(a, at, v, verifiedTime));
      const env: ConditionEnv = {
        statement: v.statement!,
        signer: v.signer,
        verifiedTime,
        now: this.now,
        clockSkew: this.policy.clockSkew,
        maxArrayItems: this.limits.maxArrayItems,
        plugins: this.plugins,
      };
      for (const c of a.conditions) children.push(evalCondition(c, env, v.statement));
      const st = and([status, ...children.map((c) => c.status)]);
      const bad = children.find((c) => c.status !== 'pass');
      return {
        v,
        result: node(`evidence #${v.index}`, at, st, st === 'pass' ? 'OK' : (bad?.reason ?? (status === 'indeterminate' ? 'LIMIT_EXCEEDED' : 'CONDITION_FAILED')), `${v.statement!.predicateType} signed by ${v.signerLabel}`, {
          evidence: [v.index],
          children,
        }),
      };
    });

    // The quantifier.
    let selected = perAttestation;
    let status: Status;
    let message: string;
    const passing = () => selected.filter((p) => p.result.status === 'pass');
    // Distinctness matters only when more than one is required (duplicates count once).
    const distinctCount = (list: typeof perAttestation) => (a.minCount <= 1 ? Math.min(list.length, 1) : new Set(list.map((p) => this.distinctKey(p.v))).size);
    if (a.select === 'newest') {
      if (perAttestation.some((p) => p.v.verifiedTimes.length === 0)) {
        status = 'indeterminate';
        message = 'an attestation has no verified time, so the newest cannot be chosen';
      } else {
        const newestTime = perAttestation.reduce((m, p) => (p.v.verifiedTimes[0]! > m ? p.v.verifiedTimes[0]! : m), -1n);
        // Ties (same verified time) must all pass: evidence order never decides.
        selected = perAttestation.filter((p) => p.v.verifiedTimes[0] === newestTime);
        status = and(selected.map((p) => p.result.status));
        message = `newest by verified time (${formatTimestamp(newestTime)})${selected.length > 1 ? `, ${selected.length} tied` : ''}${older > 0 ? `; ${older} older not considered` : ''}`;
      }
    } else if (a.select === 'any') {
      const n = distinctCount(passing());
      const maybe = distinctCount(perAttestation.filter((p) => p.result.status === 'indeterminate'));
      status = n >= a.minCount ? 'pass' : n + maybe >= a.minCount ? 'indeterminate' : 'fail';
      message = `${n} distinct passing attestation(s) of ${perAttestation.length}; ${a.minCount} required`;
      if (status === 'pass') selected = passing();
    } else {
      status = and(perAttestation.map((p) => p.result.status));
      const n = distinctCount(perAttestation);
      if (status === 'pass' && n < a.minCount) status = 'fail';
      message = `${passing().length} of ${perAttestation.length} attestation(s) pass; all must${a.minCount > 1 ? ` (at least ${a.minCount})` : ''}`;
    }
    const children = perAttestation.map((p) => p.result);
    const firstBad = (selected.find((p) => p.result.status !== 'pass') ?? perAttestation.find((p) => p.result.status !== 'pass'))?.result;
    const reason = status === 'pass' ? 'OK' : firstBad?.reason ?? (a.minCount > 1 ? 'THRESHOLD_NOT_MET' : 'QUANTIFIER_NOT_MET');
    const bindings = new Map<string, { value: unknown; index: number }[]>();
    if (status === 'pass') {
      for (const p of selected) {
        this.use(p.v.index, at);
        for (const [name, b] of a.bind) {
          const value = resolvePointer(p.v.statement, b.tokens);
          if (value === ABSENT || value === null) continue;
          bindings.set(name, [...(bindings.get(name) ?? []), { value, index: p.v.index }]);
        }
      }
    }
    return done(
      node(label, at, status, reason, `select ${a.select}: ${message}`, {
        evidence: selected.filter((p) => p.result.status === 'pass').map((p) => p.v.index),
        expected: { select: a.select, minCount: a.minCount },
        children,
      }),
      bindings,
    );
  }

  maxAge(a: CompiledAttestation, at: string, v: EvidenceView, verifiedTime: bigint | undefined): RuleResult {
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
    if (t > this.now + this.policy.clockSkew) {
      return node('maxAge', where, 'fail', 'FUTURE_TIMESTAMP', `${source} ${formatTimestamp(t)} is after now (${formatTimestamp(this.now)}) beyond the allowed clock skew`, { actual: formatTimestamp(t) });
    }
    const age = this.now - t;
    const expected = `age <= ${formatDuration(m.duration)}`;
    const actual = { time: formatTimestamp(t), age: formatDuration(age < 0n ? 0n : age) };
    if (age > m.duration) return node('maxAge', where, 'fail', 'STALE', `${source} ${formatTimestamp(t)} is older than ${formatDuration(m.duration)}`, { expected, actual });
    return node('maxAge', where, 'pass', 'OK', `${source} ${formatTimestamp(t)} is within ${formatDuration(m.duration)}`, { expected, actual });
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

  findAttestation(id: string): { rule: CompiledAttestation; at: string } {
    const stack: CompiledRule[] = [this.policy.root, ...this.policy.rules.values()];
    const seen = new Set<CompiledRule>();
    while (stack.length > 0) {
      const r = stack.pop()!;
      if (seen.has(r)) continue;
      seen.add(r);
      if (r.kind === 'attestation' && r.rule.id === id) return { rule: r.rule, at: r.at };
      if (r.kind === 'allOf' || r.kind === 'anyOf' || r.kind === 'atLeast') stack.push(...r.children);
      else if (r.kind === 'not') stack.push(r.child);
    }
    throw new Error(`attestation rule ${id} not found`); // unreachable: compile checks references
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
  const limits: EffectiveLimits = { ...compiled.limits, ...(options.limits ?? {}) };
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
  const summaries: EvidenceSummary[] = views.map((v) => ({
    index: v.index,
    kind: v.kind,
    signer: v.signerLabel,
    ...(v.statement ? { predicateType: v.statement.predicateType } : {}),
    usedBy: [...(ev.usedBy.get(v.index) ?? [])].sort(),
    problems: v.overLimit ? [...v.problems, v.overLimit] : v.problems,
  }));
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
