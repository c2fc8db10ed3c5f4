// The codes of the testing kit's errors, a leaf: the classes stay beside the checks that throw
// them (trace/invariants.ts, model/model-driver.ts). Tabled with the others in docs/errors.md.

/**
 * - `invariant-violated`: a trace breaks one of the design's invariants (InvariantError, `violations` lists them);
 * - `model-path-failed`: a generated path did not play as the model predicted (ModelPathError).
 */
export const TESTING_ERROR_CODES = ['invariant-violated', 'model-path-failed'] as const;

export type TestingErrorCode = (typeof TESTING_ERROR_CODES)[number];
