/**
 * `--json` output: every document a command prints starts with `$schema`
 * (the URL of its JSON Schema, a file published in the package under
 * schemas/cli/) and `schemaVersion`, so machines can check what they read.
 * The version changes only when a field is removed or renamed or changes
 * type or meaning; the schema in a package always describes exactly what
 * that package prints.
 * @module
 */
import { bigintAsString } from './io.js';

/** The version of every CLI output schema. */
export const CLI_SCHEMA_VERSION = '1';

/** Where the schemas are published: the package's schemas/cli/ directory, as served by unpkg. */
export const CLI_SCHEMA_BASE_URL = 'https://unpkg.com/sigvet/schemas/cli/';

/** The output documents, one schema each (`schemas/cli/<kind>.v1.schema.json`). */
export type CliOutputKind =
  | 'verify'
  | 'verify-policy'
  | 'inspect'
  | 'verify-image'
  | 'policy-lint'
  | 'policy-import'
  | 'policy-test'
  | 'trusted-root-fetch';

/** The schema file name of an output kind. */
export function schemaFileName(kind: CliOutputKind): string {
  return `${kind}.v${CLI_SCHEMA_VERSION}.schema.json`;
}

/** The `$schema` URL of an output kind (the schema's `$id`). */
export function schemaUrl(kind: CliOutputKind): string {
  return `${CLI_SCHEMA_BASE_URL}${schemaFileName(kind)}`;
}

/** `body` with `$schema` and `schemaVersion` first. */
export function jsonDocument(kind: CliOutputKind, body: object): Record<string, unknown> {
  return { $schema: schemaUrl(kind), schemaVersion: CLI_SCHEMA_VERSION, ...body };
}

/** The document as text: indented, bigints (from predicates) as exact decimal strings, one trailing newline. */
export function jsonText(kind: CliOutputKind, body: object): string {
  return `${JSON.stringify(jsonDocument(kind, body), bigintAsString, 2)}\n`;
}

/** Prints the document on stdout. */
export function writeJson(kind: CliOutputKind, body: object): void {
  process.stdout.write(jsonText(kind, body));
}
