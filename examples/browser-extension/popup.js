// The toolbar popup: the signer being checked for, and the latest results.
import { describe, loadSettings } from './common.js';

const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) if (v !== undefined) node.setAttribute(k, String(v));
  for (const c of children) if (c !== undefined && c !== null) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}

const MARKS = { verified: '✓', failed: '✗', unsigned: '–', 'needs-identity': '?', checking: '…', error: '!' };

async function render() {
  const settings = await loadSettings();
  $('signer').textContent = settings.san && settings.issuer
    ? `Expected signer: ${settings.san} (${settings.issuer})${settings.regex ? ', as regular expressions' : ''}`
    : 'No expected signer set: open Options.';
  const { results = [] } = await chrome.storage.local.get('results');
  $('empty').hidden = results.length > 0;
  $('results').replaceChildren(
    ...results.map((r) =>
      el(
        'li',
        { class: `result ${r.status}`, 'data-status': r.status, 'data-name': r.urlName, 'data-code': r.code },
        el('span', { class: 'mark' }, MARKS[r.status] ?? '?'),
        el('strong', {}, r.urlName),
        r.name !== r.urlName ? el('span', { class: 'muted' }, ` saved as ${r.name}`) : null,
        el('div', { class: 'detail muted' }, `from ${r.url}`),
        el('div', { class: 'detail' }, describe(r)),
        r.status === 'verified' && r.logIndexes?.length ? el('div', { class: 'detail muted' }, `Logged: ${r.logIndexes.join(', ')}`) : null,
      ),
    ),
  );
  document.body.dataset.ready = 'true';
}

$('open-verify').addEventListener('click', () => chrome.tabs.create({ url: chrome.runtime.getURL('verify.html') }));
$('open-options').addEventListener('click', () => chrome.runtime.openOptionsPage());
chrome.storage.onChanged.addListener(() => render());
render();
