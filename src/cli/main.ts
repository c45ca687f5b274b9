/**
 * The `sigvet` command line (Node.js only): a dispatcher that loads only
 * the module of the command it runs.
 * @module
 */

import module from 'node:module';

// Node ≥ 22.1 can cache compiled code between runs: a one-shot CLI then
// skips most of its parse and compile time. Older Node lacks the function.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();

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
    summary: 'verify a bundle and print a report (--json for machines)',
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
    run: async (args) => (await import('../tuf/cli.js')).runTrustedRoot(args),
  },
};

function usage(): string {
  const lines = ['usage: sigvet <command> [options]', '', 'commands:'];
  for (const [name, c] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(16)} ${c.summary}`);
  lines.push('', 'sigvet <command> --help shows the options of a command.');
  return lines.join('\n');
}

/** Runs the CLI; resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined) {
    process.stderr.write(`${usage()}\n`);
    return 2;
  }
  if (command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${usage()}\n`);
    return 0;
  }
  if (command === '--version') {
    process.stdout.write('sigvet 0.1.0\n');
    return 0;
  }
  const c = Object.prototype.hasOwnProperty.call(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!c) {
    process.stderr.write(`sigvet: unknown command ${command}\n${usage()}\n`);
    return 2;
  }
  return c.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`sigvet: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 3;
  },
);
