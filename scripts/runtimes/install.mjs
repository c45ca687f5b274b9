// Installs the matrix's runtimes from npm into the cache directory (outside
// the repository), once: each runtime in <cache>/<id>-<version>/, reused
// while its binary reports the pinned version.
//
//   node scripts/runtimes/install.mjs [--only id,id]   prints each runtime's binary
//
// Plain Node (>= 20); uses the npm client that runs this script.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RUNTIMES, cacheDir } from './config.mjs';

const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** The version a binary reports, or undefined when it does not run. */
export function reportedVersion(runtime, bin) {
  if (!fs.existsSync(bin)) return undefined;
  const run = spawnSync(bin, ['--version'], { encoding: 'utf8', timeout: 60_000 });
  if (run.status !== 0) return undefined;
  return runtime.versionOf(run.stdout);
}

/**
 * Makes `runtime` available and returns `{ bin, version, source }`.
 * Throws with npm's output when the install fails.
 */
export function ensureRuntime(runtime, { log = (s) => process.stdout.write(`${s}\n`) } = {}) {
  if (runtime.useCurrent()) {
    return { bin: process.execPath, version: process.versions.node, source: 'the Node.js running the matrix' };
  }
  const pkg = runtime.npmPackage();
  if (!pkg) throw new Error(`${runtime.label}: no npm package for ${process.platform}-${process.arch}`);
  const spec = `${pkg}@${runtime.version}`;
  const dir = path.join(cacheDir(), `${runtime.id}-${runtime.version}`);
  let bin = runtime.binary(dir);
  if (reportedVersion(runtime, bin) === runtime.version) return { bin, version: runtime.version, source: `npm ${spec}` };

  log(`installing ${runtime.label} from npm: ${spec} into ${dir}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  // A project of its own, so npm never walks up into another package.json.
  fs.writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify({ name: `sigvet-runtime-${runtime.id}`, private: true }, null, 2)}\n`);
  const run = spawnSync(
    NPM,
    ['install', '--no-audit', '--no-fund', '--no-package-lock', '--ignore-scripts', '--loglevel=error', spec],
    { cwd: dir, encoding: 'utf8', timeout: 10 * 60_000 },
  );
  if (run.status !== 0) {
    throw new Error(`${runtime.label}: npm install ${spec} failed (status ${run.status ?? run.signal}):\n${run.stdout}\n${run.stderr}`);
  }
  bin = runtime.binary(dir);
  const version = reportedVersion(runtime, bin);
  if (version !== runtime.version) {
    throw new Error(`${runtime.label}: ${bin} reports version ${version ?? '(does not run)'}, expected ${runtime.version}`);
  }
  return { bin, version, source: `npm ${spec}` };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const onlyAt = process.argv.indexOf('--only');
  const only = onlyAt > 0 ? new Set(process.argv[onlyAt + 1]?.split(',')) : undefined;
  let failed = false;
  for (const runtime of RUNTIMES) {
    if (only && !only.has(runtime.id)) continue;
    try {
      const { bin, version, source } = ensureRuntime(runtime);
      process.stdout.write(`${runtime.id}\t${version}\t${bin}\t(${source})\n`);
    } catch (err) {
      failed = true;
      process.stderr.write(`${err.message}\n`);
    }
  }
  process.exitCode = failed ? 1 : 0;
}
