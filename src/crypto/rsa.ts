/**
 * RSA signature verification in pure JavaScript (BigInt), over a message
 * digest: RSASSA-PKCS1-v1_5 (RFC 8017 §8.2.2) and RSASSA-PSS with MGF1
 * (RFC 8017 §8.1.2, §9.1.2).
 *
 * Used by the noble provider for everything RSA and by the other providers
 * when only a digest is given (WebCrypto and `node:crypto` always hash
 * themselves). Only public values are handled, so constant time is not needed.
 *
 * PKCS#1 v1.5 is verified by building the one valid encoded message and
 * comparing it byte for byte, never by parsing the decrypted block: parsing
 * is what let garbage in DigestInfo parameters or after the hash forge
 * signatures with e = 3 (CVE-2006-4339, node-forge CVE-2022-24771).
 * @module
 */
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import { bytesEqual, concatBytes } from '../encoding/bytes.js';
import { fromHex, toHex } from '../encoding/hex.js';
import type { HashAlgorithm } from './provider.js';
import type { RsaPublicKeyNumbers } from './spki.js';

const HASH_FUNCTIONS: { readonly [H in HashAlgorithm]: (data: Uint8Array) => Uint8Array } = {
  sha256: (d) => sha256(d),
  sha384: (d) => sha384(d),
  sha512: (d) => sha512(d),
};

const HASH_LENGTHS: { readonly [H in HashAlgorithm]: number } = { sha256: 32, sha384: 48, sha512: 64 };

/**
 * DER `DigestInfo` prefixes (RFC 8017 §9.2 note 1): SEQUENCE { SEQUENCE {
 * OID, NULL }, OCTET STRING } up to the hash bytes. The NULL parameters are
 * part of the only accepted encoding.
 */
const DIGEST_INFO_PREFIX: { readonly [H in HashAlgorithm]: Uint8Array } = {
  sha256: fromHex('3031300d060960864801650304020105000420', 'DigestInfo sha256'),
  sha384: fromHex('3041300d060960864801650304020205000430', 'DigestInfo sha384'),
  sha512: fromHex('3051300d060960864801650304020305000440', 'DigestInfo sha512'),
};

/**
 * Verifies an RSASSA-PKCS1-v1_5 signature over `digest` (RFC 8017 §8.2.2).
 * Returns false for a wrong digest or signature length, s ≥ n, or any
 * difference from the expected encoded message.
 */
export function rsaPkcs1v15VerifyDigest(
  key: RsaPublicKeyNumbers,
  hash: HashAlgorithm,
  digest: Uint8Array,
  signature: Uint8Array,
): boolean {
  const prefix = DIGEST_INFO_PREFIX[hash];
  if (prefix === undefined || digest.length !== HASH_LENGTHS[hash]) return false;
  const k = modulusBytes(key);
  const em = rsaPublicOperation(key, signature, k);
  if (em === undefined) return false;
  // §9.2 step 3: emLen ≥ tLen + 11, i.e. at least 8 bytes of 0xFF padding.
  const tLen = prefix.length + digest.length;
  if (k < tLen + 11) return false;
  const expected = new Uint8Array(k);
  expected[1] = 0x01;
  expected.fill(0xff, 2, k - tLen - 1);
  // expected[k - tLen - 1] stays 0x00, the separator.
  expected.set(prefix, k - tLen);
  expected.set(digest, k - digest.length);
  return bytesEqual(em, expected);
}

/**
 * Verifies an RSASSA-PSS signature over `digest` with MGF1 over the same
 * hash and an exact salt length (RFC 8017 §8.1.2 and EMSA-PSS-VERIFY §9.1.2).
 */
export function rsaPssVerifyDigest(
  key: RsaPublicKeyNumbers,
  hash: HashAlgorithm,
  saltLength: number,
  digest: Uint8Array,
  signature: Uint8Array,
): boolean {
  const h = HASH_FUNCTIONS[hash];
  const hLen = HASH_LENGTHS[hash];
  if (h === undefined || digest.length !== hLen) return false;
  if (!Number.isSafeInteger(saltLength) || saltLength < 0) return false;
  const k = modulusBytes(key);
  const emBits = key.bits - 1;
  const emLen = Math.ceil(emBits / 8);
  const m = rsaPublicOperation(key, signature, k);
  if (m === undefined) return false;
  // §8.1.2 step 2c: EM = I2OSP(m, emLen); when emLen < k the extra leading byte must be zero.
  if (emLen < k && m[0] !== 0) return false;
  const em = m.subarray(k - emLen);
  // §9.1.2 steps 3–6.
  if (emLen < hLen + saltLength + 2) return false;
  if (em[emLen - 1] !== 0xbc) return false;
  const dbLen = emLen - hLen - 1;
  const maskedDb = em.subarray(0, dbLen);
  const hPrime = em.subarray(dbLen, dbLen + hLen);
  const topBits = 8 * emLen - emBits;
  const topMask = 0xff >> topBits;
  if ((maskedDb[0]! & ~topMask & 0xff) !== 0) return false;
  // Steps 7–9.
  const db = mgf1(h, hLen, hPrime, dbLen);
  for (let i = 0; i < dbLen; i++) db[i]! ^= maskedDb[i]!;
  db[0]! &= topMask;
  // Step 10: PS zeros, then 0x01.
  const psLen = dbLen - saltLength - 1;
  for (let i = 0; i < psLen; i++) if (db[i] !== 0) return false;
  if (db[psLen] !== 0x01) return false;
  // Steps 11–14.
  const salt = db.subarray(dbLen - saltLength);
  const mPrime = concatBytes(new Uint8Array(8), digest, salt);
  return bytesEqual(h(mPrime), hPrime);
}

/** Hashes `data` with a synchronous pure-JS SHA-2 (shared by the providers that need a digest in JS). */
export function digestSync(hash: HashAlgorithm, data: Uint8Array): Uint8Array {
  return HASH_FUNCTIONS[hash](data);
}

function mgf1(h: (d: Uint8Array) => Uint8Array, hLen: number, seed: Uint8Array, maskLen: number): Uint8Array {
  const out = new Uint8Array(maskLen);
  const input = new Uint8Array(seed.length + 4);
  input.set(seed);
  // maskLen < k ≤ 2 KiB, so the counter stays tiny (RFC 8017 §B.2.1 bounds it by 2^32).
  for (let counter = 0, off = 0; off < maskLen; counter++, off += hLen) {
    input[seed.length] = (counter >>> 24) & 0xff;
    input[seed.length + 1] = (counter >>> 16) & 0xff;
    input[seed.length + 2] = (counter >>> 8) & 0xff;
    input[seed.length + 3] = counter & 0xff;
    const t = h(input);
    out.set(t.subarray(0, Math.min(hLen, maskLen - off)), off);
  }
  return out;
}

function modulusBytes(key: RsaPublicKeyNumbers): number {
  return Math.ceil(key.bits / 8);
}

/**
 * RSAVP1 (RFC 8017 §5.2.2) with I2OSP to k bytes; undefined when the
 * signature is not exactly k bytes or its integer is not below n.
 */
function rsaPublicOperation(key: RsaPublicKeyNumbers, signature: Uint8Array, k: number): Uint8Array | undefined {
  if (signature.length !== k) return undefined;
  const s = BigInt('0x' + (toHex(signature) || '0'));
  if (s >= key.n) return undefined;
  const m = modPow(s, key.e, key.n);
  return fromHex(m.toString(16).padStart(2 * k, '0'), 'RSA message');
}

function modPow(base: bigint, exp: bigint, mod: bigint): bigint {
  let result = 1n;
  let b = base % mod;
  let e = exp;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % mod;
    e >>= 1n;
    if (e > 0n) b = (b * b) % mod;
  }
  return result;
}
