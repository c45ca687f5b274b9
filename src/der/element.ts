/**
 * A strict DER reader: elements are views over the original bytes (offsets
 * only, nothing copied or re-encoded), so signatures are verified over
 * exactly the bytes that were signed.
 *
 * Rules enforced (X.690 §10, RFC 5280): definite, minimal lengths; low tag
 * numbers only; no trailing bytes after the outermost element or inside a
 * constructed one; nesting capped; minimal INTEGERs; BOOLEAN 0x00/0xFF;
 * BIT STRING unused bits 0–7 and zero; minimal OID arcs decoded as BigInt.
 * @module
 */
import { SigvetError } from '../errors.js';

/** Universal and context tags sigvet reads. */
export const Tag = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

/** Context-specific tag byte: `[n]` constructed (explicit) or primitive (implicit). */
export function contextTag(n: number, constructed: boolean): number {
  return (constructed ? 0xa0 : 0x80) | n;
}

/** Maximum nesting accepted; Sigstore structures need fewer than 16 levels. */
export const MAX_DER_DEPTH = 32;

function derFail(what: string, offset: number, msg: string): never {
  throw new SigvetError('PARSE', `${what}: invalid DER at offset ${offset}: ${msg}`, { check: 'der' });
}

/** One DER element: tag, header and content as offsets into `buf`. */
export class DerElement {
  private kids: DerElement[] | undefined;

  /** @internal use {@link parseDer} or {@link DerElement.children}. */
  constructor(
    /** The buffer holding the whole outer structure. */
    readonly buf: Uint8Array,
    /** The tag byte. */
    readonly tag: number,
    /** Offset of the tag byte. */
    readonly start: number,
    /** Offset of the first content byte. */
    readonly contentStart: number,
    /** Offset one past the last content byte. */
    readonly end: number,
    /** Nesting depth (0 for the outermost element). */
    readonly depth: number,
    /** A name for error messages. */
    readonly what: string,
  ) {}

  /** Length of the content in bytes. */
  get length(): number {
    return this.end - this.contentStart;
  }

  /** True for constructed encodings. */
  get constructed(): boolean {
    return (this.tag & 0x20) !== 0;
  }

  /** The whole encoding (tag, length, content), as a view. */
  raw(): Uint8Array {
    return this.buf.subarray(this.start, this.end);
  }

  /** The content octets, as a view. */
  content(): Uint8Array {
    return this.buf.subarray(this.contentStart, this.end);
  }

  /** Throws a PARSE error located at this element. */
  fail(msg: string): never {
    return derFail(this.what, this.start, msg);
  }

  /** Asserts the tag. */
  expect(tag: number, name = 'element'): this {
    if (this.tag !== tag) {
      this.fail(`${name}: expected tag 0x${tag.toString(16)}, got 0x${this.tag.toString(16)}`);
    }
    return this;
  }

  /** The children of a constructed element, parsed once. */
  children(): DerElement[] {
    if (this.kids) return this.kids;
    if (!this.constructed) this.fail('primitive element has no children');
    if (this.depth + 1 > MAX_DER_DEPTH) {
      throw new SigvetError('LIMIT', `${this.what}: DER nesting deeper than ${MAX_DER_DEPTH}`, { check: 'der.depth' });
    }
    const out: DerElement[] = [];
    let off = this.contentStart;
    while (off < this.end) {
      const el = readElement(this.buf, off, this.end, this.depth + 1, this.what);
      out.push(el);
      off = el.end;
    }
    this.kids = out;
    return out;
  }

  /** Children of a SEQUENCE/SET with the count checked (`min`..`max`). */
  items(min: number, max = min, name = 'SEQUENCE'): DerElement[] {
    const k = this.children();
    if (k.length < min || k.length > max) {
      this.fail(`${name}: expected ${min === max ? min : `${min}..${max}`} elements, got ${k.length}`);
    }
    return k;
  }

  /** INTEGER content bytes, checked minimal (two's complement, as encoded). */
  integerBytes(): Uint8Array {
    this.expect(Tag.INTEGER, 'INTEGER');
    const c = this.content();
    if (c.length === 0) this.fail('empty INTEGER');
    if (c.length > 1 && ((c[0] === 0 && c[1]! < 0x80) || (c[0] === 0xff && c[1]! >= 0x80))) {
      this.fail('non-minimal INTEGER');
    }
    return c;
  }

  /** A non-negative INTEGER as bigint. */
  unsignedBigInt(): bigint {
    const c = this.integerBytes();
    if (c[0]! >= 0x80) this.fail('negative INTEGER where a non-negative one is required');
    if (c.length <= 6) {
      let n = 0;
      for (const b of c) n = n * 256 + b;
      return BigInt(n);
    }
    // One native parse instead of a BigInt shift per byte (ECDSA r and s).
    let hex = '0x';
    for (const b of c) hex += HEX_BYTE[b]!;
    return BigInt(hex);
  }

  /** A small non-negative INTEGER (≤ 2^31) as number. */
  smallInt(): number {
    const v = this.unsignedBigInt();
    if (v > 0x7fffffffn) this.fail('INTEGER too large');
    return Number(v);
  }

  /** BOOLEAN value. */
  boolean(): boolean {
    this.expect(Tag.BOOLEAN, 'BOOLEAN');
    const c = this.content();
    if (c.length !== 1 || (c[0] !== 0 && c[0] !== 0xff)) this.fail('BOOLEAN must be one byte 0x00 or 0xFF');
    return c[0] === 0xff;
  }

  /** BIT STRING content without the unused-bits octet; requires whole bytes unless `allowUnused`. */
  bitString(allowUnused = false): { bytes: Uint8Array; unusedBits: number } {
    this.expect(Tag.BIT_STRING, 'BIT STRING');
    const c = this.content();
    if (c.length === 0) this.fail('empty BIT STRING');
    const unused = c[0]!;
    if (unused > 7 || (c.length === 1 && unused !== 0)) this.fail('bad BIT STRING unused-bits count');
    if (unused !== 0) {
      if (!allowUnused) this.fail('BIT STRING must hold whole bytes');
      if ((c[c.length - 1]! & ((1 << unused) - 1)) !== 0) this.fail('non-zero unused bits in BIT STRING');
    }
    return { bytes: c.subarray(1), unusedBits: unused };
  }

  /** OBJECT IDENTIFIER in dotted form; arcs are decoded as BigInt so none can alias another. */
  oid(): string {
    this.expect(Tag.OID, 'OBJECT IDENTIFIER');
    return decodeOid(this.content(), this);
  }

  /** OCTET STRING content. */
  octets(): Uint8Array {
    return this.expect(Tag.OCTET_STRING, 'OCTET STRING').content();
  }

  /** NULL. */
  null(): void {
    this.expect(Tag.NULL, 'NULL');
    if (this.length !== 0) this.fail('NULL with content');
  }

  /** UTCTime or GeneralizedTime as milliseconds since the epoch (RFC 5280 §4.1.2.5 forms). */
  time(allowFraction = false): number {
    const c = this.content();
    let s = '';
    for (const b of c) s += String.fromCharCode(b);
    let m: RegExpExecArray | null;
    if (this.tag === Tag.UTC_TIME) {
      m = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s);
      if (!m) this.fail(`bad UTCTime ${JSON.stringify(s)}`);
      const yy = Number(m[1]);
      // RFC 5280: YY ≥ 50 is 19YY, otherwise 20YY.
      return utc(yy >= 50 ? 1900 + yy : 2000 + yy, m, 0, this);
    }
    if (this.tag === Tag.GENERALIZED_TIME) {
      // DER: 'Z', no trailing zeros in the fraction (X.690 §11.7).
      m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.(\d*[1-9]))?Z$/.exec(s);
      if (!m) this.fail(`bad GeneralizedTime ${JSON.stringify(s)}`);
      if (m[7] !== undefined && !allowFraction) this.fail('fractional seconds not allowed here');
      const frac = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000);
      return utc(Number(m[1]), m, frac, this);
    }
    return this.fail('expected UTCTime or GeneralizedTime');
  }
}

function utc(year: number, m: RegExpExecArray, ms: number, el: DerElement): number {
  // Both forms put month, day, hour, minute and second in groups 2–6.
  const [mo, d, h, mi, se] = [2, 3, 4, 5, 6].map((i) => Number(m[i]));
  if (mo! < 1 || mo! > 12 || d! < 1 || d! > 31 || h! > 23 || mi! > 59 || se! > 59) el.fail('time field out of range');
  // Date.UTC maps years 0–99 to 1900–1999; set the full year explicitly.
  const date = new Date(Date.UTC(2000, 0, 1, h!, mi!, se!, ms));
  date.setUTCFullYear(year, mo! - 1, d!);
  const t = date.getTime();
  if (date.getUTCDate() !== d) el.fail('invalid calendar date');
  return t;
}

const HEX_BYTE = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function decodeOid(c: Uint8Array, el: DerElement): string {
  if (c.length === 0) el.fail('empty OID');
  if (c.length > 128) el.fail('OID too long');
  // Arcs accumulate as numbers while exact (< 2^46 before a shift), then as
  // BigInt: a huge arc can never wrap around to alias a small one. Ordinary
  // OIDs never leave the number path (BigInt per arc dominated this hot spot).
  let out = '';
  let n = 0;
  let big: bigint | undefined;
  let first = true;
  let arcIndex = 0;
  for (let i = 0; i < c.length; i++) {
    const b = c[i]!;
    // A leading 0x80 would be a non-minimal arc encoding.
    if (first && b === 0x80) el.fail('non-minimal OID arc');
    first = false;
    if (big === undefined && n >= 2 ** 46) big = BigInt(n);
    if (big === undefined) n = n * 128 + (b & 0x7f);
    else big = (big << 7n) | BigInt(b & 0x7f);
    if ((b & 0x80) === 0) {
      if (arcIndex === 0) {
        // The first encoded arc packs the first two: 40·a0 + a1 (a0 = 2 takes the rest).
        if (big !== undefined) out = `2.${big - 80n}`;
        else out = n < 40 ? `0.${n}` : n < 80 ? `1.${n - 40}` : `2.${n - 80}`;
      } else {
        out += `.${big ?? n}`;
      }
      arcIndex++;
      n = 0;
      big = undefined;
      first = true;
    }
  }
  if (!first) el.fail('truncated OID arc');
  return out;
}

function readElement(buf: Uint8Array, off: number, limit: number, depth: number, what: string): DerElement {
  const start = off;
  if (off >= limit) derFail(what, off, 'unexpected end');
  const tag = buf[off++]!;
  if ((tag & 0x1f) === 0x1f) derFail(what, start, 'high tag numbers are not used here');
  if (off >= limit) derFail(what, start, 'missing length');
  const first = buf[off++]!;
  let len: number;
  if (first < 0x80) {
    len = first;
  } else {
    const n = first & 0x7f;
    if (n === 0) derFail(what, start, 'indefinite length (BER) is not DER');
    if (n > 4) derFail(what, start, 'length too large');
    if (off + n > limit) derFail(what, start, 'truncated length');
    if (buf[off] === 0) derFail(what, start, 'non-minimal length (leading zero)');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[off++]!;
    if (len < 0x80) derFail(what, start, 'non-minimal length (long form for < 128)');
  }
  const end = off + len;
  if (end > limit) derFail(what, start, `length ${len} runs past the end`);
  return new DerElement(buf, tag, start, off, end, depth, what);
}

/**
 * Parses one DER element that must span `bytes` exactly (no trailing data).
 * @param what names the structure for error messages.
 */
export function parseDer(bytes: Uint8Array, what: string): DerElement {
  const el = readElement(bytes, 0, bytes.length, 0, what);
  if (el.end !== bytes.length) derFail(what, el.end, `${bytes.length - el.end} trailing bytes`);
  return el;
}

/** Parses an element at `offset` inside `bytes` without requiring it to end the buffer. @internal */
export function parseDerAt(bytes: Uint8Array, offset: number, what: string): DerElement {
  return readElement(bytes, offset, bytes.length, 0, what);
}
