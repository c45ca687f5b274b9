/**
 * An opt-in cache of verified results, for callers that verify the same
 * bundles again and again (admission webhooks, CI gates).
 *
 * The key is everything that decides the verdict: the SHA-256 of the bundle
 * bytes, the artifact's SHA-256, the expected identity or key, and the unsafe
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

/** The LRU cache behind `createVerifier({ cache })`. */
export class ResultCache {
  private readonly entries = new Map<string, VerificationResult>();

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
    return this.entries.size;
  }

  /** Answers from the cache, or runs `verify` and caches its success. */
  async verify(
    provider: CryptoProvider,
    bundle: string | Uint8Array | object,
    input: VerifyInput,
    verify: () => Promise<VerificationResult>,
  ): Promise<VerificationResult> {
    const key = await this.keyOf(provider, bundle, input);
    if (key === undefined) return verify();
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const result = deepFreeze(await verify());
    this.entries.set(key, result);
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return result;
  }

  private async keyOf(provider: CryptoProvider, bundle: string | Uint8Array | object, input: VerifyInput): Promise<string | undefined> {
    if (input === null || typeof input !== 'object') return undefined;
    // A stream can be read once only; it bypasses the cache.
    if (isArtifactStream(input.artifact)) return undefined;
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
    const bytes = text === undefined ? (bundle as Uint8Array) : encoder.encode(text);
    const parts = [toHex(await provider.digest('sha256', bytes))];
    if (input.artifact instanceof Uint8Array) parts.push(`a:${toHex(await provider.digest('sha256', input.artifact))}`);
    else parts.push(`d:${String(input.artifactDigest)}`);
    parts.push(JSON.stringify(input.identity ?? null));
    const k = input.key;
    parts.push(k === undefined ? '-' : typeof k === 'string' ? `pem:${k}` : `der:${toHex(k)}`);
    parts.push(`${input.unsafeSkipArtifact === true}:${input.unsafeSkipIdentity === true}`);
    return parts.join('|');
  }
}
