/**
 * The raw numbers of an imported public key, read from its SPKI on first use:
 * what the digest-only paths (noble ECDSA, BigInt RSA) need besides the
 * runtime's own key object. Provider key handles extend it.
 * @module
 */
import { parseRsaPublicKey, parseSpki, type RsaPublicKeyNumbers } from './spki.js';

/** A key handle's lazily parsed numbers. @internal */
export class KeyNumbers {
  private rsaNumbers: RsaPublicKeyNumbers | undefined;
  private point: Uint8Array | undefined;

  constructor(
    /** A private copy of the SPKI the key was imported from. */
    readonly spki: Uint8Array,
  ) {}

  /** RSA modulus and exponent. */
  rsa(): RsaPublicKeyNumbers {
    this.rsaNumbers ??= parseRsaPublicKey(parseSpki(this.spki, 'public key').publicKey, 'public key');
    return this.rsaNumbers;
  }

  /** The uncompressed EC point. */
  ecPoint(): Uint8Array {
    this.point ??= parseSpki(this.spki, 'public key').publicKey;
    return this.point;
  }
}
