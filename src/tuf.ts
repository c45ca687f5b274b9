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
 * In browsers and workers (the `browser`, `worker` and `default` export
 * conditions) `sigvet/tuf` is the web client of `src/tuf-web.ts` instead:
 * the same `fetchTrustedRoot`, with fetch(), WebCrypto and a memory or
 * IndexedDB cache (`cache` in place of `cacheDir`); `sigvet/tuf/web` names
 * it explicitly on any runtime.
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
