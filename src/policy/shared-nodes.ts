/**
 * Verdict nodes shared between evaluations. A node that depends only on
 * the policy (a passing condition whose message is fixed, the node of an
 * absent value) is built once, when its condition is compiled, and handed
 * to every verdict; one that depends on the policy and a single value (a
 * passing count naming the number of items, a comparison naming the time
 * it resolved) is kept while that value recurs; and a composite condition
 * whose children all came back as shared nodes reuses the node it built
 * from those same children before. Most of a passing verdict's condition
 * nodes are then not rebuilt.
 *
 * Shared nodes are frozen, their children lists too, so a caller changing
 * one verdict cannot change another; the verdict's JSON is the same as
 * with fresh nodes (a node may appear in it more than once, never in a
 * cycle). Nothing is kept that names evidence beyond such a count or time.
 * @module
 */
import type { RuleResult } from './verdict.js';

/** Every shared node (a WeakSet answers faster than Object.isFrozen, a call into the engine's runtime). */
const shared = new WeakSet<RuleResult>();

/** Freezes `n` for sharing: it depends only on the policy (and on what its NodeMemo keys it by). */
export function sharedNode(n: RuleResult): RuleResult {
  shared.add(Object.freeze(n));
  return n;
}

/** True for a shared node. */
export function isShared(n: RuleResult): boolean {
  return shared.has(n);
}

/** A node with children (what composite conditions build). */
export type ParentNode = RuleResult & { readonly children: readonly RuleResult[] };

/**
 * The node a condition built last, kept as shared when it can be: a
 * composite's node whose children are all shared (reused while the same
 * children come back), or a leaf that depends on the policy and one key
 * (an item count, a resolved time; reused while that key comes back). One
 * per condition, so memory stays bounded by the policy.
 */
export class NodeMemo<N extends RuleResult = ParentNode> {
  private node: N | undefined;
  private key: unknown;

  /** The kept node, when it was built for `key` (compared with ===). */
  kept(key?: unknown): N | undefined {
    return this.key === key ? this.node : undefined;
  }

  /** Returns `node`, built for `key`, after keeping it as shared when every one of its children (if any) is shared. */
  keep(node: N, key?: unknown): N {
    const children = node.children;
    if (children) {
      for (let i = 0; i < children.length; i++) if (!isShared(children[i]!)) return node;
      Object.freeze(children);
    }
    this.node = node;
    this.key = key;
    sharedNode(node);
    return node;
  }
}

/** Evidence indices whose one-element lists are kept (larger indices get a list each time). */
const SINGLETON_LIMIT = 1024;
const singletons: (readonly number[] | undefined)[] = [];

/**
 * `[i]`, frozen and shared below a bound: the evidence list of every node
 * about one piece of evidence (two per attestation under each rule).
 */
export function evidenceOf(i: number): readonly number[] {
  if (i >= SINGLETON_LIMIT) return [i];
  return (singletons[i] ??= Object.freeze([i]));
}
