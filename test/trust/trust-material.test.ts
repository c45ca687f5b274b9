import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseTrustedRoot } from '../../src/trust/trusted-root.js';
import { createHash } from 'node:crypto';
import { buildTrustMaterial, importDetailedKey } from '../../src/trust/trust-material.js';

/** C2SP signed-note Ed25519 key id, computed here independently: SHA-256(name ‖ 0x0A ‖ 0x01 ‖ key). */
function c2spEd25519KeyId(name: string, spki: Uint8Array): Uint8Array {
  const h = createHash('sha256').update(name).update(Uint8Array.of(0x0a, 0x01)).update(spki.subarray(spki.length - 32)).digest();
  return new Uint8Array(h);
}
import { PUBLIC_GOOD_TRUSTED_ROOT_JSON } from '../../src/trust/public-good-root.js';
import { nodeCryptoProvider } from '../../src/crypto/node.js';
import { toHex } from '../../src/encoding/hex.js';
import { expectRejects } from '../encoding/expect-error.js';
import { clone, conformanceTrustedRoot, haveConformance, warnIfNoConformance, type Json } from '../bundle/data.js';
import { Ext, OIDS, T0, makeCertificate, makeIntermediateCa, makeLeaf, makeRootCa, name, newKey, trustedRootJson, type AuthoritySpec, type LogSpec } from '../x509/pki.js';

warnIfNoConformance('trust material tests');

const provider = nodeCryptoProvider;
const build = (doc: Json): ReturnType<typeof buildTrustMaterial> => buildTrustMaterial(parseTrustedRoot(doc), provider);
const sha256 = (b: Uint8Array): Uint8Array => new Uint8Array(crypto.createHash('sha256').update(b).digest());

const root = makeRootCa({ cn: 'root', pathLen: 1 });
const intermediate = makeIntermediateCa(root, { cn: 'intermediate', pathLen: 0 });
const tlogKey = newKey();

describe('buildTrustMaterial: logs', () => {
  it('imports ECDSA logs, indexes them by log id and derives the host', async () => {
    const tm = await build(trustedRootJson({ tlogs: [{ baseUrl: 'https://rekor.test:8443/api', spki: tlogKey.spki }] }));
    expect(tm.tlogs).toHaveLength(1);
    const log = tm.tlogs[0]!;
    expect(log.host).toBe('rekor.test:8443');
    expect(log.logIdHex).toBe(toHex(sha256(tlogKey.spki)));
    expect(tm.tlogsById.get(log.logIdHex)).toEqual([log]);
    expect(log.scheme).toEqual({ kind: 'ecdsa', hash: 'sha256' });
    expect(tm.unusableLogs).toEqual([]);
  });

  it('rejects a log id that does not match the key, with TRUST_ROOT at build time', async () => {
    const doc = trustedRootJson({ tlogs: [{ baseUrl: 'https://rekor.test', spki: tlogKey.spki, logId: sha256(newKey().spki) }] });
    expect(() => parseTrustedRoot(doc)).not.toThrow();
    const e = await expectRejects(build(doc), 'TRUST_ROOT', 'trust.log.id');
    expect(e.expected).toBe(toHex(sha256(tlogKey.spki)));
    // Same for CT logs.
    const ct = trustedRootJson({ ctlogs: [{ baseUrl: 'https://ct.test', spki: tlogKey.spki, logId: new Uint8Array(32) }] });
    await expectRejects(build(ct), 'TRUST_ROOT', 'trust.log.id');
  });

  it('accepts an Ed25519 log by its C2SP key id over the host name, and rejects any other id', async () => {
    const { publicKey } = crypto.generateKeyPairSync('ed25519');
    const spki = new Uint8Array(publicKey.export({ type: 'spki', format: 'der' }));
    const spec = (logId: Uint8Array): LogSpec => ({ baseUrl: 'https://log2025.rekor.test', spki, keyDetails: 'PKIX_ED25519', logId });
    const c2sp = c2spEd25519KeyId('log2025.rekor.test', spki);
    // Independent computation: SHA-256(name ‖ "\n" ‖ 0x01 ‖ raw key).
    expect(c2sp).toEqual(sha256(Buffer.concat([Buffer.from('log2025.rekor.test\n'), Buffer.of(1), Buffer.from(spki.subarray(12))])));
    expect((await build(trustedRootJson({ tlogs: [spec(c2sp)] }))).tlogs).toHaveLength(1);
    expect((await build(trustedRootJson({ tlogs: [spec(sha256(spki))] }))).tlogs).toHaveLength(1);
    await expectRejects(build(trustedRootJson({ tlogs: [spec(c2spEd25519KeyId('other.test', spki))] })), 'TRUST_ROOT', 'trust.log.id');
  });

  it('rejects a key that does not match its keyDetails', async () => {
    const doc = trustedRootJson({ tlogs: [{ baseUrl: 'https://rekor.test', spki: tlogKey.spki, keyDetails: 'PKIX_ECDSA_P384_SHA_384' }] });
    const e = await expectRejects(build(doc), 'TRUST_ROOT', 'key.details');
    expect(e.expected).toBe('PKIX_ECDSA_P384_SHA_384');
    const garbage = trustedRootJson({ tlogs: [{ baseUrl: 'https://rekor.test', spki: Uint8Array.of(0x30, 0x00) }] });
    await expectRejects(build(garbage), 'TRUST_ROOT', 'key.spki');
  });

  it('rejects a baseUrl it cannot take a host from', async () => {
    for (const url of ['rekor.test', 'ftp://rekor.test', 'https://', 'https://user@rekor.test', 'https://re kor.test']) {
      await expectRejects(build(trustedRootJson({ tlogs: [{ baseUrl: url, spki: tlogKey.spki }] })), 'TRUST_ROOT', 'trust.log.url');
    }
  });

  it('lists a deprecated PKCS1_RSA_PKCS1V5 ctlog (and unknown key details) as unusable instead of failing', async () => {
    const rsa = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pkcs1 = new Uint8Array(rsa.publicKey.export({ type: 'pkcs1', format: 'der' }));
    const doc = trustedRootJson({
      tlogs: [{ baseUrl: 'https://rekor.test', spki: tlogKey.spki }],
      ctlogs: [
        { baseUrl: 'https://ctfe.old.test', spki: pkcs1, keyDetails: 'PKCS1_RSA_PKCS1V5', logId: sha256(pkcs1) },
        { baseUrl: 'https://ctfe.future.test', spki: tlogKey.spki, keyDetails: 'ML_DSA_65' },
        { baseUrl: 'https://ctfe.test', spki: tlogKey.spki },
      ],
    });
    const tm = await build(doc);
    expect(tm.unusableLogs.map((l) => l.baseUrl)).toEqual(['https://ctfe.old.test', 'https://ctfe.future.test']);
    expect(tm.unusableLogs[0]!.reason).toContain('PKCS1_RSA_PKCS1V5');
    expect(tm.ctlogs.map((l) => l.log.baseUrl)).toEqual(['https://ctfe.test']);
    expect(tm.tlogs).toHaveLength(1);
  });

  it('importDetailedKey raises UNSUPPORTED for unknown details and the given code for mismatches', async () => {
    await expectRejects(importDetailedKey(provider, tlogKey.spki, 'PKIX_DSA', 'k', 'KEY'), 'UNSUPPORTED', 'key.details');
    await expectRejects(importDetailedKey(provider, tlogKey.spki, 'PKIX_ED25519', 'k', 'KEY'), 'KEY', 'key.details');
    const ok = await importDetailedKey(provider, tlogKey.spki, 'PKIX_ECDSA_P256_SHA_256', 'k', 'KEY');
    expect(ok.key.type).toBe('ec-p256');
  });
});

describe('buildTrustMaterial: certificate authorities', () => {
  const ca = (spec: AuthoritySpec): Promise<unknown> => build(trustedRootJson({ cas: [spec] }));

  it('accepts a valid intermediate → root chain and a bare root', async () => {
    const tm = await build(trustedRootJson({ cas: [{ chain: [intermediate.cert, root.cert] }, { chain: [root.cert] }] }));
    expect(tm.certificateAuthorities).toHaveLength(2);
    expect(tm.certificateAuthorities[0]!.keys.map((k) => toHex(k.spki))).toEqual([toHex(intermediate.key.spki), toHex(root.key.spki)]);
  });

  it('rejects a chain whose certificate is not signed by the next one', async () => {
    const other = makeRootCa({ cn: 'other' });
    await expectRejects(ca({ chain: [intermediate.cert, other.cert] }), 'TRUST_ROOT', 'trust.authority.chain');
    // Same name as the real root, different key: only the signature tells them apart.
    const impostor = makeRootCa({ cn: 'root' });
    await expectRejects(ca({ chain: [intermediate.cert, impostor.cert] }), 'TRUST_ROOT', 'trust.authority.chain');
    // Order reversed.
    await expectRejects(ca({ chain: [root.cert, intermediate.cert] }), 'TRUST_ROOT', 'trust.authority.chain');
  });

  it('rejects a non-CA certificate as issuer or as the issuing CA', async () => {
    const nonCaRoot = makeRootCa({ cn: 'not a ca', ca: false });
    const child = makeIntermediateCa(nonCaRoot, { cn: 'child' });
    await expectRejects(ca({ chain: [child.cert, nonCaRoot.cert] }), 'TRUST_ROOT', 'trust.authority.chain');
    const leaf = makeLeaf(intermediate).der;
    await expectRejects(ca({ chain: [leaf, intermediate.cert, root.cert] }), 'TRUST_ROOT', 'trust.authority.chain');
    await expectRejects(ca({ chain: [leaf] }), 'TRUST_ROOT', 'trust.authority.chain');
  });

  it('enforces path length constraints: a pathLen 0 root may not have an intermediate below it', async () => {
    const strictRoot = makeRootCa({ cn: 'strict root', pathLen: 0 });
    const inter = makeIntermediateCa(strictRoot, { cn: 'inter' });
    await expectRejects(ca({ chain: [inter.cert, strictRoot.cert] }), 'TRUST_ROOT', 'trust.authority.chain');
    // pathLen 1 allows exactly one intermediate; two need pathLen 2.
    const r1 = makeRootCa({ cn: 'r1', pathLen: 1 });
    const i1 = makeIntermediateCa(r1, { cn: 'i1' });
    const i2 = makeIntermediateCa(i1, { cn: 'i2' });
    await expect(ca({ chain: [i1.cert, r1.cert] })).resolves.toBeDefined();
    await expectRejects(ca({ chain: [i2.cert, i1.cert, r1.cert] }), 'TRUST_ROOT', 'trust.authority.chain');
    const r2 = makeRootCa({ cn: 'r2', pathLen: 2 });
    const j1 = makeIntermediateCa(r2, { cn: 'j1', pathLen: 0 });
    const j2 = makeIntermediateCa(j1, { cn: 'j2' });
    // j1 (pathLen 0) has j2, a CA, below it.
    await expectRejects(ca({ chain: [j2.cert, j1.cert, r2.cert] }), 'TRUST_ROOT', 'trust.authority.chain');
  });

  it('allows a TSA chain that starts with the end-entity TSA certificate under a pathLen 0 root', async () => {
    const tsaRoot = makeRootCa({ cn: 'tsa root', pathLen: 0 });
    const tsaKey = newKey();
    const tsaLeaf = makeCertificate({
      issuer: tsaRoot.name,
      subject: name('tsa'),
      notBefore: T0,
      notAfter: T0 + 86_400_000,
      spki: tsaKey.spki,
      signingKey: tsaRoot.key.privateKey,
      extensions: [Ext.eku([OIDS.timeStamping], true), Ext.keyUsage({ digitalSignature: true })],
    });
    const tm = await build(trustedRootJson({ tsas: [{ chain: [tsaLeaf, tsaRoot.cert] }] }));
    expect(tm.timestampAuthorities).toHaveLength(1);
    // The same end-entity chain is not a certificate authority.
    await expectRejects(ca({ chain: [tsaLeaf, tsaRoot.cert] }), 'TRUST_ROOT', 'trust.authority.chain');
  });
});

describe('the embedded public-good trusted root', () => {
  it('loads and builds: Rekor v1 and v2 logs, CT logs, Fulcio CAs and a TSA', async () => {
    const root = parseTrustedRoot(PUBLIC_GOOD_TRUSTED_ROOT_JSON);
    const tm = await buildTrustMaterial(root, provider);
    expect(tm.tlogs.length).toBeGreaterThanOrEqual(1);
    expect(tm.ctlogs.length).toBeGreaterThanOrEqual(1);
    expect(tm.certificateAuthorities.length).toBeGreaterThanOrEqual(1);
    expect(tm.timestampAuthorities.length).toBeGreaterThanOrEqual(1);
    expect(tm.tlogs.map((l) => l.host)).toContain('rekor.sigstore.dev');
    expect(tm.unusableLogs).toEqual([]);
    // Every log id is the key's id (SHA-256 of the SPKI, or the C2SP id for Ed25519).
    for (const l of [...tm.tlogs, ...tm.ctlogs]) {
      const ok = toHex(sha256(l.log.publicKey)) === l.logIdHex || toHex(c2spEd25519KeyId(l.host, l.log.publicKey)) === l.logIdHex;
      expect(ok, l.log.baseUrl).toBe(true);
    }
  });
});

describe.skipIf(!haveConformance)('conformance trusted roots', () => {
  it('builds the public-good root from the conformance data', async () => {
    const tm = await build(JSON.parse(conformanceTrustedRoot()));
    expect(tm.certificateAuthorities.length).toBeGreaterThan(0);
  });

  it('lists the deprecated ctlog of the managed-key root as unusable', async () => {
    const doc = JSON.parse(conformanceTrustedRoot('managed-key-and-trusted-root'));
    const deprecated = (doc.ctlogs as Json[]).filter((l) => l.publicKey.keyDetails === 'PKCS1_RSA_PKCS1V5').map((l) => l.baseUrl);
    expect(deprecated.length).toBeGreaterThan(0);
    const tm = await build(clone(doc));
    for (const url of deprecated) expect(tm.unusableLogs.map((l) => l.baseUrl)).toContain(url);
  });
});
