/**
 * The JSON Schemas of the CLI's `--json` outputs (schemas/cli/), loaded into
 * one strict Ajv (draft 2020-12) so every `$ref` between them resolves.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { schemaUrl, type CliOutputKind } from '../../src/cli/json-output.js';

/** The repository root. */
export const ROOT = resolve(__dirname, '../..');

/** schemas/cli/. */
export const SCHEMA_DIR = join(ROOT, 'schemas/cli');

/** Every schema file, parsed, by file name. */
export function schemaFiles(): Map<string, { $id: string; $schema: string } & Record<string, unknown>> {
  const out = new Map<string, { $id: string; $schema: string } & Record<string, unknown>>();
  for (const name of readdirSync(SCHEMA_DIR).sort()) {
    if (name.endsWith('.schema.json')) out.set(name, JSON.parse(readFileSync(join(SCHEMA_DIR, name), 'utf8')));
  }
  return out;
}

/** A strict Ajv with every CLI schema added. */
export function outputAjv(): Ajv2020 {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  for (const s of schemaFiles().values()) ajv.addSchema(s);
  return ajv;
}

const validators = new Map<CliOutputKind, ValidateFunction>();
let shared: Ajv2020 | undefined;

/**
 * Validates one `--json` document against its schema; returns the errors as
 * text ('' when valid). The document must name its own schema in `$schema`.
 */
export function schemaErrors(kind: CliOutputKind, doc: unknown): string {
  shared ??= outputAjv();
  let v = validators.get(kind);
  if (!v) {
    v = shared.getSchema(schemaUrl(kind));
    if (!v) throw new Error(`no schema ${schemaUrl(kind)}`);
    validators.set(kind, v);
  }
  if (v(doc)) return '';
  return shared.errorsText(v.errors, { separator: '\n' });
}

