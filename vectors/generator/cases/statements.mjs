// The in-toto statement inside a validly signed and logged DSSE envelope:
// each case breaks one rule of the statement format (encoding, JSON, shape,
// _type, subject, digest, predicateType, predicate), so only the statement
// parser can refuse it. Every envelope is signed over its PAE by the
// certificate's key and logged as a dsse 0.0.1 entry; the artifact is the
// statement's subject wherever a subject can be read at all.

import { defineCase } from '../case.mjs';
import { sha256, toHex, inTotoStatement, signingKey, pae, b64 } from '../instance.mjs';
import { artifactFor } from '../client.mjs';

const enc = (s) => new TextEncoder().encode(s);

/** The statement a case signs, naming the case's artifact, with `edit` applied. */
function statementFor(name, edit = (s) => s) {
  return edit(inTotoStatement('artifact', toHex(sha256(artifactFor(name)))));
}

const jsonBytes = (v) => enc(JSON.stringify(v));

/** A DSSE case whose payload is `payload(name)` (bytes). */
function statementCase({ name, check, readme, payload, sigstoreJs }) {
  return defineCase({
    name,
    code: 'DSSE',
    check,
    family: 'dsse',
    readme,
    sigstoreJs,
    sign: { content: 'dsse', payload: payload(name) },
  });
}

export default [
  statementCase({
    name: 'dsse-statement-not-utf8_fail',
    sigstoreJs: {
      verdict: 'pass',
      why: "@sigstore/verify never parses a DSSE payload, so nothing reads the statement at all.",
    },
    check: 'intoto.statement.utf8',
    readme:
      "The DSSE payload is the in-toto statement naming the artifact, except that one byte of the predicate's text is 0xFF, which is never valid UTF-8. Envelope signature (over the PAE of these exact bytes), log entry, certificate and identity are valid. JSON text must be UTF-8 (RFC 8259 §8.1); a decoder that replaces the byte with U+FFFD reads a document that was never signed.",
    payload: (name) => {
      const text = JSON.stringify(statementFor(name, (s) => ({ ...s, predicate: { note: 'PLACEHOLDER' } })));
      const [before, after] = text.split('PLACEHOLDER');
      return new Uint8Array([...enc(before), 0xff, ...enc(after)]);
    },
  }),
  statementCase({
    name: 'dsse-statement-duplicate-key_fail',
    sigstoreJs: {
      verdict: 'pass',
      why: "@sigstore/verify never parses a DSSE payload, so nothing reads the statement at all.",
    },
    check: 'intoto.statement.json',
    readme:
      'The DSSE payload has the member "subject" twice: first a subject with the SHA-256 of another file, then the artifact\'s. Everything is validly signed and logged. JSON with duplicate member names has no agreed meaning (RFC 8259 §4): a parser keeping the last one sees the artifact, one keeping the first sees another file, so the statement must be refused.',
    payload: (name) => {
      const s = statementFor(name);
      const decoy = [{ name: 'artifact', digest: { sha256: toHex(sha256(artifactFor('some other artifact'))) } }];
      const text = JSON.stringify(s).replace('"subject":', `"subject":${JSON.stringify(decoy)},"subject":`);
      return enc(text);
    },
  }),
  statementCase({
    name: 'dsse-statement-not-an-object_fail',
    sigstoreJs: {
      verdict: 'pass',
      why: "@sigstore/verify never parses a DSSE payload, so nothing reads the statement at all.",
    },
    check: 'intoto.statement.shape',
    readme:
      'The DSSE payload (type application/vnd.in-toto+json) is a JSON array holding the statement that names the artifact, not the statement object itself. Envelope signature, log entry and certificate are valid. An in-toto statement is a JSON object; a verifier must not look inside other values for one.',
    payload: (name) => jsonBytes([statementFor(name)]),
  }),
  statementCase({
    name: 'dsse-statement-unknown-type_fail',
    sigstoreJs: {
      verdict: 'pass',
      why: "@sigstore/verify never parses a DSSE payload, so nothing reads the statement at all.",
    },
    check: 'intoto.statement.type',
    readme:
      'The statement names the artifact but its _type is https://in-toto.io/Statement/v9, a version that does not exist. Everything is validly signed and logged. A verifier must not guess the rules of a statement version it does not know.',
    payload: (name) => jsonBytes(statementFor(name, (s) => ({ ...s, _type: 'https://in-toto.io/Statement/v9' }))),
  }),
  statementCase({
    name: 'dsse-statement-subject-not-an-array_fail',
    sigstoreJs: {
      verdict: 'pass',
      why: "@sigstore/verify never parses a DSSE payload, so nothing reads the statement at all.",
    },
    check: 'intoto.statement.subject',
    readme:
      'The statement\'s subject is a single ResourceDescriptor object naming the artifact instead of an array of them. Everything is validly signed and logged. in-toto Statement v1: subject is a list; a verifier that accepts either form reads documents other tools reject.',
    payload: (name) => jsonBytes(statementFor(name, (s) => ({ ...s, subject: s.subject[0] }))),
  }),
  statementCase({
    name: 'dsse-statement-digest-upper-case_fail',
    sigstoreJs: {
      verdict: 'pass',
      why: "@sigstore/verify never parses a DSSE payload, so nothing reads the statement at all.",
    },
    check: 'intoto.statement.digest',
    readme:
      "The statement's only subject carries the artifact's SHA-256 in upper-case hex. Everything is validly signed and logged. in-toto DigestSet: standard algorithms use lower-case hex; a digest in another spelling is malformed, and a verifier comparing case-insensitively accepts two spellings of one statement.",
    payload: (name) => jsonBytes(statementFor(name, (s) => ({ ...s, subject: [{ name: 'artifact', digest: { sha256: s.subject[0].digest.sha256.toUpperCase() } }] }))),
  }),
  statementCase({
    name: 'dsse-statement-without-predicate-type_fail',
    sigstoreJs: {
      verdict: 'pass',
      why: "@sigstore/verify never parses a DSSE payload, so nothing reads the statement at all.",
    },
    check: 'intoto.statement.predicate_type',
    readme:
      "The statement names the artifact and carries a predicate, but no predicateType. Everything is validly signed and logged. in-toto Statement v1 requires predicateType: without it nobody can say what the signer attested.",
    payload: (name) =>
      jsonBytes(
        statementFor(name, (s) => {
          const { predicateType: _omitted, ...rest } = s;
          return rest;
        }),
      ),
  }),
  statementCase({
    name: 'dsse-statement-predicate-is-a-string_fail',
    sigstoreJs: {
      verdict: 'pass',
      why: "@sigstore/verify never parses a DSSE payload, so nothing reads the statement at all.",
    },
    check: 'intoto.statement.predicate',
    readme:
      'The statement names the artifact, but its predicate is a JSON string holding the predicate object\'s JSON text (encoded twice). Everything is validly signed and logged. A predicate is a JSON object; a verifier must not decode strings as documents.',
    payload: (name) => jsonBytes(statementFor(name, (s) => ({ ...s, predicate: JSON.stringify(s.predicate) }))),
  }),
  defineCase({
    name: 'dsse-two-signatures_fail',
    code: 'BUNDLE_FORMAT',
    check: 'bundle.shape',
    family: 'dsse',
    readme:
      "The bundle's DSSE envelope carries the certificate key's valid signature over the PAE and, after it, a second valid signature by another key. The log entry records the first. protobuf-specs: a bundle's envelope holds exactly one signature (the one the verification material is for); a second signature from an unidentified key must not ride along.",
    sign: { content: 'dsse' },
    bundle: (inst, s) => ({
      edit: (b) => {
        const other = signingKey(inst.seed, 'dsse-second-signer', 'p256');
        b.dsseEnvelope = { ...b.dsseEnvelope, signatures: [...b.dsseEnvelope.signatures, { sig: b64(other.sign(pae(s.content.payloadType, s.content.payload))) }] };
      },
    }),
  }),
];
