/**
 * `--help` text, in one layout for every command: usage, what it does,
 * options, the JSON schema of `--json`, examples, exit codes.
 * @module
 */
import { INTERNAL_ERROR_ROW, type ExitCodeRow } from './exit-codes.js';

/** The parts of a command's help. */
export interface CommandHelp {
  /** Synopsis lines, each starting with `sigvet`. */
  readonly usage: readonly string[];
  /** What the command does: a paragraph (may hold newlines). */
  readonly description: string;
  /** `[flag, explanation]`; an explanation may hold newlines. */
  readonly options?: readonly (readonly [string, string])[];
  /** The schema file (under schemas/cli/) `--json` output follows, when the command has `--json`. */
  readonly jsonSchema?: string;
  /** `[what it does, command line]`. At least one. */
  readonly examples: readonly (readonly [string, string])[];
  /** The codes this command exits with (the internal-error row is added). */
  readonly exitCodes: readonly ExitCodeRow[];
}

/** A two-column table (options, exit codes): keys padded to one width, long keys on their own line. */
function table(rows: readonly (readonly [string, string])[], indent = '  '): string[] {
  const width = Math.min(28, Math.max(...rows.map(([k]) => k.length)) + 2);
  const out: string[] = [];
  for (const [k, v] of rows) {
    const [first = '', ...more] = v.split('\n');
    const pad = k.length + 2 > width ? `\n${indent}${' '.repeat(width)}` : ' '.repeat(width - k.length);
    out.push(`${indent}${k}${pad}${first}`);
    for (const m of more) out.push(`${indent}${' '.repeat(width)}${m}`);
  }
  return out;
}

/** The line after a usage error: where the help is (the help itself would bury the error). */
export function helpHint(command: string): string {
  return `(see \`sigvet ${command} --help\`)`;
}

/** Formats a command's help. */
export function formatHelp(h: CommandHelp): string {
  const lines: string[] = [];
  if (h.usage.length === 1) lines.push(`usage: ${h.usage[0]}`);
  else lines.push('usage:', ...h.usage.map((u) => `  ${u}`));
  lines.push('', h.description);
  if (h.options && h.options.length > 0) lines.push('', 'options:', ...table(h.options));
  if (h.jsonSchema !== undefined) {
    lines.push(
      '',
      `--json prints one JSON document on stdout, also when verification fails; anything else goes to stderr.`,
      `It carries "$schema" and "schemaVersion"; its JSON Schema is schemas/cli/${h.jsonSchema} in the package.`,
    );
  }
  lines.push('', 'examples:');
  h.examples.forEach(([what, cmd], i) => {
    if (i > 0) lines.push('');
    lines.push(`  # ${what}`, `  ${cmd}`);
  });
  const codes = h.exitCodes.some(([c]) => c === INTERNAL_ERROR_ROW[0]) ? h.exitCodes : [...h.exitCodes, INTERNAL_ERROR_ROW];
  lines.push('', 'exit codes:', ...table(codes.map(([c, m]) => [String(c), m] as const)));
  return lines.join('\n');
}
