/**
 * A one-shot SHA-256 (FIPS 180-4) in plain JavaScript, for the synchronous
 * hashes a verification needs where the runtime has no native synchronous
 * one (WebCrypto only hashes asynchronously): Rekor leaf hashes and the
 * dozens of 65-byte Merkle nodes of each inclusion proof.
 *
 * One function over module-level scratch arrays, with no object per call
 * besides the digest: in Chromium it runs 2–3× faster than the general
 * incremental `@noble/hashes` hasher on these inputs. Synchronous and never
 * re-entered, so the shared scratch space is safe.
 * @module
 */
import type { CryptoProvider } from './provider.js';

/**
 * The FIPS 180-4 §4.2.2/§5.3.3 constants, derived as the standard defines
 * them rather than written out (the literals would add ~0.4 kB gzipped to
 * the core's initial chunk, which has a 35 kB budget): the first 32 bits of
 * the fractional part of the `e`-th root of each of the first `count`
 * primes, i.e. the low 32 bits of ⌊p^(1/e) · 2^32⌋ = ⌊(p · 2^(32e))^(1/e)⌋,
 * in exact BigInt arithmetic (so every engine gets the same bits).
 */
function rootConstants(count: number, e: bigint): Int32Array {
  const out = new Int32Array(count);
  for (let p = 2, i = 0; i < count; p++) {
    let prime = true;
    for (let d = 2; d * d <= p; d++) if (p % d === 0) prime = false;
    if (!prime) continue;
    const n = BigInt(p) << (32n * e);
    // Newton's method from above converges to ⌊n^(1/e)⌋ (at most ~40 steps for these sizes).
    let x = 1n << 40n;
    for (;;) {
      const y = ((e - 1n) * x + n / x ** (e - 1n)) / e;
      if (y >= x) break;
      x = y;
    }
    out[i++] = Number(x & 0xffffffffn) | 0;
  }
  return out;
}

/** Round constants K (cube roots of the first 64 primes) and the initial hash value (square roots of the first 8), made on first use. */
let K: Int32Array | undefined;
let IV: Int32Array | undefined;

/** Message schedule, hash state and the padded final block(s): scratch, reused by every call. */
const W = new Int32Array(64);
const H = new Int32Array(8);
const TAIL = new Uint8Array(128);

/** Runs the compression function (round constants `k`) over the 64-byte blocks of `d` in [off, end). */
function compress(d: Uint8Array, off: number, end: number, k: Int32Array): void {
  let h0 = H[0]!;
  let h1 = H[1]!;
  let h2 = H[2]!;
  let h3 = H[3]!;
  let h4 = H[4]!;
  let h5 = H[5]!;
  let h6 = H[6]!;
  let h7 = H[7]!;
  for (; off < end; off += 64) {
    for (let i = 0, j = off; i < 16; i++, j += 4) W[i] = (d[j]! << 24) | (d[j + 1]! << 16) | (d[j + 2]! << 8) | d[j + 3]!;
    for (let i = 16; i < 64; i++) {
      const x = W[i - 15]!;
      const y = W[i - 2]!;
      const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
      const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
      W[i] = (W[i - 16]! + s0 + W[i - 7]! + s1) | 0;
    }
    let a = h0;
    let b = h1;
    let c = h2;
    let dd = h3;
    let e = h4;
    let f = h5;
    let g = h6;
    let h = h7;
    for (let i = 0; i < 64; i++) {
      const s1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const t1 = (h + s1 + ((e & f) ^ (~e & g)) + k[i]! + W[i]!) | 0;
      const s0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const t2 = (s0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      h = g;
      g = f;
      f = e;
      e = (dd + t1) | 0;
      dd = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    h0 = (h0 + a) | 0;
    h1 = (h1 + b) | 0;
    h2 = (h2 + c) | 0;
    h3 = (h3 + dd) | 0;
    h4 = (h4 + e) | 0;
    h5 = (h5 + f) | 0;
    h6 = (h6 + g) | 0;
    h7 = (h7 + h) | 0;
  }
  H[0] = h0;
  H[1] = h1;
  H[2] = h2;
  H[3] = h3;
  H[4] = h4;
  H[5] = h5;
  H[6] = h6;
  H[7] = h7;
}

/**
 * SHA-256 of `data`, synchronously.
 * @example oneShotSha256(new Uint8Array(0)) // e3b0c442…b855
 */
export function oneShotSha256(data: Uint8Array): Uint8Array {
  const k = (K ??= rootConstants(64, 3n));
  H.set((IV ??= rootConstants(8, 2n)));
  const n = data.length;
  const whole = n - (n % 64);
  compress(data, 0, whole, k);
  // Padding (FIPS 180-4 §5.1.1): 0x80, zeros, then the bit length as a
  // 64-bit big-endian integer, in one block or two.
  const rest = n - whole;
  TAIL.fill(0);
  TAIL.set(data.subarray(whole), 0);
  TAIL[rest] = 0x80;
  const tailLength = rest < 56 ? 64 : 128;
  // n < 2^53, so n·8 is exact; split into high and low 32-bit words.
  const high = Math.floor(n / 0x20000000);
  const low = (n * 8) >>> 0;
  TAIL[tailLength - 8] = high >>> 24;
  TAIL[tailLength - 7] = high >>> 16;
  TAIL[tailLength - 6] = high >>> 8;
  TAIL[tailLength - 5] = high;
  TAIL[tailLength - 4] = low >>> 24;
  TAIL[tailLength - 3] = low >>> 16;
  TAIL[tailLength - 2] = low >>> 8;
  TAIL[tailLength - 1] = low;
  compress(TAIL, 0, tailLength, k);
  const out = new Uint8Array(32);
  for (let i = 0, j = 0; i < 8; i++, j += 4) {
    const v = H[i]!;
    out[j] = v >>> 24;
    out[j + 1] = v >>> 16;
    out[j + 2] = v >>> 8;
    out[j + 3] = v;
  }
  return out;
}

/**
 * The synchronous SHA-256 to use with `provider`: its own (native on Node)
 * where it has one, else {@link oneShotSha256}. One choice for every caller.
 */
export function sha256For(provider: CryptoProvider): (data: Uint8Array) => Uint8Array {
  return provider.sha256Sync ? (data) => provider.sha256Sync!(data) : oneShotSha256;
}
