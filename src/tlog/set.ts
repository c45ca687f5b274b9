/**
 * Signed entry timestamps (SET, Rekor's "inclusion promise").
 *
 * Rekor signs the RFC 8785 canonical JSON of
 * `{"body":<base64 body>,"integratedTime":<int>,"logID":<hex log id>,"logIndex":<int>}`.
 * For these four fields canonical form is keys in this order, no spaces,
 * integers in plain decimal; the integers are printed from `bigint`, so no
 * precision is lost above 2^53.
 * @module
 */
import { base64Length, encodeBase64Into } from '../encoding/base64.js';
import { toHex } from '../encoding/hex.js';

const HEAD = '{"body":"';

function writeAscii(out: Uint8Array, offset: number, s: string): number {
  for (let i = 0; i < s.length; i++) out[offset + i] = s.charCodeAt(i);
  return offset + s.length;
}

/** The exact bytes a SET signs. */
export function setPayload(body: Uint8Array, integratedTime: bigint, logId: Uint8Array, logIndex: bigint): Uint8Array {
  // Base64, hex and decimal integers never need JSON escaping and are ASCII,
  // so the canonical text is written straight into bytes (no string of the
  // body's base64, no UTF-8 encoding pass).
  const tail = `","integratedTime":${integratedTime},"logID":"${toHex(logId)}","logIndex":${logIndex}}`;
  const out = new Uint8Array(HEAD.length + base64Length(body.length) + tail.length);
  let o = writeAscii(out, 0, HEAD);
  o = encodeBase64Into(body, out, o);
  writeAscii(out, o, tail);
  return out;
}
