// Bundle versions and media types, the verification-material shapes each
// version allows, and evidence a bundle must carry.

import { defineCase } from '../case.mjs';
import { BUNDLE_V01, BUNDLE_V02, BUNDLE_V03, BUNDLE_V03_LEGACY, b64, flipLastBit } from '../instance.mjs';

export default [
  defineCase({
    name: 'happy-path-v0.3',
    family: 'bundle-format',
    readme:
      'A v0.3 bundle (media type application/vnd.dev.sigstore.bundle.v0.3+json): Fulcio-style leaf with an embedded SCT, hashedrekord 0.0.1 entry with SET, inclusion proof and signed checkpoint. Every check passes: verification must succeed.',
  }),
  defineCase({
    name: 'happy-path-v0.3-legacy-media-type',
    family: 'bundle-format',
    readme:
      'The same kind of v0.3 bundle under the older spelling of its media type, application/vnd.dev.sigstore.bundle+json;version=0.3, which protobuf-specs still accepts. Verification must succeed.',
    bundle: () => ({ mediaType: BUNDLE_V03_LEGACY, material: 'certificate' }),
  }),
  defineCase({
    name: 'happy-path-v0.2',
    family: 'bundle-format',
    readme:
      'A v0.2 bundle (application/vnd.dev.sigstore.bundle+json;version=0.2): x509CertificateChain holding the leaf only, and a tlog entry with SET, inclusion proof and checkpoint (v0.2 requires the proof). Verification must succeed.',
    bundle: () => ({ mediaType: BUNDLE_V02 }),
  }),
  defineCase({
    name: 'happy-path-v0.1',
    family: 'bundle-format',
    readme:
      'A v0.1 bundle (application/vnd.dev.sigstore.bundle+json;version=0.1): x509CertificateChain holding the leaf only, and a tlog entry with a SET but no inclusion proof (allowed for v0.1). Verification must succeed.',
    bundle: () => ({ mediaType: BUNDLE_V01, inclusionProof: false }),
  }),
  defineCase({
    name: 'happy-path-v0.1-chain-with-ca-certificates',
    family: 'bundle-format',
    readme:
      "A v0.1 bundle whose x509CertificateChain carries the leaf, the intermediate and the root. The CA certificates are the trusted ones, so the chain still anchors in the trusted root (a verifier must anchor there, never in the bundle's copies). Verification must succeed.",
    bundle: (inst) => ({ mediaType: BUNDLE_V01, inclusionProof: false, chainExtra: [inst.ca.intermediate, inst.ca.root] }),
  }),
  defineCase({
    name: 'bundle-unknown-media-type_fail',
    sigstoreJs: {
      verdict: 'pass',
      why: '@sigstore/bundle accepts any media type shaped like application/vnd.dev.sigstore.bundle.vX.Y+json and validates an unknown version with the v0.3 rules.',
    },
    code: 'BUNDLE_FORMAT',
    check: 'bundle.shape',
    family: 'bundle-format',
    readme:
      'A valid v0.3 bundle relabelled application/vnd.dev.sigstore.bundle.v0.9+json, a version that does not exist. Nothing else differs; a verifier must refuse a bundle version it does not know rather than guess its rules.',
    bundle: () => ({ mediaType: 'application/vnd.dev.sigstore.bundle.v0.9+json', material: 'certificate' }),
  }),
  defineCase({
    name: 'bundle-v0.3-certificate-chain_fail',
    code: 'BUNDLE_FORMAT',
    check: 'bundle.shape',
    family: 'bundle-format',
    readme:
      'A v0.3 bundle whose key material is an x509CertificateChain (holding only the valid leaf) instead of a single certificate. protobuf-specs: from v0.3 on, the chain form is not allowed. Everything else verifies.',
    bundle: () => ({ mediaType: BUNDLE_V03, material: 'chain' }),
  }),
  defineCase({
    name: 'bundle-v0.2-without-inclusion-proof_fail',
    code: 'BUNDLE_FORMAT',
    check: 'bundle.shape',
    family: 'bundle-format',
    readme:
      'A v0.2 bundle whose tlog entry has a valid SET but no inclusion proof. From v0.2 on an inclusion proof (with a checkpoint) is required; the SET alone was only enough in v0.1.',
    bundle: () => ({ mediaType: BUNDLE_V02, inclusionProof: false }),
  }),
  defineCase({
    name: 'bundle-without-tlog-entry_fail',
    code: 'THRESHOLD',
    check: 'tlog.threshold',
    family: 'bundle-format',
    readme:
      'A v0.3 bundle with a valid certificate, signature and RFC 3161 timestamp (so there is a verified time) but no transparency log entry. Sigstore requires at least one log entry by default, so verification must fail on that alone.',
    sign: { tlog: 'none', tsa: true },
  }),
  defineCase({
    name: 'bundle-duplicate-key_fail',
    sigstoreJs: {
      verdict: 'pass',
      why: "@sigstore/verify takes the bundle as parsed JSON (bundleFromJSON), and JSON.parse, which a caller uses to read the file (as the adapter does), keeps the last of two members with one name.",
    },
    code: 'PARSE',
    check: 'json',
    family: 'bundle-format',
    readme:
      "The bundle JSON has the member \"messageSignature\" twice: first with a signature that has one bit flipped, then the valid one. With the second, everything verifies. JSON with duplicate member names has no agreed meaning (RFC 8259 §4; protobuf JSON parsers reject it): a verifier keeping the last member and a tool keeping the first see different bundles, so it must be refused.",
    output: (inst, s, extra, bundle) => {
      const decoy = JSON.stringify({ ...bundle.messageSignature, signature: b64(flipLastBit(s.content.signature)) });
      const text = JSON.stringify(bundle, null, 2).replace('"messageSignature": ', `"messageSignature": ${decoy},\n  "messageSignature": `);
      return { bundleText: `${text}\n` };
    },
  }),
];
