import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SUPPORTED_ENTRY_KINDS, checkBodyBinding, parseEntryBody, type BundleFacts, type EntryBody } from '../../src/tlog/body.js';
import { preAuthEncoding } from '../../src/dsse/pae.js';
import { expectCode } from '../encoding/expect-error.js';
import { b64, conformanceBundle, haveConformance, toB64, vectorArtifact, vectorBundle, warnIfNoConformance, type Json } from '../bundle/data.js';
import { makeLeaf, makeRootCa, newKey } from '../x509/pki.js';

warnIfNoConformance('tlog body tests');

const SHAPE = 'tlog.body.shape';
const sha = (alg: string, b: Uint8Array): Uint8Array => new Uint8Array(crypto.createHash(alg).update(b).digest());
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const enc = (v: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(v));
const pem = (der: Uint8Array, label: string): string =>
  `-----BEGIN ${label}-----\n${toB64(der).replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END ${label}-----\n`;
const pemB64 = (der: Uint8Array, label = 'CERTIFICATE'): string => Buffer.from(pem(der, label)).toString('base64');
const flip = (b: Uint8Array): Uint8Array => {
  const c = b.slice();
  c[c.length - 1] = c[c.length - 1]! ^ 1;
  return c;
};
const entryOf = (bundle: Json): Json => bundle.verificationMaterial.tlogEntries[0];
const bodyOf = (bundle: Json): Uint8Array => b64(entryOf(bundle).canonicalizedBody);
const leafOf = (bundle: Json): Uint8Array => {
  const vm = bundle.verificationMaterial;
  return b64(vm.certificate?.rawBytes ?? vm.x509CertificateChain.certificates[0].rawBytes);
};

// ---------------------------------------------------------------------------
// Synthetic bodies of every kind, from a generated leaf.

const ca = makeRootCa({ cn: 'ca' });
const leaf = makeLeaf(ca).der;
const otherLeaf = makeLeaf(ca).der;
const sig = new Uint8Array(crypto.randomBytes(71));
const payload = new TextEncoder().encode('{"_type":"https://in-toto.io/Statement/v1"}');
const artifactDigest = sha('sha256', new TextEncoder().encode('artifact'));

const synthetic = {
  hashedrekordV1: (o: { digestHex?: string; alg?: string; pk?: string } = {}): Json => ({
    apiVersion: '0.0.1',
    kind: 'hashedrekord',
    spec: {
      data: { hash: { algorithm: o.alg ?? 'sha256', value: o.digestHex ?? hex(artifactDigest) } },
      signature: { content: toB64(sig), publicKey: { content: o.pk ?? pemB64(leaf) } },
    },
  }),
  dsseV1: (sigs: { signature: string; verifier: string }[] = [{ signature: toB64(sig), verifier: pemB64(leaf) }]): Json => ({
    apiVersion: '0.0.1',
    kind: 'dsse',
    spec: {
      envelopeHash: { algorithm: 'sha256', value: hex(sha('sha256', payload)) },
      payloadHash: { algorithm: 'sha256', value: hex(sha('sha256', payload)) },
      signatures: sigs,
    },
  }),
  intotoV2: (o: { payload?: Uint8Array | null } = {}): Json => ({
    apiVersion: '0.0.2',
    kind: 'intoto',
    spec: {
      content: {
        envelope: {
          ...(o.payload === null ? {} : { payload: Buffer.from(toB64(o.payload ?? payload)).toString('base64') }),
          payloadType: 'application/vnd.in-toto+json',
          signatures: [{ sig: Buffer.from(toB64(sig)).toString('base64'), publicKey: pemB64(leaf) }],
        },
        hash: { algorithm: 'sha256', value: hex(sha('sha256', payload)) },
        payloadHash: { algorithm: 'sha256', value: hex(sha('sha256', payload)) },
      },
    },
  }),
  hashedrekordV2: (verifier: Json = { x509Certificate: { rawBytes: toB64(leaf) }, keyDetails: 'PKIX_ECDSA_P256_SHA_256' }): Json => ({
    apiVersion: '0.0.2',
    kind: 'hashedrekord',
    spec: { hashedRekordV002: { data: { algorithm: 'SHA2_256', digest: toB64(artifactDigest) }, signature: { content: toB64(sig), verifier } } },
  }),
  dsseV2: (verifier: Json = { x509Certificate: { rawBytes: toB64(leaf) }, keyDetails: 'PKIX_ECDSA_P256_SHA_256' }): Json => ({
    apiVersion: '0.0.2',
    kind: 'dsse',
    spec: {
      dsseV002: {
        payloadHash: { algorithm: 'SHA2_256', digest: toB64(sha('sha256', payload)) },
        signatures: [{ content: toB64(sig), verifier }],
      },
    },
  }),
};

const parse = (doc: Json): EntryBody => parseEntryBody(enc(doc), doc.kind, doc.apiVersion);
const badBody = (doc: Json, msg?: RegExp): void => {
  const e = expectCode(() => parse(doc), 'TLOG_BODY', SHAPE);
  if (msg) expect(e.message).toMatch(msg);
};
const messageFacts = (over: Partial<BundleFacts> = {}): BundleFacts => ({
  signature: sig,
  verifier: { type: 'certificate', der: leaf },
  digest: { algorithm: 'sha256', value: artifactDigest },
  payload: undefined,
  dsse: false,
  ...over,
});
const dsseFacts = (over: Partial<BundleFacts> = {}): BundleFacts => ({
  signature: sig,
  verifier: { type: 'certificate', der: leaf },
  digest: { algorithm: 'sha256', value: sha('sha256', payload) },
  payload,
  dsse: true,
  ...over,
});

describe('parseEntryBody: real bodies', () => {
  it('hashedrekord/0.0.1 records the artifact digest, the signature and the leaf', () => {
    const bundle = vectorBundle('happy-path-v0.3');
    const b = parseEntryBody(bodyOf(bundle), 'hashedrekord', '0.0.1');
    expect(b.rekorV2).toBe(false);
    expect(b.digest).toEqual({ algorithm: 'sha256', value: sha('sha256', vectorArtifact('happy-path-v0.3')) });
    expect(b.signatures).toEqual([{ signature: b64(bundle.messageSignature.signature), verifier: { type: 'certificate', der: leafOf(bundle) } }]);
    expect(b.payload).toBeUndefined();
    expect(() => checkBodyBinding(b, { ...messageFacts(), signature: b64(bundle.messageSignature.signature), verifier: { type: 'certificate', der: leafOf(bundle) }, digest: b.digest })).not.toThrow();
  });

  it('hashedrekord/0.0.1 of a managed-key bundle records a public key', () => {
    const bundle = vectorBundle('happy-path-managed-key');
    const b = parseEntryBody(bodyOf(bundle), 'hashedrekord', '0.0.1');
    expect(b.signatures[0]!.verifier.type).toBe('publicKey');
    expect(b.signatures[0]!.signature).toEqual(b64(bundle.messageSignature.signature));
  });

  it('dsse/0.0.1 records the payload digest, the signature and the leaf', () => {
    const bundle = vectorBundle('happy-path-dsse');
    const p = b64(bundle.dsseEnvelope.payload);
    const b = parseEntryBody(bodyOf(bundle), 'dsse', '0.0.1');
    expect(b.digest).toEqual({ algorithm: 'sha256', value: sha('sha256', p) });
    expect(b.signatures).toEqual([{ signature: b64(bundle.dsseEnvelope.signatures[0].sig), verifier: { type: 'certificate', der: leafOf(bundle) } }]);
    expect(() =>
      checkBodyBinding(b, dsseFacts({ signature: b64(bundle.dsseEnvelope.signatures[0].sig), verifier: { type: 'certificate', der: leafOf(bundle) }, digest: b.digest, payload: p })),
    ).not.toThrow();
  });

  it.skipIf(!haveConformance)('intoto/0.0.2 records the payload and signature (base64 twice) and the leaf', () => {
    const bundle = conformanceBundle('intoto-expired-certificate_fail');
    const p = b64(bundle.dsseEnvelope.payload);
    const b = parseEntryBody(bodyOf(bundle), 'intoto', '0.0.2');
    expect(b.payload).toEqual(p);
    expect(b.digest).toEqual({ algorithm: 'sha256', value: sha('sha256', p) });
    expect(b.signatures[0]!.signature).toEqual(b64(bundle.dsseEnvelope.signatures[0].sig));
    expect(b.signatures[0]!.verifier).toEqual({ type: 'certificate', der: leafOf(bundle) });
    const facts = dsseFacts({ signature: b.signatures[0]!.signature, verifier: { type: 'certificate', der: leafOf(bundle) }, digest: b.digest, payload: p });
    expect(() => checkBodyBinding(b, facts)).not.toThrow();
    expectCode(() => checkBodyBinding(b, { ...facts, payload: flip(p) }), 'TLOG_BODY', 'tlog.body.payload');
  });

  it.skipIf(!haveConformance)('hashedrekord/0.0.2 (Rekor v2) records the digest, signature and certificate', () => {
    const bundle = conformanceBundle('rekor2-checkpoint-cosigned');
    const b = parseEntryBody(bodyOf(bundle), 'hashedrekord', '0.0.2');
    expect(b.rekorV2).toBe(true);
    expect(b.digest).toEqual({ algorithm: 'sha256', value: b64(bundle.messageSignature.messageDigest.digest) });
    expect(b.signatures).toEqual([{ signature: b64(bundle.messageSignature.signature), verifier: { type: 'certificate', der: leafOf(bundle) } }]);
  });

  it.skipIf(!haveConformance)('hashedrekord/0.0.2 over a DSSE envelope records the digest of the PAE', () => {
    const bundle = conformanceBundle('rekor2-dsse-happy-path');
    const env = bundle.dsseEnvelope;
    const pae = preAuthEncoding(env.payloadType, b64(env.payload));
    const b = parseEntryBody(bodyOf(bundle), 'hashedrekord', '0.0.2');
    expect(b.digest).toEqual({ algorithm: 'sha256', value: sha('sha256', pae) });
    const facts = dsseFacts({ signature: b64(env.signatures[0].sig), verifier: { type: 'certificate', der: leafOf(bundle) }, digest: b.digest, payload: b64(env.payload) });
    expect(() => checkBodyBinding(b, facts)).not.toThrow();
    expectCode(() => checkBodyBinding(b, { ...facts, digest: { algorithm: 'sha256', value: sha('sha256', b64(env.payload)) } }), 'TLOG_BODY', 'tlog.body.digest');
  });
});

describe('parseEntryBody: synthetic bodies of every supported kind', () => {
  it('parses each kind with the same recorded signature and verifier', () => {
    const docs = [synthetic.hashedrekordV1(), synthetic.dsseV1(), synthetic.intotoV2(), synthetic.hashedrekordV2(), synthetic.dsseV2()];
    expect(docs.map((d) => `${d.kind}/${d.apiVersion}`).sort()).toEqual([...SUPPORTED_ENTRY_KINDS].sort());
    for (const d of docs) {
      const b = parse(d);
      expect(b.kind).toBe(d.kind);
      expect(b.version).toBe(d.apiVersion);
      expect(b.rekorV2).toBe(d.apiVersion === '0.0.2' && d.kind !== 'intoto');
      expect(b.signatures).toEqual([{ signature: sig, verifier: { type: 'certificate', der: leaf } }]);
    }
    expect(parse(synthetic.intotoV2()).payload).toEqual(payload);
    expect(parse(synthetic.intotoV2({ payload: null })).payload).toBeUndefined();
  });

  it('reads public keys from PEM (v1) and from a Verifier message (v2)', () => {
    const key = newKey().spki;
    expect(parse(synthetic.hashedrekordV1({ pk: pemB64(key, 'PUBLIC KEY') })).signatures[0]!.verifier).toEqual({ type: 'publicKey', der: key });
    const v2 = parse(synthetic.dsseV2({ publicKey: { rawBytes: toB64(key) }, keyDetails: 'PKIX_ECDSA_P256_SHA_256' }));
    expect(v2.signatures[0]!.verifier).toEqual({ type: 'publicKey', der: key });
  });
});

describe('parseEntryBody: rejections', () => {
  it('rejects unsupported kinds and versions with UNSUPPORTED, before parsing', () => {
    for (const [kind, version] of [
      ['rekord', '0.0.1'],
      ['hashedrekord', '0.0.3'],
      ['intoto', '0.0.1'],
      ['dsse', '0.0.3'],
      ['helm', '0.0.1'],
      ['HashedRekord', '0.0.1'],
      ['', ''],
    ] as const) {
      const e = expectCode(() => parseEntryBody(new Uint8Array([0xff]), kind, version), 'UNSUPPORTED', 'tlog.body.kind');
      expect(e.actual).toBe(`${kind}/${version}`);
    }
  });

  it("rejects a body whose kind or apiVersion differs from the entry's kindVersion", () => {
    const body = enc(synthetic.hashedrekordV1());
    const e = expectCode(() => parseEntryBody(body, 'dsse', '0.0.1'), 'TLOG_BODY', SHAPE);
    expect(e.expected).toBe('dsse/0.0.1');
    expect(e.actual).toBe('hashedrekord/0.0.1');
    const v = expectCode(() => parseEntryBody(body, 'hashedrekord', '0.0.2'), 'TLOG_BODY', SHAPE);
    expect(v.actual).toBe('hashedrekord/0.0.1');
    expectCode(() => parseEntryBody(bodyOf(vectorBundle('happy-path-dsse')), 'intoto', '0.0.2'), 'TLOG_BODY', SHAPE);
  });

  it('rejects bodies that are not UTF-8 JSON objects', () => {
    expectCode(() => parseEntryBody(new Uint8Array([0x7b, 0xff, 0x7d]), 'dsse', '0.0.1'), 'TLOG_BODY', 'tlog.body');
    expectCode(() => parseEntryBody(new TextEncoder().encode('{"kind":"dsse"'), 'dsse', '0.0.1'), 'TLOG_BODY', 'tlog.body');
    expectCode(() => parseEntryBody(new TextEncoder().encode('{"kind":"dsse","kind":"dsse"}'), 'dsse', '0.0.1'), 'TLOG_BODY', 'tlog.body');
    expectCode(() => parseEntryBody(new TextEncoder().encode('[]'), 'dsse', '0.0.1'), 'TLOG_BODY', SHAPE);
  });

  it('rejects unknown fields and missing fields in each kind', () => {
    const edits: [() => Json, (d: Json) => void][] = [
      [synthetic.hashedrekordV1, (d) => (d.extra = 1)],
      [synthetic.hashedrekordV1, (d) => (d.spec.extra = 1)],
      [synthetic.hashedrekordV1, (d) => (d.spec.data.hash.extra = 1)],
      [synthetic.hashedrekordV1, (d) => delete d.spec.signature],
      [synthetic.hashedrekordV1, (d) => delete d.spec.data.hash],
      [synthetic.dsseV1, (d) => (d.spec.signatures[0].extra = 1)],
      [synthetic.dsseV1, (d) => delete d.spec.payloadHash],
      [synthetic.intotoV2, (d) => (d.spec.content.envelope.extra = 1)],
      [synthetic.intotoV2, (d) => delete d.spec.content.payloadHash],
      [synthetic.hashedrekordV2, (d) => (d.spec.hashedRekordV002.signature.verifier.extra = 1)],
      [synthetic.hashedrekordV2, (d) => delete d.spec.hashedRekordV002.data],
      [synthetic.dsseV2, (d) => (d.spec.dsseV002.extra = 1)],
      [synthetic.dsseV2, (d) => delete d.spec.dsseV002.signatures],
    ];
    for (const [make, edit] of edits) {
      const d = make();
      edit(d);
      badBody(d);
    }
  });

  it('rejects unsupported or malformed digests', () => {
    badBody(synthetic.hashedrekordV1({ alg: 'sha1' }), /unsupported/);
    badBody(synthetic.hashedrekordV1({ alg: 'SHA256' }), /unsupported/);
    badBody(synthetic.hashedrekordV1({ digestHex: hex(artifactDigest).toUpperCase() }));
    badBody(synthetic.hashedrekordV1({ digestHex: 'abc' }));
    badBody(synthetic.hashedrekordV1({ digestHex: `0x${hex(artifactDigest)}` }));
    const v2 = synthetic.hashedrekordV2();
    v2.spec.hashedRekordV002.data.algorithm = 'sha256';
    badBody(v2, /unsupported/);
    const v2b = synthetic.dsseV2();
    v2b.spec.dsseV002.payloadHash.digest = 'A';
    badBody(v2b);
  });

  it('rejects v1 verifiers that are not base64 PEM certificates or public keys', () => {
    const notPem = Buffer.from('hello').toString('base64');
    badBody(synthetic.hashedrekordV1({ pk: notPem }), /PEM/);
    badBody(synthetic.hashedrekordV1({ pk: pemB64(newKey().spki, 'EC PRIVATE KEY') }), /PEM/);
    badBody(synthetic.hashedrekordV1({ pk: 'not base64!' }));
    badBody(synthetic.hashedrekordV1({ pk: Buffer.from([0xff, 0xfe]).toString('base64') }));
    const truncated = Buffer.from(pem(leaf, 'CERTIFICATE').replace('-----END CERTIFICATE-----\n', '')).toString('base64');
    badBody(synthetic.hashedrekordV1({ pk: truncated }));
  });

  it('rejects v2 verifiers with both or neither of publicKey and x509Certificate', () => {
    badBody(synthetic.hashedrekordV2({ publicKey: { rawBytes: 'AA==' }, x509Certificate: { rawBytes: toB64(leaf) } }), /exactly one/);
    badBody(synthetic.hashedrekordV2({ keyDetails: 'PKIX_ECDSA_P256_SHA_256' }), /exactly one/);
    badBody(synthetic.dsseV2({}), /exactly one/);
  });

  it('rejects intoto values that are not base64 of base64', () => {
    const d = synthetic.intotoV2();
    d.spec.content.envelope.signatures[0].sig = Buffer.from([0xff, 0x00]).toString('base64');
    badBody(d, /base64/);
    const p = synthetic.intotoV2();
    p.spec.content.envelope.payload = Buffer.from('not base64!').toString('base64');
    badBody(p);
  });

  it('bounds the number of recorded signatures with LIMIT', () => {
    const many = synthetic.dsseV1(Array.from({ length: 17 }, () => ({ signature: toB64(sig), verifier: pemB64(leaf) })));
    expectCode(() => parse(many), 'LIMIT', 'tlog.body.limit');
  });
});

describe('checkBodyBinding', () => {
  const hr = parse(synthetic.hashedrekordV1());
  const ds = parse(synthetic.dsseV1());

  it('passes when every recorded field matches, and checks the digest only when the bundle knows it', () => {
    expect(() => checkBodyBinding(hr, messageFacts())).not.toThrow();
    expect(() => checkBodyBinding(ds, dsseFacts())).not.toThrow();
    expect(() => checkBodyBinding(hr, messageFacts({ digest: undefined }))).not.toThrow();
    expect(() => checkBodyBinding(parse(synthetic.hashedrekordV2()), dsseFacts({ digest: { algorithm: 'sha256', value: artifactDigest } }))).not.toThrow();
  });

  it('rejects an entry kind that cannot log this content', () => {
    expectCode(() => checkBodyBinding(ds, messageFacts()), 'TLOG_BODY', 'tlog.body.kind');
    expectCode(() => checkBodyBinding(parse(synthetic.intotoV2()), messageFacts()), 'TLOG_BODY', 'tlog.body.kind');
    expectCode(() => checkBodyBinding(parse(synthetic.dsseV2()), messageFacts()), 'TLOG_BODY', 'tlog.body.kind');
    // hashedrekord/0.0.1 never logs a DSSE envelope; only 0.0.2 may (over the PAE).
    expectCode(() => checkBodyBinding(hr, dsseFacts()), 'TLOG_BODY', 'tlog.body.kind');
  });

  it('rejects a different signature, and any count other than one', () => {
    expectCode(() => checkBodyBinding(hr, messageFacts({ signature: flip(sig) })), 'TLOG_BODY', 'tlog.body.signature');
    expectCode(() => checkBodyBinding(hr, messageFacts({ signature: sig.subarray(1) })), 'TLOG_BODY', 'tlog.body.signature');
    const two = parse(synthetic.dsseV1([{ signature: toB64(sig), verifier: pemB64(leaf) }, { signature: toB64(sig), verifier: pemB64(leaf) }]));
    expectCode(() => checkBodyBinding(two, dsseFacts()), 'TLOG_BODY', 'tlog.body.signature');
    const none = parse(synthetic.dsseV1([]));
    expectCode(() => checkBodyBinding(none, dsseFacts()), 'TLOG_BODY', 'tlog.body.signature');
  });

  it('rejects a different certificate, a key instead of a certificate, and a different key', () => {
    expectCode(() => checkBodyBinding(hr, messageFacts({ verifier: { type: 'certificate', der: otherLeaf } })), 'TLOG_BODY', 'tlog.body.verifier');
    expectCode(() => checkBodyBinding(hr, messageFacts({ verifier: { type: 'publicKey', der: leaf } })), 'TLOG_BODY', 'tlog.body.verifier');
    const key = newKey().spki;
    const keyed = parse(synthetic.hashedrekordV1({ pk: pemB64(key, 'PUBLIC KEY') }));
    expect(() => checkBodyBinding(keyed, messageFacts({ verifier: { type: 'publicKey', der: key } }))).not.toThrow();
    expectCode(() => checkBodyBinding(keyed, messageFacts({ verifier: { type: 'publicKey', der: newKey().spki } })), 'TLOG_BODY', 'tlog.body.verifier');
  });

  it('rejects a different digest value or algorithm', () => {
    expectCode(() => checkBodyBinding(hr, messageFacts({ digest: { algorithm: 'sha256', value: flip(artifactDigest) } })), 'TLOG_BODY', 'tlog.body.digest');
    const e = expectCode(() => checkBodyBinding(hr, messageFacts({ digest: { algorithm: 'sha384', value: artifactDigest } })), 'TLOG_BODY', 'tlog.body.digest');
    expect(e.expected).toBe('sha384');
    expect(e.actual).toBe('sha256');
    expectCode(() => checkBodyBinding(ds, dsseFacts({ digest: { algorithm: 'sha256', value: artifactDigest } })), 'TLOG_BODY', 'tlog.body.digest');
  });

  it('rejects a different payload when the body records one', () => {
    const it2 = parse(synthetic.intotoV2());
    expect(() => checkBodyBinding(it2, dsseFacts())).not.toThrow();
    expectCode(() => checkBodyBinding(it2, dsseFacts({ payload: flip(payload) })), 'TLOG_BODY', 'tlog.body.payload');
    // A body without a payload binds through its digest only.
    expect(() => checkBodyBinding(parse(synthetic.intotoV2({ payload: null })), dsseFacts({ payload: flip(payload) }))).not.toThrow();
  });

  it('rejects the real tampered test vector (body records a different key)', () => {
    const bundle = vectorBundle('tlog-body-different-key_fail');
    const b = parseEntryBody(bodyOf(bundle), 'hashedrekord', '0.0.1');
    const facts = messageFacts({ signature: b64(bundle.messageSignature.signature), verifier: { type: 'certificate', der: leafOf(bundle) }, digest: b.digest });
    expectCode(() => checkBodyBinding(b, facts), 'TLOG_BODY', 'tlog.body.verifier');
  });
});
