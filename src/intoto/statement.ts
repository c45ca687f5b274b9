/**
 * in-toto Statements (v1 and v0.1): the subjects and predicate of a
 * verified DSSE payload, as typed data. Parsed only from the verified
 * payload bytes, never from a second decode.
 *
 * Every failure is a `SigvetError` with code `DSSE`, a check under
 * `intoto.statement.*` and the JSON Pointer of the offending field in its
 * message. The same rules are published as JSON Schemas
 * (schemas/intoto-statement-v1.schema.json, …-v0.1…); tests keep the two
 * in agreement.
 * @module
 */
import { SigvetError } from '../errors.js';
import { parseJson, type JsonObject, type JsonValue } from '../encoding/json.js';
import { utf8DecodeStrict } from '../encoding/bytes.js';
import { DEFAULT_VERIFIER_LIMITS, limitCheck, limitExceeded, resolveVerifierLimits, type VerifierLimits } from '../verify/limits.js';
import type { DigestSet } from './digest-set.js';
import { pointerJoin } from './json-pointer.js';
import { parseResourceDescriptor, statementError, type ResourceDescriptor } from './resource-descriptor.js';
import { matchSubject } from './subject-match.js';

export { IN_TOTO_PAYLOAD_TYPE } from './payload-type.js';

/** Statement `_type` values sigvet accepts. */
export const STATEMENT_TYPES = ['https://in-toto.io/Statement/v1', 'https://in-toto.io/Statement/v0.1'] as const;

/** A statement `_type` sigvet accepts. */
export type StatementType = (typeof STATEMENT_TYPES)[number];

/**
 * A statement subject: a ResourceDescriptor that always has a digest.
 * `name` is `''` when the statement leaves it unset.
 */
export interface Subject extends ResourceDescriptor {
  readonly name: string;
  /** Algorithm → digest, exactly as in the statement (lower-case hex for standard algorithms). */
  readonly digest: DigestSet;
}

/** An in-toto statement, as typed data. */
export interface Statement {
  /** The `_type`. */
  readonly type: StatementType;
  readonly subject: readonly Subject[];
  readonly predicateType: string;
  /** The predicate, as parsed JSON (an object), or undefined when absent or `null`. */
  readonly predicate: JsonObject | undefined;
}

/** Default maximum number of subjects (CVE-2024-45395 class bound); `limits.subjects` lowers it. */
export const MAX_SUBJECTS = DEFAULT_VERIFIER_LIMITS.subjects;

/**
 * Parses an in-toto statement from verified payload bytes: strict UTF-8,
 * strict JSON (duplicate keys rejected), then {@link parseStatementJson},
 * within `limits` (the defaults for caps not given).
 * @throws SigvetError `DSSE` (check `intoto.statement.*`); `LIMIT` (check
 *   `limit.jsonDepth`, `limit.jsonStringLength`, `limit.subjects`,
 *   `limit.digestsPerSubject`, `limit.predicateBytes`, or `json.length` past 64 MiB);
 *   `INVALID_ARGUMENT` (bad `limits`).
 */
export function parseStatement(payload: Uint8Array, limits?: Partial<VerifierLimits>): Statement {
  const l = resolveVerifierLimits(limits);
  let text: string;
  try {
    text = utf8DecodeStrict(payload);
  } catch (e) {
    throw new SigvetError('DSSE', 'in-toto statement: the payload is not valid UTF-8', { check: 'intoto.statement.utf8', cause: e });
  }
  let doc: JsonValue;
  try {
    doc = parseJson(text, 'in-toto statement', {
      maxDepth: l.jsonDepth,
      maxStringLength: l.jsonStringLength,
      checks: { depth: limitCheck('jsonDepth'), stringLength: limitCheck('jsonStringLength') },
    });
  } catch (e) {
    if (e instanceof SigvetError && e.code === 'LIMIT') throw e;
    throw new SigvetError('DSSE', `in-toto statement: ${(e as Error).message}`, { check: 'intoto.statement.json', cause: e });
  }
  return readStatement(doc, l, payload.length);
}

/**
 * Reads a statement from parsed JSON (for callers that parsed the payload
 * themselves; prefer {@link parseStatement}, whose JSON parser rejects
 * duplicate keys), within `limits`.
 * @throws SigvetError `DSSE` (check `intoto.statement.*`); `LIMIT` (check
 *   `limit.subjects`, `limit.digestsPerSubject`, `limit.predicateBytes`);
 *   `INVALID_ARGUMENT` (bad `limits`).
 */
export function parseStatementJson(doc: JsonValue, limits?: Partial<VerifierLimits>): Statement {
  return readStatement(doc, resolveVerifierLimits(limits), undefined);
}

/** `payloadBytes`, when known, bounds the predicate's size from above: no measuring below the cap. */
function readStatement(doc: JsonValue, limits: VerifierLimits, payloadBytes: number | undefined): Statement {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    return statementError('intoto.statement.shape', '', 'a statement must be a JSON object');
  }
  const type = doc._type;
  if (typeof type !== 'string' || !(STATEMENT_TYPES as readonly string[]).includes(type)) {
    return statementError(
      'intoto.statement.type',
      '/_type',
      type === undefined ? '_type is missing' : `unknown _type ${typeof type === 'string' ? JSON.stringify(type) : `(a ${jsonTypeName(type)})`}`,
    );
  }
  const subj = doc.subject;
  if (!Array.isArray(subj)) return statementError('intoto.statement.subject', '/subject', 'subject must be an array');
  if (subj.length === 0) return statementError('intoto.statement.subject', '/subject', 'subject must not be empty');
  if (subj.length > limits.subjects) limitExceeded('subjects', limits.subjects, subj.length, 'in-toto statement /subject');
  const subject = subj.map((s, i): Subject => {
    const pointer = pointerJoin('/subject', i);
    checkDigestCount(s, pointer, limits.digestsPerSubject);
    const rd = parseResourceDescriptor(s, pointer, true);
    return { ...rd, name: rd.name ?? '', digest: rd.digest! };
  });
  const predicateType = doc.predicateType;
  if (typeof predicateType !== 'string' || predicateType === '') {
    return statementError('intoto.statement.predicate_type', '/predicateType', 'predicateType must be a non-empty string');
  }
  const pred = doc.predicate;
  if (pred !== undefined && pred !== null && (typeof pred !== 'object' || Array.isArray(pred))) {
    return statementError(
      'intoto.statement.predicate',
      '/predicate',
      typeof pred === 'string'
        ? 'predicate is a JSON string, not an object (was it encoded twice?)'
        : `predicate must be an object, not a ${jsonTypeName(pred)}`,
    );
  }
  if (pred && (payloadBytes === undefined || payloadBytes > limits.predicateBytes)) {
    const size = compactJsonSizeAtMost(pred, limits.predicateBytes);
    if (size > limits.predicateBytes) limitExceeded('predicateBytes', limits.predicateBytes, `>= ${size}`, 'in-toto statement /predicate (bytes)');
  }
  return { type: type as StatementType, subject, predicateType, predicate: pred ?? undefined };
}

/** Refuses a subject with more digest algorithms than the cap, before any is read. */
function checkDigestCount(s: JsonValue, pointer: string, max: number): void {
  if (s === null || typeof s !== 'object' || Array.isArray(s)) return;
  const d = s.digest;
  if (d === null || typeof d !== 'object' || Array.isArray(d)) return;
  const n = Object.keys(d).length;
  if (n > max) limitExceeded('digestsPerSubject', max, n, `in-toto statement ${pointer}/digest`);
}

/**
 * A lower bound of the bytes of `v` as compact JSON (strings and keys by
 * UTF-16 code units, a number as one byte), so never more than the payload
 * it came from. Iterative, and stops once past `limit`: bounded work.
 */
function compactJsonSizeAtMost(v: JsonValue, limit: number): number {
  let size = 0;
  const stack: JsonValue[] = [v];
  while (stack.length > 0 && size <= limit) {
    const x = stack.pop()!;
    if (typeof x === 'string') size += x.length + 2;
    else if (x === null || x === true) size += 4;
    else if (x === false) size += 5;
    else if (typeof x !== 'object') size += 1;
    else if (Array.isArray(x)) {
      size += 1 + Math.max(x.length, 1);
      for (const e of x) stack.push(e);
    } else {
      const keys = Object.keys(x);
      size += 1 + Math.max(keys.length, 1);
      for (const k of keys) {
        size += k.length + 3;
        stack.push(x[k]!);
      }
    }
  }
  return size;
}

function jsonTypeName(v: JsonValue): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v === 'bigint' ? 'number' : typeof v;
}

/**
 * Finds the subject whose digest for `algorithm` equals `hexDigest`
 * (lower-case hex, compared exactly). A thin wrapper over
 * {@link matchSubject} with `requiredAlgorithms: [algorithm]`, so weak
 * algorithms (MD5, SHA-1) never match here.
 */
export function findSubject(statement: Statement, algorithm: string, hexDigest: string): Subject | undefined {
  return matchSubject(statement, { [algorithm]: hexDigest }, { requiredAlgorithms: [algorithm] })?.subject;
}
