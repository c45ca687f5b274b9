/**
 * TUF metadata (specification 1.0, section 4: root, timestamp, snapshot and
 * targets files, with delegations) decoded strictly into typed data, keeping
 * the canonical bytes the signatures cover. Fields the client does not use
 * (custom `x-…` fields, `custom`, `keyid_hash_algorithms`) are allowed and
 * ignored, as the specification requires; the fields it uses are checked for
 * type and range, and every collection is bounded.
 * @module
 */
import { SigvetError } from '../errors.js';
import { utf8DecodeStrict } from '../encoding/bytes.js';
import { parseJson, type JsonObject, type JsonValue } from '../encoding/json.js';
import { canonicalJsonBytes } from './canonical-json.js';
import { metadataError, type TufRoleName } from './web-errors.js';

/** Most signatures read from one metadata file. */
export const MAX_SIGNATURES = 256;
/** Most keys, key ids per role, delegated roles or paths per delegation read from one file. */
const MAX_ITEMS = 1024;
/** Most entries of a snapshot's `meta` or a targets file's `targets`. */
const MAX_ENTRIES = 100_000;
/** The top-level roles, whose names delegated roles may not take. */
export const TOP_LEVEL_ROLES = ['root', 'timestamp', 'snapshot', 'targets'] as const;

/** One entry of a metadata file's `signatures`. */
export interface TufSignature {
  readonly keyid: string;
  /** The signature, hex as written (decoded when verified). */
  readonly sig: string;
}

/** A metadata file's envelope: what was signed, by whom, and the exact bytes. */
export interface SignedMetadata {
  /** The `signed` object. */
  readonly signed: JsonObject;
  readonly signatures: readonly TufSignature[];
  /** OLPC canonical JSON of `signed`: the bytes every signature covers. */
  readonly canonical: Uint8Array;
  /** The file as downloaded (what the cache stores and hashes cover). */
  readonly bytes: Uint8Array;
}

/** A public key as TUF describes it (`keytype`, `scheme`, `keyval.public`). */
export interface TufKeyDescription {
  readonly keytype: string;
  readonly scheme: string;
  /** `keyval.public`: hex (Ed25519 raw key, or DER SPKI) or a PEM SPKI. */
  readonly publicKey: string;
}

/** Which keys may sign for a role, and how many must. */
export interface RoleKeys {
  readonly keyids: readonly string[];
  readonly threshold: number;
}

/** What every metadata type carries. */
export interface MetadataCommon {
  readonly version: number;
  /** Expiry, ms since the epoch. */
  readonly expires: number;
  /** Expiry as written, for messages. */
  readonly expiresText: string;
  readonly envelope: SignedMetadata;
}

/** root.json. */
export interface RootMetadata extends MetadataCommon {
  readonly consistentSnapshot: boolean;
  readonly keys: ReadonlyMap<string, TufKeyDescription>;
  readonly roles: { readonly [R in TufRoleName]: RoleKeys };
}

/** A reference to a metadata file: its version and, optionally, length and hashes. */
export interface MetaFile {
  readonly version: number;
  readonly length: number | undefined;
  /** Algorithm → hex digest; undefined when the referrer gives none. */
  readonly hashes: ReadonlyMap<string, string> | undefined;
}

/** timestamp.json. */
export interface TimestampMetadata extends MetadataCommon {
  /** Its `meta["snapshot.json"]`. */
  readonly snapshot: MetaFile;
}

/** snapshot.json. */
export interface SnapshotMetadata extends MetadataCommon {
  /** File name (`targets.json`, `<delegated role>.json`) → reference. */
  readonly meta: ReadonlyMap<string, MetaFile>;
}

/** A target file's signed description. */
export interface TargetFile {
  readonly length: number;
  /** Algorithm → hex digest (at least one). */
  readonly hashes: ReadonlyMap<string, string>;
}

/** A delegation of (part of) the target namespace to another role. */
export interface DelegatedRole extends RoleKeys {
  readonly name: string;
  readonly terminating: boolean;
  /** Shell-style path patterns; exactly one of `paths` and `pathHashPrefixes` is set. */
  readonly paths: readonly string[] | undefined;
  /** Hex prefixes of the SHA-256 of target paths. */
  readonly pathHashPrefixes: readonly string[] | undefined;
}

/** A targets role's `delegations`. */
export interface Delegations {
  readonly keys: ReadonlyMap<string, TufKeyDescription>;
  readonly roles: readonly DelegatedRole[];
  /** True when the delegations use TAP 15 `succinct_roles`, which this client does not follow. */
  readonly succinct: boolean;
}

/** targets.json or a delegated targets role's file. */
export interface TargetsMetadata extends MetadataCommon {
  readonly targets: ReadonlyMap<string, TargetFile>;
  readonly delegations: Delegations | undefined;
}

/** Reads fields of one metadata file, failing with `tuf.<role>.shape`. */
class Fields {
  constructor(
    readonly role: TufRoleName,
    readonly label: string,
  ) {}

  fail(path: string, msg: string, cause?: unknown): never {
    throw metadataError(this.role, 'shape', `${this.label}: ${path}: ${msg}`, cause === undefined ? {} : { cause });
  }

  object(v: JsonValue | undefined, path: string): JsonObject {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) this.fail(path, `expected an object, got ${kind(v)}`);
    return v as JsonObject;
  }

  string(o: JsonObject, key: string, path: string): string {
    const v = o[key];
    if (typeof v !== 'string') this.fail(`${path}.${key}`, `expected a string, got ${kind(v)}`);
    return v;
  }

  boolean(o: JsonObject, key: string, path: string): boolean {
    const v = o[key];
    if (typeof v !== 'boolean') this.fail(`${path}.${key}`, `expected a boolean, got ${kind(v)}`);
    return v;
  }

  /** A JSON integer in [min, 2^53 − 1]. */
  integer(o: JsonObject, key: string, path: string, min: number): number {
    const v = o[key];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) {
      this.fail(`${path}.${key}`, `expected an integer ≥ ${min}, got ${typeof v === 'bigint' ? 'an integer beyond 2^53' : JSON.stringify(v ?? null)}`);
    }
    return v;
  }

  array(o: JsonObject, key: string, path: string, max: number): JsonValue[] {
    const v = o[key];
    if (!Array.isArray(v)) this.fail(`${path}.${key}`, `expected an array, got ${kind(v)}`);
    if (v.length > max) this.fail(`${path}.${key}`, `${v.length} elements exceed the limit of ${max}`);
    return v;
  }

  /** An array of distinct strings. */
  stringSet(o: JsonObject, key: string, path: string, max: number): string[] {
    const out = this.array(o, key, path, max).map((v, i) => {
      if (typeof v !== 'string') this.fail(`${path}.${key}[${i}]`, `expected a string, got ${kind(v)}`);
      return v;
    });
    if (new Set(out).size !== out.length) this.fail(`${path}.${key}`, 'duplicate entries');
    return out;
  }

  /** The entries of an object field, bounded. */
  entries(o: JsonObject, key: string, path: string, max: number): [string, JsonValue][] {
    const e = Object.entries(this.object(o[key], `${path}.${key}`));
    if (e.length > max) this.fail(`${path}.${key}`, `${e.length} entries exceed the limit of ${max}`);
    return e;
  }
}

function kind(v: JsonValue | undefined): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  return Array.isArray(v) ? 'an array' : typeof v;
}

/**
 * Decodes a metadata file's envelope (`signatures`, `signed`) and checks
 * `signed._type`, `spec_version` (major version 1), `version` and `expires`.
 *
 * @param label names the file in messages (`timestamp.json`, `delegated role "x"`).
 * @throws SigvetError `TRUST_ROOT` (check `tuf.<role>.shape`).
 */
function parseEnvelope(bytes: Uint8Array, role: TufRoleName, type: string, label: string): { f: Fields; s: JsonObject; common: MetadataCommon } {
  const f: Fields = new Fields(role, label);
  let text: string;
  try {
    text = utf8DecodeStrict(bytes);
  } catch (e) {
    f.fail('$', 'not valid UTF-8', e);
  }
  let doc: JsonValue;
  try {
    doc = parseJson(text, label, { maxDepth: 32 });
  } catch (e) {
    f.fail('$', e instanceof Error ? e.message : String(e), e);
  }
  const top = f.object(doc, '$');
  const signed = f.object(top.signed, '$.signed');
  const signatures = f.array(top, 'signatures', '$', MAX_SIGNATURES).map((v, i): TufSignature => {
    const o = f.object(v, `$.signatures[${i}]`);
    return { keyid: f.string(o, 'keyid', `$.signatures[${i}]`), sig: f.string(o, 'sig', `$.signatures[${i}]`) };
  });
  const t = f.string(signed, '_type', '$.signed');
  if (t !== type) f.fail('$.signed._type', `expected ${JSON.stringify(type)}, got ${JSON.stringify(t)}`);
  const spec = f.string(signed, 'spec_version', '$.signed');
  // Specification 1.0 (TAP 6): clients refuse metadata of another major version.
  if (!/^1\.\d+(\.\d+)?$/.test(spec)) f.fail('$.signed.spec_version', `unsupported specification version ${JSON.stringify(spec)} (expected 1.x)`);
  const version = f.integer(signed, 'version', '$.signed', 1);
  const expiresText = f.string(signed, 'expires', '$.signed');
  const expires = parseExpires(expiresText, f);
  let canonical: Uint8Array;
  try {
    canonical = canonicalJsonBytes(signed);
  } catch (e) {
    f.fail('$.signed', e instanceof SigvetError ? e.message : 'not encodable as canonical JSON', e);
  }
  return { f, s: signed, common: { version, expires, expiresText, envelope: { signed, signatures, canonical, bytes } } };
}

/** `YYYY-MM-DDTHH:MM:SSZ`, the one form the specification uses, as a real calendar time. */
function parseExpires(s: string, f: Fields): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/.exec(s);
  if (m === null) f.fail('$.signed.expires', `expected YYYY-MM-DDTHH:MM:SSZ, got ${JSON.stringify(s)}`);
  const [y, mo, d, h, mi, se] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const t = Date.UTC(y, mo - 1, d, h, mi, se);
  const back = new Date(t);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || se > 59) {
    f.fail('$.signed.expires', `not a calendar time: ${JSON.stringify(s)}`);
  }
  return t;
}

function parseKeys(f: Fields, o: JsonObject, path: string): Map<string, TufKeyDescription> {
  const keys = new Map<string, TufKeyDescription>();
  for (const [keyid, v] of f.entries(o, 'keys', path, MAX_ITEMS)) {
    const p = `${path}.keys[${JSON.stringify(keyid)}]`;
    const k = f.object(v, p);
    const keyval = f.object(k.keyval, `${p}.keyval`);
    keys.set(keyid, { keytype: f.string(k, 'keytype', p), scheme: f.string(k, 'scheme', p), publicKey: f.string(keyval, 'public', `${p}.keyval`) });
  }
  return keys;
}

function parseRoleKeys(f: Fields, o: JsonObject, path: string): RoleKeys {
  return { keyids: f.stringSet(o, 'keyids', path, MAX_ITEMS), threshold: f.integer(o, 'threshold', path, 1) };
}

function parseHashes(f: Fields, o: JsonObject, path: string, required: boolean): Map<string, string> | undefined {
  if (o.hashes === undefined && !required) return undefined;
  const out = new Map<string, string>();
  for (const [alg, v] of f.entries(o, 'hashes', path, 16)) {
    if (typeof v !== 'string') f.fail(`${path}.hashes.${alg}`, `expected a hex string, got ${kind(v)}`);
    out.set(alg, v);
  }
  if (out.size === 0) f.fail(`${path}.hashes`, 'no hashes');
  return out;
}

function parseMetaFile(f: Fields, v: JsonValue | undefined, path: string): MetaFile {
  const o = f.object(v, path);
  return {
    version: f.integer(o, 'version', path, 1),
    length: o.length === undefined ? undefined : f.integer(o, 'length', path, 1),
    hashes: parseHashes(f, o, path, false),
  };
}

/** Decodes root.json (section 4.3). @throws SigvetError `TRUST_ROOT` (check `tuf.root.shape`). */
export function parseRootMetadata(bytes: Uint8Array, label = 'root.json'): RootMetadata {
  const { f, s, common } = parseEnvelope(bytes, 'root', 'root', label);
  const roles = f.object(s.roles, '$.signed.roles');
  const role = (name: TufRoleName): RoleKeys => parseRoleKeys(f, f.object(roles[name], `$.signed.roles.${name}`), `$.signed.roles.${name}`);
  return {
    ...common,
    consistentSnapshot: s.consistent_snapshot === undefined ? false : f.boolean(s, 'consistent_snapshot', '$.signed'),
    keys: parseKeys(f, s, '$.signed'),
    roles: { root: role('root'), timestamp: role('timestamp'), snapshot: role('snapshot'), targets: role('targets') },
  };
}

/** Decodes timestamp.json (section 4.6). @throws SigvetError `TRUST_ROOT` (check `tuf.timestamp.shape`). */
export function parseTimestampMetadata(bytes: Uint8Array): TimestampMetadata {
  const { f, s, common } = parseEnvelope(bytes, 'timestamp', 'timestamp', 'timestamp.json');
  const meta = f.object(s.meta, '$.signed.meta');
  return { ...common, snapshot: parseMetaFile(f, meta['snapshot.json'], '$.signed.meta["snapshot.json"]') };
}

/** Decodes snapshot.json (section 4.4). @throws SigvetError `TRUST_ROOT` (check `tuf.snapshot.shape`). */
export function parseSnapshotMetadata(bytes: Uint8Array): SnapshotMetadata {
  const { f, s, common } = parseEnvelope(bytes, 'snapshot', 'snapshot', 'snapshot.json');
  const meta = new Map<string, MetaFile>();
  for (const [name, v] of f.entries(s, 'meta', '$.signed', MAX_ENTRIES)) meta.set(name, parseMetaFile(f, v, `$.signed.meta[${JSON.stringify(name)}]`));
  return { ...common, meta };
}

/**
 * Decodes targets.json or a delegated role's file (section 4.5).
 * @param roleName `targets` or the delegated role's name.
 * @throws SigvetError `TRUST_ROOT` (check `tuf.targets.shape`).
 */
export function parseTargetsMetadata(bytes: Uint8Array, roleName = 'targets'): TargetsMetadata {
  const label = roleName === 'targets' ? 'targets.json' : `delegated role ${JSON.stringify(roleName)}`;
  const { f, s, common } = parseEnvelope(bytes, 'targets', 'targets', label);
  const targets = new Map<string, TargetFile>();
  for (const [name, v] of f.entries(s, 'targets', '$.signed', MAX_ENTRIES)) {
    const p = `$.signed.targets[${JSON.stringify(name)}]`;
    const o = f.object(v, p);
    targets.set(name, { length: f.integer(o, 'length', p, 0), hashes: parseHashes(f, o, p, true)! });
  }
  return { ...common, targets, delegations: s.delegations === undefined ? undefined : parseDelegations(f, f.object(s.delegations, '$.signed.delegations')) };
}

function parseDelegations(f: Fields, o: JsonObject): Delegations {
  const path = '$.signed.delegations';
  const keys = parseKeys(f, o, path);
  if (o.roles === undefined) {
    if (o.succinct_roles === undefined) f.fail(path, 'neither roles nor succinct_roles');
    return { keys, roles: [], succinct: true };
  }
  if (o.succinct_roles !== undefined) f.fail(path, 'both roles and succinct_roles');
  const names = new Set<string>();
  const roles = f.array(o, 'roles', path, MAX_ITEMS).map((v, i): DelegatedRole => {
    const p = `${path}.roles[${i}]`;
    const r = f.object(v, p);
    const name = f.string(r, 'name', p);
    if (name === '' || (TOP_LEVEL_ROLES as readonly string[]).includes(name)) f.fail(`${p}.name`, `${JSON.stringify(name)} cannot name a delegated role`);
    if (names.has(name)) f.fail(`${p}.name`, `role ${JSON.stringify(name)} delegated twice`);
    names.add(name);
    const paths = r.paths === undefined ? undefined : f.stringSet(r, 'paths', p, MAX_ITEMS);
    const pathHashPrefixes = r.path_hash_prefixes === undefined ? undefined : f.stringSet(r, 'path_hash_prefixes', p, MAX_ITEMS);
    // Section 4.5: a delegation names its paths one way or the other, never both.
    if ((paths === undefined) === (pathHashPrefixes === undefined)) f.fail(p, 'exactly one of paths and path_hash_prefixes must be given');
    return { ...parseRoleKeys(f, r, p), name, terminating: f.boolean(r, 'terminating', p), paths, pathHashPrefixes };
  });
  return { keys, roles, succinct: false };
}
