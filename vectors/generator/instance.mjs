// The private Sigstore instance the vectors come from: a Fulcio-like CA, a CT
// log, a Rekor v1 log, the trusted root describing them, and the client side
// (sign an artifact, log it, assemble a bundle). Everything is derived from a
// seed string and a fixed clock; nothing reads the wall clock or a random
// source.

import { EcKey, sha256, toPem, b64, deriveBytes, concat } from './keys.mjs';
import { toHex } from './der.mjs';
import { FulcioCa } from './ca.mjs';
import { CtLog } from './ctlog.mjs';
import { RekorLog, hashedRekordBody, dsseBody, canonicalJson } from './rekor.mjs';

export const SEED = 'sigvet test vectors, seed 1';
/** "Now" for the whole instance: every certificate, SCT and log entry is dated from it. */
export const NOW_MS = Date.UTC(2026, 0, 15, 12, 0, 0);
export const SECOND = 1000;
export const MINUTE = 60 * SECOND;

const INSTANCE_VALID_FROM = Date.UTC(2025, 0, 1, 0, 0, 0);
const INSTANCE_VALID_TO = Date.UTC(2035, 0, 1, 0, 0, 0);

export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';

/** GitHub Actions claims for a workflow run in the (fictional) sigvet-test/app repository. */
export function githubWorkflow(seed, { ref = 'refs/heads/main', label = 'default' } = {}) {
  const repository = 'sigvet-test/app';
  const workflowPath = '.github/workflows/release.yml';
  return {
    repository,
    workflowPath,
    ref,
    workflowName: 'Release',
    eventName: 'push',
    sha: toHex(deriveBytes(seed, `git-sha:${label}`, 20)),
    repositoryId: '900000001',
    ownerId: '900000000',
    runId: '7000000001',
    identity: `https://github.com/${repository}/${workflowPath}@${ref}`,
  };
}

/** RFC 3339 as protobuf-JSON writes a Timestamp: no fractional part when it is zero. */
export function rfc3339(ms) {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

export function createInstance(seed = SEED) {
  const ca = new FulcioCa(seed, 'fulcio', {
    uri: 'https://fulcio.sigvet.test',
    organization: 'sigvet.test',
    rootCommonName: 'sigvet-root',
    intermediateCommonName: 'sigvet-intermediate',
    notBefore: INSTANCE_VALID_FROM,
    notAfter: INSTANCE_VALID_TO,
  });
  const ctLog = new CtLog(seed, 'ctfe');
  const treeId = (BigInt('0x' + toHex(deriveBytes(seed, 'rekor-tree-id', 8))) & 0x7fffffffffffffffn).toString();
  const rekor = new RekorLog(seed, 'rekor', { host: 'rekor.sigvet.test', treeId, baseUrl: 'https://rekor.sigvet.test' });

  // Entries other clients logged before ours, so proofs have real siblings.
  for (let i = 0; i < 5; i++) {
    const key = new EcKey(seed, `filler-signer:${i}`, 'P-256');
    const artifact = new TextEncoder().encode(`an earlier artifact, number ${i}\n`);
    rekor.append(
      hashedRekordBody({ digestHex: toHex(sha256(artifact)), signature: key.sign(artifact), publicKeyPem: key.pem }),
      NOW_MS / SECOND - (5 - i) * 60,
    );
  }

  return { seed, ca, ctLog, rekor };
}

/** The instance's trusted root, shaped like the public-good trusted_root.json. */
export function trustedRootJson(inst) {
  const start = rfc3339(INSTANCE_VALID_FROM);
  const logKey = (log, baseUrl) => ({
    baseUrl,
    hashAlgorithm: 'SHA2_256',
    publicKey: { rawBytes: b64(log.key.spki), keyDetails: log.key.keyDetails, validFor: { start } },
    logId: { keyId: b64(log.logId) },
  });
  return {
    mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    tlogs: [logKey(inst.rekor, inst.rekor.baseUrl)],
    certificateAuthorities: [
      {
        subject: inst.ca.subject,
        uri: inst.ca.uri,
        certChain: { certificates: inst.ca.chain.map((der) => ({ rawBytes: b64(der) })) },
        validFor: { start },
      },
    ],
    ctlogs: [logKey(inst.ctLog, 'https://ctfe.sigvet.test')],
  };
}

/**
 * The client flow with a Fulcio certificate: get a leaf for a fresh key,
 * sign the artifact, log a hashedrekord entry. Returns everything a case
 * needs to assemble (or damage) a bundle.
 *
 * `o.ca` defaults to the instance's CA; `o.integratedTime` defaults to a few
 * seconds after issuance; leaf options (leafIsCa, omitCodeSigningEku,
 * mutateSctSignature, san, github) pass through to the CA.
 */
export function signWithCertificate(inst, o) {
  const signerKey = new EcKey(inst.seed, `signer:${o.label}`, 'P-256');
  const issuedAt = o.issuedAt ?? NOW_MS;
  const leaf = (o.ca ?? inst.ca).issueLeaf({
    label: o.label,
    subjectKey: signerKey,
    san: o.san,
    oidcIssuer: o.oidcIssuer,
    github: o.github,
    notBefore: issuedAt,
    ctLog: inst.ctLog,
    sctTimestampMs: issuedAt + 421, // the log answers a moment after issuance
    leafIsCa: o.leafIsCa,
    omitCodeSigningEku: o.omitCodeSigningEku,
    mutateSctSignature: o.mutateSctSignature,
  });
  const signature = signerKey.sign(o.artifact);
  const digest = sha256(o.artifact);
  const loggedPem = o.loggedPem ?? toPem('CERTIFICATE', leaf.der);
  const body = hashedRekordBody({ digestHex: toHex(digest), signature, publicKeyPem: loggedPem });
  const integratedTime = o.integratedTime ?? issuedAt / SECOND + 3;
  const entry = inst.rekor.append(body, integratedTime);
  return { signerKey, leaf, signature, digest, body, entry };
}

/** The client flow with a managed (long-lived) key instead of a certificate. */
export function signWithKey(inst, o) {
  const signerKey = new EcKey(inst.seed, `managed-key:${o.label}`, 'P-256');
  const signature = signerKey.sign(o.artifact);
  const digest = sha256(o.artifact);
  const body = hashedRekordBody({ digestHex: toHex(digest), signature, publicKeyPem: signerKey.pem });
  const entry = inst.rekor.append(body, o.integratedTime ?? NOW_MS / SECOND + 3);
  return { signerKey, signature, digest, body, entry };
}

/** DSSE pre-authentication encoding (DSSE v1 protocol). */
export function pae(payloadType, payload) {
  const enc = new TextEncoder();
  const type = enc.encode(payloadType);
  return concat(enc.encode(`DSSEv1 ${type.length} `), type, enc.encode(` ${payload.length} `), payload);
}

/** The client flow for an in-toto statement in a DSSE envelope, logged as a dsse 0.0.1 entry. */
export function signDsseWithCertificate(inst, o) {
  const signerKey = new EcKey(inst.seed, `signer:${o.label}`, 'P-256');
  const issuedAt = o.issuedAt ?? NOW_MS;
  const leaf = inst.ca.issueLeaf({
    label: o.label,
    subjectKey: signerKey,
    san: o.san,
    oidcIssuer: o.oidcIssuer,
    github: o.github,
    notBefore: issuedAt,
    ctLog: inst.ctLog,
    sctTimestampMs: issuedAt + 421,
  });
  const payloadType = 'application/vnd.in-toto+json';
  const signature = signerKey.sign(pae(payloadType, o.payload));
  const envelope = { payload: b64(o.payload), payloadType, signatures: [{ sig: b64(signature) }] };
  // Rekor hashes the envelope as submitted; the client here submits its canonical JSON.
  const body = dsseBody({
    envelopeJson: canonicalJson(envelope),
    payload: o.payload,
    signature,
    verifierPem: toPem('CERTIFICATE', leaf.der),
  });
  const entry = inst.rekor.append(body, issuedAt / SECOND + 3);
  return { signerKey, leaf, signature, envelope, body, entry };
}

/** One tlogEntries[] element as a v0.3 bundle carries it (inclusion proof needs a sealed log). */
export function tlogEntryJson(rekor, entry, { kind = 'hashedrekord', inclusionProof = true, checkpoint } = {}) {
  const out = {
    logIndex: String(entry.logIndex),
    logId: { keyId: b64(rekor.logId) },
    kindVersion: { kind, version: '0.0.1' },
    integratedTime: String(entry.integratedTime),
    inclusionPromise: { signedEntryTimestamp: b64(entry.set) },
  };
  if (inclusionProof) {
    const p = rekor.inclusionProof(entry.logIndex);
    out.inclusionProof = {
      logIndex: String(p.logIndex),
      rootHash: b64(p.rootHash),
      treeSize: String(p.treeSize),
      hashes: p.hashes.map(b64),
      checkpoint: { envelope: checkpoint ?? rekor.checkpoint() },
    };
  }
  out.canonicalizedBody = b64(entry.body);
  return out;
}

export const BUNDLE_V03 = 'application/vnd.dev.sigstore.bundle.v0.3+json';
export const BUNDLE_V01 = 'application/vnd.dev.sigstore.bundle+json;version=0.1';

export function messageSignatureJson(digest, signature) {
  return { messageDigest: { algorithm: 'SHA2_256', digest: b64(digest) }, signature: b64(signature) };
}

/** A v0.3 bundle with a single leaf certificate and a message signature. */
export function bundleV03Certificate(certDer, tlogEntry, digest, signature) {
  return {
    mediaType: BUNDLE_V03,
    verificationMaterial: { certificate: { rawBytes: b64(certDer) }, tlogEntries: [tlogEntry] },
    messageSignature: messageSignatureJson(digest, signature),
  };
}

/** Flips the lowest bit of the last byte: for DER ECDSA signatures this changes s and keeps the encoding valid. */
export function flipLastBit(bytes) {
  const out = Uint8Array.from(bytes);
  out[out.length - 1] ^= 0x01;
  return out;
}

export { b64, toPem, sha256, toHex };
