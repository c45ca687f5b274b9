// Grouping equal per-evaluation strings (src/policy/key-groups.ts) and the
// signer-key comparison that avoids building the keys' flat copies
// (sameSignerKey): both must answer exactly what string equality answers.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { distinctKeyCount, firstEqualIndices } from '../../src/policy/key-groups.js';
import { DEFAULT_LIMITS, sameSignerKey, viewEvidence } from '../../src/policy/evidence.js';
import { attestation } from './fixtures.js';

/** The reference: the first index of each key, found with a Map. */
function reference(keys: readonly string[]): number[] {
  const first = new Map<string, number>();
  return keys.map((k, i) => {
    if (!first.has(k)) first.set(k, i);
    return first.get(k)!;
  });
}

describe('firstEqualIndices', () => {
  it('equals a Map-based grouping, below and past the point where it switches to a Map', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'a\nb', ''), { maxLength: 60 }), (keys) => {
        expect(firstEqualIndices(keys.length, (i) => keys[i]!)).toEqual(reference(keys));
        expect(firstEqualIndices(keys.length, (i) => keys[i]!, (i, j) => keys[i] === keys[j])).toEqual(reference(keys));
        expect(distinctKeyCount(keys.length, (i) => keys[i]!)).toBe(new Set(keys).size);
      }),
      { numRuns: 2000 },
    );
    const many = Array.from({ length: 40 }, (_, i) => `key-${i % 17}`);
    expect(firstEqualIndices(many.length, (i) => many[i]!)).toEqual(reference(many));
    expect(distinctKeyCount(0, () => 'x')).toBe(0);
  });
});

describe('sameSignerKey', () => {
  const view = (san: string, issuer: string | undefined, i: number) =>
    viewEvidence(attestation({ predicateType: 'https://slsa.dev/provenance/v1', signer: { san, issuer } }), i, DEFAULT_LIMITS);

  it('answers what comparing the signer keys answers, newlines in the parts included', () => {
    const parts = fc.constantFrom('a', 'b', 'a\nb', 'b\na', '', '\n', 'https://x', 'https://x\n');
    fc.assert(
      fc.property(parts, fc.option(parts, { nil: undefined }), parts, fc.option(parts, { nil: undefined }), (sanA, issA, sanB, issB) => {
        const a = view(sanA, issA, 0);
        const b = view(sanB, issB, 1);
        expect(sameSignerKey(a, b)).toBe(a.signerKey === b.signerKey);
      }),
      { numRuns: 3000 },
    );
    // Parts differ, keys agree: "a\nb" + "c" and "a" + "b\nc".
    const x = view('c', 'a\nb', 0);
    const y = view('b\nc', 'a', 1);
    expect(x.signerKey).toBe(y.signerKey);
    expect(sameSignerKey(x, y)).toBe(true);
  });

  it('never equates views without a signer identity (invalid ones are keyed by their index)', () => {
    const bad = (i: number) => viewEvidence({ mediaType: 'nope' }, i, DEFAULT_LIMITS);
    expect(sameSignerKey(bad(0), bad(1))).toBe(false);
    expect(sameSignerKey(bad(3), bad(3))).toBe(true);
  });
});
