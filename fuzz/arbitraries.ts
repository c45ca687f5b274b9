/**
 * fast-check arbitraries for hostile inputs: seeds from real vectors with
 * a few byte- or text-level edits, structure-aware JSON edits, random DER
 * trees (valid and subtly invalid encodings), deep nesting, and plain noise.
 * Every edit is described by generated numbers, so fast-check can shrink a
 * failing input towards the seed.
 */
import fc from 'fast-check';

/** One byte-level edit; positions are taken modulo the current length. */
type ByteEdit =
  | { op: 'flip'; at: number; bit: number }
  | { op: 'set'; at: number; value: number }
  | { op: 'insert'; at: number; bytes: Uint8Array }
  | { op: 'delete'; at: number; count: number }
  | { op: 'truncate'; at: number }
  | { op: 'duplicate'; at: number; count: number }
  | { op: 'swap'; a: number; b: number };

/** Byte values that matter to DER, TLS and text parsers. */
const INTERESTING_BYTES = [0x00, 0x01, 0x02, 0x04, 0x05, 0x06, 0x0a, 0x0d, 0x1f, 0x20, 0x30, 0x31, 0x7f, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x88, 0xa0, 0xa3, 0xff];

const byteEdit: fc.Arbitrary<ByteEdit> = fc.oneof(
  fc.record({ op: fc.constant('flip' as const), at: fc.nat(), bit: fc.nat(7) }),
  fc.record({ op: fc.constant('set' as const), at: fc.nat(), value: fc.oneof(fc.constantFrom(...INTERESTING_BYTES), fc.nat(255)) }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), count: fc.integer({ min: 1, max: 16 }) }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('duplicate' as const), at: fc.nat(), count: fc.integer({ min: 1, max: 64 }) }),
  fc.record({ op: fc.constant('swap' as const), a: fc.nat(), b: fc.nat() }),
);

/** Applies edits to a copy of `seed`. */
export function applyByteEdits(seed: Uint8Array, edits: readonly ByteEdit[]): Uint8Array {
  let b = seed.slice();
  for (const e of edits) {
    const n = b.length;
    switch (e.op) {
      case 'flip':
        if (n > 0) b[e.at % n]! ^= 1 << e.bit;
        break;
      case 'set':
        if (n > 0) b[e.at % n] = e.value;
        break;
      case 'insert': {
        const at = e.at % (n + 1);
        const out = new Uint8Array(n + e.bytes.length);
        out.set(b.subarray(0, at));
        out.set(e.bytes, at);
        out.set(b.subarray(at), at + e.bytes.length);
        b = out;
        break;
      }
      case 'delete': {
        if (n === 0) break;
        const at = e.at % n;
        const out = new Uint8Array(n - Math.min(e.count, n - at));
        out.set(b.subarray(0, at));
        out.set(b.subarray(at + e.count), at);
        b = out;
        break;
      }
      case 'truncate':
        b = b.slice(0, e.at % (n + 1));
        break;
      case 'duplicate': {
        if (n === 0) break;
        const at = e.at % n;
        const piece = b.slice(at, Math.min(n, at + e.count));
        const out = new Uint8Array(n + piece.length);
        out.set(b.subarray(0, at + piece.length));
        out.set(piece, at + piece.length);
        out.set(b.subarray(at + piece.length), at + 2 * piece.length);
        b = out;
        break;
      }
      case 'swap': {
        if (n === 0) break;
        const i = e.a % n;
        const j = e.b % n;
        const t = b[i]!;
        b[i] = b[j]!;
        b[j] = t;
        break;
      }
    }
  }
  return b;
}

/** A seed with 1–6 byte edits, or (1 in 8) random bytes. */
export function mutatedBytes(seeds: readonly Uint8Array[], maxNoise = 512): fc.Arbitrary<Uint8Array> {
  const noise = fc.uint8Array({ maxLength: maxNoise });
  if (seeds.length === 0) return noise;
  const edited = fc
    .tuple(fc.nat(seeds.length - 1), fc.array(byteEdit, { minLength: 1, maxLength: 6 }))
    .map(([i, edits]) => applyByteEdits(seeds[i]!, edits));
  return fc.oneof({ arbitrary: edited, weight: 7 }, { arbitrary: noise, weight: 1 });
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Characters that matter to the text formats (JSON, base64, checkpoints, PEM). */
const INTERESTING_CHARS = ['\n', '\r', ' ', '\t', '"', '\\', '{', '}', '[', ']', ',', ':', '-', '+', '/', '_', '=', '0', '9', 'e', '\u2014', '\u00a0', '\ufeff', '\ud800', '\u0000', '\u2028', '５'];

type TextEdit =
  | { op: 'insert'; at: number; text: string }
  | { op: 'delete'; at: number; count: number }
  | { op: 'replace'; at: number; text: string }
  | { op: 'truncate'; at: number }
  | { op: 'duplicate'; at: number; count: number }
  | { op: 'flip'; at: number; bit: number };

const smallText = fc.oneof(
  fc.constantFrom(...INTERESTING_CHARS),
  fc.string({ minLength: 1, maxLength: 4 }),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 2 }),
);

const textEdit: fc.Arbitrary<TextEdit> = fc.oneof(
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: smallText }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), count: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ op: fc.constant('replace' as const), at: fc.nat(), text: smallText }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('duplicate' as const), at: fc.nat(), count: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ op: fc.constant('flip' as const), at: fc.nat(), bit: fc.nat(6) }),
);

/** Applies text edits to `seed`. */
export function applyTextEdits(seed: string, edits: readonly TextEdit[]): string {
  let s = seed;
  for (const e of edits) {
    const n = s.length;
    switch (e.op) {
      case 'insert': {
        const at = e.at % (n + 1);
        s = s.slice(0, at) + e.text + s.slice(at);
        break;
      }
      case 'delete': {
        if (n === 0) break;
        const at = e.at % n;
        s = s.slice(0, at) + s.slice(at + e.count);
        break;
      }
      case 'replace': {
        if (n === 0) break;
        const at = e.at % n;
        s = s.slice(0, at) + e.text + s.slice(at + e.text.length);
        break;
      }
      case 'truncate':
        s = s.slice(0, e.at % (n + 1));
        break;
      case 'duplicate': {
        if (n === 0) break;
        const at = e.at % n;
        const piece = s.slice(at, at + e.count);
        s = s.slice(0, at) + piece + s.slice(at);
        break;
      }
      case 'flip': {
        if (n === 0) break;
        const at = e.at % n;
        s = s.slice(0, at) + String.fromCharCode(s.charCodeAt(at) ^ (1 << e.bit)) + s.slice(at + 1);
        break;
      }
    }
  }
  return s;
}

/** A seed text with 1–6 edits, or (1 in 8) a random string. */
export function mutatedText(seeds: readonly string[], maxNoise = 256): fc.Arbitrary<string> {
  const noise = fc.string({ unit: 'grapheme', maxLength: maxNoise });
  if (seeds.length === 0) return noise;
  const edited = fc
    .tuple(fc.nat(seeds.length - 1), fc.array(textEdit, { minLength: 1, maxLength: 6 }))
    .map(([i, edits]) => applyTextEdits(seeds[i]!, edits));
  return fc.oneof({ arbitrary: edited, weight: 7 }, { arbitrary: noise, weight: 1 });
}

/** UTF-8 bytes of a mutated text (for parsers that take bytes holding text). */
export function mutatedTextBytes(seeds: readonly Uint8Array[]): fc.Arbitrary<Uint8Array> {
  const texts = seeds.map((b) => decoder.decode(b));
  return fc.oneof(
    mutatedText(texts).map((s) => encoder.encode(s)),
    mutatedBytes(seeds),
  );
}

type JsonEdit =
  | { op: 'remove'; pick: number }
  | { op: 'replace'; pick: number; value: unknown }
  | { op: 'wrap'; pick: number }
  | { op: 'duplicateKey'; pick: number }
  | { op: 'addKey'; pick: number; key: string; value: unknown };

const hostileJsonValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, 1.5, 1e21, '', '0', '-1', '9223372036854775808', '18446744073709551616', '1e3', ' 1', 'AA==', 'A', '__proto__'),
  fc.constantFrom([], {}, [null], { '': null }),
  fc.integer(),
  fc.string({ maxLength: 8 }),
  fc.jsonValue({ maxDepth: 2 }),
);

const jsonEdit: fc.Arbitrary<JsonEdit> = fc.oneof(
  fc.record({ op: fc.constant('remove' as const), pick: fc.nat() }),
  fc.record({ op: fc.constant('replace' as const), pick: fc.nat(), value: hostileJsonValue }),
  fc.record({ op: fc.constant('wrap' as const), pick: fc.nat() }),
  fc.record({ op: fc.constant('duplicateKey' as const), pick: fc.nat() }),
  fc.record({ op: fc.constant('addKey' as const), pick: fc.nat(), key: fc.oneof(fc.constantFrom('__proto__', 'constructor', 'mediaType', 'MediaType', ''), fc.string({ maxLength: 6 })), value: hostileJsonValue }),
);

interface Slot {
  readonly parent: Record<string, unknown> | unknown[];
  readonly key: string | number;
}

function slots(v: unknown, out: Slot[] = []): Slot[] {
  if (Array.isArray(v)) {
    v.forEach((x, i) => {
      out.push({ parent: v, key: i });
      slots(x, out);
    });
  } else if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      out.push({ parent: v as Record<string, unknown>, key: k });
      slots(x, out);
    }
  }
  return out;
}

/**
 * Applies structural JSON edits to a parsed copy of `seed` and serializes
 * the result; `duplicateKey` is done textually (JSON.stringify cannot).
 */
export function applyJsonEdits(seed: string, edits: readonly JsonEdit[]): string {
  let doc: unknown;
  try {
    doc = JSON.parse(seed);
  } catch {
    return seed;
  }
  const dupKeys: string[] = [];
  for (const e of edits) {
    const all = slots(doc);
    if (all.length === 0) break;
    const s = all[e.pick % all.length]!;
    const parent = s.parent as Record<string | number, unknown>;
    switch (e.op) {
      case 'remove':
        if (Array.isArray(s.parent)) s.parent.splice(s.key as number, 1);
        else delete parent[s.key];
        break;
      case 'replace':
        parent[s.key] = structuredClone(e.value);
        break;
      case 'wrap':
        parent[s.key] = [parent[s.key]];
        break;
      case 'duplicateKey':
        if (!Array.isArray(s.parent)) dupKeys.push(String(s.key));
        break;
      case 'addKey': {
        const target = parent[s.key];
        if (target !== null && typeof target === 'object' && !Array.isArray(target)) {
          Object.defineProperty(target, e.key, { value: structuredClone(e.value), enumerable: true, configurable: true, writable: true });
        }
        break;
      }
    }
  }
  let text = JSON.stringify(doc);
  for (const k of dupKeys) {
    // Repeat the first occurrence of `"k":` with a different value in front of it.
    const needle = `${JSON.stringify(k)}:`;
    const at = text.indexOf(needle);
    if (at >= 0) text = `${text.slice(0, at)}${needle}null,${text.slice(at)}`;
  }
  return text;
}

/** A JSON seed with 1–4 structural edits, a text-mutated seed, or random JSON. */
export function mutatedJson(seeds: readonly string[]): fc.Arbitrary<string> {
  const structural =
    seeds.length === 0
      ? fc.json()
      : fc.tuple(fc.nat(seeds.length - 1), fc.array(jsonEdit, { minLength: 1, maxLength: 4 })).map(([i, edits]) => applyJsonEdits(seeds[i]!, edits));
  return fc.oneof(
    { arbitrary: structural, weight: 5 },
    { arbitrary: mutatedText(seeds), weight: 3 },
    { arbitrary: fc.json({ maxDepth: 4 }), weight: 1 },
  );
}

/** DER length octets; `nonMinimal` adds a redundant leading length byte. */
function derLength(n: number, nonMinimal: boolean): number[] {
  if (n < 0x80 && !nonMinimal) return [n];
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  if (nonMinimal || bytes.length === 0) bytes.unshift(0);
  return [0x80 | bytes.length, ...bytes];
}

interface DerNode {
  readonly tag: number;
  readonly nonMinimal: boolean;
  readonly content: Uint8Array | readonly DerNode[];
}

/** Encodes a generated DER tree (constructed tags get their children). */
export function encodeDerNode(n: DerNode): Uint8Array {
  const content = n.content instanceof Uint8Array ? n.content : concat(n.content.map(encodeDerNode));
  return concat([new Uint8Array([n.tag, ...derLength(content.length, n.nonMinimal)]), content]);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

const PRIMITIVE_TAGS = [0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x0c, 0x13, 0x16, 0x17, 0x18, 0x80, 0x81, 0x82, 0x86];
const CONSTRUCTED_TAGS = [0x30, 0x31, 0xa0, 0xa1, 0xa3];

const primitiveContent = fc.oneof(
  fc.uint8Array({ maxLength: 12 }),
  fc.constantFrom(
    new Uint8Array([0x00]),
    new Uint8Array([0xff]),
    new Uint8Array([0x00, 0x7f]),
    new Uint8Array([0xff, 0x80]),
    new Uint8Array([0x2a, 0x86, 0x48]),
    new Uint8Array([0x80, 0x01]),
    encoder.encode('250101000000Z'),
    encoder.encode('20250101000000.5Z'),
    encoder.encode('20250230000000Z'),
  ),
);

/** Random DER trees: mostly well-formed encodings, some with non-minimal lengths, some invalid content. */
export const derTree: fc.Arbitrary<Uint8Array> = fc
  .letrec<{ node: DerNode }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.record({
        tag: fc.constantFrom(...PRIMITIVE_TAGS),
        nonMinimal: fc.constantFrom(false, false, false, false, false, false, false, false, false, true),
        content: primitiveContent,
      }),
      fc.record({
        tag: fc.constantFrom(...CONSTRUCTED_TAGS),
        nonMinimal: fc.constantFrom(false, false, false, false, false, false, false, true),
        content: fc.array(tie('node'), { maxLength: 5 }),
      }),
    ),
  }))
  .node.map(encodeDerNode);

/** `depth` nested constructed elements (SEQUENCE by default) with minimal lengths. */
export function nestedDer(depth: number, tag = 0x30): Uint8Array {
  let inner: Uint8Array = new Uint8Array([0x05, 0x00]);
  for (let i = 0; i < depth; i++) inner = concat([new Uint8Array([tag, ...derLength(inner.length, false)]), inner]);
  return inner;
}

/** `depth` nested JSON arrays or objects as text. */
export function nestedJson(depth: number, kind: 'array' | 'object' = 'array'): string {
  return kind === 'array' ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + 'null' + '}'.repeat(depth);
}
