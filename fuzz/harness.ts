/**
 * Runs fuzz inputs and classifies the outcome: accepted, refused with a
 * SigvetError (correct behaviour for hostile input), or a finding: any
 * other exception (TypeError, RangeError, stack overflow), a broken round
 * trip ({@link FuzzFinding}), or an input slower than the target's budget.
 * Also (de)serializes inputs for crash files.
 */
import { SigvetError } from '../src/errors.js';
import type { FuzzTarget } from './targets.js';

/** What one input did. */
export type Outcome =
  | { readonly kind: 'accepted'; readonly ms: number }
  | { readonly kind: 'refused'; readonly ms: number; readonly code: string }
  | { readonly kind: 'finding'; readonly ms: number; readonly error: string };

function describe(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message}${e.stack ? `\n${e.stack.split('\n').slice(1, 6).join('\n')}` : ''}`;
  return `non-Error thrown: ${String(e)}`;
}

/** Runs one input against a target and classifies the result. */
export async function runInput<T>(target: FuzzTarget<T>, input: T, budgetMs = target.budgetMs): Promise<Outcome> {
  const t0 = performance.now();
  let out: Outcome;
  try {
    await target.run(input);
    out = { kind: 'accepted', ms: performance.now() - t0 };
  } catch (e) {
    const ms = performance.now() - t0;
    if (e instanceof SigvetError) out = { kind: 'refused', ms, code: e.code };
    else return { kind: 'finding', ms, error: describe(e) };
  }
  if (out.ms > budgetMs) {
    // Re-run once: a garbage-collection pause or a busy machine is not a finding.
    const t1 = performance.now();
    try {
      await target.run(input);
    } catch {
      /* classified above */
    }
    const again = performance.now() - t1;
    if (again > budgetMs) {
      return { kind: 'finding', ms: Math.min(out.ms, again), error: `slow input: ${Math.round(Math.min(out.ms, again))} ms > ${budgetMs} ms budget` };
    }
  }
  return out;
}

/** JSON with Uint8Array and bigint preserved (crash files). */
export function serializeInput(v: unknown): string {
  return JSON.stringify(
    v,
    (_k, x: unknown) => {
      if (x instanceof Uint8Array) return { $bytes: Buffer.from(x).toString('base64') };
      if (typeof x === 'bigint') return { $bigint: x.toString() };
      return x;
    },
    1,
  );
}

/**
 * Inverse of {@link serializeInput}. Hand-written regression files may also
 * spell long strings as `{"$repeat": "[", "times": 100000}` and join parts
 * with `{"$concat": [...]}`.
 */
export function deserializeInput(text: string): unknown {
  return JSON.parse(text, (_k, x: unknown) => {
    if (x !== null && typeof x === 'object' && !Array.isArray(x)) {
      const o = x as Record<string, unknown>;
      if (typeof o.$bytes === 'string' && Object.keys(o).length === 1) return new Uint8Array(Buffer.from(o.$bytes, 'base64'));
      if (typeof o.$bigint === 'string' && Object.keys(o).length === 1) return BigInt(o.$bigint);
      if (typeof o.$repeat === 'string' && typeof o.times === 'number') return o.$repeat.repeat(o.times);
      if (Array.isArray(o.$concat)) return o.$concat.join('');
    }
    return x;
  });
}
