import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '@noble/hashes/sha2.js';
import {
  MAX_TIMESTAMP_CERTIFICATES,
  MAX_TIMESTAMP_TOKEN_SIZE,
  parseTimestampToken,
  verifyTimestampToken,
  type TimestampToken,
} from '../../src/timestamp/rfc3161.js';
import { buildTrustMaterial, type TrustedAuthority } from '../../src/trust/trust-material.js';
import { parseTrustedRoot } from '../../src/trust/trusted-root.js';
import { nodeCryptoProvider } from '../../src/crypto/node.js';
import { parseDer } from '../../src/der/element.js';
import { parseCertificate, type Certificate } from '../../src/x509/certificate.js';
import { SigvetError } from '../../src/errors.js';
import { decodeBase64 } from '../../src/encoding/base64.js';

const CONFORMANCE = fileURLToPath(new URL('../../../shared/conformance', import.meta.url));
const haveConformance = existsSync(CONFORMANCE);
if (!haveConformance) console.warn(`RFC 3161 conformance-based tests skipped: ${CONFORMANCE} is absent`);

const provider = nodeCryptoProvider;

interface Case {
  token: Uint8Array;
  /** The bytes the TSA timestamped: the message signature or the DSSE signature. */
  signature: Uint8Array;
  tsas: readonly TrustedAuthority[];
  /** The bundle's signing (leaf) certificate, when it has one. */
  leaf: Certificate | undefined;
}

/** Loads a conformance case: its first RFC 3161 token, the timestamped signature, and its trusted TSAs. */
async function loadCase(name: string): Promise<Case> {
  const dir = path.join(CONFORMANCE, name);
  const bundle = JSON.parse(readFileSync(path.join(dir, 'bundle.sigstore.json'), 'utf8'));
  const rootPath = existsSync(path.join(dir, 'trusted_root.json'))
    ? path.join(dir, 'trusted_root.json')
    : path.join(CONFORMANCE, 'public_good_trusted_root.json');
  const rootJson = JSON.parse(readFileSync(rootPath, 'utf8'));
  // Only the timestamp authorities matter here; the logs and CAs are left out so this suite
  // exercises TSA handling alone.
  const root = parseTrustedRoot({ ...rootJson, tlogs: [], ctlogs: [], certificateAuthorities: [] });
  const tm = await buildTrustMaterial(root, provider);
  const vm = bundle.verificationMaterial;
  // One case's token is line-wrapped base64 (made with `base64 | jq`), which protobuf JSON decoders
  // such as Go's accept; the line breaks are dropped here, the bundle decoder being out of scope.
  const b64 = (s: string): Uint8Array => decodeBase64(s.replace(/\n/g, ''), name, 'std');
  const leafB64: string | undefined = vm.certificate?.rawBytes ?? vm.x509CertificateChain?.certificates[0].rawBytes;
  return {
    token: b64(vm.timestampVerificationData.rfc3161Timestamps[0].signedTimestamp),
    signature: b64(bundle.messageSignature?.signature ?? bundle.dsseEnvelope.signatures[0].sig),
    tsas: tm.timestampAuthorities,
    leaf: leafB64 === undefined ? undefined : parseCertificate(b64(leafB64), `${name} leaf`),
  };
}

async function verifyCase(c: Case, token: Uint8Array = c.token, tsas = c.tsas) {
  return verifyTimestampToken(parseTimestampToken(token), c.signature, tsas, provider);
}

/** Runs `f` and returns the SigvetError it throws (failing the test otherwise). */
async function thrown(f: () => unknown): Promise<SigvetError> {
  try {
    await f();
  } catch (e) {
    expect(e).toBeInstanceOf(SigvetError);
    return e as SigvetError;
  }
  throw new Error('expected a SigvetError, but nothing was thrown');
}

function indexOfBytes(hay: Uint8Array, needle: Uint8Array, from = 0): number {
  outer: for (let i = from; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/** A copy of `bytes` with the byte at `at` XORed with `x` (the offset must be real). */
function flipped(bytes: Uint8Array, at: number, x = 0x01): Uint8Array {
  expect(at).toBeGreaterThanOrEqual(0);
  expect(at).toBeLessThan(bytes.length);
  const out = bytes.slice();
  out[at] = out[at]! ^ x;
  return out;
}

/** Minimal DER TLV writer for building test structures around real parts. */
function tlv(tag: number, ...parts: Uint8Array[]): Uint8Array {
  const len = parts.reduce((n, p) => n + p.length, 0);
  const head =
    len < 0x80 ? [tag, len] : len < 0x100 ? [tag, 0x81, len] : len < 0x10000 ? [tag, 0x82, len >> 8, len & 0xff] : undefined;
  if (!head) throw new Error('test TLV too long');
  const out = new Uint8Array(head.length + len);
  out.set(head);
  let o = head.length;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);
const OID_SIGNED_DATA = new Uint8Array([0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02]);
// contentType attribute type, its SET, and the id-ct-TSTInfo value.
const CONTENT_TYPE_ATTR = new Uint8Array([
  0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x03, 0x31, 0x0d, 0x06, 0x0b, 0x2a, 0x86, 0x48, 0x86, 0xf7,
  0x0d, 0x01, 0x09, 0x10, 0x01, 0x04,
]);
const SHA256_OID = new Uint8Array([0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01]);
const SIGNING_TIME_PREFIX = new Uint8Array([0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x05, 0x31, 0x0f, 0x17, 0x0d]);

/** The parts of a TimeStampResp needed to rebuild its SignedData. */
function signedDataParts(resp: Uint8Array) {
  const outer = parseDer(resp, 'test');
  const contentInfo = outer.children()[1]!;
  const sd = contentInfo.children()[1]!.children()[0]!;
  const f = sd.children();
  return {
    contentInfo: contentInfo.raw(),
    version: f[0]!.raw(),
    digestAlgorithms: f[1]!.raw(),
    encap: f[2]!.raw(),
    signerInfos: f[f.length - 1]!,
  };
}

/** A bare ContentInfo around a SignedData rebuilt from `resp` with the given certificates / crls / signer infos. */
function rebuild(resp: Uint8Array, opts: { certs?: Uint8Array[]; crls?: Uint8Array; signerInfos?: Uint8Array }): Uint8Array {
  const p = signedDataParts(resp);
  const fields = [p.version, p.digestAlgorithms, p.encap];
  if (opts.certs) fields.push(tlv(0xa0, ...opts.certs));
  if (opts.crls) fields.push(opts.crls);
  fields.push(opts.signerInfos ?? p.signerInfos.raw());
  return tlv(0x30, OID_SIGNED_DATA, tlv(0xa0, tlv(0x30, ...fields)));
}

describe.skipIf(!haveConformance)('RFC 3161 timestamps: conformance data', () => {
  let embedded: Case;
  let noCerts: Case;
  let expired: Case;
  beforeAll(async () => {
    embedded = await loadCase('rekor2-timestamp-with-embedded-cert');
    noCerts = await loadCase('rekor2-timestamp-without-embedded-cert');
    expired = await loadCase('rekor2-timestamp-with-expired-cert-chain');
  });

  describe('parsing', () => {
    it('reads the TimeStampResp wrapper, the TSTInfo and the embedded certificate', () => {
      const t = parseTimestampToken(embedded.token);
      expect(t.status).toBe(0);
      expect(t.tstInfo.genTime).toBe(Date.UTC(2025, 7, 6, 18, 51, 36));
      expect(t.tstInfo.messageImprint.hashedMessage).toEqual(sha256(embedded.signature));
      expect(t.tstInfo.accuracy).toEqual({ seconds: 1, millis: 0, micros: 0 });
      expect(t.tstInfo.tsa).toBeDefined();
      expect(t.signer.version).toBe(1);
      expect(t.certificates).toHaveLength(1);
      const leaf = embedded.tsas[0]!.authority.certificates[0]!;
      expect(t.certificates[0]!.der).toEqual(leaf.der);
      expect(t.signer.contentType).toBe('1.2.840.113549.1.9.16.1.4');
      expect(t.signer.messageDigest).toEqual(sha256(t.eContent));
      expect(t.signer.signingCertificates).toHaveLength(1);
      const ess = t.signer.signingCertificates[0]!;
      expect(ess.attribute).toBe('signingCertificateV2');
      expect(ess.hash).toBe('sha256');
      expect(ess.certHash).toEqual(sha256(leaf.der));
      expect(ess.issuerSerial?.serialNumber).toEqual(leaf.serialNumber);
      expect(ess.issuerSerial?.issuerNames).toContainEqual(leaf.issuer);
    });

    it('reads a token whose certificate set is empty', () => {
      const t = parseTimestampToken(noCerts.token);
      expect(t.certificates).toHaveLength(0);
      expect(t.signer.attributes.map((a) => a.oid)).toContain('1.2.840.113549.1.9.16.2.47');
    });

    it('reads a bare TimeStampToken (ContentInfo) as well as a TimeStampResp', async () => {
      const bare = signedDataParts(embedded.token).contentInfo;
      const t = parseTimestampToken(bare);
      expect(t.status).toBeUndefined();
      expect(t.tstInfo.genTime).toBe(parseTimestampToken(embedded.token).tstInfo.genTime);
      await expect(verifyTimestampToken(t, embedded.signature, embedded.tsas, provider)).resolves.toMatchObject({
        time: t.tstInfo.genTime,
      });
    });

    it('keeps its own copy of the input', () => {
      const input = embedded.token.slice();
      const t = parseTimestampToken(input);
      input.fill(0);
      expect(t.der).toEqual(embedded.token);
    });

    it('rejects a truncated token, a trailing byte and an indefinite length (PARSE)', async () => {
      const truncated = await thrown(() => parseTimestampToken(embedded.token.subarray(0, embedded.token.length - 1)));
      expect(truncated.code).toBe('PARSE');
      expect(truncated.check).toBe('timestamp.parse');
      const trailing = await thrown(() => parseTimestampToken(Uint8Array.of(...embedded.token, 0)));
      expect(trailing.code).toBe('PARSE');
      // The outer SEQUENCE re-encoded with BER's indefinite length and end-of-contents octets.
      const content = parseDer(embedded.token, 'test').content();
      const indefinite = Uint8Array.of(0x30, 0x80, ...content, 0, 0);
      const ber = await thrown(() => parseTimestampToken(indefinite));
      expect(ber.code).toBe('PARSE');
      expect(ber.message).toMatch(/indefinite/);
    });

    it('rejects input over MAX_TIMESTAMP_TOKEN_SIZE (LIMIT)', async () => {
      const big = new Uint8Array(MAX_TIMESTAMP_TOKEN_SIZE + 1);
      big.set(embedded.token);
      const e = await thrown(() => parseTimestampToken(big));
      expect(e.code).toBe('LIMIT');
      expect(e.check).toBe('timestamp.size');
    });

    it('rejects a response whose status is not granted', async () => {
      // TimeStampResp { status PKIStatusInfo { rejection(2) } } with no token.
      const e = await thrown(() => parseTimestampToken(Uint8Array.of(0x30, 0x05, 0x30, 0x03, 0x02, 0x01, 0x02)));
      expect(e.code).toBe('TIMESTAMP');
      expect(e.check).toBe('timestamp.status');
    });

    it(`caps embedded certificates at ${MAX_TIMESTAMP_CERTIFICATES} (LIMIT)`, async () => {
      const leaf = embedded.tsas[0]!.authority.certificates[0]!.der;
      const atCap = rebuild(embedded.token, { certs: Array(MAX_TIMESTAMP_CERTIFICATES).fill(leaf) });
      expect(parseTimestampToken(atCap).certificates).toHaveLength(MAX_TIMESTAMP_CERTIFICATES);
      const over = rebuild(embedded.token, { certs: Array(MAX_TIMESTAMP_CERTIFICATES + 1).fill(leaf) });
      const e = await thrown(() => parseTimestampToken(over));
      expect(e.code).toBe('LIMIT');
      expect(e.check).toBe('timestamp.certificates');
    });

    it('requires exactly one SignerInfo', async () => {
      const si = signedDataParts(embedded.token).signerInfos.children()[0]!.raw();
      const e = await thrown(() => parseTimestampToken(rebuild(embedded.token, { signerInfos: tlv(0x31, si, si) })));
      expect(e.code).toBe('PARSE');
      expect(e.message).toMatch(/exactly one SignerInfo/);
      const none = await thrown(() => parseTimestampToken(rebuild(embedded.token, { signerInfos: tlv(0x31) })));
      expect(none.code).toBe('PARSE');
    });

    it('rejects an embedded attribute certificate (not a plain X.509 certificate)', async () => {
      const e = await thrown(() => parseTimestampToken(rebuild(embedded.token, { certs: [tlv(0xa1, tlv(0x30))] })));
      expect(e.code).toBe('PARSE');
    });
  });

  describe('verification of valid tokens', () => {
    it('verifies a token with an embedded certificate', async () => {
      const v = await verifyCase(embedded);
      expect(v.time).toBe(Date.UTC(2025, 7, 6, 18, 51, 36));
      expect(v.authority).toBe(embedded.tsas[0]);
      expect(v.hashAlgorithm).toBe('sha256');
      expect(v.serialNumber).toEqual(parseTimestampToken(embedded.token).tstInfo.serialNumber);
    });

    it('verifies a token without embedded certificates', async () => {
      const v = await verifyCase(noCerts);
      expect(v.time).toBe(Date.UTC(2025, 7, 6, 19, 3, 51));
    });

    it('verifies a token whose TSA chain has expired since, but was valid at genTime', async () => {
      const v = await verifyCase(expired);
      const chain = expired.tsas[0]!.authority.certificates;
      expect(chain.every((c) => c.notAfter < Date.now())).toBe(true);
      expect(chain.every((c) => c.validAt(v.time))).toBe(true);
    });

    it('accepts genTime equal to the end of the TSA trust-root window (closed interval)', async () => {
      const c = await loadCase('trust-root-tsa-validity-end-inclusive');
      const v = await verifyCase(c);
      expect(v.time).toBe(c.tsas[0]!.authority.validFor.end);
    });

    it('verifies a token over a DSSE signature', async () => {
      const c = await loadCase('rekor2-dsse-happy-path');
      const v = await verifyCase(c);
      expect(v.time).toBe(Date.UTC(2026, 4, 13, 19, 23, 33));
    });

    it('verifies a production (public-good) TSA token against the public-good root', async () => {
      const c = await loadCase('managed-key-no-key_fail');
      const v = await verifyCase(c);
      expect(c.tsas).toContain(v.authority);
      expect(v.authority.authority.subject.commonName).toBe('sigstore-tsa-selfsigned');
    });

    it('tries every trusted TSA and reports the one that verified', async () => {
      const tsas = [...expired.tsas, ...embedded.tsas];
      const v = await verifyCase(embedded, embedded.token, tsas);
      expect(v.authority).toBe(embedded.tsas[0]);
    });

    it('accepts embedded certificates that do not name the signer, and ignores CRLs', async () => {
      const chain = embedded.tsas[0]!.authority.certificates.map((c) => c.der);
      const token = rebuild(embedded.token, { certs: chain, crls: tlv(0xa1, tlv(0x30)) });
      const t = parseTimestampToken(token);
      expect(t.certificates).toHaveLength(2);
      await expect(verifyTimestampToken(t, embedded.signature, embedded.tsas, provider)).resolves.toMatchObject({
        time: t.tstInfo.genTime,
      });
    });
  });

  describe('conformance cases that must fail at the timestamp', () => {
    it('rejects genTime outside the trust-root TSA window', async () => {
      const c = await loadCase('rekor2-timestamp-outside-trust-root-tsa-validity_fail');
      const e = await thrown(() => verifyCase(c));
      expect(e.code).toBe('TIMESTAMP');
      expect(e.check).toBe('timestamp.authority');
      expect(e.errors?.map((x) => x.check)).toEqual(['timestamp.authority.validity']);
    });

    it('rejects genTime outside the TSA certificate validity', async () => {
      const c = await loadCase('rekor2-timestamp-outside-tsa-cert-validity_fail');
      const e = await thrown(() => verifyCase(c));
      expect(e.code).toBe('TIMESTAMP');
      expect(e.check).toBe('timestamp.authority');
      expect(e.errors?.map((x) => x.check)).toEqual(['timestamp.certificate.validity']);
    });

    it('rejects a token from an untrusted TSA without embedded certificates', async () => {
      const c = await loadCase('rekor2-timestamp-untrusted-tsa-without-embedded-cert_fail');
      const e = await thrown(() => verifyCase(c));
      expect(e.code).toBe('TIMESTAMP');
      expect(e.check).toBe('timestamp.authority');
      expect(e.errors?.map((x) => x.check)).toEqual(['timestamp.signer']);
    });

    it('never trusts an embedded certificate: a trusted root without the signer TSA fails', async () => {
      // The token embeds its signing certificate, but only an unrelated TSA is trusted.
      const e = await thrown(() => verifyCase(embedded, embedded.token, expired.tsas));
      expect(e.code).toBe('TIMESTAMP');
      expect(e.check).toBe('timestamp.authority');
      expect(e.errors?.map((x) => x.check)).toEqual(['timestamp.signer']);
    });

    it('fails with no trusted TSA at all', async () => {
      const e = await thrown(() => verifyCase(embedded, embedded.token, []));
      expect(e.check).toBe('timestamp.authority');
      expect(e.errors).toEqual([]);
    });
  });

  describe('conformance cases whose failure lies outside the timestamp', () => {
    // The token itself is valid; the case fails because genTime is outside the
    // bundle's signing-certificate validity, a check of the bundle verifier.
    for (const name of ['rekor2-timestamp-with-incorrect-time_fail', 'intoto-tsa-timestamp-outside-cert-validity_fail']) {
      it(`${name}: the token verifies, but genTime is outside the signing certificate`, async () => {
        const c = await loadCase(name);
        const v = await verifyCase(c);
        expect(c.leaf).toBeDefined();
        expect(c.leaf!.validAt(v.time)).toBe(false);
      });
    }
  });

  describe('mutations', () => {
    it('rejects a token over other bytes than the signature (imprint)', async () => {
      const sig = flipped(embedded.signature, 10);
      const e = await thrown(() => verifyTimestampToken(parseTimestampToken(embedded.token), sig, embedded.tsas, provider));
      expect(e.code).toBe('TIMESTAMP');
      expect(e.check).toBe('timestamp.imprint');
      const other = await thrown(() =>
        verifyTimestampToken(parseTimestampToken(embedded.token), ascii('other bytes'), embedded.tsas, provider),
      );
      expect(other.check).toBe('timestamp.imprint');
    });

    it("rejects a flipped byte in the TSA's signature", async () => {
      // The SignerInfo (signature last) ends the token.
      const token = flipped(embedded.token, embedded.token.length - 1);
      const e = await thrown(() => verifyCase(embedded, token));
      expect(e.check).toBe('timestamp.authority');
      expect(e.errors?.map((x) => x.check)).toEqual(['timestamp.signature']);
    });

    it('rejects a changed signed attribute (signing time) by its signature', async () => {
      const at = indexOfBytes(embedded.token, SIGNING_TIME_PREFIX);
      const token = flipped(embedded.token, at + SIGNING_TIME_PREFIX.length, 0x01); // '2' → '3'
      const e = await thrown(() => verifyCase(embedded, token));
      expect(e.errors?.map((x) => x.check)).toEqual(['timestamp.signature']);
    });

    it('rejects a changed TSTInfo (genTime) by the message-digest attribute', async () => {
      const at = indexOfBytes(embedded.token, ascii('20250806185136Z'));
      const token = flipped(embedded.token, at + 13, 0x01); // seconds 36 → 37
      expect(parseTimestampToken(token).tstInfo.genTime).toBe(Date.UTC(2025, 7, 6, 18, 51, 37));
      const e = await thrown(() => verifyCase(embedded, token));
      expect(e.code).toBe('TIMESTAMP');
      expect(e.check).toBe('timestamp.attributes.message-digest');
    });

    it('rejects a content-type attribute other than id-ct-TSTInfo', async () => {
      const at = indexOfBytes(embedded.token, CONTENT_TYPE_ATTR);
      const token = flipped(embedded.token, at + CONTENT_TYPE_ATTR.length - 1, 0x03); // ...1.4 → ...1.7
      const e = await thrown(() => verifyCase(embedded, token));
      expect(e.check).toBe('timestamp.attributes.content-type');
    });

    it('rejects a signing-certificate-v2 hash that does not match the TSA certificate', async () => {
      const leafHash = sha256(embedded.tsas[0]!.authority.certificates[0]!.der);
      const at = indexOfBytes(embedded.token, leafHash);
      const token = flipped(embedded.token, at + 5);
      const e = await thrown(() => verifyCase(embedded, token));
      expect(e.errors?.map((x) => x.check)).toEqual(['timestamp.attributes.signing-certificate']);
    });

    it('rejects an embedded certificate naming the signer but differing from the trusted one', async () => {
      const leafDer = embedded.tsas[0]!.authority.certificates[0]!.der;
      const at = indexOfBytes(embedded.token, leafDer);
      // The certificate ends with its signature value: changing it keeps the certificate parseable.
      const token = flipped(embedded.token, at + leafDer.length - 1);
      expect(parseTimestampToken(token).certificates[0]!.der).not.toEqual(leafDer);
      const e = await thrown(() => verifyCase(embedded, token));
      expect(e.errors?.map((x) => x.check)).toEqual(['timestamp.embedded-certificate']);
    });

    it('rejects an unknown message-imprint hash algorithm (UNSUPPORTED)', async () => {
      const t0 = parseTimestampToken(embedded.token);
      // The first id-sha256 inside the TSTInfo is the imprint's algorithm; make it id-sha3-256 (…4.2.8).
      const eStart = indexOfBytes(embedded.token, t0.eContent);
      const at = indexOfBytes(embedded.token, SHA256_OID, eStart);
      const token = flipped(embedded.token, at + SHA256_OID.length - 1, 0x09);
      const e = await thrown(() => verifyCase(embedded, token));
      expect(e.code).toBe('UNSUPPORTED');
      expect(e.check).toBe('timestamp.imprint.algorithm');
    });

    it('requires the TSA certificate to carry the time-stamping EKU', async () => {
      // A trusted TSA whose leaf claims codeSigning instead (…3.8 → …3.3); the leaf's own
      // signature is not re-checked here, the chain having been checked when the trust material was built.
      const tsa = noCerts.tsas[0]!;
      const leafDer = tsa.authority.certificates[0]!.der;
      const ekuOid = new Uint8Array([0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x08]);
      const at = indexOfBytes(leafDer, ekuOid);
      const badLeaf = parseCertificate(flipped(leafDer, at + ekuOid.length - 1, 0x0b), 'test leaf');
      expect(badLeaf.extKeyUsage).toEqual(['1.3.6.1.5.5.7.3.3']);
      const badTsa: TrustedAuthority = {
        authority: { ...tsa.authority, certificates: [badLeaf, ...tsa.authority.certificates.slice(1)] },
        keys: tsa.keys,
      };
      const e = await thrown(() => verifyCase(noCerts, noCerts.token, [badTsa]));
      expect(e.errors?.map((x) => x.check)).toEqual(['timestamp.eku']);
    });

    it('never lets a raw exception escape on any single-byte corruption of the token', async () => {
      // Every offset, one flip each: the result is a SigvetError or, where the byte is not covered by
      // any check (unsigned fields such as the status), a successful verification.
      const token = noCerts.token;
      for (let i = 0; i < token.length; i++) {
        const bad = flipped(token, i, 0x80);
        try {
          await verifyCase(noCerts, bad);
        } catch (e) {
          if (!(e instanceof SigvetError)) throw new Error(`offset ${i}: ${String(e)}`);
        }
      }
    });
  });
});
