/**
 * Seed corpus for the fuzzers: every bundle and trusted root of the
 * project's test vectors (test-vectors/) and, when present, of the shared
 * sigstore-conformance subset (../shared/conformance), plus the pieces
 * inside them (certificates, log bodies, checkpoints, timestamps, DSSE
 * payloads, signatures, keys). Pass and fail cases alike: a failing case is
 * as good a starting point for a parser as a passing one.
 *
 * Node-only tooling (reads files); not part of the library.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { CONFORMANCE_DIR, REPO_ROOT, VECTORS_DIR } from '../mutation/cases.js';

export { CONFORMANCE_DIR, REPO_ROOT, VECTORS_DIR };

/** A tlog body with the kind/version the entry declared. */
export interface BodySeed {
  readonly body: Uint8Array;
  readonly kind: string;
  readonly version: string;
}

/** Everything the fuzzers start from. */
export interface SeedCorpus {
  /** Folders the seeds were read from. */
  readonly sources: readonly string[];
  readonly bundles: readonly string[];
  readonly trustedRoots: readonly string[];
  /** DER certificates (bundle leaves and chains, trusted-root CAs and TSAs). */
  readonly certificates: readonly Uint8Array[];
  /** DER SubjectPublicKeyInfos (trusted-root logs). */
  readonly spkis: readonly Uint8Array[];
  readonly bodies: readonly BodySeed[];
  readonly checkpoints: readonly string[];
  /** RFC 3161 responses/tokens. */
  readonly timestamps: readonly Uint8Array[];
  /** DSSE payloads (in-toto statements). */
  readonly payloads: readonly Uint8Array[];
  readonly payloadTypes: readonly string[];
  /** Signatures: message, DSSE, SET (DER ECDSA or raw Ed25519). */
  readonly signatures: readonly Uint8Array[];
  /** Every base64 string found in the documents, as written. */
  readonly base64Strings: readonly string[];
  /** PEM texts (managed keys, and PEMs recorded in v1 log bodies). */
  readonly pems: readonly string[];
}

function b64(s: unknown): Uint8Array | undefined {
  if (typeof s !== 'string') return undefined;
  return new Uint8Array(Buffer.from(s.replace(/[\r\n]/g, '').replace(/-/g, '+').replace(/_/g, '/'), 'base64'));
}

function caseDirs(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((n) => path.join(dir, n))
    .filter((p) => statSync(p).isDirectory())
    .sort();
}

function readIf(p: string): string | undefined {
  return existsSync(p) ? readFileSync(p, 'utf8') : undefined;
}

/** Collects base64 strings from a JSON document (every string value of a known bytes field). */
const BYTES_FIELDS = new Set([
  'rawBytes',
  'signature',
  'digest',
  'keyId',
  'signedEntryTimestamp',
  'canonicalizedBody',
  'rootHash',
  'signedTimestamp',
  'payload',
  'sig',
  'content',
]);

function walk(v: unknown, visit: (key: string, value: unknown) => void, key = ''): void {
  if (Array.isArray(v)) {
    for (const x of v) walk(x, visit, key);
  } else if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      visit(k, x);
      walk(x, visit, k);
    }
  }
}

let cached: SeedCorpus | undefined;

/** Reads the seed corpus once (deterministic order). */
export function loadSeeds(): SeedCorpus {
  if (cached) return cached;
  const sources = [VECTORS_DIR, CONFORMANCE_DIR].filter((d) => existsSync(d));
  const bundles: string[] = [];
  const trustedRoots = new Set<string>();
  const certificates: Uint8Array[] = [];
  const spkis: Uint8Array[] = [];
  const bodies: BodySeed[] = [];
  const checkpoints: string[] = [];
  const timestamps: Uint8Array[] = [];
  const payloads: Uint8Array[] = [];
  const payloadTypes = new Set<string>();
  const signatures: Uint8Array[] = [];
  const base64Strings = new Set<string>();
  const pems = new Set<string>();

  for (const src of sources) {
    for (const dir of caseDirs(src)) {
      const bundleText = readIf(path.join(dir, 'bundle.sigstore.json'));
      const rootText = readIf(path.join(dir, 'trusted_root.json'));
      const keyText = readIf(path.join(dir, 'key.pub'));
      if (keyText) pems.add(keyText);
      if (rootText) trustedRoots.add(rootText);
      if (!bundleText) continue;
      bundles.push(bundleText);
      let doc: any;
      try {
        doc = JSON.parse(bundleText);
      } catch {
        continue;
      }
      walk(doc, (k, v) => {
        if (BYTES_FIELDS.has(k) && typeof v === 'string' && v.length > 0) base64Strings.add(v);
      });
      const vm = doc?.verificationMaterial ?? {};
      for (const c of vm.x509CertificateChain?.certificates ?? []) {
        const d = b64(c?.rawBytes);
        if (d?.length) certificates.push(d);
      }
      const leaf = b64(vm.certificate?.rawBytes);
      if (leaf?.length) certificates.push(leaf);
      for (const e of vm.tlogEntries ?? []) {
        const body = b64(e?.canonicalizedBody);
        if (body?.length && typeof e?.kindVersion?.kind === 'string') {
          bodies.push({ body, kind: e.kindVersion.kind, version: String(e.kindVersion.version) });
          // v1 bodies record PEMs (base64 of PEM text).
          try {
            walk(JSON.parse(Buffer.from(body).toString('utf8')), (k, v) => {
              if ((k === 'content' || k === 'verifier' || k === 'publicKey') && typeof v === 'string') {
                const t = Buffer.from(v, 'base64').toString('utf8');
                if (t.startsWith('-----BEGIN')) pems.add(t);
              }
            });
          } catch {
            /* not JSON: still a body seed */
          }
        }
        const cp = e?.inclusionProof?.checkpoint?.envelope;
        if (typeof cp === 'string') checkpoints.push(cp);
        const set = b64(e?.inclusionPromise?.signedEntryTimestamp);
        if (set?.length) signatures.push(set);
      }
      for (const t of vm.timestampVerificationData?.rfc3161Timestamps ?? []) {
        const d = b64(t?.signedTimestamp);
        if (d?.length) timestamps.push(d);
      }
      const ms = b64(doc?.messageSignature?.signature);
      if (ms?.length) signatures.push(ms);
      const env = doc?.dsseEnvelope;
      if (env) {
        const p = b64(env.payload);
        if (p?.length) payloads.push(p);
        if (typeof env.payloadType === 'string') payloadTypes.add(env.payloadType);
        for (const s of env.signatures ?? []) {
          const d = b64(s?.sig);
          if (d?.length) signatures.push(d);
        }
      }
    }
  }
  for (const rootText of trustedRoots) {
    let doc: any;
    try {
      doc = JSON.parse(rootText);
    } catch {
      continue;
    }
    for (const l of [...(doc.tlogs ?? []), ...(doc.ctlogs ?? [])]) {
      const k = b64(l?.publicKey?.rawBytes);
      if (k?.length) spkis.push(k);
    }
    for (const a of [...(doc.certificateAuthorities ?? []), ...(doc.timestampAuthorities ?? [])]) {
      for (const c of a?.certChain?.certificates ?? []) {
        const d = b64(c?.rawBytes);
        if (d?.length) certificates.push(d);
      }
    }
  }
  cached = {
    sources,
    bundles,
    trustedRoots: [...trustedRoots],
    certificates: dedupe(certificates),
    spkis: dedupe(spkis),
    bodies,
    checkpoints: [...new Set(checkpoints)],
    timestamps: dedupe(timestamps),
    payloads: dedupe(payloads),
    payloadTypes: [...payloadTypes],
    signatures: dedupe(signatures),
    base64Strings: [...base64Strings],
    pems: [...pems],
  };
  return cached;
}

function dedupe(list: Uint8Array[]): Uint8Array[] {
  const seen = new Set<string>();
  return list.filter((b) => {
    const k = Buffer.from(b).toString('base64');
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
