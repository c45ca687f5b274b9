/**
 * No raw TypeError escapes a public function: every exported function of
 * every entry point, called with wrong-typed or missing arguments, either
 * returns or throws (rejects, for promises) a SigvetError. The exports are
 * enumerated at run time, so a new export is covered the day it is added.
 *
 * The calls must fail on argument validation before any I/O: nothing here
 * reaches the network (an OCI function that would fetch refuses the
 * argument first).
 */
import { describe, expect, it } from 'vitest';
import { isSigvetError } from '../../src/errors.js';

/** The entry points' source modules, as `package.json` exports map them. */
const ENTRIES: Readonly<Record<string, () => Promise<Record<string, unknown>>>> = {
  'index.node.ts': () => import('../../src/index.node.js'),
  'attestations.ts': () => import('../../src/attestations.js'),
  'oci.ts': () => import('../../src/oci.js'),
  'policy-import.ts': () => import('../../src/policy-import.js'),
  'policy.ts': () => import('../../src/policy.js'),
};

/**
 * Known gaps, owned elsewhere and to be fixed there: these still throw a
 * raw TypeError for wrong-typed arguments. They are skipped (and shown as
 * todo), never counted as passing. Remove an entry once its function
 * validates its arguments; a stale entry is reported below.
 */
const KNOWN_GAPS: ReadonlySet<string> = new Set<string>([]);

/** The wrong-typed values; every argument list of up to two of them is tried, and no arguments at all. */
const VALUES: readonly unknown[] = [null, undefined, {}, 'x', 5];
const ARGUMENT_LISTS: readonly (readonly unknown[])[] = [[], ...VALUES.map((v) => [v]), ...VALUES.flatMap((a) => VALUES.map((b) => [a, b]))];

function show(args: readonly unknown[]): string {
  return `(${args.map((a) => (a === undefined ? 'undefined' : JSON.stringify(a))).join(', ')})`;
}

/** The exported functions of a module (classes, named in upper case, are skipped), with namespace objects (`build`) opened one level. */
function exportedFunctions(mod: Record<string, unknown>): [string, (...args: unknown[]) => unknown][] {
  const out: [string, (...args: unknown[]) => unknown][] = [];
  for (const [name, value] of Object.entries(mod)) {
    if (/^[A-Z]/.test(name)) continue;
    if (typeof value === 'function') out.push([name, value as (...args: unknown[]) => unknown]);
    else if (value !== null && typeof value === 'object' && Object.prototype.toString.call(value) === '[object Module]') {
      for (const [inner, f] of Object.entries(value)) {
        if (typeof f === 'function' && !/^[A-Z]/.test(inner)) out.push([`${name}.${inner}`, f as (...args: unknown[]) => unknown]);
      }
    }
  }
  return out.sort(([a], [b]) => a.localeCompare(b));
}

/** Every non-SigvetError thrown or rejected by `f` over the argument lists, as `f(args): Error: message`. */
async function rawErrors(name: string, f: (...args: unknown[]) => unknown): Promise<string[]> {
  const bad: string[] = [];
  for (const args of ARGUMENT_LISTS) {
    try {
      const r = f(...args);
      if (r !== null && typeof r === 'object' && typeof (r as { then?: unknown }).then === 'function') await r;
    } catch (e) {
      if (!isSigvetError(e)) {
        const kind = e instanceof Error ? e.constructor.name : typeof e;
        bad.push(`${name}${show(args)}: ${kind}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }
  return bad;
}

describe('no raw TypeError escapes a public function', () => {
  it('tries every argument list of up to two wrong-typed values', () => {
    expect(ARGUMENT_LISTS).toHaveLength(1 + 5 + 25);
  });

  for (const [entry, load] of Object.entries(ENTRIES)) {
    describe(entry, () => {
      it('every exported function refuses wrong-typed arguments with a SigvetError', async () => {
        const fns = exportedFunctions(await load());
        // Not vacuous: each entry exports functions.
        expect(fns.length).toBeGreaterThan(0);
        const failures: string[] = [];
        const staleGaps: string[] = [];
        for (const [name, f] of fns) {
          const key = `${entry}:${name}`;
          const bad = await rawErrors(name, f);
          if (KNOWN_GAPS.has(key)) {
            if (bad.length === 0) staleGaps.push(key);
            continue;
          }
          failures.push(...bad);
        }
        if (staleGaps.length > 0) {
          console.warn(`api-arguments: KNOWN_GAPS entries that no longer throw raw errors (remove them): ${staleGaps.join(', ')}`);
        }
        expect(failures).toEqual([]);
      });
    });
  }

  if (KNOWN_GAPS.size > 0) {
    describe('known gaps (skipped, not passing)', () => {
      for (const key of KNOWN_GAPS) it.todo(`${key} validates its arguments`);
    });
  }

  it('the refusals are INVALID_ARGUMENT errors that name the function and the argument', async () => {
    const oci = await import('../../src/oci.js');
    const attestations = await import('../../src/attestations.js');
    const root = await import('../../src/index.node.js');
    const cases: [() => unknown, string, string][] = [
      [() => root.preAuthEncoding('t', null as never), 'argument.preAuthEncoding', 'payload'],
      [() => attestations.provenanceView(null as never), 'argument.provenanceView', 'att'],
      [() => attestations.countBySeverity('x' as never), 'argument.countBySeverity', 'findings'],
      [() => oci.withTag({ registry: 'ghcr.io', repository: 'a/b' } as never, 5 as never), 'oci.reference', 'tag'],
      [() => oci.digestOf(new Uint8Array(1), 'md5' as never), 'argument.digestOf', 'algorithm'],
      [() => oci.createRegistryClient({ fetch: 'x' as never }), 'options.fetch', 'options.fetch'],
      [() => oci.checkImage(null as never), 'options', 'options'],
    ];
    for (const [call, check, argument] of cases) {
      let error: unknown;
      try {
        await call();
      } catch (e) {
        error = e;
      }
      expect(isSigvetError(error, 'INVALID_ARGUMENT'), `${check}: ${String(error)}`).toBe(true);
      const e = error as { check?: string; message: string };
      expect(e.check).toBe(check);
      expect(e.message).toContain(argument);
    }
  });
  it('the methods of image sources (registry client, image layout) refuse wrong-typed arguments too', async () => {
    const oci = await import('../../src/oci.js');
    const files: Record<string, string> = {
      'oci-layout': '{"imageLayoutVersion":"1.0.0"}',
      'index.json': '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}',
    };
    const layout = await oci.openOciLayout(async (p) => (p in files ? new TextEncoder().encode(files[p]) : undefined));
    const client = oci.createRegistryClient({
      fetch: async () => {
        throw new Error('no network in this test');
      },
    });
    const repo = { registry: 'registry.example', repository: 'a/b' };
    const raw: string[] = [];
    for (const [name, source] of [['layout', layout], ['registry', client]] as const) {
      for (const method of ['manifestByTag', 'manifestByDigest', 'blob', 'referrers'] as const) {
        for (const args of [[], [null, 'x'], [repo, null], [repo, 5], [repo, {}], ['x', 'x'], [repo, { digest: 5, size: 1 }], [repo, { digest: 'sha256:x', size: -1 }]]) {
          if (method !== 'blob' && args.length === 2 && typeof args[1] === 'object' && args[1] !== null && Object.keys(args[1]).length > 0) continue;
          try {
            await (source[method] as (...a: unknown[]) => Promise<unknown>)(...args);
            raw.push(`${name}.${method}(${JSON.stringify(args)}) returned`);
          } catch (e) {
            if (!isSigvetError(e, 'INVALID_ARGUMENT')) raw.push(`${name}.${method}(${JSON.stringify(args)}): ${String(e)}`);
          }
        }
      }
    }
    expect(raw).toEqual([]);
  });
});
