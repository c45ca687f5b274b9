// What was signed: message signatures over the artifact, and DSSE envelopes
// carrying in-toto statements whose subject must be the artifact.

import { defineCase } from '../case.mjs';
import { flipLastBit, b64 } from '../instance.mjs';
import { artifactFor } from '../client.mjs';

const enc = (s) => new TextEncoder().encode(s);

export default [
  defineCase({
    name: 'happy-path-dsse',
    family: 'dsse',
    readme:
      'A v0.3 bundle carrying a DSSE envelope with an in-toto v1 statement whose subject is the artifact, logged in Rekor v1 as a dsse 0.0.1 entry. Verification must succeed.',
    sign: { content: 'dsse' },
  }),
  defineCase({
    name: 'happy-path-intoto-entry',
    family: 'dsse',
    readme:
      'A DSSE envelope with an in-toto statement logged in Rekor v1 as an intoto 0.0.2 entry (payload and signature stored base64-encoded twice, as Rekor does). Verification must succeed.',
    sign: { content: 'dsse', tlog: 'v1-intoto' },
  }),
  defineCase({
    name: 'dsse-subject-mismatch_fail',
    sigstoreJs: {
      verdict: 'pass',
      why: '@sigstore/verify does not match a DSSE payload against the artifact: checking the in-toto subject is left to the caller.',
    },
    code: 'SUBJECT',
    check: 'subject.digest',
    family: 'dsse',
    readme:
      "The in-toto statement's only subject has the SHA-256 of another file. Envelope signature, log entry, certificate and identity are all valid: the attestation is genuine but about something else, so the artifact does not match any subject.",
    sign: { content: 'dsse', subjectDigestOf: artifactFor('some other artifact') },
  }),
  defineCase({
    name: 'dsse-signature-not-over-pae_fail',
    code: 'SIGNATURE',
    check: 'signature.dsse',
    family: 'dsse',
    readme:
      'The signer signed the raw payload instead of its DSSE pre-authentication encoding (PAE). The log recorded exactly that envelope and signature, so only the DSSE signature check (which must be over PAE(payloadType, payload)) fails.',
    sign: { content: 'dsse', signedBytes: (_pae, payload) => payload },
  }),
  defineCase({
    name: 'dsse-payload-not-in-toto_fail',
    sigstoreJs: {
      verdict: 'pass',
      why: '@sigstore/verify does not bind a DSSE payload to the artifact at all, whatever its payload type.',
    },
    code: 'SUBJECT',
    check: 'subject.payload_type',
    family: 'dsse',
    readme:
      'A validly signed and logged DSSE envelope whose payload type is application/json, not an in-toto statement. Such a payload names no subject, so nothing binds it to the artifact; the verifier must not report the artifact as verified.',
    sign: { content: 'dsse', payloadType: 'application/json', payload: enc('{"note":"not an in-toto statement"}') },
  }),
  defineCase({
    name: 'message-signature-invalid_fail',
    code: 'SIGNATURE',
    check: 'signature.message',
    family: 'signature',
    readme:
      "The certificate's key signed other bytes than the artifact; the bundle's messageDigest is the artifact's SHA-256 and the log entry records this digest and this signature. Only the signature check over the artifact fails.",
    sign: { signedBytes: () => enc('not the artifact\n') },
  }),
  defineCase({
    name: 'artifact-mismatch_fail',
    code: 'SIGNATURE',
    check: 'signature.message_digest',
    family: 'signature',
    readme:
      'The bundle is valid for a different artifact: the artifact file differs from the signed content in its letter case. The digest of the given artifact matches neither messageDigest nor the signature.',
    output: (inst, s) => ({ artifact: enc(new TextDecoder().decode(s.artifact).toUpperCase()) }),
  }),
  defineCase({
    name: 'message-digest-mismatch_fail',
    code: 'SIGNATURE',
    check: 'signature.message_digest',
    family: 'signature',
    readme:
      "The bundle's messageSignature.messageDigest has one bit flipped; signature, artifact and log entry are genuine. The digest the bundle claims is not the artifact's, and a verifier must compare it rather than ignore it.",
    bundle: (inst, s) => ({
      edit: (b) => {
        b.messageSignature.messageDigest.digest = b64(flipLastBit(s.content.digest));
      },
    }),
  }),
];
