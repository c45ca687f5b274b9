/**
 * `sigvet trusted-root fetch`: fetches the trusted root through TUF (see
 * {@link fetchTrustedRoot}) and prints it, or writes it to a file.
 *
 * Exit codes: 0 fetched; 1 the repository's metadata or target was refused
 * (expired, rolled back, badly signed, wrong hash) or could not be reached;
 * 2 usage or input error (also: tuf-js not installed).
 * @module
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { isSigvetError } from '../errors.js';
import { fetchTrustedRoot, type TufOptions } from './fetch-trusted-root.js';
import { PUBLIC_GOOD_TUF_URL } from './public-good-tuf-root.js';

const HELP = `usage: sigvet trusted-root fetch [--tuf-url URL --tuf-root FILE] [--cache-dir DIR] [--out FILE] [--prefer-cache] [--json]

Fetches the Sigstore trusted root (trusted_root.json) from a TUF repository,
verifying the repository's metadata as TUF requires, and caches it. Prints the
trusted root on stdout, or writes it to --out.

options:
  --tuf-url URL      the TUF repository (default ${PUBLIC_GOOD_TUF_URL})
  --tuf-root FILE    its initial root.json, the trust anchor (required with --tuf-url,
                     except for the public-good repository, whose root is built in)
  --cache-dir DIR    where metadata and targets are cached (default: $SIGVET_CACHE_DIR/tuf,
                     else ~/.cache/sigvet/tuf or the platform's user cache)
  --out FILE         write the trusted root to FILE instead of stdout
  --prefer-cache     use the cached metadata without a request while it is unexpired
  --json             print {"trustedRootPath", "tufUrl", "fromCache", "metadata"} instead of the root

examples:
  sigvet trusted-root fetch --out trusted_root.json
  sigvet verify --trusted-root trusted_root.json --bundle a.sigstore.json ... a.tar.gz
  sigvet trusted-root fetch --tuf-url https://tuf.example.com --tuf-root root.json --out root-staging.json

exit codes: 0 fetched; 1 refused by TUF or unreachable; 2 usage or input error`;

/** Runs `sigvet trusted-root …`; resolves to the exit code. */
export async function runTrustedRoot(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === '--help' || sub === '-h' || sub === 'help') {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  if (sub !== 'fetch') {
    process.stderr.write(`sigvet trusted-root: ${sub === undefined ? 'missing subcommand' : `unknown subcommand ${sub}`}\n${HELP}\n`);
    return 2;
  }
  const options: { -readonly [K in keyof TufOptions]: TufOptions[K] } = {};
  let out: string | undefined;
  let json = false;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    const value = (): string | undefined => {
      const v = rest[i + 1];
      if (v === undefined || v.startsWith('--')) return undefined;
      i++;
      return v;
    };
    let v: string | undefined;
    switch (a) {
      case '--help':
      case '-h':
        process.stdout.write(`${HELP}\n`);
        return 0;
      case '--tuf-url':
        if ((v = value()) === undefined) return usageError(`${a} needs a value`);
        options.tufUrl = v;
        break;
      case '--tuf-root':
        if ((v = value()) === undefined) return usageError(`${a} needs a value`);
        try {
          options.tufRoot = new Uint8Array(readFileSync(v));
        } catch (e) {
          return usageError(`cannot read ${v}: ${(e as Error).message}`);
        }
        break;
      case '--cache-dir':
        if ((v = value()) === undefined) return usageError(`${a} needs a value`);
        options.cacheDir = v;
        break;
      case '--out':
        if ((v = value()) === undefined) return usageError(`${a} needs a value`);
        out = v;
        break;
      case '--prefer-cache':
        options.preferCache = true;
        break;
      case '--json':
        json = true;
        break;
      default:
        return usageError(`unknown option ${a}`);
    }
  }
  try {
    const got = await fetchTrustedRoot(options);
    if (out !== undefined) writeFileSync(out, got.json);
    if (json) {
      const report = { trustedRootPath: out ?? got.path, tufUrl: got.tufUrl, fromCache: got.fromCache, metadata: got.metadata };
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    } else if (out === undefined) {
      process.stdout.write(got.json.endsWith('\n') ? got.json : `${got.json}\n`);
    } else {
      process.stderr.write(
        `sigvet: trusted root from ${got.tufUrl} written to ${out} (TUF root v${got.metadata.root}, timestamp v${got.metadata.timestamp}${got.fromCache ? ', from the cache' : ''})\n`,
      );
    }
    return 0;
  } catch (e) {
    if (isSigvetError(e)) {
      process.stderr.write(`sigvet: trusted root not fetched: ${e.code} [${e.check ?? ''}]: ${e.message}\n`);
      return e.code === 'INVALID_ARGUMENT' || e.code === 'UNSUPPORTED' ? 2 : 1;
    }
    throw e;
  }
}

function usageError(message: string): number {
  process.stderr.write(`sigvet trusted-root: ${message}\n${HELP}\n`);
  return 2;
}
