/**
 * Shape validation of a policy document, equivalent to
 * `schemas/policy.v1.schema.json` (a test keeps the two in step), with
 * errors that name the exact JSON Pointer of the offending field.
 * Unknown fields are errors: a misspelt constraint must never be ignored.
 * @module
 */
import { POLICY_API_VERSION } from './document.js';
import { formatPointer, parsePointer } from './json-pointer.js';
import { parseDuration, parseTimestamp } from './time.js';

/** A finding about a policy: an error makes it invalid; a warning is a lint. */
export interface PolicyProblem {
  /** Stable code, e.g. `SCHEMA`, `UNANCHORED_SEARCH`. */
  readonly code: string;
  readonly severity: 'error' | 'warning';
  /** JSON Pointer into the policy document. */
  readonly path: string;
  readonly message: string;
}

/** Allowed keys of each object kind (exported so tests can compare them with the JSON Schema). */
export const KNOWN_KEYS = {
  document: ['apiVersion', 'name', 'description', 'mode', 'noMatch', 'scope', 'authorities', 'rules', 'require', 'limits', 'clockSkew', 'importedFrom'],
  scope: ['images', 'exclude', 'requireDigest'],
  limits: ['maxEvidence', 'maxSubjects', 'maxDigestsPerSubject', 'maxPredicateBytes', 'maxPatternLength', 'maxStringLength', 'maxArrayItems'],
  importedFrom: ['format', 'apiVersion', 'name'],
  keyless: ['kind', 'identities', 'tlog', 'timestamps', 'requireSct'],
  key: ['kind', 'keys', 'tlog', 'timestamps'],
  static: ['kind', 'decision', 'message'],
  keyEntry: ['id', 'pem'],
  identity: ['issuer', 'subject', 'extensions', 'oids'],
  oid: ['oid', 'value'],
  attestation: ['id', 'predicateType', 'by', 'select', 'minCount', 'subject', 'maxAge', 'where', 'slsa', 'vsa', 'vulns', 'bind'],
  subject: ['digestAlgorithms', 'name', 'requireAllArtifactDigests', 'allDigestAlgorithms', 'npmPackage'],
  maxAge: ['duration', 'clock'],
  slsa: ['builderId', 'builderIdMatch', 'builderIsSigner', 'buildType', 'sourceUri', 'branch', 'tag', 'versionedTag', 'externalParameters', 'workflowInputs'],
  vsa: ['verifierId', 'resourceUri', 'policyUri', 'minLevels', 'levels', 'minDependencyLevels'],
  vulns: ['maxSeverity', 'maxCount', 'ignore', 'dbMaxAge'],
  pathCondition: ['path', 'on', 'ifAbsent', 'reason', 'message'],
} as const;

/** Fulcio extension names accepted in `Identity.extensions`. */
export const EXTENSION_KEYS = [
  'githubWorkflowTrigger',
  'githubWorkflowSha',
  'githubWorkflowName',
  'githubWorkflowRepository',
  'githubWorkflowRef',
  'buildSignerUri',
  'buildSignerDigest',
  'runnerEnvironment',
  'sourceRepositoryUri',
  'sourceRepositoryDigest',
  'sourceRepositoryRef',
  'sourceRepositoryIdentifier',
  'sourceRepositoryOwnerUri',
  'sourceRepositoryOwnerIdentifier',
  'buildConfigUri',
  'buildConfigDigest',
  'buildTrigger',
  'runInvocationUri',
  'sourceRepositoryVisibilityAtSigning',
  'deploymentEnvironment',
] as const;

/** Predicate-type families. */
export const FAMILIES = ['slsa-provenance', 'vsa', 'vulns', 'spdx', 'cyclonedx', 'npm-publish'] as const;

/** Rule kinds, by their discriminating key. */
export const RULE_KINDS = ['allOf', 'anyOf', 'atLeast', 'not', 'signedBy', 'attestation', 'equal', 'use'] as const;

/** Path-condition operators, by their discriminating key. */
export const CONDITION_OPERATORS = ['op', 'match', 'exists', 'every', 'some', 'count', 'onlyKeys', 'sameAs'] as const;

/** String-matcher kinds, by their discriminating key. */
export const MATCH_KINDS = ['exact', 'prefix', 'suffix', 'glob', 'regex', 'search', 'anyOf', 'allOf'] as const;

/** Maximum nesting of rules and conditions (bounds recursion). */
export const MAX_NESTING = 32;

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function nonNegInt(v: unknown): boolean {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

class Validator {
  readonly problems: PolicyProblem[] = [];

  err(path: (string | number)[], message: string, code = 'SCHEMA'): void {
    if (this.problems.length < 200) this.problems.push({ code, severity: 'error', path: formatPointer(path), message });
  }

  keys(v: Obj, allowed: readonly string[], path: (string | number)[]): void {
    for (const k of Object.keys(v)) {
      if (!allowed.includes(k)) this.err([...path, k], `unknown field ${JSON.stringify(k)} (allowed: ${allowed.join(', ')})`);
    }
  }

  object(v: unknown, path: (string | number)[], what: string): v is Obj {
    if (!isObj(v)) {
      this.err(path, `${what} must be an object`);
      return false;
    }
    return true;
  }

  string(v: unknown, path: (string | number)[], what: string, nonEmpty = true): v is string {
    if (typeof v !== 'string' || (nonEmpty && v === '')) {
      this.err(path, `${what} must be a ${nonEmpty ? 'non-empty ' : ''}string`);
      return false;
    }
    return true;
  }

  optString(o: Obj, k: string, path: (string | number)[], nonEmpty = true): void {
    if (o[k] !== undefined) this.string(o[k], [...path, k], k, nonEmpty);
  }

  bool(o: Obj, k: string, path: (string | number)[]): void {
    if (o[k] !== undefined && typeof o[k] !== 'boolean') this.err([...path, k], `${k} must be a boolean`);
  }

  int(o: Obj, k: string, path: (string | number)[], min: number): void {
    const v = o[k];
    if (v === undefined) return;
    if (!nonNegInt(v) || (v as number) < min) this.err([...path, k], `${k} must be an integer >= ${min}`);
  }

  oneOf(o: Obj, k: string, values: readonly string[], path: (string | number)[]): void {
    const v = o[k];
    if (v !== undefined && (typeof v !== 'string' || !values.includes(v))) {
      this.err([...path, k], `${k} must be one of ${values.join(', ')}`);
    }
  }

  array(v: unknown, path: (string | number)[], what: string, minItems: number): v is unknown[] {
    if (!Array.isArray(v)) {
      this.err(path, `${what} must be an array`);
      return false;
    }
    if (v.length < minItems) {
      this.err(path, `${what} must have at least ${minItems} item${minItems === 1 ? '' : 's'}`, minItems > 0 && v.length === 0 ? 'EMPTY' : 'SCHEMA');
      return false;
    }
    if (v.length > 10_000) {
      this.err(path, `${what} has more than 10000 items`);
      return false;
    }
    return true;
  }

  pointer(v: unknown, path: (string | number)[]): void {
    if (typeof v !== 'string' || parsePointer(v) === undefined) this.err(path, 'must be a JSON Pointer (RFC 6901), e.g. "/predicate/builder/id"', 'INVALID_POINTER');
  }

  duration(v: unknown, path: (string | number)[], signed = false): void {
    const d = parseDuration(v);
    if (d === undefined || (!signed && (d < 0n || (v as string).startsWith('-') || (v as string).startsWith('+')))) {
      this.err(path, `must be an ISO 8601 duration with weeks, days, hours, minutes or seconds, e.g. "P7D"${signed ? ' (optionally signed, e.g. "-P7D")' : ''}`, 'INVALID_DURATION');
    }
  }

  match(v: unknown, path: (string | number)[], depth = 0): void {
    if (!this.object(v, path, 'a string matcher')) return;
    const kinds = MATCH_KINDS.filter((k) => k in v);
    if (kinds.length !== 1) {
      this.err(path, `a string matcher has exactly one of ${MATCH_KINDS.join(', ')}`);
      return;
    }
    const kind = kinds[0]!;
    switch (kind) {
      case 'exact':
      case 'prefix':
      case 'suffix':
        this.keys(v, [kind], path);
        this.string(v[kind], [...path, kind], kind, kind !== 'exact');
        return;
      case 'glob':
        this.keys(v, ['glob', 'dialect'], path);
        this.string(v.glob, [...path, 'glob'], 'glob');
        if (v.dialect === undefined) this.err([...path, 'dialect'], 'a glob names its dialect: segment, policy-controller or kyverno');
        else this.oneOf(v, 'dialect', ['segment', 'policy-controller', 'kyverno'], path);
        return;
      case 'regex':
      case 'search':
        this.keys(v, [kind, 'ignoreCase'], path);
        this.string(v[kind], [...path, kind], kind, kind === 'regex');
        this.bool(v, 'ignoreCase', path);
        return;
      case 'anyOf':
      case 'allOf': {
        this.keys(v, [kind], path);
        if (depth > MAX_NESTING) return this.err(path, 'matchers nested too deeply');
        const list = v[kind];
        if (this.array(list, [...path, kind], kind, 1)) list.forEach((m, i) => this.match(m, [...path, kind, i], depth + 1));
        return;
      }
    }
  }

  document(doc: unknown): void {
    if (!this.object(doc, [], 'a policy')) return;
    this.keys(doc, KNOWN_KEYS.document, []);
    if (doc.apiVersion !== POLICY_API_VERSION) this.err(['apiVersion'], `apiVersion must be ${JSON.stringify(POLICY_API_VERSION)}`);
    this.string(doc.name, ['name'], 'name');
    this.optString(doc, 'description', [], false);
    this.oneOf(doc, 'mode', ['enforce', 'warn', 'audit'], []);
    this.oneOf(doc, 'noMatch', ['deny', 'allow', 'warn'], []);
    if (doc.clockSkew !== undefined) this.duration(doc.clockSkew, ['clockSkew']);
    if (doc.scope !== undefined && this.object(doc.scope, ['scope'], 'scope')) {
      const s = doc.scope;
      this.keys(s, KNOWN_KEYS.scope, ['scope']);
      for (const k of ['images', 'exclude'] as const) {
        if (s[k] !== undefined && this.array(s[k], ['scope', k], k, 1)) (s[k] as unknown[]).forEach((m, i) => this.match(m, ['scope', k, i]));
      }
      this.bool(s, 'requireDigest', ['scope']);
    }
    if (doc.limits !== undefined && this.object(doc.limits, ['limits'], 'limits')) {
      this.keys(doc.limits, KNOWN_KEYS.limits, ['limits']);
      for (const k of KNOWN_KEYS.limits) this.int(doc.limits, k, ['limits'], 1);
    }
    if (doc.importedFrom !== undefined && this.object(doc.importedFrom, ['importedFrom'], 'importedFrom')) {
      this.keys(doc.importedFrom, KNOWN_KEYS.importedFrom, ['importedFrom']);
      this.oneOf(doc.importedFrom, 'format', ['clusterimagepolicy', 'kyverno'], ['importedFrom']);
      this.optString(doc.importedFrom, 'apiVersion', ['importedFrom']);
      this.optString(doc.importedFrom, 'name', ['importedFrom'], false);
    }
    if (this.object(doc.authorities, ['authorities'], 'authorities')) {
      for (const [name, a] of Object.entries(doc.authorities)) this.authority(a, ['authorities', name]);
    }
    if (doc.rules !== undefined && this.object(doc.rules, ['rules'], 'rules')) {
      for (const [name, r] of Object.entries(doc.rules)) this.rule(r, ['rules', name], 0);
    }
    if (doc.require === undefined) this.err(['require'], 'require (the rule that must pass) is missing');
    else this.rule(doc.require, ['require'], 0);
  }

  minCount(o: Obj, k: string, path: (string | number)[]): void {
    if (o[k] === undefined) return;
    if (this.object(o[k], [...path, k], k)) {
      this.keys(o[k] as Obj, ['min'], [...path, k]);
      this.int(o[k] as Obj, 'min', [...path, k], 0);
      if ((o[k] as Obj).min === undefined) this.err([...path, k, 'min'], 'min is required');
    }
  }

  authority(a: unknown, path: (string | number)[]): void {
    if (!this.object(a, path, 'an authority')) return;
    switch (a.kind) {
      case 'keyless':
        this.keys(a, KNOWN_KEYS.keyless, path);
        this.minCount(a, 'tlog', path);
        this.minCount(a, 'timestamps', path);
        this.bool(a, 'requireSct', path);
        if (!Array.isArray(a.identities) || a.identities.length === 0) {
          // "No identity" must never mean "anyone".
          this.err([...path, 'identities'], 'a keyless authority needs at least one identity (issuer and subject); an empty list would accept anyone', 'EMPTY_IDENTITIES');
        } else {
          a.identities.forEach((id, i) => this.identity(id, [...path, 'identities', i]));
        }
        return;
      case 'key':
        this.keys(a, KNOWN_KEYS.key, path);
        this.minCount(a, 'tlog', path);
        this.minCount(a, 'timestamps', path);
        if (this.array(a.keys, [...path, 'keys'], 'keys', 1)) {
          a.keys.forEach((k, i) => {
            const p = [...path, 'keys', i];
            if (!this.object(k, p, 'a key')) return;
            this.keys(k, KNOWN_KEYS.keyEntry, p);
            this.optString(k, 'id', p);
            this.optString(k, 'pem', p);
            if (k.id === undefined && k.pem === undefined) this.err(p, 'a key needs an id or a pem');
          });
        }
        return;
      case 'static':
        this.keys(a, KNOWN_KEYS.static, path);
        if (a.decision !== 'pass' && a.decision !== 'fail') this.err([...path, 'decision'], 'decision must be pass or fail');
        this.optString(a, 'message', path, false);
        return;
      default:
        this.err([...path, 'kind'], 'kind must be keyless, key or static');
    }
  }

  identity(id: unknown, path: (string | number)[]): void {
    if (!this.object(id, path, 'an identity')) return;
    this.keys(id, KNOWN_KEYS.identity, path);
    if (id.issuer === undefined) this.err([...path, 'issuer'], 'an identity needs an issuer', 'IDENTITY_WITHOUT_ISSUER');
    else this.match(id.issuer, [...path, 'issuer']);
    if (id.subject === undefined) this.err([...path, 'subject'], 'an identity needs a subject', 'IDENTITY_WITHOUT_SUBJECT');
    else this.match(id.subject, [...path, 'subject']);
    if (id.extensions !== undefined && this.object(id.extensions, [...path, 'extensions'], 'extensions')) {
      for (const [k, m] of Object.entries(id.extensions)) {
        if (!(EXTENSION_KEYS as readonly string[]).includes(k)) this.err([...path, 'extensions', k], `unknown Fulcio extension name ${JSON.stringify(k)}`);
        else this.match(m, [...path, 'extensions', k]);
      }
    }
    if (id.oids !== undefined && this.array(id.oids, [...path, 'oids'], 'oids', 1)) {
      id.oids.forEach((o, i) => {
        const p = [...path, 'oids', i];
        if (!this.object(o, p, 'an OID constraint')) return;
        this.keys(o, KNOWN_KEYS.oid, p);
        if (typeof o.oid !== 'string' || !/^1\.3\.6\.1\.4\.1\.57264\.1\.[1-9][0-9]{0,3}$/.test(o.oid)) {
          this.err([...p, 'oid'], 'oid must be a Fulcio extension OID under 1.3.6.1.4.1.57264.1');
        }
        this.match(o.value, [...p, 'value']);
      });
    }
  }

  rule(r: unknown, path: (string | number)[], depth: number): void {
    if (!this.object(r, path, 'a rule')) return;
    if (depth > MAX_NESTING) return this.err(path, `rules nested deeper than ${MAX_NESTING}`);
    const kinds = RULE_KINDS.filter((k) => k in r);
    if (kinds.length !== 1) return this.err(path, `a rule has exactly one of ${RULE_KINDS.join(', ')}`);
    const kind = kinds[0]!;
    const list = (k: string) => {
      if (this.array(r[k], [...path, k], k, 1)) (r[k] as unknown[]).forEach((c, i) => this.rule(c, [...path, k, i], depth + 1));
    };
    switch (kind) {
      case 'allOf':
      case 'anyOf':
        this.keys(r, [kind, 'id'], path);
        this.optString(r, 'id', path);
        list(kind);
        return;
      case 'atLeast':
        this.keys(r, ['atLeast', 'of', 'id'], path);
        this.optString(r, 'id', path);
        this.int(r, 'atLeast', path, 1);
        list('of');
        if (nonNegInt(r.atLeast) && Array.isArray(r.of) && (r.atLeast as number) > r.of.length) {
          this.err([...path, 'atLeast'], `atLeast ${r.atLeast as number} exceeds the ${r.of.length} rules given`, 'THRESHOLD_INVALID');
        }
        return;
      case 'not':
        this.keys(r, ['not', 'id'], path);
        this.optString(r, 'id', path);
        this.rule(r.not, [...path, 'not'], depth + 1);
        return;
      case 'signedBy':
        this.keys(r, ['signedBy', 'distinctSigners', 'include', 'id'], path);
        this.optString(r, 'id', path);
        if (this.array(r.signedBy, [...path, 'signedBy'], 'signedBy', 1)) r.signedBy.forEach((a, i) => this.string(a, [...path, 'signedBy', i], 'an authority name'));
        this.int(r, 'distinctSigners', path, 1);
        this.oneOf(r, 'include', ['signatures', 'attestations', 'both'], path);
        return;
      case 'attestation':
        this.keys(r, ['attestation'], path);
        this.attestation(r.attestation, [...path, 'attestation'], depth);
        return;
      case 'equal':
        this.keys(r, ['equal', 'id'], path);
        this.optString(r, 'id', path);
        if (this.array(r.equal, [...path, 'equal'], 'equal', 2)) {
          r.equal.forEach((b, i) => {
            if (typeof b !== 'string' || !/^[^.]+\.[^.]+$/.test(b)) this.err([...path, 'equal', i], 'a binding reference is "<attestation id>.<name>"');
          });
        }
        return;
      case 'use':
        this.keys(r, ['use'], path);
        this.string(r.use, [...path, 'use'], 'use');
        return;
    }
  }

  attestation(a: unknown, path: (string | number)[], depth: number): void {
    if (!this.object(a, path, 'an attestation rule')) return;
    this.keys(a, KNOWN_KEYS.attestation, path);
    this.string(a.id, [...path, 'id'], 'id');
    if (typeof a.id === 'string' && a.id.includes('.')) this.err([...path, 'id'], 'id must not contain "."');
    const pt = a.predicateType;
    if (typeof pt === 'string') {
      if (pt === '') this.err([...path, 'predicateType'], 'predicateType must not be empty');
    } else if (isObj(pt) && 'anyOf' in pt) {
      this.keys(pt, ['anyOf'], [...path, 'predicateType']);
      if (this.array(pt.anyOf, [...path, 'predicateType', 'anyOf'], 'anyOf', 1)) pt.anyOf.forEach((t, i) => this.string(t, [...path, 'predicateType', 'anyOf', i], 'a predicate type'));
    } else if (isObj(pt) && 'family' in pt) {
      this.keys(pt, ['family'], [...path, 'predicateType']);
      this.oneOf(pt, 'family', FAMILIES, [...path, 'predicateType']);
    } else {
      this.err([...path, 'predicateType'], 'predicateType is a URI, { anyOf: [URI…] } or { family }');
    }
    if (this.array(a.by, [...path, 'by'], 'by', 1)) a.by.forEach((b, i) => this.string(b, [...path, 'by', i], 'an authority name'));
    this.oneOf(a, 'select', ['any', 'all', 'newest'], path);
    this.int(a, 'minCount', path, 1);
    if (a.subject !== undefined && this.object(a.subject, [...path, 'subject'], 'subject')) {
      const s = a.subject;
      const p = [...path, 'subject'];
      this.keys(s, KNOWN_KEYS.subject, p);
      if (s.digestAlgorithms !== undefined && this.array(s.digestAlgorithms, [...p, 'digestAlgorithms'], 'digestAlgorithms', 1)) {
        s.digestAlgorithms.forEach((d, i) => this.string(d, [...p, 'digestAlgorithms', i], 'an algorithm'));
      }
      if (s.name !== undefined) this.match(s.name, [...p, 'name']);
      this.bool(s, 'requireAllArtifactDigests', p);
      if (s.npmPackage !== undefined && this.object(s.npmPackage, [...p, 'npmPackage'], 'npmPackage')) {
        this.keys(s.npmPackage, ['name', 'version'], [...p, 'npmPackage']);
        const n = s.npmPackage.name;
        if (typeof n !== 'string' || !/^(@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/.test(n)) this.err([...p, 'npmPackage', 'name'], 'name is an npm package name, e.g. "@scope/name"');
        this.optString(s.npmPackage, 'version', [...p, 'npmPackage']);
        if (s.name !== undefined) this.err([...p, 'npmPackage'], 'give name or npmPackage, not both');
      }
      this.bool(s, 'allDigestAlgorithms', p);
    }
    if (a.maxAge !== undefined && this.object(a.maxAge, [...path, 'maxAge'], 'maxAge')) {
      const p = [...path, 'maxAge'];
      this.keys(a.maxAge, KNOWN_KEYS.maxAge, p);
      this.duration(a.maxAge.duration, [...p, 'duration']);
      const c = a.maxAge.clock;
      if (c !== 'verified') {
        if (isObj(c) && Object.keys(c).length === 1 && 'field' in c) this.pointer(c.field, [...p, 'clock', 'field']);
        else this.err([...p, 'clock'], 'clock is "verified" or { field: JSON Pointer }');
      }
    }
    if (a.where !== undefined && this.array(a.where, [...path, 'where'], 'where', 1)) a.where.forEach((c, i) => this.condition(c, [...path, 'where', i], depth + 1));
    if (a.slsa !== undefined) this.slsa(a.slsa, [...path, 'slsa']);
    if (a.vsa !== undefined) this.vsa(a.vsa, [...path, 'vsa']);
    if (a.vulns !== undefined) this.vulns(a.vulns, [...path, 'vulns']);
    if (a.bind !== undefined && this.object(a.bind, [...path, 'bind'], 'bind')) {
      for (const [k, v] of Object.entries(a.bind)) {
        if (k === '' || k.includes('.')) this.err([...path, 'bind', k], 'binding names are non-empty and have no "."');
        this.pointer(v, [...path, 'bind', k]);
      }
    }
  }

  slsa(s: unknown, path: (string | number)[]): void {
    if (!this.object(s, path, 'slsa')) return;
    this.keys(s, KNOWN_KEYS.slsa, path);
    for (const k of ['builderId', 'sourceUri', 'branch', 'tag', 'versionedTag']) this.optString(s, k, path);
    if (s.builderIdMatch !== undefined) this.match(s.builderIdMatch, [...path, 'builderIdMatch']);
    if (s.buildType !== undefined) this.match(s.buildType, [...path, 'buildType']);
    this.bool(s, 'builderIsSigner', path);
    if (typeof s.versionedTag === 'string' && !/^v?(0|[1-9]\d*)(\.(0|[1-9]\d*)(\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?)?)?$/.test(s.versionedTag)) {
      this.err([...path, 'versionedTag'], 'versionedTag is vMAJOR, vMAJOR.MINOR or vMAJOR.MINOR.PATCH[-pre]');
    }
    if ([s.tag, s.branch, s.versionedTag].filter((x) => x !== undefined).length > 1) this.err(path, 'give at most one of branch, tag, versionedTag');
    if (s.builderId !== undefined && s.builderIdMatch !== undefined) this.err(path, 'give builderId or builderIdMatch, not both');
    if (s.externalParameters !== undefined && this.object(s.externalParameters, [...path, 'externalParameters'], 'externalParameters')) {
      const e = s.externalParameters;
      this.keys(e, ['only', 'equals'], [...path, 'externalParameters']);
      if (e.only !== undefined && this.array(e.only, [...path, 'externalParameters', 'only'], 'only', 0)) e.only.forEach((k, i) => this.string(k, [...path, 'externalParameters', 'only', i], 'a key'));
      if (e.equals !== undefined) this.object(e.equals, [...path, 'externalParameters', 'equals'], 'equals');
    }
    if (s.workflowInputs !== undefined && this.object(s.workflowInputs, [...path, 'workflowInputs'], 'workflowInputs')) {
      for (const [k, v] of Object.entries(s.workflowInputs)) this.string(v, [...path, 'workflowInputs', k], 'an input value', false);
    }
  }

  levels(o: unknown, path: (string | number)[]): void {
    if (!this.object(o, path, 'levels')) return;
    for (const [track, n] of Object.entries(o)) {
      if (!/^[A-Z][A-Z0-9_]*$/.test(track)) this.err([...path, track], 'a track name is upper case, e.g. BUILD');
      if (!nonNegInt(n) || (n as number) > 9) this.err([...path, track], 'a level is an integer 0..9');
    }
  }

  vsa(s: unknown, path: (string | number)[]): void {
    if (!this.object(s, path, 'vsa')) return;
    this.keys(s, KNOWN_KEYS.vsa, path);
    for (const k of ['verifierId', 'resourceUri', 'policyUri']) if (s[k] !== undefined) this.match(s[k], [...path, k]);
    if (s.minLevels !== undefined) this.levels(s.minLevels, [...path, 'minLevels']);
    if (s.minDependencyLevels !== undefined) this.levels(s.minDependencyLevels, [...path, 'minDependencyLevels']);
    if (s.levels !== undefined && this.array(s.levels, [...path, 'levels'], 'levels', 1)) {
      s.levels.forEach((l, i) => {
        this.string(l, [...path, 'levels', i], 'a level');
        // Values starting with SLSA_ are reserved for SLSA levels; custom ones must not use the prefix.
        if (typeof l === 'string' && l.startsWith('SLSA_') && !/^SLSA_[A-Z][A-Z0-9]*_LEVEL_(?:[0-9]|UNEVALUATED)$/.test(l)) {
          this.err([...path, 'levels', i], 'values starting with SLSA_ are SLSA levels (SLSA_<TRACK>_LEVEL_<N>); custom values must not start with SLSA_');
        }
      });
    }
  }

  vulns(s: unknown, path: (string | number)[]): void {
    if (!this.object(s, path, 'vulns')) return;
    this.keys(s, KNOWN_KEYS.vulns, path);
    this.oneOf(s, 'maxSeverity', ['none', 'low', 'medium', 'high', 'critical'], path);
    if (s.maxCount !== undefined && this.object(s.maxCount, [...path, 'maxCount'], 'maxCount')) {
      this.keys(s.maxCount, ['low', 'medium', 'high', 'critical'], [...path, 'maxCount']);
      for (const k of ['low', 'medium', 'high', 'critical']) this.int(s.maxCount, k, [...path, 'maxCount'], 0);
    }
    if (s.ignore !== undefined && this.array(s.ignore, [...path, 'ignore'], 'ignore', 0)) s.ignore.forEach((x, i) => this.string(x, [...path, 'ignore', i], 'a vulnerability id'));
    if (s.dbMaxAge !== undefined) this.duration(s.dbMaxAge, [...path, 'dbMaxAge']);
  }

  timeValue(v: unknown, path: (string | number)[]): void {
    if (typeof v === 'string') {
      if (parseTimestamp(v) === undefined) this.err(path, 'must be an RFC 3339 timestamp', 'INVALID_TIME');
      return;
    }
    if (isObj(v) && (v.clock === 'now' || v.clock === 'verifiedTime')) {
      this.keys(v, ['clock', 'offset'], path);
      if (v.offset !== undefined) this.duration(v.offset, [...path, 'offset'], true);
      return;
    }
    this.err(path, 'a time is RFC 3339 text or { clock: "now" | "verifiedTime", offset? }');
  }

  conditions(list: unknown, path: (string | number)[], depth: number, k: string): void {
    if (this.array(list, path, k, 1)) list.forEach((c, i) => this.condition(c, [...path, i], depth + 1));
  }

  condition(c: unknown, path: (string | number)[], depth: number): void {
    if (!this.object(c, path, 'a condition')) return;
    if (depth > MAX_NESTING) return this.err(path, `conditions nested deeper than ${MAX_NESTING}`);
    const meta = ['reason', 'message'];
    for (const k of meta) this.optString(c, k, path);
    if ('allOf' in c || 'anyOf' in c) {
      const k = 'allOf' in c ? 'allOf' : 'anyOf';
      this.keys(c, [k, ...meta], path);
      this.conditions(c[k], [...path, k], depth, k);
      return;
    }
    if ('cases' in c) {
      this.keys(c, ['cases', ...meta], path);
      if (this.object(c.cases, [...path, 'cases'], 'cases')) {
        if (Object.keys(c.cases).length === 0) this.err([...path, 'cases'], 'cases must not be empty');
        for (const [t, list] of Object.entries(c.cases)) this.conditions(list, [...path, 'cases', t], depth, 'a case');
      }
      return;
    }
    if ('plugin' in c) {
      this.keys(c, ['plugin', 'source', 'entry', 'message'], path);
      this.oneOf(c, 'plugin', ['cel', 'rego', 'cue', 'jmespath'], path);
      this.string(c.source, [...path, 'source'], 'source');
      this.optString(c, 'entry', path);
      return;
    }
    const ops = CONDITION_OPERATORS.filter((k) => k in c);
    if (ops.length !== 1) {
      return this.err(path, `a condition has a path and exactly one of ${CONDITION_OPERATORS.join(', ')} (or is allOf, anyOf, cases, plugin)`);
    }
    const op = ops[0]!;
    this.pointer(c.path, [...path, 'path']);
    this.oneOf(c, 'on', ['statement', 'signer'], path);
    this.oneOf(c, 'ifAbsent', ['fail', 'indeterminate'], path);
    const base = KNOWN_KEYS.pathCondition as readonly string[];
    switch (op) {
      case 'op': {
        this.keys(c, [...base, 'op', 'value', 'as'], path);
        this.oneOf(c, 'as', ['number', 'semver', 'time', 'severity'], path);
        if (!('value' in c)) this.err([...path, 'value'], 'value is required');
        switch (c.op) {
          case 'eq':
          case 'ne':
            return;
          case 'in':
          case 'notIn':
            if (!Array.isArray(c.value)) this.err([...path, 'value'], `${c.op} needs an array value`);
            if (c.as !== undefined) this.err([...path, 'as'], `as is not used with ${c.op}`);
            return;
          case 'lt':
          case 'lte':
          case 'gt':
          case 'gte':
            if (c.as === undefined) return this.err([...path, 'as'], 'ordered comparisons say how to compare: as number, semver, time or severity');
            if (c.as === 'time') this.timeValue(c.value, [...path, 'value']);
            else if (c.as === 'number' && typeof c.value !== 'number') this.err([...path, 'value'], 'a number comparison needs a number value');
            else if ((c.as === 'semver' || c.as === 'severity') && typeof c.value !== 'string') this.err([...path, 'value'], `a ${c.as} comparison needs a string value`);
            return;
          default:
            return this.err([...path, 'op'], 'op must be eq, ne, in, notIn, lt, lte, gt or gte');
        }
      }
      case 'match':
        this.keys(c, [...base, 'match'], path);
        return this.match(c.match, [...path, 'match']);
      case 'exists':
        this.keys(c, [...base, 'exists'], path);
        if (typeof c.exists !== 'boolean') this.err([...path, 'exists'], 'exists must be a boolean');
        return;
      case 'every':
      case 'some':
        this.keys(c, [...base, op, 'flatten'], path);
        if (c.flatten !== undefined) this.pointer(c.flatten, [...path, 'flatten']);
        return this.conditions(c[op], [...path, op], depth, op);
      case 'count': {
        this.keys(c, [...base, 'count', 'where', 'flatten'], path);
        if (c.flatten !== undefined) this.pointer(c.flatten, [...path, 'flatten']);
        if (this.object(c.count, [...path, 'count'], 'count')) {
          this.keys(c.count, ['min', 'max'], [...path, 'count']);
          this.int(c.count, 'min', [...path, 'count'], 0);
          this.int(c.count, 'max', [...path, 'count'], 0);
          if (c.count.min === undefined && c.count.max === undefined) this.err([...path, 'count'], 'count needs min or max');
        }
        if (c.where !== undefined) this.conditions(c.where, [...path, 'where'], depth, 'where');
        return;
      }
      case 'onlyKeys':
        this.keys(c, [...base, 'onlyKeys'], path);
        if (this.array(c.onlyKeys, [...path, 'onlyKeys'], 'onlyKeys', 0)) c.onlyKeys.forEach((k, i) => this.string(k, [...path, 'onlyKeys', i], 'a key'));
        return;
      case 'sameAs':
        this.keys(c, [...base, 'sameAs'], path);
        if (this.object(c.sameAs, [...path, 'sameAs'], 'sameAs')) {
          this.keys(c.sameAs, ['on', 'path'], [...path, 'sameAs']);
          this.oneOf(c.sameAs, 'on', ['statement', 'signer'], [...path, 'sameAs']);
          this.pointer(c.sameAs.path, [...path, 'sameAs', 'path']);
        }
        return;
    }
  }
}

/** Validates the shape of a policy document; returns the errors (empty when valid). */
export function validatePolicyShape(doc: unknown): PolicyProblem[] {
  const v = new Validator();
  v.document(doc);
  return v.problems;
}
