/**
 * Evidence for policy evaluation: the verifier's results plus the artifact
 * under consideration. Evidence is re-checked defensively here (it may come
 * from JSON on disk): anything malformed is recorded as invalid with the
 * reason and never matches a rule, and per-entry limits are applied.
 * Only fields the verifier establishes are read; nothing else on the
 * objects (annotations, cached outcomes) influences a verdict.
 * @module
 */
import { VERIFICATION_RESULT_MEDIA_TYPE, type VerificationResult } from '../verify/result.js';
import { STATEMENT_TYPES, IN_TOTO_PAYLOAD_TYPE } from '../intoto/statement.js';
import { parseTimestamp } from './time.js';

/** One artifact: its digests by algorithm (lower-case hex), e.g. `{ sha256: '…' }`. */
export interface ArtifactDigests {
  readonly name?: string;
  readonly digest: Readonly<Record<string, string>>;
}

/** A verification result plus, for managed-key bundles, the id of the key that verified it. */
export interface EvidenceEntry {
  readonly result: VerificationResult;
  /**
   * The caller's id of the key it verified this bundle with (e.g.
   * `sha256:<hex of the SPKI DER>`, see `keyIdFromPem`). Bundles carry only an
   * untrusted key hint, so key authorities match this id, never the hint.
   */
  readonly keyId?: string;
}

/** What `evaluate` is asked about. */
export interface PolicyEvidence {
  /** The artifacts under consideration (usually one). */
  readonly artifacts?: readonly ArtifactDigests[];
  /** Image reference or purl, for `scope`. */
  readonly reference?: string;
  /** Verified results. */
  readonly results: readonly (VerificationResult | EvidenceEntry)[];
}

/** Effective limits (all set). */
export interface EffectiveLimits {
  readonly maxEvidence: number;
  readonly maxSubjects: number;
  readonly maxDigestsPerSubject: number;
  readonly maxPredicateBytes: number;
  readonly maxPatternLength: number;
  readonly maxStringLength: number;
  readonly maxArrayItems: number;
}

/** Default limits (sigstore-go's subject caps; generous sizes). */
export const DEFAULT_LIMITS: EffectiveLimits = {
  maxEvidence: 256,
  maxSubjects: 1024,
  maxDigestsPerSubject: 32,
  maxPredicateBytes: 4 * 1024 * 1024,
  maxPatternLength: 4096,
  maxStringLength: 64 * 1024,
  maxArrayItems: 100_000,
};

/** The in-toto statement as conditions see it (`/predicate/…`, `/subject/0/digest/sha256`). */
export interface StatementDoc {
  readonly _type: string;
  readonly subject: readonly { readonly name: string; readonly digest: Readonly<Record<string, string>> }[];
  readonly predicateType: string;
  readonly predicate: unknown;
}

/** The signer as conditions see it (`on: "signer"`). */
export type SignerDoc =
  | {
      readonly type: 'certificate';
      readonly subjectAlternativeName: string;
      readonly subjectAlternativeNameType: string;
      readonly issuer: string | undefined;
      readonly extensions: Readonly<Record<string, string>>;
      readonly extensionsByOid: Readonly<Record<string, string>>;
      readonly certificateAuthority: string;
    }
  | { readonly type: 'publicKey'; readonly keyId: string | undefined };

/** One piece of evidence, checked. */
export interface EvidenceView {
  readonly index: number;
  /** What it can prove: an artifact signature, an in-toto attestation, or nothing. */
  readonly kind: 'signature' | 'attestation' | 'invalid';
  /** Why it is invalid, or notes. */
  readonly problems: readonly string[];
  /** Set when a per-entry limit was exceeded: the entry is then indeterminate wherever it matters. */
  readonly overLimit: string | undefined;
  readonly signer: SignerDoc | undefined;
  /** Distinct-signer key: issuer + SAN, or key id. */
  readonly signerKey: string;
  /** Readable signer, for `seen.identities`. */
  readonly signerLabel: string;
  readonly statement: StatementDoc | undefined;
  /** sha256 hex of a message signature's artifact. */
  readonly signedDigest: { readonly algorithm: string; readonly hex: string } | undefined;
  /** Verified times, ascending (nanoseconds). */
  readonly verifiedTimes: readonly bigint[];
  /** Distinct verified time sources. */
  readonly timeSources: number;
  readonly tlogCount: number;
  readonly sctCount: number;
  /** The transparency-log entries (log id and index) that vouch for it: one signed envelope. */
  readonly entryKey: string;
  /** The bundle media type (informational: the verdict never depends on it). */
  readonly bundleMediaType: string;
}

function isObj(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function stringRecord(v: unknown, maxEntries: number): Record<string, string> | undefined {
  if (!isObj(v)) return undefined;
  const keys = Object.keys(v);
  if (keys.length > maxEntries) return undefined;
  return recordOf(v, keys);
}

/** A prototype-free copy of `v`'s `keys`, or undefined when a value is not a string. */
function recordOf(v: Record<string, unknown>, keys: readonly string[]): Record<string, string> | undefined {
  const out: Record<string, string> = Object.create(null);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    const x = v[k];
    if (typeof x !== 'string') return undefined;
    out[k] = x;
  }
  return out;
}

/**
 * Approximate serialized size of a JSON value, stopping once past `limit`
 * (bounded work even for huge or cyclic values). Within the limit the
 * result is the full total; past it, the partial total at the point the
 * walk stopped.
 */
export function jsonSizeAtMost(v: unknown, limit: number): number {
  const total = totalWithin(v, limit);
  return total >= 0 ? total : partialSize(v, limit);
}

/** Size of a leaf (anything but an object or array). */
function leafSize(x: unknown): number {
  return typeof x === 'string' ? x.length + 2 : 8;
}

/**
 * The full total, or -1 once past `limit`. Leaves are summed in place and
 * only containers are stacked (the total does not depend on the order);
 * strings, the usual leaf, are tested first. Every evaluation walks every
 * predicate, so this loop is kept tight (an index into the stack rather
 * than push and pop).
 */
function totalWithin(v: unknown, limit: number): number {
  if (v === null || typeof v !== 'object') return leafSize(v);
  let size = 0;
  const stack: object[] = [v];
  let top = 1;
  while (top > 0) {
    const x = stack[--top]!;
    if (Array.isArray(x)) {
      size += 2 + x.length;
      for (let i = 0; i < x.length; i++) {
        const e: unknown = x[i];
        if (typeof e === 'string') size += e.length + 2;
        else if (e !== null && typeof e === 'object') stack[top++] = e;
        else size += 8;
      }
    } else {
      size += 2;
      // Own enumerable string keys, as Object.keys lists them.
      for (const k in x) {
        if (!Object.prototype.hasOwnProperty.call(x, k)) continue;
        const e: unknown = (x as Record<string, unknown>)[k];
        size += k.length + 4;
        if (typeof e === 'string') size += e.length + 2;
        else if (e !== null && typeof e === 'object') stack[top++] = e;
        else size += 8;
      }
    }
    if (size > limit) return -1;
  }
  return size;
}

/** The walk that stops once past `limit`, node by node (its partial total is what callers report). */
function partialSize(v: unknown, limit: number): number {
  let size = 0;
  const stack: unknown[] = [v];
  while (stack.length > 0 && size <= limit) {
    const x = stack.pop();
    if (typeof x === 'string') size += x.length + 2;
    else if (Array.isArray(x)) {
      size += 2 + x.length;
      for (let i = 0; i < x.length; i++) stack.push(x[i]);
    } else if (x !== null && typeof x === 'object') {
      size += 2;
      const keys = Object.keys(x);
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i]!;
        size += k.length + 4;
        stack.push((x as Record<string, unknown>)[k]);
      }
    } else size += 8;
  }
  return size;
}

function readSigner(r: Record<string, unknown>, keyId: string | undefined, problems: string[]): SignerDoc | undefined {
  const s = r.signer;
  if (!isObj(s)) {
    problems.push('signer is missing');
    return undefined;
  }
  // The caller's keyId wins; otherwise the verifier's own record of the key
  // that verified the bundle (never the bundle's hint).
  if (s.type === 'publicKey') return { type: 'publicKey', keyId: keyId ?? (typeof s.keyId === 'string' && /^sha256:[0-9a-f]{64}$/.test(s.keyId) ? s.keyId : undefined) };
  if (s.type !== 'certificate') {
    problems.push('signer.type is neither certificate nor publicKey');
    return undefined;
  }
  // Fulcio certificates carry exactly one identity SAN (the verifier enforces it): a list is refused.
  if (typeof s.subjectAlternativeName !== 'string') {
    problems.push('signer.subjectAlternativeName must be one string (Fulcio single-SAN profile)');
    return undefined;
  }
  if (s.issuer !== undefined && typeof s.issuer !== 'string') {
    problems.push('signer.issuer must be a string');
    return undefined;
  }
  const extensions = stringRecord(s.extensions, 64);
  const byOid = stringRecord(s.extensionsByOid, 64);
  if (!extensions || !byOid) {
    problems.push('signer.extensions and signer.extensionsByOid must map names to strings');
    return undefined;
  }
  const cert = isObj(s.certificate) ? s.certificate : {};
  return {
    type: 'certificate',
    subjectAlternativeName: s.subjectAlternativeName,
    subjectAlternativeNameType: typeof s.subjectAlternativeNameType === 'string' ? s.subjectAlternativeNameType : '',
    issuer: s.issuer as string | undefined,
    extensions,
    extensionsByOid: byOid,
    certificateAuthority: typeof cert.certificateAuthority === 'string' ? cert.certificateAuthority : '',
  };
}

function readStatement(
  content: Record<string, unknown>,
  limits: EffectiveLimits,
  problems: string[],
): { statement: StatementDoc | undefined; overLimit: string | undefined } {
  const none = { statement: undefined, overLimit: undefined };
  if (content.payloadType !== IN_TOTO_PAYLOAD_TYPE) {
    problems.push(`payloadType ${JSON.stringify(content.payloadType)} is not ${IN_TOTO_PAYLOAD_TYPE}`);
    return none;
  }
  const st = content.statement;
  if (!isObj(st)) {
    problems.push('the in-toto payload did not parse as a statement');
    return none;
  }
  const type = st.type ?? st._type;
  if (typeof type !== 'string' || !(STATEMENT_TYPES as readonly string[]).includes(type)) {
    problems.push(`unknown statement _type ${JSON.stringify(type)}`);
    return none;
  }
  if (typeof st.predicateType !== 'string' || st.predicateType === '') {
    problems.push('predicateType must be a non-empty string');
    return none;
  }
  if (st.predicate !== undefined && !isObj(st.predicate)) {
    // Legacy producers wrote the predicate as a JSON string: refused, never re-parsed.
    problems.push(`predicate must be an object, found ${st.predicate === null ? 'null' : Array.isArray(st.predicate) ? 'an array' : typeof st.predicate}`);
    return none;
  }
  if (!Array.isArray(st.subject) || st.subject.length === 0) {
    problems.push('subject must be a non-empty array');
    return none;
  }
  let overLimit: string | undefined;
  if (st.subject.length > limits.maxSubjects) overLimit = `${st.subject.length} subjects exceed the limit of ${limits.maxSubjects}`;
  const subject: { name: string; digest: Record<string, string> }[] = [];
  const count = Math.min(st.subject.length, limits.maxSubjects);
  for (let i = 0; i < count; i++) {
    const s: unknown = st.subject[i];
    if (!isObj(s)) {
      problems.push(`subject[${i}] is not an object`);
      return none;
    }
    const name = s.name ?? '';
    if (typeof name !== 'string') {
      problems.push(`subject[${i}].name must be a string`);
      return none;
    }
    const d = s.digest;
    const keys = isObj(d) ? Object.keys(d) : undefined;
    if (keys && keys.length > limits.maxDigestsPerSubject) {
      overLimit ??= `subject[${i}] has more than ${limits.maxDigestsPerSubject} digests`;
      continue;
    }
    const digest = keys && keys.length > 0 ? recordOf(d as Record<string, unknown>, keys) : undefined;
    if (!digest) {
      problems.push(`subject[${i}].digest must map algorithms to strings`);
      return none;
    }
    subject.push({ name, digest });
  }
  if (jsonSizeAtMost(st.predicate, limits.maxPredicateBytes) > limits.maxPredicateBytes) {
    overLimit ??= `the predicate exceeds the limit of ${limits.maxPredicateBytes} bytes`;
  }
  return { statement: { _type: type, subject, predicateType: st.predicateType, predicate: st.predicate ?? {} }, overLimit };
}

/** What every view carries besides its kind, problems, statement, digest and limit note. */
type ViewCommon = Pick<
  EvidenceView,
  'signer' | 'signerKey' | 'signerLabel' | 'verifiedTimes' | 'timeSources' | 'tlogCount' | 'sctCount' | 'entryKey' | 'bundleMediaType'
>;

/** One object shape for every view (the evaluator reads views in hot loops). */
function makeView(
  index: number,
  kind: EvidenceView['kind'],
  problems: readonly string[],
  c: ViewCommon | undefined,
  statement: StatementDoc | undefined = undefined,
  overLimit: string | undefined = undefined,
  signedDigest: EvidenceView['signedDigest'] = undefined,
): EvidenceView {
  return {
    index,
    kind,
    problems,
    overLimit,
    signer: c ? c.signer : undefined,
    signerKey: c ? c.signerKey : `invalid#${index}`,
    signerLabel: c ? c.signerLabel : 'invalid evidence',
    statement,
    signedDigest,
    verifiedTimes: c ? c.verifiedTimes : [],
    timeSources: c ? c.timeSources : 0,
    tlogCount: c ? c.tlogCount : 0,
    sctCount: c ? c.sctCount : 0,
    entryKey: c ? c.entryKey : '',
    bundleMediaType: c ? c.bundleMediaType : '',
  };
}

/** Distinct `String(e[field])` over the object entries of a list. */
function distinctCount(list: readonly unknown[], field: string): number {
  if (list.length === 1) return isObj(list[0]) ? 1 : 0;
  const seen = new Set<string>();
  for (const e of list) if (isObj(e)) seen.add(String(e[field]));
  return seen.size;
}

/**
 * Whether two views have equal signer keys, without comparing the keys
 * themselves when their parts settle it: keys are built afresh by every
 * evaluation, and comparing two new strings first copies each into one
 * piece. Keys of different lengths differ; certificate signers with the
 * same issuer and SAN have the same key.
 */
export function sameSignerKey(a: EvidenceView, b: EvidenceView): boolean {
  if (a.signerKey.length !== b.signerKey.length) return false;
  const sa = a.signer;
  const sb = b.signer;
  if (sa?.type === 'certificate' && sb?.type === 'certificate' && sa.issuer === sb.issuer && sa.subjectAlternativeName === sb.subjectAlternativeName) return true;
  return a.signerKey === b.signerKey;
}

/** Checks one piece of evidence. Never throws. */
export function viewEvidence(entry: unknown, index: number, limits: EffectiveLimits): EvidenceView {
  const problems: string[] = [];
  let result: unknown = entry;
  let keyId: string | undefined;
  if (isObj(entry) && 'result' in entry && !('mediaType' in entry)) {
    result = entry.result;
    if (entry.keyId !== undefined) {
      if (typeof entry.keyId === 'string' && entry.keyId !== '') keyId = entry.keyId;
      else problems.push('keyId must be a non-empty string');
    }
  }
  if (!isObj(result)) return makeView(index, 'invalid', ['not a verification result object'], undefined);
  if (result.mediaType !== VERIFICATION_RESULT_MEDIA_TYPE) {
    return makeView(index, 'invalid', [`mediaType must be ${VERIFICATION_RESULT_MEDIA_TYPE}`], undefined);
  }
  const bundleMediaType = isObj(result.bundle) && typeof result.bundle.mediaType === 'string' ? result.bundle.mediaType : '';
  const signer = readSigner(result, keyId, problems);
  const times: bigint[] = [];
  let timeSources = 0;
  if (!Array.isArray(result.verifiedTimes)) problems.push('verifiedTimes must be an array');
  else {
    let sources: Set<string> | undefined;
    let firstSource: string | undefined;
    const count = Math.min(result.verifiedTimes.length, 64);
    for (let i = 0; i < count; i++) {
      const t: unknown = result.verifiedTimes[i];
      const v = isObj(t) ? parseTimestamp(t.time) : undefined;
      if (v === undefined || !isObj(t)) {
        problems.push('a verified time is not RFC 3339');
        continue;
      }
      times.push(v);
      const source = `${String(t.source)}|${String(t.authority)}`;
      // Distinct sources: a set only once there are two.
      if (firstSource === undefined) firstSource = source;
      else if (source !== firstSource) (sources ??= new Set([firstSource])).add(source);
    }
    timeSources = sources ? sources.size : firstSource === undefined ? 0 : 1;
  }
  if (times.length > 1) times.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  let tlogCount = 0;
  let entryKey = '';
  if (Array.isArray(result.tlogEntries)) {
    tlogCount = distinctCount(result.tlogEntries, 'logId');
    if (result.tlogEntries.length === 1) {
      const e: unknown = result.tlogEntries[0];
      if (isObj(e)) entryKey = `${String(e.logId)}:${String(e.logIndex)}`;
    } else {
      const keys: string[] = [];
      for (const e of result.tlogEntries) if (isObj(e)) keys.push(`${String(e.logId)}:${String(e.logIndex)}`);
      entryKey = keys.sort().join(',');
    }
  }
  const sctCount = signer?.type === 'certificate' && isObj(result.signer) && Array.isArray(result.signer.scts) ? distinctCount(result.signer.scts, 'log') : 0;
  const signerKey =
    signer === undefined
      ? `invalid#${index}`
      : signer.type === 'certificate'
        ? `keyless\n${signer.issuer ?? ''}\n${signer.subjectAlternativeName}`
        : signer.keyId !== undefined
          ? `key\n${signer.keyId}`
          : `unidentified-key#${index}`;
  const signerLabel =
    signer === undefined
      ? 'invalid signer'
      : signer.type === 'certificate'
        ? `${signer.subjectAlternativeName} (issuer ${signer.issuer ?? 'none'})`
        : `key ${signer.keyId ?? '(unidentified: no keyId given)'}`;
  const common: ViewCommon = { signer, signerKey, signerLabel, verifiedTimes: times, timeSources, tlogCount, sctCount, entryKey, bundleMediaType };

  const content = result.content;
  if (!isObj(content)) return makeView(index, 'invalid', [...problems, 'content is missing'], common);
  if (signer === undefined || problems.length > 0) return makeView(index, 'invalid', problems, common);
  if (content.type === 'messageSignature') {
    const d = content.artifactDigest;
    if (isObj(d) && typeof d.algorithm === 'string' && typeof d.hex === 'string') {
      return makeView(index, 'signature', problems, common, undefined, undefined, { algorithm: d.algorithm, hex: d.hex });
    }
    return makeView(index, 'invalid', ['the message signature records no artifact digest'], common);
  }
  if (content.type === 'dsseEnvelope') {
    const { statement, overLimit } = readStatement(content, limits, problems);
    if (!statement) return makeView(index, 'invalid', problems, common);
    return makeView(index, 'attestation', problems, common, statement, overLimit);
  }
  return makeView(index, 'invalid', [`unknown content type ${JSON.stringify(content.type)}`], common);
}
