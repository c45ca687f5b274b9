/**
 * Fuzz targets: one per parser or decoder that reads attacker-controlled
 * input. Each pairs an input arbitrary (seeded from the vectors, see
 * `seeds.ts`) with a `run` that feeds the parser and, where the format
 * allows, checks a round trip or an independent reference.
 *
 * The harness (`harness.ts`) treats a thrown {@link SigvetError} as the
 * parser correctly refusing the input; anything else (TypeError,
 * RangeError, stack overflow, a {@link FuzzFinding} from a failed round
 * trip) is a finding, and so is an input that takes too long.
 */
import fc from 'fast-check';
import { sha256 } from '@noble/hashes/sha2.js';
import { SigvetError } from '../src/errors.js';
import { parseJson, type JsonValue } from '../src/encoding/json.js';
import { decodeBase64, encodeBase64, type Base64Alphabet } from '../src/encoding/base64.js';
import { fromHex, toHex } from '../src/encoding/hex.js';
import { parseDer, Tag, type DerElement } from '../src/der/element.js';
import { parseCertificate, ExtensionOid, type Certificate } from '../src/x509/certificate.js';
import { parseEmbeddedScts, precertificateTbs } from '../src/x509/sct.js';
import { fulcioExtensions, fulcioIssuer } from '../src/x509/fulcio.js';
import { checkLeafProfile, leafIdentity } from '../src/x509/chain.js';
import { decodeBundle } from '../src/bundle/decode.js';
import { parseTrustedRoot, parseRfc3339 } from '../src/trust/trusted-root.js';
import { preAuthEncoding } from '../src/dsse/pae.js';
import { parseStatement } from '../src/intoto/statement.js';
import { parseCheckpoint } from '../src/tlog/checkpoint.js';
import { parseEntryBody, SUPPORTED_ENTRY_KINDS } from '../src/tlog/body.js';
import { setPayload } from '../src/tlog/set.js';
import { leafHash, nodeHash, rootFromInclusionProof, verifyInclusion } from '../src/tlog/merkle.js';
import { parseTimestampToken } from '../src/timestamp/timestamp-token.js';
import { parseSpki, pemToDer } from '../src/crypto/spki.js';
import { parseEcdsaSignature } from '../src/crypto/ecdsa-signature.js';
import { ecdsaDerToP1363OrUndefined } from '../src/crypto/p1363-signature.js';
import { createVerifierWith, type Verifier, type VerifyInput } from '../src/api.js';
import { nodeCryptoProvider } from '../src/crypto/node.js';
import { loadSeeds, type SeedCorpus } from './seeds.js';
import {
  applyJsonEdits,
  derTree,
  encodeDerNode,
  mutatedBytes,
  mutatedJson,
  mutatedText,
  mutatedTextBytes,
  nestedDer,
  nestedJson,
} from './arbitraries.js';
import { loadValidCases, type ValidCase } from '../mutation/cases.js';

/** A property violation that is not an exception of the parser itself (a failed round trip). */
export class FuzzFinding extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FuzzFinding';
  }
}

/** One fuzz target. */
export interface FuzzTarget<T = unknown> {
  /** Stable name (`area.parser`), used for crash files and `--target`. */
  readonly name: string;
  /** The functions this target exercises. */
  readonly covers: readonly string[];
  /** Generates inputs. */
  readonly arbitrary: fc.Arbitrary<T>;
  /** Feeds one input; throws SigvetError to refuse it, FuzzFinding on a broken property. */
  run(input: T): void | Promise<void>;
  /** Milliseconds one input may take before it counts as a finding. */
  readonly budgetMs: number;
}

function must(cond: boolean, msg: string): void {
  if (!cond) throw new FuzzFinding(msg);
}

const enc = new TextEncoder();
// ignoreBOM: a leading U+FEFF is data here, not a marker to drop.
const dec = new TextDecoder('utf-8', { ignoreBOM: true });

function eqBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

// ---------------------------------------------------------------------------
// JSON

/** A JSON value with bigint integers, compared with the same value from JSON.parse. */
function sameJson(a: JsonValue, b: unknown): boolean {
  if (typeof a === 'bigint') return typeof b === 'number' && Number(a) === b;
  if (a === null || typeof a !== 'object') return Object.is(a, b) || (typeof a === 'number' && a === b);
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
  if (b === null || typeof b !== 'object' || Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b as object);
  return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && sameJson(a[k]!, (b as Record<string, unknown>)[k]));
}

function stringifyBig(v: JsonValue): string {
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? { $big: x.toString() } : x)).replace(/\{"\$big":"(-?\d+)"\}/g, '$1');
}

function jsonTarget(seeds: SeedCorpus): FuzzTarget<{ text: string; roundTrip: boolean }> {
  const texts = [...seeds.bundles, ...seeds.trustedRoots, ...seeds.payloads.map((p) => dec.decode(p))];
  return {
    name: 'encoding.json',
    covers: ['parseJson'],
    budgetMs: 500,
    arbitrary: fc.oneof(
      { arbitrary: mutatedJson(texts).map((text) => ({ text, roundTrip: false })), weight: 6 },
      { arbitrary: fc.jsonValue().map((v) => ({ text: JSON.stringify(v), roundTrip: true })), weight: 2 },
      { arbitrary: fc.string({ unit: 'binary', maxLength: 64 }).map((text) => ({ text, roundTrip: false })), weight: 1 },
      {
        arbitrary: fc
          .tuple(fc.integer({ min: 60, max: 70 }), fc.constantFrom('array' as const, 'object' as const))
          .map(([d, k]) => ({ text: nestedJson(d, k), roundTrip: false })),
        weight: 1,
      },
      { arbitrary: fc.constant({ text: nestedJson(100_000), roundTrip: false }), weight: 1 },
    ),
    run({ text, roundTrip }) {
      const v = parseJson(text, 'fuzz');
      // Only now the reference parse (a 100,000-deep input is refused above, not timed here).
      let reference: unknown;
      let referenceOk = true;
      try {
        reference = JSON.parse(text);
      } catch {
        referenceOk = false;
      }
      // parseJson accepts a subset of JSON.parse (no duplicate keys), and agrees on what it accepts.
      must(referenceOk, 'parseJson accepted text JSON.parse rejects');
      must(sameJson(v, reference), 'parseJson and JSON.parse disagree on the value');
      if (roundTrip) must(stringifyBig(v) === text, `round trip changed the text: ${text.slice(0, 80)}`);
    },
  };
}

// ---------------------------------------------------------------------------
// base64 / hex

const B64_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_=\r\n \t.*';

function base64Target(seeds: SeedCorpus): FuzzTarget<{ s: string; alphabet: Base64Alphabet } | { bytes: Uint8Array; style: number }> {
  const alph = fc.constantFrom<Base64Alphabet>('std', 'url', 'any');
  const strings = fc.oneof(
    mutatedText(seeds.base64Strings.slice(0, 64)),
    fc.string({ unit: fc.constantFrom(...B64_CHARS.split('')), maxLength: 24 }),
  );
  return {
    name: 'encoding.base64',
    covers: ['decodeBase64', 'encodeBase64'],
    budgetMs: 200,
    arbitrary: fc.oneof(
      fc.record({ s: strings, alphabet: alph }),
      fc.record({ bytes: fc.uint8Array({ maxLength: 70 }), style: fc.nat(3) }),
    ),
    run(input) {
      if ('bytes' in input) {
        // Every encoding protobuf JSON allows decodes back to the bytes.
        const std = encodeBase64(input.bytes);
        const url = std.replace(/\+/g, '-').replace(/\//g, '_');
        const forms = [std, std.replace(/=+$/, ''), url, url.replace(/=+$/, '')];
        const s = forms[input.style]!;
        must(eqBytes(decodeBase64(s, 'fuzz', 'any'), input.bytes), `round trip failed for ${s}`);
        if (input.style === 0) must(eqBytes(decodeBase64(s, 'fuzz', 'std'), input.bytes), 'std round trip failed');
        if (input.style >= 2) must(eqBytes(decodeBase64(s, 'fuzz', 'url'), input.bytes), 'url round trip failed');
        return;
      }
      const { s, alphabet } = input;
      const out = decodeBase64(s, 'fuzz', alphabet);
      // Strictness: an accepted string is the canonical encoding of its bytes, up to alphabet and padding.
      let norm = alphabet === 'std' ? s : s.replace(/[\r\n]/g, '');
      must(!/[^A-Za-z0-9+/=_-]/.test(norm), `accepted a character outside the alphabets: ${JSON.stringify(s)}`);
      must(!(/[+/]/.test(norm) && /[-_]/.test(norm)), 'accepted mixed alphabets');
      if (alphabet === 'url') must(!/[+/]/.test(norm), 'url alphabet accepted + or /');
      if (alphabet === 'std') must(!/[-_]/.test(norm), 'std alphabet accepted - or _');
      norm = norm.replace(/-/g, '+').replace(/_/g, '/');
      if (alphabet !== 'std') while (norm.length % 4 !== 0) norm += '=';
      must(norm === encodeBase64(out), `accepted a non-canonical encoding ${JSON.stringify(s)}`);
    },
  };
}

function hexTarget(): FuzzTarget<{ s: string; lower: boolean } | { bytes: Uint8Array }> {
  return {
    name: 'encoding.hex',
    covers: ['fromHex', 'toHex'],
    budgetMs: 100,
    arbitrary: fc.oneof(
      fc.record({ s: fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEFxg -'.split('')), maxLength: 20 }), lower: fc.boolean() }),
      fc.record({ bytes: fc.uint8Array({ maxLength: 40 }) }),
    ),
    run(input) {
      if ('bytes' in input) {
        must(eqBytes(fromHex(toHex(input.bytes), 'fuzz', true), input.bytes), 'hex round trip failed');
        return;
      }
      const out = fromHex(input.s, 'fuzz', input.lower);
      must(toHex(out) === input.s.toLowerCase(), 'accepted non-hex text');
      if (input.lower) must(input.s === input.s.toLowerCase(), 'lowerOnly accepted upper case');
    },
  };
}

// ---------------------------------------------------------------------------
// DER

function derLen(n: number): number[] {
  if (n < 0x80) return [n];
  const out: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) out.unshift(v & 0xff);
  return [0x80 | out.length, ...out];
}

/** Re-encodes a parsed element from its tag and children with minimal lengths (must reproduce DER input). */
function reencode(el: DerElement, budget: { n: number }): number[] {
  if (--budget.n < 0) throw new FuzzFinding('DER tree larger than its byte length allows');
  const content = el.constructed ? el.children().flatMap((k) => reencode(k, budget)) : [...el.content()];
  return [el.tag, ...derLen(content.length), ...content];
}

/** Calls every value accessor that applies to the element's tag; each may refuse with a SigvetError. */
function touch(el: DerElement, budget: { n: number }): void {
  if (--budget.n < 0) return;
  const attempt = (f: () => unknown): void => {
    try {
      f();
    } catch (e) {
      if (!(e instanceof SigvetError)) throw e;
    }
  };
  switch (el.tag) {
    case Tag.INTEGER:
      attempt(() => el.integerBytes());
      attempt(() => el.unsignedBigInt());
      attempt(() => el.smallInt());
      break;
    case Tag.BOOLEAN:
      attempt(() => el.boolean());
      break;
    case Tag.BIT_STRING:
      attempt(() => el.bitString(true));
      attempt(() => el.bitString(false));
      break;
    case Tag.OID:
      attempt(() => el.oid());
      break;
    case Tag.NULL:
      attempt(() => el.null());
      break;
    case Tag.UTC_TIME:
    case Tag.GENERALIZED_TIME:
      attempt(() => el.time(true));
      attempt(() => el.time(false));
      break;
    case Tag.OCTET_STRING:
      attempt(() => el.octets());
      break;
    default:
      break;
  }
  if (el.constructed) {
    let kids: DerElement[] = [];
    attempt(() => {
      kids = el.children();
    });
    for (const k of kids) touch(k, budget);
  }
}

function derTarget(seeds: SeedCorpus): FuzzTarget<Uint8Array> {
  const derSeeds = [...seeds.certificates, ...seeds.timestamps, ...seeds.spkis, ...seeds.signatures.filter((s) => s[0] === 0x30)];
  return {
    name: 'der.parse',
    covers: ['parseDer', 'DerElement accessors'],
    budgetMs: 300,
    arbitrary: fc.oneof(
      { arbitrary: mutatedBytes(derSeeds), weight: 5 },
      { arbitrary: derTree, weight: 4 },
      { arbitrary: fc.integer({ min: 28, max: 40 }).map((d) => nestedDer(d)), weight: 1 },
      { arbitrary: fc.constant(nestedDer(10_000)), weight: 1 },
    ),
    run(bytes) {
      const el = parseDer(bytes, 'fuzz');
      touch(el, { n: 4096 });
      // DER is canonical: the tree re-encoded with minimal lengths is the input, byte for byte.
      let again: number[];
      try {
        again = reencode(el, { n: bytes.length + 1 });
      } catch (e) {
        if (e instanceof SigvetError) return; // a nested element failed to parse: refused, fine
        throw e;
      }
      must(eqBytes(new Uint8Array(again), bytes), 'accepted DER that does not re-encode to itself');
    },
  };
}

// ---------------------------------------------------------------------------
// X.509, SCTs, Fulcio

function certificateTarget(seeds: SeedCorpus): FuzzTarget<Uint8Array> {
  return {
    name: 'x509.certificate',
    covers: [
      'parseCertificate',
      'Certificate getters',
      'parseEmbeddedScts',
      'precertificateTbs',
      'fulcioExtensions',
      'fulcioIssuer',
      'leafIdentity',
      'checkLeafProfile',
    ],
    budgetMs: 300,
    arbitrary: fc.oneof({ arbitrary: mutatedBytes(seeds.certificates), weight: 9 }, { arbitrary: derTree, weight: 1 }),
    run(bytes) {
      const cert = parseCertificate(bytes, 'fuzz');
      must(eqBytes(cert.der, bytes), 'certificate DER differs from the input');
      must(eqBytes(cert.tbs.raw(), bytes.subarray(cert.tbs.start, cert.tbs.end)), 'TBS is not a view of the input');
      const steps: (() => unknown)[] = [
        () => cert.basicConstraints,
        () => cert.keyUsage,
        () => cert.extKeyUsage,
        () => cert.subjectKeyId,
        () => cert.authorityKeyId,
        () => cert.subjectAltNames,
        () => parseEmbeddedScts(cert),
        () => {
          if (!cert.extension(ExtensionOid.SCT_LIST)) return;
          const tbs = precertificateTbs(cert);
          // The spliced TBS must itself be DER (it is what the CT log signed).
          parseDer(tbs, 'precertificate TBS');
        },
        () => fulcioIssuer(fulcioExtensions(cert)),
        () => leafIdentity(cert),
        () => checkLeafProfile(cert),
      ];
      for (const step of steps) {
        try {
          step();
        } catch (e) {
          if (!(e instanceof SigvetError)) throw e;
        }
      }
    },
  };
}

/** A stand-in certificate holding only an SCT-list extension value, to reach the TLS parser directly. */
function sctCarrier(value: Uint8Array): Certificate {
  return { extension: (oid: string) => (oid === ExtensionOid.SCT_LIST ? { oid, critical: false, value } : undefined) } as unknown as Certificate;
}

function wrapOctets(b: Uint8Array): Uint8Array {
  return new Uint8Array([0x04, ...derLen(b.length), ...b]);
}

function sctListTarget(seeds: SeedCorpus): FuzzTarget<Uint8Array> {
  const lists: Uint8Array[] = [];
  for (const der of seeds.certificates) {
    try {
      const x = parseCertificate(der).extension(ExtensionOid.SCT_LIST);
      if (x) lists.push(parseDer(x.value, 'sct').octets().slice());
    } catch {
      /* not a certificate sigvet reads */
    }
  }
  return {
    name: 'x509.sct-list',
    covers: ['parseEmbeddedScts (TLS SignedCertificateTimestampList)'],
    budgetMs: 200,
    arbitrary: mutatedBytes(lists, 256),
    run(tls) {
      const scts = parseEmbeddedScts(sctCarrier(wrapOctets(tls)));
      // Everything parsed is a view into the list; the list length prefix matched.
      must(scts.every((s) => s.logId.length === 32), 'SCT log id is not 32 bytes');
    },
  };
}

// ---------------------------------------------------------------------------
// Bundle, trusted root

function bundleTarget(seeds: SeedCorpus): FuzzTarget<string | Uint8Array> {
  return {
    name: 'bundle.decode',
    covers: ['decodeBundle', 'JsonFields (int64, bytes, object, array)'],
    budgetMs: 500,
    arbitrary: fc.oneof(
      { arbitrary: mutatedJson(seeds.bundles), weight: 8 },
      { arbitrary: mutatedBytes(seeds.bundles.map((b) => enc.encode(b))), weight: 1 },
      { arbitrary: fc.constant(nestedJson(20_000, 'object')), weight: 1 },
    ),
    run(input) {
      const b = decodeBundle(input);
      must(b.tlogEntries.length <= 32 && b.rfc3161Timestamps.length <= 32, 'bundle limits not applied');
    },
  };
}

function trustedRootTarget(seeds: SeedCorpus): FuzzTarget<string> {
  return {
    name: 'trust.trusted-root',
    covers: ['parseTrustedRoot', 'parseRfc3339'],
    budgetMs: 1000,
    arbitrary: mutatedJson(seeds.trustedRoots),
    run(text) {
      const r = parseTrustedRoot(text);
      for (const l of [...r.tlogs, ...r.ctlogs]) must(l.validFor.end === undefined || l.validFor.end >= l.validFor.start, 'window end before start');
    },
  };
}

function rfc3339Target(): FuzzTarget<string> {
  const valid = fc
    .date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true })
    .map((d) => d.toISOString());
  return {
    name: 'trust.rfc3339',
    covers: ['parseRfc3339'],
    budgetMs: 50,
    arbitrary: fc.oneof(valid, mutatedText(['2025-01-01T00:00:00Z', '2021-03-07T03:20:29.999+01:30', '2022-12-31T23:59:60Z'])),
    run(s) {
      const t = parseRfc3339(s, 'fuzz');
      must(Number.isFinite(t), 'time is not finite');
      if (/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(s) && !s.includes(':60')) {
        must(new Date(t).toISOString() === s, `round trip changed ${s}`);
      }
    },
  };
}

// ---------------------------------------------------------------------------
// DSSE, in-toto

function paeTarget(seeds: SeedCorpus): FuzzTarget<{ type: string; payload: Uint8Array }> {
  return {
    name: 'dsse.pae',
    covers: ['preAuthEncoding'],
    budgetMs: 50,
    arbitrary: fc.record({
      type: fc.oneof(fc.constantFrom(...seeds.payloadTypes, 'application/x.tést+json', '\ud800', ''), fc.string({ unit: 'binary', maxLength: 16 })),
      payload: fc.uint8Array({ maxLength: 64 }),
    }),
    run({ type, payload }) {
      const out = preAuthEncoding(type, payload);
      // Independent reference: lengths are UTF-8 byte counts (Buffer encodes lone surrogates as U+FFFD too).
      const t = Buffer.from(type, 'utf8');
      const ref = Buffer.concat([Buffer.from(`DSSEv1 ${t.length} `), t, Buffer.from(` ${payload.length} `), payload]);
      must(eqBytes(out, new Uint8Array(ref)), 'PAE differs from the reference encoding');
    },
  };
}

const statementArb = fc.record({
  _type: fc.constantFrom('https://in-toto.io/Statement/v1', 'https://in-toto.io/Statement/v0.1'),
  subject: fc.array(
    fc.record({
      name: fc.string({ maxLength: 12 }),
      digest: fc.dictionary(fc.constantFrom('sha256', 'sha512', 'gitCommit', '__proto__', 'x'), fc.string({ unit: fc.constantFrom(...'0123456789abcdef'.split('')), maxLength: 64 }), {
        minKeys: 1,
        maxKeys: 3,
      }),
    }),
    { minLength: 1, maxLength: 4 },
  ),
  predicateType: fc.string({ minLength: 1, maxLength: 20 }),
  predicate: fc.option(fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }), { nil: undefined }),
});

function statementTarget(seeds: SeedCorpus): FuzzTarget<{ bytes: Uint8Array; expected: unknown }> {
  return {
    name: 'intoto.statement',
    covers: ['parseStatement', 'findSubject'],
    budgetMs: 300,
    arbitrary: fc.oneof(
      { arbitrary: mutatedTextBytes(seeds.payloads).map((bytes) => ({ bytes, expected: undefined })), weight: 3 },
      { arbitrary: mutatedJson(seeds.payloads.map((p) => dec.decode(p))).map((s) => ({ bytes: enc.encode(s), expected: undefined })), weight: 3 },
      { arbitrary: statementArb.map((st) => ({ bytes: enc.encode(JSON.stringify(st)), expected: st })), weight: 2 },
    ),
    run({ bytes, expected }) {
      const st = parseStatement(bytes);
      if (expected !== undefined) {
        const e = expected as { _type: string; subject: { name: string; digest: Record<string, string> }[]; predicateType: string };
        must(st.type === e._type && st.predicateType === e.predicateType, 'statement fields changed');
        must(st.subject.length === e.subject.length, 'subject count changed');
        st.subject.forEach((s, i) => {
          const want = e.subject[i]!;
          must(s.name === want.name, 'subject name changed');
          must(JSON.stringify(Object.entries(s.digest)) === JSON.stringify(Object.entries(want.digest)), 'subject digest changed');
        });
      }
    },
  };
}

// ---------------------------------------------------------------------------
// Transparency log: checkpoints, bodies, SET, Merkle proofs

const noteNameArb = fc.oneof(fc.constantFrom('rekor.sigstore.dev', 'log2025-1.rekor.sigstore.dev', 'witness.example', 'a+b', 'x y', ''), fc.string({ minLength: 1, maxLength: 12 }));
const noteArb = fc
  .record({
    origin: fc.oneof(fc.constantFrom('rekor.sigstore.dev - 1193050959916656506', 'log2025-1.rekor.sigstore.dev'), fc.string({ maxLength: 16 })),
    size: fc.oneof(fc.bigInt({ min: 0n, max: (1n << 64n) + 5n }).map(String), fc.constantFrom('+5', '05', '0x10', '５', '', '-1')),
    root: fc.oneof(fc.uint8Array({ minLength: 32, maxLength: 32 }).map(encodeBase64), fc.uint8Array({ maxLength: 40 }).map(encodeBase64)),
    extensions: fc.array(fc.string({ maxLength: 10 }), { maxLength: 3 }),
    sigs: fc.array(fc.record({ name: noteNameArb, raw: fc.uint8Array({ minLength: 0, maxLength: 72 }) }), { minLength: 0, maxLength: 4 }),
  })
  .map(
    (n) =>
      `${n.origin}\n${n.size}\n${n.root}\n${n.extensions.map((e) => `${e}\n`).join('')}\n` +
      n.sigs.map((s) => `\u2014 ${s.name} ${encodeBase64(s.raw)}\n`).join(''),
  );

function checkpointTarget(seeds: SeedCorpus): FuzzTarget<string> {
  return {
    name: 'tlog.checkpoint',
    covers: ['parseCheckpoint', 'checkpointOriginMatches'],
    budgetMs: 200,
    arbitrary: fc.oneof(
      { arbitrary: mutatedText(seeds.checkpoints), weight: 5 },
      { arbitrary: noteArb, weight: 4 },
      { arbitrary: fc.nat(300).map((n) => `o\n1\n${encodeBase64(new Uint8Array(32))}\n\n${'\u2014 a AAAAAAA=\n'.repeat(n)}`), weight: 1 },
    ),
    run(text) {
      const cp = parseCheckpoint(text);
      // Round trip: the note re-serialized from what was parsed is the input, byte for byte.
      const body = `${cp.origin}\n${cp.size}\n${encodeBase64(cp.rootHash)}\n${cp.extensions.map((e) => `${e}\n`).join('')}`;
      must(dec.decode(cp.signedText) === body, 'signed text is not the body as parsed');
      const sigs = cp.signatures.map((s) => {
        const raw = new Uint8Array(s.keyHint.length + s.signature.length);
        raw.set(s.keyHint);
        raw.set(s.signature, s.keyHint.length);
        return `\u2014 ${s.name} ${encodeBase64(raw)}\n`;
      });
      must(`${body}\n${sigs.join('')}` === text, 'checkpoint does not re-serialize to its input');
      must(cp.signatures.length <= 100, 'signature cap not applied');
    },
  };
}

function bodyTarget(seeds: SeedCorpus): FuzzTarget<{ body: Uint8Array; kind: string; version: string }> {
  const kinds = SUPPORTED_ENTRY_KINDS.map((k) => k.split('/') as [string, string]);
  const seedArb =
    seeds.bodies.length === 0
      ? fc.constant({ body: new Uint8Array(), kind: 'hashedrekord', version: '0.0.1' })
      : fc.nat(seeds.bodies.length - 1).map((i) => seeds.bodies[i]!);
  return {
    name: 'tlog.body',
    covers: ['parseEntryBody'],
    budgetMs: 300,
    arbitrary: fc.oneof(
      {
        weight: 6,
        arbitrary: fc
          .tuple(seedArb, fc.array(fc.record({ op: fc.constantFrom('remove' as const, 'replace' as const, 'wrap' as const, 'duplicateKey' as const), pick: fc.nat(), value: fc.jsonValue({ maxDepth: 1 }) }), { minLength: 1, maxLength: 3 }))
          .map(([s, edits]) => ({ ...s, body: enc.encode(applyJsonEdits(dec.decode(s.body), edits as never)) })),
      },
      { weight: 3, arbitrary: fc.tuple(seedArb, mutatedBytes(seeds.bodies.map((b) => b.body))).map(([s, body]) => ({ ...s, body })) },
      {
        weight: 1,
        arbitrary: fc.tuple(seedArb, fc.constantFrom(...kinds, ['rekord', '0.0.1'] as [string, string], ['hashedrekord', '0.0.3'] as [string, string])).map(([s, [kind, version]]) => ({ body: s.body, kind, version })),
      },
    ),
    run({ body, kind, version }) {
      const b = parseEntryBody(body, kind, version);
      must(b.kind === kind && b.version === version, 'body kind differs from the declared kind');
    },
  };
}

function setTarget(): FuzzTarget<{ body: Uint8Array; time: bigint; logId: Uint8Array; index: bigint }> {
  return {
    name: 'tlog.set-payload',
    covers: ['setPayload'],
    budgetMs: 50,
    arbitrary: fc.record({
      body: fc.uint8Array({ maxLength: 64 }),
      time: fc.bigInt({ min: 0n, max: (1n << 63n) - 1n }),
      logId: fc.uint8Array({ minLength: 32, maxLength: 32 }),
      index: fc.oneof(fc.bigInt({ min: 0n, max: (1n << 63n) - 1n }), fc.constantFrom(2n ** 53n + 1n, 2n ** 53n)),
    }),
    run({ body, time, logId, index }) {
      const text = dec.decode(setPayload(body, time, logId, index));
      const v = parseJson(text, 'SET payload') as Record<string, JsonValue>;
      must(Object.keys(v).join(',') === 'body,integratedTime,logID,logIndex', 'keys are not in canonical order');
      must(v.body === encodeBase64(body) && v.logID === toHex(logId), 'body or log id changed');
      must(BigInt(v.integratedTime as number | bigint) === time && BigInt(v.logIndex as number | bigint) === index, 'integers lost precision');
      must(!/\s/.test(text), 'canonical JSON has no whitespace');
    },
  };
}

/** RFC 6962 §2.1.1 audit path for leaf m of leaves[0..n) (reference implementation for the round trip). */
function auditPath(m: number, leaves: readonly Uint8Array[]): Uint8Array[] {
  const n = leaves.length;
  if (n <= 1) return [];
  let k = 1;
  while (k * 2 < n) k *= 2;
  return m < k ? [...auditPath(m, leaves.slice(0, k)), mth(leaves.slice(k))] : [...auditPath(m - k, leaves.slice(k)), mth(leaves.slice(0, k))];
}

function mth(leaves: readonly Uint8Array[]): Uint8Array {
  if (leaves.length === 1) return leaves[0]!;
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return nodeHash(mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}

type MerkleInput = { valid: boolean; n: number; m: number; index: bigint; size: bigint; proof: Uint8Array[]; flip: number };

function merkleTarget(): FuzzTarget<MerkleInput> {
  return {
    name: 'tlog.merkle',
    covers: ['verifyInclusion', 'rootFromInclusionProof'],
    budgetMs: 100,
    arbitrary: fc.oneof(
      fc.record({
        valid: fc.constant(true),
        n: fc.integer({ min: 1, max: 40 }),
        m: fc.nat(),
        index: fc.constant(0n),
        size: fc.constant(0n),
        proof: fc.constant([]),
        flip: fc.integer({ min: -1, max: 400 }),
      }),
      fc.record({
        valid: fc.constant(false),
        n: fc.constant(0),
        m: fc.constant(0),
        index: fc.oneof(fc.bigInt({ min: -2n, max: 100n }), fc.bigInt({ min: 0n, max: 1n << 64n })),
        size: fc.oneof(fc.bigInt({ min: -2n, max: 100n }), fc.bigInt({ min: 0n, max: 1n << 64n })),
        proof: fc.array(fc.uint8Array({ minLength: 30, maxLength: 33 }), { maxLength: 70 }),
        flip: fc.constant(-1),
      }),
    ) as fc.Arbitrary<MerkleInput>,
    run(x) {
      if (!x.valid) {
        verifyInclusion({ index: x.index, treeSize: x.size, leafHash: leafHash(new Uint8Array()), proof: x.proof, root: new Uint8Array(32) });
        return;
      }
      const leaves = Array.from({ length: x.n }, (_, i) => leafHash(new Uint8Array([i, i >> 8])));
      const m = x.m % x.n;
      const proof = auditPath(m, leaves);
      const root = mth(leaves);
      const input = { index: BigInt(m), treeSize: BigInt(x.n), leafHash: leaves[m]!, proof, root };
      must(eqBytes(rootFromInclusionProof(input), root), 'a valid proof does not lead to the root');
      verifyInclusion(input);
      const bits = proof.length * 256;
      if (x.flip >= 0 && bits > 0) {
        const f = x.flip % bits;
        const bad = proof.map((h) => h.slice());
        bad[Math.floor(f / 256)]![Math.floor((f % 256) / 8)]! ^= 1 << (f % 8);
        let refused = false;
        try {
          verifyInclusion({ ...input, proof: bad });
        } catch (e) {
          if (!(e instanceof SigvetError)) throw e;
          refused = true;
        }
        must(refused, 'a proof with a flipped bit verified');
      }
    },
  };
}

// ---------------------------------------------------------------------------
// RFC 3161, keys, signatures

function timestampTarget(seeds: SeedCorpus): FuzzTarget<Uint8Array> {
  return {
    name: 'timestamp.token',
    covers: ['parseTimestampToken'],
    budgetMs: 300,
    arbitrary: fc.oneof({ arbitrary: mutatedBytes(seeds.timestamps), weight: 9 }, { arbitrary: derTree, weight: 1 }),
    run(bytes) {
      const t = parseTimestampToken(bytes);
      must(t.certificates.length <= 10, 'certificate cap not applied');
      must(eqBytes(t.der, bytes), 'token bytes differ from the input');
    },
  };
}

function spkiTarget(seeds: SeedCorpus): FuzzTarget<Uint8Array> {
  return {
    name: 'crypto.spki',
    covers: ['parseSpki', 'parseRsaPublicKey'],
    budgetMs: 200,
    arbitrary: fc.oneof({ arbitrary: mutatedBytes(seeds.spkis), weight: 9 }, { arbitrary: derTree, weight: 1 }),
    run(bytes) {
      parseSpki(bytes, 'fuzz');
    },
  };
}

function pemTarget(seeds: SeedCorpus): FuzzTarget<{ pem: string; label: string }> {
  return {
    name: 'crypto.pem',
    covers: ['pemToDer'],
    budgetMs: 100,
    arbitrary: fc.record({ pem: mutatedText(seeds.pems), label: fc.constantFrom('PUBLIC KEY', 'CERTIFICATE') }),
    run({ pem, label }) {
      const der = pemToDer(pem, label);
      // Strict PEM: the base64 lines are exactly the canonical encoding of the DER.
      const b64 = pem.replace(/-----[A-Z ]+-----/g, '').replace(/\r?\n/g, '');
      must(b64 === encodeBase64(der), 'accepted PEM whose body is not canonical base64 of the DER');
    },
  };
}

function ecdsaTarget(seeds: SeedCorpus): FuzzTarget<{ der: Uint8Array; curve: 'ec-p256' | 'ec-p384' | 'ec-p521' }> {
  return {
    name: 'crypto.ecdsa-signature',
    covers: ['parseEcdsaSignature', 'ecdsaDerToP1363OrUndefined'],
    budgetMs: 50,
    arbitrary: fc.record({
      der: fc.oneof(mutatedBytes(seeds.signatures.filter((s) => s[0] === 0x30), 160), derTree),
      curve: fc.constantFrom('ec-p256' as const, 'ec-p384' as const, 'ec-p521' as const),
    }),
    run({ der, curve }) {
      // The byte-level converter (the hot path) accepts exactly what the reference parser accepts.
      let rs: { r: bigint; s: bigint };
      try {
        rs = parseEcdsaSignature(der, curve);
      } catch (e) {
        must(ecdsaDerToP1363OrUndefined(der, curve) === undefined, 'the P1363 converter accepts what the parser refuses');
        throw e;
      }
      const { r, s } = rs;
      const p = ecdsaDerToP1363OrUndefined(der, curve);
      if (p === undefined) throw new FuzzFinding('the P1363 converter refuses what the parser accepts');
      const w = p.length / 2;
      const hex = toHex(p);
      must(BigInt(`0x${hex.slice(0, 2 * w)}`) === r && BigInt(`0x${hex.slice(2 * w)}`) === s, 'P1363 form differs from (r, s)');
      // Strict DER: the signature is the minimal encoding of (r, s).
      const int = (v: bigint): number[] => {
        let h = v.toString(16);
        if (h.length % 2) h = `0${h}`;
        const bytes = [...fromHex(h, 'x')];
        if (bytes[0]! >= 0x80) bytes.unshift(0);
        return [0x02, ...derLen(bytes.length), ...bytes];
      };
      const body = [...int(r), ...int(s)];
      must(eqBytes(new Uint8Array([0x30, ...derLen(body.length), ...body]), der), 'accepted a non-canonical ECDSA signature');
    },
  };
}

// ---------------------------------------------------------------------------
// The whole verifier over mutated valid bundles

interface VerifyCaseInput {
  readonly caseIndex: number;
  readonly bundle: string;
}

function verifyTarget(cases: readonly ValidCase[]): FuzzTarget<VerifyCaseInput> {
  const verifiers = new Map<number, Promise<Verifier>>();
  const input = (c: ValidCase): VerifyInput =>
    c.keyPem !== undefined ? { artifact: c.artifact, key: c.keyPem } : { artifact: c.artifact, identity: c.identity! };
  return {
    name: 'verify.bundle',
    covers: ['Verifier.verify (every check over a mutated valid bundle)'],
    budgetMs: 1000,
    arbitrary:
      cases.length === 0
        ? fc.constant({ caseIndex: -1, bundle: '' })
        : fc.nat(cases.length - 1).chain((i) =>
            fc.oneof(
              mutatedJson([cases[i]!.bundleText]).map((bundle) => ({ caseIndex: i, bundle })),
              mutatedText([cases[i]!.bundleText]).map((bundle) => ({ caseIndex: i, bundle })),
            ),
          ),
    async run({ caseIndex, bundle }) {
      const c = cases[caseIndex];
      if (!c) return;
      let v = verifiers.get(caseIndex);
      if (!v) {
        v = createVerifierWith(nodeCryptoProvider, { trustedRoot: c.trustedRootText });
        verifiers.set(caseIndex, v);
      }
      await (await v).verify(bundle, input(c));
    },
  };
}

/** Every core target (parsers of the verifier), seeded from the vectors; see also `extraTargets()`. */
export function allTargets(): FuzzTarget<any>[] {
  const seeds = loadSeeds();
  const cases = loadValidCases();
  return [
    jsonTarget(seeds),
    base64Target(seeds),
    hexTarget(),
    derTarget(seeds),
    certificateTarget(seeds),
    sctListTarget(seeds),
    bundleTarget(seeds),
    trustedRootTarget(seeds),
    rfc3339Target(),
    paeTarget(seeds),
    statementTarget(seeds),
    checkpointTarget(seeds),
    bodyTarget(seeds),
    setTarget(),
    merkleTarget(),
    timestampTarget(seeds),
    spkiTarget(seeds),
    pemTarget(seeds),
    ecdsaTarget(seeds),
    verifyTarget(cases),
  ];
}

/** sha256 hex of a crash input's serialization (crash file names). */
export function inputId(serialized: string): string {
  return toHex(sha256(enc.encode(serialized))).slice(0, 16);
}

export { encodeDerNode };
