/**
 * Registry authentication: credentials the caller supplies, and the
 * `WWW-Authenticate` challenges (RFC 7235) of the distribution token flow.
 * @module
 */
import { SigvetError } from '../errors.js';

/** Credentials for one registry. */
export type RegistryCredentials =
  /** Username and password (or a personal access token as the password), sent with Basic auth to the token service. */
  | { readonly username: string; readonly password: string }
  /** An OAuth2 refresh token (Docker's `identitytoken`), exchanged at the token service. */
  | { readonly identityToken: string }
  /** A ready bearer token, sent to the registry as-is. */
  | { readonly registryToken: string };

/**
 * Supplies credentials for a registry (the name as in image references,
 * e.g. `docker.io`, `ghcr.io`, `localhost:5000`), or `undefined` for anonymous access.
 */
export type CredentialProvider = (registry: string) => RegistryCredentials | undefined | Promise<RegistryCredentials | undefined>;

/** One authentication challenge. */
export interface AuthChallenge {
  /** Lower-cased scheme: `bearer`, `basic`. */
  readonly scheme: string;
  readonly params: Readonly<Record<string, string>>;
}

const TOKEN = /[!#$%&'*+.^_`|~0-9A-Za-z-]/;

/**
 * Parses a `WWW-Authenticate` value, which may hold several challenges
 * (`Basic realm="x", Bearer realm="y",service="z"`). Malformed input gives
 * the challenges read before the error (at worst none), never an exception.
 */
export function parseAuthChallenges(header: string | null | undefined): AuthChallenge[] {
  const out: AuthChallenge[] = [];
  if (typeof header !== 'string' || header.length > 16 * 1024) return out;
  const s = header;
  let i = 0;
  const ws = (): void => {
    while (i < s.length && (s[i] === ' ' || s[i] === '\t')) i++;
  };
  const token = (): string => {
    const start = i;
    while (i < s.length && TOKEN.test(s[i]!)) i++;
    return s.slice(start, i);
  };
  while (i < s.length && out.length < 16) {
    ws();
    while (s[i] === ',') {
      i++;
      ws();
    }
    const scheme = token();
    if (!scheme) break;
    const params: Record<string, string> = Object.create(null);
    out.push({ scheme: scheme.toLowerCase(), params });
    // auth-params: name=value pairs separated by commas, until a token not followed by '='.
    for (let n = 0; n < 64; n++) {
      ws();
      const save = i;
      const name = token();
      ws();
      if (!name || s[i] !== '=') {
        i = save;
        break;
      }
      i++;
      ws();
      let value = '';
      if (s[i] === '"') {
        i++;
        while (i < s.length && s[i] !== '"') {
          if (s[i] === '\\' && i + 1 < s.length) i++;
          value += s[i];
          i++;
        }
        if (s[i] !== '"') return out;
        i++;
      } else {
        value = token();
      }
      params[name.toLowerCase()] = value;
      ws();
      if (s[i] === ',') i++;
    }
  }
  return out;
}

/** Checks the shape of caller-supplied credentials. */
export function checkCredentials(c: unknown, registry: string): RegistryCredentials {
  const bad = (): never => {
    throw new SigvetError('INVALID_ARGUMENT', `credentials for ${registry} must be {username, password}, {identityToken} or {registryToken}`, {
      check: 'options.credentials',
    });
  };
  if (c === null || typeof c !== 'object') return bad();
  const o = c as Record<string, unknown>;
  if (typeof o.username === 'string' && typeof o.password === 'string') return { username: o.username, password: o.password };
  if (typeof o.identityToken === 'string' && o.identityToken) return { identityToken: o.identityToken };
  if (typeof o.registryToken === 'string' && o.registryToken) return { registryToken: o.registryToken };
  return bad();
}
