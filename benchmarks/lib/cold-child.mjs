// One cold start, in a fresh process (spawned by benchmarks/cold.bench.mjs):
// import sigvet, build a verifier from a trusted root, verify one bundle.
// Inputs are read before the clock starts; only library work is timed.
// Prints one JSON line: the phases in ms, and Node's own bootstrap timing.
//
//   node benchmarks/lib/cold-child.mjs <dist entry> <case json file>

import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

const [entry, caseFile] = process.argv.slice(2);
const c = JSON.parse(fs.readFileSync(caseFile, 'utf8'));
const rootText = fs.readFileSync(c.trustedRoot, 'utf8');
const bundleText = fs.readFileSync(c.bundle, 'utf8');
const artifact = new Uint8Array(fs.readFileSync(c.artifact));
const input = c.key ? { artifact, key: fs.readFileSync(c.key, 'utf8') } : { artifact, identity: c.identity };
const entryUrl = pathToFileURL(entry).href;

// CPU time (process-wide, thread pool included) beside wall time: on a
// shared machine the wall clock also counts waiting for a core.
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const c0 = cpu();
const t0 = performance.now();
const sigvet = await import(entryUrl);
const t1 = performance.now();
const c1 = cpu();
const verifier = await sigvet.createVerifier({ trustedRoot: rootText });
const t2 = performance.now();
const c2 = cpu();
const result = await verifier.verify(bundleText, input);
const t3 = performance.now();
const c3 = cpu();
if (!result || typeof result !== 'object') throw new Error('cold-child: verify resolved without a result');

const nt = performance.nodeTiming;
process.stdout.write(
  JSON.stringify({
    importMs: t1 - t0,
    createVerifierMs: t2 - t1,
    firstVerifyMs: t3 - t2,
    libraryMs: t3 - t0,
    importCpuMs: c1 - c0,
    createVerifierCpuMs: c2 - c1,
    firstVerifyCpuMs: c3 - c2,
    libraryCpuMs: c3 - c0,
    // Node's own start-up, for context: bootstrap done, main script started.
    nodeBootstrapMs: nt.bootstrapComplete,
    scriptStartMs: t0,
    compileCache: process.env.NODE_COMPILE_CACHE ? 'NODE_COMPILE_CACHE' : null,
  }) + '\n',
);
