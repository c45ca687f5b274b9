/**
 * What every CLI command shares: usage errors (exit 2) and reading the
 * files a user names, with the file in the message when that fails.
 * @module
 */
import { readFileSync } from 'node:fs';

/** A mistake in how a command was called: reported with its usage, exit 2. */
export class UsageError extends Error {}

/** Reads a UTF-8 text file the user named, or throws a {@link UsageError}. */
export function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${what} ${path}: ${(e as Error).message}`);
  }
}

/** JSON replacer: integers beyond 2^53 (from predicates) print exactly, as decimal strings. */
export function bigintAsString(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}
