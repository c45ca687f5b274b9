/**
 * The failures of the web TUF client. Every refusal is a `TRUST_ROOT`
 * {@link SigvetError} (as in the Node client, `sigvet/tuf` under `node`) whose
 * check names the role and the rule: `tuf.<role>.<rule>`, with role one of
 * `root`, `timestamp`, `snapshot`, `targets` (delegated targets roles too;
 * the message names them) and rule one of
 * - `shape`: malformed metadata (JSON, fields, types);
 * - `signature`: fewer valid signatures than the role's threshold;
 * - `version`: a version other than the one the referring metadata names;
 * - `rollback`: older than metadata the client already trusts;
 * - `expired`: expired at the update's start time (a freeze attack);
 * - `length` / `hash`: bytes that differ from the length or hashes signed for them.
 *
 * Besides those: `tuf.target` (no such target), `tuf.target.length`,
 * `tuf.target.hash`, `tuf.download` (unreachable, HTTP error, time-out),
 * `tuf.download.length` (more bytes than allowed), `tuf.delegation` (search
 * limits), `tuf.cache` (the cache failed). The Node client reports the same
 * rules under `tuf.metadata.<rule>`; both end in the same rule name.
 * @module
 */
import { SigvetError } from '../errors.js';

/** The metadata roles of a TUF repository, as named in checks. */
export type TufRoleName = 'root' | 'timestamp' | 'snapshot' | 'targets';

/** What can be wrong with a metadata file. */
export type TufRule = 'shape' | 'signature' | 'version' | 'rollback' | 'expired' | 'length' | 'hash';

/** A `TRUST_ROOT` error with check `tuf.<role>.<rule>`. */
export function metadataError(
  role: TufRoleName,
  rule: TufRule,
  message: string,
  details: { expected?: string; actual?: string; cause?: unknown } = {},
): SigvetError {
  return new SigvetError('TRUST_ROOT', `TUF: ${message}`, { check: `tuf.${role}.${rule}`, ...details });
}

/** A `TRUST_ROOT` error with the given `tuf.*` check. */
export function tufError(
  check: string,
  message: string,
  details: { expected?: string; actual?: string; cause?: unknown } = {},
): SigvetError {
  return new SigvetError('TRUST_ROOT', `TUF: ${message}`, { check, ...details });
}
