/**
 * OCI (and Docker v2) manifests, indexes and descriptors, read from the
 * exact bytes a digest was checked against.
 *
 * Strict where a different reading could change what is verified: JSON
 * duplicate keys are rejected, a document must be unambiguously a manifest
 * or an index (never both), its `mediaType` must agree with the one the
 * registry declared, and `schemaVersion` must be 2. Unknown fields are
 * ignored, as the image spec requires.
 * @module
 */
import { requireBytes, requireOptionalString, requireString } from '../arguments.js';
import { parseJson, type JsonObject, type JsonValue } from '../encoding/json.js';
import { utf8DecodeStrict } from '../encoding/bytes.js';
import { SigvetError } from '../errors.js';
import { MediaType } from './media-types.js';
import { ociLimitFail, ociParseFail } from './errors.js';
import { requireLimits, type OciLimits } from './limits.js';

/** The platform a manifest in an index is for. */
export interface Platform {
  readonly os: string;
  readonly architecture: string;
  readonly variant: string | undefined;
  readonly osVersion: string | undefined;
}

/** A content descriptor. */
export interface Descriptor {
  readonly mediaType: string;
  /** The digest as written (grammar-checked; fetching checks the algorithm). */
  readonly digest: string;
  readonly size: number;
  readonly annotations: Readonly<Record<string, string>>;
  readonly artifactType: string | undefined;
  readonly platform: Platform | undefined;
}

/** An image manifest (OCI or Docker schema 2). */
export interface ImageManifest {
  readonly kind: 'manifest';
  readonly mediaType: string;
  readonly artifactType: string | undefined;
  readonly config: Descriptor;
  readonly layers: readonly Descriptor[];
  readonly subject: Descriptor | undefined;
  readonly annotations: Readonly<Record<string, string>>;
}

/** An image index (OCI) or manifest list (Docker). */
export interface ImageIndex {
  readonly kind: 'index';
  readonly mediaType: string;
  readonly artifactType: string | undefined;
  readonly manifests: readonly Descriptor[];
  readonly subject: Descriptor | undefined;
  readonly annotations: Readonly<Record<string, string>>;
}

/** Either kind of manifest document. */
export type ManifestDocument = ImageManifest | ImageIndex;

const INDEX_TYPES: readonly string[] = [MediaType.ociIndex, MediaType.dockerManifestList];
const MANIFEST_TYPES: readonly string[] = [MediaType.ociManifest, MediaType.dockerManifest];
const ANY_DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;
const MEDIA_TYPE = /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}(?:;[ -~]{0,256})?$/;

function obj(v: JsonValue | undefined, path: string, what: string): JsonObject {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) ociParseFail('manifest', `${what}: ${path}: expected an object`);
  return v as JsonObject;
}

function optString(o: JsonObject, k: string, path: string, what: string): string | undefined {
  const v = o[k];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') ociParseFail('manifest', `${what}: ${path}.${k}: expected a string`);
  return v;
}

function mediaTypeOf(o: JsonObject, path: string, what: string, required: boolean): string | undefined {
  const m = optString(o, 'mediaType', path, what);
  if (m === undefined) {
    if (required) ociParseFail('manifest', `${what}: ${path}.mediaType is required`);
    return undefined;
  }
  if (!MEDIA_TYPE.test(m)) ociParseFail('manifest', `${what}: ${path}.mediaType is not a media type`);
  return m;
}

function annotations(v: JsonValue | undefined, path: string, what: string): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  if (v === undefined || v === null) return out;
  const o = obj(v, path, what);
  for (const [k, val] of Object.entries(o)) {
    if (typeof val !== 'string') ociParseFail('manifest', `${what}: ${path}[${JSON.stringify(k)}]: annotation values are strings`);
    out[k] = val;
  }
  return out;
}

function platform(v: JsonValue | undefined, path: string, what: string): Platform | undefined {
  if (v === undefined) return undefined;
  const o = obj(v, path, what);
  const os = optString(o, 'os', path, what);
  const architecture = optString(o, 'architecture', path, what);
  if (!os || !architecture) ociParseFail('manifest', `${what}: ${path}: a platform needs os and architecture`);
  return { os, architecture, variant: optString(o, 'variant', path, what), osVersion: optString(o, 'os.version', path, what) };
}

/** Reads one descriptor. */
export function parseDescriptor(v: JsonValue | undefined, path: string, what: string): Descriptor {
  const o = obj(v, path, what);
  const mediaType = mediaTypeOf(o, path, what, true)!;
  const digest = o.digest;
  if (typeof digest !== 'string' || !ANY_DIGEST.test(digest)) ociParseFail('manifest', `${what}: ${path}.digest is not a digest`);
  const size = o.size;
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
    ociParseFail('manifest', `${what}: ${path}.size must be a non-negative integer`);
  }
  return {
    mediaType,
    digest,
    size,
    annotations: annotations(o.annotations, `${path}.annotations`, what),
    artifactType: optString(o, 'artifactType', path, what),
    platform: platform(o.platform, `${path}.platform`, what),
  };
}

function descriptors(v: JsonValue | undefined, path: string, what: string, limits: OciLimits): Descriptor[] {
  if (!Array.isArray(v)) ociParseFail('manifest', `${what}: ${path} must be an array`);
  if (v.length > limits.maxDescriptors) ociLimitFail('descriptors', `${what}: ${path} lists ${v.length} descriptors (limit ${limits.maxDescriptors})`);
  return v.map((d, i) => parseDescriptor(d, `${path}[${i}]`, what));
}

/**
 * Parses a manifest or index from its verified bytes.
 * @param declared the media type the registry or layout declared for these
 *   bytes (Content-Type, descriptor), when known; it must agree with the document.
 * @throws SigvetError `PARSE` (check `oci.manifest`), `UNSUPPORTED` (schema 1, unknown media type), `LIMIT`;
 *   `INVALID_ARGUMENT` (check `argument.parseManifestDocument`) for arguments of the wrong type or incomplete limits.
 */
export function parseManifestDocument(bytes: Uint8Array, declared: string | undefined, what: string, limits: OciLimits): ManifestDocument {
  requireBytes(bytes, 'parseManifestDocument', 'bytes');
  requireOptionalString(declared, 'parseManifestDocument', 'declared');
  requireString(what, 'parseManifestDocument', 'what');
  requireLimits(limits, 'parseManifestDocument');
  if (bytes.length > limits.maxManifestBytes) ociLimitFail('manifest', `${what}: ${bytes.length} bytes exceeds ${limits.maxManifestBytes}`);
  let doc: JsonValue;
  try {
    doc = parseJson(utf8DecodeStrict(bytes), what);
  } catch (e) {
    if (e instanceof SigvetError && e.code !== 'PARSE') throw e;
    return ociParseFail('manifest', `${what}: not valid JSON: ${(e as Error).message}`, { cause: e });
  }
  const o = obj(doc, '$', what);
  if (o.schemaVersion !== 2) {
    throw new SigvetError('UNSUPPORTED', `${what}: schemaVersion ${JSON.stringify(o.schemaVersion ?? null)} is not supported (only 2)`, {
      check: 'oci.manifest.schema',
    });
  }
  const inDoc = mediaTypeOf(o, '$', what, false);
  const declaredType = declared === undefined ? undefined : declared.split(';')[0]!.trim().toLowerCase();
  const known = (t: string | undefined): t is string => t !== undefined && (INDEX_TYPES.includes(t) || MANIFEST_TYPES.includes(t));
  if (inDoc !== undefined && known(declaredType) && declaredType !== inDoc) {
    ociParseFail('manifest', `${what}: declared as ${declaredType} but the document says ${inDoc}`, { expected: declaredType, actual: inDoc });
  }
  const hasManifests = o.manifests !== undefined;
  const hasLayers = o.layers !== undefined || o.config !== undefined;
  if (hasManifests && hasLayers) ociParseFail('manifest', `${what}: a document cannot be both an index and a manifest`);
  const type = inDoc ?? (known(declaredType) ? declaredType : undefined) ?? (hasManifests ? MediaType.ociIndex : hasLayers ? MediaType.ociManifest : undefined);
  if (type === undefined) ociParseFail('manifest', `${what}: neither a manifest nor an index`);
  const artifactType = optString(o, 'artifactType', '$', what);
  const subject = o.subject === undefined ? undefined : parseDescriptor(o.subject, '$.subject', what);
  const ann = annotations(o.annotations, '$.annotations', what);
  if (INDEX_TYPES.includes(type)) {
    if (hasLayers) ociParseFail('manifest', `${what}: an index has no layers or config`);
    return { kind: 'index', mediaType: type, artifactType, manifests: descriptors(o.manifests, '$.manifests', what, limits), subject, annotations: ann };
  }
  if (MANIFEST_TYPES.includes(type)) {
    if (hasManifests) ociParseFail('manifest', `${what}: a manifest has no manifests list`);
    return {
      kind: 'manifest',
      mediaType: type,
      artifactType,
      config: parseDescriptor(o.config, '$.config', what),
      layers: descriptors(o.layers, '$.layers', what, limits),
      subject,
      annotations: ann,
    };
  }
  throw new SigvetError('UNSUPPORTED', `${what}: unsupported manifest media type ${JSON.stringify(type)}`, { check: 'oci.manifest.media_type', actual: type });
}
