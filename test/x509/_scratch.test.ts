import * as x509 from '@peculiar/x509';
import { it } from 'vitest'; it('x', async () => {
x509.cryptoProvider.set(globalThis.crypto);
const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
const keys = await crypto.subtle.generateKey(alg, true, ['sign', 'verify']);
const ca = await x509.X509CertificateGenerator.createSelfSigned({
  serialNumber: '01', name: 'CN=Test CA, O=sigvet', notBefore: new Date('2025-01-01T00:00:00Z'), notAfter: new Date('2027-01-01T00:00:00Z'),
  keys, signingAlgorithm: alg,
  extensions: [new x509.BasicConstraintsExtension(true, 1, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
   await x509.SubjectKeyIdentifierExtension.create(keys.publicKey)],
});
const lk = await crypto.subtle.generateKey(alg, true, ['sign', 'verify']);
const leaf = await x509.X509CertificateGenerator.create({
  serialNumber: '7f01', subject: '', issuer: ca.subject, notBefore: new Date('2026-01-01T00:00:00Z'), notAfter: new Date('2026-01-01T00:10:00Z'),
  publicKey: lk.publicKey, signingKey: keys.privateKey, signingAlgorithm: alg,
  extensions: [new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true), new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.codeSigning]),
   new x509.SubjectAlternativeNameExtension([{ type: 'url', value: 'https://example.com/x' }], true),
   await x509.AuthorityKeyIdentifierExtension.create(keys.publicKey)],
});
const { parseCertificate } = await import('../../src/x509/certificate.js');
for (const c of [ca, leaf]) {
  const p = parseCertificate(new Uint8Array(c.rawData));
  console.log(p.version, p.extensions.map(e => e.oid + (e.critical ? '!' : '')), p.basicConstraints, p.keyUsage, p.extKeyUsage, p.subjectAltNames, new Date(p.notAfter));
}
});
