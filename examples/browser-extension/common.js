// Shared by the service worker and the extension's pages: settings, and one
// verification reported as plain data (it is stored and shown later).
import * as sigvet from './vendor/sigvet.js';

/** What the user sets in Options. */
export const DEFAULT_SETTINGS = Object.freeze({
  /** Expected certificate identity (SAN) and OIDC issuer. */
  san: '',
  issuer: '',
  /** Match both as whole-string regular expressions. */
  regex: false,
  /** Check finished downloads that have a sidecar bundle. */
  autoCheck: true,
  /** A trusted root (JSON text); empty means the public-good root built into sigvet. */
  trustedRoot: '',
  trustedRootName: '',
});

/** How many download results are kept. */
export const MAX_RESULTS = 20;

export async function loadSettings() {
  const { settings } = await chrome.storage.local.get('settings');
  return { ...DEFAULT_SETTINGS, ...(settings ?? {}) };
}

export async function saveSettings(settings) {
  await chrome.storage.local.set({ settings: { ...DEFAULT_SETTINGS, ...settings } });
}

/** The identity to require, or undefined when none is set. */
export function expectedIdentity(settings) {
  if (!settings.san || !settings.issuer) return undefined;
  return settings.regex
    ? { subjectAlternativeName: { regex: settings.san }, issuer: { regex: settings.issuer } }
    : { subjectAlternativeName: settings.san, issuer: settings.issuer };
}

/** `sha256:<hex>` of some bytes, with WebCrypto. */
export async function sha256Digest(bytes) {
  const d = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return `sha256:${Array.from(d, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/**
 * Verifies a bundle for an artifact (bytes or digest) against the settings.
 * Never throws: resolves to { status: 'verified' | 'failed' | 'needs-identity', ... }.
 */
export async function verifyArtifact({ bundle, artifact, artifactDigest, settings }) {
  const identity = expectedIdentity(settings);
  if (!identity) return { status: 'needs-identity', message: 'Set the expected signer in the options first.' };
  try {
    const verifier = await sigvet.createVerifier(settings.trustedRoot ? { trustedRoot: settings.trustedRoot } : {});
    const input = artifact ? { artifact, identity } : { artifactDigest, identity };
    const result = await verifier.verify(bundle, input);
    const signer = result.signer.type === 'certificate' ? result.signer : undefined;
    return {
      status: 'verified',
      san: signer?.subjectAlternativeName,
      issuer: signer?.issuer,
      sourceRepository: signer?.extensions.sourceRepositoryUri,
      logIndexes: result.tlogEntries.map((e) => `${e.baseUrl} #${e.logIndex}`),
      times: result.verifiedTimes.map((t) => t.time),
      checks: result.checks.map((c) => c.name),
    };
  } catch (err) {
    return {
      status: 'failed',
      code: typeof err?.code === 'string' ? err.code : 'INTERNAL',
      check: typeof err?.check === 'string' ? err.check : undefined,
      message: String(err?.message ?? err),
    };
  }
}

/** The crypto provider the extension verifies with (WebCrypto). */
export const PROVIDER = sigvet.webCryptoProvider?.name ?? 'webcrypto';

/** Adds or replaces the result for one download, newest first. */
export async function recordResult(entry) {
  const { results = [] } = await chrome.storage.local.get('results');
  const next = [entry, ...results.filter((r) => r.downloadId !== entry.downloadId)].slice(0, MAX_RESULTS);
  await chrome.storage.local.set({ results: next });
  return next;
}

/** The file name of a download path (either separator). */
export function baseName(p) {
  return String(p).split(/[\\/]/).pop() || String(p);
}

/** The last path segment of a URL, decoded: the file name the server gave. */
export function urlFileName(url) {
  try {
    const segment = new URL(url).pathname.split('/').pop() ?? '';
    return decodeURIComponent(segment) || url;
  } catch {
    return String(url);
  }
}

/** A short line for a result, shared by the popup and the badge title. */
export function describe(r) {
  switch (r.status) {
    case 'verified':
      return `Verified: signed by ${r.san} (${r.issuer})`;
    case 'failed':
      return `Not verified: ${r.code}${r.check ? ` (${r.check})` : ''}: ${r.message}`;
    case 'unsigned':
      return 'No Sigstore bundle found next to this download.';
    case 'needs-identity':
      return 'Bundle found; set the expected signer in the options to check it.';
    case 'checking':
      return 'Checking…';
    default:
      return r.message ?? r.status;
  }
}
