// Options: the expected signer, auto-checking, and an optional trusted root.
import * as sigvet from './vendor/sigvet.js';
import { loadSettings, saveSettings } from './common.js';

const $ = (id) => document.getElementById(id);
let root = { text: '', name: '' };

function showRoot() {
  $('root-current').textContent = root.text ? `Using ${root.name}.` : 'Using the built-in public-good root.';
}

async function load() {
  const s = await loadSettings();
  $('san').value = s.san;
  $('issuer').value = s.issuer;
  $('regex').checked = s.regex;
  $('auto-check').checked = s.autoCheck;
  root = { text: s.trustedRoot, name: s.trustedRootName };
  showRoot();
  document.body.dataset.ready = 'true';
}

$('root-file').addEventListener('change', async (e) => {
  const file = e.target.files?.[0];
  if (!file) return;
  const text = await file.text();
  try {
    // Refuse a file that is not a usable trusted root before storing it.
    await sigvet.createVerifier({ trustedRoot: text });
    root = { text, name: file.name };
    $('status').textContent = '';
  } catch (err) {
    $('status').textContent = `Not a usable trusted root: ${err.message}`;
    e.target.value = '';
  }
  showRoot();
});

$('root-clear').addEventListener('click', () => {
  root = { text: '', name: '' };
  $('root-file').value = '';
  showRoot();
});

$('form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const san = $('san').value.trim();
  const issuer = $('issuer').value.trim();
  if (Boolean(san) !== Boolean(issuer)) {
    $('status').textContent = 'Give both the identity and the issuer (or neither).';
    return;
  }
  await saveSettings({ san, issuer, regex: $('regex').checked, autoCheck: $('auto-check').checked, trustedRoot: root.text, trustedRootName: root.name });
  $('status').textContent = 'Saved.';
});

load();
