/**
 * `sigvet verify-bundle` (the sigstore-conformance CLI protocol, exactly:
 * exit 0 only when verified, one line on stderr otherwise) and
 * `sigvet verify` (the same checks with a readable report, or `--json`;
 * several artifacts at once, each with the bundle beside it).
 * @module
 */
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { createVerifier, fileArtifact, isSigvetError, type SigvetError, type VerificationResult, type VerifyInput, type StringMatcher, type Verifier } from '../index.node.js';
import { ExitCode, USAGE_ROW } from './exit-codes.js';
import { formatHelp, helpHint } from './help.js';
import { UsageError, readText } from './io.js';
import { jsonText } from './json-output.js';
import { createProgress, progressEnabled, summaryLine, type Progress } from './progress.js';
import { styleFor, type Style } from './style.js';

/** Artifacts larger than this are streamed rather than read whole. */
const STREAM_ABOVE = 32 * 1024 * 1024;

/** Read size of streamed artifacts. */
const STREAM_CHUNK = 1024 * 1024;

/** The bundle of `FILE` is `FILE` + this, unless `--bundle-suffix` says otherwise (sigstore-python's and `cosign sign-blob`'s usual name). */
const DEFAULT_BUNDLE_SUFFIX = '.sigstore.json';

/** Help of `sigvet verify-bundle`. */
export const VERIFY_BUNDLE_HELP = formatHelp({
  usage: [
    'sigvet verify-bundle --bundle FILE (--certificate-identity ID --certificate-oidc-issuer URL | --key PEM) [--trusted-root FILE] FILE_OR_DIGEST',
  ],
  description: `The sigstore-conformance CLI protocol, exactly: prints nothing and exits 0 when the bundle
verifies; otherwise one line on stderr, "sigvet: verification failed: CODE [check]: reason".
FILE_OR_DIGEST is a path, or sha256:<64 hex digits>. Without --trusted-root the embedded
Sigstore public-good trusted root is used. For people, use \`sigvet verify\`.`,
  examples: [
    [
      'Verify a release artifact signed in GitHub Actions',
      'sigvet verify-bundle --bundle app.tar.gz.sigstore.json --certificate-identity https://github.com/acme/app/.github/workflows/release.yml@refs/tags/v1.0.0 --certificate-oidc-issuer https://token.actions.githubusercontent.com app.tar.gz',
    ],
    ['Verify a managed-key bundle against a private instance', 'sigvet verify-bundle --bundle b.sigstore.json --key cosign.pub --trusted-root trusted_root.json sha256:<hex>'],
  ],
  exitCodes: [[ExitCode.OK, 'verified'], [ExitCode.FAILED, 'verification failed'], USAGE_ROW],
});

/** Help of `sigvet verify`. */
export const VERIFY_HELP = formatHelp({
  usage: [
    'sigvet verify --bundle FILE IDENTITY [--trusted-root FILE] [--json] FILE_OR_DIGEST',
    'sigvet verify IDENTITY [--bundle-suffix SUFFIX] [--trusted-root FILE] [--json] FILE...',
    'sigvet verify --policy POLICY.json --bundle FILE [--bundle FILE …] [--key PEM] [--json] FILE_OR_DIGEST   (see verify --policy --help)',
    '  IDENTITY is (--certificate-identity ID | --certificate-identity-regexp RE)',
    '              (--certificate-oidc-issuer URL | --certificate-oidc-issuer-regexp RE), or --key PEM',
  ],
  description: `Verifies Sigstore bundles and prints what was verified: the signer, the verified times and
every check performed. With --bundle, one bundle and one artifact (a path, or sha256:<64 hex
digits>). Without --bundle, every FILE is verified with the bundle beside it (FILE.sigstore.json),
and a summary line ends the report ("3 verified, 1 failed"). On a terminal, progress (files done,
bytes hashed) is shown on stderr. Regular expressions match the whole value.`,
  options: [
    ['--bundle FILE', 'the bundle (one artifact)'],
    ['--bundle-suffix SUFFIX', `without --bundle: FILE's bundle is FILE + SUFFIX (default ${DEFAULT_BUNDLE_SUFFIX})`],
    ['--certificate-identity ID', 'the expected signer (certificate SAN), exactly'],
    ['--certificate-identity-regexp RE', 'the expected signer, as a regular expression'],
    ['--certificate-oidc-issuer URL', 'the expected OIDC issuer, exactly'],
    ['--certificate-oidc-issuer-regexp RE', 'the expected OIDC issuer, as a regular expression'],
    ['--key PEM', 'a PEM public key file, for managed-key bundles (instead of an identity)'],
    ['--trusted-root FILE', 'trusted_root.json (default: the embedded Sigstore public-good root)'],
    ['--json', 'print a JSON document instead of the report'],
  ],
  jsonSchema: 'verify.v1.schema.json',
  examples: [
    [
      'Verify a release artifact signed in GitHub Actions',
      'sigvet verify --bundle app.tar.gz.sigstore.json --certificate-identity-regexp "https://github.com/acme/app/.github/workflows/release.yml@refs/tags/v.*" --certificate-oidc-issuer https://token.actions.githubusercontent.com app.tar.gz',
    ],
    [
      'Verify every artifact of a release, each with its .sigstore.json bundle, for a script',
      'sigvet verify --certificate-identity https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main --certificate-oidc-issuer https://token.actions.githubusercontent.com --json dist/*.tar.gz',
    ],
  ],
  exitCodes: [[ExitCode.OK, 'verified (every artifact)'], [ExitCode.FAILED, 'verification failed (any artifact)'], USAGE_ROW],
});

interface Args {
  bundle?: string;
  bundleSuffix?: string;
  identity?: string;
  identityRegexp?: string;
  issuer?: string;
  issuerRegexp?: string;
  key?: string;
  trustedRoot?: string;
  json: boolean;
  targets: string[];
}

/**
 * Parses the options of both commands. `verify-bundle` takes exactly one
 * bundle and one target, with the messages it always had; `verify` also
 * takes several files without `--bundle`.
 */
function parseArgs(argv: string[], command: 'verify-bundle' | 'verify'): Args {
  const a: Args = { json: false, targets: [] };
  const flags: Record<string, keyof Args> = {
    '--bundle': 'bundle',
    '--certificate-identity': 'identity',
    '--certificate-identity-regexp': 'identityRegexp',
    '--certificate-oidc-issuer': 'issuer',
    '--certificate-oidc-issuer-regexp': 'issuerRegexp',
    '--key': 'key',
    '--trusted-root': 'trustedRoot',
  };
  if (command === 'verify') flags['--bundle-suffix'] = 'bundleSuffix';
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--json') {
      a.json = true;
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const field = Object.prototype.hasOwnProperty.call(flags, name) ? flags[name] : undefined;
    if (field) {
      const value = eq > 0 && arg.startsWith('--') ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined) throw new UsageError(`missing value for ${name}`);
      if ((a as unknown as Record<string, unknown>)[field] !== undefined) throw new UsageError(`${name} given twice`);
      (a as unknown as Record<string, unknown>)[field] = value;
      continue;
    }
    if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}`);
    if (command === 'verify-bundle' && a.targets.length > 0) throw new UsageError(`unexpected argument ${arg}`);
    a.targets.push(arg);
  }
  if (command === 'verify-bundle' || a.bundle !== undefined) {
    if (!a.bundle) throw new UsageError('--bundle is required');
    if (a.targets.length === 0) throw new UsageError('FILE_OR_DIGEST is required');
    if (a.targets.length > 1) throw new UsageError(`unexpected argument ${a.targets[1]} (with --bundle, give one FILE_OR_DIGEST; without it, each FILE is verified with FILE${DEFAULT_BUNDLE_SUFFIX})`);
    if (a.bundleSuffix !== undefined) throw new UsageError('--bundle-suffix applies only without --bundle');
  } else {
    if (a.targets.length === 0) throw new UsageError(`give --bundle FILE and FILE_OR_DIGEST, or FILEs whose bundles are FILE${DEFAULT_BUNDLE_SUFFIX}`);
    const digest = a.targets.find((t) => t.startsWith('sha256:'));
    if (digest !== undefined) throw new UsageError(`${digest}: a digest needs --bundle (its bundle cannot be found by name)`);
    if (a.bundleSuffix === '') throw new UsageError('--bundle-suffix must not be empty');
  }
  return a;
}

/** The identity or key every bundle of the run is verified against. */
function expectation(a: Args): Pick<VerifyInput, 'key' | 'identity'> {
  if (a.key !== undefined) {
    if (a.identity || a.identityRegexp || a.issuer || a.issuerRegexp) throw new UsageError('--key excludes identity options');
    return { key: readText(a.key, 'key') };
  }
  const san: StringMatcher | undefined = a.identity ?? (a.identityRegexp !== undefined ? { regex: a.identityRegexp } : undefined);
  const iss: StringMatcher | undefined = a.issuer ?? (a.issuerRegexp !== undefined ? { regex: a.issuerRegexp } : undefined);
  if (a.identity !== undefined && a.identityRegexp !== undefined) throw new UsageError('give one of --certificate-identity and its -regexp');
  if (a.issuer !== undefined && a.issuerRegexp !== undefined) throw new UsageError('give one of --certificate-oidc-issuer and its -regexp');
  if (san === undefined || iss === undefined) {
    throw new UsageError('an identity and an OIDC issuer (or --key) are required');
  }
  return { identity: { subjectAlternativeName: san, issuer: iss } };
}

/** A file streamed in 1 MiB chunks, each counted as hashed (the verifier hashes chunks as they arrive). Opened on first read. */
async function* countedFile(path: string, progress: Progress): AsyncGenerator<Uint8Array> {
  for await (const chunk of createReadStream(path, { highWaterMark: STREAM_CHUNK })) {
    const bytes = chunk as Uint8Array;
    progress.addBytes(bytes.length);
    yield bytes;
  }
}

/** The artifact part of a verification input, and the artifact's size in bytes (0 for a digest). */
interface ArtifactInput {
  readonly input: Pick<VerifyInput, 'artifact' | 'artifactDigest'>;
  readonly size: number;
}

/**
 * The artifact part of the input: a digest, the file's bytes, or (above
 * {@link STREAM_ABOVE}) the file streamed. `progress` (verify only) counts
 * streamed bytes as they are hashed.
 */
function artifactInput(target: string, progress?: Progress): ArtifactInput {
  if (/^sha256:/.test(target)) return { input: { artifactDigest: target }, size: 0 };
  let size: number;
  try {
    size = statSync(target).size;
  } catch (e) {
    throw new UsageError(`cannot read artifact ${target}: ${(e as Error).message}`);
  }
  if (size > STREAM_ABOVE) {
    // Large artifacts are hashed as they are read, in constant memory.
    return { input: { artifact: progress ? countedFile(target, progress) : fileArtifact(target) }, size };
  }
  try {
    const bytes = readFileSync(target);
    return { input: { artifact: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) }, size };
  } catch (e) {
    throw new UsageError(`cannot read artifact ${target}: ${(e as Error).message}`);
  }
}

/** The human-readable report of one verified bundle. */
function report(r: VerificationResult, s: Style): string {
  const lines: string[] = [s.bold(s.green('Verified.'))];
  if (r.signer.type === 'certificate') {
    lines.push(`  signer      ${r.signer.subjectAlternativeName} ${s.dim(`(${r.signer.subjectAlternativeNameType})`)}`);
    lines.push(`  issuer      ${r.signer.issuer ?? '(none)'}`);
    lines.push(`  CA          ${r.signer.certificate.certificateAuthority}`);
  } else {
    lines.push(`  signer      managed key${r.signer.hint ? ` (hint ${r.signer.hint})` : ''}`);
  }
  lines.push(`  bundle      v${r.bundle.version}`);
  if (r.content.type === 'dsseEnvelope') {
    lines.push(`  content     DSSE ${r.content.payloadType}`);
    if (r.content.statement) lines.push(`  predicate   ${r.content.statement.predicateType}`);
    if (r.content.matchedSubject !== undefined) lines.push(`  subject     ${r.content.matchedSubject}`);
  } else if (r.content.artifactDigest) {
    lines.push(`  artifact    sha256:${r.content.artifactDigest.hex}`);
  }
  for (const t of r.verifiedTimes) lines.push(`  time        ${t.time} ${s.dim(`(${t.source}, ${t.authority})`)}`);
  lines.push('Checks:');
  for (const c of r.checks) lines.push(`  ${s.green('ok')}  ${c.name.padEnd(20)} ${s.dim(c.detail)}`);
  for (const c of r.skipped) lines.push(`  ${s.yellow('--')}  ${c.name.padEnd(20)} ${s.yellow('skipped:')} ${s.dim(c.detail)}`);
  return lines.join('\n');
}

/** `CODE [check]: message`. */
function errorLine(e: SigvetError): string {
  return `${e.code}${e.check ? ` [${e.check}]` : ''}: ${e.message}`;
}

/** Who signed, in a few words, for one line of the several-files report. */
function signerWords(r: VerificationResult): string {
  return r.signer.type === 'certificate' ? `${r.signer.subjectAlternativeName} (${r.signer.issuer ?? 'no issuer'})` : `managed key ${r.signer.keyId}`;
}

/** Runs `verify-bundle` or `verify`; resolves to the exit code. */
export async function runVerify(command: 'verify-bundle' | 'verify', rest: string[]): Promise<number> {
  if (command === 'verify' && rest.includes('--policy')) {
    const m = await import('./verify-policy.js');
    if (rest.includes('--help') || rest.includes('-h')) {
      process.stdout.write(`${m.VERIFY_POLICY_HELP}\n`);
      return ExitCode.OK;
    }
    return m.runVerifyPolicy(rest);
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${command === 'verify' ? VERIFY_HELP : VERIFY_BUNDLE_HELP}\n`);
    return ExitCode.OK;
  }
  return command === 'verify-bundle' ? runVerifyBundle(rest) : runVerifyReport(rest);
}

/** The conformance protocol: silent on success, one line on stderr on failure. */
async function runVerifyBundle(rest: string[]): Promise<number> {
  let input: VerifyInput;
  let trustedRoot: string | undefined;
  let bundleText: string;
  try {
    const args = parseArgs(rest, 'verify-bundle');
    input = { ...artifactInput(args.targets[0]!).input, ...expectation(args) };
    trustedRoot = args.trustedRoot === undefined ? undefined : readText(args.trustedRoot, 'trusted root');
    bundleText = readText(args.bundle!, 'bundle');
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`sigvet: ${e.message}\n`);
      return ExitCode.USAGE;
    }
    throw e;
  }
  try {
    const verifier = await createVerifier(trustedRoot === undefined ? {} : { trustedRoot });
    await verifier.verify(bundleText, input);
    return ExitCode.OK;
  } catch (e) {
    if (isSigvetError(e)) {
      process.stderr.write(`sigvet: verification failed: ${errorLine(e)}\n`);
      return ExitCode.FAILED;
    }
    process.stderr.write(`sigvet: internal error: ${(e as Error)?.stack ?? String(e)}\n`);
    return ExitCode.INTERNAL;
  }
}

/** One artifact and its bundle. */
interface Pair {
  readonly artifact: string;
  readonly bundle: string;
}

/** The outcome of one pair. */
type Outcome = Pair & ({ readonly verified: true; readonly result: VerificationResult } | { readonly verified: false; readonly error: SigvetError });

/** `sigvet verify`: one pair (`--bundle`) or several files, a report or `--json`. */
async function runVerifyReport(rest: string[]): Promise<number> {
  let args: Args;
  let expected: Pick<VerifyInput, 'key' | 'identity'>;
  let trustedRoot: string | undefined;
  let pairs: Pair[];
  const err = styleFor(process.stderr);
  try {
    args = parseArgs(rest, 'verify');
    expected = expectation(args);
    trustedRoot = args.trustedRoot === undefined ? undefined : readText(args.trustedRoot, 'trusted root');
    const suffix = args.bundleSuffix ?? DEFAULT_BUNDLE_SUFFIX;
    pairs = args.bundle !== undefined ? [{ artifact: args.targets[0]!, bundle: args.bundle }] : args.targets.map((t) => ({ artifact: t, bundle: `${t}${suffix}` }));
    // Every input is checked before any verification: a missing file is a
    // usage error, not half a report.
    for (const p of pairs) {
      if (!p.artifact.startsWith('sha256:')) requireFile(p.artifact, 'artifact');
      requireFile(p.bundle, 'bundle');
    }
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`sigvet: ${e.message}\n${helpHint('verify')}\n`);
      return ExitCode.USAGE;
    }
    throw e;
  }
  const several = args.bundle === undefined;
  const out = styleFor(process.stdout, args.json);
  const progress = createProgress({
    enabled: progressEnabled(process.stderr, args.json),
    sink: process.stderr,
    total: pairs.length,
    unit: 'files',
    columns: process.stderr.columns,
    style: err,
  });
  let verifier: Verifier;
  try {
    verifier = await createVerifier(trustedRoot === undefined ? {} : { trustedRoot });
  } catch (e) {
    if (!isSigvetError(e)) throw e;
    process.stderr.write(`sigvet: the trusted root is invalid: ${errorLine(e)}\n`);
    return ExitCode.USAGE;
  }
  const outcomes: Outcome[] = [];
  try {
    for (const p of pairs) outcomes.push(await verifyPair(verifier, p, expected, progress));
  } catch (e) {
    progress.finish();
    if (e instanceof UsageError) {
      process.stderr.write(`sigvet: ${e.message}\n`);
      return ExitCode.USAGE;
    }
    throw e;
  }
  progress.finish();
  const verified = outcomes.filter((o) => o.verified).length;
  const failed = outcomes.length - verified;
  const code = failed === 0 ? ExitCode.OK : ExitCode.FAILED;
  if (!several) {
    const o = outcomes[0]!;
    if (args.json) {
      process.stdout.write(jsonText('verify', o.verified ? { verified: true, result: o.result } : { verified: false, error: o.error.toJSON() }));
    } else if (o.verified) {
      process.stdout.write(`${report(o.result, out)}\n`);
    } else {
      process.stderr.write(`sigvet: ${err.red('verification failed')}: ${errorLine(o.error)}\n`);
      if (o.error.expected !== undefined) process.stderr.write(`${err.dim(`  expected ${o.error.expected}`)}\n`);
      if (o.error.actual !== undefined) process.stderr.write(`${err.dim(`  actual   ${o.error.actual}`)}\n`);
    }
    return code;
  }
  const summary = summaryLine(verified, failed);
  if (args.json) {
    const results = outcomes.map((o) =>
      o.verified
        ? { artifact: o.artifact, bundle: o.bundle, verified: true, result: o.result }
        : { artifact: o.artifact, bundle: o.bundle, verified: false, error: o.error.toJSON() },
    );
    process.stdout.write(jsonText('verify', { verified: failed === 0, summary: { verified, failed }, results }));
    process.stderr.write(`${summary}\n`);
    return code;
  }
  const lines: string[] = [];
  for (const o of outcomes) {
    if (o.verified) lines.push(`${out.green('OK  ')}  ${o.artifact}  ${out.dim(`signed by ${signerWords(o.result)}`)}`);
    else lines.push(`${out.red('FAIL')}  ${o.artifact}  ${out.dim(errorLine(o.error))}`);
  }
  lines.push(failed === 0 ? out.green(summary) : out.red(summary));
  process.stdout.write(`${lines.join('\n')}\n`);
  return code;
}

/** Throws a {@link UsageError} unless `path` is a readable regular file. */
function requireFile(path: string, what: string): void {
  try {
    if (!statSync(path).isFile()) throw new Error('not a file');
  } catch (e) {
    throw new UsageError(`cannot read ${what} ${path}: ${(e as Error).message}`);
  }
}

/** Verifies one pair; a verification failure is an outcome, anything else throws. */
async function verifyPair(verifier: Verifier, p: Pair, expected: Pick<VerifyInput, 'key' | 'identity'>, progress: Progress): Promise<Outcome> {
  const bundleText = readText(p.bundle, 'bundle');
  const artifact = artifactInput(p.artifact, progress);
  try {
    const result = await verifier.verify(bundleText, { ...artifact.input, ...expected });
    return { ...p, verified: true, result };
  } catch (e) {
    if (!isSigvetError(e)) throw e;
    return { ...p, verified: false, error: e };
  } finally {
    // A file read whole was hashed in one go; a streamed one counted as it went.
    if (artifact.input.artifact instanceof Uint8Array) progress.addBytes(artifact.size);
    progress.itemDone();
  }
}
