/**
 * Fuzz targets for the policy engine (policy documents, the RE2-dialect
 * regex, ClusterImagePolicy and Kyverno YAML imports) and the predicate
 * parsers (in-toto statements with their predicates recognized).
 *
 * Contracts differ from the core parsers: `compilePolicy` and the importers
 * never throw (problems come back as data), the regex compiler throws its
 * own typed `RegexSyntaxError`, the predicate parsers throw SigvetError.
 */
import fc from 'fast-check';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { SigvetError } from '../src/errors.js';
import { compilePolicy, evaluate, LinearRegex, RegexSyntaxError, type PolicyDocument } from '../src/policy.js';
import { importClusterImagePolicy, importKyverno } from '../src/policy-import.js';
import { parseAttestationPayload } from '../src/attestations.js';
import { FuzzFinding, type FuzzTarget } from './targets.js';
import { mutatedJson, mutatedText, mutatedTextBytes } from './arbitraries.js';
import { REPO_ROOT } from './seeds.js';

const GHA = 'https://token.actions.githubusercontent.com';

/** Policy documents covering each rule kind, matcher kind and condition operator (seeds). */
const POLICY_SEEDS: PolicyDocument[] = [
  {
    apiVersion: 'policy.sigvet.dev/v1',
    name: 'seed-keyless',
    authorities: {
      gha: { kind: 'keyless', identities: [{ issuer: { exact: GHA }, subject: { regex: 'https://github\\.com/acme/app/\\.github/workflows/[a-z]+\\.yml@refs/tags/v[0-9]+' } }] },
    },
    require: {
      allOf: [
        { signedBy: ['gha'] },
        {
          attestation: {
            id: 'prov',
            predicateType: 'https://slsa.dev/provenance/v1',
            by: ['gha'],
            select: 'any',
            maxAge: { duration: 'P7D', clock: 'verified' },
          },
        },
      ],
    },
  } as unknown as PolicyDocument,
  {
    apiVersion: 'policy.sigvet.dev/v1',
    name: 'seed-matchers',
    authorities: {
      a: { kind: 'keyless', identities: [{ issuer: { anyOf: [{ exact: GHA }, { prefix: 'https://accounts.' }] }, subject: { glob: 'https://github.com/acme/*' } }] },
      b: { kind: 'keyless', identities: [{ issuer: { suffix: '.example' }, subject: { search: 'acme' } }] },
    },
    require: { anyOf: [{ signedBy: ['a'] }, { not: { signedBy: ['b'] } }, { atLeast: { n: 1, of: [{ signedBy: ['a'] }] } }] },
  } as unknown as PolicyDocument,
];

function policyTarget(): FuzzTarget<string> {
  const texts = POLICY_SEEDS.map((d) => JSON.stringify(d));
  const evidence = { artifacts: [{ digest: { sha256: 'a'.repeat(64) } }], results: [] };
  return {
    name: 'policy.document',
    covers: ['compilePolicy', 'evaluate (policy documents)'],
    budgetMs: 500,
    arbitrary: mutatedJson(texts),
    run(text) {
      let doc: unknown;
      try {
        doc = JSON.parse(text);
      } catch {
        return;
      }
      const c = compilePolicy(doc);
      if (c.ok) evaluate(c.policy, evidence, { now: '2025-06-01T12:00:00Z' });
    },
  };
}

const REGEX_ATOMS = ['a', 'b', '.', '\\d', '\\w', '\\s', '[a-z]', '[^x]', '(', ')', '(?:', '(?i)', '|', '*', '+', '?', '{2}', '{1,3}', '{1000}', '{1001}', '^', '$', '\\b', '\\', '[', ']', '\\p{L}', '\\x{41}', '\u00e9', '\ud83d\ude00', '(?P<n>', '\\1', '(?=', '**'];

function regexTarget(): FuzzTarget<{ pattern: string; input: string; search: boolean; ignoreCase: boolean }> {
  return {
    name: 'policy.regex',
    covers: ['LinearRegex.compile (parseRegex, compileProgram)', 'LinearRegex.test (runProgram)'],
    budgetMs: 500,
    arbitrary: fc.record({
      pattern: fc.oneof(
        fc.array(fc.constantFrom(...REGEX_ATOMS), { maxLength: 16 }).map((a) => a.join('')),
        fc.string({ unit: 'binary', maxLength: 12 }),
        fc.nat(400).map((n) => `${'('.repeat(n)}a${')'.repeat(n)}`),
        fc.constant('(a*)*b'),
        fc.constant('((a{100}){100}){100}'),
      ),
      input: fc.oneof(fc.string({ maxLength: 40 }), fc.nat(5000).map((n) => 'a'.repeat(n))),
      search: fc.boolean(),
      ignoreCase: fc.boolean(),
    }),
    run({ pattern, input, search, ignoreCase }) {
      let re: LinearRegex;
      try {
        re = LinearRegex.compile(pattern, { mode: search ? 'search' : 'whole', ignoreCase });
      } catch (e) {
        // The regex compiler's typed refusal.
        if (e instanceof RegexSyntaxError) throw new SigvetError('INVALID_ARGUMENT', e.message, { check: 'policy.regex' });
        throw e;
      }
      const got = re.test(input);
      // Cross-check simple patterns against the JavaScript engine (same semantics for this subset).
      if (/^[a-z.]*$/.test(pattern) && !ignoreCase) {
        const js = new RegExp(search ? pattern : `^(?:${pattern})$`, 'su');
        if (js.test(input) !== got) throw new FuzzFinding(`regex ${JSON.stringify(pattern)} on ${JSON.stringify(input.slice(0, 40))}: ${got}, JS says ${!got}`);
      }
    },
  };
}

const CIP_SEED = `apiVersion: policy.sigstore.dev/v1beta1
kind: ClusterImagePolicy
metadata:
  name: seed
spec:
  images:
  - glob: "ghcr.io/acme/**"
  authorities:
  - keyless:
      url: https://fulcio.sigstore.dev
      identities:
      - issuer: ${GHA}
        subjectRegExp: "^https://github.com/acme/.*$"
    ctlog:
      url: https://rekor.sigstore.dev
`;

const KYVERNO_SEED = `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: seed
spec:
  rules:
  - name: verify
    match:
      any:
      - resources:
          kinds: [Pod]
    verifyImages:
    - imageReferences: ["ghcr.io/acme/*"]
      attestors:
      - entries:
        - keyless:
            issuer: ${GHA}
            subject: "https://github.com/acme/*"
            rekor:
              url: https://rekor.sigstore.dev
`;

function importTarget(): FuzzTarget<{ text: string; kyverno: boolean }> {
  const bomb = `a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n`;
  return {
    name: 'policy.import-yaml',
    covers: ['importClusterImagePolicy', 'importKyverno', 'readYamlDocuments'],
    budgetMs: 1000,
    arbitrary: fc.record({ text: fc.oneof(mutatedText([CIP_SEED, KYVERNO_SEED, bomb])), kyverno: fc.boolean() }),
    run({ text, kyverno }) {
      const r = kyverno ? importKyverno(text) : importClusterImagePolicy(text);
      for (const p of r.policies) compilePolicy(p);
    },
  };
}

function predicateTarget(): FuzzTarget<Uint8Array> {
  const dir = path.join(REPO_ROOT, 'test', 'fixtures', 'attestations');
  let seeds: Uint8Array[] = [];
  try {
    seeds = readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => new TextEncoder().encode(JSON.stringify((JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as { statement: unknown }).statement)));
  } catch {
    /* no fixtures in this checkout: random statements only */
  }
  return {
    name: 'predicates.attestation',
    covers: ['parseAttestationPayload (statement + predicate recognition and validation)'],
    budgetMs: 500,
    arbitrary: fc.oneof(mutatedTextBytes(seeds), mutatedJson(seeds.map((s) => new TextDecoder().decode(s))).map((s) => new TextEncoder().encode(s))),
    run(bytes) {
      parseAttestationPayload(bytes);
    },
  };
}

/** The policy and predicate targets. */
export function extraTargets(): FuzzTarget<any>[] {
  return [policyTarget(), regexTarget(), importTarget(), predicateTarget()];
}
