/**
 * A minimal token service for the distribution registry's `auth.token`
 * mode: Basic-authenticated GET /token?service=…&scope=… answering an ES256
 * JWT whose `x5c` is a self-signed certificate the registry trusts
 * (`rootcertbundle`). Anonymous or wrong credentials get 401.
 */
import crypto from 'node:crypto';
import { createServer, type Server } from 'node:http';

function len(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const b: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) b.unshift(v & 0xff);
  return Buffer.from([0x80 | b.length, ...b]);
}
const tlv = (tag: number, ...parts: Buffer[]): Buffer => {
  const c = Buffer.concat(parts);
  return Buffer.concat([Buffer.from([tag]), len(c.length), c]);
};
const seq = (...p: Buffer[]): Buffer => tlv(0x30, ...p);
function oid(s: string): Buffer {
  const n = s.split('.').map(Number);
  const out = [40 * n[0]! + n[1]!];
  for (const v of n.slice(2)) {
    const b = [v & 0x7f];
    for (let x = Math.floor(v / 128); x > 0; x = Math.floor(x / 128)) b.unshift(0x80 | (x & 0x7f));
    out.push(...b);
  }
  return tlv(0x06, Buffer.from(out));
}
const utcTime = (d: Date): Buffer => tlv(0x17, Buffer.from(d.toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z'));
const b64url = (b: Buffer | string): string => Buffer.from(b).toString('base64url');

/** A running token service. */
export interface TokenServer {
  readonly realm: string;
  readonly service: string;
  readonly issuer: string;
  readonly rootCertPem: string;
  /** Number of token requests answered with a token. */
  issued: number;
  /** A token for `scope`, as the registry expects (for the test's own pushes). */
  token(scope: string): string;
  close(): Promise<void>;
}

/** Starts the token service on 127.0.0.1 accepting `username`/`password`. */
export async function startTokenServer(username: string, password: string): Promise<TokenServer> {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const name = seq(tlv(0x31, seq(oid('2.5.4.3'), tlv(0x0c, Buffer.from('sigvet test token issuer')))));
  const now = Date.now();
  const tbs = seq(
    tlv(0x02, Buffer.from([0x01])),
    seq(oid('1.2.840.10045.4.3.2')),
    name,
    seq(utcTime(new Date(now - 3600_000)), utcTime(new Date(now + 3600_000))),
    name,
    spki,
  );
  const certSig = crypto.sign('sha256', tbs, privateKey);
  const cert = seq(tbs, seq(oid('1.2.840.10045.4.3.2')), tlv(0x03, Buffer.from([0]), certSig));
  const rootCertPem = `-----BEGIN CERTIFICATE-----\n${cert.toString('base64').match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;
  const service = 'sigvet-test-registry';
  const issuer = 'sigvet-test-token-issuer';

  const token = (scopes: string[]): string => {
    const header = { typ: 'JWT', alg: 'ES256', x5c: [cert.toString('base64')] };
    const t = Math.floor(Date.now() / 1000);
    const access = scopes
      .map((s) => /^repository:([^:]+):(.+)$/.exec(s))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => ({ type: 'repository', name: m[1]!, actions: m[2]!.split(',') }));
    const claims = { iss: issuer, sub: username, aud: service, exp: t + 300, nbf: t - 10, iat: t, jti: crypto.randomUUID(), access };
    const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
    const sig = crypto.sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' });
    return `${input}.${b64url(sig)}`;
  };

  const expected = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  const state = { issued: 0 };
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== '/token' || req.headers.authorization !== expected || url.searchParams.get('service') !== service) {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end('{"errors":[{"code":"UNAUTHORIZED"}]}');
      return;
    }
    state.issued++;
    const t = token(url.searchParams.getAll('scope'));
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ token: t, access_token: t, expires_in: 300 }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    realm: `http://127.0.0.1:${port}/token`,
    service,
    issuer,
    rootCertPem,
    get issued() {
      return state.issued;
    },
    set issued(v: number) {
      state.issued = v;
    },
    token: (scope) => token([scope]),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
