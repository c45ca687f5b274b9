/**
 * Reads every YAML document of a file (comments, anchors and aliases
 * included) with the `yaml` library, bounded against alias bombs.
 * Only the importer entry point loads this module.
 * @module
 */
import { parseAllDocuments } from 'yaml';

/** One parsed document, or the reason it could not be read. */
export type YamlDocument = { readonly index: number; readonly value: unknown } | { readonly index: number; readonly error: string };

/** Largest YAML input accepted. */
export const MAX_YAML_BYTES = 4 * 1024 * 1024;

/** Parses all documents in `text`. Empty documents are skipped. */
export function readYamlDocuments(text: string): YamlDocument[] {
  if (typeof text !== 'string') return [{ index: 0, error: 'input is not text' }];
  if (text.length > MAX_YAML_BYTES) return [{ index: 0, error: `input larger than ${MAX_YAML_BYTES} characters` }];
  const out: YamlDocument[] = [];
  let docs;
  try {
    docs = parseAllDocuments(text, { uniqueKeys: true, prettyErrors: false });
  } catch (e) {
    return [{ index: 0, error: e instanceof Error ? e.message : String(e) }];
  }
  const list = Array.isArray(docs) ? docs : [docs];
  list.forEach((d, index) => {
    if (d.errors.length > 0) {
      out.push({ index, error: d.errors.map((e) => e.message).join('; ') });
      return;
    }
    try {
      // maxAliasCount bounds "billion laughs" expansion.
      const value = d.toJS({ maxAliasCount: 1000 });
      if (value === null || value === undefined) return;
      out.push({ index, value });
    } catch (e) {
      out.push({ index, error: e instanceof Error ? e.message : String(e) });
    }
  });
  return out;
}
