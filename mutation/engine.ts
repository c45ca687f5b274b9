/**
 * Runs mutants through sigvet (and, optionally, @sigstore/verify) and
 * classifies each: rejected with a SigvetError (the code and check are
 * recorded), accepted (allowed only when the reviewed list in
 * `accepted.json` names it), or crashed (anything thrown that is not a
 * SigvetError).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createVerifierWith, isSigvetError, type Verifier, type VerifyInput } from '../src/api.js';
import { nodeCryptoProvider } from '../src/crypto/node.js';
import { REPO_ROOT, type ValidCase } from './cases.js';
import { contextFor, mutantsOf, type Mutant } from './mutants.js';

/** sigvet's verdict on one mutant. */
export type Verdict = 'rejected' | 'accepted' | 'crashed';

/** One mutant's outcome. */
export interface MutantResult {
  readonly caseId: string;
  readonly id: string;
  readonly cls: string;
  /** `bytes` (artifact given) or `digest` (artifactDigest given). */
  readonly mode: 'bytes' | 'digest';
  readonly verdict: Verdict;
  /** The SigvetError code (rejected) or the thrown error's name (crashed). */
  readonly code?: string;
  readonly check?: string;
  readonly message?: string;
  /** The allow-list entry that covers an accepted mutant. */
  readonly allowedBy?: string;
  /** @sigstore/verify's verdict, when run. */
  readonly official?: { readonly pass: boolean; readonly code?: string; readonly message?: string };
}

/** One reviewed exception: mutants that legitimately leave a bundle valid. */
export interface AcceptedEntry {
  /** Short name, used in reports. */
  readonly name: string;
  /** Regular expression over case ids (`<suite>/<name>`). */
  readonly cases: string;
  /** Regular expression over mutant ids. */
  readonly mutants: string;
  /** Why the mutant is still a valid bundle. */
  readonly reason: string;
  /** The specification (or advisory) that says so. */
  readonly spec: string;
  /**
   * Applies only to cases whose every log entry is of one of these
   * `kind/version`s (e.g. the Rekor v2 kinds, which carry no SET).
   */
  readonly entryKinds?: readonly string[];
}

/** The reviewed allow-list. */
export interface AcceptedList {
  readonly entries: readonly AcceptedEntry[];
}

/** Path of the reviewed allow-list. */
export const ACCEPTED_PATH = path.join(REPO_ROOT, 'mutation', 'accepted.json');

/** Reads `accepted.json`. */
export function loadAccepted(file = ACCEPTED_PATH): AcceptedList {
  const doc = JSON.parse(readFileSync(file, 'utf8')) as AcceptedList;
  for (const e of doc.entries) {
    for (const k of ['name', 'cases', 'mutants', 'reason', 'spec'] as const) {
      if (typeof e[k] !== 'string' || e[k].length === 0) throw new Error(`accepted.json: entry ${e.name ?? '?'} lacks ${k}`);
    }
    if (e.entryKinds !== undefined && !(Array.isArray(e.entryKinds) && e.entryKinds.every((k) => typeof k === 'string'))) {
      throw new Error(`accepted.json: entry ${e.name}: entryKinds must be a list of kind/version strings`);
    }
    new RegExp(e.cases);
    new RegExp(e.mutants);
  }
  return doc;
}

/** The `kind/version` of every log entry of a bundle. */
export function entryKindsOf(bundleText: string): string[] {
  const b = JSON.parse(bundleText) as { verificationMaterial?: { tlogEntries?: { kindVersion?: { kind?: string; version?: string } }[] } };
  return (b.verificationMaterial?.tlogEntries ?? []).map((e) => `${e.kindVersion?.kind}/${e.kindVersion?.version}`);
}

/** The entry that allows an accepted mutant, if any. */
export function allowedBy(list: AcceptedList, c: Pick<ValidCase, 'id' | 'bundleText'>, mutantId: string): AcceptedEntry | undefined {
  return list.entries.find((e) => {
    if (!new RegExp(e.cases).test(c.id) || !new RegExp(e.mutants).test(mutantId)) return false;
    if (e.entryKinds === undefined) return true;
    const kinds = entryKindsOf(c.bundleText);
    return kinds.length > 0 && kinds.every((k) => e.entryKinds!.includes(k));
  });
}

/** How the official verifier is run (see official.ts); injected so the engine does not depend on it. */
export type OfficialRunner = (c: ValidCase, bundleText: string, input: { artifact: Uint8Array; identity?: ValidCase['identity']; keyPem?: string }) => {
  pass: boolean;
  code?: string;
  message?: string;
};

/** Engine settings. */
export interface RunOptions {
  /** Also verify each bundle mutant in digest mode. */
  readonly digestMode?: boolean;
  /** Run @sigstore/verify on every mutant sigvet can compare (bytes mode). */
  readonly official?: OfficialRunner;
  /** Keep only mutants for which this returns true. */
  readonly filter?: (m: Mutant, index: number) => boolean;
}

const verifiers = new Map<string, Promise<Verifier>>();

function verifierFor(c: ValidCase): Promise<Verifier> {
  let v = verifiers.get(c.trustedRootText);
  if (!v) {
    v = createVerifierWith(nodeCryptoProvider, { trustedRoot: c.trustedRootText });
    verifiers.set(c.trustedRootText, v);
  }
  return v;
}

/** The verify() input for a case, with a mutant's changes applied. */
export function inputFor(c: ValidCase, m: Mutant | undefined, mode: 'bytes' | 'digest'): VerifyInput {
  const ch = m?.input ?? {};
  const who = ch.keyPem !== undefined || c.keyPem !== undefined ? { key: ch.keyPem ?? c.keyPem! } : { identity: ch.identity ?? c.identity! };
  if (ch.artifactDigest !== undefined) return { artifactDigest: ch.artifactDigest, ...who };
  if (mode === 'digest') {
    const a = ch.artifact ?? c.artifact;
    return { artifactDigest: `sha256:${createHash('sha256').update(a).digest('hex')}`, ...who };
  }
  return { artifact: ch.artifact ?? c.artifact, ...who };
}

/** Verifies with sigvet and classifies the outcome. */
async function runSigvet(c: ValidCase, bundle: string, input: VerifyInput): Promise<Pick<MutantResult, 'verdict' | 'code' | 'check' | 'message'>> {
  try {
    await (await verifierFor(c)).verify(bundle, input);
    return { verdict: 'accepted' };
  } catch (e) {
    if (isSigvetError(e)) {
      // A wrapper ("no candidate verified") names the first inner failure too: that is the real reason.
      const inner = e.errors?.[0]?.check;
      const check = e.check && inner && inner !== e.check ? `${e.check}(${inner})` : e.check;
      return { verdict: 'rejected', code: e.code, ...(check ? { check } : {}), message: e.message };
    }
    const err = e as Error;
    return { verdict: 'crashed', code: err?.name ?? typeof e, message: `${String(err?.message ?? e)}\n${err?.stack ?? ''}` };
  }
}

/** Checks that the unmodified case verifies (a mutation run over a failing baseline means nothing). */
export async function baselineOk(c: ValidCase): Promise<string | undefined> {
  for (const mode of ['bytes', 'digest'] as const) {
    const r = await runSigvet(c, c.bundleText, inputFor(c, undefined, mode));
    if (r.verdict !== 'accepted') return `${c.id} does not verify in ${mode} mode: ${r.code} ${r.message}`;
    const again = await runSigvet(c, JSON.stringify(JSON.parse(c.bundleText)), inputFor(c, undefined, mode));
    if (again.verdict !== 'accepted') return `${c.id} does not verify after JSON re-serialization: ${again.code} ${again.message}`;
  }
  return undefined;
}

/** All mutants of a case (deterministic order and ids). */
export function mutantsFor(c: ValidCase, all: readonly ValidCase[]): Mutant[] {
  const extraIds = new Set<string>();
  for (const o of all) {
    try {
      for (const l of (JSON.parse(o.trustedRootText) as { tlogs?: { logId: { keyId: string } }[] }).tlogs ?? []) extraIds.add(l.logId.keyId);
    } catch {
      /* ignore */
    }
  }
  return mutantsOf(c, contextFor(c.trustedRootText, [...extraIds]));
}

/** Runs the mutants of one case. */
export async function runCase(c: ValidCase, mutants: readonly Mutant[], accepted: AcceptedList, opts: RunOptions = {}): Promise<MutantResult[]> {
  const out: MutantResult[] = [];
  // Compare with the official verifier only where it accepts the unmodified case (else every mutant "disagrees").
  const officialRunner =
    opts.official && opts.official(c, c.bundleText, { artifact: c.artifact, ...(c.identity ? { identity: c.identity } : {}), ...(c.keyPem ? { keyPem: c.keyPem } : {}) }).pass
      ? opts.official
      : undefined;
  for (const [i, m] of mutants.entries()) {
    if (opts.filter && !opts.filter(m, i)) continue;
    const modes: ('bytes' | 'digest')[] = m.input?.artifactDigest !== undefined ? ['digest'] : opts.digestMode && m.input === undefined ? ['bytes', 'digest'] : ['bytes'];
    for (const mode of modes) {
      const r = await runSigvet(c, m.bundle, inputFor(c, m, mode));
      const entry = r.verdict === 'accepted' ? allowedBy(accepted, c, m.id) : undefined;
      let official: MutantResult['official'];
      if (officialRunner && mode === 'bytes') {
        const inp = inputFor(c, m, 'bytes');
        official = officialRunner(c, m.bundle, {
          artifact: inp.artifact as Uint8Array,
          ...(inp.identity ? { identity: inp.identity as ValidCase['identity'] } : {}),
          ...(typeof inp.key === 'string' ? { keyPem: inp.key } : {}),
        });
      }
      out.push({
        caseId: c.id,
        id: m.id,
        cls: m.cls,
        mode,
        ...r,
        ...(entry ? { allowedBy: entry.name } : {}),
        ...(official ? { official } : {}),
      });
    }
  }
  return out;
}

/** Per-class totals. */
export interface ClassTotals {
  total: number;
  rejected: number;
  acceptedAllowed: number;
  acceptedUnexpected: number;
  crashed: number;
  codes: Record<string, number>;
}

/** Totals per mutation class. */
export function totalsByClass(results: readonly MutantResult[]): Map<string, ClassTotals> {
  const m = new Map<string, ClassTotals>();
  for (const r of results) {
    let t = m.get(r.cls);
    if (!t) {
      t = { total: 0, rejected: 0, acceptedAllowed: 0, acceptedUnexpected: 0, crashed: 0, codes: {} };
      m.set(r.cls, t);
    }
    t.total++;
    if (r.verdict === 'rejected') {
      t.rejected++;
      t.codes[r.code!] = (t.codes[r.code!] ?? 0) + 1;
    } else if (r.verdict === 'crashed') t.crashed++;
    else if (r.allowedBy) t.acceptedAllowed++;
    else t.acceptedUnexpected++;
  }
  return new Map([...m.entries()].sort((a, b) => a[0].localeCompare(b[0])));
}

/** A stable, spread-out subset: every `stride`-th mutant by hash of its id, plus the first two of each class. */
export function subsetFilter(stride: number): (m: Mutant, index: number) => boolean {
  const firstOfClass = new Map<string, number>();
  return (m) => {
    const n = firstOfClass.get(m.cls) ?? 0;
    firstOfClass.set(m.cls, n + 1);
    if (n < 2) return true;
    return createHash('sha256').update(m.id).digest().readUInt32BE(0) % stride === 0;
  };
}
