/**
 * Does a verified signer satisfy an authority? Keyless: issuer AND subject
 * (the single Fulcio SAN), extensions by name with the deprecated GitHub
 * OIDs (1.2–1.6) required to agree with their replacements, extensions by
 * OID on their decoded text, and log/time/SCT counts. Keys: the id of the
 * key the caller verified with (never the bundle's hint).
 * @module
 */
import type { CompiledAuthority, CompiledIdentity } from './compile.js';
import type { EvidenceView } from './evidence.js';
import { describeMatch } from './string-match.js';
import type { Status } from './tri.js';

/** The outcome of matching one signer against one authority. */
export interface AuthorityCheck {
  readonly status: Status;
  readonly reason: string;
  readonly message: string;
  readonly expected?: unknown;
  readonly actual?: unknown;
  /** How far the closest identity got (for choosing the most useful failure). */
  readonly progress: number;
}

/** Deprecated GitHub-specific extensions and the extension that replaced each. */
const DEPRECATED_PAIRS: readonly { readonly old: string; readonly new: string; readonly agree: (oldV: string, newV: string) => boolean }[] = [
  { old: 'githubWorkflowTrigger', new: 'buildTrigger', agree: (a, b) => a === b },
  { old: 'githubWorkflowSha', new: 'sourceRepositoryDigest', agree: (a, b) => a === b },
  // 1.5 is "owner/repo"; 1.12 is "https://<host>/owner/repo".
  { old: 'githubWorkflowRepository', new: 'sourceRepositoryUri', agree: (a, b) => /^https:\/\/[^/]+\//.test(b) && b.replace(/^https:\/\/[^/]+\//, '') === a },
  { old: 'githubWorkflowRef', new: 'sourceRepositoryRef', agree: (a, b) => a === b },
  { old: 'issuerV1', new: 'issuer', agree: (a, b) => a === b },
];

/** The deprecated/new pairs that disagree in `ext`. */
export function extensionConflicts(ext: Readonly<Record<string, string>>): string[] {
  const out: string[] = [];
  for (const p of DEPRECATED_PAIRS) {
    const a = ext[p.old];
    const b = ext[p.new];
    if (a !== undefined && b !== undefined && !p.agree(a, b)) out.push(`${p.old}=${JSON.stringify(a)} vs ${p.new}=${JSON.stringify(b)}`);
  }
  return out;
}

const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';

/** An extension value by name, reading the deprecated spelling when the new one is absent. */
function extensionValue(ext: Readonly<Record<string, string>>, name: string, issuer: string | undefined): string | undefined {
  const v = ext[name];
  if (v !== undefined) return v;
  const pair = DEPRECATED_PAIRS.find((p) => p.new === name);
  const old = pair ? ext[pair.old] : undefined;
  if (old === undefined) return undefined;
  // Only GitHub's issuer wrote the deprecated extensions with a known host.
  if (name === 'sourceRepositoryUri') return issuer === GITHUB_ISSUER ? `https://github.com/${old}` : undefined;
  return old;
}

function checkIdentity(id: CompiledIdentity, v: EvidenceView): AuthorityCheck {
  const s = v.signer;
  if (!s || s.type !== 'certificate') return { status: 'fail', reason: 'SIGNER_KIND_MISMATCH', message: 'not a certificate signer', progress: 0 };
  // What was wanted and found, rendered only for a mismatch.
  const want = () => ({ issuer: describeMatch(id.spec.issuer), subject: describeMatch(id.spec.subject) });
  const got = () => ({ issuer: s.issuer ?? '(none)', subject: s.subjectAlternativeName });
  if (s.issuer === undefined) {
    return { status: 'fail', reason: 'IDENTITY_ISSUER_MISMATCH', message: 'the certificate carries no OIDC issuer', expected: want(), actual: got(), progress: 1 };
  }
  const iss = id.issuer.test(s.issuer);
  if (iss !== 'pass') {
    const w = want();
    return { status: iss, reason: iss === 'fail' ? 'IDENTITY_ISSUER_MISMATCH' : 'LIMIT_EXCEEDED', message: `issuer ${JSON.stringify(s.issuer)} does not match ${w.issuer}`, expected: w, actual: got(), progress: 1 };
  }
  // A certificate without an identity SAN never satisfies a subject constraint.
  const sub = s.subjectAlternativeName === '' ? 'fail' : id.subject.test(s.subjectAlternativeName);
  if (sub !== 'pass') {
    const w = want();
    return {
      status: sub,
      reason: sub === 'fail' ? 'IDENTITY_SUBJECT_MISMATCH' : 'LIMIT_EXCEEDED',
      message: s.subjectAlternativeName === '' ? 'the certificate has no identity SAN' : `subject ${JSON.stringify(s.subjectAlternativeName)} does not match ${w.subject}`,
      expected: w,
      actual: got(),
      progress: 2,
    };
  }
  if (id.extensions.length > 0 || id.oids.length > 0) {
    const conflicts = extensionConflicts(s.extensions);
    if (conflicts.length > 0) {
      return { status: 'fail', reason: 'EXTENSION_CONFLICT', message: `deprecated and current Fulcio extensions disagree: ${conflicts.join('; ')}`, actual: conflicts, progress: 3 };
    }
  }
  for (const e of id.extensions) {
    const value = extensionValue(s.extensions, e.name, s.issuer);
    const r = value === undefined ? 'fail' : e.matcher.test(value);
    if (r !== 'pass') {
      return {
        status: r,
        reason: r === 'fail' ? 'IDENTITY_EXTENSION_MISMATCH' : 'LIMIT_EXCEEDED',
        message: value === undefined ? `the certificate has no ${e.name} extension` : `extension ${e.name} = ${JSON.stringify(value)} does not match ${describeMatch(e.matcher.spec)}`,
        expected: { [e.name]: describeMatch(e.matcher.spec) },
        actual: { [e.name]: value ?? '(absent)' },
        progress: 4,
      };
    }
  }
  for (const o of id.oids) {
    const value = s.extensionsByOid[o.oid];
    const r = value === undefined ? 'fail' : o.matcher.test(value);
    if (r !== 'pass') {
      return {
        status: r,
        reason: r === 'fail' ? 'IDENTITY_EXTENSION_MISMATCH' : 'LIMIT_EXCEEDED',
        message: value === undefined ? `the certificate has no extension ${o.oid}` : `extension ${o.oid} = ${JSON.stringify(value)} does not match ${describeMatch(o.matcher.spec)}`,
        expected: { [o.oid]: describeMatch(o.matcher.spec) },
        actual: { [o.oid]: value ?? '(absent)' },
        progress: 4,
      };
    }
  }
  return { status: 'pass', reason: 'OK', message: `signed by ${s.subjectAlternativeName} (issuer ${s.issuer})`, progress: 5 };
}

function thresholds(a: { tlogMin: number; timestampMin: number }, v: EvidenceView): AuthorityCheck | undefined {
  if (v.tlogCount < a.tlogMin) {
    return { status: 'fail', reason: 'TLOG_THRESHOLD_NOT_MET', message: `${v.tlogCount} verified transparency logs; ${a.tlogMin} required`, expected: a.tlogMin, actual: v.tlogCount, progress: 6 };
  }
  if (v.timeSources < a.timestampMin) {
    return { status: 'fail', reason: 'TIMESTAMP_THRESHOLD_NOT_MET', message: `${v.timeSources} verified time sources; ${a.timestampMin} required`, expected: a.timestampMin, actual: v.timeSources, progress: 6 };
  }
  return undefined;
}

/** Checks a signer against an authority (static authorities are handled by the rules). */
export function checkAuthority(a: CompiledAuthority, v: EvidenceView): AuthorityCheck {
  if (a.kind === 'static') {
    return { status: a.decision, reason: a.decision === 'pass' ? 'STATIC_PASS' : 'STATIC_FAIL', message: a.message ?? `static ${a.decision}`, progress: 0 };
  }
  if (a.kind === 'key') {
    const s = v.signer;
    if (!s || s.type !== 'publicKey') return { status: 'fail', reason: 'SIGNER_KIND_MISMATCH', message: `authority ${a.name} expects a managed key, the bundle has a certificate`, progress: 0 };
    if (s.keyId === undefined) {
      return { status: 'fail', reason: 'KEY_UNIDENTIFIED', message: 'the evidence does not say which key verified it (keyId); the bundle hint is not trusted', expected: a.keyIds, progress: 1 };
    }
    if (!a.keyIds.includes(s.keyId)) return { status: 'fail', reason: 'KEY_MISMATCH', message: `key ${s.keyId} is not one of authority ${a.name}'s keys`, expected: a.keyIds, actual: s.keyId, progress: 2 };
    return thresholds(a, v) ?? { status: 'pass', reason: 'OK', message: `signed with key ${s.keyId}`, progress: 7 };
  }
  if (!v.signer || v.signer.type !== 'certificate') {
    return { status: 'fail', reason: 'SIGNER_KIND_MISMATCH', message: `authority ${a.name} is keyless; the bundle was signed with a managed key`, progress: 0 };
  }
  let best: AuthorityCheck | undefined;
  let maybe: AuthorityCheck | undefined;
  for (const id of a.identities) {
    const r = checkIdentity(id, v);
    if (r.status === 'pass') {
      if (a.requireSct && v.sctCount === 0) return { status: 'fail', reason: 'SCT_MISSING', message: 'no verified SCT for the certificate', progress: 6 };
      return thresholds(a, v) ?? r;
    }
    if (r.status === 'indeterminate') maybe ??= r;
    if (!best || r.progress > best.progress) best = r;
  }
  return maybe ?? best!;
}
