// The crypto floor of a bundle: the exact signatures that bundle needs,
// found in the bundle and its trusted root, checked once here, then timed
// with nothing else left to do (keys imported, signed bytes prepared).
//
// - sequential: `crypto.verify` one after another (the floor of issue 8);
// - parallel: the asynchronous `crypto.verify` for all of them at once,
//   on the libuv thread pool (how far below the sequential floor a
//   verifier could go by overlapping independent checks);
// - WebCrypto: the same items as plain data for a browser page (ECDSA
//   signatures converted from DER to the IEEE P1363 form WebCrypto takes).
//
// CA-to-CA links are left out: a verifier checks them once per trusted
// root, not per bundle. So are hashing, parsing and the import of the
// bundle's own key (the leaf's or the managed key).

import crypto from 'node:crypto';

// ---------------------------------------------------------------- DER, just enough to find signed bytes

/** One TLV at `off` of `buf` (definite lengths only; the inputs are DER). */
function tlv(buf, off) {
  if (off + 2 > buf.length) throw new Error('DER: truncated header');
  const tag = buf[off];
  let len = buf[off + 1];
  let hdr = 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n < 1 || n > 4 || off + 2 + n > buf.length) throw new Error('DER: bad length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[off + 2 + i];
    hdr = 2 + n;
  }
  const end = off + hdr + len;
  if (end > buf.length) throw new Error('DER: element runs past its parent');
  return { tag, start: off, contentStart: off + hdr, end };
}

function children(buf, el) {
  const out = [];
  for (let p = el.contentStart; p < el.end; ) {
    const c = tlv(buf, p);
    out.push(c);
    p = c.end;
  }
  return out;
}

const raw = (buf, el) => buf.subarray(el.start, el.end);
const content = (buf, el) => buf.subarray(el.contentStart, el.end);

function derLength(n) {
  if (n < 0x80) return Buffer.from([n]);
  const bytes = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

const encodeTlv = (tag, body) => Buffer.concat([Buffer.from([tag]), derLength(body.length), body]);

const OID = {
  ecdsaSha256: '2a8648ce3d040302',
  ecdsaSha384: '2a8648ce3d040303',
  ecdsaSha512: '2a8648ce3d040304',
  rsaSha256: '2a864886f70d01010b',
  rsaSha384: '2a864886f70d01010c',
  rsaSha512: '2a864886f70d01010d',
  ed25519: '2b6570',
  sha256: '608648016503040201',
  sha384: '608648016503040202',
  sha512: '608648016503040203',
  sctList: '2b06010401d679020402',
};

const SIG_HASH = {
  [OID.ecdsaSha256]: 'sha256',
  [OID.ecdsaSha384]: 'sha384',
  [OID.ecdsaSha512]: 'sha512',
  [OID.rsaSha256]: 'sha256',
  [OID.rsaSha384]: 'sha384',
  [OID.rsaSha512]: 'sha512',
  [OID.ed25519]: null,
};

/** A certificate's TBS bytes, signature algorithm, signature, SPKI and TBS children. */
function parseCert(der) {
  const cert = tlv(der, 0);
  const [tbs, sigAlg, sigValue] = children(der, cert);
  const algOid = content(der, children(der, sigAlg)[0]).toString('hex');
  if (!(algOid in SIG_HASH)) throw new Error(`unsupported certificate signature algorithm ${algOid}`);
  const tbsKids = children(der, tbs);
  const hasVersion = tbsKids[0].tag === 0xa0;
  const spki = tbsKids[hasVersion ? 6 : 5];
  return {
    der,
    tbsEl: tbs,
    tbsKids,
    tbs: raw(der, tbs),
    hash: SIG_HASH[algOid],
    signature: content(der, sigValue).subarray(1),
    spki: raw(der, spki),
  };
}

/**
 * The precertificate TBS (RFC 6962 §3.2): the leaf's TBS without the SCT
 * list extension, and the list itself. Prep-time only: re-encoding is fine
 * here, since the floor verifies these bytes once to prove they are right.
 */
function precertTbsAndScts(cert) {
  const der = cert.der;
  const extsWrap = cert.tbsKids.find((k) => k.tag === 0xa3);
  if (!extsWrap) return null;
  const extSeq = children(der, extsWrap)[0];
  let sctList = null;
  const kept = [];
  for (const ext of children(der, extSeq)) {
    const parts = children(der, ext);
    if (content(der, parts[0]).toString('hex') === OID.sctList) {
      const outer = parts[parts.length - 1];
      const inner = tlv(der, outer.contentStart);
      sctList = content(der, inner);
    } else {
      kept.push(raw(der, ext));
    }
  }
  if (!sctList) return null;
  const newExts = encodeTlv(0xa3, encodeTlv(0x30, Buffer.concat(kept)));
  const parts = cert.tbsKids.map((k) => (k === extsWrap ? newExts : raw(der, k)));
  return { precertTbs: encodeTlv(0x30, Buffer.concat(parts)), sctList };
}

/** The SCTs of a serialized SignedCertificateTimestampList (RFC 6962 §3.3). */
function parseSctList(list) {
  const scts = [];
  const total = list.readUInt16BE(0);
  if (total + 2 !== list.length) throw new Error('SCT list length mismatch');
  for (let p = 2; p < list.length; ) {
    const len = list.readUInt16BE(p);
    const s = list.subarray(p + 2, p + 2 + len);
    p += 2 + len;
    const version = s[0];
    const logId = s.subarray(1, 33);
    const timestamp = s.subarray(33, 41);
    const extLen = s.readUInt16BE(41);
    const extensions = s.subarray(43, 43 + extLen);
    let q = 43 + extLen;
    const hashAlg = s[q];
    const sigLen = s.readUInt16BE(q + 2);
    const signature = s.subarray(q + 4, q + 4 + sigLen);
    scts.push({ version, logId, timestamp, extLen, extensions, hashAlg, signature });
  }
  return scts;
}

const TLS_HASH = { 4: 'sha256', 5: 'sha384', 6: 'sha512' };

// ---------------------------------------------------------------- the crypto floor of one bundle

const b64 = (s) => Buffer.from(s, 'base64');

function importSpki(der) {
  return crypto.createPublicKey({ key: der, format: 'der', type: 'spki' });
}

/** The hash node:crypto needs for a signature by `key` (Sigstore algorithm registry defaults). */
function hashForKey(key) {
  if (key.asymmetricKeyType === 'ed25519') return null;
  if (key.asymmetricKeyType === 'ec') {
    const curve = key.asymmetricKeyDetails.namedCurve;
    return curve === 'secp384r1' ? 'sha384' : curve === 'secp521r1' ? 'sha512' : 'sha256';
  }
  return 'sha256';
}

function keyLabel(key) {
  if (key.asymmetricKeyType === 'ec') {
    return { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' }[key.asymmetricKeyDetails.namedCurve] ?? 'EC';
  }
  if (key.asymmetricKeyType === 'rsa') return `RSA-${key.asymmetricKeyDetails.modulusLength}`;
  return key.asymmetricKeyType === 'ed25519' ? 'Ed25519' : key.asymmetricKeyType;
}

/** One signature check of the floor: everything prepared, only `verify` left to do. */
function floorItem(what, hash, data, key, signature) {
  if (!crypto.verify(hash, data, key, signature)) throw new Error(`floor: ${what} does not verify`);
  return { what, hash, data, key, signature, label: keyLabel(key) };
}

function dssePae(type, payload) {
  const t = Buffer.from(type, 'utf8');
  return Buffer.concat([Buffer.from(`DSSEv1 ${t.length} `), t, Buffer.from(` ${payload.length} `), payload]);
}

/** The RFC 3161 token's SignerInfo: signed attributes (re-tagged as SET OF), digest algorithm, signature, embedded certs. */
function parseTimestampToken(der) {
  // Bundles may hold a whole TimeStampResp (status, token) or the bare token (a ContentInfo).
  const outer = tlv(der, 0);
  const first = children(der, outer)[0];
  const ci = first.tag === 0x30 ? children(der, outer)[1] : outer;
  const [, explicit] = children(der, ci);
  const sd = tlv(der, explicit.contentStart);
  const sdKids = children(der, sd);
  const certs = [];
  const certsEl = sdKids.find((k) => k.tag === 0xa0);
  if (certsEl) for (const c of children(der, certsEl)) if (c.tag === 0x30) certs.push(Buffer.from(raw(der, c)));
  const signerInfos = sdKids[sdKids.length - 1];
  const si = children(der, signerInfos)[0];
  const siKids = children(der, si);
  const digestAlg = content(der, children(der, siKids[2])[0]).toString('hex');
  const attrs = siKids.find((k) => k.tag === 0xa0);
  const sig = siKids.find((k, i) => i > 3 && k.tag === 0x04);
  const signedAttrs = Buffer.from(raw(der, attrs));
  signedAttrs[0] = 0x31; // RFC 5652 §5.4: the signature covers the SET OF encoding
  const hash = { [OID.sha256]: 'sha256', [OID.sha384]: 'sha384', [OID.sha512]: 'sha512' }[digestAlg];
  return { signedAttrs, hash, signature: Buffer.from(content(der, sig)), certs };
}

/**
 * The signatures `b` needs, found in the bundle and the trusted root and
 * checked once here: the leaf by its CA, each SCT from a trusted CT log,
 * each log entry's SET and one log signature on its checkpoint, the
 * artifact or DSSE signature, and each RFC 3161 token. CA-to-CA links are
 * not counted: a verifier checks them once per trusted root, not per bundle.
 */
export function cryptoFloor(b) {
  const bundle = JSON.parse(b.bundleText);
  const root = JSON.parse(b.rootText);
  const vm = bundle.verificationMaterial;
  const items = [];

  let signingKey;
  const leafB64 = vm.certificate?.rawBytes ?? vm.x509CertificateChain?.certificates?.[0]?.rawBytes;
  if (leafB64) {
    const leaf = parseCert(b64(leafB64));
    signingKey = importSpki(leaf.spki);
    // The CA certificate that issued the leaf: the one whose key verifies it.
    let issuer = null;
    for (const ca of root.certificateAuthorities ?? []) {
      for (const c of ca.certChain?.certificates ?? []) {
        const cand = parseCert(b64(c.rawBytes));
        const key = importSpki(cand.spki);
        if (crypto.verify(leaf.hash, leaf.tbs, key, leaf.signature)) issuer = { cert: cand, key };
        if (issuer) break;
      }
      if (issuer) break;
    }
    if (!issuer) throw new Error(`${b.id}: no trusted CA certificate verifies the leaf`);
    items.push(floorItem('leaf certificate', leaf.hash, leaf.tbs, issuer.key, leaf.signature));

    const pre = precertTbsAndScts(leaf);
    if (pre) {
      const issuerKeyHash = crypto.createHash('sha256').update(issuer.cert.spki).digest();
      for (const sct of parseSctList(pre.sctList)) {
        const log = (root.ctlogs ?? []).find((l) => b64(l.logId.keyId).equals(sct.logId));
        if (!log) continue; // an SCT from an unknown log proves nothing and costs a verifier no signature
        const tbsLen = Buffer.alloc(3);
        tbsLen.writeUIntBE(pre.precertTbs.length, 0, 3);
        const extLen = Buffer.alloc(2);
        extLen.writeUInt16BE(sct.extLen);
        const signed = Buffer.concat([
          Buffer.from([sct.version, 0]), // sct_version, signature_type = certificate_timestamp
          sct.timestamp,
          Buffer.from([0, 1]), // entry_type = precert_entry
          issuerKeyHash,
          tbsLen,
          pre.precertTbs,
          extLen,
          sct.extensions,
        ]);
        items.push(floorItem('SCT', TLS_HASH[sct.hashAlg], signed, importSpki(b64(log.publicKey.rawBytes)), sct.signature));
      }
    }
  } else {
    if (!b.keyPem) throw new Error(`${b.id}: neither a certificate nor a managed key`);
    signingKey = crypto.createPublicKey(b.keyPem);
  }

  for (const e of vm.tlogEntries ?? []) {
    const logKeys = (root.tlogs ?? []).map((l) => ({ l, key: importSpki(b64(l.publicKey.rawBytes)) }));
    if (e.inclusionPromise) {
      const logId = b64(e.logId.keyId);
      const log = logKeys.find(({ l }) => b64(l.logId.keyId).equals(logId));
      if (!log) throw new Error(`${b.id}: the entry's log is not trusted`);
      const payload = Buffer.from(
        `{"body":${JSON.stringify(e.canonicalizedBody)},"integratedTime":${BigInt(e.integratedTime)},` +
          `"logID":"${logId.toString('hex')}","logIndex":${BigInt(e.logIndex)}}`,
      );
      items.push(floorItem('SET', hashForKey(log.key), payload, log.key, b64(e.inclusionPromise.signedEntryTimestamp)));
    }
    const envelope = e.inclusionProof?.checkpoint?.envelope;
    if (envelope) {
      const split = envelope.indexOf('\n\n');
      const note = Buffer.from(envelope.slice(0, split + 1), 'utf8');
      let found = null;
      for (const line of envelope.slice(split + 2).split('\n')) {
        const m = /^\u2014 (\S+) (\S+)$/.exec(line);
        if (!m) continue;
        const blob = b64(m[2]);
        const sig = blob.subarray(4);
        for (const { key } of logKeys) {
          const hash = hashForKey(key);
          let ok = false;
          try {
            ok = crypto.verify(hash, note, key, sig);
          } catch {
            ok = false; // wrong key type for this signature
          }
          if (ok) {
            found = floorItem('checkpoint', hash, note, key, sig);
            break;
          }
        }
        if (found) break;
      }
      if (!found) throw new Error(`${b.id}: no checkpoint signature verifies with a trusted log key`);
      items.push(found);
    }
  }

  if (bundle.messageSignature) {
    items.push(floorItem('artifact', hashForKey(signingKey), b.artifact, signingKey, b64(bundle.messageSignature.signature)));
  } else {
    const env = bundle.dsseEnvelope;
    items.push(floorItem('DSSE', hashForKey(signingKey), dssePae(env.payloadType, b64(env.payload)), signingKey, b64(env.signatures[0].sig)));
  }

  for (const t of vm.timestampVerificationData?.rfc3161Timestamps ?? []) {
    const tok = parseTimestampToken(b64(t.signedTimestamp));
    const candidates = [...tok.certs];
    for (const tsa of root.timestampAuthorities ?? []) {
      const leaf = tsa.certChain?.certificates?.[0];
      if (leaf) candidates.push(b64(leaf.rawBytes));
    }
    let found = null;
    for (const der of candidates) {
      const key = importSpki(parseCert(der).spki);
      if (crypto.verify(tok.hash, tok.signedAttrs, key, tok.signature)) {
        found = floorItem('RFC 3161 token', tok.hash, tok.signedAttrs, key, tok.signature);
        break;
      }
    }
    if (!found) throw new Error(`${b.id}: no TSA certificate verifies the timestamp token`);
    items.push(found);
  }
  return items;
}

/** The sequential floor: every signature, one after another, synchronously. */
export function runFloor(items) {
  let ok = 0;
  for (const it of items) if (crypto.verify(it.hash, it.data, it.key, it.signature)) ok++;
  if (ok !== items.length) throw new Error('floor: a signature stopped verifying');
}

function verifyAsync(it) {
  return new Promise((resolve, reject) => {
    crypto.verify(it.hash, it.data, it.key, it.signature, (err, ok) => {
      if (err) reject(err);
      else if (!ok) reject(new Error(`floor: ${it.what} stopped verifying`));
      else resolve();
    });
  });
}

/** The parallel floor: every signature at once through the asynchronous `crypto.verify` (libuv thread pool). */
export function runFloorParallel(items) {
  return Promise.all(items.map(verifyAsync));
}

/** `1×P-384 + 4×P-256`: what a floor verifies, by key type. */
export function describeFloor(items) {
  const counts = new Map();
  for (const it of items) counts.set(it.label, (counts.get(it.label) ?? 0) + 1);
  return [...counts].map(([k, n]) => `${n}×${k}`).join(' + ');
}

const WEB_HASH = { sha256: 'SHA-256', sha384: 'SHA-384', sha512: 'SHA-512' };
const EC_SIZE = { prime256v1: 32, secp384r1: 48, secp521r1: 66 };
const EC_NAME = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' };

/** ECDSA-Sig-Value (DER SEQUENCE of r, s) to r || s, each left-padded to the field size. */
function derToP1363(sig, size) {
  const seq = tlv(sig, 0);
  const [r, s] = children(sig, seq);
  const fix = (el) => {
    let v = content(sig, el);
    while (v.length > size && v[0] === 0) v = v.subarray(1);
    if (v.length > size) throw new Error('ECDSA integer longer than the field');
    const out = Buffer.alloc(size);
    v.copy(out, size - v.length);
    return out;
  };
  return Buffer.concat([fix(r), fix(s)]);
}

/**
 * The floor as plain data for WebCrypto: per item, the import and verify
 * algorithms, the SPKI, the signed bytes and the signature (base64).
 */
export function floorForWebCrypto(items) {
  return items.map((it) => {
    const type = it.key.asymmetricKeyType;
    const spki = it.key.export({ type: 'spki', format: 'der' });
    let importAlg;
    let verifyAlg;
    let signature = it.signature;
    if (type === 'ec') {
      const curve = it.key.asymmetricKeyDetails.namedCurve;
      importAlg = { name: 'ECDSA', namedCurve: EC_NAME[curve] };
      verifyAlg = { name: 'ECDSA', hash: WEB_HASH[it.hash] };
      signature = derToP1363(it.signature, EC_SIZE[curve]);
    } else if (type === 'ed25519') {
      importAlg = { name: 'Ed25519' };
      verifyAlg = { name: 'Ed25519' };
    } else if (type === 'rsa') {
      importAlg = { name: 'RSASSA-PKCS1-v1_5', hash: WEB_HASH[it.hash] };
      verifyAlg = { name: 'RSASSA-PKCS1-v1_5' };
    } else {
      throw new Error(`floor: no WebCrypto mapping for ${type} keys`);
    }
    return {
      what: it.what,
      label: it.label,
      importAlg,
      verifyAlg,
      spki: spki.toString('base64'),
      data: Buffer.from(it.data).toString('base64'),
      signature: Buffer.from(signature).toString('base64'),
    };
  });
}
