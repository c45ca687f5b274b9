/**
 * Errors of the OCI layer, all {@link SigvetError}s with codes from the core
 * union, so that image verification and bundle verification branch alike.
 *
 * Mapping:
 * - content whose bytes do not match their digest → `SIGNATURE` (the
 *   artifact differs from what was signed), check `oci.digest`;
 * - malformed manifests, indexes and annotations → `PARSE`, check `oci.*`;
 * - transport, HTTP status and authentication failures, and content that is
 *   not there → {@link REGISTRY_ERROR_CODE}, check `oci.registry.*`;
 * - no signature or attestation that verifies → `THRESHOLD` (fewer than
 *   one), with each candidate's failure in `errors`.
 * @module
 */
import { SigvetError, type ErrorCode, type SigvetErrorDetails } from '../errors.js';

/**
 * The code of registry and image-layout access failures (unreachable,
 * refused, not found, unauthorized). One constant, so that a dedicated
 * code can replace it without touching every call site.
 */
export const REGISTRY_ERROR_CODE: ErrorCode = 'REGISTRY';

/** Throws an access failure (`oci.registry.<what>`). */
export function registryFail(what: string, message: string, details: Omit<SigvetErrorDetails, 'check'> = {}): never {
  throw new SigvetError(REGISTRY_ERROR_CODE, message, { ...details, check: `oci.registry.${what}` });
}

/** Throws a malformed-document failure (`oci.<what>`). */
export function ociParseFail(what: string, message: string, details: Omit<SigvetErrorDetails, 'check'> = {}): never {
  throw new SigvetError('PARSE', message, { ...details, check: `oci.${what}` });
}

/** Throws a size or count limit failure (`oci.limit.<what>`). */
export function ociLimitFail(what: string, message: string): never {
  throw new SigvetError('LIMIT', message, { check: `oci.limit.${what}` });
}

/** Wraps anything thrown by foreign code (fetch, a file reader) as a registry failure. */
export function asRegistryError(e: unknown, what: string, message: string): SigvetError {
  if (e instanceof SigvetError) return e;
  const why = e instanceof Error ? e.message : String(e);
  return new SigvetError(REGISTRY_ERROR_CODE, `${message}: ${why}`, { check: `oci.registry.${what}`, cause: e });
}
