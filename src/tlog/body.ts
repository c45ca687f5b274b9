/**
 * Transparency-log entry bodies, and their binding to the bundle.
 *
 * The canonicalized body is opaque bytes to the Merkle tree and the SET; it
 * is parsed here only to compare what the log recorded (signature, key or
 * certificate, digest) with what the bundle carries. Every recorded field
 * must match; an unknown (kind, version) is rejected (allow-list).
 * @module
 */
import { SigvetError } from '../errors.js';
import { parseJson, type JsonObject, type JsonValue } from '../encoding/json.js';
import { JsonFields } from '../encoding/json-fields.js';
import { decodeBase64 } from '../encoding/base64.js';
import { bytesEqual, utf8DecodeStrict } from '../encoding/bytes.js';
import { fromHex } from '../encoding/hex.js';
import { pemToDer } from '../crypto/spki.js';

/** Entry kinds sigvet verifies: Rekor v1 and Rekor v2. */
export const SUPPORTED_ENTRY_KINDS = ['hashedrekord/0.0.1', 'intoto/0.0.2', 'dsse/0.0.1', 'hashedrekord/0.0.2', 'dsse/0.0.2'] as const;

/** A key or certificate recorded in a log body, as DER. */
export interface RecordedVerifier {
  readonly type: 'certificate' | 'publicKey';
  readonly der: Uint8Array;
}

/** What a body recorded, normalized across kinds. */
export interface EntryBody {
  readonly kind: string;
  readonly version: string;
  /** Rekor v2 kinds have no integrated time and need a signed timestamp. */
  readonly rekorV2: boolean;
  /** hashedrekord: the artifact digest; dsse/intoto: the payload digest. */
  readonly digest: { readonly algorithm: 'sha256' | 'sha384' | 'sha512'; readonly value: Uint8Array };
  readonly signatures: readonly { readonly signature: Uint8Array; readonly verifier: RecordedVerifier }[];
  /** intoto 0.0.2 records the payload itself (optional). */
  readonly payload: Uint8Array | undefined;
}

const f: JsonFields = new JsonFields('TLOG_BODY', 'tlog body', 'tlog.body');

function hexDigest(o: JsonObject, path: string): EntryBody['digest'] {
  const h = f.object(o, path, ['algorithm', 'value']);
  const alg = f.string(h, 'algorithm', path);
  if (alg !== 'sha256' && alg !== 'sha384' && alg !== 'sha512') f.fail(`${path}.algorithm`, `unsupported ${alg}`);
  let value: Uint8Array;
  try {
    value = fromHex(f.string(h, 'value', path), `${path}.value`, true);
  } catch (e) {
    // A malformed body is TLOG_BODY (as for its base64 fields), not a bare PARSE.
    return f.fail(`${path}.value`, (e as Error).message);
  }
  return { algorithm: alg, value };
}

function protoDigest(o: JsonValue | undefined, path: string): EntryBody['digest'] {
  const h = f.object(o, path, ['algorithm', 'digest']);
  const alg = f.string(h, 'algorithm', path);
  const map = { SHA2_256: 'sha256', SHA2_384: 'sha384', SHA2_512: 'sha512' } as const;
  const algorithm = (map as Record<string, EntryBody['digest']['algorithm']>)[alg];
  if (!algorithm) f.fail(`${path}.algorithm`, `unsupported ${alg}`);
  return { algorithm, value: f.bytes(h, 'digest', path) };
}

/** v1 bodies record base64 of a PEM certificate or public key. */
function pemVerifier(b64: string, path: string): RecordedVerifier {
  let pem: string;
  try {
    pem = utf8DecodeStrict(decodeBase64(b64, path));
  } catch (e) {
    return f.fail(path, `not base64 PEM: ${(e as Error).message}`);
  }
  const label = /^-----BEGIN ([A-Z ]+)-----/.exec(pem)?.[1];
  if (label === 'CERTIFICATE') return { type: 'certificate', der: pemDer(pem, 'CERTIFICATE', path) };
  if (label === 'PUBLIC KEY') return { type: 'publicKey', der: pemDer(pem, 'PUBLIC KEY', path) };
  return f.fail(path, 'expected a PEM CERTIFICATE or PUBLIC KEY');
}

function pemDer(pem: string, label: string, path: string): Uint8Array {
  try {
    return pemToDer(pem, label);
  } catch (e) {
    return f.fail(path, (e as Error).message);
  }
}

/** v2 bodies record a `Verifier` message: a public key or an X.509 certificate. */
function protoVerifier(v: JsonValue | undefined, path: string): RecordedVerifier {
  const o = f.object(v, path, ['publicKey', 'x509Certificate', 'keyDetails']);
  if ((o.publicKey === undefined) === (o.x509Certificate === undefined)) {
    f.fail(path, 'expected exactly one of publicKey and x509Certificate');
  }
  if (o.publicKey !== undefined) {
    return { type: 'publicKey', der: f.bytes(f.object(o.publicKey, `${path}.publicKey`, ['rawBytes']), 'rawBytes', `${path}.publicKey`) };
  }
  const c = f.object(o.x509Certificate, `${path}.x509Certificate`, ['rawBytes']);
  return { type: 'certificate', der: f.bytes(c, 'rawBytes', `${path}.x509Certificate`) };
}

/**
 * Parses a canonicalized body whose (kind, version) the entry declares.
 * @throws SigvetError `TLOG_BODY` on malformed bodies or kind mismatch; `UNSUPPORTED` for unknown kinds.
 */
export function parseEntryBody(body: Uint8Array, kind: string, version: string): EntryBody {
  const kv = `${kind}/${version}`;
  if (!(SUPPORTED_ENTRY_KINDS as readonly string[]).includes(kv)) {
    throw new SigvetError('UNSUPPORTED', `unsupported transparency log entry kind ${kv}`, {
      check: 'tlog.body.kind',
      expected: SUPPORTED_ENTRY_KINDS.join(' | '),
      actual: kv,
    });
  }
  let doc: JsonValue;
  try {
    doc = parseJson(utf8DecodeStrict(body), 'tlog body');
  } catch (e) {
    throw new SigvetError('TLOG_BODY', `tlog body is not valid JSON: ${(e as Error).message}`, { check: 'tlog.body', cause: e });
  }
  const o = f.object(doc, '$', ['apiVersion', 'kind', 'spec']);
  const bodyKind = f.string(o, 'kind', '$');
  const apiVersion = f.string(o, 'apiVersion', '$');
  if (bodyKind !== kind || apiVersion !== version) {
    f.fail('$', 'body kind/apiVersion differ from the entry kindVersion', { expected: kv, actual: `${bodyKind}/${apiVersion}` });
  }
  const spec = o.spec;
  switch (kv) {
    case 'hashedrekord/0.0.1': {
      const s = f.object(spec, '$.spec', ['data', 'signature']);
      const data = f.object(s.data, '$.spec.data', ['hash']);
      const sig = f.object(s.signature, '$.spec.signature', ['content', 'publicKey']);
      const pk = f.object(sig.publicKey, '$.spec.signature.publicKey', ['content']);
      return {
        kind,
        version,
        rekorV2: false,
        digest: hexDigest(f.object(data.hash, '$.spec.data.hash', ['algorithm', 'value']), '$.spec.data.hash'),
        signatures: [
          {
            signature: f.bytes(sig, 'content', '$.spec.signature'),
            verifier: pemVerifier(f.string(pk, 'content', '$.spec.signature.publicKey'), '$.spec.signature.publicKey.content'),
          },
        ],
        payload: undefined,
      };
    }
    case 'dsse/0.0.1': {
      const s = f.object(spec, '$.spec', ['envelopeHash', 'payloadHash', 'signatures']);
      const sigs = f.array(s, 'signatures', '$.spec', 16);
      return {
        kind,
        version,
        rekorV2: false,
        digest: hexDigest(f.object(s.payloadHash, '$.spec.payloadHash', ['algorithm', 'value']), '$.spec.payloadHash'),
        signatures: sigs.map((x, i) => {
          const p = `$.spec.signatures[${i}]`;
          const so = f.object(x, p, ['signature', 'verifier']);
          return { signature: f.bytes(so, 'signature', p), verifier: pemVerifier(f.string(so, 'verifier', p), `${p}.verifier`) };
        }),
        payload: undefined,
      };
    }
    case 'intoto/0.0.2': {
      const s = f.object(spec, '$.spec', ['content']);
      const c = f.object(s.content, '$.spec.content', ['envelope', 'hash', 'payloadHash']);
      const env = f.object(c.envelope, '$.spec.content.envelope', ['payload', 'payloadType', 'signatures']);
      const sigs = f.array(env, 'signatures', '$.spec.content.envelope', 16);
      // intoto 0.0.2 stores payload and signatures base64-encoded twice.
      const twice = (o: JsonObject, k: string, p: string): Uint8Array => {
        const once = f.bytes(o, k, p);
        let inner: string;
        try {
          inner = utf8DecodeStrict(once);
        } catch {
          return f.fail(`${p}.${k}`, 'not base64 of base64');
        }
        return f.bytes({ v: inner }, 'v', `${p}.${k}`);
      };
      return {
        kind,
        version,
        rekorV2: false,
        digest: hexDigest(f.object(c.payloadHash, '$.spec.content.payloadHash', ['algorithm', 'value']), '$.spec.content.payloadHash'),
        signatures: sigs.map((x, i) => {
          const p = `$.spec.content.envelope.signatures[${i}]`;
          const so = f.object(x, p, ['sig', 'publicKey', 'keyid']);
          return { signature: twice(so, 'sig', p), verifier: pemVerifier(f.string(so, 'publicKey', p), `${p}.publicKey`) };
        }),
        payload: env.payload === undefined ? undefined : twice(env, 'payload', '$.spec.content.envelope'),
      };
    }
    case 'hashedrekord/0.0.2': {
      const s = f.object(spec, '$.spec', ['hashedRekordV002']);
      const h = f.object(s.hashedRekordV002, '$.spec.hashedRekordV002', ['data', 'signature']);
      const sig = f.object(h.signature, '$.spec.hashedRekordV002.signature', ['content', 'verifier']);
      return {
        kind,
        version,
        rekorV2: true,
        digest: protoDigest(h.data, '$.spec.hashedRekordV002.data'),
        signatures: [
          {
            signature: f.bytes(sig, 'content', '$.spec.hashedRekordV002.signature'),
            verifier: protoVerifier(sig.verifier, '$.spec.hashedRekordV002.signature.verifier'),
          },
        ],
        payload: undefined,
      };
    }
    default: {
      // dsse/0.0.2
      const s = f.object(spec, '$.spec', ['dsseV002']);
      const d = f.object(s.dsseV002, '$.spec.dsseV002', ['payloadHash', 'signatures']);
      const sigs = f.array(d, 'signatures', '$.spec.dsseV002', 16);
      return {
        kind,
        version,
        rekorV2: true,
        digest: protoDigest(d.payloadHash, '$.spec.dsseV002.payloadHash'),
        signatures: sigs.map((x, i) => {
          const p = `$.spec.dsseV002.signatures[${i}]`;
          const so = f.object(x, p, ['content', 'verifier']);
          return { signature: f.bytes(so, 'content', p), verifier: protoVerifier(so.verifier, `${p}.verifier`) };
        }),
        payload: undefined,
      };
    }
  }
}

/** What the bundle says was signed, for comparison with a body. */
export interface BundleFacts {
  /** The content signature bytes. */
  readonly signature: Uint8Array;
  /** The signing certificate DER, or the managed key's SPKI. */
  readonly verifier: RecordedVerifier;
  /** Message signatures: the artifact digest (when known). DSSE: the payload's digest, or for hashedrekord/0.0.2 the PAE's. */
  readonly digest: { readonly algorithm: string; readonly value: Uint8Array } | undefined;
  /** DSSE only: the payload bytes. */
  readonly payload: Uint8Array | undefined;
  /** DSSE: the body digest is over the payload; message signatures: over the artifact. */
  readonly dsse: boolean;
}

/**
 * Checks that a parsed body records exactly the bundle's signature,
 * verifier and digest.
 * @throws SigvetError `TLOG_BODY` naming the field that differs.
 */
export function checkBodyBinding(body: EntryBody, facts: BundleFacts): void {
  const isDsseKind = body.kind === 'dsse' || body.kind === 'intoto';
  // Rekor v2 may log a DSSE envelope as hashedrekord/0.0.2 over Hash(PAE)
  // (rekor-v2 spec §6.1.4); the caller then supplies the PAE digest.
  const hashedRekordOverDsse = facts.dsse && body.kind === 'hashedrekord' && body.version === '0.0.2';
  if (isDsseKind !== facts.dsse && !hashedRekordOverDsse) {
    throw new SigvetError('TLOG_BODY', `a ${body.kind} entry cannot log a ${facts.dsse ? 'DSSE envelope' : 'message signature'}`, {
      check: 'tlog.body.kind',
    });
  }
  if (body.signatures.length !== 1) {
    throw new SigvetError('TLOG_BODY', `the entry records ${body.signatures.length} signatures; the bundle has one`, {
      check: 'tlog.body.signature',
    });
  }
  const rec = body.signatures[0]!;
  if (!bytesEqual(rec.signature, facts.signature)) {
    throw new SigvetError('TLOG_BODY', 'the entry records a different signature', { check: 'tlog.body.signature' });
  }
  if (rec.verifier.type !== facts.verifier.type || !bytesEqual(rec.verifier.der, facts.verifier.der)) {
    throw new SigvetError('TLOG_BODY', `the entry records a different ${rec.verifier.type === 'certificate' ? 'certificate' : 'key'}`, {
      check: 'tlog.body.verifier',
    });
  }
  if (facts.digest) {
    if (body.digest.algorithm !== facts.digest.algorithm || !bytesEqual(body.digest.value, facts.digest.value)) {
      throw new SigvetError('TLOG_BODY', `the entry records a different ${facts.dsse ? 'payload' : 'artifact'} digest`, {
        check: 'tlog.body.digest',
        expected: facts.digest.algorithm,
        actual: body.digest.algorithm,
      });
    }
  }
  if (body.payload && facts.payload && !bytesEqual(body.payload, facts.payload)) {
    throw new SigvetError('TLOG_BODY', 'the entry records a different payload', { check: 'tlog.body.payload' });
  }
}
