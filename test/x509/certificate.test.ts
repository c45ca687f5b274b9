import crypto from 'node:crypto';
import { readdirSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Certificate, EkuOid, ExtensionOid, parseCertificate } from '../../src/x509/certificate.js';
import { fulcioExtensions, fulcioIssuer } from '../../src/x509/fulcio.js';
import { parseEmbeddedScts, precertificateTbs, verifyEmbeddedScts } from '../../src/x509/sct.js';
import { parseDer } from '../../src/der/element.js';
import { toHex } from '../../src/encoding/hex.js';
import { parseTrustedRoot } from '../../src/trust/trusted-root.js';
import { buildTrustMaterial } from '../../src/trust/trust-material.js';
import { nodeCryptoProvider } from '../../src/crypto/node.js';
import { expectCode, expectRejects } from '../encoding/expect-error.js';
import {
  CONFORMANCE,
  VECTORS,
  b64,
  conformanceBundle,
  haveConformance,
  readJson,
  vectorBundle,
  vectorTrustedRoot,
  warnIfNoConformance,
} from '../bundle/data.js';
import { at, childrenOf, edit, longFormLength, rawAt, readTlv } from '../der/tlv.js';
import {
  EMPTY_NAME,
  Ext,
  OIDS,
  T0,
  LEAF_NOT_AFTER,
  bitString,
  bool,
  cat,
  ctx,
  ecdsaAlgorithm,
  extension,
  int,
  makeCertificate,
  makeRootCa,
  newKey,
  nul,
  octets,
  oid,
  seq,
  signTbs,
  tbsCertificate,
  tlv,
  utf8Str,
  type CertOptions,
} from './pki.js';

warnIfNoConformance('x509 certificate tests');

const leafDer = (bundle: { verificationMaterial: { certificate?: { rawBytes: string }; x509CertificateChain?: { certificates: { rawBytes: string }[] } } }): Uint8Array => {
  const vm = bundle.verificationMaterial;
  return b64(vm.certificate?.rawBytes ?? vm.x509CertificateChain!.certificates[0]!.rawBytes);
};

const HAPPY = leafDer(vectorBundle('happy-path-v0.3'));
const HAPPY_ROOT = parseTrustedRoot(vectorTrustedRoot('happy-path-v0.3'));
const IDENTITY = readFileSync(path.join(VECTORS, 'happy-path-v0.3', 'identity'), 'utf8').trim();
const ISSUER = readFileSync(path.join(VECTORS, 'happy-path-v0.3', 'issuer'), 'utf8').trim();

// Paths (child indices) into a v3 certificate.
const TBS = [0];
const EXTENSIONS = [0, 7, 0];
const badParse = (der: Uint8Array, msg?: RegExp): void => {
  const e = expectCode(() => parseCertificate(der), 'PARSE', 'der');
  if (msg) expect(e.message).toMatch(msg);
};

/** Compares sigvet's view of a certificate with node:crypto's independent parser. */
function agreesWithNode(der: Uint8Array): void {
  const c = parseCertificate(der);
  const n = new crypto.X509Certificate(der);
  expect(BigInt(`0x${toHex(c.serialNumber)}`)).toBe(BigInt(`0x${n.serialNumber}`));
  expect(c.notBefore).toBe(Date.parse(n.validFrom));
  expect(c.notAfter).toBe(Date.parse(n.validTo));
  expect(Buffer.from(c.spki).equals(n.publicKey.export({ type: 'spki', format: 'der' }))).toBe(true);
  // node's `ca` (OpenSSL X509_check_ca) also requires keyCertSign when key usage is present.
  const ku = c.keyUsage;
  expect((c.basicConstraints?.ca ?? false) && (!ku || ku.keyCertSign), `CA flag of serial ${n.serialNumber}`).toBe(n.ca);
  expect(c.tbs.raw()).toEqual(rawAt(der, TBS));
  const eku = n.keyUsage; // node names the extended key usage "keyUsage"
  expect(c.extKeyUsage ?? []).toEqual(eku ?? []);
}

describe('parseCertificate: a real Fulcio-style leaf', () => {
  const c = parseCertificate(HAPPY, 'signing certificate');

  it('agrees with node:crypto on serial, validity, key, CA flag, TBS and EKU', () => {
    agreesWithNode(HAPPY);
    expect(c.version).toBe(2);
  });

  it('reads the SAN, EKU, key usage and basic constraints', () => {
    expect(c.subjectAltNames).toEqual([{ type: 'uri', value: IDENTITY }]);
    expect(new crypto.X509Certificate(HAPPY).subjectAltName).toBe(`URI:${IDENTITY}`);
    expect(c.extKeyUsage).toEqual([EkuOid.CODE_SIGNING]);
    expect(c.keyUsage).toEqual({ digitalSignature: true, keyCertSign: false, cRLSign: false });
    expect(c.basicConstraints).toBeUndefined();
    expect(c.extension(ExtensionOid.KEY_USAGE)?.critical).toBe(true);
    expect(c.extension(ExtensionOid.SUBJECT_ALT_NAME)?.critical).toBe(true);
    expect(c.extension(ExtensionOid.EXT_KEY_USAGE)?.critical).toBe(false);
    expect(c.subject).toEqual(EMPTY_NAME);
  });

  it('is signed by the intermediate of its trusted root (TBS and signature are the signed bytes)', () => {
    const intermediate = HAPPY_ROOT.certificateAuthorities[0]!.certificates[0]!;
    expect(c.isIssuedByName(intermediate)).toBe(true);
    const key = crypto.createPublicKey({ key: Buffer.from(intermediate.spki), format: 'der', type: 'spki' });
    expect(crypto.verify('sha384', c.tbs.raw(), key, c.signature)).toBe(true);
    expect(toHex(c.authorityKeyId!)).toBe(toHex(intermediate.subjectKeyId!));
  });

  it('decodes the Fulcio extensions by name; the v1 and v2 issuers agree', () => {
    const ext = fulcioExtensions(c);
    expect(ext.byName.issuerV1).toBe(ISSUER);
    expect(ext.byName.issuer).toBe(ISSUER);
    expect(fulcioIssuer(ext)).toBe(ISSUER);
    expect(ext.byName.githubWorkflowTrigger).toBe('push');
    expect(ext.byName.buildTrigger).toBe('push');
    expect(ext.byName.githubWorkflowSha).toMatch(/^[0-9a-f]{40}$/);
    expect(ext.byName.sourceRepositoryDigest).toBe(ext.byName.githubWorkflowSha);
    expect(ext.byName.buildSignerUri).toBe(IDENTITY);
    expect(ext.byName.sourceRepositoryVisibilityAtSigning).toBe('public');
    // Every extension under the Fulcio arc is reported by OID.
    const underArc = c.extensions.filter((x) => x.oid.startsWith('1.3.6.1.4.1.57264.1.'));
    expect(Object.keys(ext.byOid).sort()).toEqual(underArc.map((x) => x.oid).sort());
    expect(ext.byOid['1.3.6.1.4.1.57264.1.8']).toBe(ISSUER);
  });

  it('parses the embedded SCT list: one SCT from the trusted CT log', () => {
    const scts = parseEmbeddedScts(c);
    expect(scts).toHaveLength(1);
    const s = scts[0]!;
    expect(toHex(s.logId)).toBe(toHex(HAPPY_ROOT.ctlogs[0]!.logId));
    expect(s.hash).toBe('sha256');
    expect(s.signatureAlgorithm).toBe('ecdsa');
    expect(s.extensions).toHaveLength(0);
    expect(Number(s.timestamp)).toBeGreaterThanOrEqual(c.notBefore);
    expect(Number(s.timestamp)).toBeLessThanOrEqual(c.notAfter);
  });

  it('precertificateTbs differs from the TBS by exactly the SCT-list extension', () => {
    const pre = precertificateTbs(c);
    const tbsKids = childrenOf(HAPPY, at(HAPPY, TBS));
    const preKids = childrenOf(pre, readTlv(pre, 0));
    expect(preKids).toHaveLength(tbsKids.length);
    // Every TBS field before the extensions is byte-identical.
    for (let i = 0; i < tbsKids.length - 1; i++) {
      expect(pre.slice(preKids[i]!.start, preKids[i]!.end)).toEqual(HAPPY.slice(tbsKids[i]!.start, tbsKids[i]!.end));
    }
    const origExts = childrenOf(HAPPY, at(HAPPY, EXTENSIONS)).map((e) => HAPPY.slice(e.start, e.end));
    const preExtList = childrenOf(pre, preKids[preKids.length - 1]!)[0]!;
    const preExts = childrenOf(pre, preExtList).map((e) => pre.slice(e.start, e.end));
    const sct = c.extension(ExtensionOid.SCT_LIST)!.element.raw();
    expect(preExts).toEqual(origExts.filter((e) => Buffer.compare(e, sct) !== 0));
    expect(preExts).toHaveLength(origExts.length - 1);
    // And it is what the CT log signed: the SCT verifies over it.
    expect(parseDer(pre, 'precert').children()).toHaveLength(8);
  });

  it('verifies the embedded SCT against the trusted CT log, and rejects a tampered SCT', async () => {
    const tm = await buildTrustMaterial(HAPPY_ROOT, nodeCryptoProvider);
    const issuerSpki = HAPPY_ROOT.certificateAuthorities[0]!.certificates[0]!.spki;
    const ok = await verifyEmbeddedScts(c, issuerSpki, tm.ctlogsById, nodeCryptoProvider);
    expect(ok).toHaveLength(1);
    expect(ok[0]!.log.log.baseUrl).toBe(HAPPY_ROOT.ctlogs[0]!.baseUrl);
    const forged = parseCertificate(leafDer(vectorBundle('sct-invalid-signature_fail')));
    await expectRejects(verifyEmbeddedScts(forged, issuerSpki, tm.ctlogsById, nodeCryptoProvider), 'SCT', 'sct.signature');
    // The issuer key hash is part of what the log signed.
    await expectRejects(verifyEmbeddedScts(c, newKey().spki, tm.ctlogsById, nodeCryptoProvider), 'SCT', 'sct.signature');
  });

  it('copies its input: later changes to the caller buffer change nothing', () => {
    const mine = HAPPY.slice();
    const cert = parseCertificate(mine);
    const tbs = cert.tbs.raw().slice();
    mine.fill(0);
    expect(cert.tbs.raw()).toEqual(tbs);
    expect(cert.subjectAltNames).toEqual([{ type: 'uri', value: IDENTITY }]);
  });
});

describe('precertificateTbs on built certificates', () => {
  const key = newKey();
  const base = (extensions: Uint8Array[]): CertOptions => ({
    serial: 12345n,
    issuer: EMPTY_NAME,
    subject: EMPTY_NAME,
    notBefore: T0,
    notAfter: LEAF_NOT_AFTER,
    spki: key.spki,
    signingKey: key.privateKey,
    extensions,
  });
  const sctExt = (size: number): Uint8Array => extension(OIDS.sctList, false, octets(new Uint8Array(size).fill(7)));
  const a = Ext.eku([OIDS.codeSigning]);
  const b = Ext.keyUsage({ digitalSignature: true });

  it('equals the TBS built without the SCT extension, wherever it sits and whatever the lengths', () => {
    // Sizes cross the one- and two-byte length boundaries of the enclosing elements.
    for (const size of [10, 100, 120, 130, 250, 300, 40_000]) {
      const s = sctExt(size);
      for (const exts of [[s, a, b], [a, s, b], [a, b, s]]) {
        const cert = parseCertificate(signTbs(tbsCertificate(base(exts)), key.privateKey), 'c');
        const expected = tbsCertificate(base(exts.filter((e) => e !== s)));
        expect(precertificateTbs(cert)).toEqual(expected);
      }
    }
  });

  it('fails with SCT when there is no SCT list', () => {
    const cert = parseCertificate(makeCertificate(base([a, b])));
    expectCode(() => precertificateTbs(cert), 'SCT', 'sct.parse');
    expect(parseEmbeddedScts(cert)).toEqual([]);
  });
});

describe('parseCertificate: malformed encodings (surgery on the real leaf)', () => {
  it('rejects a trailing byte after the certificate', () => {
    badParse(cat(HAPPY, Uint8Array.of(0)), /trailing/);
  });

  it('rejects a duplicated extension', () => {
    for (const i of [0, 1, 4, 20]) {
      badParse(edit(HAPPY, [...EXTENSIONS, i], (raw) => cat(raw, raw)), /duplicate extension/);
    }
  });

  it('rejects an outer signature algorithm that differs from the TBS one (either side)', () => {
    badParse(edit(HAPPY, [1], () => ecdsaAlgorithm('sha256')), /differs/);
    badParse(edit(HAPPY, [0, 2], () => ecdsaAlgorithm('sha256')), /differs/);
    // Same OID, different encoding (explicit NULL parameters): still a mismatch.
    badParse(edit(HAPPY, [1], (raw) => seq(rawAt(raw, [0]), nul())), /differs/);
  });

  it('rejects a v1 certificate (no version field) and explicit versions other than v3', () => {
    badParse(edit(HAPPY, [0, 0], () => new Uint8Array(0)), /version 1/);
    badParse(edit(HAPPY, [0, 0], () => ctx(0, true, int(1))), /version 2/);
    badParse(edit(HAPPY, [0, 0], () => ctx(0, true, int(3))), /version 4/);
  });

  it('rejects a non-minimal length anywhere inside, including in names and the SPKI', () => {
    const paths = [
      [0], // TBS itself
      [0, 1], // serial
      [0, 3], // issuer Name
      [0, 3, 0], // RDN SET
      [0, 3, 0, 0], // AttributeTypeAndValue
      [0, 3, 0, 0, 1], // attribute value
      [0, 4, 0], // notBefore
      [0, 6], // SPKI
      [0, 6, 0], // SPKI algorithm
      [0, 6, 1], // SPKI key BIT STRING
      [0, 7, 0, 0], // first extension
      [0, 7, 0, 0, 0], // its OID
      [0, 7, 0, 0, 2], // its value
      [1, 0], // outer signature algorithm OID
      [2], // signature BIT STRING
    ];
    for (const p of paths) {
      const e = expectCode(() => parseCertificate(edit(HAPPY, p, longFormLength)), 'PARSE');
      expect(e.check, `path ${p.join('.')}`).toBe('der');
    }
  });

  it('rejects explicit critical FALSE, an empty extension list and misplaced optional fields', () => {
    badParse(edit(HAPPY, [...EXTENSIONS, 1], (raw) => seq(rawAt(raw, [0]), bool(false), rawAt(raw, [1]))), /critical FALSE/);
    badParse(edit(HAPPY, [0, 7, 0], () => seq()), /empty Extensions/);
    // subjectUniqueID [2] after the extensions [3].
    badParse(edit(HAPPY, [0, 7], (raw) => cat(raw, tlv(0x82, Uint8Array.of(0, 1)))), /unexpected field/);
    // Two [3] wrappers.
    badParse(edit(HAPPY, [0, 7], (raw) => cat(raw, raw)), /unexpected field/);
    // An unknown context tag.
    badParse(edit(HAPPY, [0, 7], (raw) => cat(tlv(0xa4, nul()), raw)), /unexpected field/);
  });

  it('rejects a missing field, an extra top-level element, and a signature with unused bits', () => {
    badParse(edit(HAPPY, [2], () => new Uint8Array(0)));
    badParse(edit(HAPPY, [2], (raw) => cat(raw, nul())));
    badParse(edit(HAPPY, [0, 6], () => new Uint8Array(0)));
    badParse(edit(HAPPY, [2], (raw) => bitString(rawAt(raw, []).slice(3), 1)));
    badParse(edit(HAPPY, [0, 1], () => tlv(0x02, Uint8Array.of(0, 0x10))), /non-minimal INTEGER/);
  });

  it('rejects more than 64 extensions with LIMIT, and more than 64 KiB with LIMIT', () => {
    const many = Array.from({ length: 65 }, (_, i) => extension(`1.2.3.${i}`, false, nul()));
    const key = newKey();
    const opts: CertOptions = { issuer: EMPTY_NAME, subject: EMPTY_NAME, notBefore: T0, notAfter: LEAF_NOT_AFTER, spki: key.spki, signingKey: key.privateKey };
    expect(parseCertificate(makeCertificate({ ...opts, extensions: many.slice(0, 64) })).extensions).toHaveLength(64);
    expectCode(() => parseCertificate(makeCertificate({ ...opts, extensions: many })), 'LIMIT', 'x509.extensions');
    const big = makeCertificate({ ...opts, extensions: [extension('1.2.3', false, octets(new Uint8Array(70_000)))] });
    expectCode(() => parseCertificate(big), 'LIMIT', 'x509.size');
  });

  it('rejects non-ASCII IA5 names and invalid UTF-8 otherName values when the SAN is read', () => {
    const key = newKey();
    const mk = (san: Uint8Array): Certificate =>
      parseCertificate(makeCertificate({ issuer: EMPTY_NAME, subject: EMPTY_NAME, notBefore: T0, notAfter: LEAF_NOT_AFTER, spki: key.spki, signingKey: key.privateKey, extensions: [san] }));
    const uri = mk(extension(OIDS.subjectAltName, true, seq(tlv(0x86, Uint8Array.of(0x68, 0xe9)))));
    expectCode(() => uri.subjectAltNames, 'PARSE', 'der');
    const other = mk(extension(OIDS.subjectAltName, true, seq(ctx(0, true, oid('1.3.6.1.4.1.57264.1.7'), ctx(0, true, tlv(0x0c, Uint8Array.of(0xc3, 0x28)))))));
    expectCode(() => other.subjectAltNames, 'PARSE', 'der');
    const empty = mk(extension(OIDS.subjectAltName, true, seq()));
    expectCode(() => empty.subjectAltNames, 'PARSE', 'der');
    const implicitOther = mk(extension(OIDS.subjectAltName, true, seq(ctx(0, true, oid('1.2.3'), ctx(0, false, utf8Str('x'))))));
    expectCode(() => implicitOther.subjectAltNames, 'PARSE', 'der');
  });
});

describe('parseCertificate: every real certificate in the test vectors and conformance data', () => {
  /** Vector cases whose certificates are malformed or use an unsupported key on purpose (PARSE, CERTIFICATE, KEY, LIMIT, UNSUPPORTED, TRUST_ROOT). */
  function malformedOnPurpose(dir: string): Set<string> {
    const manifest = path.join(dir, 'CASES.json');
    if (!existsSync(manifest)) return new Set();
    const cases = (readJson(manifest).cases ?? []) as { name: string; expected_error_code: string | null }[];
    return new Set(cases.filter((c) => ['CERTIFICATE', 'PARSE', 'KEY', 'LIMIT', 'UNSUPPORTED', 'TRUST_ROOT'].includes(c.expected_error_code ?? '')).map((c) => c.name));
  }

  function collect(dir: string): Uint8Array[] {
    const out: Uint8Array[] = [];
    const skip = malformedOnPurpose(dir);
    for (const d of readdirSync(dir)) {
      if (skip.has(d)) continue;
      const bundleFile = path.join(dir, d, 'bundle.sigstore.json');
      if (existsSync(bundleFile)) {
        try {
          const vm = readJson(bundleFile).verificationMaterial;
          if (vm?.certificate) out.push(b64(vm.certificate.rawBytes));
          for (const c of vm?.x509CertificateChain?.certificates ?? []) out.push(b64(c.rawBytes));
        } catch {
          // deliberately malformed bundle JSON
        }
      }
      const rootFile = path.join(dir, d, 'trusted_root.json');
      for (const f of [rootFile, path.join(dir, 'public_good_trusted_root.json')]) {
        if (!existsSync(f)) continue;
        const r = readJson(f);
        for (const a of [...(r.certificateAuthorities ?? []), ...(r.timestampAuthorities ?? [])]) {
          for (const c of a.certChain.certificates) out.push(b64(c.rawBytes));
        }
      }
    }
    // Deduplicate.
    return [...new Map(out.map((c) => [toHex(c), c])).values()];
  }

  it('parses every test-vector certificate and agrees with node:crypto', () => {
    const certs = collect(VECTORS);
    expect(certs.length).toBeGreaterThan(10);
    for (const c of certs) agreesWithNode(c);
  });

  it.skipIf(!haveConformance)('parses every conformance certificate (leaves, CAs, TSAs) and agrees with node:crypto', () => {
    const certs = collect(CONFORMANCE).filter((c) => c.length > 0);
    expect(certs.length).toBeGreaterThan(10);
    for (const c of certs) agreesWithNode(c);
  });

  it.skipIf(!haveConformance)('reads the Fulcio issuer (v1 and v2 agreeing) and SCTs from the public-good leaf', () => {
    const c = parseCertificate(leafDer(conformanceBundle('happy-path-v0.3')));
    const ext = fulcioExtensions(c);
    expect(ext.byName.issuerV1).toBeDefined();
    expect(ext.byName.issuerV1).toBe(ext.byName.issuer);
    expect(parseEmbeddedScts(c).length).toBeGreaterThanOrEqual(1);
    expect(precertificateTbs(c).length).toBeLessThan(c.tbs.raw().length);
  });
});
