// sigvet/attestations for the page (statement and predicate models, the
// predicate summary). In the repository it forwards to the browser build; to
// publish the page, copy dist/browser/attestations.js over this file.
export * from '../../dist/browser/attestations.js';
