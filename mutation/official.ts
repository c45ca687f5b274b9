/**
 * Runs a mutant through the official Sigstore JS verifier (@sigstore/verify,
 * a dev dependency) the way its `sigstore` wrapper does: trust material
 * from the trusted root, the bundle through bundleFromJSON, the artifact
 * bytes, and the identity policy (SAN + issuer extension) or a key finder
 * returning the caller's managed key; thresholds 1/1/1, as sigvet's defaults.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { Verifier as OfficialVerifier, toSignedEntity, toTrustMaterial, type TrustMaterial } from '@sigstore/verify';
import { bundleFromJSON } from '@sigstore/bundle';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import type { OfficialRunner } from './engine.js';

const trustCache = new Map<string, TrustMaterial>();

/** @sigstore/verify as an {@link OfficialRunner}. */
export const runOfficial: OfficialRunner = (c, bundleText, input) => {
  try {
    const cacheKey = `${c.trustedRootText}\n${input.keyPem ?? ''}`;
    let trust = trustCache.get(cacheKey);
    if (!trust) {
      const root = TrustedRoot.fromJSON(JSON.parse(c.trustedRootText));
      if (input.keyPem !== undefined) {
        const publicKey: KeyObject = createPublicKey(input.keyPem);
        trust = toTrustMaterial(root, () => ({ publicKey, validFor: () => true }));
      } else {
        trust = toTrustMaterial(root);
      }
      trustCache.set(cacheKey, trust);
    }
    const verifier = new OfficialVerifier(trust, { tlogThreshold: 1, ctlogThreshold: 1, timestampThreshold: 1 });
    const bundle = bundleFromJSON(JSON.parse(bundleText));
    const entity = toSignedEntity(bundle, Buffer.from(input.artifact));
    verifier.verify(
      entity,
      input.identity === undefined
        ? undefined
        : { subjectAlternativeName: input.identity.subjectAlternativeName, extensions: { issuer: input.identity.issuer } },
    );
    return { pass: true };
  } catch (e) {
    const err = e as { code?: unknown; name?: unknown; message?: unknown };
    const code = typeof err.code === 'string' ? err.code : typeof err.name === 'string' ? err.name : 'unknown';
    return { pass: false, code, message: typeof err.message === 'string' ? err.message : String(e) };
  }
};
