/**
 * Trust material: a trusted root whose keys are imported into a crypto
 * provider and whose CA and TSA chains are checked, once per verifier.
 * Nothing here is repeated per bundle.
 * @module
 */
import { SigvetError } from '../errors.js';
import { sha256For } from '../crypto/one-shot-sha256.js';
import { bytesEqual } from '../encoding/bytes.js';
import { toHex } from '../encoding/hex.js';
import type { CryptoProvider, KeyType, PublicKey, SignatureScheme } from '../crypto/provider.js';
import { parseSpki } from '../crypto/spki.js';
import { verifySignature, schemeFromAlgorithmIdentifier } from '../crypto/verify-signature.js';
import type { Certificate } from '../x509/certificate.js';
import { checkpointKeyId } from '../tlog/checkpoint.js';
import type { TrustedRoot, TrustedRootAuthority, TrustedRootLog } from './trusted-root.js';

/** A transparency or CT log with its key imported. */
export interface TrustedLog {
  readonly log: TrustedRootLog;
  /** Authority (host[:port]) of `baseUrl`: the log's checkpoint signer name. */
  readonly host: string;
  /** Lower-case hex of the log id. */
  readonly logIdHex: string;
  readonly key: PublicKey;
  readonly scheme: SignatureScheme;
}

/** A certificate or timestamp authority with its chain checked and keys imported. */
export interface TrustedAuthority {
  readonly authority: TrustedRootAuthority;
  /** Keys of `authority.certificates`, same order. */
  readonly keys: readonly PublicKey[];
}

/** Everything a verifier needs from its trusted root, prepared once. */
export interface TrustMaterial {
  readonly root: TrustedRoot;
  readonly provider: CryptoProvider;
  readonly tlogs: readonly TrustedLog[];
  readonly ctlogs: readonly TrustedLog[];
  readonly certificateAuthorities: readonly TrustedAuthority[];
  readonly timestampAuthorities: readonly TrustedAuthority[];
  /** Logs the root lists but sigvet cannot use (deprecated or unsupported key formats), with the reason. */
  readonly unusableLogs: readonly { readonly baseUrl: string; readonly reason: string }[];
  /** Logs and CT logs by lower-case hex log id. */
  readonly tlogsById: ReadonlyMap<string, readonly TrustedLog[]>;
  readonly ctlogsById: ReadonlyMap<string, readonly TrustedLog[]>;
}

const KEY_DETAILS: Record<string, { type: KeyType; scheme: SignatureScheme; bits?: number }> = {
  PKIX_ECDSA_P256_SHA_256: { type: 'ec-p256', scheme: { kind: 'ecdsa', hash: 'sha256' } },
  PKIX_ECDSA_P384_SHA_384: { type: 'ec-p384', scheme: { kind: 'ecdsa', hash: 'sha384' } },
  PKIX_ECDSA_P521_SHA_512: { type: 'ec-p521', scheme: { kind: 'ecdsa', hash: 'sha512' } },
  PKIX_ED25519: { type: 'ed25519', scheme: { kind: 'ed25519' } },
  PKIX_RSA_PKCS1V15_2048_SHA256: { type: 'rsa', bits: 2048, scheme: { kind: 'rsa-pkcs1', hash: 'sha256' } },
  PKIX_RSA_PKCS1V15_3072_SHA256: { type: 'rsa', bits: 3072, scheme: { kind: 'rsa-pkcs1', hash: 'sha256' } },
  PKIX_RSA_PKCS1V15_4096_SHA256: { type: 'rsa', bits: 4096, scheme: { kind: 'rsa-pkcs1', hash: 'sha256' } },
  PKIX_RSA_PSS_2048_SHA256: { type: 'rsa', bits: 2048, scheme: { kind: 'rsa-pss', hash: 'sha256', saltLength: 32 } },
  PKIX_RSA_PSS_3072_SHA256: { type: 'rsa', bits: 3072, scheme: { kind: 'rsa-pss', hash: 'sha256', saltLength: 32 } },
  PKIX_RSA_PSS_4096_SHA256: { type: 'rsa', bits: 4096, scheme: { kind: 'rsa-pss', hash: 'sha256', saltLength: 32 } },
};

/**
 * Maps a `PublicKeyDetails` name to the key type and signature scheme it
 * pins, checking it against the SPKI. Throws `code` on mismatch.
 */
export async function importDetailedKey(
  provider: CryptoProvider,
  spki: Uint8Array,
  keyDetails: string,
  what: string,
  code: 'TRUST_ROOT' | 'KEY',
): Promise<{ key: PublicKey; scheme: SignatureScheme }> {
  const d = KEY_DETAILS[keyDetails];
  if (!d) throw new SigvetError('UNSUPPORTED', `${what}: unsupported key details ${keyDetails}`, { check: 'key.details' });
  let info: { type: KeyType; bits: number };
  try {
    info = parseSpki(spki, what);
  } catch (e) {
    throw new SigvetError(code, `${what}: ${(e as Error).message}`, { check: 'key.spki', cause: e });
  }
  if (info.type !== d.type || (d.bits !== undefined && info.bits !== d.bits)) {
    throw new SigvetError(code, `${what}: key does not match its details ${keyDetails}`, {
      check: 'key.details',
      expected: keyDetails,
      actual: `${info.type}${info.bits ? `/${info.bits}` : ''}`,
    });
  }
  const key = await provider.importSpki(spki, info.type, info.bits);
  return { key, scheme: d.scheme };
}

function hostOf(baseUrl: string, what: string): string {
  const m = /^https?:\/\/([^/?#@\s]+)(?:[/?#].*)?$/.exec(baseUrl);
  if (!m) throw new SigvetError('TRUST_ROOT', `${what}: invalid baseUrl ${JSON.stringify(baseUrl)}`, { check: 'trust.log.url' });
  return m[1]!;
}

async function importLog(provider: CryptoProvider, log: TrustedRootLog, what: string): Promise<TrustedLog> {
  const { key, scheme } = await importDetailedKey(provider, log.publicKey, log.keyDetails, what, 'TRUST_ROOT');
  const host = hostOf(log.baseUrl, what);
  // A log id is the SHA-256 of the key's SPKI (RFC 6962 / Rekor v1) or, for
  // Ed25519 Rekor v2 logs, the C2SP key id over the log's name. The native
  // hash, where the provider has one: at start-up @noble's JS runs cold.
  const spkiHash = sha256For(provider)(log.publicKey);
  const ok =
    bytesEqual(log.logId, spkiHash) ||
    (key.type === 'ed25519' && bytesEqual(log.logId, checkpointKeyId(host, key)));
  if (!ok) {
    throw new SigvetError('TRUST_ROOT', `${what}: log id does not match the log's key`, {
      check: 'trust.log.id',
      expected: toHex(spkiHash),
      actual: toHex(log.logId),
    });
  }
  return { log, host, logIdHex: toHex(log.logId), key, scheme };
}

/** Verifies `cert`'s signature with `issuerKey`. */
export async function verifyCertificateSignature(
  provider: CryptoProvider,
  cert: Certificate,
  issuerKey: PublicKey,
): Promise<boolean> {
  const scheme = schemeFromAlgorithmIdentifier(cert.signatureAlgorithm);
  return verifySignature(provider, issuerKey, scheme, cert.tbs.raw(), cert.signature);
}

/**
 * Imports an authority's keys and checks its chain. A CA chain starts with
 * the CA that issues leaves (itself a CA); a TSA chain starts with the TSA's
 * own end-entity certificate.
 */
async function importAuthority(
  provider: CryptoProvider,
  a: TrustedRootAuthority,
  what: string,
  kind: 'ca' | 'tsa',
): Promise<TrustedAuthority> {
  const keys: PublicKey[] = [];
  for (const [i, c] of a.certificates.entries()) {
    try {
      const info = parseSpki(c.spki, `${what}.certificates[${i}]`);
      keys.push(await provider.importSpki(c.spki, info.type, info.bits));
    } catch (e) {
      throw new SigvetError('TRUST_ROOT', `${what}.certificates[${i}]: cannot import key: ${(e as Error).message}`, {
        check: 'trust.authority.key',
        cause: e,
      });
    }
  }
  if (kind === 'ca' && !a.certificates[0]!.basicConstraints?.ca) {
    throw new SigvetError('TRUST_ROOT', `${what}.certificates[0] is not a CA certificate`, { check: 'trust.authority.chain' });
  }
  // Each certificate must be issued by the next one; the last is the anchor
  // and its self-signature is not needed for trust.
  for (let i = 0; i + 1 < a.certificates.length; i++) {
    const child = a.certificates[i]!;
    const parent = a.certificates[i + 1]!;
    const bc = parent.basicConstraints;
    if (!bc?.ca) {
      throw new SigvetError('TRUST_ROOT', `${what}.certificates[${i + 1}] is not a CA certificate`, { check: 'trust.authority.chain' });
    }
    // pathLen bounds the intermediates below the parent: certificates[0..i]
    // for a CA chain (the leaf is not in it), certificates[1..i] for a TSA chain.
    if (bc.pathLen !== undefined && bc.pathLen < (kind === 'ca' ? i + 1 : i)) {
      throw new SigvetError('TRUST_ROOT', `${what}: path length constraint violated`, { check: 'trust.authority.chain' });
    }
    if (!child.isIssuedByName(parent) || !(await verifyCertificateSignature(provider, child, keys[i + 1]!))) {
      throw new SigvetError('TRUST_ROOT', `${what}.certificates[${i}] is not signed by certificates[${i + 1}]`, {
        check: 'trust.authority.chain',
      });
    }
  }
  return { authority: a, keys };
}

function index(logs: readonly TrustedLog[]): Map<string, TrustedLog[]> {
  const m = new Map<string, TrustedLog[]>();
  for (const l of logs) {
    const list = m.get(l.logIdHex);
    if (list) list.push(l);
    else m.set(l.logIdHex, [l]);
  }
  return m;
}

/**
 * Imports every key of `root` and checks every chain, once.
 * @throws SigvetError `TRUST_ROOT` when the root is unusable.
 */
export async function buildTrustMaterial(root: TrustedRoot, provider: CryptoProvider): Promise<TrustMaterial> {
  const unusableLogs: { baseUrl: string; reason: string }[] = [];
  // A log whose key format sigvet does not support (e.g. the deprecated raw
  // PKCS#1 `PKCS1_RSA_PKCS1V5`) is left out rather than failing the root:
  // entries and SCTs from it then fail as coming from an unknown log.
  const usable = async (l: TrustedRootLog, what: string): Promise<TrustedLog[]> => {
    try {
      return [await importLog(provider, l, what)];
    } catch (e) {
      if (e instanceof SigvetError && e.code === 'UNSUPPORTED') {
        unusableLogs.push({ baseUrl: l.baseUrl, reason: e.message });
        return [];
      }
      throw e;
    }
  };
  const tlogs = (await Promise.all(root.tlogs.map((l, i) => usable(l, `trusted root tlogs[${i}]`)))).flat();
  const ctlogs = (await Promise.all(root.ctlogs.map((l, i) => usable(l, `trusted root ctlogs[${i}]`)))).flat();
  const cas = await Promise.all(
    root.certificateAuthorities.map((a, i) => importAuthority(provider, a, `trusted root certificateAuthorities[${i}]`, 'ca')),
  );
  const tsas = await Promise.all(
    root.timestampAuthorities.map((a, i) => importAuthority(provider, a, `trusted root timestampAuthorities[${i}]`, 'tsa')),
  );
  return {
    root,
    provider,
    tlogs,
    ctlogs,
    certificateAuthorities: cas,
    timestampAuthorities: tsas,
    unusableLogs,
    tlogsById: index(tlogs),
    ctlogsById: index(ctlogs),
  };
}
