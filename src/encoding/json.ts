/**
 * Strict JSON (RFC 8259) parsing for untrusted documents.
 *
 * Differs from `JSON.parse` where other parsers could see a different
 * document: duplicate object keys are rejected (Go keeps the last and folds
 * case, protojson rejects), nesting depth and string length are capped
 * (checked as the parser goes, so nothing past a cap is built), and integers
 * outside the safe range become `bigint` instead of silently losing precision.
 * @module
 */
import { SigvetError } from '../errors.js';

/** A parsed JSON value. Integers beyond ±2^53−1 are `bigint`. */
export type JsonValue = null | boolean | number | bigint | string | JsonValue[] | { [key: string]: JsonValue };
/** A parsed JSON object. */
export type JsonObject = { [key: string]: JsonValue };

/** Limits applied while parsing. */
export interface JsonLimits {
  /** Maximum nesting of arrays and objects (default 64), checked as the parser descends. */
  maxDepth?: number;
  /** Maximum text length in UTF-16 code units (default 64 MiB), checked before parsing. */
  maxLength?: number;
  /**
   * Maximum length of one string or key, in UTF-16 code units after
   * unescaping (default: only the text length bounds it), checked as it is scanned.
   */
  maxStringLength?: number;
  /**
   * The `check` each `LIMIT` error carries, so a caller can name its own
   * option (default `json.depth`, `json.length`, `json.string_length`).
   */
  checks?: { readonly depth?: string; readonly length?: string; readonly stringLength?: string };
}

/**
 * Parses JSON text strictly.
 * @param what names the document for error messages.
 * @throws SigvetError `PARSE` on malformed text or duplicate keys; `LIMIT` past a limit.
 */
export function parseJson(text: string, what: string, limits: JsonLimits = {}): JsonValue {
  if (typeof text !== 'string') {
    throw new SigvetError('PARSE', `${what}: expected JSON text, got ${typeof text}`, { check: 'json' });
  }
  const maxLength = limits.maxLength ?? 64 * 1024 * 1024;
  if (text.length > maxLength) {
    throw new SigvetError('LIMIT', `${what}: ${text.length} characters exceeds the limit of ${maxLength}`, {
      check: limits.checks?.length ?? 'json.length',
      expected: `<= ${maxLength}`,
      actual: String(text.length),
    });
  }
  const p = new Parser(text, what, limits.maxDepth ?? 64, limits.maxStringLength ?? Infinity, limits.checks);
  p.ws();
  const v = p.value(0);
  p.ws();
  if (p.i !== text.length) p.fail('unexpected data after the JSON value');
  return v;
}

class Parser {
  i = 0;
  constructor(
    readonly s: string,
    readonly what: string,
    readonly maxDepth: number,
    readonly maxString: number,
    readonly checks: JsonLimits['checks'],
  ) {}

  fail(msg: string): never {
    throw new SigvetError('PARSE', `${this.what}: invalid JSON at offset ${this.i}: ${msg}`, { check: 'json' });
  }

  /** Refuses nesting past the cap before building anything at this level. */
  enter(depth: number): void {
    if (depth > this.maxDepth) {
      throw new SigvetError('LIMIT', `${this.what}: JSON nesting deeper than ${this.maxDepth} at offset ${this.i}`, {
        check: this.checks?.depth ?? 'json.depth',
        expected: `<= ${this.maxDepth}`,
        actual: `>= ${depth}`,
      });
    }
  }

  stringTooLong(start: number): never {
    throw new SigvetError('LIMIT', `${this.what}: the JSON string at offset ${start - 1} is longer than ${this.maxString} characters`, {
      check: this.checks?.stringLength ?? 'json.string_length',
      expected: `<= ${this.maxString}`,
      actual: `> ${this.maxString}`,
    });
  }

  ws(): void {
    const s = this.s;
    let i = this.i;
    for (;;) {
      const c = s.charCodeAt(i);
      if (c === 32 || c === 10 || c === 13 || c === 9) i++;
      else break;
    }
    this.i = i;
  }

  value(depth: number): JsonValue {
    const c = this.s.charCodeAt(this.i);
    switch (c) {
      case 123 /* { */:
        return this.object(depth + 1);
      case 91 /* [ */:
        return this.array(depth + 1);
      case 34 /* " */:
        return this.string();
      case 116 /* t */:
        return this.literal('true', true);
      case 102 /* f */:
        return this.literal('false', false);
      case 110 /* n */:
        return this.literal('null', null);
      default:
        if (c === 45 || (c >= 48 && c <= 57)) return this.number();
        return this.fail(Number.isNaN(c) ? 'unexpected end' : `unexpected character ${JSON.stringify(this.s[this.i])}`);
    }
  }

  literal<T>(word: string, v: T): T {
    if (!this.s.startsWith(word, this.i)) this.fail(`expected ${word}`);
    this.i += word.length;
    return v;
  }

  object(depth: number): JsonObject {
    this.enter(depth);
    this.i++;
    // A null-prototype object: keys like "__proto__" are plain data.
    const out = Object.create(null) as JsonObject;
    this.ws();
    if (this.s.charCodeAt(this.i) === 125) {
      this.i++;
      return out;
    }
    for (;;) {
      if (this.s.charCodeAt(this.i) !== 34) this.fail('expected a string key');
      const key = this.string();
      if (Object.prototype.hasOwnProperty.call(out, key)) this.fail(`duplicate key ${JSON.stringify(key)}`);
      this.ws();
      if (this.s.charCodeAt(this.i) !== 58) this.fail("expected ':'");
      this.i++;
      this.ws();
      out[key] = this.value(depth);
      this.ws();
      const c = this.s.charCodeAt(this.i++);
      if (c === 44) {
        this.ws();
        continue;
      }
      if (c === 125) return out;
      this.i--;
      this.fail("expected ',' or '}'");
    }
  }

  array(depth: number): JsonValue[] {
    this.enter(depth);
    this.i++;
    const out: JsonValue[] = [];
    this.ws();
    if (this.s.charCodeAt(this.i) === 93) {
      this.i++;
      return out;
    }
    for (;;) {
      out.push(this.value(depth));
      this.ws();
      const c = this.s.charCodeAt(this.i++);
      if (c === 44) {
        this.ws();
        continue;
      }
      if (c === 93) return out;
      this.i--;
      this.fail("expected ',' or ']'");
    }
  }

  string(): string {
    const s = this.s;
    const start = ++this.i;
    const max = this.maxString;
    // Fast path: no escapes, no control characters, at most `max` characters
    // (the scan stops there, so a huge string costs no more than the cap).
    const end = Math.min(s.length, start + max);
    let i = start;
    for (; i < end; i++) {
      const c = s.charCodeAt(i);
      if (c === 34) {
        this.i = i + 1;
        return s.slice(start, i);
      }
      if (c === 92 || c < 32) break;
    }
    if (i === end && end < s.length) {
      const c = s.charCodeAt(i);
      if (c === 34) {
        this.i = i + 1;
        return s.slice(start, i);
      }
      if (c !== 92 && c >= 32) this.stringTooLong(start);
    }
    // Slow path (escapes, or errors): from where the fast path stopped.
    let out = s.slice(start, i);
    for (;;) {
      if (out.length > max) this.stringTooLong(start);
      const c = s.charCodeAt(i);
      if (Number.isNaN(c)) {
        this.i = i;
        this.fail('unterminated string');
      }
      if (c < 32) {
        this.i = i;
        this.fail('control character in string');
      }
      if (c === 34) {
        this.i = i + 1;
        return out;
      }
      if (c !== 92) {
        out += s[i];
        i++;
        continue;
      }
      const e = s.charCodeAt(i + 1);
      i += 2;
      switch (e) {
        case 34: out += '"'; break;
        case 92: out += '\\'; break;
        case 47: out += '/'; break;
        case 98: out += '\b'; break;
        case 102: out += '\f'; break;
        case 110: out += '\n'; break;
        case 114: out += '\r'; break;
        case 116: out += '\t'; break;
        case 117: {
          const h = s.slice(i, i + 4);
          if (!/^[0-9a-fA-F]{4}$/.test(h)) {
            this.i = i;
            this.fail('bad \\u escape');
          }
          out += String.fromCharCode(parseInt(h, 16));
          i += 4;
          break;
        }
        default:
          this.i = i - 2;
          this.fail('bad escape');
      }
    }
  }

  number(): number | bigint {
    const s = this.s;
    const start = this.i;
    let i = start;
    if (s.charCodeAt(i) === 45) i++;
    const intStart = i;
    if (s.charCodeAt(i) === 48) i++;
    else {
      if (!(s.charCodeAt(i) >= 49 && s.charCodeAt(i) <= 57)) {
        this.i = i;
        this.fail('bad number');
      }
      while (s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
    }
    const intEnd = i;
    let isInt = true;
    if (s.charCodeAt(i) === 46) {
      isInt = false;
      i++;
      if (!(s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57)) {
        this.i = i;
        this.fail('bad fraction');
      }
      while (s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
    }
    const e = s.charCodeAt(i);
    if (e === 101 || e === 69) {
      isInt = false;
      i++;
      if (s.charCodeAt(i) === 43 || s.charCodeAt(i) === 45) i++;
      if (!(s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57)) {
        this.i = i;
        this.fail('bad exponent');
      }
      while (s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
    }
    this.i = i;
    const lexeme = s.slice(start, i);
    if (isInt && intEnd - intStart > 15) {
      const b = BigInt(lexeme);
      if (b > BigInt(Number.MAX_SAFE_INTEGER) || b < -BigInt(Number.MAX_SAFE_INTEGER)) return b;
    }
    const n = Number(lexeme);
    // 1e400 would silently become Infinity; Go and protojson reject it as out of range.
    if (!Number.isFinite(n)) {
      this.i = start;
      this.fail('number out of range');
    }
    return n;
  }
}
