/**
 * Predicate type URIs sigvet recognizes, and the kind each one is. Type
 * URIs are compared exactly (case-sensitive, no normalization), as the
 * in-toto specification asks. Any other type is kind `unknown`: preserved
 * as JSON, never an error by itself.
 * @module
 */

/** Predicate type URIs, including the variants seen in practice. */
export const PREDICATE_TYPES = Object.freeze({
  SLSA_PROVENANCE_V1: 'https://slsa.dev/provenance/v1',
  SLSA_PROVENANCE_V02: 'https://slsa.dev/provenance/v0.2',
  SLSA_VSA_V1: 'https://slsa.dev/verification_summary/v1',
  COSIGN_VULN_V1: 'https://cosign.sigstore.dev/attestation/vuln/v1',
  /** What cosign wrote before it added the scheme. */
  COSIGN_VULN_V1_NO_SCHEME: 'cosign.sigstore.dev/attestation/vuln/v1',
  INTOTO_VULNS_V02: 'https://in-toto.io/attestation/vulns/v0.2',
  /** SPDX 2.x (cosign, in-toto-golang). */
  SPDX: 'https://spdx.dev/Document',
  SPDX_V22: 'https://spdx.dev/Document/v2.2',
  SPDX_V23: 'https://spdx.dev/Document/v2.3',
  SPDX_V3: 'https://spdx.dev/Document/v3',
  /** CycloneDX; `https://cyclonedx.org/bom/v1.N` is recognized too. */
  CYCLONEDX: 'https://cyclonedx.org/bom',
  INTOTO_TEST_RESULT_V01: 'https://in-toto.io/attestation/test-result/v0.1',
  INTOTO_RELEASE_V01: 'https://in-toto.io/attestation/release/v0.1',
  NPM_PUBLISH_V01: 'https://github.com/npm/attestation/tree/main/specs/publish/v0.1',
  INTOTO_LINK_V03: 'https://in-toto.io/attestation/link/v0.3',
  /** Deprecated link type (cosign `attest --type link`). */
  INTOTO_LINK_LEGACY: 'https://in-toto.io/Link/v1',
});

/** What a predicate is, by its type URI. */
export type PredicateKind =
  | 'slsa-provenance-v1'
  | 'slsa-provenance-v0.2'
  | 'slsa-vsa-v1'
  | 'cosign-vuln-v1'
  | 'intoto-vulns-v0.2'
  | 'spdx-2'
  | 'spdx-3'
  | 'cyclonedx'
  | 'intoto-test-result-v0.1'
  | 'intoto-release-v0.1'
  | 'npm-publish-v0.1'
  | 'intoto-link-v0.3'
  | 'intoto-link-legacy'
  | 'unknown';

/** Every kind except `unknown`: the kinds with a schema. */
export type KnownPredicateKind = Exclude<PredicateKind, 'unknown'>;

const BY_URI: ReadonlyMap<string, KnownPredicateKind> = new Map<string, KnownPredicateKind>([
  [PREDICATE_TYPES.SLSA_PROVENANCE_V1, 'slsa-provenance-v1'],
  [PREDICATE_TYPES.SLSA_PROVENANCE_V02, 'slsa-provenance-v0.2'],
  [PREDICATE_TYPES.SLSA_VSA_V1, 'slsa-vsa-v1'],
  [PREDICATE_TYPES.COSIGN_VULN_V1, 'cosign-vuln-v1'],
  [PREDICATE_TYPES.COSIGN_VULN_V1_NO_SCHEME, 'cosign-vuln-v1'],
  [PREDICATE_TYPES.INTOTO_VULNS_V02, 'intoto-vulns-v0.2'],
  [PREDICATE_TYPES.SPDX, 'spdx-2'],
  [PREDICATE_TYPES.SPDX_V22, 'spdx-2'],
  [PREDICATE_TYPES.SPDX_V23, 'spdx-2'],
  [PREDICATE_TYPES.SPDX_V3, 'spdx-3'],
  [PREDICATE_TYPES.CYCLONEDX, 'cyclonedx'],
  [PREDICATE_TYPES.INTOTO_TEST_RESULT_V01, 'intoto-test-result-v0.1'],
  [PREDICATE_TYPES.INTOTO_RELEASE_V01, 'intoto-release-v0.1'],
  [PREDICATE_TYPES.NPM_PUBLISH_V01, 'npm-publish-v0.1'],
  [PREDICATE_TYPES.INTOTO_LINK_V03, 'intoto-link-v0.3'],
  [PREDICATE_TYPES.INTOTO_LINK_LEGACY, 'intoto-link-legacy'],
]);

const CYCLONEDX_VERSIONED = /^https:\/\/cyclonedx\.org\/bom\/v1\.[0-9]{1,2}$/;

/** The kind of a predicate type URI (`unknown` for types sigvet does not model). */
export function predicateKind(predicateType: string): PredicateKind {
  const known = BY_URI.get(predicateType);
  if (known) return known;
  if (CYCLONEDX_VERSIONED.test(predicateType)) return 'cyclonedx';
  return 'unknown';
}

/** The schema file (under the package's `schemas/`) each known kind is validated with. */
export const PREDICATE_SCHEMA_FILES: Readonly<Record<KnownPredicateKind, string>> = Object.freeze({
  'slsa-provenance-v1': 'slsa-provenance-v1.schema.json',
  'slsa-provenance-v0.2': 'slsa-provenance-v0.2.schema.json',
  'slsa-vsa-v1': 'slsa-verification-summary-v1.schema.json',
  'cosign-vuln-v1': 'cosign-vuln-v1.schema.json',
  'intoto-vulns-v0.2': 'intoto-vulns-v0.2.schema.json',
  'spdx-2': 'spdx-2.schema.json',
  'spdx-3': 'spdx-3.schema.json',
  cyclonedx: 'cyclonedx.schema.json',
  'intoto-test-result-v0.1': 'intoto-test-result-v0.1.schema.json',
  'intoto-release-v0.1': 'intoto-release-v0.1.schema.json',
  'npm-publish-v0.1': 'npm-publish-v0.1.schema.json',
  'intoto-link-v0.3': 'intoto-link-v0.3.schema.json',
  'intoto-link-legacy': 'intoto-link-legacy.schema.json',
});
