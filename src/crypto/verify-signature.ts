/**
 * The one entry every signature verification goes through. It checks what
 * providers must never have to decide: that the scheme fits the key, and that
 * the signature has the one encoding the scheme allows (strict DER with
 * 0 < r, s < n for ECDSA, 64 bytes for Ed25519, the modulus length for RSA).
 * A malformed signature is a failed verification (`false`), not an error;
 * a scheme that does not fit the key is an error (`KEY`).
 *
 * Also maps X.509/CMS signature AlgorithmIdentifiers to schemes.
 * @module
 */
import { SigvetError } from '../errors.js';
import { type DerElement, Tag, contextTag } from '../der/element.js';
import { isEcKeyType } from './ecdsa-signature.js';
import { ecdsaDerToP1363OrUndefined } from './p1363-signature.js';
import { ed25519EncodingIssue, parseSpki } from './spki.js';
import type { CryptoProvider, HashAlgorithm, KeyType, PublicKey, SignatureScheme } from './provider.js';

const HASH_LENGTHS: { readonly [H in HashAlgorithm]: number } = { sha256: 32, sha384: 48, sha512: 64 };

/**
 * Parses a DER SubjectPublicKeyInfo and imports it into `provider`.
 *
 * @param what names the key for error messages.
 * @throws SigvetError as {@link parseSpki}; `KEY` (check `key.import`) when the provider rejects the key
 *   (for instance an EC point that is not on its curve).
 */
export async function importPublicKey(provider: CryptoProvider, spki: Uint8Array, what: string): Promise<PublicKey> {
  const { type, bits } = parseSpki(spki, what);
  try {
    return await provider.importSpki(spki, type, bits);
  } catch (e) {
    if (e instanceof SigvetError) throw e;
    throw new SigvetError('KEY', `${what}: the ${provider.name} provider rejected the key`, {
      check: 'key.import',
      cause: e,
    });
  }
}

/**
 * Verifies `signature` over `data` with `key` under `scheme`.
 *
 * @returns true only for a valid signature; false for an invalid or malformed one.
 * @throws SigvetError `KEY` (check `signature.scheme`) when the scheme does not fit the key type;
 *   `INVALID_ARGUMENT` for an impossible PSS salt length.
 */
export async function verifySignature(
  provider: CryptoProvider,
  key: PublicKey,
  scheme: SignatureScheme,
  data: Uint8Array,
  signature: Uint8Array,
): Promise<boolean> {
  if (!signatureWellFormed(key, scheme, signature)) return false;
  return callProvider(provider, () => provider.verify(key, scheme, data, signature));
}

/**
 * Verifies `signature` over a precomputed `digest` (ECDSA and RSA only: pure
 * Ed25519 signs the message itself, never a digest).
 *
 * @returns true only for a valid signature; false for an invalid or malformed one.
 * @throws SigvetError `KEY` when the scheme does not fit the key; `UNSUPPORTED` for Ed25519;
 *   `SIGNATURE` (check `signature.digest`) when the digest length is not the scheme hash's length.
 */
export async function verifySignatureOverDigest(
  provider: CryptoProvider,
  key: PublicKey,
  scheme: SignatureScheme,
  digest: Uint8Array,
  signature: Uint8Array,
): Promise<boolean> {
  checkSchemeFitsKey(key, scheme);
  if (scheme.kind === 'ed25519') {
    throw new SigvetError('UNSUPPORTED', 'Ed25519 signatures cannot be verified over a digest', {
      check: 'signature.scheme',
    });
  }
  const want = HASH_LENGTHS[scheme.hash];
  if (digest.length !== want) {
    throw new SigvetError('SIGNATURE', `a ${scheme.hash} digest must be ${want} bytes`, {
      check: 'signature.digest',
      expected: `${want} bytes`,
      actual: `${digest.length} bytes`,
    });
  }
  if (!signatureWellFormed(key, scheme, signature)) return false;
  return callProvider(provider, () => provider.verifyDigest(key, scheme, digest, signature));
}

/** Runs a provider check; only a literal `true` passes, and foreign errors become typed ones. */
async function callProvider(provider: CryptoProvider, f: () => boolean | Promise<boolean>): Promise<boolean> {
  try {
    return (await f()) === true;
  } catch (e) {
    if (e instanceof SigvetError) throw e;
    throw new SigvetError('SIGNATURE', `the ${provider.name} crypto provider failed to verify`, {
      check: 'signature.provider',
      cause: e,
    });
  }
}

/** Checks the scheme against the key (throws) and the signature's form (returns false). */
function signatureWellFormed(key: PublicKey, scheme: SignatureScheme, signature: Uint8Array): boolean {
  checkSchemeFitsKey(key, scheme);
  switch (scheme.kind) {
    case 'ecdsa':
      // checkSchemeFitsKey has established that the key is an EC key. The
      // byte-level check accepts exactly what parseEcdsaSignature accepts,
      // without BigInt (every signature of every bundle passes here).
      return isEcKeyType(key.type) && ecdsaDerToP1363OrUndefined(signature, key.type) !== undefined;
    case 'ed25519':
      return ed25519SignatureCanonical(signature);
    case 'rsa-pkcs1':
    case 'rsa-pss':
      // RFC 8017 §8.1.2/§8.2.2 step 1: the signature is exactly k = ⌈bits/8⌉ bytes.
      return signature.length === Math.ceil(key.bits / 8);
  }
}

/** The order L of the edwards25519 base point. */
const ED25519_L = (1n << 252n) + 27742317777372353535851937790883648493n;

/**
 * RFC 8032 §5.1.7 step 1: 64 bytes, R canonically encoded, S < L. Checked
 * here so that every provider, whatever its own rules, rejects malleated
 * signatures (Wycheproof "SignatureMalleability", elliptic CVE-2024-48949).
 */
function ed25519SignatureCanonical(signature: Uint8Array): boolean {
  if (signature.length !== 64) return false;
  if (ed25519EncodingIssue(signature.subarray(0, 32)) === 'non-canonical') return false;
  let s = 0n;
  for (let i = 63; i >= 32; i--) s = (s << 8n) | BigInt(signature[i]!);
  return s < ED25519_L;
}

/**
 * Throws unless `scheme` can be used with `key`: ECDSA with EC keys, Ed25519
 * with Ed25519 keys, RSA schemes with RSA keys. Any supported hash may be
 * used with any curve (FIPS 186-5 truncates the digest).
 *
 * @throws SigvetError `KEY` (check `signature.scheme`); `INVALID_ARGUMENT` for a PSS salt length that is not a
 *   non-negative integer, or an unknown hash.
 */
export function checkSchemeFitsKey(key: PublicKey, scheme: SignatureScheme): void {
  const fits =
    scheme.kind === 'ecdsa'
      ? isEcKeyType(key.type)
      : scheme.kind === 'ed25519'
        ? key.type === 'ed25519'
        : scheme.kind === 'rsa-pkcs1' || scheme.kind === 'rsa-pss'
          ? key.type === 'rsa'
          : false;
  if (!fits) {
    throw new SigvetError('KEY', `a ${key.type} key cannot verify ${String(scheme.kind)} signatures`, {
      check: 'signature.scheme',
      expected: expectedKeyFor(scheme),
      actual: key.type,
    });
  }
  if (scheme.kind !== 'ed25519' && HASH_LENGTHS[scheme.hash] === undefined) {
    throw new SigvetError('INVALID_ARGUMENT', `unsupported hash ${String(scheme.hash)}`, { check: 'signature.scheme' });
  }
  if (scheme.kind === 'rsa-pss' && !(Number.isSafeInteger(scheme.saltLength) && scheme.saltLength >= 0)) {
    throw new SigvetError('INVALID_ARGUMENT', `invalid RSA-PSS salt length ${String(scheme.saltLength)}`, {
      check: 'signature.scheme',
    });
  }
}

function expectedKeyFor(scheme: SignatureScheme): string {
  switch (scheme.kind) {
    case 'ecdsa':
      return 'ec-p256, ec-p384 or ec-p521';
    case 'ed25519':
      return 'ed25519';
    default:
      return 'rsa';
  }
}

/**
 * The scheme a bare public key implies when nothing else names one (managed
 * keys in a trusted root, Sigstore's `PublicKeyDetails` defaults): ECDSA with
 * the curve's matching hash, pure Ed25519, RSA PKCS#1 v1.5 with SHA-256.
 */
export function defaultSchemeForKey(key: { readonly type: KeyType; readonly bits: number }): SignatureScheme {
  switch (key.type) {
    case 'ec-p256':
      return { kind: 'ecdsa', hash: 'sha256' };
    case 'ec-p384':
      return { kind: 'ecdsa', hash: 'sha384' };
    case 'ec-p521':
      return { kind: 'ecdsa', hash: 'sha512' };
    case 'ed25519':
      return { kind: 'ed25519' };
    case 'rsa':
      return { kind: 'rsa-pkcs1', hash: 'sha256' };
    default:
      throw new SigvetError('KEY', `unknown key type ${String(key.type)}`, { check: 'key.type' });
  }
}

const HASH_OIDS: { readonly [oid: string]: HashAlgorithm } = {
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

/** The hash an OID names (id-sha256, id-sha384, id-sha512), or undefined. */
export function hashFromOid(oid: string): HashAlgorithm | undefined {
  return Object.prototype.hasOwnProperty.call(HASH_OIDS, oid) ? HASH_OIDS[oid] : undefined;
}

const ECDSA_OIDS: { readonly [oid: string]: HashAlgorithm } = {
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
};
const RSA_PKCS1_OIDS: { readonly [oid: string]: HashAlgorithm } = {
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
};
const OID_RSASSA_PSS = '1.2.840.113549.1.1.10';
const OID_MGF1 = '1.2.840.113549.1.1.8';
const OID_ED25519 = '1.3.101.112';
const OID_RSA_ENCRYPTION = '1.2.840.113549.1.1.1';

/**
 * Maps a signature `AlgorithmIdentifier` (X.509 `signatureAlgorithm`, CMS
 * `SignerInfo.signatureAlgorithm`) to a scheme, checking its parameters:
 * - ecdsa-with-SHA256/384/512: parameters absent (RFC 5758 §3.2);
 * - sha256/384/512WithRSAEncryption: parameters NULL, or absent, which
 *   RFC 4055 §5 says implementations MUST also accept;
 * - RSASSA-PSS: explicit RSASSA-PSS-params (RFC 4055 §3.1) naming SHA-256/384/512,
 *   MGF1 with the same hash, and the default trailer field;
 * - Ed25519: parameters absent (RFC 8410 §3).
 *
 * @param cmsDigest for CMS only: the SignerInfo's digest algorithm, which lets
 *   `rsaEncryption` stand for PKCS#1 v1.5 with that hash (RFC 3370 §3.2, used by some TSAs).
 * @throws SigvetError `UNSUPPORTED` (check `signature.algorithm`) for other algorithms or hashes;
 *   `PARSE` (check `signature.algorithm`) for malformed parameters.
 */
export function schemeFromAlgorithmIdentifier(algId: DerElement, cmsDigest?: HashAlgorithm): SignatureScheme {
  const items = algParse(() => algId.expect(Tag.SEQUENCE, 'AlgorithmIdentifier').items(1, 2, 'AlgorithmIdentifier'));
  const oid = algParse(() => items[0]!.oid());
  const params = items[1];
  const ecdsaHash = lookup(ECDSA_OIDS, oid);
  if (ecdsaHash !== undefined) {
    if (params !== undefined) algFail(algId, `ECDSA AlgorithmIdentifier ${oid} must not have parameters`);
    return { kind: 'ecdsa', hash: ecdsaHash };
  }
  const rsaHash = lookup(RSA_PKCS1_OIDS, oid);
  if (rsaHash !== undefined) {
    if (params !== undefined) algParse(() => params.null());
    return { kind: 'rsa-pkcs1', hash: rsaHash };
  }
  if (oid === OID_RSA_ENCRYPTION && cmsDigest !== undefined) {
    if (params !== undefined) algParse(() => params.null());
    return { kind: 'rsa-pkcs1', hash: cmsDigest };
  }
  if (oid === OID_ED25519) {
    if (params !== undefined) algFail(algId, 'Ed25519 AlgorithmIdentifier must not have parameters');
    return { kind: 'ed25519' };
  }
  if (oid === OID_RSASSA_PSS) {
    if (params === undefined) algFail(algId, 'RSASSA-PSS AlgorithmIdentifier must have parameters');
    return parsePssParams(params);
  }
  throw new SigvetError('UNSUPPORTED', `unsupported signature algorithm ${oid}`, {
    check: 'signature.algorithm',
    actual: oid,
  });
}

/**
 * RSASSA-PSS-params ::= SEQUENCE {
 *   hashAlgorithm [0] HashAlgorithm DEFAULT sha1,
 *   maskGenAlgorithm [1] MaskGenAlgorithm DEFAULT mgf1SHA1,
 *   saltLength [2] INTEGER DEFAULT 20,
 *   trailerField [3] TrailerField DEFAULT trailerFieldBC }
 * SHA-1 defaults are not supported, so [0] and [1] must be present. DER omits
 * fields equal to their default, so an explicit saltLength of 20 or any
 * trailerField is malformed (the only valid trailer is the default).
 */
function parsePssParams(params: DerElement): SignatureScheme {
  const fields = algParse(() => params.expect(Tag.SEQUENCE, 'RSASSA-PSS-params').items(0, 4, 'RSASSA-PSS-params'));
  let i = 0;
  const next = (n: number): DerElement | undefined => {
    const f = fields[i];
    if (f !== undefined && f.tag === contextTag(n, true)) {
      i++;
      return algParse(() => f.items(1, 1, `RSASSA-PSS-params [${n}]`)[0]!);
    }
    return undefined;
  };
  const hashEl = next(0);
  const mgfEl = next(1);
  const saltEl = next(2);
  const trailerEl = next(3);
  if (i !== fields.length) algFail(params, 'RSASSA-PSS-params fields out of order or unknown');
  if (trailerEl !== undefined) algFail(params, 'RSASSA-PSS-params trailerField must be omitted (DER default)');
  if (hashEl === undefined || mgfEl === undefined) {
    throw new SigvetError('UNSUPPORTED', 'RSASSA-PSS with the SHA-1 default hash or MGF is not supported', {
      check: 'signature.algorithm',
    });
  }
  const hash = hashAlgorithm(hashEl);
  const mgf = algParse(() => mgfEl.expect(Tag.SEQUENCE, 'MaskGenAlgorithm').items(2, 2, 'MaskGenAlgorithm'));
  const mgfOid = algParse(() => mgf[0]!.oid());
  if (mgfOid !== OID_MGF1) {
    throw new SigvetError('UNSUPPORTED', `unsupported PSS mask generation function ${mgfOid}`, {
      check: 'signature.algorithm',
      actual: mgfOid,
    });
  }
  const mgfHash = hashAlgorithm(mgf[1]!);
  if (mgfHash !== hash) {
    throw new SigvetError('UNSUPPORTED', 'RSASSA-PSS with an MGF1 hash different from the message hash', {
      check: 'signature.algorithm',
      expected: hash,
      actual: mgfHash,
    });
  }
  let saltLength = 20;
  if (saltEl !== undefined) {
    saltLength = algParse(() => saltEl.smallInt());
    if (saltLength === 20) algFail(saltEl, 'saltLength 20 is the DER default and must be omitted');
    // Salts longer than any supported hash's block are never produced; cap to keep arithmetic trivial.
    if (saltLength > 1024) algFail(saltEl, `saltLength ${saltLength} is implausibly large`);
  }
  return { kind: 'rsa-pss', hash, saltLength };
}

/** A hash AlgorithmIdentifier; RFC 4055 §2.1: parameters NULL or absent, both accepted. */
function hashAlgorithm(el: DerElement): HashAlgorithm {
  const items = algParse(() => el.expect(Tag.SEQUENCE, 'HashAlgorithm').items(1, 2, 'HashAlgorithm'));
  const oid = algParse(() => items[0]!.oid());
  const p = items[1];
  if (p !== undefined) algParse(() => p.null());
  const hash = hashFromOid(oid);
  if (hash === undefined) {
    throw new SigvetError('UNSUPPORTED', `unsupported hash algorithm ${oid}`, {
      check: 'signature.algorithm',
      actual: oid,
    });
  }
  return hash;
}

function lookup(table: { readonly [oid: string]: HashAlgorithm }, oid: string): HashAlgorithm | undefined {
  return Object.prototype.hasOwnProperty.call(table, oid) ? table[oid] : undefined;
}

function algFail(el: DerElement, msg: string): never {
  throw new SigvetError('PARSE', `${el.what}: ${msg}`, { check: 'signature.algorithm' });
}

/** Runs a DER read, re-labelling PARSE failures with the `signature.algorithm` check. */
function algParse<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof SigvetError && e.code === 'PARSE' && e.check !== 'signature.algorithm') {
      throw new SigvetError('PARSE', e.message, { check: 'signature.algorithm', cause: e });
    }
    throw e;
  }
}
