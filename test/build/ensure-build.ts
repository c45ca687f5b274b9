/**
 * Shared by the tests that inspect or load dist/: locates the repository and
 * makes sure dist/ is a build of the current sources. `npm test` builds
 * first, so there this is a cheap freshness check; a lone
 * `npx vitest run test/build` rebuilds once when sources are newer.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Absolute path of the repository root. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Absolute path of the build output directory. */
export const DIST = path.join(REPO_ROOT, 'dist');

/** The shared conformance cases (outside the repository; may be absent). */
export const SHARED_CONFORMANCE = path.resolve(REPO_ROOT, '../shared/conformance');

/** Build outputs (relative to dist/) the package.json exports and bin name. */
export const BUILD_OUTPUTS = [
  'index.node.js',
  'index.node.cjs',
  'index.web.js',
  'index.web.cjs',
  'noble.js',
  'noble.cjs',
  'attestations.js',
  'attestations.cjs',
  'cli.js',
  'browser/sigvet.js',
  'browser/attestations.js',
] as const;

/** Inputs whose change makes dist/ stale. */
const BUILD_INPUTS = ['src', 'tsup.config.ts', 'package.json', 'tsconfig.json', 'tsconfig.node.json'];

/** Serializes builds across vitest workers (mkdir is atomic). */
const LOCK_DIR = path.join(REPO_ROOT, 'node_modules', '.cache', 'sigvet-test-build.lock');
const LOCK_STALE_MS = 10 * 60_000;

function newestMtime(entry: string): number {
  const stat = fs.statSync(entry, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const name of fs.readdirSync(entry)) newest = Math.max(newest, newestMtime(path.join(entry, name)));
  return newest;
}

/** True when every output exists and none is older than any input. */
export function buildIsFresh(): boolean {
  let oldestOutput = Infinity;
  for (const out of BUILD_OUTPUTS) {
    const stat = fs.statSync(path.join(DIST, out), { throwIfNoEntry: false });
    if (!stat) return false;
    oldestOutput = Math.min(oldestOutput, stat.mtimeMs);
  }
  const newestInput = Math.max(...BUILD_INPUTS.map((p) => newestMtime(path.join(REPO_ROOT, p))));
  return newestInput <= oldestOutput;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function acquireLock(): Promise<void> {
  fs.mkdirSync(path.dirname(LOCK_DIR), { recursive: true });
  const deadline = Date.now() + LOCK_STALE_MS;
  for (;;) {
    try {
      fs.mkdirSync(LOCK_DIR);
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const stat = fs.statSync(LOCK_DIR, { throwIfNoEntry: false });
    // A crashed run leaves its lock behind; do not wait for it forever.
    if (stat && Date.now() - stat.mtimeMs > LOCK_STALE_MS) fs.rmSync(LOCK_DIR, { recursive: true, force: true });
    if (Date.now() > deadline) throw new Error(`timed out waiting for the build lock ${LOCK_DIR}`);
    await sleep(250);
  }
}

/**
 * Runs `npm run build` unless dist/ is already fresh. Throws with the build
 * output when the build fails (e.g. an entry file is missing).
 */
export async function ensureBuild(): Promise<void> {
  if (buildIsFresh()) return;
  await acquireLock();
  try {
    // Another worker may have built while this one waited.
    if (buildIsFresh()) return;
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const run = spawnSync(npm, ['run', 'build'], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 10 * 60_000 });
    if (run.status !== 0) {
      throw new Error(`npm run build failed (status ${run.status ?? run.signal}):\n${run.stdout}\n${run.stderr}`);
    }
    // Only existence is checked here: sources edited during the build would
    // make a freshness check fail although this build is the newest there is.
    const missing = BUILD_OUTPUTS.filter((out) => !fs.existsSync(path.join(DIST, out)));
    if (missing.length > 0) throw new Error(`npm run build succeeded but did not produce ${missing.join(', ')}`);
  } finally {
    fs.rmSync(LOCK_DIR, { recursive: true, force: true });
  }
}
