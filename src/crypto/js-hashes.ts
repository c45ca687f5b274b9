/**
 * Incremental SHA-256/384/512 in pure JavaScript (@noble/hashes), for a
 * streamed artifact on a runtime without an incremental native hash
 * (WebCrypto only hashes whole buffers). The core's one-shot hashes use
 * {@link oneShotSha256} or the provider; this module is loaded on demand, so
 * a code-splitting bundler ships it as a lazy chunk fetched only when a
 * stream is verified.
 * @module
 */
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js';

/** The incremental hashers, by algorithm name. */
export const jsHashes = { sha256, sha384, sha512 } as const;
