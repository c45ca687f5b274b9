/**
 * `sigvet` for browsers, workers, Deno, Bun and every runtime without a
 * `node` export condition: verification through WebCrypto.
 * @module
 */
import { webCryptoProvider } from './crypto/webcrypto.js';
import { createVerifierWith, type Verifier } from './verify/verifier.js';
import type { VerifierOptions } from './verify/options.js';

export * from './api.js';
export { webCryptoProvider } from './crypto/webcrypto.js';

/**
 * Builds a verifier with WebCrypto. Without `trustedRoot`, the embedded
 * Sigstore public-good root is used.
 */
export async function createVerifier(options: VerifierOptions = {}): Promise<Verifier> {
  // The embedded root (~7 kB gzipped) is loaded only when no root is given;
  // a non-object is left to createVerifierWith, which refuses it with a typed error.
  if (options === null || typeof options !== 'object') return createVerifierWith(webCryptoProvider, options);
  const trustedRoot = options.trustedRoot ?? (await import('./trust/public-good-root.js')).PUBLIC_GOOD_TRUSTED_ROOT_JSON;
  return createVerifierWith(webCryptoProvider, { ...options, trustedRoot });
}
