import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  MAX_CHECKPOINT_BYTES,
  MAX_CHECKPOINT_SIGNATURES,
  checkpointKeyHint,
  checkpointOriginMatches,
  parseCheckpoint,
  verifyCheckpoint,
  type Checkpoint,
  type CheckpointVerifier,
} from '../../src/tlog/checkpoint.js';
import { SigvetError, isSigvetError } from '../../src/errors.js';
import { decodeBase64, encodeBase64 } from '../../src/encoding/base64.js';
import { toHex } from '../../src/encoding/hex.js';
import { importPublicKey } from '../../src/crypto/verify-signature.js';
import type { CryptoProvider, SignatureScheme } from '../../src/crypto/provider.js';
import { nodeCryptoProvider } from '../../src/crypto/node.js';
import { webCryptoProvider } from '../../src/crypto/webcrypto.js';
import { nobleProvider } from '../../src/crypto/noble.js';

const provider: CryptoProvider = nodeCryptoProvider;
/** Real checkpoints are verified with every provider, so all runtimes agree on them. */
const PROVIDERS: readonly CryptoProvider[] = [nodeCryptoProvider, webCryptoProvider, nobleProvider];

const CONFORMANCE = fileURLToPath(new URL('../../../shared/conformance', import.meta.url));
const haveConformance = existsSync(path.join(CONFORMANCE, 'CASES.json'));
if (!haveConformance) console.warn(`checkpoint conformance data skipped: ${CONFORMANCE} is absent`);

function expectCode(code: string, fn: () => unknown): SigvetError {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err, 'expected a failure').toBeDefined();
  expect(isSigvetError(err), String(err)).toBe(true);
  expect((err as SigvetError).code, (err as Error).message).toBe(code);
  return err as SigvetError;
}

async function expectRejects(code: string, p: Promise<unknown>): Promise<SigvetError> {
  let err: unknown;
  try {
    await p;
  } catch (e) {
    err = e;
  }
  expect(err, 'expected a failure').toBeDefined();
  expect(isSigvetError(err), String(err)).toBe(true);
  expect((err as SigvetError).code, (err as Error).message).toBe(code);
  return err as SigvetError;
}

// ---------------------------------------------------------------------------
// Synthetic logs: keys generated here, so every negative case starts from a
// checkpoint that is otherwise valid.

function spkiOf(k: crypto.KeyObject): Uint8Array {
  return new Uint8Array(k.export({ format: 'der', type: 'spki' }));
}

async function makeLog(kind: 'ed25519' | 'ecdsa', name: string) {
  const pair = kind === 'ed25519' ? crypto.generateKeyPairSync('ed25519') : crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const key = await importPublicKey(provider, spkiOf(pair.publicKey), 'test log key');
  const scheme: SignatureScheme = kind === 'ed25519' ? { kind: 'ed25519' } : { kind: 'ecdsa', hash: 'sha256' };
  const keyHint = checkpointKeyHint(name, key);
  const verifier: CheckpointVerifier = { name, key, scheme, keyHint };
  const sign = (body: string): Uint8Array =>
    new Uint8Array(crypto.sign(kind === 'ed25519' ? null : 'sha256', Buffer.from(body, 'utf8'), pair.privateKey));
  const line = (body: string, lineName = name, hint = keyHint): string =>
    `\u2014 ${lineName} ${encodeBase64(new Uint8Array([...hint, ...sign(body)]))}\n`;
  return { pair, key, verifier, sign, line };
}

const ROOT_B64 = encodeBase64(new Uint8Array(32).fill(0xab));
const BODY = `example.test/log\n42\n${ROOT_B64}\n`;

describe('parseCheckpoint grammar', () => {
  const sig = `\u2014 example.test/log ${encodeBase64(new Uint8Array(68).fill(1))}\n`;
  const good = `${BODY}\n${sig}`;

  it('parses a minimal note and keeps the exact signed bytes', () => {
    const cp = parseCheckpoint(good);
    expect(cp.origin).toBe('example.test/log');
    expect(cp.size).toBe(42n);
    expect(cp.rootHash).toEqual(new Uint8Array(32).fill(0xab));
    expect(cp.extensions).toEqual([]);
    expect(new TextDecoder().decode(cp.signedText)).toBe(BODY);
    expect(cp.signatures).toHaveLength(1);
    expect(cp.signatures[0]!.name).toBe('example.test/log');
    expect(cp.signatures[0]!.keyHint).toEqual(new Uint8Array(4).fill(1));
    expect(cp.signatures[0]!.signature).toHaveLength(64);
  });

  it('accepts size 0, size 2^64 - 1, extension lines and non-ASCII origins', () => {
    expect(parseCheckpoint(`o\n0\n${ROOT_B64}\n\n${sig}`).size).toBe(0n);
    expect(parseCheckpoint(`o\n18446744073709551615\n${ROOT_B64}\n\n${sig}`).size).toBe((1n << 64n) - 1n);
    const cp = parseCheckpoint(`ö log\n1\n${ROOT_B64}\nTimestamp: 1\nx y\n\n${sig}`);
    expect(cp.extensions).toEqual(['Timestamp: 1', 'x y']);
    expect(new TextDecoder().decode(cp.signedText)).toBe(`ö log\n1\n${ROOT_B64}\nTimestamp: 1\nx y\n`);
  });

  const bad: [string, string][] = [
    ['missing size', `o\n${ROOT_B64}\n\n${sig}`],
    ['missing root hash', `o\n5\n\n${sig}`],
    ['empty origin', `\n5\n${ROOT_B64}\n\n${sig}`],
    ['size with a plus sign', `o\n+5\n${ROOT_B64}\n\n${sig}`],
    ['size with a minus sign', `o\n-5\n${ROOT_B64}\n\n${sig}`],
    ['size with a leading zero', `o\n05\n${ROOT_B64}\n\n${sig}`],
    ['size 00', `o\n00\n${ROOT_B64}\n\n${sig}`],
    ['size in full-width digits', `o\n\uff15\n${ROOT_B64}\n\n${sig}`],
    ['size with a space', `o\n5 \n${ROOT_B64}\n\n${sig}`],
    ['size in hex', `o\n0x5\n${ROOT_B64}\n\n${sig}`],
    ['size above 2^64 - 1', `o\n18446744073709551616\n${ROOT_B64}\n\n${sig}`],
    ['missing final newline', `${BODY}\n${sig.slice(0, -1)}`],
    ['no blank line', `${BODY}${sig}`],
    ['no signature lines', `${BODY}\n`],
    ['blank line after the signatures', `${BODY}\n${sig}\n`],
    ['empty extension line', `o\n5\n${ROOT_B64}\n\nTimestamp: 1\n\n${sig}`],
    ['empty extension line at the end', `o\n5\n${ROOT_B64}\n\n\n${sig}`],
    ['URL-safe base64 root', `o\n5\n${encodeBase64(new Uint8Array(32).fill(0xfb)).replace(/\+/g, '-').replace(/\//g, '_')}\n\n${sig}`],
    ['unpadded base64 root', `o\n5\n${ROOT_B64.replace(/=+$/, '')}\n\n${sig}`],
    ['31-byte root', `o\n5\n${encodeBase64(new Uint8Array(31))}\n\n${sig}`],
    ['33-byte root', `o\n5\n${encodeBase64(new Uint8Array(33))}\n\n${sig}`],
    ['hyphen instead of em dash', `${BODY}\n${sig.replace('\u2014', '-')}`],
    ['en dash instead of em dash', `${BODY}\n${sig.replace('\u2014', '\u2013')}`],
    ['em dash without the space', `${BODY}\n${sig.replace('\u2014 ', '\u2014')}`],
    ['two spaces after the em dash', `${BODY}\n${sig.replace('\u2014 ', '\u2014  ')}`],
    ['two spaces before the signature', `${BODY}\n${sig.replace('log ', 'log  ')}`],
    ['a third field', `${BODY}\n${sig.slice(0, -1)} extra\n`],
    ['name with +', `${BODY}\n${sig.replace('example.test/log', 'example.test+log')}`],
    ['name with a no-break space', `${BODY}\n${sig.replace('example.test/log', 'example.test\u00a0log')}`],
    ['name with an ideographic space', `${BODY}\n${sig.replace('example.test/log', 'example\u3000log')}`],
    ['signature of only 4 bytes', `${BODY}\n\u2014 n ${encodeBase64(new Uint8Array(4))}\n`],
    ['signature in URL-safe base64', `${BODY}\n\u2014 n ${encodeBase64(new Uint8Array(67).fill(0xfb)).replace(/\+/g, '-').replace(/\//g, '_')}\n`],
    ['carriage return (CRLF note)', good.replace(/\n/g, '\r\n')],
    ['tab in the origin', `o\tx\n5\n${ROOT_B64}\n\n${sig}`],
    ['lone surrogate', `o\ud800\n5\n${ROOT_B64}\n\n${sig}`],
    ['good line then a malformed one', `${BODY}\n${sig}- x ${encodeBase64(new Uint8Array(68))}\n`],
  ];
  it.each(bad)('rejects: %s', (_name, text) => {
    const err = expectCode('TLOG_CHECKPOINT', () => parseCheckpoint(text));
    expect(err.check).toMatch(/^tlog\.checkpoint\./);
  });

  it('rejects a non-string with a typed error', () => {
    expectCode('TLOG_CHECKPOINT', () => parseCheckpoint(42 as unknown as string));
  });

  it(`accepts ${MAX_CHECKPOINT_SIGNATURES} signatures and refuses ${MAX_CHECKPOINT_SIGNATURES + 1} with LIMIT`, () => {
    expect(parseCheckpoint(`${BODY}\n${sig.repeat(MAX_CHECKPOINT_SIGNATURES)}`).signatures).toHaveLength(MAX_CHECKPOINT_SIGNATURES);
    expectCode('LIMIT', () => parseCheckpoint(`${BODY}\n${sig.repeat(MAX_CHECKPOINT_SIGNATURES + 1)}`));
  });

  it('refuses a note over the size cap with LIMIT, counting UTF-8 bytes', () => {
    const ext = 'x'.repeat(MAX_CHECKPOINT_BYTES);
    expectCode('LIMIT', () => parseCheckpoint(`${BODY}${ext}\n\n${sig}`));
    // Fewer UTF-16 units than the cap, more UTF-8 bytes.
    const wide = '\u00e9'.repeat(Math.ceil(MAX_CHECKPOINT_BYTES / 2));
    expectCode('LIMIT', () => parseCheckpoint(`${BODY}${wide}\n\n${sig}`));
  });
});

describe('checkpointOriginMatches', () => {
  const host = 'rekor.sigstore.dev';
  it.each([
    [host, true],
    [`${host} - 1193050959916656506`, true],
    [`${host} - 0`, true],
    [`${host} - `, false],
    [`${host} - 12a`, false],
    [`${host} - -1`, false],
    [`${host} - +1`, false],
    [`${host} - 1 - 2`, false],
    [`${host} - 12345678901234567890`, false],
    [`${host}-1`, false],
    [`${host} 1`, false],
    [`x${host}`, false],
    [`${host}.evil.example`, false],
    ['sigstore.dev', false],
    ['REKOR.SIGSTORE.DEV', false],
    [`${host}/`, false],
    ['', false],
  ])('%s → %s', (origin, want) => {
    expect(checkpointOriginMatches(origin, host)).toBe(want);
  });
  it('never matches an empty host', () => {
    expect(checkpointOriginMatches('', '')).toBe(false);
    expect(checkpointOriginMatches(' - 1', '')).toBe(false);
  });
});

describe('checkpointKeyHint', () => {
  it('Ed25519: SHA-256(name ‖ 0x0A ‖ 0x01 ‖ key)[:4]; rekor-v1 style: SHA-256(SPKI)[:4]', async () => {
    const log = await makeLog('ed25519', 'example.test/log');
    const raw = log.key.spki.subarray(log.key.spki.length - 32);
    const want = crypto.createHash('sha256').update(Buffer.concat([Buffer.from('example.test/log\n'), Buffer.from([1]), raw])).digest().subarray(0, 4);
    expect(toHex(checkpointKeyHint('example.test/log', log.key))).toBe(want.toString('hex'));
    expect(toHex(checkpointKeyHint('other.test/log', log.key))).not.toBe(want.toString('hex'));
    const v1 = crypto.createHash('sha256').update(log.key.spki).digest().subarray(0, 4);
    expect(toHex(checkpointKeyHint('example.test/log', log.key, 'rekor-v1'))).toBe(v1.toString('hex'));
  });

  it('ECDSA: SHA-256(SPKI)[:4] in both styles, independent of the name', async () => {
    const log = await makeLog('ecdsa', 'example.test/log');
    const want = crypto.createHash('sha256').update(log.key.spki).digest().subarray(0, 4).toString('hex');
    expect(toHex(checkpointKeyHint('a', log.key))).toBe(want);
    expect(toHex(checkpointKeyHint('b', log.key, 'rekor-v1'))).toBe(want);
  });

  it('RSA: SHA-256(name ‖ 0x0A ‖ 0xFF ‖ "PKIX-RSA-PKCS#1v1.5" ‖ SPKI)[:4] (rekor-tiles)', async () => {
    const pair = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    const key = await importPublicKey(provider, spkiOf(pair.publicKey), 'rsa');
    const want = crypto
      .createHash('sha256')
      .update(Buffer.concat([Buffer.from('n\n'), Buffer.from([0xff]), Buffer.from('PKIX-RSA-PKCS#1v1.5'), key.spki]))
      .digest()
      .subarray(0, 4)
      .toString('hex');
    expect(toHex(checkpointKeyHint('n', key))).toBe(want);
  });
});

describe('verifyCheckpoint (synthetic logs)', () => {
  it('verifies Ed25519 and ECDSA P-256 logs and returns the verifier that matched', async () => {
    for (const kind of ['ed25519', 'ecdsa'] as const) {
      const log = await makeLog(kind, 'example.test/log');
      const other = await makeLog(kind, 'other.test/log');
      const cp = parseCheckpoint(`${BODY}\n${log.line(BODY)}`);
      expect(await verifyCheckpoint(cp, [other.verifier, log.verifier], provider)).toBe(log.verifier);
    }
  });

  it('rejects a tampered body', async () => {
    const log = await makeLog('ed25519', 'example.test/log');
    const tampered = BODY.replace('\n42\n', '\n43\n');
    const cp = parseCheckpoint(`${tampered}\n${log.line(BODY)}`);
    const err = await expectRejects('TLOG_CHECKPOINT', verifyCheckpoint(cp, [log.verifier], provider));
    expect(err.check).toBe('tlog.checkpoint.signature');
    expect(err.message).toContain('invalid signature');
  });

  it('ignores a line whose name is a substring or superstring of the log name, even with a valid signature', async () => {
    const log = await makeLog('ed25519', 'rekor.example.test');
    for (const name of ['example.test', 'rekor.example.tes', 'rekor.example.test.evil', 'REKOR.example.test']) {
      const cp = parseCheckpoint(`${BODY}\n${log.line(BODY, name)}`);
      const err = await expectRejects('TLOG_CHECKPOINT', verifyCheckpoint(cp, [log.verifier], provider));
      expect(err.message).toContain('no checkpoint signature line matches');
      expect(err.actual).toContain(name);
      expect(err.expected).toContain('rekor.example.test/');
    }
  });

  it('ignores a valid signature with the right name and a wrong hint, or the right hint and a wrong name', async () => {
    const log = await makeLog('ecdsa', 'example.test/log');
    const wrongHint = log.verifier.keyHint.slice();
    wrongHint[0]! ^= 0x04;
    const byHint = parseCheckpoint(`${BODY}\n${log.line(BODY, 'example.test/log', wrongHint)}`);
    await expectRejects('TLOG_CHECKPOINT', verifyCheckpoint(byHint, [log.verifier], provider));
    const byName = parseCheckpoint(`${BODY}\n${log.line(BODY, 'example.test/log2')}`);
    await expectRejects('TLOG_CHECKPOINT', verifyCheckpoint(byName, [log.verifier], provider));
  });

  it('passes when a cosignature with the log name and hint comes first and the log signature second', async () => {
    const log = await makeLog('ed25519', 'example.test/log');
    const witness = crypto.generateKeyPairSync('ed25519');
    // c2sp.org/tlog-cosignature: 8-byte timestamp ‖ Ed25519 over "cosignature/v1\ntime T\n" ‖ body.
    const t = 1_700_000_000n;
    const ts = Buffer.alloc(8);
    ts.writeBigUInt64BE(t);
    const cosig = crypto.sign(null, Buffer.from(`cosignature/v1\ntime ${t}\n${BODY}`), witness.privateKey);
    const cosigLine = `\u2014 example.test/log ${encodeBase64(new Uint8Array([...log.verifier.keyHint, ...ts, ...cosig]))}\n`;
    const cp = parseCheckpoint(`${BODY}\n${cosigLine}${log.line(BODY)}`);
    expect(cp.signatures[0]!.keyHint).toEqual(cp.signatures[1]!.keyHint);
    expect(await verifyCheckpoint(cp, [log.verifier], provider)).toBe(log.verifier);

    // Alone, the colliding cosignature is tried and fails.
    const only = parseCheckpoint(`${BODY}\n${cosigLine}`);
    const err = await expectRejects('TLOG_CHECKPOINT', verifyCheckpoint(only, [log.verifier], provider));
    expect(err.message).toContain('invalid signature');
    expect(err.errors?.length).toBe(1);
  });

  it('treats a malformed ECDSA signature from the log key as a failed line, not a crash', async () => {
    const log = await makeLog('ecdsa', 'example.test/log');
    const garbage = `\u2014 example.test/log ${encodeBase64(new Uint8Array([...log.verifier.keyHint, 0x30, 0x02, 0x02, 0x00]))}\n`;
    const cp = parseCheckpoint(`${BODY}\n${garbage}${log.line(BODY)}`);
    expect(await verifyCheckpoint(cp, [log.verifier], provider)).toBe(log.verifier);
  });

  it('refuses an empty verifier list', async () => {
    const log = await makeLog('ed25519', 'example.test/log');
    const cp = parseCheckpoint(`${BODY}\n${log.line(BODY)}`);
    await expectRejects('INVALID_ARGUMENT', verifyCheckpoint(cp, [], provider));
  });
});

// ---------------------------------------------------------------------------
// Real data: sigstore-conformance bundles and trusted roots.

interface TlogInstance {
  baseUrl: string;
  publicKey: { rawBytes: string; keyDetails: string };
  logId: { keyId: string };
}

function schemeFor(details: string): SignatureScheme {
  if (details === 'PKIX_ED25519') return { kind: 'ed25519' };
  if (details === 'PKIX_ECDSA_P256_SHA_256') return { kind: 'ecdsa', hash: 'sha256' };
  throw new Error(`test does not map ${details}`);
}

async function verifiersFor(rootFile: string, p: CryptoProvider = provider): Promise<{ verifier: CheckpointVerifier; log: TlogInstance }[]> {
  const root = JSON.parse(readFileSync(rootFile, 'utf8')) as { tlogs: TlogInstance[] };
  return Promise.all(
    root.tlogs.map(async (log) => {
      const name = new URL(log.baseUrl).host;
      const key = await importPublicKey(p, decodeBase64(log.publicKey.rawBytes, 'key'), name);
      return { log, verifier: { name, key, scheme: schemeFor(log.publicKey.keyDetails), keyHint: checkpointKeyHint(name, key) } };
    }),
  );
}

interface ConformanceCase {
  name: string;
  bundle: string;
  trusted_root: string;
}

const PARSE_FAILS = new Set(['rekor2-checkpoint-missing-root-hash_fail', 'rekor2-checkpoint-missing-size_fail']);
const SIGNATURE_FAILS = new Set([
  'checkpoint-bad-keyhint_fail',
  'invalid-checkpoint-signature_fail',
  'rekor2-checkpoint-no-matching-signature_fail',
]);
const MUST_SEE = ['happy-path-v0.3', 'rekor2-dsse-happy-path', 'rekor2-checkpoint-cosigned', 'rekor2-checkpoint-origin-not-first', 'rekor2-checkpoint-two-sigs-from-origin'];

describe.skipIf(!haveConformance)('real checkpoints from sigstore-conformance', () => {
  const cases: { c: ConformanceCase; envelope: string; logKeyId: string }[] = [];
  if (haveConformance) {
    const manifest = JSON.parse(readFileSync(path.join(CONFORMANCE, 'CASES.json'), 'utf8')) as { cases: ConformanceCase[] };
    for (const c of manifest.cases) {
      let bundle: { verificationMaterial?: { tlogEntries?: { logId: { keyId: string }; inclusionProof?: { checkpoint?: { envelope?: string } } }[] } };
      try {
        bundle = JSON.parse(readFileSync(path.join(CONFORMANCE, c.bundle), 'utf8'));
      } catch {
        continue; // deliberately malformed bundles
      }
      for (const e of bundle.verificationMaterial?.tlogEntries ?? []) {
        const envelope = e.inclusionProof?.checkpoint?.envelope;
        if (typeof envelope === 'string') cases.push({ c, envelope, logKeyId: e.logId.keyId });
      }
    }
  }

  it('covers the cases the brief names', () => {
    const names = new Set(cases.map((x) => x.c.name));
    for (const n of [...MUST_SEE, ...PARSE_FAILS, ...SIGNATURE_FAILS]) expect(names.has(n), n).toBe(true);
    console.info(`checkpoints from conformance bundles: ${cases.length}`);
  });

  it('derives the hint of every real log key as the first 4 bytes of its trusted-root log ID', async () => {
    for (const rootFile of ['public_good_trusted_root.json', 'rekor2-dsse-happy-path/trusted_root.json', 'bundle-with-sct-with-extensions/trusted_root.json']) {
      for (const { verifier, log } of await verifiersFor(path.join(CONFORMANCE, rootFile))) {
        expect(toHex(verifier.keyHint), `${rootFile} ${log.baseUrl}`).toBe(toHex(decodeBase64(log.logId.keyId, 'id').subarray(0, 4)));
      }
    }
    // The public-good Rekor v1 key, as seen in every v1 checkpoint signature line.
    const pg = await verifiersFor(path.join(CONFORMANCE, 'public_good_trusted_root.json'));
    expect(toHex(pg.find((x) => x.verifier.name === 'rekor.sigstore.dev')!.verifier.keyHint)).toBe('c0d23d6a');
  });

  it.each(cases.map((x) => [x.c.name, x] as const))('%s', async (_name, { c, envelope, logKeyId }) => {
    if (PARSE_FAILS.has(c.name)) {
      expectCode('TLOG_CHECKPOINT', () => parseCheckpoint(envelope));
      return;
    }
    const cp: Checkpoint = parseCheckpoint(envelope);
    expect(cp.rootHash).toHaveLength(32);
    for (const p of PROVIDERS) {
      const logs = await verifiersFor(path.join(CONFORMANCE, c.trusted_root), p);
      const verifiers = logs.map((x) => x.verifier);

      // Origin rule, against the log the bundle names by log ID.
      const entryLog = logs.find((x) => x.log.logId.keyId === logKeyId);
      expect(entryLog, 'bundle log ID is in the trusted root').toBeDefined();
      const originOk = checkpointOriginMatches(cp.origin, new URL(entryLog!.log.baseUrl).host);
      expect(originOk).toBe(c.name !== 'rekor2-checkpoint-no-matching-signature_fail');

      if (SIGNATURE_FAILS.has(c.name)) {
        const err = await expectRejects('TLOG_CHECKPOINT', verifyCheckpoint(cp, verifiers, p));
        expect(err.check).toBe('tlog.checkpoint.signature');
        continue;
      }
      const used = await verifyCheckpoint(cp, verifiers, p);
      expect(used, p.name).toBe(entryLog!.verifier);
      expect(checkpointOriginMatches(cp.origin, used.name)).toBe(true);
    }
  });

  it('two-sigs-from-origin: the unknown ECDSA line shares the name but not the hint', () => {
    const x = cases.find((y) => y.c.name === 'rekor2-checkpoint-two-sigs-from-origin')!;
    const cp = parseCheckpoint(x.envelope);
    expect(cp.signatures.map((s) => s.name)).toEqual([cp.origin, cp.origin]);
    expect(toHex(cp.signatures[0]!.keyHint)).not.toBe(toHex(cp.signatures[1]!.keyHint));
  });

  it('a real checkpoint with any byte of its text changed no longer verifies', async () => {
    const x = cases.find((y) => y.c.name === 'happy-path-v0.3')!;
    const verifiers = (await verifiersFor(path.join(CONFORMANCE, x.c.trusted_root))).map((v) => v.verifier);
    const tampered = x.envelope.replace('\n75408393\n', '\n75408394\n');
    expect(tampered).not.toBe(x.envelope);
    await expectRejects('TLOG_CHECKPOINT', verifyCheckpoint(parseCheckpoint(tampered), verifiers, provider));
  });
});
