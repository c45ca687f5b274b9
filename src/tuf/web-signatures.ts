/**
 * TUF signature thresholds over the crypto-provider interface: a metadata
 * file is trusted for a role when at least `threshold` distinct keys the role
 * names have valid signatures over the canonical `signed` bytes.
 *
 * Keys as TUF repositories write them: `ed25519` (hex raw key, or a PEM
 * SubjectPublicKeyInfo) and `ecdsa` with scheme `ecdsa-sha2-nistp256` or
 * `ecdsa-sha2-nistp384` (PEM SPKI, as the Sigstore repositories use, or hex
 * DER SPKI; the legacy key type spelled like the scheme is accepted).
 * Signatures are hex: 64 bytes for Ed25519, DER `ECDSA-Sig-Value` for ECDSA.
 *
 * A signature counts at most once per key id and once per key (two ids for
 * the same key bytes count once); a key sigvet cannot use (unknown type,
 * malformed, off the curve) or an empty or malformed signature simply does not
 * count, so a repository may list keys of other types next to usable ones.
 * @module
 */
import { SigvetError } from '../errors.js';
import { decodeBase64 } from '../encoding/base64.js';
import { concatBytes } from '../encoding/bytes.js';
import { fromHex, toHex } from '../encoding/hex.js';
import type { CryptoProvider, KeyType, PublicKey, SignatureScheme } from '../crypto/provider.js';
import { importPublicKey, verifySignature } from '../crypto/verify-signature.js';
import { metadataError, type TufRoleName } from './web-errors.js';
import { MAX_SIGNATURES, type RoleKeys, type SignedMetadata, type TufKeyDescription } from './web-metadata.js';

/** The DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410), before the 32-byte key. */
const ED25519_SPKI_PREFIX = new Uint8Array([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]);
/** Longest `keyval.public` read (a P-384 PEM is about 220 characters). */
const MAX_PUBLIC_KEY_CHARS = 4096;

/** A TUF key imported into a provider, with the scheme its signatures use. */
interface UsableKey {
  readonly key: PublicKey;
  readonly scheme: SignatureScheme;
  /** The SPKI in hex, to count one key once under several ids. */
  readonly identity: string;
}

const ECDSA_SCHEMES: { readonly [scheme: string]: { readonly type: KeyType; readonly scheme: SignatureScheme } } = {
  'ecdsa-sha2-nistp256': { type: 'ec-p256', scheme: { kind: 'ecdsa', hash: 'sha256' } },
  'ecdsa-sha2-nistp384': { type: 'ec-p384', scheme: { kind: 'ecdsa', hash: 'sha384' } },
};

/**
 * Verifies metadata signatures for roles, importing each distinct key once
 * per update (keys repeat across root versions and roles).
 */
export class TufSignatureVerifier {
  private readonly keys = new Map<string, Promise<UsableKey | string>>();

  constructor(private readonly provider: CryptoProvider) {}

  /**
   * Throws unless a threshold of `role`'s keys signed `metadata`.
   *
   * @param keys the key table the role's key ids refer to (root's `keys`, or a delegator's `delegations.keys`).
   * @param label names the metadata and the signer in messages, e.g. `2.root.json (by root version 1)`.
   * @throws SigvetError `TRUST_ROOT` (check `tuf.<roleName>.signature`).
   */
  async requireThreshold(metadata: SignedMetadata, role: RoleKeys, keys: ReadonlyMap<string, TufKeyDescription>, roleName: TufRoleName, label: string): Promise<void> {
    const { valid, notes } = await this.countValid(metadata, role, keys);
    if (valid < role.threshold) {
      throw metadataError(roleName, 'signature', `${label}: ${valid} valid signature${valid === 1 ? '' : 's'} of the ${role.threshold} required${notes.length ? ` (${notes.slice(0, 4).join('; ')})` : ''}`, {
        expected: `${role.threshold}`,
        actual: `${valid}`,
      });
    }
  }

  /** Counts distinct valid signatures by keys of `role`, stopping at the threshold; notes say why others did not count. */
  async countValid(metadata: SignedMetadata, role: RoleKeys, keys: ReadonlyMap<string, TufKeyDescription>): Promise<{ valid: number; notes: string[] }> {
    const allowed = new Set(role.keyids);
    const triedIds = new Set<string>();
    const countedKeys = new Set<string>();
    const notes: string[] = [];
    let valid = 0;
    for (const s of metadata.signatures.slice(0, MAX_SIGNATURES)) {
      if (valid >= role.threshold) break;
      // Each key id is tried once: duplicates neither count twice nor cost more work.
      if (!allowed.has(s.keyid) || triedIds.has(s.keyid)) continue;
      triedIds.add(s.keyid);
      const description = keys.get(s.keyid);
      if (description === undefined) {
        notes.push(`key ${short(s.keyid)} is not in the key table`);
        continue;
      }
      if (s.sig === '') continue; // an unsigned slot (tuf-on-ci lists pending signers this way)
      const usable = await this.usableKey(description);
      if (typeof usable === 'string') {
        notes.push(`key ${short(s.keyid)}: ${usable}`);
        continue;
      }
      if (countedKeys.has(usable.identity)) continue;
      let signature: Uint8Array;
      try {
        signature = fromHex(s.sig, 'signature');
      } catch {
        notes.push(`key ${short(s.keyid)}: the signature is not hex`);
        continue;
      }
      if (await verifySignature(this.provider, usable.key, usable.scheme, metadata.canonical, signature)) {
        valid++;
        countedKeys.add(usable.identity);
      } else {
        notes.push(`key ${short(s.keyid)}: invalid signature`);
      }
    }
    return { valid, notes };
  }

  /** The imported key, or why it cannot be used; memoized by description. */
  private usableKey(d: TufKeyDescription): Promise<UsableKey | string> {
    const id = `${d.keytype}\u0000${d.scheme}\u0000${d.publicKey}`;
    let p = this.keys.get(id);
    if (p === undefined) {
      p = importTufKey(this.provider, d);
      this.keys.set(id, p);
    }
    return p;
  }
}

/** Imports a TUF key description, or returns why it cannot be used. */
async function importTufKey(provider: CryptoProvider, d: TufKeyDescription): Promise<UsableKey | string> {
  if (d.publicKey.length > MAX_PUBLIC_KEY_CHARS) return 'the public key is too long';
  let spki: Uint8Array | undefined;
  let type: KeyType;
  let scheme: SignatureScheme;
  if (d.keytype === 'ed25519' && d.scheme === 'ed25519') {
    type = 'ed25519';
    scheme = { kind: 'ed25519' };
    spki = /^[0-9a-fA-F]{64}$/.test(d.publicKey) ? concatBytes(ED25519_SPKI_PREFIX, fromHex(d.publicKey, 'Ed25519 key')) : spkiFromText(d.publicKey);
  } else if ((d.keytype === 'ecdsa' || d.keytype === d.scheme) && Object.prototype.hasOwnProperty.call(ECDSA_SCHEMES, d.scheme)) {
    const known = ECDSA_SCHEMES[d.scheme]!;
    type = known.type;
    scheme = known.scheme;
    spki = spkiFromText(d.publicKey);
  } else {
    return `unsupported key type ${JSON.stringify(d.keytype)} with scheme ${JSON.stringify(d.scheme)}`;
  }
  if (spki === undefined) return 'the public key is neither PEM nor hex DER';
  let key: PublicKey;
  try {
    key = await importPublicKey(provider, spki, 'TUF key');
  } catch (e) {
    if (e instanceof SigvetError) return e.message;
    throw e;
  }
  if (key.type !== type) return `a ${key.type} key cannot use scheme ${d.scheme}`;
  return { key, scheme, identity: toHex(key.spki) };
}

/** A SubjectPublicKeyInfo from a PEM `PUBLIC KEY` block or hex DER; undefined for anything else. */
function spkiFromText(text: string): Uint8Array | undefined {
  const s = text.trim();
  const begin = '-----BEGIN PUBLIC KEY-----';
  const end = '-----END PUBLIC KEY-----';
  try {
    if (s.startsWith(begin) && s.endsWith(end)) {
      const body = s.slice(begin.length, s.length - end.length).replace(/\r?\n/g, '');
      return decodeBase64(body, 'PEM public key', 'std');
    }
    // Hex DER: an SPKI is a SEQUENCE, so it starts with 0x30.
    if (/^30([0-9a-fA-F]{2})+$/.test(s)) return fromHex(s, 'DER public key');
  } catch {
    return undefined;
  }
  return undefined;
}

/** A key id shortened for messages. */
function short(keyid: string): string {
  return JSON.stringify(keyid.length > 16 ? `${keyid.slice(0, 12)}…` : keyid);
}
