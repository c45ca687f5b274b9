// The verifier's API contract: required inputs, option validation, identity
// matching as whole strings, tampering caught with the right code, and a
// result that is plain JSON data.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createVerifierWith, type Verifier, type VerifyInput } from '../../src/api.js';
import { nodeCryptoProvider } from '../../src/crypto/node.js';
import { SigvetError } from '../../src/errors.js';
import { createVerifier } from '../../src/index.node.js';

const VECTORS = resolve(__dirname, '../../test-vectors');
const read = (p: string): string => readFileSync(join(VECTORS, p), 'utf8');
const ID = read('happy-path-v0.3/identity').trim();
const ISSUER = read('happy-path-v0.3/issuer').trim();
const BUNDLE = read('happy-path-v0.3/bundle.sigstore.json');
const ARTIFACT = new Uint8Array(readFileSync(join(VECTORS, 'happy-path-v0.3/artifact')));

async function code(p: Promise<unknown>): Promise<string> {
  const e = await p.then(() => undefined, (x: unknown) => x);
  expect(e).toBeInstanceOf(SigvetError);
  return (e as SigvetError).code;
}

describe('verifier', () => {
  let v: Verifier;
  const ok: VerifyInput = { artifact: ARTIFACT, identity: { subjectAlternativeName: ID, issuer: ISSUER } };
  beforeAll(async () => {
    v = await createVerifierWith(nodeCryptoProvider, { trustedRoot: read('happy-path-v0.3/trusted_root.json') });
  });

  it('verifies and returns JSON-serializable facts', async () => {
    const r = await v.verify(BUNDLE, ok);
    const round = JSON.parse(JSON.stringify(r));
    expect(round).toEqual(r);
    expect(r.signer).toMatchObject({ type: 'certificate', subjectAlternativeName: ID, issuer: ISSUER });
    expect(r.signer.type === 'certificate' && r.signer.scts.length).toBe(1);
    expect(r.tlogEntries[0]).toMatchObject({ setVerified: true, inclusionProofVerified: true, kind: 'hashedrekord' });
    expect(r.verifiedTimes.map((t) => t.source)).toEqual(['tlog']);
    expect(r.checks.map((c) => c.name)).toEqual(
      expect.arrayContaining(['bundle.format', 'certificate.profile', 'signature.message', 'tlog.entry', 'cert_chain', 'sct', 'identity']),
    );
  });

  it('accepts the bundle as bytes or as a parsed object', async () => {
    await expect(v.verify(new TextEncoder().encode(BUNDLE), ok)).resolves.toBeTruthy();
    await expect(v.verify(JSON.parse(BUNDLE), ok)).resolves.toBeTruthy();
  });

  it('requires an artifact and an identity', async () => {
    expect(await code(v.verify(BUNDLE, { identity: ok.identity }))).toBe('INVALID_ARGUMENT');
    expect(await code(v.verify(BUNDLE, { artifact: ARTIFACT }))).toBe('INVALID_ARGUMENT');
    expect(await code(v.verify(BUNDLE, { ...ok, artifactDigest: 'sha256:00' }))).toBe('INVALID_ARGUMENT');
    expect(await code(v.verify(BUNDLE, { artifactDigest: `SHA256:${'0'.repeat(64)}`, identity: ok.identity }))).toBe('INVALID_ARGUMENT');
    expect(await code(v.verify(BUNDLE, { artifactDigest: `sha256:${'A'.repeat(64)}`, identity: ok.identity }))).toBe('INVALID_ARGUMENT');
  });

  it('records unsafe skips in the result', async () => {
    const r = await v.verify(BUNDLE, { artifact: ARTIFACT, unsafeSkipIdentity: true });
    expect(r.skipped).toEqual([{ name: 'identity', detail: 'unsafeSkipIdentity' }]);
  });

  it('rejects a managed key for a certificate bundle', async () => {
    const key = read('happy-path-managed-key/key.pub');
    expect(await code(v.verify(BUNDLE, { artifact: ARTIFACT, key }))).toBe('KEY');
  });

  it('matches identities as whole strings', async () => {
    const withSan = (s: VerifyInput['identity']) => v.verify(BUNDLE, { artifact: ARTIFACT, identity: s });
    expect(await code(withSan({ subjectAlternativeName: ID.slice(0, -1), issuer: ISSUER }))).toBe('IDENTITY');
    expect(await code(withSan({ subjectAlternativeName: `${ID}x`, issuer: ISSUER }))).toBe('IDENTITY');
    expect(await code(withSan({ subjectAlternativeName: ID.toUpperCase(), issuer: ISSUER }))).toBe('IDENTITY');
    expect(await code(withSan({ subjectAlternativeName: ID, issuer: `${ISSUER}/` }))).toBe('IDENTITY');
    // A regex matches the whole value, never a substring.
    expect(await code(withSan({ subjectAlternativeName: { regex: 'github\\.com' }, issuer: ISSUER }))).toBe('IDENTITY');
    await expect(withSan({ subjectAlternativeName: { regex: 'https://github\\.com/.*' }, issuer: { regex: '.*' } })).resolves.toBeTruthy();
    expect(await code(withSan({ subjectAlternativeName: { regex: '(' }, issuer: ISSUER }))).toBe('INVALID_ARGUMENT');
    // A pattern cannot close the anchoring group: "x)|(.*" is not a whole expression.
    expect(await code(withSan({ subjectAlternativeName: { regex: 'x)|(.*' }, issuer: ISSUER }))).toBe('INVALID_ARGUMENT');
    expect(await code(withSan({ subjectAlternativeName: { regex: 'a'.repeat(1025) }, issuer: ISSUER }))).toBe('LIMIT');
  });

  it('catches a tampered artifact or digest', async () => {
    const other = ARTIFACT.slice();
    other[0]! ^= 1;
    expect(await code(v.verify(BUNDLE, { ...ok, artifact: other }))).toBe('SIGNATURE');
    expect(await code(v.verify(BUNDLE, { artifactDigest: `sha256:${'0'.repeat(64)}`, identity: ok.identity }))).toBe('SIGNATURE');
  });

  it('catches a tampered signature, certificate and log entry', async () => {
    const b = JSON.parse(BUNDLE);
    const flip = (s: string, at: number): string => {
      const bytes = Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
      bytes[at]! ^= 0x01;
      return btoa(String.fromCharCode(...bytes));
    };
    const mutate = (f: (x: any) => void): string => {
      const c = structuredClone(b);
      f(c);
      return JSON.stringify(c);
    };
    // The signature's last byte (inside s): the ECDSA check fails.
    const sig = b.messageSignature.signature as string;
    expect(await code(v.verify(mutate((c) => (c.messageSignature.signature = flip(sig, atob(sig).length - 1))), ok))).toBe('SIGNATURE');
    // The certificate's signature bytes: the log recorded the original
    // certificate, so the body binding catches it before the chain does
    // (test-vectors/wrong-ca_fail covers the chain check itself).
    const cert = b.verificationMaterial.certificate.rawBytes as string;
    expect(
      await code(v.verify(mutate((c) => (c.verificationMaterial.certificate.rawBytes = flip(cert, atob(cert).length - 3))), ok)),
    ).toBe('TLOG_BODY');
    // The log index: the SET no longer signs it.
    expect(await code(v.verify(mutate((c) => (c.verificationMaterial.tlogEntries[0].logIndex = '1')), ok))).toBe('TLOG_SET');
    // The log id: an unknown log.
    expect(
      await code(v.verify(mutate((c) => (c.verificationMaterial.tlogEntries[0].logId.keyId = btoa('x'.repeat(32)))), ok)),
    ).toBe('TLOG_BODY');
    // No tlog entry at all: the threshold is not met.
    expect(await code(v.verify(mutate((c) => (c.verificationMaterial.tlogEntries = [])), ok))).toBe('THRESHOLD');
    // The same entry twice does not count as two logs.
    const v2 = await createVerifierWith(nodeCryptoProvider, { trustedRoot: read('happy-path-v0.3/trusted_root.json'), tlogThreshold: 2 });
    expect(
      await code(v2.verify(mutate((c) => c.verificationMaterial.tlogEntries.push(c.verificationMaterial.tlogEntries[0])), ok)),
    ).toBe('THRESHOLD');
  });

  it('validates options', async () => {
    const root = read('happy-path-v0.3/trusted_root.json');
    expect(await code(createVerifierWith(nodeCryptoProvider, { trustedRoot: root, tlogThreshold: -1 }))).toBe('INVALID_ARGUMENT');
    expect(await code(createVerifierWith(nodeCryptoProvider, { trustedRoot: root, ctlogThreshold: 1.5 }))).toBe('INVALID_ARGUMENT');
    expect(await code(createVerifierWith(nodeCryptoProvider, {}))).toBe('INVALID_ARGUMENT');
    expect(await code(createVerifierWith(nodeCryptoProvider, { trustedRoot: '{' }))).toBe('PARSE');
  });

  it('needs the SCT threshold met', async () => {
    const b = JSON.parse(BUNDLE);
    const root = JSON.parse(read('happy-path-v0.3/trusted_root.json'));
    root.ctlogs = [];
    const noCt = await createVerifierWith(nodeCryptoProvider, { trustedRoot: root });
    expect(await code(noCt.verify(b, ok))).toBe('SCT');
    const zero = await createVerifierWith(nodeCryptoProvider, { trustedRoot: root, ctlogThreshold: 0 });
    await expect(zero.verify(b, ok)).resolves.toBeTruthy();
  });

  it('rejects a bundle from another instance under the embedded public-good root', async () => {
    const pg = await createVerifier();
    expect(await code(pg.verify(BUNDLE, ok))).toBe('TLOG_BODY');
  });
});
