// A certificate transparency log that issues v1 SCTs for precertificates
// (RFC 6962 §3.1–3.3). It receives the precertificate exactly as a CA submits
// it, removes the poison extension from its TBSCertificate, and signs the
// precert_entry.

import { EcKey, concat, sha256 } from './keys.mjs';
import { readTlv, children, seq, ctx, oid, toHex } from './der.mjs';
import { OID } from './x509.mjs';

const u16 = (n) => Uint8Array.of((n >> 8) & 0xff, n & 0xff);
const u24 = (n) => Uint8Array.of((n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff);
function u64(n) {
  const out = new Uint8Array(8);
  let v = BigInt(n);
  for (let i = 7; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/** The precertificate's TBSCertificate with the poison extension removed (RFC 6962 §3.2). */
export function precertTbsWithoutPoison(precertDer) {
  const cert = readTlv(precertDer, 0);
  const [tbsNode] = children(precertDer, cert);
  const poison = toHex(oid(OID.ctPoison));
  const parts = [];
  let removed = 0;
  for (const field of children(precertDer, tbsNode)) {
    if (field.tag !== 0xa3) {
      parts.push(precertDer.subarray(field.start, field.end));
      continue;
    }
    const [extsSeq] = children(precertDer, field);
    const kept = [];
    for (const e of children(precertDer, extsSeq)) {
      const [id] = children(precertDer, e);
      if (toHex(precertDer.subarray(id.start, id.end)) === poison) removed++;
      else kept.push(precertDer.subarray(e.start, e.end));
    }
    parts.push(ctx(3, seq(...kept)));
  }
  if (removed !== 1) throw new Error('precertificate must carry exactly one poison extension');
  return seq(...parts);
}

export class CtLog {
  constructor(seed, label) {
    this.key = new EcKey(seed, `ctlog:${label}`, 'P-256');
    this.logId = this.key.spkiSha256;
  }

  /**
   * Signs a precert_entry and returns the serialized SCT (RFC 6962 §3.2).
   * `mutateSignature` lets a case damage the signature before it is serialized.
   */
  submitPrecert(precertDer, issuerSpki, timestampMs, { mutateSignature } = {}) {
    const tbs = precertTbsWithoutPoison(precertDer);
    return { sct: this.signTbs(tbs, issuerSpki, timestampMs, { mutateSignature }), tbsWithoutPoison: tbs };
  }

  /**
   * The SCT for a precert_entry over exactly `tbs` (the submission path
   * above strips the poison first; one case needs a log that signs a TBS
   * as given).
   */
  signTbs(tbs, issuerSpki, timestampMs, { mutateSignature } = {}) {
    const issuerKeyHash = sha256(issuerSpki);
    const signed = concat(
      Uint8Array.of(0), // sct_version v1
      Uint8Array.of(0), // signature_type certificate_timestamp
      u64(timestampMs),
      u16(1), // entry_type precert_entry
      issuerKeyHash,
      u24(tbs.length),
      tbs,
      u16(0), // no CtExtensions
    );
    let sig = this.key.sign(signed);
    if (mutateSignature) sig = mutateSignature(sig);
    return concat(
      Uint8Array.of(0),
      this.logId,
      u64(timestampMs),
      u16(0),
      Uint8Array.of(4, 3), // hash sha256, signature ecdsa
      u16(sig.length),
      sig,
    );
  }
}

/** SignedCertificateTimestampList: u16 total length, then u16-prefixed SCTs. */
export function sctListTls(scts) {
  const items = scts.map((s) => concat(u16(s.length), s));
  const body = concat(...items);
  return concat(u16(body.length), body);
}
