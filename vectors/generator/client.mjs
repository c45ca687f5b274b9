// The client side of the private instance: sign an artifact (or an in-toto
// statement in a DSSE envelope), get a certificate, log the signature,
// timestamp it, and assemble the bundle. Cases call `sign()` while the logs
// are open and `bundleJson()` once every log is sealed; both take options
// that let a case change exactly one thing.

import {
  NOW_MS,
  SECOND,
  GITHUB_ISSUER,
  IN_TOTO_PAYLOAD_TYPE,
  BUNDLE_V03,
  githubWorkflow,
  signingKey,
  pae,
  inTotoStatement,
  entryBody,
  tlogEntryJson,
  messageSignatureJson,
  b64,
  toPem,
  sha256,
  toHex,
} from './instance.mjs';

const enc = (s) => new TextEncoder().encode(s);

/** The artifact a case signs unless it brings its own. */
export const artifactFor = (name) => enc(`sigvet test vector: ${name}\n`);

/** Which log and entry kind a `tlog` option means, for message signatures and for DSSE. */
const TLOG = {
  v1: { log: 'rekor', message: 'hashedrekord/0.0.1', dsse: 'dsse/0.0.1' },
  'v1-intoto': { log: 'rekor', dsse: 'intoto/0.0.2' },
  v2: { log: 'rekor2', message: 'hashedrekord/0.0.2', dsse: 'dsse/0.0.2' },
  'v2-hashedrekord': { log: 'rekor2', dsse: 'hashedrekord/0.0.2' },
  'v2-ecdsa': { log: 'rekor2Ecdsa', message: 'hashedrekord/0.0.2', dsse: 'dsse/0.0.2' },
};

/**
 * Signs for case `name` and logs the result. Options (all optional):
 * - `keyKind` ('p256' | 'p384' | 'ed25519' | 'rsa'), `managed` (no
 *   certificate: the key is the caller's), `email` / `issuer` (an e-mail
 *   identity instead of the GitHub workflow), `github` (other workflow
 *   claims), `ca`, `ctLog`, `issuedAt`, `leaf` (options for the CA, see
 *   FulcioCa.issueLeaf);
 * - `content`: 'message' (default) or 'dsse'; `payloadType`, `payload`,
 *   `subjectDigestOf` (bytes the statement's subject digest is taken from),
 *   `signedBytes(pae|artifact)` (what the key actually signs);
 * - `tlog`: 'v1' (default), 'v1-intoto', 'v2', 'v2-hashedrekord', 'v2-ecdsa',
 *   'none'; `log` (another log of the same version), `integratedTime`,
 *   `setLogId`, `loggedVerifier`, `loggedContent` (what the log records
 *   instead of the real values; an object, or a function of the content),
 *   `entryKind` (another entry kind than the content's usual one),
 *   `mapBody(bytes)` (the canonicalized body as the log records it);
 * - `tsa`: true, false, or { authority, time, ...TimestampAuthority.timestamp
 *   options }; defaults to true for Rekor v2 (its only source of time).
 */
export function sign(inst, name, o = {}) {
  const artifact = o.artifact ?? artifactFor(name);
  const keyKind = o.keyKind ?? 'p256';
  const signerKey = o.signerKey ?? signingKey(inst.seed, `${o.managed ? 'managed-key' : 'signer'}:${name}`, keyKind);
  const issuedAt = o.issuedAt ?? NOW_MS;

  let leaf;
  let identity;
  let issuer;
  if (!o.managed) {
    let san;
    let github;
    if (o.email !== undefined) {
      identity = o.email;
      issuer = o.issuer ?? 'https://oidc.sigvet.test';
      san = { email: o.email };
    } else {
      github = o.github ?? githubWorkflow(inst.seed);
      identity = github.identity;
      issuer = GITHUB_ISSUER;
      san = { uri: github.identity };
    }
    leaf = (o.ca ?? inst.ca).issueLeaf({
      label: name,
      subjectKey: signerKey,
      san,
      oidcIssuer: issuer,
      github,
      notBefore: issuedAt,
      ctLog: o.ctLog ?? inst.ctLog,
      sctTimestampMs: issuedAt + 421, // the log answers a moment after issuance
      ...o.leaf,
    });
  }

  let content;
  if (o.content === 'dsse') {
    const payloadType = o.payloadType ?? IN_TOTO_PAYLOAD_TYPE;
    const payload = o.payload ?? enc(JSON.stringify(inTotoStatement('artifact', toHex(sha256(o.subjectDigestOf ?? artifact)))));
    const p = pae(payloadType, payload);
    const signature = signerKey.sign(o.signedBytes ? o.signedBytes(p, payload) : p);
    const envelope = { payload: b64(payload), payloadType, signatures: [{ sig: b64(signature) }] };
    content = { type: 'dsse', payload, payloadType, pae: p, signature, envelope };
  } else {
    const digest = sha256(artifact);
    const signature = signerKey.sign(o.signedBytes ? o.signedBytes(artifact) : artifact);
    content = { type: 'message', digest, signature };
  }

  const tlog = o.tlog ?? 'v1';
  let log;
  let entry;
  let kind;
  if (tlog !== 'none') {
    const t = TLOG[tlog];
    kind = o.entryKind ?? t[content.type === 'dsse' ? 'dsse' : 'message'];
    if (!kind) throw new Error(`${name}: tlog ${tlog} cannot log ${content.type}`);
    log = o.log ?? inst[t.log];
    const v1 = kind.endsWith('0.0.1') || kind === 'intoto/0.0.2';
    const verifier = v1
      ? { pem: leaf ? toPem('CERTIFICATE', leaf.der) : signerKey.pem }
      : leaf
        ? { certificateDer: leaf.der, keyDetails: signerKey.keyDetails }
        : { publicKeySpki: signerKey.spki, keyDetails: signerKey.keyDetails };
    const logged = typeof o.loggedContent === 'function' ? o.loggedContent(content) : o.loggedContent;
    const recorded = entryBody(kind, { ...content, ...logged }, { ...verifier, ...o.loggedVerifier });
    const body = o.mapBody ? o.mapBody(recorded) : recorded;
    entry = v1
      ? log.append(body, o.integratedTime ?? issuedAt / SECOND + 3, { setLogId: o.setLogId })
      : log.append(body);
  }

  let timestamp;
  let tsaAuthority;
  const tsa = o.tsa ?? tlog.startsWith('v2');
  if (tsa) {
    const t = tsa === true ? {} : tsa;
    tsaAuthority = t.authority ?? inst.tsa;
    timestamp = tsaAuthority.timestamp(content.signature, t.time ?? issuedAt + 2 * SECOND, t);
  }

  return {
    name,
    artifact,
    signerKey,
    keyKind,
    managed: Boolean(o.managed),
    leaf,
    ca: o.managed ? undefined : (o.ca ?? inst.ca),
    identity,
    issuer,
    content,
    log,
    entry,
    kind,
    timestamp,
    tsaAuthority,
    keyPem: o.managed ? signerKey.pem : undefined,
  };
}

/**
 * The bundle JSON for a signing (logs must be sealed). Options:
 * `mediaType`; `material` ('certificate' | 'chain' | 'publicKey'),
 * `chainExtra` (CA certificates appended to an x509CertificateChain);
 * `inclusionProof` (false to omit it), `checkpoint` (envelope text),
 * `entryLogId`; `timestamps` (DER TimeStampResps replacing the signing's);
 * `edit(bundle, entry)` for anything else.
 */
export function bundleJson(s, o = {}) {
  const mediaType = o.mediaType ?? BUNDLE_V03;
  const material = o.material ?? (s.managed ? 'publicKey' : mediaType === BUNDLE_V03 || mediaType.endsWith('version=0.3') ? 'certificate' : 'chain');
  const vm = {};
  if (material === 'publicKey') vm.publicKey = { hint: b64(s.signerKey.spkiSha256) };
  else if (material === 'certificate') vm.certificate = { rawBytes: b64(s.leaf.der) };
  else vm.x509CertificateChain = { certificates: [s.leaf.der, ...(o.chainExtra ?? [])].map((d) => ({ rawBytes: b64(d) })) };
  vm.tlogEntries = [];
  if (s.entry) {
    const [kind, version] = s.kind.split('/');
    vm.tlogEntries.push(
      tlogEntryJson(s.log, s.entry, {
        kind,
        version,
        inclusionProof: o.inclusionProof ?? true,
        checkpoint: o.checkpoint,
        logId: o.entryLogId ?? s.entry.setLogId,
      }),
    );
  }
  const timestamps = o.timestamps ?? (s.timestamp ? [s.timestamp] : []);
  if (timestamps.length > 0) {
    vm.timestampVerificationData = { rfc3161Timestamps: timestamps.map((t) => ({ signedTimestamp: b64(t) })) };
  }
  const bundle = { mediaType, verificationMaterial: vm };
  if (s.content.type === 'dsse') bundle.dsseEnvelope = s.content.envelope;
  else bundle.messageSignature = messageSignatureJson(s.content.digest, s.content.signature);
  if (o.edit) o.edit(bundle, vm.tlogEntries[0]);
  return bundle;
}
