// The private Sigstore instance the vectors come from: a Fulcio-like CA (and
// a second one with P-256 keys), a CT log, a Rekor v1 log, two Rekor v2 logs
// (Ed25519 and ECDSA keys), a witness, an RFC 3161 timestamp authority, the
// trusted root describing them, and the client side (sign an artifact or an
// in-toto statement, log it, timestamp it, assemble a bundle). Everything is
// derived from a seed string and a fixed clock; nothing reads the wall clock
// or a random source.

import { EcKey, Ed25519Key, RsaKey, sha256, toPem, b64, deriveBytes, concat } from './keys.mjs';
import { toHex } from './der.mjs';
import { FulcioCa } from './ca.mjs';
import { CtLog } from './ctlog.mjs';
import { RekorLog, hashedRekordBody, dsseBody, intotoBody, canonicalJson } from './rekor.mjs';
import { RekorV2Log, hashedRekordV002Body, dsseV002Body } from './rekor2.mjs';
import { TimestampAuthority } from './tsa.mjs';
import { Witness } from './note.mjs';

export const SEED = 'sigvet test vectors, seed 1';
/** "Now" for the whole instance: every certificate, SCT, log entry and timestamp is dated from it. */
export const NOW_MS = Date.UTC(2026, 0, 15, 12, 0, 0);
export const SECOND = 1000;
export const MINUTE = 60 * SECOND;

export const INSTANCE_VALID_FROM = Date.UTC(2025, 0, 1, 0, 0, 0);
export const INSTANCE_VALID_TO = Date.UTC(2035, 0, 1, 0, 0, 0);

export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

/** GitHub Actions claims for a workflow run in the (fictional) sigvet-test/app repository. */
export function githubWorkflow(seed, { ref = 'refs/heads/main', label = 'default', workflowPath = '.github/workflows/release.yml', repository = 'sigvet-test/app' } = {}) {
  return {
    repository,
    workflowPath,
    ref,
    workflowName: 'Release',
    eventName: 'push',
    sha: toHex(deriveBytes(seed, `git-sha:${label}`, 20)),
    repositoryId: '900000001',
    ownerId: '900000000',
    runId: '7000000001',
    identity: `https://github.com/${repository}/${workflowPath}@${ref}`,
  };
}

/** RFC 3339 as protobuf-JSON writes a Timestamp: no fractional part when it is zero. */
export function rfc3339(ms) {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** Every log of the instance and of the cases, so that all can be sealed at once. */
function registry() {
  const logs = [];
  return {
    logs,
    add(log) {
      logs.push(log);
      return log;
    },
    sealAll() {
      for (const l of logs) l.seal();
    },
  };
}

export function createInstance(seed = SEED) {
  const reg = registry();
  const ca = new FulcioCa(seed, 'fulcio', {
    uri: 'https://fulcio.sigvet.test',
    organization: 'sigvet.test',
    rootCommonName: 'sigvet-root',
    intermediateCommonName: 'sigvet-intermediate',
    notBefore: INSTANCE_VALID_FROM,
    notAfter: INSTANCE_VALID_TO,
  });
  const ca2 = new FulcioCa(seed, 'fulcio-p256', {
    curve: 'P-256',
    uri: 'https://fulcio2.sigvet.test',
    organization: 'sigvet.test',
    rootCommonName: 'sigvet-p256-root',
    intermediateCommonName: 'sigvet-p256-intermediate',
    notBefore: INSTANCE_VALID_FROM,
    notAfter: INSTANCE_VALID_TO,
  });
  const ctLog = new CtLog(seed, 'ctfe');
  ctLog.baseUrl = 'https://ctfe.sigvet.test';
  const treeId = (BigInt('0x' + toHex(deriveBytes(seed, 'rekor-tree-id', 8))) & 0x7fffffffffffffffn).toString();
  const rekor = reg.add(new RekorLog(seed, 'rekor', { host: 'rekor.sigvet.test', treeId, baseUrl: 'https://rekor.sigvet.test' }));
  const rekor2 = reg.add(new RekorV2Log(seed, 'log2026-1', { host: 'log2026-1.rekor.sigvet.test', keyKind: 'ed25519' }));
  const rekor2Ecdsa = reg.add(new RekorV2Log(seed, 'log2026-2', { host: 'log2026-2.rekor.sigvet.test', keyKind: 'ecdsa-p256' }));
  const tsa = new TimestampAuthority(seed, 'tsa', {
    uri: 'https://timestamp.sigvet.test/api/v1/timestamp',
    organization: 'sigvet.test',
    commonName: 'sigvet-tsa',
    notBefore: INSTANCE_VALID_FROM,
    notAfter: INSTANCE_VALID_TO,
  });
  const witness = new Witness(seed, 'witness.sigvet.test/w1');
  const witness2 = new Witness(seed, 'witness2.sigvet.test/w2');

  // Entries other clients logged before ours, so proofs have real siblings.
  for (let i = 0; i < 5; i++) {
    const key = new EcKey(seed, `filler-signer:${i}`, 'P-256');
    const artifact = new TextEncoder().encode(`an earlier artifact, number ${i}\n`);
    const signature = key.sign(artifact);
    rekor.append(hashedRekordBody({ digestHex: toHex(sha256(artifact)), signature, publicKeyPem: key.pem }), NOW_MS / SECOND - (5 - i) * 60);
    const v2body = { digest: sha256(artifact), signature, publicKeySpki: key.spki, keyDetails: key.keyDetails };
    rekor2.append(hashedRekordV002Body(v2body));
    if (i < 3) rekor2Ecdsa.append(hashedRekordV002Body(v2body));
  }

  return { seed, ca, ca2, ctLog, rekor, rekor2, rekor2Ecdsa, tsa, witness, witness2, registry: reg };
}

/** One tlogs[] / ctlogs[] element of a trusted root. */
export function trustedLogJson(log, baseUrl = log.baseUrl, start = INSTANCE_VALID_FROM) {
  return {
    baseUrl,
    hashAlgorithm: 'SHA2_256',
    publicKey: { rawBytes: b64(log.key.spki), keyDetails: log.key.keyDetails, validFor: { start: rfc3339(start) } },
    logId: { keyId: b64(log.logId) },
  };
}

/** One certificateAuthorities[] element for a Fulcio-like CA. */
export function caJson(ca, start = INSTANCE_VALID_FROM) {
  return {
    subject: ca.subject,
    uri: ca.uri,
    certChain: { certificates: ca.chain.map((der) => ({ rawBytes: b64(der) })) },
    validFor: { start: rfc3339(start) },
  };
}

/** One timestampAuthorities[] element. */
export function tsaJson(tsa, start = INSTANCE_VALID_FROM) {
  return {
    subject: tsa.subject,
    uri: tsa.uri,
    certChain: { certificates: tsa.chain.map((der) => ({ rawBytes: b64(der) })) },
    validFor: { start: rfc3339(start) },
  };
}

export const TRUSTED_ROOT_MEDIA_TYPE = 'application/vnd.dev.sigstore.trustedroot+json;version=0.1';

/** The instance's trusted root, shaped like the public-good trusted_root.json (a fresh object each call). */
export function trustedRootJson(inst) {
  return {
    mediaType: TRUSTED_ROOT_MEDIA_TYPE,
    tlogs: [trustedLogJson(inst.rekor), trustedLogJson(inst.rekor2), trustedLogJson(inst.rekor2Ecdsa)],
    certificateAuthorities: [caJson(inst.ca), caJson(inst.ca2)],
    ctlogs: [trustedLogJson(inst.ctLog)],
    timestampAuthorities: [tsaJson(inst.tsa)],
  };
}

/** A signing key of the given kind, derived from (seed, label). */
export function signingKey(seed, label, kind = 'p256') {
  switch (kind) {
    case 'p256':
      return new EcKey(seed, label, 'P-256');
    case 'p384':
      return new EcKey(seed, label, 'P-384');
    case 'ed25519':
      return new Ed25519Key(seed, label);
    case 'rsa':
      return new RsaKey(seed, label, 2048);
    // Keys no Sigstore verifier should accept (for the cases about unsupported or weak keys).
    case 'rsa1024':
      return new RsaKey(seed, label, 1024);
    case 'secp256k1':
      return new EcKey(seed, label, 'secp256k1');
    default:
      throw new Error(`unknown key kind ${kind}`);
  }
}

/** DSSE pre-authentication encoding (DSSE v1 protocol). */
export function pae(payloadType, payload) {
  const enc = new TextEncoder();
  const type = enc.encode(payloadType);
  return concat(enc.encode(`DSSEv1 ${type.length} `), type, enc.encode(` ${payload.length} `), payload);
}

/** An in-toto v1 statement naming one subject with the given SHA-256 (hex). */
export function inTotoStatement(subjectName, sha256Hex) {
  return {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: subjectName, digest: { sha256: sha256Hex } }],
    predicateType: 'https://sigvet.test/predicate/example/v1',
    predicate: { note: 'generated by vectors/generator' },
  };
}

// ------------------------------------------------------------ log bodies

/**
 * The body a log records for a signing, by entry kind. `verifier` is what
 * the client submitted as its key: `{ pem }` for Rekor v1 (a PEM certificate
 * or public key), `{ certificateDer }` or `{ publicKeySpki }` plus
 * `keyDetails` for Rekor v2.
 */
export function entryBody(kind, c, verifier) {
  switch (kind) {
    case 'hashedrekord/0.0.1':
      return hashedRekordBody({ digestHex: toHex(c.digest), signature: c.signature, publicKeyPem: verifier.pem });
    case 'dsse/0.0.1':
      // Rekor hashes the envelope as submitted; the client here submits its canonical JSON.
      return dsseBody({ envelopeJson: canonicalJson(c.envelope), payload: c.payload, signature: c.signature, verifierPem: verifier.pem });
    case 'intoto/0.0.2':
      return intotoBody({
        envelopeJson: canonicalJson(c.envelope),
        payload: c.payload,
        payloadType: c.payloadType,
        signature: c.signature,
        verifierPem: verifier.pem,
      });
    case 'hashedrekord/0.0.2':
      // A DSSE envelope logged as hashedrekord records SHA-256(PAE).
      return hashedRekordV002Body({ digest: c.type === 'dsse' ? sha256(c.pae) : c.digest, signature: c.signature, ...verifier });
    case 'dsse/0.0.2':
      return dsseV002Body({ payloadDigest: sha256(c.payload), signature: c.signature, ...verifier });
    default:
      throw new Error(`unknown entry kind ${kind}`);
  }
}

// --------------------------------------------------------- bundle pieces

export const BUNDLE_V03 = 'application/vnd.dev.sigstore.bundle.v0.3+json';
export const BUNDLE_V03_LEGACY = 'application/vnd.dev.sigstore.bundle+json;version=0.3';
export const BUNDLE_V02 = 'application/vnd.dev.sigstore.bundle+json;version=0.2';
export const BUNDLE_V01 = 'application/vnd.dev.sigstore.bundle+json;version=0.1';

/**
 * One tlogEntries[] element. Rekor v1 entries carry an integrated time and a
 * SET (`inclusionPromise`) and, unless `inclusionProof: false`, an inclusion
 * proof with a checkpoint; Rekor v2 entries carry only the proof. The log
 * must be sealed.
 */
export function tlogEntryJson(log, entry, { kind, version, inclusionProof = true, checkpoint, logId } = {}) {
  const v1 = entry.set !== undefined;
  const out = {
    logIndex: String(entry.logIndex),
    logId: { keyId: b64(logId ?? log.logId) },
    kindVersion: { kind, version },
  };
  if (v1) {
    out.integratedTime = String(entry.integratedTime);
    out.inclusionPromise = { signedEntryTimestamp: b64(entry.set) };
  }
  if (inclusionProof) {
    const p = log.inclusionProof(entry.logIndex);
    out.inclusionProof = {
      logIndex: String(p.logIndex),
      rootHash: b64(p.rootHash),
      treeSize: String(p.treeSize),
      hashes: p.hashes.map(b64),
      checkpoint: { envelope: checkpoint ?? log.checkpoint() },
    };
  }
  out.canonicalizedBody = b64(entry.body);
  return out;
}

export function messageSignatureJson(digest, signature) {
  return { messageDigest: { algorithm: 'SHA2_256', digest: b64(digest) }, signature: b64(signature) };
}

/** Flips the lowest bit of the last byte: for DER ECDSA signatures this changes s and keeps the encoding valid. */
export function flipLastBit(bytes) {
  const out = Uint8Array.from(bytes);
  out[out.length - 1] ^= 0x01;
  return out;
}

export { b64, toPem, sha256, toHex, canonicalJson, EcKey, Ed25519Key, RsaKey, FulcioCa, CtLog, RekorLog, RekorV2Log, TimestampAuthority, Witness };
