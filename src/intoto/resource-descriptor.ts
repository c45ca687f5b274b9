/**
 * ResourceDescriptor (in-toto attestation v1 field type): a description of
 * an artifact by name, URI, digest or inline content. Used for statement
 * subjects and, in predicates, for dependencies, policies and materials.
 * @module
 */
import { SigvetError } from '../errors.js';
import type { JsonObject, JsonValue } from '../encoding/json.js';
import { DIGEST_HEX_LENGTHS, MAX_DIGEST_ALGORITHMS, digestValueProblem, type DigestSet } from './digest-set.js';
import { displayPointer, pointerJoin } from './json-pointer.js';

/** A ResourceDescriptor. At least one of `uri`, `digest` and `content` is set. */
export interface ResourceDescriptor {
  readonly name?: string;
  readonly uri?: string;
  readonly digest?: DigestSet;
  /** The resource's bytes, base64 as in the JSON. */
  readonly content?: string;
  readonly downloadLocation?: string;
  readonly mediaType?: string;
  /** Producer-defined data, as parsed JSON. */
  readonly annotations?: JsonObject;
}

/** Fails a statement check with the JSON Pointer of the offending field. */
export function statementError(check: string, pointer: string, message: string): never {
  throw new SigvetError('DSSE', `in-toto statement ${displayPointer(pointer)}: ${message}`, { check });
}

const STRING_FIELDS = ['name', 'uri', 'downloadLocation', 'mediaType'] as const;
const URI_FIELDS: ReadonlySet<string> = new Set(['uri', 'downloadLocation']);
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;
// RFC 3986: a scheme, then only URI characters; `%` only before two hex digits.
// The same test is the `uri` format of the compiled schemas (scripts/compile-schemas.mjs).
const URI = /^[A-Za-z][A-Za-z0-9+.-]*:(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?#[\]]|%[0-9A-Fa-f]{2})*$/;

/** True when `s` is a URI with a scheme made only of RFC 3986 characters (ResourceURI, TypeURI). */
export function isResourceUri(s: string): boolean {
  return URI.test(s);
}

function isObject(v: unknown): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Reads a DigestSet: 1..{@link MAX_DIGEST_ALGORITHMS} algorithms, each a
 * string; standard algorithms in lower-case hex of their exact length.
 * @throws SigvetError `DSSE` (check `intoto.statement.digest`).
 */
export function parseDigestSet(value: JsonValue | undefined, pointer: string): DigestSet {
  if (!isObject(value)) statementError('intoto.statement.digest', pointer, 'digest must be an object');
  const entries = Object.entries(value);
  if (entries.length === 0) statementError('intoto.statement.digest', pointer, 'digest must hold at least one algorithm');
  if (entries.length > MAX_DIGEST_ALGORITHMS) {
    // A hard cap, named as such (CVE-2024-45395 class), not a shape error.
    throw new SigvetError('LIMIT', `in-toto statement: ${displayPointer(pointer)}: ${entries.length} digests exceeds the limit of ${MAX_DIGEST_ALGORITHMS}`, {
      check: 'intoto.digests',
      expected: `<= ${MAX_DIGEST_ALGORITHMS}`,
      actual: String(entries.length),
    });
  }
  const out: Record<string, string> = Object.create(null);
  for (const [alg, v] of entries) {
    const p = pointerJoin(pointer, alg);
    if (alg === '') statementError('intoto.statement.digest', p, 'digest algorithm name is empty');
    if (typeof v !== 'string') statementError('intoto.statement.digest', p, 'digest value must be a string');
    const problem = digestValueProblem(alg, v);
    if (problem) {
      const known = Object.prototype.hasOwnProperty.call(DIGEST_HEX_LENGTHS, alg);
      statementError('intoto.statement.digest', p, `${known ? alg : 'digest'} value ${problem}`);
    }
    out[alg] = v;
  }
  return out;
}

/**
 * Reads a ResourceDescriptor at `pointer`.
 * @param requireDigest subjects must carry a digest (statement v1 rule).
 * @throws SigvetError `DSSE` (checks `intoto.statement.subject`, `intoto.statement.digest`).
 */
export function parseResourceDescriptor(value: JsonValue | undefined, pointer: string, requireDigest: boolean): ResourceDescriptor {
  if (!isObject(value)) {
    statementError('intoto.statement.subject', pointer, value === null ? 'entry is null' : 'entry must be an object');
  }
  const out: { -readonly [K in keyof ResourceDescriptor]: ResourceDescriptor[K] } = {};
  for (const field of STRING_FIELDS) {
    const v = value[field];
    if (v === undefined) continue;
    if (typeof v !== 'string') statementError('intoto.statement.subject', pointerJoin(pointer, field), `${field} must be a string`);
    if (URI_FIELDS.has(field) && !URI.test(v)) statementError('intoto.statement.subject', pointerJoin(pointer, field), `${field} must be a URI`);
    out[field] = v;
  }
  if (value.content !== undefined) {
    const c = value.content;
    if (typeof c !== 'string' || !BASE64.test(c)) statementError('intoto.statement.subject', pointerJoin(pointer, 'content'), 'content must be a base64 string');
    out.content = c;
  }
  if (value.annotations !== undefined) {
    if (!isObject(value.annotations)) statementError('intoto.statement.subject', pointerJoin(pointer, 'annotations'), 'annotations must be an object');
    out.annotations = value.annotations;
  }
  if (value.digest !== undefined) out.digest = parseDigestSet(value.digest, pointerJoin(pointer, 'digest'));
  else if (requireDigest) statementError('intoto.statement.digest', pointer, 'digest is required');
  if (out.uri === undefined && out.digest === undefined && out.content === undefined) {
    statementError('intoto.statement.subject', pointer, 'a resource descriptor needs a uri, digest or content');
  }
  return out;
}
