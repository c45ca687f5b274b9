/**
 * RFC 3161 signed timestamps: parsing a TimeStampResp / TimeStampToken (a CMS
 * SignedData over a TSTInfo, RFC 5652) and verifying it against the trusted
 * timestamp authorities of a trusted root.
 *
 * Sigstore bundles carry the DER `TimeStampResp` (RFC 3161 §2.4.2, per the
 * protobuf-specs `RFC3161SignedTimestamp.signed_timestamp`); a bare
 * `TimeStampToken` (ContentInfo) is accepted too, the two being told apart by
 * their first field.
 *
 * Deviations and decisions, all deliberate:
 * - Strict DER only. CMS allows BER, but Sigstore's TSAs emit DER; BER tokens
 *   (indefinite lengths, constructed strings, non-minimal encodings) are
 *   rejected with `PARSE`.
 * - Exactly one SignerInfo, and signed attributes are required.
 * - Embedded certificates are never trusted: the signer is always the first
 *   certificate of a trusted root TSA chain. An embedded certificate that
 *   names the same signer must be byte-identical to it.
 * - CRLs (`[1]` of SignedData) are ignored: Sigstore does not check
 *   revocation, and their presence changes nothing that is verified.
 * - The TSTInfo `tsa` name and the policy are reported, not checked.
 * - genTime is used as is; `accuracy` is reported but does not widen it.
 * @module
 */
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import { sha1 } from '@noble/hashes/legacy.js';
import { SigvetError } from '../errors.js';
import { DerElement, Tag, contextTag, parseDer } from '../der/element.js';
import { bytesEqual } from '../encoding/bytes.js';
import { toHex } from '../encoding/hex.js';
import type { CryptoProvider, HashAlgorithm, SignatureScheme } from '../crypto/provider.js';
import { hashFromOid, schemeFromAlgorithmIdentifier, verifySignature } from '../crypto/verify-signature.js';
import { EkuOid, parseCertificate, type Certificate } from '../x509/certificate.js';
import { withinWindow } from '../trust/trusted-root.js';
import type { TrustedAuthority } from '../trust/trust-material.js';

/** Largest encoded timestamp accepted, in bytes (real tokens are 1–2 KiB, with certificates a few KiB). */
export const MAX_TIMESTAMP_TOKEN_SIZE = 64 * 1024;

/** Most certificates a token may embed. */
export const MAX_TIMESTAMP_CERTIFICATES = 10;

/** Most signed attributes a SignerInfo may carry (real TSAs use 4–5). */
const MAX_SIGNED_ATTRIBUTES = 32;

/** Object identifiers of RFC 3161 / CMS / ESS structures. */
export const TimestampOid = {
  /** id-signedData (RFC 5652 §5.1). */
  SIGNED_DATA: '1.2.840.113549.1.7.2',
  /** id-ct-TSTInfo (RFC 3161 §2.4.2). */
  TST_INFO: '1.2.840.113549.1.9.16.1.4',
  /** id-contentType attribute (RFC 5652 §11.1). */
  CONTENT_TYPE: '1.2.840.113549.1.9.3',
  /** id-messageDigest attribute (RFC 5652 §11.2). */
  MESSAGE_DIGEST: '1.2.840.113549.1.9.4',
  /** id-aa-signingCertificate (RFC 2634 §5.4, ESSCertID with SHA-1). */
  SIGNING_CERTIFICATE: '1.2.840.113549.1.9.16.2.12',
  /** id-aa-signingCertificateV2 (RFC 5035 §3, ESSCertIDv2). */
  SIGNING_CERTIFICATE_V2: '1.2.840.113549.1.9.16.2.47',
} as const;

/** anyExtendedKeyUsage (RFC 5280 §4.2.1.12). */
const EKU_ANY = '2.5.29.37.0';

/** How a SignerInfo names its certificate (RFC 5652 §5.3). */
export type SignerIdentifier =
  /** SignerInfo version 1: the certificate's issuer Name (DER) and serial INTEGER content bytes. */
  | { readonly kind: 'issuerAndSerialNumber'; readonly issuer: Uint8Array; readonly serialNumber: Uint8Array }
  /** SignerInfo version 3: the certificate's subjectKeyIdentifier. */
  | { readonly kind: 'subjectKeyIdentifier'; readonly keyId: Uint8Array };

/** One signed attribute: its type and its values (elements of the attrValues SET). */
export interface SignedAttribute {
  readonly oid: string;
  readonly values: readonly DerElement[];
}

/** The one SignerInfo of a timestamp token. */
export interface TimestampSignerInfo {
  /** 1 (issuerAndSerialNumber) or 3 (subjectKeyIdentifier). */
  readonly version: 1 | 3;
  readonly sid: SignerIdentifier;
  /** The digestAlgorithm OID (hash of eContent for the message-digest attribute). */
  readonly digestAlgorithmOid: string;
  /** The `[0] IMPLICIT` signedAttrs element as encoded, tag byte included (a view). */
  readonly signedAttrs: Uint8Array;
  /** The signed attributes, in order of appearance; attribute types are unique. */
  readonly attributes: readonly SignedAttribute[];
  /** The signatureAlgorithm AlgorithmIdentifier. */
  readonly signatureAlgorithm: DerElement;
  /** The signature value. */
  readonly signature: Uint8Array;
}

/** TSTInfo `accuracy` (RFC 3161 §2.4.2); absent parts are 0. */
export interface TimestampAccuracy {
  readonly seconds: number;
  readonly millis: number;
  readonly micros: number;
}

/** A TSTInfo extension (none are understood, so none may be critical). */
export interface TstInfoExtension {
  readonly oid: string;
  readonly critical: boolean;
  readonly value: Uint8Array;
}

/** The signed timestamp content (RFC 3161 §2.4.2). */
export interface TstInfo {
  /** The TSA policy OID. */
  readonly policy: string;
  readonly messageImprint: {
    /** The imprint's hash algorithm OID. */
    readonly hashAlgorithmOid: string;
    readonly hashedMessage: Uint8Array;
  };
  /** serialNumber INTEGER content bytes as encoded (two's complement; some TSAs emit negative serials). */
  readonly serialNumber: Uint8Array;
  /** genTime in ms since the epoch (fractions below a millisecond are truncated). */
  readonly genTime: number;
  readonly accuracy: TimestampAccuracy | undefined;
  readonly ordering: boolean;
  /** nonce INTEGER content bytes, if present. */
  readonly nonce: Uint8Array | undefined;
  /** The `tsa` GeneralName DER, if present. */
  readonly tsa: Uint8Array | undefined;
  readonly extensions: readonly TstInfoExtension[];
}

/** A parsed timestamp token. Construct with {@link parseTimestampToken}. */
export interface TimestampToken {
  /** The bytes parsed (sigvet's own copy). */
  readonly der: Uint8Array;
  /** PKIStatus of the TimeStampResp wrapper (0 granted, 1 grantedWithMods); undefined for a bare token. */
  readonly status: 0 | 1 | undefined;
  /** Embedded certificates (`SignedData.certificates`), never trusted by themselves. */
  readonly certificates: readonly Certificate[];
  /** The eContent octets: the DER TSTInfo, as signed through the message-digest attribute. */
  readonly eContent: Uint8Array;
  readonly tstInfo: TstInfo;
  readonly signer: TimestampSignerInfo;
}

/** A timestamp that verified against a trusted TSA. */
export interface VerifiedTimestamp {
  /** genTime in ms since the epoch. */
  readonly time: number;
  /** The trusted TSA whose leaf certificate signed the token. */
  readonly authority: TrustedAuthority;
  /** The TSTInfo serial number (INTEGER content bytes). */
  readonly serialNumber: Uint8Array;
  /** The message imprint's hash algorithm. */
  readonly hashAlgorithm: HashAlgorithm;
}

function parseFail(msg: string): never {
  throw new SigvetError('PARSE', `timestamp: ${msg}`, { check: 'timestamp.parse' });
}

function tsFail(check: string, msg: string, extra: { expected?: string; actual?: string } = {}): never {
  throw new SigvetError('TIMESTAMP', `timestamp: ${msg}`, { check, ...extra });
}

/** Runs a parse step; DER-reader failures are re-labelled `timestamp.parse` and foreign errors become PARSE. */
function parsing<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof SigvetError) {
      if (e.code === 'PARSE' && e.check !== 'timestamp.parse') {
        throw new SigvetError('PARSE', e.message, { check: 'timestamp.parse', cause: e });
      }
      throw e;
    }
    throw new SigvetError('PARSE', 'timestamp: malformed token', { check: 'timestamp.parse', cause: e });
  }
}

/**
 * Parses a DER `TimeStampResp` (what Sigstore bundles carry) or a bare
 * `TimeStampToken` (ContentInfo). Nothing is verified except structure.
 *
 * BER-encoded tokens are rejected: a documented deviation from CMS, which
 * allows BER; the Sigstore TSAs emit DER.
 *
 * @throws SigvetError `LIMIT` (check `timestamp.size` / `timestamp.certificates`) for oversized input or more
 *   than {@link MAX_TIMESTAMP_CERTIFICATES} embedded certificates; `TIMESTAMP` (check `timestamp.status`) for a
 *   response whose status is not granted; `PARSE` (check `timestamp.parse`) for anything malformed.
 */
export function parseTimestampToken(der: Uint8Array): TimestampToken {
  if (!(der instanceof Uint8Array)) parseFail('expected bytes');
  if (der.length > MAX_TIMESTAMP_TOKEN_SIZE) {
    throw new SigvetError('LIMIT', `timestamp: ${der.length} bytes exceeds the ${MAX_TIMESTAMP_TOKEN_SIZE}-byte limit`, {
      check: 'timestamp.size',
      expected: `≤ ${MAX_TIMESTAMP_TOKEN_SIZE} bytes`,
      actual: `${der.length} bytes`,
    });
  }
  const copy = der.slice();
  return parsing(() => parseToken(copy));
}

function parseToken(der: Uint8Array): TimestampToken {
  const outer = parseDer(der, 'timestamp').expect(Tag.SEQUENCE, 'TimeStampResp or ContentInfo');
  const first = outer.children()[0] ?? outer.fail('empty SEQUENCE');
  let status: 0 | 1 | undefined;
  let contentInfo: DerElement;
  if (first.tag === Tag.SEQUENCE) {
    // TimeStampResp ::= SEQUENCE { status PKIStatusInfo, timeStampToken TimeStampToken OPTIONAL }
    const [statusInfo, token] = outer.items(1, 2, 'TimeStampResp') as [DerElement, DerElement | undefined];
    status = parseStatus(statusInfo);
    if (!token) tsFail('timestamp.status', 'response is granted but holds no token');
    contentInfo = token.expect(Tag.SEQUENCE, 'TimeStampToken');
  } else {
    contentInfo = outer;
  }
  // ContentInfo ::= SEQUENCE { contentType OID, content [0] EXPLICIT ANY }
  const [ctEl, ctContent] = contentInfo.items(2, 2, 'ContentInfo') as [DerElement, DerElement];
  const contentType = ctEl.oid();
  if (contentType !== TimestampOid.SIGNED_DATA) parseFail(`content type ${contentType} is not id-signedData`);
  ctContent.expect(contextTag(0, true), 'ContentInfo content');
  const signedData = ctContent.items(1, 1, 'ContentInfo content')[0]!.expect(Tag.SEQUENCE, 'SignedData');
  return { der, status, ...parseSignedData(signedData) };
}

/** PKIStatusInfo ::= SEQUENCE { status PKIStatus, statusString PKIFreeText OPTIONAL, failInfo PKIFailureInfo OPTIONAL } */
function parseStatus(el: DerElement): 0 | 1 {
  const f = el.expect(Tag.SEQUENCE, 'PKIStatusInfo').items(1, 3, 'PKIStatusInfo');
  const status = f[0]!.smallInt();
  let i = 1;
  if (f[i]?.tag === Tag.SEQUENCE) i++;
  if (f[i]?.tag === Tag.BIT_STRING) i++;
  if (i !== f.length) el.fail('unexpected field in PKIStatusInfo');
  // 0 granted, 1 grantedWithMods; anything else carries no usable token.
  if (status !== 0 && status !== 1) {
    tsFail('timestamp.status', `the TSA did not grant the request (PKIStatus ${status})`, {
      expected: '0 (granted) or 1 (grantedWithMods)',
      actual: String(status),
    });
  }
  return status;
}

function parseSignedData(sd: DerElement): Omit<TimestampToken, 'der' | 'status'> {
  // SignedData ::= SEQUENCE { version, digestAlgorithms SET, encapContentInfo,
  //   certificates [0] IMPLICIT OPTIONAL, crls [1] IMPLICIT OPTIONAL, signerInfos SET }
  const f = sd.items(4, 6, 'SignedData');
  const version = f[0]!.smallInt();
  // v3 whenever eContentType is not id-data (RFC 5652 §5.1); v1 is tolerated from older TSAs.
  if (version !== 1 && version !== 3) f[0]!.fail(`unsupported SignedData version ${version}`);
  const digestAlgs = f[1]!.expect(Tag.SET, 'digestAlgorithms').children();
  if (digestAlgs.length > 8) f[1]!.fail('too many digestAlgorithms');
  for (const a of digestAlgs) a.expect(Tag.SEQUENCE, 'DigestAlgorithmIdentifier');

  const { eContent, tstInfo } = parseEncapContent(f[2]!.expect(Tag.SEQUENCE, 'EncapsulatedContentInfo'));

  let i = 3;
  let certificates: Certificate[] = [];
  if (f[i]?.tag === contextTag(0, true)) certificates = parseCertificates(f[i++]!);
  // CRLs are not used (no revocation checking in Sigstore); only their tag is checked.
  if (f[i]?.tag === contextTag(1, true)) i++;
  const signerInfos = (f[i++] ?? sd.fail('missing signerInfos')).expect(Tag.SET, 'signerInfos');
  if (i !== f.length) sd.fail('unexpected field in SignedData');
  const infos = signerInfos.children();
  if (infos.length !== 1) signerInfos.fail(`expected exactly one SignerInfo, got ${infos.length}`);
  const signer = parseSignerInfo(infos[0]!.expect(Tag.SEQUENCE, 'SignerInfo'));
  return { certificates, eContent, tstInfo, signer };
}

function parseEncapContent(eci: DerElement): { eContent: Uint8Array; tstInfo: TstInfo } {
  // EncapsulatedContentInfo ::= SEQUENCE { eContentType OID, eContent [0] EXPLICIT OCTET STRING OPTIONAL }
  const [typeEl, wrap] = eci.items(1, 2, 'EncapsulatedContentInfo') as [DerElement, DerElement | undefined];
  const eContentType = typeEl.oid();
  if (eContentType !== TimestampOid.TST_INFO) parseFail(`eContentType ${eContentType} is not id-ct-TSTInfo`);
  if (!wrap) eci.fail('missing eContent: a timestamp token cannot be detached');
  wrap.expect(contextTag(0, true), 'eContent');
  const eContent = wrap.items(1, 1, 'eContent')[0]!.octets();
  return { eContent, tstInfo: parseTstInfo(eContent) };
}

function parseCertificates(el: DerElement): Certificate[] {
  // CertificateSet ::= SET OF CertificateChoices; only plain X.509 certificates are accepted.
  const kids = el.children();
  if (kids.length > MAX_TIMESTAMP_CERTIFICATES) {
    throw new SigvetError('LIMIT', `timestamp: ${kids.length} embedded certificates exceed ${MAX_TIMESTAMP_CERTIFICATES}`, {
      check: 'timestamp.certificates',
      expected: `≤ ${MAX_TIMESTAMP_CERTIFICATES}`,
      actual: String(kids.length),
    });
  }
  return kids.map((c, i) => {
    if (c.tag !== Tag.SEQUENCE) c.fail(`embedded certificate ${i} is not an X.509 certificate`);
    return parseCertificate(c.raw(), `timestamp certificates[${i}]`);
  });
}

function parseSignerInfo(si: DerElement): TimestampSignerInfo {
  // SignerInfo ::= SEQUENCE { version, sid, digestAlgorithm, signedAttrs [0] IMPLICIT OPTIONAL,
  //   signatureAlgorithm, signature OCTET STRING, unsignedAttrs [1] IMPLICIT OPTIONAL }
  const f = si.items(6, 7, 'SignerInfo');
  const version = f[0]!.smallInt();
  const sidEl = f[1]!;
  let sid: SignerIdentifier;
  if (version === 1) {
    const [issuer, serial] = sidEl.expect(Tag.SEQUENCE, 'IssuerAndSerialNumber').items(2, 2, 'IssuerAndSerialNumber') as [
      DerElement,
      DerElement,
    ];
    sid = {
      kind: 'issuerAndSerialNumber',
      issuer: issuer.expect(Tag.SEQUENCE, 'issuer Name').raw(),
      serialNumber: serial.integerBytes(),
    };
  } else if (version === 3) {
    sidEl.expect(contextTag(0, false), 'subjectKeyIdentifier');
    if (sidEl.length === 0) sidEl.fail('empty subjectKeyIdentifier');
    sid = { kind: 'subjectKeyIdentifier', keyId: sidEl.content() };
  } else {
    return f[0]!.fail(`unsupported SignerInfo version ${version}`);
  }
  const digestAlgorithmOid = hashAlgorithmOid(f[2]!, 'digestAlgorithm');
  const attrsEl = f[3]!;
  if (attrsEl.tag !== contextTag(0, true)) attrsEl.fail('signedAttrs are required in a timestamp token');
  const attributes = parseAttributes(attrsEl);
  const signatureAlgorithm = f[4]!.expect(Tag.SEQUENCE, 'signatureAlgorithm');
  const signature = f[5]!.octets();
  // Unsigned attributes (e.g. counter-signatures) carry nothing verified here.
  if (f[6] && f[6].tag !== contextTag(1, true)) f[6].fail('unexpected field in SignerInfo');
  return {
    version,
    sid,
    digestAlgorithmOid,
    signedAttrs: attrsEl.raw(),
    attributes,
    signatureAlgorithm,
    signature,
  };
}

function parseAttributes(el: DerElement): SignedAttribute[] {
  const kids = el.children();
  // SignedAttributes ::= SET SIZE (1..MAX) OF Attribute
  if (kids.length === 0) el.fail('empty signedAttrs');
  if (kids.length > MAX_SIGNED_ATTRIBUTES) el.fail(`more than ${MAX_SIGNED_ATTRIBUTES} signed attributes`);
  const seen = new Set<string>();
  return kids.map((a) => {
    const [typeEl, valuesEl] = a.expect(Tag.SEQUENCE, 'Attribute').items(2, 2, 'Attribute') as [DerElement, DerElement];
    const oid = typeEl.oid();
    // RFC 5652 §5.3 / §11: one instance per attribute type for those verified here; refusing all duplicates
    // keeps "which one counts" from ever being a question.
    if (seen.has(oid)) a.fail(`duplicate signed attribute ${oid}`);
    seen.add(oid);
    const values = valuesEl.expect(Tag.SET, 'attrValues').children();
    if (values.length === 0) valuesEl.fail(`signed attribute ${oid} has no value`);
    return { oid, values };
  });
}

/** A hash AlgorithmIdentifier's OID; parameters absent or NULL (RFC 5754 §2: both are seen). */
function hashAlgorithmOid(el: DerElement, name: string): string {
  const items = el.expect(Tag.SEQUENCE, name).items(1, 2, name);
  const oid = items[0]!.oid();
  if (items[1]) items[1].null();
  return oid;
}

function parseTstInfo(der: Uint8Array): TstInfo {
  // TSTInfo ::= SEQUENCE { version, policy, messageImprint, serialNumber, genTime,
  //   accuracy OPTIONAL, ordering BOOLEAN DEFAULT FALSE, nonce OPTIONAL, tsa [0] OPTIONAL, extensions [1] OPTIONAL }
  const seq = parseDer(der, 'TSTInfo').expect(Tag.SEQUENCE, 'TSTInfo');
  const f = seq.items(5, 10, 'TSTInfo');
  const version = f[0]!.smallInt();
  if (version !== 1) f[0]!.fail(`unsupported TSTInfo version ${version}`);
  const policy = f[1]!.oid();
  const [algEl, hashedEl] = f[2]!.expect(Tag.SEQUENCE, 'MessageImprint').items(2, 2, 'MessageImprint') as [
    DerElement,
    DerElement,
  ];
  const messageImprint = { hashAlgorithmOid: hashAlgorithmOid(algEl, 'hashAlgorithm'), hashedMessage: hashedEl.octets() };
  const serialNumber = f[3]!.integerBytes();
  const genTime = f[4]!.expect(Tag.GENERALIZED_TIME, 'genTime').time(true);

  let i = 5;
  let accuracy: TimestampAccuracy | undefined;
  if (f[i]?.tag === Tag.SEQUENCE) accuracy = parseAccuracy(f[i++]!);
  let ordering = false;
  if (f[i]?.tag === Tag.BOOLEAN) {
    ordering = f[i]!.boolean();
    // DER: a field equal to its DEFAULT is omitted.
    if (!ordering) f[i]!.fail('ordering FALSE must be omitted in DER');
    i++;
  }
  let nonce: Uint8Array | undefined;
  if (f[i]?.tag === Tag.INTEGER) nonce = f[i++]!.integerBytes();
  let tsa: Uint8Array | undefined;
  if (f[i]?.tag === contextTag(0, true)) tsa = f[i++]!.items(1, 1, 'tsa')[0]!.raw();
  let extensions: TstInfoExtension[] = [];
  if (f[i]?.tag === contextTag(1, true)) extensions = parseExtensions(f[i++]!);
  if (i !== f.length) f[i]!.fail('unexpected field in TSTInfo');
  return { policy, messageImprint, serialNumber, genTime, accuracy, ordering, nonce, tsa, extensions };
}

/** Accuracy ::= SEQUENCE { seconds INTEGER OPTIONAL, millis [0] INTEGER (1..999) OPTIONAL, micros [1] INTEGER (1..999) OPTIONAL } */
function parseAccuracy(el: DerElement): TimestampAccuracy {
  const f = el.items(0, 3, 'Accuracy');
  let i = 0;
  let seconds = 0;
  let millis = 0;
  let micros = 0;
  if (f[i]?.tag === Tag.INTEGER) seconds = f[i++]!.smallInt();
  if (f[i]?.tag === contextTag(0, false)) millis = implicitSubSecond(f[i++]!);
  if (f[i]?.tag === contextTag(1, false)) micros = implicitSubSecond(f[i++]!);
  if (i !== f.length) el.fail('unexpected field in Accuracy');
  return { seconds, millis, micros };
}

/** An `[n] IMPLICIT INTEGER (1..999)`: one or two minimal, non-negative content bytes. */
function implicitSubSecond(el: DerElement): number {
  const c = el.content();
  if (c.length < 1 || c.length > 2) el.fail('accuracy value out of range');
  if (c[0]! >= 0x80) el.fail('negative accuracy value');
  if (c.length === 2 && c[0] === 0 && c[1]! < 0x80) el.fail('non-minimal INTEGER');
  const v = c.length === 1 ? c[0]! : c[0]! * 256 + c[1]!;
  if (v < 1 || v > 999) el.fail(`accuracy value ${v} outside 1..999`);
  return v;
}

function parseExtensions(el: DerElement): TstInfoExtension[] {
  // extensions [1] IMPLICIT Extensions (SEQUENCE SIZE (1..MAX) OF Extension)
  const kids = el.children();
  if (kids.length === 0 || kids.length > 32) el.fail('TSTInfo extensions must hold 1..32 entries');
  const seen = new Set<string>();
  return kids.map((e) => {
    const p = e.expect(Tag.SEQUENCE, 'Extension').items(2, 3, 'Extension');
    const oid = p[0]!.oid();
    let critical = false;
    if (p.length === 3) {
      critical = p[1]!.boolean();
      if (!critical) p[1]!.fail('critical FALSE must be omitted in DER');
    }
    // No TSTInfo extension is understood here, so a critical one cannot be honoured.
    if (critical) e.fail(`unsupported critical TSTInfo extension ${oid}`);
    if (seen.has(oid)) e.fail(`duplicate TSTInfo extension ${oid}`);
    seen.add(oid);
    return { oid, critical, value: p[p.length - 1]!.octets() };
  });
}

// ---------------------------------------------------------------------------
// Verification

function digest(alg: HashAlgorithm | 'sha1', data: Uint8Array): Uint8Array {
  switch (alg) {
    case 'sha1':
      return sha1(data);
    case 'sha256':
      return sha256(data);
    case 'sha384':
      return sha384(data);
    case 'sha512':
      return sha512(data);
  }
}

function supportedHash(oid: string, check: string, what: string): HashAlgorithm {
  const h = hashFromOid(oid);
  if (h === undefined) {
    throw new SigvetError('UNSUPPORTED', `timestamp: unsupported ${what} hash algorithm ${oid}`, { check, actual: oid });
  }
  return h;
}

/** The single value of a signed attribute, or undefined when the attribute is absent. */
function singleValue(signer: TimestampSignerInfo, oid: string, check: string, name: string): DerElement | undefined {
  const a = signer.attributes.find((x) => x.oid === oid);
  if (!a) return undefined;
  if (a.values.length !== 1) tsFail(check, `the ${name} attribute must have exactly one value, got ${a.values.length}`);
  return a.values[0]!;
}

/** One ESSCertID / ESSCertIDv2: the hash of the signing certificate and, optionally, its issuer and serial. */
interface EssCertId {
  readonly attribute: 'signingCertificate' | 'signingCertificateV2';
  readonly hash: HashAlgorithm | 'sha1';
  readonly certHash: Uint8Array;
  readonly issuerSerial: { readonly issuerNames: readonly Uint8Array[]; readonly serialNumber: Uint8Array } | undefined;
}

/**
 * The first ESSCertID(v2) of each signing-certificate attribute present: RFC
 * 2634 §5.4 / RFC 5035 §3 make the first entry the signing certificate.
 */
function essCertIds(signer: TimestampSignerInfo): EssCertId[] {
  const check = 'timestamp.attributes.signing-certificate';
  const out: EssCertId[] = [];
  const v1 = singleValue(signer, TimestampOid.SIGNING_CERTIFICATE, check, 'signing-certificate');
  const v2 = singleValue(signer, TimestampOid.SIGNING_CERTIFICATE_V2, check, 'signing-certificate-v2');
  if (v1) {
    // SigningCertificate ::= SEQUENCE { certs SEQUENCE OF ESSCertID, policies OPTIONAL }
    // ESSCertID ::= SEQUENCE { certHash OCTET STRING (SHA-1), issuerSerial IssuerSerial OPTIONAL }
    const id = parsing(() => firstCertId(v1, 'SigningCertificate'));
    const p = parsing(() => id.items(1, 2, 'ESSCertID'));
    out.push({
      attribute: 'signingCertificate',
      hash: 'sha1',
      certHash: parsing(() => p[0]!.octets()),
      issuerSerial: p[1] ? parsing(() => parseIssuerSerial(p[1]!)) : undefined,
    });
  }
  if (v2) {
    // ESSCertIDv2 ::= SEQUENCE { hashAlgorithm AlgorithmIdentifier DEFAULT {id-sha256},
    //   certHash OCTET STRING, issuerSerial IssuerSerial OPTIONAL }
    const id = parsing(() => firstCertId(v2, 'SigningCertificateV2'));
    const p = parsing(() => id.items(1, 3, 'ESSCertIDv2'));
    let j = 0;
    let hash: HashAlgorithm = 'sha256';
    if (p[0]!.tag === Tag.SEQUENCE) {
      // An explicit SHA-256 should have been omitted (DER default) but is harmless; accept it.
      hash = supportedHash(parsing(() => hashAlgorithmOid(p[0]!, 'ESSCertIDv2 hashAlgorithm')), check, 'ESSCertIDv2');
      j++;
    }
    const certHash = parsing(() => (p[j] ?? id.fail('missing certHash')).octets());
    j++;
    const issuerSerial = p[j] ? parsing(() => parseIssuerSerial(p[j]!)) : undefined;
    if (issuerSerial) j++;
    if (j !== p.length) parsing(() => id.fail('unexpected field in ESSCertIDv2'));
    out.push({ attribute: 'signingCertificateV2', hash, certHash, issuerSerial });
  }
  return out;
}

function firstCertId(value: DerElement, name: string): DerElement {
  const [certs] = value.expect(Tag.SEQUENCE, name).items(1, 2, name) as [DerElement];
  const ids = certs.expect(Tag.SEQUENCE, `${name} certs`).children();
  if (ids.length === 0) certs.fail(`${name} lists no certificate`);
  return ids[0]!.expect(Tag.SEQUENCE, 'ESSCertID');
}

/** IssuerSerial ::= SEQUENCE { issuer GeneralNames, serialNumber INTEGER }; directoryName is `[4] EXPLICIT Name`. */
function parseIssuerSerial(el: DerElement): { issuerNames: Uint8Array[]; serialNumber: Uint8Array } {
  const [names, serial] = el.expect(Tag.SEQUENCE, 'IssuerSerial').items(2, 2, 'IssuerSerial') as [DerElement, DerElement];
  const gn = names.expect(Tag.SEQUENCE, 'GeneralNames').children();
  if (gn.length === 0 || gn.length > 16) names.fail('GeneralNames must hold 1..16 names');
  const issuerNames = gn
    .filter((n) => n.tag === contextTag(4, true))
    .map((n) => n.items(1, 1, 'directoryName')[0]!.expect(Tag.SEQUENCE, 'Name').raw());
  return { issuerNames, serialNumber: serial.integerBytes() };
}

function sidMatches(sid: SignerIdentifier, cert: Certificate): boolean {
  if (sid.kind === 'issuerAndSerialNumber') {
    return bytesEqual(sid.issuer, cert.issuer) && bytesEqual(sid.serialNumber, cert.serialNumber);
  }
  const ski = cert.subjectKeyId;
  return ski !== undefined && bytesEqual(sid.keyId, ski);
}

function iso(t: number): string {
  const d = new Date(t);
  return Number.isNaN(d.getTime()) ? String(t) : d.toISOString();
}

/** Checks the token's own consistency: imprint, content type, message digest. Returns the imprint and signer hashes. */
function checkContent(token: TimestampToken, signature: Uint8Array): { imprintHash: HashAlgorithm; signerHash: HashAlgorithm } {
  const { tstInfo, signer } = token;
  const imprintHash = supportedHash(tstInfo.messageImprint.hashAlgorithmOid, 'timestamp.imprint.algorithm', 'message imprint');
  const want = digest(imprintHash, signature);
  if (!bytesEqual(want, tstInfo.messageImprint.hashedMessage)) {
    tsFail('timestamp.imprint', `the message imprint is not the ${imprintHash} of the signature`, {
      expected: toHex(want),
      actual: toHex(tstInfo.messageImprint.hashedMessage),
    });
  }

  const ctCheck = 'timestamp.attributes.content-type';
  const ct = singleValue(signer, TimestampOid.CONTENT_TYPE, ctCheck, 'content-type');
  if (!ct) tsFail(ctCheck, 'the content-type signed attribute is missing');
  const ctOid = parsing(() => ct.oid());
  if (ctOid !== TimestampOid.TST_INFO) {
    tsFail(ctCheck, 'the content-type signed attribute is not id-ct-TSTInfo', {
      expected: TimestampOid.TST_INFO,
      actual: ctOid,
    });
  }

  const mdCheck = 'timestamp.attributes.message-digest';
  const signerHash = supportedHash(signer.digestAlgorithmOid, 'timestamp.digest-algorithm', 'SignerInfo digest');
  const md = singleValue(signer, TimestampOid.MESSAGE_DIGEST, mdCheck, 'message-digest');
  if (!md) tsFail(mdCheck, 'the message-digest signed attribute is missing');
  const mdValue = parsing(() => md.octets());
  const eDigest = digest(signerHash, token.eContent);
  if (!bytesEqual(eDigest, mdValue)) {
    tsFail(mdCheck, `the message-digest attribute is not the ${signerHash} of the TSTInfo`, {
      expected: toHex(eDigest),
      actual: toHex(mdValue),
    });
  }
  return { imprintHash, signerHash };
}

/** Verifies the token as signed by one trusted TSA; throws on the first failed check. */
async function verifyWithAuthority(
  token: TimestampToken,
  tsa: TrustedAuthority,
  index: number,
  essIds: readonly EssCertId[],
  signedBytes: Uint8Array,
  scheme: SignatureScheme,
  provider: CryptoProvider,
): Promise<void> {
  const { tstInfo, signer } = token;
  const genTime = tstInfo.genTime;
  const name = `timestampAuthorities[${index}]`;
  const w = tsa.authority.validFor;
  if (!withinWindow(w, genTime)) {
    tsFail('timestamp.authority.validity', `genTime is outside the validity of trusted ${name}`, {
      expected: `[${iso(w.start)}, ${w.end === undefined ? '∞' : iso(w.end)}]`,
      actual: iso(genTime),
    });
  }
  const chain = tsa.authority.certificates;
  const leaf = chain[0];
  const key = tsa.keys[0];
  if (!leaf || !key) tsFail('timestamp.signer', `trusted ${name} has no certificate`);

  if (!sidMatches(signer.sid, leaf)) {
    tsFail('timestamp.signer', `the token's signer is not the certificate of trusted ${name}`, {
      expected:
        signer.sid.kind === 'issuerAndSerialNumber'
          ? `serial ${toHex(leaf.serialNumber)}`
          : `subjectKeyIdentifier ${toHex(leaf.subjectKeyId ?? new Uint8Array())}`,
      actual: signer.sid.kind === 'issuerAndSerialNumber' ? `serial ${toHex(signer.sid.serialNumber)}` : `subjectKeyIdentifier ${toHex(signer.sid.keyId)}`,
    });
  }
  // An embedded certificate naming the same signer but differing from the trusted one means the token
  // and the trust root disagree about who signed; refuse rather than pick one.
  for (const c of token.certificates) {
    if (sidMatches(signer.sid, c) && !bytesEqual(c.der, leaf.der)) {
      tsFail('timestamp.embedded-certificate', `an embedded certificate names the signer but differs from trusted ${name}`);
    }
  }

  // RFC 3161 §2.3: the TSA certificate has exactly one EKU, id-kp-timeStamping, and the extension is critical.
  const ekuExt = leaf.extension('2.5.29.37');
  const eku = parsing(() => leaf.extKeyUsage);
  if (!ekuExt || !eku || eku.length !== 1 || eku[0] !== EkuOid.TIME_STAMPING || !ekuExt.critical) {
    tsFail('timestamp.eku', `the certificate of trusted ${name} is not a time-stamping certificate`, {
      expected: `critical extKeyUsage [${EkuOid.TIME_STAMPING}]`,
      actual: eku ? `${ekuExt?.critical ? 'critical ' : ''}extKeyUsage [${eku.join(', ')}]` : 'no extKeyUsage',
    });
  }
  // EKU nests down a chain (as in Go's and WebPKI path validation): a CA that restricts its EKUs must allow timestamping.
  for (const [i, c] of chain.entries()) {
    if (i === 0) continue;
    const ca = parsing(() => c.extKeyUsage);
    if (ca && !ca.includes(EkuOid.TIME_STAMPING) && !ca.includes(EKU_ANY)) {
      tsFail('timestamp.eku', `${name} certificates[${i}] restricts extKeyUsage without time stamping`, {
        expected: EkuOid.TIME_STAMPING,
        actual: ca.join(', '),
      });
    }
  }
  for (const [i, c] of chain.entries()) {
    if (!c.validAt(genTime)) {
      tsFail('timestamp.certificate.validity', `genTime is outside the validity of ${name} certificates[${i}]`, {
        expected: `[${iso(c.notBefore)}, ${iso(c.notAfter)}]`,
        actual: iso(genTime),
      });
    }
  }

  const essCheck = 'timestamp.attributes.signing-certificate';
  for (const id of essIds) {
    const h = digest(id.hash, leaf.der);
    if (!bytesEqual(h, id.certHash)) {
      tsFail(essCheck, `the ${id.attribute} attribute does not identify the certificate of trusted ${name}`, {
        expected: toHex(h),
        actual: toHex(id.certHash),
      });
    }
    const is = id.issuerSerial;
    if (is && (!bytesEqual(is.serialNumber, leaf.serialNumber) || !is.issuerNames.some((n) => bytesEqual(n, leaf.issuer)))) {
      tsFail(essCheck, `the ${id.attribute} issuerSerial does not name the certificate of trusted ${name}`, {
        expected: `serial ${toHex(leaf.serialNumber)}`,
        actual: `serial ${toHex(is.serialNumber)}`,
      });
    }
  }

  if (!(await verifySignature(provider, key, scheme, signedBytes, signer.signature))) {
    tsFail('timestamp.signature', `the signature does not verify with the key of trusted ${name}`);
  }
}

/**
 * Verifies a parsed timestamp token over `signature` against trusted TSAs.
 *
 * Token checks: the message imprint is H(signature) with the imprint's hash;
 * the content-type signed attribute is id-ct-TSTInfo; the message-digest
 * attribute is the SignerInfo digest of the TSTInfo; a signing-certificate
 * (v1 or v2) attribute is present. Then, for each trusted TSA in turn whose
 * trust-root window contains genTime: the SignerInfo names the TSA chain's
 * first certificate (embedded certificates are never trusted, and one naming
 * the signer must equal it byte for byte); that certificate has the critical
 * id-kp-timeStamping EKU; every chain certificate is valid at genTime; the
 * signing-certificate attributes hash to it; and the signature over the
 * signed attributes (re-tagged as SET, not re-encoded) verifies with its key.
 *
 * @param signature the bytes the TSA timestamped: the bundle's message signature or DSSE signature.
 * @param tsas the trusted timestamp authorities (trust material).
 * @throws SigvetError `TIMESTAMP` with a distinct `check` per failed check; `timestamp.authority` (with every
 *   per-TSA failure in `errors`) when no trusted TSA verifies the token; `UNSUPPORTED` for unknown hash or
 *   signature algorithms.
 */
export async function verifyTimestampToken(
  token: TimestampToken,
  signature: Uint8Array,
  tsas: readonly TrustedAuthority[],
  provider: CryptoProvider,
): Promise<VerifiedTimestamp> {
  const { imprintHash, signerHash } = checkContent(token, signature);
  const essIds = essCertIds(token.signer);
  if (essIds.length === 0) {
    tsFail('timestamp.attributes.signing-certificate', 'no signing-certificate or signing-certificate-v2 signed attribute');
  }
  // The signature covers the DER of the SET OF attributes (RFC 5652 §5.4): the same bytes with the
  // [0] IMPLICIT tag replaced by SET. The element was read as strict DER, so no re-encoding is needed.
  const signedBytes = token.signer.signedAttrs.slice();
  signedBytes[0] = Tag.SET;
  // rsaEncryption in a SignerInfo means PKCS#1 v1.5 with the digest algorithm (RFC 3370 §3.2).
  const scheme = parsing(() => schemeFromAlgorithmIdentifier(token.signer.signatureAlgorithm, signerHash));

  const errors: SigvetError[] = [];
  for (const [i, tsa] of tsas.entries()) {
    try {
      await verifyWithAuthority(token, tsa, i, essIds, signedBytes, scheme, provider);
      return { time: token.tstInfo.genTime, authority: tsa, serialNumber: token.tstInfo.serialNumber, hashAlgorithm: imprintHash };
    } catch (e) {
      errors.push(
        e instanceof SigvetError
          ? e
          : new SigvetError('TIMESTAMP', `timestamp: verification with timestampAuthorities[${i}] failed`, {
              check: 'timestamp.signature',
              cause: e,
            }),
      );
    }
  }
  const detail = errors.length === 0 ? 'the trusted root has no timestamp authority' : errors.map((e) => e.message).join('; ');
  throw new SigvetError('TIMESTAMP', `timestamp: no trusted timestamp authority verifies the token (${detail})`, {
    check: 'timestamp.authority',
    errors,
  });
}
