/**
 * A TUF repository the tests make with their own keys (Ed25519, or ECDSA
 * P-256 written as PEM or hex DER, as the Sigstore repositories do) and
 * serve on 127.0.0.1: root, timestamp, snapshot and targets metadata
 * (consistent snapshots by default, as the Sigstore repositories use),
 * delegated targets roles, and targets stored under their hashes. Tests
 * change what it serves (new versions, expired or rolled-back metadata,
 * foreign signatures, oversized files) and read which paths a client asked for.
 */
import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * OLPC canonical JSON (what TUF signs): keys sorted by code point, no
 * whitespace, integers only, strings escaping only `\` and `"`. Written
 * independently of src/tuf/canonical-json.ts so the tests cross-check it.
 */
export function canonicalJson(value: unknown): string {
  if (typeof value === 'string') return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  if (value === null || typeof value === 'boolean') return String(value);
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new Error('canonical JSON has no floats');
    return String(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value !== 'object') throw new Error(`canonical JSON cannot encode ${typeof value}`);
  const cp = (s: string) => [...s].map((c) => c.codePointAt(0)!);
  const before = (a: string, b: string) => {
    const x = cp(a);
    const y = cp(b);
    for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
    return x.length - y.length;
  };
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => before(a, b));
  return `{${entries.map(([k, v]) => `${canonicalJson(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** How a test key is written in metadata. */
export type KeyKind = 'ed25519' | 'ecdsa' | 'ecdsa-hex';

/** A signing key with its TUF key object and key id. */
export interface TufKey {
  readonly id: string;
  readonly kind: KeyKind;
  readonly tufKey: { keytype: string; scheme: string; keyval: { public: string } };
  readonly privateKey: KeyObject;
}

/**
 * A new key: Ed25519 with a hex raw public key (securesystemslib's form), or
 * ECDSA P-256 (`ecdsa-sha2-nistp256`) with a PEM public key (tuf-on-ci's, as
 * in the Sigstore root) or a hex DER one.
 */
export function newKey(kind: KeyKind = 'ed25519'): TufKey {
  let tufKey: TufKey['tufKey'];
  let privateKey: KeyObject;
  if (kind === 'ed25519') {
    const pair = generateKeyPairSync('ed25519');
    privateKey = pair.privateKey;
    // The raw 32-byte key is the last 32 bytes of its DER SubjectPublicKeyInfo.
    const raw = pair.publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
    tufKey = { keytype: 'ed25519', scheme: 'ed25519', keyval: { public: raw.toString('hex') } };
  } else {
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    privateKey = pair.privateKey;
    const pub = kind === 'ecdsa' ? (pair.publicKey.export({ format: 'pem', type: 'spki' }) as string) : pair.publicKey.export({ format: 'der', type: 'spki' }).toString('hex');
    tufKey = { keytype: 'ecdsa', scheme: 'ecdsa-sha2-nistp256', keyval: { public: pub } };
  }
  return { id: createHash('sha256').update(canonicalJson(tufKey)).digest('hex'), kind, tufKey, privateKey };
}

/** The same key under another key id (to check that one key counts once). */
export function aliasKey(key: TufKey, id: string): TufKey {
  return { ...key, id };
}

/** A signature by `key` over `bytes`, hex (DER ECDSA-Sig-Value for ECDSA). */
function signHex(key: TufKey, bytes: Uint8Array): string {
  return (key.kind === 'ed25519' ? sign(null, bytes, key.privateKey) : sign('sha256', bytes, { key: key.privateKey, dsaEncoding: 'der' })).toString('hex');
}

/** Signs `signed` with each key: a TUF metadata document as bytes. */
export function signMetadata(signed: object, keys: readonly TufKey[]): Uint8Array {
  const bytes = Buffer.from(canonicalJson(signed));
  const signatures = keys.map((k) => ({ keyid: k.id, sig: signHex(k, bytes) }));
  return Buffer.from(JSON.stringify({ signatures, signed }, null, 1));
}

const SPEC_VERSION = '1.0.31';
const DAY_MS = 86_400_000;

/** An RFC 3339 time `days` from now, whole seconds. */
export const inDays = (days: number) => new Date(Date.now() + days * DAY_MS).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The keys of the four top-level roles. */
export interface RoleKeys {
  root: TufKey;
  timestamp: TufKey;
  snapshot: TufKey;
  targets: TufKey;
}

type RoleName = keyof RoleKeys;

/** How {@link TestTufRepository.publishRoot} bends a root. */
export interface RootOptions {
  /** Keys per role (default: the role's one key in `keys`). */
  roleKeys?: Partial<Record<RoleName, readonly TufKey[]>>;
  /** Thresholds per role (default 1). */
  thresholds?: Partial<Record<RoleName, number>>;
  /** Default true. */
  consistentSnapshot?: boolean;
  /** The version written in the file (default: its file's version). */
  signedVersion?: number;
}

/** A delegated targets role published with the top-level targets. */
export interface DelegationSpec {
  name: string;
  keys: readonly TufKey[];
  threshold?: number;
  paths?: string[];
  pathHashPrefixes?: string[];
  terminating?: boolean;
  targets: Record<string, Uint8Array>;
  /** Who signs its metadata (default: `keys`). */
  signers?: readonly TufKey[];
  expires?: string;
}

/** How {@link TestTufRepository.publishTargets} bends one publication. */
export interface PublishOverrides {
  timestampExpires?: string;
  timestampVersion?: number;
  timestampSigner?: TufKey;
  timestampSigners?: readonly TufKey[];
  /** Bytes of padding in a custom field of the timestamp (for oversized metadata). */
  timestampPadding?: number;
  snapshotVersion?: number;
  snapshotExpires?: string;
  snapshotSigners?: readonly TufKey[];
  targetsVersion?: number;
  targetsExpires?: string;
  targetsSigners?: readonly TufKey[];
  /** List length and hashes in timestamp and snapshot `meta` (default false: versions only, as Sigstore does). */
  metaHashes?: boolean;
  /** Hash algorithms of targets, in this order (default sha256). */
  targetHashes?: readonly ('sha256' | 'sha512')[];
  delegations?: readonly DelegationSpec[];
}

export class TestTufRepository {
  /** Path → bytes served. */
  readonly files = new Map<string, Uint8Array>();
  /** Path → status to answer instead (e.g. 500), consumed once each. */
  readonly failOnce = new Map<string, number>();
  /** Path → content type (default application/octet-stream). */
  readonly contentTypes = new Map<string, string>();
  /** Serve without Content-Length (chunked), so a client must bound the stream itself. */
  chunked = false;
  /** Paths requested, in order. */
  readonly requests: string[] = [];
  keys: RoleKeys = { root: newKey(), timestamp: newKey(), snapshot: newKey(), targets: newKey() };
  rootVersion = 0;
  timestampVersion = 0;
  snapshotVersion = 0;
  targetsVersion = 0;
  consistentSnapshot = true;
  private server: http.Server | undefined;
  origin = '';

  /**
   * Signs and publishes root version `rootVersion + 1` with the current keys,
   * signed by `signers` (default: the current root key).
   */
  publishRoot(signers?: readonly TufKey[], expires = inDays(365), options: RootOptions = {}): Uint8Array {
    this.rootVersion += 1;
    this.consistentSnapshot = options.consistentSnapshot ?? true;
    const roles = (['root', 'timestamp', 'snapshot', 'targets'] as const).map((r) => [r, options.roleKeys?.[r] ?? [this.keys[r]]] as const);
    const keys: Record<string, TufKey['tufKey']> = {};
    for (const [, ks] of roles) for (const key of ks) keys[key.id] = key.tufKey;
    const signed = {
      _type: 'root',
      spec_version: SPEC_VERSION,
      version: options.signedVersion ?? this.rootVersion,
      expires,
      consistent_snapshot: this.consistentSnapshot,
      keys,
      roles: Object.fromEntries(roles.map(([r, ks]) => [r, { keyids: [...new Set(ks.map((k) => k.id))], threshold: options.thresholds?.[r] ?? 1 }])),
    };
    const bytes = signMetadata(signed, signers ?? [this.keys.root]);
    this.files.set(`/${this.rootVersion}.root.json`, bytes);
    return bytes;
  }

  /** The path a metadata file of this version is served at. */
  metadataPath(name: string, version: number): string {
    return this.consistentSnapshot ? `/${version}.${name}.json` : `/${name}.json`;
  }

  /** Stores target files and returns their `targets` entries. */
  private storeTargets(targets: Record<string, Uint8Array>, algs: readonly ('sha256' | 'sha512')[]): Record<string, { length: number; hashes: Record<string, string> }> {
    const entries: Record<string, { length: number; hashes: Record<string, string> }> = {};
    for (const [name, bytes] of Object.entries(targets)) {
      const hashes = Object.fromEntries(algs.map((a) => [a, createHash(a).update(bytes).digest('hex')]));
      entries[name] = { length: bytes.length, hashes };
      const slash = name.lastIndexOf('/');
      const dir = name.slice(0, slash + 1);
      const base = name.slice(slash + 1);
      if (this.consistentSnapshot) for (const h of Object.values(hashes)) this.files.set(`/targets/${dir}${h}.${base}`, bytes);
      else this.files.set(`/targets/${name}`, bytes);
    }
    return entries;
  }

  /** A `meta` entry for a file: its version, and with `withHashes` its length and sha256. */
  private metaEntry(bytes: Uint8Array, version: number, withHashes: boolean): object {
    return withHashes ? { version, length: bytes.length, hashes: { sha256: createHash('sha256').update(bytes).digest('hex') } } : { version };
  }

  /**
   * Publishes targets (and delegated roles), snapshot and timestamp (each one
   * version up) for the given target files. `overrides` bends one role for a test.
   */
  publishTargets(targets: Record<string, Uint8Array>, overrides: PublishOverrides = {}): void {
    const k = this.keys;
    const algs = overrides.targetHashes ?? ['sha256'];
    this.targetsVersion = overrides.targetsVersion ?? this.targetsVersion + 1;
    const withHashes = overrides.metaHashes ?? false;
    const snapshotMeta: Record<string, object> = {};

    const delegations = overrides.delegations ?? [];
    for (const d of delegations) {
      const signed = { _type: 'targets', spec_version: SPEC_VERSION, version: this.targetsVersion, expires: d.expires ?? inDays(30), targets: this.storeTargets(d.targets, algs) };
      const bytes = signMetadata(signed, d.signers ?? d.keys);
      this.files.set(this.metadataPath(encodeURIComponent(d.name), this.targetsVersion), bytes);
      snapshotMeta[`${d.name}.json`] = this.metaEntry(bytes, this.targetsVersion, withHashes);
    }

    const targetsSigned: Record<string, unknown> = {
      _type: 'targets',
      spec_version: SPEC_VERSION,
      version: this.targetsVersion,
      expires: overrides.targetsExpires ?? inDays(30),
      targets: this.storeTargets(targets, algs),
    };
    if (delegations.length > 0) {
      const keys: Record<string, TufKey['tufKey']> = {};
      for (const d of delegations) for (const key of d.keys) keys[key.id] = key.tufKey;
      targetsSigned.delegations = {
        keys,
        roles: delegations.map((d) => ({
          name: d.name,
          keyids: d.keys.map((key) => key.id),
          threshold: d.threshold ?? 1,
          terminating: d.terminating ?? false,
          ...(d.pathHashPrefixes ? { path_hash_prefixes: d.pathHashPrefixes } : { paths: d.paths ?? ['*'] }),
        })),
      };
    }
    const targetsBytes = signMetadata(targetsSigned, overrides.targetsSigners ?? [k.targets]);
    this.files.set(this.metadataPath('targets', this.targetsVersion), targetsBytes);
    snapshotMeta['targets.json'] = this.metaEntry(targetsBytes, this.targetsVersion, withHashes);

    this.snapshotVersion = overrides.snapshotVersion ?? this.snapshotVersion + 1;
    const snapshotSigned = { _type: 'snapshot', spec_version: SPEC_VERSION, version: this.snapshotVersion, expires: overrides.snapshotExpires ?? inDays(30), meta: snapshotMeta };
    const snapshotBytes = signMetadata(snapshotSigned, overrides.snapshotSigners ?? [k.snapshot]);
    this.files.set(this.metadataPath('snapshot', this.snapshotVersion), snapshotBytes);

    this.timestampVersion = overrides.timestampVersion ?? this.timestampVersion + 1;
    const timestampSigned: Record<string, unknown> = {
      _type: 'timestamp',
      spec_version: SPEC_VERSION,
      version: this.timestampVersion,
      expires: overrides.timestampExpires ?? inDays(1),
      meta: { 'snapshot.json': this.metaEntry(snapshotBytes, this.snapshotVersion, withHashes) },
    };
    if (overrides.timestampPadding) timestampSigned['x-padding'] = 'x'.repeat(overrides.timestampPadding);
    const timestampSigners = overrides.timestampSigners ?? [overrides.timestampSigner ?? k.timestamp];
    this.files.set('/timestamp.json', signMetadata(timestampSigned, timestampSigners));
  }

  /** Starts serving on 127.0.0.1. */
  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const p = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
      this.requests.push(p);
      const failure = this.failOnce.get(p);
      if (failure !== undefined) {
        this.failOnce.delete(p);
        res.writeHead(failure, { 'content-type': 'text/plain' });
        res.end('failure');
        return;
      }
      const body = this.files.get(p);
      if (req.method !== 'GET' || body === undefined) {
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('not found');
        return;
      }
      const headers: http.OutgoingHttpHeaders = { 'content-type': this.contentTypes.get(p) ?? 'application/octet-stream', 'cache-control': 'no-store' };
      if (!this.chunked) headers['content-length'] = body.length;
      res.writeHead(200, headers);
      if (!this.chunked) {
        res.end(body);
        return;
      }
      // In 16 KiB pieces, so a bounded reader can stop early.
      for (let i = 0; i < body.length; i += 16_384) res.write(body.subarray(i, i + 16_384));
      res.end();
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(0, '127.0.0.1', () => resolve());
    });
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
