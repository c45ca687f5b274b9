/**
 * SHA-384 and SHA-512 in pure JavaScript (@noble/hashes), for the rare paths
 * with no native equivalent: a streamed artifact under a P-384/P-521 or
 * RSA-SHA-384/512 message signature on a runtime without an incremental
 * native hash, and RSA-PSS's MGF1 over a given digest. The core loads this
 * module on demand, so a code-splitting bundler ships the SHA-512 family as
 * a lazy chunk.
 * @module
 */
import { sha384, sha512 } from '@noble/hashes/sha2.js';

/** The SHA-384 and SHA-512 hashers, by name. */
export const wideHashes = { sha384, sha512 } as const;
