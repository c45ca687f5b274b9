/**
 * Where images, signatures and attestations come from: a registry over the
 * distribution API, or an OCI image layout on disk. Discovery and
 * verification see only this interface, so both sources behave alike.
 *
 * Every method returns bytes that were checked against their digest (and,
 * for blobs, their size); a source never hands out unverified content.
 * @module
 */
import { invalidArgument, isRecord, requireString } from '../arguments.js';
import { requireLimits, type OciLimits } from './limits.js';
import type { Descriptor, ManifestDocument } from './manifest.js';

/** A repository: registry host and repository path (ignored by layouts, which hold one image set). */
export interface RepositoryLocation {
  readonly registry: string;
  readonly repository: string;
}

/** A manifest or index with its verified bytes. */
export interface FetchedManifest {
  /** The digest the bytes were verified against (for a tag: computed from them). */
  readonly digest: string;
  readonly bytes: Uint8Array;
  readonly document: ManifestDocument;
}

/** How referrers were found. */
export type ReferrersVia = 'referrers-api' | 'referrers-tag' | 'layout-index';

/** The referrers of a digest, as listed (unverified: each is fetched by digest and its `subject` checked). */
export interface ReferrersList {
  readonly descriptors: readonly Descriptor[];
  readonly via: ReferrersVia | 'none';
}

/** A source of OCI content. */
export interface ImageSource {
  /** `registry` or `layout`. */
  readonly kind: 'registry' | 'layout';
  /** For reports: the registry host or the layout path. */
  readonly description: string;
  /** The size and count limits this source enforces (discovery uses them too). */
  readonly limits: OciLimits;
  /** Resolves a tag to a manifest; `undefined` when the tag does not exist. Tags are mutable. */
  manifestByTag(repo: RepositoryLocation, tag: string): Promise<FetchedManifest | undefined>;
  /** A manifest by digest, checked; `undefined` when it does not exist. */
  manifestByDigest(repo: RepositoryLocation, digest: string): Promise<FetchedManifest | undefined>;
  /** A blob, checked against the descriptor's digest and size. @throws when absent. */
  blob(repo: RepositoryLocation, descriptor: Descriptor): Promise<Uint8Array>;
  /** The referrers of `digest` (OCI 1.1), by the referrers API or the referrers tag schema. */
  referrers(repo: RepositoryLocation, digest: string): Promise<ReferrersList>;
}

const SOURCE_METHODS = ['manifestByTag', 'manifestByDigest', 'blob', 'referrers'] as const;

/**
 * Requires an {@link ImageSource}: its four methods, and complete limits
 * (discovery bounds its work by them; a missing cap would lift a bound).
 * @throws SigvetError `INVALID_ARGUMENT` (check `check`, default `argument.<fn>`).
 * @internal
 */
export function requireImageSource(source: unknown, fn: string, arg: string, check?: string): asserts source is ImageSource {
  const expected = 'an image source (a registry client or an image layout)';
  if (!isRecord(source)) invalidArgument(fn, arg, expected, source, check);
  for (const m of SOURCE_METHODS) {
    if (typeof source[m] !== 'function') invalidArgument(fn, `${arg}.${m}`, 'a function', source[m], check);
  }
  requireLimits(source.limits, fn, `${arg}.limits`, check);
}

/** True for an object with string `registry` and `repository` (an image reference is one too). @internal */
export function isRepositoryLocation(repo: unknown): repo is RepositoryLocation {
  return isRecord(repo) && typeof repo.registry === 'string' && typeof repo.repository === 'string';
}

/**
 * Requires a {@link RepositoryLocation}.
 * @throws SigvetError `INVALID_ARGUMENT` (check `oci.reference`).
 * @internal
 */
export function requireRepositoryLocation(repo: unknown, fn: string, arg: string): asserts repo is RepositoryLocation {
  if (!isRepositoryLocation(repo)) invalidArgument(fn, arg, 'a repository location {registry, repository}', repo, 'oci.reference');
}

/**
 * Checks the arguments of an {@link ImageSource} method, shared by the
 * registry client and the image layout: a repository location, then a tag
 * or digest string, or a descriptor with a string digest and a size.
 * @throws SigvetError `INVALID_ARGUMENT`.
 * @internal
 */
export function requireSourceCall(method: string, repo: unknown, what: 'tag' | 'digest' | 'descriptor', value: unknown): void {
  requireRepositoryLocation(repo, method, 'repo');
  if (what !== 'descriptor') {
    requireString(value, method, what);
    return;
  }
  const ok = isRecord(value) && typeof value.digest === 'string' && Number.isSafeInteger(value.size) && (value.size as number) >= 0;
  if (!ok) invalidArgument(method, 'descriptor', 'a descriptor {digest, size}', value);
}
