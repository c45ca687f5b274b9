/**
 * The MV3 browser extension (examples/browser-extension/), assembled with
 * the browser build and loaded unpacked into headless Chromium
 * (`--headless=new --load-extension`):
 *
 * - the options page stores the expected signer and a trusted root;
 * - a download with a sidecar bundle (`FILE.sigstore.json`) served from
 *   127.0.0.1 is verified by the service worker and listed as verified in
 *   the popup; a download whose sidecar does not verify is listed with the
 *   error code; a download without a sidecar is listed as unsigned;
 * - the "Verify a file" page verifies a picked file and bundle, and rejects
 *   a bundle for another file.
 *
 * Needs Debian's `chromium` (or $CHROMIUM_PATH): skipped with a note
 * locally, failing under CI.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page, Worker } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../build/ensure-build.js';
import { builtDist } from '../runtimes/built-dist.js';
import { BROWSER_TIMEOUT_MS, IN_CI, findChromium, launchWithExtension, startStaticServer, type StaticServer } from '../runtimes/chromium.js';

const CHROMIUM = findChromium();
const VECTORS = path.join(REPO_ROOT, 'test-vectors');
const UPDATE_SCREENSHOTS = process.env.SIGVET_UPDATE_SCREENSHOTS === '1';
const SCREENSHOTS = UPDATE_SCREENSHOTS
  ? path.join(REPO_ROOT, 'examples', 'browser-extension', 'screenshots')
  : path.join(os.tmpdir(), `sigvet-extension-shots-${process.pid}`);

if (!CHROMIUM && !IN_CI) console.warn('extension: SKIPPED, chromium not found (apt-get install -y chromium, or set CHROMIUM_PATH)');

interface Case {
  name: string;
  expected_error_code?: string | null;
  bundle: string;
  artifact: string;
  identity: string | null;
  issuer: string | null;
  trusted_root: string;
}

function vectorCase(name: string): Case {
  const m = JSON.parse(fs.readFileSync(path.join(VECTORS, 'CASES.json'), 'utf8')) as { cases: Case[] };
  const c = m.cases.find((x) => x.name === name);
  if (!c) throw new Error(`test-vectors case ${name} not found`);
  return c;
}

/** One stored download result, as the extension records it. */
interface StoredResult {
  name: string;
  urlName: string;
  status: string;
  code?: string;
  check?: string;
  san?: string;
  issuer?: string;
  message?: string;
}

describe('examples/browser-extension (MV3)', () => {
  it.skipIf(CHROMIUM !== undefined || !IN_CI)('has chromium installed (required in CI)', () => {
    throw new Error('chromium not found: CI must run the browser tests (apt-get install -y chromium, or set CHROMIUM_PATH)');
  });

  describe.skipIf(CHROMIUM === undefined)('loaded unpacked in headless Chromium', () => {
    const good = vectorCase('happy-path-v0.3');
    const bad = vectorCase('inclusion-proof-wrong-hash_fail');
    let tmp = '';
    let server: StaticServer;
    let context: BrowserContext | undefined;
    let extensionId = '';
    let worker: Worker;
    const pageErrors: string[] = [];

    beforeAll(async () => {
      const dist = await builtDist();
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sigvet-extension-'));
      fs.mkdirSync(SCREENSHOTS, { recursive: true });
      // Assembled by the script users run, into a temporary folder.
      const extensionDir = path.join(tmp, 'extension');
      execFileSync(process.execPath, [path.join(REPO_ROOT, 'examples', 'browser-extension', 'assemble.mjs'), '--out', extensionDir, '--dist', dist]);
      expect(fs.existsSync(path.join(extensionDir, 'vendor', 'sigvet.js'))).toBe(true);

      // The download site: files with and without sidecar bundles.
      const read = (c: Case, f: string) => fs.readFileSync(path.join(VECTORS, f));
      server = await startStaticServer([
        { path: '/downloads/', body: '<!doctype html><title>downloads</title><p>downloads</p>', type: 'text/html' },
        { path: '/downloads/app.tar.gz', body: read(good, good.artifact), type: 'application/octet-stream' },
        { path: '/downloads/app.tar.gz.sigstore.json', body: read(good, good.bundle), type: 'application/json' },
        { path: '/downloads/tampered.tar.gz', body: read(bad, bad.artifact), type: 'application/octet-stream' },
        { path: '/downloads/tampered.tar.gz.sigstore.json', body: read(bad, bad.bundle), type: 'application/json' },
        { path: '/downloads/plain.tar.gz', body: 'no bundle for this one\n', type: 'application/octet-stream' },
      ]);

      context = await launchWithExtension(CHROMIUM!, extensionDir, path.join(tmp, 'profile'));
      context.on('weberror', (e) => pageErrors.push(String(e.error())));
      worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: BROWSER_TIMEOUT_MS }));
      extensionId = new URL(worker.url()).host;
    }, BROWSER_TIMEOUT_MS * 2);

    afterAll(async () => {
      await context?.close();
      await server?.close();
      if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
      if (!UPDATE_SCREENSHOTS) fs.rmSync(SCREENSHOTS, { recursive: true, force: true });
    });

    async function open(file: string): Promise<Page> {
      const page = await context!.newPage();
      page.on('pageerror', (err) => pageErrors.push(`${file}: ${String(err)}`));
      await page.goto(`chrome-extension://${extensionId}/${file}`);
      await page.waitForSelector('body[data-ready="true"]', { timeout: BROWSER_TIMEOUT_MS });
      return page;
    }

    /** The stored results, read in the service worker. */
    const storedResults = () => worker.evaluate(async () => ((await (globalThis as any).chrome.storage.local.get('results')).results ?? []) as StoredResult[]);

    async function waitForResult(name: string): Promise<StoredResult> {
      const deadline = Date.now() + BROWSER_TIMEOUT_MS;
      for (;;) {
        const found = (await storedResults()).find((r) => r.urlName === name && r.status !== 'checking');
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no result for ${name}: ${JSON.stringify(await storedResults())}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    }

    /** Downloads a URL the way a user does: a click on a link in a page. */
    async function download(file: string): Promise<void> {
      const page = await context!.newPage();
      await page.goto(`${server.origin}/downloads/`);
      await page.evaluate((href) => {
        const a = document.createElement('a');
        a.href = href;
        a.download = href.split('/').pop()!;
        a.textContent = 'download';
        document.body.append(a);
      }, `${server.origin}/downloads/${file}`);
      const [dl] = await Promise.all([page.waitForEvent('download'), page.click('a')]);
      expect(await dl.failure()).toBeNull();
      await page.close();
    }

    it(
      'stores the expected signer and the trusted root from the options page',
      async () => {
        const page = await open('options.html');
        await page.fill('#san', good.identity!);
        await page.fill('#issuer', good.issuer!);
        await page.setChecked('#auto-check', true);
        await page.setInputFiles('#root-file', path.join(VECTORS, good.trusted_root));
        await page.waitForFunction(() => document.getElementById('root-current')!.textContent!.startsWith('Using trusted_root.json'));
        await page.click('#save');
        await page.waitForFunction(() => document.getElementById('status')!.textContent === 'Saved.');
        const stored = await worker.evaluate(async () => (await (globalThis as any).chrome.storage.local.get('settings')).settings);
        expect(stored).toMatchObject({ san: good.identity, issuer: good.issuer, autoCheck: true, trustedRootName: 'trusted_root.json' });
        expect(stored.trustedRoot).toBe(fs.readFileSync(path.join(VECTORS, good.trusted_root), 'utf8'));
        // A file that is not a trusted root is refused, not stored.
        await page.setInputFiles('#root-file', { name: 'nonsense.json', mimeType: 'application/json', buffer: Buffer.from('{"mediaType": "nope"}') });
        await page.waitForFunction(() => document.getElementById('status')!.textContent!.startsWith('Not a usable trusted root'));
        await page.close();
      },
      BROWSER_TIMEOUT_MS,
    );

    it(
      'verifies a finished download against its sidecar bundle',
      async () => {
        // The two cases must share the trusted root set above.
        expect(fs.readFileSync(path.join(VECTORS, bad.trusted_root), 'utf8')).toBe(fs.readFileSync(path.join(VECTORS, good.trusted_root), 'utf8'));
        await download('app.tar.gz');
        const r = await waitForResult('app.tar.gz');
        expect(r, JSON.stringify(r)).toMatchObject({ status: 'verified', san: good.identity, issuer: good.issuer });
        const badge = await worker.evaluate(() => (globalThis as any).chrome.action.getBadgeText({}));
        expect(badge).toBe('✓');
      },
      BROWSER_TIMEOUT_MS,
    );

    it(
      'reports a download whose bundle does not verify, with the error code, and one without a bundle',
      async () => {
        await download('tampered.tar.gz');
        const r = await waitForResult('tampered.tar.gz');
        expect(r).toMatchObject({ status: 'failed', code: bad.expected_error_code });
        expect(await worker.evaluate(() => (globalThis as any).chrome.action.getBadgeText({}))).toBe('✗');
        await download('plain.tar.gz');
        expect(await waitForResult('plain.tar.gz')).toMatchObject({ status: 'unsigned' });
      },
      BROWSER_TIMEOUT_MS,
    );

    it(
      'lists the results in the popup',
      async () => {
        const page = await open('popup.html');
        await page.setViewportSize({ width: 400, height: 520 });
        expect(await page.textContent('#signer')).toContain(good.identity!);
        const rows = await page.locator('#results li').evaluateAll((items) =>
          items.map((i) => ({ name: i.getAttribute('data-name'), status: i.getAttribute('data-status'), code: i.getAttribute('data-code') })),
        );
        expect(rows).toEqual([
          { name: 'plain.tar.gz', status: 'unsigned', code: null },
          { name: 'tampered.tar.gz', status: 'failed', code: bad.expected_error_code },
          { name: 'app.tar.gz', status: 'verified', code: null },
        ]);
        expect(await page.textContent('li[data-name="app.tar.gz"]')).toContain(`Verified: signed by ${good.identity}`);
        expect(await page.textContent('li[data-name="tampered.tar.gz"]')).toContain(`Not verified: ${bad.expected_error_code}`);
        await page.screenshot({ path: path.join(SCREENSHOTS, 'popup.png') });
        await page.close();
      },
      BROWSER_TIMEOUT_MS,
    );

    it(
      'verifies a picked file and bundle, and rejects a bundle made for another file',
      async () => {
        const page = await open('verify.html');
        expect(await page.inputValue('#san')).toBe(good.identity);
        await page.setInputFiles('#artifact-file', path.join(VECTORS, good.artifact));
        await page.setInputFiles('#bundle-file', path.join(VECTORS, good.bundle));
        await page.click('#verify');
        await page.waitForSelector('#result[data-state="verified"]', { timeout: BROWSER_TIMEOUT_MS });
        expect(await page.textContent('#result')).toContain(`Signed by ${good.identity}`);
        await page.screenshot({ path: path.join(SCREENSHOTS, 'verify-page.png'), fullPage: true });
        // The same bundle for a different file: the signature does not cover it.
        await page.setInputFiles('#artifact-file', { name: 'other.bin', mimeType: 'application/octet-stream', buffer: Buffer.from('not the signed file') });
        await page.click('#verify');
        await page.waitForSelector('#result[data-state="failed"]', { timeout: BROWSER_TIMEOUT_MS });
        expect(['SIGNATURE', 'TLOG_BODY']).toContain(await page.getAttribute('#result', 'data-code'));
        await page.close();
      },
      BROWSER_TIMEOUT_MS,
    );

    it('raised no errors in its pages or service worker', () => {
      expect(pageErrors).toEqual([]);
    });
  });
});
