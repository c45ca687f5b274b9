/**
 * `sigvet/oci`: verify container images signed with cosign (legacy `.sig`
 * and `.att` tags, or Sigstore bundles attached as OCI 1.1 referrers), from
 * an OCI registry over `fetch` or from an OCI image layout on disk. Every
 * cryptographic check is the core verifier's (`createVerifier` /
 * `createVerifierWith` from `sigvet`); this entry adds the OCI side:
 * references, registries, layouts, discovery, cosign's formats, platforms.
 *
 * Separate from `sigvet` so that bundle-only users do not load it.
 * @module
 */
export {
  parseImageReference,
  withDigest,
  withTag,
  registryApiHost,
  DOCKER_HUB,
  DOCKER_HUB_API_HOST,
  type ImageReference,
} from './oci/reference.js';
export { parseDigest, digestOf, verifyDigest, digestTag, isDigest, type Digest, type DigestAlgorithm } from './oci/digest.js';
export { parseManifestDocument, parseDescriptor, type Descriptor, type ImageManifest, type ImageIndex, type ManifestDocument, type Platform } from './oci/manifest.js';
export { parsePlatform, formatPlatform, platformMatches, selectPlatform, type PlatformSpec } from './oci/platform.js';
export { DEFAULT_OCI_LIMITS, type OciLimits } from './oci/limits.js';
export {
  MediaType,
  CosignAnnotation,
  SIGSTORE_BUNDLE_ARTIFACT_TYPES,
  COSIGN_SIGNATURE_TYPE,
  COSIGN_SIGN_PREDICATE_TYPE,
  OCI_REF_NAME_ANNOTATION,
} from './oci/media-types.js';
export type { ImageSource, RepositoryLocation, FetchedManifest, ReferrersList, ReferrersVia } from './oci/source.js';
export { createRegistryClient, type RegistryClient, type RegistryClientOptions, type FetchLike } from './oci/registry.js';
export { parseAuthChallenges, type RegistryCredentials, type CredentialProvider, type AuthChallenge } from './oci/auth.js';
export { openOciLayout, type OciLayout, type OciLayoutOptions, type LayoutFileReader } from './oci/layout.js';
export { parseSimpleSigning, type SimpleSigningPayload } from './oci/simple-signing.js';
export { legacySignatureBundle, legacyAttestationBundle, rekorBundleToTlogEntry, pemCertificates } from './oci/cosign-legacy.js';
export {
  discoverEvidence,
  type Candidate,
  type Discovery,
  type DiscoveryOptions,
  type EvidenceFormat,
  type EvidenceOrigin,
  type IgnoredEvidence,
} from './oci/discovery.js';
export {
  verifyImage,
  checkImage,
  IMAGE_VERIFICATION_MEDIA_TYPE,
  type VerifyImageOptions,
  type AttestationRequirement,
  type ImageVerification,
  type ImageEvidence,
} from './oci/verify-image.js';
export { imagePolicyEvidence, type ImagePolicyEvidenceOptions } from './oci/policy-evidence.js';
export { REGISTRY_ERROR_CODE } from './oci/errors.js';
