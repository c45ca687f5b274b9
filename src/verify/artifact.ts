/**
 * Artifact input: bytes, or a stream hashed as it arrives (an
 * `AsyncIterable<Uint8Array>` or a web `ReadableStream<Uint8Array>`), in
 * constant memory. Only the digests the verification needs are computed.
 * @module
 */
import { SigvetError } from '../errors.js';
import type { CryptoProvider, HashAlgorithm, IncrementalHash } from '../crypto/provider.js';

/** An artifact the caller streams. */
export type ArtifactStream = AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>;

/** True for the stream forms {@link hashArtifactStream} accepts. */
export function isArtifactStream(a: unknown): a is ArtifactStream {
  if (a === null || typeof a !== 'object' || a instanceof Uint8Array) return false;
  return typeof (a as ReadableStream).getReader === 'function' || typeof (a as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] === 'function';
}

async function incremental(provider: CryptoProvider, hash: HashAlgorithm): Promise<IncrementalHash> {
  if (provider.createHash) return provider.createHash(hash);
  // Pure-JavaScript incremental hashers, loaded on demand (only a streamed
  // artifact on a runtime without a native incremental hash needs them).
  const h = (await import('../crypto/js-hashes.js')).jsHashes[hash].create();
  return {
    update: (c) => {
      h.update(c);
    },
    digest: () => h.digest(),
  };
}

async function* chunks(stream: ArtifactStream): AsyncGenerator<Uint8Array> {
  if (typeof (stream as ReadableStream<Uint8Array>).getReader === 'function') {
    const reader = (stream as ReadableStream<Uint8Array>).getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        yield value;
      }
    } finally {
      reader.releaseLock();
    }
  } else {
    yield* stream as AsyncIterable<Uint8Array>;
  }
}

/**
 * Hashes a streamed artifact with every algorithm in `hashes`, reading each
 * chunk once and keeping none.
 * @throws SigvetError `INVALID_ARGUMENT` when a chunk is not a Uint8Array.
 */
export async function hashArtifactStream(
  provider: CryptoProvider,
  stream: ArtifactStream,
  hashes: readonly HashAlgorithm[],
): Promise<{ digests: Partial<Record<HashAlgorithm, Uint8Array>>; length: number }> {
  const hs = await Promise.all(hashes.map(async (h) => [h, await incremental(provider, h)] as const));
  let length = 0;
  try {
    for await (const chunk of chunks(stream)) {
      if (!(chunk instanceof Uint8Array)) {
        throw new SigvetError('INVALID_ARGUMENT', 'artifact stream chunks must be Uint8Array', { check: 'input.artifact' });
      }
      length += chunk.length;
      for (const [, h] of hs) h.update(chunk);
    }
  } catch (e) {
    if (e instanceof SigvetError) throw e;
    // The caller's stream failed (a missing file, a network error): typed, with the cause.
    throw new SigvetError('INVALID_ARGUMENT', `reading the artifact stream failed: ${e instanceof Error ? e.message : String(e)}`, {
      check: 'input.artifact',
      cause: e,
    });
  }
  const digests: Partial<Record<HashAlgorithm, Uint8Array>> = {};
  for (const [name, h] of hs) digests[name] = h.digest();
  return { digests, length };
}
