/**
 * Statement path slots: every statement path a policy's conditions read,
 * and every prefix of one, gets a number at compile time. An evaluation
 * keeps one value per slot and attestation, so a path is resolved once per
 * attestation however many rules read it, and a path shares the work of
 * its prefixes with its siblings (`/predicate/buildDefinition/…`).
 * @module
 */
import { ABSENT, escapeToken, resolvePointer } from './json-pointer.js';

/** A policy's slots: slot `s` is the value at token `token[s]` of slot `parent[s]` (-1: the statement itself). */
export interface PathSlotTable {
  readonly parent: readonly number[];
  readonly token: readonly string[];
}

/** Builds a {@link PathSlotTable} while a policy compiles. */
export class PathSlotBuilder implements PathSlotTable {
  readonly parent: number[] = [];
  readonly token: string[] = [];
  private readonly byPointer = new Map<string, number>();

  /** The slot of the path `tokens` (registering its prefixes); -1 for the empty path (the statement itself). */
  slot(tokens: readonly string[]): number {
    let slot = -1;
    let key = '';
    for (let k = 1; k <= tokens.length; k++) {
      key += `/${escapeToken(tokens[k - 1]!)}`;
      let s = this.byPointer.get(key);
      if (s === undefined) {
        s = this.parent.length;
        this.parent.push(slot);
        this.token.push(tokens[k - 1]!);
        this.byPointer.set(key, s);
      }
      slot = s;
    }
    return slot;
  }
}

/**
 * The value at `slot` of `statement`, resolved at most once per `values`
 * (one array per attestation per evaluation; resolution never gives
 * undefined, so undefined marks a slot not yet resolved). Equals
 * `resolvePointer(statement, tokens)` for the slot's path.
 */
export function slotValue(table: PathSlotTable, values: unknown[], statement: unknown, slot: number): unknown {
  const known = values[slot];
  if (known !== undefined) return known;
  const parent = table.parent[slot]!;
  const base = parent < 0 ? statement : slotValue(table, values, statement, parent);
  const v = base === ABSENT ? ABSENT : step(base, table.token[slot]!);
  values[slot] = v;
  return v;
}

/** One token of a pointer: `resolvePointer(doc, [key])`. */
function step(doc: unknown, key: string): unknown {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return resolvePointer(doc, [key]);
  if (!Object.prototype.hasOwnProperty.call(doc, key)) return ABSENT;
  const v = (doc as Record<string, unknown>)[key];
  return v === undefined ? ABSENT : v;
}
