/**
 * Manifests, indexes, digests and platform selection: documents are read
 * strictly where a second reading could differ, and a platform is chosen
 * only when exactly one manifest fits.
 */
import { describe, expect, it } from 'vitest';
import { parseManifestDocument, type ImageIndex } from '../../src/oci/manifest.js';
import { DEFAULT_OCI_LIMITS } from '../../src/oci/limits.js';
import { digestOf, digestTag, parseDigest, verifyDigest } from '../../src/oci/digest.js';
import { parsePlatform, selectPlatform } from '../../src/oci/platform.js';
import { SigvetError } from '../../src/errors.js';

const enc = (o: unknown): Uint8Array => new TextEncoder().encode(typeof o === 'string' ? o : JSON.stringify(o));
const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;
const D3 = `sha256:${'3'.repeat(64)}`;
const desc = (digest: string, extra: object = {}): object => ({ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest, size: 10, ...extra });
const manifest = { schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: desc(D1, { mediaType: 'application/vnd.oci.image.config.v1+json' }), layers: [desc(D2)] };

function parse(doc: unknown, declared?: string): ReturnType<typeof parseManifestDocument> {
  return parseManifestDocument(enc(doc), declared, 'test', DEFAULT_OCI_LIMITS);
}

function code(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return `${(e as SigvetError).code} ${(e as SigvetError).check}`;
  }
  return 'no error';
}

describe('parseManifestDocument', () => {
  it('reads manifests and indexes, with subject, artifactType and annotations', () => {
    const m = parse({ ...manifest, artifactType: 'x/y', subject: desc(D3), annotations: { a: 'b' } });
    expect(m).toMatchObject({ kind: 'manifest', artifactType: 'x/y', subject: { digest: D3 }, annotations: { a: 'b' } });
    const i = parse({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [desc(D1, { platform: { os: 'linux', architecture: 'amd64' } })] });
    expect(i.kind).toBe('index');
    expect((i as ImageIndex).manifests[0]!.platform).toMatchObject({ os: 'linux', architecture: 'amd64', variant: undefined });
  });

  it('infers the kind from the declared type or the shape when mediaType is absent', () => {
    const { mediaType: _m, ...bare } = manifest;
    expect(parse(bare).kind).toBe('manifest');
    expect(parse(bare, 'application/vnd.docker.distribution.manifest.v2+json').mediaType).toBe('application/vnd.docker.distribution.manifest.v2+json');
    expect(parse({ schemaVersion: 2, manifests: [] }).kind).toBe('index');
  });

  it('rejects ambiguity and disagreement', () => {
    expect(code(() => parse({ ...manifest, manifests: [] }))).toBe('PARSE oci.manifest');
    expect(code(() => parse(manifest, 'application/vnd.oci.image.index.v1+json'))).toBe('PARSE oci.manifest');
    expect(code(() => parse(`{"schemaVersion":2,"schemaVersion":2,"manifests":[]}`))).toBe('PARSE oci.manifest');
    expect(code(() => parse({ schemaVersion: 2 }))).toBe('PARSE oci.manifest');
  });

  it('rejects schema 1, unknown media types and bad descriptors', () => {
    expect(code(() => parse({ schemaVersion: 1, name: 'x' }))).toBe('UNSUPPORTED oci.manifest.schema');
    expect(code(() => parse({ ...manifest, mediaType: 'application/x-unknown' }))).toBe('UNSUPPORTED oci.manifest.media_type');
    expect(code(() => parse({ ...manifest, layers: [desc('sha256:zz')] }))).toBe('PARSE oci.manifest');
    expect(code(() => parse({ ...manifest, layers: [desc(D2, { size: -1 })] }))).toBe('PARSE oci.manifest');
    expect(code(() => parse({ ...manifest, layers: [desc(D2, { size: 1.5 })] }))).toBe('PARSE oci.manifest');
    expect(code(() => parse({ ...manifest, annotations: { a: 1 } }))).toBe('PARSE oci.manifest');
    expect(code(() => parse({ ...manifest, layers: {} }))).toBe('PARSE oci.manifest');
    expect(code(() => parse('not json'))).toBe('PARSE oci.manifest');
  });

  it('enforces the size and descriptor-count limits', () => {
    const limits = { ...DEFAULT_OCI_LIMITS, maxDescriptors: 2, maxManifestBytes: 400 };
    const many = { ...manifest, layers: [desc(D1), desc(D2), desc(D3)] };
    expect(code(() => parseManifestDocument(enc(many), undefined, 't', limits))).toBe('LIMIT oci.limit.manifest');
    expect(code(() => parseManifestDocument(enc(many), undefined, 't', { ...limits, maxManifestBytes: 4096 }))).toBe('LIMIT oci.limit.descriptors');
  });
});

describe('digests', () => {
  it('parses, computes, checks and derives cosign tags', () => {
    const b = enc('hello');
    const d = digestOf(b);
    expect(parseDigest(d, 'x')).toMatchObject({ algorithm: 'sha256', hex: d.slice(7) });
    expect(() => verifyDigest(b, d, 'x')).not.toThrow();
    expect(code(() => verifyDigest(enc('hellp'), d, 'x'))).toBe('SIGNATURE oci.digest');
    expect(() => verifyDigest(b, digestOf(b, 'sha512'), 'x')).not.toThrow();
    expect(digestTag(d, '.sig')).toBe(`sha256-${d.slice(7)}.sig`);
    expect(code(() => parseDigest(d.toUpperCase(), 'x'))).toBe('PARSE oci.digest.format');
    expect(code(() => parseDigest(`${d}0`, 'x'))).toBe('PARSE oci.digest.format');
  });
});

describe('platforms', () => {
  const index = parse({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: [
      desc(D1, { platform: { os: 'linux', architecture: 'amd64' } }),
      desc(D2, { platform: { os: 'linux', architecture: 'arm64' } }),
      desc(D3, { platform: { os: 'linux', architecture: 'arm', variant: 'v7' } }),
      desc(`sha256:${'4'.repeat(64)}`, { platform: { os: 'linux', architecture: 'arm', variant: 'v6' } }),
      desc(`sha256:${'5'.repeat(64)}`, { platform: { os: 'unknown', architecture: 'unknown' } }),
    ],
  }) as ImageIndex;

  it('parses os/arch[/variant] and refuses anything else', () => {
    expect(parsePlatform('linux/arm64/v8')).toEqual({ os: 'linux', architecture: 'arm64', variant: 'v8' });
    for (const bad of ['linux', 'linux/', 'linux/amd64/v1/x', 'Linux/amd64', '']) expect(code(() => parsePlatform(bad))).toBe('INVALID_ARGUMENT oci.platform');
  });

  it('chooses exactly one manifest', () => {
    expect(selectPlatform(index, parsePlatform('linux/amd64')).digest).toBe(D1);
    expect(selectPlatform(index, parsePlatform('linux/arm64/v8')).digest).toBe(D2); // implicit v8
    expect(selectPlatform(index, parsePlatform('linux/arm/v7')).digest).toBe(D3);
  });

  it('refuses a platform with no manifest or with several', () => {
    expect(code(() => selectPlatform(index, parsePlatform('windows/amd64')))).toBe('INVALID_ARGUMENT oci.platform.none');
    expect(code(() => selectPlatform(index, parsePlatform('linux/arm')))).toBe('INVALID_ARGUMENT oci.platform.ambiguous');
    expect(code(() => selectPlatform(index, parsePlatform('linux/arm64/v9')))).toBe('INVALID_ARGUMENT oci.platform.none');
  });
});
