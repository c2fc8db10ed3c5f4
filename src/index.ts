// iadvize-activation: the controller, the machine, failure codes. Browser-safe: no Node built-ins, no jose.
export { describeFailure, FAILURE_CODES, FAILURES, isFailureCode } from './failures.js';
export type { Failure, FailureCode, FailureDescription, FailurePhase } from './failures.js';
export type { ActivateRequest, ActivationMode, TagOutcome, TagPort, TokenProvider } from './tag/port.js';
