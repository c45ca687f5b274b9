/**
 * The caps on attacker-controlled input, in one place: what they are, their
 * defaults, the hard ceilings a caller cannot raise them past, and how a
 * caller's `limits` option is checked.
 *
 * Every cap hit is a `SigvetError` with code `LIMIT`, check `limit.<name>`
 * (the key of {@link VerifierLimits} to change) and expected/actual. A caller
 * may lower any cap; raising one above its ceiling is refused, because past
 * the ceiling the cap stops bounding anything real (a proof of more than 64
 * hashes cannot belong to a tree of at most 2^64 leaves) or a lower layer
 * enforces the ceiling anyway (64 KiB per certificate).
 * @module
 */
import { SigvetError } from '../errors.js';

const KiB = 1024;
const MiB = 1024 * 1024;

/**
 * Caps applied while verifying a bundle. Give some or all of them as
 * `createVerifierWith(provider, { trustedRoot, limits: { … } })`; the rest keep
 * {@link DEFAULT_VERIFIER_LIMITS}. Each is a positive safe integer at most its
 * ceiling ({@link VERIFIER_LIMIT_CEILINGS}).
 */
export interface VerifierLimits {
  /**
   * Bundle size: UTF-16 code units of JSON text, or bytes of UTF-8 input,
   * checked before any parsing. Default 16 MiB (DSSE bundles carrying SBOMs
   * run to a few MiB); ceiling 256 MiB (far past any real bundle, within
   * every engine's string limit).
   */
  readonly bundleBytes: number;
  /**
   * Nesting of JSON arrays and objects in the bundle and in the in-toto
   * statement, checked as the parser descends. Default 64 (bundles nest
   * about 8 deep); ceiling 512 (the parser recurses once per level).
   */
  readonly jsonDepth: number;
  /**
   * Length of one JSON string (UTF-16 code units, after unescaping), checked
   * as it is scanned. Default 16 MiB, the bundle size cap, so a several-MiB
   * DSSE payload passes; ceiling 256 MiB.
   */
  readonly jsonStringLength: number;
  /** Certificates in a bundle's `x509CertificateChain`. Default 10; ceiling 32 (no real chain is longer). */
  readonly chainCertificates: number;
  /**
   * Bytes of one certificate in the bundle, checked before it is parsed.
   * Default and ceiling 64 KiB (the X.509 parser's own cap; Fulcio
   * certificates are about 1 KiB).
   */
  readonly certificateBytes: number;
  /** SCTs embedded in the signing certificate. Default and ceiling 32 (Fulcio embeds one). */
  readonly scts: number;
  /** Transparency-log entries per bundle. Default 32; ceiling 256 (each costs signature checks). */
  readonly tlogEntries: number;
  /** RFC 3161 timestamps per bundle. Default 32; ceiling 256 (each costs signature checks). */
  readonly timestamps: number;
  /**
   * Hashes in one inclusion proof. Default and ceiling 64: a tree of at most
   * 2^64 leaves has no longer proof.
   */
  readonly proofHashes: number;
  /**
   * UTF-8 bytes of one checkpoint (signed note). Default and ceiling 256 KiB
   * (the checkpoint parser's own cap; real ones are under 1 KiB).
   */
  readonly checkpointBytes: number;
  /**
   * Lines of a checkpoint's text before its signatures (origin, size, root
   * hash, extension lines), counted before splitting. Default 32 (real ones
   * have 3 or 4); ceiling 1,024.
   */
  readonly checkpointBodyLines: number;
  /**
   * Signature lines of one checkpoint, counted before splitting. Default and
   * ceiling 100 (the checkpoint parser's own cap; logs sign with one key,
   * witnesses add a few).
   */
  readonly checkpointSignatures: number;
  /** Subjects of an in-toto statement. Default and ceiling 1,024 (sigstore-go's cap). */
  readonly subjects: number;
  /** Digest algorithms on one subject. Default and ceiling 32 (the DigestSet reader's own cap). */
  readonly digestsPerSubject: number;
  /**
   * Size of an in-toto predicate, as compact JSON (a lower bound of its UTF-8
   * bytes: strings and keys by UTF-16 code units, a number as one byte).
   * Default 16 MiB, the bundle size cap; ceiling 256 MiB.
   */
  readonly predicateBytes: number;
  /**
   * Length of an expected-identity `{ regex }` (the caller's own pattern,
   * compiled by the engine's backtracking RegExp). Default and ceiling 1,024.
   */
  readonly patternLength: number;
}

/** The name of one cap: a key of {@link VerifierLimits}. */
export type VerifierLimitName = keyof VerifierLimits;

/** The caps in force when a caller gives none. */
export const DEFAULT_VERIFIER_LIMITS: VerifierLimits = Object.freeze({
  bundleBytes: 16 * MiB,
  jsonDepth: 64,
  jsonStringLength: 16 * MiB,
  chainCertificates: 10,
  certificateBytes: 64 * KiB,
  scts: 32,
  tlogEntries: 32,
  timestamps: 32,
  proofHashes: 64,
  checkpointBytes: 256 * KiB,
  checkpointBodyLines: 32,
  checkpointSignatures: 100,
  subjects: 1024,
  digestsPerSubject: 32,
  predicateBytes: 16 * MiB,
  patternLength: 1024,
});

/** The highest value each cap may be given; see {@link VerifierLimits} for why. */
export const VERIFIER_LIMIT_CEILINGS: VerifierLimits = Object.freeze({
  bundleBytes: 256 * MiB,
  jsonDepth: 512,
  jsonStringLength: 256 * MiB,
  chainCertificates: 32,
  certificateBytes: 64 * KiB,
  scts: 32,
  tlogEntries: 256,
  timestamps: 256,
  proofHashes: 64,
  checkpointBytes: 256 * KiB,
  checkpointBodyLines: 1024,
  checkpointSignatures: 100,
  subjects: 1024,
  digestsPerSubject: 32,
  predicateBytes: 256 * MiB,
  patternLength: 1024,
});

const LIMIT_NAMES = Object.keys(DEFAULT_VERIFIER_LIMITS) as readonly VerifierLimitName[];

/** Objects this module built and froze: resolving them again is free. */
const resolved = new WeakSet<object>([DEFAULT_VERIFIER_LIMITS]);

/**
 * The effective caps for a caller's `limits` option: the defaults overlaid
 * with what is given. Resolving an already resolved object returns it.
 * @throws SigvetError `INVALID_ARGUMENT`: check `input.unknown_option` for a
 *   key that is no cap, `options.limits` for a value that is not a positive
 *   safe integer at most its ceiling (or a `limits` that is not an object).
 */
export function resolveVerifierLimits(limits: Partial<VerifierLimits> | undefined): VerifierLimits {
  if (limits === undefined) return DEFAULT_VERIFIER_LIMITS;
  if (limits === null || typeof limits !== 'object' || Array.isArray(limits)) {
    throw new SigvetError('INVALID_ARGUMENT', 'limits must be an object of caps', { check: 'options.limits' });
  }
  if (resolved.has(limits)) return limits as VerifierLimits;
  for (const k of Object.keys(limits)) {
    if (!(LIMIT_NAMES as readonly string[]).includes(k)) {
      // A misspelt cap must not silently leave the default in force.
      throw new SigvetError('INVALID_ARGUMENT', `limits: unknown cap ${JSON.stringify(k)} (known: ${LIMIT_NAMES.join(', ')})`, {
        check: 'input.unknown_option',
      });
    }
  }
  const out: { -readonly [K in VerifierLimitName]: number } = { ...DEFAULT_VERIFIER_LIMITS };
  for (const k of LIMIT_NAMES) {
    const v: unknown = limits[k];
    if (v === undefined) continue;
    const ceiling = VERIFIER_LIMIT_CEILINGS[k];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1 || v > ceiling) {
      throw new SigvetError('INVALID_ARGUMENT', `limits.${k} must be an integer from 1 to ${ceiling}`, {
        check: 'options.limits',
        expected: `1..${ceiling}`,
        actual: typeof v === 'number' ? String(v) : typeof v,
      });
    }
    out[k] = v;
  }
  Object.freeze(out);
  resolved.add(out);
  return out;
}

/** The `check` of a hit on cap `name`: `limit.<name>`. */
export function limitCheck(name: VerifierLimitName): string {
  return `limit.${name}`;
}

/**
 * Throws the error for input past cap `name`.
 * @param what where, e.g. `bundle $.verificationMaterial.tlogEntries`.
 * @param actual what was found (a count or size, or a lower bound such as `>= 65`).
 * @throws SigvetError `LIMIT`, check `limit.<name>`, always.
 */
export function limitExceeded(name: VerifierLimitName, limit: number, actual: number | string, what: string): never {
  throw new SigvetError('LIMIT', `${what}: ${actual} exceeds the limit of ${limit} (limits.${name})`, {
    check: limitCheck(name),
    expected: `<= ${limit}`,
    actual: String(actual),
  });
}
