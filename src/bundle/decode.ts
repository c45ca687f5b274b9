/**
 * Decodes Sigstore bundle JSON (v0.1, v0.2, v0.3) into a typed {@link Bundle},
 * strictly: unknown media types and fields, wrong types, bad base64 and
 * out-of-range integers are errors, and each version's shape rules apply
 * (v0.1 needs an inclusion promise; v0.2+ an inclusion proof with a
 * checkpoint; v0.3 a single certificate, not a chain). The caps of
 * {@link VerifierLimits} that concern the bundle's own contents are applied
 * here, each before the work it bounds.
 * @module
 */
import { SigvetError } from '../errors.js';
import { parseJson, type JsonLimits, type JsonObject, type JsonValue } from '../encoding/json.js';
import { JsonFields } from '../encoding/json-fields.js';
import {
  DEFAULT_VERIFIER_LIMITS,
  limitCheck,
  limitExceeded,
  resolveVerifierLimits,
  type VerifierLimitName,
  type VerifierLimits,
} from '../verify/limits.js';
import {
  BUNDLE_MEDIA_TYPES,
  type Bundle,
  type DsseEnvelope,
  type InclusionProof,
  type MessageSignature,
  type ProtoHashAlgorithm,
  type TransparencyLogEntry,
  type VerificationKeyMaterial,
} from './bundle.js';

/**
 * The default caps on bundle contents (CVE-2024-45395 class: unbounded work
 * from input), as in {@link DEFAULT_VERIFIER_LIMITS}; pass `limits` to
 * {@link decodeBundle} (or the verifier) to change them.
 */
export const BUNDLE_LIMITS = Object.freeze({
  /** Maximum bundle JSON text length (UTF-16 code units) or UTF-8 bytes. */
  maxLength: DEFAULT_VERIFIER_LIMITS.bundleBytes,
  tlogEntries: DEFAULT_VERIFIER_LIMITS.tlogEntries,
  rfc3161Timestamps: DEFAULT_VERIFIER_LIMITS.timestamps,
  chainCertificates: DEFAULT_VERIFIER_LIMITS.chainCertificates,
  proofHashes: DEFAULT_VERIFIER_LIMITS.proofHashes,
  /** Exactly one DSSE signature (a shape rule, not a cap). */
  dsseSignatures: 1,
});

const f: JsonFields = new JsonFields('BUNDLE_FORMAT', 'bundle');

/** An array field of at most `limits[cap]` elements; a longer one is refused before any element is read. */
function cappedArray(o: JsonObject, key: string, path: string, limits: VerifierLimits, cap: VerifierLimitName, optional = false): JsonValue[] {
  const v = o[key];
  if (Array.isArray(v) && v.length > limits[cap]) limitExceeded(cap, limits[cap], v.length, `bundle ${path}.${key}`);
  return f.array(o, key, path, limits[cap], optional);
}

/** A bytes field of at most `limits[cap]` bytes. */
function cappedBytes(o: JsonObject, key: string, path: string, limits: VerifierLimits, cap: VerifierLimitName): Uint8Array {
  const b = f.bytes(o, key, path);
  if (b.length > limits[cap]) limitExceeded(cap, limits[cap], b.length, `bundle ${path}.${key}`);
  return b;
}

/** Newlines in `s[from, to)`, counting stops once past `stopAbove`. */
function countNewlines(s: string, from: number, to: number, stopAbove: number): number {
  let n = 0;
  for (let i = s.indexOf('\n', from); i >= 0 && i < to && n <= stopAbove; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/** UTF-8 length of `s`, counting stops once past `stopAbove`. Lone surrogates count 3 (as U+FFFD). */
function utf8LengthAtMost(s: string, stopAbove: number): number {
  let n = 0;
  for (let i = 0; i < s.length && n <= stopAbove; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/**
 * Applies the checkpoint caps to the note text before anything parses it:
 * UTF-8 bytes, then text lines and signature lines counted on either side
 * of the last blank line (where the C2SP signed-note parser splits).
 */
function checkCheckpointCaps(text: string, path: string, limits: VerifierLimits): void {
  const what = `bundle ${path}`;
  // UTF-8 never takes fewer bytes than UTF-16 code units: a cheap first test.
  if (text.length > limits.checkpointBytes) limitExceeded('checkpointBytes', limits.checkpointBytes, `>= ${text.length}`, what);
  const bytes = utf8LengthAtMost(text, limits.checkpointBytes);
  if (bytes > limits.checkpointBytes) limitExceeded('checkpointBytes', limits.checkpointBytes, `>= ${bytes}`, what);
  const sep = text.lastIndexOf('\n\n');
  const bodyEnd = sep < 0 ? text.length : sep + 1;
  const bodyLines = countNewlines(text, 0, bodyEnd, limits.checkpointBodyLines);
  if (bodyLines > limits.checkpointBodyLines) {
    limitExceeded('checkpointBodyLines', limits.checkpointBodyLines, `>= ${bodyLines}`, `${what} (text lines)`);
  }
  if (sep >= 0) {
    const sigLines = countNewlines(text, sep + 2, text.length, limits.checkpointSignatures);
    if (sigLines > limits.checkpointSignatures) {
      limitExceeded('checkpointSignatures', limits.checkpointSignatures, `>= ${sigLines}`, `${what} (signature lines)`);
    }
  }
}

function proof(v: JsonValue, path: string, limits: VerifierLimits): InclusionProof {
  const o = f.object(v, path, ['logIndex', 'rootHash', 'treeSize', 'hashes', 'checkpoint']);
  const cp = o.checkpoint === undefined ? undefined : f.object(o.checkpoint, `${path}.checkpoint`, ['envelope']);
  const envelope = cp === undefined ? undefined : f.string(cp, 'envelope', `${path}.checkpoint`);
  if (envelope !== undefined) checkCheckpointCaps(envelope, `${path}.checkpoint.envelope`, limits);
  return {
    logIndex: f.int64(o, 'logIndex', path)!,
    rootHash: f.bytes(o, 'rootHash', path),
    treeSize: f.int64(o, 'treeSize', path)!,
    hashes: cappedArray(o, 'hashes', path, limits, 'proofHashes', true).map((h, i) => {
      if (typeof h !== 'string') f.fail(`${path}.hashes[${i}]`, 'expected a base64 string');
      return f.bytes({ h }, 'h', `${path}.hashes[${i}]`);
    }),
    checkpoint: envelope,
  };
}

function tlogEntry(v: JsonValue, path: string, limits: VerifierLimits): TransparencyLogEntry {
  const o = f.object(v, path, [
    'logIndex',
    'logId',
    'kindVersion',
    'integratedTime',
    'inclusionPromise',
    'inclusionProof',
    'canonicalizedBody',
  ]);
  const logId = f.object(o.logId, `${path}.logId`, ['keyId']);
  const kv = f.object(o.kindVersion, `${path}.kindVersion`, ['kind', 'version']);
  const promise =
    o.inclusionPromise === undefined
      ? undefined
      : f.object(o.inclusionPromise, `${path}.inclusionPromise`, ['signedEntryTimestamp']);
  return {
    logIndex: f.int64(o, 'logIndex', path)!,
    logId: f.bytes(logId, 'keyId', `${path}.logId`),
    kindVersion: { kind: f.string(kv, 'kind', `${path}.kindVersion`), version: f.string(kv, 'version', `${path}.kindVersion`) },
    integratedTime: f.int64(o, 'integratedTime', path, 0n, true),
    signedEntryTimestamp: promise === undefined ? undefined : f.bytes(promise, 'signedEntryTimestamp', `${path}.inclusionPromise`),
    inclusionProof: o.inclusionProof === undefined ? undefined : proof(o.inclusionProof, `${path}.inclusionProof`, limits),
    canonicalizedBody: f.bytes(o, 'canonicalizedBody', path),
  };
}

function keyMaterial(vm: JsonObject, path: string, version: Bundle['version'], limits: VerifierLimits): VerificationKeyMaterial {
  const present = (['publicKey', 'x509CertificateChain', 'certificate'] as const).filter((k) => vm[k] !== undefined);
  if (present.length !== 1) {
    f.fail(path, `expected exactly one of publicKey, x509CertificateChain, certificate; got ${present.length}`);
  }
  const which = present[0]!;
  if (which === 'publicKey') {
    const pk = f.object(vm.publicKey, `${path}.publicKey`, ['hint']);
    return { type: 'publicKey', hint: f.string(pk, 'hint', `${path}.publicKey`, true) ?? '' };
  }
  if (which === 'certificate') {
    if (version !== '0.3') f.fail(`${path}.certificate`, `a single certificate needs bundle v0.3, this is v${version}`);
    const c = f.object(vm.certificate, `${path}.certificate`, ['rawBytes']);
    const der = cappedBytes(c, 'rawBytes', `${path}.certificate`, limits, 'certificateBytes');
    return { type: 'certificate', certificate: der, chain: [der] };
  }
  if (version === '0.3') f.fail(`${path}.x509CertificateChain`, 'bundle v0.3 carries a single certificate, not a chain');
  const chain = f.object(vm.x509CertificateChain, `${path}.x509CertificateChain`, ['certificates']);
  const certs = cappedArray(chain, 'certificates', `${path}.x509CertificateChain`, limits, 'chainCertificates');
  if (certs.length === 0) f.fail(`${path}.x509CertificateChain.certificates`, 'empty certificate chain');
  const ders = certs.map((c, i) => {
    const p = `${path}.x509CertificateChain.certificates[${i}]`;
    return cappedBytes(f.object(c, p, ['rawBytes']), 'rawBytes', p, limits, 'certificateBytes');
  });
  return { type: 'certificate', certificate: ders[0]!, chain: ders };
}

const HASHES: readonly ProtoHashAlgorithm[] = ['SHA2_256', 'SHA2_384', 'SHA2_512'];

function messageSignature(v: JsonValue, path: string): MessageSignature {
  const o = f.object(v, path, ['messageDigest', 'signature']);
  let messageDigest: MessageSignature['messageDigest'];
  if (o.messageDigest !== undefined) {
    const md = f.object(o.messageDigest, `${path}.messageDigest`, ['algorithm', 'digest']);
    const algorithm = f.string(md, 'algorithm', `${path}.messageDigest`);
    if (!(HASHES as readonly string[]).includes(algorithm)) {
      f.fail(`${path}.messageDigest.algorithm`, `unsupported hash algorithm ${JSON.stringify(algorithm)}`);
    }
    messageDigest = { algorithm: algorithm as ProtoHashAlgorithm, digest: f.bytes(md, 'digest', `${path}.messageDigest`) };
  }
  const signature = f.bytes(o, 'signature', path);
  if (signature.length === 0) f.fail(`${path}.signature`, 'empty signature');
  return { type: 'messageSignature', messageDigest, signature };
}

function dsseEnvelope(v: JsonValue, path: string): DsseEnvelope {
  const o = f.object(v, path, ['payload', 'payloadType', 'signatures']);
  const sigs = f.array(o, 'signatures', path, 16);
  if (sigs.length !== BUNDLE_LIMITS.dsseSignatures) {
    f.fail(`${path}.signatures`, `a bundle's DSSE envelope must carry exactly one signature, got ${sigs.length}`);
  }
  return {
    type: 'dsseEnvelope',
    payload: f.bytes(o, 'payload', path),
    payloadType: f.string(o, 'payloadType', path),
    signatures: sigs.map((s, i) => {
      const p = `${path}.signatures[${i}]`;
      const so = f.object(s, p, ['sig', 'keyid']);
      const sig = f.bytes(so, 'sig', p);
      if (sig.length === 0) f.fail(`${p}.sig`, 'empty signature');
      return { sig, keyid: f.string(so, 'keyid', p, true) ?? '' };
    }),
  };
}

/**
 * Decodes a bundle from JSON text, UTF-8 bytes, or a parsed object, within
 * `limits` (the defaults for caps not given).
 * @throws SigvetError `PARSE` (malformed JSON), `BUNDLE_FORMAT` (shape, version),
 *   `LIMIT` (check `limit.<cap>`), `INVALID_ARGUMENT` (bad `limits`).
 */
export function decodeBundle(input: string | Uint8Array | object, limits?: Partial<VerifierLimits>): Bundle {
  const l = resolveVerifierLimits(limits);
  // Text length is checked before parsing; depth and string length as the parser goes.
  const json: JsonLimits = {
    maxLength: l.bundleBytes,
    maxDepth: l.jsonDepth,
    maxStringLength: l.jsonStringLength,
    checks: { length: limitCheck('bundleBytes'), depth: limitCheck('jsonDepth'), stringLength: limitCheck('jsonStringLength') },
  };
  let doc: JsonValue;
  if (typeof input === 'string') {
    doc = parseJson(input, 'bundle', json);
  } else if (input instanceof Uint8Array) {
    if (input.length > l.bundleBytes) limitExceeded('bundleBytes', l.bundleBytes, input.length, 'bundle (bytes)');
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(input);
    } catch (e) {
      throw new SigvetError('PARSE', 'bundle: not valid UTF-8', { check: 'json', cause: e });
    }
    doc = parseJson(text, 'bundle', json);
  } else {
    let text: string;
    try {
      text = JSON.stringify(input);
    } catch (e) {
      throw new SigvetError('PARSE', 'bundle: object is not JSON-serializable', { check: 'json', cause: e });
    }
    if (typeof text !== 'string') throw new SigvetError('PARSE', 'bundle: not a JSON object', { check: 'json' });
    doc = parseJson(text, 'bundle', json);
  }
  const o = f.object(doc, '$', ['mediaType', 'verificationMaterial', 'messageSignature', 'dsseEnvelope']);
  const mediaType = f.string(o, 'mediaType', '$');
  const version = (BUNDLE_MEDIA_TYPES as Record<string, Bundle['version']>)[mediaType];
  if (!Object.prototype.hasOwnProperty.call(BUNDLE_MEDIA_TYPES, mediaType) || version === undefined) {
    f.fail('$.mediaType', `unsupported bundle media type ${JSON.stringify(mediaType)}`, {
      expected: Object.keys(BUNDLE_MEDIA_TYPES).join(' | '),
      actual: mediaType,
    });
  }
  const vm = f.object(o.verificationMaterial, '$.verificationMaterial', [
    'publicKey',
    'x509CertificateChain',
    'certificate',
    'tlogEntries',
    'timestampVerificationData',
  ]);
  const km = keyMaterial(vm, '$.verificationMaterial', version, l);
  const tlogEntries = cappedArray(vm, 'tlogEntries', '$.verificationMaterial', l, 'tlogEntries', true).map((e, i) =>
    tlogEntry(e, `$.verificationMaterial.tlogEntries[${i}]`, l),
  );
  let rfc3161Timestamps: Uint8Array[] = [];
  if (vm.timestampVerificationData !== undefined) {
    const p = '$.verificationMaterial.timestampVerificationData';
    const tvd = f.object(vm.timestampVerificationData, p, ['rfc3161Timestamps']);
    rfc3161Timestamps = cappedArray(tvd, 'rfc3161Timestamps', p, l, 'timestamps', true).map((t, i) => {
      const q = `${p}.rfc3161Timestamps[${i}]`;
      return f.bytes(f.object(t, q, ['signedTimestamp']), 'signedTimestamp', q);
    });
  }
  // Version rules (protobuf-specs bundle.proto): v0.1 entries need an
  // inclusion promise; from v0.2 on they need an inclusion proof with a checkpoint.
  tlogEntries.forEach((e, i) => {
    const p = `$.verificationMaterial.tlogEntries[${i}]`;
    if (version === '0.1') {
      if (!e.signedEntryTimestamp) f.fail(p, 'bundle v0.1 entries need an inclusionPromise');
    } else {
      if (!e.inclusionProof) f.fail(p, `bundle v${version} entries need an inclusionProof`);
      if (e.inclusionProof.checkpoint === undefined) f.fail(`${p}.inclusionProof`, 'missing checkpoint');
    }
  });
  const hasMsg = o.messageSignature !== undefined;
  const hasDsse = o.dsseEnvelope !== undefined;
  if (hasMsg === hasDsse) f.fail('$', 'expected exactly one of messageSignature and dsseEnvelope');
  const content = hasMsg
    ? messageSignature(o.messageSignature!, '$.messageSignature')
    : dsseEnvelope(o.dsseEnvelope!, '$.dsseEnvelope');
  return {
    mediaType: mediaType as Bundle['mediaType'],
    version,
    keyMaterial: km,
    tlogEntries,
    rfc3161Timestamps,
    content,
  };
}
