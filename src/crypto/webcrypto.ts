/**
 * The WebCrypto provider (`globalThis.crypto.subtle`): browsers, workers,
 * Deno, Bun, and the default export. Uses no Node API.
 *
 * WebCrypto differs from DER-speaking libraries in two ways handled here:
 * ECDSA signatures are raw r‖s (IEEE P1363), so the strict DER signature is
 * converted with {@link ecdsaDerToP1363OrUndefined}; and RSA keys are bound
 * to one hash and padding at import, so each key handle caches one
 * `CryptoKey` per (padding, hash) pair, imported on first use.
 *
 * Chromium runs `crypto.subtle` operations synchronously inside the call
 * (the promise is already settled when it returns), so nothing overlaps a
 * verification there: every microsecond of JavaScript around the calls adds
 * to the time. Hence the cheap paths below: algorithm parameters built once,
 * imported keys used without another await, ECDSA signatures converted
 * without BigInt, and a synchronous SHA-256 in JavaScript
 * ({@link oneShotSha256}) for the Merkle and leaf hashes, which WebCrypto
 * can only compute asynchronously.
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
import { type EcKeyType, isEcKeyType } from './ecdsa-signature.js';
import type { CryptoProvider, HashAlgorithm, KeyType, PublicKey, SignatureScheme } from './provider.js';
import { parseSpki } from './spki.js';
import { ecPointOnCurve } from './ec-point.js';
import { KeyNumbers } from './key-numbers.js';
import { oneShotSha256 } from './one-shot-sha256.js';
import { ecdsaDerToP1363OrUndefined } from './p1363-signature.js';

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

/** Algorithm parameters, built once (WebCrypto reads them and keeps no reference). */
const ECDSA_IMPORT: { readonly [K in EcKeyType]: EcKeyImportParams } = {
  'ec-p256': { name: 'ECDSA', namedCurve: CURVE_NAMES['ec-p256'] },
  'ec-p384': { name: 'ECDSA', namedCurve: CURVE_NAMES['ec-p384'] },
  'ec-p521': { name: 'ECDSA', namedCurve: CURVE_NAMES['ec-p521'] },
};
const ECDSA_VERIFY: { readonly [H in HashAlgorithm]: EcdsaParams } = {
  sha256: { name: 'ECDSA', hash: HASH_NAMES.sha256 },
  sha384: { name: 'ECDSA', hash: HASH_NAMES.sha384 },
  sha512: { name: 'ECDSA', hash: HASH_NAMES.sha512 },
};
const ED25519: Algorithm = { name: 'Ed25519' };
const RSA_PKCS1: Algorithm = { name: 'RSASSA-PKCS1-v1_5' };

let nobleModule: Promise<typeof import('./noble.js')> | undefined;
function noble(): Promise<typeof import('./noble.js')> {
  nobleModule ??= import('./noble.js');
  return nobleModule;
}

let subtleCrypto: SubtleCrypto | undefined;

/** `crypto.subtle`, looked up once (a DOM getter chain on every call otherwise). */
function subtle(): SubtleCrypto {
  if (subtleCrypto !== undefined) return subtleCrypto;
  const s = (globalThis as { crypto?: { subtle?: SubtleCrypto } }).crypto?.subtle;
  if (s === undefined) {
    throw new SigvetError('UNSUPPORTED', 'WebCrypto (globalThis.crypto.subtle) is not available here', {
      check: 'crypto.provider',
    });
  }
  subtleCrypto = s;
  return s;
}

/**
 * Up to this many bytes, SHA-256 in JavaScript costs less than a WebCrypto
 * call (Chromium 156: ~1 µs against ~3 µs for 200 bytes; even at 2 kB the
 * call wins only by half). Artifacts are usually larger and take WebCrypto.
 */
const SMALL_DIGEST_BYTES = 512;

/** WebCrypto wants ArrayBuffer-backed views; copy only views over other buffers. */
function bufferSource(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes);
}

/** The WebCrypto provider's key handle. */
class WebCryptoKey extends KeyNumbers {
  /** By algorithm: the import in flight, replaced by the key once imported (later calls then need no await). */
  private readonly keys = new Map<string, CryptoKey | Promise<CryptoKey>>();

  constructor(
    /** A private, ArrayBuffer-backed copy of the SPKI. */
    override readonly spki: Uint8Array<ArrayBuffer>,
    /** The raw Ed25519 key when the runtime lacks WebCrypto Ed25519; otherwise undefined. */
    readonly ed25519Fallback: Uint8Array | undefined,
  ) {
    super(spki);
  }

  /** The CryptoKey for an algorithm, imported once: the key itself once its import has finished. */
  cryptoKey(id: string, alg: AlgorithmIdentifier | RsaHashedImportParams | EcKeyImportParams): CryptoKey | Promise<CryptoKey> {
    let k = this.keys.get(id);
    if (k === undefined) {
      k = subtle()
        .importKey('spki', this.spki, alg, false, ['verify'])
        .then((imported) => {
          this.keys.set(id, imported);
          return imported;
        });
      this.keys.set(id, k);
    }
    return k;
  }
}

function webKey(key: PublicKey): WebCryptoKey {
  if (!(key.handle instanceof WebCryptoKey)) {
    throw new SigvetError('KEY', 'the key was not imported by the webcrypto provider', { check: 'key.provider' });
  }
  return key.handle;
}

function rsaKey(k: WebCryptoKey, name: 'RSASSA-PKCS1-v1_5' | 'RSA-PSS', hash: HashAlgorithm): CryptoKey | Promise<CryptoKey> {
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
      await handle.cryptoKey('ECDSA', ECDSA_IMPORT[type]);
    } else if (type === 'ed25519') {
      try {
        await handle.cryptoKey('Ed25519', ED25519);
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
        const p1363 = ecdsaDerToP1363OrUndefined(signature, key.type);
        if (p1363 === undefined) return false;
        const ck = k.cryptoKey('ECDSA', ECDSA_IMPORT[key.type]);
        return await subtle().verify(ECDSA_VERIFY[scheme.hash], ck instanceof Promise ? await ck : ck, p1363, d);
      }
      case 'ed25519': {
        if (k.ed25519Fallback !== undefined) return (await noble()).nobleEd25519Verify(k.ed25519Fallback, data, signature);
        const ck = k.cryptoKey('Ed25519', ED25519);
        return await subtle().verify(ED25519, ck instanceof Promise ? await ck : ck, bufferSource(signature), d);
      }
      case 'rsa-pkcs1': {
        const ck = rsaKey(k, 'RSASSA-PKCS1-v1_5', scheme.hash);
        return await subtle().verify(RSA_PKCS1, ck instanceof Promise ? await ck : ck, bufferSource(signature), d);
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
    if (hash === 'sha256' && data.length <= SMALL_DIGEST_BYTES) return oneShotSha256(data);
    return new Uint8Array(await subtle().digest(HASH_NAMES[hash], bufferSource(data)));
  },
  sha256Sync: oneShotSha256,
};
