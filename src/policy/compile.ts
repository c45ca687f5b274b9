/**
 * The compile step: validates a policy document, resolves named rules and
 * authorities, compiles every pattern (so an invalid regex is a compile
 * error, never a silent pass), expands the SLSA/VSA/vulnerability
 * shortcuts into conditions, and lints what is legal but risky.
 * @module
 */
import { pemToDer } from '../crypto/spki.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { requireObject } from '../arguments.js';
import { toHex } from '../encoding/hex.js';
import type {
  AttestationRule,
  Authority,
  CompareAs,
  Condition,
  Identity,
  Json,
  PolicyDocument,
  Rule,
  StringMatch,
  TimeValue,
} from './document.js';
import { DEFAULT_LIMITS, type EffectiveLimits } from './evidence.js';
import { documentSizeProblem, resolvePolicyDocumentLimits, ruleCountProblem, type PolicyDocumentLimits } from './document-limits.js';
import { parsePointer } from './json-pointer.js';
import { nodeFnOf, pathConditionTexts, type NodeFn, type PathConditionTexts } from './conditions.js';
import { DEFAULT_SUBJECT_BINDING, subjectBindingKey, type SubjectBindingOptions } from './subject-binding.js';
import { PathSlotBuilder, type PathSlotTable } from './path-slots.js';
import { DEPRECATED_PREDICATE_TYPES, PREDICATE_FAMILIES } from './predicate-types.js';
import { npmPurlMatcher, slsaConditions, slsaTimeSanity } from './shortcuts/slsa.js';
import { vsaConditions } from './shortcuts/vsa.js';
import { vulnConditions } from './shortcuts/vulns.js';
import type { ShortcutCondition } from './shortcuts/expansion.js';
import { MatchCompileError, compileMatch, type CompiledMatch } from './string-match.js';
import { formatDuration, parseDuration, parseTimestamp } from './time.js';
import { parseSemver } from './semver.js';
import { isSeverity } from './severity.js';
import { validatePolicyShape, type PolicyProblem } from './validate.js';
import { formatPointer } from './json-pointer.js';

type Path = readonly (string | number)[];

/** A compiled time value. */
export type CompiledTime = { readonly kind: 'fixed'; readonly t: bigint } | { readonly kind: 'now' | 'verifiedTime'; readonly offset: bigint };

/** A compiled path operator. */
export type PathOp =
  | { readonly op: 'eq' | 'ne'; readonly value: Json; readonly as: CompareAs | undefined }
  | { readonly op: 'in' | 'notIn'; readonly values: readonly Json[] }
  | { readonly op: 'lt' | 'lte' | 'gt' | 'gte'; readonly value: number | string | CompiledTime; readonly as: CompareAs }
  | { readonly op: 'match'; readonly matcher: CompiledMatch }
  | { readonly op: 'exists'; readonly want: boolean }
  | { readonly op: 'every' | 'some'; readonly items: readonly CompiledCondition[]; readonly flatten: readonly string[] | undefined }
  | { readonly op: 'count'; readonly min: number | undefined; readonly max: number | undefined; readonly where: readonly CompiledCondition[]; readonly flatten: readonly string[] | undefined }
  | { readonly op: 'onlyKeys'; readonly keys: ReadonlySet<string> }
  | { readonly op: 'sameAs'; readonly on: 'statement' | 'signer'; readonly tokens: readonly string[]; readonly pointer: string };

/** A compiled condition. */
export type CompiledCondition =
  | ({
      readonly kind: 'path';
      readonly at: string;
      readonly pointer: string;
      readonly tokens: readonly string[];
      readonly on: 'statement' | 'signer';
      readonly ifAbsent: 'fail' | 'indeterminate';
      readonly reason: string | undefined;
      readonly message: string | undefined;
      readonly test: PathOp;
      /** For a path from the statement: its slot in the per-attestation value cache of an evaluation; -1 otherwise. */
      readonly slot: number;
      /** The policy's slot table (shared by all its conditions). */
      readonly slots: PathSlotTable;
    } & PathConditionTexts)
  | {
      readonly kind: 'allOf' | 'anyOf';
      readonly at: string;
      readonly items: readonly CompiledCondition[];
      readonly reason: string | undefined;
      readonly message: string | undefined;
      /** The node's message: its own, or the default naming the item count. */
      readonly text: string;
    }
  | { readonly kind: 'cases'; readonly at: string; readonly cases: ReadonlyMap<string, readonly CompiledCondition[]>; readonly reason: string | undefined; readonly message: string | undefined }
  | { readonly kind: 'plugin'; readonly at: string; readonly plugin: string; readonly source: string; readonly entry: string | undefined; readonly message: string | undefined };

/** A compiled keyless identity. */
export interface CompiledIdentity {
  readonly at: string;
  readonly spec: Identity;
  readonly issuer: CompiledMatch;
  readonly subject: CompiledMatch;
  readonly extensions: readonly { readonly name: string; readonly matcher: CompiledMatch }[];
  readonly oids: readonly { readonly oid: string; readonly matcher: CompiledMatch }[];
}

/**
 * A compiled authority. Its `ordinal` (0, 1, … in document order) indexes
 * an evaluation's per-authority outcomes.
 */
export type CompiledAuthority =
  | { readonly kind: 'keyless'; readonly name: string; readonly ordinal: number; readonly at: string; readonly identities: readonly CompiledIdentity[]; readonly tlogMin: number; readonly timestampMin: number; readonly requireSct: boolean }
  | { readonly kind: 'key'; readonly name: string; readonly ordinal: number; readonly at: string; readonly keyIds: readonly string[]; readonly tlogMin: number; readonly timestampMin: number }
  | { readonly kind: 'static'; readonly name: string; readonly ordinal: number; readonly at: string; readonly decision: 'pass' | 'fail'; readonly message: string | undefined };

/** A compiled attestation rule. */
export interface CompiledAttestation {
  readonly id: string;
  readonly spec: AttestationRule;
  readonly predicateTypes: readonly string[];
  readonly by: readonly string[];
  /** The authorities `by` names, resolved. */
  readonly authorities: readonly CompiledAuthority[];
  readonly select: 'any' | 'all' | 'newest';
  readonly minCount: number;
  readonly digestAlgorithms: readonly string[];
  readonly subjectName: CompiledMatch | undefined;
  readonly requireAllArtifactDigests: boolean;
  readonly allDigestAlgorithms: boolean;
  readonly maxAge:
    | {
        readonly duration: bigint;
        readonly field: readonly string[] | undefined;
        readonly fieldPointer: string | undefined;
        /** The duration as messages show it, what the node expects (`age <= P7D`), and the node's location. */
        readonly durationText: string;
        readonly expected: string;
        readonly at: string;
      }
    | undefined;
  readonly conditions: readonly CompiledCondition[];
  /** Each condition's node closure (see nodeFnOf), compiled with the policy. */
  readonly conditionNodes: readonly NodeFn[];
  /** Bound values by name: the statement path, and its slot in the policy's {@link CompiledPolicy.slots} (-1: the statement itself). */
  readonly bind: ReadonlyMap<string, { readonly tokens: readonly string[]; readonly pointer: string; readonly slot: number }>;
  /** What the rule's node expects (shared by every verdict, so frozen). */
  readonly expected: { readonly select: 'any' | 'all' | 'newest'; readonly minCount: number };
  /** The verdict node's name, `attestation <id>`, its location (the rule's), and its subject nodes' location. */
  readonly label: string;
  readonly at: string;
  readonly subjectAt: string;
  /** Its number in the policy (0, 1, …): evaluations keep per-rule outcomes in arrays. */
  readonly ordinal: number;
  /**
   * The subject-binding options, and a number shared by every rule that
   * binds the same way ({@link DEFAULT_BINDING_ORDINAL} for the default
   * binding): an evaluation binds each attestation once per number.
   */
  readonly binding: SubjectBindingOptions;
  readonly bindingOrdinal: number;
}

/** A compiled rule. */
export type CompiledRule =
  | { readonly kind: 'allOf' | 'anyOf'; readonly at: string; readonly id: string | undefined; readonly children: readonly CompiledRule[] }
  | { readonly kind: 'atLeast'; readonly at: string; readonly id: string | undefined; readonly k: number; readonly children: readonly CompiledRule[] }
  | { readonly kind: 'not'; readonly at: string; readonly id: string | undefined; readonly child: CompiledRule }
  | { readonly kind: 'signedBy'; readonly at: string; readonly id: string | undefined; readonly authorities: readonly string[]; readonly distinct: number; readonly include: 'signatures' | 'attestations' | 'both' }
  | { readonly kind: 'attestation'; readonly at: string; readonly rule: CompiledAttestation }
  | {
      readonly kind: 'equal';
      readonly at: string;
      readonly id: string | undefined;
      /** The verdict node's name. */
      readonly label: string;
      /** Each reference, and `key`, `rule.name` as the node lists its values. */
      readonly refs: readonly { readonly rule: string; readonly name: string; readonly key: string }[];
    }
  | { readonly kind: 'use'; readonly at: string; readonly name: string; readonly target: () => CompiledRule };

/** A compiled scope. */
export interface CompiledScope {
  readonly images: readonly CompiledMatch[] | undefined;
  readonly exclude: readonly CompiledMatch[];
  readonly requireDigest: boolean;
}

/** The binding ordinal of {@link DEFAULT_SUBJECT_BINDING} (what signedBy rules bind with). */
export const DEFAULT_BINDING_ORDINAL = 0;

const BRAND: unique symbol = Symbol('sigvet.CompiledPolicy');

/** A policy ready for {@link evaluate}. */
export interface CompiledPolicy {
  readonly [BRAND]: true;
  readonly document: PolicyDocument;
  /** Lint warnings (errors make compilation fail). */
  readonly findings: readonly PolicyProblem[];
  readonly limits: EffectiveLimits;
  readonly clockSkew: bigint;
  readonly authorities: ReadonlyMap<string, CompiledAuthority>;
  readonly rules: ReadonlyMap<string, CompiledRule>;
  readonly root: CompiledRule;
  /**
   * The locations of the rules that accept evidence (signedBy and
   * attestation rules), sorted as verdicts list them under each piece of
   * evidence (`usedBy`), and each one's rank in that order; an attestation
   * rule's rank also by its ordinal.
   */
  readonly locations: readonly string[];
  readonly locationRanks: ReadonlyMap<string, number>;
  readonly attestationRanks: readonly number[];
  /** Attestation rules by id (`equal` reads their bound values). */
  readonly attestationsById: ReadonlyMap<string, CompiledAttestation>;
  /** The statement path slots of its conditions and bindings (see path-slots.ts). */
  readonly slots: PathSlotTable;
  readonly scope: CompiledScope | undefined;
  readonly mode: 'enforce' | 'warn' | 'audit';
  readonly noMatch: 'deny' | 'allow' | 'warn';
}

/** The outcome of {@link compilePolicy}. */
export type CompileResult =
  | { readonly ok: true; readonly policy: CompiledPolicy; readonly problems: readonly PolicyProblem[] }
  | { readonly ok: false; readonly problems: readonly PolicyProblem[] };

/** True for a compiled policy. */
export function isCompiledPolicy(v: unknown): v is CompiledPolicy {
  return v !== null && typeof v === 'object' && (v as Record<symbol, unknown>)[BRAND] === true;
}

/**
 * `sha256:<hex>` of the SPKI DER inside a PEM `PUBLIC KEY`, read by the same
 * strict PEM reader the verifier uses for managed keys (so the id equals the
 * verifier's `signer.keyId`); undefined when it is not one.
 */
export function keyIdFromPem(pem: string): string | undefined {
  try {
    return `sha256:${toHex(sha256(pemToDer(pem, 'PUBLIC KEY')))}`;
  } catch {
    return undefined;
  }
}

class Compiler {
  readonly problems: PolicyProblem[] = [];
  readonly authorities = new Map<string, CompiledAuthority>();
  readonly rules = new Map<string, CompiledRule>();
  readonly attestationIds = new Map<string, CompiledAttestation>();
  /** The locations of every signedBy and attestation rule compiled (named ones included). */
  readonly locations = new Set<string>();
  readonly pendingEqual: { at: Path; refs: { rule: string; name: string }[] }[] = [];
  readonly usedAuthorities = new Set<string>();
  readonly usedRules = new Set<string>();
  readonly limits: EffectiveLimits;
  readonly clockSkewText: string;
  /** Statement paths read by conditions, and their prefixes, numbered (see CompiledCondition `slot`). */
  readonly pathSlots = new PathSlotBuilder();
  /** Depth of every/some/count item conditions being compiled. */
  itemDepth = 0;
  /** Attestation rules compiled so far. */
  attestationCount = 0;
  /** Binding ordinals by subject-binding key (rules that bind alike share one). */
  readonly bindingOrdinals = new Map<string, number>([[subjectBindingKey(DEFAULT_SUBJECT_BINDING, ''), DEFAULT_BINDING_ORDINAL]]);

  constructor(readonly doc: PolicyDocument, limits: EffectiveLimits) {
    this.limits = limits;
    this.clockSkewText = doc.clockSkew ?? 'PT5M';
  }

  error(path: Path, code: string, message: string): void {
    this.problems.push({ code, severity: 'error', path: formatPointer(path), message });
  }

  warn(path: Path, code: string, message: string): void {
    this.problems.push({ code, severity: 'warning', path: formatPointer(path), message });
  }

  /** Compiles a matcher and lints it; `role` tunes the lints. */
  match(m: StringMatch, path: Path, role: 'identity' | 'issuer' | 'image' | 'value'): CompiledMatch {
    this.lintMatch(m, path, role);
    try {
      return compileMatch(m, this.limits);
    } catch (e) {
      if (e instanceof MatchCompileError) {
        this.error(path, 'INVALID_PATTERN', e.message);
        return { spec: m, test: () => 'fail' };
      }
      throw e;
    }
  }

  lintMatch(m: StringMatch, path: Path, role: 'identity' | 'issuer' | 'image' | 'value'): void {
    if ('anyOf' in m || 'allOf' in m) {
      const k = 'anyOf' in m ? 'anyOf' : 'allOf';
      ('anyOf' in m ? m.anyOf : m.allOf).forEach((x, i) => this.lintMatch(x, [...path, k, i], role));
      return;
    }
    if ('search' in m) {
      if (!this.doc.importedFrom) {
        this.error(path, 'SEARCH_NOT_IMPORTED', 'unanchored search exists only for imported policies; use regex (whole-string match)');
      }
      this.warn(path, 'UNANCHORED_SEARCH', `unanchored pattern ${JSON.stringify(m.search)} matches any string that CONTAINS a match (foreign semantics kept visible); prefer { regex } which matches the whole string`);
    }
    const source = 'regex' in m ? m.regex : 'search' in m ? m.search : 'glob' in m ? m.glob : undefined;
    if (source !== undefined && source.length > this.limits.maxPatternLength) {
      this.warn(path, 'PATTERN_TOO_LONG', `pattern of ${source.length} characters exceeds the limit of ${this.limits.maxPatternLength}: it will evaluate as indeterminate`);
    }
    if ('exact' in m) {
      if (/[*?]/.test(m.exact) && role !== 'value') {
        this.warn(path, 'EXACT_LOOKS_LIKE_GLOB', `exact value ${JSON.stringify(m.exact)} contains a wildcard character: it matches only that literal string; use { glob, dialect } for a wildcard`);
      } else if (/^\^|\$$|\\[.dws]/.test(m.exact)) {
        this.warn(path, 'EXACT_LOOKS_LIKE_REGEX', `exact value ${JSON.stringify(m.exact)} looks like a regular expression: it matches only that literal string`);
      }
      if (role === 'issuer' && m.exact.endsWith('/')) {
        this.warn(path, 'ISSUER_TRAILING_SLASH', `issuer ${JSON.stringify(m.exact)} ends with "/": issuers are compared exactly, without normalization, and OIDC issuers usually have no trailing slash`);
      }
    }
    if ('prefix' in m && /[A-Za-z0-9_-]$/.test(m.prefix) && role !== 'value') {
      this.warn(path, 'PREFIX_BLEED', `prefix ${JSON.stringify(m.prefix)} does not end at a separator, so it also matches ${JSON.stringify(`${m.prefix}-evil…`)}`);
    }
    if ('glob' in m) {
      const g = m.glob;
      const repoPart = g.split('@')[0]!.replace(/:[^/]*$/, '');
      if (/[A-Za-z0-9_.-]\*/.test(repoPart)) {
        this.warn(path, 'GLOB_PREFIX_BLEED', `glob ${JSON.stringify(g)} has "*" right after a name, so it also matches longer names (e.g. an "-evil" suffix); end the fixed part at "/"`);
      }
      if (m.dialect === 'policy-controller' && (g === '*' || g === '*/*')) {
        this.warn(path, 'GLOB_REWRITTEN', `policy-controller rewrites ${JSON.stringify(g)} to ${JSON.stringify(g === '*' ? 'index.docker.io/library/*' : 'index.docker.io/*/*')}`);
      }
    }
  }

  pointer(p: string, path: Path): string[] {
    const t = parsePointer(p);
    if (!t) {
      this.error(path, 'INVALID_POINTER', `invalid JSON Pointer ${JSON.stringify(p)}`);
      return [];
    }
    return t;
  }

  duration(d: string, path: Path): bigint {
    const v = parseDuration(d);
    if (v === undefined) {
      this.error(path, 'INVALID_DURATION', `invalid duration ${JSON.stringify(d)}`);
      return 0n;
    }
    return v;
  }

  authority(name: string, a: Authority): CompiledAuthority {
    const path = ['authorities', name];
    const at = formatPointer(path);
    const ordinal = this.authorities.size;
    if (a.kind === 'static') {
      if (a.decision === 'pass') this.warn(path, 'STATIC_PASS_AUTHORITY', 'a static pass authority admits without any evidence');
      return { kind: 'static', name, ordinal, at, decision: a.decision, message: a.message };
    }
    const tlogMin = a.tlog?.min ?? 0;
    const timestampMin = a.timestamps?.min ?? 0;
    if (a.kind === 'key') {
      const keyIds: string[] = [];
      a.keys.forEach((k, i) => {
        const derived = k.pem !== undefined ? keyIdFromPem(k.pem) : undefined;
        if (k.pem !== undefined && derived === undefined) this.error([...path, 'keys', i, 'pem'], 'INVALID_KEY', 'pem is not a PEM PUBLIC KEY');
        if (k.id !== undefined && derived !== undefined && k.id !== derived) {
          this.error([...path, 'keys', i, 'id'], 'KEY_ID_MISMATCH', `id ${k.id} does not match the pem (${derived})`);
        }
        const id = k.id ?? derived;
        if (id !== undefined) keyIds.push(id);
      });
      return { kind: 'key', name, ordinal, at, keyIds, tlogMin, timestampMin };
    }
    if (a.requireSct === false) this.warn([...path, 'requireSct'], 'SCT_NOT_REQUIRED', 'certificates without a verified SCT are accepted');
    const identities = a.identities.map((id, i): CompiledIdentity => {
      const p = [...path, 'identities', i];
      return {
        at: formatPointer(p),
        spec: id,
        issuer: this.match(id.issuer, [...p, 'issuer'], 'issuer'),
        subject: this.match(id.subject, [...p, 'subject'], 'identity'),
        extensions: Object.entries(id.extensions ?? {}).map(([n, m]) => ({ name: n, matcher: this.match(m as StringMatch, [...p, 'extensions', n], 'identity') })),
        oids: (id.oids ?? []).map((o, j) => ({ oid: o.oid, matcher: this.match(o.value, [...p, 'oids', j, 'value'], 'identity') })),
      };
    });
    return { kind: 'keyless', name, ordinal, at, identities, tlogMin, timestampMin, requireSct: a.requireSct ?? true };
  }

  timeValue(v: TimeValue, path: Path): CompiledTime {
    if (typeof v === 'string') return { kind: 'fixed', t: parseTimestamp(v) ?? 0n };
    return { kind: v.clock, offset: v.offset !== undefined ? this.duration(v.offset, [...path, 'offset']) : 0n };
  }

  condition(c: Condition, path: Path): CompiledCondition {
    const at = formatPointer(path);
    if ('allOf' in c || 'anyOf' in c) {
      const kind = 'allOf' in c ? 'allOf' : 'anyOf';
      const list = 'allOf' in c ? c.allOf : c.anyOf;
      return { kind, at, items: list.map((x, i) => this.condition(x, [...path, kind, i])), reason: c.reason, message: c.message, text: c.message ?? `${kind} of ${list.length} conditions` };
    }
    if ('cases' in c) {
      const cases = new Map<string, CompiledCondition[]>();
      for (const [t, list] of Object.entries(c.cases)) cases.set(t, list.map((x, i) => this.condition(x, [...path, 'cases', t, i])));
      return { kind: 'cases', at, cases, reason: c.reason, message: c.message };
    }
    if ('plugin' in c) {
      this.warn(path, 'PLUGIN_CONDITION', `a ${c.plugin} condition is evaluated only by a caller-supplied plug-in; without one it is indeterminate (never a pass)`);
      return { kind: 'plugin', at, plugin: c.plugin, source: c.source, entry: c.entry, message: c.message };
    }
    const tokens = this.pointer(c.path, [...path, 'path']);
    let test: PathOp;
    if ('op' in c) {
      if (c.op === 'in' || c.op === 'notIn') test = { op: c.op, values: c.value };
      else if (c.op === 'eq' || c.op === 'ne') test = { op: c.op, value: c.value, as: c.as };
      else {
        const o = c as { op: 'lt' | 'lte' | 'gt' | 'gte'; as: CompareAs; value: number | TimeValue };
        test = { op: o.op, as: o.as, value: o.as === 'time' ? this.timeValue(o.value as TimeValue, [...path, 'value']) : (o.value as number | string) };
      }
      const as = 'as' in c ? (c as { as?: CompareAs }).as : undefined;
      if (as === 'semver' && parseSemver(c.value) === undefined) this.error([...path, 'value'], 'INVALID_VALUE', 'value is not a semantic version (MAJOR.MINOR.PATCH)');
      if (as === 'severity' && !isSeverity(c.value)) this.error([...path, 'value'], 'INVALID_VALUE', 'value is a severity: none, low, medium, high or critical');
      if (as === 'number' && typeof c.value !== 'number') this.error([...path, 'value'], 'INVALID_VALUE', 'value is a number');
      if (as === 'time' && c.op !== 'eq' && c.op !== 'ne' && typeof c.value === 'string' && parseTimestamp(c.value) === undefined) this.error([...path, 'value'], 'INVALID_TIME', 'value is an RFC 3339 timestamp');
    } else if ('match' in c) test = { op: 'match', matcher: this.match(c.match, [...path, 'match'], 'value') };
    else if ('exists' in c) test = { op: 'exists', want: c.exists };
    else if ('every' in c || 'some' in c) {
      const op = 'every' in c ? 'every' : 'some';
      const list = 'every' in c ? c.every : c.some;
      test = { op, items: this.itemConditions(list, [...path, op]), flatten: c.flatten !== undefined ? this.pointer(c.flatten, [...path, 'flatten']) : undefined };
    } else if ('count' in c) {
      if (c.count.min !== undefined && c.count.max !== undefined && c.count.min > c.count.max) this.error([...path, 'count'], 'THRESHOLD_INVALID', 'count.min exceeds count.max');
      test = {
        op: 'count',
        min: c.count.min,
        max: c.count.max,
        where: this.itemConditions(c.where ?? [], [...path, 'where']),
        flatten: c.flatten !== undefined ? this.pointer(c.flatten, [...path, 'flatten']) : undefined,
      };
    } else if ('onlyKeys' in c) test = { op: 'onlyKeys', keys: new Set(c.onlyKeys) };
    else test = { op: 'sameAs', on: c.sameAs.on ?? 'statement', tokens: this.pointer(c.sameAs.path, [...path, 'sameAs', 'path']), pointer: c.sameAs.path };
    const on = c.on ?? 'statement';
    // Paths from the statement (not from a quantified item) get a slot: resolved once per attestation per evaluation.
    const slot = on === 'statement' && this.itemDepth === 0 ? this.pathSlots.slot(tokens) : -1;
    return { kind: 'path', at, pointer: c.path, tokens, on, ifAbsent: c.ifAbsent ?? 'fail', reason: c.reason, message: c.message, test, slot, slots: this.pathSlots, ...pathConditionTexts(c.path, on, c.message, test) };
  }

  /** Conditions over the items of an every/some/count (their paths start at each item). */
  itemConditions(list: readonly Condition[], path: Path): CompiledCondition[] {
    this.itemDepth++;
    try {
      return list.map((x, i) => this.condition(x, [...path, i]));
    } finally {
      this.itemDepth--;
    }
  }

  shortcut(list: ShortcutCondition[], path: Path): CompiledCondition[] {
    return list.map((s) => this.condition(s.condition, [...path, ...s.field]));
  }

  attestation(a: AttestationRule, path: Path, at: string): CompiledAttestation {
    if (this.attestationIds.has(a.id)) this.error([...path, 'id'], 'DUPLICATE_ID', `attestation id ${JSON.stringify(a.id)} is used twice`);
    let predicateTypes: readonly string[];
    if (typeof a.predicateType === 'string') predicateTypes = [a.predicateType];
    else if ('anyOf' in a.predicateType) predicateTypes = a.predicateType.anyOf;
    else predicateTypes = PREDICATE_FAMILIES[a.predicateType.family];
    if (typeof a.predicateType === 'string' || 'anyOf' in a.predicateType) {
      predicateTypes.forEach((t, i) => {
        const note = DEPRECATED_PREDICATE_TYPES[t];
        const p = typeof a.predicateType === 'string' ? [...path, 'predicateType'] : [...path, 'predicateType', 'anyOf', i];
        if (note) this.warn(p, 'DEPRECATED_PREDICATE_TYPE', note);
        if (!/^[a-z][a-z0-9+.-]*:/.test(t)) this.warn(p, 'PREDICATE_TYPE_NOT_URI', `predicate type ${JSON.stringify(t)} is not a URI (a short name?); it is compared exactly`);
      });
    }
    a.by.forEach((name, i) => {
      // Own properties only: "__proto__" or "constructor" must not name the prototype.
      const auth = Object.prototype.hasOwnProperty.call(this.doc.authorities, name) ? this.doc.authorities[name] : undefined;
      this.usedAuthorities.add(name);
      if (!auth) this.error([...path, 'by', i], 'UNKNOWN_AUTHORITY', `no authority named ${JSON.stringify(name)}`);
      else if (auth.kind === 'static') this.error([...path, 'by', i], 'STATIC_CANNOT_SIGN', `static authority ${JSON.stringify(name)} cannot sign attestations`);
    });
    if (a.select === undefined) {
      this.warn([...path, 'select'], 'MISSING_QUANTIFIER', 'select is not set: when several attestations match, all of them must pass (say any, all or newest explicitly)');
    }
    if (a.select === 'newest' && (a.minCount ?? 1) > 1) this.error([...path, 'minCount'], 'THRESHOLD_INVALID', 'select newest picks one attestation; minCount must be 1');
    const conditions: CompiledCondition[] = [];
    (a.where ?? []).forEach((c, i) => conditions.push(this.condition(c, [...path, 'where', i])));
    if (a.slsa) {
      if (a.slsa.builderId === undefined && a.slsa.builderIdMatch === undefined && a.slsa.builderIsSigner !== true) {
        this.warn([...path, 'slsa'], 'SLSA_BUILDER_UNCHECKED', 'the provenance builder is not checked: name the (inner, for delegating builders) builder id or require builderIsSigner');
      }
      conditions.push(...this.shortcut(slsaConditions(a.slsa), [...path, 'slsa']));
      conditions.push(...this.shortcut([slsaTimeSanity(this.clockSkewText)], [...path, 'slsa']));
    }
    if (a.vsa) conditions.push(...this.shortcut(vsaConditions(a.vsa), [...path, 'vsa']));
    if (a.vulns) conditions.push(...this.shortcut(vulnConditions(a.vulns), [...path, 'vulns']));
    const bind = new Map<string, { tokens: string[]; pointer: string; slot: number }>();
    for (const [name, p] of Object.entries(a.bind ?? {})) {
      const tokens = this.pointer(p, [...path, 'bind', name]);
      // Bound paths share the conditions' slots: resolved once per attestation, prefixes shared.
      bind.set(name, { tokens, pointer: p, slot: this.pathSlots.slot(tokens) });
    }
    let maxAge: CompiledAttestation['maxAge'];
    if (a.maxAge) {
      const field = a.maxAge.clock === 'verified' ? undefined : a.maxAge.clock.field;
      const duration = this.duration(a.maxAge.duration, [...path, 'maxAge', 'duration']);
      const durationText = formatDuration(duration);
      maxAge = {
        duration,
        field: field !== undefined ? this.pointer(field, [...path, 'maxAge', 'clock', 'field']) : undefined,
        fieldPointer: field,
        durationText,
        expected: `age <= ${durationText}`,
        at: `${at}/maxAge`,
      };
    }
    const digestAlgorithms = a.subject?.digestAlgorithms ?? ['sha256', 'sha384', 'sha512'];
    const subjectName = a.subject?.name
      ? this.match(a.subject.name, [...path, 'subject', 'name'], 'value')
      : a.subject?.npmPackage
        ? this.match(npmPurlMatcher(a.subject.npmPackage), [...path, 'subject', 'npmPackage'], 'value')
        : undefined;
    const binding: SubjectBindingOptions = {
      algorithms: digestAlgorithms,
      name: subjectName,
      requireAll: a.subject?.requireAllArtifactDigests === true,
      allAlgorithms: a.subject?.allDigestAlgorithms === true,
    };
    const bindingKey = subjectBindingKey(binding, a.id);
    let bindingOrdinal = this.bindingOrdinals.get(bindingKey);
    if (bindingOrdinal === undefined) this.bindingOrdinals.set(bindingKey, (bindingOrdinal = this.bindingOrdinals.size));
    const select = a.select ?? 'all';
    const minCount = a.minCount ?? 1;
    const compiled: CompiledAttestation = {
      id: a.id,
      spec: a,
      predicateTypes,
      by: a.by,
      // Unknown names are compile errors: the policy is then never evaluated.
      authorities: a.by.flatMap((name) => this.authorities.get(name) ?? []),
      select,
      minCount,
      expected: Object.freeze({ select, minCount }),
      digestAlgorithms,
      subjectName,
      requireAllArtifactDigests: binding.requireAll,
      allDigestAlgorithms: binding.allAlgorithms,
      maxAge,
      conditions,
      conditionNodes: conditions.map(nodeFnOf),
      bind,
      label: `attestation ${a.id}`,
      at,
      subjectAt: `${at}/subject`,
      ordinal: this.attestationCount++,
      binding,
      bindingOrdinal,
    };
    this.attestationIds.set(a.id, compiled);
    return compiled;
  }

  rule(r: Rule, path: Path): CompiledRule {
    const at = formatPointer(path);
    if ('allOf' in r) return { kind: 'allOf', at, id: r.id, children: r.allOf.map((c, i) => this.rule(c, [...path, 'allOf', i])) };
    if ('anyOf' in r) return { kind: 'anyOf', at, id: r.id, children: r.anyOf.map((c, i) => this.rule(c, [...path, 'anyOf', i])) };
    if ('atLeast' in r) return { kind: 'atLeast', at, id: r.id, k: r.atLeast, children: r.of.map((c, i) => this.rule(c, [...path, 'of', i])) };
    if ('not' in r) {
      this.warn(path, 'NON_MONOTONIC', '`not` is non-monotonic: withholding evidence can turn a deny into an allow');
      return { kind: 'not', at, id: r.id, child: this.rule(r.not, [...path, 'not']) };
    }
    if ('signedBy' in r) {
      r.signedBy.forEach((name, i) => {
        this.usedAuthorities.add(name);
        if (!Object.prototype.hasOwnProperty.call(this.doc.authorities, name)) this.error([...path, 'signedBy', i], 'UNKNOWN_AUTHORITY', `no authority named ${JSON.stringify(name)}`);
      });
      this.locations.add(at);
      return { kind: 'signedBy', at, id: r.id, authorities: r.signedBy, distinct: r.distinctSigners ?? 1, include: r.include ?? 'signatures' };
    }
    if ('attestation' in r) {
      this.locations.add(at);
      return { kind: 'attestation', at, rule: this.attestation(r.attestation, [...path, 'attestation'], at) };
    }
    if ('equal' in r) {
      const refs = r.equal.map((s) => {
        const [rule, name] = s.split('.') as [string, string];
        return { rule, name, key: `${rule}.${name}` };
      });
      this.pendingEqual.push({ at: path, refs });
      return { kind: 'equal', at, id: r.id, label: r.id ? `equal ${r.id}` : `equal ${refs.map((x) => x.key).join(' = ')}`, refs };
    }
    const name = r.use;
    this.usedRules.add(name);
    if (!this.doc.rules || !Object.prototype.hasOwnProperty.call(this.doc.rules, name)) {
      this.error([...path, 'use'], 'UNKNOWN_RULE', `no rule named ${JSON.stringify(name)}`);
    }
    return { kind: 'use', at, name, target: () => this.rules.get(name)! };
  }

  /** Finds `use` cycles among named rules. */
  cycles(): void {
    const refs = (r: Rule, out: string[]): void => {
      if ('allOf' in r) r.allOf.forEach((c) => refs(c, out));
      else if ('anyOf' in r) r.anyOf.forEach((c) => refs(c, out));
      else if ('atLeast' in r) r.of.forEach((c) => refs(c, out));
      else if ('not' in r) refs(r.not, out);
      else if ('use' in r) out.push(r.use);
    };
    const named = this.doc.rules ?? {};
    const state = new Map<string, 1 | 2>();
    const visit = (name: string, trail: string[]): void => {
      if (state.get(name) === 2) return;
      if (state.get(name) === 1) {
        this.error(['rules', name], 'RULE_CYCLE', `rule reference cycle: ${[...trail, name].join(' -> ')}`);
        return;
      }
      state.set(name, 1);
      const r = named[name];
      if (r) {
        const out: string[] = [];
        refs(r, out);
        for (const n of out) if (Object.prototype.hasOwnProperty.call(named, n)) visit(n, [...trail, name]);
      }
      state.set(name, 2);
    };
    for (const name of Object.keys(named)) visit(name, []);
  }

  run(): CompiledRule {
    for (const [name, a] of Object.entries(this.doc.authorities)) this.authorities.set(name, this.authority(name, a));
    this.cycles();
    for (const [name, r] of Object.entries(this.doc.rules ?? {})) this.rules.set(name, this.rule(r, ['rules', name]));
    const root = this.rule(this.doc.require, ['require']);
    for (const e of this.pendingEqual) {
      e.refs.forEach((ref, i) => {
        const a = this.attestationIds.get(ref.rule);
        if (!a) this.error([...e.at, 'equal', i], 'UNKNOWN_BINDING', `no attestation rule with id ${JSON.stringify(ref.rule)}`);
        else if (!a.bind.has(ref.name)) this.error([...e.at, 'equal', i], 'UNKNOWN_BINDING', `attestation ${JSON.stringify(ref.rule)} binds no ${JSON.stringify(ref.name)}`);
      });
    }
    for (const name of Object.keys(this.doc.authorities)) {
      if (!this.usedAuthorities.has(name)) this.warn(['authorities', name], 'UNUSED_AUTHORITY', `authority ${JSON.stringify(name)} is not used by any rule`);
    }
    for (const name of Object.keys(this.doc.rules ?? {})) {
      if (!this.usedRules.has(name)) this.warn(['rules', name], 'UNUSED_RULE', `rule ${JSON.stringify(name)} is never used`);
    }
    if (this.doc.scope?.images && this.doc.scope.requireDigest !== true) {
      this.warn(['scope', 'requireDigest'], 'TAG_REFERENCES_ALLOWED', 'references without a digest are accepted: a tag can be repointed after verification (set requireDigest)');
    }
    return root;
  }
}

/** Options of {@link compilePolicy}. */
export interface CompileOptions {
  /** Evaluation caps, over the document's own `limits`. */
  readonly limits?: Partial<EffectiveLimits>;
  /** Caps on the document itself (size, rules); a hit is a `LIMIT` problem. */
  readonly documentLimits?: Partial<PolicyDocumentLimits>;
}

/**
 * Validates, checks and compiles a policy document. Never throws on bad
 * input: problems come back with JSON Pointers into the document (a
 * document past a cap of `options.documentLimits`: one `LIMIT` problem).
 * @throws SigvetError `INVALID_ARGUMENT` for bad `documentLimits` (the caller's, not the document's).
 */
export function compilePolicy(doc: unknown, options: CompileOptions = {}): CompileResult {
  requireObject(options, 'compilePolicy', 'options', 'options');
  const docLimits = resolvePolicyDocumentLimits(options.documentLimits);
  let shape: PolicyProblem[];
  try {
    // The size first: validation's work is bounded by it.
    const tooBig = documentSizeProblem(doc, docLimits);
    if (tooBig) return { ok: false, problems: [tooBig] };
    shape = validatePolicyShape(doc);
  } catch (e) {
    return { ok: false, problems: [{ code: 'SCHEMA', severity: 'error', path: '', message: `policy could not be read: ${(e as Error).message}` }] };
  }
  if (shape.length > 0) return { ok: false, problems: shape };
  const d = doc as PolicyDocument;
  const tooMany = ruleCountProblem(d, docLimits);
  if (tooMany) return { ok: false, problems: [tooMany] };
  const limits: EffectiveLimits = { ...DEFAULT_LIMITS, ...(d.limits ?? {}), ...(options.limits ?? {}) };
  const c = new Compiler(d, limits);
  const root = c.run();
  const scope: CompiledScope | undefined = d.scope
    ? {
        images: d.scope.images?.map((m, i) => c.match(m, ['scope', 'images', i], 'image')),
        exclude: (d.scope.exclude ?? []).map((m, i) => c.match(m, ['scope', 'exclude', i], 'image')),
        requireDigest: d.scope.requireDigest === true,
      }
    : undefined;
  const problems = c.problems;
  if (problems.some((p) => p.severity === 'error')) return { ok: false, problems };
  const locations = [...c.locations].sort();
  const locationRanks = new Map(locations.map((at, i) => [at, i]));
  const attestationRanks: number[] = [];
  for (const a of c.attestationIds.values()) attestationRanks[a.ordinal] = locationRanks.get(a.at)!;
  const policy: CompiledPolicy = {
    [BRAND]: true,
    document: d,
    findings: problems.filter((p) => p.severity === 'warning'),
    limits,
    clockSkew: parseDuration(d.clockSkew ?? 'PT5M') ?? 0n,
    authorities: c.authorities,
    rules: c.rules,
    root,
    locations,
    locationRanks,
    attestationRanks,
    attestationsById: c.attestationIds,
    slots: c.pathSlots,
    scope,
    mode: d.mode ?? 'enforce',
    noMatch: d.noMatch ?? 'deny',
  };
  return { ok: true, policy, problems: c.problems };
}

/** Lints a policy: every error and warning, without compiling for use. */
export function lintPolicy(doc: unknown): PolicyProblem[] {
  return [...compilePolicy(doc).problems];
}
