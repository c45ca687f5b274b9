/**
 * OCI content digests (`<algorithm>:<hex>`): parsing, computing and the
 * check every fetched byte goes through. Only sha256 and sha512 are
 * accepted (the algorithms the OCI image spec registers); the encoded part
 * must be lower-case hex of the exact length, compared as text.
 * @module
 */
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { invalidArgument, invalidChoice, isRecord, requireBytes, requireString } from '../arguments.js';
import { SigvetError } from '../errors.js';
import { toHex } from '../encoding/hex.js';

/** A digest algorithm sigvet verifies. */
export type DigestAlgorithm = 'sha256' | 'sha512';

/** A parsed digest. */
export interface Digest {
  readonly algorithm: DigestAlgorithm;
  /** Lower-case hex. */
  readonly hex: string;
  /** `algorithm:hex`, the canonical text. */
  readonly text: string;
}

const DIGEST_ALGORITHMS: readonly DigestAlgorithm[] = ['sha256', 'sha512'];
const TAG_SUFFIXES: readonly string[] = ['', '.sig', '.att', '.sbom'];

const DIGEST_RE = /^(sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128})$/;

/** True when `s` is a digest sigvet can verify. */
export function isDigest(s: unknown): s is string {
  return typeof s === 'string' && DIGEST_RE.test(s);
}

/**
 * Parses `sha256:<64 hex>` or `sha512:<128 hex>`.
 * @throws SigvetError `PARSE` (check `oci.digest.format`) otherwise.
 */
export function parseDigest(s: unknown, what: string): Digest {
  if (!isDigest(s)) {
    const shown = typeof s === 'string' ? JSON.stringify(s.length > 200 ? `${s.slice(0, 200)}…` : s) : typeof s;
    throw new SigvetError('PARSE', `${what}: not a sha256 or sha512 digest in lower-case hex: ${shown}`, { check: 'oci.digest.format' });
  }
  const i = s.indexOf(':');
  return { algorithm: s.slice(0, i) as DigestAlgorithm, hex: s.slice(i + 1), text: s };
}

/**
 * A digest argument: the text, or a {@link Digest} (read from its `text`,
 * so that its parts cannot disagree with it).
 */
function digestArgument(d: unknown, fn: string, what: string): Digest {
  if (typeof d === 'string') return parseDigest(d, what);
  if (isRecord(d) && typeof d.text === 'string') return parseDigest(d.text, what);
  return invalidArgument(fn, 'the digest', 'a digest string or a parsed Digest', d);
}

/**
 * The digest of `bytes` with `algorithm`, as `algorithm:hex`.
 * @throws SigvetError `INVALID_ARGUMENT` (check `argument.digestOf`) for non-bytes or an algorithm other than sha256/sha512.
 */
export function digestOf(bytes: Uint8Array, algorithm: DigestAlgorithm = 'sha256'): string {
  requireBytes(bytes, 'digestOf', 'bytes');
  if (algorithm !== 'sha256' && algorithm !== 'sha512') invalidChoice('digestOf', 'algorithm', DIGEST_ALGORITHMS, algorithm);
  return `${algorithm}:${toHex(algorithm === 'sha256' ? sha256(bytes) : sha512(bytes))}`;
}

/**
 * Checks that `bytes` hash to `expected`.
 * @throws SigvetError `SIGNATURE` (check `oci.digest`) naming both digests;
 *   `PARSE` (check `oci.digest.format`) for a malformed digest;
 *   `INVALID_ARGUMENT` (check `argument.verifyDigest`) for arguments of the wrong type.
 */
export function verifyDigest(bytes: Uint8Array, expected: Digest | string, what: string): void {
  requireBytes(bytes, 'verifyDigest', 'bytes');
  requireString(what, 'verifyDigest', 'what');
  const d = digestArgument(expected, 'verifyDigest', what);
  const actual = digestOf(bytes, d.algorithm);
  if (actual !== d.text) {
    throw new SigvetError('SIGNATURE', `${what}: the content does not match its digest`, {
      check: 'oci.digest',
      expected: d.text,
      actual,
    });
  }
}

/**
 * The tag cosign derives from a digest: `sha256:abc…` becomes
 * `sha256-abc…` followed by `suffix` (`.sig`, `.att`, `.sbom`, or nothing
 * for the OCI referrers tag schema).
 * @throws SigvetError `PARSE` (check `oci.digest.format`) for a malformed digest;
 *   `INVALID_ARGUMENT` (check `argument.digestTag`) for another suffix or a digest of the wrong type.
 */
export function digestTag(digest: Digest | string, suffix: '' | '.sig' | '.att' | '.sbom'): string {
  if (!TAG_SUFFIXES.includes(suffix)) invalidChoice('digestTag', 'suffix', TAG_SUFFIXES, suffix);
  const d = digestArgument(digest, 'digestTag', 'digest');
  return `${d.algorithm}-${d.hex}${suffix}`;
}
