// Signed certificate timestamps embedded in the leaf (RFC 6962 §3.3):
// present, absent, invalid, from an unknown log, and the CT log's validity
// window in the trusted root.

import { defineCase } from '../case.mjs';
import { CtLog, NOW_MS, flipLastBit, rfc3339 } from '../instance.mjs';
import { sctListTls } from '../ctlog.mjs';
import { concat } from '../der.mjs';

const u16 = (n) => Uint8Array.of((n >> 8) & 0xff, n & 0xff);
/** Offset of the SCT's hash-algorithm byte: version (1), log ID (32), timestamp (8), extensions length (2). */
const SCT_HASH_OFFSET = 43;

/** The SCT's timestamp: the CT log answered 421 ms after issuance. */
const SCT_TIME = NOW_MS + 421;

export default [
  defineCase({
    name: 'sct-invalid-signature_fail',
    code: 'SCT',
    check: 'sct.signature',
    family: 'sct',
    readme:
      "The leaf's embedded SCT comes from the trusted CT log, but its signature has one bit flipped before the CA embedded it (the CA's signature over the certificate is valid). Only the SCT signature check fails.",
    sign: { leaf: { mutateSctSignature: flipLastBit } },
  }),
  defineCase({
    name: 'sct-missing_fail',
    code: 'SCT',
    check: 'sct.threshold',
    family: 'sct',
    readme:
      'The trusted CA issued the leaf without the precertificate flow, so it has no embedded SCT. Everything else verifies; Sigstore requires at least one SCT from a trusted CT log by default.',
    sign: { leaf: { omitSct: true } },
  }),
  defineCase({
    name: 'sct-unknown-log_fail',
    code: 'SCT',
    check: 'sct.threshold',
    family: 'sct',
    readme:
      "The leaf's only SCT is valid but comes from a CT log the trusted root does not list (its own key and log ID). An SCT from an unknown log counts for nothing, so no SCT from a trusted log remains.",
    sign: (inst) => ({ ctLog: new CtLog(inst.seed, 'ctfe-untrusted') }),
  }),
  defineCase({
    name: 'ctlog-validfor-end-inclusive',
    family: 'validity-windows',
    readme:
      "The CT log's validFor.end in the trusted root is exactly the SCT's timestamp, to the millisecond (2026-01-15T12:00:00.421Z). Windows are closed, so the log is valid then. Verification must succeed.",
    trustedRoot: (root) => {
      root.ctlogs[0].publicKey.validFor.end = rfc3339(SCT_TIME);
      return root;
    },
  }),
  defineCase({
    name: 'ctlog-validfor-ended_fail',
    code: 'SCT',
    check: 'sct.validity',
    family: 'validity-windows',
    readme:
      "The CT log's validFor.end in the trusted root is one millisecond before the SCT's timestamp. The SCT signature is valid, but the log was not trusted at the time it vouches for.",
    trustedRoot: (root) => {
      root.ctlogs[0].publicKey.validFor.end = rfc3339(SCT_TIME - 1);
      return root;
    },
  }),
  defineCase({
    name: 'ctlog-validfor-not-started_fail',
    code: 'SCT',
    check: 'sct.validity',
    family: 'validity-windows',
    readme:
      "The CT log's validFor.start in the trusted root is one millisecond after the SCT's timestamp. The SCT signature is valid, but the log was not yet trusted at the time it vouches for.",
    trustedRoot: (root) => {
      root.ctlogs[0].publicKey.validFor.start = rfc3339(SCT_TIME + 1);
      return root;
    },
  }),
  defineCase({
    name: 'sct-list-trailing-byte_fail',
    sigstoreJsRejects: {
      signal: /^ERROR request past end of buffer/,
      why: "Its SCT-list parser tries to read another SCT from the stray byte, runs past the end of its buffer and throws a plain stream error rather than a verification error.",
    },
    code: 'SCT',
    check: 'sct.parse',
    family: 'sct',
    readme:
      "The leaf's SignedCertificateTimestampList holds the valid SCT from the trusted CT log followed by one stray zero byte, and its length prefix counts that byte (the CA signed the certificate with this list). The SCT itself verifies. RFC 6962 §3.3 lists are exact TLS encodings; a list that does not parse must be refused, not read up to the first SCT.",
    sign: {
      leaf: {
        sctListTls: (sct) => {
          const body = concat(u16(sct.length), sct, Uint8Array.of(0));
          return concat(u16(body.length), body);
        },
      },
    },
  }),
  defineCase({
    name: 'sct-algorithm-mismatch_fail',
    code: 'SCT',
    check: 'sct.algorithm',
    family: 'sct',
    readme:
      "The leaf's SCT from the trusted CT log carries a valid ECDSA signature made with SHA-256 (what the log's key details, PKIX_ECDSA_P256_SHA_256, allow), but its algorithm field says SHA-384 with ECDSA; the CA signed the certificate with this SCT. The SCT states an algorithm the log does not use; a verifier must refuse it rather than ignore the field.",
    sign: {
      leaf: {
        sctListTls: (sct) => {
          const relabelled = Uint8Array.from(sct);
          relabelled[SCT_HASH_OFFSET] = 5; // sha384
          return sctListTls([relabelled]);
        },
      },
    },
  }),
];
