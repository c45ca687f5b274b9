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
import { createVerifier, isSigvetError, type VerificationResult, type VerifyInput } from '../index.node.js';
import { compilePolicy, evaluate, formatVerdict, verdictExitCode } from '../policy.js';
import { UsageError, bigintAsString, readText } from './io.js';

/** Usage of `verify --policy`. */
export const VERIFY_POLICY_USAGE = `usage:
  sigvet verify --policy POLICY.json --bundle FILE [--bundle FILE …] [--key PEM] [--trusted-root FILE] [--json] FILE_OR_DIGEST
  Verifies every bundle against the artifact (a path, or sha256:<hex>), then evaluates the policy over
  the verified results. The policy's authorities decide who may sign; --key names the managed key that
  key-authority rules refer to. Exit 0 only when the policy allows.`;

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
  let artifact: Uint8Array | undefined;
  let digestHex: string;
  try {
    a = parse(argv);
    try {
      policyDoc = JSON.parse(readText(a.policy!, 'policy'));
    } catch (e) {
      if (e instanceof UsageError) throw e;
      throw new UsageError(`the policy is not JSON: ${(e as Error).message}`);
    }
    const target = a.target!;
    const m = /^sha256:([0-9a-f]{64})$/.exec(target);
    if (m) {
      digestHex = m[1]!;
    } else if (target.startsWith('sha256:')) {
      throw new UsageError('a digest is sha256: followed by 64 lower-case hex digits');
    } else {
      try {
        const b = readFileSync(target);
        artifact = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
      } catch (e) {
        throw new UsageError(`cannot read artifact ${target}: ${(e as Error).message}`);
      }
      digestHex = createHash('sha256').update(artifact).digest('hex');
    }
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`sigvet: ${e.message}\n${VERIFY_POLICY_USAGE}\n`);
      return 2;
    }
    throw e;
  }
  const compiled = compilePolicy(policyDoc);
  if (!compiled.ok) {
    for (const p of compiled.problems) process.stderr.write(`sigvet: policy ${p.path || '/'}: ${p.message}\n`);
    return 2;
  }
  const keyPem = a.key === undefined ? undefined : readText(a.key, 'key');
  const verifier = await createVerifier(a.trustedRoot === undefined ? {} : { trustedRoot: readText(a.trustedRoot, 'trusted root') });
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
        process.stderr.write(`sigvet: ${e.message}\n`);
        return 2;
      }
      if (!isSigvetError(e)) throw e;
      failures.push({ bundle: path, error: e });
    }
  }
  const verdict = evaluate(
    compiled.policy,
    { artifacts: [{ digest: { sha256: digestHex } }], results },
    { now: Date.now() },
  );
  if (a.json) {
    process.stdout.write(
      `${JSON.stringify(
        {
          verdict,
          verified: results.length,
          failedBundles: failures.map((f) => ({ bundle: f.bundle, error: isSigvetError(f.error) ? f.error.toJSON() : String(f.error) })),
        },
        bigintAsString,
        2,
      )}\n`,
    );
  } else {
    for (const f of failures) {
      const err = f.error;
      process.stderr.write(`sigvet: ${f.bundle}: not verified: ${isSigvetError(err) ? `${err.code} [${err.check ?? ''}]: ${err.message}` : String(err)}\n`);
    }
    process.stdout.write(`${formatVerdict(verdict)}\n`);
  }
  return verdictExitCode(verdict);
}
