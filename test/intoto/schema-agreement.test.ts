/**
 * The core's hand-written statement parser (what the verifier runs, with
 * no validators loaded) and the published JSON Schemas must accept and
 * reject the same statements. Checked over the fixtures and systematic
 * mutations of every statement field, and the digest rules table against
 * schemas/intoto-digest-set-v1.schema.json.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DIGEST_HEX_LENGTHS, digestValueProblem } from '../../src/intoto/digest-set.js';
import { isResourceUri } from '../../src/intoto/resource-descriptor.js';
import { parseStatementJson } from '../../src/intoto/statement.js';
import { validateStatementSchema } from '../../src/predicates/schema-validation.js';
import { validateIntotoResourceDescriptorV1 } from '../../src/schemas-generated/validators.js';
import { loadFixtureCases } from '../predicates/fixture-cases.js';

const SCHEMAS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../schemas');
const SHA256 = 'ab'.repeat(32);

function parserAccepts(doc: unknown): boolean {
  try {
    parseStatementJson(doc as never);
    return true;
  } catch {
    return false;
  }
}

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** Values a field is set to in the mutations. */
const VALUES: readonly unknown[] = [
  null, 0, 1.5, true, '', 'x', [], [1], {}, { a: 1 },
  'https://in-toto.io/Statement/v1', 'https://in-toto.io/Statement/v0.1', 'pkg:npm/x@1', 'not a uri', 'git+https://g.example/r@refs/heads/main',
  'https://example.com/a b', 'https://example.com/%zz', 'aGVsbG8=', 'a%2Fb:c',
  SHA256, SHA256.toUpperCase(), 'ab'.repeat(20), 'ab'.repeat(64), 'abc',
];

/** Statement-shaped documents: a base plus one field changed, added or removed. */
function mutations(base: Record<string, unknown>): unknown[] {
  const out: unknown[] = [base];
  const paths: (string | number)[][] = [['_type'], ['subject'], ['predicateType'], ['predicate'], ['subject', 0], ['subject', 0, 'name'],
    ['subject', 0, 'digest'], ['subject', 0, 'digest', 'sha256'], ['subject', 0, 'digest', 'sha1'], ['subject', 0, 'digest', 'gitCommit'],
    ['subject', 0, 'digest', 'shake256'], ['subject', 0, 'digest', 'custom'], ['subject', 0, 'uri'], ['subject', 0, 'downloadLocation'],
    ['subject', 0, 'content'], ['subject', 0, 'mediaType'], ['subject', 0, 'annotations'], ['subject', 1]];
  for (const p of paths) {
    for (const v of [...VALUES, undefined]) {
      const doc = clone(base) as Record<string | number, unknown>;
      let o = doc as Record<string | number, unknown>;
      let ok = true;
      for (const k of p.slice(0, -1)) {
        const next = o[k];
        if (next === null || typeof next !== 'object') {
          ok = false;
          break;
        }
        o = next as Record<string | number, unknown>;
      }
      if (!ok) continue;
      const last = p[p.length - 1]!;
      if (v === undefined) {
        if (Array.isArray(o) && typeof last === 'number') o.splice(last, 1);
        else delete o[last];
      } else o[last] = v;
      out.push(doc);
    }
  }
  return out;
}

describe('statement parser ↔ statement schemas', () => {
  const bases = [
    { _type: 'https://in-toto.io/Statement/v1', subject: [{ name: 'a', digest: { sha256: SHA256 } }], predicateType: 'https://example.com/p', predicate: {} },
    { _type: 'https://in-toto.io/Statement/v0.1', subject: [{ name: 'a', digest: { sha256: SHA256 } }], predicateType: 'p' },
    ...loadFixtureCases().map((c) => c.statement),
  ];

  it('agree on every fixture and on every mutation of a statement field', () => {
    let accepted = 0;
    let rejected = 0;
    const disagreements: string[] = [];
    for (const base of bases) {
      for (const doc of mutations(base as Record<string, unknown>)) {
        const byParser = parserAccepts(doc);
        const bySchema = validateStatementSchema(doc).valid;
        if (byParser !== bySchema) disagreements.push(`parser ${byParser}, schema ${bySchema}: ${JSON.stringify(doc).slice(0, 300)}`);
        if (byParser) accepted++;
        else rejected++;
      }
    }
    expect(disagreements).toEqual([]);
    // Both outcomes were exercised in quantity.
    expect(accepted).toBeGreaterThan(200);
    expect(rejected).toBeGreaterThan(200);
    console.info(`statement parser ↔ schema: ${accepted} accepted, ${rejected} rejected, all alike`);
  });

  it('agree on the subject limit', () => {
    const doc = { _type: 'https://in-toto.io/Statement/v1', predicateType: 'p', subject: Array.from({ length: 1025 }, () => ({ digest: { sha256: SHA256 } })) };
    expect([parserAccepts(doc), validateStatementSchema(doc).valid]).toEqual([false, false]);
    doc.subject.pop();
    expect([parserAccepts(doc), validateStatementSchema(doc).valid]).toEqual([true, true]);
  });

  it('point at the same field', () => {
    const doc = { _type: 'https://in-toto.io/Statement/v1', predicateType: 'p', subject: [{ digest: { sha256: SHA256 } }, { name: 'b', digest: { sha512: 'AB' } }] };
    const r = validateStatementSchema(doc);
    expect(r.issues.map((i) => i.pointer)).toContain('/subject/1/digest/sha512');
    expect(() => parseStatementJson(doc as never)).toThrow('in-toto statement /subject/1/digest/sha512:');
  });
});

describe('digest rules ↔ schemas/intoto-digest-set-v1.schema.json', () => {
  const schema = JSON.parse(fs.readFileSync(path.join(SCHEMAS, 'intoto-digest-set-v1.schema.json'), 'utf8')) as {
    patternProperties: Record<string, { pattern: string }>;
  };

  it('give every standard algorithm the same hex lengths', () => {
    const fromSchema: Record<string, string> = {};
    for (const [names, rule] of Object.entries(schema.patternProperties)) {
      for (const alg of Object.keys(DIGEST_HEX_LENGTHS)) if (new RegExp(names).test(alg)) fromSchema[alg] = rule.pattern;
    }
    expect(Object.keys(fromSchema).sort()).toEqual(Object.keys(DIGEST_HEX_LENGTHS).sort());
    for (const [alg, lengths] of Object.entries(DIGEST_HEX_LENGTHS)) {
      const re = new RegExp(fromSchema[alg]!);
      for (let n = 0; n <= 130; n++) {
        const v = 'a'.repeat(n);
        expect(re.test(v), `${alg} length ${n}`).toBe(digestValueProblem(alg, v) === undefined);
      }
      expect(re.test('A'.repeat(lengths === 'even' ? 64 : lengths[0]!))).toBe(false);
    }
  });
});

describe('the uri format: core parser ↔ compiled schemas', () => {
  it.each([
    'https://github.com/o/r', 'git+https://github.com/o/r@refs/heads/main', 'pkg:npm/%40scope/name@1.2.3',
    'pkg:oci/img@sha256%3Aab?repository_url=r.example/x&tag=v1', 'urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79', 'mailto:a@b.example',
    'x:', 'https://[::1]:8080/a#f', 'not a uri', 'https://a.example/a b', 'https://a.example/%zz', 'no-scheme/path', '1http://x', '', ':x',
    'https://a.example/\u00e9', 'https://a.example/<x>', 'https://a.example/"', 'https://a.example/\\',
  ])('%j', (uri) => {
    expect(validateIntotoResourceDescriptorV1({ uri })).toBe(isResourceUri(uri));
  });
});
