/**
 * `sigvet/tuf` for browsers, workers, Deno, Bun and any runtime with
 * `fetch`: refreshes the Sigstore trusted root from a TUF repository (the
 * public-good one by default) with sigvet's own TUF client, which needs no
 * file system and no extra package. Signatures are checked through a
 * {@link CryptoProvider} (WebCrypto by default); metadata and targets are
 * kept in a {@link TufCache} (in memory by default, or IndexedDB).
 *
 * Same names and shape as the Node entry (tuf-js, file cache), except that a
 * cache object replaces `cacheDir` and the result carries the parsed
 * `trustedRoot` instead of a file path. Without this entry, sigvet uses the
 * trusted root embedded in the package, offline.
 *
 * ```ts
 * import { createVerifier } from 'sigvet';
 * import { fetchTrustedRoot, indexedDbCache } from 'sigvet/tuf';
 * const { json } = await fetchTrustedRoot({ cache: indexedDbCache() });
 * const verifier = await createVerifier({ trustedRoot: json });
 * ```
 * @module
 */
import { SigvetError } from './errors.js';
import { utf8, utf8DecodeStrict } from './encoding/bytes.js';
import type { CryptoProvider } from './crypto/provider.js';
import { webCryptoProvider } from './crypto/webcrypto.js';
import { parseTrustedRoot, type TrustedRoot } from './trust/trusted-root.js';
import { PUBLIC_GOOD_TUF_ROOT_JSON, PUBLIC_GOOD_TUF_URL } from './tuf/public-good-tuf-root.js';
import { memoryCache, type TufCache } from './tuf/web-cache.js';
import type { FetchFunction } from './tuf/web-download.js';
import { tufError } from './tuf/web-errors.js';
import { updateAndFetchTarget } from './tuf/web-updater.js';
import { TRUSTED_ROOT_TARGET } from './tuf/trusted-root-target.js';

export { memoryCache, indexedDbCache, type TufCache } from './tuf/web-cache.js';
export type { FetchFunction } from './tuf/web-download.js';
export { TUF_WEB_LIMITS } from './tuf/web-updater.js';
export { PUBLIC_GOOD_TUF_URL, PUBLIC_GOOD_TUF_ROOT_JSON, PUBLIC_GOOD_TUF_ROOT_SOURCE } from './tuf/public-good-tuf-root.js';

export { TRUSTED_ROOT_TARGET };

/** How to reach and trust a TUF repository. */
export interface TufOptions {
  /**
   * The repository URL: metadata (`N.root.json`, `timestamp.json`, …) at it,
   * targets under `<url>/targets`. Default: the Sigstore public-good
   * repository. In a browser the repository must allow the page's origin (CORS).
   */
  readonly tufUrl?: string;
  /**
   * The repository's initial root.json (text or bytes): the trust anchor,
   * which must be signed by a threshold of its own root keys. Default: the
   * public-good root embedded in sigvet, which only fits the public-good
   * URL; any other URL needs its own root.
   */
  readonly tufRoot?: string | Uint8Array;
  /**
   * Where verified metadata and targets are kept between calls. Default: one
   * in-memory cache shared by every call in this page or worker; pass
   * `indexedDbCache()` to keep them across reloads.
   */
  readonly cache?: TufCache;
  /**
   * Use the cached metadata and target without asking the repository while
   * the cached timestamp (and everything it vouches for) is unexpired;
   * otherwise (and when nothing usable is cached) refresh. Default false:
   * every call asks the repository for newer root versions and a new
   * timestamp, as the TUF client workflow prescribes.
   */
  readonly preferCache?: boolean;
  /** Milliseconds before a request is abandoned (default 30 000). */
  readonly timeoutMs?: number;
  /** Retries for a request that failed on the network or with a 5xx/429 (default 2). */
  readonly retries?: number;
  /** The target name (default `trusted_root.json`). */
  readonly targetName?: string;
  /** The `fetch` to use (default `globalThis.fetch`). */
  readonly fetch?: FetchFunction;
  /** The update's start time, against which expiry is judged (default: now). */
  readonly now?: Date | number;
  /** Verifies the metadata signatures (default: WebCrypto). */
  readonly provider?: CryptoProvider;
}

/** A trusted root obtained through TUF. */
export interface FetchedTrustedRoot {
  /** The trusted root, parsed: what `createVerifier({ trustedRoot })` accepts. */
  readonly trustedRoot: TrustedRoot;
  /** The trusted root, JSON text exactly as the repository signed it (length and hashes checked). */
  readonly json: string;
  /** The repository it came from. */
  readonly tufUrl: string;
  /**
   * True when `preferCache` was honoured: the cached, unexpired timestamp
   * (and the metadata and target it vouches for) was used without asking the repository.
   */
  readonly fromCache: boolean;
  /** Versions of the TUF metadata the root was verified with. */
  readonly metadata: { readonly root: number; readonly timestamp: number; readonly snapshot: number; readonly targets: number };
}

/** The cache used when the caller gives none: one per page or worker. */
let sharedMemoryCache: TufCache | undefined;

/**
 * Fetches (or reads from the cache) the trusted root of a TUF repository,
 * verified as the TUF client workflow requires, and checks that it is a
 * trusted root sigvet can use.
 *
 * @throws SigvetError `TRUST_ROOT` when TUF refuses (check `tuf.<role>.signature`,
 *   `.expired`, `.rollback`, `.version`, `.length`, `.hash`, `.shape`; `tuf.target`,
 *   `tuf.target.length`, `tuf.target.hash`, `tuf.download`, `tuf.download.length`,
 *   `tuf.delegation`, `tuf.cache`) or the target is not a trusted root;
 *   `INVALID_ARGUMENT` for bad options; `UNSUPPORTED` without `fetch`.
 */
export async function fetchTrustedRoot(options: TufOptions = {}): Promise<FetchedTrustedRoot> {
  const tufUrl = normalizeUrl(options.tufUrl ?? PUBLIC_GOOD_TUF_URL);
  if (options.tufRoot === undefined && tufUrl !== PUBLIC_GOOD_TUF_URL) {
    throw new SigvetError('INVALID_ARGUMENT', `no initial root.json for ${tufUrl}: pass tufRoot (the embedded root is the public-good repository's)`, {
      check: 'tuf.root',
    });
  }
  const targetName = options.targetName ?? TRUSTED_ROOT_TARGET;
  if (!/^[\w.-]+(\/[\w.-]+)*$/.test(targetName) || targetName.split('/').some((s) => s === '..' || s === '.')) {
    throw new SigvetError('INVALID_ARGUMENT', `bad target name ${JSON.stringify(targetName)}`, { check: 'tuf.target' });
  }
  const initial = options.tufRoot ?? PUBLIC_GOOD_TUF_ROOT_JSON;
  if (typeof initial !== 'string' && !(initial instanceof Uint8Array)) {
    throw new SigvetError('INVALID_ARGUMENT', 'tufRoot must be JSON text or bytes', { check: 'tuf.root' });
  }
  const config = {
    tufUrl,
    initialRoot: typeof initial === 'string' ? utf8(initial) : new Uint8Array(initial),
    cache: options.cache ?? (sharedMemoryCache ??= memoryCache()),
    downloader: { fetch: fetchFunction(options.fetch), timeoutMs: count(options.timeoutMs, 30_000, 'timeoutMs', 1), retries: count(options.retries, 2, 'retries', 0) },
    provider: options.provider ?? webCryptoProvider,
    now: startTime(options.now),
  };

  let fromCache = false;
  let target = options.preferCache ? await updateAndFetchTarget(config, targetName, true) : undefined;
  if (target !== undefined) fromCache = true;
  else target = (await updateAndFetchTarget(config, targetName, false))!;

  let json: string;
  try {
    json = utf8DecodeStrict(target.bytes);
  } catch (e) {
    throw tufError('tuf.target', `${targetName} is not UTF-8 text`, { cause: e });
  }
  // The target is what TUF vouched for; it must also be a root sigvet accepts.
  const trustedRoot = parseTrustedRoot(json);
  return { trustedRoot, json, tufUrl, fromCache, metadata: target.metadata };
}

/** Alias of {@link fetchTrustedRoot} that names this implementation whatever the export condition chose. */
export const fetchTrustedRootWeb: (options?: TufOptions) => Promise<FetchedTrustedRoot> = fetchTrustedRoot;

/** Checks and normalizes the repository URL: http(s), no query, fragment or credentials, no trailing slash. */
function normalizeUrl(raw: string): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new SigvetError('INVALID_ARGUMENT', `not a URL: ${JSON.stringify(raw)}`, { check: 'tuf.url' });
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') {
    throw new SigvetError('INVALID_ARGUMENT', `TUF repositories are reached over http(s), not ${u.protocol}`, { check: 'tuf.url' });
  }
  if (u.search || u.hash || u.username || u.password) {
    throw new SigvetError('INVALID_ARGUMENT', 'the TUF URL must not carry a query, fragment or credentials', { check: 'tuf.url' });
  }
  return u.href.replace(/\/+$/, '');
}

function fetchFunction(given: FetchFunction | undefined): FetchFunction {
  if (given !== undefined) {
    if (typeof given !== 'function') throw new SigvetError('INVALID_ARGUMENT', 'fetch must be a function', { check: 'tuf.fetch' });
    return given;
  }
  const global = (globalThis as { fetch?: FetchFunction }).fetch;
  if (typeof global !== 'function') {
    throw new SigvetError('UNSUPPORTED', 'this runtime has no fetch(); pass one as the fetch option', { check: 'tuf.fetch' });
  }
  // Called unbound, some runtimes' fetch throws "Illegal invocation".
  return (input, init) => global.call(globalThis, input, init);
}

function count(v: number | undefined, fallback: number, name: string, min: number): number {
  if (v === undefined) return fallback;
  if (!Number.isSafeInteger(v) || v < min) {
    throw new SigvetError('INVALID_ARGUMENT', `${name} must be an integer ≥ ${min}`, { check: 'tuf.options' });
  }
  return v;
}

function startTime(now: Date | number | undefined): number {
  const t = now === undefined ? Date.now() : now instanceof Date ? now.getTime() : now;
  if (typeof t !== 'number' || !Number.isFinite(t)) {
    throw new SigvetError('INVALID_ARGUMENT', 'now must be a valid Date or a time in ms', { check: 'tuf.options' });
  }
  return t;
}
