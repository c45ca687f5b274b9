// Turns a verification result (or failure) into DOM. Everything shown comes
// from files the user chose, which may be hostile: text is only ever set
// with textContent, never parsed as HTML.

/** Creates an element with attributes and children (strings become text nodes). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') node.className = value;
    else if (name.startsWith('data-')) node.setAttribute(name, String(value));
    else node.setAttribute(name, String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** A two-column table of label → value rows; rows with no value are left out. */
function facts(rows, attrs = {}) {
  const body = rows
    .filter(([, value]) => value !== undefined && value !== null && value !== '')
    .map(([label, value, rowAttrs = {}]) => el('tr', rowAttrs, el('th', { scope: 'row' }, label), el('td', {}, value)));
  return el('table', { class: 'facts', ...attrs }, el('tbody', {}, body));
}

function section(id, title, ...content) {
  return el('section', { id, class: 'panel' }, el('h2', {}, title), ...content);
}

const yesNo = (b) => (b ? 'yes' : 'no');

/** Fulcio extension names as the certificate profile spells them, for display. */
const EXTENSION_LABELS = {
  issuerV1: 'OIDC issuer (v1, .1)',
  githubWorkflowTrigger: 'GitHub workflow trigger (.2)',
  githubWorkflowSha: 'GitHub workflow SHA (.3)',
  githubWorkflowName: 'GitHub workflow name (.4)',
  githubWorkflowRepository: 'GitHub workflow repository (.5)',
  githubWorkflowRef: 'GitHub workflow ref (.6)',
  issuer: 'OIDC issuer (.8)',
  buildSignerUri: 'Build signer URI (.9)',
  buildSignerDigest: 'Build signer digest (.10)',
  runnerEnvironment: 'Runner environment (.11)',
  sourceRepositoryUri: 'Source repository URI (.12)',
  sourceRepositoryDigest: 'Source repository digest (.13)',
  sourceRepositoryRef: 'Source repository ref (.14)',
  sourceRepositoryIdentifier: 'Source repository identifier (.15)',
  sourceRepositoryOwnerUri: 'Source repository owner URI (.16)',
  sourceRepositoryOwnerIdentifier: 'Source repository owner identifier (.17)',
  buildConfigUri: 'Build config URI (.18)',
  buildConfigDigest: 'Build config digest (.19)',
  buildTrigger: 'Build trigger (.20)',
  runInvocationUri: 'Run invocation URI (.21)',
  sourceRepositoryVisibilityAtSigning: 'Source repository visibility (.22)',
  deploymentEnvironment: 'Deployment environment (.23)',
};

function signerSection(signer, identityChecked) {
  if (signer.type === 'publicKey') {
    return section('signer', 'Signer', facts([['Signed with', 'a managed public key (the one you gave)'], ['Key hint in the bundle', signer.hint || '(none)']]));
  }
  const c = signer.certificate;
  const extRows = Object.entries(signer.extensions).map(([name, value]) => [EXTENSION_LABELS[name] ?? name, value, { 'data-extension': name }]);
  const byOid = Object.entries(signer.extensionsByOid);
  return section(
    'signer',
    'Signer',
    identityChecked ? null : el('p', { class: 'warn' }, 'The identity was not checked against an expected value: anyone can obtain a certificate. Decide whether you trust this signer.'),
    facts([
      ['Identity', signer.subjectAlternativeName, { 'data-field': 'san' }],
      ['Identity type', signer.subjectAlternativeNameType],
      ['OIDC issuer', signer.issuer ?? '(none)', { 'data-field': 'issuer' }],
      ['Certificate serial', c.serialNumber],
      ['Valid', `${c.notBefore} → ${c.notAfter}`],
      ['Issued by (trusted CA)', c.certificateAuthority],
      ['Certificate transparency', signer.scts.map((s) => `${s.log} at ${s.time}`).join('; ') || '(no SCT)'],
    ]),
    el('h3', {}, 'Fulcio certificate extensions'),
    extRows.length ? facts(extRows, { id: 'extensions' }) : el('p', { id: 'extensions' }, 'None.'),
    byOid.length ? el('details', {}, el('summary', {}, `All ${byOid.length} Fulcio extensions by OID`), facts(byOid)) : null,
  );
}

function tlogSection(entries) {
  if (entries.length === 0) return section('tlog', 'Transparency log', el('p', {}, 'No log entry was needed or verified.'));
  const blocks = entries.map((e, i) =>
    el(
      'div',
      { class: 'entry', 'data-log-index': e.logIndex },
      el('h3', {}, `Entry ${i + 1}: ${e.kind} ${e.version} at index ${e.logIndex}`),
      facts([
        ['Log', e.baseUrl],
        ['Log ID', e.logId],
        ['Integrated time', e.integratedTime ?? '(not signed by the log)'],
        ['Signed entry timestamp', e.setVerified ? '✔ verified' : 'not present'],
        ['Inclusion proof', e.inclusionProofVerified ? '✔ verified' : 'not present'],
        ['Checkpoint', e.checkpoint ? `${e.checkpoint.origin}, tree size ${e.checkpoint.treeSize}, root ${e.checkpoint.rootHash}` : undefined],
      ]),
    ),
  );
  return section('tlog', `Transparency log entries (${entries.length})`, blocks);
}

function timesSection(times) {
  const items = times.map((t) => el('li', { 'data-source': t.source }, `${t.time} `, el('span', { class: 'muted' }, `(${t.source === 'tlog' ? 'transparency log' : 'RFC 3161 timestamp'}: ${t.authority})`)));
  return section('times', 'Verified times', items.length ? el('ul', {}, items) : el('p', {}, 'None.'));
}

/** A few facts of a predicate when no richer summary is available. */
function predicateFacts(statement) {
  const p = statement.predicate;
  if (p === null || typeof p !== 'object' || Array.isArray(p)) return [];
  const rows = [];
  const builder = p.runDetails?.builder?.id ?? p.builder?.id;
  if (typeof builder === 'string') rows.push(['Builder', builder]);
  const buildType = p.buildDefinition?.buildType ?? p.buildType;
  if (typeof buildType === 'string') rows.push(['Build type', buildType]);
  const keys = Object.keys(p);
  rows.push(['Predicate fields', keys.slice(0, 12).join(', ') + (keys.length > 12 ? `, … (${keys.length})` : '')]);
  return rows;
}

function contentSection(content, summary) {
  if (content.type === 'messageSignature') {
    const d = content.artifactDigest;
    return section('content', 'Signed content', facts([['Kind', 'message signature over the artifact'], ['Artifact digest', d ? `${d.algorithm}:${d.hex}` : '(from the signature)']]));
  }
  const st = content.statement;
  const rows = [
    ['Kind', 'DSSE envelope'],
    ['Payload type', content.payloadType],
  ];
  if (st) {
    rows.push(['Statement type', st._type], ['Predicate type', st.predicateType, { 'data-field': 'predicate-type' }], ['Matched subject', content.matchedSubject ?? '(not bound to an artifact)']);
  }
  const subjects = st
    ? el(
        'ul',
        { id: 'subjects' },
        st.subject.slice(0, 50).map((s) => el('li', {}, `${s.name || '(no name)'} `, el('span', { class: 'muted mono' }, Object.entries(s.digest).map(([alg, hex]) => `${alg}:${hex}`).join(' ')))),
        st.subject.length > 50 ? el('li', {}, `… and ${st.subject.length - 50} more`) : null,
      )
    : null;
  const summaryRows = summary?.facts ? [['Predicate kind', summary.kind], ...summary.facts.map((f) => [f.label, f.value])] : st ? predicateFacts(st) : [];
  return section(
    'content',
    'Signed content',
    facts(rows),
    st ? el('h3', {}, `Subjects (${st.subject.length})`) : null,
    subjects,
    summaryRows.length ? el('h3', {}, 'Predicate summary') : null,
    summaryRows.length ? facts(summaryRows, { id: 'predicate-summary' }) : null,
    summary?.problem ? el('p', { class: 'warn', id: 'predicate-problem' }, summary.problem) : null,
  );
}

function checksSection(checks, skipped, failed) {
  const items = [
    ...checks.map((c) => el('li', { class: 'check pass', 'data-check': c.name }, el('span', { class: 'mark', 'aria-label': 'passed' }, '✔'), el('code', {}, c.name), ' ', c.detail)),
    ...skipped.map((c) => el('li', { class: 'check skip', 'data-check': c.name }, el('span', { class: 'mark', 'aria-label': 'skipped' }, '⚠'), el('code', {}, c.name), ' skipped: ', c.detail)),
  ];
  if (failed) items.push(el('li', { class: 'check fail', 'data-check': failed.check ?? '' }, el('span', { class: 'mark', 'aria-label': 'failed' }, '✘'), el('code', {}, failed.check ?? failed.code), ' ', failed.message));
  return section('checks', 'Checks', el('ol', { class: 'checks' }, items));
}

const STATUS_MARKS = { pass: '✔', fail: '✘', indeterminate: '?', 'not-applicable': '–' };

/** One node of the policy verdict tree, with its children. */
function ruleNode(r) {
  const label = [el('span', { class: 'mark' }, STATUS_MARKS[r.status] ?? '?'), el('code', {}, r.rule), ' ', r.message];
  if (r.status !== 'pass' && r.reason) label.push(' ', el('span', { class: 'muted' }, `(${r.reason}${r.at ? ` at ${r.at}` : ''})`));
  return el('li', { class: `rule ${r.status}`, 'data-status': r.status, 'data-rule': r.rule }, ...label, r.children?.length ? el('ul', {}, r.children.map(ruleNode)) : null);
}

function policySection(policy) {
  if (!policy) return null;
  if (policy.state === 'not-evaluated') return section('policy', 'Policy', el('p', { class: 'warn' }, policy.message));
  const v = policy.verdict;
  return section(
    'policy',
    `Policy: ${v.policy}`,
    el('p', { id: 'policy-decision', 'data-decision': v.decision, class: v.decision === 'allow' ? 'decision allow' : 'decision deny' }, `${v.decision === 'allow' ? '✔ Allowed' : '✘ Denied'} (${v.status}, mode ${v.mode}${v.enforced ? '' : ', not enforced'}) at ${v.evaluatedAt}`),
    el('ul', { class: 'rules', id: 'policy-tree' }, ruleNode(v.result)),
    v.warnings.length ? el('div', {}, el('h3', {}, 'Warnings (did not deny)'), el('ul', {}, v.warnings.map(ruleNode))) : null,
  );
}

/** What the user asked for, echoed back so a screenshot is self-explanatory. */
function inputsSection(ctx) {
  return el(
    'details',
    { class: 'inputs' },
    el('summary', {}, 'What was verified'),
    facts([
      ['Bundle', ctx.bundleName],
      ['Artifact', ctx.artifactLabel],
      ['Expected signer', ctx.signerLabel],
      ['Trusted root', ctx.rootLabel],
      ['Policy', ctx.policyLabel],
    ]),
  );
}

/** Replaces the container's content with the given sections (absent ones skipped). */
function show(container, ...sections) {
  container.replaceChildren(...sections.filter((x) => x !== undefined && x !== null));
}

/** Shows "verifying…". */
export function renderWorking(container) {
  container.dataset.state = 'working';
  container.replaceChildren(el('p', { class: 'placeholder' }, 'Verifying…'));
}

/** Shows a problem with the inputs (nothing was verified). */
export function renderInputProblem(container, message) {
  container.dataset.state = 'input-error';
  container.replaceChildren(el('div', { id: 'verdict', class: 'verdict input-error', role: 'alert' }, el('strong', {}, 'Cannot verify yet: '), message));
}

/** Shows a successful verification. */
export function renderResult(container, result, ctx) {
  container.dataset.state = 'verified';
  const caveats = [];
  if (!ctx.identityChecked) caveats.push('signer not checked');
  if (result.skipped.length) caveats.push(`${result.skipped.length} check(s) skipped`);
  if (ctx.policy?.state === 'not-evaluated') caveats.push('policy not evaluated');
  const denied = ctx.policy?.state === 'deny';
  if (denied) {
    container.dataset.state = 'denied';
  }
  const policyName = ctx.policy?.verdict?.policy;
  const headline = denied
    ? `Signature verified, but denied by policy ${policyName}`
    : `Verified${ctx.policy?.state === 'allow' ? ` and allowed by policy ${policyName}` : ''}${caveats.length ? `, with caveats: ${caveats.join(', ')}` : ''}`;
  const who =
    result.signer.type === 'certificate'
      ? `Signed by ${result.signer.subjectAlternativeName} (${result.signer.issuer ?? 'no issuer'})`
      : 'Signed with the managed key you gave';
  show(
    container,
    el(
      'div',
      { id: 'verdict', class: `verdict ${denied ? 'fail' : caveats.length ? 'caveat' : 'pass'}`, 'data-verdict': denied ? 'denied' : 'verified', role: 'status' },
      el('strong', {}, `${denied ? '✘' : '✔'} ${headline}`), el('p', {}, who), el('p', { class: 'muted' }, `Bundle ${result.bundle.version} (${result.bundle.mediaType})`)),
    inputsSection(ctx),
    policySection(ctx.policy),
    signerSection(result.signer, ctx.identityChecked),
    tlogSection(result.tlogEntries),
    timesSection(result.verifiedTimes),
    contentSection(result.content, ctx.summary),
    checksSection(result.checks, result.skipped, undefined),
  );
}

/** Shows a failed verification: the code, the check, and why. */
export function renderFailure(container, error, ctx) {
  container.dataset.state = 'failed';
  const isSigvet = error && typeof error.code === 'string';
  const failed = {
    code: isSigvet ? error.code : 'INTERNAL',
    check: isSigvet ? error.check : undefined,
    message: String(error && error.message ? error.message : error),
  };
  const rows = [
    ['Error code', failed.code, { 'data-field': 'code' }],
    ['Failed check', failed.check ?? '(not named)', { 'data-field': 'check' }],
    ['Expected', isSigvet ? error.expected : undefined],
    ['Found', isSigvet ? error.actual : undefined],
  ];
  const inner = isSigvet && Array.isArray(error.errors) ? error.errors : [];
  show(
    container,
    el(
      'div',
      { id: 'verdict', class: 'verdict fail', 'data-verdict': 'failed', 'data-code': failed.code, role: 'alert' },
      el('strong', {}, `✘ Not verified: ${failed.code}`),
      el('p', {}, failed.message),
    ),
    inputsSection(ctx),
    section('failure', 'Why', facts(rows), inner.length ? el('ul', {}, inner.map((e) => el('li', {}, `${e.code} ${e.check ?? ''}: ${e.message}`))) : null),
    checksSection([], [], failed),
  );
}
