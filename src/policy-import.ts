/**
 * `sigvet/policy-import`: importers for foreign policies, kept apart from
 * `sigvet/policy` so that the core never loads a YAML parser.
 *
 * - {@link importClusterImagePolicy}: sigstore policy-controller
 *   `ClusterImagePolicy` (v1alpha1, v1beta1).
 * - {@link importKyverno}: Kyverno `ClusterPolicy`/`Policy` `verifyImages` rules.
 *
 * Both return the policies plus diagnostics (with YAML paths) for what did
 * not map or mapped with foreign semantics kept visible.
 * @module
 */
export { importClusterImagePolicy, CIP_API_VERSIONS } from './policy/import/cluster-image-policy.js';
export { importKyverno, KYVERNO_API_VERSIONS, splitPems } from './policy/import/kyverno.js';
export type { ImportDiagnostic, ImportResult } from './policy/import/diagnostics.js';
export { readYamlDocuments } from './policy/import/yaml-documents.js';
export type { YamlDocument } from './policy/import/yaml-documents.js';
