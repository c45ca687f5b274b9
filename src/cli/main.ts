/**
 * The `sigvet` command line (Node.js only): a dispatcher that loads only
 * the module of the command it runs.
 * @module
 */

import module from 'node:module';
import { ALL_EXIT_CODES, ExitCode } from './exit-codes.js';

// Node ≥ 22.1 can cache compiled code between runs: a one-shot CLI then
// skips most of its parse and compile time. Older Node lacks the function.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();

/** The package version `--version` prints. */
const VERSION = '0.1.0';

/** One CLI command: a one-line summary and its runner (args after the command name). */
interface Command {
  readonly summary: string;
  readonly run: (args: string[]) => Promise<number>;
}

const COMMANDS: Record<string, Command> = {
  'verify-bundle': {
    summary: 'verify a bundle (sigstore-conformance CLI protocol)',
    run: async (args) => (await import('./verify.js')).runVerify('verify-bundle', args),
  },
  verify: {
    summary: 'verify bundles and print a report (--json for machines; --policy to decide with a policy)',
    run: async (args) => (await import('./verify.js')).runVerify('verify', args),
  },
  inspect: {
    summary: 'show what a bundle holds, without verifying it (--json for machines)',
    run: async (args) => (await import('./inspect.js')).runInspect(args),
  },
  'verify-image': {
    summary: 'verify the cosign signatures and attestations of a container image (registry or --oci-layout)',
    run: async (args) => (await import('./verify-image.js')).runVerifyImage(args),
  },
  policy: {
    summary: 'lint, import (ClusterImagePolicy, Kyverno) and test policies',
    run: async (args) => (await import('./policy.js')).runPolicy(args),
  },
  'trusted-root': {
    summary: 'fetch the Sigstore trusted root through TUF (needs tuf-js)',
    run: async (args) => (await import('./trusted-root.js')).runTrustedRoot(args),
  },
};

/** `sigvet --help`: the commands, an example, the exit codes and the conventions every command shares. */
function usage(): string {
  const lines = ['usage: sigvet <command> [options]', '', 'commands:'];
  for (const [name, c] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(16)} ${c.summary}`);
  lines.push(
    '',
    '`sigvet <command> --help` (or `sigvet help <command>`) shows the options and examples of a command.',
    '',
    'examples:',
    '  # Verify a release artifact signed in GitHub Actions',
    '  sigvet verify --bundle app.tar.gz.sigstore.json --certificate-identity https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main \\',
    '                --certificate-oidc-issuer https://token.actions.githubusercontent.com app.tar.gz',
    '',
    '  # Show what a bundle claims, without verifying it',
    '  sigvet inspect app.tar.gz.sigstore.json',
    '',
    '--json: one JSON document on stdout with "$schema" and "schemaVersion"; the schemas are in',
    'the package under schemas/cli/. Colors only on a terminal; NO_COLOR=1 turns them off,',
    'FORCE_COLOR=1 or 0 forces them on or off. Progress (on a terminal) goes to stderr.',
    '',
    'exit codes:',
  );
  for (const [code, meaning] of ALL_EXIT_CODES) lines.push(`  ${String(code).padEnd(4)}${meaning}`);
  return lines.join('\n');
}

/** The command named `name`, when there is one (own properties only). */
function commandNamed(name: string): Command | undefined {
  return Object.prototype.hasOwnProperty.call(COMMANDS, name) ? COMMANDS[name] : undefined;
}

/** Runs the CLI; resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined) {
    process.stderr.write(`${usage()}\n`);
    return ExitCode.USAGE;
  }
  if (command === '--help' || command === '-h' || command === 'help') {
    // `sigvet help verify` is `sigvet verify --help`.
    const about = command === 'help' && rest[0] !== undefined ? commandNamed(rest[0]) : undefined;
    if (about) return about.run([...rest.slice(1), '--help']);
    if (command === 'help' && rest[0] !== undefined) {
      process.stderr.write(`sigvet: unknown command ${rest[0]}\n${usage()}\n`);
      return ExitCode.USAGE;
    }
    process.stdout.write(`${usage()}\n`);
    return ExitCode.OK;
  }
  if (command === '--version' || command === '-V') {
    process.stdout.write(`sigvet ${VERSION}\n`);
    return ExitCode.OK;
  }
  const c = commandNamed(command);
  if (!c) {
    process.stderr.write(`sigvet: unknown command ${command}\n${usage()}\n`);
    return ExitCode.USAGE;
  }
  return c.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`sigvet: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = ExitCode.INTERNAL;
  },
);
