/**
 * A tiny test PKI: a DER writer, X.509 certificate builder and trusted-root
 * JSON builder, signing with node:crypto. Tests use it to make CAs, leaves
 * and logs whose every field they control, including malformed ones.
 *
 * (@peculiar/x509 is a dev dependency, but under vitest it needs a
 * reflect-metadata polyfill that the project does not install; writing DER
 * here also lets tests build encodings that library refuses to produce,
 * such as duplicate extensions or explicit critical=FALSE.)
 */
import crypto from 'node:crypto';

// ---------------------------------------------------------------------------
// DER writer

/** A DER length in minimal form. */
export function derLen(n: number): Uint8Array {
  if (n < 0x80) return Uint8Array.of(n);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

/** Concatenates byte arrays. */
export function cat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Tag, minimal length, content. */
export function tlv(tag: number, ...content: Uint8Array[]): Uint8Array {
  const c = cat(...content);
  return cat(Uint8Array.of(tag), derLen(c.length), c);
}

export const seq = (...p: Uint8Array[]): Uint8Array => tlv(0x30, ...p);
export const set = (...p: Uint8Array[]): Uint8Array => tlv(0x31, ...p);
export const octets = (b: Uint8Array): Uint8Array => tlv(0x04, b);
export const utf8Str = (s: string): Uint8Array => tlv(0x0c, new TextEncoder().encode(s));
export const bool = (v: boolean): Uint8Array => tlv(0x01, Uint8Array.of(v ? 0xff : 0));
export const nul = (): Uint8Array => tlv(0x05);
/** `[n]` context tag, constructed (explicit) or primitive (implicit). */
export const ctx = (n: number, constructed: boolean, ...p: Uint8Array[]): Uint8Array => tlv((constructed ? 0xa0 : 0x80) | n, ...p);

/** A non-negative INTEGER, minimally encoded. */
export function int(v: bigint | number): Uint8Array {
  let n = BigInt(v);
  const bytes: number[] = [];
  do {
    bytes.unshift(Number(n & 0xffn));
    n >>= 8n;
  } while (n > 0n);
  if (bytes[0]! >= 0x80) bytes.unshift(0);
  return tlv(0x02, Uint8Array.from(bytes));
}

/** Base-128 encoding of one OID arc. */
function arc(v: bigint): number[] {
  const out = [Number(v & 0x7fn)];
  for (v >>= 7n; v > 0n; v >>= 7n) out.unshift(Number(v & 0x7fn) | 0x80);
  return out;
}

/** OBJECT IDENTIFIER content octets for a dotted OID (arcs may be huge). */
export function oidContent(dotted: string): Uint8Array {
  const a = dotted.split('.').map((x) => BigInt(x));
  return Uint8Array.from([...arc(a[0]! * 40n + a[1]!), ...a.slice(2).flatMap(arc)]);
}

/** An OBJECT IDENTIFIER element. */
export const oid = (dotted: string): Uint8Array => tlv(0x06, oidContent(dotted));

/** A BIT STRING with whole bytes, or with `unused` trailing bits. */
export const bitString = (bytes: Uint8Array, unused = 0): Uint8Array => tlv(0x03, Uint8Array.of(unused), bytes);

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** RFC 5280 time: UTCTime through 2049, GeneralizedTime from 2050. */
export function time(ms: number): Uint8Array {
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  const rest = `${pad2(d.getUTCMonth() + 1)}${pad2(d.getUTCDate())}${pad2(d.getUTCHours())}${pad2(d.getUTCMinutes())}${pad2(d.getUTCSeconds())}Z`;
  const text = (s: string): Uint8Array => new TextEncoder().encode(s);
  return y < 2050 ? tlv(0x17, text(`${pad2(y % 100)}${rest}`)) : tlv(0x18, text(`${y}${rest}`));
}

/** A Name with an optional organization and a common name. */
export function name(cn: string, o?: string): Uint8Array {
  const rdn = (type: string, v: string): Uint8Array => set(seq(oid(type), utf8Str(v)));
  return seq(...(o === undefined ? [] : [rdn('2.5.4.10', o)]), rdn('2.5.4.3', cn));
}

/** The empty Name Fulcio leaves carry. */
export const EMPTY_NAME = seq();

// ---------------------------------------------------------------------------
// Extensions

/** One Extension; `critical` FALSE is omitted as DER requires. */
export function extension(extOid: string, critical: boolean, value: Uint8Array): Uint8Array {
  return seq(oid(extOid), ...(critical ? [bool(true)] : []), octets(value));
}

/** A SAN entry to encode. */
export type NameSpec = { uri: string } | { email: string } | { dns: string } | { otherName: { oid: string; value: string } };

/** Named bits of keyUsage, DER-encoded with trailing zero bits dropped. */
function keyUsageValue(bits: { digitalSignature?: boolean; keyCertSign?: boolean; cRLSign?: boolean }): Uint8Array {
  const b = (bits.digitalSignature ? 0x80 : 0) | (bits.keyCertSign ? 0x04 : 0) | (bits.cRLSign ? 0x02 : 0);
  if (b === 0) return bitString(new Uint8Array(0));
  let unused = 0;
  while (((b >> unused) & 1) === 0) unused++;
  return bitString(Uint8Array.of(b), unused);
}

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

export const OIDS = {
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  subjectAltName: '2.5.29.17',
  subjectKeyId: '2.5.29.14',
  authorityKeyId: '2.5.29.35',
  sctList: '1.3.6.1.4.1.11129.2.4.2',
  ctPoison: '1.3.6.1.4.1.11129.2.4.3',
  codeSigning: '1.3.6.1.5.5.7.3.3',
  timeStamping: '1.3.6.1.5.5.7.3.8',
  fulcio: (n: number): string => `1.3.6.1.4.1.57264.1.${n}`,
  ecdsaSha256: '1.2.840.10045.4.3.2',
  ecdsaSha384: '1.2.840.10045.4.3.3',
} as const;

/** Extension builders with the usual criticality. */
export const Ext = {
  basicConstraints: (ca: boolean, pathLen?: number, critical = true): Uint8Array =>
    extension(OIDS.basicConstraints, critical, seq(...(ca ? [bool(true)] : []), ...(pathLen === undefined ? [] : [int(pathLen)]))),
  keyUsage: (bits: { digitalSignature?: boolean; keyCertSign?: boolean; cRLSign?: boolean }, critical = true): Uint8Array =>
    extension(OIDS.keyUsage, critical, keyUsageValue(bits)),
  eku: (oids: string[], critical = false): Uint8Array => extension(OIDS.extKeyUsage, critical, seq(...oids.map(oid))),
  san: (names: NameSpec[], critical = true): Uint8Array =>
    extension(
      OIDS.subjectAltName,
      critical,
      seq(
        ...names.map((n) => {
          if ('uri' in n) return tlv(0x86, enc(n.uri));
          if ('email' in n) return tlv(0x81, enc(n.email));
          if ('dns' in n) return tlv(0x82, enc(n.dns));
          return ctx(0, true, oid(n.otherName.oid), ctx(0, true, utf8Str(n.otherName.value)));
        }),
      ),
    ),
  subjectKeyId: (id: Uint8Array): Uint8Array => extension(OIDS.subjectKeyId, false, octets(id)),
  authorityKeyId: (id: Uint8Array): Uint8Array => extension(OIDS.authorityKeyId, false, seq(ctx(0, false, id))),
  /** Fulcio v1 extension (.1 to .6): the raw string bytes. */
  fulcioV1: (n: number, value: string | Uint8Array): Uint8Array =>
    extension(OIDS.fulcio(n), false, typeof value === 'string' ? enc(value) : value),
  /** Fulcio v2 extension (.8 on): a DER UTF8String. */
  fulcioV2: (n: number, value: string): Uint8Array => extension(OIDS.fulcio(n), false, utf8Str(value)),
  /** RFC 6962 precertificate poison: critical NULL. */
  poison: (): Uint8Array => extension(OIDS.ctPoison, true, nul()),
};

// ---------------------------------------------------------------------------
// Keys and certificates

/** An EC key pair with its DER SPKI and a key identifier. */
export interface TestKey {
  readonly privateKey: crypto.KeyObject;
  readonly publicKey: crypto.KeyObject;
  readonly spki: Uint8Array;
  readonly keyId: Uint8Array;
}

/** Generates an EC key (P-256 unless asked otherwise). */
export function newKey(namedCurve: 'P-256' | 'P-384' = 'P-256'): TestKey {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve });
  const spki = new Uint8Array(publicKey.export({ type: 'spki', format: 'der' }));
  return { privateKey, publicKey, spki, keyId: new Uint8Array(crypto.createHash('sha1').update(spki).digest()) };
}

/** Everything a certificate needs; unusual encodings are opt-in. */
export interface CertOptions {
  serial?: bigint;
  issuer: Uint8Array;
  subject: Uint8Array;
  notBefore: number;
  notAfter: number;
  spki: Uint8Array;
  signingKey: crypto.KeyObject;
  /** Extension DERs; undefined omits the `[3]` field. */
  extensions?: Uint8Array[];
  /** The DER version number (2 = v3, the default); null omits the field (v1). */
  version?: number | null;
  hash?: 'sha256' | 'sha384';
  /** Overrides the outer signatureAlgorithm (the TBS keeps the real one). */
  outerSignatureAlgorithm?: Uint8Array;
}

/** The AlgorithmIdentifier for ECDSA with `hash`. */
export function ecdsaAlgorithm(hash: 'sha256' | 'sha384'): Uint8Array {
  return seq(oid(hash === 'sha256' ? OIDS.ecdsaSha256 : OIDS.ecdsaSha384));
}

/** A TBSCertificate. */
export function tbsCertificate(o: CertOptions): Uint8Array {
  const version = o.version === undefined ? 2 : o.version;
  return seq(
    ...(version === null ? [] : [ctx(0, true, int(version))]),
    int(o.serial ?? BigInt('0x' + crypto.randomBytes(16).toString('hex')) | (1n << 126n)),
    ecdsaAlgorithm(o.hash ?? 'sha256'),
    o.issuer,
    seq(time(o.notBefore), time(o.notAfter)),
    o.subject,
    o.spki,
    ...(o.extensions === undefined ? [] : [ctx(3, true, seq(...o.extensions))]),
  );
}

/** Signs a TBS with an EC key into a Certificate. */
export function signTbs(tbs: Uint8Array, key: crypto.KeyObject, hash: 'sha256' | 'sha384' = 'sha256', outerAlg?: Uint8Array): Uint8Array {
  const sig = new Uint8Array(crypto.sign(hash, tbs, key));
  return seq(tbs, outerAlg ?? ecdsaAlgorithm(hash), bitString(sig));
}

/** Builds and signs a certificate. */
export function makeCertificate(o: CertOptions): Uint8Array {
  return signTbs(tbsCertificate(o), o.signingKey, o.hash ?? 'sha256', o.outerSignatureAlgorithm);
}

/** A CA: its key, Name and certificate. */
export interface TestCa {
  readonly key: TestKey;
  readonly name: Uint8Array;
  readonly cert: Uint8Array;
}

/** Validity defaults: CAs 2020–2040, leaves a ten-minute window on 2026-01-15. */
export const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);
export const LEAF_NOT_AFTER = T0 + 10 * 60_000;
export const CA_NOT_BEFORE = Date.UTC(2020, 0, 1);
export const CA_NOT_AFTER = Date.UTC(2040, 0, 1);

/** Options for a CA certificate. */
export interface CaOptions {
  cn: string;
  notBefore?: number;
  notAfter?: number;
  pathLen?: number;
  /** false leaves keyCertSign out of keyUsage. */
  keyCertSign?: boolean;
  /** false makes the certificate a non-CA (no basicConstraints cA). */
  ca?: boolean;
  key?: TestKey;
}

function caExtensions(o: CaOptions, key: TestKey, issuerKeyId: Uint8Array): Uint8Array[] {
  return [
    Ext.keyUsage({ keyCertSign: o.keyCertSign !== false, cRLSign: true, digitalSignature: o.keyCertSign === false }),
    Ext.basicConstraints(o.ca !== false, o.pathLen),
    Ext.subjectKeyId(key.keyId),
    Ext.authorityKeyId(issuerKeyId),
  ];
}

/** A self-signed root CA. */
export function makeRootCa(o: CaOptions): TestCa {
  const key = o.key ?? newKey();
  const n = name(o.cn, 'sigvet tests');
  const cert = makeCertificate({
    issuer: n,
    subject: n,
    notBefore: o.notBefore ?? CA_NOT_BEFORE,
    notAfter: o.notAfter ?? CA_NOT_AFTER,
    spki: key.spki,
    signingKey: key.privateKey,
    extensions: caExtensions(o, key, key.keyId),
  });
  return { key, name: n, cert };
}

/** An intermediate CA issued by `parent`. */
export function makeIntermediateCa(parent: TestCa, o: CaOptions): TestCa {
  const key = o.key ?? newKey();
  const n = name(o.cn, 'sigvet tests');
  const cert = makeCertificate({
    issuer: parent.name,
    subject: n,
    notBefore: o.notBefore ?? CA_NOT_BEFORE,
    notAfter: o.notAfter ?? CA_NOT_AFTER,
    spki: key.spki,
    signingKey: parent.key.privateKey,
    extensions: caExtensions(o, key, parent.key.keyId),
  });
  return { key, name: n, cert };
}

export const TEST_IDENTITY = 'https://github.com/sigvet-test/app/.github/workflows/release.yml@refs/heads/main';
export const TEST_ISSUER = 'https://token.actions.githubusercontent.com';

/** The Fulcio leaf profile's extensions, for `issuer`. */
export function fulcioLeafExtensions(issuer: TestCa, leafKey: TestKey): Uint8Array[] {
  return [
    Ext.keyUsage({ digitalSignature: true }),
    Ext.eku([OIDS.codeSigning]),
    Ext.subjectKeyId(leafKey.keyId),
    Ext.authorityKeyId(issuer.key.keyId),
    Ext.san([{ uri: TEST_IDENTITY }]),
    Ext.fulcioV1(1, TEST_ISSUER),
    Ext.fulcioV2(8, TEST_ISSUER),
  ];
}

/** Options for a leaf. */
export interface LeafOptions {
  notBefore?: number;
  notAfter?: number;
  /** Replaces the Fulcio profile extensions entirely. */
  extensions?: (defaults: Uint8Array[]) => Uint8Array[];
  key?: TestKey;
  /** Signs with this key instead of the issuer's (a forged leaf). */
  signingKey?: crypto.KeyObject;
}

/** A Fulcio-style code-signing leaf issued by `issuer`. */
export function makeLeaf(issuer: TestCa, o: LeafOptions = {}): { der: Uint8Array; key: TestKey } {
  const key = o.key ?? newKey();
  const defaults = fulcioLeafExtensions(issuer, key);
  const der = makeCertificate({
    issuer: issuer.name,
    subject: EMPTY_NAME,
    notBefore: o.notBefore ?? T0,
    notAfter: o.notAfter ?? LEAF_NOT_AFTER,
    spki: key.spki,
    signingKey: o.signingKey ?? issuer.key.privateKey,
    extensions: o.extensions ? o.extensions(defaults) : defaults,
  });
  return { der, key };
}

// ---------------------------------------------------------------------------
// Trusted roots

const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64');

/** ISO 8601 / RFC 3339 with milliseconds. */
export const iso = (ms: number): string => new Date(ms).toISOString();

/** A CA or TSA entry of a trusted root. */
export interface AuthoritySpec {
  uri?: string;
  /** Issuing certificate first, root last. */
  chain: Uint8Array[];
  start?: string;
  end?: string;
}

/** A tlog or ctlog entry of a trusted root. */
export interface LogSpec {
  baseUrl: string;
  spki: Uint8Array;
  keyDetails?: string;
  start?: string;
  end?: string;
  /** Defaults to SHA-256 of the SPKI. */
  logId?: Uint8Array;
}

/** JSON of a log entry. */
export function logJson(l: LogSpec): Record<string, unknown> {
  return {
    baseUrl: l.baseUrl,
    hashAlgorithm: 'SHA2_256',
    publicKey: {
      rawBytes: b64(l.spki),
      keyDetails: l.keyDetails ?? 'PKIX_ECDSA_P256_SHA_256',
      validFor: { start: l.start ?? iso(CA_NOT_BEFORE), ...(l.end === undefined ? {} : { end: l.end }) },
    },
    logId: { keyId: b64(l.logId ?? new Uint8Array(crypto.createHash('sha256').update(l.spki).digest())) },
  };
}

/** JSON of an authority entry. */
export function authorityJson(a: AuthoritySpec): Record<string, unknown> {
  return {
    subject: { organization: 'sigvet tests', commonName: 'test' },
    uri: a.uri ?? 'https://fulcio.test',
    certChain: { certificates: a.chain.map((c) => ({ rawBytes: b64(c) })) },
    validFor: { start: a.start ?? iso(CA_NOT_BEFORE), ...(a.end === undefined ? {} : { end: a.end }) },
  };
}

/** A trusted-root JSON object (v0.1 media type). */
export function trustedRootJson(o: { cas?: AuthoritySpec[]; tsas?: AuthoritySpec[]; tlogs?: LogSpec[]; ctlogs?: LogSpec[] }): Record<string, unknown> {
  return {
    mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    tlogs: (o.tlogs ?? []).map(logJson),
    certificateAuthorities: (o.cas ?? []).map(authorityJson),
    ctlogs: (o.ctlogs ?? []).map(logJson),
    timestampAuthorities: (o.tsas ?? []).map(authorityJson),
  };
}
