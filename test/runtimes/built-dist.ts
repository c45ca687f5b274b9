/**
 * The build the browser and package tests load. Normally dist/, rebuilt
 * when stale (see test/build/ensure-build.ts). $SIGVET_TEST_DIST points
 * them at another build instead (a copy of dist/, e.g. while a watcher or
 * another checkout keeps rebuilding the tree); then nothing is built.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DIST, ensureBuild } from '../build/ensure-build.js';

/** Absolute path of the dist/ directory to test; builds it first when it is the repository's. */
export async function builtDist(): Promise<string> {
  const override = process.env.SIGVET_TEST_DIST;
  if (override) {
    const dir = path.resolve(override);
    if (!fs.existsSync(path.join(dir, 'browser', 'sigvet.js'))) throw new Error(`SIGVET_TEST_DIST=${override} holds no browser/sigvet.js`);
    return dir;
  }
  await ensureBuild();
  return DIST;
}
