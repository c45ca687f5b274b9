/**
 * Three-valued logic for rule results. `indeterminate` means "could not be
 * decided" (a limit, an unavailable plug-in, malformed evidence); it is
 * never turned into `pass`.
 * @module
 */

/** A rule or condition outcome. */
export type Status = 'pass' | 'fail' | 'indeterminate';

/** Kleene AND: any fail fails; else any indeterminate is indeterminate. */
export function and(statuses: readonly Status[]): Status {
  if (statuses.includes('fail')) return 'fail';
  if (statuses.includes('indeterminate')) return 'indeterminate';
  return 'pass';
}

/** Kleene OR: any pass passes; else any indeterminate is indeterminate. */
export function or(statuses: readonly Status[]): Status {
  if (statuses.includes('pass')) return 'pass';
  if (statuses.includes('indeterminate')) return 'indeterminate';
  return 'fail';
}

/** At least `k` passes: decided only when the indeterminate ones cannot change the answer. */
export function atLeast(k: number, statuses: readonly Status[]): Status {
  const pass = statuses.filter((s) => s === 'pass').length;
  const maybe = statuses.filter((s) => s === 'indeterminate').length;
  if (pass >= k) return 'pass';
  if (pass + maybe >= k) return 'indeterminate';
  return 'fail';
}

/** Negation; indeterminate stays indeterminate. */
export function negate(s: Status): Status {
  return s === 'pass' ? 'fail' : s === 'fail' ? 'pass' : 'indeterminate';
}

/** Kleene AND over results' statuses (without building a list of statuses). */
export function andOf(list: readonly { readonly status: Status }[]): Status {
  let maybe = false;
  for (const r of list) {
    if (r.status === 'fail') return 'fail';
    if (r.status === 'indeterminate') maybe = true;
  }
  return maybe ? 'indeterminate' : 'pass';
}

/** Kleene OR over results' statuses. */
export function orOf(list: readonly { readonly status: Status }[]): Status {
  let maybe = false;
  for (const r of list) {
    if (r.status === 'pass') return 'pass';
    if (r.status === 'indeterminate') maybe = true;
  }
  return maybe ? 'indeterminate' : 'fail';
}

/** How many of the results pass. */
export function passCount(list: readonly { readonly status: Status }[]): number {
  let n = 0;
  for (const r of list) if (r.status === 'pass') n++;
  return n;
}
