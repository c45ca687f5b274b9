/**
 * Finding the signatures and attestations of one image digest:
 *
 * - cosign's tag scheme: `sha256-<hex>.sig` (simple-signing layers) and
 *   `sha256-<hex>.att` (DSSE layers), in the image's repository or the
 *   one the caller names (cosign's `COSIGN_REPOSITORY`);
 * - OCI 1.1 referrers (the API, or the referrers tag schema) whose artifact
 *   type is a Sigstore bundle media type.
 *
 * Discovery reads only listings and manifests; what it finds is unverified.
 * A referrer whose manifest does not name the image as its `subject` is set
 * aside with the reason, never verified for this image.
 * @module
 */
import { requireObject, requireString } from '../arguments.js';
import { SigvetError } from '../errors.js';
import { digestTag } from './digest.js';
import type { Descriptor } from './manifest.js';
import { MediaType, SIGSTORE_BUNDLE_ARTIFACT_TYPES } from './media-types.js';
import { requireImageSource, requireRepositoryLocation, type ImageSource, type ReferrersVia, type RepositoryLocation } from './source.js';

/** How a candidate is stored. */
export type EvidenceFormat = 'cosign-simple-signing' | 'cosign-dsse' | 'sigstore-bundle';

/** Where a candidate was found. */
export interface EvidenceOrigin {
  /** `cosign-tag`, or how the referrer was listed. */
  readonly via: 'cosign-tag' | ReferrersVia;
  /** Digest of the manifest that holds the layer. */
  readonly manifest: string;
  /** Digest of the layer (payload, envelope or bundle). */
  readonly layer: string;
  /** Human-readable location, e.g. `ghcr.io/acme/app:sha256-….sig`. */
  readonly location: string;
}

/** A signature or attestation found, not yet verified. */
export interface Candidate {
  readonly format: EvidenceFormat;
  readonly origin: EvidenceOrigin;
  /** The layer's descriptor (its annotations carry cosign's signature material). */
  readonly descriptor: Descriptor;
  /** The repository the layer is fetched from. */
  readonly repo: RepositoryLocation;
}

/** Something found and set aside, with the reason. */
export interface IgnoredEvidence {
  readonly location: string;
  readonly reason: string;
}

/** What discovery found for one digest. */
export interface Discovery {
  /** `.sig` layers. */
  readonly signatures: readonly Candidate[];
  /** `.att` layers. */
  readonly attestations: readonly Candidate[];
  /** Sigstore bundles attached as referrers (signatures or attestations: classified on verification). */
  readonly bundles: readonly Candidate[];
  readonly ignored: readonly IgnoredEvidence[];
  /** Where discovery looked, for reports. */
  readonly looked: readonly string[];
}

/** What to look for. */
export interface DiscoveryOptions {
  readonly signatures: boolean;
  readonly attestations: boolean;
  /** Where cosign's `.sig`/`.att` tags live, when not beside the image. */
  readonly signatureRepository?: RepositoryLocation;
}

const name = (r: RepositoryLocation): string => `${r.registry}/${r.repository}`;

/**
 * Finds the candidates for `digest` in `repo`.
 * @throws SigvetError (rejects) with the source's failures; `LIMIT` (check
 *   `oci.limit.candidates`); `INVALID_ARGUMENT` (check `argument.discoverEvidence`,
 *   `oci.reference`) for arguments of the wrong type.
 */
export async function discoverEvidence(source: ImageSource, repo: RepositoryLocation, digest: string, options: DiscoveryOptions): Promise<Discovery> {
  const fn = 'discoverEvidence';
  requireImageSource(source, fn, 'source');
  requireRepositoryLocation(repo, fn, 'repo');
  requireString(digest, fn, 'digest');
  requireObject(options, fn, 'options');
  if (options.signatureRepository !== undefined) requireRepositoryLocation(options.signatureRepository, fn, 'options.signatureRepository');
  const limits = source.limits;
  const sigRepo = options.signatureRepository ?? repo;
  const signatures: Candidate[] = [];
  const attestations: Candidate[] = [];
  const bundles: Candidate[] = [];
  const ignored: IgnoredEvidence[] = [];
  const looked: string[] = [];

  const fromTag = async (suffix: '.sig' | '.att', layerType: string, format: EvidenceFormat, into: Candidate[]): Promise<void> => {
    const tag = digestTag(digest, suffix);
    const location = `${name(sigRepo)}:${tag}`;
    looked.push(location);
    const m = await source.manifestByTag(sigRepo, tag);
    if (!m) return;
    if (m.document.kind !== 'manifest') {
      ignored.push({ location, reason: 'the tag names an index, not a signature manifest' });
      return;
    }
    for (const layer of m.document.layers) {
      if (layer.mediaType !== layerType) {
        ignored.push({ location: `${location} layer ${layer.digest}`, reason: `media type ${layer.mediaType} is not ${layerType}` });
        continue;
      }
      into.push({ format, origin: { via: 'cosign-tag', manifest: m.digest, layer: layer.digest, location }, descriptor: layer, repo: sigRepo });
    }
  };

  if (options.signatures) await fromTag('.sig', MediaType.cosignSimpleSigning, 'cosign-simple-signing', signatures);
  if (options.attestations) await fromTag('.att', MediaType.dsseEnvelope, 'cosign-dsse', attestations);

  const listed = await source.referrers(repo, digest);
  looked.push(`${name(repo)} referrers of ${digest} (${listed.via === 'none' ? 'none found' : listed.via})`);
  for (const d of listed.descriptors) {
    const location = `${name(repo)}@${d.digest}`;
    if (d.artifactType !== undefined && !SIGSTORE_BUNDLE_ARTIFACT_TYPES.includes(d.artifactType)) continue;
    if (d.mediaType !== MediaType.ociManifest) {
      if (d.artifactType !== undefined) ignored.push({ location, reason: `a bundle referrer must be an image manifest, not ${d.mediaType}` });
      continue;
    }
    let m;
    try {
      m = await source.manifestByDigest(repo, d.digest);
    } catch (e) {
      if (!(e instanceof SigvetError)) throw e;
      ignored.push({ location, reason: `${e.code}: ${e.message}` });
      continue;
    }
    if (!m) {
      ignored.push({ location, reason: 'listed as a referrer, but the manifest is missing' });
      continue;
    }
    if (m.document.kind !== 'manifest') continue;
    const artifactType = m.document.artifactType ?? m.document.config.mediaType;
    if (!SIGSTORE_BUNDLE_ARTIFACT_TYPES.includes(artifactType)) continue;
    // The listing is unauthenticated: the manifest itself must name this image.
    if (m.document.subject?.digest !== digest) {
      ignored.push({ location, reason: `its subject is ${m.document.subject?.digest ?? 'absent'}, not ${digest}` });
      continue;
    }
    for (const layer of m.document.layers) {
      if (!SIGSTORE_BUNDLE_ARTIFACT_TYPES.includes(layer.mediaType)) {
        ignored.push({ location: `${location} layer ${layer.digest}`, reason: `media type ${layer.mediaType} is not a Sigstore bundle` });
        continue;
      }
      bundles.push({
        format: 'sigstore-bundle',
        origin: { via: listed.via === 'none' ? 'referrers-tag' : listed.via, manifest: m.digest, layer: layer.digest, location },
        descriptor: layer,
        repo,
      });
    }
  }
  for (const [what, list] of [['signatures', signatures], ['attestations', attestations], ['bundles', bundles]] as const) {
    if (list.length > limits.maxCandidates) {
      throw new SigvetError('LIMIT', `${list.length} ${what} found for ${digest}; at most ${limits.maxCandidates} are verified`, {
        check: 'oci.limit.candidates',
      });
    }
  }
  return { signatures, attestations, bundles, ignored, looked };
}
