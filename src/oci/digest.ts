/**
 * OCI content digests (`<algorithm>:<hex>`): parsing, computing and the
 * check every fetched byte goes through. Only sha256 and sha512 are
 * accepted (the algorithms the OCI image spec registers); the encoded part
 * must be lower-case hex of the exact length, compared as text.
 * @module
 */
import { sha256, sha512 } from '@noble/hashes/sha2.js';
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

/** The digest of `bytes` with `algorithm`, as `algorithm:hex`. */
export function digestOf(bytes: Uint8Array, algorithm: DigestAlgorithm = 'sha256'): string {
  return `${algorithm}:${toHex(algorithm === 'sha256' ? sha256(bytes) : sha512(bytes))}`;
}

/**
 * Checks that `bytes` hash to `expected`.
 * @throws SigvetError `SIGNATURE` (check `oci.digest`) naming both digests.
 */
export function verifyDigest(bytes: Uint8Array, expected: Digest | string, what: string): void {
  const d = typeof expected === 'string' ? parseDigest(expected, what) : expected;
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
 */
export function digestTag(digest: Digest | string, suffix: '' | '.sig' | '.att' | '.sbom'): string {
  const d = typeof digest === 'string' ? parseDigest(digest, 'digest') : digest;
  return `${d.algorithm}-${d.hex}${suffix}`;
}
