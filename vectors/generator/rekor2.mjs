// A Rekor v2 log (sigstore/rekor-tiles): a tiled RFC 6962 log whose
// checkpoints are C2SP signed notes with origin = the log's host, and whose
// entries are hashedrekord/0.0.2 or dsse/0.0.2 bodies. It issues no signed
// entry timestamps and records no integrated time: clients get their time
// from an RFC 3161 timestamp authority.

import { EcKey, Ed25519Key, sha256, b64 } from './keys.mjs';
import { canonicalJson, MerkleLog } from './rekor.mjs';
import { ed25519NoteKeyHash } from './note.mjs';
import { toHex } from './der.mjs';

/** The protobuf-JSON `Verifier` of a v2 body: a certificate or a public key, with its key details. */
function verifierJson({ certificateDer, publicKeySpki, keyDetails }) {
  return certificateDer !== undefined
    ? { keyDetails, x509Certificate: { rawBytes: b64(certificateDer) } }
    : { keyDetails, publicKey: { rawBytes: b64(publicKeySpki) } };
}

/**
 * hashedrekord 0.0.2 as Rekor v2 stores it: protobuf JSON of the Entry with
 * keys in sorted order (compared with real log entries). `digest` is the
 * artifact's SHA-256 (or, for a DSSE envelope logged as hashedrekord, the
 * SHA-256 of its PAE).
 */
export function hashedRekordV002Body({ digest, signature, ...verifier }) {
  return new TextEncoder().encode(
    canonicalJson({
      apiVersion: '0.0.2',
      kind: 'hashedrekord',
      spec: {
        hashedRekordV002: {
          data: { algorithm: 'SHA2_256', digest: b64(digest) },
          signature: { content: b64(signature), verifier: verifierJson(verifier) },
        },
      },
    }),
  );
}

/** dsse 0.0.2 as Rekor v2 stores it: the payload's SHA-256 and the envelope's signatures with their verifiers. */
export function dsseV002Body({ payloadDigest, signature, ...verifier }) {
  return new TextEncoder().encode(
    canonicalJson({
      apiVersion: '0.0.2',
      kind: 'dsse',
      spec: {
        dsseV002: {
          payloadHash: { algorithm: 'SHA2_256', digest: b64(payloadDigest) },
          signatures: [{ content: b64(signature), verifier: verifierJson(verifier) }],
        },
      },
    }),
  );
}

export class RekorV2Log extends MerkleLog {
  /**
   * @param {object} o `host` (the checkpoint origin and signer name), and
   *   `keyKind`: 'ed25519' (log ID = C2SP key hash over the host) or
   *   'ecdsa-p256' (log ID = SHA-256 of the SPKI).
   */
  constructor(seed, label, { host, keyKind = 'ed25519' }) {
    super();
    this.host = host;
    this.origin = host;
    this.baseUrl = `https://${host}`;
    if (keyKind === 'ed25519') {
      this.key = new Ed25519Key(seed, `rekor2:${label}`);
      this.logId = ed25519NoteKeyHash(host, this.key.publicKey);
    } else {
      this.key = new EcKey(seed, `rekor2:${label}`, 'P-256');
      this.logId = sha256(this.key.spki);
    }
    this.keyHint = this.logId.subarray(0, 4);
  }

  append(body) {
    return this.push({ body });
  }

  /**
   * A SET in Rekor v1's format, signed with this log's key. Rekor v2 never
   * issues one; a single case needs a v2 entry that carries one anyway.
   */
  signEntryTimestamp(body, integratedTime, logIndex) {
    const payload = canonicalJson({ body: b64(body), integratedTime, logID: toHex(this.logId), logIndex });
    return this.key.sign(new TextEncoder().encode(payload));
  }
}
