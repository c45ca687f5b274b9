// sigvet/policy for the page (the policy engine). In the repository it
// forwards to the browser build; to publish the page, copy
// dist/browser/policy.js over this file.
export * from '../../dist/browser/policy.js';
