// Managed (long-lived) keys of every type sigvet supports, as publicKey
// bundles verified with key.pub, on Rekor v1 and v2.

import { defineCase } from '../case.mjs';
import { signingKey, sha256, toPem, GITHUB_ISSUER, githubWorkflow } from '../instance.mjs';
import { concat, fromHex } from '../der.mjs';
import { artifactFor } from '../client.mjs';

/** A managed "key" whose SPKI and signatures a case chooses (for keys no honest signer has). */
function fixedKey({ spki, signature, kind = 'ecdsa', keyDetails }) {
  return { kind, keyDetails, spki, spkiSha256: sha256(spki), pem: toPem('PUBLIC KEY', spki), sign: () => signature };
}

/** Ed25519 SPKI prefix (RFC 8410): SEQUENCE { SEQUENCE { id-Ed25519 }, BIT STRING 33 bytes }. */
const ED25519_SPKI_PREFIX = fromHex('302a300506032b6570032100');

export default [
  defineCase({
    name: 'happy-path-managed-key',
    family: 'managed-key',
    readme:
      'A v0.3 bundle signed with a managed ECDSA P-256 key (verificationMaterial.publicKey.hint = base64 SHA-256 of the DER SubjectPublicKeyInfo, no certificate); the hashedrekord 0.0.1 entry records the PEM public key. Verify with key.pub: verification must succeed.',
    sign: { managed: true },
  }),
  defineCase({
    name: 'happy-path-managed-key-rsa',
    family: 'managed-key',
    readme:
      'A managed RSA-2048 key, RSASSA-PKCS1-v1_5 with SHA-256 over the artifact, logged as hashedrekord 0.0.1 with the PEM public key. Verify with key.pub: verification must succeed.',
    sign: { managed: true, keyKind: 'rsa' },
  }),
  defineCase({
    name: 'happy-path-managed-key-p384-dsse',
    sigstoreJs: {
      verdict: 'fail',
      why: "@sigstore/verify checks ECDSA signatures with Node's crypto.verify without a digest algorithm, i.e. with SHA-256 for every curve; a P-384 key signing with SHA-384 (PKIX_ECDSA_P384_SHA_384) is rejected.",
    },
    family: 'managed-key',
    readme:
      'A managed ECDSA P-384 key (ECDSA with SHA-384) signing an in-toto statement in a DSSE envelope, logged as dsse 0.0.1. DSSE is used because a P-384 message signature is over SHA-384 and cannot be checked from a SHA-256 artifact digest. Verification must succeed.',
    sign: { managed: true, keyKind: 'p384', content: 'dsse' },
  }),
  defineCase({
    name: 'happy-path-managed-key-ed25519-rekor2',
    family: 'managed-key',
    readme:
      'A managed Ed25519 key (pure Ed25519 over the PAE) signing an in-toto statement in a DSSE envelope, logged in the Rekor v2 log as dsse 0.0.2 (verifier: publicKey, keyDetails PKIX_ED25519) and timestamped by the TSA. DSSE because Rekor v1 hashedrekord cannot carry a pure Ed25519 signature over the artifact. Verification must succeed.',
    sign: { managed: true, keyKind: 'ed25519', content: 'dsse', tlog: 'v2' },
  }),
  defineCase({
    name: 'happy-path-managed-key-rsa-rekor2',
    family: 'managed-key',
    readme:
      'A managed RSA-2048 key signing the artifact, logged in the Rekor v2 log as hashedrekord 0.0.2 (verifier: publicKey, keyDetails PKIX_RSA_PKCS1V15_2048_SHA256) and timestamped by the TSA. Verification must succeed.',
    sign: { managed: true, keyKind: 'rsa', tlog: 'v2' },
  }),
  defineCase({
    name: 'managed-key-wrong-key_fail',
    code: 'SIGNATURE',
    check: 'signature.message',
    family: 'managed-key',
    readme:
      'A valid managed-key bundle, but key.pub is a different P-256 key than the one that signed. The signature does not verify with the key the caller trusts.',
    output: (inst) => ({ keyPem: signingKey(inst.seed, 'managed-key:another key', 'p256').pem }),
    sign: { managed: true },
  }),
  defineCase({
    name: 'managed-key-rsa-1024_fail',
    sigstoreJs: {
      verdict: 'pass',
      why: "@sigstore/verify uses whatever key the caller's key lookup returns (crypto.createPublicKey) and checks no key type or size.",
    },
    code: 'KEY',
    check: 'key.rsa',
    family: 'managed-key',
    readme:
      'A managed RSA key with a 1,024-bit modulus signed the artifact (RSASSA-PKCS1-v1_5, SHA-256); the signature, the hashedrekord 0.0.1 entry and key.pub all match. Sigstore accepts RSA keys of 2,048 bits and more (no PublicKeyDetails names a smaller one), and 1,024-bit RSA is too weak to rely on: the key must be refused.',
    sign: { managed: true, keyKind: 'rsa1024' },
  }),
  defineCase({
    name: 'managed-key-ed25519-small-order_fail',
    sigstoreJs: {
      verdict: 'pass',
      why: "@sigstore/verify checks the signature with Node's crypto.verify (OpenSSL), which accepts a small-order Ed25519 key and the signature R = identity, S = 0 for any message; nothing checks the key itself.",
    },
    code: 'KEY',
    check: 'key.ed25519',
    family: 'managed-key',
    readme:
      "key.pub is the Ed25519 identity point (order 1, encoded 01 00 … 00), and the DSSE signature is R = the identity, S = 0, which satisfies the verification equation [S]B = R + [k]A for every message: with a small-order key anyone can forge. The envelope, the Rekor v2 dsse 0.0.2 entry and the RFC 3161 timestamp all record this key and signature. A verifier must refuse small-order Ed25519 keys, whatever the signature.",
    sign: () => {
      const identityPoint = new Uint8Array(32);
      identityPoint[0] = 1;
      return {
        managed: true,
        keyKind: 'ed25519',
        content: 'dsse',
        tlog: 'v2',
        signerKey: fixedKey({ spki: concat(ED25519_SPKI_PREFIX, identityPoint), signature: concat(identityPoint, new Uint8Array(32)), kind: 'ed25519', keyDetails: 'PKIX_ED25519' }),
      };
    },
  }),
  defineCase({
    name: 'managed-key-point-not-on-curve_fail',
    code: 'KEY',
    check: 'key.import',
    family: 'managed-key',
    readme:
      "key.pub is a well-formed P-256 SubjectPublicKeyInfo whose point is a genuine key's point with its y coordinate changed by one, so it is not on the curve; the bundle's hint and the hashedrekord 0.0.1 entry record that key, with the genuine key's signature over the artifact. A point off the curve is not a public key (invalid-curve attacks use such points): a verifier must refuse it at import, not treat it as a key whose signature fails.",
    sign: (inst) => {
      const genuine = signingKey(inst.seed, 'managed-key:managed-key-point-not-on-curve_fail', 'p256');
      const spki = Uint8Array.from(genuine.spki);
      spki[spki.length - 1] ^= 0x01;
      return { managed: true, signerKey: fixedKey({ spki, signature: genuine.sign(artifactFor('managed-key-point-not-on-curve_fail')), keyDetails: 'PKIX_ECDSA_P256_SHA_256' }) };
    },
  }),
  defineCase({
    name: 'managed-key-file-holds-private-key_fail',
    sigstoreJs: {
      verdict: 'pass',
      why: "The key lookup passes key.pub to Node's crypto.createPublicKey (as @sigstore/verify's own keyLocator does with raw bytes), which derives the public key from a private-key PEM.",
    },
    code: 'KEY',
    check: 'key.pem',
    family: 'managed-key',
    readme:
      "A valid managed-key bundle (P-256, hashedrekord 0.0.1), but key.pub holds the signer's private key as PKCS#8 PEM (-----BEGIN PRIVATE KEY-----), from which the right public key could be derived. The verification key must be a PEM public key (SubjectPublicKeyInfo); a verifier that accepts a private key where a public one is expected invites the private key to be copied around as 'the key'.",
    sign: { managed: true },
    output: (inst, s) => ({ keyPem: s.signerKey.privatePem }),
  }),
  defineCase({
    name: 'managed-key-spki-trailing-byte_fail',
    sigstoreJs: {
      verdict: 'pass',
      why: "Node's crypto.createPublicKey, which the key lookup uses, decodes the SubjectPublicKeyInfo and ignores the byte after it.",
    },
    code: 'PARSE',
    check: 'key.spki',
    family: 'managed-key',
    readme:
      "A valid managed-key bundle (P-256, hashedrekord 0.0.1), but the SubjectPublicKeyInfo in key.pub is followed by one zero byte inside the PEM. The key is DER; bytes after it mean the file is not the key the bundle's hint and log entry name (their SPKI has no such byte), and a parser that stops at the first element reads a different file than the one given.",
    sign: { managed: true },
    output: (inst, s) => ({ keyPem: toPem('PUBLIC KEY', concat(s.signerKey.spki, Uint8Array.of(0))) }),
  }),
  defineCase({
    name: 'managed-key-bundle-with-identity_fail',
    code: 'KEY',
    check: 'key.missing',
    family: 'managed-key',
    readme:
      'A valid managed-key bundle (publicKey hint, no certificate), but the caller gives an expected certificate identity and issuer instead of a key. A managed-key bundle names no identity, so nothing the caller expects can be checked; a verifier must refuse rather than verify with the key the bundle points at.',
    sign: { managed: true },
    output: (inst) => ({ keyPem: undefined, identity: githubWorkflow(inst.seed).identity, issuer: GITHUB_ISSUER }),
  }),
  defineCase({
    name: 'certificate-bundle-with-key_fail',
    sigstoreJs: {
      verdict: 'pass',
      why: "@sigstore/verify verifies a certificate bundle from its certificate whatever key the caller supplies, and with a key and no identity policy nothing checks who signed.",
    },
    code: 'KEY',
    check: 'key.kind',
    family: 'managed-key',
    readme:
      "A valid certificate bundle, but the caller gives a key (key.pub is the certificate's own public key) instead of an expected identity. Verifying with the key alone would skip the certificate's chain, validity and identity; a verifier must refuse the mix rather than treat the certificate's key as a managed key.",
    output: (inst, s) => ({ keyPem: s.signerKey.pem, identity: undefined, issuer: undefined }),
  }),
];
