/**
 * Import of Kyverno `ClusterPolicy` / `Policy` rules with `verifyImages`
 * (kyverno.io/v1 and v2beta1), keeping Kyverno's semantics visible:
 * `imageReferences` are Kyverno wildcards (`*` crosses `/`), keyless
 * `subject`/`issuer` are wildcards too (not exact), `*RegExp` fields are
 * unanchored (`search`), every attestor set must hold `count` entries
 * (unset or 0 = all), nested sets count as one entry, and ALL statements
 * of an attestation type must pass its conditions (`select: all`). Simple
 * `{{ a.b }}` conditions become typed conditions on `/predicate/a/b`
 * (Kyverno merges the predicate into the context root); anything else is
 * a JMESPath plug-in condition and reported.
 * @module
 */
import { requireString } from '../../arguments.js';
import { POLICY_API_VERSION, type Authority, type Condition, type FulcioExtensionKey, type Identity, type Json, type PolicyDocument, type Rule, type StringMatch } from '../document.js';
import { ptr } from '../shortcuts/expansion.js';
import { EXTENSION_KEYS } from '../validate.js';
import { DiagnosticSink, isObj, type ImportDiagnostic, type ImportResult } from './diagnostics.js';
import { readYamlDocuments } from './yaml-documents.js';

/** API versions accepted. */
export const KYVERNO_API_VERSIONS = ['kyverno.io/v1', 'kyverno.io/v2beta1', 'kyverno.io/v2'] as const;

type P = (string | number)[];

interface Ctx {
  readonly d: DiagnosticSink;
  readonly authorities: Record<string, Authority>;
  counter: number;
}

const wild = (s: string): StringMatch => ({ glob: s, dialect: 'kyverno' });

function matcher(k: Record<string, unknown>, plain: string, re: string, path: P, ctx: Ctx): StringMatch | undefined {
  const out: StringMatch[] = [];
  if (typeof k[plain] === 'string' && k[plain] !== '') {
    const v = k[plain] as string;
    out.push(/[*?]/.test(v) ? wild(v) : { exact: v });
    if (/[*?]/.test(v)) ctx.d.add('semantics', 'WILDCARD', [...path, plain], `Kyverno keyless.${plain} is a wildcard match; imported as a kyverno glob (in policy-controller and cosign the same field is exact)`);
  }
  if (typeof k[re] === 'string' && k[re] !== '') {
    out.push({ search: k[re] as string });
    ctx.d.add('semantics', 'UNANCHORED_REGEX', [...path, re], `${re} is an unanchored Go regexp; imported as { search }`);
  }
  // Both set: both are enforced (CVE-2025-29778 was one of them being skipped).
  return out.length === 0 ? undefined : out.length === 1 ? out[0] : { allOf: out };
}

/**
 * Splits a multi-PEM string into single PEM blocks.
 * @throws SigvetError `INVALID_ARGUMENT` (check `argument.splitPems`) when `s` is not a string.
 */
export function splitPems(s: string): string[] {
  requireString(s, 'splitPems', 's');
  return s.match(/-----BEGIN [A-Z ]+-----[\s\S]*?-----END [A-Z ]+-----/g) ?? [];
}

/** One attestor entry → rule factories (one per key for multi-PEM entries). */
function entry(e: unknown, path: P, ctx: Ctx, make: (authority: string) => Rule): Rule[] {
  const { d } = ctx;
  if (!isObj(e)) {
    d.add('invalid', 'SCHEMA', path, 'an attestor entry is an object');
    return [];
  }
  d.unknownKeys(e, ['keys', 'keyless', 'certificates', 'attestor', 'repository', 'annotations'], path);
  if (e.repository !== undefined) d.add('unmapped', 'REPOSITORY', [...path, 'repository'], 'signature repository is a retrieval setting');
  if (e.annotations !== undefined) d.add('unmapped', 'ANNOTATIONS', [...path, 'annotations'], 'simple-signing annotations are not part of verified evidence');
  if (isObj(e.attestor)) {
    // A nested set counts as one entry of the enclosing set.
    const nested = attestorSet(e.attestor, [...path, 'attestor'], ctx, make);
    return nested ? [nested] : [];
  }
  if (e.certificates !== undefined) {
    d.add('unmapped', 'CERTIFICATES', [...path, 'certificates'], 'certificate-based attestors (cert/certChain) are not supported');
    return [];
  }
  if (isObj(e.keys)) {
    const k = e.keys;
    d.unknownKeys(k, ['publicKeys', 'kms', 'secret', 'signatureAlgorithm', 'rekor', 'ctlog'], [...path, 'keys']);
    for (const x of ['kms', 'secret']) if (k[x] !== undefined) d.add('unmapped', 'KEY_REFERENCE', [...path, 'keys', x], `${x} keys must be resolved by the caller to a public key`);
    if (k.signatureAlgorithm !== undefined) d.add('unmapped', 'SIGNATURE_ALGORITHM', [...path, 'keys', 'signatureAlgorithm'], 'the signature algorithm is a verifier setting');
    tlogSettings(k, [...path, 'keys'], ctx);
    const pems = typeof k.publicKeys === 'string' ? splitPems(k.publicKeys) : [];
    if (pems.length === 0) {
      if (k.publicKeys !== undefined) d.add('unmapped', 'NO_KEY_DATA', [...path, 'keys', 'publicKeys'], 'publicKeys holds no PEM block (Kubernetes secret or KMS references are not resolved)');
      return [];
    }
    // Kyverno splits a multi-PEM value into separate entries.
    return pems.map((pem) => {
      const name = `key-${ctx.counter++}`;
      ctx.authorities[name] = { kind: 'key', keys: [{ pem }] };
      return make(name);
    });
  }
  if (isObj(e.keyless)) {
    const k = e.keyless;
    const p = [...path, 'keyless'];
    d.unknownKeys(k, ['subject', 'issuer', 'subjectRegExp', 'issuerRegExp', 'roots', 'additionalExtensions', 'rekor', 'ctlog'], p);
    if (k.roots !== undefined) d.add('unmapped', 'TRUST_ROOT_SETTING', [...p, 'roots'], 'custom roots select trust material; configure the verifier instead');
    tlogSettings(k, p, ctx);
    const issuer = matcher(k, 'issuer', 'issuerRegExp', p, ctx);
    const subject = matcher(k, 'subject', 'subjectRegExp', p, ctx);
    if (!issuer) d.add('unmapped', 'IDENTITY_WITHOUT_ISSUER', p, 'keyless attestor without issuer: sigvet requires issuer AND subject (the imported policy will not compile until one is added)');
    if (!subject) d.add('unmapped', 'IDENTITY_WITHOUT_SUBJECT', p, 'keyless attestor without subject: sigvet requires issuer AND subject (the imported policy will not compile until one is added)');
    const extensions: Partial<Record<FulcioExtensionKey, StringMatch>> = {};
    if (isObj(k.additionalExtensions)) {
      for (const [name, v] of Object.entries(k.additionalExtensions)) {
        if (name === 'issuer') continue;
        if (typeof v !== 'string' || v === '') continue;
        if ((EXTENSION_KEYS as readonly string[]).includes(name)) extensions[name as FulcioExtensionKey] = /[*?]/.test(v) ? wild(v) : { exact: v };
        else d.add('unmapped', 'UNKNOWN_EXTENSION', [...p, 'additionalExtensions', name], `unknown extension ${name}`);
      }
    }
    const id = { ...(issuer ? { issuer } : {}), ...(subject ? { subject } : {}), ...(Object.keys(extensions).length ? { extensions } : {}) } as Identity;
    const name = `keyless-${ctx.counter++}`;
    ctx.authorities[name] = { kind: 'keyless', identities: [id], ...(isObj(k.ctlog) && k.ctlog.ignoreSCT === true ? { requireSct: false } : {}) };
    return [make(name)];
  }
  d.add('invalid', 'SCHEMA', path, 'an attestor entry has keys, keyless, certificates or attestor');
  return [];
}

function tlogSettings(k: Record<string, unknown>, path: P, ctx: Ctx): void {
  if (isObj(k.rekor)) {
    if (k.rekor.ignoreTlog === true) ctx.d.add('unmapped', 'TLOG_IGNORED', [...path, 'rekor', 'ignoreTlog'], 'ignoreTlog is a verifier setting; sigvet requires the transparency log unless the verifier is told otherwise');
    const rest = Object.keys(k.rekor).filter((x) => x !== 'ignoreTlog');
    if (rest.length) ctx.d.add('unmapped', 'REKOR_SETTING', [...path, 'rekor'], `rekor ${rest.join(', ')} are verifier settings`);
  }
  if (isObj(k.ctlog)) {
    if (k.ctlog.ignoreSCT === true) ctx.d.add('semantics', 'SCT_IGNORED', [...path, 'ctlog', 'ignoreSCT'], 'certificates without SCTs are accepted (requireSct: false)');
    const rest = Object.keys(k.ctlog).filter((x) => x !== 'ignoreSCT');
    if (rest.length) ctx.d.add('unmapped', 'CTLOG_SETTING', [...path, 'ctlog'], `ctlog ${rest.join(', ')} are verifier settings`);
  }
}

/** An attestor set → `atLeast(count || n, entries)`. */
function attestorSet(set: unknown, path: P, ctx: Ctx, make: (authority: string) => Rule): Rule | undefined {
  if (!isObj(set)) {
    ctx.d.add('invalid', 'SCHEMA', path, 'an attestor set is an object');
    return undefined;
  }
  ctx.d.unknownKeys(set, ['count', 'entries'], path);
  const entries = Array.isArray(set.entries) ? set.entries.flatMap((e, i) => entry(e, [...path, 'entries', i], ctx, make)) : [];
  if (entries.length === 0) {
    ctx.d.add('unmapped', 'EMPTY_ATTESTOR_SET', [...path, 'entries'], 'an attestor set without usable entries cannot be expressed');
    return undefined;
  }
  const count = typeof set.count === 'number' && set.count > 0 ? set.count : entries.length;
  if (typeof set.count === 'number' && set.count === 0) ctx.d.add('semantics', 'COUNT_ZERO_MEANS_ALL', [...path, 'count'], 'count 0 means all entries in Kyverno');
  if (count > entries.length) {
    ctx.d.add('invalid', 'THRESHOLD_INVALID', [...path, 'count'], `count ${count} exceeds the ${entries.length} entries`);
    return undefined;
  }
  return entries.length === 1 ? entries[0] : { atLeast: count, of: entries };
}

const SIMPLE_KEY = /^\{\{\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)\s*\}\}$/;

/** A Kyverno condition → a typed condition, or a JMESPath plug-in condition. */
function condition(c: unknown, path: P, ctx: Ctx): Condition | undefined {
  const { d } = ctx;
  if (!isObj(c)) {
    d.add('invalid', 'SCHEMA', path, 'a condition is an object');
    return undefined;
  }
  d.unknownKeys(c, ['key', 'operator', 'value', 'message'], path);
  const msg = typeof c.message === 'string' ? { message: c.message } : {};
  const m = typeof c.key === 'string' ? SIMPLE_KEY.exec(c.key.trim()) : null;
  const op = typeof c.operator === 'string' ? c.operator : '';
  const value = c.value as Json;
  const plugin = (why: string): Condition => {
    d.add('unmapped', 'JMESPATH_CONDITION', path, `${why}; imported as a jmespath plug-in condition (indeterminate unless an evaluator is supplied)`);
    return { plugin: 'jmespath', source: JSON.stringify({ key: c.key, operator: c.operator, value: c.value }), ...msg };
  };
  if (!m) return plugin(`key ${JSON.stringify(c.key)} is not a plain {{ a.b.c }} path`);
  // Kyverno merges the predicate into the context root: paths are predicate-relative.
  const p = ptr('predicate', ...m[1]!.split('.'));
  const isNum = typeof value === 'number';
  switch (op) {
    case 'Equals':
    case 'Equal':
      if (typeof value === 'string' && /[*?]/.test(value)) return { path: p, match: wild(value), ...msg };
      return { path: p, op: 'eq', value, ...msg };
    case 'NotEquals':
    case 'NotEqual':
      return { path: p, op: 'ne', value, ...msg };
    case 'In':
    case 'AnyIn':
      if (!Array.isArray(value)) return plugin(`${op} with a non-list value`);
      return { path: p, op: 'in', value, ...msg };
    case 'NotIn':
    case 'AllNotIn':
      if (!Array.isArray(value)) return plugin(`${op} with a non-list value`);
      return { path: p, op: 'notIn', value, ...msg };
    case 'GreaterThan':
    case 'GreaterThanOrEquals':
    case 'LessThan':
    case 'LessThanOrEquals': {
      if (!isNum) return plugin(`${op} on a non-numeric value (Kyverno also compares quantities, durations and versions)`);
      const o = op === 'GreaterThan' ? 'gt' : op === 'GreaterThanOrEquals' ? 'gte' : op === 'LessThan' ? 'lt' : 'lte';
      return { path: p, op: o, value, as: 'number', ...msg };
    }
    default:
      return plugin(`operator ${JSON.stringify(op)} is not mapped natively`);
  }
}

function conditions(list: unknown, path: P, ctx: Ctx): Condition[] {
  if (!Array.isArray(list)) return [];
  const out: Condition[] = [];
  list.forEach((block, i) => {
    const p = [...path, i];
    if (!isObj(block)) return ctx.d.add('invalid', 'SCHEMA', p, 'a condition block is an object');
    ctx.d.unknownKeys(block, ['all', 'any'], p);
    const all = Array.isArray(block.all) ? block.all.map((c, j) => condition(c, [...p, 'all', j], ctx)).filter((x): x is Condition => x !== undefined) : [];
    const any = Array.isArray(block.any) ? block.any.map((c, j) => condition(c, [...p, 'any', j], ctx)).filter((x): x is Condition => x !== undefined) : [];
    out.push(...all);
    if (any.length) out.push(any.length === 1 ? any[0]! : { anyOf: any });
  });
  return out;
}

function verifyImages(vi: unknown, path: P, ctx: Ctx, base: { name: string; apiVersion: string; mode: 'enforce' | 'audit' }): PolicyDocument | undefined {
  const { d } = ctx;
  if (!isObj(vi)) {
    d.add('invalid', 'SCHEMA', path, 'a verifyImages entry is an object');
    return undefined;
  }
  d.unknownKeys(vi, ['type', 'imageReferences', 'skipImageReferences', 'attestors', 'attestations', 'mutateDigest', 'verifyDigest', 'required', 'useCache', 'repository', 'imageRegistryCredentials', 'cosignOCI11', 'failureAction', 'validate'], path);
  if (vi.type !== undefined && vi.type !== 'Cosign' && vi.type !== 'SigstoreBundle') {
    d.add('unmapped', 'SIGNATURE_TYPE', [...path, 'type'], `type ${String(vi.type)} (e.g. Notary) is not Sigstore: the entry was not imported`);
    return undefined;
  }
  for (const k of ['useCache', 'repository', 'imageRegistryCredentials', 'cosignOCI11']) {
    if (vi[k] !== undefined) d.add('unmapped', 'RETRIEVAL_SETTING', [...path, k], `${k} is a retrieval setting`);
  }
  if (vi.mutateDigest !== false) d.add('semantics', 'NO_MUTATION', [...path, 'mutateDigest'], 'sigvet never mutates references; the digest evaluated is reported in the verdict');
  if (vi.required === false) d.add('unmapped', 'NOT_REQUIRED', [...path, 'required'], 'required: false (unverified images admitted) has no equivalent; the policy denies when it fails');
  if (vi.validate !== undefined) d.add('unmapped', 'VALIDATE_BLOCK', [...path, 'validate'], 'verifyImages.validate (JMESPath deny over context) is not mapped');
  const images = Array.isArray(vi.imageReferences) ? vi.imageReferences.filter((x): x is string => typeof x === 'string').map(wild) : [];
  const exclude = Array.isArray(vi.skipImageReferences) ? vi.skipImageReferences.filter((x): x is string => typeof x === 'string').map(wild) : [];
  const rules: Rule[] = [];
  if (Array.isArray(vi.attestors)) {
    vi.attestors.forEach((set, i) => {
      const r = attestorSet(set, [...path, 'attestors', i], ctx, (a) => ({ signedBy: [a] }));
      if (r) rules.push(r);
    });
  }
  if (Array.isArray(vi.attestations)) {
    vi.attestations.forEach((att, i) => {
      const p = [...path, 'attestations', i];
      if (!isObj(att)) return d.add('invalid', 'SCHEMA', p, 'an attestation is an object');
      d.unknownKeys(att, ['type', 'predicateType', 'name', 'attestors', 'conditions'], p);
      const type = typeof att.type === 'string' ? att.type : typeof att.predicateType === 'string' ? att.predicateType : undefined;
      if (!type) return d.add('invalid', 'SCHEMA', [...p, 'type'], 'attestation type is required');
      const where = conditions(att.conditions, [...p, 'conditions'], ctx);
      const make = (authority: string): Rule => ({
        attestation: { id: `att-${ctx.counter++}`, predicateType: type, by: [authority], select: 'all', ...(where.length ? { where } : {}) },
      });
      const sets = Array.isArray(att.attestors) ? att.attestors : [];
      if (sets.length === 0) {
        // Kyverno fills an empty list with one empty entry: any verified signer. Never "anyone" here.
        d.add('unmapped', 'ATTESTATION_WITHOUT_ATTESTORS', [...p, 'attestors'], 'an attestation without attestors accepts any verified signer in Kyverno; sigvet requires a signer (the imported policy will not compile until one is added)');
        rules.push({ attestation: { id: `att-${ctx.counter++}`, predicateType: type, by: [], select: 'all', ...(where.length ? { where } : {}) } });
        return;
      }
      sets.forEach((set, j) => {
        const r = attestorSet(set, [...p, 'attestors', j], ctx, make);
        if (r) rules.push(r);
      });
    });
  }
  if (rules.length === 0) {
    d.add('unmapped', 'NOTHING_TO_VERIFY', path, 'no attestor or attestation could be imported');
    return undefined;
  }
  const failureAction = vi.failureAction === 'Audit' ? 'audit' : vi.failureAction === 'Enforce' ? 'enforce' : base.mode;
  return {
    apiVersion: POLICY_API_VERSION,
    name: base.name,
    ...(failureAction === 'audit' ? { mode: 'audit' as const } : {}),
    ...(images.length || vi.verifyDigest !== false
      ? { scope: { ...(images.length ? { images } : {}), ...(exclude.length ? { exclude } : {}), ...(vi.verifyDigest !== false ? { requireDigest: true } : {}) } }
      : {}),
    authorities: ctx.authorities,
    require: rules.length === 1 ? rules[0]! : { allOf: rules },
    importedFrom: { format: 'kyverno', apiVersion: base.apiVersion, name: base.name },
  };
}

function importOne(doc: unknown, d: DiagnosticSink): PolicyDocument[] {
  if (!isObj(doc)) {
    d.add('invalid', 'NOT_A_POLICY', [], 'the document is not a mapping');
    return [];
  }
  if (doc.kind === 'ImageValidatingPolicy') {
    d.add('unmapped', 'CEL_POLICY', ['kind'], 'ImageValidatingPolicy (CEL) is not imported');
    return [];
  }
  if ((doc.kind !== 'ClusterPolicy' && doc.kind !== 'Policy') || !(KYVERNO_API_VERSIONS as readonly unknown[]).includes(doc.apiVersion)) {
    d.add('invalid', 'NOT_A_POLICY', ['kind'], `expected a Kyverno ClusterPolicy or Policy (${KYVERNO_API_VERSIONS.join(', ')}), found ${String(doc.kind)} ${String(doc.apiVersion)}`);
    return [];
  }
  const meta = isObj(doc.metadata) ? doc.metadata : {};
  const policyName = typeof meta.name === 'string' ? meta.name : 'imported-kyverno-policy';
  const spec = isObj(doc.spec) ? doc.spec : undefined;
  if (!spec || !Array.isArray(spec.rules)) {
    d.add('invalid', 'SCHEMA', ['spec', 'rules'], 'spec.rules is required');
    return [];
  }
  const action = typeof spec.validationFailureAction === 'string' ? spec.validationFailureAction.toLowerCase() : 'audit';
  const mode = action === 'enforce' ? 'enforce' : 'audit';
  if (spec.validationFailureAction === undefined) d.add('semantics', 'DEFAULT_AUDIT', ['spec', 'validationFailureAction'], 'Kyverno defaults to Audit: the policy reports but is not enforced');
  const out: PolicyDocument[] = [];
  spec.rules.forEach((rule, i) => {
    const p = ['spec', 'rules', i];
    if (!isObj(rule)) return d.add('invalid', 'SCHEMA', p, 'a rule is an object');
    if (!Array.isArray(rule.verifyImages)) return; // not an image-verification rule
    for (const k of ['match', 'exclude', 'context', 'preconditions']) {
      if (rule[k] !== undefined) d.add('unmapped', 'RULE_SCOPING', [...p, k], `rule ${k} is Kubernetes admission scoping or context; apply it in the caller`);
    }
    const ruleName = typeof rule.name === 'string' ? rule.name : `rule-${i}`;
    const list = rule.verifyImages as unknown[];
    list.forEach((vi, j) => {
      const ctx: Ctx = { d, authorities: {}, counter: 0 };
      const name = list.length > 1 ? `${policyName}/${ruleName}/${j}` : `${policyName}/${ruleName}`;
      const pol = verifyImages(vi, [...p, 'verifyImages', j], ctx, { name, apiVersion: doc.apiVersion as string, mode });
      if (pol) out.push(pol);
    });
  });
  if (out.length === 0) d.add('unmapped', 'NO_VERIFY_IMAGES', ['spec', 'rules'], 'no verifyImages rule was imported');
  return out;
}

/** Imports the `verifyImages` rules of every Kyverno policy in a YAML text. */
export function importKyverno(yamlText: string): ImportResult {
  const policies: PolicyDocument[] = [];
  const diagnostics: ImportDiagnostic[] = [];
  const docs = readYamlDocuments(yamlText);
  if (docs.length === 0) diagnostics.push({ document: 0, path: '', severity: 'invalid', code: 'EMPTY', message: 'no YAML document found' });
  for (const doc of docs) {
    const d = new DiagnosticSink(doc.index);
    if ('error' in doc) d.add('invalid', 'YAML', [], `YAML: ${doc.error}`);
    else policies.push(...importOne(doc.value, d));
    diagnostics.push(...d.list);
  }
  return { policies, diagnostics };
}
