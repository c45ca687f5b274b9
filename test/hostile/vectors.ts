/**
 * Test helpers for hostile-input tests: load a case of test-vectors/ (or of
 * ../shared/conformance) by name, edit its bundle or trusted root as JSON,
 * and verify it through the public API, expecting a typed refusal.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { createVerifierWith, SigvetError, type VerifierOptions, type VerifyInput, type VerificationResult } from '../../src/api.js';
import { nodeCryptoProvider } from '../../src/crypto/node.js';
import type { CryptoProvider } from '../../src/crypto/provider.js';
import { CONFORMANCE_DIR, VECTORS_DIR } from '../../mutation/cases.js';

/** A case's files, read. */
export interface LoadedCase {
  readonly name: string;
  readonly bundle: string;
  readonly trustedRoot: string;
  readonly artifact: Uint8Array;
  readonly input: VerifyInput;
}

/** Reads case `name` from test-vectors/ (suite `vectors`) or the shared conformance folder; undefined if absent. */
export function loadCase(name: string, suite: 'vectors' | 'conformance' = 'vectors'): LoadedCase | undefined {
  const root = suite === 'vectors' ? VECTORS_DIR : CONFORMANCE_DIR;
  const dir = path.join(root, name);
  if (!existsSync(path.join(dir, 'bundle.sigstore.json'))) return undefined;
  const read = (f: string): string => readFileSync(path.join(dir, f), 'utf8');
  const artifact = new Uint8Array(readFileSync(path.join(dir, 'artifact')));
  const trustedRoot = existsSync(path.join(dir, 'trusted_root.json'))
    ? read('trusted_root.json')
    : readFileSync(path.join(root, 'trusted_root.json'), 'utf8');
  const input: VerifyInput = existsSync(path.join(dir, 'key.pub'))
    ? { artifact, key: read('key.pub') }
    : { artifact, identity: { subjectAlternativeName: read('identity').trim(), issuer: read('issuer').trim() } };
  return { name, bundle: read('bundle.sigstore.json'), trustedRoot, artifact, input };
}

/** Like {@link loadCase} but fails the test when the case is missing. */
export function mustLoad(name: string, suite: 'vectors' | 'conformance' = 'vectors'): LoadedCase {
  const c = loadCase(name, suite);
  if (!c) throw new Error(`case ${name} not found in ${suite}`);
  return c;
}

/** A JSON document edited in place by `f`, re-serialized. */
export function editJson(text: string, f: (doc: any) => void): string {
  const doc = JSON.parse(text);
  f(doc);
  return JSON.stringify(doc);
}

/** Verifies a bundle through the public API. */
export async function verify(
  c: Pick<LoadedCase, 'trustedRoot' | 'input'>,
  bundle: string | Uint8Array | object,
  opts: { input?: Partial<VerifyInput>; options?: Omit<VerifierOptions, 'trustedRoot'>; trustedRoot?: string; provider?: CryptoProvider } = {},
): Promise<VerificationResult> {
  const v = await createVerifierWith(opts.provider ?? nodeCryptoProvider, { trustedRoot: opts.trustedRoot ?? c.trustedRoot, ...(opts.options ?? {}) });
  return v.verify(bundle, { ...c.input, ...(opts.input ?? {}) } as VerifyInput);
}

/** Awaits `p`, which must reject with a SigvetError of `code` (and `check` matching, when given). */
export async function refused(p: Promise<unknown>, code: string, check?: string | RegExp): Promise<SigvetError> {
  let err: unknown;
  try {
    await p;
  } catch (e) {
    err = e;
  }
  expect(err, 'expected a refusal, but verification succeeded').toBeDefined();
  expect(err, `not a SigvetError: ${String(err)}`).toBeInstanceOf(SigvetError);
  const e = err as SigvetError;
  expect(e.code, `${e.check}: ${e.message}`).toBe(code);
  if (check instanceof RegExp) expect(e.check, e.message).toMatch(check);
  else if (check !== undefined) expect(e.check, e.message).toBe(check);
  return e;
}

/** Runs `f` (sync), which must throw a SigvetError of `code`. */
export function throwsCode(f: () => unknown, code: string, check?: string | RegExp): SigvetError {
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(err, 'expected a SigvetError, nothing was thrown').toBeInstanceOf(SigvetError);
  const e = err as SigvetError;
  expect(e.code, `${e.check}: ${e.message}`).toBe(code);
  if (check instanceof RegExp) expect(e.check, e.message).toMatch(check);
  else if (check !== undefined) expect(e.check, e.message).toBe(check);
  return e;
}

/** DER length octets (minimal). */
export function derLength(n: number): number[] {
  if (n < 0x80) return [n];
  const out: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) out.unshift(v & 0xff);
  return [0x80 | out.length, ...out];
}

/** One DER TLV. */
export function tlv(tag: number, content: Uint8Array | number[]): Uint8Array {
  const c = content instanceof Uint8Array ? [...content] : content;
  return new Uint8Array([tag, ...derLength(c.length), ...c]);
}

/** Concatenates byte arrays. */
export function cat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** base64 of bytes (standard, padded). */
export function b64(b: Uint8Array): string {
  return Buffer.from(b).toString('base64');
}

/** Bytes of base64 (standard or URL-safe). */
export function unb64(s: string): Uint8Array {
  return new Uint8Array(Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64'));
}
