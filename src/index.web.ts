/**
 * `sigvet` for browsers, workers, Deno, Bun and every runtime without a
 * `node` export condition: verification through WebCrypto.
 * @module
 */
import { webCryptoProvider } from './crypto/webcrypto.js';
import { PUBLIC_GOOD_TRUSTED_ROOT_JSON } from './trust/public-good-root.js';
import { createVerifierWith, type Verifier } from './verify/verifier.js';
import type { VerifierOptions } from './verify/options.js';

export * from './api.js';
export { webCryptoProvider } from './crypto/webcrypto.js';

/**
 * Builds a verifier with WebCrypto. Without `trustedRoot`, the embedded
 * Sigstore public-good root is used.
 */
export function createVerifier(options: VerifierOptions = {}): Promise<Verifier> {
  return createVerifierWith(webCryptoProvider, { ...options, trustedRoot: options.trustedRoot ?? PUBLIC_GOOD_TRUSTED_ROOT_JSON });
}
