/**
 * Importer diagnostics: every foreign field that does not map, or maps with
 * a change of meaning, is reported with its YAML path. Nothing is dropped
 * silently.
 * @module
 */
import type { PolicyDocument } from '../document.js';

/** One importer finding. */
export interface ImportDiagnostic {
  /** Index of the YAML document in the file (0-based). */
  readonly document: number;
  /** YAML path, e.g. `spec.authorities[0].keyless.url`. */
  readonly path: string;
  /**
   * `unmapped`: dropped or replaced by an undecidable condition (exit 3);
   * `semantics`: mapped, with foreign semantics kept visible (e.g. an
   * unanchored regex as `search`); `invalid`: the input is not a policy of
   * the expected kind (exit 2).
   */
  readonly severity: 'unmapped' | 'semantics' | 'invalid';
  readonly code: string;
  readonly message: string;
}

/** The outcome of an import. */
export interface ImportResult {
  /** One policy per foreign policy (per `verifyImages` entry for Kyverno). */
  readonly policies: readonly PolicyDocument[];
  readonly diagnostics: readonly ImportDiagnostic[];
}

/** Formats a YAML path. */
export function yamlPath(tokens: readonly (string | number)[]): string {
  let out = '';
  for (const t of tokens) {
    if (typeof t === 'number') out += `[${t}]`;
    else out += out === '' ? t : /^[A-Za-z_][A-Za-z0-9_-]*$/.test(t) ? `.${t}` : `[${JSON.stringify(t)}]`;
  }
  return out;
}

/** Collects diagnostics for one YAML document. */
export class DiagnosticSink {
  readonly list: ImportDiagnostic[] = [];
  constructor(public document: number) {}

  add(severity: ImportDiagnostic['severity'], code: string, path: readonly (string | number)[], message: string): void {
    if (this.list.length < 1000) this.list.push({ document: this.document, path: yamlPath(path), severity, code, message });
  }

  /** Reports every key of `obj` outside `known` as unmapped. */
  unknownKeys(obj: Record<string, unknown>, known: readonly string[], path: readonly (string | number)[]): void {
    for (const k of Object.keys(obj)) {
      if (!known.includes(k)) this.add('unmapped', 'UNKNOWN_FIELD', [...path, k], `field ${k} is not understood by the importer and was not mapped`);
    }
  }
}

/** True for a plain object. */
export function isObj(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
