// The signing certificate: the Fulcio leaf profile, the chain to a trusted
// CA, and the validity windows of the leaf, the CA certificates and the CA's
// trusted-root entry at the verified time.

import { defineCase } from '../case.mjs';
import { FulcioCa, NOW_MS, SECOND, MINUTE, INSTANCE_VALID_FROM, INSTANCE_VALID_TO, caJson, rfc3339, githubWorkflow } from '../instance.mjs';
import { sha1 } from '../keys.mjs';
import { seq, oid, nul, tlv, ctxPrim, concat } from '../der.mjs';
import { ext, extension, OID, FULCIO } from '../x509.mjs';

const enc = (s) => new TextEncoder().encode(s);
const sameBytes = (a, b) => a.length === b.length && a.every((v, i) => v === b[i]);

/** Replaces the extension equal to `original` (DER) in a leaf's extension list. */
const replacing = (original, replacement) => (list) => {
  const i = list.findIndex((x) => sameBytes(x, original));
  if (i < 0) throw new Error('extension to replace not found');
  return list.map((x, j) => (j === i ? replacement : x));
};

/** The source-repository URI extension (.1.12) the default GitHub workflow leaf carries. */
const sourceRepoUri = (inst) => `https://github.com/${githubWorkflow(inst.seed).repository}`;

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
  defineCase({
    name: 'leaf-is-precertificate_fail',
    sigstoreJs: {
      verdict: 'pass',
      why: "@sigstore/verify checks neither the CT poison extension nor extension criticality on the signing certificate.",
    },
    code: 'CERTIFICATE',
    check: 'certificate.precert',
    family: 'certificate-profile',
    readme:
      "The leaf still carries the critical CT precertificate poison extension (RFC 6962 §3.1) next to its SCT list. The CT log signed exactly this TBS (poison included, SCT list not yet added), so the SCT verifies, and chain, log entry and signature are valid. A precertificate is a promise to issue, not a certificate: a verifier must refuse one as the signing certificate.",
    sign: { leaf: { poisonInFinal: true } },
  }),
  defineCase({
    name: 'leaf-two-identities_fail',
    sigstoreJs: {
      verdict: 'pass',
      why: "@sigstore/core reads the SAN's first URI (else its first e-mail address) and ignores the other names.",
    },
    code: 'CERTIFICATE',
    check: 'certificate.san',
    family: 'certificate-profile',
    readme:
      "The leaf's subjectAltName holds the expected workflow URI and, after it, an e-mail address. Everything else is valid and the expected identity is one of the two. A Fulcio certificate names exactly one identity; with two, the certificate does not say who signed, and a verifier must not pick the one that matches.",
    sign: (inst) => {
      const uri = githubWorkflow(inst.seed).identity;
      const both = extension(OID.subjectAltName, true, seq(ctxPrim(6, enc(uri)), ctxPrim(1, enc('someone-else@sigvet.test'))));
      return { leaf: { mapExtensions: replacing(ext.subjectAltName({ uri }), both) } };
    },
  }),
  defineCase({
    name: 'leaf-eku-trailing-bytes_fail',
    sigstoreJs: {
      verdict: 'pass',
      why: "@sigstore/verify does not read the signing certificate's extendedKeyUsage at all.",
    },
    code: 'CERTIFICATE',
    check: 'certificate.extension',
    family: 'certificate-profile',
    readme:
      "The leaf's extendedKeyUsage value is the SEQUENCE holding id-kp-codeSigning followed by two more bytes (an ASN.1 NULL) inside the extension's OCTET STRING. The CA signed it that way; everything else is valid. An extension value is one DER element; a parser that stops after the first element sees codeSigning where a strict one sees a malformed extension.",
    sign: {
      leaf: { mapExtensions: replacing(ext.extKeyUsage(OID.codeSigning), extension(OID.extKeyUsage, false, concat(seq(oid(OID.codeSigning)), nul()))) },
    },
  }),
  defineCase({
    name: 'leaf-fulcio-extension-invalid-utf8_fail',
    sigstoreJs: {
      verdict: 'pass',
      why: "@sigstore/verify decodes only the Fulcio extensions a policy names (here the issuer), so the broken source-repository extension is never read.",
    },
    code: 'CERTIFICATE',
    check: 'x509.fulcio',
    family: 'certificate-profile',
    readme:
      "The leaf's Fulcio source-repository-URI extension (1.3.6.1.4.1.57264.1.12) is a UTF8String whose last byte is 0xFF, which is never valid UTF-8. The CA signed it; chain, SCT, log entry, SAN and issuer are valid. Fulcio extensions are UTF-8 text a policy may compare; a verifier must not hand out a repaired (U+FFFD) value.",
    sign: (inst) => ({
      leaf: {
        mapExtensions: replacing(
          extension(FULCIO(12), false, tlv(0x0c, enc(sourceRepoUri(inst)))),
          extension(FULCIO(12), false, tlv(0x0c, concat(enc(sourceRepoUri(inst)), Uint8Array.of(0xff)))),
        ),
      },
    }),
  }),
  defineCase({
    name: 'leaf-fulcio-extension-not-utf8string_fail',
    sigstoreJs: {
      verdict: 'pass',
      why: "@sigstore/verify decodes only the Fulcio extensions a policy names (here the issuer), so the mis-encoded source-repository extension is never read.",
    },
    code: 'PARSE',
    check: 'der',
    family: 'certificate-profile',
    readme:
      "The leaf's Fulcio source-repository-URI extension (1.3.6.1.4.1.57264.1.12) holds the right text as an IA5String instead of the UTF8String Fulcio's v2 extensions (.8 and later) use. The CA signed it; everything else is valid. A verifier must not accept another encoding of a field a policy may compare.",
    sign: (inst) => ({
      leaf: {
        mapExtensions: replacing(
          extension(FULCIO(12), false, tlv(0x0c, enc(sourceRepoUri(inst)))),
          extension(FULCIO(12), false, tlv(0x16, enc(sourceRepoUri(inst)))),
        ),
      },
    }),
  }),
  defineCase({
    name: 'leaf-key-secp256k1_fail',
    sigstoreJs: {
      verdict: 'pass',
      why: "@sigstore/verify checks no key type: Node's crypto supports secp256k1, so the signature verifies.",
    },
    code: 'UNSUPPORTED',
    check: 'key.algorithm',
    family: 'certificate-profile',
    readme:
      "The trusted CA certified a secp256k1 key (a curve no Sigstore PublicKeyDetails names) and that key signed the artifact (ECDSA with SHA-256); SCT, log entry and identity are valid. Sigstore signing keys are ECDSA P-256/P-384/P-521, Ed25519 or RSA; a verifier must refuse a key of another kind rather than verify whatever its crypto library happens to support.",
    sign: { keyKind: 'secp256k1' },
  }),
  defineCase({
    name: 'leaf-issuer-not-in-trusted-root_fail',
    code: 'CERT_CHAIN',
    check: 'cert_chain.issuer',
    family: 'cert-chain',
    readme:
      "The leaf was issued by the instance's second (P-256) CA, which this case's trusted root does not list; the trusted root is the instance root without that CA. SCT (from the trusted CT log), log entry and signature are valid. No trusted CA issued the certificate.",
    sign: (inst) => ({ ca: inst.ca2 }),
    trustedRoot: (root, inst) => {
      root.certificateAuthorities = root.certificateAuthorities.filter((a) => a.uri !== inst.ca2.uri);
      return root;
    },
  }),
  defineCase({
    name: 'leaf-signed-with-sha1_fail',
    sigstoreJsRejects: {
      signal: /^CERTIFICATE_ERROR Failed to verify certificate chain/,
      why: "@sigstore/core has no entry for ecdsa-with-SHA1, so it verifies the leaf's signature with Node's default digest, which fails: no certificate path is found, rather than SHA-1 being refused.",
    },
    code: 'UNSUPPORTED',
    check: 'signature.algorithm',
    family: 'cert-chain',
    readme:
      "The trusted CA's intermediate signed the leaf with ecdsa-with-SHA1 (the signature is valid: its P-384 key over the SHA-1 of the TBS). SCT, log entry and identity are valid. SHA-1 is broken for collision resistance, which certificate signatures rely on; Sigstore CAs sign with SHA-256 or stronger, and a verifier must refuse SHA-1 certificate signatures.",
    sign: (inst) => ({
      leaf: { signatureAlgorithm: { algId: seq(oid('1.2.840.10045.4.1')), sign: (tbs) => inst.ca.intermediateKey.signDigest(sha1(tbs)) } },
    }),
  }),
  defineCase({
    name: 'leaf-signature-algorithm-not-ca-key-type_fail',
    sigstoreJs: {
      verdict: 'pass',
      why: "@sigstore/core maps the signature algorithm OID to a hash name only (sha384) and lets the issuer key's type choose the algorithm, so an RSA identifier over an ECDSA signature verifies.",
    },
    code: 'KEY',
    check: 'signature.scheme',
    family: 'cert-chain',
    readme:
      "The leaf's signatureAlgorithm (outer and in the TBS) says sha384WithRSAEncryption, but the trusted CA's intermediate has an ECDSA P-384 key and the signature is its valid ECDSA-SHA-384 signature. A verifier that picks the algorithm from the CA's key accepts it; the certificate states an algorithm its issuer's key cannot use, so a verifier must refuse it (algorithm confusion).",
    sign: (inst) => ({
      leaf: { signatureAlgorithm: { algId: seq(oid('1.2.840.113549.1.1.12'), nul()), sign: (tbs) => inst.ca.intermediateKey.sign(tbs) } },
    }),
  }),
];
