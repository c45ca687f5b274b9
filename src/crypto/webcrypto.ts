/**
 * The WebCrypto provider (`globalThis.crypto.subtle`): browsers, workers,
 * Deno, Bun, and the default export. Uses no Node API.
 *
 * WebCrypto differs from DER-speaking libraries in two ways handled here:
 * ECDSA signatures are raw r‖s (IEEE P1363), so the strict DER signature is
 * converted with {@link ecdsaDerToP1363}; and RSA keys are bound to one hash
 * and padding at import, so each key handle caches one `CryptoKey` per
 * (padding, hash) pair, imported on first use.
 *
 * `verifyDigest` cannot use WebCrypto, which always hashes: ECDSA uses
 * `@noble/curves` (loaded on first use) and RSA the BigInt code in
 * `./rsa.ts`. Where the runtime lacks Ed25519 (older Safari/Firefox) the
 * provider falls back to noble's strict Ed25519, detected at key import.
 *
 * Subpath: `sigvet` (default condition).
 * @module
 */
import { SigvetError } from '../errors.js';
import { type EcKeyType, ecdsaDerToP1363, isEcKeyType } from './ecdsa-signature.js';
import type { CryptoProvider, HashAlgorithm, KeyType, PublicKey, SignatureScheme } from './provider.js';
import { parseSpki } from './spki.js';
import { ecPointOnCurve } from './ec-point.js';
import { KeyNumbers } from './key-numbers.js';

const CURVE_NAMES: { readonly [K in EcKeyType]: string } = {
  'ec-p256': 'P-256',
  'ec-p384': 'P-384',
  'ec-p521': 'P-521',
};

const HASH_NAMES: { readonly [H in HashAlgorithm]: string } = {
  sha256: 'SHA-256',
  sha384: 'SHA-384',
  sha512: 'SHA-512',
};

let nobleModule: Promise<typeof import('./noble.js')> | undefined;
function noble(): Promise<typeof import('./noble.js')> {
  nobleModule ??= import('./noble.js');
  return nobleModule;
}

function subtle(): SubtleCrypto {
  const s = (globalThis as { crypto?: { subtle?: SubtleCrypto } }).crypto?.subtle;
  if (s === undefined) {
    throw new SigvetError('UNSUPPORTED', 'WebCrypto (globalThis.crypto.subtle) is not available here', {
      check: 'crypto.provider',
    });
  }
  return s;
}

/** WebCrypto wants ArrayBuffer-backed views; copy only views over other buffers. */
function bufferSource(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes);
}

/** The WebCrypto provider's key handle. */
class WebCryptoKey extends KeyNumbers {
  private readonly keys = new Map<string, Promise<CryptoKey>>();

  constructor(
    /** A private, ArrayBuffer-backed copy of the SPKI. */
    override readonly spki: Uint8Array<ArrayBuffer>,
    /** The raw Ed25519 key when the runtime lacks WebCrypto Ed25519; otherwise undefined. */
    readonly ed25519Fallback: Uint8Array | undefined,
  ) {
    super(spki);
  }

  /** The CryptoKey for an algorithm, imported once. */
  cryptoKey(id: string, alg: AlgorithmIdentifier | RsaHashedImportParams | EcKeyImportParams): Promise<CryptoKey> {
    let p = this.keys.get(id);
    if (p === undefined) {
      p = subtle().importKey('spki', this.spki, alg, false, ['verify']);
      this.keys.set(id, p);
    }
    return p;
  }

}

function webKey(key: PublicKey): WebCryptoKey {
  if (!(key.handle instanceof WebCryptoKey)) {
    throw new SigvetError('KEY', 'the key was not imported by the webcrypto provider', { check: 'key.provider' });
  }
  return key.handle;
}

function rsaKey(k: WebCryptoKey, name: 'RSASSA-PKCS1-v1_5' | 'RSA-PSS', hash: HashAlgorithm): Promise<CryptoKey> {
  return k.cryptoKey(`${name}:${hash}`, { name, hash: HASH_NAMES[hash] });
}

function isNotSupported(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'NotSupportedError';
}

async function importSpki(spki: Uint8Array, type: KeyType, bits: number): Promise<PublicKey> {
  const own = new Uint8Array(spki);
  const info = parseSpki(own, 'public key');
  if (info.type !== type || info.bits !== bits) {
    throw new SigvetError('KEY', 'the key does not match its declared type', {
      check: 'key.import',
      expected: `${type}/${bits}`,
      actual: `${info.type}/${info.bits}`,
    });
  }
  let handle = new WebCryptoKey(own, undefined);
  try {
    if (isEcKeyType(type)) {
      // Checked here too: some WebCrypto implementations (Deno) import an
      // off-curve point and only fail each verification with it.
      if (!ecPointOnCurve(type, info.publicKey)) {
        throw new SigvetError('KEY', `the ${type} public key is not a point on its curve`, { check: 'key.import' });
      }
      await handle.cryptoKey('ECDSA', { name: 'ECDSA', namedCurve: CURVE_NAMES[type] });
    } else if (type === 'ed25519') {
      try {
        await handle.cryptoKey('Ed25519', { name: 'Ed25519' });
      } catch (e) {
        if (!isNotSupported(e)) throw e;
        const raw = info.publicKey.slice();
        (await noble()).nobleCheckPoint('ed25519', raw);
        handle = new WebCryptoKey(own, raw);
      }
    } else {
      // Import once now so that a bad modulus fails here, not at first use.
      await rsaKey(handle, 'RSASSA-PKCS1-v1_5', 'sha256');
    }
  } catch (e) {
    if (e instanceof SigvetError) throw e;
    throw new SigvetError('KEY', `the ${type} public key was rejected by WebCrypto`, {
      check: 'key.import',
      cause: e,
    });
  }
  return { type, spki, bits, handle };
}

async function verify(key: PublicKey, scheme: SignatureScheme, data: Uint8Array, signature: Uint8Array): Promise<boolean> {
  const k = webKey(key);
  try {
    const d = bufferSource(data);
    switch (scheme.kind) {
      case 'ecdsa': {
        if (!isEcKeyType(key.type)) return false;
        const p1363 = bufferSource(ecdsaDerToP1363(signature, key.type));
        const ck = await k.cryptoKey('ECDSA', { name: 'ECDSA', namedCurve: CURVE_NAMES[key.type] });
        return await subtle().verify({ name: 'ECDSA', hash: HASH_NAMES[scheme.hash] }, ck, p1363, d);
      }
      case 'ed25519': {
        if (k.ed25519Fallback !== undefined) return (await noble()).nobleEd25519Verify(k.ed25519Fallback, data, signature);
        const ck = await k.cryptoKey('Ed25519', { name: 'Ed25519' });
        return await subtle().verify({ name: 'Ed25519' }, ck, bufferSource(signature), d);
      }
      case 'rsa-pkcs1': {
        const ck = await rsaKey(k, 'RSASSA-PKCS1-v1_5', scheme.hash);
        return await subtle().verify({ name: 'RSASSA-PKCS1-v1_5' }, ck, bufferSource(signature), d);
      }
      case 'rsa-pss': {
        const ck = await rsaKey(k, 'RSA-PSS', scheme.hash);
        return await subtle().verify({ name: 'RSA-PSS', saltLength: scheme.saltLength }, ck, bufferSource(signature), d);
      }
      default:
        return false;
    }
  } catch (e) {
    // Malformed signatures (non-DER, wrong length) are failed verifications; a missing WebCrypto is not.
    if (e instanceof SigvetError && e.code !== 'PARSE') throw e;
    return false;
  }
}

async function verifyDigest(
  key: PublicKey,
  scheme: SignatureScheme,
  digest: Uint8Array,
  signature: Uint8Array,
): Promise<boolean> {
  const k = webKey(key);
  switch (scheme.kind) {
    case 'ecdsa': {
      const type = key.type;
      if (!isEcKeyType(type)) return false;
      return (await noble()).nobleEcdsaVerifyDigest(type, k.ecPoint(), digest, signature);
    }
    // RSA over a given digest (rare: digest-only input) is BigInt code, loaded on demand.
    case 'rsa-pkcs1':
      return (await import('./rsa.js')).rsaPkcs1v15VerifyDigest(k.rsa(), scheme.hash, digest, signature);
    case 'rsa-pss':
      return (await import('./rsa.js')).rsaPssVerifyDigest(k.rsa(), scheme.hash, scheme.saltLength, digest, signature);
    default:
      throw new SigvetError('UNSUPPORTED', `${scheme.kind} cannot be verified over a digest`, {
        check: 'signature.scheme',
      });
  }
}

/**
 * The WebCrypto {@link CryptoProvider}; every method answers with a promise.
 *
 * @example
 * ```ts
 * import { webCryptoProvider } from 'sigvet';
 * ```
 */
export const webCryptoProvider: CryptoProvider = {
  name: 'webcrypto',
  importSpki,
  verify,
  verifyDigest,
  async digest(hash: HashAlgorithm, data: Uint8Array): Promise<Uint8Array> {
    return new Uint8Array(await subtle().digest(HASH_NAMES[hash], bufferSource(data)));
  },
};
