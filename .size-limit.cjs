// Size budgets, checked in CI by `npm run size` (size-limit, esbuild,
// minified + gzip). Each entry point is measured on its own, as an
// application that imports only it would ship it; scripts/runtimes/sizes.mjs
// writes the results to docs/sizes.md.
//
// The core is measured the way a browser bundler ships it: @noble/curves is
// reached only through a dynamic import (ECDSA over a bare digest, and
// Ed25519 where WebCrypto lacks it), so a code-splitting bundler puts it in a
// lazy chunk; that chunk is the `sigvet/noble` row.

/** The CLI and the Node entry run on Node: bundle with Node's builtins external. */
const forNode = (config) => ({ ...config, platform: 'node' });

/**
 * The verifier's lazy chunks (dist/lazy/*.js, loaded by dynamic import only
 * when a bundle needs them: the RFC 3161 code, the embedded public-good
 * root) stay out of the initial chunk, as a code-splitting bundler ships
 * them; each has its own row below.
 */
const lazyChunksExternal = (config) => ({
  ...config,
  plugins: [
    ...(config.plugins ?? []),
    {
      name: 'sigvet-lazy-chunks',
      setup(build) {
        build.onResolve({ filter: /(^|\/)lazy\// }, (args) => ({ path: args.path, external: true }));
      },
    },
  ],
});

const checks = [
  {
    name: 'sigvet (verification core, browser)',
    path: 'dist/index.web.js',
    import: '{ createVerifier, SigvetError, isSigvetError }',
    ignore: ['@noble/curves'],
    gzip: true,
    modifyEsbuildConfig: lazyChunksExternal,
    limit: '35 kB',
  },
  // Each lazy chunk measured on its own, with everything it imports: an
  // upper bound of what loading it adds (code it shares with the core is
  // counted again here).
  ...[
    ['RFC 3161 timestamps', 'timestamp', '20 kB'],
    ['in-toto statement parser', 'in-toto-statement', '15 kB'],
    ['embedded public-good root', 'public-good-root', '5 kB'],
    ['RSA over a digest', 'rsa', '10 kB'],
    ['SHA-256/384/512 for streams', 'js-hashes', '6 kB'],
  ].map(([what, file, limit]) => ({
    name: `sigvet lazy chunk: ${what}`,
    path: `dist/lazy/${file}.js`,
    gzip: true,
    limit,
  })),
  {
    name: 'sigvet (every export, browser)',
    path: 'dist/index.web.js',
    ignore: ['@noble/curves'],
    gzip: true,
    limit: '50 kB',
  },
  {
    name: 'sigvet/noble',
    path: 'dist/noble.js',
    import: '{ nobleProvider }',
    gzip: true,
    limit: '35 kB',
  },
  {
    name: 'sigvet/attestations',
    path: 'dist/attestations.js',
    gzip: true,
    limit: '40 kB',
  },
  {
    name: 'sigvet/policy',
    path: 'dist/policy.js',
    gzip: true,
    limit: '60 kB',
  },
  {
    name: 'sigvet/policy-import',
    path: 'dist/policy-import.js',
    gzip: true,
    limit: '60 kB',
  },
  {
    name: 'sigvet/oci',
    path: 'dist/oci.js',
    gzip: true,
    limit: '40 kB',
  },
  {
    // One self-contained file with @noble inlined (start-up: one module to
    // load); the code it needs only on demand is in it too, run on first use.
    name: 'sigvet (Node entry)',
    path: 'dist/index.node.js',
    gzip: true,
    limit: '70 kB',
    modifyEsbuildConfig: forNode,
  },
  {
    name: 'sigvet/tuf',
    path: 'dist/tuf.js',
    ignore: ['tuf-js'],
    gzip: true,
    limit: '20 kB',
    modifyEsbuildConfig: forNode,
  },
  {
    // 31 kB with the WebCrypto provider's synchronous JavaScript SHA-256
    // (Merkle and leaf hashes in browsers, ~1 kB), which the client imports.
    name: 'sigvet/tuf (browsers, workers)',
    path: 'dist/tuf-web.js',
    ignore: ['@noble/curves'],
    gzip: true,
    limit: '32 kB',
  },
  {
    name: 'dist/browser/sigvet.js',
    path: 'dist/browser/sigvet.js',
    gzip: true,
    limit: '70 kB',
  },
  {
    name: 'CLI (dist/cli.js)',
    path: 'dist/cli.js',
    gzip: true,
    limit: '250 kB',
    modifyEsbuildConfig: forNode,
  },
];

/**
 * What each row measures, for docs/sizes.md. Kept off the checks: size-limit
 * rejects options it does not know.
 */
const DESCRIPTIONS = {
  'sigvet (verification core, browser)': 'createVerifier + errors from the WebCrypto entry, as a code-splitting bundler ships it: the initial chunk (the lazy chunks below and @noble/curves load on demand)',
  'sigvet lazy chunk: RFC 3161 timestamps': 'loaded on the first bundle with an RFC 3161 timestamp (CMS, ESS, SHA-1/384/512)',
  'sigvet lazy chunk: in-toto statement parser': 'loaded on the first DSSE bundle with an in-toto payload',
  'sigvet lazy chunk: embedded public-good root': 'loaded by createVerifier() when no trustedRoot is given',
  'sigvet lazy chunk: RSA over a digest': 'loaded when an RSA signature is checked against a given digest (digest-only input)',
  'sigvet lazy chunk: SHA-256/384/512 for streams': 'the incremental @noble SHA-2 hashers, loaded for a streamed artifact on a runtime without a native incremental hash (WebCrypto)',
  'sigvet (every export, browser)': 'everything the WebCrypto entry exports (bundle/trusted-root parsers, statement parser, …)',
  'sigvet/noble': 'the pure-JavaScript provider (@noble/curves), also the lazy chunk of the core',
  'sigvet/attestations': 'statement and predicate models with the compiled schema validators',
  'sigvet/policy': 'the policy engine',
  'sigvet/policy-import': 'importers of other policy formats',
  'sigvet/oci': 'OCI image references and signatures',
  'sigvet (Node entry)': 'the node:crypto entry, one self-contained file (@noble and the on-demand code inlined; Node builtins external)',
  'sigvet/tuf': 'trusted-root refresh over TUF, Node only (tuf-js, an optional peer dependency, not counted)',
  'sigvet/tuf (browsers, workers)': 'the TUF client written for the web (fetch, WebCrypto, memory or IndexedDB cache), chosen by the browser/worker/default conditions',
  'dist/browser/sigvet.js': 'the self-contained browser file (no bundler needed; includes @noble/curves)',
  'CLI (dist/cli.js)': 'the command line with every command chunk (Node builtins external)',
};

module.exports = checks;
Object.defineProperty(module.exports, 'descriptions', { value: DESCRIPTIONS, enumerable: false });
