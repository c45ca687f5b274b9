import { describe, expect, it } from 'vitest';
import { build, compilePolicy, SLSA_PROVENANCE_V1 } from '../../src/policy.js';
import { releaseGate } from './vectors.gen.js';

const { policy, keyless, identity, exact, regex, allOf, signedBy, attestation, at, use, equal, not, atLeast, key, staticAuthority, glob, oneOf, pointerOf } = build;

describe('policy builder', () => {
  it('emits exactly the release-gate document', () => {
    const doc = policy('acme-app-release')
      .description(releaseGate.description!)
      .authority(
        'release',
        keyless(
          identity(exact('https://token.actions.githubusercontent.com'), regex('https://github\\.com/acme/app/\\.github/workflows/release\\.yml@refs/tags/v[0-9]+\\.[0-9]+\\.[0-9]+'), {
            extensions: { sourceRepositoryUri: exact('https://github.com/acme/app'), runnerEnvironment: exact('github-hosted') },
          }),
        ),
      )
      .require(
        allOf(
          signedBy('release'),
          attestation(SLSA_PROVENANCE_V1)
            .id('provenance')
            .by('release')
            .select('all')
            .slsa({ builderIsSigner: true, sourceUri: 'github.com/acme/app', versionedTag: 'v1', externalParameters: { only: ['workflow'] } })
            .maxAge('P30D'),
        ),
      )
      .toJSON();
    expect(doc).toEqual(releaseGate);
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
  });

  it('records selectors as JSON Pointers and builds every rule kind', () => {
    expect(pointerOf((p) => p.predicate.buildDefinition.resolvedDependencies[0].digest.gitCommit)).toBe('/predicate/buildDefinition/resolvedDependencies/0/digest/gitCommit');
    expect(pointerOf((p) => p['a/b']['c~d'])).toBe('/a~1b/c~0d');
    const doc = policy('all-kinds')
      .mode('warn')
      .noMatch('deny')
      .scope({ images: [glob('ghcr.io/acme/**', 'segment')], requireDigest: true })
      .authority('a', keyless([identity(exact('https://i'), oneOf(exact('x'), regex('y+')))], { tlog: 1 }))
      .authority('k', key([{ id: 'sha256:00' }]))
      .authority('s', staticAuthority('fail', 'frozen'))
      .rule('prov', attestation({ family: 'slsa-provenance' }).id('p').by('a').select('newest').bind({ c: (p) => p.predicate.x }).where(at('/predicate/y').exists(), at((p) => p.predicate.n).gte(2, 'number')))
      .require(allOf(use('prov'), atLeast(1, signedBy(['a', 'k'], { distinctSigners: 1 }), not(signedBy('s'))), attestation(['u:1', 'u:2']).id('q').by('k').select('any').bind({ c: '/predicate/x' }), equal('p.c', 'q.c')))
      .toJSON();
    const c = compilePolicy(doc);
    expect(c.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(c.problems.map((p) => p.code)).toContain('NON_MONOTONIC');
    expect((doc.rules!.prov as unknown as { attestation: { bind: unknown; where: unknown[] } }).attestation.bind).toEqual({ c: '/predicate/x' });
    expect(JSON.stringify(doc)).not.toContain('undefined');
  });
});
