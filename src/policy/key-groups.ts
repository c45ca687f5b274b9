/**
 * Grouping equal strings that an evaluation builds afresh (signer keys,
 * attestation identities). V8 hashes a new string, flattening it first,
 * the first time it keys a Map or Set, which costs several times more
 * than comparing it with a few others; evidence usually has one or two
 * signers. So keys are compared while there are few distinct ones, and a
 * Map takes over past that (work stays linear for hostile evidence).
 * @module
 */

/** Distinct keys compared one by one before a Map takes over. */
const LINEAR_LIMIT = 8;

/**
 * For each key, the index of the first equal key (so `ids[i] === i` marks
 * the first of each distinct key, in order of first appearance). `same`,
 * when given, must answer `keyOf(i) === keyOf(j)`, more cheaply.
 */
export function firstEqualIndices(count: number, keyOf: (i: number) => string, same?: (i: number, j: number) => boolean): number[] {
  const ids: number[] = new Array(count);
  const firsts: number[] = [];
  let map: Map<string, number> | undefined;
  for (let i = 0; i < count; i++) {
    let id = -1;
    if (map) id = map.get(keyOf(i)) ?? -1;
    else {
      for (let k = 0; k < firsts.length; k++) {
        const f = firsts[k]!;
        if (same ? same(f, i) : keyOf(f) === keyOf(i)) {
          id = f;
          break;
        }
      }
    }
    if (id < 0) {
      id = i;
      if (map) map.set(keyOf(i), i);
      else if (firsts.length < LINEAR_LIMIT) firsts.push(i);
      else {
        map = new Map();
        for (const f of firsts) map.set(keyOf(f), f);
        map.set(keyOf(i), i);
      }
    }
    ids[i] = id;
  }
  return ids;
}

/** How many distinct keys there are among `count`. */
export function distinctKeyCount(count: number, keyOf: (i: number) => string): number {
  const ids = firstEqualIndices(count, keyOf);
  let n = 0;
  for (let i = 0; i < count; i++) if (ids[i] === i) n++;
  return n;
}
