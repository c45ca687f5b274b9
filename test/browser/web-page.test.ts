/**
 * The verification page (examples/web/) in headless Chromium, served as the
 * static files it is, loading the browser build from dist/browser/:
 * files chosen through the file inputs (and dropped on the drop zone), a
 * pass and a fail, a pasted digest with the embedded root, what the page
 * shows compared with the Node build's result for the same inputs, and that
 * the page fetches nothing but its own files.
 *
 * Screenshots of each state are written to a temporary folder, or to
 * examples/web/screenshots/ when SIGVET_UPDATE_SCREENSHOTS=1
 * (`npm run screenshots`).
 *
 * Needs Debian's `chromium` (or $CHROMIUM_PATH): skipped with a note
 * locally, failing under CI.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, SHARED_CONFORMANCE } from '../build/ensure-build.js';
import { builtDist } from '../runtimes/built-dist.js';
import { BROWSER_TIMEOUT_MS, IN_CI, findChromium, launchChromium, startStaticServer, type StaticServer } from '../runtimes/chromium.js';

const CHROMIUM = findChromium();
/** The build under test (set in beforeAll). */
let DIST = '';
const WEB = path.join(REPO_ROOT, 'examples', 'web');
const VECTORS = path.join(REPO_ROOT, 'test-vectors');
const SHARED_PRESENT = fs.existsSync(path.join(SHARED_CONFORMANCE, 'CASES.json'));
const UPDATE_SCREENSHOTS = process.env.SIGVET_UPDATE_SCREENSHOTS === '1';
const SCREENSHOTS = UPDATE_SCREENSHOTS ? path.join(WEB, 'screenshots') : path.join(os.tmpdir(), `sigvet-web-shots-${process.pid}`);

if (!CHROMIUM && !IN_CI) console.warn('web-page: SKIPPED, chromium not found (apt-get install -y chromium, or set CHROMIUM_PATH)');

interface Case {
  name: string;
  expect: 'pass' | 'fail';
  expected_error_code?: string | null;
  bundle: string;
  artifact: string;
  artifact_digest: string;
  identity: string | null;
  issuer: string | null;
  key: string | null;
  trusted_root: string;
}

function vectorCase(name: string): Case {
  const m = JSON.parse(fs.readFileSync(path.join(VECTORS, 'CASES.json'), 'utf8')) as { cases: Case[] };
  const c = m.cases.find((x) => x.name === name);
  if (!c) throw new Error(`test-vectors case ${name} not found`);
  return c;
}

/** What the Node build says about the same inputs: the reference for what the page shows. */
async function nodeVerify(dir: string, c: Case, mode: 'path' | 'digest', withRoot = true): Promise<any> {
  const sigvet = await import(pathToFileURL(path.join(DIST, 'index.node.js')).href);
  const verifier = await sigvet.createVerifier(withRoot ? { trustedRoot: fs.readFileSync(path.join(dir, c.trusted_root), 'utf8') } : {});
  const input: Record<string, unknown> = mode === 'path' ? { artifact: new Uint8Array(fs.readFileSync(path.join(dir, c.artifact))) } : { artifactDigest: c.artifact_digest };
  if (c.key) input.key = fs.readFileSync(path.join(dir, c.key), 'utf8');
  else input.identity = { subjectAlternativeName: c.identity, issuer: c.issuer };
  try {
    return { ok: true, result: await verifier.verify(fs.readFileSync(path.join(dir, c.bundle), 'utf8'), input) };
  } catch (err: any) {
    return { ok: false, code: err.code, check: err.check, message: err.message };
  }
}

describe('examples/web: the verification page', () => {
  it.skipIf(CHROMIUM !== undefined || !IN_CI)('has chromium installed (required in CI)', () => {
    throw new Error('chromium not found: CI must run the browser tests (apt-get install -y chromium, or set CHROMIUM_PATH)');
  });

  describe.skipIf(CHROMIUM === undefined)('headless Chromium', () => {
    let server: StaticServer;
    let browser: Browser | undefined;
    let page: Page;
    const foreign: string[] = [];
    const pageErrors: string[] = [];
    let requestsAfterLoad = 0;

    beforeAll(async () => {
      DIST = await builtDist();
      fs.mkdirSync(SCREENSHOTS, { recursive: true });
      server = await startStaticServer([
        { prefix: '/examples/web/', root: WEB },
        { prefix: '/dist/browser/', root: path.join(DIST, 'browser') },
      ]);
      browser = await launchChromium(CHROMIUM!);
      page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      page.on('pageerror', (err) => pageErrors.push(String(err)));
      page.on('console', (msg) => {
        if (msg.type() === 'error') pageErrors.push(`console: ${msg.text()}`);
      });
      await page.route('**/*', (route) => {
        const url = route.request().url();
        if (url.startsWith(`${server.origin}/`)) return route.continue();
        foreign.push(url);
        return route.abort();
      });
      await page.goto(`${server.origin}/examples/web/index.html`);
      await page.waitForSelector('body[data-ready="true"]', { timeout: BROWSER_TIMEOUT_MS });
      requestsAfterLoad = server.requests.length;
    }, BROWSER_TIMEOUT_MS * 2);

    afterAll(async () => {
      await browser?.close();
      await server?.close();
      if (!UPDATE_SCREENSHOTS) fs.rmSync(SCREENSHOTS, { recursive: true, force: true });
    });

    async function resetForm(): Promise<void> {
      await page.click('#clear');
      await page.fill('#artifact-digest', '');
      await page.fill('#identity-san', '');
      await page.fill('#identity-issuer', '');
      for (const id of ['#bundle-file', '#artifact-file', '#key-file', '#root-file', '#policy-file']) await page.setInputFiles(id, []);
      await page.setChecked('#skip-identity', false);
      await page.setChecked('#identity-regex', false);
    }

    async function fillCase(dir: string, c: Case, mode: 'path' | 'digest', withRoot = true): Promise<void> {
      await page.setInputFiles('#bundle-file', path.join(dir, c.bundle));
      if (mode === 'path') await page.setInputFiles('#artifact-file', path.join(dir, c.artifact));
      else await page.fill('#artifact-digest', c.artifact_digest);
      if (c.key) await page.setInputFiles('#key-file', path.join(dir, c.key));
      else {
        await page.fill('#identity-san', c.identity!);
        await page.fill('#identity-issuer', c.issuer!);
      }
      if (withRoot) await page.setInputFiles('#root-file', path.join(dir, c.trusted_root));
    }

    async function submitAndWait(): Promise<string> {
      await page.click('#verify');
      await page.waitForSelector('#result:not([data-state="working"]):not([data-state="idle"])', { timeout: BROWSER_TIMEOUT_MS });
      return (await page.getAttribute('#result', 'data-state'))!;
    }

    const texts = (selector: string) => page.locator(selector).allTextContents();

    it(
      'states that nothing leaves the browser, and enforces it with its CSP',
      async () => {
        expect(await page.textContent('#privacy')).toContain('Nothing leaves your browser');
        const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
        expect(csp).toContain("connect-src 'none'");
        expect(csp).toContain("script-src 'self'");
        // The policy is live: a fetch from the page is refused by the browser.
        const refused = await page.evaluate(() => fetch('/examples/web/index.html').then(() => false, () => true));
        expect(refused).toBe(true);
        await page.screenshot({ path: path.join(SCREENSHOTS, 'empty.png'), fullPage: true });
      },
      BROWSER_TIMEOUT_MS,
    );

    it(
      'verifies a DSSE bundle picked through the file inputs and shows what the Node build reports',
      async () => {
        await resetForm();
        const c = vectorCase('happy-path-dsse');
        const reference = await nodeVerify(VECTORS, c, 'path');
        expect(reference.ok).toBe(true);
        const r = reference.result;
        await fillCase(VECTORS, c, 'path');
        expect(await submitAndWait()).toBe('verified');

        expect(await page.getAttribute('#verdict', 'data-verdict')).toBe('verified');
        const verdict = (await page.textContent('#verdict'))!;
        expect(verdict).toContain('✔ Verified');
        expect(verdict).not.toContain('caveats');
        // Signer and its Fulcio extensions, exactly as verified.
        expect(await page.textContent('#signer [data-field="san"] td')).toBe(r.signer.subjectAlternativeName);
        expect(await page.textContent('#signer [data-field="issuer"] td')).toBe(r.signer.issuer);
        const shown = await page.locator('#extensions tr').evaluateAll((rows) =>
          rows.map((row) => [row.getAttribute('data-extension'), row.querySelector('td')!.textContent]),
        );
        expect(Object.fromEntries(shown)).toEqual(r.signer.extensions);
        expect(shown.length).toBeGreaterThan(0);
        // Log entries, times, statement.
        const indexes = await page.locator('#tlog .entry').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-log-index')));
        expect(indexes).toEqual(r.tlogEntries.map((e: any) => e.logIndex));
        expect(await page.locator('#times li').count()).toBe(r.verifiedTimes.length);
        expect((await texts('#times li')).join('\n')).toContain(r.verifiedTimes[0].time);
        expect(await page.textContent('#content [data-field="predicate-type"] td')).toBe(r.content.statement.predicateType);
        expect(await page.locator('#subjects li').count()).toBe(r.content.statement.subject.length);
        // The predicate summary is sigvet/attestations' (same facts as in Node).
        const att = await import('../../src/attestations.js');
        const summary = att.summarizeAttestation(att.readAttestation(r));
        const rows = await page.locator('#predicate-summary tr').evaluateAll((trs) => trs.map((tr) => [tr.querySelector('th')!.textContent, tr.querySelector('td')!.textContent]));
        expect(rows).toEqual([['Predicate kind', summary.kind], ...summary.facts.map((f) => [f.label, f.value])]);
        // Every check the verifier ran, each marked passed.
        const checks = await page.locator('#checks li.check.pass').evaluateAll((items) => items.map((i) => i.getAttribute('data-check')));
        expect(checks).toEqual(r.checks.map((x: any) => x.name));
        expect(await page.locator('#checks li.check.fail').count()).toBe(0);
        await page.screenshot({ path: path.join(SCREENSHOTS, 'verified.png'), fullPage: true });
      },
      BROWSER_TIMEOUT_MS,
    );

    it(
      'rejects a bundle whose inclusion proof is wrong, naming the code and the failed check',
      async () => {
        await resetForm();
        const c = vectorCase('inclusion-proof-wrong-hash_fail');
        const reference = await nodeVerify(VECTORS, c, 'path');
        expect(reference).toMatchObject({ ok: false, code: c.expected_error_code });
        await fillCase(VECTORS, c, 'path');
        expect(await submitAndWait()).toBe('failed');
        expect(await page.getAttribute('#verdict', 'data-code')).toBe(c.expected_error_code);
        expect(await page.textContent('#verdict')).toContain(`Not verified: ${c.expected_error_code}`);
        expect(await page.textContent('#failure [data-field="check"] td')).toBe(reference.check);
        expect(await page.getAttribute('#checks li.check.fail', 'data-check')).toBe(reference.check);
        expect(await page.locator('#signer').count()).toBe(0);
        await page.screenshot({ path: path.join(SCREENSHOTS, 'failed.png'), fullPage: true });
      },
      BROWSER_TIMEOUT_MS,
    );

    it(
      'rejects the right bundle for a different signer with IDENTITY',
      async () => {
        await resetForm();
        const c = vectorCase('happy-path-v0.3');
        await fillCase(VECTORS, c, 'path');
        await page.fill('#identity-san', 'https://github.com/someone-else/app/.github/workflows/release.yml@refs/heads/main');
        expect(await submitAndWait()).toBe('failed');
        expect(await page.getAttribute('#verdict', 'data-code')).toBe('IDENTITY');
      },
      BROWSER_TIMEOUT_MS,
    );

    it.skipIf(!SHARED_PRESENT)(
      'verifies a pasted sha256 digest against the embedded public-good root',
      async () => {
        await resetForm();
        const m = JSON.parse(fs.readFileSync(path.join(SHARED_CONFORMANCE, 'CASES.json'), 'utf8')) as { cases: Case[] };
        const c = m.cases.find((x) => x.name === 'happy-path-v0.3')!;
        const reference = await nodeVerify(SHARED_CONFORMANCE, c, 'digest', false);
        expect(reference.ok).toBe(true);
        await fillCase(SHARED_CONFORMANCE, c, 'digest', false);
        expect(await submitAndWait()).toBe('verified');
        expect(await page.textContent('details.inputs')).toContain('Sigstore public-good (built into sigvet)');
        expect(await page.textContent('details.inputs')).toContain(c.artifact_digest);
        expect(await page.textContent('#signer [data-field="san"] td')).toBe(reference.result.signer.subjectAlternativeName);
      },
      BROWSER_TIMEOUT_MS,
    );

    it(
      'sorts dropped files into their slots by name and content',
      async () => {
        await resetForm();
        const c = vectorCase('happy-path-v0.3');
        const files = [
          { name: 'release.tar.gz', bytes: [...fs.readFileSync(path.join(VECTORS, c.artifact))] },
          { name: 'release.tar.gz.sigstore.json', bytes: [...fs.readFileSync(path.join(VECTORS, c.bundle))] },
          { name: 'root.json', bytes: [...fs.readFileSync(path.join(VECTORS, c.trusted_root))] },
        ];
        await page.evaluate((list) => {
          const dt = new DataTransfer();
          for (const f of list) dt.items.add(new File([new Uint8Array(f.bytes)], f.name));
          document.getElementById('dropzone')!.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
        }, files);
        await page.waitForFunction(() => document.getElementById('root-chosen')!.textContent !== '');
        expect(await page.textContent('#bundle-chosen')).toContain('release.tar.gz.sigstore.json');
        expect(await page.textContent('#artifact-chosen')).toContain('release.tar.gz,');
        expect(await page.textContent('#root-chosen')).toContain('root.json');
        await page.fill('#identity-san', c.identity!);
        await page.fill('#identity-issuer', c.issuer!);
        expect(await submitAndWait()).toBe('verified');
      },
      BROWSER_TIMEOUT_MS,
    );

    it(
      'says what is missing instead of verifying half the inputs',
      async () => {
        await resetForm();
        expect(await submitAndWait()).toBe('input-error');
        expect(await page.textContent('#verdict')).toContain('choose a bundle');
        const c = vectorCase('happy-path-v0.3');
        await page.setInputFiles('#bundle-file', path.join(VECTORS, c.bundle));
        await page.setInputFiles('#artifact-file', path.join(VECTORS, c.artifact));
        expect(await submitAndWait()).toBe('input-error');
        expect(await page.textContent('#verdict')).toContain('expected identity');
        await page.fill('#artifact-digest', 'sha256:abc');
        expect(await submitAndWait()).toBe('input-error');
        expect(await page.textContent('#verdict')).toContain('64 hex digits');
      },
      BROWSER_TIMEOUT_MS,
    );

    /** A sigvet policy requiring `subject` from `issuer`, as the page takes it (JSON). */
    const policyFor = (name: string, subject: string, issuer: string) =>
      Buffer.from(
        JSON.stringify({
          apiVersion: 'policy.sigvet.dev/v1',
          name,
          authorities: { release: { kind: 'keyless', identities: [{ issuer: { exact: issuer }, subject: { exact: subject } }] } },
          require: { signedBy: ['release'] },
        }),
      );

    it(
      'evaluates a policy over the verified result and shows the verdict tree: allow',
      async () => {
        await resetForm();
        const c = vectorCase('happy-path-v0.3');
        await fillCase(VECTORS, c, 'path');
        await page.setInputFiles('#policy-file', { name: 'release.json', mimeType: 'application/json', buffer: policyFor('release-policy', c.identity!, c.issuer!) });
        expect(await submitAndWait()).toBe('verified');
        expect(await page.textContent('#verdict')).toContain('allowed by policy release-policy');
        expect(await page.getAttribute('#policy-decision', 'data-decision')).toBe('allow');
        const statuses = await page.locator('#policy-tree li.rule').evaluateAll((items) => items.map((i) => i.getAttribute('data-status')));
        expect(statuses.length).toBeGreaterThan(0);
        expect(statuses[0]).toBe('pass');
        await page.screenshot({ path: path.join(SCREENSHOTS, 'policy-allowed.png'), fullPage: true });
      },
      BROWSER_TIMEOUT_MS,
    );

    it(
      'evaluates a policy over the verified result and shows the verdict tree: deny, with the failing rule',
      async () => {
        await resetForm();
        const c = vectorCase('happy-path-v0.3');
        await fillCase(VECTORS, c, 'path');
        await page.setInputFiles('#policy-file', {
          name: 'other.json',
          mimeType: 'application/json',
          buffer: policyFor('other-signer', 'https://github.com/someone-else/app/.github/workflows/release.yml@refs/heads/main', c.issuer!),
        });
        expect(await submitAndWait()).toBe('denied');
        expect(await page.getAttribute('#verdict', 'data-verdict')).toBe('denied');
        expect(await page.textContent('#verdict')).toContain('denied by policy other-signer');
        expect(await page.getAttribute('#policy-decision', 'data-decision')).toBe('deny');
        expect(await page.locator('#policy-tree li.rule[data-status="fail"]').count()).toBeGreaterThan(0);
        // The signature checks still show, all passed: the signature is fine, the signer is not wanted.
        expect(await page.locator('#checks li.check.fail').count()).toBe(0);
        await page.screenshot({ path: path.join(SCREENSHOTS, 'policy-denied.png'), fullPage: true });
      },
      BROWSER_TIMEOUT_MS,
    );

    it(
      'never presents an unchecked signer or an unreadable policy as a clean pass',
      async () => {
        await resetForm();
        const c = vectorCase('happy-path-v0.3');
        await fillCase(VECTORS, c, 'path');
        await page.fill('#identity-san', '');
        await page.fill('#identity-issuer', '');
        await page.setChecked('#skip-identity', true);
        await page.setInputFiles('#policy-file', { name: 'policy.yaml', mimeType: 'text/yaml', buffer: Buffer.from('apiVersion: policy.sigvet.dev/v1\n') });
        expect(await submitAndWait()).toBe('verified');
        const verdict = (await page.textContent('#verdict'))!;
        expect(verdict).toContain('caveats');
        expect(verdict).toContain('signer not checked');
        expect(verdict).toContain('policy not evaluated');
        expect(await page.getAttribute('#verdict', 'class')).toContain('caveat');
        expect(await page.textContent('#policy')).toContain('was not evaluated');
      },
      BROWSER_TIMEOUT_MS,
    );

    // Runs last: the page loaded its own files and nothing else, and sent nothing after loading.
    it('fetched only its own files, nothing after loading, and raised no errors', () => {
      expect(foreign).toEqual([]);
      const unexpected = server.requests.filter((p) => !p.startsWith('/examples/web/') && !p.startsWith('/dist/browser/') && p !== '/favicon.ico');
      expect(unexpected).toEqual([]);
      expect(server.requests.slice(requestsAfterLoad).filter((p) => p !== '/favicon.ico')).toEqual([]);
      // The CSP probe above is the only error the page may have logged.
      expect(pageErrors.filter((e) => !e.includes('Content Security Policy') && !e.includes('Failed to fetch'))).toEqual([]);
    });
  });
});
