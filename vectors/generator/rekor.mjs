// A Rekor v1 transparency log: RFC 6962 Merkle tree over canonicalized entry
// bodies, signed entry timestamps (SETs), inclusion proofs, and signed
// checkpoints in the signed-note format Rekor v1 serves.

import { EcKey, sha256, concat, b64 } from './keys.mjs';
import { toHex } from './der.mjs';

const leafHash = (data) => sha256(concat(Uint8Array.of(0), data));
const nodeHash = (l, r) => sha256(concat(Uint8Array.of(1), l, r));

/** Largest power of two strictly less than n (n > 1). */
function splitPoint(n) {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** RFC 6962 §2.1 Merkle Tree Hash over leaf hashes. */
export function merkleRoot(leaves) {
  if (leaves.length === 0) return sha256(new Uint8Array(0));
  if (leaves.length === 1) return leaves[0];
  const k = splitPoint(leaves.length);
  return nodeHash(merkleRoot(leaves.slice(0, k)), merkleRoot(leaves.slice(k)));
}

/** RFC 6962 §2.1.1 audit path for leaf `m`, ordered from the leaf upwards. */
export function auditPath(m, leaves) {
  if (leaves.length <= 1) return [];
  const k = splitPoint(leaves.length);
  if (m < k) return [...auditPath(m, leaves.slice(0, k)), merkleRoot(leaves.slice(k))];
  return [...auditPath(m - k, leaves.slice(k)), merkleRoot(leaves.slice(0, k))];
}

/** JSON with keys in sorted order and no whitespace (what Rekor signs and stores). */
export function canonicalJson(value) {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The hashedrekord 0.0.1 body as Rekor canonicalizes it. */
export function hashedRekordBody({ digestHex, signature, publicKeyPem }) {
  return new TextEncoder().encode(
    canonicalJson({
      apiVersion: '0.0.1',
      kind: 'hashedrekord',
      spec: {
        data: { hash: { algorithm: 'sha256', value: digestHex } },
        signature: { content: b64(signature), publicKey: { content: b64(new TextEncoder().encode(publicKeyPem)) } },
      },
    }),
  );
}

/** The dsse 0.0.1 body as Rekor v1 canonicalizes it. */
export function dsseBody({ envelopeJson, payload, signature, verifierPem }) {
  return new TextEncoder().encode(
    canonicalJson({
      apiVersion: '0.0.1',
      kind: 'dsse',
      spec: {
        envelopeHash: { algorithm: 'sha256', value: toHex(sha256(new TextEncoder().encode(envelopeJson))) },
        payloadHash: { algorithm: 'sha256', value: toHex(sha256(payload)) },
        signatures: [{ signature: b64(signature), verifier: b64(new TextEncoder().encode(verifierPem)) }],
      },
    }),
  );
}

export class RekorLog {
  constructor(seed, label, { host, treeId, baseUrl }) {
    this.key = new EcKey(seed, `rekor:${label}`, 'P-256');
    this.logId = this.key.spkiSha256;
    this.host = host;
    this.baseUrl = baseUrl;
    this.origin = `${host} - ${treeId}`;
    this.entries = [];
    this.sealedSize = undefined;
  }

  /** Appends a body; returns the entry with its SET. Fails once the log is sealed. */
  append(body, integratedTime) {
    if (this.sealedSize !== undefined) throw new Error('log already sealed');
    const logIndex = this.entries.length;
    const entry = { logIndex, body, integratedTime, set: this.signEntryTimestamp(body, integratedTime, logIndex) };
    this.entries.push(entry);
    return entry;
  }

  /** SET: ECDSA over the canonical JSON of body, integratedTime, logID (hex) and logIndex. */
  signEntryTimestamp(body, integratedTime, logIndex, key = this.key) {
    const payload = canonicalJson({ body: b64(body), integratedTime, logID: toHex(this.logId), logIndex });
    return key.sign(new TextEncoder().encode(payload));
  }

  /** Freezes the tree: every proof and checkpoint refers to this size. */
  seal() {
    this.sealedSize = this.entries.length;
    this.leaves = this.entries.map((e) => leafHash(e.body));
    this.rootHash = merkleRoot(this.leaves);
  }

  inclusionProof(logIndex) {
    if (this.sealedSize === undefined) throw new Error('seal the log first');
    return { logIndex, treeSize: this.sealedSize, rootHash: this.rootHash, hashes: auditPath(logIndex, this.leaves) };
  }

  /**
   * Signed checkpoint (C2SP signed-note): body "origin\nsize\nroot\n", then a
   * blank line and "— <host> base64(keyhint ‖ DER signature)". The key hint is
   * the first four bytes of SHA-256 over the log's DER SubjectPublicKeyInfo.
   * `signingKey` lets a case sign with a key other than the log's.
   */
  checkpoint({ signingKey = this.key } = {}) {
    if (this.sealedSize === undefined) throw new Error('seal the log first');
    const text = `${this.origin}\n${this.sealedSize}\n${b64(this.rootHash)}\n`;
    const sig = signingKey.sign(new TextEncoder().encode(text));
    const keyHint = this.logId.subarray(0, 4);
    return `${text}\n\u2014 ${this.host} ${b64(concat(keyHint, sig))}\n`;
  }
}
