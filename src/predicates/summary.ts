/**
 * A short, display-ready summary of an attestation's predicate: the facts
 * a person checks first (builder and source of provenance, the verdict of
 * a VSA, finding counts of a scan, …). Used by `sigvet inspect`.
 * @module
 */
import type { JsonValue } from '../encoding/json.js';
import type { DigestSet } from '../intoto/digest-set.js';
import { provenanceView, requireAttestation, sbomView, verificationSummary, vulnerabilityReport, type Attestation } from './attestation.js';
import type { PredicateKind } from './predicate-types.js';
import { countBySeverity } from './vulnerability-report.js';

/** One fact: a label and its value as text. */
export interface SummaryFact {
  readonly label: string;
  readonly value: string;
}

/** The summary of one attestation. */
export interface AttestationSummary {
  readonly kind: PredicateKind;
  readonly predicateType: string;
  /** In display order; absent values are left out. */
  readonly facts: readonly SummaryFact[];
}

/** Longest value shown; longer ones are cut with an ellipsis (the JSON has them whole). */
export const MAX_FACT_LENGTH = 200;

function digestText(d: DigestSet | undefined): string | undefined {
  if (!d) return undefined;
  return Object.keys(d)
    .sort()
    .map((k) => `${k}:${d[k]}`)
    .join(' ');
}

/**
 * Compact JSON text of a parsed value, with integers beyond 2^53 (bigint)
 * written as numbers (JSON.stringify refuses them). Stops after
 * {@link MAX_FACT_LENGTH} characters: the text is cut for display anyway,
 * and a caller-built object could be huge or even cyclic.
 */
function jsonText(v: JsonValue): string {
  const out: string[] = [];
  let length = 0;
  const emit = (s: string): boolean => {
    out.push(s);
    length += s.length;
    return length <= MAX_FACT_LENGTH;
  };
  const walk = (x: JsonValue): boolean => {
    if (typeof x === 'bigint') return emit(x.toString());
    if (Array.isArray(x)) {
      if (!emit('[')) return false;
      for (let i = 0; i < x.length; i++) if ((i > 0 && !emit(',')) || !walk(x[i]!)) return false;
      return emit(']');
    }
    if (x !== null && typeof x === 'object') {
      if (!emit('{')) return false;
      let first = true;
      for (const k of Object.keys(x)) {
        if ((!first && !emit(',')) || !emit(`${JSON.stringify(k)}:`) || !walk(x[k]!)) return false;
        first = false;
      }
      return emit('}');
    }
    return emit(JSON.stringify(x) ?? 'null');
  };
  walk(v);
  return out.join('');
}

/**
 * Summarizes the predicate of `att`.
 * @throws SigvetError `INVALID_ARGUMENT` (check `argument.summarizeAttestation`) when `att` is not an attestation.
 */
export function summarizeAttestation(att: Attestation): AttestationSummary {
  requireAttestation(att, 'summarizeAttestation');
  const facts: SummaryFact[] = [];
  const add = (label: string, value: string | number | undefined): void => {
    if (value === undefined) return;
    const text = String(value);
    facts.push({ label, value: text.length > MAX_FACT_LENGTH ? `${text.slice(0, MAX_FACT_LENGTH - 1)}…` : text });
  };
  const prov = provenanceView(att);
  if (prov) {
    add('SLSA provenance', `v${prov.slsaVersion}`);
    add('builder', prov.builderId);
    add('build type', prov.buildType);
    add('source', prov.source.repository);
    add('ref', prov.source.ref);
    add('source digest', digestText(prov.source.digest));
    add('workflow', prov.source.path);
    if (Object.keys(prov.externalParameters).length > 0) add('external parameters', jsonText(prov.externalParameters));
    add('dependencies', prov.resolvedDependencies.length);
    add('invocation', prov.invocationId);
    add('started', prov.startedOn);
    add('finished', prov.finishedOn);
  }
  const vsa = verificationSummary(att);
  if (vsa) {
    add('verifier', vsa.verifierId);
    add('result', vsa.result);
    add('verified levels', vsa.verifiedLevels.join(', ') || '(none)');
    add('resource', vsa.resourceUri);
    add('policy', vsa.policy.uri);
    add('time verified', vsa.timeVerified);
    const deps = Object.entries(vsa.dependencyLevels);
    if (deps.length > 0) add('dependency levels', deps.map(([k, n]) => `${k}=${n}`).join(', '));
  }
  const vuln = vulnerabilityReport(att);
  if (vuln) {
    add('scanner', [vuln.scanner.uri, vuln.scanner.version].filter(Boolean).join(' ') || undefined);
    add('database', [vuln.database.uri, vuln.database.version].filter(Boolean).join(' ') || undefined);
    add('database updated', vuln.database.lastUpdate);
    add('scan finished', vuln.scanFinishedOn);
    if (vuln.findings === undefined) add('findings', `not read (unrecognized ${vuln.resultFormat} result)`);
    else {
      const counts = countBySeverity(vuln.findings);
      const bySeverity = Object.keys(counts)
        .sort()
        .map((k) => `${k} ${counts[k]}`)
        .join(', ');
      add('findings', `${vuln.findings.length}${bySeverity ? ` (${bySeverity})` : ''} [${vuln.resultFormat}]`);
    }
  }
  const sbom = sbomView(att);
  if (sbom) {
    add('SBOM', `${sbom.format} ${sbom.specVersion}`);
    add('name', sbom.name);
    add('id', sbom.id);
    add('created', sbom.created);
    add(sbom.format === 'spdx' ? 'elements' : 'components', sbom.componentCount);
  }
  switch (att.kind) {
    case 'intoto-test-result-v0.1':
      add('result', att.predicate.result);
      add('passed', att.predicate.passedTests?.length);
      add('warned', att.predicate.warnedTests?.length);
      add('failed', att.predicate.failedTests?.length);
      add('url', att.predicate.url);
      break;
    case 'intoto-release-v0.1':
      add('purl', att.predicate.purl);
      add('package id', att.predicate.packageId ?? att.predicate.releaseId);
      break;
    case 'npm-publish-v0.1':
      add('package', `${att.predicate.name}@${att.predicate.version}`);
      add('registry', att.predicate.registry);
      break;
    case 'intoto-link-v0.3':
      add('step', att.predicate.name);
      if (att.predicate.command) add('command', att.predicate.command.join(' '));
      add('materials', att.predicate.materials?.length);
      break;
    case 'intoto-link-legacy':
      add('step', att.predicate.name);
      if (att.predicate.command) add('command', att.predicate.command.join(' '));
      if (att.predicate.materials) add('materials', Object.keys(att.predicate.materials).length);
      break;
    case 'unknown':
      add('predicate', att.predicate === undefined ? '(none)' : `${Object.keys(att.predicate).length} top-level fields (not modelled by sigvet)`);
      break;
    default:
      break;
  }
  return { kind: att.kind, predicateType: att.predicateType, facts };
}
