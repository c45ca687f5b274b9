// How a case is written: `defineCase(spec)` turns a short description into
// the { name, expect, build(inst) } object generate.mjs runs. build() signs
// and logs (phase 1, logs open); the render() it returns assembles files
// once every log is sealed (phase 2).
//
// spec fields:
//   name       directory name; a `_fail` suffix means verification must fail
//   code       sigvet ErrorCode a failing case must produce (src/errors.ts)
//   check      sigvet's `check` name for that failure (informative)
//   inner      for a failure sigvet reports through a wrapper check (e.g.
//              timestamp.authority: no trusted TSA verifies the token), the
//              check of the inner failure that is the case's one fault
//   family     coverage group (the README table groups by it)
//   readme     why the case must pass or fail; for a failing case, the one thing broken
//   sign       options for client.sign(), or (inst) => options
//   prepare    (inst, s) => extra: more signing/logging during phase 1
//   bundle     (inst, s, extra) => options for client.bundleJson()
//   trustedRoot (root, inst, s, extra) => root: edits of the instance root for this case
//   output     (inst, s, extra, bundle) => overrides of { artifact, identity, issuer, keyPem },
//              or bundleText (the bundle file's exact text, for bytes JSON.stringify cannot produce)
//   tags       extra classification tags (most are derived from the bundle)
//   sigstoreJs what @sigstore/verify does differently, if anything:
//              { verdict: 'pass' | 'fail', why } (checked by test/vectors/generator.test.ts)
//   sigstoreJsRejects  for a failing case @sigstore/verify also rejects, but
//              not by a check for what the case breaks: { signal: RegExp its
//              error matches, why } (also checked there)

import { sign, bundleJson } from './client.mjs';
import { trustedRootJson } from './instance.mjs';

/** Tags derived from what the case's bundle actually contains. */
function derivedTags(bundle, s, customRoot) {
  const tags = [];
  const version = { 'application/vnd.dev.sigstore.bundle.v0.3+json': '0.3' }[bundle.mediaType] ?? /version=(\d+\.\d+)$/.exec(bundle.mediaType)?.[1];
  tags.push(version ? `bundle-v${version}` : 'bundle-unknown-version');
  tags.push(`media-type:${bundle.mediaType}`);
  const vm = bundle.verificationMaterial;
  tags.push(vm.certificate ? 'key:certificate' : vm.x509CertificateChain ? 'key:x509CertificateChain' : 'key:publicKey');
  tags.push(`keytype:${s.keyKind}`);
  tags.push(bundle.dsseEnvelope ? 'content:dsse' : 'content:message-signature');
  for (const e of vm.tlogEntries ?? []) {
    tags.push(`tlog:${e.kindVersion.kind}/${e.kindVersion.version}`);
    tags.push(e.kindVersion.version === '0.0.2' && e.kindVersion.kind !== 'intoto' ? 'tlog:rekor-v2' : 'tlog:rekor-v1');
    if (e.inclusionPromise) tags.push('tlog:set');
    if (e.inclusionProof) tags.push('tlog:inclusion-proof');
  }
  if (vm.timestampVerificationData) tags.push('timestamp:rfc3161');
  if (customRoot) tags.push('custom-trusted-root');
  return [...new Set(tags)];
}

export function defineCase(spec) {
  const expect = spec.name.endsWith('_fail') ? 'fail' : 'pass';
  if ((expect === 'fail') !== (spec.code !== undefined)) throw new Error(`${spec.name}: a failing case needs a code, a passing one none`);
  return {
    name: spec.name,
    expect,
    expectedErrorCode: spec.code,
    expectedCheck: spec.check,
    expectedInnerCheck: spec.inner,
    family: spec.family,
    readme: spec.readme,
    sigstoreJs: spec.sigstoreJs,
    sigstoreJsRejects: spec.sigstoreJsRejects,
    build(inst) {
      const options = typeof spec.sign === 'function' ? spec.sign(inst) : (spec.sign ?? {});
      const s = sign(inst, spec.name, options);
      const extra = spec.prepare ? spec.prepare(inst, s) : undefined;
      return () => {
        const bundle = bundleJson(s, spec.bundle ? spec.bundle(inst, s, extra) : {});
        const out = { artifact: s.artifact, bundle, identity: s.identity, issuer: s.issuer, keyPem: s.keyPem };
        if (spec.trustedRoot) out.trustedRoot = spec.trustedRoot(trustedRootJson(inst), inst, s, extra);
        if (spec.output) Object.assign(out, spec.output(inst, s, extra, bundle));
        out.tags = [...derivedTags(bundle, s, Boolean(spec.trustedRoot)), ...(spec.tags ?? [])];
        return out;
      };
    },
  };
}
