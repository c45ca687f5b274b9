// RFC 3161 timestamps: the TSA's own chain and trusted-root window, the
// token's binding to the signature, and the response wrapper.

import { defineCase } from '../case.mjs';
import { TimestampAuthority, NOW_MS, SECOND, MINUTE, INSTANCE_VALID_FROM, INSTANCE_VALID_TO, tsaJson, rfc3339, flipLastBit } from '../instance.mjs';

/** When the TSA answers for a signing at NOW. */
const TSA_TIME = NOW_MS + 2 * SECOND;

/** A TSA of its own for one case (same naming scheme as the instance's). */
function caseTsa(inst, label, o = {}) {
  return new TimestampAuthority(inst.seed, label, {
    uri: `https://${label}.sigvet.test/api/v1/timestamp`,
    organization: 'sigvet.test',
    commonName: label,
    notBefore: INSTANCE_VALID_FROM,
    notAfter: INSTANCE_VALID_TO,
    ...o,
  });
}

/** Trusted root whose only TSA is `tsa`. */
const onlyTsa = (root, tsa) => {
  root.timestampAuthorities = [tsaJson(tsa)];
  return root;
};

export default [
  defineCase({
    name: 'happy-path-v1-with-timestamp',
    family: 'timestamp',
    readme:
      'A Rekor v1 entry (SET, proof, checkpoint) and an RFC 3161 timestamp over the signature: two verified times, both inside the certificate validity. Verification must succeed.',
    sign: { tsa: true },
  }),
  defineCase({
    name: 'happy-path-timestamp-with-embedded-certificates',
    family: 'timestamp',
    readme:
      "A Rekor v2 bundle whose RFC 3161 token embeds the TSA's certificate and root (SignedData.certificates). They equal the trusted ones; a verifier must still take the TSA from the trusted root. Verification must succeed.",
    sign: { tlog: 'v2', tsa: { embedCertificates: true } },
  }),
  defineCase({
    name: 'timestamp-imprint-mismatch_fail',
    code: 'TIMESTAMP',
    check: 'timestamp.imprint',
    family: 'timestamp',
    readme:
      "A Rekor v2 bundle whose RFC 3161 token is validly signed by the trusted TSA but its messageImprint is the SHA-256 of other bytes, not of the bundle's signature. The timestamp does not cover this signature.",
    sign: { tlog: 'v2', tsa: { imprintOf: new TextEncoder().encode('another signature') } },
  }),
  defineCase({
    name: 'timestamp-untrusted-tsa_fail',
    code: 'TIMESTAMP',
    check: 'timestamp.authority',
    family: 'timestamp',
    readme:
      'A Rekor v2 bundle whose RFC 3161 token is well formed and covers the signature, but was issued by a TSA the trusted root does not list.',
    sign: (inst) => ({ tlog: 'v2', tsa: { authority: caseTsa(inst, 'tsa-untrusted') } }),
  }),
  defineCase({
    name: 'timestamp-invalid-signature_fail',
    code: 'TIMESTAMP',
    check: 'timestamp.authority',
    family: 'timestamp',
    readme:
      "The trusted TSA's signature over the token's signed attributes has one bit flipped. Imprint, message digest and signing-certificate attributes are right; only the signature check fails.",
    sign: { tlog: 'v2', tsa: { mutateSignature: flipLastBit } },
  }),
  defineCase({
    name: 'timestamp-eku-not-critical_fail',
    sigstoreJs: {
      verdict: 'pass',
      why: "@sigstore/verify does not require the TSA certificate's extendedKeyUsage to be critical (RFC 3161 §2.3).",
    },
    code: 'TIMESTAMP',
    check: 'timestamp.authority',
    family: 'timestamp',
    readme:
      "The trusted TSA's certificate has id-kp-timeStamping as its only extended key usage, but the extension is not marked critical. RFC 3161 §2.3 requires it to be critical; everything else verifies.",
    sign: (inst) => ({ tlog: 'v2', tsa: { authority: caseTsa(inst, 'tsa-eku-not-critical', { ekuCritical: false }) } }),
    trustedRoot: (root, inst, s) => onlyTsa(root, s.tsaAuthority),
  }),
  defineCase({
    name: 'timestamp-response-not-granted_fail',
    sigstoreJs: {
      verdict: 'pass',
      why: '@sigstore/verify never looks at the TimeStampResp status (which @sigstore/core parses) and uses the token it carries.',
    },
    code: 'TIMESTAMP',
    check: 'timestamp.status',
    family: 'timestamp',
    readme:
      'The TimeStampResp holds a valid token from the trusted TSA but its PKIStatus is 2 (rejection). A response the TSA did not grant is not a timestamp, whatever it carries.',
    sign: { tlog: 'v2', tsa: { status: 2 } },
  }),
  defineCase({
    name: 'v1-timestamp-outside-certificate-validity_fail',
    code: 'TIME',
    check: 'time.certificate',
    family: 'validity-windows',
    readme:
      "A Rekor v1 bundle with two verified times: the integrated time is inside the leaf's validity, but the RFC 3161 timestamp is one second after its notAfter. The certificate must be valid at every verified time.",
    sign: { tsa: { time: NOW_MS + 10 * MINUTE + SECOND } },
  }),
  defineCase({
    name: 'rekor2-timestamp-after-certificate-expiry_fail',
    code: 'TIME',
    check: 'time.certificate',
    family: 'validity-windows',
    readme:
      "A Rekor v2 bundle whose only verified time, the RFC 3161 timestamp, is one second after the leaf's notAfter.",
    sign: { tlog: 'v2', tsa: { time: NOW_MS + 10 * MINUTE + SECOND } },
  }),
  defineCase({
    name: 'tsa-validfor-end-inclusive',
    family: 'validity-windows',
    readme:
      "The TSA's validFor.end in the trusted root is exactly the token's genTime. Windows are closed, so the TSA is trusted then. Verification must succeed.",
    sign: { tlog: 'v2' },
    trustedRoot: (root) => {
      root.timestampAuthorities[0].validFor.end = rfc3339(TSA_TIME);
      return root;
    },
  }),
  defineCase({
    name: 'tsa-validfor-ended_fail',
    code: 'TIMESTAMP',
    check: 'timestamp.authority',
    family: 'validity-windows',
    readme:
      "The TSA's validFor.end in the trusted root is one second before the token's genTime. The token verifies, but the TSA was no longer trusted when it issued it.",
    sign: { tlog: 'v2' },
    trustedRoot: (root) => {
      root.timestampAuthorities[0].validFor.end = rfc3339(TSA_TIME - SECOND);
      return root;
    },
  }),
  defineCase({
    name: 'tsa-certificate-valid-at-notafter',
    family: 'validity-windows',
    readme:
      "The token's genTime is exactly the notAfter of the TSA's certificate (a TSA of its own for this case, in the case's trusted root). X.509 validity includes notAfter. Verification must succeed.",
    sign: (inst) => ({ tlog: 'v2', tsa: { authority: caseTsa(inst, 'tsa-ending', { leafNotAfter: TSA_TIME }) } }),
    trustedRoot: (root, inst, s) => onlyTsa(root, s.tsaAuthority),
  }),
  defineCase({
    name: 'tsa-certificate-expired_fail',
    code: 'TIMESTAMP',
    check: 'timestamp.authority',
    family: 'validity-windows',
    readme:
      "The TSA's certificate expired one second before the token's genTime (a TSA of its own for this case, in the case's trusted root, whose window is open). Every certificate of the TSA chain must be valid at genTime.",
    sign: (inst) => ({ tlog: 'v2', tsa: { authority: caseTsa(inst, 'tsa-expired', { leafNotAfter: TSA_TIME - SECOND }) } }),
    trustedRoot: (root, inst, s) => onlyTsa(root, s.tsaAuthority),
  }),
];
