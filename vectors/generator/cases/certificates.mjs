// The signing certificate: the Fulcio leaf profile, the chain to a trusted
// CA, and the validity windows of the leaf, the CA certificates and the CA's
// trusted-root entry at the verified time.

import { defineCase } from '../case.mjs';
import { FulcioCa, NOW_MS, SECOND, MINUTE, INSTANCE_VALID_FROM, INSTANCE_VALID_TO, caJson, rfc3339 } from '../instance.mjs';

/** The integrated time a signing at NOW gets by default (seconds). */
const INTEGRATED = NOW_MS / SECOND + 3;
const LEAF_NOT_AFTER = NOW_MS + 10 * MINUTE;

export default [
  defineCase({
    name: 'happy-path-p256-ca',
    family: 'cert-chain',
    readme:
      "The leaf is issued by the instance's second CA, whose root and intermediate have ECDSA P-256 keys (certificates signed with ecdsa-with-SHA256). Verification must succeed.",
    sign: (inst) => ({ ca: inst.ca2 }),
  }),
  defineCase({
    name: 'leaf-is-ca_fail',
    sigstoreJs: {
      verdict: 'pass',
      why: '@sigstore/verify does not check basicConstraints on the signing certificate.',
    },
    code: 'CERTIFICATE',
    check: 'certificate.ca',
    family: 'certificate-profile',
    readme:
      'The trusted CA issued the leaf with basicConstraints CA:TRUE (critical). Chain, SCT, log entry and signature are all valid; a signing certificate must not be a CA, so the leaf profile check fails.',
    sign: { leaf: { leafIsCa: true } },
  }),
  defineCase({
    name: 'leaf-missing-codesigning-eku_fail',
    sigstoreJs: {
      verdict: 'pass',
      why: '@sigstore/verify does not require id-kp-codeSigning on the signing certificate.',
    },
    code: 'CERTIFICATE',
    check: 'certificate.eku',
    family: 'certificate-profile',
    readme:
      'The trusted CA issued the leaf without an extendedKeyUsage extension (so no id-kp-codeSigning). Everything else is valid; the Fulcio leaf profile requires codeSigning, so the leaf profile check fails.',
    sign: { leaf: { omitCodeSigningEku: true } },
  }),
  defineCase({
    name: 'leaf-key-usage-without-digital-signature_fail',
    sigstoreJs: {
      verdict: 'pass',
      why: "@sigstore/verify does not check the signing certificate's keyUsage.",
    },
    code: 'CERTIFICATE',
    check: 'certificate.key_usage',
    family: 'certificate-profile',
    readme:
      "The leaf's keyUsage is keyEncipherment only (no digitalSignature). Everything else is valid; a key not certified for digital signatures must not be accepted for signatures.",
    sign: { leaf: { keyUsage: 'keyEncipherment' } },
  }),
  defineCase({
    name: 'leaf-unknown-critical-extension_fail',
    sigstoreJs: {
      verdict: 'pass',
      why: "@sigstore/verify never looks at extension criticality, so an unrecognized critical extension is ignored.",
    },
    code: 'CERTIFICATE',
    check: 'certificate.critical_extension',
    family: 'certificate-profile',
    readme:
      'The leaf carries an extension no verifier knows (OID 1.3.6.1.4.1.57264.99.1) marked critical. RFC 5280 §4.2: a certificate with an unrecognized critical extension must be rejected. Everything else is valid.',
    sign: { leaf: { unknownCriticalExtension: true } },
  }),
  defineCase({
    name: 'wrong-ca_fail',
    code: 'CERT_CHAIN',
    check: 'cert_chain.signature',
    family: 'cert-chain',
    readme:
      "The leaf was issued by a rogue CA that copies the trusted CA's names and key identifiers (so the leaf's issuer and authorityKeyIdentifier point at the trusted intermediate) but has its own keys. The SCT (over the rogue issuer key) and the log entry are genuine; only the certificate signature check on the chain catches it.",
    sign: (inst) => ({
      ca: new FulcioCa(inst.seed, 'rogue-fulcio', {
        uri: inst.ca.uri,
        organization: inst.ca.subject.organization,
        rootCommonName: 'sigvet-root',
        intermediateCommonName: 'sigvet-intermediate',
        notBefore: inst.ca.notBefore,
        notAfter: INSTANCE_VALID_TO,
        keyIdentifiers: { root: inst.ca.rootKeyId, intermediate: inst.ca.intermediateKeyId },
      }),
    }),
  }),
  defineCase({
    name: 'intermediate-expired_fail',
    code: 'CERT_CHAIN',
    check: 'cert_chain.validity',
    family: 'cert-chain',
    readme:
      "The leaf chains to a trusted CA whose intermediate certificate expired a day before the signing (the root, the CA's trusted-root window and the leaf itself are valid). Every certificate of the chain must be valid at the verified time.",
    sign: (inst) => ({
      ca: new FulcioCa(inst.seed, 'fulcio-expired-intermediate', {
        uri: 'https://fulcio-old.sigvet.test',
        organization: 'sigvet.test',
        rootCommonName: 'sigvet-old-root',
        intermediateCommonName: 'sigvet-old-intermediate',
        notBefore: INSTANCE_VALID_FROM,
        notAfter: INSTANCE_VALID_TO,
        intermediateNotAfter: NOW_MS - 24 * 60 * MINUTE,
      }),
    }),
    trustedRoot: (root, inst, s) => {
      root.certificateAuthorities.push(caJson(s.ca));
      return root;
    },
  }),
  defineCase({
    name: 'ca-without-keycertsign_fail',
    code: 'CERT_CHAIN',
    check: 'cert_chain.key_usage',
    family: 'cert-chain',
    readme:
      "The leaf is signed by a trusted CA (in the case's trusted root) whose intermediate certificate is a CA (basicConstraints CA:TRUE) but whose keyUsage is digitalSignature only, without keyCertSign. RFC 5280 §4.2.1.3: that key may not sign certificates. Everything else verifies.",
    sign: (inst) => ({
      ca: new FulcioCa(inst.seed, 'fulcio-no-certsign', {
        uri: 'https://fulcio-nocertsign.sigvet.test',
        organization: 'sigvet.test',
        rootCommonName: 'sigvet-nocertsign-root',
        intermediateCommonName: 'sigvet-nocertsign-intermediate',
        notBefore: INSTANCE_VALID_FROM,
        notAfter: INSTANCE_VALID_TO,
        intermediateWithoutCertSign: true,
      }),
    }),
    trustedRoot: (root, inst, s) => {
      root.certificateAuthorities.push(caJson(s.ca));
      return root;
    },
  }),
  defineCase({
    name: 'leaf-expired-at-integrated-time_fail',
    code: 'TIME',
    check: 'time.certificate',
    family: 'validity-windows',
    readme:
      "The entry was integrated one second after the leaf's notAfter (10-minute validity). The SET is valid over that integratedTime and the inclusion proof is valid, so the only failure is that the verified signing time lies outside the certificate's validity.",
    sign: { integratedTime: LEAF_NOT_AFTER / SECOND + 1 },
  }),
  defineCase({
    name: 'leaf-not-yet-valid-at-integrated-time_fail',
    code: 'TIME',
    check: 'time.certificate',
    family: 'validity-windows',
    readme:
      "The entry was integrated (SET-signed time) one second before the leaf's notBefore. Everything verifies, but at the only verified time the certificate was not yet valid.",
    sign: { integratedTime: NOW_MS / SECOND - 1 },
  }),
  defineCase({
    name: 'leaf-valid-at-notafter',
    family: 'validity-windows',
    readme:
      "The entry's integrated time is exactly the leaf's notAfter. X.509 validity includes notAfter (RFC 5280 §4.1.2.5: \"through\"), so the certificate is valid then. Verification must succeed.",
    sign: { integratedTime: LEAF_NOT_AFTER / SECOND },
  }),
  defineCase({
    name: 'leaf-valid-at-notbefore',
    family: 'validity-windows',
    readme:
      "The entry's integrated time is exactly the leaf's notBefore, which is inside the validity period (RFC 5280 §4.1.2.5: \"from\"). Verification must succeed.",
    sign: { integratedTime: NOW_MS / SECOND },
  }),
  defineCase({
    name: 'ca-validfor-end-inclusive',
    family: 'validity-windows',
    readme:
      "The CA's validFor.end in the trusted root is exactly the entry's integrated time. Windows are closed: the CA is valid then. Verification must succeed.",
    trustedRoot: (root) => {
      root.certificateAuthorities[0].validFor.end = rfc3339(INTEGRATED * SECOND);
      return root;
    },
  }),
  defineCase({
    name: 'ca-validfor-ended_fail',
    code: 'TIME',
    check: 'time.ca',
    family: 'validity-windows',
    readme:
      "The CA's validFor.end in the trusted root is one second before the entry's integrated time (its certificates are still valid). The CA was no longer trusted to issue at the verified time.",
    trustedRoot: (root) => {
      root.certificateAuthorities[0].validFor.end = rfc3339((INTEGRATED - 1) * SECOND);
      return root;
    },
  }),
  defineCase({
    name: 'ca-validfor-not-started_fail',
    code: 'TIME',
    check: 'time.ca',
    family: 'validity-windows',
    readme:
      "The CA's validFor.start in the trusted root is one second after the entry's integrated time. The CA was not yet trusted at the verified time.",
    trustedRoot: (root) => {
      root.certificateAuthorities[0].validFor.start = rfc3339((INTEGRATED + 1) * SECOND);
      return root;
    },
  }),
];
