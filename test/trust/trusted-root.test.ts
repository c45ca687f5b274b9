import crypto from 'node:crypto';
import { readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TRUSTED_ROOT_MEDIA_TYPES, parseRfc3339, parseTrustedRoot, withinWindow } from '../../src/trust/trusted-root.js';
import { JsonFields } from '../../src/encoding/json-fields.js';
import { expectCode } from '../encoding/expect-error.js';
import { CONFORMANCE, clone, haveConformance, readJson, warnIfNoConformance, type Json } from '../bundle/data.js';
import { iso, logJson, makeIntermediateCa, makeRootCa, newKey, trustedRootJson } from '../x509/pki.js';

warnIfNoConformance('trusted root tests');

const ROOT_CHECK = 'trust_root.shape';
const root = makeRootCa({ cn: 'root', pathLen: 1 });
const intermediate = makeIntermediateCa(root, { cn: 'intermediate', pathLen: 0 });
const tlogKey = newKey();
const ctKey = newKey();

/** A valid trusted root with one CA, one TSA, one tlog and one ctlog. */
function base(): Json {
  return clone(
    trustedRootJson({
      cas: [{ chain: [intermediate.cert, root.cert], start: '2020-01-01T00:00:00Z' }],
      tlogs: [{ baseUrl: 'https://rekor.test', spki: tlogKey.spki, start: '2020-01-01T00:00:00Z' }],
      ctlogs: [{ baseUrl: 'https://ctfe.test', spki: ctKey.spki, start: '2020-01-01T00:00:00Z' }],
    }),
  );
}

const bad = (doc: Json, msg?: RegExp): void => {
  const e = expectCode(() => parseTrustedRoot(doc), 'TRUST_ROOT', ROOT_CHECK);
  if (msg) expect(e.message).toMatch(msg);
};

describe('parseTrustedRoot: valid roots', () => {
  it('decodes logs, keys, validity windows and chains', () => {
    const r = parseTrustedRoot(base());
    expect(r.tlogs).toHaveLength(1);
    expect(r.tlogs[0]!.publicKey).toEqual(tlogKey.spki);
    expect(r.tlogs[0]!.logId).toEqual(new Uint8Array(crypto.createHash('sha256').update(tlogKey.spki).digest()));
    expect(r.tlogs[0]!.validFor).toEqual({ start: Date.UTC(2020, 0, 1), end: undefined });
    expect(r.tlogs[0]!.keyDetails).toBe('PKIX_ECDSA_P256_SHA_256');
    expect(r.certificateAuthorities[0]!.certificates.map((c) => c.der)).toEqual([intermediate.cert, root.cert]);
    expect(r.timestampAuthorities).toEqual([]);
  });

  it('accepts every media type spelling it lists, and JSON text, bytes or an object alike', () => {
    for (const mt of TRUSTED_ROOT_MEDIA_TYPES) {
      expect(parseTrustedRoot({ ...base(), mediaType: mt }).mediaType).toBe(mt);
    }
    const text = JSON.stringify(base());
    const fromText = parseTrustedRoot(text);
    expect(parseTrustedRoot(new TextEncoder().encode(text))).toEqual(fromText);
    expect(parseTrustedRoot(JSON.parse(text))).toEqual(fromText);
  });

  it('accepts an end equal to the start, and optional sections absent', () => {
    const d = base();
    d.tlogs[0].publicKey.validFor = { start: '2021-01-01T00:00:00Z', end: '2021-01-01T00:00:00Z' };
    expect(parseTrustedRoot(d).tlogs[0]!.validFor).toEqual({ start: Date.UTC(2021, 0, 1), end: Date.UTC(2021, 0, 1) });
    const minimal = { mediaType: TRUSTED_ROOT_MEDIA_TYPES[0] };
    expect(parseTrustedRoot(minimal).tlogs).toEqual([]);
  });

  it('allows two logs with the same id when they carry the same key', () => {
    const d = base();
    d.tlogs.push(clone(d.tlogs[0]));
    expect(parseTrustedRoot(d).tlogs).toHaveLength(2);
  });
});

describe('parseTrustedRoot: validity windows', () => {
  it('rejects a missing validFor.start (CA and log key), and a missing validFor', () => {
    const ca = base();
    delete ca.certificateAuthorities[0].validFor.start;
    bad(ca, /missing start/);
    const log = base();
    log.tlogs[0].publicKey.validFor = { end: '2030-01-01T00:00:00Z' };
    bad(log, /missing start/);
    const none = base();
    delete none.ctlogs[0].publicKey.validFor;
    bad(none);
    const empty = base();
    empty.certificateAuthorities[0].validFor = {};
    bad(empty, /missing start/);
  });

  it('rejects an end before the start', () => {
    const d = base();
    d.certificateAuthorities[0].validFor = { start: '2022-01-01T00:00:00Z', end: '2021-12-31T23:59:59.999Z' };
    bad(d, /end before start/);
    const o = base();
    // Equal instants in different offsets are not "before".
    o.tlogs[0].publicKey.validFor = { start: '2022-01-01T01:00:00+01:00', end: '2022-01-01T00:00:00Z' };
    expect(parseTrustedRoot(o).tlogs[0]!.validFor.end).toBe(Date.UTC(2022, 0, 1));
  });

  it('rejects malformed RFC 3339 times wherever they appear', () => {
    const forms = [
      '2022-01-01T00:00:00', // no zone
      '2022-13-01T00:00:00Z', // bad month
      '2022-00-10T00:00:00Z',
      '2022-02-30T00:00:00Z', // no such day
      '2023-02-29T00:00:00Z',
      '2022-01-01 00:00:00Z', // space separator
      '2022-1-01T00:00:00Z',
      '2022-01-01T24:00:00Z',
      '2022-01-01T00:60:00Z',
      '2022-01-01T00:00:61Z',
      '2022-01-01T00:00:00.Z',
      '2022-01-01T00:00:00.1234567890Z', // more than 9 fraction digits
      '2022-01-01T00:00:00+0100', // offset without colon
      '2022-01-01T00:00:00+01:60',
      '2022-01-01T00:00:00+24:00',
      '2022-01-01',
      ' 2022-01-01T00:00:00Z',
      '2022-01-01T00:00:00Z ',
      '20220101T000000Z',
      '',
    ];
    for (const s of forms) {
      const d = base();
      d.ctlogs[0].publicKey.validFor.start = s;
      bad(d, /RFC 3339|out of range|invalid date|bad offset/);
      const e = base();
      e.certificateAuthorities[0].validFor.end = s;
      bad(e);
    }
    const num = base();
    num.tlogs[0].publicKey.validFor.start = 1640995200;
    bad(num);
  });

  it('parseRfc3339 handles offsets, fractions (truncated to ms) and lower-case separators', () => {
    const f = new JsonFields('TRUST_ROOT', 'trusted root');
    const t = (s: string): number => parseRfc3339(s, '$', f);
    expect(t('2025-01-01T05:30:00+05:30')).toBe(Date.UTC(2025, 0, 1));
    expect(t('2024-12-31T23:00:00-01:00')).toBe(Date.UTC(2025, 0, 1));
    expect(t('2025-01-01T00:00:00+00:00')).toBe(Date.UTC(2025, 0, 1));
    expect(t('2025-01-01T00:00:00-00:00')).toBe(Date.UTC(2025, 0, 1));
    expect(t('2025-01-01t00:00:00z')).toBe(Date.UTC(2025, 0, 1));
    expect(t('2025-01-01T00:00:00.5Z')).toBe(Date.UTC(2025, 0, 1, 0, 0, 0, 500));
    expect(t('2025-01-01T00:00:00.05Z')).toBe(Date.UTC(2025, 0, 1, 0, 0, 0, 50));
    expect(t('2025-01-01T00:00:00.999999999Z')).toBe(Date.UTC(2025, 0, 1, 0, 0, 0, 999));
    expect(t('2022-10-31T23:59:59.999Z')).toBe(Date.parse('2022-10-31T23:59:59.999Z'));
    expect(t('2024-02-29T12:00:00.123+01:00')).toBe(Date.parse('2024-02-29T12:00:00.123+01:00'));
  });

  it('withinWindow is closed at both ends and open-ended without an end', () => {
    const w = { start: 1000, end: 2000 };
    expect([999, 1000, 1500, 2000, 2001].map((t) => withinWindow(w, t))).toEqual([false, true, true, true, false]);
    expect(withinWindow({ start: 1000, end: undefined }, 8.64e15)).toBe(true);
    expect(withinWindow({ start: 1000, end: undefined }, 999)).toBe(false);
  });
});

describe('parseTrustedRoot: shape', () => {
  it('rejects an unknown media type, with expected and actual', () => {
    for (const mt of ['application/vnd.dev.sigstore.trustedroot+json;version=0.3', 'application/vnd.dev.sigstore.trustedroot.v0.1+json ', 'application/json', '']) {
      const d = base();
      d.mediaType = mt;
      const e = expectCode(() => parseTrustedRoot(d), 'TRUST_ROOT', ROOT_CHECK);
      expect(e.actual).toBe(mt);
      expect(e.expected).toContain(TRUSTED_ROOT_MEDIA_TYPES[0]);
    }
    const missing = base();
    delete missing.mediaType;
    bad(missing);
  });

  it('rejects unknown fields at every level', () => {
    const edits: ((d: Json) => void)[] = [
      (d) => (d.extra = 1),
      (d) => (d.tlogs[0].extra = 1),
      (d) => (d.tlogs[0].publicKey.extra = 1),
      (d) => (d.tlogs[0].publicKey.validFor.extra = '2022-01-01T00:00:00Z'),
      (d) => (d.tlogs[0].logId.extra = 1),
      (d) => (d.certificateAuthorities[0].extra = 1),
      (d) => (d.certificateAuthorities[0].subject.extra = 'x'),
      (d) => (d.certificateAuthorities[0].certChain.extra = []),
      (d) => (d.certificateAuthorities[0].certChain.certificates[0].extra = ''),
    ];
    for (const edit of edits) {
      const d = base();
      edit(d);
      bad(d, /unknown field/);
    }
  });

  it('rejects wrong types and bad base64', () => {
    const edits: ((d: Json) => void)[] = [
      (d) => (d.tlogs = {}),
      (d) => (d.tlogs[0].baseUrl = 5),
      (d) => (d.tlogs[0].publicKey.rawBytes = 'not base64!'),
      (d) => (d.tlogs[0].publicKey.keyDetails = null),
      (d) => (d.tlogs[0].logId.keyId = 'AR=='),
      (d) => (d.certificateAuthorities[0].certChain.certificates[0].rawBytes = 'A'),
      (d) => (d.certificateAuthorities[0].uri = 1),
      (d) => d.tlogs.push('log'),
    ];
    for (const edit of edits) {
      const d = base();
      edit(d);
      bad(d);
    }
  });

  it('rejects a log id that is not 32 bytes', () => {
    const d = base();
    d.tlogs[0].logId.keyId = Buffer.alloc(20).toString('base64');
    bad(d, /32 bytes/);
  });

  it('rejects an empty certificate chain and a certificate that does not parse', () => {
    const empty = base();
    empty.certificateAuthorities[0].certChain.certificates = [];
    bad(empty, /empty certificate chain/);
    const junk = base();
    junk.certificateAuthorities[0].certChain.certificates[0].rawBytes = Buffer.from([0x30, 0x03, 0x02, 0x01, 0x01]).toString('base64');
    bad(junk);
    const trailing = base();
    trailing.certificateAuthorities[0].certChain.certificates[0].rawBytes = Buffer.concat([Buffer.from(intermediate.cert), Buffer.of(0)]).toString('base64');
    bad(trailing, /trailing/);
  });

  it('rejects two logs sharing an id with different keys (tlogs and ctlogs)', () => {
    for (const section of ['tlogs', 'ctlogs']) {
      const d = base();
      const twin = logJson({ baseUrl: 'https://twin.test', spki: newKey().spki });
      (twin.logId as { keyId: string }).keyId = d[section][0].logId.keyId;
      d[section].push(twin);
      bad(d, /share a log id/);
    }
  });

  it('enforces list limits with LIMIT', () => {
    const d = base();
    d.tlogs = Array.from({ length: 65 }, () => clone(d.tlogs[0]));
    expectCode(() => parseTrustedRoot(d), 'LIMIT', 'trust_root.limit');
    const chain = base();
    chain.certificateAuthorities[0].certChain.certificates = Array.from({ length: 11 }, () => chain.certificateAuthorities[0].certChain.certificates[0]);
    expectCode(() => parseTrustedRoot(chain), 'LIMIT', 'trust_root.limit');
  });

  it('reports malformed JSON as PARSE and non-serializable objects as TRUST_ROOT', () => {
    expectCode(() => parseTrustedRoot('{"mediaType":'), 'PARSE', 'json');
    expectCode(() => parseTrustedRoot('{"mediaType":"a","mediaType":"b"}'), 'PARSE', 'json');
    expectCode(() => parseTrustedRoot(new Uint8Array([0x7b])), 'PARSE', 'json');
    // Invalid UTF-8 is an error, not U+FFFD (here two bytes inside the baseUrl string).
    const text = Buffer.from(JSON.stringify(base()).replace('https://rekor.test', 'https://rekor.test@@'));
    const i = text.indexOf('@@');
    const invalid = new Uint8Array(text);
    invalid.set([0xc3, 0x28], i);
    expectCode(() => parseTrustedRoot(invalid), 'PARSE', 'json');
    expectCode(() => parseTrustedRoot({ n: 1n }), 'TRUST_ROOT');
    bad([] as unknown as object);
  });
});

describe.skipIf(!haveConformance)('parseTrustedRoot: conformance roots', () => {
  it('parses every trusted root in the conformance data', () => {
    const files = [path.join(CONFORMANCE, 'public_good_trusted_root.json')];
    for (const d of readdirSync(CONFORMANCE)) {
      const f = path.join(CONFORMANCE, d, 'trusted_root.json');
      if (existsSync(f)) files.push(f);
    }
    expect(files.length).toBeGreaterThan(5);
    for (const f of files) {
      const r = parseTrustedRoot(readJson(f));
      expect(r.certificateAuthorities.length, f).toBeGreaterThan(0);
    }
  });
});

describe('iso helper sanity', () => {
  it('round-trips through parseRfc3339', () => {
    const f = new JsonFields('TRUST_ROOT', 'trusted root');
    for (const t of [0, Date.UTC(2026, 0, 15, 12, 0, 0, 1), Date.UTC(2049, 11, 31, 23, 59, 59, 999)]) expect(parseRfc3339(iso(t), '$', f)).toBe(t);
  });
});
