/**
 * DSSE pre-authentication encoding (PAE), the bytes a DSSE signature covers:
 * `"DSSEv1" SP LEN(type) SP type SP LEN(body) SP body`, where LEN is the
 * decimal count of UTF-8 **bytes** (not UTF-16 code units: sigstore-js #1657).
 * @module
 */
import { requireBytes, requireString } from '../arguments.js';
import { concatBytes, utf8 } from '../encoding/bytes.js';

/**
 * Computes PAE(payloadType, payload).
 * @throws SigvetError `INVALID_ARGUMENT` (check `argument.preAuthEncoding`) unless given a string and bytes.
 */
export function preAuthEncoding(payloadType: string, payload: Uint8Array): Uint8Array {
  requireString(payloadType, 'preAuthEncoding', 'payloadType');
  requireBytes(payload, 'preAuthEncoding', 'payload');
  const type = utf8(payloadType);
  return concatBytes(utf8(`DSSEv1 ${type.length} `), type, utf8(` ${payload.length} `), payload);
}
