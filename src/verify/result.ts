/**
 * The verification result: plain, JSON-serializable data listing what was
 * verified (signer, times, log entries, statement) and which checks ran.
 * Policy engines read this; nothing in it is unverified.
 * @module
 */
import type { Statement } from '../intoto/statement.js';
import type { FulcioExtensionName } from '../x509/fulcio.js';

/** Media type of {@link VerificationResult}. */
export const VERIFICATION_RESULT_MEDIA_TYPE = 'application/vnd.sigvet.verification-result.v0.1+json';

/** One check the verifier performed. */
export interface CheckRecord {
  /** Dotted check name, e.g. `tlog.set.signature`. */
  readonly name: string;
  /** What it established. */
  readonly detail: string;
}

/** A verified time and who vouches for it. */
export interface VerifiedTime {
  readonly source: 'tlog' | 'rfc3161';
  /** RFC 3339, UTC. */
  readonly time: string;
  /** The log's `baseUrl` or the TSA's `uri`. */
  readonly authority: string;
}

/** A verified transparency-log entry. */
export interface VerifiedLogEntryInfo {
  readonly baseUrl: string;
  /** Hex log id. */
  readonly logId: string;
  /** Decimal string (int64). */
  readonly logIndex: string;
  readonly kind: string;
  readonly version: string;
  /** RFC 3339, present only when a verified SET signs it. */
  readonly integratedTime: string | undefined;
  readonly setVerified: boolean;
  readonly inclusionProofVerified: boolean;
  readonly checkpoint: { readonly origin: string; readonly treeSize: string; readonly rootHash: string } | undefined;
}

/** The certificate signer. */
export interface CertificateSigner {
  readonly type: 'certificate';
  /** The SAN value. */
  readonly subjectAlternativeName: string;
  readonly subjectAlternativeNameType: 'uri' | 'email' | 'username';
  /** The OIDC issuer, when the certificate carries one. */
  readonly issuer: string | undefined;
  /** Fulcio extensions by name. */
  readonly extensions: Partial<Record<FulcioExtensionName, string>>;
  /** Every extension under 1.3.6.1.4.1.57264.1, by OID. */
  readonly extensionsByOid: Readonly<Record<string, string>>;
  readonly certificate: {
    readonly serialNumber: string;
    readonly notBefore: string;
    readonly notAfter: string;
    /** The trusted CA's `uri`. */
    readonly certificateAuthority: string;
  };
  /** Verified SCTs: CT log `baseUrl` and time. */
  readonly scts: readonly { readonly log: string; readonly time: string }[];
}

/** The managed-key signer. */
export interface KeySigner {
  readonly type: 'publicKey';
  /** The bundle's key hint (informational, unverified; the key is the caller's). */
  readonly hint: string;
  /** The key that verified the bundle: `sha256:<hex of its DER SPKI>`. */
  readonly keyId: string;
}

/** What a bundle's content signature covers. */
export type VerifiedContent =
  | { readonly type: 'messageSignature'; readonly artifactDigest: { readonly algorithm: 'sha256'; readonly hex: string } | undefined }
  | {
      readonly type: 'dsseEnvelope';
      readonly payloadType: string;
      /**
       * The statement, parsed from the verified payload, for in-toto payloads.
       * Integers beyond ±2^53 in the predicate are `bigint` (exact): serialize
       * with a replacer (the CLI prints them as decimal strings).
       */
      readonly statement: Statement | undefined;
      /** The subject that matched the artifact digest. */
      readonly matchedSubject: string | undefined;
    };

/** The result of a successful verification. */
export interface VerificationResult {
  readonly mediaType: typeof VERIFICATION_RESULT_MEDIA_TYPE;
  readonly bundle: { readonly mediaType: string; readonly version: string };
  readonly signer: CertificateSigner | KeySigner;
  readonly content: VerifiedContent;
  readonly verifiedTimes: readonly VerifiedTime[];
  readonly tlogEntries: readonly VerifiedLogEntryInfo[];
  /** Checks performed, in order. */
  readonly checks: readonly CheckRecord[];
  /** Checks not performed, with the reason (e.g. an `unsafeSkip…` option). */
  readonly skipped: readonly CheckRecord[];
}
