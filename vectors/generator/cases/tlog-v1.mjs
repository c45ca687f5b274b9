// Rekor v1: entry bodies bound to the bundle, signed entry timestamps,
// inclusion proofs and signed checkpoints, and the log's identity.

import { defineCase } from '../case.mjs';
import { EcKey, RekorLog, BUNDLE_V01, NOW_MS, SECOND, b64, flipLastBit, toPem, sha256, canonicalJson } from '../instance.mjs';
import { concat } from '../der.mjs';
import { artifactFor } from '../client.mjs';

const decodeB64 = (s) => new Uint8Array(Buffer.from(s, 'base64'));
const enc = (s) => new TextEncoder().encode(s);
const dec = (b) => new TextDecoder().decode(b);
/** A canonicalized body, parsed, edited and canonicalized again. */
const editBody = (edit) => (body) => enc(canonicalJson(edit(JSON.parse(dec(body)))));

export default [
  defineCase({
    name: 'set-invalid-signature_fail',
    code: 'TLOG_SET',
    check: 'tlog.set.signature',
    family: 'tlog-set',
    readme:
      "The signed entry timestamp's ECDSA signature has one bit flipped (still valid DER). Body, inclusion proof and checkpoint are intact, so only the SET check fails: a SET that is present must verify, even when an inclusion proof is there too.",
    bundle: (inst, s) => ({
      edit: (_b, e) => {
        e.inclusionPromise.signedEntryTimestamp = b64(flipLastBit(s.entry.set));
      },
    }),
  }),
  defineCase({
    name: 'set-integrated-time-changed_fail',
    code: 'TLOG_SET',
    check: 'tlog.set.signature',
    family: 'tlog-set',
    readme:
      'integratedTime is one second later than the time the log signed in the SET (still inside the certificate validity). Nothing else covers integratedTime, so only the SET check notices: the verified time must come from the SET, not from the unsigned field.',
    bundle: (inst, s) => ({
      edit: (_b, e) => {
        e.integratedTime = String(s.entry.integratedTime + 1);
      },
    }),
  }),
  defineCase({
    name: 'set-over-reformatted-body_fail',
    code: 'TLOG_SET',
    check: 'tlog.set.signature',
    family: 'tlog-set',
    readme:
      "A v0.1 bundle (SET, no inclusion proof) whose canonicalizedBody is the logged body re-serialized with whitespace: the same JSON values, so it still records the bundle's signature, certificate and digest, but not the bytes the log signed. Only the SET check, over the exact body bytes, catches it.",
    bundle: (inst, s) => ({
      mediaType: BUNDLE_V01,
      inclusionProof: false,
      edit: (_b, e) => {
        const reformatted = JSON.stringify(JSON.parse(new TextDecoder().decode(s.entry.body)), null, 1);
        e.canonicalizedBody = b64(new TextEncoder().encode(reformatted));
      },
    }),
  }),
  defineCase({
    name: 'set-wrong-log-index_fail',
    code: 'TLOG_SET',
    check: 'tlog.set.signature',
    family: 'tlog-set',
    readme:
      "A v0.1 bundle (SET, no inclusion proof) whose entry logIndex is one more than the index the log signed. The body, time and log ID are right; only the SET, which covers the index, shows the entry is not where the bundle says.",
    bundle: (inst, s) => ({
      mediaType: BUNDLE_V01,
      inclusionProof: false,
      edit: (_b, e) => {
        e.logIndex = String(s.entry.logIndex + 1);
      },
    }),
  }),
  defineCase({
    name: 'checkpoint-invalid-signature_fail',
    code: 'TLOG_CHECKPOINT',
    check: 'tlog.checkpoint.signature',
    family: 'checkpoint',
    readme:
      "The Rekor v1 checkpoint's note text (origin, size, root hash) is correct and its signature line carries the log's name and key hint, but the signature was made with a different P-256 key. The inclusion proof leads to the checkpoint's root, so only the checkpoint signature check fails.",
    bundle: (inst, s) => ({ checkpoint: s.log.checkpoint({ signingKey: new EcKey(inst.seed, 'rekor-impostor', 'P-256') }) }),
  }),
  defineCase({
    name: 'checkpoint-wrong-origin_fail',
    sigstoreJs: {
      verdict: 'pass',
      why: "@sigstore/verify never checks the checkpoint's origin line.",
    },
    code: 'TLOG_CHECKPOINT',
    check: 'tlog.checkpoint.origin',
    family: 'checkpoint',
    readme:
      "The Rekor v1 checkpoint's origin names another host (rekor.other.test - <tree id>); the note is validly signed by the log's key with its name and key hint, over the true size and root. Only the origin check catches it.",
    bundle: (inst, s) => ({ checkpoint: s.log.checkpoint({ origin: s.log.origin.replace('rekor.sigvet.test', 'rekor.other.test') }) }),
  }),
  defineCase({
    name: 'checkpoint-missing-signature_fail',
    code: 'TLOG_CHECKPOINT',
    check: 'tlog.checkpoint.format',
    family: 'checkpoint',
    readme:
      'The checkpoint has the correct body (origin, size, root hash) and the blank line, but no signature line at all. An unsigned checkpoint proves nothing; C2SP signed-note requires at least one signature.',
    bundle: (inst, s) => ({ checkpoint: s.log.checkpoint({ omitLogSignature: true }) }),
  }),
  defineCase({
    name: 'happy-path-checkpoint-extra-signature',
    family: 'checkpoint',
    readme:
      "The Rekor v1 checkpoint carries, after the log's signature, a second valid signature line from another key with another name (another-log.sigvet.test). Verifiers must ignore signatures from unknown keys. Verification must succeed.",
    bundle: (inst, s) => {
      const other = new EcKey(inst.seed, 'another-log', 'P-256');
      return { checkpoint: s.log.checkpoint({ extraSigners: [{ name: 'another-log.sigvet.test', key: other, keyHint: sha256(other.spki).subarray(0, 4) }] }) };
    },
  }),
  defineCase({
    name: 'inclusion-proof-wrong-hash_fail',
    code: 'TLOG_INCLUSION_PROOF',
    check: 'tlog.inclusion_proof.root',
    family: 'inclusion-proof',
    readme:
      'One sibling hash of the inclusion proof has a bit flipped. rootHash and the signed checkpoint are genuine, so the computed root differs from the checkpoint root: only the Merkle inclusion check fails.',
    bundle: () => ({
      edit: (_b, e) => {
        e.inclusionProof.hashes[0] = b64(flipLastBit(decodeB64(e.inclusionProof.hashes[0])));
      },
    }),
  }),
  defineCase({
    name: 'inclusion-proof-wrong-index_fail',
    code: 'TLOG_INCLUSION_PROOF',
    check: 'tlog.inclusion_proof.root',
    family: 'inclusion-proof',
    readme:
      "The inclusion proof's logIndex is the neighbouring leaf's index (the entry's own logIndex, covered by the SET, is right). Path, tree size, root and checkpoint are genuine; hashing the leaf up the path at that index gives another root.",
    bundle: (inst, s) => ({
      edit: (_b, e) => {
        e.inclusionProof.logIndex = String(s.entry.logIndex ^ 1);
      },
    }),
  }),
  defineCase({
    name: 'inclusion-proof-wrong-tree-size_fail',
    sigstoreJs: {
      verdict: 'pass',
      why: "@sigstore/verify computes the root with the checkpoint's size and ignores inclusionProof.treeSize (for this index the path gives the same root with either size).",
    },
    code: 'TLOG_INCLUSION_PROOF',
    check: 'tlog.inclusion_proof.checkpoint',
    family: 'inclusion-proof',
    readme:
      "The inclusion proof's treeSize is one more than the size of the tree its path, root hash and checkpoint describe. The proof must be for the tree the signed checkpoint commits to.",
    bundle: (inst, s) => ({
      edit: (_b, e) => {
        e.inclusionProof.treeSize = String(s.log.sealedSize + 1);
      },
    }),
  }),
  defineCase({
    name: 'inclusion-proof-wrong-root-hash_fail',
    sigstoreJs: {
      verdict: 'pass',
      why: "@sigstore/verify compares the computed root with the checkpoint's root and ignores inclusionProof.rootHash.",
    },
    code: 'TLOG_INCLUSION_PROOF',
    check: 'tlog.inclusion_proof.checkpoint',
    family: 'inclusion-proof',
    readme:
      "The inclusion proof's rootHash is a genuine root of the log, but of its previous size, not of the tree the path and the signed checkpoint describe. The proof's root must be the checkpoint's root.",
    bundle: (inst, s) => ({
      edit: (_b, e) => {
        e.inclusionProof.rootHash = b64(s.log.rootAt(s.log.sealedSize - 1));
      },
    }),
  }),
  defineCase({
    name: 'inclusion-proof-path-for-other-tree_fail',
    code: 'TLOG_INCLUSION_PROOF',
    check: 'tlog.inclusion_proof.root',
    family: 'inclusion-proof',
    readme:
      "Tree size, root hash and checkpoint are a genuine, validly signed earlier state of the log (one leaf smaller, already containing the entry); the path is the entry's genuine path in the final tree. Each part is authentic, but the path does not lead to that checkpoint's root.",
    bundle: (inst, s) => {
      const size = s.log.sealedSize - 1;
      const rootHash = s.log.rootAt(size);
      return {
        checkpoint: s.log.checkpoint({ size, rootHash }),
        edit: (_b, e) => {
          e.inclusionProof.treeSize = String(size);
          e.inclusionProof.rootHash = b64(rootHash);
        },
      };
    },
  }),
  defineCase({
    name: 'inclusion-proof-extra-hash_fail',
    code: 'TLOG_INCLUSION_PROOF',
    check: 'tlog.inclusion_proof.length',
    family: 'inclusion-proof',
    readme:
      'The inclusion proof has one hash more than RFC 9162 allows for its index and tree size (a copy of its last hash). Index, size, root and checkpoint are genuine; a proof of the wrong length must be rejected, not truncated or ignored.',
    bundle: () => ({
      edit: (_b, e) => {
        e.inclusionProof.hashes.push(e.inclusionProof.hashes[e.inclusionProof.hashes.length - 1]);
      },
    }),
  }),
  defineCase({
    name: 'tlog-body-different-key_fail',
    sigstoreJs: {
      verdict: 'pass',
      why: 'For hashedrekord 0.0.1 @sigstore/verify compares the logged signature and digest with the bundle, not the logged certificate or key.',
    },
    code: 'TLOG_BODY',
    check: 'tlog.body.verifier',
    family: 'tlog-body',
    readme:
      "The log entry records the right digest and signature but another certificate (a genuine leaf for a different key, same identity). The SET, inclusion proof and checkpoint are valid over that body; only the comparison of the body's key with the bundle's certificate fails.",
    sign: (inst) => {
      const otherKey = new EcKey(inst.seed, 'signer:tlog-body-different-key/other', 'P-256');
      const other = inst.ca.issueLeaf({
        label: 'tlog-body-different-key/other',
        subjectKey: otherKey,
        san: { uri: 'https://github.com/sigvet-test/app/.github/workflows/release.yml@refs/heads/main' },
        oidcIssuer: 'https://token.actions.githubusercontent.com',
        notBefore: NOW_MS,
        ctLog: inst.ctLog,
        sctTimestampMs: NOW_MS + 421,
      });
      return { loggedVerifier: { pem: toPem('CERTIFICATE', other.der) } };
    },
  }),
  defineCase({
    name: 'tlog-body-different-digest_fail',
    code: 'TLOG_BODY',
    check: 'tlog.body.digest',
    family: 'tlog-body',
    readme:
      "The hashedrekord entry records the bundle's signature and certificate but the SHA-256 of another artifact. SET, proof and checkpoint are valid for that body; the signature verifies over the real artifact. Only the comparison of the logged digest with the artifact's fails.",
    sign: { loggedContent: { digest: sha256(artifactFor('another artifact')) } },
  }),
  defineCase({
    name: 'tlog-body-different-signature_fail',
    code: 'TLOG_BODY',
    check: 'tlog.body.signature',
    family: 'tlog-body',
    readme:
      "The hashedrekord entry records the artifact's digest and the bundle's certificate, but a signature with one bit flipped. Everything in the bundle verifies; the log just did not record this signature.",
    sign: { loggedContent: (c) => ({ signature: flipLastBit(c.signature) }) },
  }),
  defineCase({
    name: 'dsse-entry-different-payload_fail',
    code: 'TLOG_BODY',
    check: 'tlog.body.digest',
    family: 'tlog-body',
    readme:
      "The Rekor v1 dsse 0.0.1 entry records the envelope's signature and certificate but the SHA-256 of another payload. SET, proof and checkpoint are valid for that body; only the payload hash comparison fails.",
    sign: { content: 'dsse', loggedContent: { payload: new TextEncoder().encode('{"_type":"https://in-toto.io/Statement/v1","subject":[]}') } },
  }),
  defineCase({
    name: 'tlog-unknown-log_fail',
    code: 'TLOG_BODY',
    check: 'tlog.log.unknown',
    family: 'tlog-body',
    readme:
      "The entry was logged, with a valid SET, inclusion proof and checkpoint, in a Rekor v1 log the trusted root does not list (another key, another host). Evidence from an untrusted log counts for nothing.",
    sign: (inst) => ({
      log: inst.registry.add(
        new RekorLog(inst.seed, 'rekor-untrusted', { host: 'rekor.untrusted.test', treeId: '1234567890', baseUrl: 'https://rekor.untrusted.test' }),
      ),
    }),
  }),
  defineCase({
    name: 'tlog-key-validfor-end-inclusive',
    family: 'validity-windows',
    readme:
      "The Rekor v1 key's validFor.end in the trusted root is exactly the entry's integrated time (signed by the SET). Windows are closed, so the key is valid then. Verification must succeed.",
    trustedRoot: (root, inst, s) => {
      root.tlogs[0].publicKey.validFor.end = new Date(s.entry.integratedTime * SECOND).toISOString().replace('.000Z', 'Z');
      return root;
    },
  }),
  defineCase({
    name: 'tlog-key-validfor-ended_fail',
    code: 'TLOG_SET',
    check: 'tlog.set.validity',
    family: 'validity-windows',
    readme:
      "The Rekor v1 key's validFor.end in the trusted root is one second before the entry's integrated time. SET, proof and checkpoint verify with the key, but the key was no longer trusted when it signed this entry.",
    trustedRoot: (root, inst, s) => {
      root.tlogs[0].publicKey.validFor.end = new Date((s.entry.integratedTime - 1) * SECOND).toISOString().replace('.000Z', 'Z');
      return root;
    },
  }),
  defineCase({
    name: 'bundle-v0.1-inclusion-proof-without-checkpoint_fail',
    sigstoreJsRejects: {
      signal: /^ERROR Cannot read properties of undefined \(reading 'envelope'\)/,
      why: "It crashes with a TypeError on the missing checkpoint; no check refuses it.",
    },
    code: 'TLOG_CHECKPOINT',
    check: 'tlog.checkpoint.missing',
    family: 'checkpoint',
    readme:
      "A v0.1 bundle whose entry has a valid SET and an inclusion proof (index, size, root hash and path all genuine) but no checkpoint. v0.1 needs only the SET, yet an inclusion proof that is present must be verified, and its root hash is worth nothing unless a checkpoint the log signed commits to it (protobuf-specs: InclusionProof.checkpoint is required).",
    bundle: () => ({
      mediaType: BUNDLE_V01,
      edit: (_b, e) => {
        delete e.inclusionProof.checkpoint;
      },
    }),
  }),
  defineCase({
    name: 'checkpoint-root-hash-unpadded_fail',
    sigstoreJs: {
      verdict: 'pass',
      why: "@sigstore/verify decodes the checkpoint root with Buffer.from(\u2026, 'base64'), which accepts base64 without padding.",
    },
    code: 'TLOG_CHECKPOINT',
    check: 'tlog.checkpoint.root',
    family: 'checkpoint',
    readme:
      "The Rekor v1 checkpoint's root-hash line is the right root in base64 without its trailing '=' padding, and the log signed that text. Proof and root agree. C2SP tlog-checkpoint: the root hash is standard, padded base64; a verifier that accepts other spellings accepts several notes for one signed text.",
    bundle: (inst, s) => ({ checkpoint: s.log.checkpoint({ rootHashText: b64(s.log.rootHash).replace(/=+$/, '') }) }),
  }),
  defineCase({
    name: 'checkpoint-tree-size-leading-zero_fail',
    sigstoreJs: {
      verdict: 'pass',
      why: "@sigstore/verify reads the checkpoint size with BigInt(), which accepts leading zeros.",
    },
    code: 'TLOG_CHECKPOINT',
    check: 'tlog.checkpoint.size',
    family: 'checkpoint',
    readme:
      "The Rekor v1 checkpoint's tree-size line is the right size with a leading zero, and the log signed that text; the proof's treeSize is the size itself. C2SP tlog-checkpoint: the size is decimal without leading zeros; a verifier that reads '0123' as 123 accepts several notes for one signed text.",
    bundle: (inst, s) => ({ checkpoint: s.log.checkpoint({ sizeText: `0${s.log.sealedSize}` }) }),
  }),
  defineCase({
    name: 'inclusion-proof-hash-too-long_fail',
    code: 'TLOG_INCLUSION_PROOF',
    check: 'tlog.inclusion_proof',
    family: 'inclusion-proof',
    readme:
      "The first hash of the inclusion proof is the right sibling hash followed by one zero byte (33 bytes). Index, size, root and checkpoint are genuine, and a verifier that uses only the first 32 bytes computes the right root. Every node of an RFC 6962 tree is exactly 32 bytes; a proof hash of another length is malformed.",
    bundle: () => ({
      edit: (_b, e) => {
        e.inclusionProof.hashes[0] = b64(concat(decodeB64(e.inclusionProof.hashes[0]), Uint8Array.of(0)));
      },
    }),
  }),
  defineCase({
    name: 'tlog-body-duplicate-key_fail',
    sigstoreJs: {
      verdict: 'pass',
      why: "@sigstore/verify parses the canonicalized body with JSON.parse, which keeps the last of two members with one name.",
    },
    code: 'TLOG_BODY',
    check: 'tlog.body',
    family: 'tlog-body',
    readme:
      "The logged hashedrekord body has the member \"spec\" twice: first an empty object, then the spec that records the bundle's digest, signature and certificate. The log signed these bytes (SET, inclusion proof and checkpoint are valid). JSON with duplicate member names has no agreed meaning; a parser keeping the last member binds the entry to the bundle, one keeping the first does not, so the body must be refused.",
    sign: { mapBody: (body) => enc(dec(body).replace('"spec":', '"spec":{},"spec":')) },
  }),
  defineCase({
    name: 'tlog-body-unknown-field_fail',
    sigstoreJs: {
      verdict: 'pass',
      why: "@sigstore/verify reads only the body fields it compares (signature, digest) and ignores any others.",
    },
    code: 'TLOG_BODY',
    check: 'tlog.body.shape',
    family: 'tlog-body',
    readme:
      "The logged hashedrekord 0.0.1 body records the bundle's digest, signature and certificate, and also a member \"note\" in its spec that the hashedrekord schema does not have; the log signed it. Rekor's schemas allow no additional properties: a body with an unknown field is not a hashedrekord entry, and a verifier that skips unknown fields binds the bundle to a document nobody validated.",
    sign: { mapBody: editBody((o) => ({ ...o, spec: { ...o.spec, note: 'not part of hashedrekord 0.0.1' } })) },
  }),
  defineCase({
    name: 'tlog-entry-unknown-kind-version_fail',
    sigstoreJsRejects: {
      signal: /^TLOG_BODY_ERROR missing dsse spec/,
      why: "It reads every hashedrekord version other than 0.0.1 as Rekor v2, finds no v2 spec and reports 'missing dsse spec'; nothing refuses the unknown version as such.",
    },
    code: 'UNSUPPORTED',
    check: 'tlog.body.kind',
    family: 'tlog-body',
    readme:
      "The entry's kindVersion and its logged body say hashedrekord version 0.0.9, which does not exist; otherwise the body is a hashedrekord 0.0.1 body recording the bundle's digest, signature and certificate, and the log signed it. A verifier cannot know what an unknown entry version binds, so it must refuse it rather than read it with the rules of another version.",
    sign: { mapBody: editBody((o) => ({ ...o, apiVersion: '0.0.9' })) },
    bundle: () => ({
      edit: (_b, e) => {
        e.kindVersion.version = '0.0.9';
      },
    }),
  }),
  defineCase({
    name: 'tlog-dsse-entry-for-message-signature_fail',
    sigstoreJs: {
      verdict: 'pass',
      why: "@sigstore/verify picks the comparison by the entry's kind, not by the bundle's content: the dsse entry's signature and payloadHash are compared with the message signature and the artifact digest, which match.",
    },
    code: 'TLOG_BODY',
    check: 'tlog.body.kind',
    family: 'tlog-body',
    readme:
      "The bundle holds a message signature over the artifact, but its log entry is a dsse 0.0.1 entry whose payloadHash is the artifact's SHA-256 and which records the same signature and certificate (SET, proof and checkpoint are valid). A dsse entry says the signature is over a DSSE envelope's PAE, not over the artifact: the log vouches for another statement than the bundle's.",
    sign: (inst) => ({
      entryKind: 'dsse/0.0.1',
      loggedContent: (c) => ({
        payload: artifactFor('tlog-dsse-entry-for-message-signature_fail'),
        envelope: { payload: b64(artifactFor('tlog-dsse-entry-for-message-signature_fail')), payloadType: 'application/octet-stream', signatures: [{ sig: b64(c.signature) }] },
      }),
    }),
  }),
  defineCase({
    name: 'intoto-entry-different-payload_fail',
    sigstoreJs: {
      verdict: 'pass',
      why: "For intoto 0.0.2 @sigstore/verify compares the signature count, the signature and the payloadHash, never the envelope payload the entry stores.",
    },
    code: 'TLOG_BODY',
    check: 'tlog.body.payload',
    family: 'tlog-body',
    readme:
      "The Rekor v1 intoto 0.0.2 entry records the envelope's signature, certificate and payload hash, but its stored envelope payload is another statement (the log signed that body). The entry's own content contradicts the envelope it claims to log, so it must not vouch for it.",
    sign: {
      content: 'dsse',
      tlog: 'v1-intoto',
      mapBody: editBody((o) => {
        const other = b64(enc('{"_type":"https://in-toto.io/Statement/v1","subject":[]}'));
        o.spec.content.envelope.payload = b64(enc(other));
        return o;
      }),
    },
  }),
];
