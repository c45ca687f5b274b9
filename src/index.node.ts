/**
 * `sigvet` on Node.js (the `node` export condition): verification through
 * `node:crypto`, the fastest provider there.
 * @module
 */
import { nodeCryptoProvider } from './crypto/node.js';
import { createVerifierWith, type Verifier } from './verify/verifier.js';
import type { VerifierOptions } from './verify/options.js';
import { requireString } from './arguments.js';

export * from './api.js';
export { nodeCryptoProvider } from './crypto/node.js';

/**
 * Builds a verifier with `node:crypto`. Without `trustedRoot`, the embedded
 * Sigstore public-good root is used.
 */
export async function createVerifier(options: VerifierOptions = {}): Promise<Verifier> {
  // The embedded root (~7 kB gzipped) is loaded only when no root is given;
  // a non-object is left to createVerifierWith, which refuses it with a typed error.
  if (options === null || typeof options !== 'object') return createVerifierWith(nodeCryptoProvider, options);
  const trustedRoot = options.trustedRoot ?? (await import('./trust/public-good-root.js')).PUBLIC_GOOD_TRUSTED_ROOT_JSON;
  return createVerifierWith(nodeCryptoProvider, { ...options, trustedRoot });
}

/**
 * A file as a streamed artifact: `verify(bundle, { artifact: fileArtifact(path), … })`
 * hashes it as it is read, in constant memory.
 * @throws SigvetError `INVALID_ARGUMENT` when `path` is not a string.
 */
export function fileArtifact(path: string): AsyncIterable<Uint8Array> {
  requireString(path, 'fileArtifact', 'path');
  return {
    async *[Symbol.asyncIterator]() {
      // node:fs streams are loaded on first use, not at import (start-up time).
      const { createReadStream } = await import('node:fs');
      yield* createReadStream(path, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Uint8Array>;
    },
  };
}
