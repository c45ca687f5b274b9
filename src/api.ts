/**
 * The runtime-neutral public API, re-exported by every entry point
 * (`sigvet` under the `node`, `browser`, `worker` and `default` conditions).
 * @module
 */
export { SigvetError, isSigvetError, type ErrorCode, type SigvetErrorDetails } from './errors.js';
export type { CryptoProvider, KeyType, HashAlgorithm, IncrementalHash, PublicKey, SignatureScheme } from './crypto/provider.js';
export { createVerifierWith, type Verifier, type BatchItem, type BatchOutcome } from './verify/verifier.js';
export type { ArtifactStream } from './verify/artifact.js';
export type { VerifierOptions, VerifyInput, ExpectedIdentity, StringMatcher } from './verify/options.js';
export { DEFAULT_VERIFIER_LIMITS, VERIFIER_LIMIT_CEILINGS, type VerifierLimits, type VerifierLimitName } from './verify/limits.js';
export {
  VERIFICATION_RESULT_MEDIA_TYPE,
  type VerificationResult,
  type CertificateSigner,
  type KeySigner,
  type VerifiedContent,
  type VerifiedTime,
  type VerifiedLogEntryInfo,
  type CheckRecord,
} from './verify/result.js';
export { decodeBundle, BUNDLE_LIMITS } from './bundle/decode.js';
export { BUNDLE_MEDIA_TYPES, type Bundle, type BundleVersion, type TransparencyLogEntry } from './bundle/bundle.js';
export { parseTrustedRoot, TRUSTED_ROOT_MEDIA_TYPES, type TrustedRoot } from './trust/trusted-root.js';
export { parseStatement, type Statement, type Subject } from './intoto/statement.js';
export { matchSubject, type MatchSubjectOptions, type SubjectMatch } from './intoto/subject-match.js';
export { preAuthEncoding } from './dsse/pae.js';
export { PUBLIC_GOOD_TRUSTED_ROOT_JSON } from './trust/public-good-root.js';
