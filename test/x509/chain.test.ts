import { describe, expect, it } from 'vitest';
import { parseCertificate, type Certificate } from '../../src/x509/certificate.js';
import { checkLeafProfile, leafIdentity, verifyLeafChain } from '../../src/x509/chain.js';
import { fulcioExtensions, fulcioIssuer } from '../../src/x509/fulcio.js';
import { parseTrustedRoot } from '../../src/trust/trusted-root.js';
import { buildTrustMaterial, type TrustMaterial } from '../../src/trust/trust-material.js';
import { nodeCryptoProvider } from '../../src/crypto/node.js';
import { expectCode, expectRejects } from '../encoding/expect-error.js';
import {
  Ext,
  LEAF_NOT_AFTER,
  OIDS,
  T0,
  TEST_IDENTITY,
  TEST_ISSUER,
  extension,
  iso,
  makeIntermediateCa,
  makeLeaf,
  makeRootCa,
  nul,
  octets,
  seq,
  trustedRootJson,
  utf8Str,
  type AuthoritySpec,
  type TestCa,
} from './pki.js';

const provider = nodeCryptoProvider;

async function material(cas: AuthoritySpec[]): Promise<TrustMaterial> {
  return buildTrustMaterial(parseTrustedRoot(trustedRootJson({ cas })), provider);
}

/** A leaf with the default Fulcio profile, with `edit` applied to its extension list. */
function leafWith(ca: TestCa, edit: (d: Uint8Array[]) => Uint8Array[]): Certificate {
  return parseCertificate(makeLeaf(ca, { extensions: edit }).der);
}

const root = makeRootCa({ cn: 'root', pathLen: 1 });
const intermediate = makeIntermediateCa(root, { cn: 'intermediate', pathLen: 0 });
const isKu = (e: Uint8Array): boolean => Buffer.from(e).includes(Buffer.from([0x55, 0x1d, 0x0f]));
const isEku = (e: Uint8Array): boolean => Buffer.from(e).includes(Buffer.from([0x55, 0x1d, 0x25]));
const isSan = (e: Uint8Array): boolean => Buffer.from(e).includes(Buffer.from([0x55, 0x1d, 0x11]));

describe('checkLeafProfile', () => {
  it('accepts the Fulcio profile, with or without key usage', () => {
    expect(() => checkLeafProfile(leafWith(intermediate, (d) => d))).not.toThrow();
    expect(() => checkLeafProfile(leafWith(intermediate, (d) => d.filter((e) => !isKu(e))))).not.toThrow();
    // Other EKUs next to code signing are fine.
    expect(() => checkLeafProfile(leafWith(intermediate, (d) => [...d.filter((e) => !isEku(e)), Ext.eku([OIDS.timeStamping, OIDS.codeSigning])]))).not.toThrow();
  });

  it('rejects a CA certificate', () => {
    const leaf = leafWith(intermediate, (d) => [...d, Ext.basicConstraints(true)]);
    expectCode(() => checkLeafProfile(leaf), 'CERTIFICATE', 'certificate.ca');
    // cA absent (a non-CA basicConstraints) is fine.
    expect(() => checkLeafProfile(leafWith(intermediate, (d) => [...d, Ext.basicConstraints(false)]))).not.toThrow();
  });

  it('rejects a leaf without the code-signing EKU, or without any EKU', () => {
    expectCode(() => checkLeafProfile(leafWith(intermediate, (d) => d.filter((e) => !isEku(e)))), 'CERTIFICATE', 'certificate.eku');
    expectCode(
      () => checkLeafProfile(leafWith(intermediate, (d) => [...d.filter((e) => !isEku(e)), Ext.eku([OIDS.timeStamping])])),
      'CERTIFICATE',
      'certificate.eku',
    );
  });

  it('rejects key usage without digitalSignature', () => {
    const leaf = leafWith(intermediate, (d) => [...d.filter((e) => !isKu(e)), Ext.keyUsage({ keyCertSign: true })]);
    expectCode(() => checkLeafProfile(leaf), 'CERTIFICATE', 'certificate.key_usage');
    const none = leafWith(intermediate, (d) => [...d.filter((e) => !isKu(e)), Ext.keyUsage({})]);
    expectCode(() => checkLeafProfile(none), 'CERTIFICATE', 'certificate.key_usage');
  });

  it('rejects an unknown critical extension, but not an unknown non-critical one', () => {
    const crit = leafWith(intermediate, (d) => [...d, extension('1.2.3.4.5', true, nul())]);
    const e = expectCode(() => checkLeafProfile(crit), 'CERTIFICATE', 'certificate.critical_extension');
    expect(e.message).toContain('1.2.3.4.5');
    expect(() => checkLeafProfile(leafWith(intermediate, (d) => [...d, extension('1.2.3.4.5', false, nul())]))).not.toThrow();
    // A Fulcio extension marked critical is not "handled" either.
    const fulcioCrit = leafWith(intermediate, (d) => [...d, extension(OIDS.fulcio(9), true, utf8Str('x'))]);
    expectCode(() => checkLeafProfile(fulcioCrit), 'CERTIFICATE', 'certificate.critical_extension');
  });

  it('rejects a precertificate (CT poison)', () => {
    expectCode(() => checkLeafProfile(leafWith(intermediate, (d) => [...d, Ext.poison()])), 'CERTIFICATE', 'certificate.precert');
  });

  it('reports malformed profile extensions as CERTIFICATE', () => {
    // cA FALSE written out explicitly is not DER.
    const explicitFalse = leafWith(intermediate, (d) => [...d, extension(OIDS.basicConstraints, true, seq(Uint8Array.of(0x01, 0x01, 0x00)))]);
    expectCode(() => checkLeafProfile(explicitFalse), 'CERTIFICATE', 'certificate.extension');
    const badKu = leafWith(intermediate, (d) => [...d.filter((e) => !isKu(e)), extension(OIDS.keyUsage, true, octets(Uint8Array.of(1)))]);
    expectCode(() => checkLeafProfile(badKu), 'CERTIFICATE', 'certificate.extension');
    const emptyEku = leafWith(intermediate, (d) => [...d.filter((e) => !isEku(e)), extension(OIDS.extKeyUsage, false, seq())]);
    expectCode(() => checkLeafProfile(emptyEku), 'CERTIFICATE', 'certificate.extension');
  });
});

describe('leafIdentity', () => {
  const withSan = (names: Parameters<typeof Ext.san>[0]): Certificate =>
    leafWith(intermediate, (d) => [...d.filter((e) => !isSan(e)), Ext.san(names)]);

  it('returns the single URI, email or Fulcio username SAN', () => {
    expect(leafIdentity(leafWith(intermediate, (d) => d))).toEqual({ type: 'uri', value: TEST_IDENTITY });
    expect(leafIdentity(withSan([{ email: 'a@example.com' }]))).toEqual({ type: 'email', value: 'a@example.com' });
    expect(leafIdentity(withSan([{ otherName: { oid: '1.3.6.1.4.1.57264.1.7', value: 'alice!example.com' } }]))).toEqual({
      type: 'username',
      value: 'alice!example.com',
    });
    // DNS names and other otherNames are not identities, so they do not count.
    expect(leafIdentity(withSan([{ dns: 'example.com' }, { uri: 'https://x' }, { otherName: { oid: '1.2.3', value: 'v' } }]))).toEqual({
      type: 'uri',
      value: 'https://x',
    });
  });

  it('rejects a leaf with no SAN, or with no identity SAN', () => {
    expectCode(() => leafIdentity(leafWith(intermediate, (d) => d.filter((e) => !isSan(e)))), 'CERTIFICATE', 'certificate.san');
    expectCode(() => leafIdentity(withSan([{ dns: 'example.com' }])), 'CERTIFICATE', 'certificate.san');
  });

  it('rejects two identity SANs, of the same or different types', () => {
    expectCode(() => leafIdentity(withSan([{ uri: 'https://a' }, { uri: 'https://b' }])), 'CERTIFICATE', 'certificate.san');
    expectCode(() => leafIdentity(withSan([{ uri: 'https://a' }, { email: 'a@example.com' }])), 'CERTIFICATE', 'certificate.san');
    expectCode(() => leafIdentity(withSan([{ uri: 'https://a' }, { uri: 'https://a' }])), 'CERTIFICATE', 'certificate.san');
  });

  it('reports a malformed SAN as CERTIFICATE', () => {
    const bad = leafWith(intermediate, (d) => [...d.filter((e) => !isSan(e)), extension(OIDS.subjectAltName, true, seq())]);
    expectCode(() => leafIdentity(bad), 'CERTIFICATE', 'certificate.san');
  });
});

describe('Fulcio extensions', () => {
  const isIssuerExt = (e: Uint8Array): boolean => {
    const s = Buffer.from(e);
    return s.includes(Buffer.from([0x83, 0xbf, 0x30, 0x01, 0x01])) || s.includes(Buffer.from([0x83, 0xbf, 0x30, 0x01, 0x08]));
  };
  const issuers = (v1?: string | Uint8Array, v2?: string): Certificate =>
    leafWith(intermediate, (d) => [
      ...d.filter((e) => !isIssuerExt(e)),
      ...(v1 === undefined ? [] : [Ext.fulcioV1(1, v1)]),
      ...(v2 === undefined ? [] : [Ext.fulcioV2(8, v2)]),
    ]);

  it('takes the issuer from v2, else v1; both must agree when present', () => {
    expect(fulcioIssuer(fulcioExtensions(issuers(TEST_ISSUER, TEST_ISSUER)))).toBe(TEST_ISSUER);
    expect(fulcioIssuer(fulcioExtensions(issuers(undefined, 'https://v2')))).toBe('https://v2');
    expect(fulcioIssuer(fulcioExtensions(issuers('https://v1', undefined)))).toBe('https://v1');
    expect(fulcioIssuer(fulcioExtensions(issuers()))).toBeUndefined();
  });

  it('rejects disagreeing v1 and v2 issuers, with expected (v2) and actual (v1)', () => {
    const e = expectCode(() => fulcioIssuer(fulcioExtensions(issuers('https://evil', TEST_ISSUER))), 'CERTIFICATE', 'x509.fulcio.issuer');
    expect(e.expected).toBe(TEST_ISSUER);
    expect(e.actual).toBe('https://evil');
    // Differing only by a trailing slash or case is still a disagreement.
    expectCode(() => fulcioIssuer(fulcioExtensions(issuers(`${TEST_ISSUER}/`, TEST_ISSUER))), 'CERTIFICATE', 'x509.fulcio.issuer');
  });

  it('rejects a v1 value that is not UTF-8 and a v2 value that is not a UTF8String', () => {
    expectCode(() => fulcioExtensions(issuers(Uint8Array.of(0xff, 0xfe), undefined)), 'CERTIFICATE', 'x509.fulcio');
    const ia5 = leafWith(intermediate, (d) => [...d, extension(OIDS.fulcio(9), false, Uint8Array.of(0x16, 0x01, 0x61))]);
    expectCode(() => fulcioExtensions(ia5), 'PARSE', 'der');
    const badUtf8 = leafWith(intermediate, (d) => [...d, extension(OIDS.fulcio(9), false, Uint8Array.of(0x0c, 0x02, 0xc3, 0x28))]);
    expectCode(() => fulcioExtensions(badUtf8), 'CERTIFICATE', 'x509.fulcio');
  });

  it('reports unknown extensions under the arc by OID only, and skips the SAN type .7', () => {
    const leaf = leafWith(intermediate, (d) => [...d, Ext.fulcioV2(99, 'future'), Ext.fulcioV2(7, 'not an extension')]);
    const ext = fulcioExtensions(leaf);
    expect(ext.byOid['1.3.6.1.4.1.57264.1.99']).toBe('future');
    expect(ext.byOid['1.3.6.1.4.1.57264.1.7']).toBeUndefined();
    expect(Object.values(ext.byName)).not.toContain('future');
  });
});

describe('verifyLeafChain', () => {
  const caSpec = (extra: Partial<AuthoritySpec> = {}): AuthoritySpec => ({ chain: [intermediate.cert, root.cert], uri: 'https://fulcio.test', ...extra });

  it('accepts a leaf issued by the trusted CA, valid at every time', async () => {
    const tm = await material([caSpec()]);
    const leaf = parseCertificate(makeLeaf(intermediate).der);
    const ca = await verifyLeafChain(leaf, tm.certificateAuthorities, [T0, T0 + 60_000, LEAF_NOT_AFTER], provider);
    expect(ca).toBe(tm.certificateAuthorities[0]);
  });

  it('rejects a leaf signed by another CA with the same name and key id (signature check)', async () => {
    const tm = await material([caSpec()]);
    const rogue = { ...intermediate, key: { ...intermediate.key, privateKey: makeRootCa({ cn: 'x' }).key.privateKey } };
    const leaf = parseCertificate(makeLeaf(rogue).der);
    const e = await expectRejects(verifyLeafChain(leaf, tm.certificateAuthorities, [T0], provider), 'CERT_CHAIN', 'cert_chain.signature');
    expect(e.errors).toHaveLength(1);
  });

  it('rejects a leaf issued by an untrusted CA (no CA matches by name)', async () => {
    const tm = await material([caSpec()]);
    const other = makeIntermediateCa(makeRootCa({ cn: 'other root' }), { cn: 'other intermediate' });
    const leaf = parseCertificate(makeLeaf(other).der);
    await expectRejects(verifyLeafChain(leaf, tm.certificateAuthorities, [T0], provider), 'CERT_CHAIN', 'cert_chain.issuer');
    await expectRejects(verifyLeafChain(leaf, [], [T0], provider), 'CERT_CHAIN', 'cert_chain.issuer');
  });

  it('finds the right CA among several', async () => {
    const other = makeIntermediateCa(makeRootCa({ cn: 'other root' }), { cn: 'other intermediate' });
    const tm = await material([{ chain: [other.cert], uri: 'https://other' }, caSpec()]);
    const ca = await verifyLeafChain(parseCertificate(makeLeaf(intermediate).der), tm.certificateAuthorities, [T0], provider);
    expect(ca.authority.uri).toBe('https://fulcio.test');
  });

  it('rejects a time outside the leaf validity with TIME, stating the window', async () => {
    const tm = await material([caSpec()]);
    const leaf = parseCertificate(makeLeaf(intermediate).der);
    const e = await expectRejects(verifyLeafChain(leaf, tm.certificateAuthorities, [LEAF_NOT_AFTER + 1], provider), 'TIME', 'time.certificate');
    expect(e.expected).toBe(`${iso(T0)}..${iso(LEAF_NOT_AFTER)}`);
    expect(e.actual).toBe(iso(LEAF_NOT_AFTER + 1));
    await expectRejects(verifyLeafChain(leaf, tm.certificateAuthorities, [T0 - 1], provider), 'TIME', 'time.certificate');
    // Every time counts: one good time does not excuse a bad one.
    await expectRejects(verifyLeafChain(leaf, tm.certificateAuthorities, [T0, T0 - 1], provider), 'TIME', 'time.certificate');
  });

  it("treats the CA's validFor end as inclusive (end passes, end + 1 ms fails)", async () => {
    const end = T0 + 5 * 60_000;
    const tm = await material([caSpec({ start: iso(T0 - 60_000), end: iso(end) })]);
    const leaf = parseCertificate(makeLeaf(intermediate).der);
    await expect(verifyLeafChain(leaf, tm.certificateAuthorities, [end], provider)).resolves.toBeDefined();
    await expectRejects(verifyLeafChain(leaf, tm.certificateAuthorities, [end + 1], provider), 'TIME', 'time.ca');
    // And before the start.
    const tm2 = await material([caSpec({ start: iso(T0 + 1) })]);
    await expectRejects(verifyLeafChain(leaf, tm2.certificateAuthorities, [T0], provider), 'TIME', 'time.ca');
    await expect(verifyLeafChain(leaf, tm2.certificateAuthorities, [T0 + 1], provider)).resolves.toBeDefined();
  });

  it('rejects an intermediate expired at the verified time with CERT_CHAIN', async () => {
    const expiring = makeIntermediateCa(root, { cn: 'short-lived intermediate', notAfter: T0 + 60_000 });
    const tm = await material([{ chain: [expiring.cert, root.cert] }]);
    const leaf = parseCertificate(makeLeaf(expiring).der);
    await expect(verifyLeafChain(leaf, tm.certificateAuthorities, [T0 + 60_000], provider)).resolves.toBeDefined();
    const e = await expectRejects(verifyLeafChain(leaf, tm.certificateAuthorities, [T0 + 60_001], provider), 'CERT_CHAIN', 'cert_chain.validity');
    expect(e.message).toContain('CA certificate 0');
  });

  it('rejects a root expired at the verified time with CERT_CHAIN', async () => {
    const oldRoot = makeRootCa({ cn: 'old root', notAfter: T0 + 60_000 });
    const inter = makeIntermediateCa(oldRoot, { cn: 'inter' });
    const tm = await material([{ chain: [inter.cert, oldRoot.cert] }]);
    const leaf = parseCertificate(makeLeaf(inter).der);
    const e = await expectRejects(verifyLeafChain(leaf, tm.certificateAuthorities, [T0 + 120_000], provider), 'CERT_CHAIN', 'cert_chain.validity');
    expect(e.message).toContain('CA certificate 1');
  });

  it('rejects an issuing CA whose key usage lacks keyCertSign', async () => {
    const noSign = makeIntermediateCa(root, { cn: 'no keyCertSign', keyCertSign: false });
    const tm = await material([{ chain: [noSign.cert, root.cert] }]);
    const leaf = parseCertificate(makeLeaf(noSign).der);
    await expectRejects(verifyLeafChain(leaf, tm.certificateAuthorities, [T0], provider), 'CERT_CHAIN', 'cert_chain.key_usage');
  });
});
