/**
 * Subject matching shared by the verifier and the policy engine: agreement
 * on common algorithms, required algorithms (sha256 by default), weak
 * algorithms never enough alone, exact lower-case hex, and which subject
 * matched.
 */
import { describe, expect, it } from 'vitest';
import { SigvetError } from '../../src/errors.js';
import { findSubject, type Statement } from '../../src/intoto/statement.js';
import { matchSubject } from '../../src/intoto/subject-match.js';
import { isWeakDigest } from '../../src/intoto/digest-set.js';

const A256 = 'a'.repeat(64);
const B256 = 'b'.repeat(64);
const A512 = 'a'.repeat(128);
const B512 = 'b'.repeat(128);
const SHA1 = '1'.repeat(40);
const MD5 = '5'.repeat(32);

function stmt(...digests: Record<string, string>[]): Pick<Statement, 'subject'> {
  return { subject: digests.map((digest, i) => ({ name: `s${i}`, digest })) };
}

function invalid(f: () => unknown): SigvetError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(SigvetError);
    expect((e as SigvetError).code).toBe('INVALID_ARGUMENT');
    return e as SigvetError;
  }
  throw new Error('expected INVALID_ARGUMENT');
}

describe('matchSubject', () => {
  it('reports which subject matched, with the agreeing algorithms', () => {
    const s = stmt({ sha256: B256 }, { sha256: A256, sha512: A512 });
    expect(matchSubject(s, { sha256: A256 })).toEqual({ index: 1, subject: s.subject[1], algorithms: ['sha256'] });
    expect(matchSubject(s, { sha256: A256, sha512: A512 })?.algorithms).toEqual(['sha256', 'sha512']);
    expect(matchSubject(s, { sha256: 'c'.repeat(64) })).toBeUndefined();
  });

  it('never matches when an algorithm both sides have disagrees', () => {
    // in-toto's own example: {"sha256": "abcd"} does not match {"sha256": "fedb", "sha512": "abcd"}.
    expect(matchSubject(stmt({ sha256: B256, sha512: A512 }), { sha256: A256, sha512: A512 }, { requiredAlgorithms: [] })).toBeUndefined();
    expect(matchSubject(stmt({ sha256: A256, sha512: B512 }), { sha256: A256, sha512: A512 })).toBeUndefined();
  });

  it('requires sha256 by default; other algorithms when the caller says so', () => {
    // npm provenance subjects carry only sha512.
    const npm = stmt({ sha512: A512 });
    expect(matchSubject(npm, { sha256: A256, sha512: A512 })).toBeUndefined();
    expect(matchSubject(npm, { sha512: A512 }, { requiredAlgorithms: ['sha512'] })?.index).toBe(0);
    expect(matchSubject(npm, { sha512: A512 }, { requiredAlgorithms: [] })?.index).toBe(0);
    // Every required algorithm must be on both sides.
    expect(matchSubject(stmt({ sha256: A256 }), { sha256: A256, sha512: A512 }, { requiredAlgorithms: ['sha256', 'sha512'] })).toBeUndefined();
  });

  it('never lets weak digests (md5, sha1, SHA-1 git ids) suffice on their own', () => {
    const weak = stmt({ sha1: SHA1, md5: MD5, gitCommit: 'c'.repeat(40) });
    for (const required of [[], ['sha1'], ['md5'], ['gitCommit']]) {
      expect(matchSubject(weak, { sha1: SHA1, md5: MD5, gitCommit: 'c'.repeat(40) }, { requiredAlgorithms: required })).toBeUndefined();
    }
    // Beside a strong digest they count, and must agree.
    const mixed = stmt({ sha1: SHA1, sha256: A256 });
    expect(matchSubject(mixed, { sha1: SHA1, sha256: A256 }, { requiredAlgorithms: ['sha1'] })?.algorithms).toEqual(['sha1', 'sha256']);
    expect(matchSubject(mixed, { sha1: '2'.repeat(40), sha256: A256 })).toBeUndefined();
    // A SHA-256 git object id is not weak.
    expect(isWeakDigest('gitCommit', 'c'.repeat(64))).toBe(false);
    expect(matchSubject(stmt({ gitCommit: 'c'.repeat(64) }), { gitCommit: 'c'.repeat(64) }, { requiredAlgorithms: ['gitCommit'] })?.index).toBe(0);
  });

  it('compares exactly: an upper-case digest in the statement matches nothing', () => {
    expect(matchSubject(stmt({ sha256: A256.toUpperCase() }), { sha256: A256 })).toBeUndefined();
  });

  it('rejects malformed caller digests instead of silently matching nothing', () => {
    expect(invalid(() => matchSubject(stmt({ sha256: A256 }), { sha256: A256.toUpperCase() })).message).toMatch(/lower-case hex/);
    expect(invalid(() => matchSubject(stmt({ sha256: A256 }), { sha256: `sha256:${A256}` })).message).toMatch(/sha256 digest/);
    invalid(() => matchSubject(stmt({ sha256: A256 }), {}));
    invalid(() => matchSubject(stmt({ sha256: A256 }), { sha512: A512 })); // sha256 required but not given
    invalid(() => matchSubject(stmt({ sha256: A256 }), { sha256: '' }, { requiredAlgorithms: [] }));
    invalid(() => matchSubject(stmt({ sha256: A256 }), { sha256: A256 }, { requiredAlgorithms: 'sha256' as unknown as string[] }));
  });

  it('returns the first of several matching subjects', () => {
    expect(matchSubject(stmt({ sha256: A256 }, { sha256: A256 }), { sha256: A256 })?.index).toBe(0);
  });
});

describe('findSubject (the verifier call site)', () => {
  it('matches on one algorithm through matchSubject', () => {
    const s = { type: 'https://in-toto.io/Statement/v1', predicateType: 't', predicate: undefined, ...stmt({ sha256: B256 }, { sha256: A256 }) } as const;
    expect(findSubject(s, 'sha256', A256)?.name).toBe('s1');
    expect(findSubject(s, 'sha256', 'c'.repeat(64))).toBeUndefined();
    expect(findSubject({ ...s, subject: [{ name: 'x', digest: { sha1: SHA1 } }] }, 'sha1', SHA1)).toBeUndefined();
  });
});
