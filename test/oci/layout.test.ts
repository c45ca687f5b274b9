/**
 * OCI image layouts as a source: the marker and index are checked, tags
 * resolve through ref.name annotations (bare or full references), blobs are
 * digest- and size-checked, referrers are found by scanning for `subject`
 * and through the referrers tag schema; plus the option checks of
 * checkImage that need no registry.
 */
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildOciFixtures, type OciFixtures } from '../../scripts/oci/fixtures.mjs';
import { layoutFiles } from '../../scripts/oci/layout-writer.mjs';
import { openOciLayout, type LayoutFileReader } from '../../src/oci/layout.js';
import { checkImage, verifyImage } from '../../src/oci/verify-image.js';
import { SigvetError } from '../../src/errors.js';
import type { Verifier } from '../../src/verify/verifier.js';
import { verifierFor } from './helpers.js';

let fx: OciFixtures;
let verifier: Verifier;
beforeAll(async () => {
  fx = buildOciFixtures();
  verifier = await verifierFor(fx.trustedRoot);
});
const id = (): { subjectAlternativeName: string; issuer: string } => ({ subjectAlternativeName: fx.identity, issuer: fx.issuer });
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

function memory(files: Map<string, Uint8Array>): LayoutFileReader {
  return async (p) => files.get(p);
}

function filesOf(name: string, edit?: (files: Map<string, Uint8Array>) => void): Map<string, Uint8Array> {
  const f = new Map(layoutFiles(fx.repos.get(name)!));
  edit?.(f);
  return f;
}

async function err(p: Promise<unknown>): Promise<string> {
  return p.then(
    () => 'no error',
    (e: unknown) => (e instanceof SigvetError ? `${e.code} ${e.check}` : `not a SigvetError: ${String(e)}`),
  );
}

describe('openOciLayout', () => {
  it('requires the oci-layout marker with version 1.0.0 and an index', async () => {
    expect(await err(openOciLayout(memory(filesOf('signed-keyless', (f) => f.delete('oci-layout')))))).toBe('REGISTRY oci.registry.layout');
    expect(await err(openOciLayout(memory(filesOf('signed-keyless', (f) => f.set('oci-layout', enc('{"imageLayoutVersion":"2.0.0"}'))))))).toBe('UNSUPPORTED oci.layout.version');
    expect(await err(openOciLayout(memory(filesOf('signed-keyless', (f) => f.delete('index.json')))))).toBe('REGISTRY oci.registry.layout');
    expect(await err(openOciLayout(memory(filesOf('signed-keyless', (f) => f.set('index.json', enc('{"schemaVersion":2,"layers":[]}'))))))).toBe('PARSE oci.manifest');
  });

  it('wraps reader failures', async () => {
    expect(await err(openOciLayout(async () => Promise.reject(new Error('EIO'))))).toBe('REGISTRY oci.registry.layout');
  });

  it('resolves a tag written as a full reference', async () => {
    const files = filesOf('signed-keyless', (f) => {
      const idx = JSON.parse(new TextDecoder().decode(f.get('index.json'))) as { manifests: { annotations: Record<string, string> }[] };
      idx.manifests[0]!.annotations['org.opencontainers.image.ref.name'] = 'registry.test/sigvet-test/signed-keyless:v1';
      f.set('index.json', enc(JSON.stringify(idx)));
    });
    const layout = await openOciLayout(memory(files));
    const r = await verifyImage({ verifier, source: layout, reference: 'registry.test/sigvet-test/signed-keyless:v1', identity: id() });
    expect(r.verified).toBe(true);
    expect(await err(verifyImage({ verifier, source: layout, reference: 'registry.test/sigvet-test/other:v1', identity: id() }))).toBe('REGISTRY oci.registry.not_found');
  });

  it('refuses a tag that names two manifests', async () => {
    const files = filesOf('signed-keyless', (f) => {
      const idx = JSON.parse(new TextDecoder().decode(f.get('index.json'))) as { manifests: { annotations: Record<string, string> }[] };
      idx.manifests[1]!.annotations['org.opencontainers.image.ref.name'] = 'v1';
      f.set('index.json', enc(JSON.stringify(idx)));
    });
    expect(await err(verifyImage({ verifier, source: await openOciLayout(memory(files)), reference: 'x.test/a:v1', identity: id() }))).toBe('REGISTRY oci.registry.layout');
  });

  it('finds referrers through the referrers tag schema too', async () => {
    const repo = fx.repos.get('signed-bundles')!;
    const files = filesOf('signed-bundles', (f) => {
      // Drop the top-level listing; add a referrers-tag index instead.
      const referrers = repo.referrers.map((r) => r.descriptor);
      const tagIndex = enc(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: referrers }));
      const hex = createHash('sha256').update(tagIndex).digest('hex');
      f.set(`blobs/sha256/${hex}`, tagIndex);
      const idx = { schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [...repo.tags].map(([t, d]) => ({ ...d, annotations: { 'org.opencontainers.image.ref.name': t } })) };
      idx.manifests.push({ mediaType: 'application/vnd.oci.image.index.v1+json', digest: `sha256:${hex}`, size: tagIndex.length, annotations: { 'org.opencontainers.image.ref.name': `sha256-${repo.imageDigest.slice(7)}` } });
      f.set('index.json', enc(JSON.stringify(idx)));
    });
    const r = await verifyImage({ verifier, source: await openOciLayout(memory(files)), reference: 'x.test/sigvet-test/signed-bundles:v1', identity: id(), attestations: true });
    expect(r.signatures.map((s) => s.origin.via)).toEqual(['referrers-tag']);
  });

  it('refuses a blob with trailing bytes even from a reader that ignores the cap', async () => {
    const repo = fx.repos.get('signed-keyless')!;
    const sigManifest = JSON.parse(new TextDecoder().decode(repo.content.get(repo.tags.get(`sha256-${repo.imageDigest.slice(7)}.sig`)!.digest)!.bytes)) as { layers: { digest: string }[] };
    const payloadPath = `blobs/sha256/${sigManifest.layers[0]!.digest.slice(7)}`;
    const files = filesOf('signed-keyless', (f) => f.set(payloadPath, new Uint8Array([...f.get(payloadPath)!, 10, 10])));
    const r = await checkImage({ verifier, source: await openOciLayout(memory(files)), reference: 'x.test/a:v1', identity: id() });
    expect(`${r.error?.code} ${r.error?.check}`).toBe('SIGNATURE oci.digest');
  });
});

describe('checkImage options', () => {
  const layout = (): ReturnType<typeof openOciLayout> => openOciLayout(memory(filesOf('multi-platform')));
  it('refuses tag-only references when a digest is required (hazard 19)', async () => {
    expect(await err(checkImage({ verifier, source: await layout(), reference: 'x.test/a:v1', identity: id(), requireDigest: true }))).toBe('INVALID_ARGUMENT oci.reference.digest_required');
  });
  it('needs a signer, and not two', async () => {
    expect(await err(checkImage({ verifier, source: await layout(), reference: 'x.test/a:v1' }))).toBe('INVALID_ARGUMENT input');
    expect(await err(checkImage({ verifier, source: await layout(), reference: 'x.test/a:v1', identity: id(), key: fx.keyPem }))).toBe('INVALID_ARGUMENT input');
    expect(await err(checkImage({ verifier, source: await layout(), reference: 'x.test/a:v1', identity: id(), signatures: false }))).toBe('INVALID_ARGUMENT options');
  });
  it('refuses a platform for a single-platform image, and an unknown platform', async () => {
    const single = await openOciLayout(memory(filesOf('signed-keyless')));
    expect(await err(checkImage({ verifier, source: single, reference: 'x.test/a:v1', identity: id(), platform: 'linux/amd64' }))).toBe('INVALID_ARGUMENT oci.platform.not_index');
    expect(await err(checkImage({ verifier, source: await layout(), reference: 'x.test/a:v1', identity: id(), platform: 'windows/amd64' }))).toBe('INVALID_ARGUMENT oci.platform.none');
  });
  it('reports the index, its platforms, and the chosen platform', async () => {
    const repo = fx.repos.get('multi-platform')!;
    const idx = await verifyImage({ verifier, source: await layout(), reference: 'x.test/a:v1', identity: id() });
    expect(idx.image).toMatchObject({ digest: repo.imageDigest, platforms: ['linux/amd64', 'linux/arm64/v8'], index: undefined });
    const amd = await verifyImage({ verifier, source: await layout(), reference: 'x.test/a:v1', identity: id(), platform: 'linux/amd64' });
    expect(amd.image).toMatchObject({ digest: repo.platformDigests!['linux/amd64'], index: { digest: repo.imageDigest, platform: 'linux/amd64' } });
    const arm = await checkImage({ verifier, source: await layout(), reference: 'x.test/a:v1', identity: id(), platform: 'linux/arm64' });
    expect(arm.error?.message).toMatch(/signatures of the index .* do not cover it/);
  });
  it('enforces required simple-signing annotations (cosign -a)', async () => {
    const src = await openOciLayout(memory(filesOf('signed-keyless')));
    expect((await verifyImage({ verifier, source: src, reference: 'x.test/a:v1', identity: id(), annotations: { env: 'prod' } })).verified).toBe(true);
    const r = await checkImage({ verifier, source: src, reference: 'x.test/a:v1', identity: id(), annotations: { env: 'dev' } });
    expect(`${r.error?.code} ${r.error?.check} ${r.error?.actual}`).toBe('SIGNATURE cosign.payload.annotations env=prod');
  });
  it('looks for signatures in another repository when told to', async () => {
    const src = await openOciLayout(memory(filesOf('signed-keyless')));
    const r = await verifyImage({ verifier, source: src, reference: 'x.test/a:v1', identity: id(), signatureRepository: 'sigs.test/signatures' });
    expect(r.looked[0]).toMatch(/^sigs\.test\/signatures:sha256-.*\.sig$/);
    expect(await err(checkImage({ verifier, source: src, reference: 'x.test/a:v1', identity: id(), signatureRepository: 'sigs.test/x:tag' }))).toBe('INVALID_ARGUMENT options.signatureRepository');
  });
  /** signed-keyless with its .sig manifest holding the layer twice (the second edited by `edit`). */
  function twoSignatures(edit: (annotations: Record<string, string>) => void): Map<string, Uint8Array> {
    const repo = fx.repos.get('signed-keyless')!;
    const sigTag = `sha256-${repo.imageDigest.slice(7)}.sig`;
    return filesOf('signed-keyless', (f) => {
      const old = repo.tags.get(sigTag)!;
      const m = JSON.parse(new TextDecoder().decode(repo.content.get(old.digest)!.bytes)) as { layers: { annotations: Record<string, string> }[] };
      const second = structuredClone(m.layers[0]!);
      edit(second.annotations);
      m.layers.push(second);
      const bytes = enc(JSON.stringify(m));
      const hex = createHash('sha256').update(bytes).digest('hex');
      f.set(`blobs/sha256/${hex}`, bytes);
      const idx = JSON.parse(new TextDecoder().decode(f.get('index.json'))) as { manifests: { digest: string; size: number }[] };
      const entry = idx.manifests.find((d) => d.digest === old.digest)!;
      entry.digest = `sha256:${hex}`;
      entry.size = bytes.length;
      f.set('index.json', enc(JSON.stringify(idx)));
    });
  }

  it('passes when one of several signatures verifies, and reports the others', async () => {
    const src = await openOciLayout(memory(twoSignatures((a) => (a['dev.cosignproject.cosign/signature'] = Buffer.from('not a signature').toString('base64')))));
    const r = await verifyImage({ verifier, source: src, reference: 'x.test/a:v1', identity: id() });
    expect(r.signatures.map((s) => s.verified)).toEqual([true, false]);
    expect(r.signatures[1]!.error?.code).toBe('SIGNATURE');
  });

  it('combines failures of several signatures: their shared code, or THRESHOLD with each error', async () => {
    const same = await openOciLayout(memory(twoSignatures(() => undefined)));
    const r1 = await checkImage({ verifier, source: same, reference: 'x.test/a:v1', identity: { subjectAlternativeName: 'https://nobody', issuer: fx.issuer } });
    expect(`${r1.error?.code} ${r1.error?.check} ${r1.error?.errors?.length}`).toBe('IDENTITY identity.subjectAlternativeName 2');
    const mixed = await openOciLayout(memory(twoSignatures((a) => (a['dev.cosignproject.cosign/signature'] = Buffer.from('not a signature').toString('base64')))));
    const r2 = await checkImage({ verifier, source: mixed, reference: 'x.test/a:v1', identity: { subjectAlternativeName: 'https://nobody', issuer: fx.issuer } });
    expect(`${r2.error?.code} ${r2.error?.check}`).toBe('THRESHOLD image.signatures');
    expect(r2.error?.errors?.map((e) => e.code).sort()).toEqual(['IDENTITY', 'SIGNATURE']);
  });

  it('checks each attestation against its own signer (hazard 6)', async () => {
    const src = await openOciLayout(memory(filesOf('signed-bundles')));
    const r = await checkImage({ verifier, source: src, reference: 'x.test/a:v1', identity: { subjectAlternativeName: 'https://nobody', issuer: fx.issuer }, attestations: { identity: id() } });
    expect(r.signatures[0]!.error?.code).toBe('IDENTITY');
    expect(r.attestations[0]!.verified).toBe(true);
  });
});
