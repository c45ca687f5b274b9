// The verification page: reads the chosen files in the browser and verifies
// with sigvet's browser build. No network access is used (or allowed: see
// the Content-Security-Policy in index.html).
import * as sigvet from './sigvet.js';
import * as attestations from './sigvet-attestations.js';
import * as policyEngine from './sigvet-policy.js';
import { renderFailure, renderInputProblem, renderResult, renderWorking } from './render.js';

const $ = (id) => document.getElementById(id);

/** The files chosen so far: { name, bytes } per slot. */
const chosen = { bundle: undefined, artifact: undefined, key: undefined, root: undefined, policy: undefined };

/** Slot → its file input and its "chosen" line. */
const SLOTS = {
  bundle: { input: 'bundle-file', label: 'bundle-chosen' },
  artifact: { input: 'artifact-file', label: 'artifact-chosen' },
  key: { input: 'key-file', label: 'key-chosen' },
  root: { input: 'root-file', label: 'root-chosen' },
  policy: { input: 'policy-file', label: 'policy-chosen' },
};

/** Files larger than this are refused before reading (sigvet has its own, lower limits for bundles). */
const MAX_FILE_BYTES = 2 * 1024 * 1024 * 1024;

function formatSize(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} kB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

async function take(slot, file) {
  if (file.size > MAX_FILE_BYTES) throw new Error(`${file.name} is too large (${formatSize(file.size)})`);
  chosen[slot] = { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) };
  $(SLOTS[slot].label).textContent = `${file.name}, ${formatSize(file.size)}`;
  if (slot === 'artifact') $('artifact-digest').value = '';
}

const decoder = new TextDecoder();

/** Guesses what a dropped file is from its name and, for JSON, its mediaType. */
function classify(name, bytes) {
  const lower = name.toLowerCase();
  if (/\.(pem|pub|key)$/.test(lower)) return 'key';
  if (/\.ya?ml$/.test(lower)) return 'policy';
  if (lower.endsWith('.sigstore.json') || lower.endsWith('.sigstore')) return 'bundle';
  if (lower.endsWith('.json') && bytes.length < 16 * 1024 * 1024) {
    try {
      const doc = JSON.parse(decoder.decode(bytes));
      const mediaType = String(doc?.mediaType ?? '');
      if (mediaType.includes('sigstore.bundle')) return 'bundle';
      if (mediaType.includes('sigstore.trustedroot')) return 'root';
      if (typeof doc?.apiVersion === 'string' && doc.apiVersion.startsWith('policy.')) return 'policy';
    } catch {
      // Not JSON after all: treat it as the artifact.
    }
  }
  return 'artifact';
}

async function onDrop(event) {
  event.preventDefault();
  $('dropzone').classList.remove('over');
  for (const file of event.dataTransfer?.files ?? []) {
    const head = new Uint8Array(await file.slice(0, 16 * 1024 * 1024).arrayBuffer());
    await take(classify(file.name, head), file);
  }
}

/** Reads the form into verify() input, or returns a message saying what is missing. */
function readForm() {
  if (!chosen.bundle) return { problem: 'choose a bundle.' };
  const input = {};
  const digest = $('artifact-digest').value.trim();
  let artifactLabel;
  if (digest) {
    if (!/^sha256:[0-9a-fA-F]{64}$/.test(digest)) return { problem: 'the digest must be sha256: followed by 64 hex digits.' };
    input.artifactDigest = digest.toLowerCase();
    artifactLabel = `digest ${input.artifactDigest}`;
  } else if (chosen.artifact) {
    input.artifact = chosen.artifact.bytes;
    artifactLabel = `${chosen.artifact.name} (${formatSize(chosen.artifact.bytes.length)})`;
  } else {
    return { problem: 'choose the artifact, or paste its sha256: digest.' };
  }

  const san = $('identity-san').value.trim();
  const issuer = $('identity-issuer').value.trim();
  const asRegex = $('identity-regex').checked;
  let signerLabel;
  let identityChecked = true;
  if (chosen.key) {
    input.key = decoder.decode(chosen.key.bytes);
    signerLabel = `public key ${chosen.key.name}`;
  } else if (san && issuer) {
    input.identity = asRegex ? { subjectAlternativeName: { regex: san }, issuer: { regex: issuer } } : { subjectAlternativeName: san, issuer };
    signerLabel = `${san} from ${issuer}${asRegex ? ' (regular expressions)' : ''}`;
  } else if ($('skip-identity').checked) {
    input.unsafeSkipIdentity = true;
    identityChecked = false;
    signerLabel = 'not checked';
  } else {
    return { problem: 'give the expected identity and issuer (or a public key), or tick "do not check the signer".' };
  }
  return {
    input,
    ctx: {
      identityChecked,
      bundleName: chosen.bundle.name,
      artifactLabel,
      signerLabel,
      rootLabel: chosen.root ? chosen.root.name : 'Sigstore public-good (built into sigvet)',
      policyLabel: chosen.policy ? chosen.policy.name : 'none',
    },
  };
}

/** `sha256` hex of the artifact the user gave (bytes or pasted digest), for the policy's subject checks. */
async function artifactSha256(input) {
  if (input.artifactDigest) return input.artifactDigest.slice('sha256:'.length);
  const d = new Uint8Array(await crypto.subtle.digest('SHA-256', input.artifact));
  return Array.from(d, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Evaluates the chosen policy (sigvet policy, JSON) over the verified result
 * with sigvet's policy engine. A policy that cannot be read is reported as
 * such and never counts as allowing.
 */
async function policyOutcome(result, input) {
  if (!chosen.policy) return undefined;
  let doc;
  try {
    doc = JSON.parse(decoder.decode(chosen.policy.bytes));
  } catch (err) {
    return { state: 'not-evaluated', message: `The policy ${chosen.policy.name} is not JSON (${err.message}); it was not evaluated. Convert YAML policies to JSON first.` };
  }
  const verdict = policyEngine.evaluate(doc, { artifacts: [{ digest: { sha256: await artifactSha256(input) } }], results: [result] }, { now: new Date() });
  return { state: verdict.decision, verdict };
}

/** The predicate summary of a verified attestation, when the statement is one sigvet models. */
function predicateSummary(result) {
  if (result.content.type !== 'dsseEnvelope' || !result.content.statement) return undefined;
  try {
    return attestations.summarizeAttestation(attestations.readAttestation(result));
  } catch (err) {
    return { problem: `The predicate does not match its schema: ${err.message}` };
  }
}

async function verify(event) {
  event.preventDefault();
  const container = $('result');
  const { input, ctx, problem } = readForm();
  if (problem) {
    renderInputProblem(container, problem);
    return;
  }
  renderWorking(container);
  try {
    const verifier = await sigvet.createVerifier(chosen.root ? { trustedRoot: chosen.root.bytes } : {});
    const result = await verifier.verify(chosen.bundle.bytes, input);
    renderResult(container, result, { ...ctx, summary: predicateSummary(result), policy: await policyOutcome(result, input) });
  } catch (error) {
    renderFailure(container, error, ctx);
  }
}

function reset() {
  for (const slot of Object.keys(chosen)) {
    chosen[slot] = undefined;
    $(SLOTS[slot].label).textContent = '';
  }
  const container = $('result');
  container.dataset.state = 'idle';
  container.replaceChildren(Object.assign(document.createElement('p'), { className: 'placeholder', textContent: 'Choose a bundle, the artifact (or its digest) and the expected signer, then press Verify.' }));
}

for (const [slot, { input }] of Object.entries(SLOTS)) {
  $(input).addEventListener('change', async (event) => {
    const file = event.target.files?.[0];
    if (file) await take(slot, file);
  });
}
$('artifact-digest').addEventListener('input', () => {
  if ($('artifact-digest').value.trim()) {
    chosen.artifact = undefined;
    $('artifact-chosen').textContent = '';
    $('artifact-file').value = '';
  }
});
const zone = $('dropzone');
zone.addEventListener('dragover', (e) => {
  e.preventDefault();
  zone.classList.add('over');
});
zone.addEventListener('dragleave', () => zone.classList.remove('over'));
zone.addEventListener('drop', (e) => {
  onDrop(e).catch((err) => renderInputProblem($('result'), String(err.message ?? err)));
});
$('form').addEventListener('submit', (e) => {
  verify(e).catch((err) => renderFailure($('result'), err, {}));
});
$('form').addEventListener('reset', reset);
$('provider').textContent = sigvet.webCryptoProvider?.name ?? 'webcrypto';
document.body.dataset.ready = 'true';
