// Every case, in output order, and the sample under examples/sample. Cases
// live in cases/<family>.mjs and are written with defineCase() (case.mjs);
// each signs in build() (appending to the logs) and assembles its files in
// the returned render() once the logs are sealed. A failing case breaks
// exactly one thing and its README says which check must catch it.

import bundleFormat from './cases/bundle-format.mjs';
import content from './cases/content.mjs';
import managedKeys from './cases/managed-keys.mjs';
import certificates from './cases/certificates.mjs';
import sct from './cases/sct.mjs';
import tlogV1 from './cases/tlog-v1.mjs';
import rekorV2 from './cases/rekor-v2.mjs';
import timestamps from './cases/timestamps.mjs';
import identity from './cases/identity.mjs';
import trustRoot from './cases/trust-root.mjs';
import statements from './cases/statements.mjs';
import limits from './cases/limits.mjs';
import { sign, bundleJson } from './client.mjs';

export const CASES = [
  ...bundleFormat,
  ...content,
  ...statements,
  ...managedKeys,
  ...certificates,
  ...sct,
  ...tlogV1,
  ...rekorV2,
  ...timestamps,
  ...identity,
  ...trustRoot,
  ...limits,
];

{
  const seen = new Set();
  for (const c of CASES) {
    if (seen.has(c.name)) throw new Error(`duplicate case ${c.name}`);
    seen.add(c.name);
  }
}

/** The sample under examples/sample: one artifact signed from a GitHub Actions workflow. */
export const SAMPLE = {
  artifact: new TextEncoder().encode(
    'Hello from sigvet.\n\nThis file was signed by a private Sigstore instance that exists only inside\nvectors/generator (a Fulcio-like CA, a CT log and a Rekor v1 log).\n',
  ),
  build(inst) {
    const s = sign(inst, 'examples/sample', { artifact: this.artifact });
    return () => ({ ...s, bundle: bundleJson(s) });
  },
};
