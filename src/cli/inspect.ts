/**
 * `sigvet inspect BUNDLE [--json]`: shows what a bundle holds (signer
 * identity and Fulcio extensions, log entries, timestamps, the in-toto
 * statement's subjects and predicate type, the predicate summarized)
 * WITHOUT verifying anything. Every part is decoded with the same strict
 * parsers the verifier uses; a part that does not decode is reported and
 * the rest is still shown.
 *
 * Exit codes: 0 every part decoded (and the predicate matches its schema),
 * 1 the bundle or a part of it did not, 2 usage error.
 * @module
 */
import { readFileSync } from 'node:fs';
import { decodeBundle } from '../bundle/decode.js';
import type { Bundle } from '../bundle/bundle.js';
import { isSigvetError } from '../errors.js';
import { toHex } from '../encoding/hex.js';
import { IN_TOTO_PAYLOAD_TYPE, parseStatement, type Statement } from '../intoto/statement.js';
import { parseAttestation } from '../predicates/attestation.js';
import { summarizeAttestation, type AttestationSummary } from '../predicates/summary.js';
import { parseTimestampToken } from '../timestamp/timestamp-token.js';
import { parseCheckpoint } from '../tlog/checkpoint.js';
import { parseCertificate } from '../x509/certificate.js';
import { leafIdentity } from '../x509/chain.js';
import { fulcioExtensions, fulcioIssuer } from '../x509/fulcio.js';
import { ExitCode, USAGE_ROW } from './exit-codes.js';
import { formatHelp, helpHint } from './help.js';
import { jsonText } from './json-output.js';
import { PLAIN_STYLE, styleFor, type Style } from './style.js';

/** Help of `sigvet inspect`. */
export const INSPECT_HELP = formatHelp({
  usage: ['sigvet inspect BUNDLE [--json]'],
  description: `Shows what a Sigstore bundle holds, WITHOUT verifying it: signer, Fulcio extensions, log
entries, timestamps, and for DSSE bundles the in-toto statement and a summary of its predicate.
Every part is decoded with the verifier's strict parsers; a part that does not decode is reported
and the rest is still shown. Use \`sigvet verify\` to verify.`,
  options: [['--json', 'print the report as a JSON document']],
  jsonSchema: 'inspect.v1.schema.json',
  examples: [
    ['See who claims to have signed a bundle, and what its attestation says', 'sigvet inspect app.tar.gz.sigstore.json'],
    ['The same, for a script', 'sigvet inspect --json provenance.sigstore.json'],
  ],
  exitCodes: [
    [ExitCode.OK, 'every part decoded (and the predicate matches its schema)'],
    [ExitCode.FAILED, 'the bundle, or a part of it, did not decode'],
    USAGE_ROW,
  ],
});

/** A part of the bundle that could not be decoded. */
export interface InspectProblem {
  readonly part: string;
  readonly code: string;
  readonly check: string | undefined;
  readonly message: string;
}

/** Everything `inspect` reports; plain JSON data (no bigint, no bytes). */
export interface InspectReport {
  /** Always false: inspect decodes, it does not verify. */
  readonly verified: false;
  readonly bundle: { readonly mediaType: string; readonly version: string };
  readonly signer:
    | {
        readonly type: 'certificate';
        readonly identity: { readonly type: string; readonly value: string } | undefined;
        readonly issuer: string | undefined;
        readonly serialNumber: string;
        readonly notBefore: string;
        readonly notAfter: string;
        readonly chainLength: number;
        readonly fulcioExtensions: Readonly<Record<string, string>>;
      }
    | { readonly type: 'publicKey'; readonly hint: string }
    | undefined;
  readonly tlogEntries: readonly {
    readonly logIndex: string;
    readonly logId: string;
    readonly kind: string;
    readonly version: string;
    readonly integratedTime: string | undefined;
    readonly hasSignedEntryTimestamp: boolean;
    readonly inclusionProof: { readonly logIndex: string; readonly treeSize: string; readonly checkpointOrigin: string | undefined } | undefined;
  }[];
  readonly timestamps: readonly { readonly time: string; readonly policy: string; readonly serialNumber: string }[];
  readonly content:
    | { readonly type: 'messageSignature'; readonly digest: { readonly algorithm: string; readonly hex: string } | undefined }
    | {
        readonly type: 'dsseEnvelope';
        readonly payloadType: string;
        readonly payloadBytes: number;
        readonly signatures: number;
        readonly statement:
          | {
              readonly type: string;
              readonly predicateType: string;
              readonly subjects: readonly { readonly name: string; readonly digest: Readonly<Record<string, string>> }[];
            }
          | undefined;
        readonly predicate: AttestationSummary | undefined;
      };
  readonly problems: readonly InspectProblem[];
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** Unix seconds (int64, unverified) as RFC 3339; a value no Date can hold is shown as the number. */
function isoSeconds(seconds: bigint): string {
  // ±8.64e15 ms is the Date range.
  return seconds >= -8_640_000_000_000n && seconds <= 8_640_000_000_000n ? iso(Number(seconds) * 1000) : `${seconds} (seconds, out of range)`;
}

/** Runs `f`; a SigvetError (or any error) becomes a problem of `part` and the result undefined. */
function attempt<T>(problems: InspectProblem[], part: string, f: () => T): T | undefined {
  try {
    return f();
  } catch (e) {
    problems.push({
      part,
      code: isSigvetError(e) ? e.code : 'INTERNAL',
      check: isSigvetError(e) ? e.check : undefined,
      message: e instanceof Error ? e.message : String(e),
    });
    return undefined;
  }
}

function signerOf(bundle: Bundle, problems: InspectProblem[]): InspectReport['signer'] {
  const km = bundle.keyMaterial;
  if (km.type === 'publicKey') return { type: 'publicKey', hint: km.hint };
  return attempt(problems, 'certificate', () => {
    const cert = parseCertificate(km.certificate, 'signing certificate');
    const ext = fulcioExtensions(cert);
    const identity = attempt(problems, 'certificate.san', () => leafIdentity(cert));
    const issuer = attempt(problems, 'certificate.issuer', () => fulcioIssuer(ext));
    return {
      type: 'certificate' as const,
      identity,
      issuer,
      serialNumber: toHex(cert.serialNumber),
      notBefore: iso(cert.notBefore),
      notAfter: iso(cert.notAfter),
      chainLength: 1 + km.chain.length,
      fulcioExtensions: { ...ext.byName },
    };
  });
}

function statementSummary(s: Statement): NonNullable<Extract<InspectReport['content'], { type: 'dsseEnvelope' }>['statement']> {
  return {
    type: s.type,
    predicateType: s.predicateType,
    subjects: s.subject.map((x) => ({ name: x.name, digest: { ...x.digest } })),
  };
}

/**
 * Decodes a bundle and describes it. Never verifies.
 * @throws SigvetError when the bundle itself does not decode.
 */
export function inspectBundle(bundleText: string): InspectReport {
  const bundle = decodeBundle(bundleText);
  const problems: InspectProblem[] = [];
  const signer = signerOf(bundle, problems);
  const tlogEntries = bundle.tlogEntries.map((e, i) => {
    const proof = e.inclusionProof;
    const checkpoint = proof?.checkpoint === undefined ? undefined : attempt(problems, `tlogEntries[${i}].checkpoint`, () => parseCheckpoint(proof.checkpoint!));
    return {
      logIndex: e.logIndex.toString(),
      logId: toHex(e.logId),
      kind: e.kindVersion.kind,
      version: e.kindVersion.version,
      integratedTime: e.integratedTime === undefined ? undefined : isoSeconds(e.integratedTime),
      hasSignedEntryTimestamp: e.signedEntryTimestamp !== undefined,
      inclusionProof:
        proof === undefined
          ? undefined
          : { logIndex: proof.logIndex.toString(), treeSize: proof.treeSize.toString(), checkpointOrigin: checkpoint?.origin },
    };
  });
  const timestamps = bundle.rfc3161Timestamps.flatMap((der, i) => {
    const t = attempt(problems, `rfc3161Timestamps[${i}]`, () => parseTimestampToken(der));
    return t ? [{ time: iso(t.tstInfo.genTime), policy: t.tstInfo.policy, serialNumber: toHex(t.tstInfo.serialNumber) }] : [];
  });
  let content: InspectReport['content'];
  const c = bundle.content;
  if (c.type === 'messageSignature') {
    content = {
      type: 'messageSignature',
      digest: c.messageDigest && { algorithm: c.messageDigest.algorithm, hex: toHex(c.messageDigest.digest) },
    };
  } else {
    const statement = c.payloadType === IN_TOTO_PAYLOAD_TYPE ? attempt(problems, 'statement', () => parseStatement(c.payload)) : undefined;
    const attestation = statement && attempt(problems, 'predicate', () => parseAttestation(statement));
    content = {
      type: 'dsseEnvelope',
      payloadType: c.payloadType,
      payloadBytes: c.payload.length,
      signatures: c.signatures.length,
      statement: statement && statementSummary(statement),
      predicate: attestation && summarizeAttestation(attestation),
    };
  }
  return { verified: false, bundle: { mediaType: bundle.mediaType, version: bundle.version }, signer, tlogEntries, timestamps, content, problems };
}

/** The report as text for people (`style` colors the notice and the problems). */
export function formatInspectReport(r: InspectReport, style: Style = PLAIN_STYLE): string {
  const lines: string[] = [`${style.yellow('NOT VERIFIED')}: this shows what the bundle claims; \`sigvet verify\` checks it.`, `bundle        v${r.bundle.version} (${r.bundle.mediaType})`];
  const s = r.signer;
  if (s?.type === 'certificate') {
    lines.push(`signer        ${s.identity ? `${s.identity.value} (${s.identity.type})` : '(no identity)'}`);
    lines.push(`issuer        ${s.issuer ?? '(none)'}`);
    lines.push(`certificate   serial ${s.serialNumber}, valid ${s.notBefore} to ${s.notAfter}${s.chainLength > 1 ? `, chain of ${s.chainLength}` : ''}`);
    const names = Object.keys(s.fulcioExtensions).sort();
    for (const n of names) if (n !== 'issuer' && n !== 'issuerV1') lines.push(`  ${n.padEnd(36)} ${s.fulcioExtensions[n]}`);
  } else if (s?.type === 'publicKey') {
    lines.push(`signer        managed key${s.hint ? ` (hint ${s.hint})` : ''}`);
  }
  for (const e of r.tlogEntries) {
    const when = e.integratedTime ? `, integrated ${e.integratedTime}` : '';
    const proof = e.inclusionProof ? `, proof in tree of ${e.inclusionProof.treeSize}${e.inclusionProof.checkpointOrigin ? ` (${e.inclusionProof.checkpointOrigin})` : ''}` : '';
    lines.push(`log entry     ${e.kind}/${e.version} #${e.logIndex}${when}${e.hasSignedEntryTimestamp ? ', SET' : ''}${proof}`);
  }
  for (const t of r.timestamps) lines.push(`timestamp     ${t.time} (RFC 3161, policy ${t.policy})`);
  const c = r.content;
  if (c.type === 'messageSignature') {
    lines.push(`content       message signature${c.digest ? ` over ${c.digest.algorithm} ${c.digest.hex}` : ''}`);
  } else {
    lines.push(`content       DSSE ${c.payloadType}, ${c.payloadBytes} bytes, ${c.signatures} signature(s)`);
    if (c.statement) {
      lines.push(`statement     ${c.statement.type}`);
      lines.push(`predicate     ${c.statement.predicateType}`);
      for (const sub of c.statement.subjects) {
        const digests = Object.keys(sub.digest)
          .sort()
          .map((k) => `${k}:${sub.digest[k]}`)
          .join(' ');
        lines.push(`subject       ${sub.name || '(unnamed)'} ${digests}`);
      }
    }
    if (c.predicate) {
      lines.push(`kind          ${c.predicate.kind}`);
      for (const f of c.predicate.facts) lines.push(`  ${f.label.padEnd(20)} ${f.value}`);
    }
  }
  for (const p of r.problems) lines.push(`${style.red('problem')}       ${p.part}: ${p.code}${p.check ? ` [${p.check}]` : ''}: ${p.message}`);
  return lines.join('\n');
}

/** Runs `sigvet inspect`; resolves to the exit code. */
export async function runInspect(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${INSPECT_HELP}\n`);
    return ExitCode.OK;
  }
  const json = args.includes('--json');
  const rest = args.filter((a) => a !== '--json');
  const unknown = rest.find((a) => a.startsWith('-'));
  if (unknown !== undefined || rest.length !== 1) {
    process.stderr.write(`sigvet: ${unknown !== undefined ? `unknown option ${unknown}` : 'give exactly one BUNDLE'}\n${helpHint('inspect')}\n`);
    return ExitCode.USAGE;
  }
  let text: string;
  try {
    text = readFileSync(rest[0]!, 'utf8');
  } catch (e) {
    process.stderr.write(`sigvet: cannot read bundle ${rest[0]}: ${(e as Error).message}\n`);
    return ExitCode.USAGE;
  }
  let report: InspectReport;
  try {
    report = inspectBundle(text);
  } catch (e) {
    if (!isSigvetError(e)) throw e;
    if (json) process.stdout.write(jsonText('inspect', { verified: false, error: e.toJSON() }));
    else process.stderr.write(`sigvet: ${styleFor(process.stderr).red('cannot decode the bundle')}: ${e.code}${e.check ? ` [${e.check}]` : ''}: ${e.message}\n`);
    return ExitCode.FAILED;
  }
  process.stdout.write(json ? jsonText('inspect', report) : `${formatInspectReport(report, styleFor(process.stdout))}\n`);
  return report.problems.length === 0 ? ExitCode.OK : ExitCode.FAILED;
}
