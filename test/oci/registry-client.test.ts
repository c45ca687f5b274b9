/**
 * The registry client against an in-memory registry: the referrers API and
 * its pagination, digest and size checks on every response, body caps, the
 * authentication challenges, and the limits on what discovery verifies.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildOciFixtures, type OciFixtures } from '../../scripts/oci/fixtures.mjs';
import { createRegistryClient } from '../../src/oci/registry.js';
import { parseAuthChallenges } from '../../src/oci/auth.js';
import { checkImage, verifyImage } from '../../src/oci/verify-image.js';
import { SigvetError } from '../../src/errors.js';
import type { Verifier } from '../../src/verify/verifier.js';
import { fakeRegistry } from './fake-registry.js';
import { verifierFor } from './helpers.js';

const HOST = 'reg.test';
let fx: OciFixtures;
let verifier: Verifier;
beforeAll(async () => {
  fx = buildOciFixtures();
  verifier = await verifierFor(fx.trustedRoot);
});
const id = (): { subjectAlternativeName: string; issuer: string } => ({ subjectAlternativeName: fx.identity, issuer: fx.issuer });
const ref = (repo: string, suffix = ':v1'): string => `${HOST}/${fx.repos.get(repo)!.name}${suffix}`;

async function failure(p: Promise<unknown>): Promise<SigvetError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e, 'must be rejected').toBeInstanceOf(SigvetError);
  return e as SigvetError;
}

describe('referrers', () => {
  it('uses the referrers API, following pages', async () => {
    const { fetch, log } = fakeRegistry(HOST, [fx.repos.get('signed-bundles')!], { referrersApi: true, pageSize: 1 });
    const r = await verifyImage({ verifier, source: createRegistryClient({ fetch }), reference: ref('signed-bundles'), identity: id(), attestations: true });
    expect(r.signatures.map((s) => s.origin.via)).toEqual(['referrers-api']);
    expect(r.attestations.map((s) => s.origin.via)).toEqual(['referrers-api']);
    expect(log.requests.filter((q) => q.url.includes('/referrers/'))).toHaveLength(2);
  });

  it('stops at the page limit', async () => {
    const { fetch } = fakeRegistry(HOST, [fx.repos.get('signed-bundles')!], { referrersApi: true, pageSize: 1 });
    const err = await failure(verifyImage({ verifier, source: createRegistryClient({ fetch, limits: { maxReferrerPages: 1 } }), reference: ref('signed-bundles'), identity: id() }));
    expect(`${err.code} ${err.check}`).toBe('LIMIT oci.limit.referrers');
  });

  it('refuses a next page on another origin', async () => {
    const { fetch } = fakeRegistry(HOST, [fx.repos.get('signed-bundles')!], { referrersApi: true, pageSize: 1, linkOrigin: 'https://evil.test' });
    const err = await failure(verifyImage({ verifier, source: createRegistryClient({ fetch }), reference: ref('signed-bundles'), identity: id() }));
    expect(err.check).toBe('oci.registry.referrers');
  });

  it('sets aside a listed referrer whose subject is another image', async () => {
    const other = fx.repos.get('signed-bundles')!;
    const moved = fx.repos.get('message-signature-referrer')!;
    // List signed-bundles' referrers under message-signature-referrer's image: their subject differs.
    const repo = Object.assign(Object.create(Object.getPrototypeOf(moved)) as typeof moved, moved, {
      content: new Map([...moved.content, ...other.content]),
    });
    const { fetch } = fakeRegistry(HOST, [repo], { referrersApi: true, extraReferrers: other.referrers.map((r) => r.descriptor) });
    const r = await verifyImage({ verifier, source: createRegistryClient({ fetch }), reference: ref('message-signature-referrer'), identity: id() });
    expect(r.signatures).toHaveLength(1);
    expect(r.ignored.filter((i) => i.reason.startsWith('its subject is'))).toHaveLength(2);
  });

  it('verifies at most maxCandidates of each kind', async () => {
    const { fetch } = fakeRegistry(HOST, [fx.repos.get('signed-bundles')!], { referrersApi: true });
    const err = await failure(verifyImage({ verifier, source: createRegistryClient({ fetch, limits: { maxCandidates: 1 } }), reference: ref('signed-bundles'), identity: id() }));
    expect(`${err.code} ${err.check}`).toBe('LIMIT oci.limit.candidates');
  });
});

describe('content checks', () => {
  it('refuses a tag whose Docker-Content-Digest is not the content', async () => {
    const { fetch } = fakeRegistry(HOST, [fx.repos.get('signed-keyless')!], { digestHeader: `sha256:${'0'.repeat(64)}` });
    const err = await failure(verifyImage({ verifier, source: createRegistryClient({ fetch }), reference: ref('signed-keyless'), identity: id() }));
    expect(`${err.code} ${err.check}`).toBe('SIGNATURE oci.digest');
  });

  it('refuses a manifest whose bytes differ from the digest asked for', async () => {
    const repo = fx.repos.get('signed-keyless')!;
    const { fetch } = fakeRegistry(HOST, [repo], { override: (p, b) => (p.endsWith(repo.imageDigest) ? new TextEncoder().encode(`${new TextDecoder().decode(b)} `) : b) });
    const err = await failure(verifyImage({ verifier, source: createRegistryClient({ fetch }), reference: ref('signed-keyless', `@${repo.imageDigest}`), identity: id() }));
    expect(`${err.code} ${err.check}`).toBe('SIGNATURE oci.digest');
  });

  it('refuses a blob longer than its descriptor, reading no more than one byte past it', async () => {
    const { fetch } = fakeRegistry(HOST, [fx.repos.get('signed-keyless')!], { noLength: true, override: (p, b) => (p.includes('/blobs/') ? new Uint8Array([...b, ...new Uint8Array(1 << 20)]) : b) });
    const r = await checkImage({ verifier, source: createRegistryClient({ fetch }), reference: ref('signed-keyless'), identity: id() });
    const e = r.signatures[0]!.error!;
    expect(`${e.code} ${e.check}`).toBe('SIGNATURE oci.digest');
    expect(e.actual).toMatch(/^more than/);
  });

  it('caps manifest bodies, by Content-Length and while streaming', async () => {
    const big = (p: string, b: Uint8Array): Uint8Array => (p.includes('/manifests/') ? new Uint8Array([...b, ...new Uint8Array(5000).fill(32)]) : b);
    for (const noLength of [false, true]) {
      const { fetch } = fakeRegistry(HOST, [fx.repos.get('signed-keyless')!], { noLength, override: big });
      const err = await failure(verifyImage({ verifier, source: createRegistryClient({ fetch, limits: { maxManifestBytes: 4096 } }), reference: ref('signed-keyless'), identity: id() }));
      expect(`${err.code} ${err.check}`).toBe('LIMIT oci.limit.body');
    }
  });

  it('reports network failures as registry errors', async () => {
    const err = await failure(verifyImage({ verifier, source: createRegistryClient({ fetch: async () => Promise.reject(new TypeError('fetch failed')) }), reference: ref('signed-keyless'), identity: id() }));
    expect(err.check).toBe('oci.registry.network');
  });
});

describe('authentication', () => {
  it('parses WWW-Authenticate challenges', () => {
    expect(parseAuthChallenges('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull"')).toEqual([
      { scheme: 'bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/nginx:pull' } },
    ]);
    expect(parseAuthChallenges('Basic realm="x", Bearer realm="y", service=z').map((c) => [c.scheme, c.params.realm])).toEqual([
      ['basic', 'x'],
      ['bearer', 'y'],
    ]);
    expect(parseAuthChallenges('Bearer realm="a\\"b"')[0]!.params.realm).toBe('a"b');
    expect(parseAuthChallenges('Bearer realm="unterminated')).toEqual([{ scheme: 'bearer', params: {} }]);
    expect(parseAuthChallenges(null)).toEqual([]);
    expect(parseAuthChallenges('')).toEqual([]);
  });

  it('gets an anonymous bearer token, once per repository', async () => {
    const { fetch, log } = fakeRegistry(HOST, [fx.repos.get('signed-keyless')!], {
      challenge: `Bearer realm="https://${HOST}/token",service="reg"`,
      authorized: (a) => a === 'Bearer anon-token',
      tokenEndpoint: (url, a) => {
        expect(a).toBeNull();
        expect(url.searchParams.get('scope')).toBe('repository:sigvet-test/signed-keyless:pull');
        return new Response(JSON.stringify({ access_token: 'anon-token' }));
      },
    });
    const r = await verifyImage({ verifier, source: createRegistryClient({ fetch }), reference: ref('signed-keyless'), identity: id() });
    expect(r.verified).toBe(true);
    expect(log.requests.filter((q) => q.url.includes('/token'))).toHaveLength(1);
  });

  it('sends Basic credentials to the token service, and refuses an HTTP realm for an HTTPS registry', async () => {
    const seen: (string | null)[] = [];
    const { fetch } = fakeRegistry(HOST, [fx.repos.get('signed-keyless')!], {
      challenge: `Bearer realm="https://${HOST}/token"`,
      authorized: (a) => a === 'Bearer t',
      tokenEndpoint: (_u, a) => {
        seen.push(a);
        return new Response('{"token":"t"}');
      },
    });
    await verifyImage({ verifier, source: createRegistryClient({ fetch, credentials: () => ({ username: 'u', password: 'p:w' }) }), reference: ref('signed-keyless'), identity: id() });
    expect(seen).toEqual([`Basic ${Buffer.from('u:p:w').toString('base64')}`]);

    const http = fakeRegistry(HOST, [fx.repos.get('signed-keyless')!], { challenge: `Bearer realm="http://${HOST}/token"`, tokenEndpoint: () => new Response('{"token":"t"}') });
    const err = await failure(verifyImage({ verifier, source: createRegistryClient({ fetch: http.fetch, credentials: () => ({ username: 'u', password: 'p' }) }), reference: ref('signed-keyless'), identity: id() }));
    expect(err.check).toBe('oci.registry.auth');
    expect(err.message).toMatch(/not HTTPS/);
  });

  it('answers a Basic challenge only with credentials', async () => {
    const basic = `Basic ${Buffer.from('u:p').toString('base64')}`;
    const { fetch } = fakeRegistry(HOST, [fx.repos.get('signed-keyless')!], { challenge: 'Basic realm="reg"', authorized: (a) => a === basic });
    expect((await verifyImage({ verifier, source: createRegistryClient({ fetch, credentials: () => ({ username: 'u', password: 'p' }) }), reference: ref('signed-keyless'), identity: id() })).verified).toBe(true);
    const err = await failure(verifyImage({ verifier, source: createRegistryClient({ fetch }), reference: ref('signed-keyless'), identity: id() }));
    expect(`${err.check} ${err.actual}`).toBe('oci.registry.unauthorized 401');
  });

  it('exchanges an identity token as a refresh token', async () => {
    const { fetch } = fakeRegistry(HOST, [fx.repos.get('signed-keyless')!], {
      challenge: `Bearer realm="https://${HOST}/token",service="reg"`,
      authorized: (a) => a === 'Bearer fresh',
      tokenEndpoint: () => new Response('{"access_token":"fresh"}'),
    });
    const calls: RequestInit[] = [];
    const spy: typeof fetch = (u, init) => {
      if (String(u).endsWith('/token')) calls.push(init ?? {});
      return fetch(u, init);
    };
    await verifyImage({ verifier, source: createRegistryClient({ fetch: spy, credentials: () => ({ identityToken: 'refresh-me' }) }), reference: ref('signed-keyless'), identity: id() });
    expect(calls[0]!.method).toBe('POST');
    expect(String(calls[0]!.body)).toContain('grant_type=refresh_token');
    expect(String(calls[0]!.body)).toContain('refresh_token=refresh-me');
  });

  it('rejects malformed credentials from the provider', async () => {
    const { fetch } = fakeRegistry(HOST, [fx.repos.get('signed-keyless')!], { challenge: `Bearer realm="https://${HOST}/token"`, tokenEndpoint: () => new Response('{}') });
    const err = await failure(verifyImage({ verifier, source: createRegistryClient({ fetch, credentials: () => ({ user: 'x' }) as never }), reference: ref('signed-keyless'), identity: id() }));
    expect(`${err.code} ${err.check}`).toBe('INVALID_ARGUMENT options.credentials');
  });
});
