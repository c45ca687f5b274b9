// The trusted root itself: media types and the consistency rules a verifier
// must enforce before trusting anything in it.

import { defineCase } from '../case.mjs';
import { EcKey, FulcioCa, BUNDLE_V01, INSTANCE_VALID_FROM, INSTANCE_VALID_TO, b64, sha256, caJson } from '../instance.mjs';

const BOGUS_LOG_ID = sha256(new TextEncoder().encode('sigvet: a log id that is not the hash of any key'));

export default [
  defineCase({
    name: 'happy-path-trust-root-v0.2-media-type',
    family: 'trust-root',
    readme:
      'The trusted root uses the newer media type spelling application/vnd.dev.sigstore.trustedroot.v0.2+json; its content is the instance root unchanged. Verification must succeed.',
    trustedRoot: (root) => ({ ...root, mediaType: 'application/vnd.dev.sigstore.trustedroot.v0.2+json' }),
  }),
  defineCase({
    name: 'trust-root-unknown-media-type_fail',
    sigstoreJs: {
      verdict: 'pass',
      why: "@sigstore/verify does not look at the trusted root's media type.",
    },
    code: 'TRUST_ROOT',
    check: 'trust_root.shape',
    family: 'trust-root',
    readme:
      'The trusted root is the instance root relabelled application/vnd.dev.sigstore.trustedroot+json;version=0.9, a version that does not exist. A verifier must not guess the rules of a trusted-root format it does not know.',
    trustedRoot: (root) => ({ ...root, mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.9' }),
  }),
  defineCase({
    name: 'trust-root-missing-validfor-start_fail',
    sigstoreJs: {
      verdict: 'pass',
      why: '@sigstore/verify treats a validFor without start as open at the start.',
    },
    code: 'TRUST_ROOT',
    check: 'trust_root.shape',
    family: 'trust-root',
    readme:
      "The CA's validFor in the trusted root is an empty object: no start. A validity window without a start is malformed; reading it as 'valid since the beginning of time' widens trust the root never granted.",
    trustedRoot: (root) => {
      root.certificateAuthorities[0].validFor = {};
      return root;
    },
  }),
  defineCase({
    name: 'trust-root-duplicate-log-id_fail',
    sigstoreJs: {
      verdict: 'pass',
      why: '@sigstore/verify accepts two logs under one log ID and uses whichever key verifies.',
    },
    code: 'TRUST_ROOT',
    check: 'trust_root.shape',
    family: 'trust-root',
    readme:
      "The trusted root lists a second tlog with the Rekor v1 log's log ID but another key (and another URL). Two keys under one log ID make every entry of that log ambiguous; the root is inconsistent.",
    trustedRoot: (root, inst) => {
      const other = new EcKey(inst.seed, 'rekor-twin', 'P-256');
      root.tlogs.push({
        ...root.tlogs[0],
        baseUrl: 'https://rekor-twin.sigvet.test',
        publicKey: { ...root.tlogs[0].publicKey, rawBytes: b64(other.spki) },
      });
      return root;
    },
  }),
  defineCase({
    name: 'trust-root-ca-chain-broken_fail',
    code: 'TRUST_ROOT',
    check: 'trust.authority.chain',
    family: 'trust-root',
    readme:
      "The CA's certChain in the trusted root lists its genuine intermediate (which issued the leaf) followed by the root of the instance's other CA, which did not sign that intermediate. A chain in the trusted root must be a chain; this one is broken, so the root is invalid, even though the leaf's issuer is listed.",
    trustedRoot: (root, inst) => {
      root.certificateAuthorities[0].certChain.certificates[1] = { rawBytes: b64(inst.ca2.root) };
      return root;
    },
  }),
  defineCase({
    name: 'trust-root-log-id-not-key-id_fail',
    sigstoreJs: {
      verdict: 'pass',
      why: "@sigstore/verify takes the trusted root's log ID as given and never checks it against the log's key.",
    },
    code: 'TRUST_ROOT',
    check: 'trust.log.id',
    family: 'trust-root',
    readme:
      "The Rekor v1 log's logId in the trusted root is not the SHA-256 of its key; the v0.1 bundle's entry uses that same logId and the log's SET was signed over it, so entry and SET verify (there is no checkpoint, whose key hint would depend on the ID). The root is inconsistent: a log ID must be derived from the log's key.",
    sign: { setLogId: BOGUS_LOG_ID },
    bundle: () => ({ mediaType: BUNDLE_V01, inclusionProof: false }),
    trustedRoot: (root) => {
      root.tlogs[0].logId = { keyId: b64(BOGUS_LOG_ID) };
      return root;
    },
  }),
  defineCase({
    name: 'trust-root-log-key-details-mismatch_fail',
    sigstoreJs: {
      verdict: 'pass',
      why: "@sigstore/verify uses keyDetails only to choose between PKCS#1 and SPKI for RSA keys; the key's own type decides how it verifies.",
    },
    code: 'TRUST_ROOT',
    check: 'key.details',
    family: 'trust-root',
    readme:
      "The trusted root describes the Rekor v1 log's P-256 key with keyDetails PKIX_ECDSA_P384_SHA_384; key, log ID and URL are right, and the bundle is valid. The details say how the key signs; when they contradict the key itself the root is inconsistent, and a verifier must refuse it rather than guess which is right.",
    trustedRoot: (root) => {
      root.tlogs[0].publicKey.keyDetails = 'PKIX_ECDSA_P384_SHA_384';
      return root;
    },
  }),
  defineCase({
    name: 'trust-root-log-base-url-invalid_fail',
    sigstoreJs: {
      verdict: 'pass',
      why: "@sigstore/verify never parses a log's baseUrl: it tests the checkpoint signer name as a regular expression against it, and rekor.sigvet.test is found in rekor.sigvet.test.",
    },
    code: 'TRUST_ROOT',
    check: 'trust.log.url',
    family: 'trust-root',
    readme:
      "The trusted root gives the Rekor v1 log's baseUrl as rekor.sigvet.test, without a scheme; key and log ID are right, and the bundle is valid. A log's URL names the host its checkpoints must come from (the signed note's key name and origin); a root whose URL is not an http(s) URL cannot say that, and is invalid.",
    trustedRoot: (root) => {
      root.tlogs[0].baseUrl = 'rekor.sigvet.test';
      return root;
    },
  }),
  defineCase({
    name: 'trust-root-authority-key-unsupported_fail',
    tags: ['sigvet-rule'],
    sigstoreJs: {
      verdict: 'pass',
      why: "@sigstore/verify parses trusted-root CA certificates and uses only the CA that issued the leaf; Node can read the extra CA's secp256k1 keys and nothing else checks them.",
    },
    code: 'TRUST_ROOT',
    check: 'trust.authority.key',
    family: 'trust-root',
    readme:
      "The trusted root lists, besides the instance's CAs, a third certificate authority whose root and intermediate have secp256k1 keys (a curve no Sigstore PublicKeyDetails names); the bundle's leaf comes from the first CA and is valid. sigvet refuses a trusted root it cannot use in full rather than silently trust fewer authorities than the root lists.",
    trustedRoot: (root, inst) => {
      const k1 = new FulcioCa(inst.seed, 'fulcio-secp256k1', {
        curve: 'secp256k1',
        uri: 'https://fulcio-k1.sigvet.test',
        organization: 'sigvet.test',
        rootCommonName: 'sigvet-k1-root',
        intermediateCommonName: 'sigvet-k1-intermediate',
        notBefore: INSTANCE_VALID_FROM,
        notAfter: INSTANCE_VALID_TO,
      });
      root.certificateAuthorities.push(caJson(k1));
      return root;
    },
  }),
];
