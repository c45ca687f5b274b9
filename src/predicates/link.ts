/**
 * in-toto link predicates: one step of a supply chain (its command,
 * materials and byproducts), in the v0.3 attestation form and the legacy
 * `Link/v1` form.
 * @module
 */
import type { JsonObject } from '../encoding/json.js';
import type { DigestSet } from '../intoto/digest-set.js';
import type { ResourceDescriptor } from '../intoto/resource-descriptor.js';

/** The predicate of `https://in-toto.io/attestation/link/v0.3`. */
export interface LinkV03 {
  /** The step's name. */
  readonly name: string;
  readonly command?: readonly string[];
  /** Inputs of the step; each has a name and a digest. */
  readonly materials?: readonly (ResourceDescriptor & { readonly name: string; readonly digest: DigestSet })[];
  readonly byproducts?: JsonObject;
  readonly environment?: JsonObject;
}

/** The predicate of `https://in-toto.io/Link/v1` (deprecated): materials and products map names to digests. */
export interface LinkLegacy {
  readonly _type?: string;
  readonly name: string;
  readonly command?: readonly string[] | null;
  readonly materials?: Readonly<Record<string, DigestSet>> | null;
  readonly products?: Readonly<Record<string, DigestSet>> | null;
  readonly byproducts?: JsonObject | null;
  readonly environment?: JsonObject | null;
}
