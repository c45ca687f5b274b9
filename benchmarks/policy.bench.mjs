#!/usr/bin/env node
/**
 * Policy micro-benchmarks (medians):
 * 1. evaluate(): a 20-rule policy over 10 attestations (compiled once).
 * 2. The linear-time matcher: `(a+)+$` searched in 100,000 "a" + "!"
 *    versus the same pattern over an ordinary 100,001-character input.
 *
 * Bundles src/policy.ts in memory with esbuild (a dev dependency through
 * tsup), so it measures the current sources on a fresh clone; `--dist`
 * measures the built dist/policy.js instead.
 * `--profile [seconds]` measures nothing: it profiles evaluate() (same
 * policy and evidence) for a few seconds and prints where the time goes
 * (the bundle is written to a temporary dist/ so the summary can tell the
 * policy code apart; the raw .cpuprofile is kept next to it).
 * Usage: node benchmarks/policy.bench.mjs [--dist] [--profile [seconds]]
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const profileAt = process.argv.indexOf('--profile');
const profiling = profileAt >= 0;
/** Where --profile writes the bundle (a `dist` folder: the profile summary attributes files under it to sigvet). */
const profileDist = join(tmpdir(), `sigvet-policy-profile-${process.pid}`, 'dist');

async function load() {
  const dist = join(root, 'dist', 'policy.js');
  if (process.argv.includes('--dist')) {
    if (!existsSync(dist)) throw new Error('dist/policy.js is missing: run npm run build');
    return { mod: await import(pathToFileURL(dist).href), from: 'dist/policy.js' };
  }
  const { build } = await import('esbuild');
  const out = await build({ entryPoints: [join(root, 'src', 'policy.ts')], bundle: true, format: 'esm', platform: 'neutral', write: false, logLevel: 'silent' });
  const code = out.outputFiles[0].text;
  if (profiling) {
    mkdirSync(profileDist, { recursive: true });
    const file = join(profileDist, 'policy.js');
    writeFileSync(file, code);
    return { mod: await import(pathToFileURL(file).href), from: `src/policy.ts (esbuild, ${file})` };
  }
  return { mod: await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`), from: 'src/policy.ts (esbuild, in memory)' };
}

/** Profiles `fn` in a loop for `seconds` and prints the summary benchmarks/profile.mjs uses. */
async function profile(fn, seconds) {
  const { Session } = await import('node:inspector/promises');
  const { summarizeProfile } = await import('./lib/profile-summary.mjs');
  for (let i = 0; i < 2000; i++) fn(); // warm: the optimized code is what is measured
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 50 });
  await session.post('Profiler.start');
  const end = Date.now() + seconds * 1000;
  let n = 0;
  while (Date.now() < end) {
    for (let i = 0; i < 100; i++) fn();
    n += 100;
  }
  const { profile: p } = await session.post('Profiler.stop');
  session.disconnect();
  const raw = join(profileDist, '..', 'evaluate.cpuprofile');
  writeFileSync(raw, JSON.stringify(p));
  const s = summarizeProfile(p, { distDir: profileDist, repo: root, top: 25 });
  const row = (x) => `${x.pct.toFixed(1).padStart(5)}%  ${x.name} ${x.where ? `(${x.where.replace(`${profileDist}/`, '')})` : ''}`;
  console.log(`profile: ${n} evaluations in ${seconds} s (${((seconds * 1e6) / n).toFixed(1)} us each, profiler on); raw profile ${raw}`);
  console.log('\nby area:');
  for (const a of s.areas) console.log(`${a.pct.toFixed(1).padStart(5)}%  ${a.area}`);
  console.log('\ntop self time:');
  for (const f of s.topSelf) console.log(row(f));
  console.log('\npolicy code, inclusive time:');
  for (const f of s.topInclusiveSigvet) console.log(row(f));
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(fn, { iterations, warmup = Math.ceil(iterations / 10) }) {
  for (let i = 0; i < warmup; i++) fn();
  const samples = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return median(samples);
}

const GHA = 'https://token.actions.githubusercontent.com';
const SAN = 'https://github.com/acme/app/.github/workflows/release.yml@refs/tags/v1.2.3';
const SHA = 'a'.repeat(64);

function result(predicateType, predicate, i) {
  return {
    mediaType: 'application/vnd.sigvet.verification-result.v0.1+json',
    bundle: { mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json', version: '0.3' },
    signer: {
      type: 'certificate',
      subjectAlternativeName: SAN,
      subjectAlternativeNameType: 'uri',
      issuer: GHA,
      extensions: { issuer: GHA, sourceRepositoryUri: 'https://github.com/acme/app', runnerEnvironment: 'github-hosted' },
      extensionsByOid: {},
      certificate: { serialNumber: '01', notBefore: '2025-06-01T09:00:00Z', notAfter: '2025-06-01T09:10:00Z', certificateAuthority: 'https://fulcio.sigstore.dev' },
      scts: [{ log: 'https://ctfe.sigstore.dev/test', time: '2025-06-01T09:00:01Z' }],
    },
    content: {
      type: 'dsseEnvelope',
      payloadType: 'application/vnd.in-toto+json',
      statement: { type: 'https://in-toto.io/Statement/v1', subject: [{ name: 'app', digest: { sha256: SHA } }], predicateType, predicate },
      matchedSubject: 'app',
    },
    verifiedTimes: [{ source: 'tlog', time: `2025-06-01T09:0${i % 10}:00Z`, authority: 'https://rekor.sigstore.dev' }],
    tlogEntries: [{ baseUrl: 'https://rekor.sigstore.dev', logId: 'c0d2', logIndex: String(i), kind: 'dsse', version: '0.0.1', integratedTime: '2025-06-01T09:00:00Z', setVerified: true, inclusionProofVerified: true, checkpoint: undefined }],
    checks: [],
    skipped: [],
  };
}

const provenance = (i) => ({
  buildDefinition: {
    buildType: 'https://actions.github.io/buildtypes/workflow/v1',
    externalParameters: { workflow: { ref: 'refs/tags/v1.2.3', repository: 'https://github.com/acme/app', path: '.github/workflows/release.yml' } },
    resolvedDependencies: [{ uri: 'git+https://github.com/acme/app@refs/tags/v1.2.3', digest: { gitCommit: 'd'.repeat(40) } }],
  },
  runDetails: { builder: { id: SAN }, metadata: { invocationId: `run-${i}` } },
});
const vulns = (i) => ({
  scanner: { uri: 'pkg:github/aquasecurity/trivy', db: { lastUpdate: '2025-06-01T00:00:00Z' }, result: Array.from({ length: 20 }, (_, k) => ({ id: `CVE-2025-${k}`, severity: [{ method: 'nvd', score: String((k % 9) + 0.5) }] })) },
  metadata: { scanStartedOn: `2025-06-01T08:0${i % 10}:00Z`, scanFinishedOn: '2025-06-01T08:10:00Z' },
});
const vsa = () => ({ verifier: { id: 'https://verifier.example' }, resourceUri: 'git+https://github.com/acme/app', policy: { uri: 'https://p' }, verificationResult: 'PASSED', verifiedLevels: ['SLSA_BUILD_LEVEL_3'] });

const evidence = {
  artifacts: [{ digest: { sha256: SHA } }],
  results: [
    ...[0, 1, 2, 3, 4].map((i) => result('https://slsa.dev/provenance/v1', provenance(i), i)),
    ...[5, 6, 7].map((i) => result('https://in-toto.io/attestation/vulns/v0.2', vulns(i), i)),
    ...[8, 9].map((i) => result('https://slsa.dev/verification_summary/v1', vsa(), i)),
  ],
};

const prov = (id, extra) => ({ attestation: { id, predicateType: 'https://slsa.dev/provenance/v1', by: ['gha'], select: 'all', ...extra } });
const rules = [
  { signedBy: ['gha'], include: 'attestations' },
  prov('p1', { slsa: { builderIsSigner: true } }),
  prov('p2', { slsa: { sourceUri: 'github.com/acme/app' } }),
  prov('p3', { slsa: { versionedTag: 'v1' } }),
  prov('p4', { slsa: { externalParameters: { only: ['workflow'] } } }),
  prov('p5', { slsa: { buildType: { exact: 'https://actions.github.io/buildtypes/workflow/v1' } } }),
  prov('p6', { maxAge: { duration: 'P7D', clock: 'verified' } }),
  prov('p7', { where: [{ path: '/predicate/runDetails/builder/id', match: { regex: 'https://github\\.com/acme/app/\\.github/workflows/[a-z]+\\.yml@refs/tags/v[0-9]+\\.[0-9]+\\.[0-9]+' } }] }),
  prov('p8', { where: [{ path: '/predicate/buildDefinition/resolvedDependencies', some: [{ path: '/digest/gitCommit', exists: true }] }] }),
  prov('p9', { bind: { commit: '/predicate/buildDefinition/resolvedDependencies/0/digest/gitCommit' } }),
  prov('p10', { select: 'newest', subject: { name: { exact: 'app' } } }),
  { attestation: { id: 'v1', predicateType: 'https://in-toto.io/attestation/vulns/v0.2', by: ['gha'], select: 'all', vulns: { maxSeverity: 'critical' } } },
  { attestation: { id: 'v2', predicateType: 'https://in-toto.io/attestation/vulns/v0.2', by: ['gha'], select: 'newest', vulns: { maxCount: { high: 10 }, ignore: ['CVE-2025-7'] } } },
  { attestation: { id: 'v3', predicateType: 'https://in-toto.io/attestation/vulns/v0.2', by: ['gha'], select: 'any', minCount: 2, vulns: { dbMaxAge: 'P2D' } } },
  { attestation: { id: 's1', predicateType: 'https://slsa.dev/verification_summary/v1', by: ['gha'], select: 'all', vsa: { minLevels: { BUILD: 2 }, verifierId: { exact: 'https://verifier.example' } } } },
  { attestation: { id: 's2', predicateType: 'https://slsa.dev/verification_summary/v1', by: ['gha'], select: 'any', vsa: { resourceUri: { exact: 'git+https://github.com/acme/app' } } } },
  { anyOf: [{ signedBy: ['gha'], include: 'attestations' }, { attestation: { id: 'x1', predicateType: 'https://spdx.dev/Document/v2.3', by: ['gha'], select: 'any' } }] },
  { atLeast: 1, of: [prov('q1', { select: 'any' }), prov('q2', { select: 'any', where: [{ path: '/predicate/runDetails/metadata/invocationId', op: 'in', value: ['run-1', 'run-2'] }] })] },
  { attestation: { id: 'f1', predicateType: { family: 'slsa-provenance' }, by: ['gha'], select: 'any', where: [{ path: '/predicate/buildDefinition/externalParameters/workflow/path', op: 'eq', value: '.github/workflows/release.yml' }] } },
  { attestation: { id: 'b2', predicateType: 'https://slsa.dev/provenance/v1', by: ['gha'], select: 'newest', bind: { commit: '/predicate/buildDefinition/resolvedDependencies/0/digest/gitCommit' } } },
];
// Rule 17 of 20: cross-attestation binding.
rules[16] = { equal: ['p9.commit', 'b2.commit'] };
const doc = {
  apiVersion: 'policy.sigvet.dev/v1',
  name: 'bench',
  authorities: { gha: { kind: 'keyless', identities: [{ issuer: { exact: GHA }, subject: { regex: 'https://github\\.com/acme/app/\\.github/workflows/release\\.yml@refs/tags/v[0-9]+\\.[0-9]+\\.[0-9]+' }, extensions: { runnerEnvironment: { exact: 'github-hosted' } } }] } },
  require: { allOf: rules.slice(0, 20) },
};

const { mod, from } = await load();
const compiled = mod.compilePolicy(doc);
if (!compiled.ok) throw new Error(`benchmark policy invalid: ${JSON.stringify(compiled.problems)}`);
const now = '2025-06-01T12:00:00Z';
const v = mod.evaluate(compiled.policy, evidence, { now });
if (v.decision !== 'allow') {
  console.error(mod.formatVerdict(v));
  throw new Error('benchmark policy must allow');
}
console.log(`sigvet policy benchmarks (module: ${from}; node ${process.version})`);
if (profiling) {
  const seconds = Number(process.argv[profileAt + 1]);
  await profile(() => mod.evaluate(compiled.policy, evidence, { now }), Number.isFinite(seconds) && seconds > 0 ? seconds : 5);
  process.exit(0);
}
const evalMs = time(() => mod.evaluate(compiled.policy, evidence, { now }), { iterations: 2000 });
console.log(`evaluate: 20 rules x ${evidence.results.length} attestations    median ${(evalMs * 1000).toFixed(1)} us`);
const compileMs = time(() => mod.compilePolicy(doc), { iterations: 500 });
console.log(`compilePolicy (same policy)                  median ${(compileMs * 1000).toFixed(1)} us`);

const re = mod.LinearRegex.compile('(a+)+$', { mode: 'search' });
const evil = `${'a'.repeat(100_000)}!`;
const normal = `${'ab'.repeat(50_000)}!`;
if (re.test(evil) || re.test(normal)) throw new Error('unexpected match');
const evilMs = time(() => re.test(evil), { iterations: 15, warmup: 3 });
const normalMs = time(() => re.test(normal), { iterations: 15, warmup: 3 });
console.log(`(a+)+$ search, 100,000 "a" + "!"             median ${evilMs.toFixed(2)} ms`);
console.log(`(a+)+$ search, 100,001 ordinary characters   median ${normalMs.toFixed(2)} ms`);
console.log(`ratio adversarial / ordinary: ${(evilMs / normalMs).toFixed(2)}`);
