#!/usr/bin/env node
// `npm run fuzz -- --minutes N`: bundles fuzz/campaign.ts (and the sigvet
// sources it imports) with esbuild into node_modules/.cache, then runs it.
// Dependencies stay external and resolve from node_modules as usual.
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outfile = path.join(repo, 'node_modules', '.cache', 'sigvet-hostile', 'fuzz-campaign.mjs');
await build({
  entryPoints: [path.join(repo, 'fuzz', 'campaign.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  outfile,
  logLevel: 'warning',
});
const { main } = await import(pathToFileURL(outfile).href);
process.exitCode = await main(process.argv.slice(2));
