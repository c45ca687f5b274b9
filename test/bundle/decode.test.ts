import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUNDLE_LIMITS, decodeBundle } from '../../src/bundle/decode.js';
import { BUNDLE_MEDIA_TYPES } from '../../src/bundle/bundle.js';
import { expectCode } from '../encoding/expect-error.js';
import { CONFORMANCE, b64, clone, conformanceBundle, haveConformance, vectorBundle, warnIfNoConformance, type Json } from './data.js';

warnIfNoConformance('bundle decode tests');

const SHAPE = 'bundle.shape';
const V03 = vectorBundle('happy-path-v0.3'); // v0.3, certificate, message signature
const V01 = vectorBundle('happy-path-v0.1'); // v0.1, x509CertificateChain
const DSSE = vectorBundle('happy-path-dsse'); // v0.3, DSSE envelope
const KEY = vectorBundle('happy-path-managed-key'); // v0.3, publicKey

const bad = (doc: Json, msg?: RegExp): void => {
  const e = expectCode(() => decodeBundle(doc), 'BUNDLE_FORMAT', SHAPE);
  if (msg) expect(e.message).toMatch(msg);
};
const edit = (doc: Json, f: (d: Json) => void): Json => {
  const d = clone(doc);
  f(d);
  return d;
};
const entry0 = (d: Json): Json => d.verificationMaterial.tlogEntries[0];

describe('decodeBundle: real bundles', () => {
  it('decodes a v0.3 message-signature bundle with every field typed', () => {
    const b = decodeBundle(V03);
    expect(b.version).toBe('0.3');
    expect(b.mediaType).toBe(V03.mediaType);
    expect(b.keyMaterial.type).toBe('certificate');
    if (b.keyMaterial.type !== 'certificate') throw new Error('unreachable');
    expect(b.keyMaterial.certificate).toEqual(b64(V03.verificationMaterial.certificate.rawBytes));
    expect(b.keyMaterial.chain).toHaveLength(1);
    const e = b.tlogEntries[0]!;
    const j = entry0(V03);
    expect(e.logIndex).toBe(BigInt(j.logIndex));
    expect(e.integratedTime).toBe(BigInt(j.integratedTime));
    expect(e.logId).toEqual(b64(j.logId.keyId));
    expect(e.kindVersion).toEqual(j.kindVersion);
    expect(e.canonicalizedBody).toEqual(b64(j.canonicalizedBody));
    expect(e.signedEntryTimestamp).toEqual(b64(j.inclusionPromise.signedEntryTimestamp));
    expect(e.inclusionProof!.treeSize).toBe(BigInt(j.inclusionProof.treeSize));
    expect(e.inclusionProof!.hashes.map((h) => Buffer.from(h).toString('base64'))).toEqual(j.inclusionProof.hashes);
    expect(e.inclusionProof!.checkpoint).toBe(j.inclusionProof.checkpoint.envelope);
    expect(b.content.type).toBe('messageSignature');
    if (b.content.type !== 'messageSignature') throw new Error('unreachable');
    expect(b.content.signature).toEqual(b64(V03.messageSignature.signature));
    expect(b.content.messageDigest).toEqual({ algorithm: 'SHA2_256', digest: b64(V03.messageSignature.messageDigest.digest) });
    expect(b.rfc3161Timestamps).toEqual([]);
  });

  it('decodes a v0.1 chain bundle, a DSSE bundle and a managed-key bundle', () => {
    const v01 = decodeBundle(V01);
    expect(v01.version).toBe('0.1');
    expect(v01.keyMaterial.type === 'certificate' && v01.keyMaterial.chain.length).toBe(V01.verificationMaterial.x509CertificateChain.certificates.length);
    const dsse = decodeBundle(DSSE);
    expect(dsse.content.type).toBe('dsseEnvelope');
    if (dsse.content.type !== 'dsseEnvelope') throw new Error('unreachable');
    expect(dsse.content.payload).toEqual(b64(DSSE.dsseEnvelope.payload));
    expect(dsse.content.payloadType).toBe('application/vnd.in-toto+json');
    expect(dsse.content.signatures).toEqual([{ sig: b64(DSSE.dsseEnvelope.signatures[0].sig), keyid: '' }]);
    const key = decodeBundle(KEY);
    expect(key.keyMaterial).toEqual({ type: 'publicKey', hint: KEY.verificationMaterial.publicKey.hint ?? '' });
  });

  it('gives the same result for JSON text, UTF-8 bytes and a parsed object', () => {
    const text = JSON.stringify(V03);
    const fromText = decodeBundle(text);
    expect(decodeBundle(new TextEncoder().encode(text))).toEqual(fromText);
    expect(decodeBundle(JSON.parse(text))).toEqual(fromText);
  });

  it('accepts URL-safe and unpadded base64 in bytes fields (protobuf JSON)', () => {
    const url = edit(V03, (d) => {
      d.messageSignature.signature = d.messageSignature.signature.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    });
    expect(decodeBundle(url).content).toEqual(decodeBundle(V03).content);
  });

  it('keeps an absent integratedTime undefined (not 0) and accepts integers as JSON numbers', () => {
    const b = decodeBundle(edit(V03, (d) => delete entry0(d).integratedTime));
    expect(b.tlogEntries[0]!.integratedTime).toBeUndefined();
    const n = decodeBundle(edit(V03, (d) => (entry0(d).logIndex = 5)));
    expect(n.tlogEntries[0]!.logIndex).toBe(5n);
    const big = decodeBundle(JSON.stringify(V03).replace(`"logIndex":"${entry0(V03).logIndex}"`, '"logIndex":9007199254740993'));
    expect(big.tlogEntries[0]!.logIndex).toBe(9007199254740993n);
  });
});

describe('decodeBundle: media types', () => {
  it('accepts every listed spelling and maps it to its version', () => {
    for (const [mt, version] of Object.entries(BUNDLE_MEDIA_TYPES)) {
      // v0.1 bundles carry a chain; v0.2 a chain with proofs; v0.3 a single certificate.
      const src = version === '0.3' ? V03 : version === '0.2' ? edit(V03, toChain) : V01;
      const b = decodeBundle(edit(src, (d) => (d.mediaType = mt)));
      expect(b.version).toBe(version);
      expect(b.mediaType).toBe(mt);
    }
    function toChain(d: Json): void {
      d.verificationMaterial.x509CertificateChain = { certificates: [d.verificationMaterial.certificate] };
      delete d.verificationMaterial.certificate;
    }
  });

  it('rejects unknown media types, with expected and actual', () => {
    const unknown = [
      'application/vnd.dev.sigstore.bundle.v0.3.1+json',
      'application/vnd.dev.sigstore.bundle+json;version=99.9',
      'application/vnd.dev.sigstore.bundle+json;version=0.4',
      'application/vnd.dev.sigstore.bundle.v0.4+json',
      'application/vnd.dev.sigstore.bundle.v0.1+json',
      'application/vnd.dev.sigstore.bundle+json; version=0.3',
      'application/vnd.dev.sigstore.bundle+json;version=0.3 ',
      'APPLICATION/VND.DEV.SIGSTORE.BUNDLE.V0.3+JSON',
      'application/vnd.dev.sigstore.bundle+json',
      '',
      '__proto__',
      'constructor',
      'toString',
    ];
    for (const mt of unknown) {
      const e = expectCode(() => decodeBundle(edit(V03, (d) => (d.mediaType = mt))), 'BUNDLE_FORMAT', SHAPE);
      expect(e.actual).toBe(mt);
      expect(e.expected).toContain('application/vnd.dev.sigstore.bundle.v0.3+json');
    }
    bad(edit(V03, (d) => delete d.mediaType));
    bad(edit(V03, (d) => (d.mediaType = 0.3)));
  });

  it.skipIf(!haveConformance)('rejects the conformance bundle with version=99.9', () => {
    bad(conformanceBundle('bundle-unknown-version_fail'), /media type/);
  });
});

describe('decodeBundle: version shape rules', () => {
  it('rejects a v0.3 bundle carrying an x509CertificateChain', () => {
    const chain = edit(V03, (d) => {
      d.verificationMaterial.x509CertificateChain = { certificates: [d.verificationMaterial.certificate] };
      delete d.verificationMaterial.certificate;
    });
    bad(chain, /single certificate, not a chain/);
  });

  it('rejects a single certificate in a v0.1 or v0.2 bundle', () => {
    for (const v of ['0.1', '0.2']) {
      bad(edit(V03, (d) => (d.mediaType = `application/vnd.dev.sigstore.bundle+json;version=${v}`)), /needs bundle v0.3/);
    }
  });

  it('rejects a v0.1 entry without an inclusion promise (a proof alone is not enough)', () => {
    const withProof = edit(V01, (d) => {
      entry0(d).inclusionProof = clone(entry0(V03).inclusionProof);
      delete entry0(d).inclusionPromise;
    });
    bad(withProof, /inclusionPromise/);
  });

  it('rejects a v0.2 or v0.3 entry without an inclusion proof, or with a proof without a checkpoint', () => {
    bad(edit(V03, (d) => delete entry0(d).inclusionProof), /inclusionProof/);
    bad(edit(V03, (d) => delete entry0(d).inclusionProof.checkpoint), /missing checkpoint/);
    const v02 = edit(V01, (d) => (d.mediaType = 'application/vnd.dev.sigstore.bundle+json;version=0.2'));
    bad(v02, /inclusionProof/);
    expect(decodeBundle(edit(V03, (d) => delete entry0(d).inclusionPromise)).tlogEntries[0]!.signedEntryTimestamp).toBeUndefined();
  });

  it('requires exactly one of messageSignature and dsseEnvelope', () => {
    bad(edit(V03, (d) => (d.dsseEnvelope = clone(DSSE.dsseEnvelope))), /exactly one of messageSignature and dsseEnvelope/);
    bad(edit(V03, (d) => delete d.messageSignature), /exactly one of messageSignature and dsseEnvelope/);
  });

  it('requires exactly one DSSE signature', () => {
    bad(edit(DSSE, (d) => d.dsseEnvelope.signatures.push(clone(d.dsseEnvelope.signatures[0]))), /exactly one signature/);
    bad(edit(DSSE, (d) => (d.dsseEnvelope.signatures = [])), /exactly one signature/);
    bad(edit(DSSE, (d) => delete d.dsseEnvelope.signatures));
  });

  it('requires exactly one kind of key material', () => {
    bad(edit(V03, (d) => delete d.verificationMaterial.certificate), /exactly one of publicKey/);
    bad(edit(V03, (d) => (d.verificationMaterial.publicKey = { hint: 'x' })), /exactly one of publicKey/);
    bad(edit(V01, (d) => (d.verificationMaterial.x509CertificateChain.certificates = [])), /empty certificate chain/);
  });

  it('rejects empty signatures and unsupported digest algorithms', () => {
    bad(edit(V03, (d) => (d.messageSignature.signature = '')), /empty signature/);
    bad(edit(DSSE, (d) => (d.dsseEnvelope.signatures[0].sig = '')), /empty signature/);
    for (const alg of ['SHA1', 'sha256', 'SHA3_256', 'HASH_ALGORITHM_UNSPECIFIED']) {
      bad(edit(V03, (d) => (d.messageSignature.messageDigest.algorithm = alg)), /unsupported hash algorithm/);
    }
  });

  it('rejects a negative log index, tree size or integrated time', () => {
    bad(edit(V03, (d) => (entry0(d).logIndex = '-1')));
    bad(edit(V03, (d) => (entry0(d).inclusionProof.treeSize = '-1')));
    bad(edit(V03, (d) => (entry0(d).inclusionProof.logIndex = -5)));
    bad(edit(V03, (d) => (entry0(d).integratedTime = '-1')));
  });
});

describe('decodeBundle: strict shape', () => {
  it('rejects unknown fields at every level', () => {
    const edits: ((d: Json) => void)[] = [
      (d) => (d.extra = 1),
      (d) => (d.verificationMaterial.extra = 1),
      (d) => (d.verificationMaterial.certificate.extra = 1),
      (d) => (entry0(d).extra = 1),
      (d) => (entry0(d).logId.extra = 1),
      (d) => (entry0(d).kindVersion.extra = 1),
      (d) => (entry0(d).inclusionPromise.extra = 1),
      (d) => (entry0(d).inclusionProof.extra = 1),
      (d) => (entry0(d).inclusionProof.checkpoint.extra = 1),
      (d) => (d.messageSignature.extra = 1),
      (d) => (d.messageSignature.messageDigest.extra = 1),
      (d) => (d.verificationMaterial.timestampVerificationData = { rfc3161Timestamps: [], extra: 1 }),
      (d) => (d.verificationMaterial.timestampVerificationData = { rfc3161Timestamps: [{ signedTimestamp: 'AA==', extra: 1 }] }),
      (d) => (d.verificationMaterial.certificate = { rawBytes: d.verificationMaterial.certificate.rawBytes, RawBytes: '' }),
    ];
    for (const f of edits) bad(edit(V03, f), /unknown field/);
    bad(edit(DSSE, (d) => (d.dsseEnvelope.extra = 1)), /unknown field/);
    bad(edit(DSSE, (d) => (d.dsseEnvelope.signatures[0].extra = 1)), /unknown field/);
    bad(edit(KEY, (d) => (d.verificationMaterial.publicKey.extra = 1)), /unknown field/);
  });

  it('rejects wrong JSON types', () => {
    const edits: ((d: Json) => void)[] = [
      (d) => (d.mediaType = 3),
      (d) => (d.verificationMaterial = []),
      (d) => (d.verificationMaterial.certificate = 'MIIB'),
      (d) => (d.verificationMaterial.certificate.rawBytes = 5),
      (d) => (d.verificationMaterial.tlogEntries = {}),
      (d) => (d.verificationMaterial.tlogEntries = [null]),
      (d) => (entry0(d).kindVersion.kind = 1),
      (d) => (entry0(d).kindVersion.version = null),
      (d) => (entry0(d).canonicalizedBody = 5),
      (d) => (entry0(d).logIndex = true),
      (d) => (entry0(d).logIndex = '5.0'),
      (d) => (entry0(d).logIndex = 5.5),
      (d) => (entry0(d).inclusionProof.hashes = 'abc'),
      (d) => (entry0(d).inclusionProof.hashes = [5]),
      (d) => (entry0(d).inclusionProof.checkpoint = 'text'),
      (d) => (entry0(d).inclusionProof.checkpoint.envelope = 7),
      (d) => (d.messageSignature.signature = true),
      (d) => (d.messageSignature.messageDigest = 'x'),
      (d) => (d.verificationMaterial.timestampVerificationData = { rfc3161Timestamps: {} }),
    ];
    for (const f of edits) bad(edit(V03, f));
    bad(edit(DSSE, (d) => (d.dsseEnvelope.payloadType = 1)));
    bad(edit(DSSE, (d) => (d.dsseEnvelope.signatures[0].keyid = 1)));
  });

  it('rejects bad base64 in every bytes field, naming the field', () => {
    const fields: [Json, string, (d: Json, v: string) => void][] = [
      [V03, 'certificate.rawBytes', (d, v) => (d.verificationMaterial.certificate.rawBytes = v)],
      [V01, 'x509CertificateChain.certificates[0].rawBytes', (d, v) => (d.verificationMaterial.x509CertificateChain.certificates[0].rawBytes = v)],
      [V03, 'logId.keyId', (d, v) => (entry0(d).logId.keyId = v)],
      [V03, 'inclusionPromise.signedEntryTimestamp', (d, v) => (entry0(d).inclusionPromise.signedEntryTimestamp = v)],
      [V03, 'inclusionProof.rootHash', (d, v) => (entry0(d).inclusionProof.rootHash = v)],
      [V03, 'inclusionProof.hashes[0]', (d, v) => (entry0(d).inclusionProof.hashes[0] = v)],
      [V03, 'canonicalizedBody', (d, v) => (entry0(d).canonicalizedBody = v)],
      [V03, 'messageDigest.digest', (d, v) => (d.messageSignature.messageDigest.digest = v)],
      [V03, 'messageSignature.signature', (d, v) => (d.messageSignature.signature = v)],
      [DSSE, 'dsseEnvelope.payload', (d, v) => (d.dsseEnvelope.payload = v)],
      [DSSE, 'signatures[0].sig', (d, v) => (d.dsseEnvelope.signatures[0].sig = v)],
      [V03, 'rfc3161Timestamps[0].signedTimestamp', (d, v) => (d.verificationMaterial.timestampVerificationData = { rfc3161Timestamps: [{ signedTimestamp: v }] })],
    ];
    for (const [src, field, set] of fields) {
      for (const v of ['A', 'AR==', 'AA AA', '+/-_', 'AA*A', 'AAA==']) {
        const e = expectCode(() => decodeBundle(edit(src, (d) => set(d, v))), 'BUNDLE_FORMAT', SHAPE);
        expect(e.message).toContain(field);
      }
    }
  });

  it('enforces count limits with LIMIT', () => {
    const entries = (n: number): Json => edit(V03, (d) => (d.verificationMaterial.tlogEntries = Array.from({ length: n }, () => clone(entry0(V03)))));
    expect(decodeBundle(entries(BUNDLE_LIMITS.tlogEntries)).tlogEntries).toHaveLength(32);
    expectCode(() => decodeBundle(entries(BUNDLE_LIMITS.tlogEntries + 1)), 'LIMIT', 'limit.tlogEntries');
    const ts = (n: number): Json => edit(V03, (d) => (d.verificationMaterial.timestampVerificationData = { rfc3161Timestamps: Array.from({ length: n }, () => ({ signedTimestamp: 'MAA=' })) }));
    expect(decodeBundle(ts(32)).rfc3161Timestamps).toHaveLength(32);
    expectCode(() => decodeBundle(ts(33)), 'LIMIT', 'limit.timestamps');
    const hashes = edit(V03, (d) => (entry0(d).inclusionProof.hashes = Array.from({ length: 65 }, () => entry0(V03).inclusionProof.hashes[0])));
    expectCode(() => decodeBundle(hashes), 'LIMIT', 'limit.proofHashes');
    const chain = edit(V01, (d) => (d.verificationMaterial.x509CertificateChain.certificates = Array.from({ length: 11 }, () => d.verificationMaterial.x509CertificateChain.certificates[0])));
    expectCode(() => decodeBundle(chain), 'LIMIT', 'limit.chainCertificates');
  });

  it('rejects oversized input with LIMIT before parsing', () => {
    expectCode(() => decodeBundle(new Uint8Array(BUNDLE_LIMITS.maxLength + 1)), 'LIMIT', 'limit.bundleBytes');
    expectCode(() => decodeBundle(' '.repeat(BUNDLE_LIMITS.maxLength + 1)), 'LIMIT', 'limit.bundleBytes');
  });

  it('reports malformed JSON, duplicate keys and invalid UTF-8 as PARSE', () => {
    const text = JSON.stringify(V03);
    expectCode(() => decodeBundle(text.slice(0, -1)), 'PARSE', 'json');
    expectCode(() => decodeBundle(text.replace('{', '{"mediaType":"x",')), 'PARSE', 'json');
    expectCode(() => decodeBundle(`${text} {}`), 'PARSE', 'json');
    const bytes = new TextEncoder().encode(text);
    const i = bytes.indexOf(0x22, 2); // a quote inside the document
    const invalid = bytes.slice();
    invalid[i + 1] = 0xff;
    expectCode(() => decodeBundle(invalid), 'PARSE', 'json');
    expectCode(() => decodeBundle({ big: 1n }), 'PARSE', 'json');
    expectCode(() => decodeBundle(undefined as unknown as object), 'PARSE', 'json');
  });

  it('rejects documents that are not objects', () => {
    for (const d of ['null', '[]', '"bundle"', '5']) bad(d);
    bad(null as unknown as object);
  });
});

describe.skipIf(!haveConformance)('decodeBundle: conformance bundles', () => {
  it('decodes every bundle or fails with a SigvetError, never a raw exception', () => {
    let decoded = 0;
    for (const d of readdirSync(CONFORMANCE)) {
      const f = path.join(CONFORMANCE, d, 'bundle.sigstore.json');
      if (!existsSync(f)) continue;
      try {
        decodeBundle(readFileSync(f, 'utf8'));
        decoded++;
      } catch (e) {
        expect((e as { name?: string }).name, `${d}: ${String(e)}`).toBe('SigvetError');
        expect(d, `${d} failed to decode: ${String(e)}`).toMatch(/_fail$/);
      }
    }
    expect(decoded).toBeGreaterThan(20);
  });

  it('fails the malformed, negative-index and empty-chain cases for the right reason', () => {
    expectCode(() => decodeBundle(readFileSync(path.join(CONFORMANCE, 'bundle-malformed-json_fail', 'bundle.sigstore.json'), 'utf8')), 'PARSE', 'json');
    bad(conformanceBundle('bundle-negative-log-index_fail'), /out of range/);
    bad(conformanceBundle('bundle-empty-certificate-chain_fail'), /empty certificate chain/);
  });
});
