/**
 * Image reference parsing and normalization (policy landscape hazards
 * 15–19): Docker Hub's names, ports, IPv6, digests beside tags, and the
 * grammar's rejections.
 */
import { describe, expect, it } from 'vitest';
import { parseImageReference, registryApiHost, withDigest, withTag } from '../../src/oci/reference.js';
import { SigvetError } from '../../src/errors.js';

const D = `sha256:${'ab'.repeat(32)}`;

describe('parseImageReference', () => {
  // Hazard 18: every spelling of a Docker Hub image normalizes to one name.
  it.each([
    ['nginx', 'docker.io/library/nginx:latest', 'nginx'],
    ['nginx:1.27', 'docker.io/library/nginx:1.27', 'nginx:1.27'],
    ['library/nginx', 'docker.io/library/nginx:latest', 'nginx'],
    ['docker.io/nginx', 'docker.io/library/nginx:latest', 'nginx'],
    ['docker.io/library/nginx:latest', 'docker.io/library/nginx:latest', 'nginx:latest'],
    ['index.docker.io/library/nginx:latest', 'docker.io/library/nginx:latest', 'nginx:latest'],
    ['index.docker.io/nginx', 'docker.io/library/nginx:latest', 'nginx'],
    ['acme/app', 'docker.io/acme/app:latest', 'acme/app'],
    ['localhost:5000/x', 'localhost:5000/x:latest', 'localhost:5000/x'],
    ['localhost/x', 'localhost/x:latest', 'localhost/x'],
    ['ghcr.io/acme/app/sub:v1', 'ghcr.io/acme/app/sub:v1', 'ghcr.io/acme/app/sub:v1'],
    ['GHCR.IO/acme/app:v1', 'ghcr.io/acme/app:v1', 'ghcr.io/acme/app:v1'],
    ['[::1]:5000/acme/app', '[::1]:5000/acme/app:latest', '[::1]:5000/acme/app'],
    ['127.0.0.1:5000/a_b/c-d.e__f', '127.0.0.1:5000/a_b/c-d.e__f:latest', '127.0.0.1:5000/a_b/c-d.e__f'],
  ])('%s → %s', (input, canonical, familiar) => {
    const r = parseImageReference(input);
    expect(r.canonical).toBe(canonical);
    expect(r.familiar).toBe(familiar);
    expect(r.name).toBe(`${r.registry}/${r.repository}`);
  });

  it('keeps a tag written beside a digest, and defaults no tag when a digest is given', () => {
    const both = parseImageReference(`ghcr.io/acme/app:v1@${D}`);
    expect(both).toMatchObject({ tag: 'v1', digest: D, tagDefaulted: false, canonical: `ghcr.io/acme/app:v1@${D}` });
    const digestOnly = parseImageReference(`ghcr.io/acme/app@${D}`);
    expect(digestOnly).toMatchObject({ tag: undefined, digest: D, tagDefaulted: false });
    expect(parseImageReference('ghcr.io/acme/app').tagDefaulted).toBe(true);
  });

  it('splits the registry only on a component with a dot, a colon, localhost or upper case', () => {
    expect(parseImageReference('acme.io/app').registry).toBe('acme.io');
    expect(parseImageReference('acme/app').registry).toBe('docker.io');
    expect(parseImageReference('Acme/app').registry).toBe('acme');
    expect(parseImageReference('host:1/app').registry).toBe('host:1');
  });

  it.each([
    ['', 'empty'],
    ['ghcr.io/Acme/app', 'lower case'],
    ['ghcr.io/acme/app:', 'tag'],
    ['ghcr.io/acme/app:-x', 'tag'],
    [`ghcr.io/acme/app:${'t'.repeat(129)}`, 'tag'],
    ['ghcr.io//app', 'component'],
    ['ghcr.io/acme/app@sha256:abc', 'digest'],
    ['ghcr.io/acme/a..b', 'component'],
    ['ghcr.io:99999/app', 'port'],
    ['-bad.io/app', 'registry host'],
    ['ab'.repeat(32), 'image ID'],
    [`ghcr.io/${'a/'.repeat(130)}b`, 'longer'],
  ])('rejects %j', (input, why) => {
    let err: unknown;
    try {
      parseImageReference(input);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SigvetError);
    expect((err as SigvetError).code).toBe('INVALID_ARGUMENT');
    expect((err as SigvetError).check).toBe('oci.reference');
    expect((err as SigvetError).message).toContain(why);
  });

  it('refuses digests it cannot verify, by code', () => {
    expect(() => parseImageReference(`ghcr.io/a@sha256:${'AB'.repeat(32)}`)).toThrow(expect.objectContaining({ code: 'UNSUPPORTED' }));
    expect(() => parseImageReference(`ghcr.io/a@blake3:${'ab'.repeat(32)}`)).toThrow(expect.objectContaining({ code: 'UNSUPPORTED' }));
    expect(parseImageReference(`ghcr.io/a@sha512:${'ab'.repeat(64)}`).digest).toMatch(/^sha512:/);
  });

  it('pins to a digest keeping a written tag (hazard 16) and drops a defaulted one', () => {
    expect(withDigest(parseImageReference('ghcr.io/acme/app:v1.2'), D).canonical).toBe(`ghcr.io/acme/app:v1.2@${D}`);
    expect(withDigest(parseImageReference('nginx'), D).canonical).toBe(`docker.io/library/nginx@${D}`);
    expect(withTag(parseImageReference('nginx'), 'sha256-x.sig').canonical).toBe('docker.io/library/nginx:sha256-x.sig');
  });

  it('maps Docker Hub to its API host', () => {
    expect(registryApiHost('docker.io')).toBe('registry-1.docker.io');
    expect(registryApiHost('ghcr.io')).toBe('ghcr.io');
  });
});
