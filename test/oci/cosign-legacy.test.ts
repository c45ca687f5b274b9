/**
 * cosign's legacy format: the simple-signing payload read strictly, and the
 * conversion of `.sig`/`.att` layer annotations to bundles, so that every
 * damaged piece fails in the core verifier with its own error code.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildOciFixtures, type OciFixtures } from '../../scripts/oci/fixtures.mjs';
import { legacyAttestationBundle, legacySignatureBundle, pemCertificates } from '../../src/oci/cosign-legacy.js';
import { parseSimpleSigning } from '../../src/oci/simple-signing.js';
import { SigvetError } from '../../src/errors.js';
import type { Verifier } from '../../src/verify/verifier.js';
import { createVerifierWith } from '../../src/verify/verifier.js';
import { nodeCryptoProvider } from '../../src/crypto/node.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const D = `sha256:${'ab'.repeat(32)}`;

function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return `${(e as SigvetError).code} ${(e as SigvetError).check}`;
  }
  return 'no error';
}

async function codeOfAsync(p: Promise<unknown>): Promise<string> {
  return p.then(
    () => 'no error',
    (e: unknown) => (e instanceof SigvetError ? `${e.code} ${e.check}` : `not a SigvetError: ${String(e)}`),
  );
}

describe('simple-signing payload', () => {
  const good = { critical: { identity: { 'docker-reference': 'r' }, image: { 'docker-manifest-digest': D }, type: 'cosign container image signature' }, optional: { a: 'b' } };
  const parse = (o: unknown): ReturnType<typeof parseSimpleSigning> => parseSimpleSigning(enc(typeof o === 'string' ? o : JSON.stringify(o)));

  it('reads the digest, reference, type and optional claims', () => {
    expect(parse(good)).toEqual({ dockerReference: 'r', manifestDigest: D, type: 'cosign container image signature', optional: { a: 'b' } });
    expect(parse({ ...good, optional: null }).optional).toBeUndefined();
    expect(parse({ critical: good.critical }).optional).toBeUndefined();
  });

  it('refuses what Go would read differently: case-folded keys, duplicates, extra fields', () => {
    const folded = JSON.stringify(good).replace('docker-manifest-digest', 'Docker-manifest-digest');
    expect(codeOf(() => parse(folded))).toBe('PARSE cosign.payload');
    const dup = JSON.stringify(good).replace(`"docker-manifest-digest":"${D}"`, `"docker-manifest-digest":"${D}","docker-manifest-digest":"${D}"`);
    expect(codeOf(() => parse(dup))).toBe('PARSE cosign.payload');
    expect(codeOf(() => parse({ ...good, extra: 1 }))).toBe('PARSE cosign.payload');
    expect(codeOf(() => parse({ ...good, critical: { ...good.critical, more: 1 } }))).toBe('PARSE cosign.payload');
    expect(codeOf(() => parse({ ...good, critical: { ...good.critical, image: {} } }))).toBe('PARSE cosign.payload');
    expect(codeOf(() => parse({ ...good, critical: { ...good.critical, image: { 'docker-manifest-digest': 'sha256:AB' } } }))).toBe('PARSE cosign.payload');
    expect(codeOf(() => parse({ ...good, optional: [] }))).toBe('PARSE cosign.payload');
    expect(codeOf(() => parse('{'))).toBe('PARSE cosign.payload');
    expect(codeOf(() => parseSimpleSigning(Uint8Array.of(0xff)))).toBe('PARSE cosign.payload');
  });

  it('refuses another payload type', () => {
    expect(codeOf(() => parse({ ...good, critical: { ...good.critical, type: 'atomic container signature' } }))).toBe('SIGNATURE cosign.payload.type');
  });
});

describe('legacy layers as bundles', () => {
  let fx: OciFixtures;
  let verifier: Verifier;
  let sigLayer: { annotations: Record<string, string>; payload: Uint8Array };
  let attLayer: { annotations: Record<string, string>; envelope: Uint8Array };
  let keyLayer: { annotations: Record<string, string>; payload: Uint8Array };
  const id = (): { subjectAlternativeName: string; issuer: string } => ({ subjectAlternativeName: fx.identity, issuer: fx.issuer });

  function layerOf(repoName: string, suffix: '.sig' | '.att'): { annotations: Record<string, string>; bytes: Uint8Array } {
    const repo = fx.repos.get(repoName)!;
    const m = repo.tags.get(`sha256-${repo.imageDigest.slice(7)}${suffix}`)!;
    const doc = JSON.parse(new TextDecoder().decode(repo.content.get(m.digest)!.bytes)) as { layers: { digest: string; annotations: Record<string, string> }[] };
    const l = doc.layers[0]!;
    return { annotations: l.annotations, bytes: repo.content.get(l.digest)!.bytes };
  }

  beforeAll(async () => {
    fx = buildOciFixtures();
    verifier = await createVerifierWith(nodeCryptoProvider, { trustedRoot: fx.trustedRoot });
    const s = layerOf('signed-keyless', '.sig');
    sigLayer = { annotations: s.annotations, payload: s.bytes };
    const a = layerOf('signed-keyless', '.att');
    attLayer = { annotations: a.annotations, envelope: a.bytes };
    const k = layerOf('managed-key', '.sig');
    keyLayer = { annotations: k.annotations, payload: k.bytes };
  });

  const verifySig = (annotations: Record<string, string>, payload = sigLayer.payload, v: Verifier = verifier): Promise<unknown> =>
    (async () => v.verify(legacySignatureBundle(annotations, payload), { artifact: payload, identity: id() }))();

  it('a keyless .sig layer verifies as a v0.1 bundle with SET, chain and SCT checks', async () => {
    const r = await verifier.verify(legacySignatureBundle(sigLayer.annotations, sigLayer.payload), { artifact: sigLayer.payload, identity: id() });
    expect(r.bundle.version).toBe('0.1');
    expect(r.checks.map((c) => c.name)).toEqual(expect.arrayContaining(['signature.message', 'tlog.entry', 'cert_chain', 'sct', 'identity']));
    expect(r.tlogEntries[0]!.setVerified).toBe(true);
  });

  it('a managed-key .sig layer verifies with the key', async () => {
    const r = await verifier.verify(legacySignatureBundle(keyLayer.annotations, keyLayer.payload), { artifact: keyLayer.payload, key: fx.keyPem });
    expect(r.signer.type).toBe('publicKey');
  });

  it('a .att layer verifies as a DSSE bundle bound to the image digest', async () => {
    const digest = fx.repos.get('signed-keyless')!.imageDigest;
    const r = await verifier.verify(legacyAttestationBundle(attLayer.annotations, attLayer.envelope), { artifactDigest: digest, identity: id() });
    expect(r.content.type).toBe('dsseEnvelope');
    expect(r.tlogEntries[0]!.kind).toBe('intoto');
  });

  it('each damaged annotation fails with its own code', async () => {
    const a = sigLayer.annotations;
    const bundleAnn = JSON.parse(a['dev.sigstore.cosign/bundle']!) as { SignedEntryTimestamp: string; Payload: { integratedTime: number; logIndex: number; logID: string; body: string } };
    const withBundle = (edit: (b: typeof bundleAnn) => unknown): Record<string, string> => {
      const b = structuredClone(bundleAnn);
      edit(b);
      return { ...a, 'dev.sigstore.cosign/bundle': JSON.stringify(b) };
    };
    const { ['dev.sigstore.cosign/bundle']: _b, ...noRekor } = a;
    expect(await codeOfAsync(verifySig(noRekor))).toBe('THRESHOLD tlog.threshold');
    expect(await codeOfAsync(verifySig(withBundle((b) => (b.Payload.integratedTime += 1))))).toBe('TLOG_SET tlog.set.signature');
    expect(await codeOfAsync(verifySig(withBundle((b) => (b.Payload.logIndex += 1))))).toBe('TLOG_SET tlog.set.signature');
    expect(await codeOfAsync(verifySig(withBundle((b) => (b.Payload.logID = 'ab'.repeat(32)))))).toBe('TLOG_BODY tlog.log.unknown');
    expect(await codeOfAsync(verifySig(withBundle((b) => (b.Payload.logID = 'AB'.repeat(32)))))).toBe('BUNDLE_FORMAT cosign.bundle_annotation.shape');
    expect(await codeOfAsync(verifySig(withBundle((b) => ((b as unknown as Record<string, unknown>).Extra = 1))))).toBe('BUNDLE_FORMAT cosign.bundle_annotation.shape');
    expect(await codeOfAsync(verifySig(withBundle((b) => (b.Payload.body = Buffer.from('{"kind":1}').toString('base64')))))).toBe('TLOG_BODY tlog.body');
    expect(await codeOfAsync(verifySig({ ...a, 'dev.sigstore.cosign/bundle': '{' }))).toBe('BUNDLE_FORMAT cosign.annotations');
    // Another signing's Rekor entry: its body records another signature and certificate.
    const other = fx.repos.get('tag-moved')!;
    const otherSig = layerOf('tag-moved', '.sig');
    expect(other).toBeDefined();
    expect(await codeOfAsync(verifySig({ ...a, 'dev.sigstore.cosign/bundle': otherSig.annotations['dev.sigstore.cosign/bundle']! }))).toBe('TLOG_BODY tlog.body.signature');
    // Another signing's certificate: the signature does not verify with its key.
    expect(await codeOfAsync(verifySig({ ...a, 'dev.sigstore.cosign/certificate': otherSig.annotations['dev.sigstore.cosign/certificate']! }))).toBe('SIGNATURE signature.message');
  });

  it('malformed certificate, chain and signature annotations are refused', async () => {
    const a = sigLayer.annotations;
    const { ['dev.sigstore.cosign/certificate']: _c, ...noCert } = a;
    expect(await codeOfAsync(verifySig(noCert))).toBe('BUNDLE_FORMAT cosign.annotations');
    expect(await codeOfAsync(verifySig({ ...a, 'dev.sigstore.cosign/chain': 'garbage' }))).toBe('PARSE encoding.pem');
    expect(await codeOfAsync(verifySig({ ...a, 'dev.sigstore.cosign/certificate': a['dev.sigstore.cosign/certificate']!.repeat(2) }))).toBe('PARSE encoding.pem');
    expect(await codeOfAsync(verifySig({ ...a, 'dev.cosignproject.cosign/signature': '!!' }))).toBe('PARSE encoding.base64');
    expect(await codeOfAsync(verifySig({ ...a, 'dev.cosignproject.cosign/signature': '' }))).toBe('BUNDLE_FORMAT cosign.annotations');
  });

  it('a payload other than the signed one fails the signature', async () => {
    const p = Uint8Array.from(sigLayer.payload);
    p[10] = p[10]! ^ 1;
    expect(await codeOfAsync(verifySig(sigLayer.annotations, p))).toBe('SIGNATURE signature.message');
  });

  it('a malformed DSSE layer is a DSSE error', () => {
    expect(codeOf(() => legacyAttestationBundle(attLayer.annotations, enc('{')))).toBe('DSSE dsse.envelope');
    expect(codeOf(() => legacyAttestationBundle(attLayer.annotations, enc('{"payload":"","payloadType":"x","signatures":[],"x":1}')))).toBe('DSSE dsse.envelope.shape');
  });

  it('splits PEM chains strictly', () => {
    const chain = sigLayer.annotations['dev.sigstore.cosign/chain']!;
    expect(pemCertificates(chain, 'chain')).toHaveLength(2);
    expect(pemCertificates(chain.replace(/\n/g, '\r\n'), 'chain')).toHaveLength(2);
    expect(codeOf(() => pemCertificates('', 'chain'))).toBe('PARSE encoding.pem');
    expect(codeOf(() => pemCertificates(chain.repeat(5), 'chain'))).toBe('LIMIT oci.limit.chain');
  });
});
