/**
 * Predicate type URIs and the explicit families a policy may name. A
 * family is a fixed list of exact URIs: never a prefix match, and no
 * trailing-slash or scheme normalization.
 * @module
 */
import type { PredicateFamily } from './document.js';

/** SLSA provenance v1. */
export const SLSA_PROVENANCE_V1 = 'https://slsa.dev/provenance/v1';
/** SLSA provenance v0.2 (deprecated). */
export const SLSA_PROVENANCE_V02 = 'https://slsa.dev/provenance/v0.2';
/** SLSA provenance v0.1 (deprecated). */
export const SLSA_PROVENANCE_V01 = 'https://slsa.dev/provenance/v0.1';
/** SLSA verification summary v1. */
export const SLSA_VSA_V1 = 'https://slsa.dev/verification_summary/v1';
/** cosign vulnerability scan. */
export const COSIGN_VULN_V1 = 'https://cosign.sigstore.dev/attestation/vuln/v1';
/** in-toto vulnerability predicate v0.1. */
export const INTOTO_VULNS_V01 = 'https://in-toto.io/attestation/vulns/v0.1';
/** in-toto vulnerability predicate v0.2. */
export const INTOTO_VULNS_V02 = 'https://in-toto.io/attestation/vulns/v0.2';
/** npm publish attestation. */
export const NPM_PUBLISH_V01 = 'https://github.com/npm/attestation/tree/main/specs/publish/v0.1';

/** The URIs of each family. */
export const PREDICATE_FAMILIES: Readonly<Record<PredicateFamily, readonly string[]>> = {
  'slsa-provenance': [SLSA_PROVENANCE_V1, SLSA_PROVENANCE_V02, SLSA_PROVENANCE_V01],
  vsa: [SLSA_VSA_V1],
  vulns: [COSIGN_VULN_V1, INTOTO_VULNS_V01, INTOTO_VULNS_V02],
  spdx: ['https://spdx.dev/Document', 'https://spdx.dev/Document/v2.2', 'https://spdx.dev/Document/v2.3', 'https://spdx.dev/Document/v3'],
  cyclonedx: [
    'https://cyclonedx.org/bom',
    'https://cyclonedx.org/bom/v1.4',
    'https://cyclonedx.org/bom/v1.5',
    'https://cyclonedx.org/bom/v1.6',
  ],
  'npm-publish': [NPM_PUBLISH_V01],
};

/** Predicate types that have newer versions (linted). */
export const DEPRECATED_PREDICATE_TYPES: Readonly<Record<string, string>> = {
  [SLSA_PROVENANCE_V02]: `SLSA provenance v0.2 is superseded by ${SLSA_PROVENANCE_V1}`,
  [SLSA_PROVENANCE_V01]: `SLSA provenance v0.1 is superseded by ${SLSA_PROVENANCE_V1}`,
  'https://in-toto.io/Link/v1': 'the deprecated link URI; the current one is https://in-toto.io/attestation/link/v0.3',
  'https://spdx.dev/Document': 'unversioned SPDX URI (older tools); prefer a versioned one',
  'https://cyclonedx.org/bom': 'unversioned CycloneDX URI (older tools); prefer a versioned one',
};

/**
 * cosign `--type` short names, expanded exactly as cosign does
 * (`slsaprovenance` is v0.2, not v1; `link` is the deprecated Link URI).
 */
export const COSIGN_SHORT_NAMES: Readonly<Record<string, string>> = {
  custom: 'https://cosign.sigstore.dev/attestation/v1',
  slsaprovenance: SLSA_PROVENANCE_V02,
  slsaprovenance02: SLSA_PROVENANCE_V02,
  slsaprovenance1: SLSA_PROVENANCE_V1,
  spdx: 'https://spdx.dev/Document',
  spdxjson: 'https://spdx.dev/Document',
  cyclonedx: 'https://cyclonedx.org/bom',
  link: 'https://in-toto.io/Link/v1',
  vuln: COSIGN_VULN_V1,
  openvex: 'https://openvex.dev/ns',
};
