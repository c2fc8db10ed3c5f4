/**
 * iadvize-activation: the controller, the machine, failure codes. Browser-safe: no Node built-ins, no jose.
 * @module iadvize-activation
 */
export { ACTIVATION_EVENT_NAMES, createActivation } from './activation/create-activation.js';
export { fetchTokenFrom } from './activation/fetch-token.js';
export type { FetchTokenFromOptions } from './activation/fetch-token.js';
export type {
  Activation,
  ActivationEventName,
  ActivationEventOf,
  PublicEmitted,
  TabsSignedOut,
} from './activation/create-activation.js';
export type { TabSignOutCause } from './activation/tabs.js';
export type { ActivationOptions, Clock, FetchToken, FetchTokenRequest } from './activation/options.js';
export {
  ACTIVATION_ERROR_CODES,
  ActivationConflictError,
  ActivationOptionsError,
  ActivationUsageError,
  TokenRefusedError,
  TokenUnavailableError,
} from './errors.js';
export type { ActivationErrorCode, ActivationOptionName } from './errors.js';
export { statusOf, viewOf } from './activation/view.js';
export type { ActivationState, ActivationStatus } from './activation/view.js';
export { activationMachine, DEFAULT_POLICY, DEFAULT_TIMEOUTS, DEFAULT_TOKEN_TTL_MS } from '../machines/activation.js';
export type {
  ActivationContext,
  ActivationEmitted,
  ActivationEvent,
  ActivationInput,
  ActivationMachine,
  ActivationPolicy,
  ActivationTimeouts,
  ActivateTagInput,
  FetchedToken,
  FetchTokenInput,
  OnTokenFailure,
  TagSession,
  TokenPurpose,
  TokenRefusal,
  Visitor,
  WhenSignedOut,
} from '../machines/activation.js';
export { describeFailure, FAILURE_ADVICE, FAILURE_CODES, isFailureCode } from '../machines/failures.js';
export type { Failure, FailureCode, FailurePhase } from '../machines/failures.js';
export { FAILURES } from './failure-descriptions.js';
export type { FailureDescription } from './failure-descriptions.js';
export type { ActivateRequest, ActivationMode, TagOutcome, TagPort, TokenProvider } from './tag/port.js';
