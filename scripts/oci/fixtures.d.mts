// Types for fixtures.mjs (used from TypeScript tests).
export const OCI_SEED: string;
export const REGISTRY_PLACEHOLDER: string;
export const SLSA_PROVENANCE_V1: string;
export const COSIGN_SIGN_V1: string;
export const MT: Record<string, string>;
export const ANN: Record<string, string>;
export function digestOf(bytes: Uint8Array): string;
export function simpleSigningPayload(dockerReference: string, digest: string, optional?: unknown): Uint8Array;

export interface FixtureDescriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
  artifactType?: string;
}

export class Repo {
  constructor(name: string);
  name: string;
  content: Map<string, { bytes: Uint8Array; mediaType: string; manifest: boolean }>;
  tagHistory: [string, FixtureDescriptor][];
  referrers: { subject: string; descriptor: FixtureDescriptor }[];
  tampered: Map<string, Uint8Array>;
  readonly tags: Map<string, FixtureDescriptor>;
  imageDigest: string;
  movedTo?: string;
  platformDigests?: Record<string, string>;
  blob(bytes: Uint8Array, mediaType: string, annotations?: Record<string, string>): FixtureDescriptor;
  manifest(doc: object): FixtureDescriptor;
  tag(tag: string, descriptor: FixtureDescriptor): void;
}

export interface FixtureCase {
  name: string;
  layout: string;
  reference: string;
  expect: 'pass' | 'fail';
  expected_error_code: string | null;
  expected_check: string | null;
  identity: string | null;
  issuer: string | null;
  key: string | null;
  platform: string | null;
  signatures: boolean;
  attestations: boolean;
  predicate_types: string[] | null;
  attestation_identity: string | null;
  readme: string;
}

export interface OciFixtures {
  trustedRoot: object;
  identity: string;
  issuer: string;
  keyPem: string;
  otherKeyPem: string;
  otherIdentity: string;
  repos: Map<string, Repo>;
  cases: FixtureCase[];
}

export function buildOciFixtures(seed?: string): OciFixtures;
