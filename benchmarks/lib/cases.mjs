// The happy-path bundles every scenario measures: each passing case of
// ../shared/conformance (when present) and of test-vectors/, read once,
// classified by what decides its cost (Rekor v1 or v2, certificate or
// managed key, message signature or DSSE).

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { REPO } from './env.mjs';

export const SUITES = [
  { name: 'conformance', dir: path.resolve(REPO, '..', 'shared', 'conformance') },
  { name: 'test-vectors', dir: path.join(REPO, 'test-vectors') },
];

/**
 * Every passing case of every suite that exists, with its files read.
 * `filter`: a RegExp on `suite/case`. Missing suites are reported through
 * `note` and skipped.
 */
export function loadBundles({ filter = null, note = (s) => process.stderr.write(`${s}\n`) } = {}) {
  const out = [];
  for (const suite of SUITES) {
    const manifestPath = path.join(suite.dir, 'CASES.json');
    if (!fs.existsSync(manifestPath)) {
      note(`bench: ${path.relative(REPO, suite.dir)} not found; skipping the ${suite.name} bundles`);
      continue;
    }
    const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
    for (const c of manifest.cases) {
      if (c.expect !== 'pass') continue;
      const id = `${suite.name}/${c.name}`;
      if (filter && !filter.test(id)) continue;
      const read = (rel) => fs.readFileSync(path.join(suite.dir, rel));
      const rootText = read(c.trusted_root).toString('utf8');
      const bundleText = read(c.bundle).toString('utf8');
      const artifactBuf = read(c.artifact);
      const keyPem = c.key ? read(c.key).toString('utf8') : null;
      const b = {
        id,
        suite: suite.name,
        name: c.name,
        paths: {
          bundle: path.join(suite.dir, c.bundle),
          artifact: path.join(suite.dir, c.artifact),
          trustedRoot: path.join(suite.dir, c.trusted_root),
          key: c.key ? path.join(suite.dir, c.key) : null,
        },
        rootText,
        rootDigest: crypto.createHash('sha256').update(rootText).digest('hex').slice(0, 16),
        bundleText,
        artifact: artifactBuf,
        artifactBytes: new Uint8Array(artifactBuf.buffer, artifactBuf.byteOffset, artifactBuf.byteLength),
        keyPem,
        identity: c.key ? null : { subjectAlternativeName: c.identity, issuer: c.issuer },
      };
      b.kind = classify(JSON.parse(bundleText), keyPem !== null);
      out.push(b);
    }
  }
  return out;
}

/**
 * What decides a bundle's cost, and which target of issue 8 it falls under:
 * `rekor-v1` (v0.1/v0.2/v0.3/DSSE with Rekor v1 entries) or `rekor-v2`
 * (Rekor v2 entries with RFC 3161 timestamps); managed-key bundles are
 * grouped apart (their floor is three P-256 checks, and the official client
 * gets a key imported beforehand, so its ratio means something else).
 */
export function classify(bundle, managedKey) {
  const entries = bundle.verificationMaterial?.tlogEntries ?? [];
  const rekorV2 = entries.some((e) => /^0\.0\.2$/.test(e.kindVersion?.version ?? '') && !e.inclusionPromise);
  const timestamps = bundle.verificationMaterial?.timestampVerificationData?.rfc3161Timestamps?.length ?? 0;
  const media = String(bundle.mediaType ?? '');
  const version = /v0\.(\d)|version=0\.(\d)/.exec(media);
  return {
    family: managedKey ? 'managed-key' : rekorV2 ? 'rekor-v2' : 'rekor-v1',
    bundleVersion: version ? `0.${version[1] ?? version[2]}` : 'unknown',
    content: bundle.dsseEnvelope ? 'dsse' : 'message',
    timestamps,
    entries: entries.map((e) => `${e.kindVersion?.kind}/${e.kindVersion?.version}`),
  };
}

/** The verify() input of a bundle: artifact bytes and the expected identity or key. */
export function verifyInput(b, extra = {}) {
  return { artifact: b.artifactBytes, ...(b.keyPem ? { key: b.keyPem } : { identity: b.identity }), ...extra };
}

/** Bundles grouped by trusted root (one verifier serves one root). */
export function groupByRoot(bundles) {
  const groups = new Map();
  for (const b of bundles) {
    if (!groups.has(b.rootDigest)) groups.set(b.rootDigest, []);
    groups.get(b.rootDigest).push(b);
  }
  return [...groups.values()];
}

/**
 * For throughput and memory: per family, the largest group of bundles that
 * share a trusted root (so one verifier can verify all of them).
 */
export function workloads(bundles) {
  const out = [];
  for (const family of ['rekor-v1', 'rekor-v2']) {
    const groups = groupByRoot(bundles.filter((b) => b.kind.family === family));
    groups.sort((a, b) => b.length - a.length || a[0].id.localeCompare(b[0].id));
    if (groups[0]) out.push({ family, bundles: groups[0] });
  }
  return out;
}

/** Quick mode: one bundle per suite and family, enough to show every code path runs. */
export function quickSubset(bundles) {
  const seen = new Set();
  return bundles.filter((b) => {
    const k = `${b.suite}/${b.kind.family}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
