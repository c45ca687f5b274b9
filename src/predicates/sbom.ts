/**
 * SBOM predicates: SPDX 2.x, SPDX 3 and CycloneDX documents. sigvet checks
 * and types only their identifying fields (the documents have their own,
 * large schemas); the whole document stays available as JSON in
 * `statement.predicate`.
 * @module
 */
import type { JsonObject, JsonValue } from '../encoding/json.js';

/** An SPDX 2.x document (basic fields). */
export interface SpdxDocument2 {
  /** e.g. `SPDX-2.3`. */
  readonly spdxVersion: string;
  readonly SPDXID: string;
  readonly name?: string;
  readonly dataLicense?: string;
  readonly documentNamespace?: string;
  readonly creationInfo?: { readonly created?: string; readonly creators?: readonly string[] };
  readonly packages?: readonly JsonObject[];
  readonly files?: readonly JsonObject[];
  readonly relationships?: readonly JsonObject[];
}

/** An SPDX 3 JSON-LD document (envelope only). */
export interface SpdxDocument3 {
  readonly '@context': string | JsonObject | readonly JsonValue[];
  readonly '@graph': readonly JsonObject[];
}

/** A CycloneDX BOM (basic fields). */
export interface CycloneDxBom {
  readonly bomFormat: 'CycloneDX';
  /** e.g. `1.5`. */
  readonly specVersion: string;
  readonly serialNumber?: string;
  readonly version?: number;
  readonly metadata?: { readonly timestamp?: string; readonly component?: JsonObject };
  readonly components?: readonly JsonObject[];
  readonly vulnerabilities?: readonly JsonObject[];
}

/** What an SBOM predicate describes, in the same words for every format. */
export interface SbomView {
  readonly format: 'spdx' | 'cyclonedx';
  /** `SPDX-2.3`, `3` (SPDX 3), `1.5` (CycloneDX). */
  readonly specVersion: string;
  /** Document name (SPDX) or main component name (CycloneDX). */
  readonly name: string | undefined;
  /** SPDX documentNamespace or CycloneDX serialNumber. */
  readonly id: string | undefined;
  /** Creation time as written. */
  readonly created: string | undefined;
  /** Packages (SPDX 2), elements (SPDX 3) or components (CycloneDX). */
  readonly componentCount: number;
}

function str(v: JsonValue | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** The view of a validated SPDX 2.x document. */
export function sbomViewSpdx2(d: SpdxDocument2): SbomView {
  return {
    format: 'spdx',
    specVersion: d.spdxVersion,
    name: d.name,
    id: d.documentNamespace,
    created: d.creationInfo?.created,
    componentCount: d.packages?.length ?? 0,
  };
}

/** The view of a validated SPDX 3 document: elements of the graph; name and time from its SpdxDocument / CreationInfo. */
export function sbomViewSpdx3(d: SpdxDocument3): SbomView {
  const doc = d['@graph'].find((e) => e.type === 'SpdxDocument');
  const info = d['@graph'].find((e) => e.type === 'CreationInfo');
  return {
    format: 'spdx',
    specVersion: '3',
    name: str(doc?.name),
    id: str(doc?.spdxId),
    created: str(info?.created),
    componentCount: d['@graph'].length,
  };
}

/** The view of a validated CycloneDX BOM. */
export function sbomViewCycloneDx(b: CycloneDxBom): SbomView {
  return {
    format: 'cyclonedx',
    specVersion: b.specVersion,
    name: str(b.metadata?.component?.name),
    id: b.serialNumber,
    created: b.metadata?.timestamp,
    componentCount: b.components?.length ?? 0,
  };
}
