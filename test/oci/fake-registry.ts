/**
 * An in-memory registry behind a `fetch` function, serving fixture
 * repositories over the distribution API (with the OCI referrers API when
 * asked), and misbehaving on request: wrong digest headers, oversized
 * bodies, foreign pagination links, authentication challenges.
 */
import type { Repo } from '../../scripts/oci/fixtures.mjs';
import type { FetchLike } from '../../src/oci/registry.js';

export interface FakeOptions {
  /** Serve GET /v2/<name>/referrers/<digest> (paginated by `pageSize`). */
  referrersApi?: boolean;
  pageSize?: number;
  /** Absolute origin for `Link` next pages (default: the registry's own). */
  linkOrigin?: string;
  /** Report this Docker-Content-Digest for tag requests. */
  digestHeader?: string;
  /** Extra referrer descriptors to list (e.g. one whose subject is another image). */
  extraReferrers?: object[];
  /** Answer every request with 401 and this WWW-Authenticate, unless `authorized(header)` is true. */
  challenge?: string;
  authorized?: (authorization: string | null) => boolean;
  /** Token endpoint handler (URL → JSON body), for Bearer flows. */
  tokenEndpoint?: (url: URL, authorization: string | null) => Response;
  /** Replace a body before sending. */
  override?: (path: string, body: Uint8Array) => Uint8Array;
  /** Omit Content-Length. */
  noLength?: boolean;
}

/** Records of what the fake saw. */
export interface FakeLog {
  requests: { url: string; authorization: string | null }[];
}

const INDEX = 'application/vnd.oci.image.index.v1+json';

/** A fetch that serves `repos` (by repository name) at `https://<host>`. */
export function fakeRegistry(host: string, repos: Repo[], o: FakeOptions = {}): { fetch: FetchLike; log: FakeLog } {
  const log: FakeLog = { requests: [] };
  const byName = new Map(repos.map((r) => [r.name, r]));
  const fetch: FetchLike = async (input, init) => {
    const url = new URL(input);
    const authorization = new Headers(init?.headers).get('authorization');
    log.requests.push({ url: url.href, authorization });
    if (o.tokenEndpoint && url.pathname === '/token') return o.tokenEndpoint(url, authorization);
    if (url.host !== host) throw new TypeError(`fetch failed: no route to ${url.host}`);
    if (o.challenge && !(o.authorized?.(authorization) ?? false)) {
      return new Response('{"errors":[{"code":"UNAUTHORIZED"}]}', { status: 401, headers: { 'www-authenticate': o.challenge } });
    }
    const m = /^\/v2\/(.+)\/(manifests|blobs|referrers)\/([^/]+)$/.exec(url.pathname);
    if (!m) return new Response('not found', { status: 404 });
    const [, name, kind, ref] = m as unknown as [string, string, string, string];
    const repo = byName.get(name);
    if (!repo) return new Response('not found', { status: 404 });
    const send = (bytes: Uint8Array, headers: Record<string, string>): Response => {
      const body = o.override ? o.override(url.pathname, bytes) : bytes;
      const h: Record<string, string> = { ...headers };
      if (!o.noLength) h['content-length'] = String(body.length);
      return new Response(o.noLength ? new Blob([Buffer.from(body)]).stream() : Buffer.from(body), { status: 200, headers: h });
    };
    if (kind === 'referrers') {
      if (!o.referrersApi) return new Response('404 page not found', { status: 404 });
      const all = [...repo.referrers.filter((r) => r.subject === ref).map((r) => r.descriptor), ...(o.extraReferrers ?? [])];
      const size = o.pageSize ?? all.length;
      const page = Number(url.searchParams.get('page') ?? '0');
      const slice = all.slice(page * size, (page + 1) * size);
      const headers: Record<string, string> = { 'content-type': INDEX };
      if ((page + 1) * size < all.length) headers.link = `<${o.linkOrigin ?? `https://${host}`}${url.pathname}?page=${page + 1}>; rel="next"`;
      return send(new TextEncoder().encode(JSON.stringify({ schemaVersion: 2, mediaType: INDEX, manifests: slice })), headers);
    }
    if (kind === 'blobs') {
      const c = repo.content.get(ref);
      if (!c) return new Response('blob unknown', { status: 404 });
      return send(repo.tampered.get(ref) ?? c.bytes, { 'content-type': 'application/octet-stream' });
    }
    const digest = ref.startsWith('sha256:') ? ref : repo.tags.get(ref)?.digest;
    const c = digest === undefined ? undefined : repo.content.get(digest);
    if (!c || !digest) return new Response('manifest unknown', { status: 404 });
    return send(repo.tampered.get(digest) ?? c.bytes, { 'content-type': c.mediaType, 'docker-content-digest': ref.startsWith('sha256:') ? digest : (o.digestHeader ?? digest) });
  };
  return { fetch, log };
}
