/**
 * Signed checkpoints: C2SP signed-note (c2sp.org/signed-note) carrying a
 * C2SP tlog-checkpoint body (c2sp.org/tlog-checkpoint), as Rekor v1 and v2 emit.
 *
 * Rules: the note is UTF-8 without control characters other than newline, at
 * most {@link MAX_CHECKPOINT_BYTES} bytes and {@link MAX_CHECKPOINT_SIGNATURES}
 * signature lines, and ends with a newline. The body is origin, decimal size
 * (no sign, no leading zero), standard-base64 32-byte root, then non-empty
 * extension lines. A signature counts only if its key name equals the log's
 * name exactly AND its 4-byte key hint equals the log's hint; unknown lines
 * (witness cosignatures) are ignored wherever they appear. Any line that does
 * not parse makes the whole note invalid.
 *
 * Internal module of the transparency-log verifier (`src/tlog`).
 * @module
 */
import { oneShotSha256 as sha256 } from '../crypto/one-shot-sha256.js';
import { SigvetError, isSigvetError } from '../errors.js';
import { decodeBase64 } from '../encoding/base64.js';
import { bytesEqual, concatBytes, utf8 } from '../encoding/bytes.js';
import { toHex } from '../encoding/hex.js';
import { parseSpki } from '../crypto/spki.js';
import type { CryptoProvider, PublicKey, SignatureScheme } from '../crypto/provider.js';
import { verifySignature } from '../crypto/verify-signature.js';

/**
 * Largest note accepted, in UTF-8 bytes. C2SP signed-note requires accepting
 * at least 16 signatures of up to ~5 kB (post-quantum); 256 KiB covers that
 * with room to spare while bounding memory and parsing work.
 */
export const MAX_CHECKPOINT_BYTES = 256 * 1024;

/** Most signature lines accepted (Go's `golang.org/x/mod/sumdb/note` uses the same cap). */
export const MAX_CHECKPOINT_SIGNATURES = 100;

/** One signature line of a signed note, not yet verified. */
export interface CheckpointSignature {
  /** The key name after the em dash (for a log: its origin host). */
  readonly name: string;
  /** The first 4 bytes of the decoded signature: the key ID. */
  readonly keyHint: Uint8Array;
  /** The signature bytes after the key hint. */
  readonly signature: Uint8Array;
}

/** A parsed, not yet verified, checkpoint. */
export interface Checkpoint {
  /** The first body line: the log's identity (Rekor v1 adds ` - <tree id>`). */
  readonly origin: string;
  /** The tree size. */
  readonly size: bigint;
  /** The 32-byte Merkle root hash. */
  readonly rootHash: Uint8Array;
  /** Extension lines after the root hash (Rekor v1: `Timestamp: …`); opaque. */
  readonly extensions: readonly string[];
  /** The exact bytes signed: the note text up to and including the newline before the blank line. */
  readonly signedText: Uint8Array;
  /** Every signature line, in order. */
  readonly signatures: readonly CheckpointSignature[];
}

/** A log key that may have signed a checkpoint. */
export interface CheckpointVerifier {
  /** The expected signer name, e.g. the host of the log's baseUrl. */
  readonly name: string;
  /** The log's public key. */
  readonly key: PublicKey;
  /** How the log signs (ECDSA P-256/SHA-256 for Rekor v1, Ed25519 for Rekor v2 public good). */
  readonly scheme: SignatureScheme;
  /** The 4-byte key hint, e.g. from {@link checkpointKeyHint}. */
  readonly keyHint: Uint8Array;
}

const EM_DASH_SPACE = '\u2014 ';
const HINT_LENGTH = 4;
const ROOT_HASH_LENGTH = 32;
const MAX_UINT64 = (1n << 64n) - 1n;

function cpFail(message: string, details: { check?: string; expected?: string; actual?: string; cause?: unknown } = {}): never {
  throw new SigvetError('TLOG_CHECKPOINT', message, { check: 'tlog.checkpoint.format', ...details });
}

function limitFail(message: string, expected: string, actual: string): never {
  throw new SigvetError('LIMIT', message, { check: 'tlog.checkpoint.limit', expected, actual });
}

/** A short, safe rendering of untrusted text for error messages. */
function show(s: string): string {
  return JSON.stringify(s.length > 80 ? `${s.slice(0, 80)}…` : s);
}

/**
 * C2SP signed-note: "Key names MUST be non-empty and MUST NOT contain any
 * Unicode spaces or plus (U+002B) characters." JS `\s` covers the Unicode
 * space separators and line terminators (plus U+FEFF, refused too); U+0085 is
 * added because Go's `unicode.IsSpace` includes it.
 */
function isValidKeyName(name: string): boolean {
  return name.length > 0 && !/[\s\u0085+]/u.test(name);
}

/**
 * Parses a signed checkpoint strictly (C2SP signed-note + tlog-checkpoint).
 * Nothing is verified here; see {@link verifyCheckpoint}.
 * @example const cp = parseCheckpoint(entry.inclusionProof.checkpoint.envelope)
 * @throws SigvetError `TLOG_CHECKPOINT` (check `tlog.checkpoint.format`) when any line does not parse;
 *   `LIMIT` when the note exceeds {@link MAX_CHECKPOINT_BYTES} or {@link MAX_CHECKPOINT_SIGNATURES}.
 */
export function parseCheckpoint(text: string): Checkpoint {
  if (typeof text !== 'string') cpFail(`checkpoint must be a string, got ${typeof text}`);
  // UTF-8 never takes fewer bytes than UTF-16 code units, so this cheap test is sound.
  if (text.length > MAX_CHECKPOINT_BYTES) {
    limitFail('checkpoint is too large', `<= ${MAX_CHECKPOINT_BYTES} bytes`, `>= ${text.length} bytes`);
  }
  // C2SP signed-note: valid UTF-8 (no lone surrogates, which TextEncoder would
  // silently replace) and no ASCII control characters other than newline.
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 && c !== 0x0a) cpFail(`checkpoint contains control character U+${c.toString(16).padStart(4, '0')} at ${i}`);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = text.charCodeAt(i + 1);
      if (!(d >= 0xdc00 && d <= 0xdfff)) cpFail(`checkpoint contains a lone surrogate at ${i}`);
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      cpFail(`checkpoint contains a lone surrogate at ${i}`);
    }
  }
  const byteLength = utf8(text).length;
  if (byteLength > MAX_CHECKPOINT_BYTES) {
    limitFail('checkpoint is too large', `<= ${MAX_CHECKPOINT_BYTES} bytes`, `${byteLength} bytes`);
  }
  if (!text.endsWith('\n')) cpFail('checkpoint does not end with a newline');

  // "the text is separated from the signatures by the last empty line in the note."
  const sep = text.lastIndexOf('\n\n');
  if (sep < 0) cpFail('checkpoint has no blank line between the text and the signatures');
  const body = text.slice(0, sep + 1);
  const sigBlock = text.slice(sep + 2);
  if (sigBlock.length === 0) cpFail('checkpoint has no signature lines');

  // Count before splitting or decoding anything.
  let sigLineCount = 0;
  for (let i = 0; i < sigBlock.length; i++) if (sigBlock.charCodeAt(i) === 0x0a) sigLineCount++;
  if (sigLineCount > MAX_CHECKPOINT_SIGNATURES) {
    limitFail('checkpoint has too many signature lines', `<= ${MAX_CHECKPOINT_SIGNATURES}`, String(sigLineCount));
  }

  const lines = body.slice(0, -1).split('\n');
  if (lines.length < 3) {
    cpFail('checkpoint text needs at least three lines (origin, size, root hash)', {
      expected: '>= 3 lines',
      actual: `${lines.length} lines`,
    });
  }
  const [originLine, sizeLine, rootLine] = lines as [string, string, string];
  if (originLine.length === 0) cpFail('checkpoint origin is empty');
  const size = parseTreeSize(sizeLine);
  const rootHash = parseRootHash(rootLine);
  const extensions = lines.slice(3);
  extensions.forEach((ext, i) => {
    if (ext.length === 0) cpFail(`checkpoint extension line ${i + 1} is empty`);
  });

  const signatures = sigBlock
    .slice(0, -1)
    .split('\n')
    .map((line, i) => parseSignatureLine(line, i));

  return { origin: originLine, size, rootHash, extensions, signedText: utf8(body), signatures };
}

/** tlog-checkpoint: "ASCII decimal … with no leading zeroes (unless the tree is empty …)". */
function parseTreeSize(line: string): bigint {
  // At most 20 digits: uint64, as Go's checkpoint parser reads it.
  if (!/^(?:0|[1-9][0-9]{0,19})$/.test(line)) {
    cpFail(`checkpoint tree size is not a canonical decimal number: ${show(line)}`, { check: 'tlog.checkpoint.size' });
  }
  const size = BigInt(line);
  if (size > MAX_UINT64) cpFail('checkpoint tree size exceeds 2^64 - 1', { check: 'tlog.checkpoint.size', actual: line });
  return size;
}

function parseRootHash(line: string): Uint8Array {
  let root: Uint8Array;
  try {
    root = decodeBase64(line, 'checkpoint root hash', 'std');
  } catch (e) {
    cpFail(`checkpoint root hash is not standard base64: ${show(line)}`, { check: 'tlog.checkpoint.root', cause: e });
  }
  if (root.length !== ROOT_HASH_LENGTH) {
    cpFail('checkpoint root hash has the wrong length', {
      check: 'tlog.checkpoint.root',
      expected: `${ROOT_HASH_LENGTH} bytes`,
      actual: `${root.length} bytes`,
    });
  }
  return root;
}

/** `— <name> <base64(keyID[4] ‖ signature)>`: em dash, space, name, space, base64. */
function parseSignatureLine(line: string, index: number): CheckpointSignature {
  const where = `checkpoint signature line ${index + 1}`;
  if (!line.startsWith(EM_DASH_SPACE)) cpFail(`${where} does not start with an em dash and a space: ${show(line)}`);
  const rest = line.slice(EM_DASH_SPACE.length);
  const space = rest.indexOf(' ');
  if (space < 0) cpFail(`${where} has no signature after the key name`);
  const name = rest.slice(0, space);
  if (!isValidKeyName(name)) cpFail(`${where} has an invalid key name ${show(name)}`);
  const b64 = rest.slice(space + 1);
  let raw: Uint8Array;
  try {
    // 'std' refuses spaces, so a third field cannot hide here.
    raw = decodeBase64(b64, where, 'std');
  } catch (e) {
    cpFail(`${where} is not standard base64`, { cause: e });
  }
  if (raw.length <= HINT_LENGTH) {
    cpFail(`${where} is too short for a key hint and a signature`, {
      expected: `>= ${HINT_LENGTH + 1} bytes`,
      actual: `${raw.length} bytes`,
    });
  }
  return { name, keyHint: raw.subarray(0, HINT_LENGTH), signature: raw.subarray(HINT_LENGTH) };
}

/**
 * How key hints are derived. `'c2sp'` (default) is what Rekor v2
 * (sigstore/rekor-tiles `pkg/note/note.go`, `KeyHash`) and C2SP signed-note use:
 * - Ed25519: SHA-256(name ‖ 0x0A ‖ 0x01 ‖ 32-byte key)[:4] (signed-note §Ed25519 signatures);
 * - ECDSA: SHA-256(DER SPKI)[:4] (signed-note signature type 0x02: "the key ID … is the truncated
 *   SHA-256 hash of the DER encoded public key in SPKI format"; rekor-tiles `ecdsaKeyHash`);
 * - RSA: SHA-256(name ‖ 0x0A ‖ 0xFF ‖ "PKIX-RSA-PKCS#1v1.5" ‖ DER SPKI)[:4] (rekor-tiles `rsaKeyHash`).
 *
 * `'rekor-v1'`: SHA-256(DER SPKI)[:4] for every key type (sigstore/rekor
 * `pkg/util/signed_note.go`). Both agree for ECDSA, the only key type the
 * public-good Rekor v1 uses.
 */
export type CheckpointKeyHintStyle = 'c2sp' | 'rekor-v1';

/** rekor-tiles' identifier for RSA note keys, after the 0xFF "no assigned byte" marker. */
const RSA_NOTE_ALGORITHM = utf8('PKIX-RSA-PKCS#1v1.5');

/**
 * Computes the 4-byte key hint a log puts in front of its checkpoint signatures.
 * Checked against real data: the public-good Rekor v1 key gives `c0d23d6a`, and the
 * Rekor v2 Ed25519 logs give the first 4 bytes of their trusted-root log ID.
 * @param name the signer name (for Rekor v2, the origin, i.e. the log's host).
 * @throws SigvetError `KEY` when the key's SPKI cannot be read.
 */
export function checkpointKeyHint(name: string, key: PublicKey, style: CheckpointKeyHintStyle = 'c2sp'): Uint8Array {
  return checkpointKeyId(name, key, style).subarray(0, HINT_LENGTH);
}

/**
 * The full 32-byte key id whose first 4 bytes are the key hint; for Rekor v2
 * logs it is also the log id the trusted root lists.
 * @throws SigvetError `KEY` when the key's SPKI cannot be read.
 */
export function checkpointKeyId(name: string, key: PublicKey, style: CheckpointKeyHintStyle = 'c2sp'): Uint8Array {
  const spki = key.spki;
  if (style === 'rekor-v1') return sha256(spki);
  const prefix = concatBytes(utf8(name), new Uint8Array([0x0a]));
  switch (key.type) {
    case 'ed25519': {
      let raw: Uint8Array;
      try {
        raw = parseSpki(spki, 'checkpoint key').publicKey;
      } catch (e) {
        throw new SigvetError('KEY', 'checkpoint key: cannot read the Ed25519 key', { check: 'tlog.checkpoint.key', cause: e });
      }
      if (raw.length !== 32) {
        throw new SigvetError('KEY', 'checkpoint key: Ed25519 key must be 32 bytes', { check: 'tlog.checkpoint.key' });
      }
      return sha256(concatBytes(prefix, new Uint8Array([0x01]), raw));
    }
    case 'ec-p256':
    case 'ec-p384':
    case 'ec-p521':
      return sha256(spki);
    case 'rsa':
      return sha256(concatBytes(prefix, new Uint8Array([0xff]), RSA_NOTE_ALGORITHM, spki));
    default:
      throw new SigvetError('KEY', `checkpoint key: unsupported key type ${String((key as PublicKey).type)}`, {
        check: 'tlog.checkpoint.key',
      });
  }
}

/**
 * Verifies that a checkpoint carries a valid signature from one of `logs`.
 * Every signature line whose name equals a verifier's name (exact string
 * comparison) and whose key hint equals its hint is tried, wherever it appears
 * and whatever other lines (witness cosignatures) surround it; the first that
 * verifies wins. Lines from unknown keys are ignored (C2SP signed-note: "Verifiers
 * MUST ignore signatures from unknown keys, even if they share a name or ID (but
 * not both) with a known key"). A known-key line that fails is skipped rather
 * than fatal, so a line forged to collide with the log's name and hint cannot
 * veto the log's real signature. The origin is not checked here: see
 * {@link checkpointOriginMatches}.
 * @returns the verifier whose signature verified.
 * @throws SigvetError `TLOG_CHECKPOINT` (check `tlog.checkpoint.signature`) listing what was tried.
 */
export async function verifyCheckpoint(
  cp: Checkpoint,
  logs: readonly CheckpointVerifier[],
  provider: CryptoProvider,
): Promise<CheckpointVerifier> {
  const check = 'tlog.checkpoint.signature';
  if (!Array.isArray(logs) || logs.length === 0) {
    throw new SigvetError('INVALID_ARGUMENT', 'verifyCheckpoint needs at least one log key', { check });
  }
  const errors: SigvetError[] = [];
  const tried: string[] = [];
  for (const sig of cp.signatures) {
    for (const log of logs) {
      if (sig.name !== log.name || !bytesEqual(sig.keyHint, log.keyHint)) continue;
      const label = `${sig.name}/${toHex(sig.keyHint)}`;
      let ok = false;
      try {
        ok = await verifySignature(provider, log.key, log.scheme, cp.signedText, sig.signature);
      } catch (e) {
        errors.push(
          isSigvetError(e)
            ? e
            : new SigvetError('SIGNATURE', `checkpoint signature ${label} could not be verified`, { check, cause: e }),
        );
        tried.push(`${label} (error)`);
        continue;
      }
      if (ok) return log;
      tried.push(`${label} (invalid signature)`);
      errors.push(new SigvetError('SIGNATURE', `checkpoint signature ${label} does not verify`, { check }));
    }
  }
  const expected = logs.map((l) => `${l.name}/${toHex(l.keyHint)}`).join(', ');
  const actual = cp.signatures.map((s) => `${s.name}/${toHex(s.keyHint)}`).join(', ');
  const message =
    tried.length === 0
      ? 'no checkpoint signature line matches a trusted log key (name and key hint)'
      : `no checkpoint signature from a trusted log key verifies (tried ${tried.join('; ')})`;
  throw new SigvetError('TLOG_CHECKPOINT', message, { check, expected, actual, errors });
}

/**
 * The checkpoint origin rule for Sigstore logs: the origin is the log's host
 * (Rekor v2, e.g. `log2025-1.rekor.sigstore.dev`), or the host, `" - "` and the
 * decimal tree ID (Rekor v1, e.g. `rekor.sigstore.dev - 1193050959916656506`).
 * Exact comparison; no case folding, no substring or pattern matching.
 * @param logHost the host (with port, if any) of the log's `baseUrl`.
 */
export function checkpointOriginMatches(origin: string, logHost: string): boolean {
  if (typeof origin !== 'string' || typeof logHost !== 'string' || logHost.length === 0) return false;
  if (origin === logHost) return true;
  const prefix = `${logHost} - `;
  if (!origin.startsWith(prefix)) return false;
  // Tree IDs are int64 values: 1–19 digits.
  return /^[0-9]{1,19}$/.test(origin.slice(prefix.length));
}
