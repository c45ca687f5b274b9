// C2SP signed notes (c2sp.org/signed-note) carrying tlog checkpoints
// (c2sp.org/tlog-checkpoint), and witness cosignatures
// (c2sp.org/tlog-cosignature): the text formats both Rekor versions serve.

import { Ed25519Key, sha256, concat, b64 } from './keys.mjs';

const enc = (s) => new TextEncoder().encode(s);

/**
 * Checkpoint body: origin, decimal tree size, base64 root hash, optional
 * extension lines; each newline-terminated. `sizeText` / `rootHashText`
 * replace the canonical spelling of those lines (for the cases about them).
 */
export function checkpointBody({ origin, size, rootHash, extensions = [], sizeText, rootHashText }) {
  return `${origin}\n${sizeText ?? size}\n${rootHashText ?? b64(rootHash)}\n${extensions.map((l) => `${l}\n`).join('')}`;
}

/** One signature line: em dash, space, key name, space, base64(4-byte key hint ‖ signature), newline. */
export function signatureLine(name, keyHint, signature) {
  return `\u2014 ${name} ${b64(concat(keyHint, signature))}\n`;
}

/** The note: body, a blank line, then the signature lines in the order given. */
export function signedNote(body, lines) {
  return `${body}\n${lines.join('')}`;
}

/** C2SP signed-note key ID of an Ed25519 note key: SHA-256(name ‖ 0x0A ‖ 0x01 ‖ key)[:4]; the full hash is Rekor v2's log ID. */
export function ed25519NoteKeyHash(name, publicKey) {
  return sha256(concat(enc(name), Uint8Array.of(0x0a, 0x01), publicKey));
}

function u64(n) {
  const out = new Uint8Array(8);
  let v = BigInt(n);
  for (let i = 7; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/**
 * A witness with an Ed25519 cosigner key (C2SP tlog-cosignature v1): its key
 * ID is SHA-256(name ‖ 0x0A ‖ 0x04 ‖ key)[:4] and it signs
 * "cosignature/v1\ntime <t>\n" followed by the checkpoint body, prefixing the
 * signature with the 8-byte big-endian timestamp.
 */
export class Witness {
  constructor(seed, name) {
    this.name = name;
    this.key = new Ed25519Key(seed, `witness:${name}`);
    this.keyId = sha256(concat(enc(name), Uint8Array.of(0x0a, 0x04), this.key.publicKey)).subarray(0, 4);
  }

  /** The cosignature line for `body` at `timestamp` (seconds since the epoch). */
  cosign(body, timestamp) {
    const signature = this.key.sign(enc(`cosignature/v1\ntime ${timestamp}\n${body}`));
    return signatureLine(this.name, this.keyId, concat(u64(timestamp), signature));
  }
}
