/**
 * cosign's legacy storage format, converted to Sigstore bundles so that the
 * core verifier runs every check and raises every typed error exactly as
 * for a bundle handed to it:
 *
 * - a `.sig` layer (simple-signing payload; signature, certificate, chain,
 *   Rekor bundle and RFC 3161 annotations) becomes a v0.1 bundle with a
 *   message signature over the payload bytes;
 * - a `.att` layer (a DSSE envelope with the same annotations) becomes a
 *   v0.1 bundle with that envelope.
 *
 * The Rekor bundle annotation (`SignedEntryTimestamp` + `Payload{body,
 * integratedTime, logIndex, logID}`) is exactly a v0.1 tlog entry with an
 * inclusion promise. Nothing from the annotations is trusted: each piece is
 * checked by the verifier (SET signature, body binding, chain to the
 * trusted root, SCTs, timestamp imprint).
 * @module
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { invalidArgument, requireBytes, requireObject, requireString } from '../arguments.js';
import { SigvetError } from '../errors.js';
import { decodeBase64, encodeBase64 } from '../encoding/base64.js';
import { utf8DecodeStrict } from '../encoding/bytes.js';
import { fromHex } from '../encoding/hex.js';
import { parseJson, type JsonObject, type JsonValue } from '../encoding/json.js';
import { JsonFields } from '../encoding/json-fields.js';
import { pemToDer } from '../crypto/spki.js';
import { CosignAnnotation } from './media-types.js';

/** The most certificates accepted in a chain annotation. */
const MAX_CHAIN = 9;
/** The longest annotation value read (PEM chains, Rekor bundles), in characters. */
const MAX_ANNOTATION = 1024 * 1024;

const V01 = 'application/vnd.dev.sigstore.bundle+json;version=0.1';
const rekorFields = new JsonFields('BUNDLE_FORMAT', 'cosign.bundle_annotation');
const envelopeFields = new JsonFields('DSSE', 'dsse.envelope');

function annotation(annotations: Readonly<Record<string, string>>, key: string): string | undefined {
  const v: unknown = annotations[key];
  if (v === undefined || v === '') return undefined;
  // Parsed manifests hold string annotations; a caller's record might not.
  if (typeof v !== 'string') invalidArgument('cosign', `annotation ${key}`, 'a string', v, 'cosign.annotations');
  if (v.length > MAX_ANNOTATION) {
    throw new SigvetError('LIMIT', `annotation ${key}: ${v.length} characters exceeds ${MAX_ANNOTATION}`, { check: 'oci.limit.annotation' });
  }
  return v;
}

/**
 * Splits concatenated PEM certificates (the chain annotation) into DER, strictly.
 * @throws SigvetError `PARSE` (check `encoding.pem`), `LIMIT` (check `oci.limit.chain`);
 *   `INVALID_ARGUMENT` (check `argument.pemCertificates`) for non-string arguments.
 */
export function pemCertificates(text: string, what: string): Uint8Array[] {
  requireString(text, 'pemCertificates', 'text');
  requireString(what, 'pemCertificates', 'what');
  const norm = text.replace(/\r\n/g, '\n');
  const blocks = norm.split(/(?<=-----END CERTIFICATE-----)\n*/).filter((b) => b.trim() !== '');
  if (blocks.length === 0) {
    throw new SigvetError('PARSE', `${what}: no PEM certificate`, { check: 'encoding.pem' });
  }
  if (blocks.length > MAX_CHAIN) {
    throw new SigvetError('LIMIT', `${what}: more than ${MAX_CHAIN} certificates`, { check: 'oci.limit.chain' });
  }
  return blocks.map((b) => pemToDer(`${b.trim()}\n`, 'CERTIFICATE'));
}

/** The `verificationMaterial` shared by signatures and attestations. */
function verificationMaterial(annotations: Readonly<Record<string, string>>): JsonObject {
  const vm: JsonObject = {};
  const cert = annotation(annotations, CosignAnnotation.certificate);
  const chain = annotation(annotations, CosignAnnotation.chain);
  if (cert !== undefined) {
    const leaf = pemCertificates(cert, `annotation ${CosignAnnotation.certificate}`);
    if (leaf.length !== 1) {
      throw new SigvetError('PARSE', `annotation ${CosignAnnotation.certificate}: expected one certificate, got ${leaf.length}`, { check: 'encoding.pem' });
    }
    const rest = chain === undefined ? [] : pemCertificates(chain, `annotation ${CosignAnnotation.chain}`);
    vm.x509CertificateChain = { certificates: [...leaf, ...rest].map((der) => ({ rawBytes: encodeBase64(der) })) };
  } else {
    if (chain !== undefined) {
      throw new SigvetError('BUNDLE_FORMAT', `annotation ${CosignAnnotation.chain} without ${CosignAnnotation.certificate}`, { check: 'cosign.annotations' });
    }
    vm.publicKey = {};
  }
  const rekor = annotation(annotations, CosignAnnotation.bundle);
  if (rekor !== undefined) vm.tlogEntries = [rekorBundleToTlogEntry(rekor)];
  const ts = annotation(annotations, CosignAnnotation.rfc3161Timestamp);
  if (ts !== undefined) vm.timestampVerificationData = { rfc3161Timestamps: [{ signedTimestamp: rfc3161Annotation(ts) }] };
  return vm;
}

/**
 * Converts cosign's Rekor bundle annotation into a protobuf-JSON v0.1
 * `TransparencyLogEntry` (kind and version read from the body; the
 * verifier parses the body again and checks they agree).
 */
export function rekorBundleToTlogEntry(text: string): JsonObject {
  const doc = parseAnnotationJson(text, CosignAnnotation.bundle, 'BUNDLE_FORMAT');
  const o = rekorFields.object(doc, '$', ['SignedEntryTimestamp', 'Payload']);
  const set = rekorFields.bytes(o, 'SignedEntryTimestamp', '$');
  const p = rekorFields.object(o.Payload, '$.Payload', ['body', 'integratedTime', 'logIndex', 'logID']);
  const bodyB64 = rekorFields.string(p, 'body', '$.Payload');
  const body = rekorFields.bytes(p, 'body', '$.Payload');
  const integratedTime = rekorFields.int64(p, 'integratedTime', '$.Payload')!;
  const logIndex = rekorFields.int64(p, 'logIndex', '$.Payload')!;
  const logIdHex = rekorFields.string(p, 'logID', '$.Payload');
  let logId: Uint8Array;
  try {
    logId = fromHex(logIdHex, 'logID', true);
  } catch {
    return rekorFields.fail('$.Payload.logID', 'expected lower-case hex');
  }
  if (logId.length !== 32) rekorFields.fail('$.Payload.logID', `expected 32 bytes, got ${logId.length}`);
  const kv = bodyKindVersion(body);
  return {
    logIndex: logIndex.toString(),
    logId: { keyId: encodeBase64(logId) },
    kindVersion: kv,
    integratedTime: integratedTime.toString(),
    inclusionPromise: { signedEntryTimestamp: encodeBase64(set) },
    canonicalizedBody: bodyB64,
  };
}

/** `kind` and `apiVersion` of a Rekor entry body (the rest is the verifier's). */
function bodyKindVersion(body: Uint8Array): { kind: string; version: string } {
  let doc: JsonValue;
  try {
    doc = parseJson(utf8DecodeStrict(body), 'tlog body');
  } catch (e) {
    throw new SigvetError('TLOG_BODY', `the Rekor bundle annotation's body is not JSON: ${(e as Error).message}`, { check: 'tlog.body', cause: e });
  }
  const o = doc !== null && typeof doc === 'object' && !Array.isArray(doc) ? (doc as JsonObject) : undefined;
  if (!o || typeof o.kind !== 'string' || typeof o.apiVersion !== 'string') {
    throw new SigvetError('TLOG_BODY', "the Rekor bundle annotation's body names no kind and apiVersion", { check: 'tlog.body' });
  }
  return { kind: o.kind, version: o.apiVersion };
}

/** cosign's timestamp annotation: `{"SignedRFC3161Timestamp":"<base64 DER>"}`. */
function rfc3161Annotation(text: string): string {
  const doc = parseAnnotationJson(text, CosignAnnotation.rfc3161Timestamp, 'TIMESTAMP');
  const f = new JsonFields('TIMESTAMP', 'cosign.timestamp_annotation');
  const o = f.object(doc, '$', ['SignedRFC3161Timestamp']);
  return encodeBase64(f.bytes(o, 'SignedRFC3161Timestamp', '$'));
}

function parseAnnotationJson(text: string, key: string, code: 'BUNDLE_FORMAT' | 'TIMESTAMP'): JsonValue {
  try {
    return parseJson(text, `annotation ${key}`, { maxDepth: 16 });
  } catch (e) {
    if (e instanceof SigvetError && e.code === 'LIMIT') throw e;
    throw new SigvetError(code, `annotation ${key}: ${(e as Error).message}`, { check: 'cosign.annotations', cause: e });
  }
}

/**
 * A `.sig` layer as a v0.1 bundle: a message signature over the
 * simple-signing payload (verify it with `artifact: payload`).
 * @throws SigvetError `BUNDLE_FORMAT` (check `cosign.annotations`) and the
 *   annotations' parse failures; `INVALID_ARGUMENT` (check `argument.legacySignatureBundle`)
 *   unless given an annotations object and payload bytes.
 */
export function legacySignatureBundle(annotations: Readonly<Record<string, string>>, payload: Uint8Array): JsonObject {
  requireObject(annotations, 'legacySignatureBundle', 'annotations');
  requireBytes(payload, 'legacySignatureBundle', 'payload');
  const sigText: unknown = annotations[CosignAnnotation.signature];
  if (sigText !== undefined && typeof sigText !== 'string') invalidArgument('legacySignatureBundle', `annotation ${CosignAnnotation.signature}`, 'a string', sigText, 'cosign.annotations');
  if (sigText === undefined || sigText === '') {
    throw new SigvetError('BUNDLE_FORMAT', `the layer has no ${CosignAnnotation.signature} annotation`, { check: 'cosign.annotations' });
  }
  let sig: Uint8Array;
  try {
    sig = decodeBase64(sigText, `annotation ${CosignAnnotation.signature}`, 'std');
  } catch (e) {
    throw new SigvetError('PARSE', (e as Error).message, { check: 'encoding.base64', cause: e });
  }
  if (sig.length === 0 || sig.length > 16 * 1024) {
    throw new SigvetError('BUNDLE_FORMAT', `annotation ${CosignAnnotation.signature}: ${sig.length} bytes is not a signature`, { check: 'cosign.annotations' });
  }
  return {
    mediaType: V01,
    verificationMaterial: verificationMaterial(annotations),
    messageSignature: {
      messageDigest: { algorithm: 'SHA2_256', digest: encodeBase64(sha256(payload)) },
      signature: encodeBase64(sig),
    },
  };
}

/**
 * A `.att` layer (a DSSE envelope) as a v0.1 bundle.
 * @throws SigvetError `DSSE` (check `dsse.envelope`) and the annotations' failures;
 *   `INVALID_ARGUMENT` (check `argument.legacyAttestationBundle`) unless given an annotations object and envelope bytes.
 */
export function legacyAttestationBundle(annotations: Readonly<Record<string, string>>, envelope: Uint8Array): JsonObject {
  requireObject(annotations, 'legacyAttestationBundle', 'annotations');
  requireBytes(envelope, 'legacyAttestationBundle', 'envelope');
  let doc: JsonValue;
  try {
    doc = parseJson(utf8DecodeStrict(envelope), 'DSSE envelope', { maxDepth: 16 });
  } catch (e) {
    if (e instanceof SigvetError && e.code === 'LIMIT') throw e;
    throw new SigvetError('DSSE', `the attestation layer is not a DSSE envelope: ${(e as Error).message}`, { check: 'dsse.envelope', cause: e });
  }
  const o = envelopeFields.object(doc, '$', ['payload', 'payloadType', 'signatures']);
  const payloadType = envelopeFields.string(o, 'payloadType', '$');
  envelopeFields.bytes(o, 'payload', '$');
  const sigs = envelopeFields.array(o, 'signatures', '$', 16);
  return {
    mediaType: V01,
    verificationMaterial: verificationMaterial(annotations),
    dsseEnvelope: {
      payload: o.payload as string,
      payloadType,
      signatures: sigs.map((s, i): JsonObject => {
        const so = envelopeFields.object(s, `$.signatures[${i}]`, ['keyid', 'sig']);
        envelopeFields.bytes(so, 'sig', `$.signatures[${i}]`);
        const keyid = envelopeFields.string(so, 'keyid', `$.signatures[${i}]`, true);
        return keyid ? { sig: so.sig as string, keyid } : { sig: so.sig as string };
      }),
    },
  };
}
