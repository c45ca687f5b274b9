// RFC 3161 timestamps: the TSA's own chain and trusted-root window, the
// token's binding to the signature, and the response wrapper.

import { defineCase } from '../case.mjs';
import { TimestampAuthority, EcKey, NOW_MS, SECOND, MINUTE, INSTANCE_VALID_FROM, INSTANCE_VALID_TO, tsaJson, rfc3339, flipLastBit } from '../instance.mjs';
import { concat } from '../der.mjs';
import { ext, tbsCertificate, signCertificate, OID } from '../x509.mjs';

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
    inner: 'timestamp.signer',
    family: 'timestamp',
    readme:
      'A Rekor v2 bundle whose RFC 3161 token is well formed and covers the signature, but was issued by a TSA the trusted root does not list.',
    sign: (inst) => ({ tlog: 'v2', tsa: { authority: caseTsa(inst, 'tsa-untrusted') } }),
  }),
  defineCase({
    name: 'timestamp-invalid-signature_fail',
    code: 'TIMESTAMP',
    check: 'timestamp.authority',
    inner: 'timestamp.signature',
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
    inner: 'timestamp.eku',
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
    inner: 'timestamp.authority.validity',
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
    inner: 'timestamp.certificate.validity',
    family: 'validity-windows',
    readme:
      "The TSA's certificate expired one second before the token's genTime (a TSA of its own for this case, in the case's trusted root, whose window is open). Every certificate of the TSA chain must be valid at genTime.",
    sign: (inst) => ({ tlog: 'v2', tsa: { authority: caseTsa(inst, 'tsa-expired', { leafNotAfter: TSA_TIME - SECOND }) } }),
    trustedRoot: (root, inst, s) => onlyTsa(root, s.tsaAuthority),
  }),
  defineCase({
    name: 'timestamp-duplicate-authority_fail',
    tags: ['sigvet-rule'],
    sigstoreJs: {
      verdict: 'pass',
      why: "@sigstore/verify refuses only identical (deeply equal) timestamps; two timestamps from one authority at different times both count.",
    },
    code: 'THRESHOLD',
    check: 'timestamp.duplicate',
    family: 'timestamp',
    readme:
      "A Rekor v2 bundle with two valid RFC 3161 timestamps over its signature, both from the trusted TSA (one second apart). Each verifies. Timestamps count toward a threshold of distinct authorities; two from one authority are one witness presented twice, and sigvet refuses such a bundle rather than count it (a bundle carries at most one timestamp per authority).",
    sign: { tlog: 'v2' },
    bundle: (inst, s) => ({ timestamps: [s.timestamp, inst.tsa.timestamp(s.content.signature, TSA_TIME + SECOND)] }),
  }),
  defineCase({
    name: 'timestamp-tstinfo-not-signed_fail',
    code: 'TIMESTAMP',
    check: 'timestamp.attributes.message-digest',
    family: 'timestamp',
    readme:
      "The trusted TSA's token covers the signature (its TSTInfo's imprint is right) and its signature over the signed attributes is valid, but the message-digest attribute is the SHA-256 of other bytes, not of the TSTInfo. The TSA's signature therefore does not cover the TSTInfo, whose time and imprint nobody signed (RFC 5652 §11.2).",
    sign: { tlog: 'v2', tsa: { messageDigestOf: new TextEncoder().encode('another TSTInfo') } },
  }),
  defineCase({
    name: 'timestamp-content-type-not-tstinfo_fail',
    sigstoreJs: {
      verdict: 'pass',
      why: "@sigstore/core checks the ContentInfo and eContentType OIDs but never the signed content-type attribute.",
    },
    code: 'TIMESTAMP',
    check: 'timestamp.attributes.content-type',
    family: 'timestamp',
    readme:
      "The trusted TSA's token is valid (imprint, message digest, signature) except that its signed content-type attribute is id-data instead of id-ct-TSTInfo, while the encapsulated content is a TSTInfo. RFC 5652 §11.1: the attribute must equal the eContentType; the TSA signed a statement about another kind of content.",
    sign: { tlog: 'v2', tsa: { contentType: '1.2.840.113549.1.7.1' } },
  }),
  defineCase({
    name: 'timestamp-without-signing-certificate_fail',
    sigstoreJs: {
      verdict: 'pass',
      why: "@sigstore/core picks the TSA by the SignerInfo's issuer and serial number and never looks for an ESS signing-certificate attribute.",
    },
    code: 'TIMESTAMP',
    check: 'timestamp.attributes.signing-certificate',
    family: 'timestamp',
    readme:
      "The trusted TSA's token is valid but its signed attributes have no signing-certificate (ESS, RFC 2634/5035) attribute. RFC 3161 §2.4.1 requires one: it binds the signature to the TSA's certificate, so that a token cannot be re-attributed to another certificate with the same key.",
    sign: { tlog: 'v2', tsa: { omitSigningCertificate: true } },
  }),
  defineCase({
    name: 'timestamp-imprint-sha1_fail',
    sigstoreJsRejects: {
      signal: /^TIMESTAMP_ERROR timestamp could not be verified/,
      why: "@sigstore/core knows only SHA-2 imprint hashes: hashing with an undefined algorithm throws, which it reports as a timestamp that could not be verified.",
    },
    code: 'UNSUPPORTED',
    check: 'timestamp.imprint.algorithm',
    family: 'timestamp',
    readme:
      "The trusted TSA's token is valid and its messageImprint is the SHA-1 of the bundle's signature. SHA-1 is broken for collision resistance, which an imprint relies on; Sigstore timestamps use SHA-256 or stronger, and a verifier must refuse a SHA-1 imprint.",
    sign: { tlog: 'v2', tsa: { imprintHash: 'sha1' } },
  }),
  defineCase({
    name: 'timestamp-signer-digest-sha1_fail',
    sigstoreJsRejects: {
      signal: /^TIMESTAMP_ERROR timestamp could not be verified/,
      why: "@sigstore/core knows only SHA-2 digest algorithms: hashing with an undefined algorithm throws, which it reports as a timestamp that could not be verified.",
    },
    code: 'UNSUPPORTED',
    check: 'timestamp.digest-algorithm',
    family: 'timestamp',
    readme:
      "The trusted TSA's token is valid, but its SignerInfo's digest algorithm is SHA-1: the message-digest attribute, through which the signature covers the TSTInfo, is a SHA-1 digest. A collision there lets one signature cover two TSTInfos; a verifier must refuse SHA-1.",
    sign: { tlog: 'v2', tsa: { signerDigest: 'sha1' } },
  }),
  defineCase({
    name: 'timestamp-token-trailing-byte_fail',
    sigstoreJs: {
      verdict: 'pass',
      why: "@sigstore/core's ASN.1 parser reads the first element of the signedTimestamp bytes and ignores the byte after it.",
    },
    code: 'PARSE',
    check: 'timestamp.parse',
    family: 'timestamp',
    readme:
      "The bundle's signedTimestamp is a valid TimeStampResp from the trusted TSA followed by one zero byte. DER has exactly one encoding; a parser that stops after the first element accepts bytes that are not the response.",
    sign: { tlog: 'v2' },
    bundle: (inst, s) => ({ timestamps: [concat(s.timestamp, Uint8Array.of(0))] }),
  }),
  defineCase({
    name: 'timestamp-embedded-certificate-differs_fail',
    sigstoreJs: {
      verdict: 'pass',
      why: "@sigstore/core never reads SignedData.certificates, so it cannot notice that they contradict the trusted root.",
    },
    code: 'TIMESTAMP',
    check: 'timestamp.authority',
    inner: 'timestamp.embedded-certificate',
    family: 'timestamp',
    readme:
      "The trusted TSA's token is valid and embeds, in SignedData.certificates, a certificate with the TSA certificate's issuer and serial number but another key. Verifiers must take the TSA from the trusted root, and here the token and the trusted root disagree about who signed: sigvet refuses the token (inner check timestamp.embedded-certificate) rather than pick one.",
    sign: (inst) => {
      const impostorKey = new EcKey(inst.seed, 'tsa-impostor', 'P-256');
      const impostor = signCertificate(
        tbsCertificate({
          serial: inst.tsa.leafSerial,
          sigAlgId: impostorKey.sigAlgId,
          issuer: inst.tsa.rootName,
          notBefore: INSTANCE_VALID_FROM,
          notAfter: INSTANCE_VALID_TO,
          subject: inst.tsa.leafName,
          spki: impostorKey.spki,
          extensions: [ext.keyUsageDigitalSignature(), ext.extKeyUsageCritical(OID.timeStamping)],
        }),
        impostorKey,
      );
      return { tlog: 'v2', tsa: { embedCertificates: [impostor] } };
    },
  }),
];
