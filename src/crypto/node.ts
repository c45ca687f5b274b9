/**
 * The `node:crypto` provider, chosen by the `node` export condition. The only
 * file in the core allowed to import `node:*`.
 *
 * Keys are imported once into a `KeyObject`. Cheap verifications are one
 * synchronous OpenSSL call; expensive ones (P-384, P-521, RSA ≥ 3072) run on
 * the libuv thread pool and answer with a promise, so they overlap with the
 * rest of a bundle's checks (see research/performance-baseline.md). OpenSSL verifies DER ECDSA signatures
 * and accepts high-S, like Go.
 *
 * `verifyDigest` is the exception: Node cannot verify ECDSA over a given
 * digest, so it loads `@noble/curves` on first use (a dynamic import keeps
 * it out of start-up and of `verify`), and RSA uses the BigInt code in
 * `./rsa.ts`.
 *
 * Subpath: `sigvet` under the `node` condition.
 * @module
 */
import * as nodeCrypto from 'node:crypto';
import { constants, createHash, createPublicKey, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { SigvetError } from '../errors.js';
import { type EcKeyType, isEcKeyType } from './ecdsa-signature.js';
import type { CryptoProvider, HashAlgorithm, IncrementalHash, KeyType, PublicKey, SignatureScheme } from './provider.js';
import { rsaPkcs1v15VerifyDigest, rsaPssVerifyDigest } from './rsa.js';
import { parseSpki } from './spki.js';
import { KeyNumbers } from './key-numbers.js';

/** OpenSSL's names for the curves, as `asymmetricKeyDetails.namedCurve` reports them. */
const NODE_CURVES: { readonly [K in EcKeyType]: string } = {
  'ec-p256': 'prime256v1',
  'ec-p384': 'secp384r1',
  'ec-p521': 'secp521r1',
};

/** The node provider's key handle. */
class NodeKey extends KeyNumbers {
  constructor(
    /** The imported key. */
    readonly keyObject: KeyObject,
    spki: Uint8Array,
  ) {
    super(spki);
  }
}

function nodeKey(key: PublicKey): NodeKey {
  if (!(key.handle instanceof NodeKey)) {
    throw new SigvetError('KEY', 'the key was not imported by the node provider', { check: 'key.provider' });
  }
  return key.handle;
}

function buf(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Fails unless OpenSSL's view of the key matches the type the core parsed. */
function checkImported(k: KeyObject, type: KeyType, bits: number): void {
  const details = k.asymmetricKeyDetails ?? {};
  let ok: boolean;
  if (isEcKeyType(type)) ok = k.asymmetricKeyType === 'ec' && details.namedCurve === NODE_CURVES[type];
  else if (type === 'ed25519') ok = k.asymmetricKeyType === 'ed25519';
  else ok = k.asymmetricKeyType === 'rsa' && details.modulusLength === bits;
  if (!ok) {
    throw new SigvetError('KEY', 'the key does not match its declared type', {
      check: 'key.import',
      expected: `${type}/${bits}`,
      actual: `${String(k.asymmetricKeyType)}/${String(details.namedCurve ?? details.modulusLength)}`,
    });
  }
}

/** Whether a verification is expensive: P-384 and P-521 (~440 µs and more) and RSA ≥ 3072 bits. */
function isExpensive(key: PublicKey): boolean {
  return key.type === 'ec-p384' || key.type === 'ec-p521' || (key.type === 'rsa' && key.bits >= 3072);
}

const JWK_CURVES: { readonly [K in EcKeyType]: string } = { 'ec-p256': 'P-256', 'ec-p384': 'P-384', 'ec-p521': 'P-521' };

/**
 * What `createPublicKey` imports fastest: OpenSSL 3 decodes a JWK about twice
 * as fast as DER SPKI on Node 20 (47 µs against 94 µs for P-256), and this is
 * per bundle for the leaf key. The coordinates come from the SPKI the core has
 * already validated; RSA keys stay DER.
 */
function importable(spki: Uint8Array, type: KeyType): Parameters<typeof createPublicKey>[0] {
  if (type === 'rsa') return { key: buf(spki), format: 'der', type: 'spki' };
  const raw = parseSpki(spki, 'public key').publicKey;
  if (type === 'ed25519') return { key: { kty: 'OKP', crv: 'Ed25519', x: buf(raw).toString('base64url') }, format: 'jwk' };
  // Uncompressed point: 0x04 ‖ x ‖ y, each coordinate (length − 1) / 2 bytes.
  const n = (raw.length - 1) >> 1;
  const b = buf(raw);
  return {
    key: {
      kty: 'EC',
      crv: JWK_CURVES[type],
      x: b.subarray(1, 1 + n).toString('base64url'),
      y: b.subarray(1 + n).toString('base64url'),
    },
    format: 'jwk',
  };
}

/**
 * One-shot SHA-256: `crypto.hash` (Node ≥ 20.12, about twice as fast as a
 * Hash object on small inputs), else createHash. Read through the namespace
 * so an older Node without it still loads this module.
 */
const sha256OneShot: (data: Uint8Array) => Uint8Array =
  typeof nodeCrypto.hash === 'function'
    ? (data) => {
        const d = nodeCrypto.hash('sha256', data, 'buffer') as Buffer;
        return new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
      }
    : (data) => {
        const d = createHash('sha256').update(data).digest();
        return new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
      };

let nobleModule: Promise<typeof import('./noble.js')> | undefined;

/**
 * The `node:crypto` {@link CryptoProvider}. `verify`, `importSpki` and
 * `digest` answer synchronously; `verifyDigest` answers with a promise for
 * ECDSA.
 *
 * @example
 * ```ts
 * import { nodeCryptoProvider } from 'sigvet';
 * ```
 */
export const nodeCryptoProvider: CryptoProvider = makeNodeProvider(
  'node',
  // One bundle: expensive checks on the thread pool (started early, awaited
  // late, they overlap with the rest); cheap ones (P-256, Ed25519, RSA-2048:
  // 16–60 µs) inline, where a pool round trip would cost more than it saves
  // (measured: sending cheap checks to the pool made single bundles 5–25%
  // slower on the 2-core benchmark machine).
  // The same policy serves verifyMany: with several bundles in flight the
  // main thread parses and checks cheap signatures while the pool verifies
  // the expensive ones (sending every check to the pool was measured slower).
  isExpensive,
);

function makeNodeProvider(name: string, offThread: (key: PublicKey) => boolean): CryptoProvider {
  return {
    name,

    importSpki(spki: Uint8Array, type: KeyType, bits: number): PublicKey {
      // Copy: what was checked is what later digest paths read, whatever happens to the caller's buffer.
      const own = spki.slice();
      let k: KeyObject;
      try {
        k = createPublicKey(importable(own, type));
      } catch (e) {
        throw new SigvetError('KEY', `the ${type} public key was rejected by node:crypto`, {
          check: 'key.import',
          cause: e,
        });
      }
      checkImported(k, type, bits);
      return { type, spki, bits, handle: new NodeKey(k, own) };
    },

    verify(key: PublicKey, scheme: SignatureScheme, data: Uint8Array, signature: Uint8Array): boolean | Promise<boolean> {
      const k = nodeKey(key).keyObject;
      let alg: string | null;
      let opts: Parameters<typeof cryptoVerify>[2];
      switch (scheme.kind) {
        case 'ecdsa':
          alg = scheme.hash;
          opts = { key: k, dsaEncoding: 'der' };
          break;
        case 'ed25519':
          alg = null;
          opts = k;
          break;
        case 'rsa-pkcs1':
          alg = scheme.hash;
          opts = { key: k, padding: constants.RSA_PKCS1_PADDING };
          break;
        case 'rsa-pss':
          // OpenSSL checks the salt length exactly when it is given, and uses MGF1 with the message hash.
          alg = scheme.hash;
          opts = { key: k, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: scheme.saltLength };
          break;
        default:
          return false;
      }
      if (offThread(key)) {
        // On the libuv thread pool: a caller that does not await at once (the
        // verifier starts independent checks early and awaits them in a fixed
        // order) overlaps them with its other work on the main thread.
        return new Promise((resolve) => {
          try {
            cryptoVerify(alg, data, opts, signature, (err, ok) => resolve(!err && ok));
          } catch {
            resolve(false);
          }
        });
      }
      try {
        return cryptoVerify(alg, data, opts, signature);
      } catch {
        // OpenSSL reports some malformed signatures as errors; they are failed verifications.
        return false;
      }
    },

    verifyDigest(
      key: PublicKey,
      scheme: SignatureScheme,
      digest: Uint8Array,
      signature: Uint8Array,
    ): boolean | Promise<boolean> {
      const k = nodeKey(key);
      switch (scheme.kind) {
        case 'ecdsa': {
          const type = key.type;
          if (!isEcKeyType(type)) return false;
          const point = k.ecPoint();
          nobleModule ??= import('./noble.js');
          return nobleModule.then((m) => m.nobleEcdsaVerifyDigest(type, point, digest, signature));
        }
        case 'rsa-pkcs1':
          return rsaPkcs1v15VerifyDigest(k.rsa(), scheme.hash, digest, signature);
        case 'rsa-pss':
          return rsaPssVerifyDigest(k.rsa(), scheme.hash, scheme.saltLength, digest, signature);
        default:
          throw new SigvetError('UNSUPPORTED', `${scheme.kind} cannot be verified over a digest`, {
            check: 'signature.scheme',
          });
      }
    },

    sha256Sync: sha256OneShot,

    digest(hash: HashAlgorithm, data: Uint8Array): Uint8Array {
      if (hash === 'sha256') return sha256OneShot(data);
      const d = createHash(hash).update(data).digest();
      return new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
    },

    createHash(hash: HashAlgorithm): IncrementalHash {
      const h = createHash(hash);
      return {
        update: (chunk) => {
          h.update(chunk);
        },
        digest: () => {
          const d = h.digest();
          return new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
        },
      };
    },
  };
}
