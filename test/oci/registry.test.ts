/**
 * Against a real registry (Debian's docker-registry, the CNCF distribution
 * registry, started on 127.0.0.1 with temporary storage): push the fixture
 * images, signatures, attestations and bundle referrers through the
 * distribution API, then verify every case of test-vectors/oci through the
 * registry client, and check the Bearer token flow of a token-auth registry.
 *
 * Without the binary the suite is skipped with a note, except under CI,
 * where it fails and names the install line.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOciFixtures, REGISTRY_PLACEHOLDER, type OciFixtures } from '../../scripts/oci/fixtures.mjs';
import { createRegistryClient } from '../../src/oci/registry.js';
import { verifyImage, checkImage } from '../../src/oci/verify-image.js';
import { REGISTRY_ERROR_CODE } from '../../src/oci/errors.js';
import { SigvetError } from '../../src/errors.js';
import type { Verifier } from '../../src/verify/verifier.js';
import { findRegistryBinary, REGISTRY_INSTALL_HINT, startRegistry, type RunningRegistry } from './registry-harness.js';
import { pushRepo } from './registry-push.js';
import { startTokenServer, type TokenServer } from './token-server.js';
import { verifierFor } from './helpers.js';
import { outcomeError, runCase } from './case-runner.js';

const binary = findRegistryBinary();
const inCi = !!process.env.CI && process.env.CI !== 'false' && process.env.CI !== '0';
if (!binary && !inCi) {
  console.warn(`[sigvet] test/oci/registry.test.ts skipped: no docker-registry binary (${REGISTRY_INSTALL_HINT})`);
}

describe.skipIf(!binary && !inCi)('a real distribution registry', () => {
  let fx: OciFixtures;
  let verifier: Verifier;

  beforeAll(async () => {
    if (!binary) throw new Error(`CI: the docker-registry binary is required for the OCI registry tests; install it with: ${REGISTRY_INSTALL_HINT}`);
    fx = buildOciFixtures();
    verifier = await verifierFor(fx.trustedRoot);
  });

  describe('anonymous access', () => {
    let reg: RunningRegistry;
    beforeAll(async () => {
      reg = await startRegistry(binary!);
      for (const repo of fx.repos.values()) await pushRepo(reg, repo);
    }, 120_000);
    afterAll(async () => {
      await reg?.stop();
    });

    // The cases of test-vectors/oci, built in-process (the same generator).
    for (const c of buildOciFixtures().cases) {
      it(`${c.name} ${c.expect}s from the registry`, async () => {
        const client = createRegistryClient({ plainHttp: [reg.host] });
        const outcome = await runCase({ 'key.pub': fx.keyPem, 'other-key.pub': fx.otherKeyPem }, c, verifier, client, c.reference.replace(REGISTRY_PLACEHOLDER, reg.host));
        const err = outcomeError(outcome);
        if (c.expect === 'pass') {
          expect(err, err && `${err.code} ${err.check}: ${err.message}`).toBeUndefined();
        } else {
          expect(err, 'must fail').toBeDefined();
          expect(`${err!.code} ${err!.check}`, err!.message).toBe(`${c.expected_error_code} ${c.expected_check}`);
        }
      });
    }

    it('finds bundle referrers through the referrers tag schema (this registry has no referrers API)', async () => {
      const client = createRegistryClient({ plainHttp: [reg.host] });
      const r = await verifyImage({
        verifier,
        source: client,
        reference: `${reg.host}/sigvet-test/signed-bundles:v1`,
        identity: { subjectAlternativeName: fx.identity, issuer: fx.issuer },
        attestations: true,
      });
      expect(r.signatures.map((s) => s.origin.via)).toEqual(['referrers-tag']);
      expect(r.attestations.map((a) => a.predicateType)).toEqual(['https://slsa.dev/provenance/v1']);
      expect(r.looked.some((l) => l.includes('referrers-tag'))).toBe(true);
    });

    it('verifies the digest a moved tag names now, and says so', async () => {
      const client = createRegistryClient({ plainHttp: [reg.host] });
      const repo = fx.repos.get('tag-moved')!;
      const r = await checkImage({
        verifier,
        source: client,
        reference: `${reg.host}/${repo.name}:v1`,
        identity: { subjectAlternativeName: fx.identity, issuer: fx.issuer },
      });
      expect(r.verified).toBe(false);
      expect(r.image.digest).toBe(repo.movedTo);
      expect(r.image.resolvedFrom).toBe('tag');
      expect(r.notes.join(' ')).toMatch(/tags are mutable/);
      const pinned = await verifyImage({
        verifier,
        source: client,
        reference: `${reg.host}/${repo.name}@${repo.imageDigest}`,
        identity: { subjectAlternativeName: fx.identity, issuer: fx.issuer },
      });
      expect(pinned.image.digest).toBe(repo.imageDigest);
    });

    it('reports a missing image as a registry error', async () => {
      const client = createRegistryClient({ plainHttp: [reg.host] });
      const err = await verifyImage({
        verifier,
        source: client,
        reference: `${reg.host}/sigvet-test/does-not-exist:v1`,
        identity: { subjectAlternativeName: fx.identity, issuer: fx.issuer },
      }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SigvetError);
      expect((err as SigvetError).code).toBe(REGISTRY_ERROR_CODE);
      expect((err as SigvetError).check).toBe('oci.registry.not_found');
    });

    it('refuses plain HTTP unless the registry is allowed it', async () => {
      const client = createRegistryClient();
      const err = await verifyImage({
        verifier,
        source: client,
        reference: `${reg.host}/sigvet-test/signed-keyless:v1`,
        identity: { subjectAlternativeName: fx.identity, issuer: fx.issuer },
      }).catch((e: unknown) => e);
      expect((err as SigvetError).check).toBe('oci.registry.network');
    });
  });

  describe('Bearer token authentication', () => {
    let tokens: TokenServer;
    let reg: RunningRegistry;
    const repoName = 'signed-keyless';
    beforeAll(async () => {
      tokens = await startTokenServer('tester', 'correct horse');
      reg = await startRegistry(binary!, { tokenAuth: tokens });
      await pushRepo(reg, fx.repos.get(repoName)!, async (scope) => `Bearer ${tokens.token(scope)}`);
    }, 120_000);
    afterAll(async () => {
      await reg?.stop();
      await tokens?.close();
    });

    const ref = (): string => `${reg.host}/${fx.repos.get(repoName)!.name}:v1`;

    it('verifies with credentials, fetching one token per repository', async () => {
      tokens.issued = 0;
      const client = createRegistryClient({
        plainHttp: [reg.host],
        credentials: (registry) => (registry === reg.host ? { username: 'tester', password: 'correct horse' } : undefined),
      });
      const r = await verifyImage({
        verifier,
        source: client,
        reference: ref(),
        identity: { subjectAlternativeName: fx.identity, issuer: fx.issuer },
        attestations: true,
      });
      expect(r.signatures.filter((s) => s.verified)).toHaveLength(1);
      expect(r.attestations.filter((a) => a.verified)).toHaveLength(1);
      expect(tokens.issued).toBe(1);
    });

    it('fails without credentials, naming the registry', async () => {
      const client = createRegistryClient({ plainHttp: [reg.host] });
      const err = await verifyImage({ verifier, source: client, reference: ref(), identity: { subjectAlternativeName: fx.identity, issuer: fx.issuer } }).catch(
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(SigvetError);
      expect((err as SigvetError).check).toBe('oci.registry.auth');
    });

    it('fails with wrong credentials', async () => {
      const client = createRegistryClient({ plainHttp: [reg.host], credentials: () => ({ username: 'tester', password: 'wrong' }) });
      const err = await verifyImage({ verifier, source: client, reference: ref(), identity: { subjectAlternativeName: fx.identity, issuer: fx.issuer } }).catch(
        (e: unknown) => e,
      );
      expect((err as SigvetError).check).toBe('oci.registry.auth');
      expect((err as SigvetError).actual).toBe('401');
    });

    it('sends a ready registry token as is', async () => {
      tokens.issued = 0;
      const registryToken = tokens.token(`repository:${fx.repos.get(repoName)!.name}:pull`);
      const client = createRegistryClient({ plainHttp: [reg.host], credentials: () => ({ registryToken }) });
      const r = await verifyImage({ verifier, source: client, reference: ref(), identity: { subjectAlternativeName: fx.identity, issuer: fx.issuer } });
      expect(r.verified).toBe(true);
      expect(tokens.issued).toBe(0);
    });
  });
});
