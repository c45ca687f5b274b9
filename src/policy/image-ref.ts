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

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^sha256:[0-9a-f]{64}$|^sha384:[0-9a-f]{96}$|^sha512:[0-9a-f]{128}$/;

/** Parses an image reference; undefined when it is not one. */
export function parseImageReference(ref: string): ImageReference | undefined {
  if (typeof ref !== 'string' || ref.length === 0 || ref.length > 1024) return undefined;
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return undefined;
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return undefined;
  }
  const parts = rest.split('/');
  let registry = 'docker.io';
  const first = parts[0]!;
  if (parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    registry = first;
    parts.shift();
    if (!/^[A-Za-z0-9.-]+(?::[0-9]{1,5})?$/.test(registry)) return undefined;
  }
  if (parts.length === 0 || !parts.every((p) => COMPONENT.test(p))) return undefined;
  let repository = parts.join('/');
  if ((registry === 'docker.io' || registry === 'index.docker.io') && parts.length === 1) repository = `library/${repository}`;
  return { registry, repository, tag, digest };
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
