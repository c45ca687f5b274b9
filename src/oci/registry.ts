/**
 * A small, read-only client for the OCI distribution API over `fetch`:
 * resolve tags, fetch manifests and blobs by digest (every byte checked
 * against the digest, every body capped), list referrers (the OCI 1.1
 * API, or the referrers tag schema where a registry lacks it), and the
 * anonymous, Basic and Bearer-token authentication flows.
 *
 * Tags are mutable: resolving one gives the digest it names *now*. Verify
 * by digest (`repo@sha256:…`) to verify exactly one image.
 * @module
 */
import { invalidArgument, requireObject } from '../arguments.js';
import { SigvetError } from '../errors.js';
import { encodeBase64 } from '../encoding/base64.js';
import { utf8, utf8DecodeStrict } from '../encoding/bytes.js';
import { parseJson, type JsonObject } from '../encoding/json.js';
import { checkCredentials, parseAuthChallenges, type AuthChallenge, type CredentialProvider, type RegistryCredentials } from './auth.js';
import { digestOf, digestTag, isDigest, parseDigest, verifyDigest } from './digest.js';
import { asRegistryError, ociLimitFail, registryFail } from './errors.js';
import { resolveLimits, type OciLimits } from './limits.js';
import { parseManifestDocument, type Descriptor } from './manifest.js';
import { MANIFEST_ACCEPT, MediaType } from './media-types.js';
import { registryApiHost } from './reference.js';
import { requireSourceCall, type FetchedManifest, type ImageSource, type ReferrersList, type RepositoryLocation } from './source.js';

/** The `fetch` function the client calls (the global one by default). */
export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/** Options of {@link createRegistryClient}. */
export interface RegistryClientOptions {
  /** The fetch implementation (default: `globalThis.fetch`). */
  readonly fetch?: FetchLike;
  /** Credentials per registry; anonymous access when absent or when it returns `undefined`. */
  readonly credentials?: CredentialProvider;
  /**
   * Registries reached over plain HTTP (`true` for all). Default: none;
   * HTTPS everywhere. Credentials are sent over HTTP only to these.
   */
  readonly plainHttp?: boolean | readonly string[];
  /** Size and count limits. */
  readonly limits?: Partial<OciLimits>;
  /** Per-request timeout in milliseconds (default 60 000). */
  readonly timeoutMs?: number;
}

/** A registry client; also an {@link ImageSource}. */
export interface RegistryClient extends ImageSource {
  readonly kind: 'registry';
  /** The limits in force. */
  readonly limits: OciLimits;
}

interface RequestResult {
  readonly response: Response;
  readonly url: string;
}

const REPO_PATH = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;

/**
 * Creates a registry client.
 * @throws SigvetError `INVALID_ARGUMENT` (checks `options`, `options.fetch`,
 *   `options.credentials`, `options.plainHttp`, `options.limits`, `options.timeoutMs`) for bad options.
 */
export function createRegistryClient(options: RegistryClientOptions = {}): RegistryClient {
  const fn = 'createRegistryClient';
  requireObject(options, fn, 'options', 'options');
  // Checked now: a wrong type would otherwise surface at the first request, far from the mistake.
  if (options.fetch !== undefined && typeof options.fetch !== 'function') invalidArgument(fn, 'options.fetch', 'a function', options.fetch, 'options.fetch');
  if (options.credentials !== undefined && typeof options.credentials !== 'function') {
    invalidArgument(fn, 'options.credentials', 'a function', options.credentials, 'options.credentials');
  }
  const plain = options.plainHttp;
  if (plain !== undefined && typeof plain !== 'boolean' && !Array.isArray(plain)) {
    invalidArgument(fn, 'options.plainHttp', 'a boolean or an array of registry names', plain, 'options.plainHttp');
  }
  const limits = resolveLimits(options.limits, fn);
  const fetchFn: FetchLike | undefined = options.fetch ?? (globalThis.fetch ? globalThis.fetch.bind(globalThis) : undefined);
  if (!fetchFn) throw new SigvetError('INVALID_ARGUMENT', 'no fetch implementation: pass options.fetch', { check: 'options.fetch' });
  const timeoutMs = options.timeoutMs ?? 60_000;
  if (!Number.isSafeInteger(timeoutMs) || timeoutMs <= 0) {
    throw new SigvetError('INVALID_ARGUMENT', 'timeoutMs must be a positive integer', { check: 'options.timeoutMs' });
  }
  const tokens = new Map<string, string>();
  const credentialCache = new Map<string, RegistryCredentials | undefined>();

  const isPlainHttp = (registry: string): boolean => {
    const p = options.plainHttp;
    return p === true || (Array.isArray(p) && p.includes(registry));
  };

  const credentialsFor = async (registry: string): Promise<RegistryCredentials | undefined> => {
    if (credentialCache.has(registry)) return credentialCache.get(registry);
    let c: RegistryCredentials | undefined;
    if (options.credentials) {
      let got: unknown;
      try {
        got = await options.credentials(registry);
      } catch (e) {
        throw asRegistryError(e, 'credentials', `the credential provider failed for ${registry}`);
      }
      c = got === undefined ? undefined : checkCredentials(got, registry);
    }
    credentialCache.set(registry, c);
    return c;
  };

  const send = async (url: string, init: RequestInit, what: string): Promise<Response> => {
    const signal = typeof AbortSignal !== 'undefined' && 'timeout' in AbortSignal ? AbortSignal.timeout(timeoutMs) : undefined;
    try {
      return await fetchFn(url, { ...init, redirect: 'follow', ...(signal ? { signal } : {}) });
    } catch (e) {
      throw asRegistryError(e, 'network', `${what}: request to ${url} failed`);
    }
  };

  /** Exchanges credentials for a bearer token at the challenge's realm. */
  const fetchToken = async (registry: string, challenge: AuthChallenge, scope: string): Promise<string> => {
    const realm = challenge.params.realm;
    if (!realm) registryFail('auth', `${registry}: the Bearer challenge names no realm`);
    let realmUrl: URL;
    try {
      realmUrl = new URL(realm);
    } catch {
      return registryFail('auth', `${registry}: the token realm ${JSON.stringify(realm)} is not a URL`);
    }
    if (realmUrl.protocol !== 'https:' && !(realmUrl.protocol === 'http:' && isPlainHttp(registry))) {
      registryFail('auth', `${registry}: refusing the token realm ${realmUrl.origin}: not HTTPS`);
    }
    const creds = await credentialsFor(registry);
    const service = challenge.params.service;
    // Our own scope, not the challenge's: the client knows which repository it reads.
    const fullScope = scope;
    let res: Response;
    if (creds && 'identityToken' in creds) {
      const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: creds.identityToken, client_id: 'sigvet', scope: fullScope });
      if (service) form.set('service', service);
      res = await send(realmUrl.href, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() }, 'token');
    } else {
      if (service) realmUrl.searchParams.set('service', service);
      realmUrl.searchParams.set('scope', fullScope);
      const headers: Record<string, string> = {};
      if (creds && 'username' in creds) headers.authorization = `Basic ${encodeBase64(utf8(`${creds.username}:${creds.password}`))}`;
      res = await send(realmUrl.href, { headers }, 'token');
    }
    if (!res.ok) {
      await discard(res);
      registryFail('auth', `${registry}: the token service refused (${res.status})${creds ? '' : ' anonymous access'}`, { actual: String(res.status) });
    }
    const body = await readCapped(res, limits.maxTokenBytes, 'token response');
    let doc: JsonObject;
    try {
      const v = parseJson(utf8DecodeStrict(body), 'token response');
      if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error('not an object');
      doc = v as JsonObject;
    } catch (e) {
      throw asRegistryError(e, 'auth', `${registry}: malformed token response`);
    }
    const token = typeof doc.token === 'string' && doc.token ? doc.token : typeof doc.access_token === 'string' ? doc.access_token : '';
    if (!token || /[\r\n]/.test(token)) registryFail('auth', `${registry}: the token response holds no token`);
    return token;
  };

  /**
   * GET with authentication: tries a cached token (or none), answers one
   * 401 challenge, and retries once.
   */
  const request = async (repo: RepositoryLocation, path: string, accept: readonly string[], what: string): Promise<RequestResult> => {
    checkRepo(repo);
    const scheme = isPlainHttp(repo.registry) ? 'http' : 'https';
    const url = `${scheme}://${registryApiHost(repo.registry)}${path}`;
    const scope = `repository:${repo.repository}:pull`;
    const cacheKey = `${repo.registry}|${scope}`;
    const headers = (auth: string | undefined): Record<string, string> => {
      const h: Record<string, string> = { accept: accept.join(', ') };
      if (auth) h.authorization = auth;
      return h;
    };
    const cached = tokens.get(cacheKey);
    let res = await send(url, { headers: headers(cached) }, what);
    if (res.status !== 401) return { response: res, url };
    const challenges = parseAuthChallenges(res.headers.get('www-authenticate'));
    await discard(res);
    const creds = await credentialsFor(repo.registry);
    let auth: string | undefined;
    const bearer = challenges.find((c) => c.scheme === 'bearer');
    const basic = challenges.find((c) => c.scheme === 'basic');
    if (creds && 'registryToken' in creds) {
      auth = `Bearer ${creds.registryToken}`;
    } else if (bearer) {
      auth = `Bearer ${await fetchToken(repo.registry, bearer, scope)}`;
      if (tokens.size < 256) tokens.set(cacheKey, auth);
    } else if (basic && creds && 'username' in creds) {
      if (scheme !== 'https' && !isPlainHttp(repo.registry)) registryFail('auth', `${repo.registry}: refusing Basic credentials over HTTP`);
      auth = `Basic ${encodeBase64(utf8(`${creds.username}:${creds.password}`))}`;
    } else {
      registryFail('unauthorized', `${what}: ${repo.registry} requires authentication${creds ? ' of a kind sigvet does not speak' : ' and no credentials were given'}`, {
        actual: '401',
      });
    }
    res = await send(url, { headers: headers(auth) }, what);
    if (res.status === 401 || res.status === 403) {
      await discard(res);
      tokens.delete(cacheKey);
      registryFail('unauthorized', `${what}: ${repo.registry} refused the credentials (${res.status})`, { actual: String(res.status) });
    }
    return { response: res, url };
  };

  const getManifest = async (repo: RepositoryLocation, reference: string, what: string): Promise<FetchedManifest | undefined> => {
    const { response: res } = await request(repo, `/v2/${repo.repository}/manifests/${reference}`, MANIFEST_ACCEPT, what);
    if (res.status === 404) {
      await discard(res);
      return undefined;
    }
    if (!res.ok) {
      await discard(res);
      registryFail('status', `${what}: ${repo.registry} answered ${res.status}`, { actual: String(res.status) });
    }
    const bytes = await readCapped(res, limits.maxManifestBytes, what);
    let digest: string;
    if (isDigest(reference)) {
      verifyDigest(bytes, reference, what);
      digest = reference;
    } else {
      // A tag: the digest is what the bytes hash to. A registry that reports
      // another digest serves something other than what it claims.
      digest = digestOf(bytes, 'sha256');
      const reported = res.headers.get('docker-content-digest');
      if (reported !== null && reported !== '') {
        if (!isDigest(reported)) registryFail('digest_header', `${what}: malformed Docker-Content-Digest ${JSON.stringify(String(reported).slice(0, 100))}`);
        verifyDigest(bytes, reported, `${what} (Docker-Content-Digest)`);
        if (parseDigest(reported, 'Docker-Content-Digest').algorithm !== 'sha256') digest = reported;
      }
    }
    const document = parseManifestDocument(bytes, res.headers.get('content-type') ?? undefined, what, limits);
    return { digest, bytes, document };
  };

  const client: RegistryClient = {
    kind: 'registry',
    description: 'OCI distribution API',
    limits,
    manifestByTag(repo, tag) {
      requireSourceCall('manifestByTag', repo, 'tag', tag);
      if (!TAG.test(tag)) throw new SigvetError('INVALID_ARGUMENT', `invalid tag ${JSON.stringify(tag)}`, { check: 'oci.reference' });
      return getManifest(repo, tag, `${repo.registry}/${repo.repository}:${tag}`);
    },
    manifestByDigest(repo, digest) {
      requireSourceCall('manifestByDigest', repo, 'digest', digest);
      parseDigest(digest, 'manifest digest');
      return getManifest(repo, digest, `${repo.registry}/${repo.repository}@${digest}`);
    },
    async blob(repo, descriptor) {
      requireSourceCall('blob', repo, 'descriptor', descriptor);
      const d = parseDigest(descriptor.digest, 'blob digest');
      const what = `blob ${d.text} in ${repo.registry}/${repo.repository}`;
      if (descriptor.size > limits.maxBlobBytes) ociLimitFail('blob', `${what}: ${descriptor.size} bytes exceeds ${limits.maxBlobBytes}`);
      const { response: res } = await request(repo, `/v2/${repo.repository}/blobs/${d.text}`, ['*/*'], what);
      if (!res.ok) {
        await discard(res);
        registryFail(res.status === 404 ? 'not_found' : 'status', `${what}: ${repo.registry} answered ${res.status}`, { actual: String(res.status) });
      }
      // One byte past the declared size is enough to know it is wrong.
      const bytes = await readCapped(res, descriptor.size + 1, what, true);
      checkSize(bytes, descriptor, what);
      verifyDigest(bytes, d, what);
      return bytes;
    },
    async referrers(repo, digest) {
      requireSourceCall('referrers', repo, 'digest', digest);
      const d = parseDigest(digest, 'subject digest');
      const what = `referrers of ${d.text} in ${repo.registry}/${repo.repository}`;
      const first = `/v2/${repo.repository}/referrers/${d.text}`;
      const { response: res, url } = await request(repo, first, [MediaType.ociIndex], what);
      if (res.status === 404 || res.status === 400 || res.status === 405 || res.status === 501) {
        // No referrers API: the referrers tag schema (`sha256-<hex>`), maintained by clients.
        await discard(res);
        const fallback = await getManifest(repo, digestTag(d, ''), `${what} (referrers tag)`);
        if (!fallback) return { descriptors: [], via: 'none' } satisfies ReferrersList;
        if (fallback.document.kind !== 'index') registryFail('referrers', `${what}: the referrers tag does not name an index`);
        return { descriptors: fallback.document.manifests, via: 'referrers-tag' } satisfies ReferrersList;
      }
      const out: Descriptor[] = [];
      let page: Response = res;
      let pageUrl = url;
      for (let n = 0; ; n++) {
        if (!page.ok) {
          await discard(page);
          registryFail('status', `${what}: ${repo.registry} answered ${page.status}`, { actual: String(page.status) });
        }
        const bytes = await readCapped(page, limits.maxManifestBytes, what);
        const doc = parseManifestDocument(bytes, page.headers.get('content-type') ?? undefined, what, limits);
        if (doc.kind !== 'index') registryFail('referrers', `${what}: the referrers API did not answer with an index`);
        out.push(...doc.manifests);
        if (out.length > limits.maxDescriptors) ociLimitFail('referrers', `${what}: more than ${limits.maxDescriptors} referrers`);
        const next = nextLink(page.headers.get('link'), pageUrl);
        if (!next) break;
        if (n + 1 >= limits.maxReferrerPages) ociLimitFail('referrers', `${what}: more than ${limits.maxReferrerPages} pages`);
        const path = next.pathname + next.search;
        const r = await request(repo, path, [MediaType.ociIndex], what);
        page = r.response;
        pageUrl = r.url;
      }
      return { descriptors: out, via: 'referrers-api' } satisfies ReferrersList;
    },
  };
  return client;
}

function checkRepo(repo: RepositoryLocation): void {
  if (!repo || typeof repo.registry !== 'string' || typeof repo.repository !== 'string' || !REPO_PATH.test(repo.repository) || repo.repository.length > 255) {
    throw new SigvetError('INVALID_ARGUMENT', `invalid repository ${JSON.stringify(repo?.repository)}`, { check: 'oci.reference' });
  }
  if (!/^(?:[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::[0-9]{1,5})?$/.test(repo.registry)) {
    throw new SigvetError('INVALID_ARGUMENT', `invalid registry ${JSON.stringify(repo.registry)}`, { check: 'oci.reference' });
  }
}

/** Throws unless the blob has exactly the declared size. */
export function checkSize(bytes: Uint8Array, descriptor: Descriptor, what: string): void {
  if (bytes.length !== descriptor.size) {
    throw new SigvetError('SIGNATURE', `${what}: the content has another size than its descriptor says`, {
      check: 'oci.digest',
      expected: `${descriptor.size} bytes`,
      actual: bytes.length > descriptor.size ? `more than ${descriptor.size} bytes` : `${bytes.length} bytes`,
    });
  }
}

/** The same-origin `rel="next"` target of a Link header (RFC 8288), if any. */
function nextLink(header: string | null, base: string): URL | undefined {
  if (!header) return undefined;
  const m = /<([^>]{1,2048})>\s*;\s*rel="?next"?/.exec(header);
  if (!m) return undefined;
  let u: URL;
  try {
    u = new URL(m[1]!, base);
  } catch {
    return registryFail('referrers', 'malformed Link header');
  }
  if (u.origin !== new URL(base).origin) registryFail('referrers', `refusing a referrers page on another origin (${u.origin})`);
  return u;
}

async function discard(res: Response): Promise<void> {
  try {
    await res.body?.cancel();
  } catch {
    // Nothing to release.
  }
}

/**
 * Reads a response body, failing as soon as it passes `max` bytes (or when
 * Content-Length announces more). With `allowOneOver`, returns the first
 * `max` bytes instead of failing, so the caller can report a size mismatch.
 */
async function readCapped(res: Response, max: number, what: string, allowOneOver = false): Promise<Uint8Array> {
  const len = res.headers.get('content-length');
  if (len !== null && /^[0-9]+$/.test(len) && Number(len) > max && !allowOneOver) {
    await discard(res);
    ociLimitFail('body', `${what}: ${len} bytes announced, more than ${max}`);
  }
  const body = res.body;
  if (!body) return new Uint8Array(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!(value instanceof Uint8Array)) continue;
      if (total + value.length > max) {
        if (allowOneOver) {
          chunks.push(value.subarray(0, max - total));
          total = max;
          await reader.cancel().catch(() => undefined);
          break;
        }
        await reader.cancel().catch(() => undefined);
        ociLimitFail('body', `${what}: more than ${max} bytes`);
      }
      chunks.push(value);
      total += value.length;
    }
  } catch (e) {
    throw asRegistryError(e, 'network', `${what}: reading the response failed`);
  }
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}
