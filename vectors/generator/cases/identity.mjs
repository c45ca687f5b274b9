// The signer identity: the certificate's SAN and OIDC issuer must equal the
// expected ones as whole strings.

import { defineCase } from '../case.mjs';
import { GITHUB_ISSUER, githubWorkflow } from '../instance.mjs';

export default [
  defineCase({
    name: 'happy-path-email-identity',
    family: 'identity',
    readme:
      'A v0.3 bundle whose leaf names an e-mail address (rfc822Name SAN) issued for an OIDC issuer without CI extensions. Verification must succeed.',
    sign: { email: 'signer@sigvet.test', issuer: 'https://oidc.sigvet.test' },
  }),
  defineCase({
    name: 'identity-prefix-only_fail',
    code: 'IDENTITY',
    check: 'identity.subjectAlternativeName',
    family: 'identity',
    readme:
      "The certificate's SAN is the workflow at refs/heads/main-unreviewed; the expected identity is the same URI ending at refs/heads/main, a strict prefix of the real SAN. Everything verifies except the identity: only a whole-string comparison rejects it (a prefix or unanchored-pattern match accepts it).",
    sign: (inst) => ({ github: githubWorkflow(inst.seed, { ref: 'refs/heads/main-unreviewed', label: 'unreviewed' }) }),
    output: (inst) => ({ identity: githubWorkflow(inst.seed).identity }),
  }),
  defineCase({
    name: 'identity-suffix-only_fail',
    code: 'IDENTITY',
    check: 'identity.subjectAlternativeName',
    family: 'identity',
    readme:
      "The certificate's SAN is https://evil.sigvet.test/ followed by the expected identity, which is thus a strict suffix of the real SAN. Everything verifies except the identity: only a whole-string comparison rejects it (a suffix, substring or unanchored-pattern match accepts it).",
    sign: (inst) => ({ leaf: { san: { uri: `https://evil.sigvet.test/${githubWorkflow(inst.seed).identity}` } } }),
  }),
  defineCase({
    name: 'identity-regex-metacharacter_fail',
    code: 'IDENTITY',
    check: 'identity.subjectAlternativeName',
    family: 'identity',
    readme:
      "The certificate's SAN ends in release_yml where the expected identity has release.yml. Equal lengths, one character apart: a verifier that treats the expected identity as a regular expression (even anchored) lets '.' match '_'. The expected identity is a literal string.",
    sign: (inst) => ({ leaf: { san: { uri: githubWorkflow(inst.seed).identity.replace('release.yml', 'release_yml') } } }),
  }),
  defineCase({
    name: 'issuer-prefix-only_fail',
    code: 'IDENTITY',
    check: 'identity.issuer',
    family: 'identity',
    readme:
      "The certificate's OIDC issuer (Fulcio extensions .1.1 and .1.8) is https://token.actions.githubusercontent.com.evil.sigvet.test; the expected issuer is its strict prefix https://token.actions.githubusercontent.com. SAN and everything else match: only a whole-string issuer comparison rejects it.",
    sign: { leaf: { oidcIssuer: `${GITHUB_ISSUER}.evil.sigvet.test` } },
  }),
  defineCase({
    name: 'fulcio-issuer-extensions-disagree_fail',
    sigstoreJs: {
      verdict: 'pass',
      why: '@sigstore/verify reads the issuer from one extension (.1.8, falling back to .1.1) and never compares the two.',
    },
    code: 'CERTIFICATE',
    check: 'x509.fulcio.issuer',
    family: 'identity',
    readme:
      "The leaf's deprecated issuer extension (.1.1) says https://accounts.sigvet.test while the current one (.1.8) says the expected GitHub issuer. A certificate that states two issuers does not say who authenticated the signer; a verifier must not pick the one that matches.",
    sign: { leaf: { oidcIssuerV1: 'https://accounts.sigvet.test' } },
  }),
];
