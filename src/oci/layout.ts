/**
 * An OCI image layout (`oci-layout`, `index.json`, `blobs/<alg>/<hex>`) as
 * an offline {@link ImageSource}, for air-gapped verification. Reading
 * files is the caller's (a function), so the core stays runtime-neutral:
 * in Node, `(p, max) => fs.readFile(path.join(dir, p))` does it.
 *
 * Tags are `org.opencontainers.image.ref.name` annotations in `index.json`
 * (a bare tag, or a full reference). Referrers are found through the
 * referrers tag schema (a `sha256-<hex>` tag naming an index) and by
 * scanning the manifests `index.json` lists for a matching `subject`.
 * @module
 */
import { requireFunction, requireObject, requireOptionalString } from '../arguments.js';
import { SigvetError } from '../errors.js';
import { utf8DecodeStrict } from '../encoding/bytes.js';
import { parseJson } from '../encoding/json.js';
import { digestTag, parseDigest, verifyDigest } from './digest.js';
import { asRegistryError, ociLimitFail, ociParseFail, registryFail } from './errors.js';
import { resolveLimits, type OciLimits } from './limits.js';
import { parseManifestDocument, type Descriptor, type ImageIndex } from './manifest.js';
import { MediaType, OCI_REF_NAME_ANNOTATION } from './media-types.js';
import { parseImageReference } from './reference.js';
import { checkSize } from './registry.js';
import { requireSourceCall, type FetchedManifest, type ImageSource, type ReferrersList, type RepositoryLocation } from './source.js';

/**
 * Reads a file of the layout by its relative path (`oci-layout`,
 * `index.json`, `blobs/sha256/<hex>`); `undefined` when it does not exist.
 * It may stop reading after `maxBytes + 1` bytes (the caller rejects more).
 */
export type LayoutFileReader = (relativePath: string, maxBytes: number) => Promise<Uint8Array | undefined>;

/** Options of {@link openOciLayout}. */
export interface OciLayoutOptions {
  /** For reports: where the layout is (a path). */
  readonly description?: string;
  readonly limits?: Partial<OciLimits>;
}

/** An opened image layout. */
export interface OciLayout extends ImageSource {
  readonly kind: 'layout';
  /** The parsed `index.json`. */
  readonly index: ImageIndex;
  readonly limits: OciLimits;
}

/**
 * Opens a layout: checks `oci-layout` and reads `index.json`.
 * @throws SigvetError (`oci.registry.*` access failures, `PARSE` for malformed files);
 *   `INVALID_ARGUMENT` (check `argument.openOciLayout`, `options.limits`) when `read` is not a function or the options are malformed.
 */
export async function openOciLayout(read: LayoutFileReader, options: OciLayoutOptions = {}): Promise<OciLayout> {
  requireFunction(read, 'openOciLayout', 'read');
  requireObject(options, 'openOciLayout', 'options');
  requireOptionalString(options.description, 'openOciLayout', 'options.description');
  const limits = resolveLimits(options.limits, 'openOciLayout');
  const where = options.description ?? 'OCI layout';
  const readFile = async (p: string, max: number): Promise<Uint8Array | undefined> => {
    let b: Uint8Array | undefined;
    try {
      b = await read(p, max);
    } catch (e) {
      throw asRegistryError(e, 'layout', `${where}: reading ${p} failed`);
    }
    if (b !== undefined && !(b instanceof Uint8Array)) registryFail('layout', `${where}: the reader returned no bytes for ${p}`);
    if (b && b.length > max) ociLimitFail('layout', `${where}: ${p} is larger than ${max} bytes`);
    return b;
  };

  const marker = await readFile('oci-layout', 4096);
  if (!marker) registryFail('layout', `${where}: not an OCI image layout (no oci-layout file)`);
  let version: unknown;
  try {
    const v = parseJson(utf8DecodeStrict(marker), 'oci-layout');
    version = v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>).imageLayoutVersion : undefined;
  } catch (e) {
    return ociParseFail('layout', `${where}: oci-layout is not valid JSON`, { cause: e });
  }
  if (version !== '1.0.0') {
    throw new SigvetError('UNSUPPORTED', `${where}: image layout version ${JSON.stringify(version)} (only 1.0.0)`, { check: 'oci.layout.version' });
  }
  const indexBytes = await readFile('index.json', limits.maxManifestBytes);
  if (!indexBytes) registryFail('layout', `${where}: no index.json`);
  const index = parseManifestDocument(indexBytes, MediaType.ociIndex, `${where}: index.json`, limits);
  if (index.kind !== 'index') ociParseFail('layout', `${where}: index.json is not an index`);

  const blobPath = (digest: string): string => {
    const d = parseDigest(digest, 'blob digest');
    return `blobs/${d.algorithm}/${d.hex}`;
  };

  const byDigest = async (digest: string, declared: string | undefined): Promise<FetchedManifest | undefined> => {
    const what = `${where}: manifest ${digest}`;
    const bytes = await readFile(blobPath(digest), limits.maxManifestBytes);
    if (!bytes) return undefined;
    verifyDigest(bytes, digest, what);
    return { digest, bytes, document: parseManifestDocument(bytes, declared, what, limits) };
  };

  const tagMatches = (refName: string, repo: RepositoryLocation, tag: string): boolean => {
    if (refName === tag) return true;
    if (!refName.includes(':') && !refName.includes('/')) return false;
    try {
      const r = parseImageReference(refName);
      return r.tag === tag && !r.tagDefaulted && r.digest === undefined && r.registry === repo.registry && r.repository === repo.repository;
    } catch {
      return false;
    }
  };

  const layout: OciLayout = {
    kind: 'layout',
    description: where,
    index,
    limits,
    async manifestByTag(repo, tag) {
      requireSourceCall('manifestByTag', repo, 'tag', tag);
      const found = index.manifests.filter((d) => {
        const n = d.annotations[OCI_REF_NAME_ANNOTATION];
        return n !== undefined && tagMatches(n, repo, tag);
      });
      if (found.length === 0) return undefined;
      const digests = new Set(found.map((d) => d.digest));
      if (digests.size > 1) registryFail('layout', `${where}: the tag ${tag} names ${digests.size} different manifests`);
      const got = await byDigest(found[0]!.digest, found[0]!.mediaType);
      if (!got) registryFail('not_found', `${where}: the manifest ${found[0]!.digest} tagged ${tag} is missing`);
      return got;
    },
    async manifestByDigest(repo, digest) {
      requireSourceCall('manifestByDigest', repo, 'digest', digest);
      const listed = index.manifests.find((d) => d.digest === digest);
      return byDigest(digest, listed?.mediaType);
    },
    async blob(repo, descriptor) {
      requireSourceCall('blob', repo, 'descriptor', descriptor);
      const what = `${where}: blob ${descriptor.digest}`;
      if (descriptor.size > limits.maxBlobBytes) ociLimitFail('blob', `${what}: ${descriptor.size} bytes exceeds ${limits.maxBlobBytes}`);
      const bytes = await readFile(blobPath(descriptor.digest), descriptor.size + 1).catch((e: unknown) => {
        // A reader that refuses to stop early: more than size+1 bytes is still a size mismatch.
        if (e instanceof SigvetError && e.check === 'oci.limit.layout') return new Uint8Array(descriptor.size + 1);
        throw e;
      });
      if (!bytes) registryFail('not_found', `${what}: missing`);
      checkSize(bytes, descriptor, what);
      verifyDigest(bytes, descriptor.digest, what);
      return bytes;
    },
    async referrers(repo, digest) {
      requireSourceCall('referrers', repo, 'digest', digest);
      const d = parseDigest(digest, 'subject digest');
      const out = new Map<string, Descriptor>();
      let via: ReferrersList['via'] = 'none';
      const tagged = await layout.manifestByTag(repo, digestTag(d, ''));
      if (tagged) {
        if (tagged.document.kind !== 'index') registryFail('referrers', `${where}: the referrers tag does not name an index`);
        for (const m of tagged.document.manifests) out.set(m.digest, m);
        via = 'referrers-tag';
      }
      // Manifests listed at the top of index.json whose subject is `digest`.
      for (const desc of index.manifests) {
        if (out.has(desc.digest) || desc.digest === d.text) continue;
        if (desc.mediaType !== MediaType.ociManifest && desc.mediaType !== MediaType.ociIndex) continue;
        const m = await byDigest(desc.digest, desc.mediaType);
        if (!m || m.document.subject?.digest !== d.text) continue;
        out.set(desc.digest, {
          ...desc,
          artifactType: m.document.artifactType ?? (m.document.kind === 'manifest' ? m.document.config.mediaType : undefined),
          annotations: { ...m.document.annotations, ...desc.annotations },
        });
        if (via === 'none') via = 'layout-index';
        if (out.size > limits.maxDescriptors) ociLimitFail('referrers', `${where}: more than ${limits.maxDescriptors} referrers`);
      }
      return { descriptors: [...out.values()], via };
    },
  };
  return layout;
}
