/**
 * Embedded signed certificate timestamps (RFC 6962 §3.3).
 *
 * The CT log signed the *precertificate* TBS, which is the leaf's TBS
 * without the SCT-list extension. It is rebuilt by splicing bytes out of the
 * original TBS and fixing the three enclosing lengths; nothing is re-encoded.
 * @module
 */
import { SigvetError } from '../errors.js';
import { oneShotSha256 as sha256 } from '../crypto/one-shot-sha256.js';
import { Tag, parseDer } from '../der/element.js';
import { concatBytes } from '../encoding/bytes.js';
import { toHex } from '../encoding/hex.js';
import type { CryptoProvider, HashAlgorithm } from '../crypto/provider.js';
import { verifySignature } from '../crypto/verify-signature.js';
import type { TrustedLog } from '../trust/trust-material.js';
import { withinWindow } from '../trust/trusted-root.js';
import { ExtensionOid, type Certificate } from './certificate.js';

/** One parsed SCT. */
export interface SignedCertificateTimestamp {
  readonly logId: Uint8Array;
  /** Milliseconds since the epoch. */
  readonly timestamp: bigint;
  readonly extensions: Uint8Array;
  readonly hash: HashAlgorithm;
  readonly signatureAlgorithm: 'ecdsa' | 'rsa';
  readonly signature: Uint8Array;
}

/** A verified SCT: which trusted CT log vouched, and when. */
export interface VerifiedSct {
  readonly log: TrustedLog;
  /** ms since the epoch. */
  readonly time: number;
}

/** At most this many SCTs are read from one certificate. */
export const MAX_SCTS = 32;

function sctFail(msg: string, check = 'sct.parse'): never {
  throw new SigvetError('SCT', msg, { check });
}

/**
 * Parses the SCT list extension of `cert`; an empty list when absent.
 * @param maxScts at most this many SCTs ({@link MAX_SCTS} unless lower), counted before each is read.
 * @throws SigvetError `SCT` on a malformed list; `LIMIT` (check `limit.scts`) past the cap.
 */
export function parseEmbeddedScts(cert: Certificate, maxScts: number = MAX_SCTS): SignedCertificateTimestamp[] {
  const max = Math.min(maxScts, MAX_SCTS);
  const x = cert.extension(ExtensionOid.SCT_LIST);
  if (!x) return [];
  let tls: Uint8Array;
  try {
    tls = parseDer(x.value, 'SCT list').expect(Tag.OCTET_STRING, 'SCT list').content();
  } catch (e) {
    return sctFail(`SCT list extension: ${(e as Error).message}`);
  }
  const u16 = (o: number): number => {
    if (o + 2 > tls.length) sctFail('SCT list truncated');
    return (tls[o]! << 8) | tls[o + 1]!;
  };
  if (u16(0) !== tls.length - 2) sctFail('SCT list length mismatch');
  const out: SignedCertificateTimestamp[] = [];
  let off = 2;
  while (off < tls.length) {
    if (out.length >= max) {
      throw new SigvetError('LIMIT', `more than ${max} SCTs in the certificate (limits.scts)`, {
        check: 'limit.scts',
        expected: `<= ${max}`,
        actual: `> ${max}`,
      });
    }
    const len = u16(off);
    off += 2;
    const end = off + len;
    if (end > tls.length) sctFail('SCT truncated');
    const s = tls.subarray(off, end);
    let p = 0;
    const need = (n: number): void => {
      if (p + n > s.length) sctFail('SCT truncated');
    };
    need(1 + 32 + 8 + 2);
    if (s[p++] !== 0) sctFail('unsupported SCT version');
    const logId = s.subarray(p, p + 32);
    p += 32;
    let ts = 0n;
    for (let i = 0; i < 8; i++) ts = (ts << 8n) | BigInt(s[p++]!);
    const extLen = (s[p]! << 8) | s[p + 1]!;
    p += 2;
    need(extLen);
    const extensions = s.subarray(p, p + extLen);
    p += extLen;
    need(4);
    const h = s[p++]!;
    const a = s[p++]!;
    const sigLen = (s[p]! << 8) | s[p + 1]!;
    p += 2;
    need(sigLen);
    const signature = s.subarray(p, p + sigLen);
    p += sigLen;
    if (p !== s.length) sctFail('trailing bytes in SCT');
    const hash = h === 4 ? 'sha256' : h === 5 ? 'sha384' : h === 6 ? 'sha512' : sctFail(`unsupported SCT hash ${h}`);
    const signatureAlgorithm = a === 3 ? 'ecdsa' : a === 1 ? 'rsa' : sctFail(`unsupported SCT signature algorithm ${a}`);
    out.push({ logId, timestamp: ts, extensions, hash, signatureAlgorithm, signature });
    off = end;
  }
  return out;
}

function derLength(n: number): Uint8Array {
  if (n < 0x80) return new Uint8Array([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return new Uint8Array([0x80 | bytes.length, ...bytes]);
}

/** The leaf's TBS with the SCT-list extension spliced out: what the CT log signed. */
export function precertificateTbs(cert: Certificate): Uint8Array {
  const x = cert.extension(ExtensionOid.SCT_LIST);
  const wrapper = cert.extensionsElement;
  if (!x || !wrapper) return sctFail('certificate has no SCT list');
  const list = wrapper.children()[0]!;
  const buf = cert.der;
  const e = x.element;
  const listContent = concatBytes(buf.subarray(list.contentStart, e.start), buf.subarray(e.end, list.end));
  const newList = concatBytes(new Uint8Array([Tag.SEQUENCE]), derLength(listContent.length), listContent);
  const newWrapper = concatBytes(new Uint8Array([wrapper.tag]), derLength(newList.length), newList);
  const tbs = cert.tbs;
  const tbsContent = concatBytes(buf.subarray(tbs.contentStart, wrapper.start), newWrapper, buf.subarray(wrapper.end, tbs.end));
  return concatBytes(new Uint8Array([Tag.SEQUENCE]), derLength(tbsContent.length), tbsContent);
}

function signedData(sct: SignedCertificateTimestamp, issuerKeyHash: Uint8Array, tbs: Uint8Array): Uint8Array {
  const head = new Uint8Array(1 + 1 + 8 + 2);
  head[0] = 0; // version v1
  head[1] = 0; // signature_type certificate_timestamp
  let t = sct.timestamp;
  for (let i = 9; i >= 2; i--) {
    head[i] = Number(t & 0xffn);
    t >>= 8n;
  }
  head[10] = 0;
  head[11] = 1; // entry_type precert_entry
  const tbsLen = new Uint8Array([(tbs.length >> 16) & 0xff, (tbs.length >> 8) & 0xff, tbs.length & 0xff]);
  const extLen = new Uint8Array([(sct.extensions.length >> 8) & 0xff, sct.extensions.length & 0xff]);
  return concatBytes(head, issuerKeyHash, tbsLen, tbs, extLen, sct.extensions);
}

/**
 * Verifies the leaf's embedded SCTs against the trusted CT logs and returns
 * those that verify (at most one per log: duplicates never count twice).
 * SCTs from unknown logs are skipped; invalid SCTs from known logs fail.
 */
export async function verifyEmbeddedScts(
  cert: Certificate,
  issuerSpki: Uint8Array,
  ctlogsById: ReadonlyMap<string, readonly TrustedLog[]>,
  provider: CryptoProvider,
  maxScts: number = MAX_SCTS,
): Promise<VerifiedSct[]> {
  const scts = parseEmbeddedScts(cert, maxScts);
  if (scts.length === 0) return [];
  const tbs = precertificateTbs(cert);
  const issuerKeyHash = sha256(issuerSpki);
  const out: VerifiedSct[] = [];
  const failures: SigvetError[] = [];
  for (const sct of scts) {
    const logs = ctlogsById.get(toHex(sct.logId)) ?? [];
    const time = Number(sct.timestamp);
    let ok = false;
    for (const log of logs) {
      if (!withinWindow(log.log.validFor, time)) {
        failures.push(new SigvetError('SCT', `SCT time is outside the validity of CT log ${log.log.baseUrl}`, { check: 'sct.validity' }));
        continue;
      }
      const s = log.scheme;
      const fits =
        (s.kind === 'ecdsa' && sct.signatureAlgorithm === 'ecdsa' && s.hash === sct.hash) ||
        (s.kind === 'rsa-pkcs1' && sct.signatureAlgorithm === 'rsa' && s.hash === sct.hash);
      if (!fits) {
        failures.push(new SigvetError('SCT', `SCT algorithm does not match CT log ${log.log.baseUrl}'s key`, { check: 'sct.algorithm' }));
        continue;
      }
      if (await verifySignature(provider, log.key, s, signedData(sct, issuerKeyHash, tbs), sct.signature)) {
        if (!out.some((v) => v.log === log)) out.push({ log, time });
        ok = true;
        break;
      }
      failures.push(new SigvetError('SCT', `SCT signature from ${log.log.baseUrl} does not verify`, { check: 'sct.signature' }));
    }
    if (!ok && logs.length > 0) {
      throw new SigvetError('SCT', 'an embedded SCT from a trusted CT log does not verify', {
        check: failures[failures.length - 1]?.check ?? 'sct.signature',
        errors: failures,
      });
    }
  }
  return out;
}
