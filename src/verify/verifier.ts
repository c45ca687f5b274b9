/**
 * The bundle verifier: built once from a trusted root and a crypto provider
 * (keys imported, CA chains checked), then reused for many bundles.
 *
 * Order of checks, following the Sigstore client spec: decode the bundle;
 * check the signing certificate's profile; verify the content signature
 * (message or DSSE) and bind it to the artifact; verify every log entry
 * (body binding, SET, inclusion proof, checkpoint) and every RFC 3161
 * timestamp; from the verified times alone, check the certificate chain
 * and validity; verify the SCTs; match the identity. Every sub-check throws
 * a {@link SigvetError}; none returns a status that could be ignored.
 * @module
 */
import { SigvetError } from '../errors.js';
import { sha256For } from '../crypto/one-shot-sha256.js';
import { bytesEqual } from '../encoding/bytes.js';
import { fromHex, toHex } from '../encoding/hex.js';
import type { CryptoProvider, HashAlgorithm, PublicKey, SignatureScheme } from '../crypto/provider.js';
import { pemToDer } from '../crypto/spki.js';
import {
  defaultSchemeForKey,
  importPublicKey,
  verifySignature,
  verifySignatureOverDigest,
} from '../crypto/verify-signature.js';
import { decodeBundle } from '../bundle/decode.js';
import type { Bundle } from '../bundle/bundle.js';
import { preAuthEncoding } from '../dsse/pae.js';
import { IN_TOTO_PAYLOAD_TYPE } from '../intoto/payload-type.js';
import type { Statement } from '../intoto/statement.js';
import { parseTrustedRoot, withinWindow } from '../trust/trusted-root.js';
import { buildTrustMaterial, type TrustMaterial, type TrustedAuthority, type TrustedLog } from '../trust/trust-material.js';
import { parseCertificate, type Certificate } from '../x509/certificate.js';
import { checkChainAtTimes, checkLeafProfile, findIssuingAuthority, leafIdentity } from '../x509/chain.js';
import { fulcioExtensions, fulcioIssuer } from '../x509/fulcio.js';
import { verifyEmbeddedScts } from '../x509/sct.js';
import type { BundleFacts, RecordedVerifier } from '../tlog/body.js';
import { verifyTlogEntry, type VerifiedTlogEntry } from '../tlog/verify-entry.js';
type TimestampTokenModule = typeof import('../timestamp/rfc3161.js');
import { matchesWhole } from './match.js';
import { hashArtifactStream, isArtifactStream } from './artifact.js';
import { resolveVerifierLimits, type VerifierLimits } from './limits.js';
import type { StringMatcher, VerifierOptions, VerifyInput } from './options.js';
import {
  VERIFICATION_RESULT_MEDIA_TYPE,
  type CertificateSigner,
  type CheckRecord,
  type KeySigner,
  type VerificationResult,
  type VerifiedContent,
  type VerifiedTime,
} from './result.js';

/** A verifier bound to one trusted root. */
export interface Verifier {
  /** The prepared trust material (read-only). */
  readonly trustMaterial: TrustMaterial;
  /**
   * Verifies a bundle (JSON text, UTF-8 bytes or parsed object).
   * @throws SigvetError on any failure; resolves only when every check passed.
   */
  verify(bundle: string | Uint8Array | object, input: VerifyInput): Promise<VerificationResult>;
  /**
   * Verifies many bundles with up to `concurrency` in flight (default 8),
   * yielding one outcome per item in input order. A finished verification
   * frees its slot at once, even while an earlier one still runs (at most
   * `2 × concurrency` outcomes are held). On Node the main thread parses and
   * checks cheap signatures while the thread pool verifies the expensive
   * ones of other bundles (and cheap ones when it has room), so both cores work.
   */
  verifyMany(
    items: Iterable<BatchItem> | AsyncIterable<BatchItem>,
    options?: { readonly concurrency?: number },
  ): AsyncIterable<BatchOutcome>;
}

/** One bundle and its expectations, for {@link Verifier.verifyMany}. */
export interface BatchItem {
  readonly bundle: string | Uint8Array | object;
  readonly input: VerifyInput;
}

/** The outcome of one batch item: its result, or the typed error. */
export type BatchOutcome =
  | { readonly index: number; readonly ok: true; readonly result: VerificationResult }
  | { readonly index: number; readonly ok: false; readonly error: SigvetError };

function threshold(v: number | undefined, name: string, dflt: number): number {
  if (v === undefined) return dflt;
  if (!Number.isSafeInteger(v) || v < 0 || v > 32) {
    throw new SigvetError('INVALID_ARGUMENT', `${name} must be an integer from 0 to 32`, { check: 'options' });
  }
  return v;
}

/**
 * Builds a verifier over `provider` and the trusted root in `options`.
 * @throws SigvetError `TRUST_ROOT` when the root is invalid; `INVALID_ARGUMENT` for bad options.
 */
export async function createVerifierWith(provider: CryptoProvider, options: VerifierOptions): Promise<Verifier> {
  if (options === null || typeof options !== 'object') {
    throw new SigvetError('INVALID_ARGUMENT', 'options must be an object', { check: 'options' });
  }
  checkKnownKeys(options, VERIFIER_OPTION_KEYS, 'verifier options');
  if (options.trustedRoot === undefined) {
    throw new SigvetError('INVALID_ARGUMENT', 'a trusted root is required', { check: 'options.trustedRoot' });
  }
  const cfg = {
    tlogThreshold: threshold(options.tlogThreshold, 'tlogThreshold', 1),
    ctlogThreshold: threshold(options.ctlogThreshold, 'ctlogThreshold', 1),
    timestampThreshold: threshold(options.timestampThreshold, 'timestampThreshold', 1),
    limits: resolveVerifierLimits(options.limits),
  };
  const material = await buildTrustMaterial(parseTrustedRoot(options.trustedRoot), provider);
  const keyCache = new Map<string, PublicKey>();
  // Loaded on demand: a verifier without a cache (or a bundle without
  // timestamps) never downloads that code in a code-split browser build.
  const results = options.cache === undefined ? undefined : new (await import('./result-cache.js')).ResultCache(options.cache.maxEntries, cfg.limits.bundleBytes);
  const run = (p: CryptoProvider, bundle: string | Uint8Array | object, input: VerifyInput): Promise<VerificationResult> =>
    results
      ? results.verify(p, bundle, input, () => verifyBundle(material, p, cfg, keyCache, bundle, input))
      : verifyBundle(material, p, cfg, keyCache, bundle, input);
  return {
    trustMaterial: material,
    verify: (bundle, input) => run(provider, bundle, input),
    verifyMany: (items, opts) => verifyMany(items, opts?.concurrency ?? 8, (b, i) => run(provider.batch ?? provider, b, i)),
  };
}

async function* verifyMany(
  items: Iterable<BatchItem> | AsyncIterable<BatchItem>,
  concurrency: number,
  verify: (bundle: string | Uint8Array | object, input: VerifyInput) => Promise<VerificationResult>,
): AsyncGenerator<BatchOutcome> {
  if (!Number.isSafeInteger(concurrency) || concurrency < 1 || concurrency > 1024) {
    throw new SigvetError('INVALID_ARGUMENT', 'concurrency must be an integer from 1 to 1024', { check: 'options' });
  }
  // Outcomes leave in input order, but a finished verification frees its
  // slot at once, even while an earlier one still runs: one slow bundle at
  // the head does not idle the others' cores. At most `concurrency` run and
  // at most `2 × concurrency` are held (running or waiting to be yielded).
  interface Slot {
    outcome: BatchOutcome | undefined;
    settled: Promise<void>;
  }
  const order: Slot[] = [];
  let running = 0;
  let wake: (() => void) | undefined;
  let index = 0;
  const start = (item: BatchItem): void => {
    const i = index++;
    running++;
    const slot: Slot = { outcome: undefined, settled: Promise.resolve() };
    slot.settled = (async () => verify(item.bundle, item.input))()
      .then(
        (result) => {
          slot.outcome = { index: i, ok: true, result };
        },
        (e: unknown) => {
          slot.outcome = { index: i, ok: false, error: asSigvetError(e) };
        },
      )
      .then(() => {
        running--;
        const w = wake;
        wake = undefined;
        w?.();
      });
    order.push(slot);
  };
  for await (const item of items) {
    for (;;) {
      while (order.length > 0 && order[0]!.outcome !== undefined) yield order.shift()!.outcome!;
      if (running < concurrency && order.length < 2 * concurrency) break;
      if (running < concurrency) await order[0]!.settled; // held outcomes at the cap: wait for the head
      else await new Promise<void>((resolve) => (wake = resolve)); // every slot busy: wait for any
    }
    start(item);
  }
  while (order.length > 0) {
    await order[0]!.settled;
    yield order.shift()!.outcome!;
  }
}

function asSigvetError(e: unknown): SigvetError {
  return e instanceof SigvetError ? e : new SigvetError('INVALID_ARGUMENT', `verification failed: ${String(e)}`, { cause: e });
}

interface Thresholds {
  readonly tlogThreshold: number;
  readonly ctlogThreshold: number;
  readonly timestampThreshold: number;
  readonly limits: VerifierLimits;
}

/** A settled outcome: started early, awaited later without unhandled rejections. */
type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

function settle<T>(p: Promise<T>): Promise<Settled<T>> {
  return p.then(
    (value) => ({ ok: true, value }),
    (error: unknown) => ({ ok: false, error }),
  );
}

function unwrap<T>(s: Settled<T>): T {
  if (s.ok) return s.value;
  throw s.error;
}

const DIGEST_RE = /^sha256:([0-9a-f]{64})$/;

const VERIFY_INPUT_KEYS = ['artifact', 'artifactDigest', 'identity', 'key', 'unsafeSkipArtifact', 'unsafeSkipIdentity'] as const;
const IDENTITY_KEYS = ['subjectAlternativeName', 'issuer'] as const;
const VERIFIER_OPTION_KEYS = ['trustedRoot', 'tlogThreshold', 'ctlogThreshold', 'timestampThreshold', 'cache', 'limits'] as const;

function checkKnownKeys(o: object, known: readonly string[], what: string): void {
  for (const k of Object.keys(o)) {
    if (!known.includes(k)) {
      throw new SigvetError('INVALID_ARGUMENT', `${what}: unknown option ${JSON.stringify(k)} (known: ${known.join(', ')})`, {
        check: 'input.unknown_option',
      });
    }
  }
}

function checkMatcher(m: unknown, what: string): void {
  if (typeof m === 'string') return;
  if (m !== null && typeof m === 'object' && !Array.isArray(m) && Object.keys(m).length === 1 && typeof (m as { regex?: unknown }).regex === 'string') {
    return;
  }
  inputFail(`${what} must be a string or { regex: string }`);
}

function inputFail(msg: string): never {
  throw new SigvetError('INVALID_ARGUMENT', msg, { check: 'input' });
}

let timestampModulePromise: Promise<TimestampTokenModule> | undefined;

/**
 * The RFC 3161 code (CMS, ESS, four hash functions: a fifth of the core),
 * loaded on the first bundle that carries a timestamp, so a code-splitting
 * bundler ships it as a lazy chunk.
 */
function loadTimestampModule(): Promise<TimestampTokenModule> {
  return (timestampModulePromise ??= import('../timestamp/rfc3161.js'));
}

let statementModulePromise: Promise<typeof import('../intoto/statement.js')> | undefined;

/** The in-toto statement parser, loaded on the first DSSE bundle (a lazy chunk in code-split builds). */
function loadStatementModule(): Promise<typeof import('../intoto/statement.js')> {
  return (statementModulePromise ??= import('../intoto/statement.js'));
}

/**
 * A digest of signed content for a log body: SHA-256 synchronously (native
 * when the provider has a one-shot hash), SHA-384/512 through the
 * provider (rare: a body may name them).
 */
function hashBytes(provider: CryptoProvider, alg: HashAlgorithm, data: Uint8Array): Uint8Array | Promise<Uint8Array> {
  if (alg !== 'sha256') return provider.digest(alg, data);
  return sha256For(provider)(data);
}

async function verifyBundle(
  material: TrustMaterial,
  provider: CryptoProvider,
  cfg: Thresholds,
  keyCache: Map<string, PublicKey>,
  bundleInput: string | Uint8Array | object,
  input: VerifyInput,
): Promise<VerificationResult> {
  const checks: CheckRecord[] = [];
  const skipped: CheckRecord[] = [];
  const pass = (name: string, detail: string): void => {
    checks.push({ name, detail });
  };

  // Caller expectations: an artifact (or digest) and an identity (or key) are required.
  if (input === null || typeof input !== 'object') inputFail('verify() needs an input object');
  if (input.artifact !== undefined && input.artifactDigest !== undefined) inputFail('give artifact or artifactDigest, not both');
  if (input.artifact !== undefined && !(input.artifact instanceof Uint8Array) && !isArtifactStream(input.artifact)) {
    inputFail('artifact must be a Uint8Array, an AsyncIterable<Uint8Array> or a ReadableStream');
  }
  let artifactDigest: Uint8Array | undefined;
  if (input.artifactDigest !== undefined) {
    const m = typeof input.artifactDigest === 'string' ? DIGEST_RE.exec(input.artifactDigest) : null;
    if (!m) inputFail('artifactDigest must be "sha256:" followed by 64 lower-case hex digits');
    artifactDigest = fromHex(m[1]!, 'artifactDigest', true);
  }
  if (input.artifact === undefined && artifactDigest === undefined && input.unsafeSkipArtifact !== true) {
    inputFail('an artifact or artifactDigest is required (or unsafeSkipArtifact: true)');
  }
  if (input.identity !== undefined && input.key !== undefined) inputFail('give identity or key, not both');
  // Every expectation the caller writes must reach a check: a misspelled or
  // unknown field, or an identity that is present but not an object, is an
  // error, never silently ignored (CVE-2026-48815 class; identity: null
  // would otherwise verify a certificate bundle with no identity check).
  checkKnownKeys(input, VERIFY_INPUT_KEYS, 'verify() input');
  if (input.identity !== undefined) {
    const id = input.identity as unknown;
    if (id === null || typeof id !== 'object' || Array.isArray(id)) inputFail('identity must be { subjectAlternativeName, issuer }');
    checkKnownKeys(id, IDENTITY_KEYS, 'identity');
    for (const f of IDENTITY_KEYS) checkMatcher((id as Record<string, unknown>)[f], `identity.${f}`);
  }
  if (input.key !== undefined && typeof input.key !== 'string' && !(input.key instanceof Uint8Array)) {
    inputFail('key must be PEM text or DER SPKI bytes');
  }
  for (const f of ['unsafeSkipArtifact', 'unsafeSkipIdentity'] as const) {
    if (input[f] !== undefined && typeof input[f] !== 'boolean') inputFail(`${f} must be a boolean`);
  }

  const bundle = decodeBundle(bundleInput, cfg.limits);
  pass('bundle.format', `bundle v${bundle.version} (${bundle.mediaType})`);

  // The verification key: the leaf certificate's, or the caller's managed key.
  let leaf: Certificate | undefined;
  let issuerP: Promise<Settled<TrustedAuthority>> | undefined;
  let key: PublicKey;
  let recorded: RecordedVerifier;
  if (bundle.keyMaterial.type === 'certificate') {
    if (input.key !== undefined) {
      throw new SigvetError('KEY', 'the bundle is signed with a certificate, but a managed key was given', { check: 'key.kind' });
    }
    if (input.identity === undefined && input.unsafeSkipIdentity !== true) {
      inputFail('a certificate bundle needs an expected identity (or unsafeSkipIdentity: true)');
    }
    leaf = parseCertificate(bundle.keyMaterial.certificate, 'signing certificate');
    checkLeafProfile(leaf);
    pass('certificate.profile', 'leaf is not a CA, has the code-signing EKU and no unhandled critical extension');
    // The CA's signature over the leaf starts first: it needs nothing else,
    // and it is the longest check of a bundle (P-384 for the public-good CA,
    // on the thread pool with node:crypto), so everything below overlaps it.
    issuerP = settle(findIssuingAuthority(leaf, material.certificateAuthorities, provider));
    key = await importPublicKey(provider, leaf.spki, 'signing certificate key');
    recorded = { type: 'certificate', der: leaf.der };
  } else {
    if (input.key === undefined) {
      throw new SigvetError('KEY', 'the bundle is signed with a managed key; the verification key is required', { check: 'key.missing' });
    }
    // Imported keys are cached by the caller's PEM text itself (a repeat with
    // the same string costs a Map lookup) or by the hex of DER bytes; the two
    // forms cannot collide (PEM text never consists of hex digits only).
    const cacheKey = typeof input.key === 'string' ? input.key : toHex(input.key);
    let k = keyCache.get(cacheKey);
    if (!k) {
      const spki = typeof input.key === 'string' ? pemKey(input.key) : input.key.slice();
      k = await importPublicKey(provider, spki, 'verification key');
      if (keyCache.size < 64 && cacheKey.length <= 64 * 1024) keyCache.set(cacheKey, k);
    }
    key = k;
    recorded = { type: 'publicKey', der: k.spki };
  }
  const scheme = defaultSchemeForKey(key);

  // A streamed artifact is hashed once, with SHA-256 (binding) and, for a
  // message signature under another hash, the scheme's hash (verified over
  // the digest).
  let artifactBytes: Uint8Array | undefined;
  let prehash: { hash: HashAlgorithm; digest: Uint8Array } | undefined;
  if (input.artifact instanceof Uint8Array) {
    artifactBytes = input.artifact;
  } else if (input.artifact !== undefined) {
    const isMessage = bundle.content.type === 'messageSignature';
    if (isMessage && scheme.kind === 'ed25519') {
      throw new SigvetError('UNSUPPORTED', 'an Ed25519 message signature needs the artifact bytes, not a stream', {
        check: 'input.artifact',
      });
    }
    const hashes: HashAlgorithm[] = ['sha256'];
    if (isMessage && scheme.kind !== 'ed25519' && scheme.hash !== 'sha256') hashes.push(scheme.hash);
    const { digests } = await hashArtifactStream(provider, input.artifact, hashes);
    artifactDigest = digests.sha256!;
    if (isMessage && scheme.kind !== 'ed25519') prehash = { hash: scheme.hash, digest: digests[scheme.hash]! };
  }

  // Independent signature checks start now and are awaited below in a fixed
  // order, so the reported error does not depend on timing. A provider that
  // verifies off the main thread (node:crypto for P-384, WebCrypto) overlaps
  // the CA's signature over the leaf and the timestamps with the rest.
  const contentSignature = bundle.content.type === 'messageSignature' ? bundle.content.signature : bundle.content.signatures[0]!.sig;
  const timestampModule = bundle.rfc3161Timestamps.length > 0 ? loadTimestampModule() : undefined;
  const timestampsP = bundle.rfc3161Timestamps.map((der) =>
    settle(
      (async () => {
        const m = await timestampModule!;
        return m.verifyTimestampToken(m.parseTimestampToken(der), contentSignature, material.timestampAuthorities, provider);
      })(),
    ),
  );

  // The content signature, bound to the artifact; then the log entries,
  // all started before any is awaited.
  const contentCheck = await startContent(provider, bundle, key, scheme, artifactBytes, artifactDigest, prehash, recorded, pass, cfg.limits);
  if (bundle.tlogEntries.length === 0 && cfg.tlogThreshold > 0) {
    throw new SigvetError('THRESHOLD', 'the bundle has no transparency log entry', { check: 'tlog.threshold', expected: `${cfg.tlogThreshold}`, actual: '0' });
  }
  const entriesP = bundle.tlogEntries.map((e) => settle(verifyTlogEntry(e, material.tlogsById, contentCheck.facts, provider)));
  // The SCTs need the issuer's key; verify them now under the CA most likely
  // to be the issuer (the first whose name matches, the one tried first), so
  // the work overlaps the CA's signature check. Used only if that CA is the
  // verified issuer; otherwise they are verified again below.
  const sctCa = leaf && material.certificateAuthorities.find((ca) => leaf!.isIssuedByName(ca.authority.certificates[0]!));
  const sctsP = sctCa && settle(verifyEmbeddedScts(leaf!, sctCa.authority.certificates[0]!.spki, material.ctlogsById, provider, cfg.limits.scts));
  const content = await contentCheck.finish();

  // Transparency-log entries.
  const entries: VerifiedTlogEntry[] = [];
  for (const [i, eP] of entriesP.entries()) {
    const e = bundle.tlogEntries[i]!;
    const v = unwrap(await eP);
    entries.push(v);
    pass(
      'tlog.entry',
      `${v.body.kind}/${v.body.version} entry ${e.logIndex} in ${v.log.log.baseUrl}: body matches` +
        `${v.setVerified ? ', SET verified' : ''}${v.inclusionProofVerified ? ', inclusion proof and checkpoint verified' : ''}`,
    );
  }
  const distinctLogs = new Set<TrustedLog>(entries.map((e) => e.log));
  if (distinctLogs.size < cfg.tlogThreshold) {
    throw new SigvetError('THRESHOLD', `${distinctLogs.size} distinct transparency logs vouch for the signature; ${cfg.tlogThreshold} required`, {
      check: 'tlog.threshold',
      expected: `${cfg.tlogThreshold}`,
      actual: `${distinctLogs.size}`,
    });
  }

  // RFC 3161 timestamps over the signature.
  const times: VerifiedTime[] = [];
  const timeValues: number[] = [];
  const timeSources = new Set<object>();
  for (const tsP of timestampsP) {
    const ts = unwrap(await tsP);
    if (timeSources.has(ts.authority)) {
      throw new SigvetError('THRESHOLD', 'two timestamps from the same authority', { check: 'timestamp.duplicate' });
    }
    timeSources.add(ts.authority);
    times.push({ source: 'rfc3161', time: new Date(ts.time).toISOString(), authority: ts.authority.authority.uri });
    timeValues.push(ts.time);
    pass('timestamp.rfc3161', `signed timestamp ${new Date(ts.time).toISOString()} from ${ts.authority.authority.uri}`);
  }
  for (const e of entries) {
    if (e.integratedTime !== undefined) {
      if (!timeSources.has(e.log)) {
        timeSources.add(e.log);
        times.push({ source: 'tlog', time: new Date(e.integratedTime).toISOString(), authority: e.log.log.baseUrl });
      }
      timeValues.push(e.integratedTime);
    }
  }
  if (timeValues.length === 0) {
    throw new SigvetError('TIME', 'no verified time: the bundle has neither a SET-backed log time nor a signed timestamp', {
      check: 'time.none',
    });
  }
  if (timeSources.size < cfg.timestampThreshold) {
    throw new SigvetError('THRESHOLD', `${timeSources.size} verified time sources; ${cfg.timestampThreshold} required`, {
      check: 'time.threshold',
      expected: `${cfg.timestampThreshold}`,
      actual: `${timeSources.size}`,
    });
  }
  // An entry without its own signed time (Rekor v2) needs its log valid at a verified time.
  for (const e of entries) {
    if (e.integratedTime === undefined && !timeValues.some((t) => withinWindow(e.log.log.validFor, t))) {
      throw new SigvetError('TIME', `the log ${e.log.log.baseUrl} is not valid at any verified time`, { check: 'time.tlog' });
    }
  }

  // The certificate at every verified time, its SCTs and the identity.
  let signer: CertificateSigner | KeySigner;
  if (leaf) {
    const ca = unwrap(await issuerP!);
    checkChainAtTimes(leaf, ca, timeValues);
    pass('cert_chain', `chains to ${ca.authority.uri}; leaf and CA valid at ${timeValues.length} verified time(s)`);
    const scts =
      sctsP && ca === sctCa
        ? unwrap(await sctsP)
        : await verifyEmbeddedScts(leaf, ca.authority.certificates[0]!.spki, material.ctlogsById, provider, cfg.limits.scts);
    if (scts.length < cfg.ctlogThreshold) {
      throw new SigvetError('SCT', `${scts.length} verified SCTs from distinct CT logs; ${cfg.ctlogThreshold} required`, {
        check: 'sct.threshold',
        expected: `${cfg.ctlogThreshold}`,
        actual: `${scts.length}`,
      });
    }
    if (scts.length > 0) pass('sct', `${scts.length} embedded SCT(s) verified`);
    const id = leafIdentity(leaf);
    const ext = fulcioExtensions(leaf);
    const issuer = fulcioIssuer(ext);
    if (input.identity) {
      matchIdentity('subjectAlternativeName', input.identity.subjectAlternativeName, id.value, cfg.limits.patternLength);
      if (issuer === undefined) {
        throw new SigvetError('IDENTITY', 'the certificate carries no OIDC issuer', { check: 'identity.issuer' });
      }
      matchIdentity('issuer', input.identity.issuer, issuer, cfg.limits.patternLength);
      pass('identity', `SAN ${id.value} and issuer ${issuer} match`);
    } else {
      skipped.push({ name: 'identity', detail: 'unsafeSkipIdentity' });
    }
    signer = {
      type: 'certificate',
      subjectAlternativeName: id.value,
      subjectAlternativeNameType: id.type,
      issuer,
      extensions: ext.byName,
      extensionsByOid: ext.byOid,
      certificate: {
        serialNumber: toHex(leaf.serialNumber),
        notBefore: new Date(leaf.notBefore).toISOString(),
        notAfter: new Date(leaf.notAfter).toISOString(),
        certificateAuthority: ca.authority.uri,
      },
      scts: scts.map((s) => ({ log: s.log.log.baseUrl, time: new Date(s.time).toISOString() })),
    };
  } else {
    signer = {
      type: 'publicKey',
      hint: bundle.keyMaterial.type === 'publicKey' ? bundle.keyMaterial.hint : '',
      keyId: `sha256:${toHex(sha256For(provider)(key.spki))}`,
    };
  }
  if (input.unsafeSkipArtifact === true && artifactBytes === undefined && artifactDigest === undefined) {
    skipped.push({ name: 'artifact', detail: 'unsafeSkipArtifact' });
  }

  return {
    mediaType: VERIFICATION_RESULT_MEDIA_TYPE,
    bundle: { mediaType: bundle.mediaType, version: bundle.version },
    signer,
    content,
    verifiedTimes: times,
    tlogEntries: entries.map((e) => ({
      baseUrl: e.log.log.baseUrl,
      logId: e.log.logIdHex,
      logIndex: e.entry.logIndex.toString(),
      kind: e.body.kind,
      version: e.body.version,
      integratedTime: e.integratedTime === undefined ? undefined : new Date(e.integratedTime).toISOString(),
      setVerified: e.setVerified,
      inclusionProofVerified: e.inclusionProofVerified,
      checkpoint: e.checkpoint && {
        origin: e.checkpoint.origin,
        treeSize: e.checkpoint.size.toString(),
        rootHash: toHex(e.checkpoint.rootHash),
      },
    })),
    checks,
    skipped,
  };
}

function pemKey(pem: string): Uint8Array {
  try {
    return pemToDer(pem, 'PUBLIC KEY');
  } catch (e) {
    throw new SigvetError('KEY', `the verification key is not a PEM public key: ${(e as Error).message}`, { check: 'key.pem', cause: e });
  }
}

function matchIdentity(field: string, expected: StringMatcher, actual: string, maxPatternLength: number): void {
  if (!matchesWhole(expected, actual, maxPatternLength)) {
    throw new SigvetError('IDENTITY', `the certificate's ${field} does not match`, {
      check: `identity.${field}`,
      expected: typeof expected === 'string' ? expected : `/${expected.regex}/ (whole string)`,
      actual,
    });
  }
}

/** A content signature being verified, and what the log entries are compared with. */
interface ContentCheck {
  /** What each log body must record, given the digest algorithm it names. */
  readonly facts: (body: { kind: string; digest: { algorithm: HashAlgorithm } }) => BundleFacts | Promise<BundleFacts>;
  /** Awaits the signature, then binds the content to the artifact. */
  readonly finish: () => Promise<VerifiedContent>;
}

/**
 * Starts verifying the content signature (message or DSSE) without waiting
 * for it, so the log entries, timestamps and CA signature can be verified
 * meanwhile; `finish` reports its outcome first. The in-toto statement is
 * parsed only in `finish`, after its signature verified.
 */
async function startContent(
  provider: CryptoProvider,
  bundle: Bundle,
  key: PublicKey,
  scheme: SignatureScheme,
  artifact: Uint8Array | undefined,
  givenDigest: Uint8Array | undefined,
  prehash: { hash: HashAlgorithm; digest: Uint8Array } | undefined,
  recorded: RecordedVerifier,
  pass: (name: string, detail: string) => void,
  limits: VerifierLimits,
): Promise<ContentCheck> {
  const c = bundle.content;
  const digest = givenDigest ?? (artifact ? await provider.digest('sha256', artifact) : undefined);
  if (c.type === 'messageSignature') {
    if (c.messageDigest && digest) {
      if (c.messageDigest.algorithm !== 'SHA2_256' || !bytesEqual(c.messageDigest.digest, digest)) {
        throw new SigvetError('SIGNATURE', "the bundle's message digest is not the artifact's", {
          check: 'signature.message_digest',
          expected: toHex(digest),
          actual: `${c.messageDigest.algorithm}:${toHex(c.messageDigest.digest)}`,
        });
      }
    }
    let ok: Promise<boolean>;
    if (artifact) {
      ok = verifySignature(provider, key, scheme, artifact, c.signature);
    } else if (prehash && scheme.kind !== 'ed25519' && prehash.hash === scheme.hash) {
      ok = verifySignatureOverDigest(provider, key, scheme, prehash.digest, c.signature);
    } else if (digest) {
      if (scheme.kind === 'ed25519' || scheme.hash !== 'sha256') {
        throw new SigvetError('UNSUPPORTED', 'this key signs over another hash than SHA-256: the artifact itself is needed', {
          check: 'signature.digest',
        });
      }
      ok = verifySignatureOverDigest(provider, key, scheme, digest, c.signature);
    } else {
      throw new SigvetError('INVALID_ARGUMENT', 'a message signature can only be verified against an artifact or its digest', {
        check: 'input',
      });
    }
    const okP = settle(ok);
    return {
      facts: async (body) => ({
        signature: c.signature,
        verifier: recorded,
        digest:
          body.digest.algorithm === 'sha256'
            ? { algorithm: 'sha256', value: digest! }
            : artifact
              ? { algorithm: body.digest.algorithm, value: await hashBytes(provider, body.digest.algorithm, artifact) }
              : { algorithm: 'sha256', value: digest! },
        payload: undefined,
        dsse: false,
      }),
      finish: async () => {
        if (!unwrap(await okP)) throw new SigvetError('SIGNATURE', 'the artifact signature does not verify', { check: 'signature.message' });
        pass('signature.message', `message signature over the artifact (sha256 ${toHex(digest!)}) verified`);
        return { type: 'messageSignature', artifactDigest: digest && { algorithm: 'sha256', hex: toHex(digest) } };
      },
    };
  }
  const sig = c.signatures[0]!.sig;
  const pae = preAuthEncoding(c.payloadType, c.payload);
  const okP = settle(verifySignature(provider, key, scheme, pae, sig));
  return {
    facts: async (body) => ({
      signature: sig,
      verifier: recorded,
      digest: {
        algorithm: body.digest.algorithm,
        value: await hashBytes(provider, body.digest.algorithm, body.kind === 'hashedrekord' ? pae : c.payload),
      },
      payload: c.payload,
      dsse: true,
    }),
    finish: async () => {
      if (!unwrap(await okP)) throw new SigvetError('SIGNATURE', 'the DSSE signature does not verify', { check: 'signature.dsse' });
      pass('signature.dsse', `DSSE signature over PAE(${c.payloadType}) verified`);
      let statement: Statement | undefined;
      const intoto = c.payloadType === IN_TOTO_PAYLOAD_TYPE ? await loadStatementModule() : undefined;
      if (intoto) statement = intoto.parseStatement(c.payload, limits);
      let matchedSubject: string | undefined;
      if (digest) {
        if (!statement) {
          throw new SigvetError('SUBJECT', `a ${c.payloadType} payload names no subject to match the artifact`, {
            check: 'subject.payload_type',
          });
        }
        const hex = toHex(digest);
        const s = intoto!.findSubject(statement, 'sha256', hex);
        if (!s) {
          throw new SigvetError('SUBJECT', 'the artifact digest matches no subject of the in-toto statement', {
            check: 'subject.digest',
            actual: `sha256:${hex}`,
          });
        }
        matchedSubject = s.name;
        pass('subject', `artifact matches subject ${JSON.stringify(s.name)}`);
      }
      return { type: 'dsseEnvelope', payloadType: c.payloadType, statement, matchedSubject };
    },
  };
}
