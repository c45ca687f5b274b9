/**
 * SLSA VSA v1 checks as conditions: verifier id, resource URI, policy URI,
 * `verificationResult` must be PASSED (always, whatever the levels say),
 * minimum levels where `SLSA_<TRACK>_LEVEL_N` implies every lower level,
 * exact membership for other values, and dependency levels where an unset
 * `dependencyLevels` is "no claim" (indeterminate) and `{}` is "no
 * dependencies" (passes).
 * @module
 */
import type { Condition, VsaCheck } from '../document.js';
import { SLSA_VSA_V1 } from '../predicate-types.js';
import { escapeRegex, ptr, type ShortcutCondition } from './expansion.js';

/** Regex for `SLSA_<track>_LEVEL_<n>` with n >= min. */
export function levelAtLeastRegex(track: string, min: number): string {
  const digits = min <= 9 ? `[${min}-9]|[1-9][0-9]+` : '[1-9][0-9]+';
  return `SLSA_${escapeRegex(track)}_LEVEL_(?:${digits})`;
}

const P = {
  verifier: ptr('predicate', 'verifier', 'id'),
  resource: ptr('predicate', 'resourceUri'),
  policy: ptr('predicate', 'policy', 'uri'),
  result: ptr('predicate', 'verificationResult'),
  levels: ptr('predicate', 'verifiedLevels'),
  deps: ptr('predicate', 'dependencyLevels'),
};

function only(reason: string, message: string, conds: Condition[]): Condition {
  return { cases: { [SLSA_VSA_V1]: conds }, reason, message };
}

/** Expands a `vsa` check into conditions (PASSED is always required). */
export function vsaConditions(v: VsaCheck): ShortcutCondition[] {
  const out: ShortcutCondition[] = [];
  out.push({
    field: [],
    condition: only('VSA_NOT_PASSED', 'verification result', [{ path: P.result, op: 'eq', value: 'PASSED', reason: 'VSA_NOT_PASSED' }]),
  });
  if (v.verifierId) {
    out.push({ field: ['verifierId'], condition: only('VSA_VERIFIER_MISMATCH', 'verifier id', [{ path: P.verifier, match: v.verifierId, reason: 'VSA_VERIFIER_MISMATCH' }]) });
  }
  if (v.resourceUri) {
    out.push({ field: ['resourceUri'], condition: only('VSA_RESOURCE_MISMATCH', 'resource URI', [{ path: P.resource, match: v.resourceUri, reason: 'VSA_RESOURCE_MISMATCH' }]) });
  }
  if (v.policyUri) {
    out.push({ field: ['policyUri'], condition: only('VSA_POLICY_MISMATCH', 'policy URI', [{ path: P.policy, match: v.policyUri, reason: 'VSA_POLICY_MISMATCH' }]) });
  }
  for (const [track, min] of Object.entries(v.minLevels ?? {})) {
    const reason = 'VSA_LEVEL_TOO_LOW';
    out.push({
      field: ['minLevels', track],
      condition: only(reason, `SLSA ${track} level >= ${min}`, [
        { path: P.levels, some: [{ path: '', match: { regex: levelAtLeastRegex(track, min) } }], reason, message: `verifiedLevels must include SLSA_${track}_LEVEL_${min} or higher` },
      ]),
    });
  }
  for (const [i, level] of (v.levels ?? []).entries()) {
    const reason = 'VSA_LEVEL_MISSING';
    out.push({
      field: ['levels', String(i)],
      condition: only(reason, `verified level ${level}`, [{ path: P.levels, some: [{ path: '', op: 'eq', value: level }], reason }]),
    });
  }
  for (const [track, min] of Object.entries(v.minDependencyLevels ?? {})) {
    const reason = 'VSA_DEPENDENCY_LEVEL_TOO_LOW';
    const conds: Condition[] = [
      // Unset is "no claim": indeterminate, never a pass. `{}` means no dependencies.
      { path: P.deps, op: 'ne', value: null, ifAbsent: 'indeterminate', reason: 'VSA_DEPENDENCY_LEVELS_UNSET', message: 'dependencyLevels is unset (no claim)' },
    ];
    for (let n = 0; n < min; n++) {
      const key = `${P.deps}${ptr(`SLSA_${track}_LEVEL_${n}`)}`;
      conds.push({ anyOf: [{ path: key, exists: false }, { path: key, op: 'eq', value: 0 }], reason, message: `no dependency at SLSA_${track}_LEVEL_${n}` });
    }
    out.push({ field: ['minDependencyLevels', track], condition: only(reason, `dependencies at SLSA ${track} level >= ${min}`, conds) });
  }
  return out;
}
