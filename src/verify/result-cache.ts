/**
 * An opt-in cache of verified results, for callers that verify the same
 * bundles again and again (admission webhooks, CI gates).
 *
 * The key is everything that decides the verdict: the bundle (its text when
 * short, else the SHA-256 of its bytes), the artifact's SHA-256, the expected identity or key, and the unsafe
 * flags; the trusted root, thresholds and limits are fixed per verifier,
 * which owns the cache, so no result is shared across limits. A bundle past
 * the size cap bypasses the cache, to be refused before it is hashed. Verification reads no clock, so a verdict cannot go stale.
 * Only successes are cached; results are deep-frozen so no caller can alter
 * what another one gets. LRU, bounded by `maxEntries`.
 * @module
 */
import { SigvetError } from '../errors.js';
import { toHex } from '../encoding/hex.js';
import type { CryptoProvider } from '../crypto/provider.js';
import { isArtifactStream } from './artifact.js';
import type { VerifyInput } from './options.js';
import type { VerificationResult } from './result.js';

const encoder = new TextEncoder();

function deepFreeze<T>(v: T): T {
  if (v !== null && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v as object)) deepFreeze(x);
  }
  return v;
}

/**
 * Bundle texts up to this many characters key the cache by the text itself
 * (exact comparison, no hashing: a repeat with the same string costs a Map
 * lookup, V8 keeps a string's hash); longer texts, bytes and objects by
 * their SHA-256, so a full cache holds at most maxEntries × 64 Ki characters
 * of bundle text.
 */
const DIRECT_KEY_MAX_CHARS = 64 * 1024;

/** One cached result and where it is filed. */
interface CacheNode {
  /** The outer map it is filed in: by text or by digest. */
  readonly outer: Map<string, Map<string, CacheNode>>;
  readonly bundleKey: string;
  readonly restKey: string;
  readonly result: VerificationResult;
}

/** The LRU cache behind `createVerifier({ cache })`. */
export class ResultCache {
  /**
   * Bundle text → (everything else the verdict depends on → node). Keyed by
   * the caller's own string, so a repeat with the same string object hashes
   * nothing (a derived key string would be rehashed on every lookup).
   */
  private readonly byText = new Map<string, Map<string, CacheNode>>();
  /** The same, for bundles keyed by the hex SHA-256 of their bytes. */
  private readonly byDigest = new Map<string, Map<string, CacheNode>>();
  /** Every node, least recently used first (Map keeps insertion order). */
  private readonly lru = new Map<CacheNode, true>();

  /** @param maxBundleBytes the verifier's bundle size cap: larger input is not hashed for a key. */
  constructor(
    readonly maxEntries: number,
    private readonly maxBundleBytes: number = Infinity,
  ) {
    if (!Number.isSafeInteger(maxEntries) || maxEntries < 1 || maxEntries > 1_000_000) {
      throw new SigvetError('INVALID_ARGUMENT', 'cache.maxEntries must be an integer from 1 to 1,000,000', { check: 'options.cache' });
    }
  }

  /** Number of cached results. */
  get size(): number {
    return this.lru.size;
  }

  /** Answers from the cache, or runs `verify` and caches its success. */
  async verify(
    provider: CryptoProvider,
    bundle: string | Uint8Array | object,
    input: VerifyInput,
    verify: () => Promise<VerificationResult>,
  ): Promise<VerificationResult> {
    const restKey = await this.restKeyOf(provider, input);
    if (restKey === undefined) return verify();
    const bk = await this.bundleKeyOf(provider, bundle);
    if (bk === undefined) return verify();
    const [outer, bundleKey] = bk;
    const hit = outer.get(bundleKey)?.get(restKey);
    if (hit) {
      this.lru.delete(hit);
      this.lru.set(hit, true);
      return hit.result;
    }
    const node: CacheNode = { outer, bundleKey, restKey, result: deepFreeze(await verify()) };
    let inner = outer.get(bundleKey);
    if (!inner) outer.set(bundleKey, (inner = new Map()));
    const old = inner.get(restKey);
    if (old) this.lru.delete(old); // verified concurrently twice: keep one node
    inner.set(restKey, node);
    this.lru.set(node, true);
    if (this.lru.size > this.maxEntries) this.evict(this.lru.keys().next().value!);
    return node.result;
  }

  private evict(node: CacheNode): void {
    this.lru.delete(node);
    const inner = node.outer.get(node.bundleKey);
    if (inner?.get(node.restKey) === node) {
      inner.delete(node.restKey);
      if (inner.size === 0) node.outer.delete(node.bundleKey);
    }
  }

  /** The bundle's part of the key: its text (short), or the SHA-256 of its bytes. */
  private async bundleKeyOf(
    provider: CryptoProvider,
    bundle: string | Uint8Array | object,
  ): Promise<readonly [Map<string, Map<string, CacheNode>>, string] | undefined> {
    let text: string | undefined;
    if (typeof bundle === 'string') text = bundle;
    else if (!(bundle instanceof Uint8Array)) {
      try {
        text = JSON.stringify(bundle) ?? '';
      } catch {
        return undefined; // the decoder reports it
      }
    }
    // Checked as the decoder does (code units of text, bytes of bytes), so it refuses what is skipped here.
    if ((text ?? (bundle as Uint8Array)).length > this.maxBundleBytes) return undefined;
    if (text !== undefined && text.length <= DIRECT_KEY_MAX_CHARS) return [this.byText, text];
    const bytes = text === undefined ? (bundle as Uint8Array) : encoder.encode(text);
    const d = provider.digest('sha256', bytes);
    return [this.byDigest, toHex(d instanceof Uint8Array ? d : await d)];
  }

  /** Everything else that decides the verdict: the artifact's SHA-256 (or the given digest), the identity or key, the unsafe flags. */
  private async restKeyOf(provider: CryptoProvider, input: VerifyInput): Promise<string | undefined> {
    if (input === null || typeof input !== 'object') return undefined;
    // A stream can be read once only; it bypasses the cache.
    if (isArtifactStream(input.artifact)) return undefined;
    let artifact: string;
    if (input.artifact instanceof Uint8Array) {
      const d = provider.digest('sha256', input.artifact);
      artifact = `a:${toHex(d instanceof Uint8Array ? d : await d)}`;
    } else {
      artifact = `d:${String(input.artifactDigest)}`;
    }
    const k = input.key;
    return [
      artifact,
      JSON.stringify(input.identity ?? null),
      k === undefined ? '-' : typeof k === 'string' ? `pem:${k}` : `der:${toHex(k)}`,
      `${input.unsafeSkipArtifact === true}:${input.unsafeSkipIdentity === true}`,
    ].join('|');
  }
}
