/**
 * Real Sigstore data for unit tests: the repository's generated test vectors
 * (always present) and the shared conformance cases (optional: tests that
 * need them skip, with a visible note, when /work/shared is absent).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The repository's generated test vectors. */
export const VECTORS = path.join(REPO_ROOT, 'test-vectors');
/** The shared conformance cases (read-only, may be absent). */
export const CONFORMANCE = path.resolve(REPO_ROOT, '../shared/conformance');
/** True when the shared conformance cases are available. */
export const haveConformance = existsSync(path.join(CONFORMANCE, 'CASES.json'));

const warned = new Set<string>();
/** Logs, once per suite, that conformance-based tests are skipped. */
export function warnIfNoConformance(suite: string): void {
  if (!haveConformance && !warned.has(suite)) {
    warned.add(suite);
    console.warn(`${suite}: conformance data skipped: ${CONFORMANCE} is absent`);
  }
}

/** A JSON-shaped value (what `JSON.parse` returns). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

/** Reads and parses a JSON file. */
export function readJson(file: string): Json {
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** A test-vector case's bundle, as a fresh JSON object. */
export function vectorBundle(name: string): Json {
  return readJson(path.join(VECTORS, name, 'bundle.sigstore.json'));
}

/** A test-vector case's trusted root JSON text. */
export function vectorTrustedRoot(name: string): string {
  return readFileSync(path.join(VECTORS, name, 'trusted_root.json'), 'utf8');
}

/** A test-vector case's artifact bytes. */
export function vectorArtifact(name: string): Uint8Array {
  return new Uint8Array(readFileSync(path.join(VECTORS, name, 'artifact')));
}

/** A conformance case's bundle, as a fresh JSON object. */
export function conformanceBundle(name: string): Json {
  return readJson(path.join(CONFORMANCE, name, 'bundle.sigstore.json'));
}

/** A conformance case's trusted root text, or the public-good default. */
export function conformanceTrustedRoot(name?: string): string {
  const own = name === undefined ? undefined : path.join(CONFORMANCE, name, 'trusted_root.json');
  return readFileSync(own && existsSync(own) ? own : path.join(CONFORMANCE, 'public_good_trusted_root.json'), 'utf8');
}

/** Standard or URL-safe base64 to bytes (test-side decoder, independent of sigvet's). */
export function b64(s: string): Uint8Array {
  return new Uint8Array(Buffer.from(s, 'base64'));
}

/** Bytes to standard padded base64 (test-side encoder). */
export function toB64(b: Uint8Array): string {
  return Buffer.from(b).toString('base64');
}

/** A deep copy of a JSON value. */
export function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}
