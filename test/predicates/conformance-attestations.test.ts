/**
 * The DSSE bundles of the shared Sigstore conformance cases yield typed
 * attestations through the public API: verify (sigvet), then
 * readAttestation (sigvet/attestations). Every DSSE bundle, passing or
 * not, also decodes in `sigvet inspect` with its statement shown.
 *
 * Needs ../shared/conformance; skipped with a note when it is absent.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createVerifier } from '../../src/index.node.js';
import { matchSubject, provenanceView, readAttestation } from '../../src/attestations.js';
import { inspectBundle } from '../../src/cli/inspect.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CONFORMANCE = path.resolve(REPO, '../shared/conformance');
const CASES_JSON = path.join(CONFORMANCE, 'CASES.json');
const PRESENT = fs.existsSync(CASES_JSON);
if (!PRESENT) console.warn(`conformance-attestations: SKIPPED, ${CASES_JSON} not found`);

interface Case {
  name: string;
  expect: 'pass' | 'fail';
  bundle: string;
  artifact: string;
  artifact_digest: string;
  identity: string | null;
  issuer: string | null;
  key: string | null;
  trusted_root: string;
}

const read = (p: string): string => fs.readFileSync(path.join(CONFORMANCE, p), 'utf8');
const cases: Case[] = PRESENT ? (JSON.parse(read('CASES.json')) as { cases: Case[] }).cases : [];
/** Cases whose bundle holds a DSSE envelope (some bundles are deliberately not JSON). */
const dsse = cases.filter((c) => {
  try {
    return 'dsseEnvelope' in (JSON.parse(read(c.bundle)) as object);
  } catch {
    return false;
  }
});

describe.skipIf(!PRESENT)('conformance DSSE bundles (../shared/conformance)', () => {
  it('include the two passing in-toto cases', () => {
    const passing = dsse.filter((c) => c.expect === 'pass').map((c) => c.name);
    expect(passing).toEqual(expect.arrayContaining(['happy-path-intoto-in-dsse-v3', 'rekor2-dsse-happy-path']));
  });

  describe.each(['happy-path-intoto-in-dsse-v3', 'rekor2-dsse-happy-path'])('%s', (name) => {
    it('verifies, and the verified statement reads as typed SLSA v1 provenance', async () => {
      const c = dsse.find((x) => x.name === name)!;
      const verifier = await createVerifier({ trustedRoot: read(c.trusted_root) });
      const result = await verifier.verify(read(c.bundle), {
        artifact: new Uint8Array(fs.readFileSync(path.join(CONFORMANCE, c.artifact))),
        identity: { subjectAlternativeName: c.identity!, issuer: c.issuer! },
      });
      const att = readAttestation(result);
      expect(att.kind).toBe('slsa-provenance-v1');
      expect(att.statement.type).toBe('https://in-toto.io/Statement/v1');
      const hex = c.artifact_digest.replace(/^sha256:/, '');
      const m = matchSubject(att.statement, { sha256: hex });
      expect(m?.subject.name).toBe(result.content.type === 'dsseEnvelope' ? result.content.matchedSubject : undefined);
      const prov = provenanceView(att)!;
      expect(prov.slsaVersion).toBe('1');
      expect(prov.builderId).toMatch(/^https:\/\/github\.com\//);
      if (name === 'happy-path-intoto-in-dsse-v3') {
        expect(prov.buildType).toBe('https://actions.github.io/buildtypes/workflow/v1');
        expect(prov.source.repository).toBe('https://github.com/loosebazooka/aa-test');
        expect(prov.source.ref).toBe('refs/heads/main');
        expect(prov.source.digest?.gitCommit).toMatch(/^[0-9a-f]{40}$/);
        expect(prov.invocationId).toMatch(/\/actions\/runs\/\d+\/attempts\/1$/);
      } else {
        // No externalParameters at all: read as {} (SLSA: unset ≡ empty).
        expect(prov.externalParameters).toEqual({});
      }
    });
  });

  it('every DSSE bundle the decoder accepts (passing or failing) shows its statement in inspect', () => {
    expect(dsse.length).toBeGreaterThanOrEqual(4);
    let shown = 0;
    for (const c of dsse) {
      let r: ReturnType<typeof inspectBundle>;
      try {
        r = inspectBundle(read(c.bundle));
      } catch (e) {
        // Only a bundle that must fail may be refused by the bundle decoder itself.
        expect([c.expect, (e as { code?: string }).code], c.name).toEqual(['fail', 'BUNDLE_FORMAT']);
        continue;
      }
      shown++;
      expect(r.content.type, c.name).toBe('dsseEnvelope');
      if (r.content.type !== 'dsseEnvelope') continue;
      expect(r.content.statement?.predicateType, c.name).toBe('https://slsa.dev/provenance/v1');
      expect(r.content.predicate?.kind, c.name).toBe('slsa-provenance-v1');
      expect(r.content.statement!.subjects.length, c.name).toBeGreaterThan(0);
    }
    expect(shown).toBeGreaterThanOrEqual(dsse.length - 1);
  });
});
