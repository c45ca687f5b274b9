/**
 * SLSA Provenance predicates, v1 and v0.2, as typed data. The types cover
 * the fields of the specifications; a validated predicate has exactly these
 * shapes (optional fields may be `null`: SLSA reads unset, null and empty
 * alike). Extension fields are still there at run time: read them from
 * `statement.predicate`.
 * @module
 */
import type { JsonObject, JsonValue } from '../encoding/json.js';
import type { DigestSet } from '../intoto/digest-set.js';
import type { ResourceDescriptor } from '../intoto/resource-descriptor.js';

/** The predicate of `https://slsa.dev/provenance/v1`. */
export interface SlsaProvenanceV1 {
  readonly buildDefinition: {
    /** TypeURI of the build's template, e.g. `https://actions.github.io/buildtypes/workflow/v1`. */
    readonly buildType: string;
    /** Inputs under external control: the ones a policy must check. */
    readonly externalParameters?: JsonObject | null;
    readonly internalParameters?: JsonObject | null;
    readonly resolvedDependencies?: readonly ResourceDescriptor[] | null;
  };
  readonly runDetails: {
    readonly builder: {
      /** TypeURI of the build platform: what the SLSA build level rests on. */
      readonly id: string;
      readonly version?: Readonly<Record<string, string>> | null;
      readonly builderDependencies?: readonly ResourceDescriptor[] | null;
    };
    readonly metadata?: {
      readonly invocationId?: string | null;
      /** RFC 3339. */
      readonly startedOn?: string | null;
      /** RFC 3339. */
      readonly finishedOn?: string | null;
    } | null;
    readonly byproducts?: readonly ResourceDescriptor[] | null;
  };
}

/** A material of SLSA Provenance v0.2. */
export interface SlsaMaterialV02 {
  readonly uri?: string;
  readonly digest?: DigestSet;
}

/** The predicate of `https://slsa.dev/provenance/v0.2`. */
export interface SlsaProvenanceV02 {
  readonly builder: { readonly id: string };
  readonly buildType: string;
  readonly invocation?: {
    readonly configSource?: { readonly uri?: string; readonly digest?: DigestSet; readonly entryPoint?: string } | null;
    readonly parameters?: JsonValue;
    readonly environment?: JsonValue;
  } | null;
  readonly buildConfig?: JsonValue;
  readonly metadata?: {
    readonly buildInvocationId?: string | null;
    readonly buildStartedOn?: string | null;
    readonly buildFinishedOn?: string | null;
    readonly completeness?: {
      readonly parameters?: boolean | null;
      readonly environment?: boolean | null;
      readonly materials?: boolean | null;
    } | null;
    readonly reproducible?: boolean | null;
  } | null;
  readonly materials?: readonly SlsaMaterialV02[] | null;
}
