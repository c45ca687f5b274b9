/**
 * The crypto-provider interface: the only place where runtimes differ.
 *
 * Implementations: `node:crypto` (`src/crypto/node.ts`, chosen by the `node`
 * export condition), WebCrypto (`src/crypto/webcrypto.ts`, browsers, workers,
 * Deno, Bun, default) and `@noble/curves` (`src/crypto/noble.ts`, pure JS,
 * opt-in via `sigvet/noble`). The verifier never sniffs the runtime.
 *
 * Methods may answer synchronously (node:crypto) or with a promise
 * (WebCrypto); callers `await` either. Call them through
 * `src/crypto/verify-signature.ts`, which validates what providers must not
 * decide differently: the SPKI is parsed and its key type known (Ed25519 keys
 * canonical and not of small order), the scheme fits the key, ECDSA
 * signatures are strict DER with 0 < r, s < n, Ed25519 signatures are 64
 * bytes with a canonical R and S < L, RSA signatures are exactly the modulus
 * length, and digests have the hash's length. Providers still fail closed on
 * anything else: `verify`/`verifyDigest` return false rather than throw for a
 * bad signature, and throw `SigvetError` (`KEY`, check `key.provider`) for a
 * key another provider imported.
 * @module
 */

/** Public-key types sigvet verifies with. */
export type KeyType = 'ec-p256' | 'ec-p384' | 'ec-p521' | 'ed25519' | 'rsa';

/** Hash functions used by signature schemes and digests. */
export type HashAlgorithm = 'sha256' | 'sha384' | 'sha512';

/** A signature scheme: the key type's algorithm plus its parameters. */
export type SignatureScheme =
  /** ECDSA; the signature is DER `ECDSA-Sig-Value`. High-S signatures are valid (Go does not normalize s). */
  | { readonly kind: 'ecdsa'; readonly hash: HashAlgorithm }
  /** Pure Ed25519 (RFC 8032), 64-byte signature. */
  | { readonly kind: 'ed25519' }
  /** RSASSA-PKCS1-v1_5. */
  | { readonly kind: 'rsa-pkcs1'; readonly hash: HashAlgorithm }
  /** RSASSA-PSS with MGF1 over the same hash. */
  | { readonly kind: 'rsa-pss'; readonly hash: HashAlgorithm; readonly saltLength: number };

/** A public key imported into a provider, ready to verify. */
export interface PublicKey {
  /** The key type, from the SPKI algorithm identifier. */
  readonly type: KeyType;
  /** The DER SubjectPublicKeyInfo it was imported from (a view, not a copy). */
  readonly spki: Uint8Array;
  /** RSA modulus length in bits; 0 for other key types. */
  readonly bits: number;
  /** The provider's own key object. */
  readonly handle: unknown;
}

/** What each runtime supplies. */
export interface CryptoProvider {
  /** A short name reported in results and docs (`node`, `webcrypto`, `noble`). */
  readonly name: string;
  /**
   * Imports a DER SubjectPublicKeyInfo whose type the core has determined.
   * Rejects keys it can tell are invalid (EC points off the curve; OpenSSL
   * cannot tell for Ed25519, whose bad points then fail every verification)
   * or whose SPKI does not match `type`/`bits`, by throwing `SigvetError`
   * `KEY` (check `key.import`).
   */
  importSpki(spki: Uint8Array, type: KeyType, bits: number): PublicKey | Promise<PublicKey>;
  /** Verifies `signature` over `data` (the provider hashes `data`). */
  verify(key: PublicKey, scheme: SignatureScheme, data: Uint8Array, signature: Uint8Array): boolean | Promise<boolean>;
  /**
   * Verifies a signature over a precomputed digest (ECDSA, RSA; not Ed25519).
   * Used when the caller gives only an artifact's `sha256:` digest.
   */
  verifyDigest(
    key: PublicKey,
    scheme: SignatureScheme,
    digest: Uint8Array,
    signature: Uint8Array,
  ): boolean | Promise<boolean>;
  /** Hashes `data`. */
  digest(hash: HashAlgorithm, data: Uint8Array): Uint8Array | Promise<Uint8Array>;
  /**
   * An incremental hash for streamed artifacts (optional: the core falls
   * back to `@noble/hashes`, loaded on demand, where a runtime has none, as WebCrypto).
   */
  createHash?(hash: HashAlgorithm): IncrementalHash;

  /**
   * Optional one-shot SHA-256, synchronous. Merkle proofs hash a few dozen
   * 65-byte nodes per entry; Node's native one-shot hash is the fastest
   * there, and the WebCrypto provider (whose digests are only asynchronous)
   * gives a JavaScript one. The core uses that same JavaScript SHA-256
   * (`oneShotSha256`) when this is absent.
   */
  sha256Sync?(data: Uint8Array): Uint8Array;
  /**
   * A variant of this provider for many verifications in flight (the batch
   * API): it may move every check off the calling thread so all cores work.
   * It must accept keys imported by this provider.
   */
  readonly batch?: CryptoProvider;
}

/** An incremental hash: feed chunks, then take the digest once. */
export interface IncrementalHash {
  update(chunk: Uint8Array): void;
  digest(): Uint8Array;
}
