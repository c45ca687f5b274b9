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
import { fetchTrustedRoot, type TufOptions } from '../tuf/fetch-trusted-root.js';
import { PUBLIC_GOOD_TUF_URL } from '../tuf/public-good-tuf-root.js';
import { ExitCode, USAGE_ROW } from './exit-codes.js';
import { formatHelp, helpHint } from './help.js';
import { jsonText } from './json-output.js';
import { styleFor } from './style.js';

/** Help of `sigvet trusted-root fetch`. */
export const TRUSTED_ROOT_HELP = formatHelp({
  usage: ['sigvet trusted-root fetch [--tuf-url URL --tuf-root FILE] [--cache-dir DIR] [--out FILE] [--prefer-cache] [--json]'],
  description: `Fetches the Sigstore trusted root (trusted_root.json) from a TUF repository, verifying the
repository's metadata as TUF requires, and caches it. Prints the trusted root on stdout, or
writes it to --out. Needs the optional peer dependency tuf-js.`,
  options: [
    ['--tuf-url URL', `the TUF repository (default ${PUBLIC_GOOD_TUF_URL})`],
    ['--tuf-root FILE', "its initial root.json, the trust anchor (required with --tuf-url,\nexcept for the public-good repository, whose root is built in)"],
    ['--cache-dir DIR', 'where metadata and targets are cached (default: $SIGVET_CACHE_DIR/tuf,\nelse ~/.cache/sigvet/tuf or the platform\'s user cache)'],
    ['--out FILE', 'write the trusted root to FILE instead of stdout'],
    ['--prefer-cache', 'use the cached metadata without a request while it is unexpired'],
    ['--json', 'print { trustedRootPath, tufUrl, fromCache, metadata } instead of the root'],
  ],
  jsonSchema: 'trusted-root-fetch.v1.schema.json',
  examples: [
    ['Refresh the public-good trusted root, then verify with it', 'sigvet trusted-root fetch --out trusted_root.json\n  sigvet verify --trusted-root trusted_root.json --bundle a.sigstore.json … a.tar.gz'],
    ['Fetch a private instance\'s root', 'sigvet trusted-root fetch --tuf-url https://tuf.example.com --tuf-root root.json --out root-staging.json'],
  ],
  exitCodes: [[ExitCode.OK, 'fetched'], [ExitCode.FAILED, 'refused by TUF (expired, rolled back, badly signed) or unreachable'], USAGE_ROW],
});

/** Runs `sigvet trusted-root …`; resolves to the exit code. */
export async function runTrustedRoot(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === '--help' || sub === '-h' || sub === 'help') {
    process.stdout.write(`${TRUSTED_ROOT_HELP}\n`);
    return ExitCode.OK;
  }
  if (sub !== 'fetch') {
    process.stderr.write(`sigvet trusted-root: ${sub === undefined ? 'missing subcommand' : `unknown subcommand ${sub}`}\n${helpHint('trusted-root')}\n`);
    return ExitCode.USAGE;
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
        process.stdout.write(`${TRUSTED_ROOT_HELP}\n`);
        return ExitCode.OK;
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
      process.stdout.write(jsonText('trusted-root-fetch', { trustedRootPath: out ?? got.path, tufUrl: got.tufUrl, fromCache: got.fromCache, metadata: got.metadata }));
    } else if (out === undefined) {
      process.stdout.write(got.json.endsWith('\n') ? got.json : `${got.json}\n`);
    } else {
      process.stderr.write(
        `sigvet: trusted root from ${got.tufUrl} written to ${out} (TUF root v${got.metadata.root}, timestamp v${got.metadata.timestamp}${got.fromCache ? ', from the cache' : ''})\n`,
      );
    }
    return ExitCode.OK;
  } catch (e) {
    if (isSigvetError(e)) {
      process.stderr.write(`sigvet: ${styleFor(process.stderr).red('trusted root not fetched')}: ${e.code} [${e.check ?? ''}]: ${e.message}\n`);
      return e.code === 'INVALID_ARGUMENT' || e.code === 'UNSUPPORTED' ? ExitCode.USAGE : ExitCode.FAILED;
    }
    throw e;
  }
}

function usageError(message: string): number {
  process.stderr.write(`sigvet trusted-root: ${message}\n${helpHint('trusted-root fetch')}\n`);
  return ExitCode.USAGE;
}
