/**
 * A TUF repository the tests make with their own Ed25519 keys and serve on
 * 127.0.0.1: root, timestamp, snapshot and targets metadata (consistent
 * snapshots, as the Sigstore repositories use), and targets stored under
 * their SHA-256. Tests change what it serves (new versions, expired or
 * rolled-back metadata, foreign signatures) and read which paths a client
 * asked for.
 */
import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** OLPC canonical JSON (what TUF signs): sorted keys, no whitespace. The test data is ASCII without escapes. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isInteger(value)) throw new Error('canonical JSON has no floats');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** An Ed25519 signing key with its TUF key object and key id. */
export interface TufKey {
  readonly id: string;
  readonly tufKey: { keytype: 'ed25519'; scheme: 'ed25519'; keyval: { public: string } };
  readonly privateKey: KeyObject;
}

export function newKey(): TufKey {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  // The raw 32-byte key is the last 32 bytes of its DER SubjectPublicKeyInfo.
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  const tufKey = { keytype: 'ed25519' as const, scheme: 'ed25519' as const, keyval: { public: raw.toString('hex') } };
  return { id: createHash('sha256').update(canonicalJson(tufKey)).digest('hex'), tufKey, privateKey };
}

/** Signs `signed` with each key: a TUF metadata document as bytes. */
export function signMetadata(signed: object, keys: readonly TufKey[]): Uint8Array {
  const bytes = Buffer.from(canonicalJson(signed));
  const signatures = keys.map((k) => ({ keyid: k.id, sig: sign(null, bytes, k.privateKey).toString('hex') }));
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

export class TestTufRepository {
  /** Path → bytes served. */
  readonly files = new Map<string, Uint8Array>();
  /** Paths requested, in order. */
  readonly requests: string[] = [];
  keys: RoleKeys = { root: newKey(), timestamp: newKey(), snapshot: newKey(), targets: newKey() };
  rootVersion = 0;
  timestampVersion = 0;
  snapshotVersion = 0;
  targetsVersion = 0;
  private server: http.Server | undefined;
  origin = '';

  /** Signs and publishes root version `rootVersion + 1` with the current keys, signed by `signers` (default: the previous root key and the current one). */
  publishRoot(signers?: readonly TufKey[], expires = inDays(365)): Uint8Array {
    this.rootVersion += 1;
    const k = this.keys;
    const all = [k.root, k.timestamp, k.snapshot, k.targets];
    const signed = {
      _type: 'root',
      spec_version: SPEC_VERSION,
      version: this.rootVersion,
      expires,
      consistent_snapshot: true,
      keys: Object.fromEntries(all.map((key) => [key.id, key.tufKey])),
      roles: {
        root: { keyids: [k.root.id], threshold: 1 },
        timestamp: { keyids: [k.timestamp.id], threshold: 1 },
        snapshot: { keyids: [k.snapshot.id], threshold: 1 },
        targets: { keyids: [k.targets.id], threshold: 1 },
      },
    };
    const bytes = signMetadata(signed, signers ?? [k.root]);
    this.files.set(`/${this.rootVersion}.root.json`, bytes);
    return bytes;
  }

  /**
   * Publishes targets, snapshot and timestamp (each one version up) for the
   * given target files. `overrides` bends one role for a test.
   */
  publishTargets(
    targets: Record<string, Uint8Array>,
    overrides: {
      timestampExpires?: string;
      timestampVersion?: number;
      timestampSigner?: TufKey;
      snapshotVersion?: number;
      targetsExpires?: string;
    } = {},
  ): void {
    const k = this.keys;
    this.targetsVersion += 1;
    const targetEntries: Record<string, { length: number; hashes: { sha256: string } }> = {};
    for (const [name, bytes] of Object.entries(targets)) {
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      targetEntries[name] = { length: bytes.length, hashes: { sha256 } };
      this.files.set(`/targets/${sha256}.${name}`, bytes);
    }
    const targetsSigned = { _type: 'targets', spec_version: SPEC_VERSION, version: this.targetsVersion, expires: overrides.targetsExpires ?? inDays(30), targets: targetEntries };
    this.files.set(`/${this.targetsVersion}.targets.json`, signMetadata(targetsSigned, [k.targets]));

    this.snapshotVersion = overrides.snapshotVersion ?? this.snapshotVersion + 1;
    const snapshotSigned = { _type: 'snapshot', spec_version: SPEC_VERSION, version: this.snapshotVersion, expires: inDays(30), meta: { 'targets.json': { version: this.targetsVersion } } };
    this.files.set(`/${this.snapshotVersion}.snapshot.json`, signMetadata(snapshotSigned, [k.snapshot]));

    this.timestampVersion = overrides.timestampVersion ?? this.timestampVersion + 1;
    const timestampSigned = {
      _type: 'timestamp',
      spec_version: SPEC_VERSION,
      version: this.timestampVersion,
      expires: overrides.timestampExpires ?? inDays(1),
      meta: { 'snapshot.json': { version: this.snapshotVersion } },
    };
    this.files.set('/timestamp.json', signMetadata(timestampSigned, [overrides.timestampSigner ?? k.timestamp]));
  }

  /** Starts serving on 127.0.0.1. */
  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const p = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
      this.requests.push(p);
      const body = this.files.get(p);
      if (req.method !== 'GET' || body === undefined) {
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('not found');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length, 'cache-control': 'no-store' });
      res.end(body);
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
