/**
 * Verifying a container image the way `cosign verify` and
 * `cosign verify-attestation` do, with sigvet's core verifier doing every
 * cryptographic check:
 *
 * 1. resolve the reference to a digest (a tag is resolved once, and the
 *    report says that tags are mutable); fetch the manifest and check it
 *    against the digest;
 * 2. for a multi-platform index, verify the index itself, or, when the
 *    caller names a platform, that platform's manifest: never one in place
 *    of the other;
 * 3. discover signatures and attestations (cosign tags, OCI referrers);
 * 4. verify each candidate on its own: fetch its layer (digest-checked),
 *    convert cosign's legacy format to a bundle, run the core verifier with
 *    the expected identity or key, then bind it to the image (the signed
 *    payload's manifest digest, or the statement's subject, must be the
 *    image digest);
 * 5. pass when at least one signature (and, when asked, one attestation of
 *    a required predicate type) verified. Each candidate's checks or error
 *    is in the report either way.
 *
 * Signatures and attestations are kept apart (hazard: cosign v3 stores both
 * as bundle referrers, and a bare `cosign verify` accepts an attestation as
 * a signature): a referrer bundle is a signature only when it is a message
 * signature over the image or an in-toto statement of cosign's signing
 * predicate type; every other statement is an attestation.
 * @module
 */
import { invalidArgument, requireArray, requireObject } from '../arguments.js';
import { SigvetError } from '../errors.js';
import { decodeBundle } from '../bundle/decode.js';
import { IN_TOTO_PAYLOAD_TYPE, parseStatement, type Statement } from '../intoto/statement.js';
import type { Verifier } from '../verify/verifier.js';
import type { ExpectedIdentity, VerifyInput } from '../verify/options.js';
import type { CheckRecord, VerificationResult } from '../verify/result.js';
import type { JsonValue } from '../encoding/json.js';
import { legacyAttestationBundle, legacySignatureBundle } from './cosign-legacy.js';
import { discoverEvidence, type Candidate, type EvidenceFormat, type EvidenceOrigin, type IgnoredEvidence } from './discovery.js';
import { registryFail } from './errors.js';
import { COSIGN_SIGN_PREDICATE_TYPE } from './media-types.js';
import { formatPlatform, parsePlatform, selectPlatform, type PlatformSpec } from './platform.js';
import { parseImageReference, registryApiHost, requireImageReference, withDigest, type ImageReference } from './reference.js';
import { parseSimpleSigning, type SimpleSigningPayload } from './simple-signing.js';
import { requireImageSource, type FetchedManifest, type ImageSource, type RepositoryLocation } from './source.js';

/** Media type of {@link ImageVerification}. */
export const IMAGE_VERIFICATION_MEDIA_TYPE = 'application/vnd.sigvet.image-verification.v0.1+json';

/** What attestations must be present. */
export interface AttestationRequirement {
  /** Predicate types (exact URIs) that count; default: any. */
  readonly predicateTypes?: readonly string[];
  /** The attestations' signer, when it differs from the image signer. */
  readonly identity?: ExpectedIdentity;
  /** The attestations' managed key, when it differs from the image signer's. */
  readonly key?: string | Uint8Array;
}

/** Options of {@link verifyImage} and {@link checkImage}. */
export interface VerifyImageOptions {
  /** A core verifier (trusted root and thresholds). */
  readonly verifier: Verifier;
  /** Where the image is: a registry client or an image layout. */
  readonly source: ImageSource;
  /** The image: `registry/repo:tag`, `registry/repo@sha256:…`, or a parsed reference. */
  readonly reference: string | ImageReference;
  /** The expected signer of keyless signatures. */
  readonly identity?: ExpectedIdentity;
  /** The managed public key (PEM or DER SPKI) of key-based signatures. */
  readonly key?: string | Uint8Array;
  /** Require at least one verified image signature (default true). */
  readonly signatures?: boolean;
  /** Require at least one verified attestation (default false). */
  readonly attestations?: boolean | AttestationRequirement;
  /** For a multi-platform index: verify this platform's manifest (`linux/arm64`) instead of the index. */
  readonly platform?: string | PlatformSpec;
  /** Refuse references without a digest (tags are mutable). */
  readonly requireDigest?: boolean;
  /** Where cosign's signature tags are, when not beside the image (cosign's `COSIGN_REPOSITORY`): `registry/repository`. */
  readonly signatureRepository?: string;
  /** Claims the simple-signing payload's `optional` section must hold (cosign's `-a key=value`). */
  readonly annotations?: Readonly<Record<string, string>>;
  /**
   * Verify certificate signatures without checking who signed them, for a
   * caller that checks the signer afterwards (a policy's authorities, over
   * {@link imagePolicyEvidence}). Unsafe on its own: the report says so.
   */
  readonly unsafeSkipIdentity?: boolean;
}

/** One signature or attestation and what became of it. */
export interface ImageEvidence {
  readonly kind: 'signature' | 'attestation';
  readonly format: EvidenceFormat;
  readonly origin: EvidenceOrigin;
  readonly verified: boolean;
  /** Checks performed, in order (OCI, core verifier, image binding). */
  readonly checks: readonly CheckRecord[];
  readonly skipped: readonly CheckRecord[];
  /** The core verifier's result, when the bundle verified. */
  readonly result: VerificationResult | undefined;
  /** The simple-signing payload of a verified legacy signature. */
  readonly payload: SimpleSigningPayload | undefined;
  /** The verified statement's predicate type (attestations and statement signatures). */
  readonly predicateType: string | undefined;
  readonly statement: Statement | undefined;
  /** For attestations: whether its predicate type is one the caller requires. */
  readonly counted: boolean;
  /** Why it failed. */
  readonly error: SigvetError | undefined;
}

/** The outcome of verifying an image. */
export interface ImageVerification {
  readonly mediaType: typeof IMAGE_VERIFICATION_MEDIA_TYPE;
  /** The reference as given, parsed and normalized. */
  readonly reference: ImageReference;
  /** What was verified. */
  readonly image: {
    readonly registry: string;
    readonly repository: string;
    /** The verified digest: the manifest (or, without a platform, the index). */
    readonly digest: string;
    readonly mediaType: string;
    /** The reference pinned to the verified digest. */
    readonly pinned: string;
    readonly resolvedFrom: 'digest' | 'tag';
    /** When a platform was chosen from an index: the index and the platform. */
    readonly index: { readonly digest: string; readonly platform: string } | undefined;
    /** The platforms an index offers, when the index itself is verified. */
    readonly platforms: readonly string[] | undefined;
  };
  readonly source: { readonly kind: 'registry' | 'layout'; readonly description: string };
  /** Image-level checks (manifest digest, platform choice). */
  readonly checks: readonly CheckRecord[];
  /** Things the caller should know (tags are mutable, a tag beside a digest is ignored). */
  readonly notes: readonly string[];
  readonly signatures: readonly ImageEvidence[];
  readonly attestations: readonly ImageEvidence[];
  /** Evidence found and set aside, with the reason. */
  readonly ignored: readonly IgnoredEvidence[];
  /** Where signatures and attestations were looked for. */
  readonly looked: readonly string[];
  /** True when every requirement is met. */
  readonly verified: boolean;
  /** Why not, when `verified` is false. */
  readonly error: SigvetError | undefined;
}

function repoOf(s: string): RepositoryLocation {
  const r = parseImageReference(s);
  if (!r.tagDefaulted || r.digest !== undefined) {
    throw new SigvetError('INVALID_ARGUMENT', 'signatureRepository names a repository, without tag or digest', { check: 'options.signatureRepository' });
  }
  return { registry: r.registry, repository: r.repository };
}

/** The reference of the options: parsed from text, or a parsed one that names a tag or a digest. */
function referenceOf(reference: unknown, fn: string): ImageReference {
  if (typeof reference === 'string') return parseImageReference(reference);
  requireImageReference(reference, fn, 'options.reference');
  const { tag, digest } = reference as { tag?: unknown; digest?: unknown };
  if ((tag !== undefined && typeof tag !== 'string') || (digest !== undefined && typeof digest !== 'string') || (tag === undefined && digest === undefined)) {
    invalidArgument(fn, 'options.reference', 'a reference with a string tag or digest', reference, 'oci.reference');
  }
  return reference;
}

/**
 * The type checks of {@link VerifyImageOptions} (beyond `options` itself and
 * the verifier) that the option handling does not make: a wrong type would
 * otherwise fail as a raw TypeError or be read loosely (a string of
 * predicate types matched as a substring).
 */
function checkOptionTypes(options: VerifyImageOptions, fn: string): void {
  requireImageSource(options.source, fn, 'options.source', 'options.source');
  const att = options.attestations;
  if (att !== undefined && typeof att !== 'boolean') {
    requireObject(att, fn, 'options.attestations', 'options.attestations');
    if (att.predicateTypes !== undefined) requireArray(att.predicateTypes, fn, 'options.attestations.predicateTypes', 'options.attestations');
  }
  if (options.platform !== undefined && typeof options.platform !== 'string') requireObject(options.platform, fn, 'options.platform', 'oci.platform');
  if (options.annotations !== undefined) requireObject(options.annotations, fn, 'options.annotations', 'options.annotations');
}

/**
 * Verifies an image and returns the full report, whether or not it
 * verified (`verified`, `error`). Throws only when nothing can be
 * reported: a malformed reference or option, an image that cannot be
 * fetched, a manifest that does not match its digest, an unknown platform.
 * @throws SigvetError (rejects) `INVALID_ARGUMENT` (checks `options`, `options.*`, `oci.reference`) for malformed options.
 */
export async function checkImage(options: VerifyImageOptions): Promise<ImageVerification> {
  return inspectImage(options, 'checkImage');
}

/** {@link checkImage}, with messages naming the public function `fn`. */
async function inspectImage(options: VerifyImageOptions, fn: string): Promise<ImageVerification> {
  requireObject(options, fn, 'options', 'options');
  const { verifier, source } = options;
  if (!verifier || typeof verifier.verify !== 'function') {
    throw new SigvetError('INVALID_ARGUMENT', 'a verifier is required', { check: 'options.verifier' });
  }
  checkOptionTypes(options, fn);
  const ref = referenceOf(options.reference, fn);
  const wantSignatures = options.signatures !== false;
  const attReq: AttestationRequirement | undefined =
    options.attestations === true ? {} : options.attestations ? options.attestations : undefined;
  if (!wantSignatures && !attReq) {
    throw new SigvetError('INVALID_ARGUMENT', 'nothing to verify: signatures are off and no attestations are required', { check: 'options' });
  }
  const skipId = options.unsafeSkipIdentity === true;
  const sigInput = signerInput(options.identity, options.key, 'image signatures', wantSignatures, skipId);
  const attInput = attReq ? signerInput(attReq.identity ?? options.identity, attReq.key ?? options.key, 'attestations', true, skipId) : undefined;
  if (options.requireDigest && ref.digest === undefined) {
    throw new SigvetError('INVALID_ARGUMENT', `${ref.canonical} names no digest; tags are mutable (pin it as ${ref.name}@sha256:…)`, {
      check: 'oci.reference.digest_required',
    });
  }
  const platform = options.platform === undefined ? undefined : typeof options.platform === 'string' ? parsePlatform(options.platform) : options.platform;
  const sigRepo = options.signatureRepository === undefined ? undefined : repoOf(options.signatureRepository);

  const repo: RepositoryLocation = { registry: ref.registry, repository: ref.repository };
  const checks: CheckRecord[] = [];
  const notes: string[] = [];

  // 1. The manifest, by digest or by (mutable) tag.
  let top: FetchedManifest | undefined;
  let resolvedFrom: 'digest' | 'tag';
  if (ref.digest !== undefined) {
    resolvedFrom = 'digest';
    top = await source.manifestByDigest(repo, ref.digest);
    if (!top) registryFail('not_found', `${ref.name}@${ref.digest} not found in ${source.description}`);
    checks.push({ name: 'oci.manifest', detail: `${top.document.mediaType} ${top.digest} fetched; its bytes match the digest` });
    if (ref.tag !== undefined && !ref.tagDefaulted) notes.push(`the tag ${ref.tag} is ignored: the digest names the image`);
  } else {
    resolvedFrom = 'tag';
    top = await source.manifestByTag(repo, ref.tag!);
    if (!top) registryFail('not_found', `${ref.canonical} not found in ${source.description}`);
    checks.push({ name: 'oci.manifest', detail: `tag ${ref.tag} resolved to ${top.document.mediaType} ${top.digest}` });
    notes.push(`${ref.canonical} resolved to ${top.digest} at verification time; tags are mutable: deploy ${ref.name}@${top.digest} to run exactly what was verified`);
  }

  // 2. Index or platform manifest: the caller's choice, no fallback.
  let target = top;
  let index: ImageVerification['image']['index'];
  let platforms: string[] | undefined;
  if (top.document.kind === 'index') {
    const listed = top.document.manifests.filter((d) => d.platform !== undefined).map((d) => formatPlatform(d.platform!));
    if (platform) {
      const chosen = selectPlatform(top.document, platform);
      const child = await source.manifestByDigest(repo, chosen.digest);
      if (!child) registryFail('not_found', `the ${formatPlatform(platform)} manifest ${chosen.digest} is missing`);
      if (child.document.kind !== 'manifest') {
        throw new SigvetError('UNSUPPORTED', `the ${formatPlatform(platform)} entry of the index is itself an index`, { check: 'oci.platform.nested' });
      }
      target = child;
      index = { digest: top.digest, platform: formatPlatform(chosen.platform!) };
      checks.push({ name: 'oci.platform', detail: `${formatPlatform(chosen.platform!)} manifest ${child.digest} chosen from index ${top.digest}; its bytes match the digest` });
    } else {
      platforms = [...new Set(listed)];
      notes.push(`${top.digest} is a multi-platform index (${platforms.join(', ') || 'no platforms listed'}); the index itself is verified: pass a platform to verify one manifest instead`);
    }
  } else if (platform) {
    throw new SigvetError('INVALID_ARGUMENT', `a platform (${formatPlatform(platform)}) was given, but ${top.digest} is a single-platform manifest, not an index`, {
      check: 'oci.platform.not_index',
    });
  }
  const digest = target.digest;

  // 3. Discovery.
  const found = await discoverEvidence(source, repo, digest, {
    signatures: wantSignatures,
    attestations: attReq !== undefined,
    ...(sigRepo ? { signatureRepository: sigRepo } : {}),
  });
  const ignored: IgnoredEvidence[] = [...found.ignored];

  // 4. Verification, one candidate at a time.
  const signatures: ImageEvidence[] = [];
  const attestations: ImageEvidence[] = [];
  const ctx: EvidenceContext = { source, verifier, digest, annotations: options.annotations, predicateTypes: attReq?.predicateTypes };
  if (wantSignatures) {
    for (const c of found.signatures) signatures.push(await verifyCandidate(ctx, c, 'signature', sigInput!));
  }
  if (attInput) {
    for (const c of found.attestations) attestations.push(await verifyCandidate(ctx, c, 'attestation', attInput));
  }
  for (const c of found.bundles) {
    const kind = await classifyBundle(source, c);
    if (kind.kind === 'signature' && wantSignatures) signatures.push(await verifyCandidate(ctx, c, 'signature', sigInput!, kind.bytes));
    else if (kind.kind === 'attestation' && attInput) attestations.push(await verifyCandidate(ctx, c, 'attestation', attInput, kind.bytes));
    else if (kind.kind === 'error') (wantSignatures ? signatures : attestations).push(failed(c, wantSignatures ? 'signature' : 'attestation', kind.error));
    else ignored.push({ location: `${c.origin.location} layer ${c.origin.layer}`, reason: `${kind.describe}; not requested` });
  }

  // 5. The decision.
  let error: SigvetError | undefined;
  if (wantSignatures && !signatures.some((s) => s.verified)) {
    error = combine('signature', signatures, digest, found.ignored.length, platforms, found.bundles.length - signatures.filter((s) => s.format === 'sigstore-bundle').length, index);
  } else if (attReq && !attestations.some((a) => a.verified && a.counted)) {
    error = combineAttestations(attestations, digest, attReq.predicateTypes);
  }
  return {
    mediaType: IMAGE_VERIFICATION_MEDIA_TYPE,
    reference: ref,
    image: {
      registry: ref.registry,
      repository: ref.repository,
      digest,
      mediaType: target.document.mediaType,
      pinned: withDigest(ref, digest).canonical,
      resolvedFrom,
      index,
      platforms,
    },
    source: { kind: source.kind, description: source.kind === 'registry' ? registryApiHost(ref.registry) : source.description },
    checks,
    notes,
    signatures,
    attestations,
    ignored,
    looked: found.looked,
    verified: error === undefined,
    error,
  };
}

/**
 * Verifies an image: resolves to the report when every requirement is met.
 * @throws SigvetError otherwise: the one candidate's error when there was
 *   one, their shared code when all failed alike, `THRESHOLD` when none was
 *   found (or they failed differently; each failure is in `errors`).
 */
export async function verifyImage(options: VerifyImageOptions): Promise<ImageVerification> {
  const report = await inspectImage(options, 'verifyImage');
  if (report.error) throw report.error;
  return report;
}

type SignerInput = Pick<VerifyInput, 'identity' | 'key' | 'unsafeSkipIdentity'>;

function signerInput(
  identity: ExpectedIdentity | undefined,
  key: string | Uint8Array | undefined,
  what: string,
  needed: boolean,
  skipIdentity: boolean,
): SignerInput | undefined {
  if (!needed) return undefined;
  if (identity !== undefined && key !== undefined) {
    throw new SigvetError('INVALID_ARGUMENT', `${what}: give an identity or a key, not both`, { check: 'input' });
  }
  if (skipIdentity) {
    if (identity !== undefined) throw new SigvetError('INVALID_ARGUMENT', `${what}: unsafeSkipIdentity with an identity`, { check: 'input' });
    return key !== undefined ? { key, unsafeSkipIdentity: true } : { unsafeSkipIdentity: true };
  }
  if (identity === undefined && key === undefined) {
    throw new SigvetError('INVALID_ARGUMENT', `${what}: an expected identity (issuer and subject) or a key is required`, { check: 'input' });
  }
  return identity !== undefined ? { identity } : { key: key! };
}

interface EvidenceContext {
  readonly source: ImageSource;
  readonly verifier: Verifier;
  readonly digest: string;
  readonly annotations: Readonly<Record<string, string>> | undefined;
  readonly predicateTypes: readonly string[] | undefined;
}

function failed(c: Candidate, kind: 'signature' | 'attestation', error: SigvetError, checks: CheckRecord[] = []): ImageEvidence {
  return {
    kind,
    format: c.format,
    origin: c.origin,
    verified: false,
    checks,
    skipped: [],
    result: undefined,
    payload: undefined,
    predicateType: undefined,
    statement: undefined,
    counted: false,
    error,
  };
}

type Classified =
  | { kind: 'signature' | 'attestation'; bytes: Uint8Array; describe: string }
  | { kind: 'error'; error: SigvetError };

/**
 * Whether a referrer bundle is an image signature or an attestation, read
 * from its (not yet verified) content; verification then confirms it from
 * the verified payload.
 */
async function classifyBundle(source: ImageSource, c: Candidate): Promise<Classified> {
  try {
    const bytes = await source.blob(c.repo, c.descriptor);
    const b = decodeBundle(bytes);
    if (b.content.type === 'messageSignature') return { kind: 'signature', bytes, describe: 'a message signature' };
    if (b.content.payloadType !== IN_TOTO_PAYLOAD_TYPE) return { kind: 'attestation', bytes, describe: `a DSSE ${b.content.payloadType} envelope` };
    const st = parseStatement(b.content.payload);
    return st.predicateType === COSIGN_SIGN_PREDICATE_TYPE
      ? { kind: 'signature', bytes, describe: 'a signing statement' }
      : { kind: 'attestation', bytes, describe: `an attestation claiming predicate type ${st.predicateType}` };
  } catch (e) {
    if (e instanceof SigvetError) return { kind: 'error', error: e };
    throw e;
  }
}

async function verifyCandidate(
  ctx: EvidenceContext,
  c: Candidate,
  kind: 'signature' | 'attestation',
  signer: SignerInput,
  fetched?: Uint8Array,
): Promise<ImageEvidence> {
  const checks: CheckRecord[] = [];
  try {
    const bytes = fetched ?? (await ctx.source.blob(c.repo, c.descriptor));
    checks.push({ name: 'oci.layer', detail: `${c.descriptor.mediaType} layer ${c.descriptor.digest} (${c.origin.location}) matches its digest and size` });
    if (c.origin.via !== 'cosign-tag') checks.push({ name: 'oci.referrer.subject', detail: `referrer manifest ${c.origin.manifest} names ${ctx.digest} as its subject` });

    let result: VerificationResult;
    let payload: SimpleSigningPayload | undefined;
    if (c.format === 'cosign-simple-signing') {
      result = await ctx.verifier.verify(legacySignatureBundle(c.descriptor.annotations, bytes), { artifact: bytes, ...signer });
      checks.push(...result.checks);
      payload = parseSimpleSigning(bytes);
      checks.push({ name: 'cosign.payload.type', detail: `payload type "${payload.type}"` });
      if (payload.manifestDigest !== ctx.digest) {
        throw new SigvetError('SIGNATURE', 'the signature is for another image: the signed payload names another manifest digest', {
          check: 'cosign.payload.digest',
          expected: ctx.digest,
          actual: payload.manifestDigest,
        });
      }
      checks.push({ name: 'cosign.payload.digest', detail: `signed payload names ${payload.manifestDigest}, the image verified` });
      checkAnnotations(ctx.annotations, payload, checks);
    } else {
      const bundle = c.format === 'cosign-dsse' ? legacyAttestationBundle(c.descriptor.annotations, bytes) : bytes;
      result = await ctx.verifier.verify(bundle, { artifactDigest: ctx.digest, ...signer });
      checks.push(...result.checks);
      if (result.content.type === 'messageSignature') {
        if (kind !== 'signature') {
          throw new SigvetError('SUBJECT', 'a message signature is not an attestation', { check: 'oci.evidence.kind' });
        }
        checks.push({ name: 'image.signature', detail: `message signature over the manifest ${ctx.digest}` });
      } else {
        const st = result.content.statement;
        if (!st) {
          throw new SigvetError('SUBJECT', `a DSSE ${result.content.payloadType} payload cannot name the image`, { check: 'subject.payload_type' });
        }
        const isSigning = st.predicateType === COSIGN_SIGN_PREDICATE_TYPE;
        if (isSigning !== (kind === 'signature')) {
          // Classification was read before verification; the verified statement decides.
          throw new SigvetError('SUBJECT', `the verified statement's predicate type ${st.predicateType} makes it ${isSigning ? 'a signature' : 'an attestation'}, not ${kind === 'signature' ? 'a signature' : 'an attestation'}`, {
            check: 'oci.evidence.kind',
          });
        }
      }
    }
    const statement = result.content.type === 'dsseEnvelope' ? result.content.statement : undefined;
    const predicateType = statement?.predicateType;
    const counted = kind === 'attestation' && (ctx.predicateTypes === undefined || (predicateType !== undefined && ctx.predicateTypes.includes(predicateType)));
    return { kind, format: c.format, origin: c.origin, verified: true, checks, skipped: result.skipped, result, payload, predicateType, statement, counted, error: undefined };
  } catch (e) {
    if (!(e instanceof SigvetError)) throw e;
    return failed(c, kind, e, checks);
  }
}

function checkAnnotations(required: Readonly<Record<string, string>> | undefined, payload: SimpleSigningPayload, checks: CheckRecord[]): void {
  if (!required) return;
  for (const [k, want] of Object.entries(required)) {
    const have: JsonValue | undefined = payload.optional?.[k];
    if (have !== want) {
      throw new SigvetError('SIGNATURE', `the signed payload lacks the required annotation ${k}=${want}`, {
        check: 'cosign.payload.annotations',
        expected: `${k}=${want}`,
        actual: have === undefined ? '(absent)' : `${k}=${typeof have === 'string' ? have : JSON.stringify(have)}`,
      });
    }
  }
  if (Object.keys(required).length > 0) checks.push({ name: 'cosign.payload.annotations', detail: `signed payload holds ${Object.keys(required).length} required annotation(s)` });
}

function combine(
  what: 'signature',
  evidence: readonly ImageEvidence[],
  digest: string,
  ignoredCount: number,
  platforms: readonly string[] | undefined,
  attestationsSetAside: number,
  index: ImageVerification['image']['index'],
): SigvetError {
  const errors = evidence.map((e) => e.error!).filter((e) => e !== undefined);
  if (errors.length === 0) {
    const hints: string[] = [];
    if (attestationsSetAside > 0) hints.push(`${attestationsSetAside} attestation(s) were found, and an attestation is not a signature`);
    if (ignoredCount > 0) hints.push(`${ignoredCount} item(s) were set aside (see the report)`);
    if (platforms && platforms.length > 0) hints.push(`the index is what was verified; its platforms (${platforms.join(', ')}) are separate images`);
    if (index) hints.push(`the ${index.platform} manifest was verified; signatures of the index ${index.digest} do not cover it`);
    return new SigvetError('THRESHOLD', `no ${what} found for ${digest}${hints.length ? `: ${hints.join('; ')}` : ''}`, {
      check: 'image.signatures',
      expected: `at least 1 verified ${what}`,
      actual: '0 found',
    });
  }
  return pick(errors, `none of the ${errors.length} ${what}s of ${digest} verified`, 'image.signatures');
}

function combineAttestations(evidence: readonly ImageEvidence[], digest: string, predicateTypes: readonly string[] | undefined): SigvetError {
  const verifiedTypes = evidence.filter((e) => e.verified).map((e) => e.predicateType ?? '(none)');
  if (verifiedTypes.length > 0) {
    return new SigvetError('THRESHOLD', `no verified attestation of type ${predicateTypes!.join(' or ')} for ${digest}`, {
      check: 'image.attestations.predicate_type',
      expected: predicateTypes!.join(' | '),
      actual: [...new Set(verifiedTypes)].join(', '),
    });
  }
  const errors = evidence.map((e) => e.error!).filter((e) => e !== undefined);
  if (errors.length === 0) {
    return new SigvetError('THRESHOLD', `no attestation found for ${digest}`, {
      check: 'image.attestations',
      expected: 'at least 1 verified attestation',
      actual: '0 found',
    });
  }
  return pick(errors, `none of the ${errors.length} attestations of ${digest} verified`, 'image.attestations');
}

/** One failure as is; several with one code under that code; otherwise THRESHOLD. */
function pick(errors: readonly SigvetError[], message: string, check: string): SigvetError {
  if (errors.length === 1) return errors[0]!;
  const codes = new Set(errors.map((e) => e.code));
  const first = errors[0]!;
  if (codes.size === 1) {
    return new SigvetError(first.code, `${message}: ${first.message}`, { check: first.check ?? check, expected: first.expected, actual: first.actual, errors });
  }
  return new SigvetError('THRESHOLD', `${message} (${[...codes].join(', ')})`, { check, expected: 'at least 1 verified', actual: '0 verified', errors });
}

