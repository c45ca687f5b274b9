#!/usr/bin/env node
// A sigstore-conformance CLI (verify-bundle only) around the official
// Sigstore JavaScript verifier, @sigstore/verify, so the vector runner can
// run it like any other client:
//
//   npm run vectors:run -- --cli "node vectors/clients/sigstore-js.mjs" --mode path
//
//   sigstore-js.mjs verify-bundle --bundle B (--certificate-identity I --certificate-oidc-issuer U | --key K)
//                   [--trusted-root T] FILE_OR_DIGEST
//
// Exit 0 = verified, 1 = not verified (first stderr line: its error code and
// message), 2 = usage error, 3 = cannot run this input (a message signature
// checked from a digest: @sigstore/verify needs the artifact bytes).
//
// The expected identity is matched as a whole literal string (escaped and
// anchored), as the conformance protocol means it. @sigstore/verify itself
// treats `subjectAlternativeName` as an unanchored regular expression; set
// SIGSTORE_JS_IDENTITY=pattern to pass the identity through unchanged and
// see what a caller using the API as documented gets.
//
// Needs the devDependencies @sigstore/verify, @sigstore/bundle and
// @sigstore/protobuf-specs. Written for sigvet's differential run; not part
// of sigvet.

import { readFileSync } from 'node:fs';
import { createPublicKey } from 'node:crypto';
import { Verifier, toSignedEntity, toTrustMaterial } from '@sigstore/verify';
import { bundleFromJSON } from '@sigstore/bundle';
import { TrustedRoot } from '@sigstore/protobuf-specs';

function usage(msg) {
  process.stderr.write(`sigstore-js: ${msg}\nusage: sigstore-js.mjs verify-bundle --bundle B (--certificate-identity I --certificate-oidc-issuer U | --key K) [--trusted-root T] FILE_OR_DIGEST\n`);
  process.exit(2);
}

const [command, ...rest] = process.argv.slice(2);
if (command !== 'verify-bundle') usage(`unknown command ${command ?? '(none)'}`);
const a = {};
const flags = {
  '--bundle': 'bundle',
  '--certificate-identity': 'identity',
  '--certificate-oidc-issuer': 'issuer',
  '--key': 'key',
  '--trusted-root': 'trustedRoot',
};
for (let i = 0; i < rest.length; i++) {
  const f = flags[rest[i]];
  if (f) {
    if (i + 1 >= rest.length) usage(`missing value for ${rest[i]}`);
    a[f] = rest[++i];
  } else if (rest[i].startsWith('--')) usage(`unknown option ${rest[i]}`);
  else if (a.target === undefined) a.target = rest[i];
  else usage(`unexpected argument ${rest[i]}`);
}
if (!a.bundle || a.target === undefined) usage('--bundle and FILE_OR_DIGEST are required');
if (!a.trustedRoot) usage('--trusted-root is required (this adapter does not fetch the public-good root)');
if (!a.key && (a.identity === undefined || a.issuer === undefined)) usage('give --key, or --certificate-identity and --certificate-oidc-issuer');

const escapeRegExp = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

try {
  const bundle = bundleFromJSON(JSON.parse(readFileSync(a.bundle, 'utf8')));
  const trustedRoot = TrustedRoot.fromJSON(JSON.parse(readFileSync(a.trustedRoot, 'utf8')));
  let artifact;
  if (/^sha256:[0-9a-f]{64}$/.test(a.target)) {
    if (bundle.content.$case === 'messageSignature') {
      process.stderr.write('sigstore-js: cannot check a message signature from a digest (needs the artifact)\n');
      process.exit(3);
    }
  } else {
    artifact = readFileSync(a.target);
  }
  const keys = a.key
    ? () => ({ publicKey: createPublicKey(readFileSync(a.key, 'utf8')), validFor: () => true })
    : undefined;
  const verifier = new Verifier(toTrustMaterial(trustedRoot, keys));
  const entity = toSignedEntity(bundle, artifact);
  const policy = a.key
    ? undefined
    : {
        subjectAlternativeName: process.env.SIGSTORE_JS_IDENTITY === 'pattern' ? a.identity : `^${escapeRegExp(a.identity)}$`,
        extensions: { issuer: a.issuer },
      };
  verifier.verify(entity, policy);
  process.exit(0);
} catch (e) {
  const cause = e?.cause?.message ? ` / ${e.cause.message}` : '';
  process.stderr.write(`sigstore-js: ${e?.code ?? 'ERROR'} ${e?.message ?? String(e)}${cause}\n`);
  process.exit(1);
}
