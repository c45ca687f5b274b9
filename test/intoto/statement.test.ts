/**
 * in-toto Statement parsing (v1 and v0.1): typed subjects and predicate,
 * and path-precise failures for every malformed shape the issue names
 * (unknown _type, empty or null subject entries, a predicate encoded as a
 * JSON string, payloads that do not parse) plus digest rules.
 */
import { describe, expect, it } from 'vitest';
import { SigvetError } from '../../src/errors.js';
import { MAX_SUBJECTS, parseStatement, parseStatementJson } from '../../src/intoto/statement.js';

const SHA256 = 'a0cfc71271d6e278e57cd332ff957c3f7043fdda354c4cbb190a30d56efa01bf';
const enc = (v: unknown): Uint8Array => new TextEncoder().encode(typeof v === 'string' ? v : JSON.stringify(v));

function statement(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: 'a.txt', digest: { sha256: SHA256 } }],
    predicateType: 'https://slsa.dev/provenance/v1',
    predicate: { x: 1 },
    ...over,
  };
}

/** The SigvetError `f` throws. */
function failure(f: () => unknown): SigvetError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(SigvetError);
    return e as SigvetError;
  }
  throw new Error('expected a failure');
}

describe('parseStatement', () => {
  it('reads a v1 statement: type, subjects (with ResourceDescriptor fields), predicate type and predicate', () => {
    const s = parseStatement(
      enc(
        statement({
          subject: [
            { name: 'a.txt', digest: { sha256: SHA256, gitCommit: 'c'.repeat(40) }, uri: 'pkg:generic/a@1', annotations: { k: 'v' } },
            { digest: { sha512: 'e'.repeat(128) } },
          ],
        }),
      ),
    );
    expect(s.type).toBe('https://in-toto.io/Statement/v1');
    expect(s.predicateType).toBe('https://slsa.dev/provenance/v1');
    expect(s.predicate).toEqual({ x: 1 });
    expect(s.subject).toHaveLength(2);
    expect(s.subject[0]).toEqual({ name: 'a.txt', digest: { sha256: SHA256, gitCommit: 'c'.repeat(40) }, uri: 'pkg:generic/a@1', annotations: { k: 'v' } });
    // An unnamed subject reads as name ''; no undefined fields appear.
    expect(s.subject[1]).toEqual({ name: '', digest: { sha512: 'e'.repeat(128) } });
    expect(Object.keys(s.subject[1]!).sort()).toEqual(['digest', 'name']);
  });

  it('reads a v0.1 statement and an absent or null predicate as undefined', () => {
    const v01 = parseStatement(enc(statement({ _type: 'https://in-toto.io/Statement/v0.1', predicate: undefined })));
    expect(v01.type).toBe('https://in-toto.io/Statement/v0.1');
    expect(v01.predicate).toBeUndefined();
    expect(parseStatement(enc(statement({ predicate: null }))).predicate).toBeUndefined();
  });

  it.each([
    ['an unknown _type', statement({ _type: 'https://in-toto.io/Statement/v2' }), 'intoto.statement.type', '/_type', /unknown _type "https:\/\/in-toto.io\/Statement\/v2"/],
    ['a missing _type', statement({ _type: undefined }), 'intoto.statement.type', '/_type', /_type is missing/],
    ['a _type of the wrong case', statement({ _type: 'https://in-toto.io/statement/v1' }), 'intoto.statement.type', '/_type', /unknown _type/],
    ['an empty subject entry', statement({ subject: [{ name: 'a', digest: { sha256: SHA256 } }, {}] }), 'intoto.statement.digest', '/subject/1', /digest is required/],
    ['a null subject entry', statement({ subject: [null] }), 'intoto.statement.subject', '/subject/0', /entry is null/],
    ['a subject entry that is a string', statement({ subject: ['a.txt'] }), 'intoto.statement.subject', '/subject/0', /must be an object/],
    ['an empty subject list', statement({ subject: [] }), 'intoto.statement.subject', '/subject', /must not be empty/],
    ['subject as an object', statement({ subject: { name: 'a' } }), 'intoto.statement.subject', '/subject', /must be an array/],
    ['a predicate encoded as a JSON string', statement({ predicate: JSON.stringify({ x: 1 }) }), 'intoto.statement.predicate', '/predicate', /JSON string.*encoded twice/],
    ['a predicate that is an array', statement({ predicate: [1] }), 'intoto.statement.predicate', '/predicate', /not a array/],
    ['an empty predicateType', statement({ predicateType: '' }), 'intoto.statement.predicate_type', '/predicateType', /non-empty string/],
    ['an empty digest set', statement({ subject: [{ name: 'a', digest: {} }] }), 'intoto.statement.digest', '/subject/0/digest', /at least one algorithm/],
    ['an upper-case sha256', statement({ subject: [{ name: 'a', digest: { sha256: SHA256.toUpperCase() } }] }), 'intoto.statement.digest', '/subject/0/digest/sha256', /lower-case hex/],
    ['a short sha256', statement({ subject: [{ name: 'a', digest: { sha256: SHA256.slice(2) } }] }), 'intoto.statement.digest', '/subject/0/digest/sha256', /must be 64 hex digits, got 62/],
    ['a numeric digest value', statement({ subject: [{ name: 'a', digest: { sha256: 1 } }] }), 'intoto.statement.digest', '/subject/0/digest/sha256', /must be a string/],
    ['a name that is not a string', statement({ subject: [{ name: 7, digest: { sha256: SHA256 } }] }), 'intoto.statement.subject', '/subject/0/name', /must be a string/],
    ['a digest key needing escapes', statement({ subject: [{ digest: { 'a/b~c': '' } }] }), 'intoto.statement.digest', '/subject/0/digest/a~1b~0c', /is empty/],
  ])('rejects %s with its check and JSON Pointer', (_what, doc, check, pointer, message) => {
    const e = failure(() => parseStatement(enc(doc)));
    expect(e.code).toBe('DSSE');
    expect(e.check).toBe(check);
    expect(e.message).toContain(`in-toto statement ${pointer}:`);
    expect(e.message).toMatch(message);
  });

  it('rejects payloads that do not parse: not UTF-8, not JSON, duplicate keys, not an object', () => {
    expect(failure(() => parseStatement(new Uint8Array([0x7b, 0xff, 0x7d]))).check).toBe('intoto.statement.utf8');
    const notJson = failure(() => parseStatement(enc('{"_type": ')));
    expect([notJson.code, notJson.check]).toEqual(['DSSE', 'intoto.statement.json']);
    // Another parser could read the other _type: strict parsing refuses the ambiguity.
    const dup = failure(() =>
      parseStatement(enc(`{"_type":"https://in-toto.io/Statement/v1","_type":"https://in-toto.io/Statement/v0.1","subject":[],"predicateType":"x"}`)),
    );
    expect(dup.check).toBe('intoto.statement.json');
    expect(dup.message).toMatch(/duplicate key "_type"/);
    const arr = failure(() => parseStatement(enc('[]')));
    expect([arr.check, arr.message]).toEqual(['intoto.statement.shape', 'in-toto statement /: a statement must be a JSON object']);
  });

  it(`caps subjects at ${MAX_SUBJECTS} with LIMIT`, () => {
    const subject = Array.from({ length: MAX_SUBJECTS + 1 }, () => ({ digest: { sha256: SHA256 } }));
    const e = failure(() => parseStatement(enc(statement({ subject }))));
    expect([e.code, e.check]).toEqual(['LIMIT', 'limit.subjects']);
    expect(parseStatement(enc(statement({ subject: subject.slice(1) }))).subject).toHaveLength(MAX_SUBJECTS);
  });

  it('accepts unknown algorithms with any non-empty value, and keeps "__proto__" keys as data', () => {
    const s = parseStatementJson(
      JSON.parse(`{"_type":"https://in-toto.io/Statement/v1","subject":[{"digest":{"dirHash1":"h1:abc","__proto__":"x"}}],"predicateType":"t"}`),
    );
    expect(s.subject[0]!.digest.dirHash1).toBe('h1:abc');
    expect(Object.keys(s.subject[0]!.digest)).toContain('__proto__');
  });
});
