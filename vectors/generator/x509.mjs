// X.509 building blocks: names, extensions, TBSCertificate and Certificate.

import { seq, set, oid, int, octets, bool, bits, ctx, ctxPrim, printable, utf8, time, nul } from './der.mjs';

export const OID = {
  organizationName: '2.5.4.10',
  commonName: '2.5.4.3',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  basicConstraints: '2.5.29.19',
  subjectKeyIdentifier: '2.5.29.14',
  authorityKeyIdentifier: '2.5.29.35',
  subjectAltName: '2.5.29.17',
  codeSigning: '1.3.6.1.5.5.7.3.3',
  timeStamping: '1.3.6.1.5.5.7.3.8',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  ctPoison: '1.3.6.1.4.1.11129.2.4.3',
  ctSctList: '1.3.6.1.4.1.11129.2.4.2',
};

/** Fulcio certificate extensions, 1.3.6.1.4.1.57264.1.N (see Fulcio docs/oid-info.md). */
export const FULCIO = (n) => `1.3.6.1.4.1.57264.1.${n}`;

/** A Name made of O and CN, as PrintableStrings (the form Fulcio's CA certificates use). */
export function name({ organization, commonName }) {
  const rdns = [];
  if (organization !== undefined) rdns.push(set(seq(oid(OID.organizationName), printable(organization))));
  if (commonName !== undefined) rdns.push(set(seq(oid(OID.commonName), printable(commonName))));
  return seq(...rdns);
}

/** One Extension: SEQUENCE { extnID, critical DEFAULT FALSE, extnValue OCTET STRING }. */
export function extension(extnId, critical, valueDer) {
  return critical ? seq(oid(extnId), bool(true), octets(valueDer)) : seq(oid(extnId), octets(valueDer));
}

export const ext = {
  /** keyUsage: digitalSignature only. */
  keyUsageDigitalSignature: () => extension(OID.keyUsage, true, Uint8Array.of(0x03, 0x02, 0x07, 0x80)),
  /** keyUsage: keyEncipherment only (no digitalSignature). */
  keyUsageKeyEncipherment: () => extension(OID.keyUsage, true, Uint8Array.of(0x03, 0x02, 0x05, 0x20)),
  /** keyUsage: keyCertSign | cRLSign. */
  keyUsageCa: () => extension(OID.keyUsage, true, Uint8Array.of(0x03, 0x02, 0x01, 0x06)),
  extKeyUsage: (...oids) => extension(OID.extKeyUsage, false, seq(...oids.map((o) => oid(o)))),
  /** extKeyUsage marked critical (RFC 3161 §2.3 requires this for a TSA certificate). */
  extKeyUsageCritical: (...oids) => extension(OID.extKeyUsage, true, seq(...oids.map((o) => oid(o)))),
  basicConstraints: (ca, pathLen) =>
    extension(OID.basicConstraints, true, ca ? seq(bool(true), ...(pathLen === undefined ? [] : [int(pathLen)])) : seq()),
  subjectKeyIdentifier: (keyId) => extension(OID.subjectKeyIdentifier, false, octets(keyId)),
  authorityKeyIdentifier: (keyId) => extension(OID.authorityKeyIdentifier, false, seq(ctxPrim(0, keyId))),
  /** subjectAltName, critical because the subject is empty (RFC 5280 §4.2.1.6). */
  subjectAltName: ({ uri, email }) =>
    extension(
      OID.subjectAltName,
      true,
      seq(uri !== undefined ? ctxPrim(6, new TextEncoder().encode(uri)) : ctxPrim(1, new TextEncoder().encode(email))),
    ),
  /** Fulcio v1 extensions (.1 – .6) hold the raw string, not DER. */
  fulcioRaw: (n, value) => extension(FULCIO(n), false, new TextEncoder().encode(value)),
  /** Fulcio v2 extensions (.8 and later) hold a DER UTF8String. */
  fulcioUtf8: (n, value) => extension(FULCIO(n), false, utf8(value)),
  ctPoison: () => extension(OID.ctPoison, true, nul()),
  /** extnValue = OCTET STRING wrapping the TLS SignedCertificateTimestampList (RFC 6962 §3.3). */
  sctList: (tlsList) => extension(OID.ctSctList, false, octets(tlsList)),
};

/** TBSCertificate (v3). `sigAlgId` is the DER AlgorithmIdentifier (or give `sigAlgOid` for one without parameters). */
export function tbsCertificate({ serial, sigAlgOid, sigAlgId, issuer, notBefore, notAfter, subject, spki, extensions }) {
  return seq(
    ctx(0, int(2)),
    int(serial),
    sigAlgId ?? seq(oid(sigAlgOid)),
    issuer,
    seq(time(notBefore), time(notAfter)),
    subject,
    spki,
    ctx(3, seq(...extensions)),
  );
}

/** Certificate = SEQUENCE { tbs, signatureAlgorithm, signatureValue }, signed by `issuerKey`. */
export function signCertificate(tbs, issuerKey) {
  return seq(tbs, issuerKey.sigAlgId, bits(issuerKey.sign(tbs)));
}
