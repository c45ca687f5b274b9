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
import { encodeBase64 } from '../encoding/base64.js';
import { utf8 } from '../encoding/bytes.js';
import { toHex } from '../encoding/hex.js';

/** The exact bytes a SET signs. */
export function setPayload(body: Uint8Array, integratedTime: bigint, logId: Uint8Array, logIndex: bigint): Uint8Array {
  // Base64 and hex never need JSON escaping, so string concatenation is canonical.
  return utf8(
    `{"body":"${encodeBase64(body)}","integratedTime":${integratedTime},"logID":"${toHex(logId)}","logIndex":${logIndex}}`,
  );
}
