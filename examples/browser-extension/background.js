// The service worker: when a download finishes, looks for its Sigstore
// bundle next to it (`<url>.sigstore.json`, then `<url>.sigstore`) and, if
// there is one, verifies the file against it for the signer set in the
// options. The result goes to storage (the popup lists it) and the badge.
//
// The file's bytes are fetched again from the download URL: this verifies
// what that URL serves. To check the very file on disk, use "Verify a
// file…" in the popup and pick it.
import { baseName, describe, loadSettings, recordResult, sha256Digest, urlFileName, verifyArtifact } from './common.js';

const SIDECAR_SUFFIXES = ['.sigstore.json', '.sigstore'];
/** Bundles are small; anything larger is not one. */
const MAX_BUNDLE_BYTES = 16 * 1024 * 1024;

async function fetchSidecar(url) {
  for (const suffix of SIDECAR_SUFFIXES) {
    const res = await fetch(url + suffix, { credentials: 'omit', cache: 'no-store', redirect: 'follow' });
    if (!res.ok) continue;
    const bytes = new Uint8Array(await res.arrayBuffer());
    if (bytes.length > MAX_BUNDLE_BYTES) throw new Error(`${url + suffix} is too large to be a bundle`);
    return { url: url + suffix, bytes };
  }
  return undefined;
}

async function setBadge(status) {
  const badge = { verified: ['✓', '#1f7a3a'], failed: ['✗', '#b42318'], 'needs-identity': ['?', '#8a5a00'] }[status];
  await chrome.action.setBadgeText({ text: badge ? badge[0] : '' });
  if (badge) await chrome.action.setBadgeBackgroundColor({ color: badge[1] });
}

/** Checks one finished download; records and returns the result. */
export async function checkDownload(item) {
  const url = item.finalUrl || item.url;
  const base = {
    downloadId: item.id,
    name: baseName(item.filename || url),
    // The name the server gave the file (the saved name may differ).
    urlName: urlFileName(url),
    url,
    checkedAt: new Date().toISOString(),
  };
  if (!/^https?:\/\//.test(url)) {
    const entry = { ...base, status: 'unsigned', message: 'Only downloads over http(s) can be checked automatically.' };
    await recordResult(entry);
    return entry;
  }
  await recordResult({ ...base, status: 'checking' });
  let entry;
  try {
    const sidecar = await fetchSidecar(url);
    if (!sidecar) {
      entry = { ...base, status: 'unsigned' };
    } else {
      const res = await fetch(url, { credentials: 'omit', cache: 'no-store' });
      if (!res.ok) throw new Error(`fetching ${url} again: HTTP ${res.status}`);
      const artifactDigest = await sha256Digest(await res.arrayBuffer());
      const settings = await loadSettings();
      const outcome = await verifyArtifact({ bundle: sidecar.bytes, artifactDigest, settings });
      entry = { ...base, bundleUrl: sidecar.url, artifactDigest, ...outcome };
    }
  } catch (err) {
    entry = { ...base, status: 'error', message: String(err?.message ?? err) };
  }
  await recordResult(entry);
  await setBadge(entry.status);
  await chrome.action.setTitle({ title: `sigvet: ${entry.urlName}: ${describe(entry)}` });
  return entry;
}

chrome.downloads.onChanged.addListener((delta) => {
  if (delta.state?.current !== 'complete') return;
  (async () => {
    const [item] = await chrome.downloads.search({ id: delta.id });
    if (!item) return;
    // The bundle itself is a download too; it is not an artifact.
    if (SIDECAR_SUFFIXES.some((s) => item.filename.toLowerCase().endsWith(s))) return;
    const settings = await loadSettings();
    if (!settings.autoCheck) return;
    await checkDownload(item);
  })().catch((err) => console.error('sigvet: checking a download failed', err));
});

chrome.runtime.onMessage.addListener((message, _sender, sendResponse) => {
  if (message?.type !== 'recheck') return false;
  chrome.downloads
    .search({ id: message.downloadId })
    .then(([item]) => (item ? checkDownload(item) : { status: 'error', message: 'download not found' }))
    .then(sendResponse, (err) => sendResponse({ status: 'error', message: String(err) }));
  return true;
});
