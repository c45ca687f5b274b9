/**
 * `sigvet inspect`: what a bundle holds, decoded with the verifier's own
 * parsers and nothing verified. Uses the repository's generated test
 * vectors and sample (certificate and managed-key DSSE bundles, a
 * message-signature bundle, a non-in-toto payload) and bundles edited to
 * carry a bad predicate or garbage.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { formatInspectReport, inspectBundle, runInspect } from '../../src/cli/inspect.js';
import { loadFixtureCases } from './fixture-cases.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const V = path.join(REPO, 'test-vectors');
const read = (...p: string[]): string => fs.readFileSync(path.join(...p), 'utf8');
const sha256 = (file: string): string => createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'sigvet-inspect-'));
afterAll(() => fs.rmSync(TMP, { recursive: true, force: true }));

/** A copy of a bundle whose DSSE payload is `statement` (the signature no longer matches: inspect does not care). */
function withPayload(bundleText: string, payload: unknown): string {
  const b = JSON.parse(bundleText) as { dsseEnvelope: { payload: string } };
  b.dsseEnvelope.payload = Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload)).toString('base64');
  return JSON.stringify(b);
}

/** Runs the command with stdout/stderr captured. */
async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((stdout += String(s)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((stderr += String(s)), true));
  try {
    return { code: await runInspect(args), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

describe('inspectBundle', () => {
  it('shows signer, Fulcio extensions, log entries and the statement of a keyless DSSE bundle', () => {
    const dir = path.join(V, 'happy-path-dsse');
    const r = inspectBundle(read(dir, 'bundle.sigstore.json'));
    expect(r.verified).toBe(false);
    expect(r.signer).toMatchObject({ type: 'certificate', identity: { value: read(dir, 'identity').trim() }, issuer: read(dir, 'issuer').trim() });
    expect(r.tlogEntries.length).toBeGreaterThan(0);
    expect(r.tlogEntries[0]!.logId).toMatch(/^[0-9a-f]{64}$/);
    expect(r.content.type).toBe('dsseEnvelope');
    if (r.content.type !== 'dsseEnvelope') return;
    expect(r.content.payloadType).toBe('application/vnd.in-toto+json');
    expect(r.content.statement?.subjects[0]?.digest.sha256).toBe(sha256(path.join(dir, 'artifact')));
    expect(r.content.predicate?.kind).toBe('unknown');
    expect(r.problems).toEqual([]);
    const text = formatInspectReport(r);
    expect(text.split('\n')[0]).toMatch(/^NOT VERIFIED/);
    expect(text).toContain(`signer        ${read(dir, 'identity').trim()}`);
    expect(text).toContain(`predicate     ${r.content.statement!.predicateType}`);
    // The whole report is plain JSON data (no bigint, no bytes).
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it('shows a managed-key signer, a message signature, and a DSSE payload that is not in-toto', () => {
    expect(inspectBundle(read(V, 'happy-path-managed-key-p384-dsse', 'bundle.sigstore.json')).signer?.type).toBe('publicKey');
    const sample = path.join(REPO, 'examples/sample');
    const msg = inspectBundle(read(sample, 'artifact.txt.sigstore.json'));
    expect(msg.content).toEqual({ type: 'messageSignature', digest: { algorithm: 'SHA2_256', hex: sha256(path.join(sample, 'artifact.txt')) } });
    const notIntoto = inspectBundle(read(V, 'dsse-payload-not-in-toto_fail', 'bundle.sigstore.json'));
    expect(notIntoto.content).toMatchObject({ type: 'dsseEnvelope', payloadType: 'application/json', statement: undefined, predicate: undefined });
    expect(notIntoto.problems).toEqual([]);
  });

  it('summarizes a recognized predicate', () => {
    const gha = loadFixtureCases().find((c) => c.name === 'slsa-v1-github-actions')!;
    const r = inspectBundle(withPayload(read(V, 'happy-path-dsse', 'bundle.sigstore.json'), gha.statement));
    expect(r.content.type === 'dsseEnvelope' && r.content.predicate?.kind).toBe('slsa-provenance-v1');
    const text = formatInspectReport(r);
    expect(text).toContain('kind          slsa-provenance-v1');
    expect(text).toMatch(/ {2}source {15}https:\/\/github\.com\/octo-org\/octo-app/);
    expect(text).toContain('subject       octo-app-darwin-arm64 sha256:');
  });

  it('reports a bad statement or predicate as a problem and still shows the rest', () => {
    const base = read(V, 'happy-path-dsse', 'bundle.sigstore.json');
    const badPred = loadFixtureCases().find((c) => c.name === 'invalid-slsa-v1-no-builder-id')!;
    const r = inspectBundle(withPayload(base, badPred.statement));
    expect(r.problems).toEqual([expect.objectContaining({ part: 'predicate', code: 'DSSE', check: 'attestation.predicate.schema' })]);
    expect(r.problems[0]!.message).toContain('/predicate/runDetails/builder/id');
    expect(r.signer?.type).toBe('certificate');
    const twice = inspectBundle(withPayload(base, { ...badPred.statement, predicate: JSON.stringify(badPred.statement.predicate) }));
    expect(twice.problems).toEqual([expect.objectContaining({ part: 'statement', check: 'intoto.statement.predicate' })]);
    expect(formatInspectReport(twice)).toMatch(/problem {7}statement: DSSE \[intoto\.statement\.predicate\]/);
  });
});

describe('inspectBundle on hostile values', () => {
  it('shows an integrated time no Date can hold as a number, not a crash', () => {
    const b = JSON.parse(read(V, 'happy-path-dsse', 'bundle.sigstore.json')) as { verificationMaterial: { tlogEntries: { integratedTime: string }[] } };
    b.verificationMaterial.tlogEntries[0]!.integratedTime = '9223372036854775807';
    const r = inspectBundle(JSON.stringify(b));
    expect(r.tlogEntries[0]!.integratedTime).toBe('9223372036854775807 (seconds, out of range)');
  });
});

describe('runInspect', () => {
  it('exits 0 with text or --json for a clean bundle', async () => {
    const file = path.join(V, 'happy-path-dsse', 'bundle.sigstore.json');
    const text = await run(file);
    expect([text.code, text.stderr]).toEqual([0, '']);
    expect(text.stdout).toMatch(/^NOT VERIFIED/);
    const json = await run('--json', file);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ verified: false, problems: [] });
  });

  it('exits 1 when a part does not decode, and when the bundle does not', async () => {
    const bad = path.join(TMP, 'bad-predicate.json');
    const badPred = loadFixtureCases().find((c) => c.name === 'invalid-vsa-result')!;
    fs.writeFileSync(bad, withPayload(read(V, 'happy-path-dsse', 'bundle.sigstore.json'), badPred.statement));
    const r = await run(bad, '--json');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).problems[0].check).toBe('attestation.predicate.schema');
    const garbage = path.join(TMP, 'garbage.json');
    fs.writeFileSync(garbage, '{"mediaType": 1');
    const g = await run(garbage);
    expect(g.code).toBe(1);
    expect(g.stderr).toMatch(/cannot decode the bundle: PARSE/);
    const gj = await run(garbage, '--json');
    expect(JSON.parse(gj.stdout)).toMatchObject({ verified: false, error: { code: 'PARSE' } });
  });

  it('exits 2 on usage errors and prints help', async () => {
    expect((await run()).code).toBe(2);
    expect((await run('a', 'b')).code).toBe(2);
    expect((await run('--bundle', 'x')).stderr).toMatch(/unknown option --bundle/);
    expect((await run(path.join(TMP, 'missing.json'))).code).toBe(2);
    const help = await run('--help');
    expect([help.code, help.stdout.startsWith('usage: sigvet inspect')]).toEqual([0, true]);
  });
});
