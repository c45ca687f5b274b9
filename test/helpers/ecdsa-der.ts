/**
 * Hand-built DER for ECDSA signature tests: minimal INTEGERs and short or
 * one-byte long-form lengths, as hex, so a test can also write the
 * malformed encodings it needs around them.
 */

/** A TLV as hex: tag, length (short form, or 0x81 for 128–255 bytes), body. */
export function tlvHex(tag: string, body: string): string {
  const len = body.length / 2;
  const l = len < 0x80 ? len.toString(16).padStart(2, '0') : '81' + len.toString(16).padStart(2, '0');
  return tag + l + body;
}

/** A minimal non-negative DER INTEGER as hex (a leading 00 where the top bit is set). */
export function derIntHex(v: bigint): string {
  let hex = v.toString(16);
  if (hex.length % 2) hex = '0' + hex;
  if (parseInt(hex.slice(0, 2), 16) >= 0x80) hex = '00' + hex;
  return tlvHex('02', hex);
}

/** `ECDSA-Sig-Value ::= SEQUENCE { r, s }` as hex. */
export function ecdsaSigHex(r: bigint, s: bigint): string {
  return tlvHex('30', derIntHex(r) + derIntHex(s));
}
