// Failure codes, as the site imports them: the data lives beside the machine (machines/failures.ts),
// a leaf that imports nothing, so the machine, the tag contract and the port can all use it.
export { describeFailure, FAILURE_ADVICE, FAILURE_CODES, isFailureCode } from '../machines/failures.js';
export type { Failure, FailureCode, FailurePhase } from '../machines/failures.js';
