/**
 * The TUF client workflow (specification 1.0, section 5) for runtimes with
 * `fetch` and no file system: browsers, workers, Deno, Bun, Node.
 *
 * 5.1  the update start time is fixed once (`now`);
 * 5.2  the trusted root is the initial root (checked to be self-signed),
 *      then every cached root version after it, each re-verified as a
 *      rotation step, so a cache cannot add trust the chain does not give;
 * 5.3  root rotation: N+1.root.json until 404/403 (at most 32 per update),
 *      each signed by a threshold of the old and of its own root keys and
 *      numbered exactly N+1; then the root must be unexpired, and cached
 *      timestamp and snapshot are dropped when their keys changed;
 * 5.4  timestamp: threshold, no rollback of its version or of the snapshot
 *      version it names (an equal version keeps the trusted file), unexpired;
 * 5.5  snapshot: length and hashes from the timestamp when given, threshold,
 *      the version the timestamp names, no targets file dropped or rolled
 *      back, unexpired;
 * 5.6  targets: length and hashes from the snapshot when given, threshold,
 *      the version the snapshot names, unexpired; then a pre-order
 *      depth-first search through delegations (terminating and not,
 *      `paths` and `path_hash_prefixes`, at most 32 roles), each delegated
 *      role verified like targets with its delegator's keys;
 * 5.7  the target: at most its signed length, then its length and every
 *      supported hash (sha256, sha384, sha512) checked; under consistent
 *      snapshots fetched as `<hash>.<name>`.
 *
 * Every file is written to the cache once trusted; cached files are used
 * (not downloaded again) when they are exactly what the newer metadata
 * names. Metadata of unknown size is read up to 512 KiB.
 * @module
 */
import { SigvetError } from '../errors.js';
import { toHex } from '../encoding/hex.js';
import type { CryptoProvider, HashAlgorithm } from '../crypto/provider.js';
import type { TufCache } from './web-cache.js';
import { download, type Downloader } from './web-download.js';
import { metadataError, tufError, type TufRoleName } from './web-errors.js';
import {
  parseRootMetadata,
  parseSnapshotMetadata,
  parseTargetsMetadata,
  parseTimestampMetadata,
  type DelegatedRole,
  type MetaFile,
  type MetadataCommon,
  type RoleKeys,
  type RootMetadata,
  type SnapshotMetadata,
  type TargetFile,
  type TargetsMetadata,
  type TimestampMetadata,
  type TufKeyDescription,
} from './web-metadata.js';
import { delegationCovers } from './web-path-pattern.js';
import { TufSignatureVerifier } from './web-signatures.js';

/** Hard limits of one update. */
export const TUF_WEB_LIMITS = {
  /** Bytes read of a metadata file whose length no signed metadata gives (roots, timestamp; 512 KiB). */
  maxMetadataBytes: 512 * 1024,
  /** Largest target accepted, whatever length its metadata signs (8 MiB). */
  maxTargetBytes: 8 * 1024 * 1024,
  /** New root versions fetched in one update (specification 5.3.3). */
  maxRootRotations: 32,
  /** Cached root versions re-verified at start. */
  maxCachedRoots: 1024,
  /** Targets roles visited in the delegation search (specification 5.6.7.1). */
  maxDelegations: 32,
} as const;

/** Everything one update needs. */
export interface UpdaterConfig {
  /** The repository URL, normalized (http(s), no trailing slash): the cache key too. */
  readonly tufUrl: string;
  /** The initial root.json, the trust anchor. */
  readonly initialRoot: Uint8Array;
  readonly cache: TufCache;
  readonly downloader: Downloader;
  readonly provider: CryptoProvider;
  /** The fixed update start time, ms since the epoch. */
  readonly now: number;
}

/** A target obtained through TUF, with the metadata versions that vouched for it. */
export interface TufTarget {
  readonly bytes: Uint8Array;
  readonly metadata: { readonly root: number; readonly timestamp: number; readonly snapshot: number; readonly targets: number };
}

/** Thrown inside a cache-only update when something would have to be downloaded. */
class CacheMiss extends Error {}

/** The TUF hash names checked, as the provider's hash algorithms. */
const HASHES: { readonly [alg: string]: HashAlgorithm } = { sha256: 'sha256', sha384: 'sha384', sha512: 'sha512' };

/**
 * Runs the client workflow and returns the verified bytes of `targetPath`.
 *
 * @param cacheOnly use only cached metadata and targets (no request at all);
 *   resolves undefined when the cache cannot answer (missing, stale or
 *   unverifiable data), so the caller can fall back to a full update.
 * @throws SigvetError `TRUST_ROOT` (the `tuf.*` checks listed in web-errors.ts) when TUF refuses.
 */
export async function updateAndFetchTarget(config: UpdaterConfig, targetPath: string, cacheOnly: boolean): Promise<TufTarget | undefined> {
  const updater = new WebTufUpdater(config, cacheOnly);
  try {
    return await updater.run(targetPath);
  } catch (e) {
    if (cacheOnly) return undefined;
    throw e;
  }
}

class WebTufUpdater {
  private readonly signatures: TufSignatureVerifier;
  private readonly cache: CacheAccess;

  constructor(
    private readonly config: UpdaterConfig,
    private readonly cacheOnly: boolean,
  ) {
    this.signatures = new TufSignatureVerifier(config.provider);
    this.cache = new CacheAccess(config.cache, config.tufUrl);
  }

  async run(targetPath: string): Promise<TufTarget> {
    // 5.2: the trusted root, from the anchor and the cached chain.
    const cachedRoot = await this.loadTrustedRoot();
    // 5.3: rotation.
    const root = this.cacheOnly ? cachedRoot : await this.updateRoot(cachedRoot);
    this.requireUnexpired(root, 'root', `root.json version ${root.version}`);
    if (!this.cacheOnly && (rolesDiffer(cachedRoot, root, 'timestamp') || rolesDiffer(cachedRoot, root, 'snapshot'))) {
      // 5.3.11: after a timestamp or snapshot key rotation, forget what the old keys signed (fast-forward recovery).
      await this.cache.deleteMetadata('timestamp');
      await this.cache.deleteMetadata('snapshot');
    }
    const timestamp = await this.updateTimestamp(root);
    const snapshot = await this.updateSnapshot(root, timestamp);
    const targets = await this.updateTargetsRole(root, snapshot, 'targets', root.roles.targets, root.keys);
    const info = await this.findTarget(root, snapshot, targets, targetPath);
    const bytes = await this.fetchTarget(root, targetPath, info);
    return { bytes, metadata: { root: root.version, timestamp: timestamp.version, snapshot: snapshot.version, targets: targets.version } };
  }

  // --- 5.2, 5.3: root ---------------------------------------------------

  private async loadTrustedRoot(): Promise<RootMetadata> {
    let root = parseRootMetadata(this.config.initialRoot, 'the initial root.json');
    // The anchor is trusted as given, but a root that does not verify under its own keys is a configuration mistake.
    await this.signatures.requireThreshold(root.envelope, root.roles.root, root.keys, 'root', `the initial root.json (version ${root.version}, by its own root keys)`);
    for (let i = 0; i < TUF_WEB_LIMITS.maxCachedRoots; i++) {
      const name = `${root.version + 1}.root`;
      const bytes = await this.cache.getMetadata(name);
      if (bytes === undefined) break;
      try {
        root = await this.verifyNextRoot(root, bytes);
      } catch (e) {
        if (!(e instanceof SigvetError)) throw e;
        await this.cache.deleteMetadata(name); // not a valid step: the network chain decides
        break;
      }
    }
    return root;
  }

  private async updateRoot(trusted: RootMetadata): Promise<RootMetadata> {
    let root = trusted;
    for (let i = 0; i < TUF_WEB_LIMITS.maxRootRotations; i++) {
      const file = `${root.version + 1}.root.json`;
      const bytes = await this.download(file, TUF_WEB_LIMITS.maxMetadataBytes, file, { missingOk: true, volatile: true });
      if (bytes === undefined) break;
      root = await this.verifyNextRoot(root, bytes);
      await this.cache.setMetadata(`${root.version}.root`, bytes);
    }
    return root;
  }

  /** 5.3.4–5.3.5: signed by a threshold of the old root keys and of its own, and exactly one version newer. */
  private async verifyNextRoot(trusted: RootMetadata, bytes: Uint8Array): Promise<RootMetadata> {
    const file = `${trusted.version + 1}.root.json`;
    const next = parseRootMetadata(bytes, file);
    await this.signatures.requireThreshold(next.envelope, trusted.roles.root, trusted.keys, 'root', `${file} (by the root keys of version ${trusted.version})`);
    await this.signatures.requireThreshold(next.envelope, next.roles.root, next.keys, 'root', `${file} (by its own root keys)`);
    if (next.version !== trusted.version + 1) {
      throw metadataError('root', next.version <= trusted.version ? 'rollback' : 'version', `${file} has version ${next.version}`, {
        expected: `${trusted.version + 1}`,
        actual: `${next.version}`,
      });
    }
    return next;
  }

  // --- 5.4: timestamp ---------------------------------------------------

  private async updateTimestamp(root: RootMetadata): Promise<TimestampMetadata> {
    const trusted = await this.loadCached('timestamp', 'timestamp', parseTimestampMetadata, root.roles.timestamp, root.keys, 'timestamp.json');
    if (this.cacheOnly) {
      if (trusted === undefined) throw new CacheMiss();
      this.requireUnexpired(trusted, 'timestamp', 'timestamp.json');
      return trusted;
    }
    const bytes = (await this.download('timestamp.json', TUF_WEB_LIMITS.maxMetadataBytes, 'timestamp.json', { volatile: true }))!;
    const fresh = parseTimestampMetadata(bytes);
    await this.signatures.requireThreshold(fresh.envelope, root.roles.timestamp, root.keys, 'timestamp', 'timestamp.json');
    let timestamp = fresh;
    if (trusted !== undefined) {
      if (fresh.version < trusted.version) {
        throw metadataError('timestamp', 'rollback', `timestamp.json version ${fresh.version} is older than the trusted version ${trusted.version}`, {
          expected: `≥ ${trusted.version}`,
          actual: `${fresh.version}`,
        });
      }
      if (fresh.version === trusted.version) timestamp = trusted; // nothing new (5.4.3.1)
      else if (fresh.snapshot.version < trusted.snapshot.version) {
        throw metadataError('timestamp', 'rollback', `timestamp.json version ${fresh.version} names snapshot version ${fresh.snapshot.version}, older than the trusted ${trusted.snapshot.version}`, {
          expected: `≥ ${trusted.snapshot.version}`,
          actual: `${fresh.snapshot.version}`,
        });
      }
    }
    this.requireUnexpired(timestamp, 'timestamp', `timestamp.json version ${timestamp.version}`);
    if (timestamp === fresh) await this.cache.setMetadata('timestamp', bytes);
    return timestamp;
  }

  // --- 5.5: snapshot ----------------------------------------------------

  private async updateSnapshot(root: RootMetadata, timestamp: TimestampMetadata): Promise<SnapshotMetadata> {
    const ref = timestamp.snapshot;
    const trusted = await this.loadCached('snapshot', 'snapshot', parseSnapshotMetadata, root.roles.snapshot, root.keys, 'snapshot.json');
    if (trusted !== undefined && trusted.version === ref.version && (await matchesReference(this.config.provider, trusted.envelope.bytes, ref)) && trusted.expires > this.config.now) return trusted;
    const file = root.consistentSnapshot ? `${ref.version}.snapshot.json` : 'snapshot.json';
    const bytes = await this.downloadReferenced(file, ref, file, 'snapshot');
    await checkLengthAndHashes(this.config.provider, bytes, ref, file, 'snapshot');
    const fresh = parseSnapshotMetadata(bytes);
    await this.signatures.requireThreshold(fresh.envelope, root.roles.snapshot, root.keys, 'snapshot', file);
    requireVersion(fresh, ref, 'snapshot', file, `timestamp version ${timestamp.version}`);
    if (trusted !== undefined) {
      // 5.5.5: no targets metadata disappears or goes back.
      for (const [name, old] of trusted.meta) {
        const now = fresh.meta.get(name);
        if (now === undefined || now.version < old.version) {
          throw metadataError('snapshot', 'rollback', `${file}: ${name} ${now === undefined ? 'is no longer listed' : `goes back from version ${old.version} to ${now.version}`}`, {
            expected: `${name} version ≥ ${old.version}`,
            actual: now === undefined ? 'absent' : `${now.version}`,
          });
        }
      }
    }
    this.requireUnexpired(fresh, 'snapshot', file);
    await this.cache.setMetadata('snapshot', bytes);
    return fresh;
  }

  // --- 5.6: targets and delegations -------------------------------------

  /** Loads `targets` or a delegated role, verified with `keys`/`roleKeys` (its delegator's). */
  private async updateTargetsRole(root: RootMetadata, snapshot: SnapshotMetadata, name: string, roleKeys: RoleKeys, keys: ReadonlyMap<string, TufKeyDescription>): Promise<TargetsMetadata> {
    const delegated = name !== 'targets';
    const label = delegated ? `delegated role ${JSON.stringify(name)}` : 'targets.json';
    const ref = snapshot.meta.get(`${name}.json`);
    if (ref === undefined) {
      throw metadataError('targets', 'version', `snapshot version ${snapshot.version} does not list ${name}.json`, { expected: `${name}.json listed`, actual: 'absent' });
    }
    const cacheName = delegated ? `delegated:${name}` : 'targets';
    const parse = (b: Uint8Array) => parseTargetsMetadata(b, name);
    const trusted = await this.loadCached(cacheName, 'targets', parse, roleKeys, keys, label);
    if (trusted !== undefined && trusted.version === ref.version && (await matchesReference(this.config.provider, trusted.envelope.bytes, ref)) && trusted.expires > this.config.now) return trusted;
    const base = encodeURIComponent(name);
    const file = root.consistentSnapshot ? `${ref.version}.${base}.json` : `${base}.json`;
    const bytes = await this.downloadReferenced(file, ref, label, 'targets');
    await checkLengthAndHashes(this.config.provider, bytes, ref, label, 'targets');
    const fresh = parse(bytes);
    await this.signatures.requireThreshold(fresh.envelope, roleKeys, keys, 'targets', label);
    requireVersion(fresh, ref, 'targets', label, `snapshot version ${snapshot.version}`);
    this.requireUnexpired(fresh, 'targets', label);
    await this.cache.setMetadata(cacheName, bytes);
    return fresh;
  }

  /**
   * 5.6.7: pre-order depth-first search from the top-level targets role. A
   * terminating delegation that covers the path ends the search after its
   * own subtree; roles are visited once; at most `maxDelegations` roles.
   */
  private async findTarget(root: RootMetadata, snapshot: SnapshotMetadata, top: TargetsMetadata, targetPath: string): Promise<TargetFile> {
    type Pending = { readonly role: DelegatedRole; readonly keys: ReadonlyMap<string, TufKeyDescription> };
    const visited = new Set<string>(['targets']);
    const stack: Pending[] = [];
    let current: TargetsMetadata = top;
    for (let visits = 1; ; visits++) {
      const found = current.targets.get(targetPath);
      if (found !== undefined) return found;
      const delegations = current.delegations;
      if (delegations !== undefined) {
        const children: Pending[] = [];
        for (const role of delegations.roles) {
          if (!delegationCovers(role, targetPath)) continue;
          children.push({ role, keys: delegations.keys });
          if (role.terminating) {
            stack.length = 0; // nothing outside this subtree may answer
            break;
          }
        }
        if (children.length === 0 && delegations.succinct) {
          throw new SigvetError('UNSUPPORTED', `TUF: ${targetPath} may be delegated through succinct hash-bin roles (TAP 15), which this client does not follow`, { check: 'tuf.delegation' });
        }
        stack.push(...children.reverse());
      }
      let next: Pending | undefined;
      while ((next = stack.pop()) !== undefined && visited.has(next.role.name));
      if (next === undefined) break;
      if (visits >= TUF_WEB_LIMITS.maxDelegations) {
        throw tufError('tuf.delegation', `searched ${visits} targets roles for ${targetPath} without finding it (the limit)`, { expected: `at most ${TUF_WEB_LIMITS.maxDelegations} roles` });
      }
      visited.add(next.role.name);
      current = await this.updateTargetsRole(root, snapshot, next.role.name, next.role, next.keys);
    }
    throw tufError('tuf.target', `the repository has no target ${targetPath}`, { expected: targetPath, actual: 'absent' });
  }

  // --- 5.7: the target --------------------------------------------------

  private async fetchTarget(root: RootMetadata, targetPath: string, info: TargetFile): Promise<Uint8Array> {
    if (info.length > TUF_WEB_LIMITS.maxTargetBytes) {
      throw tufError('tuf.target.length', `${targetPath}: its signed length ${info.length} exceeds the limit of ${TUF_WEB_LIMITS.maxTargetBytes} bytes`);
    }
    const cached = await this.cache.getTarget(targetPath);
    if (cached !== undefined && (await matchesReference(this.config.provider, cached, info))) return cached;
    const segments = targetPath.split('/').map(encodeURIComponent);
    if (root.consistentSnapshot) {
      // The repository stores each target under each of its hashes; the first listed is the one asked for.
      const [firstHash] = info.hashes.values();
      segments.push(`${encodeURIComponent(firstHash!)}.${segments.pop()!}`);
    }
    let bytes: Uint8Array;
    try {
      bytes = (await this.download(`targets/${segments.join('/')}`, info.length, `target ${targetPath}`))!;
    } catch (e) {
      if (e instanceof SigvetError && e.check === 'tuf.download.length') {
        throw tufError('tuf.target.length', `${targetPath}: longer than the ${info.length} bytes signed for it`, { expected: `${info.length} bytes`, actual: e.actual, cause: e });
      }
      throw e;
    }
    if (bytes.length !== info.length) {
      throw tufError('tuf.target.length', `${targetPath}: ${bytes.length} bytes, not the ${info.length} signed for it`, { expected: `${info.length}`, actual: `${bytes.length}` });
    }
    const mismatch = await hashMismatch(this.config.provider, bytes, info.hashes);
    if (mismatch !== undefined) throw tufError('tuf.target.hash', `${targetPath}: ${mismatch.message}`, { expected: mismatch.expected, actual: mismatch.actual });
    await this.cache.setTarget(targetPath, bytes);
    return bytes;
  }

  // --- helpers ------------------------------------------------------------

  /** A cached metadata file that still verifies under the given keys, or undefined (and it is dropped). */
  private async loadCached<T extends MetadataCommon>(
    cacheName: string,
    role: TufRoleName,
    parse: (bytes: Uint8Array) => T,
    roleKeys: RoleKeys,
    keys: ReadonlyMap<string, TufKeyDescription>,
    label: string,
  ): Promise<T | undefined> {
    const bytes = await this.cache.getMetadata(cacheName);
    if (bytes === undefined) return undefined;
    try {
      const m = parse(bytes);
      await this.signatures.requireThreshold(m.envelope, roleKeys, keys, role, `cached ${label}`);
      return m;
    } catch (e) {
      if (!(e instanceof SigvetError)) throw e;
      await this.cache.deleteMetadata(cacheName);
      return undefined;
    }
  }

  private download(file: string, maxBytes: number, what: string, options: { missingOk?: boolean; volatile?: boolean } = {}): Promise<Uint8Array | undefined> {
    if (this.cacheOnly) throw new CacheMiss();
    return download(this.config.downloader, `${this.config.tufUrl}/${file}`, maxBytes, what, options);
  }

  /**
   * 5.5.1, 5.6.1: a metadata file another one names, read up to the length
   * signed for it (else the fixed cap); longer is a `length` failure of its role.
   */
  private async downloadReferenced(file: string, ref: MetaFile, label: string, role: TufRoleName): Promise<Uint8Array> {
    const max = Math.min(ref.length ?? Infinity, TUF_WEB_LIMITS.maxMetadataBytes);
    try {
      return (await this.download(file, max, label))!;
    } catch (e) {
      if (e instanceof SigvetError && e.check === 'tuf.download.length' && ref.length !== undefined && ref.length <= TUF_WEB_LIMITS.maxMetadataBytes) {
        throw metadataError(role, 'length', `${label}: longer than the ${ref.length} bytes its referrer signed`, { expected: `${ref.length}`, actual: e.actual, cause: e });
      }
      throw e;
    }
  }

  /** 5.3.10, 5.4.4, 5.5.6, 5.6.5: unexpired at the fixed start time. */
  private requireUnexpired(m: MetadataCommon, role: TufRoleName, label: string): void {
    if (m.expires <= this.config.now) {
      throw metadataError(role, 'expired', `${label} expired at ${m.expiresText}`, {
        expected: `expiry after ${new Date(this.config.now).toISOString()}`,
        actual: m.expiresText,
      });
    }
  }
}

/** 5.5.4, 5.6.4: the version the referring metadata names. */
function requireVersion(m: MetadataCommon, ref: MetaFile, role: TufRoleName, label: string, referrer: string): void {
  if (m.version !== ref.version) {
    throw metadataError(role, 'version', `${label} has version ${m.version}, ${referrer} names ${ref.version}`, { expected: `${ref.version}`, actual: `${m.version}` });
  }
}

/** 5.5.2, 5.6.2: the length and hashes the referrer signed, when it gives them. */
async function checkLengthAndHashes(provider: CryptoProvider, bytes: Uint8Array, ref: MetaFile, label: string, role: TufRoleName): Promise<void> {
  if (ref.length !== undefined && bytes.length !== ref.length) {
    throw metadataError(role, 'length', `${label}: ${bytes.length} bytes, not the ${ref.length} its referrer signed`, { expected: `${ref.length}`, actual: `${bytes.length}` });
  }
  if (ref.hashes !== undefined) {
    const mismatch = await hashMismatch(provider, bytes, ref.hashes);
    if (mismatch !== undefined) throw metadataError(role, 'hash', `${label}: ${mismatch.message}`, { expected: mismatch.expected, actual: mismatch.actual });
  }
}

/** True when cached bytes are exactly what `ref` describes (length and hashes, when given). */
async function matchesReference(
  provider: CryptoProvider,
  bytes: Uint8Array,
  ref: { readonly length: number | undefined; readonly hashes: ReadonlyMap<string, string> | undefined },
): Promise<boolean> {
  if (ref.length !== undefined && bytes.length !== ref.length) return false;
  return ref.hashes === undefined || (await hashMismatch(provider, bytes, ref.hashes)) === undefined;
}

/** The first supported hash that differs, or undefined when all match; no supported hash at all is a mismatch. */
/** The first listed supported hash that differs, through the provider's (native) digest. */
async function hashMismatch(
  provider: CryptoProvider,
  bytes: Uint8Array,
  hashes: ReadonlyMap<string, string>,
): Promise<{ message: string; expected: string; actual: string } | undefined> {
  let checked = 0;
  for (const [alg, want] of hashes) {
    const h = Object.prototype.hasOwnProperty.call(HASHES, alg) ? HASHES[alg] : undefined;
    if (h === undefined) continue;
    checked++;
    const got = toHex(await provider.digest(h, bytes));
    if (got !== want.toLowerCase()) return { message: `${alg} mismatch`, expected: `${alg}:${want}`, actual: `${alg}:${got}` };
  }
  if (checked === 0) {
    return { message: 'no supported hash (sha256, sha384, sha512)', expected: 'sha256, sha384 or sha512', actual: [...hashes.keys()].join(', ') };
  }
  return undefined;
}

/** Whether a role's keys or threshold differ between two roots. */
function rolesDiffer(a: RootMetadata, b: RootMetadata, role: 'timestamp' | 'snapshot'): boolean {
  const describe = (r: RootMetadata) =>
    JSON.stringify([r.roles[role].threshold, [...r.roles[role].keyids].sort().map((id) => [id, r.keys.get(id) ?? null])]);
  return describe(a) !== describe(b);
}

/** Cache calls: a failed read is a miss, a failed write an error (the client must persist what it trusts). */
class CacheAccess {
  constructor(
    private readonly cache: TufCache,
    private readonly repository: string,
  ) {}

  async getMetadata(name: string): Promise<Uint8Array | undefined> {
    try {
      const v: unknown = await this.cache.getMetadata(this.repository, name);
      return v instanceof Uint8Array ? v : undefined;
    } catch {
      return undefined;
    }
  }

  async setMetadata(name: string, bytes: Uint8Array): Promise<void> {
    try {
      await this.cache.setMetadata(this.repository, name, bytes);
    } catch (e) {
      throw tufError('tuf.cache', `cannot store ${name} in the cache`, { cause: e });
    }
  }

  async deleteMetadata(name: string): Promise<void> {
    try {
      await this.cache.deleteMetadata(this.repository, name);
    } catch {
      // What stays is re-verified (and refused) at the next update.
    }
  }

  async getTarget(name: string): Promise<Uint8Array | undefined> {
    try {
      const v: unknown = await this.cache.getTarget(this.repository, name);
      return v instanceof Uint8Array ? v : undefined;
    } catch {
      return undefined;
    }
  }

  async setTarget(name: string, bytes: Uint8Array): Promise<void> {
    try {
      await this.cache.setTarget(this.repository, name, bytes);
    } catch (e) {
      throw tufError('tuf.cache', `cannot store target ${name} in the cache`, { cause: e });
    }
  }
}
