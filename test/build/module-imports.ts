/**
 * Finds the module specifiers a built ES module imports. Built code puts
 * every static import and re-export at the start of a line, so the patterns
 * are anchored there; that keeps prose in strings ("cannot import key from
 * ...") from looking like an import.
 */

const STATIC_IMPORT = /^[ \t]*import\s*(?:[\w$*{}\s,]+?\s*from\s*)?["']([^"'\n]+)["']/gm;
const RE_EXPORT = /^[ \t]*export\s*(?:\*|\{[^}]*\})\s*(?:as\s+[\w$]+\s*)?from\s*["']([^"'\n]+)["']/gm;
const DYNAMIC_IMPORT = /(?<![\w$.])import\s*\(\s*["']([^"'\n]+)["']\s*\)/g;

/** Module specifiers of static imports, re-exports and literal dynamic imports. */
export function importSpecifiers(code: string): string[] {
  const found: string[] = [];
  for (const pattern of [STATIC_IMPORT, RE_EXPORT, DYNAMIC_IMPORT]) {
    for (const match of code.matchAll(pattern)) found.push(match[1]!);
  }
  return found;
}
