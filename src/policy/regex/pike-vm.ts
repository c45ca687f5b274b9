/**
 * A Pike VM (Thompson NFA simulation) that answers "does this program
 * match?" in O(input length × program size) time and O(program size)
 * memory, whatever the pattern: there is no backtracking, so `(a+)+$`
 * against a long run of `a` followed by `!` costs the same per character
 * as any other input.
 * @module
 */
import { isWordChar, type AssertKind } from './syntax.js';
import type { Program } from './program.js';

/** A set of program counters with O(1) insert, membership and clear. */
class SparseSet {
  readonly dense: Uint32Array;
  readonly sparse: Uint32Array;
  size = 0;
  constructor(n: number) {
    this.dense = new Uint32Array(n);
    this.sparse = new Uint32Array(n);
  }
  has(pc: number): boolean {
    const i = this.sparse[pc]!;
    return i < this.size && this.dense[i] === pc;
  }
  add(pc: number): void {
    this.sparse[pc] = this.size;
    this.dense[this.size++] = pc;
  }
  clear(): void {
    this.size = 0;
  }
}

function assertHolds(kind: AssertKind, prev: number, next: number): boolean {
  switch (kind) {
    case 'beginText':
      return prev === -1;
    case 'endText':
      return next === -1;
    case 'beginLine':
      return prev === -1 || prev === 0x0a;
    case 'endLine':
      return next === -1 || next === 0x0a;
    case 'wordBoundary':
      return (prev !== -1 && isWordChar(prev)) !== (next !== -1 && isWordChar(next));
    case 'notWordBoundary':
      return (prev !== -1 && isWordChar(prev)) === (next !== -1 && isWordChar(next));
  }
}

/** Reusable thread lists for one program (a program is run by one caller at a time: JS is single-threaded). */
export class VmScratch {
  a: SparseSet;
  b: SparseSet;
  readonly stack: number[] = [];
  constructor(size: number) {
    this.a = new SparseSet(size);
    this.b = new SparseSet(size);
  }
}

/**
 * Runs `prog` over `input`, one code point at a time (a lone surrogate is
 * one unit). With `search`, a match may start anywhere (a thread is
 * started at every position); otherwise only at the start.
 */
export function runProgram(prog: Program, input: string, search: boolean, scratch: VmScratch = new VmScratch(prog.length)): boolean {
  const n = input.length;
  let clist = scratch.a;
  let nlist = scratch.b;
  clist.clear();
  nlist.clear();
  const stack = scratch.stack;
  stack.length = 0;

  // Follows jumps, splits and assertions from `start`, adding the char and
  // match instructions reached to `list`. Iterative: no recursion depth.
  const addThread = (list: SparseSet, start: number, prev: number, next: number): boolean => {
    stack.push(start);
    while (stack.length > 0) {
      const pc = stack.pop()!;
      if (list.has(pc)) continue;
      list.add(pc);
      const ins = prog[pc]!;
      switch (ins.op) {
        case 'jump':
          stack.push(ins.x);
          break;
        case 'split':
          stack.push(ins.y, ins.x);
          break;
        case 'assert':
          if (assertHolds(ins.kind, prev, next)) stack.push(pc + 1);
          break;
        case 'match':
          stack.length = 0;
          return true;
        case 'char':
          break;
      }
    }
    return false;
  };

  let i = 0;
  let prev = -1;
  for (;;) {
    const cp = i < n ? input.codePointAt(i)! : -1;
    if (i === 0 || search) {
      if (addThread(clist, 0, prev, cp)) return true;
    }
    if (clist.size === 0 && !search) return false;
    if (i >= n) return false;
    const width = cp > 0xffff ? 2 : 1;
    const after = i + width < n ? input.codePointAt(i + width)! : -1;
    nlist.clear();
    for (let k = 0; k < clist.size; k++) {
      const pc = clist.dense[k]!;
      const ins = prog[pc]!;
      if (ins.op === 'char' && ins.test(cp)) {
        if (addThread(nlist, pc + 1, cp, after)) return true;
      }
    }
    const t = clist;
    clist = nlist;
    nlist = t;
    prev = cp;
    i += width;
  }
}
