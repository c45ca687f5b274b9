/**
 * Terminal colors for the CLI, decided once per output stream: on only when
 * the stream is a terminal and `NO_COLOR` is unset or empty
 * (https://no-color.org); `FORCE_COLOR` overrides both ways (`0`/`false`
 * off, any other non-empty value on). JSON output is never styled.
 * @module
 */

/** The environment variables that decide colors (a subset of `process.env`). */
export type ColorEnv = Readonly<Record<string, string | undefined>>;

/** What the color decision looks at. */
export interface ColorContext {
  /** The stream's `isTTY` (undefined for pipes and files). */
  readonly isTTY: boolean | undefined;
  readonly env: ColorEnv;
}

/**
 * True when output to the stream should carry ANSI colors. An empty
 * `FORCE_COLOR` or `NO_COLOR` counts as unset (NO_COLOR's rule, applied to
 * both so `VAR= sigvet …` never surprises); `TERM=dumb` has no colors.
 */
export function colorsEnabled(ctx: ColorContext): boolean {
  const force = ctx.env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force.toLowerCase() !== 'false';
  const noColor = ctx.env.NO_COLOR;
  if (noColor !== undefined && noColor !== '') return false;
  if (ctx.env.TERM === 'dumb') return false;
  return ctx.isTTY === true;
}

/** Text styling: every function returns its input unchanged when colors are off. */
export interface Style {
  readonly enabled: boolean;
  /** Verified, allow, ok. */
  readonly green: (s: string) => string;
  /** Failed, deny, problems. */
  readonly red: (s: string) => string;
  /** Warnings and "not verified" notices. */
  readonly yellow: (s: string) => string;
  /** Details a reader may skip. */
  readonly dim: (s: string) => string;
  readonly bold: (s: string) => string;
}

/** SGR wrapper: `open` then the text then the matching reset (not a full reset, so nesting works). */
function sgr(open: number, close: number): (s: string) => string {
  return (s) => (s === '' ? s : `\u001b[${open}m${s}\u001b[${close}m`);
}

const identity = (s: string): string => s;

/** No styling at all (JSON, pipes, NO_COLOR). */
export const PLAIN_STYLE: Style = { enabled: false, green: identity, red: identity, yellow: identity, dim: identity, bold: identity };

/** ANSI styling. */
export const ANSI_STYLE: Style = {
  enabled: true,
  green: sgr(32, 39),
  red: sgr(31, 39),
  yellow: sgr(33, 39),
  dim: sgr(2, 22),
  bold: sgr(1, 22),
};

/**
 * The style for one stream, decided once when a command starts.
 * @param json true when the command prints JSON (never styled, whatever the terminal).
 */
export function styleFor(stream: { readonly isTTY?: boolean }, json = false, env: ColorEnv = process.env): Style {
  if (json) return PLAIN_STYLE;
  return colorsEnabled({ isTTY: stream.isTTY, env }) ? ANSI_STYLE : PLAIN_STYLE;
}

/** Removes ANSI SGR sequences (for width computations and tests). */
export function stripAnsi(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\u001b\[[0-9;]*m/g, '');
}
