/**
 * Strict encodings where the specifications require them (issue 9,
 * "Limits: refuse early, name the limit", second half): duplicate JSON keys
 * wherever two readers could disagree, int64 grammar, strict base64 in
 * bundles, curve points validated at import, exact media types.
 */
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeBundle } from '../../src/bundle/decode.js';
import { parseTrustedRoot } from '../../src/trust/trusted-root.js';
import { parseEntryBody } from '../../src/tlog/body.js';
import { parseStatement } from '../../src/intoto/statement.js';
import { importPublicKey } from '../../src/crypto/verify-signature.js';
import { nodeCryptoProvider } from '../../src/crypto/node.js';
import { nobleProvider } from '../../src/crypto/noble.js';
import { webCryptoProvider } from '../../src/crypto/webcrypto.js';
import { SigvetError } from '../../src/errors.js';
import { createVerifierWith } from '../../src/api.js';
import { editJson, mustLoad, throwsCode } from './vectors.js';

const enc = new TextEncoder();
const v03 = mustLoad('happy-path-v0.3');

/** `text` with the first `"key":` preceded by a second, different value for the same key. */
function duplicateKey(text: string, key: string, value: string): string {
  const needle = `"${key}":`;
  const at = text.indexOf(needle);
  expect(at).toBeGreaterThanOrEqual(0);
  return `${text.slice(0, at)}${needle}${value},${text.slice(at)}`;
}

describe('duplicate JSON keys (V7): refused wherever another reader could see a different value', () => {
  it('in bundles', () => {
    const compact = JSON.stringify(JSON.parse(v03.bundle));
    throwsCode(() => decodeBundle(duplicateKey(compact, 'mediaType', '"application/vnd.dev.sigstore.bundle+json;version=0.1"')), 'PARSE', 'json');
    throwsCode(() => decodeBundle(duplicateKey(compact, 'logIndex', '"0"')), 'PARSE', 'json');
  });

  it('in trusted roots', () => {
    const compact = JSON.stringify(JSON.parse(v03.trustedRoot));
    throwsCode(() => parseTrustedRoot(duplicateKey(compact, 'baseUrl', '"https://evil.example"')), 'PARSE');
  });

  it('in log bodies and in-toto statements', () => {
    const e = JSON.parse(v03.bundle).verificationMaterial.tlogEntries[0];
    const body = Buffer.from(e.canonicalizedBody, 'base64').toString();
    throwsCode(() => parseEntryBody(enc.encode(duplicateKey(body, 'kind', '"rekord"')), e.kindVersion.kind, e.kindVersion.version), 'TLOG_BODY');
    const st = '{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"a","digest":{"sha256":"00"}}],"predicateType":"x:y"}';
    throwsCode(() => parseStatement(enc.encode(duplicateKey(st, 'predicateType', '"x:z"'))), 'DSSE');
  });

  it('Go folds key case (MediaType == mediaType); sigvet refuses the unknown spelling instead', () => {
    const b = editJson(v03.bundle, (d) => {
      d.MediaType = 'application/vnd.dev.sigstore.bundle+json;version=0.1';
    });
    throwsCode(() => decodeBundle(b), 'BUNDLE_FORMAT');
  });
});

describe('int64 fields (V17): -?(0|[1-9][0-9]*) as a string or a safe JSON integer, nothing else', () => {
  for (const bad of ['-1', '0x10', '', ' 5', '5 ', '05', '+5', '1e3', '9223372036854775808', '5.0']) {
    it(`refuses logIndex ${JSON.stringify(bad)}`, () => {
      const b = editJson(v03.bundle, (d) => {
        d.verificationMaterial.tlogEntries[0].logIndex = bad;
      });
      throwsCode(() => decodeBundle(b), 'BUNDLE_FORMAT');
    });
  }

  it('accepts the same index as a JSON number, and keeps 2^53 + 1 exact', () => {
    const asNumber = editJson(v03.bundle, (d) => {
      d.verificationMaterial.tlogEntries[0].logIndex = Number(d.verificationMaterial.tlogEntries[0].logIndex);
    });
    expect(decodeBundle(asNumber).tlogEntries[0]!.logIndex).toBe(decodeBundle(v03.bundle).tlogEntries[0]!.logIndex);
    const big = v03.bundle.replace(/"logIndex":\s*"(\d+)"/, '"logIndex": 9007199254740993');
    expect(decodeBundle(big).tlogEntries[0]!.logIndex).toBe(9007199254740993n);
  });
});

describe('media types (V16): exact strings only', () => {
  for (const mt of [
    'application/vnd.dev.sigstore.bundle.v0.3.1+json',
    'application/vnd.dev.sigstore.bundle.v0.4+json',
    'APPLICATION/VND.DEV.SIGSTORE.BUNDLE.V0.3+JSON',
    'application/vnd.dev.sigstore.bundle.v0.3+json ',
  ]) {
    it(`refuses ${JSON.stringify(mt)}`, () => {
      throwsCode(() => decodeBundle(editJson(v03.bundle, (d) => (d.mediaType = mt))), 'BUNDLE_FORMAT');
    });
  }
});

describe('curve points are validated when a key is imported', () => {
  const ec = new Uint8Array(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'der' }));

  it('refuses an EC point off the curve with every provider', async () => {
    const off = ec.slice();
    off[off.length - 1]! ^= 1;
    for (const p of [nodeCryptoProvider, webCryptoProvider, nobleProvider]) {
      let err: unknown;
      try {
        await importPublicKey(p, off, 'k');
      } catch (e) {
        err = e;
      }
      expect(err, p.name).toBeInstanceOf(SigvetError);
      expect((err as SigvetError).code, p.name).toMatch(/KEY|PARSE/);
    }
  });

  it('refuses the point at infinity and a compressed-form length mismatch', async () => {
    const zero = ec.slice();
    zero.fill(0, zero.length - 64);
    const truncated = ec.slice(0, ec.length - 1);
    for (const bad of [zero, truncated]) {
      let err: unknown;
      try {
        await importPublicKey(nobleProvider, bad, 'k');
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(SigvetError);
    }
  });
});

describe('bundles passed as objects (the third input form) cannot smuggle exceptions', () => {
  const cyclic: Record<string, unknown> = { mediaType: 'x' };
  cyclic.self = cyclic;
  const cases: [string, unknown][] = [
    ['a cyclic object', cyclic],
    ['a BigInt value', { mediaType: 1n }],
    ['a throwing getter', Object.defineProperty({}, 'mediaType', { enumerable: true, get: () => { throw new RangeError('boom'); } })],
    ['a throwing Proxy', new Proxy({}, { ownKeys: () => { throw new TypeError('trap'); } })],
    ['toJSON returning undefined', { toJSON: () => undefined }],
    ['toJSON returning a 20 MiB string', { toJSON: () => 'x'.repeat(20 * 1024 * 1024) }],
  ];
  for (const [name, input] of cases) {
    it(`refuses ${name} with a SigvetError`, () => {
      let err: unknown;
      try {
        decodeBundle(input as object);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(SigvetError);
    });
  }
});

describe('caller expectations of the wrong shape (JavaScript callers, configuration files)', () => {
  const managed = mustLoad('happy-path-managed-key');
  const run = async (c: ReturnType<typeof mustLoad>, input: unknown): Promise<unknown> => {
    const v = await createVerifierWith(nodeCryptoProvider, { trustedRoot: c.trustedRoot });
    try {
      await v.verify(c.bundle, input as never);
      return 'resolved';
    } catch (e) {
      return e;
    }
  };

  it('refuses identities, digests and artifacts of the wrong type with INVALID_ARGUMENT', async () => {
    for (const input of [
      { artifact: v03.artifact, identity: 'x' },
      { artifact: v03.artifact, identity: { subjectAlternativeName: 5, issuer: 'x' } },
      { artifact: v03.artifact, identity: { subjectAlternativeName: { regex: '(' }, issuer: 'x' } },
      { artifact: 'abc', identity: v03.input.identity },
      { artifactDigest: 5, identity: v03.input.identity },
      null,
    ]) {
      const r = await run(v03, input);
      expect(r, JSON.stringify(input)?.slice(0, 80)).toBeInstanceOf(SigvetError);
      expect((r as SigvetError).code).toBe('INVALID_ARGUMENT');
    }
  });

  // OPEN (docs/security.md, open finding 1): `identity: null` (or '') skips the identity check and resolves.
  it('refuses a certificate bundle verified with identity: null', async () => {
    for (const identity of [null, '', 0, false]) {
      const r = await run(v03, { artifact: v03.artifact, identity });
      expect(r, String(identity)).toBeInstanceOf(SigvetError);
    }
  });

  // OPEN: a managed key that is neither a string nor bytes reaches `.slice()` and throws a TypeError.
  it('refuses a managed key that is not PEM text or bytes with a SigvetError', async () => {
    for (const key of [123, {}, null]) {
      expect(await run(managed, { artifact: managed.artifact, key }), String(key)).toBeInstanceOf(SigvetError);
    }
  });
});
