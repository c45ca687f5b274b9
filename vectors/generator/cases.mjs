// The test cases. Each case signs with the private instance (appending to its
// Rekor log) in build(); once every entry is logged and the log is sealed,
// render() assembles the files. A failing case breaks exactly one thing and
// its README says which check must catch it.

import { EcKey } from './keys.mjs';
import { FulcioCa } from './ca.mjs';
import {
  GITHUB_ISSUER,
  NOW_MS,
  SECOND,
  MINUTE,
  BUNDLE_V01,
  BUNDLE_V03,
  githubWorkflow,
  signWithCertificate,
  signWithKey,
  signDsseWithCertificate,
  tlogEntryJson,
  bundleV03Certificate,
  messageSignatureJson,
  flipLastBit,
  b64,
  toPem,
  sha256,
  toHex,
} from './instance.mjs';

const enc = (s) => new TextEncoder().encode(s);
const artifactFor = (name) => enc(`sigvet test vector: ${name}\n`);

const BASE_TAGS = ['custom-trusted-root'];
const HASHEDREKORD = ['content:message-signature', 'tlog:hashedrekord/0.0.1', 'tlog:set'];

/** A GitHub Actions signing (the common case) of `artifact` for case `name`. */
function githubSigning(inst, name, extra = {}) {
  const gh = extra.github ?? githubWorkflow(inst.seed);
  const artifact = extra.artifact ?? artifactFor(name);
  const s = signWithCertificate(inst, {
    label: name,
    artifact,
    san: { uri: gh.identity },
    oidcIssuer: GITHUB_ISSUER,
    github: gh,
    ...extra,
  });
  return { ...s, artifact, identity: gh.identity, issuer: GITHUB_ISSUER };
}

/** The standard v0.3 certificate bundle for a signing, with optional JSON-level edits. */
function v03(inst, s, edit) {
  const bundle = bundleV03Certificate(s.leaf.der, tlogEntryJson(inst.rekor, s.entry), s.digest, s.signature);
  if (edit) edit(bundle, bundle.verificationMaterial.tlogEntries[0]);
  return bundle;
}

export const CASES = [
  {
    name: 'happy-path-v0.3',
    expect: 'pass',
    family: 'bundle-format',
    tags: ['bundle-v0.3', 'key:certificate', ...HASHEDREKORD, 'tlog:inclusion-proof', ...BASE_TAGS],
    readme:
      'A v0.3 bundle from the private instance: Fulcio-style leaf with an embedded SCT, hashedrekord 0.0.1 entry with SET, inclusion proof and signed checkpoint. Every check passes: verification must succeed.',
    build(inst) {
      const s = githubSigning(inst, this.name);
      return () => ({ ...s, bundle: v03(inst, s) });
    },
  },
  {
    name: 'happy-path-v0.1',
    expect: 'pass',
    family: 'bundle-format',
    tags: ['bundle-v0.1', 'key:x509CertificateChain', ...HASHEDREKORD, 'tlog:no-inclusion-proof', ...BASE_TAGS],
    readme:
      'A v0.1 bundle: x509CertificateChain holding the leaf only, and a tlog entry with a SET but no inclusion proof (allowed for v0.1). Verification must succeed.',
    build(inst) {
      const s = githubSigning(inst, this.name);
      return () => ({
        ...s,
        bundle: {
          mediaType: BUNDLE_V01,
          verificationMaterial: {
            x509CertificateChain: { certificates: [{ rawBytes: b64(s.leaf.der) }] },
            tlogEntries: [tlogEntryJson(inst.rekor, s.entry, { inclusionProof: false })],
          },
          messageSignature: messageSignatureJson(s.digest, s.signature),
        },
      });
    },
  },
  {
    name: 'happy-path-managed-key',
    expect: 'pass',
    family: 'managed-key',
    tags: ['bundle-v0.3', 'key:publicKey', ...HASHEDREKORD, 'tlog:inclusion-proof', 'managed-key', ...BASE_TAGS],
    readme:
      'A v0.3 bundle signed with a managed P-256 key (verificationMaterial.publicKey.hint = base64 SHA-256 of the DER SubjectPublicKeyInfo, no certificate); the hashedrekord entry records the PEM public key. Verify with --key key.pub: verification must succeed.',
    build(inst) {
      const artifact = artifactFor(this.name);
      const s = signWithKey(inst, { label: this.name, artifact });
      return () => ({
        artifact,
        keyPem: s.signerKey.pem,
        bundle: {
          mediaType: BUNDLE_V03,
          verificationMaterial: {
            publicKey: { hint: b64(s.signerKey.spkiSha256) },
            tlogEntries: [tlogEntryJson(inst.rekor, s.entry)],
          },
          messageSignature: messageSignatureJson(s.digest, s.signature),
        },
      });
    },
  },
  {
    name: 'happy-path-email-identity',
    expect: 'pass',
    family: 'bundle-format',
    tags: ['bundle-v0.3', 'key:certificate', ...HASHEDREKORD, 'tlog:inclusion-proof', 'san:email', ...BASE_TAGS],
    readme:
      'A v0.3 bundle whose leaf names an e-mail address (rfc822Name SAN) issued for an OIDC issuer without CI extensions. Verification must succeed.',
    build(inst) {
      const artifact = artifactFor(this.name);
      const identity = 'signer@sigvet.test';
      const issuer = 'https://oidc.sigvet.test';
      const s = signWithCertificate(inst, { label: this.name, artifact, san: { email: identity }, oidcIssuer: issuer });
      return () => ({ ...s, artifact, identity, issuer, bundle: v03(inst, s) });
    },
  },
  {
    name: 'happy-path-dsse',
    expect: 'pass',
    family: 'dsse',
    tags: ['bundle-v0.3', 'key:certificate', 'content:dsse', 'tlog:dsse/0.0.1', 'tlog:set', 'tlog:inclusion-proof', ...BASE_TAGS],
    readme:
      'A v0.3 bundle carrying a DSSE envelope with an in-toto v1 statement whose subject is the artifact, logged as a dsse 0.0.1 entry. Verification must succeed.',
    build(inst) {
      const gh = githubWorkflow(inst.seed);
      const artifact = artifactFor(this.name);
      const statement = {
        _type: 'https://in-toto.io/Statement/v1',
        subject: [{ name: 'artifact', digest: { sha256: toHex(sha256(artifact)) } }],
        predicateType: 'https://sigvet.test/predicate/example/v1',
        predicate: { note: 'generated by vectors/generator' },
      };
      const s = signDsseWithCertificate(inst, {
        label: this.name,
        payload: enc(JSON.stringify(statement)),
        san: { uri: gh.identity },
        oidcIssuer: GITHUB_ISSUER,
        github: gh,
      });
      return () => ({
        artifact,
        identity: gh.identity,
        issuer: GITHUB_ISSUER,
        bundle: {
          mediaType: BUNDLE_V03,
          verificationMaterial: {
            certificate: { rawBytes: b64(s.leaf.der) },
            tlogEntries: [tlogEntryJson(inst.rekor, s.entry, { kind: 'dsse' })],
          },
          dsseEnvelope: s.envelope,
        },
      });
    },
  },
  {
    name: 'set-invalid-signature_fail',
    expect: 'fail',
    expectedErrorCode: 'TLOG_SET',
    family: 'tlog-set',
    tags: ['bundle-v0.3', 'key:certificate', ...HASHEDREKORD, 'tlog:inclusion-proof', ...BASE_TAGS],
    readme:
      "The signed entry timestamp's ECDSA signature has one bit flipped (still valid DER). Body, inclusion proof and checkpoint are intact, so only the SET check fails: a SET that is present must verify, even when an inclusion proof is there too.",
    build(inst) {
      const s = githubSigning(inst, this.name);
      return () => ({
        ...s,
        bundle: v03(inst, s, (_b, e) => {
          e.inclusionPromise.signedEntryTimestamp = b64(flipLastBit(s.entry.set));
        }),
      });
    },
  },
  {
    name: 'set-integrated-time-changed_fail',
    expect: 'fail',
    expectedErrorCode: 'TLOG_SET',
    family: 'tlog-set',
    tags: ['bundle-v0.3', 'key:certificate', ...HASHEDREKORD, 'tlog:inclusion-proof', ...BASE_TAGS],
    readme:
      'integratedTime is one second later than the time the log signed in the SET (still inside the certificate validity). Nothing else covers integratedTime, so only the SET check notices: the verified time must come from the SET, not from the unsigned field.',
    build(inst) {
      const s = githubSigning(inst, this.name);
      return () => ({
        ...s,
        bundle: v03(inst, s, (_b, e) => {
          e.integratedTime = String(s.entry.integratedTime + 1);
        }),
      });
    },
  },
  {
    name: 'wrong-checkpoint-signature_fail',
    expect: 'fail',
    expectedErrorCode: 'TLOG_CHECKPOINT',
    family: 'tlog-checkpoint',
    tags: ['bundle-v0.3', 'key:certificate', ...HASHEDREKORD, 'tlog:inclusion-proof', ...BASE_TAGS],
    readme:
      "The checkpoint's note text (origin, size, root hash) is correct and its signature line carries the log's key hint, but the signature was made with a different P-256 key. The inclusion proof leads to the checkpoint's root, so only the checkpoint signature check fails.",
    build(inst) {
      const s = githubSigning(inst, this.name);
      const impostor = new EcKey(inst.seed, 'rekor-impostor', 'P-256');
      return () => ({
        ...s,
        bundle: v03(inst, s, (_b, e) => {
          e.inclusionProof.checkpoint.envelope = inst.rekor.checkpoint({ signingKey: impostor });
        }),
      });
    },
  },
  {
    name: 'inclusion-proof-wrong-hash_fail',
    expect: 'fail',
    expectedErrorCode: 'TLOG_INCLUSION_PROOF',
    family: 'inclusion-proof',
    tags: ['bundle-v0.3', 'key:certificate', ...HASHEDREKORD, 'tlog:inclusion-proof', ...BASE_TAGS],
    readme:
      'One sibling hash of the inclusion proof has a bit flipped. rootHash and the signed checkpoint are genuine, so the computed root differs from the checkpoint root: only the Merkle inclusion check fails.',
    build(inst) {
      const s = githubSigning(inst, this.name);
      return () => ({
        ...s,
        bundle: v03(inst, s, (_b, e) => {
          const hashes = e.inclusionProof.hashes;
          hashes[0] = b64(flipLastBit(Buffer.from(hashes[0], 'base64')));
        }),
      });
    },
  },
  {
    name: 'sct-invalid-signature_fail',
    expect: 'fail',
    expectedErrorCode: 'SCT',
    family: 'sct',
    tags: ['bundle-v0.3', 'key:certificate', ...HASHEDREKORD, 'tlog:inclusion-proof', ...BASE_TAGS],
    readme:
      "The leaf's embedded SCT comes from the trusted CT log, but its signature has one bit flipped before the CA embedded it (the CA's signature over the certificate is valid). Only the SCT signature check fails.",
    build(inst) {
      const s = githubSigning(inst, this.name, { mutateSctSignature: flipLastBit });
      return () => ({ ...s, bundle: v03(inst, s) });
    },
  },
  {
    name: 'leaf-is-ca_fail',
    expect: 'fail',
    expectedErrorCode: 'CERTIFICATE',
    family: 'certificate-profile',
    tags: ['bundle-v0.3', 'key:certificate', ...HASHEDREKORD, 'tlog:inclusion-proof', ...BASE_TAGS],
    readme:
      'The trusted CA issued the leaf with basicConstraints CA:TRUE (critical). Chain, SCT, log entry and signature are all valid; a signing certificate must not be a CA, so the leaf profile check fails.',
    build(inst) {
      const s = githubSigning(inst, this.name, { leafIsCa: true });
      return () => ({ ...s, bundle: v03(inst, s) });
    },
  },
  {
    name: 'leaf-missing-codesigning-eku_fail',
    expect: 'fail',
    expectedErrorCode: 'CERTIFICATE',
    family: 'certificate-profile',
    tags: ['bundle-v0.3', 'key:certificate', ...HASHEDREKORD, 'tlog:inclusion-proof', ...BASE_TAGS],
    readme:
      'The trusted CA issued the leaf without an extendedKeyUsage extension (so no id-kp-codeSigning). Everything else is valid; the Fulcio leaf profile requires codeSigning, so the leaf profile check fails.',
    build(inst) {
      const s = githubSigning(inst, this.name, { omitCodeSigningEku: true });
      return () => ({ ...s, bundle: v03(inst, s) });
    },
  },
  {
    name: 'leaf-expired-at-integrated-time_fail',
    expect: 'fail',
    expectedErrorCode: 'TIME',
    family: 'certificate-validity',
    tags: ['bundle-v0.3', 'key:certificate', ...HASHEDREKORD, 'tlog:inclusion-proof', ...BASE_TAGS],
    readme:
      "The entry was integrated one minute after the leaf's notAfter (10-minute validity). The SET is valid over that integratedTime and the inclusion proof is valid, so the only failure is that the verified signing time lies outside the certificate's validity.",
    build(inst) {
      const s = githubSigning(inst, this.name, { integratedTime: (NOW_MS + 10 * MINUTE + MINUTE) / SECOND });
      return () => ({ ...s, bundle: v03(inst, s) });
    },
  },
  {
    name: 'identity-prefix-only_fail',
    expect: 'fail',
    expectedErrorCode: 'IDENTITY',
    family: 'identity',
    tags: ['bundle-v0.3', 'key:certificate', ...HASHEDREKORD, 'tlog:inclusion-proof', ...BASE_TAGS],
    readme:
      "The certificate's SAN is the workflow at refs/heads/main-unreviewed; the expected identity (identity file) is the same URI ending at refs/heads/main, a strict prefix of the real SAN. Everything verifies except the identity: only a whole-string comparison rejects it.",
    build(inst) {
      const expected = githubWorkflow(inst.seed);
      const actual = githubWorkflow(inst.seed, { ref: 'refs/heads/main-unreviewed', label: 'unreviewed' });
      const s = githubSigning(inst, this.name, { github: actual });
      return () => ({ ...s, identity: expected.identity, bundle: v03(inst, s) });
    },
  },
  {
    name: 'artifact-mismatch_fail',
    expect: 'fail',
    expectedErrorCode: 'SIGNATURE',
    family: 'signature',
    tags: ['bundle-v0.3', 'key:certificate', ...HASHEDREKORD, 'tlog:inclusion-proof', ...BASE_TAGS],
    readme:
      'The bundle is valid for a different artifact: the artifact file differs from the signed content in one character. The digest of the given artifact matches neither messageDigest nor the signature, so signature verification fails.',
    build(inst) {
      const s = githubSigning(inst, this.name);
      const tampered = artifactFor(this.name.toUpperCase());
      return () => ({ ...s, artifact: tampered, bundle: v03(inst, s) });
    },
  },
  {
    name: 'wrong-ca_fail',
    expect: 'fail',
    expectedErrorCode: 'CERT_CHAIN',
    family: 'cert-chain',
    tags: ['bundle-v0.3', 'key:certificate', ...HASHEDREKORD, 'tlog:inclusion-proof', ...BASE_TAGS],
    readme:
      "The leaf was issued by a rogue CA that copies the trusted CA's names and key identifiers (so the leaf's issuer and authorityKeyIdentifier point at the trusted intermediate) but has its own keys. The SCT (over the rogue issuer key) and the log entry are genuine; only the certificate signature check on the chain catches it.",
    build(inst) {
      const rogue = new FulcioCa(inst.seed, 'rogue-fulcio', {
        uri: inst.ca.uri,
        organization: inst.ca.subject.organization,
        rootCommonName: 'sigvet-root',
        intermediateCommonName: 'sigvet-intermediate',
        notBefore: inst.ca.notBefore,
        notAfter: Date.UTC(2035, 0, 1),
        keyIdentifiers: { root: inst.ca.rootKeyId, intermediate: inst.ca.intermediateKeyId },
      });
      const s = githubSigning(inst, this.name, { ca: rogue });
      return () => ({ ...s, bundle: v03(inst, s) });
    },
  },
  {
    name: 'tlog-body-different-key_fail',
    expect: 'fail',
    expectedErrorCode: 'TLOG_BODY',
    family: 'tlog-body',
    tags: ['bundle-v0.3', 'key:certificate', ...HASHEDREKORD, 'tlog:inclusion-proof', ...BASE_TAGS],
    readme:
      "The log entry records the right digest and signature but another certificate (a genuine leaf for a different key, same identity). The SET, inclusion proof and checkpoint are valid over that body; only the comparison of the body's key with the bundle's certificate fails.",
    build(inst) {
      const gh = githubWorkflow(inst.seed);
      const otherKey = new EcKey(inst.seed, `signer:${this.name}/other`, 'P-256');
      const other = inst.ca.issueLeaf({
        label: `${this.name}/other`,
        subjectKey: otherKey,
        san: { uri: gh.identity },
        oidcIssuer: GITHUB_ISSUER,
        github: gh,
        notBefore: NOW_MS,
        ctLog: inst.ctLog,
        sctTimestampMs: NOW_MS + 421,
      });
      const s = githubSigning(inst, this.name, { loggedPem: toPem('CERTIFICATE', other.der) });
      return () => ({ ...s, bundle: v03(inst, s) });
    },
  },
];

/** The sample under examples/sample: one artifact signed from a GitHub Actions workflow. */
export const SAMPLE = {
  artifact: enc(
    'Hello from sigvet.\n\nThis file was signed by a private Sigstore instance that exists only inside\nvectors/generator (a Fulcio-like CA, a CT log and a Rekor v1 log).\n',
  ),
  build(inst) {
    const s = githubSigning(inst, 'examples/sample', { artifact: this.artifact });
    return () => ({ ...s, bundle: v03(inst, s) });
  },
};
