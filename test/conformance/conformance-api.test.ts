// Every shared conformance case through the library API, with every crypto
// provider, in both modes (artifact bytes and sha256 digest). Failing cases
// must fail for the reason their README gives: the expected error code is
// asserted, not just "some failure".
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createVerifierWith, type CryptoProvider, type Verifier } from '../../src/api.js';
import { inputFor, readCases, type Case } from '../helpers/cases.js';
import { nodeCryptoProvider } from '../../src/crypto/node.js';
import { webCryptoProvider } from '../../src/crypto/webcrypto.js';
import { nobleProvider } from '../../src/crypto/noble.js';
import { SigvetError } from '../../src/errors.js';

const DIR = resolve(__dirname, '../../../shared/conformance');
const present = existsSync(join(DIR, 'CASES.json'));
if (!present) console.warn(`conformance API suite skipped: ${DIR} not found`);

/** Why each failing case must fail: the error code sigvet must give. */
const EXPECTED_CODE: Record<string, string> = {
  'bundle-empty-certificate-chain_fail': 'BUNDLE_FORMAT',
  'bundle-malformed-json_fail': 'PARSE',
  'bundle-negative-log-index_fail': 'BUNDLE_FORMAT',
  'bundle-unknown-version_fail': 'BUNDLE_FORMAT',
  'checkpoint-bad-keyhint_fail': 'TLOG_CHECKPOINT',
  'dsse-mismatch-envelope_fail': 'TLOG_BODY',
  'dsse-mismatch-sig_fail': 'TLOG_BODY',
  'inclusion-proof-corrupted-hash_fail': 'TLOG_INCLUSION_PROOF',
  'integrated-time-in-future_fail': 'TIME',
  'intoto-expired-certificate_fail': 'TIME',
  'intoto-log-entry-mismatch_fail': 'TLOG_BODY',
  'intoto-missing-inclusion-proof_fail': 'BUNDLE_FORMAT',
  'intoto-tsa-timestamp-outside-cert-validity_fail': 'TIME',
  'invalid-checkpoint-signature_fail': 'TLOG_CHECKPOINT',
  // "The inclusion proof is old": the bundle carries it without a checkpoint,
  // which a v0.2+ bundle may not do.
  'invalid-inclusion-proof_fail': 'BUNDLE_FORMAT',
  'managed-key-no-key_fail': 'KEY',
  'message-digest-mismatch_fail': 'SIGNATURE',
  'rekor2-checkpoint-missing-root-hash_fail': 'TLOG_CHECKPOINT',
  'rekor2-checkpoint-missing-size_fail': 'TLOG_CHECKPOINT',
  'rekor2-checkpoint-no-matching-signature_fail': 'TLOG_CHECKPOINT',
  'rekor2-dsse-mismatch-envelope_fail': 'TLOG_BODY',
  'rekor2-dsse-mismatch-sig_fail': 'TLOG_BODY',
  'rekor2-no-inclusion-proof_fail': 'BUNDLE_FORMAT',
  'rekor2-no-timestamp_fail': 'TIME',
  'rekor2-timestamp-outside-trust-root-tsa-validity_fail': 'TIMESTAMP',
  'rekor2-timestamp-outside-tsa-cert-validity_fail': 'TIMESTAMP',
  'rekor2-timestamp-untrusted-tsa-without-embedded-cert_fail': 'TIMESTAMP',
  'rekor2-timestamp-with-incorrect-time_fail': 'TIME',
  'wrong-hashedrekord-artifact_fail': 'TLOG_BODY',
  'wrong-hashedrekord-cert-and-sig_fail': 'TLOG_BODY',
  'wrong-hashedrekord-entry_fail': 'TLOG_BODY',
  'wrong-material_fail': 'SIGNATURE',
};

const cases: Case[] = present ? readCases(DIR) : [];
const providers: [string, CryptoProvider][] = [
  ['node', nodeCryptoProvider],
  ['webcrypto', webCryptoProvider],
  ['noble', nobleProvider],
];

describe.skipIf(!present)('shared conformance cases through the API', () => {
  it('names an expected error code for every failing case', () => {
    const failing = cases.filter((c) => c.expect === 'fail').map((c) => c.name);
    expect(failing.filter((n) => !(n in EXPECTED_CODE))).toEqual([]);
    expect(cases.length).toBe(46);
  });

  for (const [pname, provider] of providers) {
    describe(`provider ${pname}`, () => {
      const verifiers = new Map<string, Promise<Verifier>>();
      const verifierFor = (root: string): Promise<Verifier> => {
        let v = verifiers.get(root);
        if (!v) {
          v = createVerifierWith(provider, { trustedRoot: readFileSync(join(DIR, root), 'utf8') });
          verifiers.set(root, v);
        }
        return v;
      };
      for (const c of cases) {
        for (const mode of ['path', 'digest'] as const) {
          it(`${c.name} [${mode}] ${c.expect}s`, async () => {
            const v = await verifierFor(c.trusted_root);
            const bundle = readFileSync(join(DIR, c.bundle), 'utf8');
            const run = v.verify(bundle, inputFor(DIR, c, mode));
            if (c.expect === 'pass') {
              const r = await run;
              expect(r.checks.length).toBeGreaterThan(2);
              expect(r.verifiedTimes.length).toBeGreaterThan(0);
            } else {
              const err = await run.then(
                () => undefined,
                (e: unknown) => e,
              );
              expect(err, 'must be rejected').toBeInstanceOf(SigvetError);
              expect((err as SigvetError).code, (err as SigvetError).message).toBe(EXPECTED_CODE[c.name]);
            }
          });
        }
      }
    });
  }
});
