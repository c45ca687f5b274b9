#!/usr/bin/env node
/**
 * Compiles the attestation JSON Schemas in schemas/ (the files listed in
 * SCHEMA_FILES below; other schemas there belong to other parts of sigvet
 * and are published as they are) into one standalone ES module of
 * validators, src/schemas-generated/validators.js (+ .d.ts), with ajv.
 *
 * Why at build time: ajv normally compiles schemas with `new Function`,
 * which a Content-Security-Policy without 'unsafe-eval' (browser
 * extensions, strict sites) forbids. The generated module is plain code:
 * no eval, no `new Function`, and no imports at all. ajv's two runtime
 * helpers it would `require` (string length in code points, formats) are
 * written out inline here, so the published validators depend on nothing.
 *
 * The output is committed (tests import src/ directly) and `npm run build`
 * regenerates it first. It is deterministic: files are compiled in sorted
 * order and written only when their content changes.
 *
 * Usage: node scripts/compile-schemas.mjs [--check]
 *   --check  compile in memory and exit 1 if the committed output differs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { _ } from 'ajv/dist/compile/codegen/index.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SCHEMA_DIR = path.join(REPO, 'schemas');
const OUT_DIR = path.join(REPO, 'src', 'schemas-generated');
const OUT_JS = path.join(OUT_DIR, 'validators.js');
const OUT_DTS = path.join(OUT_DIR, 'validators.d.ts');

/** The schemas compiled. All are added before any is compiled, so they may refer to each other freely. */
const SCHEMA_FILES = [
  'intoto-field-types-v1.schema.json',
  'intoto-digest-set-v1.schema.json',
  'intoto-resource-descriptor-v1.schema.json',
  'intoto-statement-v1.schema.json',
  'intoto-statement-v0.1.schema.json',
  'slsa-provenance-v1.schema.json',
  'slsa-provenance-v0.2.schema.json',
  'slsa-verification-summary-v1.schema.json',
  'cosign-vuln-v1.schema.json',
  'intoto-vulns-v0.2.schema.json',
  'spdx-2.schema.json',
  'spdx-3.schema.json',
  'cyclonedx.schema.json',
  'intoto-test-result-v0.1.schema.json',
  'intoto-release-v0.1.schema.json',
  'npm-publish-v0.1.schema.json',
  'intoto-link-v0.3.schema.json',
  'intoto-link-legacy.schema.json',
];

/** Keywords that document a schema but never affect validation: left out of the compiled copy. */
const ANNOTATIONS = new Set(['title', 'description', '$comment', 'examples']);

// ---- formats --------------------------------------------------------------
// Written as self-contained functions: their source text is copied into the
// generated module, so they may use nothing from this file.

/** RFC 3986 URI with a scheme: only URI characters, `%` followed by two hex digits. */
function isUri(s) {
  return /^[A-Za-z][A-Za-z0-9+.-]*:(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?#[\]]|%[0-9A-Fa-f]{2})*$/.test(s);
}

/** RFC 3339 date-time with a real calendar date, hours, minutes, seconds (leap second 60) and offset. */
function isDateTime(s) {
  const m = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|[+-](\d{2}):(\d{2}))$/.exec(s);
  if (m === null) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  if (month < 1 || month > 12 || day < 1 || day > days[month - 1]) return false;
  if (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6]) > 60) return false;
  if (m[7] !== undefined && (Number(m[7]) > 23 || Number(m[8]) > 59)) return false;
  return true;
}

/** Length in Unicode code points (what JSON Schema's minLength/maxLength count). */
function codePointLength(s) {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) i++;
    n++;
  }
  return n;
}

const FORMATS = { uri: isUri, 'date-time': isDateTime };

// ---- compile --------------------------------------------------------------

/** A copy of `schema` without annotation keywords (inside `properties` every key is a field name, kept). */
function stripAnnotations(schema, inProperties = false) {
  if (Array.isArray(schema)) return schema.map((s) => stripAnnotations(s));
  if (schema === null || typeof schema !== 'object') return schema;
  const out = {};
  for (const [k, v] of Object.entries(schema)) {
    if (!inProperties && ANNOTATIONS.has(k)) continue;
    const childIsMap = !inProperties && (k === 'properties' || k === 'definitions' || k === 'patternProperties');
    out[k] = childIsMap ? stripAnnotations(v, true) : stripAnnotations(v);
  }
  return out;
}

/** `slsa-provenance-v0.2.schema.json` → `validateSlsaProvenanceV02`. */
function exportName(file) {
  const base = file.replace(/\.schema\.json$/, '').replace(/\./g, '');
  return `validate${base
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('')}`;
}

/** Compiles every schema; returns the generated module text, its declarations and the export table. */
export function compileSchemas() {
  const files = [...SCHEMA_FILES].sort();
  const ajv = new Ajv({
    code: { source: true, esm: true, lines: true, formats: _`__formats` },
    allErrors: true,
    // Small referenced schemas (URIs, timestamps) are inlined; DigestSet and ResourceDescriptor
    // become one shared function each (they are whole schemas, compiled once).
    inlineRefs: 8,
    strict: true,
    // Nullable fields ("type": ["object", "null"]) are how SLSA says unset ≡ null.
    allowUnionTypes: true,
    // `anyOf: [{ required: ["uri"] }, …]` names properties defined beside it, not inside.
    strictRequired: false,
    ownProperties: true,
    messages: true,
  });
  for (const [name, fn] of Object.entries(FORMATS)) ajv.addFormat(name, fn);
  const exports = {};
  for (const file of files) {
    const schema = JSON.parse(fs.readFileSync(path.join(SCHEMA_DIR, file), 'utf8'));
    if (schema.$id !== file) throw new Error(`${file}: $id must be the file name, got ${JSON.stringify(schema.$id)}`);
    ajv.addSchema(stripAnnotations(schema));
    // Schemas of definitions only (field types) have no root to validate.
    if (schema.type !== undefined || schema.allOf !== undefined) exports[exportName(file)] = file;
  }
  for (const id of Object.values(exports)) ajv.getSchema(id); // compile now: strict-mode errors surface here
  let code = standaloneCode(ajv, exports);

  // Inline the runtime helpers ajv would import; anything else is an error.
  code = code.replace(/require\("ajv\/dist\/runtime\/ucs2length"\)\.default/g, '__codePointLength');
  const leftover = code.match(/require\([^)]*\)/);
  if (leftover) throw new Error(`generated code still needs ${leftover[0]}; inline it in scripts/compile-schemas.mjs`);
  for (const bad of [/\bnew\s+Function\b/, /(?<![\w$.])eval\s*\(/, /(?<![\w$.])Function\s*\(/, /(?<![\w$])import\s*[({]/]) {
    if (bad.test(code)) throw new Error(`generated code contains ${bad}`);
  }
  const header = [
    '// Generated by scripts/compile-schemas.mjs from the attestation schemas in schemas/ (ajv standalone). Do not edit.',
    '// No run-time code generation (neither eval nor the Function constructor) and no imports:',
    '// safe under a Content-Security-Policy without unsafe-eval.',
    '/* eslint-disable */',
    `const __formats = { uri: ${isUri.toString()}, "date-time": ${isDateTime.toString()} };`,
    `const __codePointLength = ${codePointLength.toString()};`,
    '',
  ].join('\n');
  const listing = `/** The schema files (under schemas/) these validators were compiled from. */\nexport const SCHEMA_FILES = ${JSON.stringify(files)};\n`;
  const js = `${header}${code.replace(/^"use strict";/, '')}\n${listing}`;

  const names = Object.keys(exports).sort();
  const dts = [
    '// Generated by scripts/compile-schemas.mjs. Do not edit.',
    '/** One ajv error: `instancePath` is the JSON Pointer of the offending value. */',
    'export interface GeneratedValidationError {',
    '  readonly instancePath: string;',
    '  readonly schemaPath: string;',
    '  readonly keyword: string;',
    '  readonly params: Readonly<Record<string, unknown>>;',
    '  readonly message?: string;',
    '  readonly propertyName?: string;',
    '}',
    '/** A compiled validator: returns true when `data` is valid; otherwise `errors` lists why. */',
    'export interface GeneratedValidator {',
    '  (data: unknown): boolean;',
    '  errors: GeneratedValidationError[] | null;',
    '}',
    ...names.map((n) => `/** Validates against schemas/${exports[n]}. */\nexport declare const ${n}: GeneratedValidator;`),
    '/** The schema files (under schemas/) these validators were compiled from. */',
    'export declare const SCHEMA_FILES: readonly string[];',
    '',
  ].join('\n');
  return { js, dts, exports };
}

function main() {
  const check = process.argv.includes('--check');
  const { js, dts, exports } = compileSchemas();
  const outputs = [
    [OUT_JS, js],
    [OUT_DTS, dts],
  ];
  const stale = outputs.filter(([file, text]) => !fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== text);
  if (check) {
    if (stale.length > 0) {
      process.stderr.write(`compile-schemas: out of date: ${stale.map(([f]) => path.relative(REPO, f)).join(', ')} (run npm run schemas)\n`);
      process.exitCode = 1;
    }
    return;
  }
  fs.mkdirSync(OUT_DIR, { recursive: true });
  for (const [file, text] of stale) fs.writeFileSync(file, text);
  process.stdout.write(
    `compile-schemas: ${Object.keys(exports).length} validators, ${js.length} bytes${stale.length === 0 ? ' (unchanged)' : ''}\n`,
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
