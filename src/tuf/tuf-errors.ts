/**
 * Turns tuf-js's errors into {@link SigvetError}s. tuf-js does not export
 * its error classes, so they are told apart by class name (tuf-js ships
 * unminified, and the names are part of its documented behaviour).
 * @module
 */
import { SigvetError } from '../errors.js';

/** tuf-js / @tufjs/models error class → sigvet check name. */
const CHECKS: Readonly<Record<string, string>> = {
  ExpiredMetadataError: 'tuf.metadata.expired',
  BadVersionError: 'tuf.metadata.rollback',
  EqualVersionError: 'tuf.metadata.rollback',
  UnsignedMetadataError: 'tuf.metadata.signature',
  LengthOrHashMismatchError: 'tuf.target.hash',
  DownloadLengthMismatchError: 'tuf.download.length',
  DownloadHTTPError: 'tuf.download',
  DownloadError: 'tuf.download',
  RepositoryError: 'tuf.metadata',
  ValueError: 'tuf.metadata',
  TypeError: 'tuf.metadata',
  SyntaxError: 'tuf.metadata',
  CryptoError: 'tuf.metadata.signature',
  UnsupportedAlgorithmError: 'tuf.metadata.signature',
};

/**
 * tuf-js re-wraps some failures in a plain Error whose message quotes the
 * original ("Unable to load targets error Error: targets.json is expired"):
 * those are recognised by what the quoted message says.
 */
const MESSAGES: readonly (readonly [RegExp, string])[] = [
  [/\bis expired\b/i, 'tuf.metadata.expired'],
  [/version must be|expected .* version|\bversion\b.*\b(lower|less|rollback)/i, 'tuf.metadata.rollback'],
  [/signed by \d+\/\d+ keys|signature/i, 'tuf.metadata.signature'],
  [/length or hash|hash mismatch|length mismatch/i, 'tuf.target.hash'],
];

/** The class names of an error and its prototype chain, nearest first. */
function classNames(err: unknown): string[] {
  const names: string[] = [];
  let proto = err !== null && typeof err === 'object' ? (Object.getPrototypeOf(err) as object | null) : null;
  for (let i = 0; proto !== null && i < 8; i++) {
    const name = (proto as { constructor?: { name?: unknown } }).constructor?.name;
    if (typeof name === 'string') names.push(name);
    proto = Object.getPrototypeOf(proto) as object | null;
  }
  return names;
}

/** A SigvetError (`TRUST_ROOT`, check `tuf.*`) for a failure of tuf-js while `doing` something. */
export function tufFailure(err: unknown, doing: string): SigvetError {
  if (err instanceof SigvetError) return err;
  const names = classNames(err);
  const message = err instanceof Error ? err.message : String(err);
  const byClass = names.map((n) => CHECKS[n]).find((c) => c !== undefined && c !== 'tuf.metadata');
  const byMessage = MESSAGES.find(([pattern]) => pattern.test(message))?.[1];
  const check = byClass ?? byMessage ?? (names.some((n) => CHECKS[n] === 'tuf.metadata') ? 'tuf.metadata' : 'tuf');
  // Network failures (fetch's TypeError "fetch failed", timeouts) are downloads.
  const isNetwork = /fetch failed|ECONNREFUSED|ETIMEDOUT|ENOTFOUND|timed? ?out/i.test(message) && !names.includes('RepositoryError');
  return new SigvetError('TRUST_ROOT', `TUF: ${doing}: ${message}`, { check: isNetwork ? 'tuf.download' : check, cause: err });
}
