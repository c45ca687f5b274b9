/**
 * Minimal in-toto Statement reading for artifact binding: the subjects and
 * predicate type of a verified DSSE payload. Parsed only from the verified
 * payload bytes, never from a second decode.
 * @module
 */
import { SigvetError } from '../errors.js';
import { parseJson, type JsonObject } from '../encoding/json.js';
import { utf8DecodeStrict } from '../encoding/bytes.js';

/** The in-toto payload type. */
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

/** Statement `_type` values sigvet accepts. */
export const STATEMENT_TYPES = ['https://in-toto.io/Statement/v1', 'https://in-toto.io/Statement/v0.1'] as const;

/** A statement subject. */
export interface Subject {
  readonly name: string;
  /** Algorithm → lower-case hex digest, exactly as in the statement. */
  readonly digest: Readonly<Record<string, string>>;
}

/** An in-toto statement, as JSON plus typed subjects. */
export interface Statement {
  readonly type: (typeof STATEMENT_TYPES)[number];
  readonly subject: readonly Subject[];
  readonly predicateType: string;
  /** The predicate, as parsed JSON (an object), or undefined when absent. */
  readonly predicate: JsonObject | undefined;
}

/** Maximum number of subjects (CVE-2024-45395 class bound). */
export const MAX_SUBJECTS = 1024;

function bad(msg: string, path: string): never {
  throw new SigvetError('DSSE', `in-toto statement: ${path}: ${msg}`, { check: 'intoto.statement' });
}

/** Parses an in-toto statement from verified payload bytes. */
export function parseStatement(payload: Uint8Array): Statement {
  let text: string;
  try {
    text = utf8DecodeStrict(payload);
  } catch {
    return bad('payload is not valid UTF-8', '$');
  }
  let doc;
  try {
    doc = parseJson(text, 'in-toto statement');
  } catch (e) {
    throw new SigvetError('DSSE', `in-toto statement: ${(e as Error).message}`, { check: 'intoto.statement', cause: e });
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return bad('expected an object', '$');
  const o = doc as JsonObject;
  const type = o._type;
  if (typeof type !== 'string' || !(STATEMENT_TYPES as readonly string[]).includes(type)) {
    return bad(`unknown _type ${JSON.stringify(type)}`, '$._type');
  }
  const subj = o.subject;
  if (!Array.isArray(subj) || subj.length === 0) return bad('subject must be a non-empty array', '$.subject');
  if (subj.length > MAX_SUBJECTS) {
    throw new SigvetError('LIMIT', `in-toto statement: more than ${MAX_SUBJECTS} subjects`, { check: 'intoto.subjects' });
  }
  const subject = subj.map((s, i): Subject => {
    const p = `$.subject[${i}]`;
    if (s === null || typeof s !== 'object' || Array.isArray(s)) return bad('expected an object', p);
    const so = s as JsonObject;
    const name = so.name ?? '';
    if (typeof name !== 'string') return bad('name must be a string', `${p}.name`);
    const d = so.digest;
    if (d === null || typeof d !== 'object' || Array.isArray(d)) return bad('digest must be an object', `${p}.digest`);
    const digest: Record<string, string> = Object.create(null);
    const entries = Object.entries(d as JsonObject);
    if (entries.length === 0 || entries.length > 32) return bad('digest must hold 1..32 algorithms', `${p}.digest`);
    for (const [alg, v] of entries) {
      if (typeof v !== 'string') return bad('digest values must be strings', `${p}.digest.${alg}`);
      digest[alg] = v;
    }
    return { name, digest };
  });
  const predicateType = o.predicateType;
  if (typeof predicateType !== 'string' || predicateType === '') return bad('predicateType must be a non-empty string', '$.predicateType');
  const pred = o.predicate;
  if (pred !== undefined && (pred === null || typeof pred !== 'object' || Array.isArray(pred))) {
    return bad('predicate must be an object', '$.predicate');
  }
  return { type: type as Statement['type'], subject, predicateType, predicate: pred as JsonObject | undefined };
}

/**
 * Finds the subject whose digest for `algorithm` equals `hexDigest`
 * (lower-case hex, compared exactly, no normalization).
 */
export function findSubject(statement: Statement, algorithm: string, hexDigest: string): Subject | undefined {
  return statement.subject.find((s) => s.digest[algorithm] === hexDigest);
}
