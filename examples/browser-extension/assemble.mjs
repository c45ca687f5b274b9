#!/usr/bin/env node
// Assembles the unpacked extension: this folder's files plus sigvet's browser
// build as vendor/sigvet.js (extensions may only run code they ship).
//
//   node examples/browser-extension/assemble.mjs [--out DIR] [--dist DIR]
//
// Default: dist/browser-extension/, from dist/browser/sigvet.js (run
// `npm run build` first). Load the output in chrome://extensions with
// "Load unpacked".
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '..', '..');

/** The files the extension consists of (everything else here is for developers). */
export const EXTENSION_FILES = [
  'manifest.json',
  'background.js',
  'common.js',
  'popup.html',
  'popup.js',
  'options.html',
  'options.js',
  'verify.html',
  'verify.js',
  'style.css',
];

/** Copies the extension into `out`; returns `out`. */
export function assembleExtension({ out = path.join(REPO, 'dist', 'browser-extension'), dist = path.join(REPO, 'dist') } = {}) {
  const sigvet = path.join(dist, 'browser', 'sigvet.js');
  if (!fs.existsSync(sigvet)) throw new Error(`${sigvet} not found: run \`npm run build\` first`);
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(path.join(out, 'vendor'), { recursive: true });
  for (const f of EXTENSION_FILES) fs.copyFileSync(path.join(HERE, f), path.join(out, f));
  fs.copyFileSync(sigvet, path.join(out, 'vendor', 'sigvet.js'));
  return out;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const arg = (name) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? path.resolve(process.argv[i + 1]) : undefined;
  };
  try {
    const out = assembleExtension({ out: arg('--out'), dist: arg('--dist') });
    process.stdout.write(`extension assembled in ${path.relative(process.cwd(), out) || '.'}\n`);
  } catch (err) {
    process.stderr.write(`${err.message}\n`);
    process.exitCode = 1;
  }
}
