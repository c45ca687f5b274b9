/**
 * One view over SLSA Provenance v1 and v0.2: the fields a policy checks
 * (builder, build type, source repository and ref, external parameters,
 * dependencies, invocation id, times), named the same for both versions.
 *
 * Mapping from v0.2 (after the SLSA v0.2 → v1 migration notes):
 * `builder.id` → builderId; `invocation.parameters` → externalParameters;
 * `materials` → resolvedDependencies; `metadata.buildInvocationId` →
 * invocationId; `buildStartedOn`/`buildFinishedOn` → startedOn/finishedOn.
 * The source is read from `invocation.configSource`, else the first git
 * material.
 * @module
 */
import { requireString } from '../arguments.js';
import type { JsonObject, JsonValue } from '../encoding/json.js';
import type { DigestSet } from '../intoto/digest-set.js';
import type { ResourceDescriptor } from '../intoto/resource-descriptor.js';
import type { SlsaProvenanceV02, SlsaProvenanceV1 } from './slsa-provenance.js';

/** Where the build's source came from, as far as the provenance says. */
export interface ProvenanceSource {
  /** The dependency or config-source URI the rest was read from, e.g. `git+https://github.com/o/r@refs/heads/main`. */
  readonly uri: string | undefined;
  /** Repository URL without `git+` and without the ref, e.g. `https://github.com/o/r`. */
  readonly repository: string | undefined;
  /** e.g. `refs/heads/main`, `refs/tags/v1.2.3`. */
  readonly ref: string | undefined;
  /** The source's digest (usually `gitCommit`, or `sha1` in v0.2). */
  readonly digest: DigestSet | undefined;
  /** The workflow or config file path, when the build type names one. */
  readonly path: string | undefined;
}

/** The normalized provenance. Absent values are `undefined`, never `null`. */
export interface ProvenanceView {
  /** Which predicate it was read from. */
  readonly slsaVersion: '1' | '0.2';
  readonly builderId: string;
  readonly buildType: string;
  readonly source: ProvenanceSource;
  /** v1 `externalParameters`; v0.2 `invocation.parameters` (when an object). `{}` when unset. */
  readonly externalParameters: JsonObject;
  /** v1 `resolvedDependencies`; v0.2 `materials`. */
  readonly resolvedDependencies: readonly ResourceDescriptor[];
  /** v1 `runDetails.metadata.invocationId`; v0.2 `metadata.buildInvocationId`. */
  readonly invocationId: string | undefined;
  /** RFC 3339. */
  readonly startedOn: string | undefined;
  /** RFC 3339. */
  readonly finishedOn: string | undefined;
}

/** Build types whose externalParameters name the GitHub workflow (`workflow.repository/ref/path`). */
export const GITHUB_WORKFLOW_BUILD_TYPES: readonly string[] = Object.freeze([
  'https://actions.github.io/buildtypes/workflow/v1',
  'https://slsa-framework.github.io/github-actions-buildtypes/workflow/v1',
]);

/**
 * Splits an SPDX-style VCS URI `git+<repo>[@<ref>][#<path>]`. The `@`
 * that starts the ref comes after the authority, so `git+ssh://git@host/r`
 * has no ref.
 * @throws SigvetError `INVALID_ARGUMENT` (check `argument.parseGitUri`) when `uri` is not a string.
 */
export function parseGitUri(uri: string): { repository: string; ref: string | undefined } | undefined {
  requireString(uri, 'parseGitUri', 'uri');
  if (!uri.startsWith('git+')) return undefined;
  let rest = uri.slice(4);
  const hash = rest.indexOf('#');
  if (hash >= 0) rest = rest.slice(0, hash);
  const scheme = rest.indexOf('://');
  const pathStart = scheme >= 0 ? rest.indexOf('/', scheme + 3) : 0;
  const at = pathStart >= 0 ? rest.indexOf('@', pathStart) : -1;
  if (at < 0) return { repository: rest, ref: undefined };
  return { repository: rest.slice(0, at), ref: rest.slice(at + 1) || undefined };
}

function str(v: JsonValue | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function obj(v: JsonValue | undefined | null): JsonObject | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as JsonObject) : undefined;
}

function orUndefined<T>(v: T | null | undefined): T | undefined {
  return v ?? undefined;
}

function sourceFromDescriptor(d: { uri?: string; digest?: DigestSet } | undefined, path: string | undefined): ProvenanceSource | undefined {
  const parsed = d?.uri === undefined ? undefined : parseGitUri(d.uri);
  if (!d || !parsed) return undefined;
  return { uri: d.uri, repository: parsed.repository, ref: parsed.ref, digest: d.digest, path };
}

const NO_SOURCE: ProvenanceSource = { uri: undefined, repository: undefined, ref: undefined, digest: undefined, path: undefined };

function v1Source(p: SlsaProvenanceV1): ProvenanceSource {
  const deps = p.buildDefinition.resolvedDependencies ?? [];
  const external = p.buildDefinition.externalParameters ?? {};
  if (GITHUB_WORKFLOW_BUILD_TYPES.includes(p.buildDefinition.buildType)) {
    const wf = obj(external.workflow);
    const repository = str(wf?.repository);
    const ref = str(wf?.ref);
    const path = str(wf?.path);
    if (repository !== undefined) {
      // The workflow's repository at the ref is the dependency the digest belongs to.
      const uri = ref === undefined ? `git+${repository}` : `git+${repository}@${ref}`;
      const dep = deps.find((d) => d.uri === uri);
      return { uri: dep?.uri, repository, ref, digest: dep?.digest, path };
    }
  }
  for (const d of deps) {
    const s = sourceFromDescriptor(d, undefined);
    if (s) return s;
  }
  return NO_SOURCE;
}

function v02Source(p: SlsaProvenanceV02): ProvenanceSource {
  const cs = p.invocation?.configSource ?? undefined;
  const fromConfig = sourceFromDescriptor(cs, cs?.entryPoint);
  if (fromConfig) return fromConfig;
  for (const m of p.materials ?? []) {
    const s = sourceFromDescriptor(m, undefined);
    if (s) return s;
  }
  return NO_SOURCE;
}

/** The normalized view of a validated SLSA Provenance v1 predicate. */
export function provenanceViewV1(p: SlsaProvenanceV1): ProvenanceView {
  const meta = p.runDetails.metadata ?? undefined;
  return {
    slsaVersion: '1',
    builderId: p.runDetails.builder.id,
    buildType: p.buildDefinition.buildType,
    source: v1Source(p),
    externalParameters: p.buildDefinition.externalParameters ?? {},
    resolvedDependencies: p.buildDefinition.resolvedDependencies ?? [],
    invocationId: orUndefined(meta?.invocationId),
    startedOn: orUndefined(meta?.startedOn),
    finishedOn: orUndefined(meta?.finishedOn),
  };
}

/** The normalized view of a validated SLSA Provenance v0.2 predicate. */
export function provenanceViewV02(p: SlsaProvenanceV02): ProvenanceView {
  const meta = p.metadata ?? undefined;
  const deps: ResourceDescriptor[] = (p.materials ?? []).flatMap((m) => {
    const d: { uri?: string; digest?: DigestSet } = {};
    if (m.uri !== undefined) d.uri = m.uri;
    if (m.digest !== undefined) d.digest = m.digest;
    return d.uri === undefined && d.digest === undefined ? [] : [d];
  });
  return {
    slsaVersion: '0.2',
    builderId: p.builder.id,
    buildType: p.buildType,
    source: v02Source(p),
    externalParameters: obj(p.invocation?.parameters) ?? {},
    resolvedDependencies: deps,
    invocationId: orUndefined(meta?.buildInvocationId),
    startedOn: orUndefined(meta?.buildStartedOn),
    finishedOn: orUndefined(meta?.buildFinishedOn),
  };
}
