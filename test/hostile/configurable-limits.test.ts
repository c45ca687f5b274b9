/**
 * Configurable caps (`limits` of the verifier, `documentLimits` of the policy
 * compiler): for each cap, the default holds, a lowered cap holds (one over
 * fails with LIMIT and `limit.<name>`, at the cap passes), the ceiling cannot
 * be passed, unknown caps are refused; the result cache never answers across
 * limits. test/hostile/limits.test.ts tests the default caps one by one.
 */
import { describe, expect, it } from 'vitest';
import {
  createVerifierWith,
  DEFAULT_VERIFIER_LIMITS,
  SigvetError,
  VERIFIER_LIMIT_CEILINGS,
  type CryptoProvider,
  type VerifierLimits,
  type VerificationResult,
} from '../../src/api.js';
import { decodeBundle } from '../../src/bundle/decode.js';
import { parseJson } from '../../src/encoding/json.js';
import { parseStatement, parseStatementJson } from '../../src/intoto/statement.js';
import { MAX_DIGEST_ALGORITHMS } from '../../src/intoto/digest-set.js';
import { MAX_SCTS, parseEmbeddedScts } from '../../src/x509/sct.js';
import { ExtensionOid, parseCertificate, type Certificate } from '../../src/x509/certificate.js';
import { MAX_PROOF_HASHES } from '../../src/tlog/merkle.js';
import { MAX_CHECKPOINT_BYTES, MAX_CHECKPOINT_SIGNATURES } from '../../src/tlog/checkpoint.js';
import { MAX_PATTERN_LENGTH, matchesWhole } from '../../src/verify/match.js';
import { ResultCache } from '../../src/verify/result-cache.js';
import { resolveVerifierLimits } from '../../src/verify/limits.js';
import { nodeCryptoProvider } from '../../src/crypto/node.js';
import { compilePolicy, DEFAULT_POLICY_DOCUMENT_LIMITS } from '../../src/policy.js';
import { jsonSizeAtMost } from '../../src/policy/evidence.js';
import { cat, editJson, mustLoad, refused, throwsCode, tlv, unb64, verify } from './vectors.js';

const enc = new TextEncoder();
const v03 = mustLoad('happy-path-v0.3');
const v01chain = mustLoad('happy-path-v0.1-chain-with-ca-certificates');
const dsse = mustLoad('happy-path-dsse');
const withTsa = mustLoad('happy-path-timestamp-with-embedded-certificates');
const twoSigs = mustLoad('happy-path-checkpoint-extra-signature');
const NAMES = Object.keys(DEFAULT_VERIFIER_LIMITS) as (keyof VerifierLimits)[];

const lim = (l: Partial<VerifierLimits>): { options: { limits: Partial<VerifierLimits> } } => ({ options: { limits: l } });

/** Nesting depth as the parser counts it (the outermost object or array is 1). */
function depthOf(v: unknown): number {
  if (v === null || typeof v !== 'object') return 0;
  return 1 + Math.max(0, ...Object.values(v as object).map(depthOf));
}

/** Longest string or key in a JSON value. */
function longestString(v: unknown): number {
  if (typeof v === 'string') return v.length;
  if (v === null || typeof v !== 'object') return 0;
  const own = Array.isArray(v) ? 0 : Math.max(0, ...Object.keys(v).map((k) => k.length));
  return Math.max(own, ...Object.values(v as object).map(longestString));
}

const cpOf = (bundle: string): string => JSON.parse(bundle).verificationMaterial.tlogEntries[0].inclusionProof.checkpoint.envelope;
const withCheckpoint = (bundle: string, cp: string): string =>
  editJson(bundle, (d) => {
    d.verificationMaterial.tlogEntries[0].inclusionProof.checkpoint.envelope = cp;
  });
const statement = (extra: Record<string, unknown>, subjects: unknown[] = [{ name: 'a', digest: { sha256: 'ab'.repeat(32) } }]): Uint8Array =>
  enc.encode(JSON.stringify({ _type: 'https://in-toto.io/Statement/v1', subject: subjects, predicateType: 'https://example.com/p', ...extra }));

describe('the limits option', () => {
  it('has a default and a ceiling for every cap, each a positive safe integer, frozen', () => {
    expect(Object.keys(VERIFIER_LIMIT_CEILINGS).sort()).toEqual([...NAMES].sort());
    for (const k of NAMES) {
      expect(Number.isSafeInteger(DEFAULT_VERIFIER_LIMITS[k]) && DEFAULT_VERIFIER_LIMITS[k] >= 1, k).toBe(true);
      expect(DEFAULT_VERIFIER_LIMITS[k], k).toBeLessThanOrEqual(VERIFIER_LIMIT_CEILINGS[k]);
    }
    expect(Object.isFrozen(DEFAULT_VERIFIER_LIMITS) && Object.isFrozen(VERIFIER_LIMIT_CEILINGS)).toBe(true);
  });

  it('ceilings are the hard caps of the layers below, where one exists', () => {
    expect(VERIFIER_LIMIT_CEILINGS.scts).toBe(MAX_SCTS);
    expect(VERIFIER_LIMIT_CEILINGS.proofHashes).toBe(MAX_PROOF_HASHES);
    expect(VERIFIER_LIMIT_CEILINGS.checkpointBytes).toBe(MAX_CHECKPOINT_BYTES);
    expect(VERIFIER_LIMIT_CEILINGS.checkpointSignatures).toBe(MAX_CHECKPOINT_SIGNATURES);
    expect(VERIFIER_LIMIT_CEILINGS.digestsPerSubject).toBe(MAX_DIGEST_ALGORITHMS);
    expect(VERIFIER_LIMIT_CEILINGS.patternLength).toBe(MAX_PATTERN_LENGTH);
    // The X.509 parser refuses one byte more than the certificate ceiling, and not the ceiling itself.
    throwsCode(() => parseCertificate(new Uint8Array(VERIFIER_LIMIT_CEILINGS.certificateBytes + 1)), 'LIMIT', 'x509.size');
    throwsCode(() => parseCertificate(new Uint8Array(VERIFIER_LIMIT_CEILINGS.certificateBytes)), 'PARSE');
  });

  it.each(NAMES)('%s: the ceiling is accepted, one more is refused with INVALID_ARGUMENT', async (k) => {
    expect(resolveVerifierLimits({ [k]: VERIFIER_LIMIT_CEILINGS[k] })[k]).toBe(VERIFIER_LIMIT_CEILINGS[k]);
    const e = throwsCode(() => resolveVerifierLimits({ [k]: VERIFIER_LIMIT_CEILINGS[k] + 1 }), 'INVALID_ARGUMENT', 'options.limits');
    expect(e.message).toContain(`limits.${k}`);
    await expect(createVerifierWith(nodeCryptoProvider, { trustedRoot: v03.trustedRoot, limits: { [k]: VERIFIER_LIMIT_CEILINGS[k] + 1 } })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      check: 'options.limits',
    });
  });

  it.each(NAMES)('%s: 0, negatives, fractions, NaN, Infinity and strings are refused; 1 is accepted', (k) => {
    for (const bad of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '8', null]) {
      throwsCode(() => resolveVerifierLimits({ [k]: bad } as never), 'INVALID_ARGUMENT', 'options.limits');
    }
    expect(resolveVerifierLimits({ [k]: 1 })[k]).toBe(1);
  });

  it('refuses unknown cap names, in the verifier, the bundle decoder and the statement parser', async () => {
    await expect(createVerifierWith(nodeCryptoProvider, { trustedRoot: v03.trustedRoot, limits: { tlogEntry: 3 } as never })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      check: 'input.unknown_option',
    });
    throwsCode(() => decodeBundle(v03.bundle, { maxDepth: 3 } as never), 'INVALID_ARGUMENT', 'input.unknown_option');
    throwsCode(() => parseStatement(statement({}), { subject: 3 } as never), 'INVALID_ARGUMENT', 'input.unknown_option');
  });

  it('refuses a limits option that is not an object', async () => {
    for (const bad of [null, [], 'small', 5]) {
      throwsCode(() => resolveVerifierLimits(bad as never), 'INVALID_ARGUMENT', 'options.limits');
      await expect(createVerifierWith(nodeCryptoProvider, { trustedRoot: v03.trustedRoot, limits: bad as never })).rejects.toBeInstanceOf(SigvetError);
    }
  });

  it('keeps the defaults for caps not given, and returns a frozen object', () => {
    const l = resolveVerifierLimits({ tlogEntries: 2 });
    expect(l).toEqual({ ...DEFAULT_VERIFIER_LIMITS, tlogEntries: 2 });
    expect(Object.isFrozen(l)).toBe(true);
    expect(resolveVerifierLimits(l)).toBe(l);
    expect(resolveVerifierLimits(undefined)).toBe(DEFAULT_VERIFIER_LIMITS);
  });
});

describe('bundleBytes', () => {
  const n = v03.bundle.length;

  it('a lowered cap holds for text and bytes; at the cap passes', async () => {
    expect(decodeBundle(v03.bundle, { bundleBytes: n }).version).toBe('0.3');
    const e = throwsCode(() => decodeBundle(v03.bundle, { bundleBytes: n - 1 }), 'LIMIT', 'limit.bundleBytes');
    expect([e.expected, e.actual]).toEqual([`<= ${n - 1}`, String(n)]);
    const bytes = enc.encode(v03.bundle);
    expect(decodeBundle(bytes, { bundleBytes: bytes.length }).version).toBe('0.3');
    throwsCode(() => decodeBundle(bytes, { bundleBytes: bytes.length - 1 }), 'LIMIT', 'limit.bundleBytes');
    throwsCode(() => decodeBundle(JSON.parse(v03.bundle) as object, { bundleBytes: 100 }), 'LIMIT', 'limit.bundleBytes');
    await verify(v03, v03.bundle, lim({ bundleBytes: n }));
    await refused(verify(v03, v03.bundle, lim({ bundleBytes: n - 1 })), 'LIMIT', 'limit.bundleBytes');
  });

  it('can be raised above the default, up to the ceiling', () => {
    const padded = v03.bundle + ' '.repeat(DEFAULT_VERIFIER_LIMITS.bundleBytes);
    throwsCode(() => decodeBundle(padded), 'LIMIT', 'limit.bundleBytes');
    expect(decodeBundle(padded, { bundleBytes: padded.length }).version).toBe('0.3');
  });

  it('refuses a 100 MB bundle through a caching verifier without hashing it', async () => {
    const seen: number[] = [];
    const spy: CryptoProvider = Object.create(nodeCryptoProvider, {
      digest: { value: (alg: 'sha256', data: Uint8Array) => (seen.push(data.length), nodeCryptoProvider.digest(alg, data)) },
    });
    const v = await createVerifierWith(spy, { trustedRoot: v03.trustedRoot, cache: { maxEntries: 4 } });
    const huge = `{"mediaType":"${'a'.repeat(100 * 1024 * 1024)}"}`;
    await refused(v.verify(huge, v03.input), 'LIMIT', 'limit.bundleBytes');
    expect(Math.max(0, ...seen)).toBeLessThan(DEFAULT_VERIFIER_LIMITS.bundleBytes);
  });
});

describe('jsonDepth', () => {
  const depth = depthOf(JSON.parse(v03.bundle));

  it('a lowered cap holds in the bundle; at the cap passes', async () => {
    expect(decodeBundle(v03.bundle, { jsonDepth: depth }).version).toBe('0.3');
    throwsCode(() => decodeBundle(v03.bundle, { jsonDepth: depth - 1 }), 'LIMIT', 'limit.jsonDepth');
    await verify(v03, v03.bundle, lim({ jsonDepth: depth }));
    await refused(verify(v03, v03.bundle, lim({ jsonDepth: depth - 1 })), 'LIMIT', 'limit.jsonDepth');
  });

  it('a lowered cap holds in the in-toto statement', () => {
    const p = statement({ predicate: { a: { b: { c: {} } } } });
    const d = depthOf(JSON.parse(new TextDecoder().decode(p)));
    expect(parseStatement(p, { jsonDepth: d }).predicate).toBeDefined();
    throwsCode(() => parseStatement(p, { jsonDepth: d - 1 }), 'LIMIT', 'limit.jsonDepth');
  });

  it('the default holds; a raised cap lets deeper nesting through to the shape checks', () => {
    const nested = (n: number) => `{"mediaType":${'['.repeat(n)}${']'.repeat(n)}}`;
    throwsCode(() => decodeBundle(nested(DEFAULT_VERIFIER_LIMITS.jsonDepth)), 'LIMIT', 'limit.jsonDepth');
    throwsCode(() => decodeBundle(nested(DEFAULT_VERIFIER_LIMITS.jsonDepth), { jsonDepth: 128 }), 'BUNDLE_FORMAT');
  });

  it('refuses 10,000-deep nesting at the ceiling too, without a stack overflow', () => {
    const e = throwsCode(() => decodeBundle('['.repeat(10_000), { jsonDepth: VERIFIER_LIMIT_CEILINGS.jsonDepth }), 'LIMIT', 'limit.jsonDepth');
    expect(e.expected).toBe(`<= ${VERIFIER_LIMIT_CEILINGS.jsonDepth}`);
  });
});

describe('jsonStringLength', () => {
  const longest = longestString(JSON.parse(v03.bundle));

  it('a lowered cap holds in the bundle; at the cap passes', async () => {
    expect(decodeBundle(v03.bundle, { jsonStringLength: longest }).version).toBe('0.3');
    throwsCode(() => decodeBundle(v03.bundle, { jsonStringLength: longest - 1 }), 'LIMIT', 'limit.jsonStringLength');
    await verify(v03, v03.bundle, lim({ jsonStringLength: longest }));
    await refused(verify(v03, v03.bundle, lim({ jsonStringLength: longest - 1 })), 'LIMIT', 'limit.jsonStringLength');
  });

  it('a lowered cap holds in the in-toto statement', () => {
    const p = statement({ predicate: { note: 'x'.repeat(100) } });
    expect(parseStatement(p, { jsonStringLength: 100 }).predicate).toBeDefined();
    throwsCode(() => parseStatement(p, { jsonStringLength: 99 }), 'LIMIT', 'limit.jsonStringLength');
  });

  it('the default (the bundle size) holds once the bundle cap is raised', () => {
    const max = DEFAULT_VERIFIER_LIMITS.jsonStringLength;
    const text = (n: number) => `{"mediaType":"${'a'.repeat(n)}"}`;
    const big = { bundleBytes: 2 * max };
    throwsCode(() => decodeBundle(text(max), big), 'BUNDLE_FORMAT');
    throwsCode(() => decodeBundle(text(max + 1), big), 'LIMIT', 'limit.jsonStringLength');
  });

  describe('in parseJson', () => {
    it('counts characters after unescaping, keys included, in both scanning paths', () => {
      expect(parseJson('"abcd"', 'x', { maxStringLength: 4 })).toBe('abcd');
      throwsCode(() => parseJson('"abcd"', 'x', { maxStringLength: 3 }), 'LIMIT', 'json.string_length');
      expect(parseJson('"a\\nb\\u0063"', 'x', { maxStringLength: 4 })).toBe('a\nbc');
      throwsCode(() => parseJson('"a\\nb\\u0063"', 'x', { maxStringLength: 3 }), 'LIMIT', 'json.string_length');
      throwsCode(() => parseJson('"ab\\nc\\u0064e"', 'x', { maxStringLength: 4 }), 'LIMIT', 'json.string_length');
      expect(parseJson('{"abcd":1}', 'x', { maxStringLength: 4 })).toEqual({ abcd: 1 });
      throwsCode(() => parseJson('{"abcd":1}', 'x', { maxStringLength: 3 }), 'LIMIT', 'json.string_length');
    });

    it('stops scanning at the cap, and names the caller check when given one', () => {
      const e = throwsCode(() => parseJson(`"${'a'.repeat(1_000_000)}`, 'x', { maxStringLength: 10, checks: { stringLength: 'mine' } }), 'LIMIT', 'mine');
      expect(e.expected).toBe('<= 10');
      expect(parseJson('["abc"]', 'x')).toEqual(['abc']);
    });
  });
});

describe('chainCertificates and certificateBytes', () => {
  const chain: string[] = JSON.parse(v01chain.bundle).verificationMaterial.x509CertificateChain.certificates.map((c: { rawBytes: string }) => c.rawBytes);
  const sizes = chain.map((c) => unb64(c).length);
  const leafSize = unb64(JSON.parse(v03.bundle).verificationMaterial.certificate.rawBytes).length;

  it('chainCertificates: a lowered cap holds; at the cap passes', async () => {
    expect(chain.length).toBeGreaterThan(1);
    expect(decodeBundle(v01chain.bundle, { chainCertificates: chain.length }).keyMaterial.type).toBe('certificate');
    const e = throwsCode(() => decodeBundle(v01chain.bundle, { chainCertificates: chain.length - 1 }), 'LIMIT', 'limit.chainCertificates');
    expect(e.actual).toBe(String(chain.length));
    await verify(v01chain, v01chain.bundle, lim({ chainCertificates: chain.length }));
    await refused(verify(v01chain, v01chain.bundle, lim({ chainCertificates: chain.length - 1 })), 'LIMIT', 'limit.chainCertificates');
  });

  it('chainCertificates: the default holds and can be raised', () => {
    const long = editJson(v01chain.bundle, (d) => {
      const c = d.verificationMaterial.x509CertificateChain;
      c.certificates = Array(DEFAULT_VERIFIER_LIMITS.chainCertificates + 1).fill(c.certificates[0]);
    });
    throwsCode(() => decodeBundle(long), 'LIMIT', 'limit.chainCertificates');
    expect(decodeBundle(long, { chainCertificates: 20 }).keyMaterial.type).toBe('certificate');
  });

  it('certificateBytes: a lowered cap holds for the v0.3 certificate and every chain member; at the cap passes', async () => {
    expect(decodeBundle(v03.bundle, { certificateBytes: leafSize }).version).toBe('0.3');
    const e = throwsCode(() => decodeBundle(v03.bundle, { certificateBytes: leafSize - 1 }), 'LIMIT', 'limit.certificateBytes');
    expect(e.actual).toBe(String(leafSize));
    await verify(v03, v03.bundle, lim({ certificateBytes: leafSize }));
    await refused(verify(v03, v03.bundle, lim({ certificateBytes: leafSize - 1 })), 'LIMIT', 'limit.certificateBytes');
    const largest = Math.max(...sizes);
    expect(decodeBundle(v01chain.bundle, { certificateBytes: largest }).version).toBe('0.1');
    throwsCode(() => decodeBundle(v01chain.bundle, { certificateBytes: largest - 1 }), 'LIMIT', 'limit.certificateBytes');
  });

  it('certificateBytes: the default holds before the certificate is parsed', () => {
    const big = editJson(v03.bundle, (d) => {
      d.verificationMaterial.certificate.rawBytes = Buffer.alloc(DEFAULT_VERIFIER_LIMITS.certificateBytes + 1, 0x30).toString('base64');
    });
    throwsCode(() => decodeBundle(big), 'LIMIT', 'limit.certificateBytes');
  });
});

/** A certificate stand-in carrying only an SCT-list extension value. */
function sctCarrier(n: number): Certificate {
  const sct = (i: number): Uint8Array => cat(new Uint8Array([0]), new Uint8Array(32).fill(i), new Uint8Array(8), new Uint8Array([0, 0, 4, 3, 0, 1, 0]));
  const body = cat(...Array.from({ length: n }, (_, i) => cat(new Uint8Array([0, 48]), sct(i))));
  const value = tlv(0x04, cat(new Uint8Array([body.length >> 8, body.length & 0xff]), body));
  return { extension: (oid: string) => (oid === ExtensionOid.SCT_LIST ? { oid, critical: false, value } : undefined) } as unknown as Certificate;
}

describe('scts', () => {
  it('a lowered cap holds; at the cap passes; the default holds', () => {
    expect(parseEmbeddedScts(sctCarrier(3), 3)).toHaveLength(3);
    const e = throwsCode(() => parseEmbeddedScts(sctCarrier(3), 2), 'LIMIT', 'limit.scts');
    expect(e.expected).toBe('<= 2');
    throwsCode(() => parseEmbeddedScts(sctCarrier(DEFAULT_VERIFIER_LIMITS.scts + 1)), 'LIMIT', 'limit.scts');
    // A larger argument cannot lift the parser's own cap.
    throwsCode(() => parseEmbeddedScts(sctCarrier(MAX_SCTS + 1), MAX_SCTS * 2), 'LIMIT', 'limit.scts');
  });

  it('reaches the verifier: the embedded SCT verifies at a cap of 1', async () => {
    const r = await verify(v03, v03.bundle, lim({ scts: 1 }));
    expect(r.signer.type === 'certificate' && r.signer.scts.length).toBe(1);
  });
});

describe('tlogEntries and timestamps', () => {
  const entries = (n: number) =>
    editJson(v03.bundle, (d) => {
      d.verificationMaterial.tlogEntries = Array(n).fill(d.verificationMaterial.tlogEntries[0]);
    });
  const stamps = (n: number) =>
    editJson(withTsa.bundle, (d) => {
      const t = d.verificationMaterial.timestampVerificationData;
      t.rfc3161Timestamps = Array(n).fill(t.rfc3161Timestamps[0]);
    });

  it('tlogEntries: a lowered cap holds; at the cap passes; the default holds and can be raised', async () => {
    expect(decodeBundle(entries(2), { tlogEntries: 2 }).tlogEntries).toHaveLength(2);
    const e = throwsCode(() => decodeBundle(entries(2), { tlogEntries: 1 }), 'LIMIT', 'limit.tlogEntries');
    expect([e.expected, e.actual]).toEqual(['<= 1', '2']);
    await refused(verify(v03, entries(2), lim({ tlogEntries: 1 })), 'LIMIT', 'limit.tlogEntries');
    await verify(v03, v03.bundle, lim({ tlogEntries: 1 }));
    throwsCode(() => decodeBundle(entries(DEFAULT_VERIFIER_LIMITS.tlogEntries + 1)), 'LIMIT', 'limit.tlogEntries');
    expect(decodeBundle(entries(DEFAULT_VERIFIER_LIMITS.tlogEntries + 1), { tlogEntries: 64 }).tlogEntries).toHaveLength(33);
  });

  it('timestamps: a lowered cap holds; at the cap passes; the default holds and can be raised', async () => {
    expect(decodeBundle(stamps(2), { timestamps: 2 }).rfc3161Timestamps).toHaveLength(2);
    throwsCode(() => decodeBundle(stamps(2), { timestamps: 1 }), 'LIMIT', 'limit.timestamps');
    await refused(verify(withTsa, stamps(2), lim({ timestamps: 1 })), 'LIMIT', 'limit.timestamps');
    await verify(withTsa, withTsa.bundle, lim({ timestamps: 1 }));
    throwsCode(() => decodeBundle(stamps(DEFAULT_VERIFIER_LIMITS.timestamps + 1)), 'LIMIT', 'limit.timestamps');
    expect(decodeBundle(stamps(DEFAULT_VERIFIER_LIMITS.timestamps + 1), { timestamps: 64 }).rfc3161Timestamps).toHaveLength(33);
  });
});

describe('proofHashes', () => {
  const h = JSON.parse(v03.bundle).verificationMaterial.tlogEntries[0].inclusionProof.hashes.length as number;

  it('a lowered cap holds; at the cap passes; the default holds', async () => {
    expect(h).toBeGreaterThan(1);
    await verify(v03, v03.bundle, lim({ proofHashes: h }));
    const e = await refused(verify(v03, v03.bundle, lim({ proofHashes: h - 1 })), 'LIMIT', 'limit.proofHashes');
    expect(e.actual).toBe(String(h));
    const long = editJson(v03.bundle, (d) => {
      const p = d.verificationMaterial.tlogEntries[0].inclusionProof;
      p.hashes = Array(DEFAULT_VERIFIER_LIMITS.proofHashes + 1).fill(p.hashes[0]);
    });
    throwsCode(() => decodeBundle(long), 'LIMIT', 'limit.proofHashes');
  });
});

describe('checkpointBytes, checkpointBodyLines, checkpointSignatures', () => {
  const cp = cpOf(v03.bundle);
  const cpBytes = enc.encode(cp).length;
  const sep = cp.lastIndexOf('\n\n');
  const bodyLines = cp.slice(0, sep + 1).split('\n').length - 1;

  it('checkpointBytes: counts UTF-8 bytes; a lowered cap holds; at the cap passes', async () => {
    expect(cpBytes).toBeGreaterThan(cp.length); // the em dash takes three bytes
    await verify(v03, v03.bundle, lim({ checkpointBytes: cpBytes }));
    const e = await refused(verify(v03, v03.bundle, lim({ checkpointBytes: cpBytes - 1 })), 'LIMIT', 'limit.checkpointBytes');
    expect(e.expected).toBe(`<= ${cpBytes - 1}`);
    throwsCode(() => decodeBundle(v03.bundle, { checkpointBytes: cp.length }), 'LIMIT', 'limit.checkpointBytes');
  });

  it('checkpointBytes: the default holds before the note is parsed', () => {
    const big = withCheckpoint(v03.bundle, cp.replace('\n\n', `\n${'x'.repeat(DEFAULT_VERIFIER_LIMITS.checkpointBytes)}\n\n`));
    throwsCode(() => decodeBundle(big), 'LIMIT', 'limit.checkpointBytes');
  });

  it('checkpointBodyLines: a lowered cap holds; at the cap passes; the default holds and can be raised', async () => {
    expect(bodyLines).toBe(3);
    await verify(v03, v03.bundle, lim({ checkpointBodyLines: bodyLines }));
    await refused(verify(v03, v03.bundle, lim({ checkpointBodyLines: bodyLines - 1 })), 'LIMIT', 'limit.checkpointBodyLines');
    const ext = (n: number) => withCheckpoint(v03.bundle, cp.replace('\n\n', `\n${'ext\n'.repeat(n)}\n`));
    const over = DEFAULT_VERIFIER_LIMITS.checkpointBodyLines - bodyLines + 1;
    expect(decodeBundle(ext(over - 1)).version).toBe('0.3');
    throwsCode(() => decodeBundle(ext(over)), 'LIMIT', 'limit.checkpointBodyLines');
    expect(decodeBundle(ext(over), { checkpointBodyLines: 64 }).version).toBe('0.3');
  });

  it('checkpointSignatures: a lowered cap holds; at the cap passes; the default holds', async () => {
    const n = cpOf(twoSigs.bundle).split('\n\n')[1]!.split('\n').length - 1;
    expect(n).toBe(2);
    await verify(twoSigs, twoSigs.bundle, lim({ checkpointSignatures: n }));
    await refused(verify(twoSigs, twoSigs.bundle, lim({ checkpointSignatures: n - 1 })), 'LIMIT', 'limit.checkpointSignatures');
    const line = cp.slice(sep + 2);
    const many = withCheckpoint(v03.bundle, cp.slice(0, sep + 2) + line.repeat(DEFAULT_VERIFIER_LIMITS.checkpointSignatures + 1));
    throwsCode(() => decodeBundle(many), 'LIMIT', 'limit.checkpointSignatures');
    const enough = withCheckpoint(v03.bundle, cp.slice(0, sep + 2) + line.repeat(DEFAULT_VERIFIER_LIMITS.checkpointSignatures));
    expect(decodeBundle(enough).version).toBe('0.3');
  });
});

describe('subjects, digestsPerSubject, predicateBytes', () => {
  const subject = (i: number, digests = 1) => ({
    name: `s${i}`,
    digest: Object.fromEntries(Array.from({ length: digests }, (_, j) => [j === 0 ? 'sha256' : `alg${j}`, j === 0 ? i.toString(16).padStart(64, '0') : 'ab'])),
  });

  it('subjects: a lowered cap holds; at the cap passes', () => {
    const p = statement({}, [subject(1), subject(2), subject(3)]);
    expect(parseStatement(p, { subjects: 3 }).subject).toHaveLength(3);
    const e = throwsCode(() => parseStatement(p, { subjects: 2 }), 'LIMIT', 'limit.subjects');
    expect([e.expected, e.actual]).toEqual(['<= 2', '3']);
  });

  it('subjects: reaches the verifier (the one subject passes at a cap of 1)', async () => {
    const r = await verify(dsse, dsse.bundle, lim({ subjects: 1 }));
    expect(r.content.type).toBe('dsseEnvelope');
  });

  it('digestsPerSubject: a lowered cap holds; at the cap passes; the default holds', () => {
    const p = statement({}, [subject(1, 3)]);
    expect(Object.keys(parseStatement(p, { digestsPerSubject: 3 }).subject[0]!.digest)).toHaveLength(3);
    const e = throwsCode(() => parseStatement(p, { digestsPerSubject: 2 }), 'LIMIT', 'limit.digestsPerSubject');
    expect(e.message).toContain('/subject/0/digest');
    throwsCode(() => parseStatement(statement({}, [subject(1, DEFAULT_VERIFIER_LIMITS.digestsPerSubject + 1)])), 'LIMIT', 'limit.digestsPerSubject');
  });

  it('predicateBytes: a lowered cap holds; at the compact JSON size passes (bytes and parsed JSON)', () => {
    const predicate = { note: 'x'.repeat(100), list: ['a', 'b'], nested: { t: true, f: false, z: null } };
    const size = JSON.stringify(predicate).length;
    const p = statement({ predicate });
    expect(parseStatement(p, { predicateBytes: size }).predicate).toEqual(predicate);
    const e = throwsCode(() => parseStatement(p, { predicateBytes: size - 1 }), 'LIMIT', 'limit.predicateBytes');
    expect(e.expected).toBe(`<= ${size - 1}`);
    const doc = parseJson(new TextDecoder().decode(p), 'x');
    expect(parseStatementJson(doc, { predicateBytes: size }).predicate).toEqual(predicate);
    throwsCode(() => parseStatementJson(doc, { predicateBytes: size - 1 }), 'LIMIT', 'limit.predicateBytes');
  });

  it('predicateBytes: never more than the payload, so payloads under the cap are never measured too high', () => {
    // Numbers and escapes take more room in the payload than in the measure.
    const predicate = { n: [1e21, 123456789, -0.5], s: '\u00e9\n"' };
    const p = statement({ predicate });
    expect(parseStatement(p, { predicateBytes: p.length }).predicate).toEqual(predicate);
    expect(parseStatementJson(parseJson(new TextDecoder().decode(p), 'x'), { predicateBytes: p.length }).predicate).toEqual(predicate);
  });

  it('predicateBytes: the default holds and can be raised', () => {
    const half = DEFAULT_VERIFIER_LIMITS.predicateBytes / 2;
    const p = statement({ predicate: { a: 'x'.repeat(half), b: 'y'.repeat(half) } });
    throwsCode(() => parseStatement(p), 'LIMIT', 'limit.predicateBytes');
    expect(parseStatement(p, { predicateBytes: 2 * DEFAULT_VERIFIER_LIMITS.predicateBytes }).predicate).toBeDefined();
  });

  it('predicateBytes: reaches the verifier', async () => {
    const pred = JSON.parse(Buffer.from(JSON.parse(dsse.bundle).dsseEnvelope.payload, 'base64').toString()).predicate;
    const size = JSON.stringify(pred).length;
    await verify(dsse, dsse.bundle, lim({ predicateBytes: size }));
    await refused(verify(dsse, dsse.bundle, lim({ predicateBytes: size - 1 })), 'LIMIT', 'limit.predicateBytes');
  });
});

describe('patternLength', () => {
  const san = (v03.input.identity!.subjectAlternativeName as string).trim();
  const regex = san.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

  it('a lowered cap holds; at the cap passes; the default holds', async () => {
    expect(matchesWhole({ regex }, san, regex.length)).toBe(true);
    throwsCode(() => matchesWhole({ regex }, san, regex.length - 1), 'LIMIT', 'limit.patternLength');
    throwsCode(() => matchesWhole({ regex: `${'a'.repeat(DEFAULT_VERIFIER_LIMITS.patternLength)}b` }, 'x'), 'LIMIT', 'limit.patternLength');
    const input = { identity: { subjectAlternativeName: { regex }, issuer: v03.input.identity!.issuer } };
    await verify(v03, v03.bundle, { input, options: { limits: { patternLength: regex.length } } });
    await refused(verify(v03, v03.bundle, { input, options: { limits: { patternLength: regex.length - 1 } } }), 'LIMIT', 'limit.patternLength');
  });
});

describe('the result cache and limits', () => {
  const leafSize = unb64(JSON.parse(v03.bundle).verificationMaterial.certificate.rawBytes).length;

  it('a result cached under one set of limits never answers another', async () => {
    const lenient = await createVerifierWith(nodeCryptoProvider, { trustedRoot: v03.trustedRoot, cache: { maxEntries: 8 } });
    const strict = await createVerifierWith(nodeCryptoProvider, { trustedRoot: v03.trustedRoot, cache: { maxEntries: 8 }, limits: { certificateBytes: leafSize - 1 } });
    const first = await lenient.verify(v03.bundle, v03.input);
    expect(await lenient.verify(v03.bundle, v03.input)).toBe(first); // answered from the cache
    await refused(strict.verify(v03.bundle, v03.input), 'LIMIT', 'limit.certificateBytes');
    await refused(strict.verify(v03.bundle, v03.input), 'LIMIT', 'limit.certificateBytes');
    expect(await lenient.verify(v03.bundle, v03.input)).toBe(first);
  });

  it('does not hash, or keep, a bundle over the size cap', async () => {
    const seen: number[] = [];
    const spy = { digest: async (_a: string, d: Uint8Array) => (seen.push(d.length), new Uint8Array(32)) } as unknown as CryptoProvider;
    const cache = new ResultCache(8, 10);
    const result = { mediaType: 'x' } as unknown as VerificationResult;
    let runs = 0;
    const run = async () => (runs++, result);
    await cache.verify(spy, 'x'.repeat(11), { artifactDigest: 'sha256:00' }, run);
    await cache.verify(spy, new Uint8Array(11), { artifactDigest: 'sha256:00' }, run);
    expect([runs, cache.size, seen]).toEqual([2, 0, []]);
    // Within the cap: bytes are keyed by their digest, a short text by itself (no hashing).
    await cache.verify(spy, new Uint8Array(10), { artifactDigest: 'sha256:00' }, run);
    expect([runs, cache.size, seen]).toEqual([3, 1, [10]]);
    await cache.verify(spy, 'x'.repeat(10), { artifactDigest: 'sha256:00' }, run);
    expect([runs, cache.size, seen]).toEqual([4, 2, [10]]);
    await cache.verify(spy, 'x'.repeat(10), { artifactDigest: 'sha256:00' }, run);
    expect([runs, cache.size, seen]).toEqual([4, 2, [10]]);
  });

  it('keys a long text (over 64 Ki characters, within the cap) by its digest, so the cache never holds long texts', async () => {
    const seen: number[] = [];
    const spy = { digest: (_a: string, d: Uint8Array) => (seen.push(d.length), new Uint8Array(32).fill(d.length & 0xff)) } as unknown as CryptoProvider;
    const cache = new ResultCache(8, 1 << 20);
    const result = { mediaType: 'x' } as unknown as VerificationResult;
    let runs = 0;
    const run = async () => (runs++, result);
    const long = 'y'.repeat(64 * 1024 + 1);
    await cache.verify(spy, long, { artifactDigest: 'sha256:00' }, run);
    await cache.verify(spy, long, { artifactDigest: 'sha256:00' }, run);
    expect([runs, cache.size, seen]).toEqual([1, 1, [64 * 1024 + 1, 64 * 1024 + 1]]);
  });

  it('bypasses an object bundle that cannot be serialized (the decoder reports it)', async () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const v = await createVerifierWith(nodeCryptoProvider, { trustedRoot: v03.trustedRoot, cache: { maxEntries: 8 } });
    await refused(v.verify(cyclic, v03.input), 'PARSE');
  });
});

describe('policy documentLimits', () => {
  const base = {
    apiVersion: 'policy.sigvet.dev/v1',
    name: 'caps',
    description: '',
    authorities: { a: { kind: 'keyless', identities: [{ issuer: { exact: 'https://issuer.example' }, subject: { exact: 'x' } }] } },
    require: { signedBy: ['a'] },
  };
  const limitProblem = (r: ReturnType<typeof compilePolicy>) => (r.ok ? undefined : r.problems.find((p) => p.code === 'LIMIT'));

  it('maxDocumentBytes: the default holds; at the cap passes', () => {
    const max = DEFAULT_POLICY_DOCUMENT_LIMITS.maxDocumentBytes;
    const pad = max - jsonSizeAtMost(base, max);
    expect(compilePolicy({ ...base, description: 'd'.repeat(pad) }).ok).toBe(true);
    const p = limitProblem(compilePolicy({ ...base, description: 'd'.repeat(pad + 1) }));
    expect(p?.message).toContain('maxDocumentBytes');
    expect(p?.severity).toBe('error');
  });

  it('maxDocumentBytes: a lowered cap holds; at the cap passes', () => {
    const size = jsonSizeAtMost(base, Infinity);
    expect(compilePolicy(base, { documentLimits: { maxDocumentBytes: size } }).ok).toBe(true);
    expect(limitProblem(compilePolicy(base, { documentLimits: { maxDocumentBytes: size - 1 } }))?.message).toContain('documentLimits.maxDocumentBytes');
  });

  it('maxDocumentBytes: a cyclic or huge object is measured with bounded work', () => {
    const cyclic: Record<string, unknown> = { ...base };
    cyclic.description = cyclic;
    expect(limitProblem(compilePolicy(cyclic))).toBeDefined();
    const wide = { ...base, description: Array(2_000_000).fill(0) };
    expect(limitProblem(compilePolicy(wide))).toBeDefined();
  });

  it('maxRules: a lowered cap holds; at the cap passes; the default holds', () => {
    const doc = (n: number) => ({ ...base, require: { allOf: Array.from({ length: n }, () => ({ signedBy: ['a'] })) } });
    expect(compilePolicy(doc(3), { documentLimits: { maxRules: 4 } }).ok).toBe(true);
    expect(limitProblem(compilePolicy(doc(3), { documentLimits: { maxRules: 3 } }))?.message).toContain('documentLimits.maxRules');
    const max = DEFAULT_POLICY_DOCUMENT_LIMITS.maxRules;
    expect(limitProblem(compilePolicy(doc(max - 1)))).toBeUndefined();
    expect(limitProblem(compilePolicy(doc(max)))?.message).toContain('maxRules');
  });

  it('maxRules: counts named rules and nested rules', () => {
    const doc = { ...base, rules: { r: { not: { anyOf: [{ signedBy: ['a'] }] } } }, require: { atLeast: 1, of: [{ use: 'r' }, { signedBy: ['a'] }] } };
    // require: atLeast + use + signedBy = 3; rules.r: not + anyOf + signedBy = 3.
    expect(compilePolicy(doc, { documentLimits: { maxRules: 6 } }).problems.filter((p) => p.code === 'LIMIT')).toEqual([]);
    expect(limitProblem(compilePolicy(doc, { documentLimits: { maxRules: 5 } }))).toBeDefined();
  });

  it('refuses unknown or invalid documentLimits, and a document cannot raise its own caps', () => {
    throwsCode(() => compilePolicy(base, { documentLimits: { maxRule: 3 } as never }), 'INVALID_ARGUMENT', 'input.unknown_option');
    for (const bad of [0, -1, 2.5, Number.NaN, '10', null]) {
      throwsCode(() => compilePolicy(base, { documentLimits: { maxRules: bad as never } }), 'INVALID_ARGUMENT', 'options.documentLimits');
    }
    const r = compilePolicy({ ...base, limits: { maxRules: 10_000 } });
    expect(r.ok).toBe(false);
    expect(r.problems.map((p) => p.code)).toContain('SCHEMA');
  });
});
