// The page loads sigvet from this one file. In the repository it forwards to
// the browser build (run `npm run build` first); to publish the page, copy
// dist/browser/sigvet.js (self-contained, no dependencies) over this file.
export * from '../../dist/browser/sigvet.js';
