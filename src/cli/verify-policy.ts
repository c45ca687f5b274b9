/**
 * `sigvet verify --policy FILE`: verify one or more bundles for an artifact,
 * then decide with a policy. Verification establishes facts (every bundle
 * that fails verification is reported and contributes nothing); the policy,
 * evaluated over those facts at the current time, decides. Exit 0 only for
 * `allow`.
 * @module
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createVerifier, isSigvetError, type VerificationResult, type Verifier, type VerifyInput } from '../index.node.js';
import { compilePolicy, evaluate, formatVerdict, verdictExitCode } from '../policy.js';
import { ExitCode } from './exit-codes.js';
import { formatHelp, helpHint } from './help.js';
import { UsageError, readText } from './io.js';
import { jsonText } from './json-output.js';
import { createProgress, progressEnabled, summaryLine, type Progress } from './progress.js';
import { styleFor, type Style } from './style.js';

/** Bytes hashed between two progress updates. */
const HASH_SLICE = 1024 * 1024;

/** Help of `verify --policy`. */
export const VERIFY_POLICY_HELP = formatHelp({
  usage: ['sigvet verify --policy POLICY.json --bundle FILE [--bundle FILE …] [--key PEM] [--trusted-root FILE] [--json] FILE_OR_DIGEST'],
  description: `Verifies every bundle against the artifact (a path, or sha256:<hex>), then evaluates the policy over
the verified results. The policy's authorities decide who may sign; --key names the managed key that
key-authority rules refer to. A bundle that does not verify is reported on stderr and contributes
nothing. With several bundles a summary line ("bundles: 2 verified, 1 failed") follows the verdict;
on a terminal, progress (bundles done, bytes hashed) is shown on stderr.`,
  options: [
    ['--policy POLICY.json', 'the sigvet policy (docs/policy.md)'],
    ['--bundle FILE', 'a bundle for the artifact; repeat for several (at most 64)'],
    ['--key PEM', 'the managed public key that key authorities name'],
    ['--trusted-root FILE', 'trusted_root.json (default: the embedded Sigstore public-good root)'],
    ['--json', 'print the verdict as a JSON document'],
  ],
  jsonSchema: 'verify-policy.v1.schema.json',
  examples: [
    ['Gate a release on its signature and provenance', 'sigvet verify --policy release-policy.json --bundle app.tar.gz.sigstore.json --bundle app.tar.gz.intoto.sigstore.json app.tar.gz'],
    ['Decide for a digest, for a script', 'sigvet verify --policy release-policy.json --bundle b.sigstore.json --json sha256:<64 hex digits>'],
  ],
  exitCodes: [
    [ExitCode.OK, 'the policy allows'],
    [ExitCode.FAILED, 'the policy denies (including: no bundle verified)'],
    [ExitCode.USAGE, 'usage or input error, or an invalid policy'],
  ],
});

/** SHA-256 of `bytes` in slices, so progress moves while a large artifact is hashed. */
function sha256Hex(bytes: Uint8Array, progress: Progress): string {
  const h = createHash('sha256');
  for (let off = 0; off < bytes.length; off += HASH_SLICE) {
    const end = Math.min(bytes.length, off + HASH_SLICE);
    h.update(bytes.subarray(off, end));
    progress.addBytes(end - off);
  }
  return h.digest('hex');
}

/** The verdict text, its first word (ALLOW/DENY) colored. */
function styledVerdict(text: string, s: Style): string {
  return text.replace(/^(ALLOW|DENY)\b/, (w) => (w === 'ALLOW' ? s.green(w) : s.red(w)));
}

interface PolicyArgs {
  bundles: string[];
  policy?: string;
  key?: string;
  trustedRoot?: string;
  json: boolean;
  target?: string;
}


function parse(argv: string[]): PolicyArgs {
  const a: PolicyArgs = { bundles: [], json: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`missing value for ${arg}`);
      return v;
    };
    switch (arg) {
      case '--json':
        a.json = true;
        break;
      case '--bundle':
        a.bundles.push(value());
        break;
      case '--policy':
      case '--key':
      case '--trusted-root': {
        const field = arg === '--policy' ? 'policy' : arg === '--key' ? 'key' : 'trustedRoot';
        if (a[field] !== undefined) throw new UsageError(`${arg} given twice`);
        a[field] = value();
        break;
      }
      default:
        if (arg.startsWith('-')) throw new UsageError(`unknown option for verify --policy: ${arg}`);
        if (a.target !== undefined) throw new UsageError(`unexpected argument ${arg}`);
        a.target = arg;
    }
  }
  if (!a.policy) throw new UsageError('--policy is required');
  if (a.bundles.length === 0) throw new UsageError('at least one --bundle is required');
  if (a.bundles.length > 64) throw new UsageError('at most 64 bundles');
  if (a.target === undefined) throw new UsageError('FILE_OR_DIGEST is required');
  return a;
}


/** Runs `verify --policy`; resolves to the exit code. */
export async function runVerifyPolicy(argv: string[]): Promise<number> {
  let a: PolicyArgs;
  let policyDoc: unknown;
  let keyPem: string | undefined;
  let trustedRoot: string | undefined;
  try {
    a = parse(argv);
    try {
      policyDoc = JSON.parse(readText(a.policy!, 'policy'));
    } catch (e) {
      if (e instanceof UsageError) throw e;
      throw new UsageError(`the policy is not JSON: ${(e as Error).message}`);
    }
    keyPem = a.key === undefined ? undefined : readText(a.key, 'key');
    trustedRoot = a.trustedRoot === undefined ? undefined : readText(a.trustedRoot, 'trusted root');
    for (const b of a.bundles) readText(b, 'bundle');
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`sigvet: ${e.message}\n${helpHint('verify --policy')}\n`);
      return ExitCode.USAGE;
    }
    throw e;
  }
  const compiled = compilePolicy(policyDoc);
  if (!compiled.ok) {
    for (const p of compiled.problems) process.stderr.write(`sigvet: policy ${p.path || '/'}: ${p.message}\n`);
    return ExitCode.USAGE;
  }
  const err = styleFor(process.stderr);
  const out = styleFor(process.stdout, a.json);
  const progress = createProgress({
    enabled: progressEnabled(process.stderr, a.json),
    sink: process.stderr,
    total: a.bundles.length,
    unit: 'bundles',
    columns: process.stderr.columns,
    style: err,
  });
  let artifact: Uint8Array | undefined;
  let digestHex: string;
  const target = a.target!;
  const m = /^sha256:([0-9a-f]{64})$/.exec(target);
  if (m) {
    digestHex = m[1]!;
  } else if (target.startsWith('sha256:')) {
    process.stderr.write(`sigvet: a digest is sha256: followed by 64 lower-case hex digits\n${helpHint('verify --policy')}\n`);
    return ExitCode.USAGE;
  } else {
    try {
      const b = readFileSync(target);
      artifact = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    } catch (e) {
      process.stderr.write(`sigvet: cannot read artifact ${target}: ${(e as Error).message}\n${helpHint('verify --policy')}\n`);
      return ExitCode.USAGE;
    }
    digestHex = sha256Hex(artifact, progress);
  }
  let verifier: Verifier;
  try {
    verifier = await createVerifier(trustedRoot === undefined ? {} : { trustedRoot });
  } catch (e) {
    progress.finish();
    if (!isSigvetError(e)) throw e;
    process.stderr.write(`sigvet: the trusted root is invalid: ${e.code}${e.check ? ` [${e.check}]` : ''}: ${e.message}\n`);
    return ExitCode.USAGE;
  }
  const results: { result: VerificationResult; keyId?: string }[] = [];
  const failures: { bundle: string; error: unknown }[] = [];
  for (const path of a.bundles) {
    // Identity is the policy's to decide: the verifier establishes who signed.
    const input: VerifyInput = {
      ...(artifact ? { artifact } : { artifactDigest: `sha256:${digestHex}` }),
      ...(keyPem ? { key: keyPem } : { unsafeSkipIdentity: true }),
    };
    try {
      const bundleText = readText(path, 'bundle');
      let result: VerificationResult;
      try {
        result = await verifier.verify(bundleText, input);
      } catch (e) {
        // A key bundle verified without a key is not evidence; a certificate
        // bundle given a key fails KEY: retry it keyless so the policy sees it.
        if (keyPem && isSigvetError(e, 'KEY')) result = await verifier.verify(bundleText, { ...input, key: undefined, unsafeSkipIdentity: true });
        else throw e;
      }
      // A key bundle's result names the key that verified it (signer.keyId).
      results.push({ result });
    } catch (e) {
      if (e instanceof UsageError) {
        progress.finish();
        process.stderr.write(`sigvet: ${e.message}\n`);
        return ExitCode.USAGE;
      }
      if (!isSigvetError(e)) throw e;
      failures.push({ bundle: path, error: e });
    } finally {
      progress.itemDone();
    }
  }
  progress.finish();
  const verdict = evaluate(
    compiled.policy,
    { artifacts: [{ digest: { sha256: digestHex } }], results },
    { now: Date.now() },
  );
  const summary = `bundles: ${summaryLine(results.length, failures.length)}`;
  if (a.json) {
    process.stdout.write(
      jsonText('verify-policy', {
        verdict,
        verified: results.length,
        failedBundles: failures.map((f) => ({ bundle: f.bundle, error: isSigvetError(f.error) ? f.error.toJSON() : String(f.error) })),
      }),
    );
    if (a.bundles.length > 1) process.stderr.write(`${summary}\n`);
  } else {
    for (const f of failures) {
      const e = f.error;
      process.stderr.write(`sigvet: ${f.bundle}: ${err.red('not verified')}: ${isSigvetError(e) ? `${e.code} [${e.check ?? ''}]: ${e.message}` : String(e)}\n`);
    }
    process.stdout.write(`${styledVerdict(formatVerdict(verdict), out)}\n`);
    if (a.bundles.length > 1) process.stdout.write(`${out.dim(summary)}\n`);
  }
  return verdictExitCode(verdict);
}
