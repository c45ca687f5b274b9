/**
 * JSON Schema validation of statements and predicates with the validators
 * compiled at build time (src/schemas-generated/validators.js, from
 * schemas/ by scripts/compile-schemas.mjs). No code is generated at run
 * time, so this works under a Content-Security-Policy without
 * 'unsafe-eval'.
 *
 * Every issue carries the JSON Pointer of the offending field, relative to
 * the statement (`/predicate/runDetails/builder/id`); a missing required
 * field is pointed at where it should be.
 * @module
 */
import {
  validateCosignVulnV1,
  validateCyclonedx,
  validateIntotoLinkLegacy,
  validateIntotoLinkV03,
  validateIntotoReleaseV01,
  validateIntotoStatementV01,
  validateIntotoStatementV1,
  validateIntotoTestResultV01,
  validateIntotoVulnsV02,
  validateNpmPublishV01,
  validateSlsaProvenanceV02,
  validateSlsaProvenanceV1,
  validateSlsaVerificationSummaryV1,
  validateSpdx2,
  validateSpdx3,
  type GeneratedValidationError,
  type GeneratedValidator,
} from '../schemas-generated/validators.js';
import { invalidArgument, isRecord, requireArray } from '../arguments.js';
import { displayPointer, escapePointerToken } from '../intoto/json-pointer.js';
import { PREDICATE_SCHEMA_FILES, predicateKind, type KnownPredicateKind, type PredicateKind } from './predicate-types.js';

/** One reason a document does not match its schema. */
export interface SchemaIssue {
  /** JSON Pointer (RFC 6901) of the offending field, from the statement root. */
  readonly pointer: string;
  /** The JSON Schema keyword that failed (`type`, `required`, `pattern`, `format`, …). */
  readonly keyword: string;
  /** What is wrong, in words. */
  readonly message: string;
}

/** The outcome of a schema validation. */
export interface SchemaValidationResult {
  readonly valid: boolean;
  /** The schema file under `schemas/` that was applied; undefined when none applies (unknown predicate type). */
  readonly schema: string | undefined;
  /** Why it is invalid: at most {@link MAX_SCHEMA_ISSUES}, in document order of discovery. */
  readonly issues: readonly SchemaIssue[];
}

/** The most issues reported for one document. */
export const MAX_SCHEMA_ISSUES = 20;

const PREDICATE_VALIDATORS: Readonly<Record<KnownPredicateKind, GeneratedValidator>> = {
  'slsa-provenance-v1': validateSlsaProvenanceV1,
  'slsa-provenance-v0.2': validateSlsaProvenanceV02,
  'slsa-vsa-v1': validateSlsaVerificationSummaryV1,
  'cosign-vuln-v1': validateCosignVulnV1,
  'intoto-vulns-v0.2': validateIntotoVulnsV02,
  'spdx-2': validateSpdx2,
  'spdx-3': validateSpdx3,
  cyclonedx: validateCyclonedx,
  'intoto-test-result-v0.1': validateIntotoTestResultV01,
  'intoto-release-v0.1': validateIntotoReleaseV01,
  'npm-publish-v0.1': validateNpmPublishV01,
  'intoto-link-v0.3': validateIntotoLinkV03,
  'intoto-link-legacy': validateIntotoLinkLegacy,
};

/** Turns one ajv error into an issue pointing at the field itself. */
function toIssue(e: GeneratedValidationError, base: string): SchemaIssue {
  let pointer = base + e.instancePath;
  let message = e.message ?? `fails ${e.keyword}`;
  const missing = e.params.missingProperty;
  if (e.keyword === 'required' && typeof missing === 'string') {
    pointer += `/${escapePointerToken(missing)}`;
    message = 'is required';
  } else if (e.propertyName !== undefined) {
    pointer += `/${escapePointerToken(e.propertyName)}`;
    message = `property name ${message}`;
  }
  return { pointer, keyword: e.keyword, message };
}

/**
 * ajv reports a failed `anyOf` as the failure of every branch plus a
 * summary. Rewritten to what a person needs:
 * - branches that only ask for one of several fields (ResourceDescriptor's
 *   "uri, digest or content") become one issue naming them all;
 * - otherwise the `type` failures of branches (such as "must be null" of a
 *   nullable field) are dropped when another branch says more.
 */
function simplifyAnyOf(errors: readonly GeneratedValidationError[]): GeneratedValidationError[] {
  const out: GeneratedValidationError[] = [];
  const branchesOf = (a: GeneratedValidationError) =>
    errors.filter((e) => e !== a && e.instancePath.startsWith(a.instancePath) && e.schemaPath.startsWith(`${a.schemaPath}/`));
  const consumed = new Set<GeneratedValidationError>();
  for (const a of errors) {
    if (a.keyword !== 'anyOf') continue;
    const branches = branchesOf(a);
    for (const b of branches) consumed.add(b);
    if (branches.length > 0 && branches.every((b) => b.keyword === 'required' && b.instancePath === a.instancePath)) {
      const names = branches.map((b) => String(b.params.missingProperty));
      out.push({ ...a, message: `needs one of ${names.join(', ')}` });
      continue;
    }
    const informative = branches.filter((b) => b.keyword !== 'type');
    out.push(...(informative.length > 0 ? informative : branches.length > 0 ? branches : [a]));
  }
  return [...errors.filter((e) => e.keyword !== 'anyOf' && !consumed.has(e)), ...out];
}

/**
 * Runs a compiled validator. ajv adds one summary error per failed
 * `propertyNames`; it is kept only when nothing more precise was found.
 */
function run(validate: GeneratedValidator, value: unknown, base: string, schema: string): SchemaValidationResult {
  if (validate(value)) return { valid: true, schema, issues: [] };
  const errors = simplifyAnyOf(validate.errors ?? []);
  const precise = errors.filter((e) => e.keyword !== 'propertyNames');
  const chosen = precise.length > 0 ? precise : errors;
  const issues: SchemaIssue[] = [];
  const seen = new Set<string>();
  for (const e of chosen) {
    const issue = toIssue(e, base);
    const key = `${issue.pointer}\u0000${issue.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push(issue);
    if (issues.length >= MAX_SCHEMA_ISSUES) break;
  }
  if (issues.length === 0) issues.push({ pointer: base, keyword: 'schema', message: 'does not match the schema' });
  return { valid: false, schema, issues };
}

/**
 * Validates a predicate against the schema of its type. An unknown type is
 * valid (nothing to check) with `schema: undefined`. An absent predicate is
 * validated as `{}` ("unset is the same as empty").
 * @param basePointer where the predicate sits (default `/predicate`).
 */
export function validatePredicate(
  predicateType: string,
  predicate: unknown,
  basePointer = '/predicate',
): SchemaValidationResult & { readonly kind: PredicateKind } {
  const kind = predicateKind(predicateType);
  if (kind === 'unknown') return { kind, valid: true, schema: undefined, issues: [] };
  const schema = PREDICATE_SCHEMA_FILES[kind];
  return { kind, ...run(PREDICATE_VALIDATORS[kind], predicate ?? {}, basePointer, schema) };
}

/**
 * Validates a statement as parsed JSON (before sigvet's own reading of it)
 * against the Statement schema its `_type` names. Predicates are not
 * checked here; see {@link validatePredicate}.
 */
export function validateStatementSchema(json: unknown): SchemaValidationResult {
  const type = json !== null && typeof json === 'object' && !Array.isArray(json) ? (json as { _type?: unknown })._type : undefined;
  if (type === 'https://in-toto.io/Statement/v1') return run(validateIntotoStatementV1, json, '', 'intoto-statement-v1.schema.json');
  if (type === 'https://in-toto.io/Statement/v0.1') {
    return run(validateIntotoStatementV01, json, '', 'intoto-statement-v0.1.schema.json');
  }
  return {
    valid: false,
    schema: undefined,
    issues: [{ pointer: '/_type', keyword: 'const', message: 'must be a known in-toto Statement type' }],
  };
}

/**
 * One line per issue: `pointer: message`.
 * @throws SigvetError `INVALID_ARGUMENT` (check `argument.formatSchemaIssues`) unless given an array of issue objects.
 */
export function formatSchemaIssues(issues: readonly SchemaIssue[]): string {
  requireArray(issues, 'formatSchemaIssues', 'issues');
  return issues
    .map((i) => {
      if (!isRecord(i)) invalidArgument('formatSchemaIssues', 'each issue', 'an object', i);
      return `${displayPointer(i.pointer)}: ${i.message}`;
    })
    .join('; ');
}
