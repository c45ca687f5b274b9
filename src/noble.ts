/**
 * `sigvet/noble`: the pure-JavaScript crypto provider (`@noble/curves`),
 * for runtimes with neither `node:crypto` nor WebCrypto. Pass it to
 * `createVerifierWith(nobleProvider, { trustedRoot })`.
 * @module
 */
export { nobleProvider } from './crypto/noble.js';
