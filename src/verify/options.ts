/**
 * What a caller expects of a bundle (artifact, identity or key) and how a
 * verifier is configured (trusted root, thresholds). Deployment settings
 * and per-call expectations are kept apart.
 * @module
 */
import type { VerifierLimits } from './limits.js';

/** A string matched exactly, or a regular expression matched against the whole string. */
export type StringMatcher = string | { readonly regex: string };

/** The identity a keyless bundle must have been signed by. */
export interface ExpectedIdentity {
  /** The certificate's SAN (URI, email or username), matched as a whole string. */
  readonly subjectAlternativeName: StringMatcher;
  /** The OIDC issuer (Fulcio extension), matched as a whole string. */
  readonly issuer: StringMatcher;
}

/** Per-bundle expectations. One of `artifact`/`artifactDigest` and one of `identity`/`key` are required. */
export interface VerifyInput {
  /**
   * The artifact (for DSSE bundles: the subject of the in-toto statement):
   * its bytes, or a stream hashed as it arrives in constant memory.
   */
  readonly artifact?: Uint8Array | AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>;
  /** The artifact's digest as `sha256:<lower-case hex>`, when the bytes are not at hand. */
  readonly artifactDigest?: string;
  /** The expected signer, for certificate bundles. */
  readonly identity?: ExpectedIdentity;
  /** The managed public key (PEM `PUBLIC KEY` or DER SPKI), for key bundles. */
  readonly key?: string | Uint8Array;
  /** Verify without binding to an artifact (DSSE attestations read for their content). Unsafe: says so. */
  readonly unsafeSkipArtifact?: boolean;
  /** Verify a certificate bundle without checking who signed it. Unsafe: says so. */
  readonly unsafeSkipIdentity?: boolean;
}

/** How a verifier is configured. */
export interface VerifierOptions {
  /** The trusted root: JSON text, UTF-8 bytes, or a parsed JSON object. */
  readonly trustedRoot?: string | Uint8Array | object;
  /** Distinct transparency logs that must vouch for the signature (default 1). */
  readonly tlogThreshold?: number;
  /** Distinct CT logs whose SCTs must verify, for certificates (default 1). */
  readonly ctlogThreshold?: number;
  /** Distinct verified time sources (SET-backed log times, RFC 3161 authorities) needed (default 1). */
  readonly timestampThreshold?: number;
  /**
   * Cache verified results (LRU, at most `maxEntries`), keyed by everything
   * that decides the verdict. Cached results are deep-frozen. Off by default.
   */
  readonly cache?: { readonly maxEntries: number };
  /**
   * Caps on hostile input (bundle size, JSON depth, counts, …), each a
   * positive integer; caps not given keep their defaults. A cap may be
   * lowered freely but not raised past its ceiling; see `VerifierLimits`.
   * Unknown cap names are refused.
   */
  readonly limits?: Partial<VerifierLimits>;
}
