/**
 * Media types, annotation keys and other constants of the OCI image and
 * distribution specs and of cosign's storage formats.
 * @module
 */

/** Manifest and index media types. */
export const MediaType = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  ociEmpty: 'application/vnd.oci.empty.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  /** cosign's simple-signing payload layer (`.sig` images). */
  cosignSimpleSigning: 'application/vnd.dev.cosign.simplesigning.v1+json',
  /** A DSSE envelope layer (cosign `.att` images). */
  dsseEnvelope: 'application/vnd.dsse.envelope.v1+json',
} as const;

/** Media types of Sigstore bundles stored as OCI artifacts (every bundle version). */
export const SIGSTORE_BUNDLE_ARTIFACT_TYPES: readonly string[] = [
  'application/vnd.dev.sigstore.bundle.v0.3+json',
  'application/vnd.dev.sigstore.bundle+json;version=0.3',
  'application/vnd.dev.sigstore.bundle+json;version=0.2',
  'application/vnd.dev.sigstore.bundle+json;version=0.1',
];

/** Manifest media types a registry is asked for when resolving a reference. */
export const MANIFEST_ACCEPT: readonly string[] = [
  MediaType.ociIndex,
  MediaType.ociManifest,
  MediaType.dockerManifestList,
  MediaType.dockerManifest,
];

/** Annotations cosign writes on signature and attestation layers. */
export const CosignAnnotation = {
  signature: 'dev.cosignproject.cosign/signature',
  certificate: 'dev.sigstore.cosign/certificate',
  chain: 'dev.sigstore.cosign/chain',
  bundle: 'dev.sigstore.cosign/bundle',
  rfc3161Timestamp: 'dev.sigstore.cosign/rfc3161timestamp',
  /** Unsigned hint on `.att` layers; never trusted, the statement says what it is. */
  predicateType: 'predicateType',
} as const;

/** The `critical.type` of cosign's simple-signing payload. */
export const COSIGN_SIGNATURE_TYPE = 'cosign container image signature';

/**
 * The predicate type of the in-toto statement cosign (v3, `--new-bundle-format`)
 * signs in place of a simple-signing payload: an image *signature*, as
 * opposed to any other statement, which is an attestation.
 */
export const COSIGN_SIGN_PREDICATE_TYPE = 'https://sigstore.dev/cosign/sign/v1';

/** The image-layout annotation naming a manifest (tag or full reference). */
export const OCI_REF_NAME_ANNOTATION = 'org.opencontainers.image.ref.name';
