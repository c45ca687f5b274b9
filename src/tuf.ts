/**
 * `sigvet/tuf`: refreshes the Sigstore trusted root from a TUF repository
 * (the public-good one by default) and caches it on disk, for Node.js, Bun
 * and Deno. Needs the optional peer dependency `tuf-js`
 * (`npm install tuf-js`). Without this entry, sigvet uses the trusted root
 * embedded in the package, offline.
 *
 * ```ts
 * import { createVerifier } from 'sigvet';
 * import { fetchTrustedRoot } from 'sigvet/tuf';
 * const { json } = await fetchTrustedRoot();            // public-good, cached in ~/.cache/sigvet/tuf
 * const verifier = await createVerifier({ trustedRoot: json });
 * ```
 *
 * Browsers are not supported by this entry yet (tuf-js needs `node:fs`);
 * there, pass a trusted root you obtained otherwise, or use the embedded one.
 * @module
 */
export {
  fetchTrustedRoot,
  defaultTufCacheDir,
  repositoryDirName,
  TRUSTED_ROOT_TARGET,
  type TufOptions,
  type FetchedTrustedRoot,
} from './tuf/fetch-trusted-root.js';
export { PUBLIC_GOOD_TUF_URL, PUBLIC_GOOD_TUF_ROOT_JSON, PUBLIC_GOOD_TUF_ROOT_SOURCE } from './tuf/public-good-tuf-root.js';
