/**
 * Argument checks at the public API boundary. JavaScript callers (and
 * TypeScript callers through `any` or bad JSON) can pass anything; a wrong
 * type must become a {@link SigvetError} `INVALID_ARGUMENT` that names the
 * argument, never a raw `TypeError` from deep inside. Each check is one
 * `typeof`/`instanceof`, cheap enough for every call.
 *
 * Internal: not re-exported by any entry point.
 * @module
 * @internal
 */
import { SigvetError } from './errors.js';

/** A short description of what a value is, for messages (never its content). @internal */
function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Uint8Array) return 'a Uint8Array';
  const t = typeof value;
  return t === 'object' ? 'an object' : `${/^[aeiou]/.test(t) ? 'an' : 'a'} ${t}`;
}

/**
 * Throws `INVALID_ARGUMENT`: `<fn>: <arg> must be <expected>, got <what it is>`.
 * @param check the dotted check name; default `argument.<fn>`.
 * @internal
 */
export function invalidArgument(fn: string, arg: string, expected: string, value: unknown, check?: string): never {
  const actual = describeValue(value);
  throw new SigvetError('INVALID_ARGUMENT', `${fn}: ${arg} must be ${expected}, got ${actual}`, {
    check: check ?? `argument.${fn}`,
    expected,
    actual,
  });
}

/**
 * Throws `INVALID_ARGUMENT` for a value outside a fixed set of strings. A
 * short string is quoted (these are names such as `md5`, never secrets).
 * @internal
 */
export function invalidChoice(fn: string, arg: string, choices: readonly string[], value: unknown, check?: string): never {
  const expected = choices.map((c) => JSON.stringify(c)).join(', ');
  const actual = typeof value === 'string' && value.length <= 32 ? JSON.stringify(value) : describeValue(value);
  throw new SigvetError('INVALID_ARGUMENT', `${fn}: ${arg} must be one of ${expected}, got ${actual}`, {
    check: check ?? `argument.${fn}`,
    expected,
    actual,
  });
}

/** True for a non-null, non-array object (what an options or data record must be). @internal */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Requires a non-null, non-array object. @internal */
export function requireObject(value: unknown, fn: string, arg: string, check?: string): asserts value is object {
  if (!isRecord(value)) invalidArgument(fn, arg, 'an object', value, check);
}

/** Requires a string. @internal */
export function requireString(value: unknown, fn: string, arg: string, check?: string): asserts value is string {
  if (typeof value !== 'string') invalidArgument(fn, arg, 'a string', value, check);
}

/** Requires a string or undefined. @internal */
export function requireOptionalString(value: unknown, fn: string, arg: string, check?: string): asserts value is string | undefined {
  if (value !== undefined && typeof value !== 'string') invalidArgument(fn, arg, 'a string or undefined', value, check);
}

/** Requires bytes (a Uint8Array, which includes Node's Buffer). @internal */
export function requireBytes(value: unknown, fn: string, arg: string, check?: string): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) invalidArgument(fn, arg, 'a Uint8Array', value, check);
}

/** Requires an array. @internal */
export function requireArray(value: unknown, fn: string, arg: string, check?: string): asserts value is readonly unknown[] {
  if (!Array.isArray(value)) invalidArgument(fn, arg, 'an array', value, check);
}

/** Requires a function. @internal */
export function requireFunction(value: unknown, fn: string, arg: string, check?: string): asserts value is (...args: never[]) => unknown {
  if (typeof value !== 'function') invalidArgument(fn, arg, 'a function', value, check);
}
