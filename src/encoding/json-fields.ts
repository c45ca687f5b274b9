/**
 * Strict readers for protobuf-JSON documents (bundles, trusted roots).
 *
 * Each reader names the JSON path it read in its error, so a user sees
 * exactly which field is wrong. Unknown fields are rejected: a verifier and
 * a gatekeeper using another parser must not see different documents.
 * @module
 */
import { SigvetError, type ErrorCode } from '../errors.js';
import { decodeBase64 } from './base64.js';
import type { JsonObject, JsonValue } from './json.js';

/** A reading context: the error code to raise and where we are. */
export class JsonFields {
  /** The dotted prefix of check names (`<prefix>.shape`, `<prefix>.limit`). */
  readonly checkPrefix: string;

  constructor(
    readonly code: ErrorCode,
    readonly what: string,
    checkPrefix?: string,
  ) {
    // Check names are dotted identifiers: "tlog body" → "tlog_body" unless given.
    this.checkPrefix = checkPrefix ?? what.replace(/\s+/g, '_');
  }

  /** Throws a {@link SigvetError} for `path`. */
  fail(path: string, msg: string, details: { expected?: string; actual?: string } = {}): never {
    throw new SigvetError(this.code, `${this.what}: ${path}: ${msg}`, { check: `${this.checkPrefix}.shape`, ...details });
  }

  /** Asserts `v` is an object whose keys are all in `allowed`. */
  object(v: JsonValue | undefined, path: string, allowed: readonly string[]): JsonObject {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) this.fail(path, `expected an object, got ${kind(v)}`);
    for (const k of Object.keys(v)) {
      if (!allowed.includes(k)) this.fail(path, `unknown field ${JSON.stringify(k)}`);
    }
    return v as JsonObject;
  }

  /** A required (or optional) string field. */
  string(o: JsonObject, key: string, path: string, optional?: false): string;
  string(o: JsonObject, key: string, path: string, optional: true): string | undefined;
  string(o: JsonObject, key: string, path: string, optional = false): string | undefined {
    const v = o[key];
    if (v === undefined && optional) return undefined;
    if (typeof v !== 'string') this.fail(`${path}.${key}`, `expected a string, got ${kind(v)}`);
    return v;
  }

  /** A required array field with at most `max` elements. */
  array(o: JsonObject, key: string, path: string, max: number, optional = false): JsonValue[] {
    const v = o[key];
    if (v === undefined && optional) return [];
    if (!Array.isArray(v)) this.fail(`${path}.${key}`, `expected an array, got ${kind(v)}`);
    if (v.length > max) {
      throw new SigvetError('LIMIT', `${this.what}: ${path}.${key}: ${v.length} elements exceeds the limit of ${max}`, {
        check: `${this.checkPrefix}.limit`,
      });
    }
    return v;
  }

  /** A base64 `bytes` field (standard or URL-safe alphabet, strict). */
  bytes(o: JsonObject, key: string, path: string, optional?: false): Uint8Array;
  bytes(o: JsonObject, key: string, path: string, optional: true): Uint8Array | undefined;
  bytes(o: JsonObject, key: string, path: string, optional = false): Uint8Array | undefined {
    const v = o[key];
    if (v === undefined && optional) return undefined;
    if (typeof v !== 'string') this.fail(`${path}.${key}`, `expected a base64 string, got ${kind(v)}`);
    try {
      return decodeBase64(v, `${path}.${key}`);
    } catch (e) {
      return this.fail(`${path}.${key}`, (e as Error).message);
    }
  }

  /**
   * An int64 field: a decimal string (protobuf JSON) or a JSON integer,
   * grammar `-?(0|[1-9][0-9]*)` only (no `0x`, spaces, exponents or empty
   * strings), within `[min, 2^63-1]`.
   */
  int64(o: JsonObject, key: string, path: string, min = 0n, optional = false): bigint | undefined {
    const v = o[key];
    if (v === undefined && optional) return undefined;
    let b: bigint;
    if (typeof v === 'string') {
      if (!/^-?(0|[1-9][0-9]{0,19})$/.test(v)) this.fail(`${path}.${key}`, `invalid integer ${JSON.stringify(v)}`);
      b = BigInt(v);
    } else if (typeof v === 'number') {
      if (!Number.isSafeInteger(v)) this.fail(`${path}.${key}`, `invalid integer ${v}`);
      b = BigInt(v);
    } else if (typeof v === 'bigint') {
      b = v;
    } else {
      return this.fail(`${path}.${key}`, `expected an integer, got ${kind(v)}`);
    }
    if (b < min || b > 0x7fffffffffffffffn) {
      this.fail(`${path}.${key}`, `integer ${b} out of range`, { expected: `>= ${min}`, actual: String(b) });
    }
    return b;
  }
}

function kind(v: JsonValue | undefined): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v;
}
