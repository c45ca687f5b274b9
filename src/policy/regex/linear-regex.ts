/**
 * The regular expressions policies use: RE2 dialect, evaluated by a
 * linear-time Pike VM, matched against the WHOLE string by default (as if
 * written `^(?:p)$`), or as an explicit unanchored search. A lazily built
 * DFA (./lazy-dfa.ts) answers first when the pattern allows it; the Pike VM
 * is the reference and the fallback.
 * @module
 */
import { parseRegex } from './syntax.js';
import { compileProgram, type Program } from './program.js';
import { runProgram, VmScratch } from './pike-vm.js';
import { dfaSupports, LazyDfa } from './lazy-dfa.js';

export { RegexSyntaxError } from './syntax.js';

/** Longest input whose answer is remembered (identities, URIs, refs). */
const MEMO_MAX_LENGTH = 512;

/** A compiled pattern. */
export class LinearRegex {
  /** The pattern as written. */
  readonly source: string;
  /** True for a whole-string match; false for an unanchored search. */
  readonly anchored: boolean;
  private readonly program: Program;
  private scratch: VmScratch | undefined;
  private readonly dfa: LazyDfa | undefined;

  private constructor(source: string, anchored: boolean, program: Program) {
    this.source = source;
    this.anchored = anchored;
    this.program = program;
    this.dfa = dfaSupports(program) ? new LazyDfa(program, !anchored) : undefined;
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

  /**
   * The last short input and its answer: evidence repeats values (one
   * signer identity over many attestations). Long inputs are always run.
   */
  private lastInput: string | undefined;
  private lastAnswer = false;

  /** True when `input` matches (whole string, or anywhere for a search). */
  test(input: string): boolean {
    if (input === this.lastInput) return this.lastAnswer;
    const answer = this.dfa?.test(input) ?? this.testNfa(input);
    if (input.length <= MEMO_MAX_LENGTH) {
      this.lastInput = input;
      this.lastAnswer = answer;
    }
    return answer;
  }

  /** The same answer from the Pike VM alone (the reference the DFA is checked against). */
  testNfa(input: string): boolean {
    this.scratch ??= new VmScratch(this.program.length);
    return runProgram(this.program, input, !this.anchored, this.scratch);
  }
}
