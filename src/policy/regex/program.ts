/**
 * Compiles a regex syntax tree into a Thompson-NFA program for the Pike VM
 * (src/policy/regex/pike-vm.ts). Counted repetition is expanded, so the
 * program size is bounded explicitly.
 * @module
 */
import { RegexSyntaxError, type AssertKind, type CharTest, type RegexNode } from './syntax.js';

/** One instruction. `next`/`alt` are program counters. */
export type Instruction =
  | { readonly op: 'char'; readonly test: CharTest }
  | { readonly op: 'split'; x: number; y: number }
  | { readonly op: 'jump'; x: number }
  | { readonly op: 'assert'; readonly kind: AssertKind }
  | { readonly op: 'match' };

/** A compiled program; execution starts at 0. */
export type Program = readonly Instruction[];

/** Largest program accepted (RE2 bounds its programs the same way). */
export const MAX_PROGRAM_SIZE = 20_000;

class Emitter {
  readonly code: Instruction[] = [];

  emit(i: Instruction): number {
    if (this.code.length >= MAX_PROGRAM_SIZE) {
      throw new RegexSyntaxError(`pattern too large: more than ${MAX_PROGRAM_SIZE} instructions after expanding repetitions`, 0);
    }
    this.code.push(i);
    return this.code.length - 1;
  }

  node(n: RegexNode): void {
    switch (n.type) {
      case 'empty':
        return;
      case 'char':
        this.emit({ op: 'char', test: n.test });
        return;
      case 'assert':
        this.emit({ op: 'assert', kind: n.kind });
        return;
      case 'concat':
        for (const item of n.items) this.node(item);
        return;
      case 'alternate': {
        // split L1, next; L1: a; jump end; next: split L2, … ; last
        const jumps: { op: 'jump'; x: number }[] = [];
        for (let k = 0; k < n.items.length - 1; k++) {
          const split = { op: 'split' as const, x: 0, y: 0 };
          this.emit(split);
          split.x = this.code.length;
          this.node(n.items[k]!);
          const j = { op: 'jump' as const, x: 0 };
          this.emit(j);
          jumps.push(j);
          split.y = this.code.length;
        }
        this.node(n.items[n.items.length - 1]!);
        for (const j of jumps) j.x = this.code.length;
        return;
      }
      case 'repeat': {
        for (let k = 0; k < n.min; k++) this.node(n.node);
        if (n.max === -1) {
          // L: split body, out; body; jump L
          const split = { op: 'split' as const, x: 0, y: 0 };
          const loop = this.emit(split);
          split.x = this.code.length;
          this.node(n.node);
          this.emit({ op: 'jump', x: loop });
          split.y = this.code.length;
          return;
        }
        // (max - min) optional copies, nested: (a(a(a)?)?)?
        const splits: { op: 'split'; x: number; y: number }[] = [];
        for (let k = n.min; k < n.max; k++) {
          const split = { op: 'split' as const, x: 0, y: 0 };
          this.emit(split);
          split.x = this.code.length;
          splits.push(split);
          this.node(n.node);
        }
        for (const s of splits) s.y = this.code.length;
        return;
      }
    }
  }
}

/**
 * Compiles `node`. With `anchored`, the program accepts only a match of
 * the whole input (an end-of-text assertion precedes `match`); otherwise
 * `match` is reached at the end of any matching substring.
 * @throws RegexSyntaxError when the expanded program is too large.
 */
export function compileProgram(node: RegexNode, anchored: boolean): Program {
  const e = new Emitter();
  e.node(node);
  if (anchored) e.emit({ op: 'assert', kind: 'endText' });
  e.emit({ op: 'match' });
  return e.code;
}
