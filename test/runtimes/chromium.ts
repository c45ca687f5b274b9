/**
 * Shared by the browser tests (worker and CSP, the verification page, the
 * extension): finds Debian's Chromium, launches it headless through
 * playwright-core, and serves files from fixed roots on 127.0.0.1 with the
 * headers a test asks for. Nothing here fetches anything from elsewhere.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type LaunchOptions } from 'playwright-core';

/** Browser steps get long timeouts: a cold Chromium on 2 busy cores is slow. */
export const BROWSER_TIMEOUT_MS = 120_000;

/** True under CI, where a missing browser fails the suite instead of skipping it. */
export const IN_CI = Boolean(process.env.CI) && !['0', 'false'].includes(process.env.CI!.toLowerCase());

/** Debian installs `chromium`; Ubuntu-style images may call it `chromium-browser`; $CHROMIUM_PATH wins. */
export function findChromium(): string | undefined {
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

/** Flags every launch uses: no sandbox (root in CI), no background traffic. */
const COMMON_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-quic',
  '--disable-sync',
  '--disable-features=Translate,MediaRouter,OptimizationHints',
];

/** Launches headless Chromium (old headless mode: enough for pages and workers). */
export function launchChromium(executablePath: string, extra: Partial<LaunchOptions> = {}): Promise<Browser> {
  return chromium.launch({
    timeout: BROWSER_TIMEOUT_MS,
    ...extra,
    executablePath,
    args: ['--headless', ...COMMON_ARGS, ...(extra.args ?? [])],
  });
}

/**
 * Launches Chromium with an unpacked extension. Extensions need the new
 * headless mode (`--headless=new`) and a persistent profile.
 */
export function launchWithExtension(executablePath: string, extensionDir: string, userDataDir: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: false,
    args: [
      '--headless=new',
      ...COMMON_ARGS,
      `--disable-extensions-except=${extensionDir}`,
      `--load-extension=${extensionDir}`,
    ],
    timeout: BROWSER_TIMEOUT_MS,
  });
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.txt': 'text/plain; charset=utf-8',
};

/** One served path: fixed text, or files below a root directory. */
export type Route =
  | { readonly path: string; readonly body: string | Uint8Array; readonly type?: string; readonly headers?: Record<string, string> }
  | { readonly prefix: string; readonly root: string; readonly headers?: Record<string, string> };

/** A running server; `origin` is `http://127.0.0.1:<port>`. */
export interface StaticServer {
  readonly origin: string;
  /** Every path requested, in order (to assert what a page fetched). */
  readonly requests: string[];
  close(): Promise<void>;
}

/**
 * Serves `routes` on 127.0.0.1 (a port the OS picks). Directory routes
 * refuse paths that leave their root. Everything else is 404.
 */
export function startStaticServer(routes: readonly Route[], defaultHeaders: Record<string, string> = {}): Promise<StaticServer> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const pathname = decodeURIComponent(url.pathname);
    requests.push(pathname);
    const send = (status: number, body: string | Uint8Array, type: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...defaultHeaders, ...headers });
      res.end(body);
    };
    if (req.method !== 'GET') return send(405, 'method not allowed', 'text/plain');
    for (const route of routes) {
      if ('body' in route) {
        if (pathname === route.path) return send(200, route.body, route.type ?? CONTENT_TYPES[path.extname(route.path)] ?? 'application/octet-stream', route.headers);
        continue;
      }
      if (!pathname.startsWith(route.prefix)) continue;
      const root = path.resolve(route.root);
      let file = path.resolve(root, `.${path.posix.sep}${pathname.slice(route.prefix.length)}`);
      if (file !== root && !file.startsWith(root + path.sep)) return send(403, 'forbidden', 'text/plain');
      if (fs.statSync(file, { throwIfNoEntry: false })?.isDirectory()) file = path.join(file, 'index.html');
      if (!fs.statSync(file, { throwIfNoEntry: false })?.isFile()) return send(404, 'not found', 'text/plain');
      return send(200, fs.readFileSync(file), CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream', route.headers);
    }
    return send(404, 'not found', 'text/plain');
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      resolve({
        origin,
        requests,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}
