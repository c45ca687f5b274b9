/**
 * `sigvet verify-image IMAGE`: verify a container image's cosign
 * signatures (and, with `--attestations`, its attestations) from a registry
 * or, with `--oci-layout DIR`, from an OCI image layout on disk. Prints a
 * report of every check performed per signature, or `--json`.
 *
 * Exit codes (exit-codes.ts): 0 verified, 1 not verified, 2 usage error, 70 internal error.
 * Registry credentials come from the Docker config file
 * (`$DOCKER_CONFIG/config.json` or `~/.docker/config.json`: `auths`,
 * `credHelpers`, `credsStore`).
 * @module
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { createVerifier, isSigvetError, SigvetError, type ExpectedIdentity, type StringMatcher, type Verifier } from '../index.node.js';
import { createRegistryClient } from '../oci/registry.js';
import { openOciLayout, type LayoutFileReader } from '../oci/layout.js';
import { checkImage, type ImageEvidence, type ImageVerification, type VerifyImageOptions } from '../oci/verify-image.js';
import { DOCKER_HUB, parseImageReference } from '../oci/reference.js';
import type { RegistryCredentials } from '../oci/auth.js';
import type { ImageSource } from '../oci/source.js';
import { imagePolicyEvidence } from '../oci/policy-evidence.js';
import type { CompiledPolicy } from '../policy/compile.js';
import { ExitCode, USAGE_ROW } from './exit-codes.js';
import { formatHelp, helpHint } from './help.js';
import { UsageError, readText } from './io.js';
import { jsonText } from './json-output.js';
import { PLAIN_STYLE, styleFor, type Style } from './style.js';

/** Help of `verify-image`. */
export const VERIFY_IMAGE_HELP = formatHelp({
  usage: [
    'sigvet verify-image IMAGE',
    '    (--certificate-identity ID | --certificate-identity-regexp RE)',
    '    (--certificate-oidc-issuer URL | --certificate-oidc-issuer-regexp RE) | --key PEM',
    '    [--attestations] [--type PREDICATE_TYPE]...',
    '    [--attestation-identity ID --attestation-oidc-issuer URL | --attestation-key PEM] [--no-signatures]',
    '    [--platform OS/ARCH[/VARIANT]] [--require-digest] [-a KEY=VALUE]...',
    '    [--oci-layout DIR] [--signature-repository REGISTRY/REPO] [--allow-http-registry]',
    '    [--trusted-root FILE] [--policy FILE] [--json]',
  ],
  description: `Verifies the cosign signatures (and, with --attestations, the attestations) of a container image,
from a registry or an OCI image layout, and reports every check performed per signature.
IMAGE is registry/repository[:tag][@sha256:digest]; a digest is verified as is, a tag is resolved
once (tags are mutable: the report names the digest verified). Registry credentials come from the
Docker config file ($DOCKER_CONFIG/config.json or ~/.docker/config.json).`,
  options: [
    ['--attestations', 'also require a verified attestation (of a --type, when given)'],
    ['--type PREDICATE_TYPE', 'an attestation predicate type that counts (repeatable)'],
    ['--no-signatures', 'require attestations only, no image signature'],
    ['--platform OS/ARCH', "verify that platform's manifest of a multi-platform index\n(without it, the index itself is verified; never one for the other)"],
    ['--require-digest', 'refuse a tag without a digest'],
    ['-a KEY=VALUE', "a claim the signed payload's annotations must hold (repeatable)"],
    ['--oci-layout DIR', 'read the image from an OCI image layout instead of a registry'],
    ['--signature-repository R', "where cosign's signature tags are (COSIGN_REPOSITORY)"],
    ['--allow-http-registry', "reach the image's registry over plain HTTP"],
    ['--trusted-root FILE', 'trusted_root.json (default: the embedded Sigstore public-good root)'],
    ['--policy FILE', 'decide with a sigvet policy (JSON) or a ClusterImagePolicy (YAML)'],
    ['--json', 'print the report as a JSON document'],
  ],
  jsonSchema: 'verify-image.v1.schema.json',
  examples: [
    [
      'Verify an image signed keyless in GitHub Actions',
      'sigvet verify-image ghcr.io/acme/app@sha256:<digest> --certificate-identity https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main --certificate-oidc-issuer https://token.actions.githubusercontent.com',
    ],
    ['Require SLSA provenance too, from an image layout on disk', 'sigvet verify-image registry.example/app:v1 --oci-layout ./app-layout --key cosign.pub --attestations --type https://slsa.dev/provenance/v1'],
    ['Decide with a policy, for a script', 'sigvet verify-image ghcr.io/acme/app:v1 --policy image-policy.json --json'],
  ],
  exitCodes: [[ExitCode.OK, 'verified (with --policy: every policy allows)'], [ExitCode.FAILED, 'not verified (with --policy: a policy denies)'], USAGE_ROW],
});

interface Args {
  image?: string;
  identity?: string;
  identityRegexp?: string;
  issuer?: string;
  issuerRegexp?: string;
  key?: string;
  attIdentity?: string;
  attIssuer?: string;
  attKey?: string;
  types: string[];
  annotations: string[];
  attestations: boolean;
  noSignatures: boolean;
  platform?: string;
  requireDigest: boolean;
  layout?: string;
  signatureRepository?: string;
  allowHttp: boolean;
  trustedRoot?: string;
  policy?: string;
  json: boolean;
}

const VALUE_FLAGS: Record<string, keyof Args> = {
  '--certificate-identity': 'identity',
  '--certificate-identity-regexp': 'identityRegexp',
  '--certificate-oidc-issuer': 'issuer',
  '--certificate-oidc-issuer-regexp': 'issuerRegexp',
  '--key': 'key',
  '--attestation-identity': 'attIdentity',
  '--attestation-oidc-issuer': 'attIssuer',
  '--attestation-key': 'attKey',
  '--platform': 'platform',
  '--oci-layout': 'layout',
  '--signature-repository': 'signatureRepository',
  '--trusted-root': 'trustedRoot',
  '--policy': 'policy',
};
const LIST_FLAGS: Record<string, 'types' | 'annotations'> = { '--type': 'types', '-a': 'annotations', '--annotations': 'annotations' };
const BOOL_FLAGS: Record<string, 'attestations' | 'noSignatures' | 'requireDigest' | 'allowHttp' | 'json'> = {
  '--attestations': 'attestations',
  '--no-signatures': 'noSignatures',
  '--require-digest': 'requireDigest',
  '--allow-http-registry': 'allowHttp',
  '--json': 'json',
};

function parseArgs(argv: string[]): Args {
  const a: Args = { types: [], annotations: [], attestations: false, noSignatures: false, requireDigest: false, allowHttp: false, json: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const bool = BOOL_FLAGS[name];
    if (bool && eq < 0) {
      a[bool] = true;
      continue;
    }
    const field = VALUE_FLAGS[name];
    const list = LIST_FLAGS[name];
    if (field || list) {
      const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined) throw new UsageError(`missing value for ${name}`);
      if (list) {
        a[list].push(value);
      } else {
        if (a[field!] !== undefined) throw new UsageError(`${name} given twice`);
        (a as unknown as Record<string, unknown>)[field!] = value;
      }
      continue;
    }
    if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}`);
    if (a.image !== undefined) throw new UsageError(`unexpected argument ${arg}`);
    a.image = arg;
  }
  if (a.image === undefined) throw new UsageError('IMAGE is required');
  return a;
}


function identityOf(exact: string | undefined, regexp: string | undefined, issuer: string | undefined, issuerRegexp: string | undefined, what: string): ExpectedIdentity | undefined {
  if (exact !== undefined && regexp !== undefined) throw new UsageError(`give one of ${what} identity and its -regexp`);
  if (issuer !== undefined && issuerRegexp !== undefined) throw new UsageError(`give one of ${what} issuer and its -regexp`);
  const san: StringMatcher | undefined = exact ?? (regexp !== undefined ? { regex: regexp } : undefined);
  const iss: StringMatcher | undefined = issuer ?? (issuerRegexp !== undefined ? { regex: issuerRegexp } : undefined);
  if (san === undefined && iss === undefined) return undefined;
  if (san === undefined || iss === undefined) throw new UsageError(`${what}: an identity needs both the subject and the OIDC issuer`);
  return { subjectAlternativeName: san, issuer: iss };
}

function parseAnnotations(list: string[]): Record<string, string> | undefined {
  if (list.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const kv of list) {
    const i = kv.indexOf('=');
    if (i <= 0) throw new UsageError(`-a expects KEY=VALUE, got ${JSON.stringify(kv)}`);
    out[kv.slice(0, i)] = kv.slice(i + 1);
  }
  return out;
}

/** Reads layout files under `dir`, never more than `max + 1` bytes of one. */
export function layoutDirReader(dir: string): LayoutFileReader {
  const root = resolve(dir);
  return async (rel, max) => {
    const p = join(root, rel);
    let fd: number;
    try {
      fd = openSync(p, 'r');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
    try {
      const size = fstatSync(fd).size;
      const n = Math.min(size, max + 1);
      const buf = new Uint8Array(n);
      let off = 0;
      while (off < n) {
        const got = readSync(fd, buf, off, n - off, off);
        if (got === 0) break;
        off += got;
      }
      return buf.subarray(0, off);
    } finally {
      closeSync(fd);
    }
  };
}

// ------------------------------------------------------------ Docker config

interface DockerConfig {
  auths?: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string; registrytoken?: string }>;
  credHelpers?: Record<string, string>;
  credsStore?: string;
}

/** The host a Docker config key names (`https://index.docker.io/v1/` → `docker.io`). */
function configKeyHost(key: string): string {
  let host = key.replace(/^[a-z]+:\/\//i, '').replace(/\/.*$/, '').toLowerCase();
  if (host === 'index.docker.io' || host === 'registry-1.docker.io') host = DOCKER_HUB;
  return host;
}

function runCredentialHelper(helper: string, registry: string): RegistryCredentials | undefined {
  if (!/^[A-Za-z0-9._-]+$/.test(helper)) return undefined;
  const server = registry === DOCKER_HUB ? 'https://index.docker.io/v1/' : registry;
  const r = spawnSync(`docker-credential-${helper}`, ['get'], { input: server, encoding: 'utf8', timeout: 30_000 });
  if (r.status !== 0 || !r.stdout) return undefined;
  try {
    const o = JSON.parse(r.stdout) as { Username?: unknown; Secret?: unknown };
    if (typeof o.Secret !== 'string' || !o.Secret) return undefined;
    if (o.Username === '<token>') return { identityToken: o.Secret };
    return typeof o.Username === 'string' ? { username: o.Username, password: o.Secret } : undefined;
  } catch {
    return undefined;
  }
}

/** Credentials for `registry` from the Docker config file, as `docker login` stored them. */
export function dockerConfigCredentials(registry: string, env: NodeJS.ProcessEnv = process.env): RegistryCredentials | undefined {
  const dir = env.DOCKER_CONFIG ?? join(homedir(), '.docker');
  const file = join(dir, 'config.json');
  if (!existsSync(file)) return undefined;
  let cfg: DockerConfig;
  try {
    cfg = JSON.parse(readFileSync(file, 'utf8')) as DockerConfig;
  } catch {
    return undefined;
  }
  for (const [k, helper] of Object.entries(cfg.credHelpers ?? {})) {
    if (configKeyHost(k) === registry) return runCredentialHelper(helper, registry);
  }
  for (const [k, v] of Object.entries(cfg.auths ?? {})) {
    if (configKeyHost(k) !== registry || v === null || typeof v !== 'object') continue;
    if (typeof v.identitytoken === 'string' && v.identitytoken) return { identityToken: v.identitytoken };
    if (typeof v.registrytoken === 'string' && v.registrytoken) return { registryToken: v.registrytoken };
    if (typeof v.auth === 'string' && v.auth) {
      const text = Buffer.from(v.auth, 'base64').toString('utf8');
      const i = text.indexOf(':');
      if (i > 0) return { username: text.slice(0, i), password: text.slice(i + 1) };
    }
    if (typeof v.username === 'string' && typeof v.password === 'string') return { username: v.username, password: v.password };
  }
  if (cfg.credsStore) return runCredentialHelper(cfg.credsStore, registry);
  return undefined;
}

// ------------------------------------------------------------ report

function evidenceLines(e: ImageEvidence, s: Style): string[] {
  const lines: string[] = [];
  const mark = e.verified ? (e.kind === 'attestation' && !e.counted ? s.yellow('~') : s.green('✓')) : s.red('✗');
  lines.push(`  ${mark} ${e.format}  ${e.origin.location}  (layer ${e.origin.layer})`);
  const r = e.result;
  if (r) {
    if (r.signer.type === 'certificate') {
      lines.push(`      signer      ${r.signer.subjectAlternativeName}`);
      lines.push(`      issuer      ${r.signer.issuer ?? '(none)'}`);
    } else {
      lines.push('      signer      managed key');
    }
    for (const t of r.verifiedTimes) lines.push(`      time        ${t.time} (${t.source}, ${t.authority})`);
  }
  if (e.predicateType !== undefined) lines.push(`      predicate   ${e.predicateType}${e.kind === 'attestation' && !e.counted ? ' (not a required type)' : ''}`);
  if (e.payload) lines.push(`      payload     ${e.payload.type}, ${e.payload.manifestDigest}, docker-reference ${e.payload.dockerReference}`);
  for (const c of e.checks) lines.push(`      ${s.green('ok')}  ${c.name.padEnd(26)} ${s.dim(c.detail)}`);
  for (const c of e.skipped) lines.push(`      ${s.yellow('--')}  ${c.name.padEnd(26)} ${s.yellow('skipped:')} ${s.dim(c.detail)}`);
  if (e.error) {
    const err = e.error;
    lines.push(`      ${s.red('FAILED')} ${err.code}${err.check ? ` [${err.check}]` : ''}: ${err.message}`);
    if (err.expected !== undefined) lines.push(`        expected ${err.expected}`);
    if (err.actual !== undefined) lines.push(`        actual   ${err.actual}`);
  }
  return lines;
}

/** The human-readable report (`style` colors the verdict and marks). */
export function imageReport(r: ImageVerification, s: Style = PLAIN_STYLE): string {
  const lines: string[] = [];
  lines.push(r.verified ? `${s.bold(s.green('Verified'))} ${r.image.pinned}` : `${s.bold(s.red('NOT verified'))}: ${r.image.pinned}`);
  lines.push(`  reference   ${r.reference.canonical}${r.image.resolvedFrom === 'tag' ? ' (tag resolved at verification time)' : ''}`);
  lines.push(`  digest      ${r.image.digest} (${r.image.mediaType})`);
  if (r.image.index) lines.push(`  platform    ${r.image.index.platform} of index ${r.image.index.digest}`);
  if (r.image.platforms) lines.push(`  platforms   index of ${r.image.platforms.join(', ') || '(none listed)'}; the index itself was verified`);
  lines.push(`  source      ${r.source.kind} ${r.source.description}`);
  for (const c of r.checks) lines.push(`  ${s.green('ok')}  ${c.name.padEnd(16)} ${s.dim(c.detail)}`);
  const sigOk = r.signatures.filter((s) => s.verified).length;
  lines.push(`Signatures: ${sigOk} of ${r.signatures.length} verified`);
  for (const e of r.signatures) lines.push(...evidenceLines(e, s));
  if (r.attestations.length > 0) {
    lines.push(`Attestations: ${r.attestations.filter((a) => a.verified).length} of ${r.attestations.length} verified`);
    for (const e of r.attestations) lines.push(...evidenceLines(e, s));
  }
  if (r.ignored.length > 0) {
    lines.push('Set aside:');
    for (const i of r.ignored) lines.push(`  - ${i.location}: ${i.reason}`);
  }
  lines.push('Looked in:');
  for (const l of r.looked) lines.push(`  - ${l}`);
  if (r.notes.length > 0) {
    lines.push('Notes:');
    for (const n of r.notes) lines.push(`  - ${n}`);
  }
  if (r.error) {
    const e = r.error;
    lines.push(`${s.red('Result')}: ${e.code}${e.check ? ` [${e.check}]` : ''}: ${e.message}`);
    if (e.expected !== undefined) lines.push(`  expected ${e.expected}`);
    if (e.actual !== undefined) lines.push(`  actual   ${e.actual}`);
  } else {
    lines.push('The following checks were performed on each verified signature: the layer matched its digest; the signature verified');
    lines.push('against the payload; the certificate chained to the trusted root and matched the identity unless skipped above');
    lines.push('(or the key was the given one);');
    lines.push('the transparency-log entry and its signed timestamp verified; the signed payload or statement names this image digest.');
  }
  return lines.join('\n');
}

// ------------------------------------------------------------ policy

/**
 * A sigvet policy (JSON), or a policy-controller ClusterImagePolicy (YAML,
 * imported with its diagnostics on stderr), compiled. The policy modules are
 * loaded only here.
 */
async function loadPolicies(text: string, path: string): Promise<CompiledPolicy[]> {
  const { compilePolicy } = await import('../policy.js');
  let docs: unknown[];
  if (/^\s*[{[]/.test(text)) {
    try {
      const v = JSON.parse(text) as unknown;
      docs = Array.isArray(v) ? v : [v];
    } catch (e) {
      throw new UsageError(`${path}: not valid JSON: ${(e as Error).message}`);
    }
  } else {
    const { importClusterImagePolicy } = await import('../policy-import.js');
    const imported = importClusterImagePolicy(text);
    for (const d of imported.diagnostics) process.stderr.write(`sigvet: ${path}: ${d.severity} ${d.code} ${d.path}: ${d.message}\n`);
    docs = [...imported.policies];
    if (docs.length === 0) throw new UsageError(`${path}: no policy could be imported`);
  }
  return docs.map((d, i) => {
    const c = compilePolicy(d);
    if (!c.ok) {
      const why = c.problems.filter((p) => p.severity === 'error').slice(0, 5).map((p) => `${p.path || '/'}: ${p.message}`).join('; ');
      throw new UsageError(`${path}: policy ${i + 1} is invalid: ${why}`);
    }
    return c.policy;
  });
}

// ------------------------------------------------------------ command

/** Runs `verify-image`; resolves to the exit code. */
export async function runVerifyImage(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${VERIFY_IMAGE_HELP}\n`);
    return ExitCode.OK;
  }
  let args: Args;
  let options: Omit<VerifyImageOptions, 'verifier' | 'source'>;
  let trustedRoot: string | undefined;
  let policies: readonly CompiledPolicy[] = [];
  try {
    args = parseArgs(argv);
    const identity = identityOf(args.identity, args.identityRegexp, args.issuer, args.issuerRegexp, 'signature');
    if (identity && args.key !== undefined) throw new UsageError('--key excludes the identity options');
    const key = args.key === undefined ? undefined : readText(args.key, 'key');
    const attIdentity = identityOf(args.attIdentity, undefined, args.attIssuer, undefined, 'attestation');
    const attKey = args.attKey === undefined ? undefined : readText(args.attKey, 'attestation key');
    if (attIdentity && attKey) throw new UsageError('--attestation-key excludes the attestation identity options');
    const wantAtt = args.attestations || args.types.length > 0 || attIdentity !== undefined || attKey !== undefined;
    if (args.noSignatures && !wantAtt) throw new UsageError('--no-signatures needs --attestations');
    const withPolicy = args.policy !== undefined;
    if (!withPolicy && !args.noSignatures && !identity && key === undefined) throw new UsageError('an identity and an OIDC issuer (or --key) are required');
    if (!withPolicy && wantAtt && !identity && key === undefined && !attIdentity && attKey === undefined) {
      throw new UsageError('attestations need an identity or key (--attestation-identity/--attestation-key or the signature ones)');
    }
    options = {
      reference: args.image!,
      ...(identity ? { identity } : {}),
      ...(key !== undefined ? { key } : {}),
      // With a policy, its authorities decide who may sign; without expected
      // signers on the command line, the identity check is the policy's.
      ...(withPolicy && !identity && key === undefined ? { unsafeSkipIdentity: true } : {}),
      signatures: !args.noSignatures,
      ...(wantAtt || withPolicy
        ? {
            attestations: {
              ...(args.types.length > 0 ? { predicateTypes: args.types } : {}),
              ...(attIdentity ? { identity: attIdentity } : {}),
              ...(attKey !== undefined ? { key: attKey } : {}),
            },
          }
        : {}),
      ...(args.platform !== undefined ? { platform: args.platform } : {}),
      requireDigest: args.requireDigest,
      ...(args.signatureRepository !== undefined ? { signatureRepository: args.signatureRepository } : {}),
      ...(parseAnnotations(args.annotations) ? { annotations: parseAnnotations(args.annotations)! } : {}),
    };
    try {
      parseImageReference(args.image!);
    } catch (e) {
      if (isSigvetError(e)) throw new UsageError(e.message);
      throw e;
    }
    trustedRoot = args.trustedRoot === undefined ? undefined : readText(args.trustedRoot, 'trusted root');
    if (withPolicy) policies = await loadPolicies(readText(args.policy!, 'policy'), args.policy!);
    if (args.layout !== undefined && !existsSync(join(args.layout, 'oci-layout'))) {
      throw new UsageError(`${args.layout} is not an OCI image layout (no oci-layout file)`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`sigvet: ${e.message}\n${helpHint('verify-image')}\n`);
      return ExitCode.USAGE;
    }
    throw e;
  }
  const out = styleFor(process.stdout, args.json);
  const err = styleFor(process.stderr);
  let verifier: Verifier;
  try {
    verifier = await createVerifier(trustedRoot === undefined ? {} : { trustedRoot });
  } catch (e) {
    if (!isSigvetError(e)) throw e;
    process.stderr.write(`sigvet: the trusted root is invalid: ${e.code}${e.check ? ` [${e.check}]` : ''}: ${e.message}\n`);
    return ExitCode.USAGE;
  }
  try {
    let source: ImageSource;
    if (args.layout !== undefined) {
      source = await openOciLayout(layoutDirReader(args.layout), { description: args.layout });
    } else {
      const registry = parseImageReference(args.image!).registry;
      source = createRegistryClient({
        plainHttp: args.allowHttp ? [registry] : false,
        credentials: (r) => dockerConfigCredentials(r),
      });
    }
    const report = await checkImage({ ...options, verifier, source });
    if (policies.length > 0) {
      const { evaluate, keyIdFromPem, formatVerdict } = await import('../policy.js');
      const keyId = options.key === undefined || typeof options.key !== 'string' ? undefined : keyIdFromPem(options.key);
      const evidence = imagePolicyEvidence(report, keyId === undefined ? {} : { keyId });
      const verdicts = policies.map((p) => evaluate(p, evidence, { now: Date.now() }));
      const allowed = verdicts.every((v) => v.decision === 'allow');
      if (args.json) {
        process.stdout.write(jsonText('verify-image', { verified: allowed, report, verdicts }));
      } else {
        process.stdout.write(`${imageReport(report, out)}\n`);
        for (const v of verdicts) process.stdout.write(`${formatVerdict(v).replace(/^(ALLOW|DENY)\b/, (w) => (w === 'ALLOW' ? out.green(w) : out.red(w)))}\n`);
      }
      return allowed ? ExitCode.OK : ExitCode.FAILED;
    }
    if (args.json) {
      process.stdout.write(jsonText('verify-image', { verified: report.verified, report }));
    } else {
      process.stdout.write(`${imageReport(report, out)}\n`);
    }
    return report.verified ? ExitCode.OK : ExitCode.FAILED;
  } catch (e) {
    if (isSigvetError(e)) {
      if (args.json) {
        process.stdout.write(jsonText('verify-image', { verified: false, error: (e as SigvetError).toJSON() }));
      } else {
        process.stderr.write(`sigvet: ${err.red('verification failed')}: ${e.code}${e.check ? ` [${e.check}]` : ''}: ${e.message}\n`);
        if (e.expected !== undefined) process.stderr.write(`${err.dim(`  expected ${e.expected}`)}\n`);
        if (e.actual !== undefined) process.stderr.write(`${err.dim(`  actual   ${e.actual}`)}\n`);
      }
      return ExitCode.FAILED;
    }
    throw e;
  }
}
