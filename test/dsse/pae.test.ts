import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { preAuthEncoding } from '../../src/dsse/pae.js';
import { b64, vectorBundle } from '../bundle/data.js';

const dec = (b: Uint8Array): string => Buffer.from(b).toString('latin1');

/** PAE from the DSSE spec, computed with Buffer byte lengths (independent of sigvet). */
function referencePae(type: string, body: Uint8Array): Uint8Array {
  const t = Buffer.from(type, 'utf8');
  return new Uint8Array(Buffer.concat([Buffer.from(`DSSEv1 ${t.length} `), t, Buffer.from(` ${body.length} `), Buffer.from(body)]));
}

describe('preAuthEncoding', () => {
  it('matches the DSSE specification example', () => {
    // DSSE protocol.md test vector: PAE("http://example.com/HelloWorld", "hello world").
    const pae = preAuthEncoding('http://example.com/HelloWorld', new TextEncoder().encode('hello world'));
    expect(dec(pae)).toBe('DSSEv1 29 http://example.com/HelloWorld 11 hello world');
  });

  it('counts the payload type in UTF-8 bytes, not UTF-16 code units', () => {
    for (const type of ['application/vnd.in-toto+json', 'tÿpe/é', '型/ペイロード', 'application/📦+json', '']) {
      const bytes = Buffer.byteLength(type, 'utf8');
      const pae = preAuthEncoding(type, new Uint8Array([1, 2]));
      expect(pae).toEqual(referencePae(type, new Uint8Array([1, 2])));
      expect(dec(pae.subarray(0, `DSSEv1 ${bytes} `.length))).toBe(`DSSEv1 ${bytes} `);
    }
    // '📦' is 2 UTF-16 code units but 4 UTF-8 bytes.
    expect(dec(preAuthEncoding('📦', new Uint8Array(0)).subarray(0, 9))).toBe('DSSEv1 4 ');
    expect(dec(preAuthEncoding('é', new Uint8Array(0)).subarray(0, 9))).toBe('DSSEv1 2 ');
  });

  it('counts the payload in bytes and copies it verbatim, including non-UTF-8 bytes', () => {
    const payload = new Uint8Array([0xff, 0x00, 0xc3, 0xa9, 0x20, 0x0a]);
    const pae = preAuthEncoding('t', payload);
    expect(pae).toEqual(referencePae('t', payload));
    expect(pae.subarray(pae.length - payload.length)).toEqual(payload);
    const big = new Uint8Array(crypto.randomBytes(1000));
    expect(dec(preAuthEncoding('t', big).subarray(0, 15))).toBe('DSSEv1 1 t 1000');
    expect(dec(preAuthEncoding('t', new Uint8Array(0)))).toBe('DSSEv1 1 t 0 ');
  });

  it('is what a real DSSE signature signs', () => {
    const bundle = vectorBundle('happy-path-dsse');
    const env = bundle.dsseEnvelope;
    const pae = preAuthEncoding(env.payloadType, b64(env.payload));
    const cert = new crypto.X509Certificate(b64(bundle.verificationMaterial.certificate.rawBytes));
    expect(crypto.verify('sha256', pae, cert.publicKey, b64(env.signatures[0].sig))).toBe(true);
    // A payload type differing in one character is a different message.
    expect(crypto.verify('sha256', preAuthEncoding(`${env.payloadType} `, b64(env.payload)), cert.publicKey, b64(env.signatures[0].sig))).toBe(false);
  });
});
