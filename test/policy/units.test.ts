// Smaller units: conditions, shortcuts over each scan format, purity of the core.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { evaluate, reasonCodes, type PolicyDocument, type Rule } from '../../src/policy.js';
import { parseDuration, parseTimestamp, formatTimestamp } from '../../src/policy/time.js';
import { parsePointer, resolvePointer, ABSENT } from '../../src/policy/json-pointer.js';
import { ARTIFACT, GHA_ISSUER, NOW, attestation } from './fixtures.js';

const pol = (require: Rule): PolicyDocument => ({
  apiVersion: 'policy.sigvet.dev/v1',
  name: 'u',
  authorities: { gha: { kind: 'keyless', identities: [{ issuer: { exact: GHA_ISSUER }, subject: { prefix: 'https://github.com/acme/app/' } }] } },
  require,
});
const att = (predicateType: string, extra: Record<string, unknown>): Rule => ({ attestation: { id: 'a', predicateType, by: ['gha'], select: 'all', ...extra } }) as Rule;
const ev = (predicateType: string, predicate: unknown) => ({ artifacts: [ARTIFACT], results: [attestation({ predicateType, predicate })] });

describe('conditions', () => {
  const run = (where: unknown[], predicate: unknown) => evaluate(pol(att('x:t', { where })), ev('x:t', predicate), { now: NOW });
  it('an integer beyond 2^53 in eq/ne (a bigint from the strict JSON reader) is compared and described, never thrown', () => {
    const big = 12345678901234567890n;
    const r = run([{ path: '/predicate/n', op: 'eq', value: big }], { n: big });
    expect(r.decision).toBe('allow');
    expect(JSON.stringify(r, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x))).toContain('12345678901234567890');
    expect(run([{ path: '/predicate/n', op: 'eq', value: big }], { n: big + 1n }).decision).toBe('deny');
    expect(run([{ path: '/predicate/n', op: 'ne', value: big }], { n: 1 }).decision).toBe('allow');
  });

  it('every, some, count and flatten', () => {
    const p = { items: [{ v: 1, xs: [1, 2] }, { v: 3, xs: [3] }] };
    expect(run([{ path: '/predicate/items', every: [{ path: '/v', op: 'gte', value: 1, as: 'number' }] }], p).decision).toBe('allow');
    expect(run([{ path: '/predicate/items', every: [{ path: '/v', op: 'gte', value: 2, as: 'number' }] }], p).decision).toBe('deny');
    expect(run([{ path: '/predicate/items', some: [{ path: '/v', op: 'eq', value: 3 }] }], p).decision).toBe('allow');
    expect(run([{ path: '/predicate/items', count: { min: 3, max: 3 }, flatten: '/xs' }], p).decision).toBe('allow');
    expect(run([{ path: '/predicate/items', count: { max: 1 }, where: [{ path: '', op: 'gt', value: 1, as: 'number' }], flatten: '/xs' }], p).decision).toBe('deny');
    expect(run([{ path: '/predicate/items', every: [{ path: '/v', exists: true }] }], { items: [] }).decision).toBe('allow');
    expect(run([{ path: '/predicate/items', some: [{ path: '/v', exists: true }] }], { items: [] }).decision).toBe('deny');
    expect(run([{ path: '/predicate/items', some: [{ path: '/v', exists: true }] }], { items: 'no' }).result.reason).toBe('TYPE_MISMATCH');
  });

  it('relative times, sameAs, cases and ifAbsent', () => {
    expect(run([{ path: '/predicate/t', op: 'gte', value: { clock: 'now', offset: '-P1D' }, as: 'time' }], { t: '2025-05-31T13:00:00Z' }).decision).toBe('allow');
    expect(run([{ path: '/predicate/t', op: 'gte', value: { clock: 'now', offset: '-P1D' }, as: 'time' }], { t: '2025-05-31T11:00:00Z' }).decision).toBe('deny');
    expect(run([{ path: '/predicate/a', sameAs: { path: '/predicate/b' } }], { a: { x: [1] }, b: { x: [1] } }).decision).toBe('allow');
    expect(run([{ path: '/predicate/a', sameAs: { path: '/predicate/b' } }], { a: 1, b: 2 }).decision).toBe('deny');
    expect(run([{ cases: { 'x:other': [{ path: '/predicate/a', exists: true }] } }], { a: 1 }).result.reason).toBe('PREDICATE_TYPE_UNSUPPORTED');
    expect(run([{ path: '/predicate/a', op: 'eq', value: 1, ifAbsent: 'indeterminate' }], {}).status).toBe('indeterminate');
    expect(run([{ path: '/predicate/a', op: 'in', value: [1, 2] }], { a: 2 }).decision).toBe('allow');
    expect(run([{ path: '/predicate/big', op: 'eq', value: 2 ** 53 }], { big: 2n ** 53n }).decision).toBe('allow');
    expect(run([{ path: '/predicate/big', op: 'eq', value: 2 ** 53 }], { big: 2n ** 53n + 1n }).decision).toBe('deny');
  });
});

describe('vulnerability shortcut over each scan format', () => {
  const check = { maxSeverity: 'high', ignore: ['CVE-IGNORED'] };
  const run = (type: string, predicate: unknown) => evaluate(pol(att(type, { vulns: check })), ev(type, predicate), { now: NOW });
  it('in-toto vulns v0.2 with string scores', () => {
    const p = (scores: string[]) => ({ scanner: { uri: 'x', db: { lastUpdate: NOW }, result: scores.map((s, i) => ({ id: i === 0 ? 'CVE-IGNORED' : `CVE-${i}`, severity: [{ method: 'nvd', score: s }] })) } });
    expect(run('https://in-toto.io/attestation/vulns/v0.2', p(['9.8', '7.5', 'medium'])).decision).toBe('allow');
    expect(reasonCodes(run('https://in-toto.io/attestation/vulns/v0.2', p(['1', '9.1'])))).toEqual(['VULN_SEVERITY_EXCEEDED']);
    expect(run('https://in-toto.io/attestation/vulns/v0.2', p(['1', 'weird'])).decision).toBe('deny');
    expect(run('https://in-toto.io/attestation/vulns/v0.2', { scanner: { result: [] } }).decision).toBe('allow');
    expect(reasonCodes(run('https://in-toto.io/attestation/vulns/v0.2', { scanner: {} }))).toContain('VULN_SCAN_UNREADABLE');
  });
  it('cosign vuln/v1 with Trivy or Grype output', () => {
    const trivy = (sev: string) => ({ scanner: { result: { Results: [{ Target: 'x', Vulnerabilities: [{ VulnerabilityID: 'CVE-1', Severity: 'LOW' }, { VulnerabilityID: 'CVE-2', Severity: sev }] }] } } });
    const T = 'https://cosign.sigstore.dev/attestation/vuln/v1';
    expect(run(T, trivy('HIGH')).decision).toBe('allow');
    expect(run(T, trivy('CRITICAL')).decision).toBe('deny');
    const grype = (sev: string) => ({ scanner: { result: { matches: [{ vulnerability: { id: 'CVE-1', severity: sev } }] } } });
    expect(run(T, grype('Medium')).decision).toBe('allow');
    expect(run(T, grype('Critical')).decision).toBe('deny');
    expect(run(T, { scanner: { result: { unknownShape: true } } }).decision).toBe('deny');
  });
});

describe('helpers', () => {
  it('time and pointers', () => {
    expect(formatTimestamp(parseTimestamp('2021-08-06T17:45:50.52Z')!)).toBe('2021-08-06T17:45:50.52Z');
    expect(parseTimestamp('2021-02-29T00:00:00Z')).toBeUndefined();
    expect(parseTimestamp('2021-08-06 17:45:50Z')).toBeUndefined();
    expect(parseDuration('P1DT2H')).toBe((86400n + 7200n) * 1_000_000_000n);
    expect(parseDuration('-PT1.5S')).toBe(-1_500_000_000n);
    expect(parseDuration('P1Y')).toBeUndefined();
    expect(parseDuration('P')).toBeUndefined();
    expect(parsePointer('/a~1b/c~0')).toEqual(['a/b', 'c~']);
    expect(parsePointer('a')).toBeUndefined();
    expect(parsePointer('/a~2')).toBeUndefined();
    expect(resolvePointer({ a: [1] }, ['a', '01'])).toBe(ABSENT);
    expect(resolvePointer({}, ['constructor'])).toBe(ABSENT);
  });
});

describe('the policy core is runtime-neutral', () => {
  const root = fileURLToPath(new URL('../../src/policy', import.meta.url));
  const files = (d: string): string[] => readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? files(join(d, n)) : [join(d, n)]));
  it('imports no node: module, uses no Buffer/process/require, and loads yaml only in the importers', () => {
    for (const f of [...files(root), fileURLToPath(new URL('../../src/policy.ts', import.meta.url))]) {
      const src = readFileSync(f, 'utf8');
      expect(src, f).not.toMatch(/from ['"]node:/);
      expect(src, f).not.toMatch(/(?<![.\w])(Buffer\s*[.(]|process\s*\.|require\s*\(\s*['"])/);
      if (!f.includes(`${join('policy', 'import')}`)) expect(src, f).not.toMatch(/from ['"]yaml['"]/);
    }
  });
});
