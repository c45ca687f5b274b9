/**
 * Every known attack is a test. One test per advisory or notable fix of
 * ../shared/research/verification-advisories.md §2, named after its id (and
 * the §4 vector it corresponds to). Most start from a valid case of
 * test-vectors/ and change exactly the thing the advisory was about; the
 * crypto and parser ones build their input here. test/hostile/README.md
 * lists them with what each checks.
 *
 * Tests marked `it.fails` are open findings: sigvet does not yet do what
 * the test asks (see docs/security.md, "Open findings"). They flip to a
 * failure, on purpose, the day the finding is fixed.
 */
import {
  constants,
  createHash,


  generateKeyPairSync,
  privateEncrypt,
  sign as nodeSign,
  type KeyObject,
} from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createVerifierWith, SigvetError } from '../../src/api.js';
import { nodeCryptoProvider } from '../../src/crypto/node.js';
import { nobleProvider } from '../../src/crypto/noble.js';
import { webCryptoProvider } from '../../src/crypto/webcrypto.js';
import type { CryptoProvider, SignatureScheme } from '../../src/crypto/provider.js';
import { importPublicKey, verifySignature, verifySignatureOverDigest } from '../../src/crypto/verify-signature.js';
import { parseEcdsaSignature } from '../../src/crypto/ecdsa-signature.js';
import { decodeBase64 } from '../../src/encoding/base64.js';
import { decodeBundle } from '../../src/bundle/decode.js';
import { parseDer } from '../../src/der/element.js';
import { preAuthEncoding } from '../../src/dsse/pae.js';
import { findSubject, parseStatement } from '../../src/intoto/statement.js';
import { parseCertificate } from '../../src/x509/certificate.js';
import { nodeHash, leafHash, verifyConsistency } from '../../src/tlog/merkle.js';
import { compilePolicy, evaluate } from '../../src/policy.js';
import { b64, cat, editJson, loadCase, mustLoad, refused, throwsCode, tlv, unb64, verify, type LoadedCase } from './vectors.js';

const enc = new TextEncoder();
const v03 = mustLoad('happy-path-v0.3');
const v01 = mustLoad('happy-path-v0.1');
const dsse = mustLoad('happy-path-dsse');
const email = mustLoad('happy-path-email-identity');
const managed = mustLoad('happy-path-managed-key');
const withTs = mustLoad('happy-path-v1-with-timestamp');
const rekor2 = mustLoad('happy-path-rekor2');

const PROVIDERS: readonly CryptoProvider[] = [nodeCryptoProvider, webCryptoProvider, nobleProvider];

/** Runs a vector of test-vectors/ by name and expects its failure code; skips visibly when the generator has not made it. */
async function vectorFails(name: string, code: string): Promise<void> {
  const c = loadCase(name);
  if (!c) {
    console.warn(`advisories: vector ${name} not in test-vectors/ (yet); the unit test around it still runs`);
    return;
  }
  await refused(verify(c, c.bundle), code);
}

/** The bundle's first log entry replaced by another case's (same log, valid SET and proof, other content). */
function spliceEntry(into: LoadedCase, from: LoadedCase): string {
  const other = JSON.parse(from.bundle).verificationMaterial.tlogEntries[0];
  return editJson(into.bundle, (d) => {
    d.verificationMaterial.tlogEntries[0] = other;
  });
}

function withoutPromise(c: LoadedCase): string {
  return editJson(c.bundle, (d) => {
    delete d.verificationMaterial.tlogEntries[0].inclusionPromise;
  });
}

function editCheckpoint(c: LoadedCase, f: (lines: string[]) => string[]): string {
  return editJson(c.bundle, (d) => {
    const cp = d.verificationMaterial.tlogEntries[0].inclusionProof.checkpoint;
    cp.envelope = `${f(cp.envelope.replace(/\n$/, '').split('\n')).join('\n')}\n`;
  });
}

// ---------------------------------------------------------------------------

describe('§2a Sigstore clients', () => {
  it('GHSA-xgjw-pm74-86q4 / CVE-2026-48816 (V20, V21): an integratedTime without a SET is no time source', async () => {
    await refused(verify(v03, withoutPromise(v03)), 'TIME', 'time.none');
    // With a signed timestamp the bundle verifies, and the result lists only that time.
    const r = await verify(withTs, withoutPromise(withTs));
    expect(r.verifiedTimes.map((t) => t.source)).toEqual(['rfc3161']);
    expect(r.tlogEntries[0]!.integratedTime).toBeUndefined();
  });

  it('GHSA-52v5-jr5w-gjxr / CVE-2026-48815 (V43): an option sigvet does not know is an error, never silently dropped', async () => {
    await refused(createVerifierWith(nodeCryptoProvider, { trustedRoot: v03.trustedRoot, certificateOIDs: { '1.3.6.1.4.1.57264.1.12': 'x' } } as never), 'INVALID_ARGUMENT');
  });

  it('GHSA-52v5-jr5w-gjxr / CVE-2026-48815 (V43): an expectation sigvet does not know (identity.extensions) is an error', async () => {
    const identity = { ...(v03.input.identity as object), extensions: { sourceRepositoryUri: 'https://example.com/other' } };
    await refused(verify(v03, v03.bundle, { input: { identity } as never }), 'INVALID_ARGUMENT');
  });

  it('GHSA-52v5-jr5w-gjxr / CVE-2026-48815 (V43): policy documents refuse fields they do not know', () => {
    const c = compilePolicy({
      apiVersion: 'policy.sigvet.dev/v1',
      name: 'x',
      authorities: { a: { kind: 'keyless', identities: [{ issuer: { exact: 'https://i.example' }, subject: { exact: 's' } }], certificateOIDs: { '1.2.3': 'x' } } },
      require: { signedBy: ['a'] },
    });
    expect(c.ok).toBe(false);
  });

  it('sigstore-js #1702 (V50): copies of one entry do not meet tlogThreshold 2', async () => {
    const twice = editJson(v03.bundle, (d) => {
      d.verificationMaterial.tlogEntries.push(d.verificationMaterial.tlogEntries[0]);
    });
    await refused(verify(v03, twice, { options: { tlogThreshold: 2 } }), 'THRESHOLD', 'tlog.threshold');
  });

  it('sigstore-js #1657 (V39): DSSE PAE lengths count UTF-8 bytes', () => {
    const type = 'application/x.tést+json';
    const pae = new TextDecoder().decode(preAuthEncoding(type, enc.encode('{}')));
    expect(pae).toBe(`DSSEv1 ${enc.encode(type).length} ${type} 2 {}`);
    expect(enc.encode(type).length).toBe(type.length + 1);
  });

  it('sigstore-js #1722 (V27, V29): checkpoint signer names compare literally; malformed sizes are typed errors', async () => {
    const c = v03;
    for (const name of ['.*', 'sigstore.dev', 'example.com', 'log.example.evil.example']) {
      const renamed = editCheckpoint(c, (lines) => lines.map((l) => (l.startsWith('\u2014 ') ? l.replace(/^\u2014 \S+/, `\u2014 ${name}`) : l)));
      await refused(verify(c, renamed), 'TLOG_CHECKPOINT');
    }
    for (const size of ['0x10', '+5', '05', '\uff15', '', '-1', '1e3']) {
      const e = await refused(verify(c, editCheckpoint(c, (l) => [l[0]!, size, ...l.slice(2)])), 'TLOG_CHECKPOINT');
      expect(e).toBeInstanceOf(SigvetError);
    }
    await vectorFails('rekor2-checkpoint-wrong-signer-name_fail', 'TLOG_CHECKPOINT');
  });

  it('sigstore-js #1678 (V1, V2, V3, V4): strict DER: minimal lengths, no trailing data, full OID arcs, bounded depth', async () => {
    throwsCode(() => parseDer(new Uint8Array([0x04, 0x81, 0x01, 0x00]), 'x'), 'PARSE', 'der');
    throwsCode(() => parseDer(new Uint8Array([0x04, 0x80, 0x00, 0x00]), 'x'), 'PARSE', 'der');
    const leaf = JSON.parse(v03.bundle).verificationMaterial.certificate.rawBytes;
    const trailing = editJson(v03.bundle, (d) => {
      d.verificationMaterial.certificate.rawBytes = b64(cat(unb64(leaf), new Uint8Array([0])));
    });
    await refused(verify(v03, trailing), 'PARSE');
    // 1.3.6.1.4.1.57264.1.(2^32 + 8): read as BigInt, it is not 1.3.6.1.4.1.57264.1.8 (the Fulcio issuer).
    const arc = [0x90, 0x80, 0x80, 0x80, 0x08];
    const oid = parseDer(tlv(0x06, [0x2b, 0x06, 0x01, 0x04, 0x01, 0x83, 0xbf, 0x30, 0x01, ...arc]), 'x').oid();
    expect(oid).toBe('1.3.6.1.4.1.57264.1.4294967304');
    throwsCode(() => parseDer(tlv(0x06, [0x2b, 0x80, 0x01]), 'x').oid(), 'PARSE');
    let deep: Uint8Array = new Uint8Array([0x05, 0x00]);
    for (let i = 0; i < 40; i++) deep = tlv(0x30, deep);
    const walk = (el: ReturnType<typeof parseDer>): void => el.children().forEach((k) => k.constructed && walk(k));
    throwsCode(() => walk(parseDer(deep, 'x')), 'LIMIT', 'der.depth');
  });

  it('GHSA-cq38-jh5f-37mq / CVE-2024-45395 (V53): 33 entries, 33 timestamps, 1,025 subjects are refused within milliseconds', () => {
    const bundles = [
      editJson(v03.bundle, (d) => {
        d.verificationMaterial.tlogEntries = Array(33).fill(d.verificationMaterial.tlogEntries[0]);
      }),
      editJson(withTs.bundle, (d) => {
        const t = d.verificationMaterial.timestampVerificationData;
        t.rfc3161Timestamps = Array(33).fill(t.rfc3161Timestamps[0]);
      }),
    ];
    for (const b of bundles) {
      const t0 = performance.now();
      throwsCode(() => decodeBundle(b), 'LIMIT');
      // Speed is measured in benchmarks/, never asserted in tests.
    }
    const subjects = Array.from({ length: 1025 }, (_, i) => ({ name: `${i}`, digest: { sha256: '0'.repeat(64) } }));
    throwsCode(() => parseStatement(enc.encode(JSON.stringify({ _type: 'https://in-toto.io/Statement/v1', subject: subjects, predicateType: 'x:y' }))), 'LIMIT', 'limit.subjects');
  });

  it('GHSA-9vcr-p3rj-q5q6 / CVE-2026-49834 (V50, V51): thresholds count distinct logs, not entries or SCTs', async () => {
    const twice = editJson(v03.bundle, (d) => {
      d.verificationMaterial.tlogEntries.push(d.verificationMaterial.tlogEntries[0]);
    });
    await refused(verify(v03, twice, { options: { tlogThreshold: 2 } }), 'THRESHOLD');
    // One CT log in the root: a CT threshold of 2 cannot be met, whatever the certificate carries.
    await refused(verify(v03, v03.bundle, { options: { ctlogThreshold: 2 } }), 'SCT', 'sct.threshold');
  });

  it('GHSA-wqqc-jjcq-vfxm / CVE-2026-54787 (V46): a log key is only trusted inside its validFor window', async () => {
    const root = editJson(v03.trustedRoot, (d) => {
      for (const l of d.tlogs) l.publicKey.validFor = { start: '2020-01-01T00:00:00Z', end: '2021-01-01T00:00:00Z' };
    });
    await refused(verify(v03, v03.bundle, { trustedRoot: root }), 'TLOG_SET', 'tlog.set.validity');
    await vectorFails('tlog-key-validfor-ended_fail', 'TLOG_SET');
  });

  it('sigstore-go #611, #600, #609 (V12, V14): the bundle digest must be the artifact\'s; no artifact is an error', async () => {
    const wrongDigest = editJson(v03.bundle, (d) => {
      const md = d.verificationMaterial && d.messageSignature.messageDigest;
      md.digest = b64(new Uint8Array(32).fill(7));
    });
    await refused(verify(v03, wrongDigest), 'SIGNATURE', 'signature.message_digest');
    await refused(verify(v03, v03.bundle, { input: { artifact: undefined } }), 'INVALID_ARGUMENT');
    await refused(verify(v03, v03.bundle, { input: { artifact: undefined, artifactDigest: '' } }), 'INVALID_ARGUMENT');
  });

  it('sigstore-go #562 (V11): an entry kind/version outside the allow-list is refused', async () => {
    const b = editJson(v03.bundle, (d) => {
      const e = d.verificationMaterial.tlogEntries[0];
      e.kindVersion.version = '0.0.3';
      const body = JSON.parse(Buffer.from(e.canonicalizedBody, 'base64').toString());
      body.apiVersion = '0.0.3';
      e.canonicalizedBody = Buffer.from(JSON.stringify(body)).toString('base64');
    });
    await refused(verify(v03, b), 'UNSUPPORTED', 'tlog.body.kind');
  });

  it('sigstore-go #472 (V52): two timestamps from one TSA count once (and are refused)', async () => {
    const b = editJson(withTs.bundle, (d) => {
      const t = d.verificationMaterial.timestampVerificationData;
      t.rfc3161Timestamps.push(t.rfc3161Timestamps[0]);
    });
    await refused(verify(withTs, b), 'THRESHOLD', 'timestamp.duplicate');
  });

  it('sigstore-go #428 (V47): a managed-key result claims no SCT (the CT threshold applies to certificates; see docs/security.md)', async () => {
    const r = await verify(managed, managed.bundle);
    expect(r.signer.type).toBe('publicKey');
    expect('scts' in r.signer).toBe(false);
  });

  it('GHSA-hhfg-fwrw-87w7 / CVE-2024-55655 (V20): sigstore-python\'s unsigned integratedTime; also open in sigstore-ruby verifier.rb:98', async () => {
    await refused(verify(v03, withoutPromise(v03)), 'TIME', 'time.none');
  });

  it('sigstore-python #1652, #1826, #1514, #1385 (V12, V28, V30): digest compared; malformed checkpoints typed; every signature tried; TSA imprint checked', async () => {
    for (const drop of [1, 2, 0]) {
      await refused(verify(v03, editCheckpoint(v03, (l) => l.filter((_, i) => i !== drop))), 'TLOG_CHECKPOINT');
    }
    const notFirst = loadCase('happy-path-rekor2-log-signature-not-first');
    if (notFirst) expect((await verify(notFirst, notFirst.bundle)).tlogEntries.length).toBe(1);
    await vectorFails('timestamp-imprint-mismatch_fail', 'TIMESTAMP');
  });

  it('sigstore-python #248, rekor#1092 (V24): the proof root must be the signed checkpoint\'s root', async () => {
    const b = editJson(v03.bundle, (d) => {
      const p = d.verificationMaterial.tlogEntries[0].inclusionProof;
      p.rootHash = b64(new Uint8Array(32).fill(1));
    });
    await refused(verify(v03, b), 'TLOG_INCLUSION_PROOF', 'tlog.inclusion_proof.checkpoint');
    const flipped = editJson(v03.bundle, (d) => {
      const p = d.verificationMaterial.tlogEntries[0].inclusionProof;
      const h = unb64(p.hashes[0]);
      h[0]! ^= 1;
      p.hashes[0] = b64(h);
    });
    await refused(verify(v03, flipped), 'TLOG_INCLUSION_PROOF');
  });

  it('GHSA-q4xm-6fjc-5f6w / CVE-2024-53267 (V8, V9, V10): the log entry must record this signature, key and digest', async () => {
    await refused(verify(v03, spliceEntry(v03, email)), 'TLOG_BODY');
    await vectorFails('tlog-body-different-key_fail', 'TLOG_BODY');
    await vectorFails('tlog-body-different-signature_fail', 'TLOG_BODY');
    await vectorFails('tlog-body-different-digest_fail', 'TLOG_BODY');
  });

  it('GHSA-jp26-88mw-89qr / CVE-2024-54140 (V25): the checkpoint signature is verified', async () => {
    for (const c of [v03, rekor2]) {
      const b = editCheckpoint(c, (lines) =>
        lines.map((l) => {
          if (!l.startsWith('\u2014 ')) return l;
          const [dash, name, sig] = l.split(' ') as [string, string, string];
          const raw = unb64(sig);
          raw[raw.length - 1]! ^= 1;
          return `${dash} ${name} ${b64(raw)}`;
        }),
      );
      await refused(verify(c, b), 'TLOG_CHECKPOINT');
    }
  });

  it('sigstore-java 7446d2c6, 87e28765, 36b94869, cb439786 (V23, V34, V55, V56): SET and TSA always verified; an empty SET is refused', async () => {
    const emptySet = editJson(v03.bundle, (d) => {
      d.verificationMaterial.tlogEntries[0].inclusionPromise.signedEntryTimestamp = '';
    });
    await refused(verify(v03, emptySet), 'TLOG_SET');
    const badTsa = editJson(withTs.bundle, (d) => {
      const t = d.verificationMaterial.timestampVerificationData.rfc3161Timestamps[0];
      const raw = unb64(t.signedTimestamp);
      raw[raw.length - 2]! ^= 1;
      t.signedTimestamp = b64(raw);
    });
    await expect(verify(withTs, badTsa)).rejects.toBeInstanceOf(SigvetError);
    await vectorFails('rekor2-no-timestamp_fail', 'TIME');
  });

  it('GHSA-mhg6-2q2v-9h2c / CVE-2026-31830 (V40): a DSSE subject mismatch fails the verification', async () => {
    await refused(verify(dsse, dsse.bundle, { input: { artifact: enc.encode('not the subject') } }), 'SUBJECT', 'subject.digest');
    await vectorFails('dsse-subject-mismatch_fail', 'SUBJECT');
  });

  it('sigstore-python _pae (open upstream at 27db13db) (V39): PAE of a non-ASCII payloadType counts bytes, not code points', () => {
    const type = '\u{1F600}';
    expect(new TextDecoder().decode(preAuthEncoding(type, new Uint8Array())).startsWith(`DSSEv1 4 ${type} 0 `)).toBe(true);
  });

  it('sigstore-rs (structural: no SET or proof checks) (V22–V26): an entry needs a promise or a proof, and each is verified', async () => {
    const neither = editJson(v03.bundle, (d) => {
      const e = d.verificationMaterial.tlogEntries[0];
      delete e.inclusionPromise;
      delete e.inclusionProof;
    });
    await refused(verify(v03, neither), 'BUNDLE_FORMAT');
    await vectorFails('set-invalid-signature_fail', 'TLOG_SET');
    await vectorFails('inclusion-proof-wrong-hash_fail', 'TLOG_INCLUSION_PROOF');
  });
});

// ---------------------------------------------------------------------------

/** The policy engine's artifact for a case: its sha256. */
function artifactOf(c: LoadedCase): { digest: { sha256: string } } {
  return { digest: { sha256: createHash('sha256').update(c.artifact).digest('hex') } };
}

/** A policy requiring an attestation of `predicateType`, signed by the identity of `c`. */
function requireAttestation(c: LoadedCase, predicateType: string) {
  const id = c.input.identity as { subjectAlternativeName: string; issuer: string };
  return {
    apiVersion: 'policy.sigvet.dev/v1',
    name: 'advisory',
    authorities: { signer: { kind: 'keyless', identities: [{ issuer: { exact: id.issuer }, subject: { exact: id.subjectAlternativeName } }] } },
    require: { attestation: { id: 'att', predicateType, by: ['signer'], select: 'any' } },
  };
}

describe('§2b cosign, rekor, policy-controller, slsa-verifier, in-toto', () => {
  it('GHSA-ccxc-vr6p-4858 / CVE-2022-23649 (V8): a valid log entry for other content is no proof of logging', async () => {
    await refused(verify(v03, spliceEntry(v03, email)), 'TLOG_BODY');
    await refused(verify(dsse, spliceEntry(dsse, v03)), 'TLOG_BODY');
  });

  it('GHSA-vjxv-45g9-9296 / CVE-2022-35929, GO-2022-0759 (V42): zero attestations of the required type is a deny', async () => {
    const r = await verify(dsse, dsse.bundle);
    const c = compilePolicy(requireAttestation(dsse, 'https://example.com/a-type-nobody-signed/v1'));
    expect(c.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(c.ok).toBe(true);
    const v = evaluate(c.ok ? c.policy : (undefined as never), { results: [r], artifacts: [artifactOf(dsse)] }, { now: new Date() });
    expect(v.decision).not.toBe('allow');
    expect(evaluate(c.ok ? c.policy : (undefined as never), { results: [], artifacts: [artifactOf(dsse)] }, { now: new Date() }).decision).not.toBe('allow');
  });

  it('GHSA-8gw7-4j42-w388 / CVE-2022-36056 (V8, V9, V23): log entry bound, and identity checked, on the one code path', async () => {
    await refused(verify(v03, spliceEntry(v03, email)), 'TLOG_BODY');
    const id = v03.input.identity as { subjectAlternativeName: string; issuer: string };
    await refused(verify(v03, v03.bundle, { input: { identity: { ...id, subjectAlternativeName: `${id.subjectAlternativeName}x` } } }), 'IDENTITY');
    await refused(verify(v03, v03.bundle, { input: { identity: { ...id, issuer: `${id.issuer}x` } } }), 'IDENTITY');
  });

  it('GHSA-vfp6-jrw2-99g9 / CVE-2023-46737, GHSA-88jx-383q-w4qc / CVE-2024-29902 (V53): endless data is capped', async () => {
    const many = editJson(v03.bundle, (d) => {
      d.verificationMaterial.tlogEntries = Array(1000).fill(d.verificationMaterial.tlogEntries[0]);
    });
    await refused(verify(v03, many), 'LIMIT');
  });

  it('GHSA-95pr-fxf5-86gv / CVE-2024-29903 (V54): huge input is refused before it is read; a digest is enough to verify', async () => {
    const t0 = performance.now();
    await refused(verify(v03, ' '.repeat(64 * 1024 * 1024)), 'LIMIT');
    // Speed is measured in benchmarks/, never asserted in tests.
    const digest = `sha256:${createHash('sha256').update(v03.artifact).digest('hex')}`;
    expect((await verify(v03, v03.bundle, { input: { artifact: undefined, artifactDigest: digest } })).signer.type).toBe('certificate');
  });

  it('GHSA-whqx-f9j3-ch6m / CVE-2026-22703 (V8, V9): body comparisons run for every entry shape (promise only, promise + proof, proof only)', async () => {
    const otherV01 = loadCase('happy-path-v0.1-chain-with-ca-certificates');
    if (otherV01) await refused(verify(v01, spliceEntry(v01, otherV01)), 'TLOG_BODY');
    await refused(verify(v03, spliceEntry(v03, email)), 'TLOG_BODY');
    const otherV2 = loadCase('happy-path-rekor2-cosigned') ?? loadCase('happy-path-rekor2-dsse');
    if (otherV2) await refused(verify(rekor2, spliceEntry(rekor2, otherV2)), 'TLOG_BODY');
  });

  it('GHSA-wfqv-66vq-46rm / CVE-2026-24122 (V37b): every certificate of the path must be valid at the verified time', async () => {
    await vectorFails('intermediate-expired_fail', 'CERT_CHAIN');
    // The leaf too: the signing time moved outside the leaf's validity breaks the SET, so use the trusted CA window instead.
    const root = editJson(v03.trustedRoot, (d) => {
      for (const ca of d.certificateAuthorities) ca.validFor = { start: '2020-01-01T00:00:00Z', end: '2021-01-01T00:00:00Z' };
    });
    await refused(verify(v03, v03.bundle, { trustedRoot: root }), 'TIME');
  });

  it('GHSA-w6c6-c85g-mmv6 / CVE-2026-39395 (V41): the predicate type is read from the verified payload; a malformed statement is refused', async () => {
    const r = await verify(dsse, dsse.bundle);
    const actual = r.content.type === 'dsseEnvelope' ? r.content.statement?.predicateType : undefined;
    expect(actual).toBeTruthy();
    const ok = compilePolicy(requireAttestation(dsse, actual!));
    const other = compilePolicy(requireAttestation(dsse, `${actual}x`));
    expect(ok.ok && other.ok).toBe(true);
    expect(evaluate(ok.ok ? ok.policy : (undefined as never), { results: [r], artifacts: [artifactOf(dsse)] }, { now: new Date() }).decision).toBe('allow');
    expect(evaluate(other.ok ? other.policy : (undefined as never), { results: [r], artifacts: [artifactOf(dsse)] }, { now: new Date() }).decision).not.toBe('allow');
    throwsCode(() => parseStatement(enc.encode('{"_type":"https://in-toto.io/Statement/v1"}')), 'DSSE');
  });

  it('GHSA-fx35-mq7g-6g98 (V45): the key is the caller\'s, never the bundle\'s', async () => {
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    await refused(verify(managed, managed.bundle, { input: { key: other } }), 'SIGNATURE');
    const carriesKey = editJson(managed.bundle, (d) => {
      d.verificationMaterial.publicKey.rawBytes = b64(new Uint8Array(91));
    });
    throwsCode(() => decodeBundle(carriesKey), 'BUNDLE_FORMAT');
    await vectorFails('managed-key-wrong-key_fail', 'SIGNATURE');
  });

  it('rekor#1917 (V26): an inclusion proof without a checkpoint is refused', async () => {
    const b = editJson(v03.bundle, (d) => {
      delete d.verificationMaterial.tlogEntries[0].inclusionProof.checkpoint;
    });
    await refused(verify(v03, b), 'BUNDLE_FORMAT');
  });

  it('GHSA-r2xv-vpr2-42m9 (V39b): the DSSE signature is verified, and the statement comes from the verified bytes', async () => {
    const tampered = editJson(dsse.bundle, (d) => {
      const p = unb64(d.dsseEnvelope.payload);
      p[p.length - 2]! ^= 1;
      d.dsseEnvelope.payload = b64(p);
    });
    await refused(verify(dsse, tampered), 'SIGNATURE', 'signature.dsse');
    const r = await verify(dsse, dsse.bundle);
    const payload = unb64(JSON.parse(dsse.bundle).dsseEnvelope.payload);
    expect(r.content.type === 'dsseEnvelope' && r.content.statement).toEqual(parseStatement(payload));
  });

  it('CVE-2021-41087 (V44): subject names are reported verbatim, never normalized', () => {
    const digest = 'a'.repeat(64);
    const st = parseStatement(enc.encode(JSON.stringify({ _type: 'https://in-toto.io/Statement/v1', subject: [{ name: 'dir/../foo', digest: { sha256: digest } }], predicateType: 'x:y' })));
    expect(st.subject[0]!.name).toBe('dir/../foo');
    expect(findSubject(st, 'sha256', digest)?.name).toBe('dir/../foo');
  });

  it('CVE-2026-56865 / golang/go#80744 (tiles; not applicable offline): a consistency proof is checked hash by hash', () => {
    const leaves = Array.from({ length: 7 }, (_, i) => leafHash(new Uint8Array([i])));
    const mth = (d: Uint8Array[]): Uint8Array => {
      if (d.length === 1) return d[0]!;
      let k = 1;
      while (k * 2 < d.length) k *= 2;
      return nodeHash(mth(d.slice(0, k)), mth(d.slice(k)));
    };
    const sub = (m: number, d: Uint8Array[], b: boolean): Uint8Array[] => {
      if (m === d.length) return b ? [] : [mth(d)];
      let k = 1;
      while (k * 2 < d.length) k *= 2;
      return m <= k ? [...sub(m, d.slice(0, k), b), mth(d.slice(k))] : [...sub(m - k, d.slice(k), false), mth(d.slice(0, k))];
    };
    const proof = sub(3, leaves, true);
    verifyConsistency(3n, 7n, proof, mth(leaves.slice(0, 3)), mth(leaves));
    const bad = proof.map((h) => h.slice());
    bad[1]![5]! ^= 1;
    throwsCode(() => verifyConsistency(3n, 7n, bad, mth(leaves.slice(0, 3)), mth(leaves)), 'TLOG_INCLUSION_PROOF');
  });
});

// ---------------------------------------------------------------------------

/** A fresh key of each kind, exported as SPKI DER for sigvet and kept for signing with node:crypto. */
function keyPair(kind: 'ec' | 'ed25519' | 'rsa'): { priv: KeyObject; spki: Uint8Array } {
  const { privateKey, publicKey } =
    kind === 'ec'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : kind === 'ed25519'
        ? generateKeyPairSync('ed25519')
        : generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { priv: privateKey, spki: new Uint8Array(publicKey.export({ type: 'spki', format: 'der' })) };
}

async function verifiesWith(provider: CryptoProvider, spki: Uint8Array, scheme: SignatureScheme, data: Uint8Array, sig: Uint8Array): Promise<boolean> {
  try {
    return await verifySignature(provider, await importPublicKey(provider, spki, 'k'), scheme, data, sig);
  } catch (e) {
    if (e instanceof SigvetError) return false;
    throw e;
  }
}

const P256_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const ED25519_L = (1n << 252n) + 27742317777372353535851937790883648493n;

function intBytes(v: bigint): number[] {
  let h = v.toString(16);
  if (h.length % 2) h = `0${h}`;
  const out = [...Buffer.from(h, 'hex')];
  if (out[0]! >= 0x80) out.unshift(0);
  return out;
}

function ecdsaDer(r: bigint, s: bigint): Uint8Array {
  return tlv(0x30, cat(tlv(0x02, intBytes(r)), tlv(0x02, intBytes(s))));
}

describe('§2c JS crypto and ASN.1 libraries', () => {
  const msg = enc.encode('advisory test message');

  it('CVE-2022-24771, CVE-2022-24772, CVE-2022-24773 (V49): RSA PKCS#1 v1.5 compares the whole encoded message', async () => {
    const { priv, spki } = keyPair('rsa');
    const digest = new Uint8Array(createHash('sha256').update(msg).digest());
    const k = 256;
    const prefix = Buffer.from('3031300d060960864801650304020105000420', 'hex');
    const em = (digestInfo: Uint8Array, trailing = new Uint8Array()): Uint8Array => {
      const t = cat(digestInfo, trailing);
      return cat(new Uint8Array([0, 1]), new Uint8Array(k - t.length - 3).fill(0xff), new Uint8Array([0]), t);
    };
    const raw = (e: Uint8Array): Uint8Array => new Uint8Array(privateEncrypt({ key: priv, padding: constants.RSA_NO_PADDING }, e));
    const sha256Oid = tlv(0x06, [0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01]);
    const variants: Record<string, Uint8Array> = {
      'garbage in the parameters': em(tlv(0x30, cat(tlv(0x30, cat(sha256Oid, tlv(0x04, new Uint8Array(8).fill(0x41)))), tlv(0x04, digest)))),
      'trailing garbage after the digest': em(cat(prefix, digest), new Uint8Array([0xde, 0xad])),
      'parameters missing (no NULL)': em(tlv(0x30, cat(tlv(0x30, sha256Oid), tlv(0x04, digest)))),
      'BER long-form length': em(cat(new Uint8Array([0x30, 0x81, 0x31]), prefix.subarray(2), digest)),
    };
    const scheme: SignatureScheme = { kind: 'rsa-pkcs1', hash: 'sha256' };
    for (const p of PROVIDERS) {
      expect(await verifiesWith(p, spki, scheme, msg, raw(em(cat(prefix, digest)))), `${p.name}: the genuine encoding`).toBe(true);
      for (const [name, e] of Object.entries(variants)) {
        expect(await verifiesWith(p, spki, scheme, msg, raw(e)), `${p.name}: ${name}`).toBe(false);
      }
      const key = await importPublicKey(p, spki, 'k');
      expect(await verifySignatureOverDigest(p, key, scheme, digest, raw(variants['garbage in the parameters']!))).toBe(false);
    }
  });

  it('CVE-2025-12816 (V5): a certificate with the same extension twice is refused (no first-wins or last-wins view)', () => {
    const leaf = parseCertificate(unb64(JSON.parse(v03.bundle).verificationMaterial.certificate.rawBytes));
    const kids = leaf.tbs.children();
    const extWrapper = kids[kids.length - 1]!;
    const list = extWrapper.children()[0]!.children();
    const san = list.find((e) => e.children()[0]!.oid() === '2.5.29.17')!;
    const newList = tlv(0x30, cat(...list.map((e) => e.raw()), san.raw()));
    const tbs = tlv(0x30, cat(...kids.slice(0, -1).map((k) => k.raw()), tlv(0xa3, newList)));
    const outer = parseDer(leaf.der, 'c').children();
    throwsCode(() => parseCertificate(tlv(0x30, cat(tbs, outer[1]!.raw(), outer[2]!.raw()))), 'PARSE', 'der');
  });

  it('CVE-2025-66031 (V4): deeply nested ASN.1 is refused without a stack overflow', () => {
    let deep: Uint8Array = new Uint8Array([0x05, 0x00]);
    for (let i = 0; i < 2000; i++) deep = tlv(0x30, deep);
    let err: unknown;
    try {
      parseCertificate(deep);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SigvetError);
  });

  it('CVE-2025-66030 (V3): OID arcs are decoded in full and minimally', () => {
    // 2.5.29.(2^32 + 17) must not alias 2.5.29.17 (subjectAltName).
    expect(parseDer(tlv(0x06, [0x55, 0x1d, 0x90, 0x80, 0x80, 0x80, 0x11]), 'x').oid()).toBe('2.5.29.4294967313');
    throwsCode(() => parseDer(tlv(0x06, [0x55, 0x1d, 0x80, 0x11]), 'x').oid(), 'PARSE');
  });

  it('CVE-2020-13822, CVE-2024-42460, CVE-2024-42461, CVE-2023-46234, CVE-2024-48948 (V47b): strict ECDSA-Sig-Value; high-S accepted', async () => {
    const { priv, spki } = keyPair('ec');
    const der = new Uint8Array(nodeSign('sha256', msg, priv));
    const { r, s } = parseEcdsaSignature(der, 'ec-p256');
    const scheme: SignatureScheme = { kind: 'ecdsa', hash: 'sha256' };
    const highS = ecdsaDer(r, P256_N - s);
    const rInt = tlv(0x02, intBytes(r));
    const sInt = tlv(0x02, intBytes(s));
    const bad: Record<string, Uint8Array> = {
      'BER long-form length': cat(new Uint8Array([0x30, 0x81, rInt.length + sInt.length]), rInt, sInt),
      'extra leading zero in r': tlv(0x30, cat(tlv(0x02, [0, ...intBytes(r)]), sInt)),
      'r = 0': ecdsaDer(0n, s),
      's = n': ecdsaDer(r, P256_N),
      'raw r‖s instead of DER': new Uint8Array([...Buffer.from(r.toString(16).padStart(64, '0'), 'hex'), ...Buffer.from(s.toString(16).padStart(64, '0'), 'hex')]),
      'trailing byte': cat(der, new Uint8Array([0])),
    };
    for (const p of PROVIDERS) {
      expect(await verifiesWith(p, spki, scheme, msg, der), `${p.name}: genuine`).toBe(true);
      expect(await verifiesWith(p, spki, scheme, msg, highS), `${p.name}: high-S (Go signers do not normalize s)`).toBe(true);
      for (const [name, sig] of Object.entries(bad)) expect(await verifiesWith(p, spki, scheme, msg, sig), `${p.name}: ${name}`).toBe(false);
    }
  });

  it('CVE-2024-42459, CVE-2024-48949 (V48): Ed25519 signatures of the wrong length or with S ≥ L are refused', async () => {
    const { priv, spki } = keyPair('ed25519');
    const sig = new Uint8Array(nodeSign(null, msg, priv));
    let sLe = 0n;
    for (let i = 63; i >= 32; i--) sLe = (sLe << 8n) | BigInt(sig[i]!);
    const sPlusL = sLe + ED25519_L;
    const malleable = sig.slice();
    for (let i = 0, v = sPlusL; i < 32; i++, v >>= 8n) malleable[32 + i] = Number(v & 0xffn);
    const scheme: SignatureScheme = { kind: 'ed25519' };
    for (const p of PROVIDERS) {
      expect(await verifiesWith(p, spki, scheme, msg, sig), `${p.name}: genuine`).toBe(true);
      expect(await verifiesWith(p, spki, scheme, msg, sig.subarray(0, 63)), `${p.name}: 63 bytes`).toBe(false);
      expect(await verifiesWith(p, spki, scheme, msg, cat(sig, new Uint8Array([0]))), `${p.name}: 65 bytes`).toBe(false);
      if (sPlusL < 1n << 256n) expect(await verifiesWith(p, spki, scheme, msg, malleable), `${p.name}: S + L`).toBe(false);
    }
  });

  it('jsrsasign CVE-2021-30246, CVE-2020-14966/-14967/-14968, CVE-2022-25898 (V6): strict base64 everywhere', async () => {
    for (const junk of ['AA*A', 'AA A', 'AA\tA', 'AAA=A', 'A===', '+A-A', 'AB==', 'AAF=']) {
      throwsCode(() => decodeBase64(junk, 'x', 'any'), 'PARSE', 'encoding.base64');
    }
    throwsCode(() => decodeBase64('AA-_', 'x', 'std'), 'PARSE');
    expect(decodeBase64('AA-_', 'x', 'any')).toEqual(decodeBase64('AA+/', 'x', 'std'));
    const junkSig = editJson(v03.bundle, (d) => {
      d.messageSignature.signature = `${d.messageSignature.signature.slice(0, 8)}*${d.messageSignature.signature.slice(9)}`;
    });
    await refused(verify(v03, junkSig), 'BUNDLE_FORMAT');
  });

  it('asn1js, pkijs, @peculiar/asn1-*, asn1.js (BER readers) (V1): BER is not DER: indefinite and non-minimal lengths refused', () => {
    throwsCode(() => parseDer(new Uint8Array([0x30, 0x80, 0x05, 0x00, 0x00, 0x00]), 'x'), 'PARSE');
    throwsCode(() => parseDer(new Uint8Array([0x30, 0x82, 0x00, 0x02, 0x05, 0x00]), 'x'), 'PARSE');
    throwsCode(() => parseDer(new Uint8Array([0x02, 0x02, 0x00, 0x01]), 'x').integerBytes(), 'PARSE');
    throwsCode(() => parseDer(new Uint8Array([0x01, 0x01, 0x01]), 'x').boolean(), 'PARSE');
  });
});

