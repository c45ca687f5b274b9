/**
 * Container image references (`[registry/]repository[:tag][@digest]`),
 * parsed with the grammar of the distribution project's reference package
 * and normalized as Docker does, so that a policy, a registry client and an
 * admission controller all name an image by the same string:
 *
 * - no registry (first component without `.` or `:`, not `localhost`,
 *   all lower case) means Docker Hub, written `docker.io`;
 * - `index.docker.io` (the legacy name) becomes `docker.io`;
 * - a one-component Docker Hub repository gets `library/`;
 * - no tag and no digest means the tag `latest` (recorded as defaulted);
 * - a tag beside a digest is kept for display, but the digest alone names
 *   the image (registries and runtimes ignore such a tag);
 * - the registry host is lower-cased (DNS is case-insensitive; a policy
 *   must not be dodged by `GHCR.IO`).
 *
 * Shared with the policy engine's image scoping.
 * @module
 */
import { invalidArgument, requireString } from '../arguments.js';
import { SigvetError } from '../errors.js';
import { isDigest } from './digest.js';
import { isRepositoryLocation } from './source.js';

/** A parsed, normalized image reference (plain, JSON-serializable data). */
export interface ImageReference {
  /** Registry host, with port when given: `docker.io`, `ghcr.io`, `localhost:5000`, `[::1]:5000`. */
  readonly registry: string;
  /** Repository path within the registry: `library/nginx`, `acme/app`. */
  readonly repository: string;
  /** The tag, when one was written or defaulted (`latest`). */
  readonly tag: string | undefined;
  /** True when `tag` is the `latest` default (neither tag nor digest was written). */
  readonly tagDefaulted: boolean;
  /** The digest (`sha256:…`), when one was written. */
  readonly digest: string | undefined;
  /** `registry/repository`. */
  readonly name: string;
  /** `registry/repository[:tag][@digest]`: the fully qualified form. */
  readonly canonical: string;
  /** Docker's short form: no `docker.io/`, no `library/`, no defaulted tag. */
  readonly familiar: string;
}

/** Docker Hub's canonical registry name. */
export const DOCKER_HUB = 'docker.io';
const DOCKER_HUB_LEGACY = 'index.docker.io';
/** Docker Hub's API endpoint (the name `docker.io` is not a registry host). */
export const DOCKER_HUB_API_HOST = 'registry-1.docker.io';

const MAX_NAME_LENGTH = 255;
const MAX_REFERENCE_LENGTH = 4096;
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN_COMPONENT = /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const ANY_DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;
const HEX64 = /^[a-f0-9]{64}$/;

function bad(input: string, why: string): never {
  const shown = input.length > 300 ? `${input.slice(0, 300)}…` : input;
  throw new SigvetError('INVALID_ARGUMENT', `invalid image reference ${JSON.stringify(shown)}: ${why}`, { check: 'oci.reference' });
}

function checkHost(input: string, host: string): string {
  let rest = host;
  let port: string | undefined;
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0) bad(input, 'unterminated IPv6 address');
    const ip6 = rest.slice(1, close);
    if (!/^[0-9a-fA-F:.]+$/.test(ip6) || !ip6.includes(':')) bad(input, `invalid IPv6 address ${JSON.stringify(ip6)}`);
    const after = rest.slice(close + 1);
    if (after !== '' && !after.startsWith(':')) bad(input, 'unexpected text after the IPv6 address');
    port = after === '' ? undefined : after.slice(1);
    rest = `[${ip6.toLowerCase()}]`;
  } else {
    const colon = rest.indexOf(':');
    if (colon >= 0) {
      port = rest.slice(colon + 1);
      rest = rest.slice(0, colon);
    }
    const parts = rest.split('.');
    if (parts.some((p) => !DOMAIN_COMPONENT.test(p))) bad(input, `invalid registry host ${JSON.stringify(rest)}`);
    rest = rest.toLowerCase();
  }
  if (port !== undefined) {
    if (!/^[0-9]{1,5}$/.test(port) || Number(port) > 65535) bad(input, `invalid port ${JSON.stringify(port)}`);
    return `${rest}:${port}`;
  }
  return rest;
}

/**
 * Parses and normalizes an image reference.
 * @throws SigvetError `INVALID_ARGUMENT` (check `oci.reference`) for anything
 *   the reference grammar rejects; `UNSUPPORTED` for a well-formed digest
 *   of an algorithm other than sha256/sha512.
 */
export function parseImageReference(input: string): ImageReference {
  if (typeof input !== 'string') bad(String(input), 'expected a string');
  if (input.length === 0) bad(input, 'empty');
  if (input.length > MAX_REFERENCE_LENGTH) bad(input, 'too long');
  if (HEX64.test(input)) bad(input, 'a bare 64-digit hex string is an image ID, not a reference');

  // Registry: the first component, when it looks like a host.
  let registry = DOCKER_HUB;
  let remainder = input;
  const slash = input.indexOf('/');
  if (slash >= 0) {
    const first = input.slice(0, slash);
    if (/[.:]/.test(first) || first === 'localhost' || first !== first.toLowerCase()) {
      registry = checkHost(input, first);
      remainder = input.slice(slash + 1);
    }
  }
  if (registry === DOCKER_HUB_LEGACY) registry = DOCKER_HUB;

  // Digest, then tag (the remainder holds no host, so ':' can only start a tag).
  let digest: string | undefined;
  const at = remainder.indexOf('@');
  if (at >= 0) {
    digest = remainder.slice(at + 1);
    remainder = remainder.slice(0, at);
    if (!ANY_DIGEST.test(digest)) bad(input, `invalid digest ${JSON.stringify(digest)}`);
    if (!isDigest(digest)) {
      throw new SigvetError('UNSUPPORTED', `image reference ${JSON.stringify(input)}: only sha256 and sha512 digests in lower-case hex are verified`, {
        check: 'oci.reference.digest',
        actual: digest,
      });
    }
  }
  let tag: string | undefined;
  const colon = remainder.lastIndexOf(':');
  if (colon >= 0) {
    tag = remainder.slice(colon + 1);
    remainder = remainder.slice(0, colon);
    if (!TAG.test(tag)) bad(input, `invalid tag ${JSON.stringify(tag)}`);
  }
  if (remainder === '') bad(input, 'empty repository');
  const components = remainder.split('/');
  for (const c of components) {
    if (!PATH_COMPONENT.test(c)) {
      bad(input, c !== c.toLowerCase() ? 'repository names must be lower case' : `invalid repository component ${JSON.stringify(c)}`);
    }
  }
  let repository = remainder;
  if (registry === DOCKER_HUB && components.length === 1) repository = `library/${repository}`;
  const name = `${registry}/${repository}`;
  if (name.length > MAX_NAME_LENGTH) bad(input, `the name is longer than ${MAX_NAME_LENGTH} characters`);
  const tagDefaulted = tag === undefined && digest === undefined;
  if (tagDefaulted) tag = 'latest';
  return build(registry, repository, tag, tagDefaulted, digest);
}

function build(registry: string, repository: string, tag: string | undefined, tagDefaulted: boolean, digest: string | undefined): ImageReference {
  const name = `${registry}/${repository}`;
  const suffix = `${tag !== undefined ? `:${tag}` : ''}${digest !== undefined ? `@${digest}` : ''}`;
  let short = name;
  if (registry === DOCKER_HUB) {
    short = repository.startsWith('library/') && repository.split('/').length === 2 ? repository.slice(8) : repository;
  }
  const familiarSuffix = `${tag !== undefined && !tagDefaulted ? `:${tag}` : ''}${digest !== undefined ? `@${digest}` : ''}`;
  return { registry, repository, tag, tagDefaulted, digest, name, canonical: `${name}${suffix}`, familiar: `${short}${familiarSuffix}` };
}

/**
 * Requires a parsed reference: an object with string `registry` and
 * `repository` (what {@link withDigest} and {@link withTag} rebuild from).
 * @throws SigvetError `INVALID_ARGUMENT` (check `oci.reference`).
 * @internal
 */
export function requireImageReference(ref: unknown, fn: string, arg: string): asserts ref is ImageReference {
  if (!isRepositoryLocation(ref)) invalidArgument(fn, arg, 'an image reference (from parseImageReference)', ref, 'oci.reference');
}

/**
 * The same reference pinned to `digest`, keeping a written tag for display
 * (Kyverno drops it, which changes what policies match: hazard 16).
 * @throws SigvetError `INVALID_ARGUMENT` (check `oci.reference`) for a bad reference or digest.
 */
export function withDigest(ref: ImageReference, digest: string): ImageReference {
  requireImageReference(ref, 'withDigest', 'ref');
  requireString(digest, 'withDigest', 'digest', 'oci.reference');
  if (!isDigest(digest)) bad(digest, 'not a sha256/sha512 digest');
  return build(ref.registry, ref.repository, ref.tagDefaulted ? undefined : ref.tag, false, digest);
}

/**
 * The same repository with another tag (and no digest).
 * @throws SigvetError `INVALID_ARGUMENT` (check `oci.reference`) for a bad reference or tag.
 */
export function withTag(ref: ImageReference, tag: string): ImageReference {
  requireImageReference(ref, 'withTag', 'ref');
  requireString(tag, 'withTag', 'tag', 'oci.reference');
  if (!TAG.test(tag)) bad(tag, 'invalid tag');
  return build(ref.registry, ref.repository, tag, false, undefined);
}

/** The host to send API requests to: `registry-1.docker.io` for Docker Hub, else the registry itself. */
export function registryApiHost(registry: string): string {
  return registry === DOCKER_HUB ? DOCKER_HUB_API_HOST : registry;
}
