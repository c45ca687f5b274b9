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
  const out: Record<string, string> = Object.create(null);
  const entries = Object.entries(v);
  if (entries.length > maxEntries) return undefined;
  for (const [k, x] of entries) {
    if (typeof x !== 'string') return undefined;
    out[k] = x;
  }
  return out;
}

/**
 * Approximate serialized size of a JSON value, stopping once past `limit`
 * (bounded work even for huge values).
 */
export function jsonSizeAtMost(v: unknown, limit: number): number {
  let size = 0;
  const stack: unknown[] = [v];
  while (stack.length > 0 && size <= limit) {
    const x = stack.pop();
    if (typeof x === 'string') size += x.length + 2;
    else if (Array.isArray(x)) {
      size += 2 + x.length;
      for (const e of x) stack.push(e);
    } else if (isObj(x)) {
      size += 2;
      for (const [k, e] of Object.entries(x)) {
        size += k.length + 4;
        stack.push(e);
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
  for (const [i, s] of st.subject.slice(0, limits.maxSubjects).entries()) {
    if (!isObj(s)) {
      problems.push(`subject[${i}] is not an object`);
      return none;
    }
    const name = s.name ?? '';
    if (typeof name !== 'string') {
      problems.push(`subject[${i}].name must be a string`);
      return none;
    }
    if (isObj(s.digest) && Object.keys(s.digest).length > limits.maxDigestsPerSubject) {
      overLimit ??= `subject[${i}] has more than ${limits.maxDigestsPerSubject} digests`;
      continue;
    }
    const digest = stringRecord(s.digest, limits.maxDigestsPerSubject);
    if (!digest || Object.keys(digest).length === 0) {
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
  const base = {
    index,
    overLimit: undefined as string | undefined,
    signer: undefined as SignerDoc | undefined,
    signerKey: `invalid#${index}`,
    signerLabel: 'invalid evidence',
    statement: undefined as StatementDoc | undefined,
    signedDigest: undefined as { algorithm: string; hex: string } | undefined,
    verifiedTimes: [] as bigint[],
    timeSources: 0,
    tlogCount: 0,
    sctCount: 0,
    entryKey: '',
    bundleMediaType: '',
  };
  if (!isObj(result)) return { ...base, kind: 'invalid', problems: ['not a verification result object'] };
  if (result.mediaType !== VERIFICATION_RESULT_MEDIA_TYPE) {
    return { ...base, kind: 'invalid', problems: [`mediaType must be ${VERIFICATION_RESULT_MEDIA_TYPE}`] };
  }
  const bundleMediaType = isObj(result.bundle) && typeof result.bundle.mediaType === 'string' ? result.bundle.mediaType : '';
  const signer = readSigner(result, keyId, problems);
  const times: bigint[] = [];
  const sources = new Set<string>();
  if (!Array.isArray(result.verifiedTimes)) problems.push('verifiedTimes must be an array');
  else {
    for (const t of result.verifiedTimes.slice(0, 64)) {
      const v = isObj(t) ? parseTimestamp(t.time) : undefined;
      if (v === undefined || !isObj(t)) {
        problems.push('a verified time is not RFC 3339');
        continue;
      }
      times.push(v);
      sources.add(`${String(t.source)}|${String(t.authority)}`);
    }
  }
  times.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const tlogCount = Array.isArray(result.tlogEntries)
    ? new Set(result.tlogEntries.filter(isObj).map((e) => `${String(e.logId)}`)).size
    : 0;
  const entryKey = Array.isArray(result.tlogEntries)
    ? result.tlogEntries
        .filter(isObj)
        .map((e) => `${String(e.logId)}:${String(e.logIndex)}`)
        .sort()
        .join(',')
    : '';
  const sctCount =
    signer?.type === 'certificate' && isObj(result.signer) && Array.isArray(result.signer.scts)
      ? new Set(result.signer.scts.filter(isObj).map((s) => String(s.log))).size
      : 0;
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
  const common = { ...base, signer, signerKey, signerLabel, verifiedTimes: times, timeSources: sources.size, tlogCount, sctCount, entryKey, bundleMediaType };

  const content = result.content;
  if (!isObj(content)) return { ...common, kind: 'invalid', problems: [...problems, 'content is missing'] };
  if (signer === undefined || problems.length > 0) return { ...common, kind: 'invalid', problems };
  if (content.type === 'messageSignature') {
    const d = content.artifactDigest;
    if (isObj(d) && typeof d.algorithm === 'string' && typeof d.hex === 'string') {
      return { ...common, kind: 'signature', problems, signedDigest: { algorithm: d.algorithm, hex: d.hex } };
    }
    return { ...common, kind: 'invalid', problems: ['the message signature records no artifact digest'] };
  }
  if (content.type === 'dsseEnvelope') {
    const { statement, overLimit } = readStatement(content, limits, problems);
    if (!statement) return { ...common, kind: 'invalid', problems };
    return { ...common, kind: 'attestation', problems, statement, overLimit };
  }
  return { ...common, kind: 'invalid', problems: [`unknown content type ${JSON.stringify(content.type)}`] };
}
