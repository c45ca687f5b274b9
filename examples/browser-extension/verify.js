// Verifies a file the user picks (e.g. from the downloads folder) against a
// bundle they pick, for the signer from the options (editable here).
import { describe, loadSettings, verifyArtifact } from './common.js';

const $ = (id) => document.getElementById(id);
let settings;

function show(state, title, lines) {
  const box = $('result');
  box.dataset.state = state;
  const h = document.createElement('h2');
  h.textContent = title;
  const list = document.createElement('ul');
  for (const line of lines) {
    const li = document.createElement('li');
    li.textContent = line;
    list.append(li);
  }
  box.replaceChildren(h, list);
}

$('form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const artifactFile = $('artifact-file').files?.[0];
  const bundleFile = $('bundle-file').files?.[0];
  if (!artifactFile || !bundleFile) {
    show('input-error', 'Pick the file and its bundle.', []);
    return;
  }
  const here = { ...settings, san: $('san').value.trim(), issuer: $('issuer').value.trim() };
  show('working', 'Verifying…', []);
  const outcome = await verifyArtifact({
    bundle: new Uint8Array(await bundleFile.arrayBuffer()),
    artifact: new Uint8Array(await artifactFile.arrayBuffer()),
    settings: here,
  });
  $('result').dataset.code = outcome.code ?? '';
  if (outcome.status === 'verified') {
    show('verified', `✓ ${artifactFile.name} is verified`, [
      `Signed by ${outcome.san} (${outcome.issuer})`,
      ...(outcome.sourceRepository ? [`Source repository: ${outcome.sourceRepository}`] : []),
      ...outcome.logIndexes.map((l) => `Transparency log: ${l}`),
      ...outcome.times.map((t) => `Verified time: ${t}`),
      `Checks passed: ${outcome.checks.join(', ')}`,
    ]);
  } else {
    show(outcome.status, outcome.status === 'failed' ? `✗ ${artifactFile.name} is not verified: ${outcome.code}` : describe(outcome), [describe(outcome)]);
  }
});

(async () => {
  settings = await loadSettings();
  $('san').value = settings.san;
  $('issuer').value = settings.issuer;
  document.body.dataset.ready = 'true';
})();
