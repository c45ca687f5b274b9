/**
 * `sigvet verify-bundle` (the sigstore-conformance CLI protocol, exactly:
 * exit 0 only when verified, one line on stderr otherwise) and
 * `sigvet verify` (the same checks with a readable report, or `--json`).
 * @module
 */
import { readFileSync, statSync } from 'node:fs';
import { createVerifier, fileArtifact, isSigvetError, type VerificationResult, type VerifyInput, type StringMatcher } from '../index.node.js';
import { UsageError, bigintAsString, readText } from './io.js';

/** Artifacts larger than this are streamed rather than read whole. */
const STREAM_ABOVE = 32 * 1024 * 1024;

/** Usage text of the verify commands. */
export const VERIFY_USAGE = `usage:
  sigvet verify-bundle --bundle FILE (--certificate-identity ID --certificate-oidc-issuer URL | --key PEM)
                       [--trusted-root FILE] FILE_OR_DIGEST
  sigvet verify --bundle FILE (--certificate-identity ID | --certificate-identity-regexp RE)
                (--certificate-oidc-issuer URL | --certificate-oidc-issuer-regexp RE) | --key PEM
                [--trusted-root FILE] [--json] FILE_OR_DIGEST
  sigvet verify --policy POLICY.json --bundle FILE [--bundle FILE …] [--key PEM] [--trusted-root FILE] [--json] FILE_OR_DIGEST
  FILE_OR_DIGEST is a path, or sha256:<64 hex digits>.
  Without --trusted-root the embedded Sigstore public-good trusted root is used.`;

interface Args {
  bundle?: string;
  identity?: string;
  identityRegexp?: string;
  issuer?: string;
  issuerRegexp?: string;
  key?: string;
  trustedRoot?: string;
  json: boolean;
  target?: string;
}


function parseArgs(argv: string[]): Args {
  const a: Args = { json: false };
  const flags: Record<string, keyof Args> = {
    '--bundle': 'bundle',
    '--certificate-identity': 'identity',
    '--certificate-identity-regexp': 'identityRegexp',
    '--certificate-oidc-issuer': 'issuer',
    '--certificate-oidc-issuer-regexp': 'issuerRegexp',
    '--key': 'key',
    '--trusted-root': 'trustedRoot',
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--json') {
      a.json = true;
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const field = flags[name];
    if (field) {
      const value = eq > 0 && arg.startsWith('--') ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined) throw new UsageError(`missing value for ${name}`);
      if ((a as unknown as Record<string, unknown>)[field] !== undefined) throw new UsageError(`${name} given twice`);
      (a as unknown as Record<string, unknown>)[field] = value;
      continue;
    }
    if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}`);
    if (a.target !== undefined) throw new UsageError(`unexpected argument ${arg}`);
    a.target = arg;
  }
  if (!a.bundle) throw new UsageError('--bundle is required');
  if (a.target === undefined) throw new UsageError('FILE_OR_DIGEST is required');
  return a;
}


function buildInput(a: Args): VerifyInput {
  const input: { -readonly [K in keyof VerifyInput]: VerifyInput[K] } = {};
  const target = a.target!;
  if (/^sha256:/.test(target)) {
    input.artifactDigest = target;
  } else {
    let size: number;
    try {
      size = statSync(target).size;
    } catch (e) {
      throw new UsageError(`cannot read artifact ${target}: ${(e as Error).message}`);
    }
    if (size > STREAM_ABOVE) {
      // Large artifacts are hashed as they are read, in constant memory.
      input.artifact = fileArtifact(target);
    } else {
      try {
        const bytes = readFileSync(target);
        input.artifact = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      } catch (e) {
        throw new UsageError(`cannot read artifact ${target}: ${(e as Error).message}`);
      }
    }
  }
  if (a.key !== undefined) {
    if (a.identity || a.identityRegexp || a.issuer || a.issuerRegexp) throw new UsageError('--key excludes identity options');
    input.key = readText(a.key, 'key');
  } else {
    const san: StringMatcher | undefined = a.identity ?? (a.identityRegexp !== undefined ? { regex: a.identityRegexp } : undefined);
    const iss: StringMatcher | undefined = a.issuer ?? (a.issuerRegexp !== undefined ? { regex: a.issuerRegexp } : undefined);
    if (a.identity !== undefined && a.identityRegexp !== undefined) throw new UsageError('give one of --certificate-identity and its -regexp');
    if (a.issuer !== undefined && a.issuerRegexp !== undefined) throw new UsageError('give one of --certificate-oidc-issuer and its -regexp');
    if (san === undefined || iss === undefined) {
      throw new UsageError('an identity and an OIDC issuer (or --key) are required');
    }
    input.identity = { subjectAlternativeName: san, issuer: iss };
  }
  return input;
}

function report(r: VerificationResult): string {
  const lines: string[] = ['Verified.'];
  if (r.signer.type === 'certificate') {
    lines.push(`  signer      ${r.signer.subjectAlternativeName} (${r.signer.subjectAlternativeNameType})`);
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
  for (const t of r.verifiedTimes) lines.push(`  time        ${t.time} (${t.source}, ${t.authority})`);
  lines.push('Checks:');
  for (const c of r.checks) lines.push(`  ok  ${c.name.padEnd(20)} ${c.detail}`);
  for (const c of r.skipped) lines.push(`  --  ${c.name.padEnd(20)} skipped: ${c.detail}`);
  return lines.join('\n');
}

/** Runs `verify-bundle` or `verify`; resolves to the exit code. */
export async function runVerify(command: 'verify-bundle' | 'verify', rest: string[]): Promise<number> {
  if (command === 'verify' && rest.includes('--policy')) {
    const m = await import('./verify-policy.js');
    if (rest.includes('--help') || rest.includes('-h')) {
      process.stdout.write(`${m.VERIFY_POLICY_USAGE}\n`);
      return 0;
    }
    return m.runVerifyPolicy(rest);
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${VERIFY_USAGE}\n`);
    return 0;
  }
  let args: Args;
  let input: VerifyInput;
  let trustedRoot: string | undefined;
  let bundleText: string;
  try {
    args = parseArgs(rest);
    input = buildInput(args);
    trustedRoot = args.trustedRoot === undefined ? undefined : readText(args.trustedRoot, 'trusted root');
    bundleText = readText(args.bundle!, 'bundle');
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`sigvet: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  try {
    const verifier = await createVerifier(trustedRoot === undefined ? {} : { trustedRoot });
    const result = await verifier.verify(bundleText, input);
    if (command === 'verify') {
      process.stdout.write(args.json ? `${JSON.stringify({ verified: true, result }, bigintAsString, 2)}\n` : `${report(result)}\n`);
    }
    return 0;
  } catch (e) {
    if (isSigvetError(e)) {
      if (command === 'verify' && args.json) {
        process.stdout.write(`${JSON.stringify({ verified: false, error: e.toJSON() }, null, 2)}\n`);
      } else {
        const where = e.check ? ` [${e.check}]` : '';
        process.stderr.write(`sigvet: verification failed: ${e.code}${where}: ${e.message}\n`);
      }
      return 1;
    }
    process.stderr.write(`sigvet: internal error: ${(e as Error)?.stack ?? String(e)}\n`);
    return 3;
  }
}
