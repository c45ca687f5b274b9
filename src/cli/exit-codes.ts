/**
 * The CLI's exit codes: one table for every command, so scripts can rely on
 * them. A command uses the subset that applies to it and says which in its
 * `--help`.
 * @module
 */

/** Exit codes, stable across releases. */
export const ExitCode = {
  /** Verified, allowed, clean, fetched: the command's positive outcome. */
  OK: 0,
  /** Verification failed, the policy denied, findings, a test case failed: the negative outcome. */
  FAILED: 1,
  /** The command was called wrongly, or an input could not be read or is invalid. */
  USAGE: 2,
  /** `policy import` only: the policy was imported, but something in it did not map. */
  UNMAPPED: 3,
  /** A bug in sigvet (an unexpected exception); the stack trace is on stderr. sysexits' EX_SOFTWARE. */
  INTERNAL: 70,
} as const;

/** One row of an exit-code table: the code and what it means for the command. */
export type ExitCodeRow = readonly [code: number, meaning: string];

/** The row every command shares last. */
export const INTERNAL_ERROR_ROW: ExitCodeRow = [ExitCode.INTERNAL, 'internal error (a bug in sigvet; the stack trace is on stderr)'];

/** The usage row every command shares. */
export const USAGE_ROW: ExitCodeRow = [ExitCode.USAGE, 'usage or input error (bad option, unreadable or invalid file)'];

/** The whole table, as `sigvet --help` and docs/cli.md show it. */
export const ALL_EXIT_CODES: readonly ExitCodeRow[] = [
  [ExitCode.OK, 'verified / allow / success'],
  [ExitCode.FAILED, 'verification failed / deny / findings or failed test cases'],
  USAGE_ROW,
  [ExitCode.UNMAPPED, '`policy import` only: imported, but something did not map'],
  INTERNAL_ERROR_ROW,
];
