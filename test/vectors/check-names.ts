/**
 * Every `check` name sigvet's verifier can report, read from its source
 * with the TypeScript parser (test helper, not shipped).
 *
 * A check name is a string that flows into a `check` field of a
 * `SigvetError`: a `check:` property (or `{ check }` shorthand) of an object
 * literal, a parameter named `check` (its default, and the arguments of
 * every call in the same file to the function that declares it), a
 * `const <x>Check = '…'` / `const check = '…'` binding, the prefix of a
 * `new JsonFields(code, what, prefix?)` (giving `<prefix>.shape` and
 * `<prefix>.limit`), and caps through `limitExceeded(name, …)` /
 * `limitCheck(name)` (giving `limit.<name>`). Template literals are expanded
 * when their holes are file constants; anything else that cannot be
 * resolved is returned in `unresolved`, so a new way of building names is
 * noticed rather than silently missed.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** The parts of src/ that make up the bundle verifier. */
export const VERIFIER_SOURCE_DIRS = ['verify', 'x509', 'tlog', 'timestamp', 'bundle', 'dsse', 'crypto', 'trust', 'intoto', 'der', 'encoding'];
/** Single files of src/ that belong to the verifier too. */
export const VERIFIER_SOURCE_FILES = ['api.ts', 'errors.ts'];

/** A check name and where it was found. */
export interface CheckName {
  readonly name: string;
  readonly files: readonly string[];
}

/** The result of {@link extractCheckNames}. */
export interface ExtractedChecks {
  /** Every check name, sorted. */
  readonly checks: readonly CheckName[];
  /** Expressions in check positions that could not be resolved to names, as `file: text`. */
  readonly unresolved: readonly string[];
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const n of readdirSync(dir).sort()) {
    const p = path.join(dir, n);
    if (statSync(p).isDirectory()) out.push(...listFiles(p));
    else if (n.endsWith('.ts') && !n.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** The verifier's source files under `srcDir`. */
export function verifierSourceFiles(srcDir: string): string[] {
  return [
    ...VERIFIER_SOURCE_DIRS.flatMap((d) => listFiles(path.join(srcDir, d))),
    ...VERIFIER_SOURCE_FILES.map((f) => path.join(srcDir, f)),
  ];
}

const isFunctionLike = (n: ts.Node): n is ts.FunctionLikeDeclaration =>
  ts.isFunctionDeclaration(n) || ts.isArrowFunction(n) || ts.isFunctionExpression(n) || ts.isMethodDeclaration(n) || ts.isConstructorDeclaration(n);

/** The name a function-like node is called by in its file, if it has one. */
function functionName(n: ts.FunctionLikeDeclaration): string | undefined {
  if ((ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n)) && n.name && ts.isIdentifier(n.name)) return n.name.text;
  if ((ts.isArrowFunction(n) || ts.isFunctionExpression(n)) && ts.isVariableDeclaration(n.parent) && ts.isIdentifier(n.parent.name)) {
    return n.parent.name.text;
  }
  return undefined;
}

/**
 * Reads the check names of the verifier's source under `srcDir`.
 * @param limitNames the cap names (keys of DEFAULT_VERIFIER_LIMITS) for `limit.<name>`.
 */
export function extractCheckNames(srcDir: string, limitNames: readonly string[] = []): ExtractedChecks {
  const found = new Map<string, Set<string>>();
  const unresolved: string[] = [];
  const add = (name: string, file: string): void => {
    if (!found.has(name)) found.set(name, new Set());
    found.get(name)!.add(file);
  };
  for (const l of limitNames) add(`limit.${l}`, 'src/verify/limits.ts');

  const files = verifierSourceFiles(srcDir).map((file) => ({
    file,
    sf: ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true),
  }));
  // Functions that take a `check` parameter, by name, across the verifier: name → its index.
  const globalCheckParams = new Map<string, number>();
  for (const { sf } of files) {
    const scan = (n: ts.Node): void => {
      if (isFunctionLike(n)) {
        const i = n.parameters.findIndex((p) => ts.isIdentifier(p.name) && p.name.text === 'check');
        const name = functionName(n);
        if (i >= 0 && name) globalCheckParams.set(name, i);
      }
      ts.forEachChild(n, scan);
    };
    scan(sf);
  }

  for (const { file, sf } of files) {
    const rel = path.relative(path.dirname(srcDir), file).split(path.sep).join('/');

    // String constants of the file (any scope): name → values.
    const consts = new Map<string, string[]>();
    // Every call in the file by callee name (plain identifiers).
    const calls = new Map<string, ts.CallExpression[]>();
    const collect = (n: ts.Node): void => {
      if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer && ts.isStringLiteralLike(n.initializer)) {
        const list = consts.get(n.name.text) ?? [];
        list.push(n.initializer.text);
        consts.set(n.name.text, list);
      }
      if (ts.isCallExpression(n) && ts.isIdentifier(n.expression)) {
        const list = calls.get(n.expression.text) ?? [];
        list.push(n);
        calls.set(n.expression.text, list);
      }
      ts.forEachChild(n, collect);
    };
    collect(sf);

    /**
     * The strings `e` can be, or undefined when that cannot be told: string
     * literals, file constants, templates over those, `a ?? b`, `c ? a : b`,
     * and parameters (through the literal arguments of the calls in this file).
     * `x.check` (another error's check, passed on) is no new name: [].
     */
    const valuesOf = (e: ts.Expression, depth = 0): string[] | undefined => {
      if (depth > 8) return undefined;
      if (ts.isStringLiteralLike(e)) return [e.text];
      if (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e)) return valuesOf(e.expression, depth);
      if (ts.isBinaryExpression(e) && (e.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || e.operatorToken.kind === ts.SyntaxKind.BarBarToken)) {
        const l = valuesOf(e.left, depth);
        const r = valuesOf(e.right, depth);
        return l && r ? [...l, ...r] : undefined;
      }
      if (ts.isConditionalExpression(e)) {
        const a = valuesOf(e.whenTrue, depth);
        const b = valuesOf(e.whenFalse, depth);
        return a && b ? [...a, ...b] : undefined;
      }
      if (ts.isPropertyAccessExpression(e) && e.name.text === 'check') return [];
      // `limits.checks?.depth`: a check name the caller chose, read from its own literals.
      if (ts.isPropertyAccessExpression(e) && ts.isPropertyAccessExpression(e.expression) && e.expression.name.text === 'checks') return [];
      // limit.<name>: every cap is listed from limitNames.
      if (ts.isCallExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'limitCheck') return [];
      if (ts.isTemplateExpression(e)) {
        // JsonFields builds `<prefix>.shape` / `<prefix>.limit`, read from its constructions.
        if (e.templateSpans.some((s) => s.expression.getText(sf) === 'this.checkPrefix')) return [];
        let variants = [e.head.text];
        for (const span of e.templateSpans) {
          const values = valuesOf(span.expression, depth + 1);
          if (!values) return undefined;
          variants = variants.flatMap((v) => values.map((x) => v + x + span.literal.text));
        }
        return variants;
      }
      if (ts.isIdentifier(e)) {
        // The nearest binding wins: a parameter of an enclosing function
        // stands for the values its function is called with (in this file,
        // or anywhere for functions declaring a `check` parameter).
        for (let n: ts.Node | undefined = e.parent; n; n = n.parent) {
          if (!isFunctionLike(n)) continue;
          const i = n.parameters.findIndex((p) => ts.isIdentifier(p.name) && p.name.text === e.text);
          if (i < 0) continue;
          const name = functionName(n);
          const def = n.parameters[i]!.initializer;
          const out: string[] = [];
          if (def) {
            const d = valuesOf(def, depth + 1);
            if (!d) return undefined;
            out.push(...d);
          }
          // Functions with a `check` parameter are resolved at every call site, in every file.
          if (e.text === 'check' && name && globalCheckParams.has(name)) return out;
          if (!name) return def ? out : undefined;
          for (const c of calls.get(name) ?? []) {
            const arg = c.arguments[i];
            if (!arg) continue;
            const v = valuesOf(arg, depth + 1);
            if (!v) return undefined;
            out.push(...v);
          }
          return out;
        }
        return consts.get(e.text);
      }
      return undefined;
    };

    const inCheckPosition = (e: ts.Expression): void => {
      const values = valuesOf(e);
      if (values === undefined) unresolved.push(`${rel}: ${e.getText(sf)}`);
      else values.forEach((v) => add(v, rel));
    };

    const visit = (n: ts.Node): void => {
      if (ts.isPropertyAssignment(n) && (ts.isIdentifier(n.name) || ts.isStringLiteral(n.name)) && n.name.text === 'check') inCheckPosition(n.initializer);
      if (ts.isShorthandPropertyAssignment(n) && n.name.text === 'check') inCheckPosition(n.name);
      // `const ctCheck = '…'`: names kept in a variable until they reach a check field.
      if (
        ts.isVariableDeclaration(n) &&
        ts.isIdentifier(n.name) &&
        /^(check|\w+Check)$/.test(n.name.text) &&
        n.initializer &&
        (ts.isStringLiteralLike(n.initializer) || ts.isTemplateExpression(n.initializer))
      ) {
        inCheckPosition(n.initializer);
      }
      // A call to a function (of any verifier file) that declares a `check` parameter.
      if (ts.isCallExpression(n) && ts.isIdentifier(n.expression)) {
        const i = globalCheckParams.get(n.expression.text);
        const arg = i === undefined ? undefined : n.arguments[i];
        if (arg) inCheckPosition(arg);
      }
      if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && (n.expression.text === 'limitExceeded' || n.expression.text === 'limitCheck')) {
        const a = n.arguments[0];
        if (a && ts.isStringLiteralLike(a)) add(`limit.${a.text}`, rel);
      }
      if (ts.isNewExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'JsonFields' && n.arguments) {
        const [, what, prefix] = n.arguments;
        const p = prefix && ts.isStringLiteralLike(prefix) ? prefix.text : what && ts.isStringLiteralLike(what) ? what.text.replace(/\s+/g, '_') : undefined;
        if (p === undefined) unresolved.push(`${rel}: ${n.getText(sf)}`);
        else {
          add(`${p}.shape`, rel);
          add(`${p}.limit`, rel);
        }
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  const checks = [...found]
    .map(([name, files]) => ({ name, files: [...files].sort() }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { checks, unresolved: [...new Set(unresolved)].sort() };
}
