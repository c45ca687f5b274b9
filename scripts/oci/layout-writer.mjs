// Writes fixture repositories (fixtures.mjs) as OCI image layouts:
// `oci-layout`, `index.json` (tags as org.opencontainers.image.ref.name,
// then the referrer manifests, which a reader finds by their `subject`),
// and `blobs/sha256/<hex>`, with any deliberate damage applied.

const enc = (s) => new TextEncoder().encode(s);

/** The files of one repository's layout, as relative path → bytes. */
export function layoutFiles(repo) {
  const files = new Map();
  files.set('oci-layout', enc('{"imageLayoutVersion":"1.0.0"}'));
  const manifests = [];
  for (const [tag, d] of repo.tags) {
    manifests.push({ mediaType: d.mediaType, digest: d.digest, size: d.size, annotations: { 'org.opencontainers.image.ref.name': tag } });
  }
  for (const r of repo.referrers) manifests.push(r.descriptor);
  files.set('index.json', enc(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests }, null, 2) + '\n'));
  const digests = [...repo.content.keys()].sort();
  for (const digest of digests) {
    const bytes = repo.tampered.get(digest) ?? repo.content.get(digest).bytes;
    files.set(`blobs/sha256/${digest.slice(7)}`, bytes);
  }
  return files;
}
