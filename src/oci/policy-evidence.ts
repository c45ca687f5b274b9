/**
 * An image verification as evidence for the policy engine (`sigvet/policy`
 * `evaluate`): the artifact is the verified image digest, the reference is
 * the one the caller gave (so a policy's `requireDigest` still sees a
 * tag-only reference as such: hazard 19), and each verified signature or
 * attestation is one result.
 *
 * Signatures are presented as message signatures over the image digest:
 * for cosign's simple-signing payload and for a statement of cosign's
 * signing predicate type, what was verified is a signature over a payload
 * that names exactly this digest (`cosign.payload.digest`, or the
 * statement's subject), which is what a policy's `signedBy` asks. The
 * checks list of the presented result says so. Failed evidence is left out.
 * @module
 */
import type { PolicyEvidence, EvidenceEntry } from '../policy/evidence.js';
import type { VerificationResult } from '../verify/result.js';
import { requireArray, requireObject, requireOptionalString } from '../arguments.js';
import { parseDigest } from './digest.js';
import type { ImageEvidence, ImageVerification } from './verify-image.js';

/** Options of {@link imagePolicyEvidence}. */
export interface ImagePolicyEvidenceOptions {
  /** The id (`keyIdFromPem`) of the managed key the image was verified with, for key authorities. */
  readonly keyId?: string;
}

function asImageSignature(e: ImageEvidence, digestHex: string): VerificationResult {
  const r = e.result!;
  return {
    ...r,
    content: { type: 'messageSignature', artifactDigest: { algorithm: 'sha256', hex: digestHex } },
    checks: [...r.checks, { name: 'image.signature', detail: `signature bound to the image sha256:${digestHex} (${e.format})` }],
  };
}

/**
 * Builds policy evidence from a report (verified or not: the policy decides).
 * Only sha256 image digests are presented (the engine's artifact digests).
 * @throws SigvetError `INVALID_ARGUMENT` (check `argument.imagePolicyEvidence`) when `report`
 *   is not an image verification report or `options` is malformed; `PARSE` for a malformed image digest.
 */
export function imagePolicyEvidence(report: ImageVerification, options: ImagePolicyEvidenceOptions = {}): PolicyEvidence {
  const fn = 'imagePolicyEvidence';
  requireObject(report, fn, 'report');
  requireObject(report.image, fn, 'report.image');
  requireObject(report.reference, fn, 'report.reference');
  requireArray(report.signatures, fn, 'report.signatures');
  requireArray(report.attestations, fn, 'report.attestations');
  requireObject(options, fn, 'options');
  requireOptionalString(options.keyId, fn, 'options.keyId');
  const d = parseDigest(report.image.digest, 'image digest');
  const entry = (result: VerificationResult): VerificationResult | EvidenceEntry =>
    options.keyId !== undefined && result.signer.type === 'publicKey' ? { result, keyId: options.keyId } : result;
  const results: (VerificationResult | EvidenceEntry)[] = [];
  for (const s of report.signatures) if (s.verified && s.result) results.push(entry(asImageSignature(s, d.hex)));
  for (const a of report.attestations) if (a.verified && a.result) results.push(entry(a.result));
  return {
    artifacts: d.algorithm === 'sha256' ? [{ name: report.reference.name, digest: { sha256: d.hex } }] : [],
    reference: report.reference.canonical,
    results,
  };
}
