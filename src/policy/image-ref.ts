/**
 * Container image references in the two normal forms foreign policies
 * match against, so that imported globs keep their meaning:
 * - go-containerregistry `ref.Name()` (policy-controller): Docker Hub is
 *   `index.docker.io`, official images get `library/`, a missing tag is
 *   `:latest`, and with a digest the tag is dropped: `repo@sha256:…`.
 * - Kyverno `ImageInfo.String()`: Docker Hub is `docker.io`, official
 *   images get `library/`, `repo:tag`, or `repo@digest` with the tag dropped.
 * @module
 */
import { parseImageReference as parseOciReference, type ImageReference as OciImageReference } from '../oci/reference.js';

/** A parsed reference. */
export interface ImageReference {
  /** Registry host (with port), as written or defaulted. */
  readonly registry: string;
  /** Repository path under the registry. */
  readonly repository: string;
  readonly tag: string | undefined;
  /** `sha256:<64 hex>` when pinned. */
  readonly digest: string | undefined;
}

/**
 * Parses an image reference with the one parser sigvet has
 * (`src/oci/reference.ts`: lower-case hosts, `index.docker.io` → `docker.io`,
 * `library/`, ports, IPv6, length caps); undefined when it is not one.
 */
export function parseImageReference(ref: string): ImageReference | undefined {
  let r: OciImageReference;
  try {
    r = parseOciReference(ref);
  } catch {
    return undefined;
  }
  return { registry: r.registry, repository: r.repository, tag: r.tagDefaulted ? undefined : r.tag, digest: r.digest };
}

/** go-containerregistry `Name()`; undefined when `ref` does not parse. */
export function ggcrName(ref: string): string | undefined {
  const r = parseImageReference(ref);
  if (!r) return undefined;
  const registry = r.registry === 'docker.io' ? 'index.docker.io' : r.registry;
  const repo = `${registry}/${r.repository}`;
  return r.digest ? `${repo}@${r.digest}` : `${repo}:${r.tag ?? 'latest'}`;
}

/** Kyverno `ImageInfo.String()`; undefined when `ref` does not parse. */
export function kyvernoName(ref: string): string | undefined {
  const r = parseImageReference(ref);
  if (!r) return undefined;
  const registry = r.registry === 'index.docker.io' ? 'docker.io' : r.registry;
  const repo = `${registry}/${r.repository}`;
  return r.digest ? `${repo}@${r.digest}` : `${repo}:${r.tag ?? 'latest'}`;
}
