/**
 * The Sigstore bundle as typed data.
 *
 * These mirror the messages of `@sigstore/protobuf-specs`
 * (`dev.sigstore.bundle.v1.Bundle` and the messages it uses), with bytes as
 * `Uint8Array` (no `Buffer`) and int64 as `bigint` (no precision loss).
 * @module
 */

/** Bundle media types sigvet accepts, and the version each means. */
export const BUNDLE_MEDIA_TYPES = {
  'application/vnd.dev.sigstore.bundle+json;version=0.1': '0.1',
  'application/vnd.dev.sigstore.bundle+json;version=0.2': '0.2',
  'application/vnd.dev.sigstore.bundle+json;version=0.3': '0.3',
  'application/vnd.dev.sigstore.bundle.v0.3+json': '0.3',
} as const;

/** A bundle format version. */
export type BundleVersion = '0.1' | '0.2' | '0.3';

/** `HashAlgorithm` enum names of protobuf-specs that sigvet handles. */
export type ProtoHashAlgorithm = 'SHA2_256' | 'SHA2_384' | 'SHA2_512';

/** `dev.sigstore.rekor.v1.KindVersion`. */
export interface KindVersion {
  readonly kind: string;
  readonly version: string;
}

/** `dev.sigstore.rekor.v1.InclusionProof`. */
export interface InclusionProof {
  readonly logIndex: bigint;
  readonly rootHash: Uint8Array;
  readonly treeSize: bigint;
  readonly hashes: readonly Uint8Array[];
  /** The signed-note checkpoint text (`checkpoint.envelope`). */
  readonly checkpoint: string | undefined;
}

/** `dev.sigstore.rekor.v1.TransparencyLogEntry`. */
export interface TransparencyLogEntry {
  readonly logIndex: bigint;
  readonly logId: Uint8Array;
  readonly kindVersion: KindVersion;
  /** Absent (undefined) is different from zero. Rekor v2 entries have none. */
  readonly integratedTime: bigint | undefined;
  /** `inclusionPromise.signedEntryTimestamp`. */
  readonly signedEntryTimestamp: Uint8Array | undefined;
  readonly inclusionProof: InclusionProof | undefined;
  /** The exact bytes the log hashed into its Merkle tree. */
  readonly canonicalizedBody: Uint8Array;
}

/** The key material that verifies the content signature. */
export type VerificationKeyMaterial =
  /** A Fulcio-style leaf certificate (v0.3 `certificate`, or the first of an `x509CertificateChain`). */
  | { readonly type: 'certificate'; readonly certificate: Uint8Array; readonly chain: readonly Uint8Array[] }
  /** A managed key, identified by a hint the caller's key must match. */
  | { readonly type: 'publicKey'; readonly hint: string };

/** `dev.sigstore.common.v1.MessageSignature`. */
export interface MessageSignature {
  readonly type: 'messageSignature';
  readonly messageDigest: { readonly algorithm: ProtoHashAlgorithm; readonly digest: Uint8Array } | undefined;
  readonly signature: Uint8Array;
}

/** `io.intoto.Envelope` (DSSE). */
export interface DsseEnvelope {
  readonly type: 'dsseEnvelope';
  /** Decoded payload bytes: the bytes that were signed (through PAE). */
  readonly payload: Uint8Array;
  readonly payloadType: string;
  readonly signatures: readonly { readonly sig: Uint8Array; readonly keyid: string }[];
}

/** `dev.sigstore.bundle.v1.Bundle`. */
export interface Bundle {
  readonly mediaType: keyof typeof BUNDLE_MEDIA_TYPES;
  readonly version: BundleVersion;
  readonly keyMaterial: VerificationKeyMaterial;
  readonly tlogEntries: readonly TransparencyLogEntry[];
  /** DER `TimeStampToken`s (`timestampVerificationData.rfc3161Timestamps[].signedTimestamp`). */
  readonly rfc3161Timestamps: readonly Uint8Array[];
  readonly content: MessageSignature | DsseEnvelope;
}
