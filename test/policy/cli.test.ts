// `sigvet policy lint|import|test` through the command's entry function.
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runPolicy } from '../../src/cli/policy.js';

let out = '';
let err = '';
beforeEach(() => {
  out = '';
  err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
});
afterEach(() => vi.restoreAllMocks());

const vectors = fileURLToPath(new URL('../../test-vectors/policy', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'sigvet-policy-'));
const file = (name: string, text: string) => {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
};
const docsYaml = (name: string) => {
  const md = readFileSync(fileURLToPath(new URL('../../docs/policy.md', import.meta.url)), 'utf8');
  return new RegExp(`<!-- example: ${name} -->\\n\`\`\`yaml\\n([\\s\\S]*?)\\n\`\`\``).exec(md)![1]!;
};

describe('sigvet policy lint', () => {
  it('exits 0 clean, 1 with findings, 2 invalid', async () => {
    const clean = readFileSync(join(vectors, 'policies/npm-package.json'), 'utf8');
    expect(await runPolicy(['lint', file('clean.json', clean)])).toBe(0);
    const doc = JSON.parse(clean);
    doc.require.allOf[0].attestation.select = undefined;
    delete doc.require.allOf[0].attestation.select;
    expect(await runPolicy(['lint', file('warn.json', JSON.stringify(doc))])).toBe(1);
    expect(out).toContain('MISSING_QUANTIFIER');
    expect(await runPolicy(['lint', file('bad.json', JSON.stringify({ ...doc, authorities: { publisher: { kind: 'keyless', identities: [] } } }))])).toBe(2);
    expect(out).toContain('EMPTY_IDENTITIES at /authorities/publisher/identities');
    expect(await runPolicy(['lint', file('notjson.json', '{')])).toBe(2);
    out = '';
    expect(await runPolicy(['lint', '--json', file('clean2.json', clean)])).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ schemaVersion: '1', valid: true, problems: [] });
  });
});

describe('sigvet policy import', () => {
  it('writes the policy to stdout and diagnostics to stderr; exit 3 when something did not map', async () => {
    const code = await runPolicy(['import', '--from', 'clusterimagepolicy', file('cip.yaml', docsYaml('clusterimagepolicy'))]);
    expect(code).toBe(3);
    const policies = JSON.parse(out);
    expect(policies.map((p: { name: string }) => p.name)).toEqual(['acme-images', 'acme-tools']);
    expect(err).toContain('unmapped POLICY_BODY at spec.authorities[1].attestations[1].policy');
  });

  it('exits 0 when everything mapped, 2 on invalid input, and --json puts both in one document', async () => {
    const simple = `apiVersion: policy.sigstore.dev/v1beta1
kind: ClusterImagePolicy
metadata: { name: simple }
spec:
  images: [{ glob: "ghcr.io/acme/**" }]
  authorities:
    - keyless:
        identities: [{ issuer: "https://token.actions.githubusercontent.com", subject: "https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main" }]
`;
    expect(await runPolicy(['import', '--from', 'clusterimagepolicy', file('simple.yaml', simple)])).toBe(0);
    expect(JSON.parse(out).name).toBe('simple');
    out = '';
    expect(await runPolicy(['import', '--from', 'kyverno', '--json', file('k.yaml', docsYaml('kyverno'))])).toBe(3);
    const both = JSON.parse(out);
    expect(both.policies.length).toBe(1);
    expect(both.diagnostics.length).toBeGreaterThan(0);
    expect(await runPolicy(['import', '--from', 'kyverno', file('notpolicy.yaml', 'kind: Deployment\napiVersion: apps/v1\n')])).toBe(2);
    expect(await runPolicy(['import', '--from', 'kyverno', file('broken.yaml', 'a: [\n')])).toBe(2);
    expect(await runPolicy(['import', file('x.yaml', 'a: 1')])).toBe(2);
  });
});

describe('sigvet policy test', () => {
  it('runs the vectors and ends with "N passed, M failed"', async () => {
    expect(await runPolicy(['test', vectors])).toBe(0);
    const last = out.trim().split('\n').slice(-1)[0]!;
    expect(last).toMatch(/^\d+ passed, 0 failed$/);
  });

  it('exits 1 when a case fails and prints its verdict', async () => {
    const dir = join(tmp, 'cases');
    mkdirSync(dir, { recursive: true });
    cpSync(vectors, join(dir, 'v'), { recursive: true });
    const p = join(dir, 'v/cases/release-gate-allow.json');
    const tc = JSON.parse(readFileSync(p, 'utf8'));
    tc.expect = { decision: 'deny' };
    writeFileSync(p, JSON.stringify(tc));
    expect(await runPolicy(['test', dir])).toBe(1);
    expect(out).toContain('FAIL release-gate-allow: decision allow, expected deny');
    expect(out.trim().split('\n').slice(-1)[0]).toMatch(/^\d+ passed, 1 failed$/);
    expect(await runPolicy(['test', join(tmp, 'missing')])).toBe(2);
  });
});
