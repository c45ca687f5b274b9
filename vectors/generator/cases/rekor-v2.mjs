// Rekor v2: hashedrekord/dsse 0.0.2 entries, C2SP signed-note checkpoints
// signed with Ed25519 (or ECDSA) keys, witness cosignatures, no SET and no
// integrated time (the time comes from an RFC 3161 timestamp).

import { defineCase } from '../case.mjs';
import { Ed25519Key, NOW_MS, SECOND, rfc3339, sha256, b64 } from '../instance.mjs';

const WITNESS_TIME = NOW_MS / SECOND + 60;
const enc = (s) => new TextEncoder().encode(s);

export default [
  defineCase({
    name: 'happy-path-rekor2',
    family: 'rekor-v2',
    readme:
      'A message signature logged in the Rekor v2 log (Ed25519 key) as hashedrekord 0.0.2 (verifier: the X.509 certificate with keyDetails): no SET, no integrated time, an inclusion proof with a C2SP signed-note checkpoint whose origin is the log host, and an RFC 3161 timestamp for the time. Verification must succeed.',
    sign: { tlog: 'v2' },
  }),
  defineCase({
    name: 'happy-path-rekor2-dsse',
    family: 'rekor-v2',
    readme:
      'A DSSE envelope (in-toto statement) logged in the Rekor v2 log as dsse 0.0.2: payloadHash = SHA-256 of the payload, the signature and its certificate verifier. Timestamped by the TSA. Verification must succeed.',
    sign: { tlog: 'v2', content: 'dsse' },
  }),
  defineCase({
    name: 'happy-path-rekor2-dsse-as-hashedrekord',
    sigstoreJs: {
      verdict: 'fail',
      why: '@sigstore/verify compares a hashedrekord 0.0.2 digest with SHA-256 of the DSSE payload, not of the PAE, so it rejects DSSE envelopes that Rekor v2 logged as hashedrekord (it fails the official rekor2-dsse-happy-path conformance case the same way).',
    },
    family: 'rekor-v2',
    readme:
      'A DSSE envelope logged in the Rekor v2 log as hashedrekord 0.0.2 whose digest is SHA-256 of the PAE (what the signature covers), as Rekor v2 clients may log DSSE. Verification must succeed.',
    sign: { tlog: 'v2-hashedrekord', content: 'dsse' },
  }),
  defineCase({
    name: 'happy-path-rekor2-ecdsa-log',
    family: 'rekor-v2',
    readme:
      'A message signature in a Rekor v2 log with an ECDSA P-256 key: log ID and checkpoint key hint are SHA-256 of the DER SubjectPublicKeyInfo (C2SP signed-note, ECDSA). Verification must succeed.',
    sign: { tlog: 'v2-ecdsa' },
  }),
  defineCase({
    name: 'happy-path-rekor2-cosigned',
    family: 'checkpoint',
    readme:
      "The Rekor v2 checkpoint carries, after the log's signature, two witness cosignatures (C2SP tlog-cosignature v1, Ed25519, timestamped) from witnesses the trusted root does not list. Lines from unknown keys must be ignored. Verification must succeed.",
    sign: { tlog: 'v2' },
    bundle: (inst, s) => ({
      checkpoint: s.log.checkpoint({
        cosigners: [
          { witness: inst.witness, time: WITNESS_TIME },
          { witness: inst.witness2, time: WITNESS_TIME + 1 },
        ],
      }),
    }),
  }),
  defineCase({
    name: 'happy-path-rekor2-log-signature-not-first',
    family: 'checkpoint',
    readme:
      "The checkpoint's first signature line is a witness cosignature; the log's own signature comes second. A verifier must look for the log's line (name and key hint), not take the first one. Verification must succeed.",
    sign: { tlog: 'v2' },
    bundle: (inst, s) => ({ checkpoint: s.log.checkpoint({ cosigners: [{ witness: inst.witness, time: WITNESS_TIME, before: true }] }) }),
  }),
  defineCase({
    name: 'rekor2-no-timestamp_fail',
    code: 'TIME',
    check: 'time.none',
    family: 'rekor-v2',
    readme:
      'A valid Rekor v2 entry (hashedrekord 0.0.2, proof and checkpoint verify) but no RFC 3161 timestamp. Rekor v2 records no integrated time and signs no SET, so there is no verified time at which to check the certificate.',
    sign: { tlog: 'v2', tsa: false },
  }),
  defineCase({
    name: 'rekor2-checkpoint-cosignatures-only_fail',
    code: 'TLOG_CHECKPOINT',
    check: 'tlog.checkpoint.signature',
    family: 'checkpoint',
    readme:
      "The checkpoint (correct body) carries two valid witness cosignatures but no signature of the log itself. Witnesses the trusted root does not list vouch for nothing; without the log's signature the checkpoint is not verified.",
    sign: { tlog: 'v2' },
    bundle: (inst, s) => ({
      checkpoint: s.log.checkpoint({
        omitLogSignature: true,
        cosigners: [
          { witness: inst.witness, time: WITNESS_TIME },
          { witness: inst.witness2, time: WITNESS_TIME },
        ],
      }),
    }),
  }),
  defineCase({
    name: 'rekor2-checkpoint-wrong-origin_fail',
    sigstoreJs: {
      verdict: 'pass',
      why: "@sigstore/verify never checks the checkpoint's origin line.",
    },
    code: 'TLOG_CHECKPOINT',
    check: 'tlog.checkpoint.origin',
    family: 'checkpoint',
    readme:
      "The checkpoint's origin line names another log (log2026-9.rekor.sigvet.test) but the note is validly signed by the log's key, with the log's name and key hint, over the true size and root. Only the origin check catches it: a checkpoint for another origin proves nothing about this log.",
    sign: { tlog: 'v2' },
    bundle: (inst, s) => ({ checkpoint: s.log.checkpoint({ origin: 'log2026-9.rekor.sigvet.test' }) }),
  }),
  defineCase({
    name: 'rekor2-checkpoint-wrong-key-hint_fail',
    code: 'TLOG_CHECKPOINT',
    check: 'tlog.checkpoint.signature',
    family: 'checkpoint',
    readme:
      "The log's signature line has a valid Ed25519 signature but its key hint is SHA-256(SPKI)[:4] (the Rekor v1 / ECDSA rule) instead of the C2SP Ed25519 key ID SHA-256(name ‖ 0x0A ‖ 0x01 ‖ key)[:4]. A signed-note verifier selects signatures by name and key ID, so no line is from the log's key.",
    sign: { tlog: 'v2' },
    bundle: (inst, s) => ({ checkpoint: s.log.checkpoint({ keyHint: sha256(s.log.key.spki).subarray(0, 4) }) }),
  }),
  defineCase({
    name: 'rekor2-checkpoint-wrong-signer-name_fail',
    sigstoreJs: {
      verdict: 'pass',
      why: "@sigstore/verify matches a signature line by key hint and tests the line's name as a regular expression against the log's base URL, so any name found inside the URL (here rekor.sigvet.test) is accepted.",
    },
    code: 'TLOG_CHECKPOINT',
    check: 'tlog.checkpoint.signature',
    family: 'checkpoint',
    readme:
      "The log's signature line is valid (log key, log key hint) but names the signer rekor.sigvet.test instead of the log's name log2026-1.rekor.sigvet.test. Signed-note verifiers match name and key ID together; a line whose name differs is from an unknown key.",
    sign: { tlog: 'v2' },
    bundle: (inst, s) => ({ checkpoint: s.log.checkpoint({ name: 'rekor.sigvet.test' }) }),
  }),
  defineCase({
    name: 'rekor2-checkpoint-invalid-signature_fail',
    code: 'TLOG_CHECKPOINT',
    check: 'tlog.checkpoint.signature',
    family: 'checkpoint',
    readme:
      "The Rekor v2 checkpoint's text is correct and its signature line carries the log's name and key hint, but the Ed25519 signature was made with another key. The inclusion proof leads to the checkpoint's root; only the checkpoint signature fails.",
    sign: { tlog: 'v2' },
    bundle: (inst, s) => ({ checkpoint: s.log.checkpoint({ signingKey: new Ed25519Key(inst.seed, 'rekor2-impostor') }) }),
  }),
  defineCase({
    name: 'rekor2-inclusion-proof-wrong-index_fail',
    code: 'TLOG_INCLUSION_PROOF',
    check: 'tlog.inclusion_proof.root',
    family: 'inclusion-proof',
    readme:
      "The Rekor v2 entry's logIndex (in the entry and in its proof) is the index of the neighbouring leaf; path, tree size and checkpoint are genuine. Rekor v2 signs no SET, so only the inclusion proof binds the index: hashing the leaf up the path at the wrong index does not give the checkpoint's root.",
    sign: { tlog: 'v2' },
    bundle: (inst, s) => ({
      edit: (_b, e) => {
        const wrong = String(s.entry.logIndex ^ 1);
        e.logIndex = wrong;
        e.inclusionProof.logIndex = wrong;
      },
    }),
  }),
  defineCase({
    name: 'rekor2-inclusion-proof-index-beyond-tree_fail',
    code: 'TLOG_INCLUSION_PROOF',
    check: 'tlog.inclusion_proof.index',
    family: 'inclusion-proof',
    readme:
      "The Rekor v2 entry's logIndex (in the entry and its proof) equals the tree size, one past the last leaf; path, size and checkpoint are genuine. An index outside the tree cannot be proven included and must be rejected before any hashing.",
    sign: { tlog: 'v2' },
    bundle: (inst, s) => ({
      edit: (_b, e) => {
        e.logIndex = String(s.log.sealedSize);
        e.inclusionProof.logIndex = String(s.log.sealedSize);
      },
    }),
  }),
  defineCase({
    name: 'rekor2-dsse-payload-hash-mismatch_fail',
    code: 'TLOG_BODY',
    check: 'tlog.body.digest',
    family: 'tlog-body',
    readme:
      "The dsse 0.0.2 entry records the bundle's signature and certificate but the SHA-256 of another payload. Proof, checkpoint and timestamp are valid for that entry; only the comparison of the entry's payload hash with the envelope's payload fails.",
    sign: { tlog: 'v2', content: 'dsse', loggedContent: { payload: enc('{"_type":"https://in-toto.io/Statement/v1","subject":[]}') } },
  }),
  defineCase({
    name: 'rekor2-log-validfor-end-inclusive',
    family: 'validity-windows',
    readme:
      "The Rekor v2 log's validFor.end in the trusted root is exactly the RFC 3161 time (the only verified time). Windows are closed: the end is inclusive, so the log is valid at that time. Verification must succeed.",
    sign: { tlog: 'v2' },
    trustedRoot: (root, inst, s) => {
      root.tlogs[1].publicKey.validFor.end = rfc3339(NOW_MS + 2 * SECOND);
      return root;
    },
  }),
  defineCase({
    name: 'rekor2-log-validfor-ended_fail',
    sigstoreJs: {
      verdict: 'pass',
      why: "@sigstore/verify checks a log's validFor only through the SET's integrated time; Rekor v2 entries have none, so the Rekor v2 log's window is never checked.",
    },
    code: 'TIME',
    check: 'time.tlog',
    family: 'validity-windows',
    readme:
      "The Rekor v2 log's validFor.end in the trusted root is one second before the RFC 3161 time. The entry, proof and checkpoint verify, but the log was no longer trusted at the only verified time.",
    sign: { tlog: 'v2' },
    trustedRoot: (root) => {
      root.tlogs[1].publicKey.validFor.end = rfc3339(NOW_MS + 1 * SECOND);
      return root;
    },
  }),
  defineCase({
    name: 'rekor2-entry-with-set_fail',
    sigstoreJs: {
      verdict: 'pass',
      why: "@sigstore/verify verifies any inclusion promise it finds with the log's key, whatever the entry's kind version, and uses its integrated time.",
    },
    code: 'TLOG_SET',
    check: 'tlog.set',
    family: 'rekor-v2',
    readme:
      "A valid Rekor v2 entry (hashedrekord 0.0.2, inclusion proof and checkpoint, RFC 3161 timestamp) that also carries an integratedTime and an inclusionPromise: a SET in Rekor v1's format, validly signed by the Rekor v2 log's key, over a time inside the certificate's validity. Rekor v2 never issues SETs or integrated times; a verifier that trusts this one takes a time from evidence the log's protocol does not have.",
    sign: { tlog: 'v2' },
    bundle: (inst, s) => {
      const integratedTime = NOW_MS / SECOND + 3;
      return {
        edit: (_b, e) => {
          e.integratedTime = String(integratedTime);
          e.inclusionPromise = { signedEntryTimestamp: b64(s.log.signEntryTimestamp(s.entry.body, integratedTime, s.entry.logIndex)) };
        },
      };
    },
  }),
  defineCase({
    name: 'rekor2-entry-log-index-differs-from-proof_fail',
    sigstoreJs: {
      verdict: 'pass',
      why: "@sigstore/verify walks the Merkle path with inclusionProof.logIndex; the entry's own logIndex is read only for a SET, which Rekor v2 entries lack.",
    },
    code: 'TLOG_INCLUSION_PROOF',
    check: 'tlog.inclusion_proof.log_index',
    family: 'rekor-v2',
    readme:
      "A valid Rekor v2 entry whose logIndex is one more than its inclusion proof's logIndex; the proof (at the entry's real index), checkpoint and timestamp verify. Rekor v2 signs no SET, so only the proof binds the entry to a position in the log: the entry's own index must be the one the proof verified.",
    sign: { tlog: 'v2' },
    bundle: (inst, s) => ({
      edit: (_b, e) => {
        e.logIndex = String(s.entry.logIndex + 1);
      },
    }),
  }),
];
