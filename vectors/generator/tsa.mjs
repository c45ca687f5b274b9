// An RFC 3161 timestamp authority with its own chain: a self-signed P-384
// root and a P-256 TSA certificate whose only extended key usage is
// id-kp-timeStamping, in a critical extension (RFC 3161 §2.3). It answers a
// request with a TimeStampResp { status granted, token } exactly as Sigstore
// bundles carry it (timestampVerificationData.rfc3161Timestamps[].signedTimestamp):
// a CMS SignedData (RFC 5652) over a TSTInfo, signed attributes
// content-type, message-digest and signing-certificate-v2 (RFC 5035).

import { EcKey, deriveBytes, sha256, sha1, concat } from './keys.mjs';
import { seq, set, oid, int, octets, nul, tlv, ctx, toHex } from './der.mjs';
import { name, ext, tbsCertificate, signCertificate, OID } from './x509.mjs';

const TS_OID = {
  signedData: '1.2.840.113549.1.7.2',
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha1: '1.3.14.3.2.26',
  data: '1.2.840.113549.1.7.1',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  /** The policy OID Sigstore's TSA puts in its tokens. */
  policy: '1.3.6.1.4.1.57264.2',
};

function serialFor(seed, label) {
  const s = deriveBytes(seed, `serial:${label}`, 20);
  s[0] = (s[0] & 0x3f) | 0x40;
  return s;
}

const pad = (n, w = 2) => String(n).padStart(w, '0');

/** GeneralizedTime with a fraction only when there are milliseconds, and no trailing zeros (RFC 3161 §2.4.2). */
function generalizedTime(ms) {
  const d = new Date(ms);
  let frac = '';
  if (d.getUTCMilliseconds() !== 0) frac = `.${pad(d.getUTCMilliseconds(), 3)}`.replace(/0+$/, '');
  const text = `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}${frac}Z`;
  return tlv(0x18, new TextEncoder().encode(text));
}

/** DER SET OF: elements sorted by their encodings (X.690 §11.6). */
function setOf(items) {
  const sorted = [...items].sort((a, b) => {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
    return a.length - b.length;
  });
  return set(...sorted);
}

const attribute = (type, value) => seq(oid(type), set(value));

export class TimestampAuthority {
  /**
   * @param {object} o `organization`, `commonName`, `uri`, root validity
   *   (`notBefore`, `notAfter`), the TSA certificate's own validity
   *   (`leafNotBefore`, `leafNotAfter`, defaulting to the root's), and
   *   `ekuCritical` (default true; one case needs a non-critical EKU).
   */
  constructor(seed, label, o) {
    this.seed = seed;
    this.label = label;
    this.uri = o.uri;
    this.subject = { organization: o.organization, commonName: `${o.commonName}-root` };
    this.rootKey = new EcKey(seed, `tsa:${label}:root`, 'P-384');
    this.key = new EcKey(seed, `tsa:${label}:leaf`, 'P-256');
    this.rootName = name(this.subject);
    this.leafName = name({ organization: o.organization, commonName: o.commonName });
    this.leafSerial = serialFor(seed, `tsa:${label}:leaf`);
    this.leafNotAfter = o.leafNotAfter ?? o.notAfter;
    this.root = signCertificate(
      tbsCertificate({
        serial: serialFor(seed, `tsa:${label}:root`),
        sigAlgId: this.rootKey.sigAlgId,
        issuer: this.rootName,
        notBefore: o.notBefore,
        notAfter: o.notAfter,
        subject: this.rootName,
        spki: this.rootKey.spki,
        extensions: [
          ext.keyUsageCa(),
          ext.basicConstraints(true, 0),
          ext.subjectKeyIdentifier(this.rootKey.keyIdentifier),
        ],
      }),
      this.rootKey,
    );
    this.leaf = signCertificate(
      tbsCertificate({
        serial: this.leafSerial,
        sigAlgId: this.rootKey.sigAlgId,
        issuer: this.rootName,
        notBefore: o.leafNotBefore ?? o.notBefore,
        notAfter: this.leafNotAfter,
        subject: this.leafName,
        spki: this.key.spki,
        extensions: [
          ext.keyUsageDigitalSignature(),
          ext.subjectKeyIdentifier(this.key.keyIdentifier),
          ext.authorityKeyIdentifier(this.rootKey.keyIdentifier),
          o.ekuCritical === false ? ext.extKeyUsage(OID.timeStamping) : ext.extKeyUsageCritical(OID.timeStamping),
        ],
      }),
      this.rootKey,
    );
  }

  /** The chain as a trusted root lists it: TSA certificate first, then the root. */
  get chain() {
    return [this.leaf, this.root];
  }

  /**
   * Timestamps `signature` (the bytes a Sigstore client sends: the bundle's
   * signature) at `genTimeMs`. Returns the DER TimeStampResp.
   *
   * Options that make a deliberately bad response (each used by one case):
   * `status` (PKIStatus, default 0 granted), `imprintOf` (imprint over other
   * bytes), `imprintHash: 'sha1'` (a SHA-1 message imprint), `mutateSignature`,
   * `embedCertificates` (true: the TSA's chain; or a list of DER
   * certificates), `messageDigestOf` (the message-digest attribute over
   * other bytes than the TSTInfo), `contentType` (another content-type
   * attribute value), `omitSigningCertificate` (no ESS signing-certificate
   * attribute), `signerDigest: 'sha1'` (SHA-1 as the SignerInfo digest
   * algorithm, for the message-digest attribute).
   */
  timestamp(signature, genTimeMs, o = {}) {
    const serial = deriveBytes(this.seed, `tsa:${this.label}:token:${toHex(sha256(signature))}:${genTimeMs}`, 20);
    serial[0] &= 0x7f;
    const imprint = o.imprintHash === 'sha1' ? seq(oid(TS_OID.sha1), nul()) : seq(oid(TS_OID.sha256), nul());
    const imprintValue = (o.imprintHash === 'sha1' ? sha1 : sha256)(o.imprintOf ?? signature);
    const tstInfo = seq(
      int(1),
      oid(TS_OID.policy),
      seq(imprint, octets(imprintValue)),
      int(serial),
      generalizedTime(genTimeMs),
      seq(int(1)), // accuracy: 1 second
      ctx(0, ctx(4, this.leafName)), // tsa: directoryName
    );
    const essCertIdV2 = seq(
      octets(sha256(this.leaf)),
      seq(seq(ctx(4, this.rootName)), int(this.leafSerial)),
    );
    const signerDigestOid = o.signerDigest === 'sha1' ? TS_OID.sha1 : TS_OID.sha256;
    const signerDigest = o.signerDigest === 'sha1' ? sha1 : sha256;
    const attrs = [
      attribute(TS_OID.contentType, oid(o.contentType ?? TS_OID.tstInfo)),
      attribute(TS_OID.messageDigest, octets(signerDigest(o.messageDigestOf ?? tstInfo))),
    ];
    if (!o.omitSigningCertificate) attrs.push(attribute(TS_OID.signingCertificateV2, seq(seq(essCertIdV2))));
    const signedAttrsSet = setOf(attrs);
    let sig = this.key.sign(signedAttrsSet);
    if (o.mutateSignature) sig = o.mutateSignature(sig);
    // [0] IMPLICIT SET OF Attribute: same content, context tag.
    const signedAttrs = concat(Uint8Array.of(0xa0), signedAttrsSet.subarray(1));
    const signerInfo = seq(
      int(1),
      seq(this.rootName, int(this.leafSerial)),
      seq(oid(signerDigestOid)),
      signedAttrs,
      seq(oid(TS_OID.ecdsaWithSha256)),
      octets(sig),
    );
    const embedded = o.embedCertificates === true ? [this.leaf, this.root] : (o.embedCertificates ?? []);
    const signedData = seq(
      int(3),
      set(seq(oid(signerDigestOid))),
      seq(oid(TS_OID.tstInfo), ctx(0, octets(tstInfo))),
      ...(embedded.length > 0 ? [ctx(0, concat(...embedded))] : []),
      set(signerInfo),
    );
    const token = seq(oid(TS_OID.signedData), ctx(0, signedData));
    return seq(seq(int(o.status ?? 0)), token);
  }
}
