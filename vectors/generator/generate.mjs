#!/usr/bin/env node
// Generates sigvet's own test vectors (test-vectors/) and the example under
// examples/sample/ from a private, in-process Sigstore instance.
//
//   node vectors/generator/generate.mjs [--out DIR]
//
// DIR defaults to the repository root. The output is a pure function of the
// seed and the fixed clock in instance.mjs: regenerating gives byte-identical
// files. examples/sample/ is rewritten as a whole; in test-vectors/ only this
// generator's files are (other suites live in subfolders: oci/, policy/).

import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInstance, trustedRootJson, SEED, NOW_MS, rfc3339, sha256, toHex } from './instance.mjs';
import { CASES, SAMPLE } from './cases.mjs';
import { UNREACHABLE_CHECKS } from './unreachable-checks.mjs';

const enc = (s) => new TextEncoder().encode(s);
const json = (v) => enc(JSON.stringify(v, null, 2) + '\n');

/** Every output file, as a Map from a repository-relative path to its bytes, in a fixed order. */
export function generateFiles(seed = SEED) {
  const inst = createInstance(seed);
  // Phase 1: every signing appends to the log. Phase 2: seal, then render
  // bundles whose inclusion proofs and checkpoints refer to the final tree.
  const renders = CASES.map((c) => [c, c.build(inst)]);
  const renderSample = SAMPLE.build(inst);
  inst.registry.sealAll();
  const trustedRoot = json(trustedRootJson(inst));

  const files = new Map();
  const manifest = [];
  for (const [c, render] of renders) {
    const r = render();
    const dir = `test-vectors/${c.name}`;
    const own = new Map();
    own.set('README', enc(c.readme + '\n'));
    own.set('artifact', r.artifact);
    // A case that needs bytes JSON.stringify cannot produce (duplicate keys) gives `bundleText`.
    own.set('bundle.sigstore.json', r.bundleText !== undefined ? enc(r.bundleText) : json(r.bundle));
    if (r.identity !== undefined) own.set('identity', enc(r.identity + '\n'));
    if (r.issuer !== undefined) own.set('issuer', enc(r.issuer + '\n'));
    if (r.keyPem !== undefined) own.set('key.pub', enc(r.keyPem));
    own.set('trusted_root.json', r.trustedRoot ? json(r.trustedRoot) : trustedRoot);
    const names = [...own.keys()].sort();
    for (const n of names) files.set(`${dir}/${n}`, own.get(n));
    manifest.push({
      name: c.name,
      expect: c.expect,
      expected_error_code: c.expect === 'fail' ? c.expectedErrorCode : null,
      expected_check: c.expect === 'fail' ? (c.expectedCheck ?? null) : null,
      expected_inner_check: c.expect === 'fail' ? (c.expectedInnerCheck ?? null) : null,
      family: c.family,
      bundle: `${c.name}/bundle.sigstore.json`,
      artifact: `${c.name}/artifact`,
      artifact_digest: `sha256:${toHex(sha256(r.artifact))}`,
      modes: ['path', 'digest'],
      identity: r.keyPem === undefined ? r.identity : null,
      issuer: r.keyPem === undefined ? r.issuer : null,
      key: r.keyPem === undefined ? null : `${c.name}/key.pub`,
      trusted_root: `${c.name}/trusted_root.json`,
      trusted_root_is_default: false,
      readme: c.readme + '\n',
      tags: r.tags,
      files: names,
    });
  }
  const pass = manifest.filter((c) => c.expect === 'pass').length;
  files.set(
    'test-vectors/CASES.json',
    json({
      format: 'sigstore-bundle-verify-cases/v1',
      title: 'sigvet test vectors from a private Sigstore instance',
      source: {
        generator: 'vectors/generator/generate.mjs',
        seed,
        clock: rfc3339(NOW_MS),
        note: 'Generated; do not edit by hand. Run `node vectors/generator/generate.mjs` to regenerate.',
      },
      paths_relative_to: 'the directory containing this CASES.json',
      counts: { cases: manifest.length, pass, fail: manifest.length - pass, invocations: manifest.length * 2 },
      cases: manifest,
    }),
  );
  files.set('test-vectors/README.md', enc(vectorsReadme(manifest, CASES)));

  const sample = renderSample();
  files.set('examples/sample/README.md', enc(sampleReadme(sample)));
  files.set('examples/sample/artifact.txt', sample.artifact);
  files.set('examples/sample/artifact.txt.sigstore.json', json(sample.bundle));
  files.set('examples/sample/identity', enc(sample.identity + '\n'));
  files.set('examples/sample/issuer', enc(sample.issuer + '\n'));
  files.set('examples/sample/trusted_root.json', trustedRoot);
  return files;
}

/** The @sigstore/verify version the `sigstoreJs` notes of the cases were checked against (test/vectors/generator.test.ts). */
const SIGSTORE_JS_VERSION = '3.1.1';

const FAMILY_TITLES = {
  'bundle-format': 'Bundle versions, media types and required evidence',
  dsse: 'DSSE envelopes and in-toto statements',
  signature: 'Message signatures',
  'managed-key': 'Managed keys',
  'certificate-profile': 'Signing-certificate profile',
  'cert-chain': 'Certificate chain',
  sct: 'Signed certificate timestamps',
  'tlog-set': 'Signed entry timestamps (Rekor v1)',
  checkpoint: 'Checkpoints (signed notes, cosignatures)',
  'inclusion-proof': 'Inclusion proofs',
  'tlog-body': 'Log entry bodies and log identity',
  'rekor-v2': 'Rekor v2',
  timestamp: 'RFC 3161 timestamps',
  'validity-windows': 'Validity windows (inside, outside, inclusive end)',
  identity: 'Signer identity',
  'trust-root': 'Trusted root',
  limits: 'Hard limits (sigvet caps, tag sigvet-cap)',
};

const cell = (s) => String(s).replace(/\|/g, '\\|').replace(/\n/g, ' ').trim();

/** Dimension → value → cases, from the tags derived from each bundle. */
function dimensionRows(manifest) {
  const dims = [
    ['bundle version', /^bundle-v/],
    ['bundle media type', /^media-type:/],
    ['key material', /^key:/],
    ['key type', /^keytype:/],
    ['content', /^content:/],
    ['log entry kind', /^tlog:(hashedrekord|dsse|intoto)\//],
    ['log', /^tlog:rekor-v/],
    ['log evidence', /^tlog:(set|inclusion-proof)$/],
    ['signed time', /^timestamp:/],
  ];
  const rows = [];
  for (const [dim, re] of dims) {
    const byValue = new Map();
    for (const c of manifest) {
      for (const t of c.tags) {
        if (!re.test(t)) continue;
        const v = t.replace(/^(media-type|key|keytype|content|tlog|timestamp):/, '');
        if (!byValue.has(v)) byValue.set(v, []);
        byValue.get(v).push(c);
      }
    }
    for (const [v, cs] of [...byValue].sort(([a], [b]) => a.localeCompare(b))) {
      const pass = cs.filter((c) => c.expect === 'pass').length;
      rows.push(`| ${dim} | \`${cell(v)}\` | ${cs.length} (${pass} pass, ${cs.length - pass} fail) |`);
    }
  }
  return rows.join('\n');
}

function caseTables(manifest) {
  const families = [...new Set(manifest.map((c) => c.family))];
  return families
    .map((f) => {
      const rows = manifest
        .filter((c) => c.family === f)
        .map(
          (c) =>
            `| \`${c.name}\` | ${c.expect} | ${c.expected_error_code ?? ''} | ${c.expected_check ? `\`${c.expected_check}\`` : ''}${c.expected_inner_check ? ` (inner \`${c.expected_inner_check}\`)` : ''} | ${cell(c.readme)} |`,
        )
        .join('\n');
      return `### ${FAMILY_TITLES[f] ?? f}\n\n| case | expect | sigvet code | sigvet check | why |\n| --- | --- | --- | --- | --- |\n${rows}\n`;
    })
    .join('\n');
}

function findings(cases, manifest) {
  const noted = cases.filter((c) => c.sigstoreJs);
  const rows = noted
    .map((c) => `| \`${c.name}\` | ${c.expect} | ${c.sigstoreJs.verdict} | ${cell(c.sigstoreJs.why)} |`)
    .join('\n');
  const incidental = cases.filter((c) => c.sigstoreJsRejects);
  const incidentalRows = incidental
    .map((c) => `| \`${c.name}\` | \`${cell(c.sigstoreJsRejects.signal.source.replace(/^\^/, '').replace(/\\/g, ''))}\` | ${cell(c.sigstoreJsRejects.why)} |`)
    .join('\n');
  const failAccepted = noted.filter((c) => c.expect === 'fail').length;
  const passRejected = noted.length - failAccepted;
  return `## Findings: \`@sigstore/verify\` ${SIGSTORE_JS_VERSION}

The official Sigstore JavaScript verifier was run over every case in path
mode (it needs the artifact bytes for message signatures) through
\`vectors/clients/sigstore-js.mjs\`, an adapter that gives it the
conformance CLI protocol:

\`\`\`sh
npm run vectors:run -- --cli "node vectors/clients/sigstore-js.mjs" --mode path
\`\`\`

It agrees with the expected verdict on ${manifest.length - noted.length} of
${manifest.length} cases. It accepts ${failAccepted} cases that must fail and rejects
${passRejected} that must pass; the table says why (each reason was read in its
source). These are findings about \`@sigstore/verify\`, not failures of the
vectors; \`test/vectors/generator.test.ts\` re-runs the differential and fails
when these tables stop being true. On the other failing cases it rejects, it
fails for the reason the case names.

| case | expected | @sigstore/verify | why |
| --- | --- | --- | --- |
${rows}

It rejects ${incidental.length} more failing cases only through another path: a crash or a
check about something else, not a check for what the case breaks.

| case | what @sigstore/verify reports | why |
| --- | --- | --- |
${incidentalRows}

Identity matching: \`@sigstore/verify\` treats the expected SAN as an
unanchored regular expression. The adapter escapes and anchors it, which
is what a whole-string comparison needs; passed through unchanged
(\`SIGSTORE_JS_IDENTITY=pattern\`, as a caller following its API
documentation would), \`identity-prefix-only_fail\`,
\`identity-suffix-only_fail\` and \`identity-regex-metacharacter_fail\` are
accepted too.
`;
}

function checkCoverage(manifest) {
  const failing = manifest.filter((c) => c.expect === 'fail');
  const named = new Set(failing.flatMap((c) => [c.expected_check, c.expected_inner_check].filter(Boolean)));
  const rows = Object.entries(UNREACHABLE_CHECKS)
    .sort(([a, x], [b, y]) => x.category.localeCompare(y.category) || a.localeCompare(b))
    .map(([check, e]) => `| \`${check}\` | ${e.category} | ${cell(e.reason)} |`)
    .join('\n');
  return `## Every check has a vector

Each failing case names the one sigvet check (\`expected_check\`, or
\`expected_inner_check\`) that must refuse it; together they name ${named.size} checks.
\`test/vectors/check-coverage.test.ts\` reads every check name sigvet's verifier
can report from its source (\`src/verify\`, \`x509\`, \`tlog\`, \`timestamp\`,
\`bundle\`, \`dsse\`, \`crypto\`, \`trust\`, \`intoto\`, \`der\`, \`encoding\`: every
string that reaches a \`check\` field, and \`limit.<cap>\` for every cap), runs
every failing case, and fails when a check is reported by no case and is not
in the reviewed list below (\`vectors/generator/unreachable-checks.mjs\`), or
when an entry of that list is stale. It also lifts each liftable cap of a
\`sigvet-cap\` case and checks that the case then verifies.

Checks no vector can fail on, and why (categories are explained in
\`vectors/generator/unreachable-checks.mjs\`):

| check | category | why no vector |
| --- | --- | --- |
${rows}
`;
}

function vectorsReadme(manifest, cases) {
  const pass = manifest.filter((c) => c.expect === 'pass').length;
  return `# sigvet test vectors

${manifest.length} cases (${pass} must verify, ${manifest.length - pass} must fail) for any Sigstore
bundle verifier, and policy cases (\`policy/\`) for policy evaluation. Each
failing case breaks exactly one thing, and its \`README\` says which; together
they give every check sigvet performs a case that fails only because of that
check (see "Every check has a vector" below for the few that cannot have one).

Generated by \`node vectors/generator/generate.mjs\` (\`npm run vectors\`) from a
private Sigstore instance that exists only inside the generator: two
Fulcio-like CAs (P-384 and P-256 root and intermediate, GitHub Actions and
e-mail identities), a CT log issuing embedded SCTs through the
precertificate flow, a Rekor v1 log (RFC 6962 Merkle tree, SETs, inclusion
proofs, signed checkpoints), two Rekor v2 logs (Ed25519 and ECDSA keys, C2SP
signed-note checkpoints, hashedrekord and dsse 0.0.2 entries), witnesses
that cosign checkpoints (C2SP tlog-cosignature), an RFC 3161 timestamp
authority with its own chain, and managed ECDSA P-256/P-384, Ed25519 and
RSA-2048 keys. Keys come from a fixed seed and the clock is fixed at
${rfc3339(NOW_MS)}, so regenerating yields byte-identical files. Do not edit
these files by hand; change the generator and regenerate (a test compares
the committed files with a fresh generation).

## Running them against a verifier

\`run.mjs\` (in this folder) runs any client that speaks the
[sigstore-conformance](https://github.com/sigstore/sigstore-conformance)
CLI protocol (\`verify-bundle\`) over these cases, and any client that speaks
the policy-test protocol below over the policy cases in \`policy/\`. It is a
single file with no dependencies (Node 20 or later). Install this folder from
npm as \`sigvet-test-vectors\` (see "Getting the vectors" below), or run it
from a sigvet checkout:

\`\`\`sh
npm run vectors:run -- --cli "<command prefix>"                    # bundle cases
npm run vectors:run -- --policy-cli "<command prefix>"             # policy cases
npm run vectors:run -- --cli "<prefix>" --policy-cli "<prefix>"    # both
# or, anywhere (the cases default to the folder run.mjs is in):
npx sigvet-test-vectors --cli "<command prefix>"
node node_modules/sigvet-test-vectors/run.mjs --cli "<command prefix>"
\`\`\`

Every command runs through \`/bin/sh\` from the current directory, so a prefix
may hold options, environment assignments or quotes. The runner prints one line
per case, then the names of the failing cases, and last \`N passed, M failed\`
(with both suites, a line per suite before it); it exits 0 when nothing failed,
1 otherwise, 2 on a usage error.

### Bundle cases: \`verify-bundle\`

For each case, and for each of its modes (\`path\` and \`digest\`), the runner
executes:

\`\`\`
<prefix> verify-bundle --bundle B --certificate-identity I --certificate-oidc-issuer U --trusted-root T FILE_OR_DIGEST
<prefix> verify-bundle --bundle B --key K --trusted-root T FILE_OR_DIGEST
\`\`\`

\`FILE_OR_DIGEST\` is the artifact's path (mode \`path\`) or \`sha256:<hex>\` (mode
\`digest\`). Every path is absolute, and \`--trusted-root\` is always given, so no
case needs the network. Exit status 0 means verified; anything else
(including a crash or the timeout) means not verified. A case passes when
every mode gives the expected verdict.

### Policy cases: \`policy test\`

The cases in \`policy/cases/\` (format: \`policy/README.md\`) give a policy,
evidence (verification results), a time \`now\` and the expected verdict. For
each case the runner replaces the paths in \`policy\` and \`evidence.results\`
by the JSON they name, writes the now self-contained case as \`case.json\` into
a fresh, otherwise empty directory \`DIR\`, and executes:

\`\`\`
<prefix> policy test DIR
\`\`\`

The client evaluates the case's policy over its evidence at \`now\` and compares
its verdict with \`expect\`: the decision, the status when given, and the set
of reason codes of the non-passing leaves when given (exactly, order and
repetition ignored). Exit status 0 means the verdict matched, 1 that it did
not; anything else is an error. Because the client compares, the runner also
checks that it does: each case runs again with its expectation altered (the
decision flipped; the reason code \`VECTORS_RUN_CONTROL\` added; the status
changed, when the case gives one), and each of those runs must exit 1. A case
passes when the run as given exits 0 and every altered run exits 1.

| option | meaning |
| --- | --- |
| \`--cli PREFIX\` | the client command for bundle cases, e.g. \`"node dist/cli.js"\` or \`"python -m my_client"\` |
| \`--policy-cli PREFIX\` | the client command for policy cases (at least one of \`--cli\` and \`--policy-cli\` is required) |
| \`--cases DIR\` | a folder with a \`CASES.json\`, or the manifest itself (default: \`../test-vectors\` from the script, i.e. this folder in a sigvet checkout) |
| \`--policy-cases DIR\` | a folder of policy cases, or one with a \`cases/\` subfolder (default: \`policy/\` here) |
| \`--mode both\\|path\\|digest\` | run only one way of passing the artifact (default \`both\`) |
| \`--filter REGEX\` | run only the cases (of either suite) whose name matches |
| \`--codes\` | a failing bundle case must also print its \`expected_error_code\` (for clients that report sigvet's error codes) |
| \`--jobs N\`, \`--timeout S\` | parallel cases (default up to 4), seconds per invocation (default 60) |
| \`--json OUT\` | also write every result as JSON (\`results\`, and \`policy_results\` for policy cases) |

sigvet itself: \`npm run build && npm run vectors:run -- --cli "node dist/cli.js" --codes --policy-cli "node dist/cli.js"\`
(also run by \`test/vectors/runner.test.ts\`), and
\`test/vectors/verify-vectors.test.ts\` runs every bundle case through the API
with each crypto provider.

## Getting the vectors

This folder is also a package of its own, published beside \`sigvet\` with
the same version: \`npm install --save-dev sigvet-test-vectors\` gives
\`node_modules/sigvet-test-vectors/\` with \`CASES.json\`, every case folder,
the policy and OCI cases and \`run.mjs\` (also its \`bin\`,
\`sigvet-test-vectors\`). Nothing in it depends on sigvet; \`sigvet\` itself
does not ship the vectors, so a verifier's users do not download them.

## Layout

Subfolders that are not cases (\`oci/\`, \`policy/\`) hold other suites, made
by other generators, with their own README; everything else here is made by
this one. One directory per case, as in sigstore-conformance's bundle-verify cases:
\`bundle.sigstore.json\`, \`artifact\`, \`trusted_root.json\`, \`identity\` and
\`issuer\` (or \`key.pub\` for managed keys), and \`README\`. A name ending in
\`_fail\` must fail verification. \`CASES.json\` lists the cases in the format of
the shared conformance manifest: \`name\`, \`expect\`, \`bundle\`, \`artifact\`,
\`artifact_digest\`, \`modes\`, \`identity\`, \`issuer\`, \`key\`, \`trusted_root\`,
\`readme\`, \`tags\` (what the bundle contains), \`files\`, plus
\`expected_error_code\` and \`expected_check\`: the sigvet error code (\`src/errors.ts\`)
and check name a failing case produces, and \`expected_inner_check\` where sigvet
reports the failure through a wrapper (\`timestamp.authority\`: no trusted TSA
verifies the token) and the case's one fault is the inner check. Paths are
relative to the folder holding \`CASES.json\`.

Cases tagged \`sigvet-cap\` (the "Hard limits" table) fail only because they
exceed one of sigvet's caps by one unit; they are valid otherwise. The caps are
sigvet's choices, not Sigstore rules: a verifier with other caps (or none) may
skip them (\`--filter\` takes a regular expression over case names; the tags are
in \`CASES.json\`).
Cases tagged \`sigvet-rule\` fail on a rule sigvet adds to the Sigstore
specifications (its README says which, and why); another verifier may
reasonably accept them.

## Coverage

### By dimension

| dimension | value | cases |
| --- | --- | --- |
${dimensionRows(manifest)}

${caseTables(manifest)}
${checkCoverage(manifest)}
${findings(cases, manifest)}`;
}

function sampleReadme(sample) {
  return `# Sample: a signed artifact and its bundle

\`artifact.txt\` was signed by a private Sigstore instance generated by
\`vectors/generator/generate.mjs\` (fixed seed and clock, so the files are
reproducible): a GitHub Actions identity got a 10-minute certificate from a
Fulcio-like CA, with an SCT from its CT log, and the signature was recorded in
its Rekor v1 log. \`artifact.txt.sigstore.json\` is the resulting v0.3 bundle and
\`trusted_root.json\` describes that instance; it is not the public-good Sigstore
root, so pass it explicitly.

\`\`\`sh
npx sigvet verify \\
  --bundle examples/sample/artifact.txt.sigstore.json \\
  --trusted-root examples/sample/trusted_root.json \\
  --certificate-identity ${sample.identity} \\
  --certificate-oidc-issuer ${sample.issuer} \\
  examples/sample/artifact.txt
\`\`\`

The expected identity and issuer are also in \`identity\` and \`issuer\`.
Do not edit these files by hand; regenerate them.
`;
}

/** Case directory names listed by an existing test-vectors/CASES.json (none if absent or unreadable). */
function previousCaseNames(outRoot) {
  try {
    const m = JSON.parse(readFileSync(join(outRoot, 'test-vectors/CASES.json'), 'utf8'));
    return (Array.isArray(m.cases) ? m.cases : []).map((c) => c.name).filter((n) => typeof n === 'string' && /^[\w.-]+$/.test(n));
  } catch {
    return [];
  }
}

/**
 * Writes the generated files under `outRoot`. examples/sample/ is replaced
 * as a whole; in test-vectors/ only what this generator owns is replaced
 * (CASES.json, README.md and the case directories of the previous and the
 * new manifest), so suites other generators keep in subfolders (oci/, policy/) stay.
 */
export function writeFiles(outRoot, files) {
  rmSync(join(outRoot, 'examples/sample'), { recursive: true, force: true });
  const caseDirs = new Set(previousCaseNames(outRoot));
  for (const rel of files.keys()) {
    const m = /^test-vectors\/([^/]+)\//.exec(rel);
    if (m) caseDirs.add(m[1]);
  }
  for (const name of [...caseDirs, 'CASES.json', 'README.md']) rmSync(join(outRoot, 'test-vectors', name), { recursive: true, force: true });
  for (const [rel, bytes] of files) {
    const p = join(outRoot, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, bytes);
  }
}

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const args = process.argv.slice(2);
  let out = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--out' && args[i + 1]) out = resolve(args[++i]);
    else {
      console.error('usage: node vectors/generator/generate.mjs [--out DIR]');
      process.exit(2);
    }
  }
  const files = generateFiles();
  writeFiles(out, files);
  console.log(`wrote ${files.size} files under ${out}`);
}
