/**
 * Subject matching, shared by the verifier and the policy engine: which
 * subject of a statement is the artifact whose digests the caller holds.
 *
 * A subject matches when
 * 1. every algorithm both sides have agrees (a disagreement anywhere means
 *    a different artifact, or an inconsistent statement: never a match);
 * 2. every required algorithm (default `sha256`) is on both sides;
 * 3. at least one agreeing algorithm is not weak: MD5, SHA-1, RIPEMD-160
 *    and SHA-1 git object ids never suffice on their own.
 *
 * Digests are compared as exact strings: no case folding, no trimming.
 * The caller's digests must be well formed (lower-case hex of the right
 * length for standard algorithms), so a typo cannot silently match nothing.
 * @module
 */
import { SigvetError } from '../errors.js';
import { MAX_DIGEST_ALGORITHMS, digestValueProblem, isWeakDigest } from './digest-set.js';
import type { Statement, Subject } from './statement.js';

/** Options of {@link matchSubject}. */
export interface MatchSubjectOptions {
  /**
   * Algorithms that must be present on both sides and agree. Default
   * `['sha256']`. An empty list accepts any agreeing algorithm that is not
   * weak.
   */
  readonly requiredAlgorithms?: readonly string[];
}

/** The subject that matched, and on which algorithms. */
export interface SubjectMatch {
  /** Index in `statement.subject`. */
  readonly index: number;
  readonly subject: Subject;
  /** The algorithms both sides have (all agree), sorted. */
  readonly algorithms: readonly string[];
}

function invalid(message: string): never {
  throw new SigvetError('INVALID_ARGUMENT', `matchSubject: ${message}`, { check: 'input.subject_digests' });
}

/**
 * Finds the first subject of `statement` that the artifact with `digests`
 * (algorithm → lower-case hex) matches; undefined when none does.
 * @throws SigvetError `INVALID_ARGUMENT` for malformed digests or a required
 *   algorithm the caller did not supply.
 */
export function matchSubject(
  statement: Pick<Statement, 'subject'>,
  digests: Readonly<Record<string, string>>,
  options: MatchSubjectOptions = {},
): SubjectMatch | undefined {
  if (digests === null || typeof digests !== 'object' || Array.isArray(digests)) invalid('digests must be an object');
  const algs = Object.keys(digests);
  if (algs.length === 0) invalid('give at least one digest');
  if (algs.length > MAX_DIGEST_ALGORITHMS) invalid(`at most ${MAX_DIGEST_ALGORITHMS} digests`);
  for (const alg of algs) {
    const v = digests[alg];
    if (typeof v !== 'string') invalid(`the ${alg} digest must be a string`);
    const problem = digestValueProblem(alg, v);
    if (problem) invalid(`the ${alg} digest ${problem}`);
  }
  const required = options.requiredAlgorithms ?? ['sha256'];
  if (!Array.isArray(required)) invalid('requiredAlgorithms must be an array');
  for (const alg of required) {
    if (typeof alg !== 'string' || !Object.prototype.hasOwnProperty.call(digests, alg)) {
      invalid(`required algorithm ${JSON.stringify(alg)} is not among the given digests`);
    }
  }
  const subjects = statement.subject;
  for (let index = 0; index < subjects.length; index++) {
    const subject = subjects[index]!;
    const common: string[] = [];
    let agree = true;
    let strong = false;
    for (const alg of algs) {
      if (!Object.prototype.hasOwnProperty.call(subject.digest, alg)) continue;
      const value = digests[alg]!;
      if (subject.digest[alg] !== value) {
        agree = false;
        break;
      }
      common.push(alg);
      if (!isWeakDigest(alg, value)) strong = true;
    }
    if (!agree || !strong) continue;
    if (!required.every((alg) => common.includes(alg))) continue;
    return { index, subject, algorithms: common.sort() };
  }
  return undefined;
}
