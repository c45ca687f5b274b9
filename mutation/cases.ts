/**
 * The valid cases the mutation engine and the fuzzers start from: the pass
 * cases of sigvet's own vectors (test-vectors/) and, when the folder exists,
 * of the shared sigstore-conformance subset (../shared/conformance).
 *
 * Node-only tooling (reads files); not part of the library.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExpectedIdentity } from '../src/api.js';

/**
 * The repository root: the nearest folder above this module holding sigvet's
 * package.json (found by walking up, so the module also works when bundled
 * into node_modules/.cache by `npm run mutate` / `npm run fuzz`).
 */
export const REPO_ROOT = findRepoRoot(path.dirname(fileURLToPath(import.meta.url)));

function findRepoRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg) && existsSync(path.join(dir, 'test-vectors'))) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'sigvet') return dir;
      } catch {
        /* keep walking */
      }
    }
    if (path.dirname(dir) === dir) throw new Error(`cannot find the sigvet repository above ${from}`);
  }
}
/** sigvet's own vectors. */
export const VECTORS_DIR = path.join(REPO_ROOT, 'test-vectors');
/** The shared conformance subset; may be absent (a plain clone). */
export const CONFORMANCE_DIR = path.resolve(REPO_ROOT, '../shared/conformance');

/** A passing case with its files read. */
export interface ValidCase {
  /** `<suite>/<name>`, suite `test-vectors` or `conformance`. */
  readonly id: string;
  readonly suite: 'test-vectors' | 'conformance';
  readonly name: string;
  readonly bundleText: string;
  readonly trustedRootText: string;
  readonly artifact: Uint8Array;
  /** `sha256:<hex>` of the artifact. */
  readonly artifactDigest: string;
  /** The expected identity, for certificate bundles. */
  readonly identity: { readonly subjectAlternativeName: string; readonly issuer: string } | undefined;
  /** The managed key (PEM), for key bundles. */
  readonly keyPem: string | undefined;
}

interface ManifestCase {
  readonly name: string;
  readonly expect: 'pass' | 'fail';
  readonly bundle: string;
  readonly artifact: string;
  readonly identity: string | null;
  readonly issuer: string | null;
  readonly key: string | null;
  readonly trusted_root: string;
}

function readSuite(suite: ValidCase['suite'], dir: string): ValidCase[] {
  const manifest = JSON.parse(readFileSync(path.join(dir, 'CASES.json'), 'utf8')) as { cases: ManifestCase[] };
  return manifest.cases
    .filter((c) => c.expect === 'pass')
    .map((c) => {
      const artifact = new Uint8Array(readFileSync(path.join(dir, c.artifact)));
      return {
        id: `${suite}/${c.name}`,
        suite,
        name: c.name,
        bundleText: readFileSync(path.join(dir, c.bundle), 'utf8'),
        trustedRootText: readFileSync(path.join(dir, c.trusted_root), 'utf8'),
        artifact,
        artifactDigest: `sha256:${createHash('sha256').update(artifact).digest('hex')}`,
        identity:
          c.identity !== null && c.issuer !== null ? { subjectAlternativeName: c.identity, issuer: c.issuer } : undefined,
        keyPem: c.key === null ? undefined : readFileSync(path.join(dir, c.key), 'utf8'),
      };
    });
}

/** True when the shared conformance subset is present. */
export function hasConformance(): boolean {
  return existsSync(path.join(CONFORMANCE_DIR, 'CASES.json'));
}

/** Every valid case: test-vectors first, then conformance (when present). */
export function loadValidCases(): ValidCase[] {
  const out = readSuite('test-vectors', VECTORS_DIR);
  if (hasConformance()) out.push(...readSuite('conformance', CONFORMANCE_DIR));
  return out;
}

/** The identity a case expects, typed for the API. */
export function identityOf(c: ValidCase): ExpectedIdentity | undefined {
  return c.identity;
}
