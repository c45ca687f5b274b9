// Managed (long-lived) keys of every type sigvet supports, as publicKey
// bundles verified with key.pub, on Rekor v1 and v2.

import { defineCase } from '../case.mjs';
import { signingKey } from '../instance.mjs';

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
];
