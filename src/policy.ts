/**
 * `sigvet/policy`: typed policy evaluation with explainable verdicts.
 *
 * A policy is a JSON document (`schemas/policy.v1.schema.json`), built by
 * hand or with the typed builder; `compilePolicy` validates and lints it;
 * `evaluate(policy, evidence, { now })` decides allow or deny over the
 * verifier's results, purely and synchronously, and says why.
 * The YAML importers live in `sigvet/policy-import`, so this entry never
 * loads a YAML parser.
 * @module
 */
export { POLICY_API_VERSION } from './policy/document.js';
export type {
  AttestationRule,
  Authority,
  CompareAs,
  Condition,
  FulcioExtensionKey,
  GlobDialect,
  Identity,
  ImportedFrom,
  Json,
  JsonPointer,
  Limits,
  MinCount,
  PolicyDocument,
  PredicateFamily,
  PredicateTypeSelector,
  Rule,
  Scope,
  Severity,
  SlsaCheck,
  StringMatch,
  SubjectCheck,
  TimeValue,
  VsaCheck,
  VulnCheck,
} from './policy/document.js';
export { compilePolicy, lintPolicy, keyIdFromPem, isCompiledPolicy } from './policy/compile.js';
export type { CompiledPolicy, CompileOptions, CompileResult } from './policy/compile.js';
export { DEFAULT_POLICY_DOCUMENT_LIMITS, type PolicyDocumentLimits } from './policy/document-limits.js';
export type { PolicyProblem } from './policy/validate.js';
export { evaluate } from './policy/evaluate.js';
export type { EvaluateOptions } from './policy/evaluate.js';
export type { PluginEvaluator } from './policy/conditions.js';
export { DEFAULT_LIMITS } from './policy/evidence.js';
export type { ArtifactDigests, EffectiveLimits, EvidenceEntry, PolicyEvidence } from './policy/evidence.js';
export { failingLeaves, reasonCodes, verdictExitCode } from './policy/verdict.js';
export type { EvidenceSummary, ReasonCode, RuleResult, Seen, Verdict } from './policy/verdict.js';
export { formatVerdict } from './policy/format-verdict.js';
export type { Status } from './policy/tri.js';
export * as build from './policy/builder.js';
export { LinearRegex, RegexSyntaxError } from './policy/regex/linear-regex.js';
export { ggcrName, kyvernoName, parseImageReference } from './policy/image-ref.js';
export type { ImageReference } from './policy/image-ref.js';
export {
  COSIGN_SHORT_NAMES,
  COSIGN_VULN_V1,
  INTOTO_VULNS_V01,
  INTOTO_VULNS_V02,
  NPM_PUBLISH_V01,
  PREDICATE_FAMILIES,
  SLSA_PROVENANCE_V02,
  SLSA_PROVENANCE_V1,
  SLSA_VSA_V1,
} from './policy/predicate-types.js';
export { runPolicyTestCase, validateTestCase } from './policy/test-case.js';
export type { PolicyTestCase, PolicyTestOutcome } from './policy/test-case.js';
