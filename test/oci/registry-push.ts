/**
 * Uploads fixture repositories (scripts/oci/fixtures.mjs) to a registry
 * through the distribution API, the way a client like cosign does: blobs
 * (monolithic upload), manifests by digest, tags in the order they were
 * applied (so a moved tag really moves), and the referrers tag schema index
 * for registries without the referrers API. Deliberate damage is applied to
 * the registry's storage afterwards.
 */
import { writeFileSync } from 'node:fs';
import type { Repo } from '../../scripts/oci/fixtures.mjs';
import type { RunningRegistry } from './registry-harness.js';

/** Supplies an Authorization header for a scope (token-auth registries), or nothing. */
export type PushAuth = (scope: string) => Promise<string | undefined>;

const INDEX = 'application/vnd.oci.image.index.v1+json';

async function ok(res: Response, what: string, expected: number[]): Promise<Response> {
  if (!expected.includes(res.status)) throw new Error(`${what}: HTTP ${res.status} ${await res.text()}`);
  return res;
}

/** Pushes `repo` to `registry`. */
export async function pushRepo(registry: RunningRegistry, repo: Repo, auth: PushAuth = async () => undefined): Promise<void> {
  const base = `http://${registry.host}/v2/${repo.name}`;
  const authz = await auth(`repository:${repo.name}:pull,push`);
  const h = (extra: Record<string, string> = {}): Record<string, string> => (authz ? { authorization: authz, ...extra } : extra);

  for (const [digest, c] of repo.content) {
    if (c.manifest) continue;
    const start = await ok(await fetch(`${base}/blobs/uploads/`, { method: 'POST', headers: h() }), `upload ${digest}`, [202]);
    await start.body?.cancel();
    const loc = new URL(start.headers.get('location')!, `http://${registry.host}`);
    loc.searchParams.set('digest', digest);
    const put = await fetch(loc, { method: 'PUT', headers: h({ 'content-type': 'application/octet-stream' }), body: Buffer.from(c.bytes) });
    await (await ok(put, `upload ${digest}`, [201])).body?.cancel();
  }
  const putManifest = async (ref: string, bytes: Uint8Array, mediaType: string): Promise<void> => {
    const res = await fetch(`${base}/manifests/${ref}`, { method: 'PUT', headers: h({ 'content-type': mediaType }), body: Buffer.from(bytes) });
    await (await ok(res, `manifest ${ref}`, [201])).body?.cancel();
  };
  // Manifests before the indexes that name them.
  const manifests = [...repo.content].filter(([, c]) => c.manifest);
  for (const [digest, c] of manifests.filter(([, c]) => c.mediaType !== INDEX)) await putManifest(digest, c.bytes, c.mediaType);
  for (const [digest, c] of manifests.filter(([, c]) => c.mediaType === INDEX)) await putManifest(digest, c.bytes, c.mediaType);
  for (const [tag, d] of repo.tagHistory) await putManifest(tag, repo.content.get(d.digest)!.bytes, d.mediaType);
  // The referrers tag schema: one index per subject, tagged sha256-<hex>.
  const bySubject = new Map<string, object[]>();
  for (const r of repo.referrers) bySubject.set(r.subject, [...(bySubject.get(r.subject) ?? []), r.descriptor]);
  for (const [subject, descriptors] of bySubject) {
    const bytes = new TextEncoder().encode(JSON.stringify({ schemaVersion: 2, mediaType: INDEX, manifests: descriptors }));
    await putManifest(`sha256-${subject.slice(7)}`, bytes, INDEX);
  }
  for (const [digest, bytes] of repo.tampered) writeFileSync(registry.blobPath(digest), bytes);
}
