/**
 * Decodes Sigstore bundle JSON (v0.1, v0.2, v0.3) into a typed {@link Bundle},
 * strictly: unknown media types and fields, wrong types, bad base64 and
 * out-of-range integers are errors, and each version's shape rules apply
 * (v0.1 needs an inclusion promise; v0.2+ an inclusion proof with a
 * checkpoint; v0.3 a single certificate, not a chain).
 * @module
 */
import { SigvetError } from '../errors.js';
import { parseJson, type JsonObject, type JsonValue } from '../encoding/json.js';
import { JsonFields } from '../encoding/json-fields.js';
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

/** Hard limits on bundle contents (CVE-2024-45395 class: unbounded work from input). */
export const BUNDLE_LIMITS = {
  /** Maximum bundle JSON text length. */
  maxLength: 16 * 1024 * 1024,
  tlogEntries: 32,
  rfc3161Timestamps: 32,
  chainCertificates: 10,
  proofHashes: 64,
  dsseSignatures: 1,
} as const;

const f: JsonFields = new JsonFields('BUNDLE_FORMAT', 'bundle');

function proof(v: JsonValue, path: string): InclusionProof {
  const o = f.object(v, path, ['logIndex', 'rootHash', 'treeSize', 'hashes', 'checkpoint']);
  const cp = o.checkpoint === undefined ? undefined : f.object(o.checkpoint, `${path}.checkpoint`, ['envelope']);
  return {
    logIndex: f.int64(o, 'logIndex', path)!,
    rootHash: f.bytes(o, 'rootHash', path),
    treeSize: f.int64(o, 'treeSize', path)!,
    hashes: f.array(o, 'hashes', path, BUNDLE_LIMITS.proofHashes, true).map((h, i) => {
      if (typeof h !== 'string') f.fail(`${path}.hashes[${i}]`, 'expected a base64 string');
      return f.bytes({ h }, 'h', `${path}.hashes[${i}]`);
    }),
    checkpoint: cp === undefined ? undefined : f.string(cp, 'envelope', `${path}.checkpoint`),
  };
}

function tlogEntry(v: JsonValue, path: string): TransparencyLogEntry {
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
    inclusionProof: o.inclusionProof === undefined ? undefined : proof(o.inclusionProof, `${path}.inclusionProof`),
    canonicalizedBody: f.bytes(o, 'canonicalizedBody', path),
  };
}

function keyMaterial(vm: JsonObject, path: string, version: Bundle['version']): VerificationKeyMaterial {
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
    const der = f.bytes(c, 'rawBytes', `${path}.certificate`);
    return { type: 'certificate', certificate: der, chain: [der] };
  }
  if (version === '0.3') f.fail(`${path}.x509CertificateChain`, 'bundle v0.3 carries a single certificate, not a chain');
  const chain = f.object(vm.x509CertificateChain, `${path}.x509CertificateChain`, ['certificates']);
  const certs = f.array(chain, 'certificates', `${path}.x509CertificateChain`, BUNDLE_LIMITS.chainCertificates);
  if (certs.length === 0) f.fail(`${path}.x509CertificateChain.certificates`, 'empty certificate chain');
  const ders = certs.map((c, i) => {
    const p = `${path}.x509CertificateChain.certificates[${i}]`;
    return f.bytes(f.object(c, p, ['rawBytes']), 'rawBytes', p);
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
 * Decodes a bundle from JSON text, UTF-8 bytes, or a parsed object.
 * @throws SigvetError `PARSE` (malformed JSON), `BUNDLE_FORMAT` (shape, version), `LIMIT`.
 */
export function decodeBundle(input: string | Uint8Array | object): Bundle {
  let doc: JsonValue;
  if (typeof input === 'string') {
    doc = parseJson(input, 'bundle', { maxLength: BUNDLE_LIMITS.maxLength });
  } else if (input instanceof Uint8Array) {
    if (input.length > BUNDLE_LIMITS.maxLength) {
      throw new SigvetError('LIMIT', `bundle: ${input.length} bytes exceeds the limit`, { check: 'bundle.limit' });
    }
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(input);
    } catch (e) {
      throw new SigvetError('PARSE', 'bundle: not valid UTF-8', { check: 'json', cause: e });
    }
    doc = parseJson(text, 'bundle', { maxLength: BUNDLE_LIMITS.maxLength });
  } else {
    let text: string;
    try {
      text = JSON.stringify(input);
    } catch (e) {
      throw new SigvetError('PARSE', 'bundle: object is not JSON-serializable', { check: 'json', cause: e });
    }
    if (typeof text !== 'string') throw new SigvetError('PARSE', 'bundle: not a JSON object', { check: 'json' });
    doc = parseJson(text, 'bundle', { maxLength: BUNDLE_LIMITS.maxLength });
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
  const km = keyMaterial(vm, '$.verificationMaterial', version);
  const tlogEntries = f
    .array(vm, 'tlogEntries', '$.verificationMaterial', BUNDLE_LIMITS.tlogEntries, true)
    .map((e, i) => tlogEntry(e, `$.verificationMaterial.tlogEntries[${i}]`));
  let rfc3161Timestamps: Uint8Array[] = [];
  if (vm.timestampVerificationData !== undefined) {
    const p = '$.verificationMaterial.timestampVerificationData';
    const tvd = f.object(vm.timestampVerificationData, p, ['rfc3161Timestamps']);
    rfc3161Timestamps = f.array(tvd, 'rfc3161Timestamps', p, BUNDLE_LIMITS.rfc3161Timestamps, true).map((t, i) => {
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
