/**
 * The policy document: plain JSON data with a version, described by
 * `schemas/policy.v1.schema.json`. Nothing in it is an opaque function;
 * the typed builder (src/policy/builder.ts) emits exactly this shape.
 * @module
 */

/** The `apiVersion` of this document format. */
export const POLICY_API_VERSION = 'policy.sigvet.dev/v1';

/** A JSON value. */
export type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };

/** An RFC 6901 JSON Pointer (`''` is the whole document, `/a/0/b~1c` a path). */
export type JsonPointer = string;

/** Glob dialects; each says what `*`, `**` and `?` mean. */
export type GlobDialect =
  /** `*` = any run without `/`, `**` = anything, `?` = one character except `/`; whole string. */
  | 'segment'
  /** sigstore policy-controller: `*` = `[^/]*` (crosses `:` and `@`), `**` = `.*`; images are matched in normalized form, then raw. */
  | 'policy-controller'
  /** Kyverno: `*` = any run including `/`, `?` = one character. */
  | 'kyverno';

/** How a string is matched. Every form matches the WHOLE string unless it says otherwise. */
export type StringMatch =
  | { readonly exact: string }
  | { readonly prefix: string }
  | { readonly suffix: string }
  | { readonly glob: string; readonly dialect: GlobDialect }
  /** RE2 dialect, matched as `^(?:regex)$`, by a linear-time matcher. */
  | { readonly regex: string; readonly ignoreCase?: boolean }
  /** Unanchored RE2 search: only in imported policies (`importedFrom` set), always flagged. */
  | { readonly search: string; readonly ignoreCase?: boolean }
  | { readonly anyOf: readonly StringMatch[] }
  | { readonly allOf: readonly StringMatch[] };

/** Fulcio certificate extensions by name (see src/x509/fulcio.ts). */
export type FulcioExtensionKey =
  | 'githubWorkflowTrigger'
  | 'githubWorkflowSha'
  | 'githubWorkflowName'
  | 'githubWorkflowRepository'
  | 'githubWorkflowRef'
  | 'buildSignerUri'
  | 'buildSignerDigest'
  | 'runnerEnvironment'
  | 'sourceRepositoryUri'
  | 'sourceRepositoryDigest'
  | 'sourceRepositoryRef'
  | 'sourceRepositoryIdentifier'
  | 'sourceRepositoryOwnerUri'
  | 'sourceRepositoryOwnerIdentifier'
  | 'buildConfigUri'
  | 'buildConfigDigest'
  | 'buildTrigger'
  | 'runInvocationUri'
  | 'sourceRepositoryVisibilityAtSigning'
  | 'deploymentEnvironment';

/** A keyless signer identity. Issuer AND subject are required. */
export interface Identity {
  /** The OIDC issuer (compared without normalization). */
  readonly issuer: StringMatch;
  /** The certificate's identity SAN (Fulcio issues exactly one). */
  readonly subject: StringMatch;
  /** Fulcio extensions by name; deprecated and new spellings must agree. */
  readonly extensions?: Partial<Record<FulcioExtensionKey, StringMatch>>;
  /** Extensions under 1.3.6.1.4.1.57264.1 by dotted OID, matched on their decoded text. */
  readonly oids?: readonly { readonly oid: string; readonly value: StringMatch }[];
}

/** A minimum count of verified log entries or time sources. */
export interface MinCount {
  readonly min: number;
}

/** Who may sign. */
export type Authority =
  | {
      readonly kind: 'keyless';
      /** Any one of these (OR). Must not be empty. */
      readonly identities: readonly Identity[];
      readonly tlog?: MinCount;
      readonly timestamps?: MinCount;
      /** Require at least one verified SCT (default true). */
      readonly requireSct?: boolean;
    }
  | {
      readonly kind: 'key';
      /** Keys by id (`sha256:<hex of the SPKI DER>` when derived from `pem`). */
      readonly keys: readonly { readonly id?: string; readonly pem?: string }[];
      readonly tlog?: MinCount;
      readonly timestamps?: MinCount;
    }
  | { readonly kind: 'static'; readonly decision: 'pass' | 'fail'; readonly message?: string };

/** Known predicate-type families (explicit URI lists, never prefixes). */
export type PredicateFamily = 'slsa-provenance' | 'vsa' | 'vulns' | 'spdx' | 'cyclonedx' | 'npm-publish';

/** Which predicate types an attestation rule reads. */
export type PredicateTypeSelector = string | { readonly anyOf: readonly string[] } | { readonly family: PredicateFamily };

/** A point in time: RFC 3339 text, or a clock plus a signed ISO 8601 duration. */
export type TimeValue = string | { readonly clock: 'now' | 'verifiedTime'; readonly offset?: string };

/** Comparison types for ordered operators. */
export type CompareAs = 'number' | 'semver' | 'time' | 'severity';

/** Fields every path condition shares. */
interface PathBase {
  /** JSON Pointer into the statement (default) or the signer. Relative to the element inside every/some/count. */
  readonly path: JsonPointer;
  /** Which document `path` reads: the in-toto statement (default) or the verified signer. */
  readonly on?: 'statement' | 'signer';
  /** What an absent (or null or empty) value gives: `fail` (default) or `indeterminate`. */
  readonly ifAbsent?: 'fail' | 'indeterminate';
  /** Stable reason code reported when this condition fails (shortcuts set their own). */
  readonly reason?: string;
  /** Human text for the verdict. */
  readonly message?: string;
}

/** A typed condition on JSON values. */
export type Condition =
  | (PathBase & { readonly op: 'eq' | 'ne'; readonly value: Json; readonly as?: CompareAs })
  | (PathBase & { readonly op: 'in' | 'notIn'; readonly value: readonly Json[] })
  | (PathBase & { readonly op: 'lt' | 'lte' | 'gt' | 'gte'; readonly value: number | TimeValue; readonly as: CompareAs })
  | (PathBase & { readonly match: StringMatch })
  | (PathBase & { readonly exists: boolean })
  | (PathBase & { readonly every: readonly Condition[]; readonly flatten?: JsonPointer })
  | (PathBase & { readonly some: readonly Condition[]; readonly flatten?: JsonPointer })
  | (PathBase & {
      readonly count: { readonly min?: number; readonly max?: number };
      readonly where?: readonly Condition[];
      readonly flatten?: JsonPointer;
    })
  | (PathBase & { readonly onlyKeys: readonly string[] })
  | (PathBase & { readonly sameAs: { readonly on?: 'statement' | 'signer'; readonly path: JsonPointer } })
  | { readonly allOf: readonly Condition[]; readonly reason?: string; readonly message?: string }
  | { readonly anyOf: readonly Condition[]; readonly reason?: string; readonly message?: string }
  /** Conditions chosen by the statement's predicate type; an unlisted type fails. */
  | { readonly cases: { readonly [predicateType: string]: readonly Condition[] }; readonly reason?: string; readonly message?: string }
  /** An out-of-band evaluator (CEL, Rego, CUE, JMESPath): indeterminate unless the caller supplies it. */
  | { readonly plugin: 'cel' | 'rego' | 'cue' | 'jmespath'; readonly source: string; readonly entry?: string; readonly message?: string };

/** SLSA provenance checks (v1 and v0.2), compiled into conditions. */
export interface SlsaCheck {
  /** `name` (any released version) or `name@vX.Y.Z` (that version, `@vX.Y.Z` or `@refs/tags/vX.Y.Z`). */
  readonly builderId?: string;
  /** The builder id as an explicit matcher (instead of `builderId`). */
  readonly builderIdMatch?: StringMatch;
  /** The provenance builder must be the signer itself (SAN or build-signer URI). */
  readonly builderIsSigner?: boolean;
  readonly buildType?: StringMatch;
  /** Source repository; `github.com/o/r`, `https://…` and `git+https://…` all mean `git+https://…`. */
  readonly sourceUri?: string;
  readonly branch?: string;
  readonly tag?: string;
  /** `v1` = any v1.x.y, `v1.2` = any v1.2.x, `v1.2.3` exactly (build metadata ignored). */
  readonly versionedTag?: string;
  readonly externalParameters?: { readonly only?: readonly string[]; readonly equals?: { readonly [k: string]: Json } };
  readonly workflowInputs?: { readonly [k: string]: string };
}

/** SLSA VSA v1 checks, compiled into conditions. */
export interface VsaCheck {
  readonly verifierId?: StringMatch;
  readonly resourceUri?: StringMatch;
  readonly policyUri?: StringMatch;
  /** Minimum level per track, e.g. `{ BUILD: 3 }` (level N implies lower levels). */
  readonly minLevels?: { readonly [track: string]: number };
  /** Other `verifiedLevels` values required by exact membership. */
  readonly levels?: readonly string[];
  /** Every dependency at least this level per track; unset `dependencyLevels` is indeterminate. */
  readonly minDependencyLevels?: { readonly [track: string]: number };
}

/** Vulnerability severities, lowest to highest. */
export type Severity = 'none' | 'low' | 'medium' | 'high' | 'critical';

/** Vulnerability-scan checks, compiled into conditions. */
export interface VulnCheck {
  /** No vulnerability above this severity (unknown severities count as above every level). */
  readonly maxSeverity?: Severity;
  /** At most N vulnerabilities at or above each severity. */
  readonly maxCount?: Partial<Record<Exclude<Severity, 'none'>, number>>;
  /** Vulnerability ids not counted. */
  readonly ignore?: readonly string[];
  /** The scanner database must be at most this old (ISO 8601 duration) at `now`. */
  readonly dbMaxAge?: string;
}

/** The subject (artifact) binding of an attestation. */
export interface SubjectCheck {
  /** Digest algorithms accepted (default sha256, sha384, sha512). */
  readonly digestAlgorithms?: readonly string[];
  /** Name of the matched subject. */
  readonly name?: StringMatch;
  /** Every artifact under consideration must be a subject (default: at least one). */
  readonly requireAllArtifactDigests?: boolean;
  /** One subject must carry every accepted digest the artifact has (no pooling across subjects). */
  readonly allDigestAlgorithms?: boolean;
  /**
   * The matched subject is this npm package: its name is the purl
   * `pkg:npm/<name>@<version>` with `@scope` written `%40scope` (as npm
   * provenance does); without `version`, any version without another `@`.
   */
  readonly npmPackage?: { readonly name: string; readonly version?: string };
}

/** An attestation requirement. */
export interface AttestationRule {
  /** Unique id, shown in the verdict and used by `bind` references. */
  readonly id: string;
  readonly predicateType: PredicateTypeSelector;
  /** Authorities allowed to sign it. */
  readonly by: readonly string[];
  /** How several matching attestations combine (lint when missing; default `all`). */
  readonly select?: 'any' | 'all' | 'newest';
  /** Minimum number of distinct passing attestations (default 1). */
  readonly minCount?: number;
  readonly subject?: SubjectCheck;
  /** Maximum age at `now`, measured from the earliest verified time or from a predicate field. */
  readonly maxAge?: { readonly duration: string; readonly clock: 'verified' | { readonly field: JsonPointer } };
  /** Conditions, all required. */
  readonly where?: readonly Condition[];
  readonly slsa?: SlsaCheck;
  readonly vsa?: VsaCheck;
  readonly vulns?: VulnCheck;
  /** Values exported for cross-attestation `equal` rules, by name. */
  readonly bind?: { readonly [name: string]: JsonPointer };
}

/** The rule tree. */
export type Rule =
  | { readonly allOf: readonly Rule[]; readonly id?: string }
  | { readonly anyOf: readonly Rule[]; readonly id?: string }
  | { readonly atLeast: number; readonly of: readonly Rule[]; readonly id?: string }
  /** Non-monotonic: always linted. */
  | { readonly not: Rule; readonly id?: string }
  | {
      readonly signedBy: readonly string[];
      /** Distinct signers needed (default 1); one identity or key counts once. */
      readonly distinctSigners?: number;
      /** What counts: artifact signatures (default), attestations about the artifact, or both. */
      readonly include?: 'signatures' | 'attestations' | 'both';
      readonly id?: string;
    }
  | { readonly attestation: AttestationRule }
  /** Values bound by attestation rules (`<ruleId>.<name>`) must all be equal. */
  | { readonly equal: readonly string[]; readonly id?: string }
  | { readonly use: string };

/** Which artifacts the policy applies to. */
export interface Scope {
  /** Image references or purls the policy applies to (any). */
  readonly images?: readonly StringMatch[];
  readonly exclude?: readonly StringMatch[];
  /** A reference without `@sha256:…` is rejected (tags can be repointed). */
  readonly requireDigest?: boolean;
}

/** Caps whose breach gives `indeterminate`. */
export interface Limits {
  readonly maxEvidence?: number;
  readonly maxSubjects?: number;
  readonly maxDigestsPerSubject?: number;
  readonly maxPredicateBytes?: number;
  readonly maxPatternLength?: number;
  readonly maxStringLength?: number;
  readonly maxArrayItems?: number;
}

/** Where an imported policy came from (its presence permits `search`). */
export interface ImportedFrom {
  readonly format: 'clusterimagepolicy' | 'kyverno';
  readonly apiVersion: string;
  readonly name: string;
}

/** The policy document. */
export interface PolicyDocument {
  readonly apiVersion: typeof POLICY_API_VERSION;
  readonly name: string;
  readonly description?: string;
  /** enforce (default): non-pass denies; warn: fail allows with warnings; audit: reported, not enforced. */
  readonly mode?: 'enforce' | 'warn' | 'audit';
  /** When `scope` does not select the artifact (default deny). */
  readonly noMatch?: 'deny' | 'allow' | 'warn';
  readonly scope?: Scope;
  readonly authorities: { readonly [name: string]: Authority };
  /** Named rules, reused with `{ use: name }`. */
  readonly rules?: { readonly [name: string]: Rule };
  readonly require: Rule;
  readonly limits?: Limits;
  /** Tolerance for verified times ahead of `now` and predicate times ahead of verified time (default PT5M). */
  readonly clockSkew?: string;
  readonly importedFrom?: ImportedFrom;
}
