/**
 * Starts Debian's `docker-registry` (the CNCF distribution registry) on
 * 127.0.0.1 with a temporary storage directory and config, for tests that
 * need a real registry; stops it and removes the directory afterwards.
 *
 * The binary is $SIGVET_DOCKER_REGISTRY when set (a path that does not exist
 * means none), else /usr/bin/docker-registry, else `docker-registry` or
 * `registry` on PATH. Install: `apt-get install -y docker-registry`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/** The install line CI needs. */
export const REGISTRY_INSTALL_HINT = 'apt-get install -y docker-registry';

/** The registry binary, or undefined when none is installed. */
export function findRegistryBinary(): string | undefined {
  // An explicit path wins, and a missing one means "no registry" (no fallback).
  const env = process.env.SIGVET_DOCKER_REGISTRY;
  if (env) return existsSync(env) ? env : undefined;
  if (existsSync('/usr/bin/docker-registry')) return '/usr/bin/docker-registry';
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    for (const name of ['docker-registry', 'registry']) {
      const p = join(dir, name);
      if (dir && existsSync(p)) return p;
    }
  }
  return undefined;
}

/** A running registry. */
export interface RunningRegistry {
  /** `127.0.0.1:<port>`: the registry name in image references. */
  readonly host: string;
  /** The storage root (blobs under docker/registry/v2/blobs/sha256/<xx>/<hex>/data). */
  readonly storage: string;
  /** Path of a stored blob's data file. */
  blobPath(digest: string): string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** Token-auth settings for the registry config (see docs of distribution's `auth.token`). */
export interface TokenAuthConfig {
  readonly realm: string;
  readonly service: string;
  readonly issuer: string;
  /** PEM of the certificate(s) that sign tokens. */
  readonly rootCertPem: string;
}

/** Starts a registry; resolves once it answers on /v2/. */
export async function startRegistry(binary: string, options: { tokenAuth?: TokenAuthConfig } = {}): Promise<RunningRegistry> {
  const dir = mkdtempSync(join(tmpdir(), 'sigvet-registry-'));
  const storage = join(dir, 'storage');
  mkdirSync(storage);
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const lines = [
    'version: 0.1',
    'log:',
    '  level: error',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${storage}`,
    '  delete:',
    '    enabled: true',
    '  redirect:',
    '    disable: true',
    'http:',
    `  addr: ${host}`,
    '  secret: sigvet-test-secret',
  ];
  if (options.tokenAuth) {
    const pem = join(dir, 'token-root.pem');
    writeFileSync(pem, options.tokenAuth.rootCertPem);
    lines.push(
      'auth:',
      '  token:',
      `    realm: ${options.tokenAuth.realm}`,
      `    service: ${options.tokenAuth.service}`,
      `    issuer: ${options.tokenAuth.issuer}`,
      `    rootcertbundle: ${pem}`,
    );
  }
  const config = join(dir, 'config.yml');
  writeFileSync(config, `${lines.join('\n')}\n`);
  const child: ChildProcess = spawn(binary, ['serve', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    if (stderr.length < 16_384) stderr += d.toString();
  });
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  const stop = async (): Promise<void> => {
    if (!exited && child.pid !== undefined) {
      const done = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      await Promise.race([done, new Promise((r) => setTimeout(r, 5000))]);
      if (!exited) child.kill('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (exited) {
      await stop();
      throw new Error(`docker-registry exited at start:\n${stderr}`);
    }
    try {
      const res = await fetch(`http://${host}/v2/`);
      await res.body?.cancel();
      if (res.status === 200 || res.status === 401) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`docker-registry did not answer on ${host} within 20 s:\n${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    host,
    storage,
    blobPath: (digest) => {
      const hex = digest.slice('sha256:'.length);
      return join(storage, 'docker/registry/v2/blobs/sha256', hex.slice(0, 2), hex, 'data');
    },
    stop,
  };
}
