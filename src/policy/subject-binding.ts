/**
 * Binding an attestation to the artifacts under consideration, one subject
 * at a time: digests are never pooled across subjects; only accepted
 * algorithms count (md5/sha1 only when the policy lists them); values are
 * compared exactly (no case folding, no `sha256:` prefixes stripped); all
 * accepted algorithms that both sides carry must agree.
 * @module
 */
import type { ArtifactDigests, StatementDoc } from './evidence.js';
import type { CompiledMatch } from './string-match.js';
import { and, or, type Status } from './tri.js';

/** Hex lengths of the algorithms whose values are hex digests. */
export const HEX_DIGEST_LENGTHS: Readonly<Record<string, number>> = {
  md5: 32,
  sha1: 40,
  sha224: 56,
  sha256: 64,
  sha384: 96,
  sha512: 128,
  sha512_224: 56,
  sha512_256: 64,
  sha3_224: 56,
  sha3_256: 64,
  sha3_384: 96,
  sha3_512: 128,
  gitCommit: 40,
};

/** True when `value` is a well-formed digest for `alg` (lower-case hex of the right length). */
export function wellFormedDigest(alg: string, value: string): boolean {
  const n = HEX_DIGEST_LENGTHS[alg];
  if (n === undefined) return value.length > 0 && value.length <= 512;
  if (alg === 'gitCommit') return (value.length === 40 || value.length === 64) && isLowerHex(value);
  return value.length === n && isLowerHex(value);
}

/** True for a non-empty string of lower-case hex digits. */
function isLowerHex(value: string): boolean {
  return LOWER_HEX.test(value);
}

const LOWER_HEX = /^[0-9a-f]+$/;

/** The outcome of binding one attestation. */
export interface SubjectBinding {
  readonly status: Status;
  readonly reason: string;
  readonly message: string;
  /** Names of the matched subjects. */
  readonly matched: readonly string[];
}

function subjectMatches(artifact: ArtifactDigests, subject: StatementDoc['subject'][number], algs: readonly string[], allAlgs: boolean): boolean {
  let agreed = 0;
  for (const alg of algs) {
    const want = artifact.digest[alg];
    if (want === undefined) continue;
    const got = subject.digest[alg];
    if (got === undefined) {
      if (allAlgs) return false;
      continue;
    }
    if (!wellFormedDigest(alg, got) || got !== want) return false;
    agreed++;
  }
  return agreed > 0;
}

/** A rule's subject constraints. */
export interface SubjectBindingOptions {
  /** Digest algorithms that count. */
  readonly algorithms: readonly string[];
  /** The matched subject's name must match this. */
  readonly name: CompiledMatch | undefined;
  /** Every artifact must be a subject (not just one). */
  readonly requireAll: boolean;
  /** Every accepted algorithm the artifact carries must be on the subject. */
  readonly allAlgorithms: boolean;
}

/** The binding most rules use: any SHA-2 digest, no name, one artifact suffices. */
export const DEFAULT_SUBJECT_BINDING: SubjectBindingOptions = { algorithms: ['sha256', 'sha384', 'sha512'], name: undefined, requireAll: false, allAlgorithms: false };

/**
 * A key equal for options that bind alike (one binding per attestation is
 * then shared by the rules): the options' values, or the rule's id when a
 * name matcher is involved.
 */
export function subjectBindingKey(opts: SubjectBindingOptions, ruleId: string): string {
  return opts.name ? `rule:${ruleId}` : `${opts.algorithms.join(',')}|${opts.requireAll}|${opts.allAlgorithms}`;
}

/** Binds `statement` to `artifacts` under the rule's subject constraints. */
export function bindSubjects(statement: StatementDoc, artifacts: readonly ArtifactDigests[], opts: SubjectBindingOptions): SubjectBinding {
  // The names of the subjects that carry each artifact's digest, in artifact order; the subjects per artifact only for a name constraint.
  const perArtifact: StatementDoc['subject'][number][][] | undefined = opts.name ? [] : undefined;
  const matched: string[] = [];
  let covered = 0;
  for (const a of artifacts) {
    const before = matched.length;
    const hits: StatementDoc['subject'][number][] | undefined = perArtifact ? [] : undefined;
    for (const s of statement.subject) {
      if (subjectMatches(a, s, opts.algorithms, opts.allAlgorithms)) {
        hits?.push(s);
        matched.push(s.name);
      }
    }
    if (matched.length > before) covered++;
    if (perArtifact) perArtifact.push(hits!);
  }
  if (covered === 0) {
    return { status: 'fail', reason: 'SUBJECT_DIGEST_MISMATCH', message: 'no subject carries the artifact digest (with an accepted algorithm)', matched };
  }
  if (opts.requireAll && covered < artifacts.length) {
    return { status: 'fail', reason: 'SUBJECT_DIGEST_MISMATCH', message: `only ${covered} of ${artifacts.length} artifacts are subjects of the attestation`, matched };
  }
  if (opts.name && perArtifact) {
    // The name constraint applies to the subject that matched the digest, not to any subject.
    const name = opts.name;
    const relevant = opts.requireAll ? perArtifact : perArtifact.filter((m) => m.length > 0);
    const perArt = relevant.map((subjects) => or(subjects.map((s) => name.test(s.name))));
    const st = opts.requireAll ? and(perArt) : or(perArt);
    if (st === 'fail') return { status: 'fail', reason: 'SUBJECT_NAME_MISMATCH', message: `the matched subject's name (${matched.join(', ')}) does not match`, matched };
    if (st === 'indeterminate') return { status: 'indeterminate', reason: 'LIMIT_EXCEEDED', message: 'subject name beyond the length limits', matched };
  }
  return { status: 'pass', reason: 'OK', message: `artifact is subject ${matched.length === 1 ? quoted(matched[0]!) : matched.map(quoted).join(', ')}`, matched };
}

/** `JSON.stringify` of a string, without its work for the usual name that needs no escapes. */
function quoted(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // Quote, backslash, control characters and surrogates are escaped (or checked) by JSON.stringify.
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return JSON.stringify(s);
  }
  return `"${s}"`;
}
