/**
 * The in-toto test-result predicate v0.1: the outcome of one test run and
 * the configuration it used.
 * @module
 */
import type { ResourceDescriptor } from '../intoto/resource-descriptor.js';

/** The predicate of `https://in-toto.io/attestation/test-result/v0.1`. */
export interface TestResultV01 {
  readonly result: 'PASSED' | 'WARNED' | 'FAILED';
  readonly configuration: readonly ResourceDescriptor[];
  /** Link to the test run. */
  readonly url?: string;
  readonly passedTests?: readonly string[];
  readonly warnedTests?: readonly string[];
  readonly failedTests?: readonly string[];
}
