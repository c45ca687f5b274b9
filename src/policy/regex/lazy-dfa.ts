/**
 * A lazily built DFA over a Pike VM program (the technique RE2 uses): each
 * DFA state is the set of NFA threads alive at a position, built the first
 * time it is reached and cached with its transitions, so repeated matching
 * (the same identity pattern over many signers) costs one table lookup per
 * character. Answers exactly what the Pike VM answers; programs with
 * assertions that look at neighbouring characters (line and word
 * boundaries) are not handled here, and a bounded state budget keeps
 * memory fixed: past it, the caller runs the Pike VM instead.
 * @module
 */
import type { Program } from './program.js';

/** Most states one pattern may cache (each holds a 128-entry ASCII table). */
export const MAX_DFA_STATES = 128;
/** Most thread pcs stored over all states of one pattern (bounds memory for large programs). */
const MAX_STORED_PCS = 1 << 15;
/** Largest program the DFA takes on (policy patterns are far smaller; the Pike VM runs the rest). */
const MAX_DFA_PROGRAM = 4096;
/** Most cached non-ASCII transitions, over all states of one pattern. */
const MAX_WIDE_TRANSITIONS = 4096;

/** Transition-table value for "not computed yet". */
const UNKNOWN = -1;
/** State flags: a thread reached `match`; no thread is alive. */
const MATCH = 1;
const DEAD = 2;

interface DfaState {
  /** Live thread pcs: char instructions, plus end-of-text assertions waiting for the end. */
  readonly pcs: readonly number[];
  /** Whether the input may end here (computed on first need): 1 yes, 0 no, -1 unknown. */
  acceptsAtEnd: number;
  /** Next state id by wider code point (bounded by MAX_WIDE_TRANSITIONS). */
  wide: Map<number, number> | undefined;
}

/** True when the lazy DFA can run `prog` (only text-boundary assertions). */
export function dfaSupports(prog: Program): boolean {
  if (prog.length > MAX_DFA_PROGRAM) return false;
  for (const ins of prog) if (ins.op === 'assert' && ins.kind !== 'beginText' && ins.kind !== 'endText') return false;
  return true;
}

/** A lazily built DFA for one program; `test` answers undefined when its budget runs out. */
export class LazyDfa {
  private readonly states: DfaState[] = [];
  private readonly byKey = new Map<string, number>();
  /** ASCII transitions, 128 per state (grown as states are added), and each state's flags. */
  private ascii = new Int32Array(8 * 128).fill(UNKNOWN);
  private flags = new Uint8Array(8);
  private wideCount = 0;
  private storedPcs = 0;
  /** Closure work area: a visit stamp per pc, and a DFS stack. */
  private readonly seen: Uint32Array;
  private stamp = 0;
  private readonly stack: number[] = [];
  private start = UNKNOWN;

  constructor(
    private readonly prog: Program,
    private readonly search: boolean,
  ) {
    this.seen = new Uint32Array(prog.length);
  }

  /**
   * Follows jumps, splits and assertions from `seeds` (each seed is a pc),
   * with the text-boundary assertions decided by `begin`/`end`. Returns the
   * char pcs reached, the end-of-text assertions left pending (when not at
   * the end), and whether `match` was reached.
   */
  private closure(seeds: readonly number[], begin: boolean, end: boolean): { pcs: number[]; match: boolean } {
    const prog = this.prog;
    const seen = this.seen;
    if (++this.stamp === 0xffffffff) {
      seen.fill(0);
      this.stamp = 1;
    }
    const stamp = this.stamp;
    const stack = this.stack;
    stack.length = 0;
    for (let k = seeds.length - 1; k >= 0; k--) stack.push(seeds[k]!);
    const pcs: number[] = [];
    let match = false;
    while (stack.length > 0) {
      const pc = stack.pop()!;
      if (seen[pc] === stamp) continue;
      seen[pc] = stamp;
      const ins = prog[pc]!;
      switch (ins.op) {
        case 'jump':
          stack.push(ins.x);
          break;
        case 'split':
          stack.push(ins.y, ins.x);
          break;
        case 'assert':
          if (ins.kind === 'beginText') {
            if (begin) stack.push(pc + 1);
          } else if (end) stack.push(pc + 1);
          else pcs.push(pc); // endText: decided when the input ends
          break;
        case 'match':
          match = true;
          break;
        case 'char':
          pcs.push(pc);
          break;
      }
    }
    pcs.sort((a, b) => a - b);
    return { pcs, match };
  }

  /** The id of the state for a closure; undefined when the state budget is spent. */
  private intern(c: { pcs: number[]; match: boolean }): number | undefined {
    // Every state with a match is the same state: the answer is yes.
    const key = c.match ? '!' : c.pcs.join(',');
    const known = this.byKey.get(key);
    if (known !== undefined) return known;
    const id = this.states.length;
    if (id >= MAX_DFA_STATES || this.storedPcs + c.pcs.length > MAX_STORED_PCS) return undefined;
    this.storedPcs += c.pcs.length;
    if (id === this.flags.length) {
      const ascii = new Int32Array(id * 2 * 128).fill(UNKNOWN);
      ascii.set(this.ascii);
      this.ascii = ascii;
      const flags = new Uint8Array(id * 2);
      flags.set(this.flags);
      this.flags = flags;
    }
    this.states.push({ pcs: c.match ? [] : c.pcs, acceptsAtEnd: UNKNOWN, wide: undefined });
    this.flags[id] = c.match ? MATCH : c.pcs.length === 0 ? DEAD : 0;
    this.byKey.set(key, id);
    return id;
  }

  /** The state after consuming `cp` from state `s` (not at the start of the text). */
  private step(s: number, cp: number): number | undefined {
    const seeds: number[] = [];
    for (const pc of this.states[s]!.pcs) {
      const ins = this.prog[pc]!;
      if (ins.op === 'char' && ins.test(cp)) seeds.push(pc + 1);
    }
    // A search starts a new thread at every position.
    if (this.search) seeds.push(0);
    return this.intern(this.closure(seeds, false, false));
  }

  private acceptsAtEnd(id: number): boolean {
    const s = this.states[id]!;
    if (s.acceptsAtEnd === UNKNOWN) {
      const seeds: number[] = [];
      for (const pc of s.pcs) if (this.prog[pc]!.op === 'assert') seeds.push(pc + 1);
      s.acceptsAtEnd = this.closure(seeds, false, true).match ? 1 : 0;
    }
    return s.acceptsAtEnd === 1;
  }

  /**
   * True when `input` matches, as the Pike VM would answer; undefined when
   * the state budget ran out (the caller then runs the Pike VM).
   */
  test(input: string): boolean | undefined {
    const n = input.length;
    // The empty input is at the start and the end at once.
    if (n === 0) return this.closure([0], true, true).match;
    if (this.start === UNKNOWN) {
      const id = this.intern(this.closure([0], true, false));
      if (id === undefined) return undefined;
      this.start = id;
    }
    // A dead state ends an anchored match; a search always has its new thread.
    const stop = this.search ? MATCH : MATCH | DEAD;
    let s = this.start;
    let i = 0;
    while (i < n) {
      const f = this.flags[s]!;
      if ((f & stop) !== 0) return (f & MATCH) !== 0;
      const c = input.charCodeAt(i);
      let next: number | undefined;
      if (c < 128) {
        next = this.ascii[s * 128 + c]!;
        if (next === UNKNOWN) {
          next = this.step(s, c);
          if (next === undefined) return undefined;
          this.ascii[s * 128 + c] = next;
        }
        i++;
      } else {
        const cp = input.codePointAt(i)!;
        const state = this.states[s]!;
        next = state.wide?.get(cp);
        if (next === undefined) {
          next = this.step(s, cp);
          if (next === undefined) return undefined;
          if (this.wideCount < MAX_WIDE_TRANSITIONS) {
            (state.wide ??= new Map()).set(cp, next);
            this.wideCount++;
          }
        }
        i += cp > 0xffff ? 2 : 1;
      }
      s = next;
    }
    return (this.flags[s]! & MATCH) !== 0 || this.acceptsAtEnd(s);
  }
}
