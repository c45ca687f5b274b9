/**
 * Attestations: an in-toto statement whose predicate has been recognized
 * by type and checked against its schema, typed by kind. Policies switch
 * on `kind` and read typed fields, or use the views
 * ({@link provenanceView}, {@link vulnerabilityReport},
 * {@link verificationSummary}, {@link sbomView}) that give several versions
 * or formats one shape.
 *
 * An unknown predicate type is kind `unknown` and its predicate is kept as
 * JSON: never an error by itself.
 * @module
 */
import { requireObject, requireString } from '../arguments.js';
import { SigvetError } from '../errors.js';
import type { JsonObject } from '../encoding/json.js';
import { IN_TOTO_PAYLOAD_TYPE, parseStatement, type Statement } from '../intoto/statement.js';
import type { VerificationResult } from '../verify/result.js';
import type { PredicateKind } from './predicate-types.js';
import { provenanceViewV02, provenanceViewV1, type ProvenanceView } from './provenance-view.js';
import { sbomViewCycloneDx, sbomViewSpdx2, sbomViewSpdx3, type CycloneDxBom, type SbomView, type SpdxDocument2, type SpdxDocument3 } from './sbom.js';
import { formatSchemaIssues, validatePredicate, type SchemaIssue } from './schema-validation.js';
import type { SlsaProvenanceV02, SlsaProvenanceV1 } from './slsa-provenance.js';
import type { TestResultV01 } from './test-result.js';
import type { NpmPublishV01, ReleaseV01 } from './release.js';
import type { LinkLegacy, LinkV03 } from './link.js';
import {
  slsaTrackLevels,
  verificationSummaryView,
  type SlsaVerificationSummaryV1,
  type VerificationSummaryView,
} from './verification-summary.js';
import {
  vulnerabilityReportCosign,
  vulnerabilityReportIntoto,
  type CosignVulnV1,
  type IntotoVulnsV02,
  type VulnerabilityReport,
} from './vulnerability-report.js';

/** An attestation of one kind: the statement, and its predicate typed. */
export interface AttestationOf<K extends PredicateKind, P> {
  readonly kind: K;
  /** The statement's predicateType, exactly. */
  readonly predicateType: string;
  readonly statement: Statement;
  /** The validated predicate (the same object as `statement.predicate`; `{}` when that is absent). */
  readonly predicate: P;
}

/** SLSA Provenance v1. */
export type SlsaProvenanceV1Attestation = AttestationOf<'slsa-provenance-v1', SlsaProvenanceV1>;
/** SLSA Provenance v0.2. */
export type SlsaProvenanceV02Attestation = AttestationOf<'slsa-provenance-v0.2', SlsaProvenanceV02>;
/** SLSA Verification Summary v1. */
export type VerificationSummaryAttestation = AttestationOf<'slsa-vsa-v1', SlsaVerificationSummaryV1>;
/** cosign vulnerability scan v1. */
export type CosignVulnAttestation = AttestationOf<'cosign-vuln-v1', CosignVulnV1>;
/** in-toto vulnerabilities v0.2. */
export type IntotoVulnsAttestation = AttestationOf<'intoto-vulns-v0.2', IntotoVulnsV02>;
/** SPDX 2.x document. */
export type Spdx2Attestation = AttestationOf<'spdx-2', SpdxDocument2>;
/** SPDX 3 document. */
export type Spdx3Attestation = AttestationOf<'spdx-3', SpdxDocument3>;
/** CycloneDX BOM. */
export type CycloneDxAttestation = AttestationOf<'cyclonedx', CycloneDxBom>;
/** in-toto test result v0.1. */
export type TestResultAttestation = AttestationOf<'intoto-test-result-v0.1', TestResultV01>;
/** in-toto release v0.1. */
export type ReleaseAttestation = AttestationOf<'intoto-release-v0.1', ReleaseV01>;
/** npm publish v0.1. */
export type NpmPublishAttestation = AttestationOf<'npm-publish-v0.1', NpmPublishV01>;
/** in-toto link v0.3. */
export type LinkV03Attestation = AttestationOf<'intoto-link-v0.3', LinkV03>;
/** in-toto link, legacy Link/v1. */
export type LinkLegacyAttestation = AttestationOf<'intoto-link-legacy', LinkLegacy>;
/** Any other predicate type: the predicate as JSON. */
export type UnknownAttestation = AttestationOf<'unknown', JsonObject | undefined>;

/** A statement with its predicate recognized and validated. Switch on `kind`. */
export type Attestation =
  | SlsaProvenanceV1Attestation
  | SlsaProvenanceV02Attestation
  | VerificationSummaryAttestation
  | CosignVulnAttestation
  | IntotoVulnsAttestation
  | Spdx2Attestation
  | Spdx3Attestation
  | CycloneDxAttestation
  | TestResultAttestation
  | ReleaseAttestation
  | NpmPublishAttestation
  | LinkV03Attestation
  | LinkLegacyAttestation
  | UnknownAttestation;

function schemaError(predicateType: string, schema: string | undefined, issues: readonly SchemaIssue[]): SigvetError {
  const first = issues.slice(0, 3);
  const more = issues.length > first.length ? ` (and ${issues.length - first.length} more)` : '';
  return new SigvetError(
    'DSSE',
    `in-toto statement: the ${predicateType} predicate does not match ${schema ?? 'its schema'}: ${formatSchemaIssues(first)}${more}`,
    {
      check: 'attestation.predicate.schema',
      errors: issues.map((i) => new SigvetError('DSSE', `${i.pointer}: ${i.message}`, { check: 'attestation.predicate.schema' })),
    },
  );
}

/**
 * Recognizes and validates the predicate of a parsed statement (for
 * example `result.content.statement` of a verification).
 * @throws SigvetError `DSSE` (check `attestation.predicate.schema`, with one
 *   inner error per issue, each starting with the field's JSON Pointer; or
 *   `attestation.vsa.levels` for a VSA that lists two levels of a track);
 *   `INVALID_ARGUMENT` (check `argument.parseAttestation`) when `statement`
 *   is not an object with a string `predicateType`.
 */
export function parseAttestation(statement: Statement): Attestation {
  requireObject(statement, 'parseAttestation', 'statement');
  const { predicateType } = statement;
  requireString(predicateType, 'parseAttestation', 'statement.predicateType');
  const checked = validatePredicate(predicateType, statement.predicate);
  if (!checked.valid) throw schemaError(predicateType, checked.schema, checked.issues);
  if (checked.kind === 'unknown') return { kind: 'unknown', predicateType, statement, predicate: statement.predicate };
  const predicate = statement.predicate ?? {};
  if (checked.kind === 'slsa-vsa-v1') {
    const levels = slsaTrackLevels((predicate as unknown as SlsaVerificationSummaryV1).verifiedLevels);
    if ('conflict' in levels) {
      throw new SigvetError('DSSE', `in-toto statement /predicate/verifiedLevels: more than one level for the SLSA ${levels.conflict} track`, {
        check: 'attestation.vsa.levels',
      });
    }
  }
  // The schema of `kind` has just accepted `predicate`: it has that kind's shape.
  return { kind: checked.kind, predicateType, statement, predicate } as unknown as Attestation;
}

/**
 * Parses and recognizes a DSSE payload. Use only with verified payload
 * bytes (after the envelope signature checked out).
 * @throws SigvetError `DSSE` (check `attestation.payload_type` when the payload is not in-toto, or the statement and predicate checks).
 */
export function parseAttestationPayload(payload: Uint8Array, payloadType: string = IN_TOTO_PAYLOAD_TYPE): Attestation {
  if (payloadType !== IN_TOTO_PAYLOAD_TYPE) {
    throw new SigvetError('DSSE', `a ${payloadType} payload is not an in-toto statement`, {
      check: 'attestation.payload_type',
      expected: IN_TOTO_PAYLOAD_TYPE,
      actual: payloadType,
    });
  }
  return parseAttestation(parseStatement(payload));
}

/**
 * The attestation of a successful verification: the verified statement
 * with its predicate recognized and validated.
 * @throws SigvetError `DSSE` (check `attestation.statement`) when the bundle held no in-toto statement;
 *   `INVALID_ARGUMENT` (check `argument.readAttestation`) when `result` is not a verification result.
 */
export function readAttestation(result: Pick<VerificationResult, 'content'>): Attestation {
  requireObject(result, 'readAttestation', 'result');
  const c = result.content;
  requireObject(c, 'readAttestation', 'result.content');
  if (c.type !== 'dsseEnvelope' || c.statement === undefined) {
    throw new SigvetError('DSSE', 'the verified bundle holds no in-toto statement', {
      check: 'attestation.statement',
      actual: c.type === 'dsseEnvelope' ? c.payloadType : c.type,
    });
  }
  return parseAttestation(c.statement);
}

/**
 * Requires an attestation: an object with a string `kind` (as
 * {@link parseAttestation} returns). Only the shape the views branch on is
 * checked; the predicate is trusted to be the one `kind`'s schema accepted.
 * @throws SigvetError `INVALID_ARGUMENT` (check `argument.<fn>`).
 * @internal
 */
export function requireAttestation(att: unknown, fn: string): asserts att is Attestation {
  requireObject(att, fn, 'att');
  requireString((att as { kind?: unknown }).kind, fn, 'att.kind');
}

/**
 * Builder, source, parameters and times of SLSA provenance (v1 or v0.2); undefined for other kinds.
 * @throws SigvetError `INVALID_ARGUMENT` (check `argument.provenanceView`) when `att` is not an attestation.
 */
export function provenanceView(att: Attestation): ProvenanceView | undefined {
  requireAttestation(att, 'provenanceView');
  if (att.kind === 'slsa-provenance-v1') return provenanceViewV1(att.predicate);
  if (att.kind === 'slsa-provenance-v0.2') return provenanceViewV02(att.predicate);
  return undefined;
}

/**
 * Scanner, database, times and findings of a vulnerability scan (cosign vuln/v1 or in-toto vulns v0.2); undefined for other kinds.
 * @throws SigvetError `INVALID_ARGUMENT` (check `argument.vulnerabilityReport`) when `att` is not an attestation.
 */
export function vulnerabilityReport(att: Attestation): VulnerabilityReport | undefined {
  requireAttestation(att, 'vulnerabilityReport');
  if (att.kind === 'cosign-vuln-v1') return vulnerabilityReportCosign(att.predicate);
  if (att.kind === 'intoto-vulns-v0.2') return vulnerabilityReportIntoto(att.predicate);
  return undefined;
}

/**
 * Verifier, result and levels of a VSA; undefined for other kinds.
 * @throws SigvetError `INVALID_ARGUMENT` (check `argument.verificationSummary`) when `att` is not an attestation.
 */
export function verificationSummary(att: Attestation): VerificationSummaryView | undefined {
  requireAttestation(att, 'verificationSummary');
  return att.kind === 'slsa-vsa-v1' ? verificationSummaryView(att.predicate) : undefined;
}

/**
 * Format, version, name and size of an SBOM (SPDX 2/3, CycloneDX); undefined for other kinds.
 * @throws SigvetError `INVALID_ARGUMENT` (check `argument.sbomView`) when `att` is not an attestation.
 */
export function sbomView(att: Attestation): SbomView | undefined {
  requireAttestation(att, 'sbomView');
  if (att.kind === 'spdx-2') return sbomViewSpdx2(att.predicate);
  if (att.kind === 'spdx-3') return sbomViewSpdx3(att.predicate);
  if (att.kind === 'cyclonedx') return sbomViewCycloneDx(att.predicate);
  return undefined;
}
