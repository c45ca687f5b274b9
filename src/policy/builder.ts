/**
 * A typed builder for policy documents. It only assembles plain JSON:
 * `toJSON()` returns exactly the document the JSON Schema describes, with
 * no functions inside. Path selectors (`p => p.predicate.x`) are run once,
 * at build time, on a recording proxy and stored as JSON Pointers.
 * @module
 */
import {
  POLICY_API_VERSION,
  type AttestationRule,
  type Authority,
  type CompareAs,
  type Condition,
  type GlobDialect,
  type Identity,
  type Json,
  type JsonPointer,
  type Limits,
  type PolicyDocument,
  type PredicateFamily,
  type PredicateTypeSelector,
  type Rule,
  type Scope,
  type SlsaCheck,
  type StringMatch,
  type SubjectCheck,
  type TimeValue,
  type VsaCheck,
  type VulnCheck,
} from './document.js';
import { formatPointer } from './json-pointer.js';
import { SigvetError } from '../errors.js';
import { requireFunction, requireObject } from '../arguments.js';

/** Builder options must be an object (checked after the default applies). */
function requireOptions(options: unknown, fn: string): void {
  requireObject(options, fn, 'options', 'policy.builder');
}

/** Removes undefined members, recursively, so the output is plain JSON. */
function clean<T>(v: T): T {
  if (Array.isArray(v)) return v.map(clean) as T;
  if (v !== null && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) o[k] = clean(x);
    return o as T;
  }
  return v;
}

// ---- string matchers ----

/** Matches exactly `s`. */
export const exact = (s: string): StringMatch => ({ exact: s });
/** Matches strings starting with `s`. */
export const prefix = (s: string): StringMatch => ({ prefix: s });
/** Matches strings ending with `s`. */
export const suffix = (s: string): StringMatch => ({ suffix: s });
/** A glob in an explicit dialect. */
export const glob = (pattern: string, dialect: GlobDialect): StringMatch => ({ glob: pattern, dialect });
/** An RE2 regex matched against the whole string. */
export const regex = (pattern: string, options: { ignoreCase?: boolean } = {}): StringMatch => {
  requireOptions(options, 'regex');
  return clean({ regex: pattern, ignoreCase: options.ignoreCase });
};
/** Any of several matchers. */
export const oneOf = (...matchers: StringMatch[]): StringMatch => ({ anyOf: matchers });

// ---- authorities ----

/** A keyless identity: issuer AND subject. */
export function identity(issuer: StringMatch, subject: StringMatch, more: { extensions?: Identity['extensions']; oids?: Identity['oids'] } = {}): Identity {
  return clean({ issuer, subject, extensions: more.extensions, oids: more.oids });
}

/** A keyless authority trusting any of `identities`. */
export function keyless(identities: Identity | readonly Identity[], options: { tlog?: number; timestamps?: number; requireSct?: boolean } = {}): Authority {
  requireOptions(options, 'keyless');
  const list = Array.isArray(identities) ? identities : [identities as Identity];
  return clean({
    kind: 'keyless' as const,
    identities: list,
    tlog: options.tlog !== undefined ? { min: options.tlog } : undefined,
    timestamps: options.timestamps !== undefined ? { min: options.timestamps } : undefined,
    requireSct: options.requireSct,
  });
}

/** A managed-key authority. */
export function key(keys: readonly { id?: string; pem?: string }[], options: { tlog?: number; timestamps?: number } = {}): Authority {
  requireOptions(options, 'key');
  return clean({
    kind: 'key' as const,
    keys,
    tlog: options.tlog !== undefined ? { min: options.tlog } : undefined,
    timestamps: options.timestamps !== undefined ? { min: options.timestamps } : undefined,
  });
}

/** A static authority. */
export const staticAuthority = (decision: 'pass' | 'fail', message?: string): Authority => clean({ kind: 'static' as const, decision, message });

// ---- rules ----

/** Something usable as a rule. */
export type RuleLike = Rule | AttestationBuilder;

function toRule(r: RuleLike): Rule {
  return r instanceof AttestationBuilder ? r.toRule() : r;
}

/** All must pass. */
export const allOf = (...rules: RuleLike[]): Rule => ({ allOf: rules.map(toRule) });
/** One must pass. */
export const anyOf = (...rules: RuleLike[]): Rule => ({ anyOf: rules.map(toRule) });
/** At least `k` must pass. */
export const atLeast = (k: number, ...rules: RuleLike[]): Rule => ({ atLeast: k, of: rules.map(toRule) });
/** Negation (non-monotonic; linted). */
export const not = (rule: RuleLike): Rule => ({ not: toRule(rule) });
/** Signed by one of `authorities`, by at least `distinctSigners` distinct signers. */
export const signedBy = (authorities: string | readonly string[], options: { distinctSigners?: number; include?: 'signatures' | 'attestations' | 'both' } = {}): Rule => {
  requireOptions(options, 'signedBy');
  return clean({ signedBy: typeof authorities === 'string' ? [authorities] : authorities, distinctSigners: options.distinctSigners, include: options.include });
};
/** A named rule. */
export const use = (name: string): Rule => ({ use: name });
/** Bound values (`attestationId.name`) must be equal. */
export const equal = (...refs: string[]): Rule => ({ equal: refs });

// ---- conditions ----

/** A recording proxy: property reads become JSON Pointer tokens. */
export function pointerOf<T = any>(selector: (p: T) => unknown): JsonPointer {
  requireFunction(selector, 'pointerOf', 'selector', 'policy.builder');
  const tokens: string[] = [];
  const proxy: any = new Proxy(
    {},
    {
      get(_t, prop) {
        if (typeof prop === 'symbol') throw new SigvetError('INVALID_ARGUMENT', 'path selectors read plain properties only', { check: 'policy.builder' });
        tokens.push(prop);
        return proxy;
      },
    },
  );
  selector(proxy);
  return formatPointer(tokens);
}

/** Condition helpers on one path. */
export function at(path: JsonPointer | ((p: any) => unknown), options: { on?: 'statement' | 'signer'; ifAbsent?: 'fail' | 'indeterminate'; reason?: string; message?: string } = {}) {
  requireOptions(options, 'at');
  const p = typeof path === 'function' ? pointerOf(path) : path;
  const base = clean({ path: p, on: options.on, ifAbsent: options.ifAbsent, reason: options.reason, message: options.message });
  return {
    eq: (value: Json, as?: CompareAs): Condition => clean({ ...base, op: 'eq' as const, value, as }),
    ne: (value: Json, as?: CompareAs): Condition => clean({ ...base, op: 'ne' as const, value, as }),
    in: (values: readonly Json[]): Condition => ({ ...base, op: 'in', value: values }),
    notIn: (values: readonly Json[]): Condition => ({ ...base, op: 'notIn', value: values }),
    lt: (value: number | TimeValue, as: CompareAs): Condition => ({ ...base, op: 'lt', value, as }),
    lte: (value: number | TimeValue, as: CompareAs): Condition => ({ ...base, op: 'lte', value, as }),
    gt: (value: number | TimeValue, as: CompareAs): Condition => ({ ...base, op: 'gt', value, as }),
    gte: (value: number | TimeValue, as: CompareAs): Condition => ({ ...base, op: 'gte', value, as }),
    matches: (m: StringMatch): Condition => ({ ...base, match: m }),
    exists: (want = true): Condition => ({ ...base, exists: want }),
    every: (...conditions: Condition[]): Condition => ({ ...base, every: conditions }),
    some: (...conditions: Condition[]): Condition => ({ ...base, some: conditions }),
    count: (range: { min?: number; max?: number }, ...where: Condition[]): Condition => clean({ ...base, count: range, where: where.length ? where : undefined }),
    onlyKeys: (...keys: string[]): Condition => ({ ...base, onlyKeys: keys }),
    sameAs: (other: JsonPointer, on?: 'statement' | 'signer'): Condition => ({ ...base, sameAs: clean({ on, path: other }) }),
  };
}

// ---- attestations ----

/** Builds an attestation rule. */
export class AttestationBuilder {
  private rule: { -readonly [K in keyof AttestationRule]?: AttestationRule[K] } = {};

  constructor(predicateType: PredicateTypeSelector) {
    this.rule.predicateType = predicateType;
  }

  /** The rule id (shown in verdicts, used by bindings). */
  id(id: string): this {
    this.rule.id = id;
    return this;
  }
  /** Authorities allowed to sign it. */
  by(...authorities: string[]): this {
    this.rule.by = authorities;
    return this;
  }
  /** Quantifier over several matching attestations. */
  select(q: 'any' | 'all' | 'newest'): this {
    this.rule.select = q;
    return this;
  }
  /** Minimum distinct passing attestations. */
  minCount(n: number): this {
    this.rule.minCount = n;
    return this;
  }
  /** Subject constraints. */
  subject(s: SubjectCheck): this {
    this.rule.subject = clean(s);
    return this;
  }
  /** Maximum age (ISO 8601 duration) against verified time, or a predicate field. */
  maxAge(duration: string, clock: 'verified' | { field: JsonPointer } = 'verified'): this {
    this.rule.maxAge = { duration, clock };
    return this;
  }
  /** Conditions (ANDed; appended). */
  where(...conditions: Condition[]): this {
    this.rule.where = [...(this.rule.where ?? []), ...conditions];
    return this;
  }
  /** SLSA provenance checks. */
  slsa(s: SlsaCheck): this {
    this.rule.slsa = clean(s);
    return this;
  }
  /** VSA checks. */
  vsa(s: VsaCheck): this {
    this.rule.vsa = clean(s);
    return this;
  }
  /** Vulnerability thresholds. */
  vulns(s: VulnCheck): this {
    this.rule.vulns = clean(s);
    return this;
  }
  /** Values exported for `equal` rules: JSON Pointers or selectors. */
  bind(b: Record<string, JsonPointer | ((p: any) => unknown)>): this {
    const out: Record<string, JsonPointer> = { ...(this.rule.bind ?? {}) };
    for (const [k, v] of Object.entries(b)) out[k] = typeof v === 'function' ? pointerOf(v) : v;
    this.rule.bind = out;
    return this;
  }
  /** The rule as JSON. */
  toRule(): Rule {
    const r = this.rule;
    // Fixed key order, so the JSON is stable.
    return {
      attestation: clean({
        id: r.id,
        predicateType: r.predicateType,
        by: r.by,
        select: r.select,
        minCount: r.minCount,
        subject: r.subject,
        maxAge: r.maxAge,
        where: r.where,
        slsa: r.slsa,
        vsa: r.vsa,
        vulns: r.vulns,
        bind: r.bind,
      }) as AttestationRule,
    };
  }
}

/** Starts an attestation rule for a predicate type, a list, or a family. */
export function attestation(predicateType: string | readonly string[] | { family: PredicateFamily }): AttestationBuilder {
  const sel: PredicateTypeSelector = typeof predicateType === 'string' ? predicateType : Array.isArray(predicateType) ? { anyOf: predicateType } : (predicateType as { family: PredicateFamily });
  return new AttestationBuilder(sel);
}

// ---- the document ----

/** Builds a policy document. */
export class PolicyBuilder {
  private doc: { -readonly [K in keyof PolicyDocument]?: PolicyDocument[K] };
  private auths: Record<string, Authority> = {};
  private named: Record<string, Rule> = {};

  constructor(name: string) {
    this.doc = { apiVersion: POLICY_API_VERSION, name };
  }
  /** Free text. */
  description(text: string): this {
    this.doc.description = text;
    return this;
  }
  /** enforce, warn or audit. */
  mode(m: 'enforce' | 'warn' | 'audit'): this {
    this.doc.mode = m;
    return this;
  }
  /** What happens when the scope does not select the artifact. */
  noMatch(m: 'deny' | 'allow' | 'warn'): this {
    this.doc.noMatch = m;
    return this;
  }
  /** Which artifacts the policy applies to. */
  scope(s: Scope): this {
    this.doc.scope = clean(s);
    return this;
  }
  /** Adds a named authority. */
  authority(name: string, a: Authority): this {
    this.auths[name] = a;
    return this;
  }
  /** Adds a named rule. */
  rule(name: string, r: RuleLike): this {
    this.named[name] = toRule(r);
    return this;
  }
  /** The rule that must pass. */
  require(r: RuleLike): this {
    this.doc.require = toRule(r);
    return this;
  }
  /** Caps. */
  limits(l: Limits): this {
    this.doc.limits = l;
    return this;
  }
  /** Clock skew tolerance (ISO 8601 duration). */
  clockSkew(d: string): this {
    this.doc.clockSkew = d;
    return this;
  }
  /** The policy document (plain JSON). */
  toJSON(): PolicyDocument {
    const d = this.doc;
    return clean({
      apiVersion: POLICY_API_VERSION,
      name: d.name!,
      description: d.description,
      mode: d.mode,
      noMatch: d.noMatch,
      scope: d.scope,
      authorities: { ...this.auths },
      rules: Object.keys(this.named).length ? { ...this.named } : undefined,
      require: d.require!,
      limits: d.limits,
      clockSkew: d.clockSkew,
    });
  }
}

/** Starts a policy. */
export function policy(name: string): PolicyBuilder {
  return new PolicyBuilder(name);
}
