// Signed certificate timestamps embedded in the leaf (RFC 6962 §3.3):
// present, absent, invalid, from an unknown log, and the CT log's validity
// window in the trusted root.

import { defineCase } from '../case.mjs';
import { CtLog, NOW_MS, flipLastBit, rfc3339 } from '../instance.mjs';

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
];
