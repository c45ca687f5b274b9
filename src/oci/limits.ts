/**
 * Hard limits on what the OCI layer fetches and verifies. A hostile
 * registry chooses sizes and counts (CVE-2023-46737: unbounded signature
 * lists); every read and loop below is bounded by one of these.
 * @module
 */
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

/** Fills in defaults and checks that every given limit is a positive safe integer. */
export function resolveLimits(partial: Partial<OciLimits> | undefined): OciLimits {
  const out: Record<string, number> = { ...DEFAULT_OCI_LIMITS };
  for (const [k, v] of Object.entries(partial ?? {})) {
    if (!(k in DEFAULT_OCI_LIMITS)) continue;
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v <= 0) {
      throw new SigvetError('INVALID_ARGUMENT', `limit ${k} must be a positive integer`, { check: 'options.limits' });
    }
    out[k] = v;
  }
  return out as unknown as OciLimits;
}

