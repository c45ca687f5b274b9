// Signed container images for sigvet's OCI tests and vectors: images,
// multi-platform indexes, cosign's legacy signatures (`.sig`) and
// attestations (`.att`), and Sigstore bundles attached as OCI referrers,
// all signed by the private Sigstore instance of vectors/generator (used
// as a library here; nothing in it is modified).
//
// Everything is derived from a seed and the generator's fixed clock, so a
// build is byte-identical every time. `buildOciFixtures()` returns the
// repositories (content, tags, referrers, deliberate damage) and the cases
// (what to verify and the expected outcome); layout-writer.mjs and
// registry-push.mjs put them on disk or into a registry.

import { createHash } from 'node:crypto';
import {
  openInstance,
  githubWorkflow,
  signMessageKeyless,
  signMessageWithKey,
  signDsseKeyless,
  rekorBundleAnnotation,
  dsseBundleV03,
  messageBundleV03,
  EcKey,
  GITHUB_ISSUER,
  BUNDLE_V03,
  b64,
  toPem,
} from './sigstore.mjs';

export const OCI_SEED = 'sigvet oci vectors, seed 1';
/** The registry host case references use; a registry test substitutes its own. */
export const REGISTRY_PLACEHOLDER = 'registry.test';

export const MT = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar',
  ociEmpty: 'application/vnd.oci.empty.v1+json',
  simpleSigning: 'application/vnd.dev.cosign.simplesigning.v1+json',
  dsse: 'application/vnd.dsse.envelope.v1+json',
  bundleV03: BUNDLE_V03,
};

export const ANN = {
  signature: 'dev.cosignproject.cosign/signature',
  certificate: 'dev.sigstore.cosign/certificate',
  chain: 'dev.sigstore.cosign/chain',
  bundle: 'dev.sigstore.cosign/bundle',
  predicateType: 'predicateType',
};

export const SLSA_PROVENANCE_V1 = 'https://slsa.dev/provenance/v1';
export const COSIGN_SIGN_V1 = 'https://sigstore.dev/cosign/sign/v1';
const IN_TOTO = 'application/vnd.in-toto+json';

const enc = (s) => new TextEncoder().encode(s);
const sha256hex = (b) => createHash('sha256').update(b).digest('hex');
export const digestOf = (b) => `sha256:${sha256hex(b)}`;
const json = (o) => enc(JSON.stringify(o));

/** One repository's content: blobs and manifests by digest, tags (in the order applied), referrers, damage. */
export class Repo {
  constructor(name) {
    this.name = name;
    /** digest → { bytes, mediaType } for every blob, manifests included. */
    this.content = new Map();
    /** [tag, digest] in the order a client applied them (a later entry moves the tag). */
    this.tagHistory = [];
    /** Referrer manifests: { subject, descriptor }. */
    this.referrers = [];
    /** digest → bytes that replace the stored content after upload (deliberate damage). */
    this.tampered = new Map();
  }

  blob(bytes, mediaType, annotations) {
    const digest = digestOf(bytes);
    if (!this.content.has(digest)) this.content.set(digest, { bytes, mediaType, manifest: false });
    const d = { mediaType, digest, size: bytes.length };
    if (annotations) d.annotations = annotations;
    return d;
  }

  manifest(doc) {
    const bytes = json(doc);
    const digest = digestOf(bytes);
    this.content.set(digest, { bytes, mediaType: doc.mediaType, manifest: true });
    return { mediaType: doc.mediaType, digest, size: bytes.length };
  }

  tag(tag, descriptor) {
    this.tagHistory.push([tag, descriptor]);
  }

  /** The final tag → descriptor map. */
  get tags() {
    const m = new Map();
    for (const [t, d] of this.tagHistory) m.set(t, d);
    return m;
  }
}

/** A small image: an OCI config and one layer; optional platform for the config. */
function image(repo, label, platform = { os: 'linux', architecture: 'amd64' }) {
  const layer = repo.blob(enc(`sigvet oci test image layer: ${label}\n`), MT.ociLayer);
  const config = repo.blob(
    json({
      architecture: platform.architecture,
      os: platform.os,
      ...(platform.variant ? { variant: platform.variant } : {}),
      config: { Labels: { 'org.opencontainers.image.title': label } },
      rootfs: { type: 'layers', diff_ids: [layer.digest] },
    }),
    MT.ociConfig,
  );
  return repo.manifest({ schemaVersion: 2, mediaType: MT.ociManifest, config, layers: [layer] });
}

function index(repo, entries) {
  return repo.manifest({
    schemaVersion: 2,
    mediaType: MT.ociIndex,
    manifests: entries.map(({ descriptor, platform }) => ({ ...descriptor, platform })),
  });
}

/** cosign's simple-signing payload for `digest`. */
export function simpleSigningPayload(dockerReference, digest, optional = null) {
  return json({
    critical: {
      identity: { 'docker-reference': dockerReference },
      image: { 'docker-manifest-digest': digest },
      type: 'cosign container image signature',
    },
    optional,
  });
}

/** The config blob cosign writes for signature images. */
function cosignConfig(repo, layers) {
  return repo.blob(
    json({
      architecture: '',
      created: '0001-01-01T00:00:00Z',
      history: [{ created: '0001-01-01T00:00:00Z' }],
      os: '',
      rootfs: { type: 'layers', diff_ids: layers.map((l) => l.digest) },
      config: {},
    }),
    MT.ociConfig,
  );
}

/** Stores cosign's `.sig` (or `.att`) image for `subjectDigest` with the given layers. */
function cosignTagImage(repo, subjectDigest, suffix, layers) {
  const m = repo.manifest({ schemaVersion: 2, mediaType: MT.ociManifest, config: cosignConfig(repo, layers), layers });
  repo.tag(`sha256-${subjectDigest.slice(7)}${suffix}`, m);
  return m;
}

/** A keyless legacy signature layer (not yet stored): payload bytes + annotations. */
function keylessSignatureLayer(sig, o) {
  const payload = simpleSigningPayload(o.dockerReference, o.digest, o.optional ?? null);
  const s = signMessageKeyless(sig.inst, `sig:${o.label}`, o.signer, payload);
  return {
    payload,
    annotations: {
      [ANN.signature]: b64(o.mutateSignature ? o.mutateSignature(s.signature) : s.signature),
      [ANN.certificate]: toPem('CERTIFICATE', s.leaf.der),
      [ANN.chain]: sig.chainPem(),
      [ANN.bundle]: rekorBundleAnnotation(sig.inst, s.entry),
    },
  };
}

/** A managed-key legacy signature layer. */
function keySignatureLayer(sig, o) {
  const payload = simpleSigningPayload(o.dockerReference, o.digest);
  const s = signMessageWithKey(sig.inst, o.label, payload);
  return {
    payload,
    keyPem: s.keyPem,
    annotations: { [ANN.signature]: b64(s.signature), [ANN.bundle]: rekorBundleAnnotation(sig.inst, s.entry) },
  };
}

/** An in-toto statement about `digest`. */
function statement(name, digest, predicateType, predicate) {
  return json({ _type: 'https://in-toto.io/Statement/v1', subject: [{ name, digest: { sha256: digest.slice(7) } }], predicateType, predicate });
}

function provenance(signer) {
  return {
    buildDefinition: {
      buildType: 'https://actions.github.io/buildtypes/workflow/v1',
      externalParameters: { workflow: { ref: signer.ref, repository: `https://github.com/${signer.repository}`, path: signer.workflowPath } },
      resolvedDependencies: [{ uri: `git+https://github.com/${signer.repository}@${signer.ref}`, digest: { gitCommit: signer.sha } }],
    },
    runDetails: { builder: { id: `https://github.com/${signer.repository}/${signer.workflowPath}@${signer.ref}` }, metadata: { invocationId: signer.runId } },
  };
}

/** A cosign `.att` layer: a DSSE envelope, logged as intoto 0.0.2 (as `cosign attest` does), with a Fulcio certificate. */
function keylessAttestationLayer(sig, o) {
  const s = signDsseKeyless(sig.inst, `att:${o.label}`, o.signer, o.payload, 'intoto');
  return {
    envelope: enc(s.envelopeJson),
    annotations: {
      [ANN.signature]: '',
      [ANN.certificate]: toPem('CERTIFICATE', s.leaf.der),
      [ANN.chain]: sig.chainPem(),
      [ANN.bundle]: rekorBundleAnnotation(sig.inst, s.entry),
      [ANN.predicateType]: o.predicateType,
    },
  };
}

/**
 * A v0.3 bundle of a DSSE statement (logged as dsse 0.0.1), to attach as a
 * referrer. Signing happens now; the returned function assembles the bundle
 * once the log is sealed (it carries the inclusion proof).
 */
function dsseBundleLater(sig, o) {
  const s = signDsseKeyless(sig.inst, `bundle:${o.label}`, o.signer, o.payload, 'dsse');
  return () => dsseBundleV03(sig.inst, s);
}

/** Attaches a bundle to `subject` as an OCI 1.1 artifact manifest (cosign's bundle spec). */
function attachBundle(repo, subject, bundle, predicateType, content = 'dsse-envelope') {
  const bytes = json(bundle);
  const layer = repo.blob(bytes, MT.bundleV03, { 'org.opencontainers.image.title': `sha256-${sha256hex(bytes)}.sigstore.json` });
  const annotations = predicateType ? { 'dev.sigstore.bundle.content': content, 'dev.sigstore.bundle.predicateType': predicateType } : { 'dev.sigstore.bundle.content': content };
  const config = repo.blob(enc('{}'), MT.ociEmpty);
  const m = repo.manifest({
    schemaVersion: 2,
    mediaType: MT.ociManifest,
    artifactType: MT.bundleV03,
    config,
    layers: [layer],
    subject,
    annotations,
  });
  repo.referrers.push({ subject: subject.digest, descriptor: { ...m, artifactType: MT.bundleV03, annotations } });
  return m;
}

function storeLayer(repo, bytes, mediaType, annotations) {
  return repo.blob(bytes, mediaType, annotations);
}

/**
 * Builds every repository and case. Returns `{ trustedRoot, identity,
 * issuer, repos: Map<name, Repo>, cases: [...] }`.
 */
export function buildOciFixtures(seed = OCI_SEED) {
  const inst = openInstance(seed);
  const signer = githubWorkflow(seed);
  const otherSigner = githubWorkflow(seed, { ref: 'refs/tags/v1.0.0', label: 'attestations' });
  const repos = new Map();
  const later = [];
  const newRepo = (n) => {
    const r = new Repo(`sigvet-test/${n}`);
    repos.set(n, r);
    return r;
  };

  // signed-keyless: a legacy keyless signature and a provenance attestation.
  {
    const r = newRepo('signed-keyless');
    const img = image(r, 'signed-keyless');
    r.tag('v1', img);
    const sig = keylessSignatureLayer(inst, { label: 'signed-keyless', dockerReference: `${REGISTRY_PLACEHOLDER}/${r.name}`, digest: img.digest, signer, optional: { env: 'prod' } });
    cosignTagImage(r, img.digest, '.sig', [storeLayer(r, sig.payload, MT.simpleSigning, sig.annotations)]);
    const att = keylessAttestationLayer(inst, { label: 'signed-keyless', signer, predicateType: SLSA_PROVENANCE_V1, payload: statement(`${REGISTRY_PLACEHOLDER}/${r.name}`, img.digest, SLSA_PROVENANCE_V1, provenance(signer)) });
    cosignTagImage(r, img.digest, '.att', [storeLayer(r, att.envelope, MT.dsse, att.annotations)]);
    r.imageDigest = img.digest;
  }

  // signed-bundles: cosign v3 style, Sigstore bundles as referrers.
  {
    const r = newRepo('signed-bundles');
    const img = image(r, 'signed-bundles');
    r.tag('v1', img);
    const sigLater = dsseBundleLater(inst, { label: 'signed-bundles-sign', signer, payload: statement(`${REGISTRY_PLACEHOLDER}/${r.name}`, img.digest, COSIGN_SIGN_V1, {}) });
    const provLater = dsseBundleLater(inst, { label: 'signed-bundles-prov', signer, payload: statement(`${REGISTRY_PLACEHOLDER}/${r.name}`, img.digest, SLSA_PROVENANCE_V1, provenance(signer)) });
    later.push(() => {
      attachBundle(r, img, sigLater(), COSIGN_SIGN_V1);
      attachBundle(r, img, provLater(), SLSA_PROVENANCE_V1);
    });
    r.imageDigest = img.digest;
  }

  // managed-key: a legacy signature with a managed key.
  let keyPem;
  {
    const r = newRepo('managed-key');
    const img = image(r, 'managed-key');
    r.tag('v1', img);
    const sig = keySignatureLayer(inst, { label: 'managed-key', dockerReference: `${REGISTRY_PLACEHOLDER}/${r.name}`, digest: img.digest });
    keyPem = sig.keyPem;
    cosignTagImage(r, img.digest, '.sig', [storeLayer(r, sig.payload, MT.simpleSigning, sig.annotations)]);
    r.imageDigest = img.digest;
  }
  const otherKeyPem = new EcKey(seed, 'oci-unrelated-key', 'P-256').pem;

  // multi-platform: an index (signed) of amd64 (signed) and arm64 (not signed).
  {
    const r = newRepo('multi-platform');
    const amd64 = image(r, 'multi-platform amd64', { os: 'linux', architecture: 'amd64' });
    const arm64 = image(r, 'multi-platform arm64', { os: 'linux', architecture: 'arm64', variant: 'v8' });
    const idx = index(r, [
      { descriptor: amd64, platform: { architecture: 'amd64', os: 'linux' } },
      { descriptor: arm64, platform: { architecture: 'arm64', os: 'linux', variant: 'v8' } },
    ]);
    r.tag('v1', idx);
    for (const [label, d] of [['index', idx], ['amd64', amd64]]) {
      const sig = keylessSignatureLayer(inst, { label: `multi-platform-${label}`, dockerReference: `${REGISTRY_PLACEHOLDER}/${r.name}`, digest: d.digest, signer });
      cosignTagImage(r, d.digest, '.sig', [storeLayer(r, sig.payload, MT.simpleSigning, sig.annotations)]);
    }
    r.imageDigest = idx.digest;
    r.platformDigests = { 'linux/amd64': amd64.digest, 'linux/arm64': arm64.digest };
  }

  // signature-for-another-digest: B's `.sig` holds a signature whose payload names A.
  {
    const r = newRepo('signature-for-another-digest');
    const a = image(new Repo('elsewhere'), 'the image that was signed');
    const b = image(r, 'another image');
    r.tag('v1', b);
    const sig = keylessSignatureLayer(inst, { label: 'signature-for-another-digest', dockerReference: `${REGISTRY_PLACEHOLDER}/${r.name}`, digest: a.digest, signer });
    cosignTagImage(r, b.digest, '.sig', [storeLayer(r, sig.payload, MT.simpleSigning, sig.annotations)]);
    r.imageDigest = b.digest;
  }

  // tampered-signature-layer: the payload blob's stored bytes differ from its digest.
  {
    const r = newRepo('tampered-signature-layer');
    const img = image(r, 'tampered-signature-layer');
    r.tag('v1', img);
    const sig = keylessSignatureLayer(inst, { label: 'tampered-signature-layer', dockerReference: `${REGISTRY_PLACEHOLDER}/${r.name}`, digest: img.digest, signer });
    const layer = storeLayer(r, sig.payload, MT.simpleSigning, sig.annotations);
    cosignTagImage(r, img.digest, '.sig', [layer]);
    const bad = Uint8Array.from(sig.payload);
    bad[bad.length - 3] ^= 0x20; // "null" → "nuLl": same size, other bytes
    r.tampered.set(layer.digest, bad);
    r.imageDigest = img.digest;
  }

  // tampered-signature: the signature annotation has one bit flipped.
  {
    const r = newRepo('tampered-signature');
    const img = image(r, 'tampered-signature');
    r.tag('v1', img);
    const sig = keylessSignatureLayer(inst, {
      label: 'tampered-signature',
      dockerReference: `${REGISTRY_PLACEHOLDER}/${r.name}`,
      digest: img.digest,
      signer,
      mutateSignature: (s) => {
        const o = Uint8Array.from(s);
        o[o.length - 1] ^= 0x01;
        return o;
      },
    });
    cosignTagImage(r, img.digest, '.sig', [storeLayer(r, sig.payload, MT.simpleSigning, sig.annotations)]);
    r.imageDigest = img.digest;
  }

  // tag-moved: v1 was signed, then moved to an unsigned image.
  {
    const r = newRepo('tag-moved');
    const a = image(r, 'tag-moved: the signed image');
    const b = image(r, 'tag-moved: the image the tag now names');
    r.tag('v1', a);
    const sig = keylessSignatureLayer(inst, { label: 'tag-moved', dockerReference: `${REGISTRY_PLACEHOLDER}/${r.name}`, digest: a.digest, signer });
    cosignTagImage(r, a.digest, '.sig', [storeLayer(r, sig.payload, MT.simpleSigning, sig.annotations)]);
    r.tag('v1', b);
    r.imageDigest = a.digest;
    r.movedTo = b.digest;
  }

  // attestation-only: a provenance bundle referrer and no signature.
  {
    const r = newRepo('attestation-only');
    const img = image(r, 'attestation-only');
    r.tag('v1', img);
    const provLater = dsseBundleLater(inst, { label: 'attestation-only', signer, payload: statement(`${REGISTRY_PLACEHOLDER}/${r.name}`, img.digest, SLSA_PROVENANCE_V1, provenance(signer)) });
    later.push(() => attachBundle(r, img, provLater(), SLSA_PROVENANCE_V1));
    r.imageDigest = img.digest;
  }

  // attestation-wrong-subject: signed, but the attestation's statement is about another digest.
  {
    const r = newRepo('attestation-wrong-subject');
    const img = image(r, 'attestation-wrong-subject');
    const other = image(new Repo('elsewhere'), 'attestation-wrong-subject: other');
    r.tag('v1', img);
    const sig = keylessSignatureLayer(inst, { label: 'attestation-wrong-subject', dockerReference: `${REGISTRY_PLACEHOLDER}/${r.name}`, digest: img.digest, signer });
    cosignTagImage(r, img.digest, '.sig', [storeLayer(r, sig.payload, MT.simpleSigning, sig.annotations)]);
    const att = keylessAttestationLayer(inst, { label: 'attestation-wrong-subject', signer, predicateType: SLSA_PROVENANCE_V1, payload: statement(`${REGISTRY_PLACEHOLDER}/${r.name}`, other.digest, SLSA_PROVENANCE_V1, provenance(signer)) });
    cosignTagImage(r, img.digest, '.att', [storeLayer(r, att.envelope, MT.dsse, att.annotations)]);
    r.imageDigest = img.digest;
  }

  // attestation-other-signer: image signed by the release workflow, provenance by a tag build.
  {
    const r = newRepo('attestation-other-signer');
    const img = image(r, 'attestation-other-signer');
    r.tag('v1', img);
    const sig = keylessSignatureLayer(inst, { label: 'attestation-other-signer', dockerReference: `${REGISTRY_PLACEHOLDER}/${r.name}`, digest: img.digest, signer });
    cosignTagImage(r, img.digest, '.sig', [storeLayer(r, sig.payload, MT.simpleSigning, sig.annotations)]);
    const att = keylessAttestationLayer(inst, { label: 'attestation-other-signer', signer: otherSigner, predicateType: SLSA_PROVENANCE_V1, payload: statement(`${REGISTRY_PLACEHOLDER}/${r.name}`, img.digest, SLSA_PROVENANCE_V1, provenance(otherSigner)) });
    cosignTagImage(r, img.digest, '.att', [storeLayer(r, att.envelope, MT.dsse, att.annotations)]);
    r.imageDigest = img.digest;
  }

  // message-signature-referrer: a v0.3 bundle whose message signature is over the manifest bytes.
  {
    const r = newRepo('message-signature-referrer');
    const img = image(r, 'message-signature-referrer');
    r.tag('v1', img);
    const manifestBytes = r.content.get(img.digest).bytes;
    const s = signMessageKeyless(inst.inst, 'message-signature-referrer', signer, manifestBytes);
    later.push(() => attachBundle(r, img, messageBundleV03(inst.inst, s, manifestBytes), undefined, 'message-signature'));
    r.imageDigest = img.digest;
  }

  // tampered-manifest: the image manifest's stored bytes differ from its digest.
  {
    const r = newRepo('tampered-manifest');
    const img = image(r, 'tampered-manifest');
    r.tag('v1', img);
    const sig = keylessSignatureLayer(inst, { label: 'tampered-manifest', dockerReference: `${REGISTRY_PLACEHOLDER}/${r.name}`, digest: img.digest, signer });
    cosignTagImage(r, img.digest, '.sig', [storeLayer(r, sig.payload, MT.simpleSigning, sig.annotations)]);
    const good = r.content.get(img.digest).bytes;
    const bad = enc(new TextDecoder().decode(good).replace('"schemaVersion":2', '"schemaVersion":2 '));
    r.tampered.set(img.digest, bad);
    r.imageDigest = img.digest;
  }

  inst.seal();
  for (const f of later) f();

  const id = signer.identity;
  const C = (o) => ({ identity: o.key ? null : id, issuer: o.key ? null : GITHUB_ISSUER, key: null, platform: null, attestations: false, predicate_types: null, signatures: true, attestation_identity: null, expected_error_code: null, expected_check: null, ...o });
  const digestRef = (n) => `${REGISTRY_PLACEHOLDER}/${repos.get(n).name}@${repos.get(n).imageDigest}`;
  const tagRef = (n) => `${REGISTRY_PLACEHOLDER}/${repos.get(n).name}:v1`;
  const cases = [
    C({ name: 'keyless-legacy-signature', layout: 'signed-keyless', reference: tagRef('signed-keyless'), expect: 'pass', readme: 'A cosign legacy keyless signature (.sig tag: simple-signing payload, certificate, chain and Rekor bundle annotations). Verifies.' }),
    C({ name: 'keyless-legacy-attestation', layout: 'signed-keyless', reference: digestRef('signed-keyless'), attestations: true, predicate_types: [SLSA_PROVENANCE_V1], expect: 'pass', readme: 'The same image with its cosign .att attestation (DSSE envelope, intoto 0.0.2 Rekor entry): signature and SLSA provenance both verify.' }),
    C({ name: 'bundle-referrers', layout: 'signed-bundles', reference: tagRef('signed-bundles'), attestations: true, predicate_types: [SLSA_PROVENANCE_V1], expect: 'pass', readme: 'Sigstore v0.3 bundles attached as OCI 1.1 referrers (cosign v3 style): an in-toto statement of predicate type https://sigstore.dev/cosign/sign/v1 is the signature, a SLSA provenance statement the attestation. Both verify.' }),
    C({ name: 'bundle-message-signature', layout: 'message-signature-referrer', reference: tagRef('message-signature-referrer'), expect: 'pass', readme: 'A v0.3 bundle attached as a referrer whose message signature is over the image manifest bytes (its digest is the image digest): a signature of the image.' }),
    C({ name: 'managed-key', layout: 'managed-key', reference: tagRef('managed-key'), key: 'key.pub', expect: 'pass', readme: 'A legacy signature made with a managed key (no certificate); the Rekor entry records the public key. Verifies with --key.' }),
    C({ name: 'multi-platform-index', layout: 'multi-platform', reference: tagRef('multi-platform'), expect: 'pass', readme: 'A multi-platform index whose own digest is signed. Without a platform, the index is what is verified.' }),
    C({ name: 'multi-platform-amd64', layout: 'multi-platform', reference: tagRef('multi-platform'), platform: 'linux/amd64', expect: 'pass', readme: 'The same index with --platform linux/amd64: the amd64 manifest has its own signature, which verifies.' }),
    C({ name: 'multi-platform-arm64-unsigned_fail', layout: 'multi-platform', reference: tagRef('multi-platform'), platform: 'linux/arm64', expect: 'fail', expected_error_code: 'THRESHOLD', expected_check: 'image.signatures', readme: "--platform linux/arm64: that manifest is not signed. The index's signature must not be used in its place (no silent fallback)." }),
    C({ name: 'wrong-identity_fail', layout: 'signed-keyless', reference: tagRef('signed-keyless'), identity: `${id.replace('refs/heads/main', 'refs/heads/dev')}`, expect: 'fail', expected_error_code: 'IDENTITY', expected_check: 'identity.subjectAlternativeName', readme: 'A valid signature, checked against another expected identity (refs/heads/dev instead of refs/heads/main).' }),
    C({ name: 'managed-key-wrong-key_fail', layout: 'managed-key', reference: tagRef('managed-key'), key: 'other-key.pub', expect: 'fail', expected_error_code: 'SIGNATURE', expected_check: 'signature.message', readme: 'The managed-key signature checked with an unrelated key.' }),
    C({ name: 'signature-for-another-digest_fail', layout: 'signature-for-another-digest', reference: tagRef('signature-for-another-digest'), expect: 'fail', expected_error_code: 'SIGNATURE', expected_check: 'cosign.payload.digest', readme: "The image's .sig tag holds a valid signature of another image (copied): its simple-signing payload names another manifest digest." }),
    C({ name: 'tampered-signature-layer_fail', layout: 'tampered-signature-layer', reference: tagRef('tampered-signature-layer'), expect: 'fail', expected_error_code: 'SIGNATURE', expected_check: 'oci.digest', readme: 'The stored simple-signing payload blob was altered after upload (same size): its bytes do not match the layer digest.' }),
    C({ name: 'tampered-signature_fail', layout: 'tampered-signature', reference: tagRef('tampered-signature'), expect: 'fail', expected_error_code: 'SIGNATURE', expected_check: 'signature.message', readme: 'The signature annotation has one bit flipped.' }),
    C({ name: 'missing-attestation_fail', layout: 'managed-key', reference: tagRef('managed-key'), key: 'key.pub', attestations: true, expect: 'fail', expected_error_code: 'THRESHOLD', expected_check: 'image.attestations', readme: 'A signed image with no attestation, verified with attestations required.' }),
    C({ name: 'wrong-predicate-type_fail', layout: 'signed-keyless', reference: tagRef('signed-keyless'), attestations: true, predicate_types: ['https://spdx.dev/Document'], expect: 'fail', expected_error_code: 'THRESHOLD', expected_check: 'image.attestations.predicate_type', readme: 'An SPDX SBOM attestation is required; the image has only SLSA provenance (CVE-2022-35929: a missing attestation type must not pass).' }),
    C({ name: 'tag-moved-after-signing_fail', layout: 'tag-moved', reference: tagRef('tag-moved'), expect: 'fail', expected_error_code: 'THRESHOLD', expected_check: 'image.signatures', readme: 'v1 was signed, then moved to another (unsigned) image. By tag, the image verified is the one v1 names now: it has no signature.' }),
    C({ name: 'tag-moved-pinned-digest', layout: 'tag-moved', reference: digestRef('tag-moved'), expect: 'pass', readme: 'The same repository verified by the digest that was signed: pinning the digest is how to verify exactly one image.' }),
    C({ name: 'attestation-is-not-a-signature_fail', layout: 'attestation-only', reference: tagRef('attestation-only'), expect: 'fail', expected_error_code: 'THRESHOLD', expected_check: 'image.signatures', readme: 'Only a SLSA provenance bundle is attached. It verifies as an attestation but is not a signature of the image.' }),
    C({ name: 'attestation-wrong-subject_fail', layout: 'attestation-wrong-subject', reference: tagRef('attestation-wrong-subject'), attestations: true, expect: 'fail', expected_error_code: 'SUBJECT', expected_check: 'subject.digest', readme: "The image is signed, but its attestation's statement names another digest as subject." }),
    C({ name: 'attestation-other-signer', layout: 'attestation-other-signer', reference: tagRef('attestation-other-signer'), attestations: true, attestation_identity: otherSigner.identity, expect: 'pass', readme: 'The signature is by the release workflow on main, the provenance by a tag build: each is checked against its own identity.' }),
    C({ name: 'attestation-other-signer_fail', layout: 'attestation-other-signer', reference: tagRef('attestation-other-signer'), attestations: true, expect: 'fail', expected_error_code: 'IDENTITY', expected_check: 'identity.subjectAlternativeName', readme: "The same image, with the image signer's identity required of the attestation too: the provenance's signer differs." }),
    C({ name: 'tampered-manifest_fail', layout: 'tampered-manifest', reference: tagRef('tampered-manifest'), expect: 'fail', expected_error_code: 'SIGNATURE', expected_check: 'oci.digest', readme: "The image manifest's stored bytes were altered: they no longer match the digest, so nothing is verified." }),
  ];
  return { trustedRoot: inst.trustedRoot(), identity: id, issuer: GITHUB_ISSUER, keyPem, otherKeyPem, otherIdentity: otherSigner.identity, repos, cases };
}
