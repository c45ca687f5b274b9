// A synthetic, verifiable bundle for an artifact known only by its SHA-256
// digest (the large-artifact scenario streams 1 GiB that never exists as one
// buffer): a managed P-256 key signs the digest, a throwaway "Rekor" key
// signs a hashedrekord 0.0.1 entry's SET, and a trusted root names that log.
// Bundle v0.1 (an inclusion promise, no inclusion proof), so no Merkle tree
// is needed. Keys are fresh per call; nothing here is a real instance.
//
// Also: the large artifact itself, as pooled chunks (constant memory; no
// chunk is modified after it is handed out).

import crypto from 'node:crypto';
import { p256 } from '@noble/curves/nist.js';

const b64 = (b) => Buffer.from(b).toString('base64');
const INTEGRATED_TIME = 1767225600; // 2026-01-01T00:00:00Z

/**
 * A managed-key bundle over an artifact with SHA-256 `digest` (32 bytes).
 * Returns the bundle JSON text, the trusted root JSON text and the key PEM.
 */
export function syntheticKeyBundle(digest) {
  if (!(digest instanceof Uint8Array) || digest.length !== 32) throw new Error('synthetic: a 32-byte SHA-256 digest is needed');
  const signer = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const log = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const keyPem = signer.publicKey.export({ type: 'spki', format: 'pem' });
  const d = Buffer.from(signer.privateKey.export({ format: 'jwk' }).d, 'base64url');
  // ECDSA over the digest itself: the artifact never has to be in memory.
  const signature = p256.sign(digest, d, { prehash: false, format: 'der' });

  // Keys in the order canonical JSON (RFC 8785) puts them.
  const body = {
    apiVersion: '0.0.1',
    kind: 'hashedrekord',
    spec: {
      data: { hash: { algorithm: 'sha256', value: Buffer.from(digest).toString('hex') } },
      signature: { content: b64(signature), publicKey: { content: b64(keyPem) } },
    },
  };
  const bodyB64 = b64(JSON.stringify(body));
  const logSpki = log.publicKey.export({ type: 'spki', format: 'der' });
  const logId = crypto.createHash('sha256').update(logSpki).digest();
  const logIndex = 1;
  const setPayload = `{"body":${JSON.stringify(bodyB64)},"integratedTime":${INTEGRATED_TIME},"logID":"${logId.toString('hex')}","logIndex":${logIndex}}`;
  const set = crypto.sign('sha256', Buffer.from(setPayload), log.privateKey);

  const bundle = {
    mediaType: 'application/vnd.dev.sigstore.bundle+json;version=0.1',
    verificationMaterial: {
      publicKey: { hint: 'sigvet-bench' },
      tlogEntries: [
        {
          logIndex: String(logIndex),
          logId: { keyId: b64(logId) },
          kindVersion: { kind: 'hashedrekord', version: '0.0.1' },
          integratedTime: String(INTEGRATED_TIME),
          inclusionPromise: { signedEntryTimestamp: b64(set) },
          canonicalizedBody: bodyB64,
        },
      ],
    },
    messageSignature: { messageDigest: { algorithm: 'SHA2_256', digest: b64(digest) }, signature: b64(signature) },
  };
  const trustedRoot = {
    mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    tlogs: [
      {
        baseUrl: 'https://rekor.sigvet-bench.invalid',
        hashAlgorithm: 'SHA2_256',
        publicKey: { rawBytes: b64(logSpki), keyDetails: 'PKIX_ECDSA_P256_SHA_256', validFor: { start: '2020-01-01T00:00:00Z' } },
        logId: { keyId: b64(logId) },
      },
    ],
    certificateAuthorities: [],
    ctlogs: [],
    timestampAuthorities: [],
  };
  return { bundleText: JSON.stringify(bundle), rootText: JSON.stringify(trustedRoot), keyPem };
}

/**
 * A large artifact as `count` chunks of `chunkSize` bytes, cycling over a
 * pool of `poolSize` distinct random chunks: constant memory, and bytes no
 * hash could shortcut. `chunks()` yields a fresh AsyncIterable each call.
 */
export function pooledArtifact({ totalBytes, chunkSize = 64 * 1024, poolSize = 16 }) {
  if (totalBytes % chunkSize !== 0) throw new Error('synthetic: totalBytes must be a multiple of chunkSize');
  const pool = [];
  for (let i = 0; i < poolSize; i++) {
    pool.push(new Uint8Array(crypto.randomBytes(chunkSize)));
  }
  const count = totalBytes / chunkSize;
  const at = (i) => pool[i % poolSize];
  return {
    totalBytes,
    chunkSize,
    count,
    pool,
    /** A new async iterable over the artifact. */
    chunks() {
      return {
        async *[Symbol.asyncIterator]() {
          for (let i = 0; i < count; i++) yield at(i);
        },
      };
    },
    /** A new web ReadableStream over the artifact (pull-based, one chunk per pull). */
    readableStream() {
      let i = 0;
      return new ReadableStream({
        pull(controller) {
          if (i < count) controller.enqueue(at(i++));
          else controller.close();
        },
      });
    },
    /** The artifact's SHA-256 with node:crypto (synchronous loop). */
    digest() {
      const h = crypto.createHash('sha256');
      for (let i = 0; i < count; i++) h.update(at(i));
      return new Uint8Array(h.digest());
    },
  };
}
