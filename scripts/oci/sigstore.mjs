// The signing side for the OCI fixtures: a thin layer over the private
// Sigstore instance of vectors/generator that uses only its stable core
// (the CA's leaf issuance, the CT log, the Rekor v1 log, the trusted root,
// seed-derived keys). Log bodies, SET-carrying entries and bundle JSON are
// written here, so changes to the generator's case machinery do not reach
// these fixtures.

import { createHash } from 'node:crypto';
import { createInstance, trustedRootJson, githubWorkflow, GITHUB_ISSUER, NOW_MS } from '../../vectors/generator/instance.mjs';
import { EcKey } from '../../vectors/generator/keys.mjs';

export { githubWorkflow, GITHUB_ISSUER, NOW_MS, EcKey };

const enc = (s) => new TextEncoder().encode(s);
export const b64 = (bytes) => Buffer.from(bytes).toString('base64');
export const hex = (bytes) => Buffer.from(bytes).toString('hex');
export const sha256 = (b) => new Uint8Array(createHash('sha256').update(b).digest());
export const IN_TOTO = 'application/vnd.in-toto+json';
export const BUNDLE_V03 = 'application/vnd.dev.sigstore.bundle.v0.3+json';

/** PEM with 64-character lines, as Go writes it. */
export function toPem(label, der) {
  const lines = b64(der).match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** JSON with sorted keys and no whitespace (Rekor's canonical form for these bodies). */
export function canonicalJson(v) {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v !== null && typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson(v[k])}`).join(',')}}`;
  return JSON.stringify(v);
}

/** DSSE v1 pre-authentication encoding. */
export function pae(payloadType, payload) {
  const t = enc(payloadType);
  return Buffer.concat([enc(`DSSEv1 ${t.length} `), t, enc(` ${payload.length} `), payload]);
}

const hashedRekordBody = (digest, signature, pem) =>
  enc(canonicalJson({ apiVersion: '0.0.1', kind: 'hashedrekord', spec: { data: { hash: { algorithm: 'sha256', value: hex(digest) } }, signature: { content: b64(signature), publicKey: { content: b64(enc(pem)) } } } }));

const dsseBody = (envelopeJson, payload, signature, pem) =>
  enc(canonicalJson({ apiVersion: '0.0.1', kind: 'dsse', spec: { envelopeHash: { algorithm: 'sha256', value: hex(sha256(enc(envelopeJson))) }, payloadHash: { algorithm: 'sha256', value: hex(sha256(payload)) }, signatures: [{ signature: b64(signature), verifier: b64(enc(pem)) }] } }));

/** Rekor v1 intoto 0.0.2: the payload is left out; signature and key are base64 twice. */
const intotoBody = (envelopeJson, payload, signature, pem) =>
  enc(
    canonicalJson({
      apiVersion: '0.0.2',
      kind: 'intoto',
      spec: {
        content: {
          envelope: { payloadType: IN_TOTO, signatures: [{ publicKey: b64(enc(pem)), sig: b64(enc(b64(signature))) }] },
          hash: { algorithm: 'sha256', value: hex(sha256(enc(envelopeJson))) },
          payloadHash: { algorithm: 'sha256', value: hex(sha256(payload)) },
        },
      },
    }),
  );

/** The instance: CA, CT log, Rekor v1, trusted root. */
export function openInstance(seed) {
  const inst = createInstance(seed);
  return {
    inst,
    trustedRoot: () => trustedRootJson(inst),
    seal: () => inst.rekor.seal(),
    chainPem: () => inst.ca.chain.map((der) => toPem('CERTIFICATE', der)).join(''),
  };
}

function leafFor(inst, label, signer, issuedAt) {
  const key = new EcKey(inst.seed, `oci-signer:${label}`, 'P-256');
  const leaf = inst.ca.issueLeaf({
    label: `oci:${label}`,
    subjectKey: key,
    san: { uri: signer.identity },
    oidcIssuer: GITHUB_ISSUER,
    github: signer,
    notBefore: issuedAt,
    ctLog: inst.ctLog,
    sctTimestampMs: issuedAt + 421,
  });
  return { key, leaf };
}

const logTime = (issuedAt) => Math.floor(issuedAt / 1000) + 3;

/** Keyless message signature over `artifact`, logged as hashedrekord 0.0.1. */
export function signMessageKeyless(inst, label, signer, artifact, issuedAt = NOW_MS) {
  const { key, leaf } = leafFor(inst, label, signer, issuedAt);
  const signature = key.sign(artifact);
  const entry = inst.rekor.append(hashedRekordBody(sha256(artifact), signature, toPem('CERTIFICATE', leaf.der)), logTime(issuedAt));
  return { leaf, signature, entry };
}

/** Message signature with a managed key, logged as hashedrekord 0.0.1. */
export function signMessageWithKey(inst, label, artifact, issuedAt = NOW_MS) {
  const key = new EcKey(inst.seed, `oci-managed-key:${label}`, 'P-256');
  const signature = key.sign(artifact);
  const entry = inst.rekor.append(hashedRekordBody(sha256(artifact), signature, key.pem), logTime(issuedAt));
  return { keyPem: key.pem, signature, entry };
}

/** Keyless DSSE signature over an in-toto payload, logged as `kind` ('intoto' 0.0.2 as cosign attest does, or 'dsse' 0.0.1). */
export function signDsseKeyless(inst, label, signer, payload, kind, issuedAt = NOW_MS) {
  const { key, leaf } = leafFor(inst, label, signer, issuedAt);
  const signature = key.sign(pae(IN_TOTO, payload));
  const envelope = { payloadType: IN_TOTO, payload: b64(payload), signatures: [{ keyid: '', sig: b64(signature) }] };
  const envelopeJson = JSON.stringify(envelope);
  const pem = toPem('CERTIFICATE', leaf.der);
  const body = kind === 'intoto' ? intotoBody(envelopeJson, payload, signature, pem) : dsseBody(envelopeJson, payload, signature, pem);
  const entry = inst.rekor.append(body, logTime(issuedAt));
  return { leaf, signature, envelope, envelopeJson, entry, kind: kind === 'intoto' ? ['intoto', '0.0.2'] : ['dsse', '0.0.1'] };
}

/** cosign's Rekor bundle annotation for an entry. */
export function rekorBundleAnnotation(inst, entry) {
  return JSON.stringify({
    SignedEntryTimestamp: b64(entry.set),
    Payload: { body: b64(entry.body), integratedTime: entry.integratedTime, logIndex: entry.logIndex, logID: hex(inst.rekor.logId) },
  });
}

/** A v0.3 bundle for a signed DSSE envelope (the log must be sealed: it carries the inclusion proof). */
export function dsseBundleV03(inst, s) {
  const p = inst.rekor.inclusionProof(s.entry.logIndex);
  return {
    mediaType: BUNDLE_V03,
    verificationMaterial: {
      certificate: { rawBytes: b64(s.leaf.der) },
      tlogEntries: [
        {
          logIndex: String(s.entry.logIndex),
          logId: { keyId: b64(inst.rekor.logId) },
          kindVersion: { kind: s.kind[0], version: s.kind[1] },
          integratedTime: String(s.entry.integratedTime),
          inclusionPromise: { signedEntryTimestamp: b64(s.entry.set) },
          inclusionProof: {
            logIndex: String(p.logIndex),
            rootHash: b64(p.rootHash),
            treeSize: String(p.treeSize),
            hashes: p.hashes.map(b64),
            checkpoint: { envelope: inst.rekor.checkpoint() },
          },
          canonicalizedBody: b64(s.entry.body),
        },
      ],
    },
    dsseEnvelope: s.envelope,
  };
}

/** A v0.3 bundle for a keyless message signature (hashedrekord), once the log is sealed. */
export function messageBundleV03(inst, s, artifact) {
  const p = inst.rekor.inclusionProof(s.entry.logIndex);
  return {
    mediaType: BUNDLE_V03,
    verificationMaterial: {
      certificate: { rawBytes: b64(s.leaf.der) },
      tlogEntries: [
        {
          logIndex: String(s.entry.logIndex),
          logId: { keyId: b64(inst.rekor.logId) },
          kindVersion: { kind: 'hashedrekord', version: '0.0.1' },
          integratedTime: String(s.entry.integratedTime),
          inclusionPromise: { signedEntryTimestamp: b64(s.entry.set) },
          inclusionProof: {
            logIndex: String(p.logIndex),
            rootHash: b64(p.rootHash),
            treeSize: String(p.treeSize),
            hashes: p.hashes.map(b64),
            checkpoint: { envelope: inst.rekor.checkpoint() },
          },
          canonicalizedBody: b64(s.entry.body),
        },
      ],
    },
    messageSignature: { messageDigest: { algorithm: 'SHA2_256', digest: b64(sha256(artifact)) }, signature: b64(s.signature) },
  };
}
