/**
 * Bounded downloads with `fetch`: the TUF client never reads more bytes than
 * the metadata allows (a fixed cap for files of unknown size, the signed
 * length for the rest), so an endless or oversized response costs at most
 * that much memory ("endless data" attacks, specification section 1.5.2).
 * @module
 */
import { SigvetError } from '../errors.js';
import { tufError } from './web-errors.js';

/** The `fetch` signature the client needs (the global one, or a caller's). */
export type FetchFunction = (input: string, init?: RequestInit) => Promise<Response>;

/** How to download. */
export interface Downloader {
  readonly fetch: FetchFunction;
  /** Milliseconds before one request (headers and body) is abandoned. */
  readonly timeoutMs: number;
  /** Further attempts after a network failure or a 5xx/429 answer. */
  readonly retries: number;
}

/** Options of one download. */
export interface DownloadOptions {
  /** Return undefined for 404 and 403 (a missing file: the end of the root chain). */
  readonly missingOk?: boolean;
  /**
   * The file changes in place (timestamp.json, N.root.json). Informational:
   * HTTP caching follows the server's headers, and a stale timestamp only
   * delays an update (its version cannot go back).
   */
  readonly volatile?: boolean;
}

/**
 * Downloads `url`, reading at most `maxBytes`.
 *
 * @param what names the file in messages.
 * @returns the bytes, or undefined when `missingOk` and the server says 404/403.
 * @throws SigvetError `TRUST_ROOT`, check `tuf.download` (network failure,
 *   time-out, HTTP error) or `tuf.download.length` (more than `maxBytes`).
 */
export async function download(d: Downloader, url: string, maxBytes: number, what: string, options: DownloadOptions = {}): Promise<Uint8Array | undefined> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await downloadOnce(d, url, maxBytes, what, options);
    } catch (e) {
      if (!(e instanceof Retryable) || attempt >= d.retries) throw e instanceof Retryable ? e.error : e;
    }
  }
}

/** A failure worth another attempt (network, 5xx, 429), carrying the error to report if none is left. */
class Retryable {
  constructor(readonly error: SigvetError) {}
}

async function downloadOnce(d: Downloader, url: string, maxBytes: number, what: string, options: DownloadOptions): Promise<Uint8Array | undefined> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), d.timeoutMs);
  try {
    let response: Response;
    try {
      // Only `signal`: some runtimes (Cloudflare Workers) throw on `cache` or
      // `credentials`. A caller who wants a cache mode wraps `fetch`.
      response = await d.fetch(url, { signal: controller.signal });
    } catch (e) {
      const timedOut = controller.signal.aborted;
      throw new Retryable(tufError('tuf.download', `${what}: ${timedOut ? `no answer within ${d.timeoutMs} ms` : 'the request failed'} (${url})`, { cause: e }));
    }
    if (options.missingOk && (response.status === 404 || response.status === 403)) {
      await discard(response);
      return undefined;
    }
    if (response.status !== 200) {
      await discard(response);
      const error = tufError('tuf.download', `${what}: HTTP ${response.status} from ${url}`, { expected: '200', actual: String(response.status) });
      throw response.status >= 500 || response.status === 429 ? new Retryable(error) : error;
    }
    const declared = response.headers.get('content-length');
    if (declared !== null && /^\d+$/.test(declared) && Number(declared) > maxBytes) {
      controller.abort(); // drop the connection rather than drain the body
      throw tooLong(what, url, maxBytes, declared);
    }
    try {
      return await readBounded(response, maxBytes, what, url, () => controller.abort());
    } catch (e) {
      if (e instanceof SigvetError) throw e;
      const timedOut = controller.signal.aborted;
      throw new Retryable(tufError('tuf.download', `${what}: ${timedOut ? `no complete answer within ${d.timeoutMs} ms` : 'reading the response failed'} (${url})`, { cause: e }));
    }
  } finally {
    clearTimeout(timer);
  }
}

/** Reads the body, failing as soon as it exceeds `maxBytes`. */
async function readBounded(response: Response, maxBytes: number, what: string, url: string, abort: () => void): Promise<Uint8Array> {
  const body = response.body;
  if (body === null) {
    // Runtimes without streams: the whole body is read, then bounded.
    const all = new Uint8Array(await response.arrayBuffer());
    if (all.length > maxBytes) throw tooLong(what, url, maxBytes, `${all.length}`);
    return all;
  }
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > maxBytes) {
      // Aborting closes the connection; cancelling the reader alone may let the runtime drain the rest.
      abort();
      await reader.cancel().catch(() => undefined);
      throw tooLong(what, url, maxBytes, `more than ${maxBytes}`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

function tooLong(what: string, url: string, maxBytes: number, actual: string): SigvetError {
  return tufError('tuf.download.length', `${what}: the response from ${url} exceeds ${maxBytes} bytes`, {
    expected: `at most ${maxBytes} bytes`,
    actual: `${actual} bytes`,
  });
}

/** Releases a response body that will not be read. */
async function discard(response: Response): Promise<void> {
  try {
    await response.body?.cancel();
  } catch {
    // Nothing to release.
  }
}
