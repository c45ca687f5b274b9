/**
 * `sigvet/attestations`: in-toto statements and their predicates as typed,
 * schema-validated models. A separate entry point so that applications that
 * only verify signatures do not load the schema validators.
 *
 * ```ts
 * import { createVerifier } from 'sigvet';
 * import { readAttestation, provenanceView } from 'sigvet/attestations';
 * const result = await (await createVerifier()).verify(bundle, { artifact, identity });
 * const att = readAttestation(result);          // typed by att.kind
 * const prov = provenanceView(att);             // SLSA v1 and v0.2 alike
 * ```
 *
 * The validators were compiled from the JSON Schemas in the package's
 * `schemas/` directory at build time: nothing is evaluated at run time
 * (CSP without 'unsafe-eval' is fine).
 * @module
 */
export {
  IN_TOTO_PAYLOAD_TYPE,
  STATEMENT_TYPES,
  MAX_SUBJECTS,
  parseStatement,
  parseStatementJson,
  findSubject,
  type Statement,
  type StatementType,
  type Subject,
} from './intoto/statement.js';
export type { ResourceDescriptor } from './intoto/resource-descriptor.js';
export { DIGEST_HEX_LENGTHS, WEAK_DIGEST_ALGORITHMS, digestValueProblem, isWeakDigest, type DigestSet } from './intoto/digest-set.js';
export { matchSubject, type MatchSubjectOptions, type SubjectMatch } from './intoto/subject-match.js';
export { PREDICATE_TYPES, PREDICATE_SCHEMA_FILES, predicateKind, type PredicateKind, type KnownPredicateKind } from './predicates/predicate-types.js';
export {
  validatePredicate,
  validateStatementSchema,
  formatSchemaIssues,
  MAX_SCHEMA_ISSUES,
  type SchemaIssue,
  type SchemaValidationResult,
} from './predicates/schema-validation.js';
export {
  parseAttestation,
  parseAttestationPayload,
  readAttestation,
  provenanceView,
  vulnerabilityReport,
  verificationSummary,
  sbomView,
  type Attestation,
  type AttestationOf,
  type SlsaProvenanceV1Attestation,
  type SlsaProvenanceV02Attestation,
  type VerificationSummaryAttestation,
  type CosignVulnAttestation,
  type IntotoVulnsAttestation,
  type Spdx2Attestation,
  type Spdx3Attestation,
  type CycloneDxAttestation,
  type TestResultAttestation,
  type ReleaseAttestation,
  type NpmPublishAttestation,
  type LinkV03Attestation,
  type LinkLegacyAttestation,
  type UnknownAttestation,
} from './predicates/attestation.js';
export type { SlsaProvenanceV1, SlsaProvenanceV02, SlsaMaterialV02 } from './predicates/slsa-provenance.js';
export { GITHUB_WORKFLOW_BUILD_TYPES, parseGitUri, type ProvenanceView, type ProvenanceSource } from './predicates/provenance-view.js';
export { slsaTrackLevels, type SlsaVerificationSummaryV1, type VerificationSummaryView } from './predicates/verification-summary.js';
export {
  countBySeverity,
  scoreNumber,
  type CosignVulnV1,
  type IntotoVulnsV02,
  type VulnsSeverityV02,
  type VulnerabilityReport,
  type VulnerabilityFinding,
  type VulnerabilityScore,
  type VulnerabilityResultFormat,
} from './predicates/vulnerability-report.js';
export type { SpdxDocument2, SpdxDocument3, CycloneDxBom, SbomView } from './predicates/sbom.js';
export type { TestResultV01 } from './predicates/test-result.js';
export type { ReleaseV01, NpmPublishV01 } from './predicates/release.js';
export type { LinkV03, LinkLegacy } from './predicates/link.js';
export { summarizeAttestation, MAX_FACT_LENGTH, type AttestationSummary, type SummaryFact } from './predicates/summary.js';
export { SigvetError, isSigvetError, type ErrorCode } from './errors.js';
