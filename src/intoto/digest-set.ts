/**
 * DigestSet (in-toto attestation v1 field type): algorithm name → digest.
 * The standard algorithms use lower-case hex; sigvet checks their length
 * and alphabet exactly and never normalizes (an upper-case digest is
 * malformed, not "the same" digest). The same rules are published in
 * schemas/intoto-field-types-v1.schema.json; a test keeps the two in step.
 * @module
 */

import { requireString } from '../arguments.js';

/** A digest set: algorithm → digest string (lower-case hex for the standard algorithms). */
export type DigestSet = Readonly<Record<string, string>>;

/**
 * Hex lengths of the standard algorithms: a list of allowed lengths, or
 * `'even'` for variable-length ones (any non-empty even number of hex digits).
 */
export const DIGEST_HEX_LENGTHS: Readonly<Record<string, readonly number[] | 'even'>> = Object.freeze({
  sha224: [56],
  sha256: [64],
  sha384: [96],
  sha512: [128],
  sha512_224: [56],
  sha512_256: [64],
  sha3_224: [56],
  sha3_256: [64],
  sha3_384: [96],
  sha3_512: [128],
  shake128: 'even',
  shake256: 'even',
  blake2b: 'even',
  blake2s: 'even',
  ripemd160: [40],
  sm3: [64],
  gost: 'even',
  sha1: [40],
  md5: [32],
  // Git object ids: SHA-1 (40) or SHA-256 (64) repositories.
  gitCommit: [40, 64],
  gitTree: [40, 64],
  gitBlob: [40, 64],
  gitTag: [40, 64],
});

/** Most algorithms a digest set may hold (bounds work on hostile input). */
export const MAX_DIGEST_ALGORITHMS = 32;

/** Longest digest string accepted for any algorithm (a 4096-bit digest in hex is 1024). */
export const MAX_DIGEST_LENGTH = 1024;

/** Algorithms that never suffice on their own to bind an artifact (no collision resistance to speak of). */
export const WEAK_DIGEST_ALGORITHMS: readonly string[] = Object.freeze(['md5', 'sha1', 'ripemd160']);

const LOWER_HEX = /^[0-9a-f]*$/;

function codePoints(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/**
 * Why `value` is not a well-formed digest for `algorithm`, or undefined
 * when it is. Unknown algorithms only need a non-empty string.
 * @throws SigvetError `INVALID_ARGUMENT` (check `argument.digestValueProblem`) for non-string arguments
 *   (a problem string describes a bad digest, not a call with the wrong types).
 */
export function digestValueProblem(algorithm: string, value: string): string | undefined {
  requireString(algorithm, 'digestValueProblem', 'algorithm');
  requireString(value, 'digestValueProblem', 'value');
  if (value.length === 0) return 'is empty';
  // Characters are code points, as JSON Schema's maxLength counts them.
  if (value.length > MAX_DIGEST_LENGTH && codePoints(value) > MAX_DIGEST_LENGTH) return `is longer than ${MAX_DIGEST_LENGTH} characters`;
  if (!Object.prototype.hasOwnProperty.call(DIGEST_HEX_LENGTHS, algorithm)) return undefined;
  const lengths = DIGEST_HEX_LENGTHS[algorithm]!;
  if (!LOWER_HEX.test(value)) return `must be lower-case hex`;
  if (lengths === 'even') return value.length % 2 === 0 ? undefined : 'must have an even number of hex digits';
  return lengths.includes(value.length) ? undefined : `must be ${lengths.join(' or ')} hex digits, got ${value.length}`;
}

/**
 * True when a matching digest of `algorithm` with this value proves little:
 * MD5, SHA-1, RIPEMD-160, and git object ids of SHA-1 repositories.
 * @throws SigvetError `INVALID_ARGUMENT` (check `argument.isWeakDigest`) for non-string arguments.
 */
export function isWeakDigest(algorithm: string, value: string): boolean {
  requireString(algorithm, 'isWeakDigest', 'algorithm');
  requireString(value, 'isWeakDigest', 'value');
  if (WEAK_DIGEST_ALGORITHMS.includes(algorithm)) return true;
  return algorithm.startsWith('git') && Object.prototype.hasOwnProperty.call(DIGEST_HEX_LENGTHS, algorithm) && value.length === 40;
}
