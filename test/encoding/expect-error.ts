/**
 * Assertions for sigvet failures: every negative test checks the stable
 * error `code` and, where given, the `check` name, so a failure for the
 * wrong reason does not pass.
 */
import { expect } from 'vitest';
import { SigvetError } from '../../src/errors.js';

function check(err: unknown, code: string, checkName: string | RegExp | undefined): SigvetError {
  expect(err, 'expected a failure, but the call succeeded').toBeDefined();
  expect(err, `not a SigvetError: ${String(err)}`).toBeInstanceOf(SigvetError);
  const e = err as SigvetError;
  expect(e.code, e.message).toBe(code);
  if (checkName instanceof RegExp) expect(e.check, e.message).toMatch(checkName);
  else if (checkName !== undefined) expect(e.check, e.message).toBe(checkName);
  return e;
}

/** Calls `fn`, which must throw a SigvetError with `code` (and `check`, when given). */
export function expectCode(fn: () => unknown, code: string, checkName?: string | RegExp): SigvetError {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  return check(err, code, checkName);
}

/** Awaits `p`, which must reject with a SigvetError with `code` (and `check`, when given). */
export async function expectRejects(
  p: Promise<unknown> | (() => Promise<unknown>),
  code: string,
  checkName?: string | RegExp,
): Promise<SigvetError> {
  let err: unknown;
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    err = e;
  }
  return check(err, code, checkName);
}
