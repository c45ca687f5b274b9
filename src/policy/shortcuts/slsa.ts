/**
 * SLSA provenance checks as conditions over v1 and v0.2 predicates, with
 * slsa-verifier's semantics: builder ids exact or "any released version"
 * (`@vX.Y.Z` and `@refs/tags/vX.Y.Z` are the same version), source URIs
 * normalized on the EXPECTED side only to `git+https://` (the actual value
 * is compared exactly, so a case-variant host fails), the trigger and the
 * first material both checked, a ref always present, versioned tags, and
 * unknown external parameters refused.
 * @module
 */
import type { Condition, SlsaCheck, StringMatch } from '../document.js';
import { SLSA_PROVENANCE_V02, SLSA_PROVENANCE_V1 } from '../predicate-types.js';
import { escapeRegex, ptr, type ShortcutCondition } from './expansion.js';

const SEMVER_CORE = String.raw`(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)`;
const RELEASE_VERSION = /^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

/** The matcher for a `builderId` expectation. */
export function builderIdMatcher(expected: string): StringMatch {
  const at = expected.lastIndexOf('@');
  if (at < 0) {
    // Name only: the bare id, or any full release version in either ref spelling.
    return { anyOf: [{ exact: expected }, { regex: `${escapeRegex(expected)}@(?:refs/tags/)?v${SEMVER_CORE}` }] };
  }
  const name = expected.slice(0, at);
  const version = expected.slice(at + 1).replace(/^refs\/tags\//, '');
  if (RELEASE_VERSION.test(version)) {
    return { anyOf: [{ exact: `${name}@${version}` }, { exact: `${name}@refs/tags/${version}` }] };
  }
  return { exact: expected };
}

/** `git+https://host/path` from `host/path`, `https://host/path` or `git+https://host/path`. */
export function normalizeSourceUri(uri: string): string {
  const bare = uri.replace(/^git\+/, '').replace(/^https:\/\//, '');
  return `git+https://${bare}`;
}

/** A regex for tags satisfying a versioned-tag expectation (`v1`, `v1.2`, `v1.2.3`, `v1.2.3-rc.1`). */
export function versionedTagRegex(expected: string): string {
  const m = /^(v?)(0|[1-9]\d*)(?:\.(0|[1-9]\d*)(?:\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?)?)?$/.exec(expected);
  if (!m) return escapeRegex(expected);
  const [, v, major, minor, patch, pre] = m;
  const n = '(0|[1-9][0-9]*)';
  const core = `${escapeRegex(v!)}${major}\\.${minor ?? n}\\.${patch ?? n}`;
  // A prerelease matches only when asked for; build metadata is ignored.
  return `${core}${pre ? escapeRegex(pre) : ''}(?:\\+[0-9A-Za-z.-]+)?`;
}

const V1 = {
  builder: ptr('predicate', 'runDetails', 'builder', 'id'),
  buildType: ptr('predicate', 'buildDefinition', 'buildType'),
  repository: ptr('predicate', 'buildDefinition', 'externalParameters', 'workflow', 'repository'),
  ref: ptr('predicate', 'buildDefinition', 'externalParameters', 'workflow', 'ref'),
  material: ptr('predicate', 'buildDefinition', 'resolvedDependencies', '0', 'uri'),
  params: ptr('predicate', 'buildDefinition', 'externalParameters'),
  inputs: ['predicate', 'buildDefinition', 'externalParameters', 'inputs'],
  finished: ptr('predicate', 'runDetails', 'metadata', 'finishedOn'),
};
const V02 = {
  builder: ptr('predicate', 'builder', 'id'),
  buildType: ptr('predicate', 'buildType'),
  configSource: ptr('predicate', 'invocation', 'configSource', 'uri'),
  material: ptr('predicate', 'materials', '0', 'uri'),
  params: ptr('predicate', 'invocation', 'parameters'),
  inputs: ['predicate', 'invocation', 'environment', 'github_event_payload', 'inputs'],
  finished: ptr('predicate', 'metadata', 'buildFinishedOn'),
};

function byVersion(reason: string, message: string, v1: Condition[], v02: Condition[]): Condition {
  return { cases: { [SLSA_PROVENANCE_V1]: v1, [SLSA_PROVENANCE_V02]: v02 }, reason, message };
}

/** Expands an `slsa` check into conditions. */
export function slsaConditions(s: SlsaCheck): ShortcutCondition[] {
  const out: ShortcutCondition[] = [];
  const builder = s.builderIdMatch ?? (s.builderId !== undefined ? builderIdMatcher(s.builderId) : undefined);
  if (builder) {
    const reason = 'SLSA_BUILDER_MISMATCH';
    out.push({
      field: [s.builderIdMatch ? 'builderIdMatch' : 'builderId'],
      condition: byVersion(reason, 'provenance builder id', [{ path: V1.builder, match: builder, reason }], [{ path: V02.builder, match: builder, reason }]),
    });
  }
  if (s.builderIsSigner) {
    const reason = 'SLSA_BUILDER_NOT_SIGNER';
    const same = (p: string): Condition => ({
      anyOf: [
        { path: p, sameAs: { on: 'signer', path: '/subjectAlternativeName' } },
        { path: p, sameAs: { on: 'signer', path: '/extensions/buildSignerUri' } },
      ],
      reason,
      message: 'the builder must be the identity that signed the provenance',
    });
    out.push({ field: ['builderIsSigner'], condition: byVersion(reason, 'builder trusted for this signer', [same(V1.builder)], [same(V02.builder)]) });
  }
  if (s.buildType) {
    const reason = 'SLSA_BUILD_TYPE_MISMATCH';
    out.push({
      field: ['buildType'],
      condition: byVersion(reason, 'build type', [{ path: V1.buildType, match: s.buildType, reason }], [{ path: V02.buildType, match: s.buildType, reason }]),
    });
  }
  if (s.sourceUri !== undefined) {
    const reason = 'SLSA_SOURCE_MISMATCH';
    const git = normalizeSourceUri(s.sourceUri);
    const https = git.slice('git+'.length);
    const withRef: StringMatch = { regex: `${escapeRegex(git)}@.+` };
    out.push({
      field: ['sourceUri'],
      condition: byVersion(
        reason,
        `source ${git}`,
        [
          { path: V1.repository, match: { anyOf: [{ exact: https }, { exact: git }] }, reason, message: 'workflow trigger repository' },
          { path: V1.material, match: withRef, reason, message: 'first resolved dependency (the source, with its ref)' },
        ],
        [
          { path: V02.configSource, match: withRef, reason, message: 'invocation.configSource.uri (the trigger, with its ref)' },
          { path: V02.material, match: withRef, reason, message: 'first material (the source, with its ref)' },
        ],
      ),
    });
  }
  const refRegex =
    s.branch !== undefined
      ? `refs/heads/${escapeRegex(s.branch)}`
      : s.tag !== undefined
        ? `refs/tags/${escapeRegex(s.tag)}`
        : s.versionedTag !== undefined
          ? `refs/tags/${versionedTagRegex(s.versionedTag)}`
          : undefined;
  if (refRegex !== undefined) {
    const field = s.branch !== undefined ? 'branch' : s.tag !== undefined ? 'tag' : 'versionedTag';
    const reason = field === 'branch' ? 'SLSA_BRANCH_MISMATCH' : 'SLSA_TAG_MISMATCH';
    out.push({
      field: [field],
      condition: byVersion(
        reason,
        `source ref ${field}`,
        [{ path: V1.ref, match: { regex: refRegex }, reason }],
        [{ path: V02.configSource, match: { regex: `[^@]*@${refRegex}` }, reason }],
      ),
    });
  }
  if (s.externalParameters?.only !== undefined) {
    const reason = 'SLSA_UNEXPECTED_PARAMETER';
    const only = s.externalParameters.only;
    out.push({
      field: ['externalParameters', 'only'],
      condition: byVersion(reason, 'external parameters', [{ path: V1.params, onlyKeys: only, reason }], [{ path: V02.params, onlyKeys: only, reason }]),
    });
  }
  for (const [k, v] of Object.entries(s.externalParameters?.equals ?? {})) {
    const reason = 'SLSA_PARAMETER_MISMATCH';
    out.push({
      field: ['externalParameters', 'equals', k],
      condition: byVersion(reason, `external parameter ${k}`, [{ path: `${V1.params}${ptr(k)}`, op: 'eq', value: v, reason }], [{ path: `${V02.params}${ptr(k)}`, op: 'eq', value: v, reason }]),
    });
  }
  for (const [k, v] of Object.entries(s.workflowInputs ?? {})) {
    const reason = 'SLSA_WORKFLOW_INPUT_MISMATCH';
    out.push({
      field: ['workflowInputs', k],
      condition: byVersion(reason, `workflow input ${k}`, [{ path: ptr(...V1.inputs, k), op: 'eq', value: v, reason }], [{ path: ptr(...V02.inputs, k), op: 'eq', value: v, reason }]),
    });
  }
  return out;
}

/**
 * Always added with any slsa check: a build that claims to have finished
 * after its signature was logged is flagged (it cannot be true).
 */
export function slsaTimeSanity(clockSkew: string): ShortcutCondition {
  const reason = 'FUTURE_TIMESTAMP';
  const notFuture = (p: string): Condition => ({
    anyOf: [
      { path: p, exists: false },
      { path: p, op: 'lte', as: 'time', value: { clock: 'verifiedTime', offset: clockSkew }, reason },
    ],
    reason,
    message: 'build finish time must not be after the verified signing time (plus clock skew)',
  });
  return {
    field: [],
    condition: { cases: { [SLSA_PROVENANCE_V1]: [notFuture(V1.finished)], [SLSA_PROVENANCE_V02]: [notFuture(V02.finished)] }, reason: 'SLSA_UNSUPPORTED_PREDICATE' },
  };
}

/**
 * The subject-name matcher for an npm package: `pkg:npm/%40scope/name@version`
 * (npm writes the scope's `@` percent-encoded). Without a version, any
 * version that contains no further `@` or `/`.
 */
export function npmPurlMatcher(pkg: { name: string; version?: string }): StringMatch {
  const encoded = pkg.name.startsWith('@') ? `%40${pkg.name.slice(1)}` : pkg.name;
  const base = `pkg:npm/${encoded}@`;
  if (pkg.version !== undefined) return { exact: `${base}${pkg.version}` };
  return { regex: `${escapeRegex(base)}[^@/]+` };
}
