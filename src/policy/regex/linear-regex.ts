/**
 * The regular expressions policies use: RE2 dialect, evaluated by a
 * linear-time Pike VM, matched against the WHOLE string by default (as if
 * written `^(?:p)$`), or as an explicit unanchored search.
 * @module
 */
import { parseRegex } from './syntax.js';
import { compileProgram, type Program } from './program.js';
import { runProgram, VmScratch } from './pike-vm.js';

export { RegexSyntaxError } from './syntax.js';

/** A compiled pattern. */
export class LinearRegex {
  /** The pattern as written. */
  readonly source: string;
  /** True for a whole-string match; false for an unanchored search. */
  readonly anchored: boolean;
  private readonly program: Program;
  private readonly scratch: VmScratch;

  private constructor(source: string, anchored: boolean, program: Program) {
    this.source = source;
    this.anchored = anchored;
    this.program = program;
    this.scratch = new VmScratch(program.length);
  }

  /**
   * Compiles `source`.
   * @param mode `'whole'` (default) matches the entire string; `'search'` finds a substring.
   * @throws RegexSyntaxError when the pattern is outside the RE2 dialect or too large.
   */
  static compile(source: string, options: { mode?: 'whole' | 'search'; ignoreCase?: boolean } = {}): LinearRegex {
    const anchored = (options.mode ?? 'whole') === 'whole';
    const node = parseRegex(source, { ignoreCase: options.ignoreCase === true });
    return new LinearRegex(source, anchored, compileProgram(node, anchored));
  }

  /** Program size (instructions): a measure of per-character cost. */
  get size(): number {
    return this.program.length;
  }

  /** True when `input` matches (whole string, or anywhere for a search). */
  test(input: string): boolean {
    return runProgram(this.program, input, !this.anchored, this.scratch);
  }
}
