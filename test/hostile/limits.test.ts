/**
 * Limits: every cap on attacker-controlled input, hit once at its default,
 * refused early with a typed error that names it (`limit.<name>` for the
 * caps of `VerifierLimits`). One `describe` per cap; docs/security.md lists
 * the same caps with their values. Lowering, raising and ceilings are
 * tested in configurable-limits.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { BUNDLE_LIMITS, decodeBundle } from '../../src/bundle/decode.js';
import { parseJson } from '../../src/encoding/json.js';
import { MAX_DER_DEPTH, parseDer, type DerElement } from '../../src/der/element.js';
import { parseCertificate, ExtensionOid, type Certificate } from '../../src/x509/certificate.js';
import { MAX_SCTS, parseEmbeddedScts } from '../../src/x509/sct.js';
import { MAX_CHECKPOINT_BYTES, MAX_CHECKPOINT_SIGNATURES, parseCheckpoint } from '../../src/tlog/checkpoint.js';
import { MAX_PROOF_HASHES, leafHash, verifyInclusion } from '../../src/tlog/merkle.js';
import { parseEntryBody } from '../../src/tlog/body.js';
import { MAX_TIMESTAMP_CERTIFICATES, MAX_TIMESTAMP_TOKEN_SIZE, parseTimestampToken } from '../../src/timestamp/timestamp-token.js';
import { MAX_SUBJECTS, parseStatement } from '../../src/intoto/statement.js';
import { MAX_DIGEST_ALGORITHMS } from '../../src/intoto/digest-set.js';
import { RSA_MAX_BITS, parseSpki, pemToDer } from '../../src/crypto/spki.js';
import { parseTrustedRoot } from '../../src/trust/trusted-root.js';
import { compilePolicy, DEFAULT_LIMITS, evaluate, LinearRegex, RegexSyntaxError } from '../../src/policy.js';
import { MAX_YAML_BYTES } from '../../src/policy/import/yaml-documents.js';
import { importClusterImagePolicy } from '../../src/policy-import.js';
import { b64, cat, derLength, editJson, mustLoad, refused, throwsCode, tlv, unb64, verify } from './vectors.js';

const enc = new TextEncoder();
const v03 = mustLoad('happy-path-v0.3');
const v01chain = mustLoad('happy-path-v0.1');
const dsse = mustLoad('happy-path-dsse');
const withTsa = mustLoad('happy-path-timestamp-with-embedded-certificates');

/** Elapsed milliseconds of `f`, which must throw. */
function timeRefusal(f: () => unknown): { ms: number; error: unknown } {
  const t0 = performance.now();
  let error: unknown;
  try {
    f();
  } catch (e) {
    error = e;
  }
  return { ms: performance.now() - t0, error };
}

describe(`bundle size (BUNDLE_LIMITS.maxLength = ${BUNDLE_LIMITS.maxLength})`, () => {
  it('refuses a 100 MB bundle text before parsing any of it', () => {
    const text = `{"mediaType":"${'a'.repeat(100 * 1024 * 1024)}"}`;
    const { ms, error } = timeRefusal(() => decodeBundle(text));
    expect((error as { code?: string }).code).toBe('LIMIT');
    expect((error as { check?: string }).check).toBe('limit.bundleBytes');
    // Speed is measured in benchmarks/, never asserted in tests.
  });

  it('refuses oversized UTF-8 bytes before decoding them', () => {
    const bytes = new Uint8Array(BUNDLE_LIMITS.maxLength + 1).fill(0x20);
    const e = throwsCode(() => decodeBundle(bytes), 'LIMIT', 'limit.bundleBytes');
    expect(e.message).toContain('exceeds the limit');
  });

  it('accepts a bundle padded up to the limit (the cap is not off by one)', () => {
    const pad = BUNDLE_LIMITS.maxLength - v03.bundle.length;
    expect(decodeBundle(v03.bundle + ' '.repeat(pad)).version).toBe('0.3');
    throwsCode(() => decodeBundle(v03.bundle + ' '.repeat(pad + 1)), 'LIMIT', 'limit.bundleBytes');
  });

  it('is applied by verify() too', async () => {
    await refused(verify(v03, v03.bundle + ' '.repeat(BUNDLE_LIMITS.maxLength)), 'LIMIT', 'limit.bundleBytes');
  });
});

describe('JSON nesting depth (64)', () => {
  it('refuses 10,000-deep nesting quickly, without a stack overflow', () => {
    for (const text of ['['.repeat(10_000) + ']'.repeat(10_000), '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000)]) {
      const { ms, error } = timeRefusal(() => parseJson(text, 'x'));
      expect((error as { code?: string }).code).toBe('LIMIT');
      expect((error as { check?: string }).check).toBe('json.depth');
      // Speed is measured in benchmarks/, never asserted in tests.
    }
  });

  it('accepts depth 64 and refuses 65', () => {
    expect(() => parseJson('['.repeat(64) + ']'.repeat(64), 'x')).not.toThrow();
    throwsCode(() => parseJson('['.repeat(65) + ']'.repeat(65), 'x'), 'LIMIT', 'json.depth');
  });

  it('applies to bundles', () => {
    throwsCode(() => decodeBundle(`{"mediaType":${'['.repeat(100)}${']'.repeat(100)}}`), 'LIMIT', 'limit.jsonDepth');
  });
});

describe(`log entries (${BUNDLE_LIMITS.tlogEntries}) and timestamps (${BUNDLE_LIMITS.rfc3161Timestamps}) per bundle`, () => {
  it('refuses 33 log entries', () => {
    const text = editJson(v03.bundle, (d) => {
      d.verificationMaterial.tlogEntries = Array(BUNDLE_LIMITS.tlogEntries + 1).fill(d.verificationMaterial.tlogEntries[0]);
    });
    const e = throwsCode(() => decodeBundle(text), 'LIMIT', 'limit.tlogEntries');
    expect(e.message).toContain(`limit of ${BUNDLE_LIMITS.tlogEntries}`);
    const ok = editJson(v03.bundle, (d) => {
      d.verificationMaterial.tlogEntries = Array(BUNDLE_LIMITS.tlogEntries).fill(d.verificationMaterial.tlogEntries[0]);
    });
    expect(decodeBundle(ok).tlogEntries.length).toBe(BUNDLE_LIMITS.tlogEntries);
  });

  it('refuses 33 RFC 3161 timestamps', () => {
    const text = editJson(withTsa.bundle, (d) => {
      const ts = d.verificationMaterial.timestampVerificationData.rfc3161Timestamps;
      d.verificationMaterial.timestampVerificationData.rfc3161Timestamps = Array(BUNDLE_LIMITS.rfc3161Timestamps + 1).fill(ts[0]);
    });
    const e = throwsCode(() => decodeBundle(text), 'LIMIT', 'limit.timestamps');
    expect(e.message).toContain(`limit of ${BUNDLE_LIMITS.rfc3161Timestamps}`);
  });
});

describe(`certificates per chain (${BUNDLE_LIMITS.chainCertificates}) and bytes per certificate (64 KiB)`, () => {
  it('refuses a chain of 11 certificates', () => {
    const text = editJson(v01chain.bundle, (d) => {
      const c = d.verificationMaterial.x509CertificateChain.certificates;
      d.verificationMaterial.x509CertificateChain.certificates = Array(BUNDLE_LIMITS.chainCertificates + 1).fill(c[0]);
    });
    throwsCode(() => decodeBundle(text), 'LIMIT', 'limit.chainCertificates');
  });

  it('refuses a signing certificate over 64 KiB before parsing it', async () => {
    throwsCode(() => parseCertificate(new Uint8Array(64 * 1024 + 1)), 'LIMIT', 'x509.size');
    const big = editJson(v03.bundle, (d) => {
      d.verificationMaterial.certificate.rawBytes = b64(new Uint8Array(64 * 1024 + 1).fill(0x30));
    });
    // In a bundle, the decoder refuses it first, naming the configurable cap.
    await refused(verify(v03, big), 'LIMIT', 'limit.certificateBytes');
  });

  it('refuses trusted-root CA chains longer than 10', () => {
    const root = editJson(v03.trustedRoot, (d) => {
      const ca = d.certificateAuthorities[0];
      ca.certChain.certificates = Array(11).fill(ca.certChain.certificates[0]);
    });
    throwsCode(() => parseTrustedRoot(root), 'LIMIT');
  });

  it('refuses more than 64 extensions in a certificate', () => {
    const exts = Array.from({ length: 65 }, (_, i) => tlv(0x30, cat(tlv(0x06, [0x2a, 0x03, 0x04, i]), tlv(0x04, []))));
    const leaf = parseCertificate(unb64(JSON.parse(v03.bundle).verificationMaterial.certificate.rawBytes));
    const tbs = leaf.tbs;
    const kids = tbs.children();
    const before = kids.slice(0, -1).map((k) => k.raw());
    const newTbs = tlv(0x30, cat(...before, tlv(0xa3, tlv(0x30, cat(...exts)))));
    const root = parseDer(leaf.der, 'c').children();
    const cert = tlv(0x30, cat(newTbs, root[1]!.raw(), root[2]!.raw()));
    throwsCode(() => parseCertificate(cert), 'LIMIT', 'x509.extensions');
  });
});

/** A certificate stand-in carrying only an SCT-list extension value. */
function sctCarrier(tls: Uint8Array): Certificate {
  const value = tlv(0x04, tls);
  return { extension: (oid: string) => (oid === ExtensionOid.SCT_LIST ? { oid, critical: false, value } : undefined) } as unknown as Certificate;
}

describe(`SCTs per certificate (MAX_SCTS = ${MAX_SCTS})`, () => {
  const sct = (i: number): Uint8Array => cat(new Uint8Array([0]), new Uint8Array(32).fill(i), new Uint8Array(8), new Uint8Array([0, 0, 4, 3, 0, 1, 0]));
  const list = (n: number): Uint8Array => {
    const body = cat(...Array.from({ length: n }, (_, i) => cat(new Uint8Array([0, 48]), sct(i))));
    return cat(new Uint8Array([body.length >> 8, body.length & 0xff]), body);
  };

  it('reads 32 SCTs and refuses 33', () => {
    expect(parseEmbeddedScts(sctCarrier(list(MAX_SCTS))).length).toBe(MAX_SCTS);
    throwsCode(() => parseEmbeddedScts(sctCarrier(list(MAX_SCTS + 1))), 'LIMIT', 'limit.scts');
  });
});

describe(`inclusion-proof length (bundle ${BUNDLE_LIMITS.proofHashes}, Merkle MAX_PROOF_HASHES ${MAX_PROOF_HASHES})`, () => {
  it('refuses 65 hashes in a bundle', () => {
    const text = editJson(v03.bundle, (d) => {
      const p = d.verificationMaterial.tlogEntries[0].inclusionProof;
      p.hashes = Array(BUNDLE_LIMITS.proofHashes + 1).fill(p.hashes[0]);
    });
    throwsCode(() => decodeBundle(text), 'LIMIT', 'limit.proofHashes');
  });

  it('refuses a 65-hash proof in the Merkle verifier before hashing anything', () => {
    const e = throwsCode(
      () => verifyInclusion({ index: 0n, treeSize: 2n, leafHash: leafHash(new Uint8Array()), proof: Array(65).fill(new Uint8Array(32)), root: new Uint8Array(32) }),
      'TLOG_INCLUSION_PROOF',
    );
    expect(e.message).toContain(`maximum ${MAX_PROOF_HASHES}`);
  });
});

describe(`checkpoint size (${MAX_CHECKPOINT_BYTES} bytes) and signature lines (${MAX_CHECKPOINT_SIGNATURES})`, () => {
  const body = `log.example\n1\n${b64(new Uint8Array(32))}\n\n`;
  const line = `\u2014 log.example ${b64(new Uint8Array(68))}\n`;

  it('accepts 100 signature lines and refuses 101, fast', () => {
    expect(parseCheckpoint(body + line.repeat(MAX_CHECKPOINT_SIGNATURES)).signatures.length).toBe(MAX_CHECKPOINT_SIGNATURES);
    throwsCode(() => parseCheckpoint(body + line.repeat(MAX_CHECKPOINT_SIGNATURES + 1)), 'LIMIT', 'tlog.checkpoint.limit');
    const { ms, error } = timeRefusal(() => parseCheckpoint(body + line.repeat(2000)));
    expect((error as { code?: string }).code).toBe('LIMIT');
    // Speed is measured in benchmarks/, never asserted in tests.
  });

  it('refuses a note over the byte limit, counting UTF-8 bytes', () => {
    throwsCode(() => parseCheckpoint(body + 'x'.repeat(MAX_CHECKPOINT_BYTES)), 'LIMIT', 'tlog.checkpoint.limit');
    // Fewer UTF-16 units than the limit, more UTF-8 bytes: still refused.
    const origin = '\u00e9'.repeat(MAX_CHECKPOINT_BYTES / 2);
    throwsCode(() => parseCheckpoint(`${origin}\n1\n${b64(new Uint8Array(32))}\n\n${line}`), 'LIMIT', 'tlog.checkpoint.limit');
  });
});

describe(`in-toto subjects (MAX_SUBJECTS = ${MAX_SUBJECTS}) and digests per subject (${MAX_DIGEST_ALGORITHMS})`, () => {
  const statement = (subjects: unknown[]): Uint8Array =>
    enc.encode(JSON.stringify({ _type: 'https://in-toto.io/Statement/v1', subject: subjects, predicateType: 'https://example.com/p', predicate: {} }));
  const subject = (i: number) => ({ name: `s${i}`, digest: { sha256: i.toString(16).padStart(64, '0') } });

  it('accepts 1,024 subjects and refuses 1,025 with LIMIT', () => {
    expect(parseStatement(statement(Array.from({ length: MAX_SUBJECTS }, (_, i) => subject(i)))).subject.length).toBe(MAX_SUBJECTS);
    throwsCode(() => parseStatement(statement(Array.from({ length: MAX_SUBJECTS + 1 }, (_, i) => subject(i)))), 'LIMIT', 'limit.subjects');
  });

  it('refuses 33 digests on one subject with LIMIT, naming the cap', () => {
    const digest: Record<string, string> = {};
    for (let i = 0; i <= MAX_DIGEST_ALGORITHMS; i++) digest[`alg${i}`] = 'ab';
    const e = throwsCode(() => parseStatement(statement([{ name: 'x', digest }])), 'LIMIT', 'limit.digestsPerSubject');
    expect(e.message).toContain(String(MAX_DIGEST_ALGORITHMS));
  });
});

/** Replaces the element at `path` (child indices) of a DER buffer, re-encoding enclosing lengths. */
function replaceAt(der: Uint8Array, path: readonly number[], replacement: (el: DerElement) => Uint8Array): Uint8Array {
  const walk = (el: DerElement, rest: readonly number[]): Uint8Array => {
    if (rest.length === 0) return replacement(el);
    const kids = el.children();
    const parts = kids.map((k, i) => (i === rest[0] ? walk(k, rest.slice(1)) : k.raw()));
    return tlv(el.tag, cat(...parts));
  };
  return walk(parseDer(der, 'edit'), path);
}

describe(`RFC 3161 tokens: size (${MAX_TIMESTAMP_TOKEN_SIZE} bytes) and embedded certificates (${MAX_TIMESTAMP_CERTIFICATES})`, () => {
  const token = unb64(JSON.parse(withTsa.bundle).verificationMaterial.timestampVerificationData.rfc3161Timestamps[0].signedTimestamp);

  it('refuses a token over the size limit before parsing it', () => {
    throwsCode(() => parseTimestampToken(new Uint8Array(MAX_TIMESTAMP_TOKEN_SIZE + 1)), 'LIMIT', 'timestamp.size');
  });

  it('refuses 11 embedded certificates', () => {
    expect(parseTimestampToken(token).certificates.length).toBeGreaterThan(0);
    // TimeStampResp → token → [0] content → SignedData → certificates [0].
    const many = replaceAt(token, [1, 1, 0, 3], (certs) => tlv(certs.tag, cat(...Array(MAX_TIMESTAMP_CERTIFICATES + 1).fill(certs.children()[0]!.raw()))));
    throwsCode(() => parseTimestampToken(many), 'LIMIT', 'timestamp.certificates');
  });
});

describe(`DER nesting (MAX_DER_DEPTH = ${MAX_DER_DEPTH})`, () => {
  const nested = (depth: number): Uint8Array => {
    // Built back to front in one buffer (a TLV per level would copy the whole tail each time).
    const parts: number[][] = [];
    let len = 2;
    for (let i = 0; i < depth; i++) {
      const l = [0x30, ...derLength(len)];
      parts.push(l);
      len += l.length;
    }
    return new Uint8Array([...parts.reverse().flat(), 0x05, 0x00]);
  };
  const walk = (el: DerElement): void => {
    for (const k of el.constructed ? el.children() : []) walk(k);
  };

  it('walks 32 levels and refuses deeper nesting with LIMIT', () => {
    expect(() => walk(parseDer(nested(MAX_DER_DEPTH), 'x'))).not.toThrow();
    throwsCode(() => walk(parseDer(nested(MAX_DER_DEPTH + 2), 'x')), 'LIMIT', 'der.depth');
  });

  it('refuses 10,000 levels in a timestamp quickly, without a stack overflow', () => {
    const deep = nested(10_000);
    const { ms, error } = timeRefusal(() => parseTimestampToken(deep));
    expect((error as { code?: string }).code).toMatch(/LIMIT|PARSE/);
    // Speed is measured in benchmarks/, never asserted in tests.
  });
});

describe('keys: PEM text (1 MiB) and RSA modulus (2048–16384 bits)', () => {
  it('refuses PEM text over 1 MiB', () => {
    throwsCode(() => pemToDer(`-----BEGIN PUBLIC KEY-----\n${'A'.repeat(1024 * 1024)}\n-----END PUBLIC KEY-----\n`, 'PUBLIC KEY'), 'LIMIT');
  });

  it(`refuses an RSA modulus over ${RSA_MAX_BITS} bits`, () => {
    const modulus = new Uint8Array(RSA_MAX_BITS / 8 + 2).fill(0xff);
    modulus[0] = 0;
    const rsaKey = tlv(0x30, cat(tlv(0x02, modulus), tlv(0x02, [1, 0, 1])));
    const alg = tlv(0x30, cat(tlv(0x06, [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01]), tlv(0x05, [])));
    const spki = tlv(0x30, cat(alg, tlv(0x03, cat(new Uint8Array([0]), rsaKey))));
    throwsCode(() => parseSpki(spki, 'k'), 'KEY');
  });
});

describe('arrays in trusted roots, log bodies and DSSE envelopes', () => {
  it('refuses more than 64 logs in a trusted root', () => {
    const root = editJson(v03.trustedRoot, (d) => {
      d.tlogs = Array(65).fill(d.tlogs[0]);
    });
    throwsCode(() => parseTrustedRoot(root), 'LIMIT');
  });

  it('refuses a log body recording more than 16 signatures', () => {
    const bodyText = Buffer.from(JSON.parse(dsse.bundle).verificationMaterial.tlogEntries[0].canonicalizedBody, 'base64').toString();
    const body = JSON.parse(bodyText);
    const kind = `${body.kind}/${body.apiVersion}`;
    const sigs = kind === 'dsse/0.0.1' ? body.spec.signatures : body.spec.content?.envelope?.signatures;
    expect(Array.isArray(sigs), `unexpected body kind ${kind}`).toBe(true);
    sigs.push(...Array(16).fill(sigs[0]));
    throwsCode(() => parseEntryBody(enc.encode(JSON.stringify(body)), body.kind, body.apiVersion), 'LIMIT');
  });

  it('refuses 17 DSSE signatures with LIMIT and 2 with BUNDLE_FORMAT (exactly one)', () => {
    const many = (n: number) =>
      editJson(dsse.bundle, (d) => {
        d.dsseEnvelope.signatures = Array(n).fill(d.dsseEnvelope.signatures[0]);
      });
    throwsCode(() => decodeBundle(many(17)), 'LIMIT');
    throwsCode(() => decodeBundle(many(2)), 'BUNDLE_FORMAT');
  });
});

describe('policy caps (policy engine)', () => {
  it(`warns that a pattern over ${DEFAULT_LIMITS.maxPatternLength} characters evaluates as indeterminate`, () => {
    const doc = {
      apiVersion: 'policy.sigvet.dev/v1',
      name: 'caps',
      authorities: { a: { kind: 'keyless', identities: [{ issuer: { exact: 'https://issuer.example' }, subject: { regex: 'a'.repeat(DEFAULT_LIMITS.maxPatternLength + 1) } }] } },
      require: { signedBy: ['a'] },
    };
    expect(compilePolicy(doc).problems.map((p) => p.code)).toContain('PATTERN_TOO_LONG');
  });

  it(`stops at ${DEFAULT_LIMITS.maxEvidence} evidence items`, () => {
    const doc = {
      apiVersion: 'policy.sigvet.dev/v1',
      name: 'caps',
      authorities: { a: { kind: 'keyless', identities: [{ issuer: { exact: 'https://issuer.example' }, subject: { exact: 'x' } }] } },
      require: { signedBy: ['a'] },
    };
    const c = compilePolicy(doc);
    expect(c.ok).toBe(true);
    const v = evaluate(c.ok ? c.policy : (doc as never), { results: Array(DEFAULT_LIMITS.maxEvidence + 1).fill({}) } as never, { now: '2025-06-01T00:00:00Z' });
    expect(v.decision).not.toBe('allow');
    expect(JSON.stringify(v)).toContain('LIMIT_EXCEEDED');
  });

  it('refuses regular expressions past the repeat and program-size caps', () => {
    expect(() => LinearRegex.compile('a{1001}')).toThrow(RegexSyntaxError);
    expect(() => LinearRegex.compile('((a{100}){100}){100}')).toThrow(RegexSyntaxError);
  });

  it(`refuses YAML over ${MAX_YAML_BYTES} characters in policy imports`, () => {
    const r = importClusterImagePolicy(`# ${'x'.repeat(MAX_YAML_BYTES)}\n`);
    expect(r.policies).toEqual([]);
    expect(JSON.stringify(r.diagnostics)).toContain(String(MAX_YAML_BYTES));
  });
});



