/**
 * Loads dist/browser/sigvet.js into headless Chromium as a plain ES module
 * (no bundler, no import map) and verifies real bundles there with
 * WebCrypto: one conformance happy path (by artifact bytes and by digest),
 * a wrong identity, and two failing cases (corrupted Merkle proof, wrong
 * artifact) whose error codes must match the Node build's.
 *
 * Needs Debian's `chromium` (or $CHROMIUM_PATH). Missing browser: the suite
 * fails under CI (`process.env.CI`) and is skipped with a note locally.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIST, SHARED_CONFORMANCE, ensureBuild } from '../build/ensure-build.js';

const BROWSER_TIMEOUT_MS = 120_000;
const IN_CI = Boolean(process.env.CI) && !['0', 'false'].includes(process.env.CI!.toLowerCase());

/** Debian installs `chromium`; Ubuntu-style images may call it `chromium-browser`. */
function findChromium(): string | undefined {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) return fs.existsSync(fromEnv) ? fromEnv : undefined;
  try {
    const found = execFileSync('/bin/sh', ['-c', 'command -v chromium || command -v chromium-browser'], {
      encoding: 'utf8',
    }).trim();
    return found || undefined;
  } catch {
    return undefined;
  }
}

const CHROMIUM = findChromium();
const CASES_JSON = path.join(SHARED_CONFORMANCE, 'CASES.json');
const SHARED_PRESENT = fs.existsSync(CASES_JSON);

if (!CHROMIUM && !IN_CI) {
  console.warn('chromium-smoke: SKIPPED, chromium not found (apt-get install -y chromium, or set CHROMIUM_PATH)');
}
if (CHROMIUM && !SHARED_PRESENT) {
  console.warn(`chromium-smoke: conformance cases skipped, ${CASES_JSON} not found`);
}

/** One case of ../shared/conformance/CASES.json (the fields used here). */
interface ConformanceCase {
  name: string;
  expect: 'pass' | 'fail';
  bundle: string;
  artifact: string;
  artifact_digest: string;
  identity: string | null;
  issuer: string | null;
  key: string | null;
  trusted_root: string;
}

/** Plain data handed to the page (must survive structured cloning). */
interface PageInput {
  bundle: string;
  artifact?: number[];
  artifactDigest?: string;
  identity?: { subjectAlternativeName: string; issuer: string };
  key?: string;
  trustedRoot?: string;
}

/** What a verification attempt produced, in either runtime. */
type Outcome =
  | { ok: true; resultType: string }
  | { ok: false; isSigvetError: boolean; name: string; code?: string; check?: string; message: string };

function loadCase(name: string): ConformanceCase {
  const manifest = JSON.parse(fs.readFileSync(CASES_JSON, 'utf8')) as { cases: ConformanceCase[] };
  const found = manifest.cases.find((c) => c.name === name);
  if (!found) throw new Error(`conformance case ${name} not in ${CASES_JSON}`);
  return found;
}

/** Reads a case into page input; `mode` picks artifact bytes or digest. */
function caseInput(c: ConformanceCase, mode: 'path' | 'digest', rootFromCase = true): PageInput {
  const read = (p: string) => fs.readFileSync(path.join(SHARED_CONFORMANCE, p), 'utf8');
  const input: PageInput = { bundle: read(c.bundle) };
  if (mode === 'path') input.artifact = [...fs.readFileSync(path.join(SHARED_CONFORMANCE, c.artifact))];
  else input.artifactDigest = c.artifact_digest;
  if (c.key) input.key = read(c.key);
  else input.identity = { subjectAlternativeName: c.identity!, issuer: c.issuer! };
  if (rootFromCase) input.trustedRoot = read(c.trusted_root);
  return input;
}

/**
 * One verification attempt with a loaded sigvet module, reported as plain
 * data. Plain JavaScript source so the page and Node run the very same code.
 */
const ATTEMPT_JS = `async (sigvet, input) => {
  try {
    const verifier = await sigvet.createVerifier(input.trustedRoot === undefined ? {} : { trustedRoot: input.trustedRoot });
    const options = {};
    if (input.artifact) options.artifact = new Uint8Array(input.artifact);
    if (input.artifactDigest) options.artifactDigest = input.artifactDigest;
    if (input.identity) options.identity = input.identity;
    if (input.key) options.key = input.key;
    const result = await verifier.verify(input.bundle, options);
    return { ok: true, resultType: result === null ? 'null' : typeof result };
  } catch (err) {
    return {
      ok: false,
      isSigvetError: err instanceof sigvet.SigvetError,
      name: String(err && err.name),
      code: err && err.code,
      check: err && err.check,
      message: String(err && err.message),
    };
  }
}`;

const PAGE_HTML = `<!doctype html>
<html><head><meta charset="utf-8"><title>sigvet smoke</title></head>
<body>
<script type="module">
  window.__sigvetState = 'loading';
  window.__attempt = ${ATTEMPT_JS};
  import('./sigvet.js').then(
    (m) => { window.__sigvet = m; window.__sigvetState = 'ready'; },
    (e) => { window.__sigvetState = 'error: ' + ((e && e.stack) || e); },
  );
</script>
</body></html>
`;

/** Serves the page and the bundle; nothing else exists on this origin. */
function startServer(bundlePath: string): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method === 'GET' && (url.pathname === '/' || url.pathname === '/index.html')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(PAGE_HTML);
    } else if (req.method === 'GET' && url.pathname === '/sigvet.js') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' });
      res.end(fs.readFileSync(bundlePath));
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

describe('headless Chromium', () => {
  it.skipIf(CHROMIUM !== undefined || !IN_CI)('has chromium installed (required in CI)', () => {
    throw new Error(
      'chromium not found: CI must run the browser smoke test (apt-get install -y chromium, or set CHROMIUM_PATH)',
    );
  });

  describe.skipIf(CHROMIUM === undefined)('dist/browser/sigvet.js', () => {
    let server: http.Server | undefined;
    let browser: Browser | undefined;
    let page: Page;
    let origin = '';
    const pageErrors: string[] = [];
    const foreignRequests: string[] = [];

    beforeAll(async () => {
      await ensureBuild();
      server = await startServer(path.join(DIST, 'browser', 'sigvet.js'));
      origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      browser = await chromium.launch({
        executablePath: CHROMIUM!,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--no-first-run',
          '--disable-quic',
          '--disable-sync',
        ],
        timeout: BROWSER_TIMEOUT_MS,
      });
      page = await browser.newPage();
      page.on('pageerror', (err) => pageErrors.push(String(err)));
      page.on('console', (msg) => {
        if (msg.type() === 'error') pageErrors.push(`console: ${msg.text()}`);
      });
      // Verification is offline: anything not from our server is recorded and refused.
      await page.route('**/*', (route) => {
        const url = route.request().url();
        if (url.startsWith(`${origin}/`)) return route.continue();
        foreignRequests.push(url);
        return route.abort();
      });
      await page.goto(`${origin}/`);
      await page.waitForFunction(() => (window as any).__sigvetState !== 'loading', undefined, {
        timeout: BROWSER_TIMEOUT_MS,
      });
      const state = await page.evaluate(() => (window as any).__sigvetState as string);
      if (state !== 'ready') throw new Error(`sigvet.js failed to load in Chromium: ${state}\n${pageErrors.join('\n')}`);
    }, BROWSER_TIMEOUT_MS * 2);

    afterAll(async () => {
      await browser?.close();
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    });

    /** Runs the attempt inside the page against the loaded module. */
    function attemptInPage(input: PageInput): Promise<Outcome> {
      return page.evaluate((data) => (window as any).__attempt((window as any).__sigvet, data), input);
    }

    /** The same attempt with the Node build, for cross-runtime agreement. */
    async function attemptInNode(input: PageInput): Promise<Outcome> {
      const sigvet = await import(pathToFileURL(path.join(DIST, 'index.node.js')).href);
      const attempt = new Function(`return (${ATTEMPT_JS})`)() as (m: unknown, i: PageInput) => Promise<Outcome>;
      return attempt(sigvet, input);
    }

    it(
      'loads as a plain ES module in a secure context with WebCrypto',
      async () => {
        const info = await page.evaluate(() => {
          const m = (window as any).__sigvet;
          return {
            secure: window.isSecureContext,
            subtle: typeof crypto?.subtle?.verify,
            createVerifier: typeof m.createVerifier,
            SigvetError: typeof m.SigvetError,
          };
        });
        expect(info).toEqual({ secure: true, subtle: 'function', createVerifier: 'function', SigvetError: 'function' });
        expect(pageErrors).toEqual([]);
      },
      BROWSER_TIMEOUT_MS,
    );

    it(
      'rejects malformed bundle JSON with SigvetError PARSE',
      async () => {
        const outcome = await attemptInPage({
          bundle: '{"mediaType": ',
          artifactDigest: `sha256:${'00'.repeat(32)}`,
          identity: { subjectAlternativeName: 'someone@example.com', issuer: 'https://issuer.example' },
        });
        expect(outcome).toMatchObject({ ok: false, isSigvetError: true, name: 'SigvetError', code: 'PARSE' });
      },
      BROWSER_TIMEOUT_MS,
    );

    describe.skipIf(!SHARED_PRESENT)('conformance cases (../shared/conformance)', () => {
      it(
        'verifies happy-path-v0.3 from the artifact bytes with the case trusted root',
        async () => {
          const c = loadCase('happy-path-v0.3');
          expect(c.expect).toBe('pass');
          const input = caseInput(c, 'path');
          // The digest the manifest states must be the artifact we pass.
          const digest = createHash('sha256').update(Uint8Array.from(input.artifact!)).digest('hex');
          expect(`sha256:${digest}`).toBe(c.artifact_digest);
          const outcome = await attemptInPage(input);
          expect(outcome, JSON.stringify(outcome)).toEqual({ ok: true, resultType: 'object' });
        },
        BROWSER_TIMEOUT_MS,
      );

      it(
        'verifies happy-path-v0.3 from the artifact digest with the embedded public-good root',
        async () => {
          const outcome = await attemptInPage(caseInput(loadCase('happy-path-v0.3'), 'digest', false));
          expect(outcome, JSON.stringify(outcome)).toEqual({ ok: true, resultType: 'object' });
        },
        BROWSER_TIMEOUT_MS,
      );

      it(
        'rejects happy-path-v0.3 for another identity with IDENTITY',
        async () => {
          const input = caseInput(loadCase('happy-path-v0.3'), 'digest');
          input.identity = { subjectAlternativeName: 'someone-else@example.com', issuer: input.identity!.issuer };
          const outcome = await attemptInPage(input);
          expect(outcome).toMatchObject({ ok: false, isSigvetError: true, code: 'IDENTITY' });
        },
        BROWSER_TIMEOUT_MS,
      );

      it(
        'rejects inclusion-proof-corrupted-hash_fail with TLOG_INCLUSION_PROOF, as Node does',
        async () => {
          // A bit flip in one proof hash: the Merkle path no longer reaches the checkpoint root.
          const c = loadCase('inclusion-proof-corrupted-hash_fail');
          expect(c.expect).toBe('fail');
          const input = caseInput(c, 'path');
          const inPage = await attemptInPage(input);
          expect(inPage).toMatchObject({ ok: false, isSigvetError: true, code: 'TLOG_INCLUSION_PROOF' });
          const inNode = await attemptInNode(input);
          expect({ code: inPage.ok ? undefined : inPage.code, check: inPage.ok ? undefined : inPage.check }).toEqual({
            code: inNode.ok ? undefined : inNode.code,
            check: inNode.ok ? undefined : inNode.check,
          });
        },
        BROWSER_TIMEOUT_MS,
      );

      it(
        'rejects wrong-material_fail (artifact differs) with a signature or log-body mismatch, as Node does',
        async () => {
          const c = loadCase('wrong-material_fail');
          expect(c.expect).toBe('fail');
          const input = caseInput(c, 'path');
          const inPage = await attemptInPage(input);
          expect(inPage).toMatchObject({ ok: false, isSigvetError: true });
          // The artifact is checked against the signature and against the
          // log entry's digest; either check may be the first to fail.
          expect(['SIGNATURE', 'TLOG_BODY']).toContain(inPage.ok ? 'verified' : inPage.code);
          const inNode = await attemptInNode(input);
          expect(inNode.ok ? 'verified' : `${inNode.code} ${inNode.check}`).toBe(
            inPage.ok ? 'verified' : `${inPage.code} ${inPage.check}`,
          );
        },
        BROWSER_TIMEOUT_MS,
      );
    });

    // Runs last: everything above, including verification, stayed on our origin.
    it('made no request outside the test server and raised no page errors', () => {
      expect(foreignRequests).toEqual([]);
      expect(pageErrors).toEqual([]);
    });
  });
});
