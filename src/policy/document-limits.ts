/**
 * Caps on a policy document itself (not on the evidence it is evaluated
 * over): its size and its number of rules, checked by `compilePolicy`
 * before the work they bound. A hit is an error problem with code `LIMIT`
 * whose message names the cap. Set through the compile options, never in
 * the document: a document must not raise its own caps.
 * @module
 */
import { SigvetError } from '../errors.js';
import type { PolicyDocument, Rule } from './document.js';
import { jsonSizeAtMost } from './evidence.js';
import type { PolicyProblem } from './validate.js';

/** Caps on a policy document, for `compilePolicy(doc, { documentLimits })`. */
export interface PolicyDocumentLimits {
  /**
   * The document's size as JSON (estimated without serializing it, as the
   * evaluation caps measure predicates), checked before it is validated.
   * Default 1 MiB: hand-written and imported policies are a few KiB.
   */
  readonly maxDocumentBytes: number;
  /**
   * Rules in `rules` and `require`, nested ones included (a `use` counts
   * once, not as the rule it names). Default 1,024.
   */
  readonly maxRules: number;
}

/** The caps in force when the compile options give none. */
export const DEFAULT_POLICY_DOCUMENT_LIMITS: PolicyDocumentLimits = Object.freeze({
  maxDocumentBytes: 1024 * 1024,
  maxRules: 1024,
});

const NAMES = Object.keys(DEFAULT_POLICY_DOCUMENT_LIMITS) as readonly (keyof PolicyDocumentLimits)[];

/**
 * The effective document caps: the defaults overlaid with what is given.
 * @throws SigvetError `INVALID_ARGUMENT` for an unknown cap or a value that is not a positive safe integer.
 */
export function resolvePolicyDocumentLimits(limits: Partial<PolicyDocumentLimits> | undefined): PolicyDocumentLimits {
  if (limits === undefined) return DEFAULT_POLICY_DOCUMENT_LIMITS;
  if (limits === null || typeof limits !== 'object' || Array.isArray(limits)) {
    throw new SigvetError('INVALID_ARGUMENT', 'documentLimits must be an object of caps', { check: 'options.documentLimits' });
  }
  for (const k of Object.keys(limits)) {
    if (!(NAMES as readonly string[]).includes(k)) {
      throw new SigvetError('INVALID_ARGUMENT', `documentLimits: unknown cap ${JSON.stringify(k)} (known: ${NAMES.join(', ')})`, {
        check: 'input.unknown_option',
      });
    }
  }
  const out: { -readonly [K in keyof PolicyDocumentLimits]: number } = { ...DEFAULT_POLICY_DOCUMENT_LIMITS };
  for (const k of NAMES) {
    const v: unknown = limits[k];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1) {
      throw new SigvetError('INVALID_ARGUMENT', `documentLimits.${k} must be a positive integer`, { check: 'options.documentLimits' });
    }
    out[k] = v;
  }
  return Object.freeze(out);
}

function limitProblem(cap: keyof PolicyDocumentLimits, limit: number, actual: string, what: string): PolicyProblem {
  return { code: 'LIMIT', severity: 'error', path: '', message: `${what}: ${actual} exceeds the limit of ${limit} (documentLimits.${cap})` };
}

/**
 * The size problem of `doc`, if it is over `maxDocumentBytes`. Bounded work
 * whatever `doc` is (huge, cyclic): measuring stops once past the cap.
 */
export function documentSizeProblem(doc: unknown, limits: PolicyDocumentLimits): PolicyProblem | undefined {
  const size = jsonSizeAtMost(doc, limits.maxDocumentBytes);
  return size > limits.maxDocumentBytes ? limitProblem('maxDocumentBytes', limits.maxDocumentBytes, `about ${size} bytes`, 'policy document') : undefined;
}

/**
 * The rule-count problem of a shape-valid `doc`, if it has more than
 * `maxRules` rules. Counting stops once past the cap.
 */
export function ruleCountProblem(doc: PolicyDocument, limits: PolicyDocumentLimits): PolicyProblem | undefined {
  const stack: Rule[] = [doc.require];
  for (const r of Object.values(doc.rules ?? {})) stack.push(r);
  let count = 0;
  while (stack.length > 0 && count <= limits.maxRules) {
    const r = stack.pop()!;
    count++;
    const children = 'allOf' in r ? r.allOf : 'anyOf' in r ? r.anyOf : 'atLeast' in r ? r.of : 'not' in r ? [r.not] : [];
    for (const c of children) stack.push(c);
  }
  return count > limits.maxRules ? limitProblem('maxRules', limits.maxRules, `>= ${count} rules`, 'policy document') : undefined;
}
