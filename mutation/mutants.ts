/**
 * The mutation classes: every single-point change to a valid case.
 *
 * A mutant changes exactly one thing (one JSON field, one bit, one array
 * element, one checkpoint line, one caller expectation) and keeps every
 * other byte of the case. Mutant ids are stable strings,
 * `<class> <JSON path>[#region][@detail]`, so the reviewed allow-list
 * (`accepted.json`) can name them.
 *
 * Classes (see docs/security.md for the list with what each targets):
 *   json.remove, json.type, json.empty, json.int, json.unknown-field,
 *   array.drop, array.duplicate, array.reorder,
 *   bytes.flip (spread offsets of every base64 field), bytes.resize,
 *   region.cert, region.sct, region.signature, region.timestamp,
 *   region.body, region.payload (bits in the parts that matter),
 *   body.field (decoded tlog body, one field changed, re-encoded),
 *   payload.field (decoded in-toto statement, one field changed),
 *   tlog.move (log index, tree size, integrated time moved),
 *   tlog.log-id (log id swapped for another log's),
 *   checkpoint.* (origin, size, root, extension, signature lines, key hint, layout),
 *   chain.* (reordered, duplicated, root or intermediate appended, CA as leaf),
 *   bundle.media-type,
 *   input.artifact, input.digest, input.identity, input.key.
 */
import { createHash, generateKeyPairSync } from 'node:crypto';
import { certificateRegions, derRegions, timestampRegions, type DerRegion } from './der-regions.js';
import type { ValidCase } from './cases.js';

/** A change to the caller's expectations instead of (or as well as) the bundle. */
export interface InputChange {
  readonly artifact?: Uint8Array;
  /** Verify in digest mode with this digest string. */
  readonly artifactDigest?: string;
  readonly identity?: { readonly subjectAlternativeName: string; readonly issuer: string };
  readonly keyPem?: string;
}

/** One mutant of a case. */
export interface Mutant {
  /** Stable id: `<class> <where>[@detail]`. */
  readonly id: string;
  /** The mutation class (for totals). */
  readonly cls: string;
  /** The bundle JSON text to verify. */
  readonly bundle: string;
  /** Changed expectations, if any. */
  readonly input?: InputChange;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Path = readonly (string | number)[];

/** `$.a.b[0].c` */
export function pathString(p: Path): string {
  return `$${p.map((k) => (typeof k === 'number' ? `[${k}]` : `.${k}`)).join('')}`;
}

function get(doc: Json, p: Path): Json | undefined {
  let v: Json | undefined = doc;
  for (const k of p) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, Json>)[k];
  }
  return v;
}

/** A deep copy of `doc` with `p` set to `value` (or removed when `value` is undefined). */
function edit(doc: Json, p: Path, value: Json | undefined): Json {
  const copy = structuredClone(doc);
  if (p.length === 0) return value === undefined ? null : value;
  const parent = get(copy, p.slice(0, -1)) as Record<string | number, Json> | Json[];
  const k = p[p.length - 1]!;
  if (value === undefined) {
    if (Array.isArray(parent)) parent.splice(k as number, 1);
    else delete (parent as Record<string, Json>)[k as string];
  } else {
    (parent as Record<string | number, Json>)[k] = value;
  }
  return copy;
}

/** Every node below the root, depth first, with its path. */
function nodes(doc: Json, p: Path = []): { path: Path; value: Json }[] {
  const out: { path: Path; value: Json }[] = [];
  if (Array.isArray(doc)) {
    doc.forEach((v, i) => {
      out.push({ path: [...p, i], value: v });
      out.push(...nodes(v, [...p, i]));
    });
  } else if (doc !== null && typeof doc === 'object') {
    for (const [k, v] of Object.entries(doc)) {
      out.push({ path: [...p, k], value: v });
      out.push(...nodes(v, [...p, k]));
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// base64 in the encoding style of the original field

interface B64Style {
  readonly url: boolean;
  readonly pad: boolean;
}

function styleOf(s: string): B64Style {
  return { url: /[-_]/.test(s), pad: s.endsWith('=') || s.replace(/[\r\n]/g, '').length % 4 === 0 };
}

function b64decode(s: string): Uint8Array {
  return new Uint8Array(Buffer.from(s.replace(/[\r\n]/g, '').replace(/-/g, '+').replace(/_/g, '/'), 'base64'));
}

function b64encode(b: Uint8Array, style: B64Style = { url: false, pad: true }): string {
  let s = Buffer.from(b).toString('base64');
  if (style.url) s = s.replace(/\+/g, '-').replace(/\//g, '_');
  if (!style.pad) s = s.replace(/=+$/, '');
  return s;
}

function flip(b: Uint8Array, offset: number, bit: number): Uint8Array {
  const c = b.slice();
  c[offset]! ^= 1 << bit;
  return c;
}

/** Bundle fields holding protobuf `bytes` (base64), by key (and `hashes[]` elements). */
const BYTES_KEYS = new Set([
  'rawBytes',
  'signature',
  'digest',
  'keyId',
  'signedEntryTimestamp',
  'canonicalizedBody',
  'rootHash',
  'signedTimestamp',
  'payload',
  'sig',
]);

function isBytesField(p: Path): boolean {
  const last = p[p.length - 1];
  if (typeof last === 'number') return p[p.length - 2] === 'hashes';
  return typeof last === 'string' && BYTES_KEYS.has(last);
}

/** Which structure a bytes field holds, for region mutations. */
function bytesKind(p: Path): 'cert' | 'signature' | 'body' | 'payload' | 'timestamp' | 'other' {
  const s = pathString(p);
  if (/certificate\.rawBytes$|certificates\[\d+\]\.rawBytes$/.test(s)) return 'cert';
  if (/messageSignature\.signature$|signatures\[\d+\]\.sig$|signedEntryTimestamp$/.test(s)) return 'signature';
  if (s.endsWith('canonicalizedBody')) return 'body';
  if (s.endsWith('dsseEnvelope.payload')) return 'payload';
  if (s.endsWith('signedTimestamp')) return 'timestamp';
  return 'other';
}

/** Up to 8 offsets spread over n bytes, always including the first and the last. */
export function spreadOffsets(n: number): number[] {
  if (n === 0) return [];
  const out = new Set<number>([0, n - 1]);
  for (let k = 1; k < 7; k++) out.add(Math.floor((k * (n - 1)) / 7));
  return [...out].sort((a, b) => a - b);
}

const STRING_TAGS = new Set([0x0c, 0x13, 0x16, 0x17, 0x18, 0x86, 0x81, 0x82]);

/** One or two flips inside a region: its middle byte, and its last byte when long. */
function regionFlips(r: DerRegion): { offset: number; bit: number }[] {
  const len = r.end - r.start;
  if (len <= 0) return [];
  // Text (times, names) and integers: flip the low bit, which keeps most characters and encodings valid.
  const bit = STRING_TAGS.has(r.tag) || r.tag === 0x02 ? 0 : (r.start * 5 + 3) % 8;
  const out = [{ offset: r.start + Math.floor(len / 2), bit }];
  if (len >= 8) out.push({ offset: r.end - 1, bit: r.tag === 0x02 ? 0 : 1 });
  return out;
}

// ---------------------------------------------------------------------------
// Context the mutators need from the trusted root

/** What the mutators read from the case's trusted root. */
export interface MutationContext {
  /** base64 log ids of every tlog and CT log in the trusted root (and the public-good logs). */
  readonly otherLogIds: readonly string[];
  /** DER certificates of every CA chain in the trusted root, issuing certificate first. */
  readonly caChains: readonly Uint8Array[][];
  /** For a log id (base64 as in the bundle): the checkpoint signer name and 4-byte key hint. */
  readonly logSigner: (logIdB64: string) => { name: string; hint: Uint8Array } | undefined;
}

/** Reads the context from a trusted root JSON text. */
export function contextFor(trustedRootText: string, extraLogIds: readonly string[] = []): MutationContext {
  const root = JSON.parse(trustedRootText) as {
    tlogs?: { baseUrl: string; logId: { keyId: string }; publicKey: { rawBytes: string; keyDetails: string } }[];
    ctlogs?: { logId: { keyId: string } }[];
    certificateAuthorities?: { certChain: { certificates: { rawBytes: string }[] } }[];
  };
  const ids = new Set<string>(extraLogIds);
  for (const l of [...(root.tlogs ?? []), ...(root.ctlogs ?? [])]) ids.add(l.logId.keyId);
  const caChains = (root.certificateAuthorities ?? []).map((ca) => ca.certChain.certificates.map((c) => b64decode(c.rawBytes)));
  const signers = new Map<string, { name: string; hint: Uint8Array }>();
  for (const l of root.tlogs ?? []) {
    const spki = b64decode(l.publicKey.rawBytes);
    const name = new URL(l.baseUrl).host;
    // C2SP signed-note key ids, computed independently of sigvet: Ed25519 SHA-256(name ‖ \n ‖ 0x01 ‖ key)[:4],
    // ECDSA SHA-256(SPKI)[:4].
    const hint =
      l.publicKey.keyDetails === 'PKIX_ED25519'
        ? createHash('sha256').update(Buffer.concat([Buffer.from(`${name}\n`), Buffer.from([1]), Buffer.from(spki.subarray(spki.length - 32))])).digest().subarray(0, 4)
        : createHash('sha256').update(spki).digest().subarray(0, 4);
    signers.set(b64decode(l.logId.keyId).join(','), { name, hint: new Uint8Array(hint) });
  }
  return {
    otherLogIds: [...ids],
    caChains,
    logSigner: (id) => signers.get(b64decode(id).join(',')),
  };
}

// ---------------------------------------------------------------------------
// Mutators

/** Builds every mutant of one valid case. */
export function mutantsOf(c: ValidCase, ctx: MutationContext): Mutant[] {
  const doc = JSON.parse(c.bundleText) as Json;
  const out: Mutant[] = [];
  const seen = new Set<string>();
  const original = JSON.stringify(doc);
  const push = (cls: string, where: string, mutated: Json | string, input?: InputChange): void => {
    const id = `${cls} ${where}`;
    if (seen.has(id)) return;
    const bundle = typeof mutated === 'string' ? mutated : JSON.stringify(mutated);
    // A "mutant" identical to the case (e.g. an alphabet swap on a string without + or /) changes nothing.
    if (input === undefined && bundle === original) return;
    seen.add(id);
    out.push({ id, cls, bundle, ...(input ? { input } : {}) });
  };

  const all = nodes(doc);

  // JSON structure: remove, wrong type, empty, 0/-1/huge, unknown field.
  for (const { path, value } of all) {
    const w = pathString(path);
    const inArray = typeof path[path.length - 1] === 'number';
    if (!inArray) push('json.remove', w, edit(doc, path, undefined));
    if (typeof value !== 'boolean') push('json.type', `${w}@bool`, edit(doc, path, true));
    push('json.type', `${w}@null`, edit(doc, path, null));
    if (Array.isArray(value)) push('json.type', `${w}@object`, edit(doc, path, {}));
    else push('json.type', `${w}@array`, edit(doc, path, [value]));
    if (typeof value === 'string') push('json.empty', w, edit(doc, path, ''));
    else if (Array.isArray(value)) push('json.empty', w, edit(doc, path, []));
    else if (value !== null && typeof value === 'object') push('json.empty', w, edit(doc, path, {}));
    if (typeof value === 'string') {
      push('json.int', `${w}@0`, edit(doc, path, '0'));
      push('json.int', `${w}@-1`, edit(doc, path, '-1'));
      push('json.int', `${w}@huge`, edit(doc, path, '18446744073709551616'));
    } else if (typeof value === 'number') {
      push('json.int', `${w}@0`, edit(doc, path, 0));
      push('json.int', `${w}@-1`, edit(doc, path, -1));
      push('json.int', `${w}@huge`, edit(doc, path, 1e300));
    }
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      push('json.unknown-field', w, edit(doc, [...path, 'x'], 1));
    }
  }
  push('json.unknown-field', '$', edit(doc, ['x'], 1));

  // Arrays: each element dropped and duplicated; neighbours swapped; reversed.
  for (const { path, value } of all) {
    if (!Array.isArray(value)) continue;
    const w = pathString(path);
    value.forEach((el, i) => {
      push('array.drop', `${w}[${i}]`, edit(doc, path, value.filter((_, j) => j !== i)));
      push('array.duplicate', `${w}[${i}]`, edit(doc, path, [...value.slice(0, i + 1), el, ...value.slice(i + 1)]));
      if (i + 1 < value.length) {
        const sw = [...value];
        [sw[i], sw[i + 1]] = [sw[i + 1]!, sw[i]!];
        push('array.reorder', `${w}[${i}]<->[${i + 1}]`, edit(doc, path, sw));
      }
    });
    if (value.length > 2) push('array.reorder', `${w}@reverse`, edit(doc, path, [...value].reverse()));
  }

  // Bytes fields: spread bit flips, resizing, and the regions that matter.
  for (const { path, value } of all) {
    if (typeof value !== 'string' || !isBytesField(path)) continue;
    const w = pathString(path);
    const style = styleOf(value);
    const bytes = b64decode(value);
    const put = (cls: string, where: string, b: Uint8Array): void => push(cls, where, edit(doc, path, b64encode(b, style)));
    const kind = bytesKind(path);
    const regions =
      kind === 'cert' ? certificateRegions(bytes) : kind === 'timestamp' ? timestampRegions(bytes) : kind === 'signature' ? derRegions(bytes) : [];
    // A spread flip is named by the region it lands in (if any), so the allow-list can reason about it.
    const regionAt = (o: number): string => {
      const hit = regions.filter((r) => o >= r.start && o < r.end).sort((a, b) => a.end - a.start - (b.end - b.start))[0];
      return hit ? `#${hit.label}` : '';
    };
    for (const o of spreadOffsets(bytes.length)) put('bytes.flip', `${w}${regionAt(o)}@${o}.${(o * 3 + 1) % 8}`, flip(bytes, o, (o * 3 + 1) % 8));
    if (bytes.length > 0) put('bytes.resize', `${w}@truncate`, bytes.subarray(0, bytes.length - 1));
    const grown = new Uint8Array(bytes.length + 1);
    grown.set(bytes);
    put('bytes.resize', `${w}@append-00`, grown);

    if (kind === 'cert' || kind === 'signature' || kind === 'timestamp') {
      for (const r of regions) {
        const cls = r.label.startsWith('sct[') ? 'region.sct' : `region.${kind}`;
        for (const f of regionFlips(r)) put(cls, `${w}#${r.label}@${f.offset}.${f.bit}`, flip(bytes, f.offset, f.bit));
      }
    } else if (kind === 'body' || kind === 'payload') {
      jsonInBytesMutants(bytes, kind, ctx).forEach((m) => put(m.cls, `${w}#${m.where}`, m.bytes));
    }
  }

  // Log entries: indices, sizes and times moved; log id swapped; checkpoint text.
  const entries = get(doc, ['verificationMaterial', 'tlogEntries']);
  if (Array.isArray(entries)) {
    entries.forEach((e, i) => {
      const base: Path = ['verificationMaterial', 'tlogEntries', i];
      const move = (rel: Path, deltas: readonly bigint[]): void => {
        const v = get(doc, [...base, ...rel]);
        if (typeof v !== 'string' && typeof v !== 'number') return;
        for (const d of deltas) {
          const nv = (BigInt(v) + d).toString();
          push('tlog.move', `${pathString([...base, ...rel])}@${d > 0n ? '+' : ''}${d}`, edit(doc, [...base, ...rel], typeof v === 'string' ? nv : Number(nv)));
        }
      };
      move(['logIndex'], [1n, -1n, 1n << 32n]);
      move(['inclusionProof', 'logIndex'], [1n, -1n]);
      move(['inclusionProof', 'treeSize'], [1n, -1n, 1n << 20n]);
      move(['integratedTime'], [1n, -1n, 3600n, -86400n * 365n]);

      const logId = get(e, ['logId', 'keyId']);
      if (typeof logId === 'string') {
        for (const other of ctx.otherLogIds) {
          if (b64decode(other).join(',') === b64decode(logId).join(',')) continue;
          push('tlog.log-id', `${pathString([...base, 'logId', 'keyId'])}@${other}`, edit(doc, [...base, 'logId', 'keyId'], other));
        }
      }
      const cp = get(e, ['inclusionProof', 'checkpoint', 'envelope']);
      if (typeof cp === 'string' && typeof logId === 'string') {
        const where = pathString([...base, 'inclusionProof', 'checkpoint', 'envelope']);
        for (const m of checkpointMutants(cp, ctx.logSigner(logId))) {
          push(m.cls, `${where}#${m.where}`, edit(doc, [...base, 'inclusionProof', 'checkpoint', 'envelope'], m.text));
        }
      }
    });
  }

  // Certificate chain.
  chainMutants(doc, ctx).forEach((m) => push(m.cls, m.where, m.doc));

  // Media type.
  const mt = get(doc, ['mediaType']);
  if (typeof mt === 'string') {
    for (const other of [
      'application/vnd.dev.sigstore.bundle+json;version=0.1',
      'application/vnd.dev.sigstore.bundle+json;version=0.2',
      'application/vnd.dev.sigstore.bundle+json;version=0.3',
      'application/vnd.dev.sigstore.bundle.v0.3+json',
      'application/vnd.dev.sigstore.bundle.v0.3.1+json',
      'application/vnd.dev.sigstore.bundle.v0.4+json',
      mt.toUpperCase(),
      `${mt} `,
    ]) {
      if (other !== mt) push('bundle.media-type', `$.mediaType@${other}`, edit(doc, ['mediaType'], other));
    }
  }

  // Caller expectations.
  inputMutants(c).forEach((m) => push(m.cls, m.where, c.bundleText, m.input));
  return out;
}

// ---------------------------------------------------------------------------
// JSON inside bytes: tlog bodies and DSSE payloads

interface BytesMutant {
  readonly cls: string;
  readonly where: string;
  readonly bytes: Uint8Array;
}

const ALTERNATIVES: Record<string, string> = {
  sha256: 'sha512',
  sha384: 'sha256',
  sha512: 'sha256',
  SHA2_256: 'SHA2_512',
  SHA2_384: 'SHA2_256',
  SHA2_512: 'SHA2_256',
  hashedrekord: 'rekord',
  dsse: 'intoto',
  intoto: 'dsse',
  '0.0.1': '0.0.2',
  '0.0.2': '0.0.1',
  'https://in-toto.io/Statement/v1': 'https://in-toto.io/Statement/v0.1',
  'https://in-toto.io/Statement/v0.1': 'https://in-toto.io/Statement/v1',
};

/** A semantic change to one string leaf: flip a bit of base64 or hex content, else swap or extend the word. */
function changedLeaf(s: string, ctx: MutationContext): string[] {
  const out: string[] = [];
  if (ALTERNATIVES[s]) out.push(ALTERNATIVES[s]!);
  if (/^[0-9a-f]{16,}$/.test(s)) {
    const i = Math.floor(s.length / 2);
    out.push(s.slice(0, i) + (s[i] === '0' ? '1' : '0') + s.slice(i + 1));
  } else if (/^[A-Za-z0-9+/]{8,}={0,2}$/.test(s)) {
    const b = b64decode(s);
    const text = Buffer.from(b).toString('utf8');
    if (text.startsWith('-----BEGIN CERTIFICATE-----') && ctx.caChains[0]?.[0]) {
      // The body records another certificate (the issuing CA's).
      const other = ctx.caChains[0][0];
      const pem = `-----BEGIN CERTIFICATE-----\n${b64encode(other).replace(/.{64}/g, '$&\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;
      out.push(b64encode(new Uint8Array(Buffer.from(pem))));
    }
    out.push(b64encode(flip(b, Math.floor(b.length / 2), 2)));
  } else if (!ALTERNATIVES[s]) {
    out.push(`${s}x`);
  }
  return out;
}

function jsonInBytesMutants(bytes: Uint8Array, kind: 'body' | 'payload', ctx: MutationContext): BytesMutant[] {
  const text = Buffer.from(bytes).toString('utf8');
  let doc: Json;
  try {
    doc = JSON.parse(text) as Json;
  } catch {
    return [];
  }
  const out: BytesMutant[] = [];
  const enc = (d: Json): Uint8Array => new Uint8Array(Buffer.from(JSON.stringify(d)));
  for (const { path, value } of nodes(doc)) {
    const w = pathString(path);
    if (typeof value === 'string' && value.length > 0) {
      // A single bit of the value's middle character, as the bytes would carry it.
      const i = Math.floor(value.length / 2);
      const flipped = value.slice(0, i) + String.fromCharCode(value.charCodeAt(i) ^ 1) + value.slice(i + 1);
      out.push({ cls: `region.${kind}`, where: `${w}@char${i}`, bytes: enc(edit(doc, path, flipped)) });
      changedLeaf(value, ctx).forEach((nv, k) => out.push({ cls: `${kind}.field`, where: `${w}@change${k}`, bytes: enc(edit(doc, path, nv)) }));
    } else if (typeof value === 'number') {
      out.push({ cls: `${kind}.field`, where: `${w}@+1`, bytes: enc(edit(doc, path, value + 1)) });
    }
    if (typeof path[path.length - 1] === 'string') out.push({ cls: `${kind}.field`, where: `${w}@remove`, bytes: enc(edit(doc, path, undefined)) });
    if (Array.isArray(value) && value.length > 0) {
      out.push({ cls: `${kind}.field`, where: `${w}@drop-last`, bytes: enc(edit(doc, path, value.slice(0, -1))) });
      out.push({ cls: `${kind}.field`, where: `${w}@duplicate-first`, bytes: enc(edit(doc, path, [value[0]!, ...value])) });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// Checkpoints

interface TextMutant {
  readonly cls: string;
  readonly where: string;
  readonly text: string;
}

/** Mutants of a signed-note checkpoint; signature lines are labelled `log` or `foreign` (unknown key). */
export function checkpointMutants(text: string, signer: { name: string; hint: Uint8Array } | undefined): TextMutant[] {
  const out: TextMutant[] = [];
  const sep = text.lastIndexOf('\n\n');
  if (sep < 0) return out;
  const bodyLines = text.slice(0, sep).split('\n');
  const sigLines = text.slice(sep + 2).replace(/\n$/, '').split('\n');
  const rebuild = (body: string[], sigs: string[]): string => `${body.join('\n')}\n\n${sigs.map((s) => `${s}\n`).join('')}`;
  const setBody = (i: number, v: string): string => rebuild(bodyLines.map((l, j) => (j === i ? v : l)), sigLines);

  const [origin, size, root] = bodyLines;
  if (origin !== undefined) {
    out.push({ cls: 'checkpoint.origin', where: 'origin@append', text: setBody(0, `${origin}x`) });
    out.push({ cls: 'checkpoint.origin', where: 'origin@case', text: setBody(0, origin.toUpperCase()) });
    out.push({ cls: 'checkpoint.origin', where: 'origin@prefix', text: setBody(0, origin.replace(/^[^.]*\./, '')) });
    const i = Math.floor(origin.length / 2);
    out.push({ cls: 'checkpoint.origin', where: 'origin@flip', text: setBody(0, origin.slice(0, i) + String.fromCharCode(origin.charCodeAt(i) ^ 1) + origin.slice(i + 1)) });
    if (origin.includes(' - ')) out.push({ cls: 'checkpoint.origin', where: 'origin@tree-id', text: setBody(0, origin.replace(/ - \d+$/, (m) => `${m}1`)) });
  }
  if (size !== undefined && /^\d+$/.test(size)) {
    out.push({ cls: 'checkpoint.size', where: 'size@+1', text: setBody(1, String(BigInt(size) + 1n)) });
    out.push({ cls: 'checkpoint.size', where: 'size@-1', text: setBody(1, String(BigInt(size) - 1n)) });
    out.push({ cls: 'checkpoint.size', where: 'size@leading-zero', text: setBody(1, `0${size}`) });
    out.push({ cls: 'checkpoint.size', where: 'size@plus', text: setBody(1, `+${size}`) });
  }
  if (root !== undefined) {
    const b = b64decode(root);
    for (const o of [0, 15, 31]) if (o < b.length) out.push({ cls: 'checkpoint.root', where: `root@${o}`, text: setBody(2, b64encode(flip(b, o, o % 8))) });
    out.push({ cls: 'checkpoint.root', where: 'root@url-alphabet', text: setBody(2, root.replace(/\+/g, '-').replace(/\//g, '_')) });
  }
  out.push({ cls: 'checkpoint.extension', where: 'extension@added', text: rebuild([...bodyLines, 'extension'], sigLines) });
  out.push({ cls: 'checkpoint.extension', where: 'extension@empty', text: rebuild([...bodyLines, ''], sigLines) });

  sigLines.forEach((line, i) => {
    const m = /^\u2014 (\S+) (\S+)$/.exec(line);
    if (!m) return;
    const [, name, b64] = m as unknown as [string, string, string];
    const raw = b64decode(b64);
    const isLog = signer !== undefined && name === signer.name && raw.subarray(0, 4).every((x, k) => x === signer.hint[k]);
    const who = `sig[${i},${isLog ? 'log' : 'foreign'}]`;
    const setSig = (v: string): string => rebuild(bodyLines, sigLines.map((l, j) => (j === i ? v : l)));
    out.push({ cls: 'checkpoint.signature', where: `${who}@sig-mid`, text: setSig(`\u2014 ${name} ${b64encode(flip(raw, 4 + Math.floor((raw.length - 4) / 2), 3))}`) });
    out.push({ cls: 'checkpoint.signature', where: `${who}@sig-last`, text: setSig(`\u2014 ${name} ${b64encode(flip(raw, raw.length - 1, 0))}`) });
    out.push({ cls: 'checkpoint.key-hint', where: `${who}@hint0`, text: setSig(`\u2014 ${name} ${b64encode(flip(raw, 0, 0))}`) });
    out.push({ cls: 'checkpoint.key-hint', where: `${who}@hint3`, text: setSig(`\u2014 ${name} ${b64encode(flip(raw, 3, 7))}`) });
    out.push({ cls: 'checkpoint.signer-name', where: `${who}@name-append`, text: setSig(`\u2014 ${name}x ${b64}`) });
    out.push({ cls: 'checkpoint.signer-name', where: `${who}@name-prefix`, text: setSig(`\u2014 ${name.replace(/^[^.]*\./, '')} ${b64}`) });
    out.push({ cls: 'checkpoint.signer-name', where: `${who}@name-case`, text: setSig(`\u2014 ${name.toUpperCase()} ${b64}`) });
    out.push({ cls: 'checkpoint.layout', where: `${who}@hyphen`, text: setSig(line.replace('\u2014', '-')) });
    out.push({ cls: 'checkpoint.layout', where: `${who}@double-space`, text: setSig(line.replace(' ', '  ')) });
    out.push({ cls: 'checkpoint.signature', where: `${who}@drop`, text: rebuild(bodyLines, sigLines.filter((_, j) => j !== i)) });
    out.push({ cls: 'checkpoint.signature', where: `${who}@duplicate`, text: rebuild(bodyLines, [...sigLines.slice(0, i + 1), line, ...sigLines.slice(i + 1)]) });
    if (i + 1 < sigLines.length) {
      const sw = [...sigLines];
      [sw[i], sw[i + 1]] = [sw[i + 1]!, sw[i]!];
      out.push({ cls: 'checkpoint.signature', where: `${who}@swap-next`, text: rebuild(bodyLines, sw) });
    }
  });
  out.push({ cls: 'checkpoint.layout', where: 'layout@no-final-newline', text: text.replace(/\n$/, '') });
  out.push({ cls: 'checkpoint.layout', where: 'layout@crlf', text: text.replace(/\n/g, '\r\n') });
  out.push({ cls: 'checkpoint.layout', where: 'layout@extra-blank-line', text: `${text.slice(0, sep)}\n\n\n${text.slice(sep + 2)}` });
  out.push({ cls: 'checkpoint.layout', where: 'layout@trailing-space', text: text.replace(/\n/, ' \n') });
  out.push({ cls: 'checkpoint.layout', where: 'layout@no-blank-line', text: `${text.slice(0, sep)}\n${text.slice(sep + 2)}` });
  // An edit that happens to change nothing (no dot to drop, already upper case) is no mutant.
  return out.filter((m) => m.text !== text);
}

// ---------------------------------------------------------------------------
// Certificate chains

function chainMutants(doc: Json, ctx: MutationContext): { cls: string; where: string; doc: Json }[] {
  const out: { cls: string; where: string; doc: Json }[] = [];
  const vmPath = ['verificationMaterial'];
  const single = get(doc, [...vmPath, 'certificate', 'rawBytes']);
  const chain = get(doc, [...vmPath, 'x509CertificateChain', 'certificates']);
  const ca = ctx.caChains.find((c) => c.length > 0) ?? [];
  const asEntry = (der: Uint8Array): Json => ({ rawBytes: b64encode(der) });
  const withChain = (certs: Json[]): Json => {
    const d = edit(doc, [...vmPath, 'certificate'], undefined);
    return edit(d, [...vmPath, 'x509CertificateChain'], { certificates: certs });
  };
  if (typeof single === 'string') {
    const leaf: Json = { rawBytes: single };
    out.push({ cls: 'chain.root-appended', where: '$.verificationMaterial@as-chain-with-ca', doc: withChain([leaf, ...ca.map(asEntry)]) });
    out.push({ cls: 'chain.as-chain', where: '$.verificationMaterial@as-chain', doc: withChain([leaf]) });
    ca.forEach((der, i) => out.push({ cls: 'chain.ca-as-leaf', where: `$.verificationMaterial.certificate@ca${i}`, doc: edit(doc, [...vmPath, 'certificate', 'rawBytes'], b64encode(der)) }));
  }
  if (Array.isArray(chain) && chain.length > 0) {
    const p = [...vmPath, 'x509CertificateChain', 'certificates'];
    if (chain.length > 1) out.push({ cls: 'chain.reordered', where: `${pathString(p)}@reverse`, doc: edit(doc, p, [...chain].reverse()) });
    out.push({ cls: 'chain.duplicated', where: `${pathString(p)}@leaf-twice`, doc: edit(doc, p, [chain[0]!, ...chain]) });
    out.push({ cls: 'chain.duplicated', where: `${pathString(p)}@whole-twice`, doc: edit(doc, p, [...chain, ...chain]) });
    ca.forEach((der, i) => {
      out.push({ cls: 'chain.root-appended', where: `${pathString(p)}@append-ca${i}`, doc: edit(doc, p, [...chain, asEntry(der)]) });
      out.push({ cls: 'chain.ca-as-leaf', where: `${pathString(p)}@ca${i}-first`, doc: edit(doc, p, [asEntry(der), ...chain]) });
    });
    out.push({ cls: 'chain.as-single', where: '$.verificationMaterial@as-single-certificate', doc: edit(edit(doc, [...vmPath, 'x509CertificateChain'], undefined), [...vmPath, 'certificate'], chain[0]!) });
  }
  return out;
}

// ---------------------------------------------------------------------------
// Caller expectations

function inputMutants(c: ValidCase): { cls: string; where: string; input: InputChange }[] {
  const out: { cls: string; where: string; input: InputChange }[] = [];
  const a = c.artifact;
  const art = (where: string, artifact: Uint8Array): void => {
    out.push({ cls: 'input.artifact', where: `artifact@${where}`, input: { artifact } });
  };
  if (a.length > 0) {
    art('flip-first', flip(a, 0, 0));
    art('flip-middle', flip(a, Math.floor(a.length / 2), 4));
    art('flip-last', flip(a, a.length - 1, 7));
    art('drop-last', a.subarray(0, a.length - 1));
  }
  const grown = new Uint8Array(a.length + 1);
  grown.set(a);
  grown[a.length] = 0x0a;
  art('append-newline', grown);
  art('empty', new Uint8Array());

  const hex = c.artifactDigest.slice('sha256:'.length);
  const dig = (where: string, d: string): void => {
    out.push({ cls: 'input.digest', where: `digest@${where}`, input: { artifactDigest: d } });
  };
  dig('first-digit', `sha256:${hex[0] === '0' ? '1' : '0'}${hex.slice(1)}`);
  dig('last-digit', `sha256:${hex.slice(0, -1)}${hex.endsWith('0') ? '1' : '0'}`);
  dig('empty-artifact', `sha256:${createHash('sha256').update(new Uint8Array()).digest('hex')}`);
  dig('upper-case', `sha256:${hex.toUpperCase()}`);
  dig('no-prefix', hex);
  dig('sha512-prefix', `sha512:${hex}`);
  dig('truncated', `sha256:${hex.slice(0, 62)}`);

  if (c.identity) {
    const { subjectAlternativeName: san, issuer } = c.identity;
    const variants = (s: string): [string, string][] => {
      const v: [string, string][] = [
        ['drop-first', s.slice(1)],
        ['drop-last', s.slice(0, -1)],
        ['prefix', `x${s}`],
        ['suffix', `${s}x`],
        ['suffix-slash', `${s}/`],
        ['upper-case', s.toUpperCase()],
        ['lower-case', s.toLowerCase()],
        ['trailing-space', `${s} `],
        ['empty', ''],
      ];
      const i = s.search(/[a-z]/i);
      if (i >= 0) v.push(['case-one', s.slice(0, i) + (s[i] === s[i]!.toUpperCase() ? s[i]!.toLowerCase() : s[i]!.toUpperCase()) + s.slice(i + 1)]);
      return v.filter(([, x]) => x !== s);
    };
    for (const [w, v] of variants(san)) out.push({ cls: 'input.identity', where: `identity.san@${w}`, input: { identity: { subjectAlternativeName: v, issuer } } });
    for (const [w, v] of variants(issuer)) out.push({ cls: 'input.identity', where: `identity.issuer@${w}`, input: { identity: { subjectAlternativeName: san, issuer: v } } });
  }
  if (c.keyPem) {
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    out.push({ cls: 'input.key', where: 'key@other-p256', input: { keyPem: other } });
    const ed = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
    out.push({ cls: 'input.key', where: 'key@other-ed25519', input: { keyPem: ed } });
    const der = b64decode(c.keyPem.replace(/-----[A-Z ]+-----/g, '').replace(/\s/g, ''));
    const bad = flip(der, der.length - 1, 0);
    out.push({ cls: 'input.key', where: 'key@flip-last', input: { keyPem: `-----BEGIN PUBLIC KEY-----\n${b64encode(bad)}\n-----END PUBLIC KEY-----\n` } });
  }
  return out;
}
