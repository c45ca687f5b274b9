/**
 * Fetches the Sigstore trusted root (`trusted_root.json`) from a TUF
 * repository with tuf-js, keeping TUF metadata and the target in a file
 * cache (Node.js, Bun, Deno). Every TUF rule (signature thresholds, root
 * rotation, expiry, rollback, target length and hashes) is tuf-js's; this
 * module picks the repository, seeds and locates the cache, and reports
 * failures as {@link SigvetError}s with a `tuf.*` check.
 *
 * Node-only by design: tuf-js reads and writes its metadata with `node:fs`.
 * @module
 */
import { mkdirSync, readFileSync, writeFileSync, existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import type { Updater } from 'tuf-js';
import { SigvetError } from '../errors.js';
import { parseTrustedRoot } from '../trust/trusted-root.js';
import { PUBLIC_GOOD_TUF_ROOT_JSON, PUBLIC_GOOD_TUF_URL } from './public-good-tuf-root.js';
import { tufFailure } from './tuf-errors.js';
import { TRUSTED_ROOT_TARGET } from './trusted-root-target.js';

export { TRUSTED_ROOT_TARGET };

/** How to reach and trust a TUF repository. */
export interface TufOptions {
  /**
   * The repository URL: metadata (`N.root.json`, `timestamp.json`, …) at it,
   * targets under `<url>/targets`. Default: the Sigstore public-good
   * repository.
   */
  readonly tufUrl?: string;
  /**
   * The repository's initial root.json (text or bytes), trusted without
   * verification: it is the trust anchor. Default: the public-good root
   * embedded in sigvet, which only fits the public-good URL; any other URL
   * needs its own root.
   */
  readonly tufRoot?: string | Uint8Array;
  /**
   * The cache directory for this and other repositories (one subdirectory
   * each). Default: `$SIGVET_CACHE_DIR/tuf`, else the platform's user cache
   * (`$XDG_CACHE_HOME` or `~/.cache` on Linux, `~/Library/Caches` on macOS,
   * `%LOCALAPPDATA%` on Windows) + `/sigvet/tuf`.
   */
  readonly cacheDir?: string;
  /**
   * Use the cached metadata without asking the repository while the cached
   * timestamp is unexpired; otherwise (and when nothing is cached) refresh.
   * Default false: every call asks the repository for a new timestamp, as
   * the TUF client workflow prescribes.
   */
  readonly preferCache?: boolean;
  /** Milliseconds before a request is abandoned (default 30 000). */
  readonly timeoutMs?: number;
  /** Retries for a failed request (default 2). */
  readonly retries?: number;
  /** The target name (default `trusted_root.json`). */
  readonly targetName?: string;
}

/** A trusted root obtained through TUF. */
export interface FetchedTrustedRoot {
  /** The trusted root, JSON text exactly as the repository signed it (hash checked). */
  readonly json: string;
  /** The repository it came from. */
  readonly tufUrl: string;
  /** The local file holding it (in the cache). */
  readonly path: string;
  /**
   * True when `preferCache` was honoured: the cached, unexpired timestamp
   * (and the metadata it vouches for) was used without asking the repository.
   */
  readonly fromCache: boolean;
  /** Versions of the TUF metadata the root was verified with. */
  readonly metadata: { readonly root: number; readonly timestamp: number; readonly snapshot: number; readonly targets: number };
}

/** The per-user cache directory for sigvet's TUF data. */
export function defaultTufCacheDir(): string {
  const env = process.env;
  if (env.SIGVET_CACHE_DIR) return path.join(env.SIGVET_CACHE_DIR, 'tuf');
  if (process.platform === 'win32' && env.LOCALAPPDATA) return path.join(env.LOCALAPPDATA, 'sigvet', 'tuf');
  if (process.platform === 'darwin') return path.join(homedir(), 'Library', 'Caches', 'sigvet', 'tuf');
  return path.join(env.XDG_CACHE_HOME || path.join(homedir(), '.cache'), 'sigvet', 'tuf');
}

/** A file-system-safe directory name for a repository URL. */
export function repositoryDirName(tufUrl: string): string {
  const u = new URL(tufUrl);
  return encodeURIComponent(`${u.host}${u.pathname.replace(/\/+$/, '')}`);
}

/** Checks and normalizes the repository URL: http(s), no query or fragment, no trailing slash. */
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

/** tuf-js is an optional peer dependency: load it on first use, with a clear message when absent. */
async function loadTufJs(): Promise<typeof import('tuf-js')> {
  // A computed specifier keeps bundlers (the CLI's) from inlining tuf-js,
  // which is CommonJS that requires node:fs; Node resolves it at run time.
  const name = 'tuf-js';
  try {
    const mod = (await import(/* @vite-ignore */ name)) as typeof import('tuf-js') & { default?: typeof import('tuf-js') };
    return typeof mod.Updater === 'function' ? mod : (mod.default as typeof import('tuf-js'));
  } catch (cause) {
    throw new SigvetError('UNSUPPORTED', 'sigvet/tuf needs the tuf-js package: npm install tuf-js', { check: 'tuf.client', cause });
  }
}

/** Reads `role.json` from the cache and returns its signed version, or 0. */
function cachedVersion(dir: string, role: string): number {
  try {
    const doc = JSON.parse(readFileSync(path.join(dir, `${role}.json`), 'utf8')) as { signed?: { version?: unknown } };
    return typeof doc.signed?.version === 'number' ? doc.signed.version : 0;
  } catch {
    return 0;
  }
}

/**
 * Fetches (or reads from the cache) the trusted root of a TUF repository,
 * verified as TUF requires, and checks that it is a trusted root sigvet can use.
 *
 * @throws SigvetError `TRUST_ROOT` (check `tuf.metadata.expired`,
 *   `tuf.metadata.rollback`, `tuf.metadata.signature`, `tuf.target.hash`,
 *   `tuf.download`, `tuf.target`, …) when TUF refuses; `INVALID_ARGUMENT`
 *   for bad options; `UNSUPPORTED` without tuf-js.
 */
export async function fetchTrustedRoot(options: TufOptions = {}): Promise<FetchedTrustedRoot> {
  const tufUrl = normalizeUrl(options.tufUrl ?? PUBLIC_GOOD_TUF_URL);
  const isPublicGood = tufUrl === PUBLIC_GOOD_TUF_URL;
  if (options.tufRoot === undefined && !isPublicGood) {
    throw new SigvetError('INVALID_ARGUMENT', `no initial root.json for ${tufUrl}: pass tufRoot (the embedded root is the public-good repository's)`, {
      check: 'tuf.root',
    });
  }
  const targetName = options.targetName ?? TRUSTED_ROOT_TARGET;
  if (!/^[\w.-]+(\/[\w.-]+)*$/.test(targetName) || targetName.split('/').some((s) => s === '..' || s === '.')) {
    throw new SigvetError('INVALID_ARGUMENT', `bad target name ${JSON.stringify(targetName)}`, { check: 'tuf.target' });
  }
  const dir = path.join(options.cacheDir ?? defaultTufCacheDir(), repositoryDirName(tufUrl));
  const targetDir = path.join(dir, 'targets');
  mkdirSync(targetDir, { recursive: true });

  // Seed the cache with the trust anchor once; afterwards the cached root
  // (possibly rotated to a newer version) is the one to start from.
  const rootFile = path.join(dir, 'root.json');
  if (!existsSync(rootFile) || statSync(rootFile).size === 0) {
    const seed = options.tufRoot ?? PUBLIC_GOOD_TUF_ROOT_JSON;
    writeFileSync(rootFile, seed, { mode: 0o644 });
  }

  const { Updater } = await loadTufJs();
  let updater: Updater;
  try {
    updater = new Updater({
      metadataBaseUrl: tufUrl,
      targetBaseUrl: `${tufUrl}/targets`,
      metadataDir: dir,
      targetDir,
      forceCache: options.preferCache ?? false,
      config: {
        fetchTimeout: options.timeoutMs ?? 30_000,
        fetchRetry: options.retries ?? 2,
        userAgent: 'sigvet',
      },
    });
  } catch (err) {
    throw tufFailure(err, 'reading the cached root.json');
  }

  const before = readTimestampFile(dir);
  const unexpiredBefore = before !== '' && timestampUnexpired(before);
  let json: string;
  let file: string;
  try {
    await updater.refresh();
    const info = await updater.getTargetInfo(targetName);
    if (!info) throw new SigvetError('TRUST_ROOT', `the repository has no target ${targetName}`, { check: 'tuf.target' });
    file = (await updater.findCachedTarget(info)) ?? (await updater.downloadTarget(info));
    json = readFileSync(file, 'utf8');
  } catch (err) {
    throw err instanceof SigvetError ? err : tufFailure(err, `updating from ${tufUrl}`);
  }
  // The target is what TUF vouched for; it must also be a root sigvet accepts.
  parseTrustedRoot(json);
  return {
    json,
    tufUrl,
    path: file,
    // tuf-js uses the cached timestamp only while it is unexpired, and
    // rewrites the file whenever it fetched a newer one.
    fromCache: (options.preferCache ?? false) && unexpiredBefore && readTimestampFile(dir) === before,
    metadata: {
      root: cachedVersion(dir, 'root'),
      timestamp: cachedVersion(dir, 'timestamp'),
      snapshot: cachedVersion(dir, 'snapshot'),
      targets: cachedVersion(dir, 'targets'),
    },
  };
}

/** Whether a timestamp.json text says it has not expired (its signature is tuf-js's to check). */
function timestampUnexpired(text: string): boolean {
  try {
    const expires = (JSON.parse(text) as { signed?: { expires?: unknown } }).signed?.expires;
    return typeof expires === 'string' && Date.parse(expires) > Date.now();
  } catch {
    return false;
  }
}

function readTimestampFile(dir: string): string {
  try {
    return readFileSync(path.join(dir, 'timestamp.json'), 'utf8');
  } catch {
    return '';
  }
}
