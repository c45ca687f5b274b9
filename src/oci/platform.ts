/**
 * Platform selection in multi-platform images. The caller says what is
 * verified: the index itself, or the one manifest for a named platform.
 * There is no fallback from one to the other, and a platform that matches
 * no manifest, or several, is an error.
 * @module
 */
import { requireArray, requireObject } from '../arguments.js';
import { SigvetError } from '../errors.js';
import type { Descriptor, ImageIndex, Platform } from './manifest.js';

/** A requested platform: `os/architecture[/variant]`. */
export interface PlatformSpec {
  readonly os: string;
  readonly architecture: string;
  readonly variant: string | undefined;
}

const PART = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/**
 * Parses `linux/amd64`, `linux/arm64/v8`, `windows/amd64`.
 * @throws SigvetError `INVALID_ARGUMENT` (check `oci.platform`).
 */
export function parsePlatform(s: string): PlatformSpec {
  const parts = typeof s === 'string' ? s.split('/') : [];
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => !PART.test(p))) {
    throw new SigvetError('INVALID_ARGUMENT', `invalid platform ${JSON.stringify(s)}: expected os/architecture[/variant]`, { check: 'oci.platform' });
  }
  return { os: parts[0]!, architecture: parts[1]!, variant: parts[2] };
}

/** {@link formatPlatform} without the argument check, for platforms already checked or parsed. */
function platformText(p: Platform | PlatformSpec): string {
  return `${p.os}/${p.architecture}${p.variant ? `/${p.variant}` : ''}`;
}

/**
 * `os/architecture[/variant]`.
 * @throws SigvetError `INVALID_ARGUMENT` (check `argument.formatPlatform`) when `p` is not an object.
 */
export function formatPlatform(p: Platform | PlatformSpec): string {
  requireObject(p, 'formatPlatform', 'p');
  return platformText(p);
}

/** {@link platformMatches} without the argument checks (the selection loop's). */
function matchesPlatform(want: PlatformSpec, have: Platform): boolean {
  if (want.os !== have.os || want.architecture !== have.architecture) return false;
  if (want.variant === undefined) return true;
  if (have.variant === want.variant) return true;
  return have.variant === undefined && want.architecture === 'arm64' && want.variant === 'v8';
}

/**
 * Whether a manifest's platform is the requested one: os and architecture
 * exactly; the variant exactly when requested (arm64's implicit `v8` is
 * accepted for a manifest that names none, as containerd does).
 * @throws SigvetError `INVALID_ARGUMENT` (check `argument.platformMatches`) unless both are objects.
 */
export function platformMatches(want: PlatformSpec, have: Platform): boolean {
  requireObject(want, 'platformMatches', 'want');
  requireObject(have, 'platformMatches', 'have');
  return matchesPlatform(want, have);
}

/**
 * The single manifest of `index` for `want`.
 * @throws SigvetError `INVALID_ARGUMENT` (check `oci.platform.none` or
 *   `oci.platform.ambiguous`) listing the platforms the index has;
 *   `INVALID_ARGUMENT` (check `argument.selectPlatform`) for arguments of the wrong type.
 */
export function selectPlatform(index: ImageIndex, want: PlatformSpec): Descriptor {
  requireObject(index, 'selectPlatform', 'index');
  requireArray(index.manifests, 'selectPlatform', 'index.manifests');
  requireObject(want, 'selectPlatform', 'want');
  // Descriptors of a parsed index are objects and their platforms too (parseDescriptor checked them).
  const listed = index.manifests.filter((d) => d.platform !== undefined);
  const matches = listed.filter((d) => matchesPlatform(want, d.platform!));
  const available = [...new Set(listed.map((d) => platformText(d.platform!)))].join(', ') || '(none)';
  if (matches.length === 0) {
    throw new SigvetError('INVALID_ARGUMENT', `the index has no manifest for ${platformText(want)}`, {
      check: 'oci.platform.none',
      expected: platformText(want),
      actual: available,
    });
  }
  // Two entries with the same digest are one image; different digests are ambiguous.
  const digests = new Set(matches.map((d) => d.digest));
  if (digests.size > 1) {
    throw new SigvetError('INVALID_ARGUMENT', `the index has ${digests.size} different manifests for ${platformText(want)}; name a variant or a digest`, {
      check: 'oci.platform.ambiguous',
      expected: platformText(want),
      actual: matches.map((d) => `${platformText(d.platform!)} ${d.digest}`).join(', '),
    });
  }
  return matches[0]!;
}
