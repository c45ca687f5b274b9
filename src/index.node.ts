/**
 * `sigvet` on Node.js (the `node` export condition): verification through
 * `node:crypto`, the fastest provider there.
 * @module
 */
import { createReadStream } from 'node:fs';
import { nodeCryptoProvider } from './crypto/node.js';
import { PUBLIC_GOOD_TRUSTED_ROOT_JSON } from './trust/public-good-root.js';
import { createVerifierWith, type Verifier } from './verify/verifier.js';
import type { VerifierOptions } from './verify/options.js';

export * from './api.js';
export { nodeCryptoProvider } from './crypto/node.js';

/**
 * Builds a verifier with `node:crypto`. Without `trustedRoot`, the embedded
 * Sigstore public-good root is used.
 */
export function createVerifier(options: VerifierOptions = {}): Promise<Verifier> {
  return createVerifierWith(nodeCryptoProvider, { ...options, trustedRoot: options.trustedRoot ?? PUBLIC_GOOD_TRUSTED_ROOT_JSON });
}

/**
 * A file as a streamed artifact: `verify(bundle, { artifact: fileArtifact(path), … })`
 * hashes it as it is read, in constant memory.
 */
export function fileArtifact(path: string): AsyncIterable<Uint8Array> {
  return createReadStream(path, { highWaterMark: 1024 * 1024 });
}
