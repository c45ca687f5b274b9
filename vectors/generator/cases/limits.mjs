// Hard limits: input a verifier must refuse before it does unbounded work.
// Each case is valid in every other respect and exceeds exactly one of
// sigvet's caps by one unit (the cap values are sigvet's defaults, listed in
// test-vectors/README.md); without the cap it would verify. The caps are
// sigvet's choices, not Sigstore rules, so these cases carry the tag
// `sigvet-cap`: another verifier may have other caps, and filter them out.

import { defineCase } from '../case.mjs';
import {
  TimestampAuthority,
  Witness,
  NOW_MS,
  SECOND,
  INSTANCE_VALID_FROM,
  INSTANCE_VALID_TO,
  BUNDLE_V01,
  EcKey,
  sha256,
  toHex,
  inTotoStatement,
  tsaJson,
  trustedLogJson,
  CtLog,
} from '../instance.mjs';
import { artifactFor } from '../client.mjs';
import { extension, name, tbsCertificate, signCertificate } from '../x509.mjs';
import { seq, set, oid, utf8, nul, octets } from '../der.mjs';

const enc = (s) => new TextEncoder().encode(s);
const TAGS = ['sigvet-cap'];
/** When the TSA answers for a signing at NOW. */
const TSA_TIME = NOW_MS + 2 * SECOND;

/** A non-critical extension under a private arc that no verifier interprets. */
const privateExtension = (n, value = nul()) => extension(`1.3.6.1.4.1.57264.99.${n}`, false, value);

/** The artifact's statement with `edit` applied, as payload bytes. */
const statementPayload = (caseName, edit) => enc(JSON.stringify(edit(inTotoStatement('artifact', toHex(sha256(artifactFor(caseName)))))));

/** 32 CT logs besides the instance's (keys derived from their labels, so every call gives the same logs). */
function extraCtLogs(inst) {
  return Array.from({ length: 32 }, (_, i) => {
    const log = new CtLog(inst.seed, `ctfe-many-${i}`);
    log.baseUrl = `https://ctfe-many-${i}.sigvet.test`;
    return log;
  });
}

function limitCase(spec) {
  return defineCase({ family: 'limits', code: 'LIMIT', tags: TAGS, ...spec });
}

export default [
  limitCase({
    name: 'bundle-too-many-tlog-entries_fail',
    sigstoreJs: {
      verdict: 'pass',
      why: "@sigstore/verify has no cap on the number of log entries.",
    },
    check: 'limit.tlogEntries',
    readme:
      "The bundle's tlogEntries holds 33 copies of its one valid Rekor v2 entry (hashedrekord 0.0.2, inclusion proof, checkpoint), with an RFC 3161 timestamp for the time. Each copy verifies, and entries from one log count once, so without a cap the bundle verifies; sigvet refuses more than 32 entries (limits.tlogEntries) before verifying any, since each costs signature checks.",
    sign: { tlog: 'v2' },
    bundle: () => ({
      edit: (b, e) => {
        b.verificationMaterial.tlogEntries = Array.from({ length: 33 }, () => e);
      },
    }),
  }),
  limitCase({
    name: 'bundle-too-many-timestamps_fail',
    sigstoreJs: {
      verdict: 'pass',
      why: "@sigstore/verify has no cap on the number of timestamps.",
    },
    check: 'limit.timestamps',
    readme:
      "The bundle carries 33 valid RFC 3161 timestamps over its signature, each from a different timestamp authority listed in the case's trusted root (so none is a duplicate), plus a valid Rekor v1 entry. Without a cap it verifies; sigvet refuses more than 32 timestamps (limits.timestamps) before verifying any.",
    prepare: (inst, s) => {
      const tsas = Array.from(
        { length: 33 },
        (_, i) =>
          new TimestampAuthority(inst.seed, `tsa-many-${i}`, {
            uri: `https://tsa-many-${i}.sigvet.test/api/v1/timestamp`,
            organization: 'sigvet.test',
            commonName: `tsa-many-${i}`,
            notBefore: INSTANCE_VALID_FROM,
            notAfter: INSTANCE_VALID_TO,
          }),
      );
      return { tsas, timestamps: tsas.map((t) => t.timestamp(s.content.signature, TSA_TIME)) };
    },
    bundle: (inst, s, extra) => ({ timestamps: extra.timestamps }),
    trustedRoot: (root, inst, s, extra) => {
      root.timestampAuthorities = [...root.timestampAuthorities, ...extra.tsas.map((t) => tsaJson(t))];
      return root;
    },
  }),
  limitCase({
    name: 'bundle-v0.1-chain-too-long_fail',
    sigstoreJs: {
      verdict: 'pass',
      why: "@sigstore/verify has no cap on the bundle's certificate chain (it uses only the leaf).",
    },
    check: 'limit.chainCertificates',
    readme:
      "A v0.1 bundle whose x509CertificateChain holds the valid leaf, the trusted intermediate and root, and the root eight more times: 11 certificates. A verifier anchors in the trusted root and ignores the bundle's copies, so without a cap it verifies; sigvet refuses chains of more than 10 certificates (limits.chainCertificates) before parsing them.",
    bundle: (inst, s) => ({ mediaType: BUNDLE_V01, material: 'chain', inclusionProof: false, chainExtra: [s.ca.intermediate, ...Array(9).fill(s.ca.root)] }),
  }),
  limitCase({
    name: 'leaf-larger-than-64-kib_fail',
    sigstoreJs: {
      verdict: 'pass',
      why: "@sigstore/verify has no cap on certificate size.",
    },
    check: 'limit.certificateBytes',
    readme:
      'The trusted CA issued the leaf with an extra non-critical extension (a private OID no verifier interprets) holding 65,000 zero bytes, so the certificate is just over 64 KiB. The certificate, its SCT, the log entry and the signature are all valid; sigvet refuses certificates over 64 KiB (limits.certificateBytes) before parsing them. Fulcio certificates are about 1 KiB.',
    sign: { leaf: { extraExtensions: [privateExtension(10, octets(new Uint8Array(65000)))] } },
  }),
  limitCase({
    name: 'leaf-too-many-extensions_fail',
    sigstoreJs: {
      verdict: 'pass',
      why: "@sigstore/verify has no cap on the number of certificate extensions.",
    },
    check: 'x509.extensions',
    readme:
      "The trusted CA issued the leaf with enough extra non-critical extensions (private OIDs no verifier interprets, each an ASN.1 NULL) that it carries 65 extensions in all. Everything is valid; sigvet's certificate parser refuses more than 64 extensions.",
    sign: {
      leaf: {
        // The SCT list is added after this edit: 65 in all.
        mapExtensions: (list) => [...list, ...Array.from({ length: 64 - list.length }, (_, i) => privateExtension(100 + i))],
      },
    },
  }),
  limitCase({
    name: 'leaf-subject-nested-too-deep_fail',
    sigstoreJs: {
      verdict: 'pass',
      why: "@sigstore/core's ASN.1 parser has no nesting cap.",
    },
    check: 'der.depth',
    readme:
      "The trusted CA issued the leaf with a subject whose one attribute value is a UTF8String wrapped in 30 nested SEQUENCEs, so the certificate nests 35 DER levels deep. Fulcio leaves have an empty subject and nothing reads this one; everything is valid. sigvet's DER reader refuses nesting deeper than 32 levels (Sigstore structures need fewer than 16).",
    sign: () => {
      let value = utf8('deep');
      for (let i = 0; i < 30; i++) value = seq(value);
      return { leaf: { subject: seq(set(seq(oid('2.5.4.3'), value))) } };
    },
  }),
  limitCase({
    name: 'sct-list-too-long_fail',
    sigstoreJs: {
      verdict: 'pass',
      why: "@sigstore/verify has no cap on the number of SCTs (it refuses only two from one log).",
    },
    check: 'limit.scts',
    readme:
      "The leaf carries 33 valid SCTs, one from each of 33 CT logs that the case's trusted root lists (the instance's log and 32 more); the CA signed the certificate with that list. Each verifies and each log is distinct, so without a cap it verifies; sigvet refuses more than 32 SCTs (limits.scts). Fulcio embeds one.",
    sign: (inst) => ({ leaf: { extraCtLogs: extraCtLogs(inst) } }),
    trustedRoot: (root, inst) => {
      root.ctlogs = [...root.ctlogs, ...extraCtLogs(inst).map((l) => trustedLogJson(l))];
      return root;
    },
  }),
  limitCase({
    name: 'checkpoint-too-many-signature-lines_fail',
    sigstoreJs: {
      verdict: 'pass',
      why: "@sigstore/verify collects every signature line of a checkpoint with a regular expression, with no count cap.",
    },
    check: 'limit.checkpointSignatures',
    readme:
      "The Rekor v1 checkpoint carries the log's valid signature and, after it, valid cosignatures from 100 witnesses the trusted root does not know (unknown signers are ignored): 101 signature lines. Without a cap it verifies; sigvet refuses notes with more than 100 signature lines (limits.checkpointSignatures), the cap Go's note package uses.",
    bundle: (inst, s) => ({
      checkpoint: s.log.checkpoint({
        cosigners: Array.from({ length: 100 }, (_, i) => ({ witness: new Witness(inst.seed, `witness-${i}.sigvet.test/many`), time: NOW_MS / SECOND + 60 })),
      }),
    }),
  }),
  limitCase({
    name: 'checkpoint-too-many-text-lines_fail',
    sigstoreJs: {
      verdict: 'pass',
      why: "@sigstore/verify keeps a checkpoint's extension lines without a count cap.",
    },
    check: 'limit.checkpointBodyLines',
    readme:
      'The Rekor v1 checkpoint text has its origin, size and root hash and then 30 extension lines (opaque to verifiers), 33 lines in all, validly signed by the log. Without a cap it verifies; sigvet refuses checkpoint texts of more than 32 lines (limits.checkpointBodyLines). Real checkpoints have 3 or 4.',
    bundle: (inst, s) => ({ checkpoint: s.log.checkpoint({ extensions: Array.from({ length: 30 }, (_, i) => `sigvet-extension ${i}`) }) }),
  }),
  limitCase({
    name: 'checkpoint-larger-than-256-kib_fail',
    sigstoreJs: {
      verdict: 'pass',
      why: "@sigstore/verify has no cap on checkpoint size.",
    },
    check: 'limit.checkpointBytes',
    readme:
      "The Rekor v1 checkpoint text has one extension line of 262,144 characters after its origin, size and root hash, validly signed by the log, so the note is just over 256 KiB. Extension lines are opaque, so without a cap it verifies; sigvet refuses notes over 256 KiB (limits.checkpointBytes). Real checkpoints are under 1 KiB.",
    bundle: (inst, s) => ({ checkpoint: s.log.checkpoint({ extensions: [`x${'0'.repeat(262143)}`] }) }),
  }),
  limitCase({
    name: 'dsse-statement-too-many-subjects_fail',
    sigstoreJs: {
      verdict: 'pass',
      why: "@sigstore/verify never parses a DSSE payload, so no statement cap applies.",
    },
    check: 'limit.subjects',
    readme:
      "The in-toto statement in the validly signed and logged DSSE envelope has 1,025 subjects: 1,024 other files, then the artifact. Without a cap it verifies (the artifact is a subject); sigvet refuses more than 1,024 subjects (limits.subjects), sigstore-go's cap.",
    sign: (inst) => {
      const caseName = 'dsse-statement-too-many-subjects_fail';
      const others = Array.from({ length: 1024 }, (_, i) => ({ name: `other-${i}`, digest: { sha256: toHex(sha256(enc(`other file ${i}`))) } }));
      return { content: 'dsse', payload: statementPayload(caseName, (s) => ({ ...s, subject: [...others, ...s.subject] })) };
    },
  }),
  limitCase({
    name: 'dsse-subject-too-many-digests_fail',
    sigstoreJs: {
      verdict: 'pass',
      why: "@sigstore/verify never parses a DSSE payload, so no statement cap applies.",
    },
    check: 'limit.digestsPerSubject',
    readme:
      "The in-toto statement's only subject has 33 digests: the artifact's SHA-256 and 32 more under algorithm names no verifier knows. Everything is validly signed and logged and the SHA-256 matches; sigvet refuses more than 32 digests per subject (limits.digestsPerSubject).",
    sign: () => {
      const extra = Object.fromEntries(Array.from({ length: 32 }, (_, i) => [`x-sigvet-${i}`, toHex(sha256(enc(`digest ${i}`)))]));
      return {
        content: 'dsse',
        payload: statementPayload('dsse-subject-too-many-digests_fail', (s) => ({ ...s, subject: [{ name: 'artifact', digest: { ...s.subject[0].digest, ...extra } }] })),
      };
    },
  }),
  limitCase({
    name: 'dsse-predicate-nested-too-deep_fail',
    sigstoreJs: {
      verdict: 'pass',
      why: "@sigstore/verify never parses a DSSE payload, so no statement cap applies.",
    },
    check: 'limit.jsonDepth',
    readme:
      "The in-toto statement names the artifact; its predicate holds a value nested in 80 JSON arrays. Everything is validly signed and logged, and nothing reads the predicate; sigvet's JSON parser refuses nesting deeper than 64 levels (limits.jsonDepth) as it descends.",
    sign: () => {
      let deep = 'deep';
      for (let i = 0; i < 80; i++) deep = [deep];
      return { content: 'dsse', payload: statementPayload('dsse-predicate-nested-too-deep_fail', (s) => ({ ...s, predicate: { deep } })) };
    },
  }),
  limitCase({
    name: 'timestamp-token-too-large_fail',
    sigstoreJs: {
      verdict: 'pass',
      why: "@sigstore/verify has no cap on timestamp size, and @sigstore/core never reads SignedData.certificates.",
    },
    check: 'timestamp.size',
    readme:
      "The RFC 3161 token from the trusted TSA covers the signature and embeds, besides nothing else, one unrelated certificate (not the TSA's, so verifiers ignore it) of about 63 KiB: the TimeStampResp is just over 64 KiB. Without a cap it verifies; sigvet refuses tokens over 64 KiB before parsing them.",
    sign: (inst) => {
      const key = new EcKey(inst.seed, 'unrelated-bulky-certificate', 'P-256');
      const subject = name({ organization: 'sigvet.test', commonName: 'unrelated-bulky' });
      const bulky = signCertificate(
        tbsCertificate({
          serial: 7n,
          sigAlgId: key.sigAlgId,
          issuer: subject,
          notBefore: INSTANCE_VALID_FROM,
          notAfter: INSTANCE_VALID_TO,
          subject,
          spki: key.spki,
          extensions: [privateExtension(11, octets(new Uint8Array(64800)))],
        }),
        key,
      );
      return { tlog: 'v2', tsa: { embedCertificates: [bulky] } };
    },
  }),
  limitCase({
    name: 'timestamp-too-many-embedded-certificates_fail',
    sigstoreJs: {
      verdict: 'pass',
      why: "@sigstore/core never reads SignedData.certificates, so their number does not matter.",
    },
    check: 'timestamp.certificates',
    readme:
      "The RFC 3161 token from the trusted TSA covers the signature and embeds the TSA's own certificate 11 times (each copy equals the trusted one). Without a cap it verifies; sigvet refuses tokens embedding more than 10 certificates.",
    sign: (inst) => ({ tlog: 'v2', tsa: { embedCertificates: Array(11).fill(inst.tsa.leaf) } }),
  }),
  limitCase({
    name: 'trust-root-too-many-tlogs_fail',
    sigstoreJs: {
      verdict: 'pass',
      why: "@sigstore/verify has no cap on the number of logs in a trusted root.",
    },
    check: 'trust_root.limit',
    readme:
      "The trusted root lists 65 transparency logs: the instance's three, then the Rekor v1 log 62 more times (same key, same ID, so not inconsistent). The bundle is valid; sigvet refuses trusted roots listing more than 64 logs of one kind.",
    trustedRoot: (root) => {
      root.tlogs = [...root.tlogs, ...Array(62).fill(root.tlogs[0])];
      return root;
    },
  }),
];
