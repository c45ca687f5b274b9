/**
 * SLSA Verification Summary Attestation (VSA) v1: a verifier's signed
 * decision that an artifact met a policy at some SLSA levels.
 * @module
 */
import { requireArray } from '../arguments.js';
import type { ResourceDescriptor } from '../intoto/resource-descriptor.js';

/** The predicate of `https://slsa.dev/verification_summary/v1`. */
export interface SlsaVerificationSummaryV1 {
  readonly verifier: { readonly id: string; readonly version?: Readonly<Record<string, string>> };
  /** RFC 3339. */
  readonly timeVerified: string;
  readonly resourceUri: string;
  readonly policy: ResourceDescriptor & { readonly uri: string };
  readonly inputAttestations?: readonly ResourceDescriptor[];
  readonly verificationResult: 'PASSED' | 'FAILED';
  /** e.g. `SLSA_BUILD_LEVEL_3`; at most one level per track. */
  readonly verifiedLevels: readonly string[];
  /** SlsaResult → number of transitive dependencies verified at that level. */
  readonly dependencyLevels?: Readonly<Record<string, number>>;
  readonly slsaVersion?: string;
}

/** The fields a policy reads from a VSA, with the levels decoded. */
export interface VerificationSummaryView {
  readonly verifierId: string;
  readonly timeVerified: string;
  readonly resourceUri: string;
  readonly result: 'PASSED' | 'FAILED';
  readonly verifiedLevels: readonly string[];
  /** Track name (`BUILD`, `SOURCE`, …) → the level verified, from `SLSA_<TRACK>_LEVEL_<n>` entries. */
  readonly slsaLevels: Readonly<Record<string, number>>;
  readonly dependencyLevels: Readonly<Record<string, number>>;
  readonly policy: ResourceDescriptor;
  readonly inputAttestations: readonly ResourceDescriptor[];
  readonly slsaVersion: string | undefined;
}

const SLSA_LEVEL = /^SLSA_([A-Z]+)_LEVEL_([0-9])$/;

/**
 * The SLSA track levels in `verifiedLevels`: `{ BUILD: 3 }` for
 * `SLSA_BUILD_LEVEL_3`. More than one level for a track is an error the
 * caller sees as a conflict (the specification forbids it).
 * @returns the levels, or the name of the track listed twice.
 * @throws SigvetError `INVALID_ARGUMENT` (check `argument.slsaTrackLevels`) when `verifiedLevels` is not an array.
 */
export function slsaTrackLevels(verifiedLevels: readonly string[]): { levels: Record<string, number> } | { conflict: string } {
  requireArray(verifiedLevels, 'slsaTrackLevels', 'verifiedLevels');
  const levels: Record<string, number> = Object.create(null);
  for (const entry of verifiedLevels) {
    const m = SLSA_LEVEL.exec(entry);
    if (!m) continue;
    const track = m[1]!;
    if (Object.prototype.hasOwnProperty.call(levels, track)) return { conflict: track };
    levels[track] = Number(m[2]);
  }
  return { levels };
}

/** The policy-facing view of a validated VSA predicate. */
export function verificationSummaryView(p: SlsaVerificationSummaryV1): VerificationSummaryView {
  const t = slsaTrackLevels(p.verifiedLevels);
  return {
    verifierId: p.verifier.id,
    timeVerified: p.timeVerified,
    resourceUri: p.resourceUri,
    result: p.verificationResult,
    verifiedLevels: p.verifiedLevels,
    // A conflict was rejected when the attestation was parsed; be safe anyway.
    slsaLevels: 'levels' in t ? t.levels : {},
    dependencyLevels: p.dependencyLevels ?? {},
    policy: p.policy,
    inputAttestations: p.inputAttestations ?? [],
    slsaVersion: p.slsaVersion,
  };
}
