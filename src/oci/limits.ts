/**
 * Hard limits on what the OCI layer fetches and verifies. A hostile
 * registry chooses sizes and counts (CVE-2023-46737: unbounded signature
 * lists); every read and loop below is bounded by one of these.
 * @module
 */
import { invalidArgument, isRecord } from '../arguments.js';
import { SigvetError } from '../errors.js';

/** Limits applied by registry clients, image layouts and discovery. */
export interface OciLimits {
  /** Largest manifest or index accepted, in bytes (the distribution registry's own cap is 4 MiB). */
  readonly maxManifestBytes: number;
  /** Largest blob read (signature payloads, DSSE envelopes, bundles, configs), in bytes. */
  readonly maxBlobBytes: number;
  /** Most descriptors in one index, referrers list or manifest's layers. */
  readonly maxDescriptors: number;
  /** Most signature (or attestation) candidates verified for one image. */
  readonly maxCandidates: number;
  /** Most pages of a paginated referrers response followed. */
  readonly maxReferrerPages: number;
  /** Largest token-service response, in bytes. */
  readonly maxTokenBytes: number;
}

/** The default limits. */
export const DEFAULT_OCI_LIMITS: OciLimits = Object.freeze({
  maxManifestBytes: 4 * 1024 * 1024,
  maxBlobBytes: 16 * 1024 * 1024,
  maxDescriptors: 1024,
  maxCandidates: 64,
  maxReferrerPages: 8,
  maxTokenBytes: 64 * 1024,
});

const isLimit = (v: unknown): boolean => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;

/**
 * Fills in defaults and checks that every given limit is a positive safe integer.
 * @param fn the public function whose options these are, for messages.
 * @throws SigvetError `INVALID_ARGUMENT` (check `options.limits`).
 */
export function resolveLimits(partial: Partial<OciLimits> | undefined, fn = 'resolveLimits'): OciLimits {
  if (partial !== undefined && !isRecord(partial)) invalidArgument(fn, 'options.limits', 'an object of limits', partial, 'options.limits');
  const out: Record<string, number> = { ...DEFAULT_OCI_LIMITS };
  for (const [k, v] of Object.entries(partial ?? {})) {
    if (!(k in DEFAULT_OCI_LIMITS)) continue;
    if (!isLimit(v)) {
      throw new SigvetError('INVALID_ARGUMENT', `limit ${k} must be a positive integer`, { check: 'options.limits' });
    }
    out[k] = v;
  }
  return out as unknown as OciLimits;
}

/**
 * Requires complete limits (as {@link resolveLimits} returns): a missing
 * cap would silently lift a bound, so partial limits are refused here.
 * @throws SigvetError `INVALID_ARGUMENT` (check `check`, default `argument.<fn>`).
 * @internal
 */
export function requireLimits(limits: unknown, fn: string, arg = 'limits', check?: string): asserts limits is OciLimits {
  if (!isRecord(limits)) invalidArgument(fn, arg, 'complete OciLimits', limits, check);
  for (const k of Object.keys(DEFAULT_OCI_LIMITS)) {
    if (!isLimit(limits[k])) invalidArgument(fn, `${arg}.${k}`, 'a positive integer', limits[k], check);
  }
}
