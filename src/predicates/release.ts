/**
 * Release predicates: the in-toto release predicate (a registry's word on
 * which artifacts make up a package version) and its forerunner, npm's
 * publish attestation.
 * @module
 */

/** The predicate of `https://in-toto.io/attestation/release/v0.1` (spec versions 0.1 and 0.2). */
export interface ReleaseV01 {
  /** Package URL of the release, with version, e.g. `pkg:npm/@angular/http@7.2.16`. */
  readonly purl: string;
  /** Stable package identifier (spec 0.2). */
  readonly packageId?: string;
  /** The 0.1 name of `packageId`. */
  readonly releaseId?: string;
}

/** The predicate of `https://github.com/npm/attestation/tree/main/specs/publish/v0.1`. */
export interface NpmPublishV01 {
  /** Package name, e.g. `@scope/pkg`. */
  readonly name: string;
  readonly version: string;
  /** Registry URL, e.g. `https://registry.npmjs.org`. */
  readonly registry: string;
}
