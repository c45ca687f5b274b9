/**
 * X.509 certificates (RFC 5280) parsed once into a view over their DER bytes.
 *
 * Everything a verifier compares or hashes (TBS, issuer and subject names,
 * serial, SPKI, extension values) is a subarray of the original encoding;
 * nothing is re-encoded. Duplicate extensions are rejected (RFC 5280
 * §4.2), and the signature algorithm inside and outside the TBS must be
 * byte-identical (§4.1.1.2).
 * @module
 */
import { SigvetError } from '../errors.js';
import { DerElement, Tag, contextTag, parseDer } from '../der/element.js';
import { bytesEqual } from '../encoding/bytes.js';

/** Well-known extension OIDs. */
export const ExtensionOid = {
  SUBJECT_KEY_ID: '2.5.29.14',
  KEY_USAGE: '2.5.29.15',
  SUBJECT_ALT_NAME: '2.5.29.17',
  BASIC_CONSTRAINTS: '2.5.29.19',
  NAME_CONSTRAINTS: '2.5.29.30',
  CERTIFICATE_POLICIES: '2.5.29.32',
  AUTHORITY_KEY_ID: '2.5.29.35',
  EXT_KEY_USAGE: '2.5.29.37',
  /** RFC 6962 embedded SCT list. */
  SCT_LIST: '1.3.6.1.4.1.11129.2.4.2',
  /** RFC 6962 precertificate poison. */
  CT_POISON: '1.3.6.1.4.1.11129.2.4.3',
} as const;

/** Extended key usage OIDs. */
export const EkuOid = {
  CODE_SIGNING: '1.3.6.1.5.5.7.3.3',
  TIME_STAMPING: '1.3.6.1.5.5.7.3.8',
} as const;

/** One extension: its OID, criticality, and the content of its `extnValue` OCTET STRING. */
export interface Extension {
  readonly oid: string;
  readonly critical: boolean;
  /** The extnValue content (the DER of the extension's own structure), a view. */
  readonly value: Uint8Array;
  /** The whole Extension SEQUENCE element (for byte splicing). */
  readonly element: DerElement;
}

/** A subject alternative name entry. */
export type GeneralName =
  | { readonly type: 'email'; readonly value: string }
  | { readonly type: 'dns'; readonly value: string }
  | { readonly type: 'uri'; readonly value: string }
  | { readonly type: 'otherName'; readonly oid: string; readonly value: string | undefined }
  | { readonly type: 'other'; readonly tag: number };

/** Key usage bits (RFC 5280 §4.2.1.3) sigvet checks. */
export interface KeyUsage {
  readonly digitalSignature: boolean;
  readonly keyCertSign: boolean;
  readonly cRLSign: boolean;
}

/** A parsed certificate. Construct with {@link parseCertificate}. */
export class Certificate {
  /** The DER encoding (sigvet's own copy). */
  readonly der: Uint8Array;
  /** The TBSCertificate element; `tbs.raw()` are the signed bytes. */
  readonly tbs: DerElement;
  /** The DER version number (2 for v3). */
  readonly version: number;
  /** The serial number's INTEGER content bytes, exactly as encoded. */
  readonly serialNumber: Uint8Array;
  /** The outer signatureAlgorithm element. */
  readonly signatureAlgorithm: DerElement;
  /** The signature bytes (BIT STRING content). */
  readonly signature: Uint8Array;
  /** The issuer Name, as DER. */
  readonly issuer: Uint8Array;
  /** The subject Name, as DER. */
  readonly subject: Uint8Array;
  /** notBefore in ms since the epoch. */
  readonly notBefore: number;
  /** notAfter in ms since the epoch (inclusive). */
  readonly notAfter: number;
  /** The SubjectPublicKeyInfo DER. */
  readonly spki: Uint8Array;
  /** The `[3]` extensions wrapper element, if any. */
  readonly extensionsElement: DerElement | undefined;
  /** Extensions in order of appearance. */
  readonly extensions: readonly Extension[];
  private readonly byOid: Map<string, Extension>;

  /** @internal */
  constructor(der: Uint8Array, what: string) {
    this.der = der;
    const root = parseDer(der, what).expect(Tag.SEQUENCE, 'Certificate');
    const [tbs, sigAlg, sigVal] = root.items(3, 3, 'Certificate') as [DerElement, DerElement, DerElement];
    this.tbs = tbs.expect(Tag.SEQUENCE, 'TBSCertificate');
    // Names and the SPKI are kept as raw bytes and compared, never walked
    // below; check their DER framing here so no non-DER encoding is signed off.
    checkFraming(tbs);
    this.signatureAlgorithm = sigAlg.expect(Tag.SEQUENCE, 'signatureAlgorithm');
    this.signature = sigVal.bitString().bytes;

    const f = tbs.items(6, 10, 'TBSCertificate');
    let i = 0;
    const first = f[0]!;
    if (first.tag === contextTag(0, true)) {
      this.version = first.items(1, 1, 'version')[0]!.smallInt();
      i++;
    } else {
      this.version = 0;
    }
    if (this.version !== 2) first.fail(`only X.509 v3 certificates are accepted, got version ${this.version + 1}`);
    const serial = f[i++]!;
    this.serialNumber = serial.integerBytes();
    const innerSigAlg = f[i++]!.expect(Tag.SEQUENCE, 'signature');
    if (!bytesEqual(innerSigAlg.raw(), sigAlg.raw())) {
      innerSigAlg.fail('TBS signature algorithm differs from the outer signatureAlgorithm');
    }
    this.issuer = f[i++]!.expect(Tag.SEQUENCE, 'issuer').raw();
    const validity = f[i++]!.expect(Tag.SEQUENCE, 'validity').items(2, 2, 'Validity');
    this.notBefore = validity[0]!.time();
    this.notAfter = validity[1]!.time();
    this.subject = f[i++]!.expect(Tag.SEQUENCE, 'subject').raw();
    const spki = f[i++] ?? tbs.fail('missing subjectPublicKeyInfo');
    this.spki = spki.expect(Tag.SEQUENCE, 'subjectPublicKeyInfo').raw();
    // Optional issuerUniqueID [1], subjectUniqueID [2], then extensions [3].
    let ext: DerElement | undefined;
    let lastTag = 0;
    for (; i < f.length; i++) {
      const el = f[i]!;
      const n = el.tag === 0x81 || el.tag === 0xa1 ? 1 : el.tag === 0x82 || el.tag === 0xa2 ? 2 : el.tag === 0xa3 ? 3 : 0;
      if (n === 0 || n <= lastTag) el.fail('unexpected field in TBSCertificate');
      lastTag = n;
      if (n === 3) ext = el;
    }
    this.extensionsElement = ext;
    const exts: Extension[] = [];
    this.byOid = new Map();
    if (ext) {
      const list = ext.items(1, 1, 'extensions')[0]!.expect(Tag.SEQUENCE, 'Extensions');
      const items = list.children();
      if (items.length === 0) list.fail('empty Extensions');
      if (items.length > 64) throw new SigvetError('LIMIT', `${what}: more than 64 extensions`, { check: 'x509.extensions' });
      for (const e of items) {
        const parts = e.expect(Tag.SEQUENCE, 'Extension').items(2, 3, 'Extension');
        const oid = parts[0]!.oid();
        let critical = false;
        if (parts.length === 3) {
          critical = parts[1]!.boolean();
          // DER: DEFAULT FALSE must be omitted.
          if (!critical) parts[1]!.fail('critical FALSE must be omitted in DER');
        }
        const value = parts[parts.length - 1]!.octets();
        if (this.byOid.has(oid)) e.fail(`duplicate extension ${oid}`);
        const x: Extension = { oid, critical, value, element: e };
        this.byOid.set(oid, x);
        exts.push(x);
      }
    }
    this.extensions = exts;
  }

  /** The extension with this OID, if present. */
  extension(oid: string): Extension | undefined {
    return this.byOid.get(oid);
  }

  /** basicConstraints: `ca` and the optional path length; undefined when absent. */
  get basicConstraints(): { ca: boolean; pathLen: number | undefined } | undefined {
    const x = this.byOid.get(ExtensionOid.BASIC_CONSTRAINTS);
    if (!x) return undefined;
    const seq = parseDer(x.value, 'basicConstraints').expect(Tag.SEQUENCE, 'BasicConstraints');
    const k = seq.items(0, 2, 'BasicConstraints');
    let ca = false;
    let pathLen: number | undefined;
    let j = 0;
    if (k[j]?.tag === Tag.BOOLEAN) {
      ca = k[j]!.boolean();
      if (!ca) k[j]!.fail('cA FALSE must be omitted in DER');
      j++;
    }
    if (k[j]) {
      pathLen = k[j]!.smallInt();
      j++;
    }
    if (j !== k.length) seq.fail('unexpected BasicConstraints content');
    return { ca, pathLen };
  }

  /** keyUsage bits; undefined when absent. */
  get keyUsage(): KeyUsage | undefined {
    const x = this.byOid.get(ExtensionOid.KEY_USAGE);
    if (!x) return undefined;
    const { bytes } = parseDer(x.value, 'keyUsage').bitString(true);
    const b0 = bytes[0] ?? 0;
    return { digitalSignature: (b0 & 0x80) !== 0, keyCertSign: (b0 & 0x04) !== 0, cRLSign: (b0 & 0x02) !== 0 };
  }

  /** extKeyUsage OIDs; undefined when absent. */
  get extKeyUsage(): string[] | undefined {
    const x = this.byOid.get(ExtensionOid.EXT_KEY_USAGE);
    if (!x) return undefined;
    const seq = parseDer(x.value, 'extKeyUsage').expect(Tag.SEQUENCE, 'ExtKeyUsageSyntax');
    const k = seq.children();
    if (k.length === 0 || k.length > 32) seq.fail('ExtKeyUsageSyntax must hold 1..32 OIDs');
    return k.map((e) => e.oid());
  }

  /** subjectKeyIdentifier bytes, if present. */
  get subjectKeyId(): Uint8Array | undefined {
    const x = this.byOid.get(ExtensionOid.SUBJECT_KEY_ID);
    return x ? parseDer(x.value, 'subjectKeyIdentifier').octets() : undefined;
  }

  /** authorityKeyIdentifier keyIdentifier bytes, if present. */
  get authorityKeyId(): Uint8Array | undefined {
    const x = this.byOid.get(ExtensionOid.AUTHORITY_KEY_ID);
    if (!x) return undefined;
    const seq = parseDer(x.value, 'authorityKeyIdentifier').expect(Tag.SEQUENCE, 'AuthorityKeyIdentifier');
    const kid = seq.children().find((e) => e.tag === 0x80);
    return kid?.content();
  }

  /** Subject alternative names, decoded; an empty list when absent. */
  get subjectAltNames(): GeneralName[] {
    const x = this.byOid.get(ExtensionOid.SUBJECT_ALT_NAME);
    if (!x) return [];
    const seq = parseDer(x.value, 'subjectAltName').expect(Tag.SEQUENCE, 'GeneralNames');
    const k = seq.children();
    if (k.length === 0 || k.length > 32) seq.fail('GeneralNames must hold 1..32 names');
    return k.map(decodeGeneralName);
  }

  /** True when this certificate's signature would be checked with `issuer`'s key by name and key id. */
  isIssuedByName(issuer: Certificate): boolean {
    if (!bytesEqual(this.issuer, issuer.subject)) return false;
    const aki = this.authorityKeyId;
    const ski = issuer.subjectKeyId;
    return !aki || !ski || bytesEqual(aki, ski);
  }

  /** True when `t` (ms) is within [notBefore, notAfter]. */
  validAt(t: number): boolean {
    return t >= this.notBefore && t <= this.notAfter;
  }
}

/** Parses every constructed element below `el`, so each length in it is checked (depth capped by the reader). */
function checkFraming(el: DerElement): void {
  if (!el.constructed) return;
  for (const k of el.children()) checkFraming(k);
}

function ia5(el: DerElement, name: string): string {
  const c = el.content();
  let s = '';
  for (let i = 0; i < c.length; i++) {
    // IA5String is ASCII; a byte ≥ 0x80 is an encoding error, not Latin-1.
    if (c[i]! >= 0x80) el.fail(`${name} is not ASCII`);
    s += String.fromCharCode(c[i]!);
  }
  return s;
}

const utf8Fatal = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function decodeGeneralName(el: DerElement): GeneralName {
  switch (el.tag) {
    case 0x81:
      return { type: 'email', value: ia5(el, 'rfc822Name') };
    case 0x82:
      return { type: 'dns', value: ia5(el, 'dNSName') };
    case 0x86:
      return { type: 'uri', value: ia5(el, 'uniformResourceIdentifier') };
    case 0xa0: {
      // otherName ::= SEQUENCE { type-id OID, value [0] EXPLICIT ANY } (implicit SEQUENCE under [0])
      const [idEl, valEl] = el.items(2, 2, 'otherName') as [DerElement, DerElement];
      const oid = idEl.oid();
      if (valEl.tag !== contextTag(0, true)) valEl.fail('otherName value must be [0] EXPLICIT');
      const inner = valEl.items(1, 1, 'otherName value')[0]!;
      let value: string | undefined;
      if (inner.tag === Tag.UTF8_STRING) {
        try {
          value = utf8Fatal.decode(inner.content());
        } catch {
          inner.fail('otherName UTF8String is not valid UTF-8');
        }
      }
      return { type: 'otherName', oid, value };
    }
    default:
      return { type: 'other', tag: el.tag };
  }
}

/**
 * Parses a DER certificate. The bytes are copied so later mutation of the
 * caller's buffer cannot change what was verified.
 * @throws SigvetError `PARSE` on any DER or structure violation.
 */
export function parseCertificate(der: Uint8Array, what = 'certificate'): Certificate {
  if (der.length > 64 * 1024) {
    throw new SigvetError('LIMIT', `${what}: ${der.length} bytes exceeds the 64 KiB certificate limit`, {
      check: 'x509.size',
    });
  }
  return new Certificate(der.slice(), what);
}
