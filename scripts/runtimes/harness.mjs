// The runtime-native harness: runs inside Node, Bun or Deno, from a project
// that installed the packed sigvet tarball, and verifies every case of the
// given CASES.json folders through the package as that runtime resolves it
// (export conditions `node` / `bun` / `deno`, ESM and CommonJS).
//
//   <runtime> harness.mjs --suite NAME=DIR [--suite NAME=DIR ...] [--out FILE]
//
// For each case and each mode (artifact bytes, `sha256:` digest) it verifies
// with the entry's own provider (createVerifier), with `sigvet/noble`, and
// with the CommonJS build when require() picks another provider;
// cases that use the default public-good root are verified with the
// embedded root (no trustedRoot option). A run passes when every outcome
// matches the case (`expect`, and `expected_error_code` where the manifest
// gives one) and the runtime resolved the entry the exports map promises.
//
// Prints one line per failure and a summary; writes the full result as JSON
// to --out (or as the last stdout line, prefixed `SIGVET_HARNESS_RESULT `).
// Uses only what all three runtimes provide: node:fs, node:path,
// node:module (createRequire) and WebCrypto.

import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

function parseArgs(argv) {
  const suites = [];
  let out;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--suite' && i + 1 < argv.length) {
      const v = argv[++i];
      const eq = v.indexOf('=');
      if (eq <= 0) throw new Error(`--suite wants NAME=DIR, got ${v}`);
      suites.push({ name: v.slice(0, eq), dir: path.resolve(v.slice(eq + 1)) });
    } else if (a === '--out' && i + 1 < argv.length) {
      out = path.resolve(argv[++i]);
    } else {
      throw new Error(`unknown argument ${a}`);
    }
  }
  if (suites.length === 0) throw new Error('at least one --suite NAME=DIR is required');
  return { suites, out };
}

/** Which runtime this is, by the globals each one defines. */
function runtimeInfo() {
  const g = globalThis;
  if (typeof g.Deno !== 'undefined') return { name: 'deno', version: g.Deno.version.deno };
  if (typeof g.Bun !== 'undefined') return { name: 'bun', version: g.Bun.version };
  return { name: 'node', version: g.process?.versions?.node ?? 'unknown' };
}

/** The part of a resolved file URL or path below the package, e.g. `dist/index.web.js`. */
function packageRelative(resolved) {
  const s = String(resolved).replaceAll('\\', '/');
  const at = s.lastIndexOf('/node_modules/sigvet/');
  return at >= 0 ? s.slice(at + '/node_modules/sigvet/'.length) : s;
}

/** The name of the provider an entry builds verifiers with. */
function entryProvider(mod) {
  if (mod.nodeCryptoProvider) return mod.nodeCryptoProvider.name;
  if (mod.webCryptoProvider) return mod.webCryptoProvider.name;
  return 'unknown';
}

/** One verification, reported as plain data (never throws). */
async function attempt(verifierPromise, bundle, input) {
  try {
    const verifier = await verifierPromise;
    const result = await verifier.verify(bundle, input);
    return { ok: true, signer: result.signer.type };
  } catch (err) {
    return {
      ok: false,
      code: err && typeof err.code === 'string' ? err.code : undefined,
      check: err && typeof err.check === 'string' ? err.check : undefined,
      name: String(err && err.name),
      message: String(err && err.message).slice(0, 300),
    };
  }
}

async function main() {
  const started = Date.now();
  const { suites, out } = parseArgs((globalThis.Deno ? globalThis.Deno.args : globalThis.process.argv.slice(2)));
  const runtime = runtimeInfo();

  // How this runtime resolves the package: ESM import and CommonJS require.
  const esm = await import('sigvet');
  const noble = await import('sigvet/noble');
  let esmEntry = 'unknown';
  try {
    esmEntry = packageRelative(import.meta.resolve('sigvet'));
  } catch (err) {
    esmEntry = `unresolved: ${err && err.message}`;
  }
  const require = createRequire(import.meta.url);
  let cjs = { entry: 'unknown', provider: 'unknown', sameApi: false };
  let cjsModule;
  try {
    cjsModule = require('sigvet');
    // CommonJS must offer everything ESM does. Where require() picks the
    // other build (Deno), it differs in its provider and Node-only helpers.
    const providerNames = ['nodeCryptoProvider', 'webCryptoProvider'];
    const missing = Object.keys(esm).filter((k) => k !== 'default' && !providerNames.includes(k) && !(k in cjsModule));
    cjs = {
      entry: packageRelative(require.resolve('sigvet')),
      provider: entryProvider(cjsModule),
      sameApi: missing.length === 0,
      missing,
    };
  } catch (err) {
    cjs = { entry: `error: ${err && err.message}`, provider: 'unknown', sameApi: false };
  }

  const providers = [
    { name: entryProvider(esm), create: (root) => (root === undefined ? esm.createVerifier() : esm.createVerifier({ trustedRoot: root })) },
    {
      name: noble.nobleProvider.name,
      create: (root) => esm.createVerifierWith(noble.nobleProvider, { trustedRoot: root ?? esm.PUBLIC_GOOD_TRUSTED_ROOT_JSON }),
    },
  ];
  // Where require() loads another build (Deno: the node:crypto one), verify with it too.
  if (cjsModule && entryProvider(cjsModule) !== entryProvider(esm)) {
    providers.push({
      name: `${entryProvider(cjsModule)} (require)`,
      create: (root) => (root === undefined ? cjsModule.createVerifier() : cjsModule.createVerifier({ trustedRoot: root })),
    });
  }

  const result = {
    runtime,
    webCrypto: typeof globalThis.crypto?.subtle?.verify === 'function',
    esm: { entry: esmEntry, provider: entryProvider(esm) },
    cjs,
    noble: { provider: noble.nobleProvider.name },
    suites: {},
    durationMs: 0,
  };

  for (const suite of suites) {
    const manifest = JSON.parse(await readFile(path.join(suite.dir, 'CASES.json'), 'utf8'));
    const read = (p) => readFile(path.join(suite.dir, p));
    const perProvider = {};
    for (const provider of providers) {
      const verifiers = new Map();
      const verifierFor = async (c) => {
        // The default public-good root is what the package embeds: verify with it.
        const key = c.trusted_root_is_default ? '(embedded)' : c.trusted_root;
        if (!verifiers.has(key)) {
          verifiers.set(key, c.trusted_root_is_default ? provider.create(undefined) : provider.create(await read(c.trusted_root)));
          // A rejected verifier is reported per case, not as an unhandled rejection.
          verifiers.get(key).catch(() => {});
        }
        return verifiers.get(key);
      };
      const tally = { passed: 0, failed: 0, failures: [] };
      for (const c of manifest.cases) {
        const bundle = new TextDecoder().decode(await read(c.bundle));
        for (const mode of c.modes ?? ['path', 'digest']) {
          const input = {};
          if (mode === 'path') input.artifact = new Uint8Array(await read(c.artifact));
          else input.artifactDigest = c.artifact_digest;
          if (c.key) input.key = new TextDecoder().decode(await read(c.key));
          else input.identity = { subjectAlternativeName: c.identity, issuer: c.issuer };
          const got = await attempt(verifierFor(c), bundle, input);
          const wantCode = c.expected_error_code ?? undefined;
          const ok =
            c.expect === 'pass' ? got.ok : !got.ok && got.name === 'SigvetError' && (wantCode === undefined || got.code === wantCode);
          if (ok) {
            tally.passed++;
          } else {
            tally.failed++;
            tally.failures.push({
              case: c.name,
              mode,
              expected: c.expect === 'pass' ? 'pass' : `fail${wantCode ? ` ${wantCode}` : ''}`,
              got: got.ok ? 'pass' : `${got.name} ${got.code ?? ''} ${got.check ?? ''}: ${got.message}`,
            });
          }
        }
      }
      perProvider[provider.name] = tally;
    }
    result.suites[suite.name] = { cases: manifest.cases.length, providers: perProvider };
  }
  result.durationMs = Date.now() - started;

  for (const [suiteName, suite] of Object.entries(result.suites)) {
    for (const [providerName, tally] of Object.entries(suite.providers)) {
      for (const f of tally.failures) {
        console.log(`FAIL ${suiteName} [${providerName}] ${f.case} [${f.mode}]: expected ${f.expected}, got ${f.got}`);
      }
      console.log(`${runtime.name} ${runtime.version} ${suiteName} [${providerName}]: ${tally.passed} passed, ${tally.failed} failed`);
    }
  }
  console.log(`resolved: import -> ${result.esm.entry} (${result.esm.provider}), require -> ${result.cjs.entry} (${result.cjs.provider})`);
  const json = JSON.stringify(result);
  if (out) await writeFile(out, json + '\n');
  else console.log(`SIGVET_HARNESS_RESULT ${json}`);
}

main().catch((err) => {
  console.error(`harness: ${err && err.stack ? err.stack : err}`);
  if (globalThis.Deno) globalThis.Deno.exit(2);
  else globalThis.process.exit(2);
});
