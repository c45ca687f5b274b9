/**
 * Where the web TUF client keeps what it trusts between updates: the chain
 * of root versions, the timestamp, snapshot and targets metadata (for the
 * rollback checks the specification requires) and the targets it fetched
 * (so an unchanged target is not downloaded again).
 *
 * Nothing read from a cache is trusted as such: at every update the client
 * re-verifies the cached root chain from its initial root, and cached
 * metadata and targets against the keys, versions and hashes that vouch for
 * them, discarding whatever fails.
 * @module
 */
import { SigvetError } from '../errors.js';

/**
 * A store of TUF metadata and targets, per repository. Metadata names:
 * `<N>.root` (root version N), `timestamp`, `snapshot`, `targets`, and
 * `delegated:<role>` for delegated targets roles. Target names are TUF
 * target paths (`trusted_root.json`). Methods may be synchronous or not.
 */
export interface TufCache {
  /** The stored bytes, or undefined. */
  getMetadata(repository: string, name: string): Promise<Uint8Array | undefined> | Uint8Array | undefined;
  setMetadata(repository: string, name: string, bytes: Uint8Array): Promise<void> | void;
  deleteMetadata(repository: string, name: string): Promise<void> | void;
  /** The stored target bytes, or undefined. */
  getTarget(repository: string, name: string): Promise<Uint8Array | undefined> | Uint8Array | undefined;
  setTarget(repository: string, name: string, bytes: Uint8Array): Promise<void> | void;
}

type EntryKind = 'metadata' | 'target';

/**
 * A cache in memory: it lasts as long as the page or worker (or the object).
 * Bytes are copied in and out, so callers cannot change what it holds.
 */
export function memoryCache(): TufCache {
  const entries = new Map<string, Uint8Array>();
  const key = (repository: string, kind: EntryKind, name: string) => `${repository}\u0000${kind}\u0000${name}`;
  // new Uint8Array(view) copies; a Buffer's slice() would not.
  const get = (k: string) => {
    const v = entries.get(k);
    return v === undefined ? undefined : new Uint8Array(v);
  };
  return {
    getMetadata: (repository, name) => get(key(repository, 'metadata', name)),
    setMetadata: (repository, name, bytes) => void entries.set(key(repository, 'metadata', name), new Uint8Array(bytes)),
    deleteMetadata: (repository, name) => void entries.delete(key(repository, 'metadata', name)),
    getTarget: (repository, name) => get(key(repository, 'target', name)),
    setTarget: (repository, name, bytes) => void entries.set(key(repository, 'target', name), new Uint8Array(bytes)),
  };
}

/** The IndexedDB object store every entry lives in, keyed by `[repository, kind, name]`. */
const STORE = 'entries';

/**
 * A cache in IndexedDB (database `dbName`, created on first use), which
 * survives reloads and is shared by the pages and workers of an origin.
 *
 * @throws SigvetError `UNSUPPORTED` (check `tuf.cache`) where `globalThis.indexedDB` does not exist.
 */
export function indexedDbCache(dbName = 'sigvet-tuf'): TufCache {
  const factory = (globalThis as { indexedDB?: IDBFactory }).indexedDB;
  if (factory === undefined) {
    throw new SigvetError('UNSUPPORTED', 'IndexedDB is not available in this runtime; use memoryCache()', { check: 'tuf.cache' });
  }
  let database: Promise<IDBDatabase> | undefined;
  const open = (): Promise<IDBDatabase> => {
    database ??= new Promise<IDBDatabase>((resolve, reject) => {
      const request = factory.open(dbName, 1);
      request.onupgradeneeded = () => {
        if (!request.result.objectStoreNames.contains(STORE)) request.result.createObjectStore(STORE);
      };
      request.onsuccess = () => {
        const db = request.result;
        // Let another tab upgrade the database instead of blocking it.
        db.onversionchange = () => db.close();
        resolve(db);
      };
      request.onerror = () => reject(request.error ?? new Error(`cannot open IndexedDB ${dbName}`));
      request.onblocked = () => reject(new Error(`IndexedDB ${dbName} is blocked by another connection`));
    }).catch((e: unknown) => {
      database = undefined; // try again next time
      throw e;
    });
    return database;
  };
  const run = async <T>(mode: IDBTransactionMode, f: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> => {
    const db = await open();
    return new Promise<T>((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const request = f(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(request.result);
      tx.onerror = () => reject(tx.error ?? request.error ?? new Error('IndexedDB transaction failed'));
      tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
    });
  };
  const get = async (repository: string, kind: EntryKind, name: string): Promise<Uint8Array | undefined> => {
    const value: unknown = await run('readonly', (s) => s.get([repository, kind, name]));
    return value instanceof Uint8Array ? value : undefined;
  };
  const set = async (repository: string, kind: EntryKind, name: string, bytes: Uint8Array): Promise<void> => {
    await run('readwrite', (s) => s.put(new Uint8Array(bytes), [repository, kind, name]));
  };
  return {
    getMetadata: (repository, name) => get(repository, 'metadata', name),
    setMetadata: (repository, name, bytes) => set(repository, 'metadata', name, bytes),
    deleteMetadata: async (repository, name) => {
      await run('readwrite', (s) => s.delete([repository, 'metadata', name]));
    },
    getTarget: (repository, name) => get(repository, 'target', name),
    setTarget: (repository, name, bytes) => set(repository, 'target', name, bytes),
  };
}
