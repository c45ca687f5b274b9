/**
 * Locates the regions of a DER structure worth mutating, with an
 * independent TLV reader (not sigvet's: the engine must not share the
 * parser it tests). Each region is one primitive element's content, named
 * by its path and, for certificates, by its X.509 meaning (serial,
 * validity, SAN, Fulcio issuer, SCT list, public key, signature, ...).
 * OCTET and BIT STRINGs whose content is itself one complete DER element
 * (extension values, RSA keys) are descended into.
 */

/** A located TLV. */
interface Tlv {
  readonly tag: number;
  readonly start: number;
  readonly contentStart: number;
  readonly end: number;
}

/** A mutable region: content bytes [start, end) of a primitive element. */
export interface DerRegion {
  /** Human-readable location, e.g. `tbs.serial` or `0.1.2`. */
  readonly label: string;
  readonly start: number;
  readonly end: number;
  readonly tag: number;
}

function readTlv(b: Uint8Array, off: number, limit: number): Tlv | undefined {
  if (off + 2 > limit) return undefined;
  const tag = b[off]!;
  if ((tag & 0x1f) === 0x1f) return undefined;
  let p = off + 1;
  const first = b[p++]!;
  let len = first;
  if (first & 0x80) {
    const n = first & 0x7f;
    if (n === 0 || n > 4 || p + n > limit) return undefined;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[p++]!;
  }
  if (p + len > limit) return undefined;
  return { tag, start: off, contentStart: p, end: p + len };
}

function childrenOf(b: Uint8Array, t: Tlv): Tlv[] | undefined {
  const out: Tlv[] = [];
  let off = t.contentStart;
  while (off < t.end) {
    const k = readTlv(b, off, t.end);
    if (!k) return undefined;
    out.push(k);
    off = k.end;
  }
  return out;
}

/** The single element spanning [start, end), if the bytes are exactly one TLV. */
function encapsulated(b: Uint8Array, start: number, end: number): Tlv | undefined {
  const t = readTlv(b, start, end);
  return t && t.end === end ? t : undefined;
}

function oidString(b: Uint8Array, t: Tlv): string {
  const arcs: number[] = [];
  let v = 0;
  for (let i = t.contentStart; i < t.end; i++) {
    v = v * 128 + (b[i]! & 0x7f);
    if ((b[i]! & 0x80) === 0) {
      arcs.push(v);
      v = 0;
    }
  }
  const a0 = arcs[0] ?? 0;
  const head = a0 < 40 ? [0, a0] : a0 < 80 ? [1, a0 - 40] : [2, a0 - 80];
  return [...head, ...arcs.slice(1)].join('.');
}

const EXTENSION_NAMES: Record<string, string> = {
  '2.5.29.14': 'subjectKeyIdentifier',
  '2.5.29.15': 'keyUsage',
  '2.5.29.17': 'subjectAltName',
  '2.5.29.19': 'basicConstraints',
  '2.5.29.35': 'authorityKeyIdentifier',
  '2.5.29.37': 'extKeyUsage',
  '1.3.6.1.4.1.11129.2.4.2': 'sctList',
  '1.3.6.1.4.1.57264.1.1': 'fulcioIssuerV1',
  '1.3.6.1.4.1.57264.1.8': 'fulcioIssuer',
};

function extensionName(oid: string): string {
  if (EXTENSION_NAMES[oid]) return EXTENSION_NAMES[oid]!;
  if (oid.startsWith('1.3.6.1.4.1.57264.1.')) return `fulcio.${oid.slice('1.3.6.1.4.1.57264.1.'.length)}`;
  return oid;
}

/** Collects primitive regions under `t`, descending into encapsulated DER. */
function collect(b: Uint8Array, t: Tlv, label: string, out: DerRegion[], depth: number, name: (path: string, t: Tlv) => string): void {
  if (depth > 24 || out.length > 400) return;
  const constructed = (t.tag & 0x20) !== 0;
  if (constructed) {
    const kids = childrenOf(b, t);
    if (!kids) return;
    kids.forEach((k, i) => collect(b, k, name(`${label}.${i}`, k), out, depth + 1, name));
    return;
  }
  // OCTET STRING or BIT STRING (after the unused-bits octet) holding one DER element.
  const innerStart = t.tag === 0x03 ? t.contentStart + 1 : t.contentStart;
  const inner = (t.tag === 0x04 || t.tag === 0x03) && t.end - innerStart >= 2 ? encapsulated(b, innerStart, t.end) : undefined;
  if (inner && (inner.tag & 0x20) !== 0) {
    collect(b, inner, `${label}>`, out, depth + 1, name);
    return;
  }
  out.push({ label, start: t.contentStart, end: t.end, tag: t.tag });
}

/** Regions of any DER structure, labelled by child-index path. */
export function derRegions(b: Uint8Array): DerRegion[] {
  const top = encapsulated(b, 0, b.length);
  if (!top) return [];
  const out: DerRegion[] = [];
  collect(b, top, 'der', out, 0, (p) => p);
  return out;
}

/** Regions of an X.509 certificate, labelled with their meaning; plus the SCTs inside an SCT list. */
export function certificateRegions(b: Uint8Array): DerRegion[] {
  const top = encapsulated(b, 0, b.length);
  if (!top) return [];
  const root = childrenOf(b, top);
  const tbs = root?.[0];
  const tbsKids = tbs ? childrenOf(b, tbs) : undefined;
  if (!root || root.length !== 3 || !tbs || !tbsKids) return derRegions(b);
  const hasVersion = tbsKids[0]?.tag === 0xa0;
  const fieldNames = ['serial', 'tbsSignatureAlgorithm', 'issuer', 'validity', 'subject', 'spki'];
  const out: DerRegion[] = [];
  const plain = (p: string): string => p;
  tbsKids.forEach((k, i) => {
    const idx = hasVersion ? i - 1 : i;
    if (idx < 0) {
      collect(b, k, 'tbs.version', out, 1, plain);
      return;
    }
    const field = fieldNames[idx];
    if (field === 'validity') {
      const v = childrenOf(b, k) ?? [];
      v.forEach((x, j) => collect(b, x, j === 0 ? 'tbs.validity.notBefore' : 'tbs.validity.notAfter', out, 2, plain));
      return;
    }
    if (field) {
      collect(b, k, `tbs.${field}`, out, 1, plain);
      return;
    }
    if (k.tag === 0xa3) {
      const list = childrenOf(b, k)?.[0];
      for (const ext of (list && childrenOf(b, list)) ?? []) {
        const parts = childrenOf(b, ext) ?? [];
        const oidEl = parts[0];
        const name = oidEl?.tag === 0x06 ? extensionName(oidString(b, oidEl)) : 'unknown';
        parts.forEach((x, j) => {
          const part = j === 0 ? 'oid' : j === parts.length - 1 ? 'value' : 'critical';
          collect(b, x, `tbs.ext[${name}].${part}`, out, 3, plain);
        });
        if (name === 'sctList') out.push(...sctRegions(b, parts[parts.length - 1]));
      }
      return;
    }
    collect(b, k, `tbs.${i}`, out, 1, plain);
  });
  collect(b, root[1]!, 'signatureAlgorithm', out, 1, plain);
  collect(b, root[2]!, 'signatureValue', out, 1, plain);
  return out;
}

/** The TLS-encoded SCTs inside the SCT-list extension value (OCTET STRING of OCTET STRING). */
function sctRegions(b: Uint8Array, value: Tlv | undefined): DerRegion[] {
  if (!value || value.tag !== 0x04) return [];
  const inner = encapsulated(b, value.contentStart, value.end);
  if (!inner || inner.tag !== 0x04) return [];
  const out: DerRegion[] = [];
  let off = inner.contentStart + 2;
  let n = 0;
  while (off + 2 <= inner.end && n < 8) {
    const len = (b[off]! << 8) | b[off + 1]!;
    const s = off + 2;
    const e = s + len;
    if (e > inner.end || len < 47) break;
    const extLen = (b[s + 41]! << 8) | b[s + 42]!;
    const hashAlg = s + 43 + extLen;
    const sigStart = hashAlg + 4;
    out.push(
      { label: `sct[${n}].version`, start: s, end: s + 1, tag: -1 },
      { label: `sct[${n}].logId`, start: s + 1, end: s + 33, tag: -1 },
      { label: `sct[${n}].timestamp`, start: s + 33, end: s + 41, tag: -1 },
      { label: `sct[${n}].hashAlgorithm`, start: hashAlg, end: hashAlg + 1, tag: -1 },
      { label: `sct[${n}].signatureAlgorithm`, start: hashAlg + 1, end: hashAlg + 2, tag: -1 },
      { label: `sct[${n}].signature`, start: sigStart, end: e, tag: -1 },
    );
    if (extLen > 0) out.push({ label: `sct[${n}].extensions`, start: s + 43, end: s + 43 + extLen, tag: -1 });
    off = e;
    n++;
  }
  return out;
}

const ATTRIBUTE_NAMES: Record<string, string> = {
  '1.2.840.113549.1.9.3': 'contentType',
  '1.2.840.113549.1.9.4': 'messageDigest',
  '1.2.840.113549.1.9.5': 'signingTime',
  '1.2.840.113549.1.9.16.2.12': 'signingCertificate',
  '1.2.840.113549.1.9.16.2.47': 'signingCertificateV2',
};

/** Regions of a certificate embedded at [t.start, t.end), labelled under `prefix`. */
function embeddedCertificate(b: Uint8Array, t: Tlv, prefix: string, out: DerRegion[]): void {
  for (const r of certificateRegions(b.subarray(t.start, t.end))) {
    out.push({ label: `${prefix}.${r.label}`, start: r.start + t.start, end: r.end + t.start, tag: r.tag });
  }
}

/**
 * Regions of an RFC 3161 TimeStampResp (or bare TimeStampToken), labelled
 * with their meaning: `status`, `signedData.digestAlgorithms`,
 * `tstInfo.genTime`, `certificates[0].tbs.serial`,
 * `signerInfo.signedAttrs[messageDigest]`, `signerInfo.signature`, ...
 */
export function timestampRegions(b: Uint8Array): DerRegion[] {
  const top = encapsulated(b, 0, b.length);
  const kids = top && childrenOf(b, top);
  if (!top || !kids || kids.length === 0) return derRegions(b);
  const out: DerRegion[] = [];
  const plain = (p: string): string => p;
  let token: Tlv | undefined = top;
  if (kids[0]!.tag === 0x30) {
    collect(b, kids[0]!, 'status', out, 1, plain);
    token = kids[1];
  }
  const tk = token && childrenOf(b, token);
  const content = tk?.[1] && childrenOf(b, tk[1])?.[0];
  const sd = content && childrenOf(b, content);
  if (!tk || !sd) return derRegions(b);
  collect(b, tk[0]!, 'contentType', out, 1, plain);
  sd.forEach((k, i) => {
    if (i === 0) return collect(b, k, 'signedData.version', out, 2, plain);
    if (i === 1) return collect(b, k, 'signedData.digestAlgorithms', out, 2, plain);
    if (i === 2) {
      const eci = childrenOf(b, k) ?? [];
      if (eci[0]) collect(b, eci[0], 'eContentType', out, 3, plain);
      const octets = eci[1] && childrenOf(b, eci[1])?.[0];
      const tst = octets && encapsulated(b, octets.contentStart, octets.end);
      const fields = tst && childrenOf(b, tst);
      if (!fields) return;
      const names = ['version', 'policy', 'messageImprint', 'serialNumber', 'genTime'];
      fields.forEach((x, j) => {
        const optional = x.tag === 0x30 ? 'accuracy' : x.tag === 0x01 ? 'ordering' : x.tag === 0x02 ? 'nonce' : x.tag === 0xa0 ? 'tsa' : x.tag === 0xa1 ? 'extensions' : `field${j}`;
        collect(b, x, `tstInfo.${names[j] ?? optional}`, out, 4, plain);
      });
      return;
    }
    if (k.tag === 0xa0) {
      (childrenOf(b, k) ?? []).forEach((c, j) => embeddedCertificate(b, c, `certificates[${j}]`, out));
      return;
    }
    if (k.tag === 0xa1) return collect(b, k, 'crls', out, 2, plain);
    if (k.tag === 0x31) {
      (childrenOf(b, k) ?? []).forEach((si, j) => {
        const p = `signerInfo${j === 0 ? '' : `[${j}]`}`;
        (childrenOf(b, si) ?? []).forEach((x, n) => {
          if (x.tag === 0xa0) {
            for (const attr of childrenOf(b, x) ?? []) {
              const parts = childrenOf(b, attr) ?? [];
              const name = parts[0]?.tag === 0x06 ? (ATTRIBUTE_NAMES[oidString(b, parts[0])] ?? oidString(b, parts[0])) : 'unknown';
              collect(b, attr, `${p}.signedAttrs[${name}]`, out, 4, plain);
            }
            return;
          }
          if (x.tag === 0xa1) return collect(b, x, `${p}.unsignedAttrs`, out, 3, plain);
          const field = ['version', 'sid', 'digestAlgorithm', 'signedAttrs', 'signatureAlgorithm', 'signature'][n] ?? `field${n}`;
          collect(b, x, `${p}.${field}`, out, 3, plain);
        });
      });
      return;
    }
    collect(b, k, `signedData.${i}`, out, 2, plain);
  });
  return out;
}
