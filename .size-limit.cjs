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

const checks = [
  {
    name: 'sigvet (verification core, browser)',
    path: 'dist/index.web.js',
    import: '{ createVerifier, SigvetError, isSigvetError }',
    ignore: ['@noble/curves'],
    gzip: true,
    // The target is 35 kB (issue 10) and is not met yet: 44.2 kB today, of
    // which @noble/hashes' SHA-384/512 and SHA-1 (rare paths that could use
    // the provider's digest) and the embedded public-good root (6.8 kB) are
    // the first candidates. This limit only stops it from growing further.
    limit: '45 kB',
  },
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
    name: 'sigvet (Node entry)',
    path: 'dist/index.node.js',
    ignore: ['@noble/curves'],
    gzip: true,
    limit: '50 kB',
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
  'sigvet (verification core, browser)': 'createVerifier + errors from the WebCrypto entry, as a bundler ships it (lazy @noble/curves chunk excluded)',
  'sigvet (every export, browser)': 'everything the WebCrypto entry exports (bundle/trusted-root parsers, statement parser, …)',
  'sigvet/noble': 'the pure-JavaScript provider (@noble/curves), also the lazy chunk of the core',
  'sigvet/attestations': 'statement and predicate models with the compiled schema validators',
  'sigvet/policy': 'the policy engine',
  'sigvet/policy-import': 'importers of other policy formats',
  'sigvet/oci': 'OCI image references and signatures',
  'sigvet (Node entry)': 'the node:crypto entry (Node builtins external)',
  'sigvet/tuf': 'trusted-root refresh over TUF, Node only (tuf-js, an optional peer dependency, not counted)',
  'dist/browser/sigvet.js': 'the self-contained browser file (no bundler needed; includes @noble/curves)',
  'CLI (dist/cli.js)': 'the command line with every command chunk (Node builtins external)',
};

module.exports = checks;
Object.defineProperty(module.exports, 'descriptions', { value: DESCRIPTIONS, enumerable: false });
