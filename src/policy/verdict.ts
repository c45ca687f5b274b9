/**
 * The verdict: a decision plus a tree mirroring the policy's rules, each
 * node with a status, a stable reason code, its location in the policy
 * (JSON Pointer), expected and actual values, and what was seen instead.
 * @module
 */
import type { Status } from './tri.js';
import { invalidArgument, isRecord, requireObject } from '../arguments.js';
import type { PolicyProblem } from './validate.js';

/**
 * Stable reason codes. Shortcut checks add their own (`SLSA_*`, `VSA_*`,
 * `VULN_*`); a custom condition may carry any upper-case code.
 */
export type ReasonCode =
  | 'OK'
  | 'CHILD_FAILED'
  | 'CHILD_INDETERMINATE'
  | 'THRESHOLD_NOT_MET'
  | 'NEGATED_RULE_PASSED'
  | 'NO_SIGNATURE'
  | 'STATIC_PASS'
  | 'STATIC_FAIL'
  | 'SIGNER_KIND_MISMATCH'
  | 'IDENTITY_ISSUER_MISMATCH'
  | 'IDENTITY_SUBJECT_MISMATCH'
  | 'IDENTITY_EXTENSION_MISMATCH'
  | 'EXTENSION_CONFLICT'
  | 'KEY_MISMATCH'
  | 'KEY_UNIDENTIFIED'
  | 'TLOG_THRESHOLD_NOT_MET'
  | 'TIMESTAMP_THRESHOLD_NOT_MET'
  | 'SCT_MISSING'
  | 'NO_ATTESTATION_OF_TYPE'
  | 'NO_TRUSTED_ATTESTATION'
  | 'SUBJECT_DIGEST_MISMATCH'
  | 'SUBJECT_NAME_MISMATCH'
  | 'ARTIFACT_UNKNOWN'
  | 'STALE'
  | 'NO_VERIFIED_TIME'
  | 'TIME_FIELD_MISSING'
  | 'FUTURE_TIMESTAMP'
  | 'CONDITION_FAILED'
  | 'PATH_ABSENT'
  | 'TYPE_MISMATCH'
  | 'PREDICATE_TYPE_UNSUPPORTED'
  | 'QUANTIFIER_NOT_MET'
  | 'BINDING_MISMATCH'
  | 'BINDING_MISSING'
  | 'BINDING_UNAVAILABLE'
  | 'PLUGIN_UNAVAILABLE'
  | 'PLUGIN_ERROR'
  | 'LIMIT_EXCEEDED'
  | 'EVIDENCE_INVALID'
  | 'POLICY_INVALID'
  | 'SCOPE_NO_MATCH'
  | 'DIGEST_REQUIRED'
  | (string & {});

/** What was found instead of what the rule wanted. */
export interface Seen {
  readonly predicateTypes?: readonly string[];
  readonly identities?: readonly string[];
  readonly subjects?: readonly string[];
}

/**
 * One node of the verdict tree. Read-only: nodes that depend only on the
 * policy are frozen and shared by the verdicts of one compiled policy (a
 * node may also appear more than once in a tree), so copy before editing.
 */
export interface RuleResult {
  /** What the node is, e.g. `allOf`, `attestation prov`, `condition`. */
  readonly rule: string;
  /** JSON Pointer into the policy document. */
  readonly at: string;
  readonly status: Status;
  readonly reason: ReasonCode;
  readonly message: string;
  readonly expected?: unknown;
  readonly actual?: unknown;
  readonly seen?: Seen;
  /** Indices (into `evidence.results`) that this node used. */
  readonly evidence?: readonly number[];
  readonly children?: readonly RuleResult[];
}

/** How each piece of evidence was used. */
export interface EvidenceSummary {
  readonly index: number;
  readonly kind: 'signature' | 'attestation' | 'invalid';
  readonly signer: string;
  readonly predicateType?: string;
  /** Rule locations that accepted it. */
  readonly usedBy: readonly string[];
  readonly problems: readonly string[];
}

/** The outcome of `evaluate`. */
export interface Verdict {
  readonly decision: 'allow' | 'deny';
  /** The tree's own outcome, before the mode is applied. */
  readonly status: Status | 'not-applicable';
  readonly mode: 'enforce' | 'warn' | 'audit';
  /** False in audit mode: the embedder records the decision but does not block on it. */
  readonly enforced: boolean;
  readonly policy: string;
  /** `now` as RFC 3339. */
  readonly evaluatedAt: string;
  readonly result: RuleResult;
  /** Failures that did not deny (warn mode, noMatch warn). */
  readonly warnings: readonly RuleResult[];
  /** Lint findings of the policy. */
  readonly findings: readonly PolicyProblem[];
  readonly evidence: readonly EvidenceSummary[];
  /** The artifact evaluated: digests and reference (normalized when it parses). */
  readonly artifact: { readonly digests: readonly Readonly<Record<string, string>>[]; readonly reference?: string; readonly normalizedReference?: string };
}

/** Non-pass leaves of a result tree (the reasons a verdict is not allow). */
export function failingLeaves(r: RuleResult): RuleResult[] {
  requireObject(r, 'failingLeaves', 'result');
  if (r.children !== undefined && !Array.isArray(r.children)) invalidArgument('failingLeaves', 'result.children', 'an array', r.children);
  if (r.status === 'pass') return [];
  const kids = r.children?.filter((c) => c.status !== 'pass') ?? [];
  if (kids.length === 0) return [r];
  return kids.flatMap(failingLeaves);
}

/** The sorted, unique reason codes of the non-pass leaves. */
export function reasonCodes(v: Verdict): string[] {
  requireVerdict(v, 'reasonCodes');
  return [...new Set(failingLeaves(v.result).map((r) => r.reason))].sort();
}

/**
 * The process exit code for a verdict: 0 only for allow. Any other outcome
 * (deny, indeterminate, not applicable and denied) is non-zero, so "no
 * attestations" can never exit 0.
 */
export function verdictExitCode(v: Verdict): 0 | 1 {
  requireVerdict(v, 'verdictExitCode');
  return v.decision === 'allow' ? 0 : 1;
}

/**
 * Requires the shape of a {@link Verdict} that its readers rely on (a
 * verdict from `evaluate`, or one read back from its JSON).
 * @throws SigvetError `INVALID_ARGUMENT` otherwise.
 * @internal
 */
export function requireVerdict(v: unknown, fn: string): asserts v is Verdict {
  const ok =
    isRecord(v) &&
    typeof v.decision === 'string' &&
    isRecord(v.result) &&
    Array.isArray(v.warnings) &&
    isRecord(v.artifact) &&
    Array.isArray(v.artifact.digests);
  if (!ok) invalidArgument(fn, 'verdict', 'a verdict from evaluate()', v);
}
