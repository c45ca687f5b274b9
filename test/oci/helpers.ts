/**
 * Shared test helpers for the OCI layer: a Node file reader for image
 * layouts, the fixture builder (scripts/oci), and a verifier over the
 * fixtures' private trusted root.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createVerifierWith } from '../../src/verify/verifier.js';
import { nodeCryptoProvider } from '../../src/crypto/node.js';
import type { Verifier } from '../../src/verify/verifier.js';
import type { LayoutFileReader } from '../../src/oci/layout.js';

export const REPO_ROOT = resolve(__dirname, '../..');
export const OCI_VECTORS = join(REPO_ROOT, 'test-vectors/oci');

/** Reads layout files from `dir`; `undefined` for a missing file. */
export function dirReader(dir: string): LayoutFileReader {
  return async (rel) => {
    try {
      const b = await readFile(join(dir, rel));
      return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  };
}

/** A verifier over `trustedRoot` with node:crypto. */
export function verifierFor(trustedRoot: object | string): Promise<Verifier> {
  return createVerifierWith(nodeCryptoProvider, { trustedRoot });
}
