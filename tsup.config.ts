/**
 * Build: three independent outputs, all under dist/ (package.json `build`
 * empties dist first, so none of them cleans and they can run in parallel).
 *
 * 1. The library (`sigvet`, `sigvet/noble`, `sigvet/attestations`): ESM + CJS + .d.ts/.d.cts,
 *    dependencies left external so applications dedupe @noble/*; the Node
 *    entry is one self-contained file (start-up time).
 * 2. The CLI (`bin: sigvet` → dist/cli.js): one self-contained ESM file for
 *    Node, so start-up does no module resolution in node_modules.
 * 3. dist/browser/sigvet.js (and browser/attestations.js, the schema-validated
 *    attestation models): the web entry with every dependency inlined, so
 *    a page can `import` it with no bundler and no import map (used by
 *    test/browser; also usable straight from a CDN).
 */
import { defineConfig, type Options } from 'tsup';

/** Settings every output shares: readable, modern, reproducible. */
const common = {
  target: 'es2022',
  sourcemap: false,
  minify: false,
  treeshake: true,
  clean: false,
  outDir: 'dist',
  // Keep `node:` specifiers: Deno and bundlers need them, Node 20 has them.
  removeNodeProtocol: false,
  // tsconfig.node.json adds Node's types, needed by the Node entry's .d.ts;
  // the core is still checked without them by `npm run typecheck`.
  tsconfig: 'tsconfig.node.json',
} satisfies Options;

export default defineConfig([
  {
    ...common,
    entry: {
      'index.web': 'src/index.web.ts',
      noble: 'src/noble.ts',
      oci: 'src/oci.ts',
      policy: 'src/policy.ts',
      'policy-import': 'src/policy-import.ts',
      attestations: 'src/attestations.ts',
      tuf: 'src/tuf.ts',
      'tuf-web': 'src/tuf-web.ts',
      // Loaded on demand by the verifier (dynamic imports): entries so their
      // ESM files have stable names a size check (and a CSP) can point at.
      'lazy/timestamp': 'src/timestamp/rfc3161.ts',
      'lazy/public-good-root': 'src/trust/public-good-root.ts',
      'lazy/noble-provider': 'src/crypto/noble.ts',
      'lazy/rsa': 'src/crypto/rsa.ts',
      'lazy/js-hashes': 'src/crypto/js-hashes.ts',
      'lazy/in-toto-statement': 'src/intoto/statement.ts',
    },
    format: ['esm', 'cjs'],
    // Neutral: no runtime's builtins are assumed; only the Node entry names
    // `node:` modules, and those stay imports.
    platform: 'neutral',
    external: [/^node:/],
    dts: true,
    // ESM entries share chunks, so `sigvet` and `sigvet/noble` loaded
    // together hold one copy of the core (one SigvetError class).
    splitting: true,
  },
  {
    ...common,
    // The Node entry (`sigvet` under the `node` condition) is one file with
    // @noble inlined: a cold `import` then resolves and links one module
    // instead of ~20 chunks and node_modules packages (16 → 9 ms on Node 22).
    // Code it loads on demand (timestamps, the embedded root, @noble/curves)
    // is inlined as functions run on first use. It shares no chunk with the
    // other entries; SigvetError's `instanceof` holds across copies (a
    // registered brand), and everything else crosses entries as plain data.
    entry: { 'index.node': 'src/index.node.ts' },
    format: ['esm', 'cjs'],
    platform: 'neutral',
    external: [/^node:/],
    noExternal: [/^@noble\//],
    dts: true,
    splitting: false,
  },
  {
    ...common,
    entry: { cli: 'src/cli/main.ts' },
    format: ['esm'],
    platform: 'node',
    target: 'node20',
    noExternal: [/.*/],
    // Each command (and @noble, needed only for digest-only ECDSA) is its own
    // chunk, loaded when used: a one-shot `verify-bundle` parses only what it runs.
    splitting: true,
    esbuildOptions(options) {
      options.chunkNames = 'cli-chunks/[name]-[hash]';
    },
    dts: false,
    // tsup marks files that start with a hashbang executable. The CLI
    // source must not carry its own (it would be duplicated).
    banner: { js: '#!/usr/bin/env node' },
  },
  {
    ...common,
    entry: { 'browser/sigvet': 'src/index.web.ts', 'browser/attestations': 'src/attestations.ts', 'browser/policy': 'src/policy.ts' },
    format: ['esm'],
    platform: 'browser',
    noExternal: [/.*/],
    splitting: false,
    dts: false,
  },
]);
