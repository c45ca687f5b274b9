// A Rekor v1 transparency log: RFC 6962 Merkle tree over canonicalized entry
// bodies, signed entry timestamps (SETs), inclusion proofs, and signed
// checkpoints in the signed-note format Rekor v1 serves.

import { EcKey, sha256, concat, b64 } from './keys.mjs';
import { toHex } from './der.mjs';
import { checkpointBody, signatureLine, signedNote } from './note.mjs';

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

/**
 * The intoto 0.0.2 body as Rekor v1 canonicalizes it: the envelope with its
 * payload and signatures base64-encoded a second time, the public key as
 * base64 PEM, and hashes of the envelope and of the payload.
 */
export function intotoBody({ envelopeJson, payload, payloadType, signature, verifierPem }) {
  const enc = (x) => new TextEncoder().encode(x);
  return enc(
    canonicalJson({
      apiVersion: '0.0.2',
      kind: 'intoto',
      spec: {
        content: {
          envelope: {
            payload: b64(enc(b64(payload))),
            payloadType,
            signatures: [{ publicKey: b64(enc(verifierPem)), sig: b64(enc(b64(signature))) }],
          },
          hash: { algorithm: 'sha256', value: toHex(sha256(enc(envelopeJson))) },
          payloadHash: { algorithm: 'sha256', value: toHex(sha256(payload)) },
        },
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

/**
 * An append-only RFC 6962 log: entries are appended while cases build, then
 * the log is sealed once and every proof and checkpoint refers to that tree.
 */
export class MerkleLog {
  constructor() {
    this.entries = [];
    this.sealedSize = undefined;
  }

  /** Appends `entry` (an object with `body`); returns it with its index. Fails once sealed. */
  push(entry) {
    if (this.sealedSize !== undefined) throw new Error('log already sealed');
    const withIndex = { ...entry, logIndex: this.entries.length };
    this.entries.push(withIndex);
    return withIndex;
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

  /** The root of the first `size` leaves: a genuine earlier state of the tree. */
  rootAt(size) {
    if (this.sealedSize === undefined) throw new Error('seal the log first');
    return merkleRoot(this.leaves.slice(0, size));
  }

  /**
   * The signed checkpoint of the sealed tree. Every part can be overridden
   * so that a case can damage exactly one thing: `origin`, `size`,
   * `rootHash` (the body), `sizeText` / `rootHashText` (those lines spelled
   * otherwise), `extensions` (extension lines after the root hash); `signingKey`, `name`, `keyHint` (the log's
   * signature line); `omitLogSignature`; `cosigners` ([{ witness, time,
   * before }]: witness cosignature lines, after the log's line unless
   * `before`); `extraSigners` ([{ name, key, keyHint, before }]: plain note
   * signatures from other keys).
   */
  checkpoint(o = {}) {
    if (this.sealedSize === undefined) throw new Error('seal the log first');
    const body = checkpointBody({
      origin: o.origin ?? this.origin,
      size: o.size ?? this.sealedSize,
      rootHash: o.rootHash ?? this.rootHash,
      sizeText: o.sizeText,
      rootHashText: o.rootHashText,
      extensions: o.extensions,
    });
    const bodyBytes = new TextEncoder().encode(body);
    const before = [];
    const after = [];
    for (const c of o.cosigners ?? []) (c.before ? before : after).push(c.witness.cosign(body, c.time));
    for (const x of o.extraSigners ?? []) (x.before ? before : after).push(signatureLine(x.name, x.keyHint, x.key.sign(bodyBytes)));
    const own = o.omitLogSignature
      ? []
      : [signatureLine(o.name ?? this.host, o.keyHint ?? this.keyHint, (o.signingKey ?? this.key).sign(bodyBytes))];
    return signedNote(body, [...before, ...own, ...after]);
  }
}

/**
 * A Rekor v1 transparency log: ECDSA P-256 key, log ID = SHA-256 of its DER
 * SubjectPublicKeyInfo, checkpoint origin "<host> - <tree id>", signed entry
 * timestamps over every entry.
 */
export class RekorLog extends MerkleLog {
  constructor(seed, label, { host, treeId, baseUrl }) {
    super();
    this.key = new EcKey(seed, `rekor:${label}`, 'P-256');
    this.logId = this.key.spkiSha256;
    // Rekor v1 (and C2SP for ECDSA keys): the key hint is SHA-256(SPKI)[:4].
    this.keyHint = this.logId.subarray(0, 4);
    this.host = host;
    this.baseUrl = baseUrl;
    this.origin = `${host} - ${treeId}`;
  }

  /**
   * Appends a body; returns the entry with its SET. `setLogId` makes the log
   * sign a SET that names another log ID (one case needs a log that
   * announces an ID other than its key's).
   */
  append(body, integratedTime, { setLogId } = {}) {
    const logIndex = this.entries.length;
    const set = this.signEntryTimestamp(body, integratedTime, logIndex, { logId: setLogId });
    return this.push({ body, integratedTime, set, setLogId });
  }

  /** SET: ECDSA over the canonical JSON of body, integratedTime, logID (hex) and logIndex. */
  signEntryTimestamp(body, integratedTime, logIndex, { key = this.key, logId = this.logId } = {}) {
    const payload = canonicalJson({ body: b64(body), integratedTime, logID: toHex(logId ?? this.logId), logIndex });
    return key.sign(new TextEncoder().encode(payload));
  }
}
