/**
 * SubjectPublicKeyInfo (RFC 5280 §4.1.2.7) parsing: determines which key
 * type a DER SPKI holds and checks its encoding before any provider sees it,
 * so every runtime accepts exactly the same keys.
 *
 * Accepted: id-ecPublicKey on P-256/P-384/P-521 with a named curve and an
 * uncompressed point (RFC 5480), Ed25519 (RFC 8410), and rsaEncryption
 * (RFC 8017 / RFC 3279) with 2048 ≤ modulus bits ≤ 16384 and an odd public
 * exponent 3 ≤ e ≤ 2^31−1. Small exponents such as e = 3 are accepted because
 * verification compares the whole encoded message byte for byte, which is
 * what defeats Bleichenbacher-2006 forgeries; the upper bound is Go's
 * `crypto/rsa` limit, so sigvet accepts no key the Sigstore Go stack refuses.
 * Ed25519 keys must be canonically encoded and not of small order (stricter
 * than OpenSSL and Go, so that every provider agrees).
 * @module
 */
import { SigvetError } from '../errors.js';
import { type DerElement, parseDer, Tag } from '../der/element.js';
import { decodeBase64 } from '../encoding/base64.js';
import { EC_CURVES, type EcKeyType } from './ecdsa-signature.js';
import type { KeyType } from './provider.js';

/** What {@link parseSpki} learns from a SubjectPublicKeyInfo. */
export interface SpkiInfo {
  /** The key type. */
  readonly type: KeyType;
  /** RSA modulus length in bits; 0 for other key types. */
  readonly bits: number;
  /**
   * The `subjectPublicKey` BIT STRING content, as a view: the uncompressed EC
   * point, the 32-byte Ed25519 key, or the DER `RSAPublicKey`.
   */
  readonly publicKey: Uint8Array;
}

/** An RSA public key's numbers. */
export interface RsaPublicKeyNumbers {
  /** The modulus. */
  readonly n: bigint;
  /** The public exponent. */
  readonly e: bigint;
  /** Modulus length in bits. */
  readonly bits: number;
}

/** Smallest RSA modulus accepted (NIST SP 800-131A: 2048 bits). */
export const RSA_MIN_BITS = 2048;
/** Largest RSA modulus accepted; bounds the cost of BigInt verification. */
export const RSA_MAX_BITS = 16384;
/** Largest RSA public exponent accepted (Go `crypto/rsa`: e ≤ 2^31−1). */
const RSA_MAX_EXPONENT = 0x7fffffffn;

const OID_EC_PUBLIC_KEY = '1.2.840.10045.2.1';
const OID_ED25519 = '1.3.101.112';
const OID_RSA_ENCRYPTION = '1.2.840.113549.1.1.1';
const OID_RSASSA_PSS = '1.2.840.113549.1.1.10';
const CURVE_OIDS: { readonly [oid: string]: EcKeyType } = {
  '1.2.840.10045.3.1.7': 'ec-p256',
  '1.3.132.0.34': 'ec-p384',
  '1.3.132.0.35': 'ec-p521',
};

/**
 * Parses a DER SubjectPublicKeyInfo and determines its key type.
 *
 * Whether an EC point lies on its curve is left to the provider's import,
 * which every provider checks.
 *
 * @param what names the key for error messages.
 * @throws SigvetError `PARSE` (check `key.spki`) for malformed DER, trailing bytes or a bad point or key length;
 *   `UNSUPPORTED` (check `key.algorithm`) for other algorithms or curves, including RSASSA-PSS keys;
 *   `KEY` (check `key.rsa`) for RSA moduli or exponents outside the accepted range, or (check `key.ed25519`)
 *   for a non-canonical or small-order Ed25519 key.
 */
export function parseSpki(spki: Uint8Array, what: string): SpkiInfo {
  let alg: DerElement[];
  let publicKey: Uint8Array;
  let oid: string;
  try {
    const outer = parseDer(spki, what).expect(Tag.SEQUENCE, 'SubjectPublicKeyInfo');
    const [algEl, keyEl] = outer.items(2, 2, 'SubjectPublicKeyInfo') as [DerElement, DerElement];
    alg = algEl.expect(Tag.SEQUENCE, 'AlgorithmIdentifier').items(1, 2, 'AlgorithmIdentifier');
    // Keys are whole bytes: a BIT STRING with unused bits is not an SPKI key.
    publicKey = keyEl.bitString(false).bytes;
    oid = alg[0]!.oid();
  } catch (e) {
    throw asSpkiError(e);
  }
  const params = alg[1];
  switch (oid) {
    case OID_EC_PUBLIC_KEY:
      return { type: parseEc(params, publicKey, what), bits: 0, publicKey };
    case OID_ED25519:
      // RFC 8410 §3: the parameters MUST be absent.
      if (params !== undefined) spkiFail(what, 'Ed25519 AlgorithmIdentifier must not have parameters');
      if (publicKey.length !== 32) spkiFail(what, `Ed25519 key must be 32 bytes, got ${publicKey.length}`);
      checkEd25519Key(publicKey, what);
      return { type: 'ed25519', bits: 0, publicKey };
    case OID_RSA_ENCRYPTION: {
      // RFC 3279 §2.3.1: the parameters MUST be NULL.
      if (params === undefined) spkiFail(what, 'rsaEncryption AlgorithmIdentifier must have NULL parameters');
      wrap(() => params.null());
      const { bits } = parseRsaPublicKey(publicKey, what);
      return { type: 'rsa', bits, publicKey };
    }
    case OID_RSASSA_PSS:
      throw new SigvetError('UNSUPPORTED', `${what}: RSASSA-PSS-restricted keys are not supported`, {
        check: 'key.algorithm',
        actual: oid,
      });
    default:
      throw new SigvetError('UNSUPPORTED', `${what}: unsupported public-key algorithm ${oid}`, {
        check: 'key.algorithm',
        actual: oid,
      });
  }
}

/** The field prime of edwards25519, 2^255 − 19. */
const ED25519_P = (1n << 255n) - 19n;
/** y of the order-8 points (the others of order ≤ 8 have y = 0, 1 or −1, or p − this). */
const ED25519_Y8 = 0x7a03ac9277fdc74ec6cc392cfa53202a0f67100d760b3cba4fd84d3d706a17c7n;
/** Every y-coordinate of a point of order 1, 2, 4 or 8 (checked against `@noble/curves` in the tests). */
const ED25519_SMALL_ORDER_Y: readonly bigint[] = [0n, 1n, ED25519_P - 1n, ED25519_Y8, ED25519_P - ED25519_Y8];

/**
 * Classifies a 32-byte edwards25519 point encoding without curve arithmetic:
 * `non-canonical` when y ≥ p or x = 0 is encoded with the sign bit set
 * (RFC 8032 §5.1.3 decoding steps 1 and 4), `small-order` when the point has
 * order ≤ 8, undefined otherwise (the point may still not be on the curve).
 * @internal
 */
export function ed25519EncodingIssue(b: Uint8Array): 'non-canonical' | 'small-order' | undefined {
  if (b.length !== 32) return 'non-canonical';
  let y = 0n;
  for (let i = 31; i >= 0; i--) y = (y << 8n) | BigInt(i === 31 ? b[i]! & 0x7f : b[i]!);
  const sign = (b[31]! & 0x80) !== 0;
  if (y >= ED25519_P) return 'non-canonical';
  // x = 0 exactly when y = ±1; "−0" is not a valid encoding.
  if (sign && (y === 1n || y === ED25519_P - 1n)) return 'non-canonical';
  return ED25519_SMALL_ORDER_Y.includes(y) ? 'small-order' : undefined;
}

/**
 * Rejects Ed25519 keys that providers disagree on. OpenSSL (and Go) accept
 * non-canonical and small-order public keys, while strict RFC 8032 decoders
 * do not; a small-order key also lets anyone produce signatures that verify
 * for many messages. No honest key is either, so all providers refuse them.
 */
function checkEd25519Key(key: Uint8Array, what: string): void {
  const issue = ed25519EncodingIssue(key);
  if (issue !== undefined) {
    throw new SigvetError('KEY', `${what}: Ed25519 public key is ${issue === 'small-order' ? 'of small order' : 'not canonically encoded'}`, {
      check: 'key.ed25519',
    });
  }
}

function parseEc(params: DerElement | undefined, point: Uint8Array, what: string): EcKeyType {
  // RFC 5480 §2.1.1: namedCurve only; implicitCurve and specifiedCurve MUST NOT be used.
  if (params === undefined || params.tag !== Tag.OID) {
    throw new SigvetError('UNSUPPORTED', `${what}: EC keys must name their curve`, { check: 'key.algorithm' });
  }
  const curveOid = wrap(() => params.oid());
  const type = CURVE_OIDS[curveOid];
  if (type === undefined) {
    throw new SigvetError('UNSUPPORTED', `${what}: unsupported elliptic curve ${curveOid}`, {
      check: 'key.algorithm',
      actual: curveOid,
    });
  }
  // SEC 1 §2.3.3: uncompressed form is 0x04 ‖ X ‖ Y. Compressed points and the
  // single-byte point at infinity are refused so every provider sees one form.
  const want = 1 + 2 * EC_CURVES[type].bytes;
  if (point.length !== want || point[0] !== 0x04) {
    throw new SigvetError('PARSE', `${what}: ${type} key must be an uncompressed point of ${want} bytes`, {
      check: 'key.spki',
      expected: `${want} bytes starting 0x04`,
      actual: `${point.length} bytes starting 0x${(point[0] ?? 0).toString(16).padStart(2, '0')}`,
    });
  }
  return type;
}

/**
 * Parses a DER `RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }`
 * (RFC 8017 §A.1.1), the content of an rsaEncryption SPKI's BIT STRING.
 *
 * @throws SigvetError `PARSE` (check `key.spki`) for malformed DER; `KEY` (check `key.rsa`) for a modulus
 *   outside 2048–16384 bits, an even modulus, or an exponent that is even or outside [3, 2^31−1].
 */
export function parseRsaPublicKey(der: Uint8Array, what: string): RsaPublicKeyNumbers {
  const [nEl, eEl] = wrap(() => {
    const seq = parseDer(der, `${what} RSAPublicKey`).expect(Tag.SEQUENCE, 'RSAPublicKey');
    const items = seq.items(2, 2, 'RSAPublicKey');
    return [items[0]!, items[1]!] as const;
  });
  // Bound the size before converting to BigInt.
  const nBytes = wrap(() => nEl.integerBytes());
  if (nBytes.length > RSA_MAX_BITS / 8 + 1) keyFail(what, `RSA modulus longer than ${RSA_MAX_BITS} bits`);
  const n = wrap(() => nEl.unsignedBigInt());
  const bits = n.toString(2).length;
  if (n === 0n || bits < RSA_MIN_BITS || bits > RSA_MAX_BITS) {
    keyFail(what, `RSA modulus of ${n === 0n ? 0 : bits} bits is outside ${RSA_MIN_BITS}–${RSA_MAX_BITS}`, {
      expected: `${RSA_MIN_BITS}–${RSA_MAX_BITS} bits`,
      actual: `${n === 0n ? 0 : bits} bits`,
    });
  }
  if ((n & 1n) === 0n) keyFail(what, 'RSA modulus is even');
  const eBytes = wrap(() => eEl.integerBytes());
  if (eBytes.length > 8) keyFail(what, 'RSA public exponent too large');
  const e = wrap(() => eEl.unsignedBigInt());
  if (e < 3n || e > RSA_MAX_EXPONENT || (e & 1n) === 0n) {
    keyFail(what, `RSA public exponent ${e} is not an odd number in [3, 2^31-1]`);
  }
  return { n, e, bits };
}

/**
 * Extracts the RSA numbers from a DER SubjectPublicKeyInfo.
 * @throws SigvetError as {@link parseSpki}; `KEY` if the key is not RSA.
 */
export function rsaPublicKeyFromSpki(spki: Uint8Array, what: string): RsaPublicKeyNumbers {
  const info = parseSpki(spki, what);
  if (info.type !== 'rsa') {
    throw new SigvetError('KEY', `${what}: expected an RSA key, got ${info.type}`, {
      check: 'key.type',
      expected: 'rsa',
      actual: info.type,
    });
  }
  return parseRsaPublicKey(info.publicKey, what);
}

/** Largest PEM text accepted; public keys and certificates are a few KiB. */
const PEM_MAX_LENGTH = 1024 * 1024;

/**
 * Decodes one PEM block strictly (RFC 7468 §3 "strict" form): the text must
 * start with `-----BEGIN <label>-----`, hold only standard-base64 lines (no
 * headers, blank lines or spaces) and end with
 * `-----END <label>-----`, optionally followed by line breaks. LF and CRLF
 * line endings are accepted, but not mixed.
 *
 * @param label the expected label, e.g. `PUBLIC KEY` or `CERTIFICATE`.
 * @throws SigvetError `PARSE` (check `encoding.pem`) on any deviation; `LIMIT` for text over 1 MiB.
 */
export function pemToDer(pem: string, label: string): Uint8Array {
  const bad = (why: string): never => {
    throw new SigvetError('PARSE', `PEM ${label}: ${why}`, { check: 'encoding.pem' });
  };
  if (typeof pem !== 'string') bad(`expected a string, got ${typeof pem}`);
  if (!/^[A-Z0-9]+(?: [A-Z0-9]+)*$/.test(label)) {
    throw new SigvetError('INVALID_ARGUMENT', `invalid PEM label ${JSON.stringify(label)}`, { check: 'encoding.pem' });
  }
  if (pem.length > PEM_MAX_LENGTH) {
    throw new SigvetError('LIMIT', `PEM ${label}: ${pem.length} characters exceeds ${PEM_MAX_LENGTH}`, {
      check: 'encoding.pem',
    });
  }
  const crlf = pem.includes('\r\n');
  const lines = pem.split(crlf ? '\r\n' : '\n');
  if (lines[0] !== `-----BEGIN ${label}-----`) bad(`must start with "-----BEGIN ${label}-----"`);
  const endLine = `-----END ${label}-----`;
  const endIdx = lines.indexOf(endLine);
  if (endIdx < 0) bad(`missing "${endLine}"`);
  for (let i = endIdx + 1; i < lines.length; i++) {
    if (lines[i] !== '') bad('unexpected text after the END line');
  }
  const body = lines.slice(1, endIdx);
  if (body.length === 0) bad('empty body');
  for (let i = 0; i < body.length; i++) {
    const line = body[i]!;
    // Line length is not limited: RFC 7468 §3 lax parsers accept any, and
    // Rekor bodies from some signers carry the base64 on a single line.
    if (line.length === 0 || !/^[A-Za-z0-9+/=]+$/.test(line)) {
      bad(`body line ${i + 1} is not a base64 line`);
    }
  }
  const der = decodeBase64(body.join(''), `PEM ${label}`, 'std');
  if (der.length === 0) bad('empty body');
  return der;
}

function spkiFail(what: string, msg: string): never {
  throw new SigvetError('PARSE', `${what}: ${msg}`, { check: 'key.spki' });
}

function keyFail(what: string, msg: string, extra: { expected?: string; actual?: string } = {}): never {
  throw new SigvetError('KEY', `${what}: ${msg}`, { check: 'key.rsa', ...extra });
}

/** Re-labels DER reader failures with this module's check name. */
function asSpkiError(e: unknown): unknown {
  if (e instanceof SigvetError && e.code === 'PARSE') {
    return new SigvetError('PARSE', e.message, { check: 'key.spki', cause: e });
  }
  return e;
}

function wrap<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw asSpkiError(e);
  }
}
