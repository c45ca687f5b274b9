/**
 * cosign's simple-signing payload (the containers/image "JSON data format"
 * with cosign's `critical.type`): what a legacy cosign signature signs.
 *
 * Read strictly, from the verified payload bytes: `critical` must hold
 * exactly `identity`, `image` and `type`, each with exactly its one field,
 * and the type must be cosign's. Go's decoder folds key case and keeps the
 * last of duplicate keys; refusing both makes every verifier read the same
 * digest from the same bytes.
 * @module
 */
import { SigvetError } from '../errors.js';
import { utf8DecodeStrict } from '../encoding/bytes.js';
import { parseJson, type JsonObject, type JsonValue } from '../encoding/json.js';
import { isDigest } from './digest.js';
import { COSIGN_SIGNATURE_TYPE } from './media-types.js';

/** A parsed simple-signing payload. */
export interface SimpleSigningPayload {
  /** `critical.identity.docker-reference` (cosign ignores it; reported, not enforced). */
  readonly dockerReference: string;
  /** `critical.image.docker-manifest-digest`: the image the signature is for. */
  readonly manifestDigest: string;
  /** `critical.type`. */
  readonly type: string;
  /** `optional`: free-form claims (cosign's `-a key=value` annotations), or undefined when null or absent. */
  readonly optional: Readonly<Record<string, JsonValue>> | undefined;
}

function bad(msg: string): never {
  throw new SigvetError('PARSE', `simple-signing payload: ${msg}`, { check: 'cosign.payload' });
}

function exactly(v: JsonValue | undefined, path: string, keys: readonly string[]): JsonObject {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) bad(`${path} must be an object`);
  const have = Object.keys(v);
  for (const k of have) if (!keys.includes(k)) bad(`${path}: unexpected field ${JSON.stringify(k)}`);
  for (const k of keys) if (!(k in v)) bad(`${path}.${k} is missing`);
  return v as JsonObject;
}

/**
 * Parses a simple-signing payload.
 * @throws SigvetError `PARSE` (check `cosign.payload`) for any deviation;
 *   `SIGNATURE` (check `cosign.payload.type`) for a type other than cosign's.
 */
export function parseSimpleSigning(bytes: Uint8Array): SimpleSigningPayload {
  let doc: JsonValue;
  try {
    doc = parseJson(utf8DecodeStrict(bytes), 'simple-signing payload', { maxDepth: 32 });
  } catch (e) {
    if (e instanceof SigvetError && e.code === 'LIMIT') throw e;
    return bad(`not valid JSON: ${(e as Error).message}`);
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) bad('expected an object');
  for (const k of Object.keys(doc)) if (k !== 'critical' && k !== 'optional') bad(`unexpected field ${JSON.stringify(k)}`);
  const critical = exactly((doc as JsonObject).critical, 'critical', ['identity', 'image', 'type']);
  const identity = exactly(critical.identity, 'critical.identity', ['docker-reference']);
  const image = exactly(critical.image, 'critical.image', ['docker-manifest-digest']);
  const ref = identity['docker-reference'];
  if (typeof ref !== 'string') bad('critical.identity.docker-reference must be a string');
  const digest = image['docker-manifest-digest'];
  if (!isDigest(digest)) bad('critical.image.docker-manifest-digest must be a sha256 or sha512 digest');
  const type = critical.type;
  if (typeof type !== 'string') bad('critical.type must be a string');
  if (type !== COSIGN_SIGNATURE_TYPE) {
    throw new SigvetError('SIGNATURE', 'the signed payload is not a cosign container image signature', {
      check: 'cosign.payload.type',
      expected: COSIGN_SIGNATURE_TYPE,
      actual: type,
    });
  }
  const opt = (doc as JsonObject).optional;
  if (opt !== undefined && opt !== null && (typeof opt !== 'object' || Array.isArray(opt))) bad('optional must be an object or null');
  return { dockerReference: ref, manifestDigest: digest, type, optional: opt === undefined || opt === null ? undefined : (opt as JsonObject) };
}
