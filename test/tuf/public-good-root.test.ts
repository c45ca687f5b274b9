/**
 * The public-good TUF root embedded in sigvet/tuf is the seed @sigstore/tuf
 * ships, byte for byte (it is the trust anchor: nobody may edit it by hand),
 * and it is a well-formed TUF root for that repository.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { PUBLIC_GOOD_TUF_ROOT_JSON, PUBLIC_GOOD_TUF_ROOT_SOURCE, PUBLIC_GOOD_TUF_URL } from '../../src/tuf.js';

const require = createRequire(import.meta.url);

describe('embedded public-good TUF root', () => {
  it('is the @sigstore/tuf seed it names, byte for byte', () => {
    const pkg = require('@sigstore/tuf/package.json') as { version: string };
    expect(PUBLIC_GOOD_TUF_ROOT_SOURCE).toBe(`@sigstore/tuf@${pkg.version}`);
    const seeds = require('@sigstore/tuf/seeds.json') as Record<string, { 'root.json': string }>;
    const seed = seeds[PUBLIC_GOOD_TUF_URL];
    expect(seed, `no seed for ${PUBLIC_GOOD_TUF_URL}`).toBeDefined();
    expect(PUBLIC_GOOD_TUF_ROOT_JSON).toBe(Buffer.from(seed!['root.json'], 'base64').toString('utf8'));
  });

  it('is a signed TUF root with a threshold of root keys and the four top-level roles', () => {
    const doc = JSON.parse(PUBLIC_GOOD_TUF_ROOT_JSON) as {
      signed: { _type: string; version: number; consistent_snapshot: boolean; keys: Record<string, unknown>; roles: Record<string, { keyids: string[]; threshold: number }> };
      signatures: { keyid: string; sig: string }[];
    };
    expect(doc.signed._type).toBe('root');
    expect(doc.signed.consistent_snapshot).toBe(true);
    expect(Object.keys(doc.signed.roles).sort()).toEqual(['root', 'snapshot', 'targets', 'timestamp']);
    const root = doc.signed.roles.root!;
    expect(root.threshold).toBeGreaterThanOrEqual(1);
    const signers = new Set(doc.signatures.filter((s) => root.keyids.includes(s.keyid) && s.sig.length > 0).map((s) => s.keyid));
    expect(signers.size).toBeGreaterThanOrEqual(root.threshold);
  });
});
