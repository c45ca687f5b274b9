// The checks sigvet's verifier can report that no vector can fail on, each
// with the reason: the reviewed exclusion list. test/vectors/check-coverage.test.ts
// reads every check name from src/ and fails when one has neither a failing
// vector nor an entry here, and when an entry here is stale (the check is
// gone, or a vector covers it after all). generate.mjs prints the list in
// test-vectors/README.md. Data only: nothing here reads sigvet's code.
//
// Categories:
//   caller-input   validation of the caller's API arguments and options; a
//                  vector carries only a bundle, a trusted root, an artifact
//                  and an identity or key, passed as the conformance CLI does
//   environment    the runtime or crypto provider, not the input
//   relabelled     always reported under the check of the caller that read
//                  the input, so it never reaches the caller under this name
//   pre-empted     an earlier check with the same bound always fires first
//   not-alone      reachable, but every input that reaches it breaks
//                  something else too, so no vector fails on it alone
//   size           a vector would be a file of many MiB; the cap is tested
//                  with a lowered limit in test/hostile/configurable-limits.test.ts
//   unreachable    cannot happen by construction (defence in depth)
//   not-verification  part of the API, not of verifying a bundle

/** @type {Record<string, { category: string, reason: string }>} */
export const UNREACHABLE_CHECKS = {
  input: { category: 'caller-input', reason: 'Malformed verify() input: missing artifact, both artifact and digest, identity and key together, wrong types.' },
  'input.artifact': { category: 'caller-input', reason: 'A streamed artifact whose chunks are not bytes, or a stream for an Ed25519 message signature; the CLI reads files into bytes.' },
  'input.matcher': { category: 'caller-input', reason: "An expected identity that is neither a string nor { regex }, or an invalid regex; the conformance protocol passes literal strings." },
  'input.subject_digests': { category: 'caller-input', reason: 'Digests a caller passes to matchSubject(); the verifier passes well-formed ones.' },
  'input.unknown_option': { category: 'caller-input', reason: 'A misspelt option or input field (or cap name in limits).' },
  options: { category: 'caller-input', reason: 'Verifier options of the wrong type or out of range (thresholds, concurrency).' },
  'options.cache': { category: 'caller-input', reason: 'A result-cache size out of range.' },
  'options.limits': { category: 'caller-input', reason: 'A cap in limits out of range.' },
  'options.trustedRoot': { category: 'caller-input', reason: 'No trusted root given.' },
  'limit.patternLength': { category: 'caller-input', reason: "The caller's own { regex } identity pattern is too long; the conformance protocol passes literal identities." },
  'time.threshold': {
    category: 'caller-input',
    reason: 'Fewer distinct time sources than timestampThreshold. With the default threshold (1) any verified time meets it, and having none is time.none; only a caller raising the threshold reaches it.',
  },
  'signature.digest': {
    category: 'caller-input',
    reason:
      "A message signature whose key hashes with another hash than SHA-256, checked against only the artifact's SHA-256 digest: refused as unsupported in digest mode, while the same bundle verifies with the artifact (path mode). The verdict depends on how the vector is run, not on the vector. The length variant cannot happen: the verifier passes digests of the scheme's length.",
  },
  'crypto.provider': { category: 'environment', reason: 'WebCrypto (globalThis.crypto.subtle) is missing in the runtime.' },
  'key.provider': { category: 'environment', reason: 'A key imported by one crypto provider is used with another (API misuse).' },
  'signature.provider': { category: 'environment', reason: 'The crypto provider throws instead of answering (a provider bug).' },
  'encoding.base64': {
    category: 'relabelled',
    reason: 'Every reader of base64 input reports it under its own check: bundle.shape, trust_root.shape, tlog.body.shape, tlog.checkpoint.root / .format, key.pem.',
  },
  'encoding.hex': { category: 'relabelled', reason: "Hex in log bodies is reported as tlog.body.shape; the caller's artifact digest is checked as input first." },
  'encoding.pem': { category: 'relabelled', reason: 'PEM in log bodies is reported as tlog.body.shape, the caller\'s key file as key.pem.' },
  'signature.ecdsa': {
    category: 'relabelled',
    reason: 'A malformed ECDSA signature is a signature that does not verify, reported by the check that asked (signature.message, tlog.set.signature, sct.signature, …); the key-type variant cannot happen after signature.scheme.',
  },
  tlog: { category: 'unreachable', reason: 'Fallback name when a log-entry failure carries no check; every one carries one.' },
  'key.type': {
    category: 'unreachable',
    reason: 'An RSA helper handed another key type (not on the verification path) or a key type the SPKI parser never produces.',
  },
  'tlog.checkpoint.key': {
    category: 'unreachable',
    reason: "A log key whose checkpoint key ID cannot be computed; every log key was parsed and imported from the trusted root before any checkpoint is read.",
  },
  'tlog.evidence': {
    category: 'pre-empted',
    reason: 'An entry with neither an inclusion promise nor an inclusion proof: bundle decoding already requires a promise (v0.1) or a proof (v0.2 and later), as bundle.shape.',
  },
  'tlog.checkpoint.limit': {
    category: 'pre-empted',
    reason: "The checkpoint parser's own caps (256 KiB, 100 signature lines); bundle decoding applies limit.checkpointBytes and limit.checkpointSignatures, with the same values, first.",
  },
  'intoto.digests': {
    category: 'pre-empted',
    reason: "The descriptor reader's own cap of 32 digests; statement subjects are checked against limit.digestsPerSubject (32) first. The reader serves predicates too, which the verifier does not parse.",
  },
  'x509.size': {
    category: 'pre-empted',
    reason:
      "The certificate parser's 64 KiB cap: bundle certificates are checked against limit.certificateBytes (64 KiB) first, trusted-root certificates' failures are reported as trust_root.shape, and certificates embedded in a timestamp sit inside its 64 KiB cap (timestamp.size).",
  },
  'bundle.limit': {
    category: 'not-alone',
    reason:
      "The decoder's generic array cap now guards only a DSSE envelope's signatures (16); an envelope with more than one signature is invalid anyway (bundle.shape), so no bundle fails on this cap alone. The other bundle arrays have limit.* caps.",
  },
  'tlog.body.limit': {
    category: 'not-alone',
    reason: 'A log body with more than 16 signatures also records more signatures than the bundle\'s one (tlog.body.signature).',
  },
  'limit.proofHashes': {
    category: 'not-alone',
    reason: 'No inclusion proof longer than 64 hashes belongs to any tree (tree sizes are below 2^63), so it also fails tlog.inclusion_proof.length.',
  },
  'json.depth': {
    category: 'not-alone',
    reason:
      "Reachable only through the trusted root (bundles and statements report limit.jsonDepth, log bodies tlog.body), and every value nested 64 deep in a trusted root also breaks its schema (trust_root.shape).",
  },
  'json.length': { category: 'size', reason: 'A trusted root over 64 MiB (bundles report limit.bundleBytes).' },
  'json.string_length': { category: 'unreachable', reason: 'Default name when a parser without a string cap is given none; the verifier names its string caps limit.jsonStringLength.' },
  'limit.bundleBytes': { category: 'size', reason: 'A bundle over 16 MiB.' },
  'limit.jsonStringLength': { category: 'size', reason: 'A JSON string over 16 MiB (in practice a DSSE payload).' },
  'limit.predicateBytes': { category: 'size', reason: 'An in-toto predicate over 16 MiB.' },
  'tlog.consistency_proof': { category: 'not-verification', reason: 'Consistency proofs are an API for monitors and witnesses; bundles carry none.' },
  'tlog.consistency_proof.length': { category: 'not-verification', reason: 'Consistency proofs are an API for monitors and witnesses; bundles carry none.' },
  'tlog.consistency_proof.root': { category: 'not-verification', reason: 'Consistency proofs are an API for monitors and witnesses; bundles carry none.' },
};
