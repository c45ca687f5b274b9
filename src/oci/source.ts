/**
 * Where images, signatures and attestations come from: a registry over the
 * distribution API, or an OCI image layout on disk. Discovery and
 * verification see only this interface, so both sources behave alike.
 *
 * Every method returns bytes that were checked against their digest (and,
 * for blobs, their size); a source never hands out unverified content.
 * @module
 */
import type { OciLimits } from './limits.js';
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
