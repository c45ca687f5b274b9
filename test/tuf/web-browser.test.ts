/**
 * The web TUF client in headless Chromium: src/tuf-web.ts bundled with
 * esbuild (no Node built-ins may be needed), loaded as a plain ES module from
 * the same 127.0.0.1 origin as a generated TUF repository, with the IndexedDB
 * cache and WebCrypto. Checks that the cache survives a reload (a second page
 * asks only for a newer root and timestamp, and with `preferCache` asks
 * nothing), and that refusals arrive as SigvetErrors with their check.
 *
 * Needs Debian's `chromium` (or $CHROMIUM_PATH); skipped with a note without it.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestTufRepository, newKey } from './test-repository.js';

const BROWSER_TIMEOUT_MS = 120_000;
const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ROOT_A = new Uint8Array(fs.readFileSync(path.join(REPO_ROOT, 'test-vectors', 'happy-path-v0.3', 'trusted_root.json')));

function findChromium(): string | undefined {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) return fs.existsSync(fromEnv) ? fromEnv : undefined;
  try {
    return execFileSync('/bin/sh', ['-c', 'command -v chromium || command -v chromium-browser'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

const CHROMIUM = findChromium();
if (!CHROMIUM) console.warn('web-browser: SKIPPED, chromium not found (apt-get install -y chromium, or set CHROMIUM_PATH)');

const PAGE_HTML = `<!doctype html>
<html><head><meta charset="utf-8"><title>sigvet tuf</title></head>
<body>
<script type="module">
  window.__state = 'loading';
  import('./tuf-web.js').then(
    (m) => { window.__tuf = m; window.__state = 'ready'; },
    (e) => { window.__state = 'error: ' + ((e && e.stack) || e); },
  );
</script>
</body></html>
`;

/** One fetchTrustedRoot call in the page, reported as plain data. */
interface Outcome {
  ok: boolean;
  fromCache?: boolean;
  metadata?: Record<string, number>;
  json?: string;
  mediaType?: string;
  isSigvetError?: boolean;
  code?: string;
  check?: string;
  message?: string;
}

describe.skipIf(CHROMIUM === undefined)('web TUF client in headless Chromium with IndexedDB', () => {
  const repo = new TestTufRepository();
  let browser: Browser | undefined;
  let page: Page;
  let rootV1 = '';
  const pageErrors: string[] = [];

  /** Repository requests (the page and the module are not TUF requests). */
  const tufRequests = () => repo.requests.filter((p) => p !== '/index.html' && p !== '/tuf-web.js' && p !== '/favicon.ico');

  async function load(): Promise<void> {
    await page.goto(`${repo.origin}/index.html`);
    await page.waitForFunction(() => (window as any).__state !== 'loading', undefined, { timeout: BROWSER_TIMEOUT_MS });
    const state = await page.evaluate(() => (window as any).__state as string);
    if (state !== 'ready') throw new Error(`tuf-web.js failed to load: ${state}\n${pageErrors.join('\n')}`);
  }

  function fetchInPage(preferCache: boolean): Promise<Outcome> {
    return page.evaluate(
      async ({ tufUrl, tufRoot, preferCache }) => {
        const m = (window as any).__tuf;
        try {
          const r = await m.fetchTrustedRoot({ tufUrl, tufRoot, preferCache, cache: m.indexedDbCache('sigvet-tuf-test'), retries: 0 });
          return { ok: true, fromCache: r.fromCache, metadata: r.metadata, json: r.json, mediaType: r.trustedRoot.mediaType };
        } catch (e: any) {
          return { ok: false, isSigvetError: e?.name === 'SigvetError', code: e?.code, check: e?.check, message: String(e?.message) };
        }
      },
      { tufUrl: repo.origin, tufRoot: rootV1, preferCache },
    );
  }

  beforeAll(async () => {
    // ECDSA (PEM) root and targets keys, Ed25519 timestamp and snapshot keys.
    repo.keys = { root: newKey('ecdsa'), timestamp: newKey(), snapshot: newKey(), targets: newKey('ecdsa-hex') };
    rootV1 = new TextDecoder().decode(repo.publishRoot());
    repo.publishTargets({ 'trusted_root.json': ROOT_A });
    const bundled = await build({
      entryPoints: [path.join(REPO_ROOT, 'src', 'tuf-web.ts')],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      write: false,
      logLevel: 'silent',
    });
    repo.files.set('/tuf-web.js', bundled.outputFiles[0]!.contents);
    repo.contentTypes.set('/tuf-web.js', 'text/javascript; charset=utf-8');
    repo.files.set('/index.html', new TextEncoder().encode(PAGE_HTML));
    repo.contentTypes.set('/index.html', 'text/html; charset=utf-8');
    await repo.start();
    browser = await chromium.launch({
      executablePath: CHROMIUM!,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-quic', '--disable-sync'],
      timeout: BROWSER_TIMEOUT_MS,
    });
    page = await browser.newPage();
    page.on('pageerror', (err) => pageErrors.push(String(err)));
    // Nothing but the test origin is reachable.
    await page.route('**/*', (route) => (route.request().url().startsWith(`${repo.origin}/`) ? route.continue() : route.abort()));
    await load();
  }, BROWSER_TIMEOUT_MS * 2);

  afterAll(async () => {
    await browser?.close();
    await repo.stop();
  });

  it(
    'fetches, keeps the metadata in IndexedDB across a reload, and serves from it with preferCache',
    async () => {
      const first = await fetchInPage(false);
      expect(first).toMatchObject({ ok: true, fromCache: false, metadata: { root: 1, timestamp: 1, snapshot: 1, targets: 1 } });
      expect(first.json).toBe(new TextDecoder().decode(ROOT_A));
      expect(first.mediaType).toMatch(/^application\/vnd\.dev\.sigstore\.trustedroot/);
      expect(tufRequests()).toEqual(['/2.root.json', '/timestamp.json', '/1.snapshot.json', '/1.targets.json', expect.stringMatching(/^\/targets\/[0-9a-f]{64}\.trusted_root\.json$/)]);

      // A new page: the in-memory state is gone, IndexedDB is not.
      await load();
      let mark = tufRequests().length;
      expect(await fetchInPage(false)).toMatchObject({ ok: true, fromCache: false });
      expect(tufRequests().slice(mark)).toEqual(['/2.root.json', '/timestamp.json']);

      await load();
      mark = tufRequests().length;
      expect(await fetchInPage(true)).toMatchObject({ ok: true, fromCache: true, metadata: { timestamp: 1 } });
      expect(tufRequests().slice(mark)).toEqual([]);
      expect(pageErrors).toEqual([]);
    },
    BROWSER_TIMEOUT_MS,
  );

  it(
    'refuses a rollback against the persisted timestamp with a SigvetError',
    async () => {
      repo.publishTargets({ 'trusted_root.json': ROOT_A }); // timestamp 2
      expect(await fetchInPage(false)).toMatchObject({ ok: true, metadata: { timestamp: 2 } });
      await load();
      repo.publishTargets({ 'trusted_root.json': ROOT_A }, { timestampVersion: 1 });
      expect(await fetchInPage(false)).toMatchObject({ ok: false, isSigvetError: true, code: 'TRUST_ROOT', check: 'tuf.timestamp.rollback' });
      repo.publishTargets({ 'trusted_root.json': ROOT_A }, { timestampSigner: newKey() });
      expect(await fetchInPage(false)).toMatchObject({ ok: false, isSigvetError: true, code: 'TRUST_ROOT', check: 'tuf.timestamp.signature' });
    },
    BROWSER_TIMEOUT_MS,
  );
});
