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
import type { DigestSet } from './digest-set.js';
import { pointerJoin } from './json-pointer.js';
import { parseResourceDescriptor, statementError, type ResourceDescriptor } from './resource-descriptor.js';
import { matchSubject } from './subject-match.js';

/** The in-toto payload type: the only DSSE payload type that holds a statement. */
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

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

/** Maximum number of subjects (CVE-2024-45395 class bound). */
export const MAX_SUBJECTS = 1024;

/**
 * Parses an in-toto statement from verified payload bytes: strict UTF-8,
 * strict JSON (duplicate keys rejected), then {@link parseStatementJson}.
 * @throws SigvetError `DSSE` (check `intoto.statement.*`) or `LIMIT` (check `intoto.subjects`, `json.*`).
 */
export function parseStatement(payload: Uint8Array): Statement {
  let text: string;
  try {
    text = utf8DecodeStrict(payload);
  } catch (e) {
    throw new SigvetError('DSSE', 'in-toto statement: the payload is not valid UTF-8', { check: 'intoto.statement.utf8', cause: e });
  }
  let doc: JsonValue;
  try {
    doc = parseJson(text, 'in-toto statement');
  } catch (e) {
    if (e instanceof SigvetError && e.code === 'LIMIT') throw e;
    throw new SigvetError('DSSE', `in-toto statement: ${(e as Error).message}`, { check: 'intoto.statement.json', cause: e });
  }
  return parseStatementJson(doc);
}

/**
 * Reads a statement from parsed JSON (for callers that parsed the payload
 * themselves; prefer {@link parseStatement}, whose JSON parser rejects
 * duplicate keys).
 * @throws SigvetError `DSSE` (check `intoto.statement.*`) or `LIMIT` (check `intoto.subjects`).
 */
export function parseStatementJson(doc: JsonValue): Statement {
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
  if (subj.length > MAX_SUBJECTS) {
    throw new SigvetError('LIMIT', `in-toto statement /subject: more than ${MAX_SUBJECTS} subjects`, {
      check: 'intoto.subjects',
      expected: `≤ ${MAX_SUBJECTS}`,
      actual: String(subj.length),
    });
  }
  const subject = subj.map((s, i): Subject => {
    const rd = parseResourceDescriptor(s, pointerJoin('/subject', i), true);
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
  return { type: type as StatementType, subject, predicateType, predicate: pred ?? undefined };
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
