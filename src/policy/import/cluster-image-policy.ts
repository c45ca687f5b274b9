/**
 * Import of sigstore policy-controller `ClusterImagePolicy` documents
 * (policy.sigstore.dev v1alpha1 and v1beta1), keeping their semantics
 * visible: images are `policy-controller` globs; authorities are OR'd; an
 * authority with attestations requires each one, satisfied by ANY matching
 * attestation (`select: any`); identity regexes are unanchored (`search`);
 * cosign short predicate-type names are expanded exactly. CUE/Rego bodies,
 * trust-root and retrieval settings do not map and are reported.
 * @module
 */
import { POLICY_API_VERSION, type Authority, type Condition, type Identity, type PolicyDocument, type Rule, type StringMatch } from '../document.js';
import { COSIGN_SHORT_NAMES } from '../predicate-types.js';
import { DiagnosticSink, isObj, type ImportDiagnostic, type ImportResult } from './diagnostics.js';
import { readYamlDocuments } from './yaml-documents.js';

/** API versions accepted. */
export const CIP_API_VERSIONS = ['policy.sigstore.dev/v1alpha1', 'policy.sigstore.dev/v1beta1'] as const;

type P = (string | number)[];

function identity(id: unknown, path: P, d: DiagnosticSink): Identity | undefined {
  if (!isObj(id)) {
    d.add('invalid', 'SCHEMA', path, 'an identity is an object');
    return undefined;
  }
  d.unknownKeys(id, ['issuer', 'subject', 'issuerRegExp', 'subjectRegExp'], path);
  const pick = (exactKey: string, reKey: string): StringMatch | undefined => {
    const e = id[exactKey];
    const r = id[reKey];
    const out: StringMatch[] = [];
    if (typeof e === 'string' && e !== '') out.push({ exact: e });
    if (typeof r === 'string' && r !== '') {
      // Go regexp.MatchString: a substring match. Kept visible as `search`.
      out.push({ search: r });
      d.add('semantics', 'UNANCHORED_REGEX', [...path, reKey], `${reKey} is an unanchored Go regexp in policy-controller; imported as { search } (matches any string containing a match)`);
    }
    // Both set: policy-controller checks both.
    return out.length === 0 ? undefined : out.length === 1 ? out[0] : { allOf: out };
  };
  const issuer = pick('issuer', 'issuerRegExp');
  const subject = pick('subject', 'subjectRegExp');
  if (!issuer) d.add('unmapped', 'IDENTITY_WITHOUT_ISSUER', path, 'identity has no issuer: sigvet requires issuer AND subject (the imported policy will not compile until one is added)');
  if (!subject) d.add('unmapped', 'IDENTITY_WITHOUT_SUBJECT', path, 'identity has no subject: sigvet requires issuer AND subject (the imported policy will not compile until one is added)');
  return { ...(issuer ? { issuer } : {}), ...(subject ? { subject } : {}) } as Identity;
}

function predicateType(t: unknown, path: P, d: DiagnosticSink): string | undefined {
  if (typeof t !== 'string' || t === '') {
    d.add('invalid', 'SCHEMA', path, 'predicateType must be a non-empty string');
    return undefined;
  }
  const expanded = COSIGN_SHORT_NAMES[t];
  if (expanded) {
    d.add('semantics', 'SHORT_NAME_EXPANDED', path, `cosign short name ${JSON.stringify(t)} means ${expanded}${t === 'slsaprovenance' ? ' (SLSA v0.2, not v1)' : ''}`);
    return expanded;
  }
  return t;
}

function authority(a: unknown, i: number, path: P, d: DiagnosticSink, authorities: Record<string, Authority>): Rule | undefined {
  if (!isObj(a)) {
    d.add('invalid', 'SCHEMA', path, 'an authority is an object');
    return undefined;
  }
  d.unknownKeys(a, ['name', 'key', 'keyless', 'static', 'source', 'ctlog', 'attestations', 'rfc3161timestamp', 'signatureFormat'], path);
  const name = typeof a.name === 'string' && a.name !== '' ? a.name : `authority-${i}`;
  for (const k of ['source', 'ctlog', 'rfc3161timestamp', 'signatureFormat']) {
    if (a[k] !== undefined) d.add('unmapped', 'RETRIEVAL_OR_TRUST_SETTING', [...path, k], `${k} configures retrieval or trust material, which belongs to the verifier, not the policy`);
  }
  if (isObj(a.static)) {
    const s = a.static;
    d.unknownKeys(s, ['action', 'message'], [...path, 'static']);
    if (s.action !== 'pass' && s.action !== 'fail') {
      d.add('invalid', 'SCHEMA', [...path, 'static', 'action'], 'static.action is pass or fail');
      return undefined;
    }
    authorities[name] = { kind: 'static', decision: s.action, ...(typeof s.message === 'string' ? { message: s.message } : {}) };
    return { signedBy: [name] };
  }
  if (isObj(a.key)) {
    const k = a.key;
    d.unknownKeys(k, ['data', 'kms', 'secretRef', 'hashAlgorithm'], [...path, 'key']);
    if (k.kms !== undefined) d.add('unmapped', 'KMS_KEY', [...path, 'key', 'kms'], 'KMS keys must be resolved by the caller to a public key (then listed with key.data or a key id)');
    if (k.secretRef !== undefined) d.add('unmapped', 'SECRET_KEY', [...path, 'key', 'secretRef'], 'secret references are Kubernetes-specific; resolve the public key and list it');
    if (k.hashAlgorithm !== undefined) d.add('unmapped', 'HASH_ALGORITHM', [...path, 'key', 'hashAlgorithm'], 'the hash algorithm is a verifier setting');
    if (typeof k.data !== 'string') {
      d.add('unmapped', 'NO_KEY_DATA', [...path, 'key'], 'no inline key data: the authority cannot be expressed');
      return undefined;
    }
    authorities[name] = { kind: 'key', keys: [{ pem: k.data.trim() }] };
  } else if (isObj(a.keyless)) {
    const k = a.keyless;
    d.unknownKeys(k, ['url', 'identities', 'ca-cert', 'trustRootRef', 'insecureIgnoreSCT'], [...path, 'keyless']);
    for (const x of ['url', 'ca-cert', 'trustRootRef']) {
      if (k[x] !== undefined) d.add('unmapped', 'TRUST_ROOT_SETTING', [...path, 'keyless', x], `${x} selects trust material; configure the verifier's trusted root instead`);
    }
    const ids = Array.isArray(k.identities) ? k.identities.map((id, j) => identity(id, [...path, 'keyless', 'identities', j], d)).filter((x): x is Identity => x !== undefined) : [];
    if (ids.length === 0) d.add('unmapped', 'NO_IDENTITIES', [...path, 'keyless', 'identities'], 'a keyless authority without identities would accept anyone: the imported policy will not compile');
    authorities[name] = { kind: 'keyless', identities: ids, ...(k.insecureIgnoreSCT === true ? { requireSct: false } : {}) };
    if (k.insecureIgnoreSCT === true) d.add('semantics', 'SCT_IGNORED', [...path, 'keyless', 'insecureIgnoreSCT'], 'certificates without SCTs are accepted (requireSct: false)');
  } else {
    d.add('invalid', 'SCHEMA', path, 'an authority has key, keyless or static');
    return undefined;
  }
  if (Array.isArray(a.attestations) && a.attestations.length > 0) {
    const rules: Rule[] = [];
    a.attestations.forEach((att, j) => {
      const p = [...path, 'attestations', j];
      if (!isObj(att)) return d.add('invalid', 'SCHEMA', p, 'an attestation is an object');
      d.unknownKeys(att, ['name', 'predicateType', 'policy'], p);
      const t = predicateType(att.predicateType, [...p, 'predicateType'], d);
      if (!t) return;
      const where: Condition[] = [];
      if (isObj(att.policy)) {
        const pol = att.policy;
        const type = pol.type === 'rego' ? 'rego' : 'cue';
        if (typeof pol.data === 'string') {
          where.push({ plugin: type, source: pol.data, message: `${type} policy imported from policy-controller (input: the statement)` });
        }
        d.add('unmapped', 'POLICY_BODY', [...p, 'policy'], `${pol.type ?? 'cue'} policy bodies are not evaluated natively; imported as a ${type} plug-in condition, indeterminate unless an evaluator is supplied${pol.data === undefined ? ' (configMapRef/url bodies were not fetched)' : ''}`);
      }
      const id = `${name}-${typeof att.name === 'string' && att.name !== '' ? att.name : `attestation-${j}`}`.replace(/\./g, '_');
      rules.push({ attestation: { id, predicateType: t, by: [name], select: 'any', ...(where.length ? { where } : {}) } });
    });
    return rules.length === 1 ? rules[0] : { allOf: rules };
  }
  return { signedBy: [name] };
}

function importOne(doc: unknown, d: DiagnosticSink): PolicyDocument | undefined {
  if (!isObj(doc)) {
    d.add('invalid', 'NOT_A_POLICY', [], 'the document is not a mapping');
    return undefined;
  }
  if (doc.kind !== 'ClusterImagePolicy' || !(CIP_API_VERSIONS as readonly unknown[]).includes(doc.apiVersion)) {
    d.add('invalid', 'NOT_A_POLICY', ['kind'], `expected kind ClusterImagePolicy with apiVersion ${CIP_API_VERSIONS.join(' or ')}, found ${String(doc.kind)} ${String(doc.apiVersion)}`);
    return undefined;
  }
  const apiVersion = doc.apiVersion as string;
  const meta = isObj(doc.metadata) ? doc.metadata : {};
  const name = typeof meta.name === 'string' ? meta.name : 'imported-cluster-image-policy';
  const spec = doc.spec;
  if (!isObj(spec)) {
    d.add('invalid', 'SCHEMA', ['spec'], 'spec is required');
    return undefined;
  }
  d.unknownKeys(spec, ['images', 'authorities', 'policy', 'mode', 'match'], ['spec']);
  const images: StringMatch[] = [];
  if (Array.isArray(spec.images)) {
    spec.images.forEach((im, i) => {
      const p = ['spec', 'images', i];
      if (!isObj(im)) return d.add('invalid', 'SCHEMA', p, 'an image entry is an object');
      d.unknownKeys(im, ['glob'], p);
      if (typeof im.glob === 'string') images.push({ glob: im.glob, dialect: 'policy-controller' });
    });
  }
  if (spec.match !== undefined) d.add('unmapped', 'RESOURCE_MATCH', ['spec', 'match'], 'match (resource kinds and label selectors) is Kubernetes admission scoping; apply the policy to the right resources in the caller');
  if (spec.policy !== undefined) {
    d.add('unmapped', 'POLICY_BODY', ['spec', 'policy'], 'the ClusterImagePolicy-level CUE/Rego policy over authorityMatches is not mapped');
  }
  const authorities: Record<string, Authority> = {};
  const rules: Rule[] = [];
  if (!Array.isArray(spec.authorities) || spec.authorities.length === 0) {
    d.add('invalid', 'SCHEMA', ['spec', 'authorities'], 'authorities must be a non-empty list');
    return undefined;
  }
  spec.authorities.forEach((a, i) => {
    const r = authority(a, i, ['spec', 'authorities', i], d, authorities);
    if (r) rules.push(r);
  });
  if (rules.length === 0) return undefined;
  if (spec.mode !== undefined && spec.mode !== 'enforce' && spec.mode !== 'warn') d.add('invalid', 'SCHEMA', ['spec', 'mode'], 'mode is enforce or warn');
  // Authorities are OR'd in policy-controller: one passing authority passes the policy.
  const require: Rule = rules.length === 1 ? rules[0]! : { anyOf: rules };
  return {
    apiVersion: POLICY_API_VERSION,
    name,
    ...(spec.mode === 'warn' ? { mode: 'warn' as const } : {}),
    ...(images.length ? { scope: { images } } : {}),
    authorities,
    require,
    importedFrom: { format: 'clusterimagepolicy', apiVersion, name },
  };
}

/** Imports every ClusterImagePolicy in a YAML (or JSON) text. */
export function importClusterImagePolicy(yamlText: string): ImportResult {
  const policies: PolicyDocument[] = [];
  const diagnostics: ImportDiagnostic[] = [];
  const docs = readYamlDocuments(yamlText);
  if (docs.length === 0) diagnostics.push({ document: 0, path: '', severity: 'invalid', code: 'EMPTY', message: 'no YAML document found' });
  for (const doc of docs) {
    const d = new DiagnosticSink(doc.index);
    if ('error' in doc) d.add('invalid', 'YAML', [], `YAML: ${doc.error}`);
    else {
      const p = importOne(doc.value, d);
      if (p) policies.push(p);
    }
    diagnostics.push(...d.list);
  }
  return { policies, diagnostics };
}
