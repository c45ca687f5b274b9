/**
 * RFC 3161 timestamp tokens: a DER `TimeStampResp` or `TimeStampToken` (a CMS
 * SignedData over a TSTInfo, RFC 5652) parsed once into a view over its bytes.
 * Nothing here is trusted or verified beyond structure; `rfc3161.ts` verifies.
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
 * - Exactly one SignerInfo; signed attributes are required, with unique
 *   types; content-type, message-digest and signing-certificate(-v2) must
 *   have exactly one value.
 * - Only plain X.509 certificates may be embedded, at most
 *   {@link MAX_TIMESTAMP_CERTIFICATES}.
 * - CRLs (`[1]` of SignedData) are ignored: Sigstore does not check
 *   revocation, and their presence changes nothing that is verified.
 * - Unsigned attributes and SignedData `digestAlgorithms` are not used.
 * @module
 */
import { SigvetError } from '../errors.js';
import { DerElement, Tag, contextTag, parseDer } from '../der/element.js';
import type { HashAlgorithm } from '../crypto/provider.js';
import { hashFromOid } from '../crypto/verify-signature.js';
import { parseCertificate, type Certificate } from '../x509/certificate.js';

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


/**
 * One ESSCertID / ESSCertIDv2 (RFC 2634 §5.4, RFC 5035 §3): the hash of the
 * signing certificate and, optionally, its issuer and serial.
 */
export interface EssCertId {
  readonly attribute: 'signingCertificate' | 'signingCertificateV2';
  /** SHA-1 for signingCertificate; the ESSCertIDv2 hashAlgorithm (default SHA-256) for v2. */
  readonly hash: HashAlgorithm | 'sha1';
  readonly certHash: Uint8Array;
  /** issuerSerial: the directoryName issuers (Name DER) and the serial INTEGER content bytes. */
  readonly issuerSerial: { readonly issuerNames: readonly Uint8Array[]; readonly serialNumber: Uint8Array } | undefined;
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
  /** The content-type attribute's OID, if the attribute is present. */
  readonly contentType: string | undefined;
  /** The message-digest attribute's octets, if the attribute is present. */
  readonly messageDigest: Uint8Array | undefined;
  /**
   * The first ESSCertID of each signing-certificate / signing-certificate-v2
   * attribute present (the first entry names the signing certificate).
   */
  readonly signingCertificates: readonly EssCertId[];
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

function parseFail(msg: string): never {
  throw new SigvetError('PARSE', `timestamp: ${msg}`, { check: 'timestamp.parse' });
}

function fail(code: 'UNSUPPORTED', msg: string, check: string): never {
  throw new SigvetError(code, `timestamp: ${msg}`, { check });
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
    if (!token) {
      throw new SigvetError('TIMESTAMP', 'timestamp: the response is granted but holds no token', { check: 'timestamp.status' });
    }
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
    throw new SigvetError('TIMESTAMP', `timestamp: the TSA did not grant the request (PKIStatus ${status})`, {
      check: 'timestamp.status',
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
  const v1 = singleValue(attributes, TimestampOid.SIGNING_CERTIFICATE, attrsEl);
  const v2 = singleValue(attributes, TimestampOid.SIGNING_CERTIFICATE_V2, attrsEl);
  const signingCertificates: EssCertId[] = [];
  if (v1) signingCertificates.push(parseEssCertId(v1));
  if (v2) signingCertificates.push(parseEssCertIdV2(v2));
  return {
    version,
    sid,
    digestAlgorithmOid,
    signedAttrs: attrsEl.raw(),
    attributes,
    contentType: singleValue(attributes, TimestampOid.CONTENT_TYPE, attrsEl)?.oid(),
    messageDigest: singleValue(attributes, TimestampOid.MESSAGE_DIGEST, attrsEl)?.octets(),
    signingCertificates,
    signatureAlgorithm,
    signature,
  };
}

/** The one value of an attribute, or undefined when the attribute is absent (RFC 5652 §11: one value each). */
function singleValue(attributes: readonly SignedAttribute[], oid: string, where: DerElement): DerElement | undefined {
  const a = attributes.find((x) => x.oid === oid);
  if (!a) return undefined;
  if (a.values.length !== 1) where.fail(`signed attribute ${oid} must have exactly one value, got ${a.values.length}`);
  return a.values[0]!;
}

/**
 * SigningCertificate ::= SEQUENCE { certs SEQUENCE OF ESSCertID, policies OPTIONAL }
 * ESSCertID ::= SEQUENCE { certHash OCTET STRING (SHA-1), issuerSerial IssuerSerial OPTIONAL }
 */
function parseEssCertId(value: DerElement): EssCertId {
  const id = firstCertId(value, 'SigningCertificate');
  const p = id.items(1, 2, 'ESSCertID');
  return {
    attribute: 'signingCertificate',
    hash: 'sha1',
    certHash: p[0]!.octets(),
    issuerSerial: p[1] ? parseIssuerSerial(p[1]) : undefined,
  };
}

/**
 * SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2, policies OPTIONAL }
 * ESSCertIDv2 ::= SEQUENCE { hashAlgorithm AlgorithmIdentifier DEFAULT {id-sha256},
 *   certHash OCTET STRING, issuerSerial IssuerSerial OPTIONAL }
 */
function parseEssCertIdV2(value: DerElement): EssCertId {
  const id = firstCertId(value, 'SigningCertificateV2');
  const p = id.items(1, 3, 'ESSCertIDv2');
  let j = 0;
  let hash: HashAlgorithm = 'sha256';
  if (p[0]!.tag === Tag.SEQUENCE) {
    // An explicit SHA-256 should have been omitted (DER default) but changes nothing; it is accepted.
    const oid = hashAlgorithmOid(p[0]!, 'ESSCertIDv2 hashAlgorithm');
    hash =
      hashFromOid(oid) ??
      fail('UNSUPPORTED', `unsupported ESSCertIDv2 hash algorithm ${oid}`, 'timestamp.attributes.signing-certificate');
    j++;
  }
  const certHash = (p[j++] ?? id.fail('missing certHash')).octets();
  const issuerSerial = p[j] ? parseIssuerSerial(p[j++]!) : undefined;
  if (j !== p.length) id.fail('unexpected field in ESSCertIDv2');
  return { attribute: 'signingCertificateV2', hash, certHash, issuerSerial };
}

/** The first ESSCertID(v2) of the list: RFC 2634 §5.4 / RFC 5035 §3 make it the signing certificate's. */
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

/**
 * Accuracy ::= SEQUENCE { seconds INTEGER OPTIONAL,
 *   millis [0] INTEGER (1..999) OPTIONAL, micros [1] INTEGER (1..999) OPTIONAL }
 */
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
