/**
 * Bundle size: the validators live behind `sigvet/attestations`, so an
 * application that only verifies signatures does not carry them. Bundles
 * both entries from source with esbuild (minified, as an application
 * bundler would) and checks where the validator code ends up.
 */
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Budget for the minified attestations entry (validators included). */
const ATTESTATIONS_BUDGET_BYTES = 160 * 1024;

async function bundle(entry: string): Promise<string> {
  const r = await build({
    entryPoints: [path.join(REPO, entry)],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  return r.outputFiles[0]!.text;
}

// A string only the compiled validators contain (an ajv schemaPath of the SLSA schema).
const VALIDATOR_MARK = 'slsa-provenance-v1.schema.json';

describe('entry points', () => {
  it('sigvet (web) carries no schema validators; sigvet/attestations does, within budget', async () => {
    const [web, attestations] = await Promise.all([bundle('src/index.web.ts'), bundle('src/attestations.ts')]);
    expect(web).not.toContain(VALIDATOR_MARK);
    expect(web).not.toContain('must match format');
    expect(attestations).toContain(VALIDATOR_MARK);
    const size = Buffer.byteLength(attestations);
    const gz = gzipSync(attestations, { level: 9 }).length;
    console.info(`sigvet/attestations bundle: ${(size / 1024).toFixed(1)} KiB minified, ${(gz / 1024).toFixed(1)} KiB gzip`);
    expect(size).toBeLessThan(ATTESTATIONS_BUDGET_BYTES);
  }, 60_000);
});
