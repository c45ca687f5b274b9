/**
 * Schema validation in headless Chromium under a Content-Security-Policy
 * without 'unsafe-eval' (`script-src 'self'`, no inline script): the
 * condition of browser extensions and strict sites. The page loads
 * dist/browser/attestations.js as a plain ES module and runs every
 * attestation fixture through parseAttestationPayload, validatePredicate
 * and summarizeAttestation; the outcomes must equal Node's (from src/).
 *
 * The page first proves the policy bites (eval and the Function constructor
 * throw EvalError), and afterwards no other CSP violation may have been
 * reported: the validators generated no code.
 *
 * Needs Debian's `chromium` (or $CHROMIUM_PATH), found and launched as
 * chromium-smoke.test.ts does. Missing browser: fails under CI, skipped
 * with a note locally.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIST, ensureBuild } from '../build/ensure-build.js';
import { parseAttestationPayload, summarizeAttestation, validatePredicate } from '../../src/attestations.js';
import { SigvetError } from '../../src/errors.js';
import { loadFixtureCases, payloadOf } from '../predicates/fixture-cases.js';

const BROWSER_TIMEOUT_MS = 120_000;
const IN_CI = Boolean(process.env.CI) && !['0', 'false'].includes(process.env.CI!.toLowerCase());

/** Debian installs `chromium`; Ubuntu-style images may call it `chromium-browser`. */
function findChromium(): string | undefined {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) return fs.existsSync(fromEnv) ? fromEnv : undefined;
  try {
    const found = execFileSync('/bin/sh', ['-c', 'command -v chromium || command -v chromium-browser'], { encoding: 'utf8' }).trim();
    return found || undefined;
  } catch {
    return undefined;
  }
}

const CHROMIUM = findChromium();
if (!CHROMIUM && !IN_CI) console.warn('csp-validation: SKIPPED, chromium not found (apt-get install -y chromium, or set CHROMIUM_PATH)');

/** No eval, no inline script: only same-origin script files. */
const CSP = "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'";

const PAGE_HTML = `<!doctype html>
<html><head><meta charset="utf-8"><title>running</title></head>
<body><pre id="out"></pre><script type="module" src="/main.js"></script></body></html>
`;

/** The page's script (a file, since inline script is forbidden). */
const MAIN_JS = `
const out = { evalBlocked: null, functionBlocked: null, violations: [], results: [], error: null };
document.addEventListener('securitypolicyviolation', (e) => out.violations.push(e.violatedDirective + ' ' + e.blockedURI));
try { eval('1'); out.evalBlocked = false; } catch (e) { out.evalBlocked = e instanceof EvalError; }
try { new Function('return 1')(); out.functionBlocked = false; } catch (e) { out.functionBlocked = e instanceof EvalError; }
try {
  const att = await import('./attestations.js');
  const cases = await (await fetch('/fixtures.json')).json();
  for (const c of cases) {
    const r = { name: c.name };
    try {
      const a = att.parseAttestationPayload(new TextEncoder().encode(JSON.stringify(c.statement)));
      Object.assign(r, { ok: true, kind: a.kind, summary: att.summarizeAttestation(a) });
    } catch (e) {
      Object.assign(r, { ok: false, isSigvetError: e instanceof att.SigvetError, code: e.code, check: e.check, message: e.message });
    }
    r.issues = att.validatePredicate(c.statement.predicateType, c.statement.predicate).issues;
    out.results.push(r);
  }
} catch (e) {
  out.error = String((e && e.stack) || e);
}
// Violation reports are queued tasks: let them arrive before reporting.
await new Promise((resolve) => setTimeout(resolve, 100));
document.getElementById('out').textContent = JSON.stringify(out);
document.title = 'done';
`;

interface PageOutcome {
  evalBlocked: boolean | null;
  functionBlocked: boolean | null;
  violations: string[];
  error: string | null;
  results: Record<string, unknown>[];
}

/** The same run in Node, from the sources. */
function nodeResults(): Record<string, unknown>[] {
  return loadFixtureCases().map((c) => {
    const r: Record<string, unknown> = { name: c.name };
    try {
      const a = parseAttestationPayload(payloadOf(c));
      Object.assign(r, { ok: true, kind: a.kind, summary: summarizeAttestation(a) });
    } catch (e) {
      const s = e as SigvetError;
      Object.assign(r, { ok: false, isSigvetError: e instanceof SigvetError, code: s.code, check: s.check, message: s.message });
    }
    r.issues = validatePredicate(c.statement.predicateType as string, c.statement.predicate).issues;
    return JSON.parse(JSON.stringify(r)) as Record<string, unknown>;
  });
}

function startServer(): Promise<http.Server> {
  const fixtures = JSON.stringify(loadFixtureCases().map((c) => ({ name: c.name, statement: c.statement })));
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const send = (type: string, body: string | Buffer) => {
      res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store', 'content-security-policy': CSP });
      res.end(body);
    };
    if (req.method !== 'GET') {
      res.writeHead(405).end();
    } else if (url.pathname === '/') send('text/html; charset=utf-8', PAGE_HTML);
    else if (url.pathname === '/main.js') send('text/javascript; charset=utf-8', MAIN_JS);
    else if (url.pathname === '/attestations.js') send('text/javascript; charset=utf-8', fs.readFileSync(path.join(DIST, 'browser', 'attestations.js')));
    else if (url.pathname === '/fixtures.json') send('application/json', fixtures);
    else {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

describe('schema validation under CSP without unsafe-eval (headless Chromium)', () => {
  it.skipIf(CHROMIUM !== undefined || !IN_CI)('has chromium installed (required in CI)', () => {
    throw new Error('chromium not found: CI must run the browser tests (apt-get install -y chromium, or set CHROMIUM_PATH)');
  });

  describe.skipIf(CHROMIUM === undefined)('dist/browser/attestations.js', () => {
    let server: http.Server | undefined;
    let browser: Browser | undefined;
    let page: Page;
    let outcome: PageOutcome;
    const pageErrors: string[] = [];
    const foreignRequests: string[] = [];

    beforeAll(async () => {
      await ensureBuild();
      const bundle = path.join(DIST, 'browser', 'attestations.js');
      if (!fs.existsSync(bundle)) throw new Error(`${bundle} is missing: tsup.config.ts must build the browser/attestations entry`);
      server = await startServer();
      const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      browser = await chromium.launch({
        executablePath: CHROMIUM!,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-quic', '--disable-sync'],
        timeout: BROWSER_TIMEOUT_MS,
      });
      page = await browser.newPage();
      page.on('pageerror', (err) => pageErrors.push(String(err)));
      page.on('console', (msg) => {
        if (msg.type() === 'error') pageErrors.push(`console: ${msg.text()}`);
      });
      await page.route('**/*', (route) => {
        const url = route.request().url();
        if (url.startsWith(`${origin}/`)) return route.continue();
        foreignRequests.push(url);
        return route.abort();
      });
      await page.goto(`${origin}/`);
      // Poll the title rather than evaluate a predicate in the page: nothing here needs eval.
      const deadline = Date.now() + BROWSER_TIMEOUT_MS;
      while ((await page.title()) !== 'done') {
        if (Date.now() > deadline) throw new Error(`the page did not finish: ${pageErrors.join('\n')}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      outcome = JSON.parse((await page.textContent('#out')) ?? 'null') as PageOutcome;
    }, BROWSER_TIMEOUT_MS * 2);

    afterAll(async () => {
      await browser?.close();
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    });

    it('enforces the policy: eval and the Function constructor throw EvalError', () => {
      expect(outcome.error).toBeNull();
      expect([outcome.evalBlocked, outcome.functionBlocked]).toEqual([true, true]);
    });

    it('validates every fixture exactly as Node does (kinds, checks, JSON Pointers, summaries)', () => {
      const inNode = nodeResults();
      expect(outcome.results).toHaveLength(inNode.length);
      expect(outcome.results).toEqual(inNode);
      // Both verdicts occurred, with pointers, and failures were SigvetErrors of this bundle.
      expect(outcome.results.filter((r) => r.ok === true).length).toBeGreaterThan(10);
      const failures = outcome.results.filter((r) => r.ok === false);
      expect(failures.length).toBeGreaterThan(10);
      expect(failures.every((r) => r.isSigvetError === true && String(r.message).includes('/predicate'))).toBe(true);
    });

    it('reported no CSP violation but the two the page provoked, no page error, no foreign request', () => {
      expect(outcome.violations).toHaveLength(2);
      expect(outcome.violations.every((v) => v.startsWith('script-src') && v.endsWith(' eval'))).toBe(true);
      expect(pageErrors).toEqual([]);
      expect(foreignRequests).toEqual([]);
    });
  });
});
