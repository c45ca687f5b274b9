/**
 * The pieces of the web TUF client on their own: OLPC canonical JSON (checked
 * against an independent encoder and securesystemslib's documented
 * behaviour), signature thresholds on the real Sigstore public-good root
 * (ECDSA P-256, PEM keys, an empty signature slot) with both providers,
 * metadata decoding limits, delegation path patterns, and the caches.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SigvetError } from '../../src/errors.js';
import { nobleProvider } from '../../src/crypto/noble.js';
import { webCryptoProvider } from '../../src/crypto/webcrypto.js';
import { parseJson } from '../../src/encoding/json.js';
import { canonicalJson, compareCodePoints } from '../../src/tuf/canonical-json.js';
import { PUBLIC_GOOD_TUF_ROOT_JSON } from '../../src/tuf/public-good-tuf-root.js';
import { indexedDbCache, memoryCache } from '../../src/tuf/web-cache.js';
import { parseRootMetadata, parseTargetsMetadata, parseTimestampMetadata } from '../../src/tuf/web-metadata.js';
import { delegationCovers, matchesPathPattern } from '../../src/tuf/web-path-pattern.js';
import { TufSignatureVerifier } from '../../src/tuf/web-signatures.js';
import { canonicalJson as independentCanonicalJson, inDays, newKey, signMetadata } from './test-repository.js';

const enc = new TextEncoder();

function failure(f: () => unknown): SigvetError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(SigvetError);
    return e as SigvetError;
  }
  throw new Error('expected a failure');
}

describe('OLPC canonical JSON', () => {
  it('sorts keys, drops whitespace and escapes only backslash and quote', () => {
    const doc = parseJson('{ "b": 1, "a": "x\\ny\\"\\\\\\t\\u00e9", "c": [true, null, -0, 12345678901234567890] }', 't');
    // securesystemslib.formats.encode_canonical writes control characters and non-ASCII raw.
    expect(canonicalJson(doc)).toBe('{"a":"x\ny\\"\\\\\té","b":1,"c":[true,null,0,12345678901234567890]}');
  });

  it('agrees with the test repository’s independent encoder on TUF-shaped documents', () => {
    const key = newKey('ecdsa');
    const doc = { signed: { _type: 'root', keys: { [key.id]: key.tufKey }, 'x-custom': ['\u2028', 'é', 'a"b\\c'], version: 3 } };
    expect(canonicalJson(parseJson(JSON.stringify(doc), 't'))).toBe(independentCanonicalJson(doc));
    // The PEM key's newlines stay raw: the RFC 8785 form (escaped \n) would be different bytes.
    expect(canonicalJson(parseJson(JSON.stringify(doc), 't'))).toContain('-----BEGIN PUBLIC KEY-----\n');
  });

  it('orders keys by code point, not UTF-16 unit', () => {
    // U+1F600 is a surrogate pair (0xD83D…) which `<` puts before U+FFFD.
    expect(compareCodePoints('\u{1F600}', '\uFFFD')).toBe(1);
    expect(['\u{1F600}', '\uFFFD'].sort()).toEqual(['\u{1F600}', '\uFFFD']);
    expect(canonicalJson(parseJson('{"\\ud83d\\ude00":1,"\\ufffd":2}', 't'))).toBe('{"\uFFFD":2,"\u{1F600}":1}');
    expect(compareCodePoints('ab', 'a')).toBe(1);
    expect(compareCodePoints('a', 'ab')).toBe(-1);
    expect(compareCodePoints('a', 'a')).toBe(0);
  });

  it('refuses what it cannot encode: floats and unpaired surrogates', () => {
    expect(failure(() => canonicalJson(parseJson('{"a":1.5}', 't')))).toMatchObject({ code: 'PARSE', check: 'json.canonical' });
    expect(failure(() => canonicalJson(parseJson('["\\ud800"]', 't')))).toMatchObject({ code: 'PARSE', check: 'json.canonical' });
    expect(failure(() => canonicalJson(parseJson('{"\\udc00":1}', 't')))).toMatchObject({ check: 'json.canonical' });
  });
});

describe.each([
  ['webcrypto', webCryptoProvider],
  ['noble', nobleProvider],
] as const)('signature thresholds (%s)', (_name, provider) => {
  it('verifies the real public-good root (version 14) as signed by 4 of its 5 root keys', async () => {
    const root = parseRootMetadata(new TextEncoder().encode(PUBLIC_GOOD_TUF_ROOT_JSON));
    expect(root.version).toBe(14);
    const verifier = new TufSignatureVerifier(provider);
    // Count every valid signature: threshold raised above the number of keys.
    const all = await verifier.countValid(root.envelope, { ...root.roles.root, threshold: 99 }, root.keys);
    expect(all.valid).toBe(4);
    await expect(verifier.requireThreshold(root.envelope, root.roles.root, root.keys, 'root', 'root')).resolves.toBeUndefined();
  });

  it('finds no valid signature once one signed byte changes', async () => {
    const tampered = PUBLIC_GOOD_TUF_ROOT_JSON.replace('"expires": "2026-06-22T13:27:01Z"', '"expires": "2036-06-22T13:27:01Z"');
    expect(tampered).not.toBe(PUBLIC_GOOD_TUF_ROOT_JSON);
    const root = parseRootMetadata(enc.encode(tampered));
    const verifier = new TufSignatureVerifier(provider);
    const { valid, notes } = await verifier.countValid(root.envelope, { ...root.roles.root, threshold: 99 }, root.keys);
    expect(valid).toBe(0);
    expect(notes.filter((n) => n.includes('invalid signature'))).toHaveLength(4);
    const e = await verifier.requireThreshold(root.envelope, root.roles.root, root.keys, 'root', 'root').catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'TRUST_ROOT', check: 'tuf.root.signature', expected: '3', actual: '0' });
  });

  it('counts a key once, however many ids or signatures it has, and skips unusable keys', async () => {
    const a = newKey('ed25519');
    const b = newKey('ecdsa-hex');
    const rsaLike = { keytype: 'rsa', scheme: 'rsassa-pss-sha256', keyval: { public: 'whatever' } };
    const signed = {
      _type: 'root',
      spec_version: '1.0',
      version: 1,
      expires: inDays(1),
      keys: { [a.id]: a.tufKey, alias: a.tufKey, [b.id]: b.tufKey, rsa: rsaLike },
      roles: Object.fromEntries(['root', 'timestamp', 'snapshot', 'targets'].map((r) => [r, { keyids: [a.id, 'alias', b.id, 'rsa'], threshold: 2 }])),
    };
    const verifier = new TufSignatureVerifier(provider);
    const count = async (signers: { id: string; key: typeof a }[]) => {
      const bytes = signMetadata(signed, signers.map((s) => ({ ...s.key, id: s.id })));
      const root = parseRootMetadata(bytes);
      return (await verifier.countValid(root.envelope, root.roles.root, root.keys)).valid;
    };
    // The same key twice under one id, then under a second id: still one.
    expect(await count([{ id: a.id, key: a }, { id: a.id, key: a }])).toBe(1);
    expect(await count([{ id: a.id, key: a }, { id: 'alias', key: a }])).toBe(1);
    // An unsupported key type does not count and does not fail the others.
    expect(await count([{ id: 'rsa', key: a }, { id: a.id, key: a }, { id: b.id, key: b }])).toBe(2);
  });
});

describe('metadata decoding', () => {
  const key = newKey();
  // Decoding does not look at signatures: an empty list keeps unsignable documents (floats) expressible.
  const timestamp = (signed: Record<string, unknown>) =>
    enc.encode(JSON.stringify({ signatures: [], signed: { _type: 'timestamp', spec_version: '1.0', version: 1, expires: inDays(1), meta: { 'snapshot.json': { version: 1 } }, ...signed } }));

  it('reads a timestamp and keeps the canonical bytes its signatures cover', () => {
    const t = parseTimestampMetadata(timestamp({ 'x-extra': { any: 'thing' } }));
    expect(t).toMatchObject({ version: 1, snapshot: { version: 1, length: undefined, hashes: undefined } });
    expect(new TextDecoder().decode(t.envelope.canonical)).toBe(independentCanonicalJson(JSON.parse(new TextDecoder().decode(t.envelope.bytes)).signed));
  });

  it('refuses wrong types, versions, times and spec versions with tuf.<role>.shape', () => {
    const cases: Record<string, unknown>[] = [
      { _type: 'snapshot' },
      { version: 0 },
      { version: 1.5 },
      { version: '1' },
      { expires: '2030-01-01T00:00:00+01:00' },
      { expires: '2030-02-30T00:00:00Z' },
      { spec_version: '2.0.0' },
      { spec_version: '1' },
      { meta: {} },
      { meta: { 'snapshot.json': { version: 1, hashes: {} } } },
    ];
    for (const c of cases) {
      expect(failure(() => parseTimestampMetadata(timestamp(c))), JSON.stringify(c)).toMatchObject({ code: 'TRUST_ROOT', check: 'tuf.timestamp.shape' });
    }
    expect(failure(() => parseTimestampMetadata(enc.encode('{"signed": {}, "signatures": []')))).toMatchObject({ check: 'tuf.timestamp.shape' });
    expect(failure(() => parseTimestampMetadata(new Uint8Array([0xff, 0xfe])))).toMatchObject({ check: 'tuf.timestamp.shape' });
    // Duplicate keys are ambiguous: two parsers could see two documents.
    expect(failure(() => parseTimestampMetadata(enc.encode('{"signed": {"_type": "timestamp", "_type": "timestamp"}, "signatures": []}')))).toMatchObject({ check: 'tuf.timestamp.shape' });
  });

  it('refuses delegations that name top-level or duplicate roles, or both path forms', () => {
    const targets = (roles: object[]) =>
      signMetadata({ _type: 'targets', spec_version: '1.0', version: 1, expires: inDays(1), targets: {}, delegations: { keys: {}, roles } }, [key]);
    const role = { keyids: [], threshold: 1, terminating: false, paths: ['*'] };
    expect(parseTargetsMetadata(targets([{ ...role, name: 'a' }])).delegations?.roles).toHaveLength(1);
    for (const roles of [[{ ...role, name: 'snapshot' }], [{ ...role, name: 'a' }, { ...role, name: 'a' }], [{ ...role, name: 'a', path_hash_prefixes: ['ab'] }], [{ keyids: [], threshold: 1, terminating: false, name: 'a' }]]) {
      expect(failure(() => parseTargetsMetadata(targets(roles))), JSON.stringify(roles)).toMatchObject({ check: 'tuf.targets.shape' });
    }
  });
});

describe('delegation path patterns', () => {
  it('matches segment by segment: * never crosses a slash', () => {
    expect(matchesPathPattern('registry.npmjs.org/keys.json', 'registry.npmjs.org/*')).toBe(true);
    expect(matchesPathPattern('registry.npmjs.org/a/keys.json', 'registry.npmjs.org/*')).toBe(false);
    expect(matchesPathPattern('trusted_root.json', 'registry.npmjs.org/*')).toBe(false);
    expect(matchesPathPattern('trusted_root.json', '*')).toBe(true);
    expect(matchesPathPattern('a/b.tgz', '*/*.tgz')).toBe(true);
    expect(matchesPathPattern('a/b.tar', '*/*.tgz')).toBe(false);
    expect(matchesPathPattern('file1.txt', 'file?.txt')).toBe(true);
    expect(matchesPathPattern('file10.txt', 'file?.txt')).toBe(false);
    expect(matchesPathPattern('v2.json', 'v[0-9].json')).toBe(true);
    expect(matchesPathPattern('vx.json', 'v[!0-9].json')).toBe(true);
    expect(matchesPathPattern('v2.json', 'v[!0-9].json')).toBe(false);
    // An unclosed [ is a literal.
    expect(matchesPathPattern('a[b', 'a[b')).toBe(true);
  });

  it('stays linear on patterns that make backtracking matchers explode', () => {
    const started = Date.now();
    expect(matchesPathPattern('a'.repeat(1000), `${'*a'.repeat(500)}b`)).toBe(false);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('matches hash-prefix delegations on the SHA-256 of the path', () => {
    const digest = createHash('sha256').update('trusted_root.json').digest('hex');
    const role = { name: 'bin', keyids: [], threshold: 1, terminating: false, paths: undefined };
    expect(delegationCovers({ ...role, pathHashPrefixes: [digest.slice(0, 2)] }, 'trusted_root.json')).toBe(true);
    expect(delegationCovers({ ...role, pathHashPrefixes: [digest[0] === '0' ? '1' : '0'] }, 'trusted_root.json')).toBe(false);
  });
});

describe('caches', () => {
  it('memoryCache keeps copies, per repository and kind', async () => {
    const cache = memoryCache();
    const bytes = new Uint8Array([1, 2, 3]);
    await cache.setMetadata('https://a', 'timestamp', bytes);
    bytes[0] = 9;
    const got = (await cache.getMetadata('https://a', 'timestamp'))!;
    expect([...got]).toEqual([1, 2, 3]);
    got[1] = 9;
    expect([...(await cache.getMetadata('https://a', 'timestamp'))!]).toEqual([1, 2, 3]);
    expect(await cache.getMetadata('https://b', 'timestamp')).toBeUndefined();
    expect(await cache.getTarget('https://a', 'timestamp')).toBeUndefined();
    await cache.deleteMetadata('https://a', 'timestamp');
    expect(await cache.getMetadata('https://a', 'timestamp')).toBeUndefined();
  });

  it('indexedDbCache says clearly that Node has no IndexedDB (tested in Chromium by web-browser.test.ts)', () => {
    expect(failure(() => indexedDbCache())).toMatchObject({ code: 'UNSUPPORTED', check: 'tuf.cache' });
  });
});
