/**
 * Typed errors. Every failure sigvet reports is a {@link SigvetError} with a
 * stable {@link ErrorCode}; `switch (err.code)` is the supported way to branch.
 *
 * Subpath: `sigvet` (re-exported from the root entry).
 * @module
 */

/**
 * Stable error codes. New codes may be added in minor versions; existing ones
 * never change meaning. See `docs/errors.md`.
 */
export type ErrorCode =
  /** Malformed encoding: JSON, base64, DER, integers, text formats. */
  | 'PARSE'
  /** The bundle is well-formed JSON but not a bundle sigvet accepts (version, shape, missing evidence). */
  | 'BUNDLE_FORMAT'
  /** The trusted root is malformed or inconsistent. */
  | 'TRUST_ROOT'
  /** The signing certificate violates the Fulcio leaf profile (EKU, CA flag, critical extensions, SAN). */
  | 'CERTIFICATE'
  /** The certificate does not chain to a trusted CA valid at the verified time. */
  | 'CERT_CHAIN'
  /** Signed certificate timestamps: missing, unknown log, bad signature, outside validity. */
  | 'SCT'
  /** The transparency-log entry body does not match the bundle's signature, key or content. */
  | 'TLOG_BODY'
  /** The Merkle inclusion proof is malformed or does not lead to the checkpoint's root. */
  | 'TLOG_INCLUSION_PROOF'
  /** The signed checkpoint is malformed or lacks a valid signature of the log. */
  | 'TLOG_CHECKPOINT'
  /** The signed entry timestamp (SET, "inclusion promise") does not verify. */
  | 'TLOG_SET'
  /** An RFC 3161 timestamp is malformed, untrusted or does not cover the signature. */
  | 'TIMESTAMP'
  /** No verified time, or a verified time outside a certificate's or key's validity. */
  | 'TIME'
  /** The artifact (or DSSE) signature does not verify, or the artifact digest differs. */
  | 'SIGNATURE'
  /** The verification key is unknown, unsupported, or not valid for this use. */
  | 'KEY'
  /** The DSSE envelope is malformed or unsupported. */
  | 'DSSE'
  /** The artifact digest matches no subject of the in-toto statement. */
  | 'SUBJECT'
  /** The signer identity (SAN, issuer) does not match what the caller expects. */
  | 'IDENTITY'
  /** Fewer distinct verified authorities than a threshold requires. */
  | 'THRESHOLD'
  /** Input exceeds a hard limit (sizes, counts, nesting). */
  | 'LIMIT'
  /** An algorithm or entry kind sigvet does not support. */
  | 'UNSUPPORTED'
  /** The caller passed options that cannot be honoured. */
  | 'INVALID_ARGUMENT'
  /** A registry or image layout could not be read: unreachable, refused, unauthorized, not found. */
  | 'REGISTRY';

/** Details carried by a {@link SigvetError}. */
export interface SigvetErrorDetails {
  /** The check that failed, as a dotted name, e.g. `tlog.set.signature`. */
  readonly check?: string;
  /** What was expected, where a comparison failed. */
  readonly expected?: string;
  /** What was found instead. */
  readonly actual?: string;
  /** The underlying error, when one failure caused another. */
  readonly cause?: unknown;
  /** Every inner failure when none of several candidates matched. */
  readonly errors?: readonly SigvetError[];
}

/**
 * Marks sigvet's errors across copies of the class: the ESM and CommonJS
 * builds, the self-contained Node entry and the other entry points each
 * carry their own copy, and `instanceof` must hold across all of them.
 */
const SIGVET_ERROR_BRAND: unique symbol = Symbol.for('sigvet.error.v1') as never;

/** The one error class sigvet throws. */
export class SigvetError extends Error {
  /**
   * `instanceof SigvetError` is true for an error from any copy of sigvet
   * (the ESM/CommonJS builds, every entry point), so callers never face the
   * dual-package hazard. It tests a registered symbol, not the prototype.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as { [SIGVET_ERROR_BRAND]?: unknown })[SIGVET_ERROR_BRAND] === true;
  }

  /** The brand {@link SigvetError}'s `instanceof` tests (non-enumerable, so JSON and logs skip it). */
  declare readonly [SIGVET_ERROR_BRAND]: true;

  /** Stable machine-readable code. */
  readonly code: ErrorCode;
  /** The check that failed (dotted name), when known. */
  readonly check: string | undefined;
  /** What was expected, for mismatches. */
  readonly expected: string | undefined;
  /** What was found, for mismatches. */
  readonly actual: string | undefined;
  /** Inner failures when no candidate matched. */
  readonly errors: readonly SigvetError[] | undefined;

  constructor(code: ErrorCode, message: string, details: SigvetErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'SigvetError';
    this.code = code;
    this.check = details.check;
    this.expected = details.expected;
    this.actual = details.actual;
    this.errors = details.errors;
    Object.defineProperty(this, SIGVET_ERROR_BRAND, { value: true });
  }

  /** A plain-data view, for `--json` output and logs. */
  toJSON(): { code: ErrorCode; check?: string; message: string; expected?: string; actual?: string } {
    const out: { code: ErrorCode; check?: string; message: string; expected?: string; actual?: string } = {
      code: this.code,
      message: this.message,
    };
    if (this.check !== undefined) out.check = this.check;
    if (this.expected !== undefined) out.expected = this.expected;
    if (this.actual !== undefined) out.actual = this.actual;
    return out;
  }
}

/** True when `e` is a {@link SigvetError} (optionally with the given code). */
export function isSigvetError(e: unknown, code?: ErrorCode): e is SigvetError {
  return e instanceof SigvetError && (code === undefined || e.code === code);
}

/** Throws a {@link SigvetError}; an expression-friendly helper. @internal */
export function fail(code: ErrorCode, message: string, details?: SigvetErrorDetails): never {
  throw new SigvetError(code, message, details);
}
