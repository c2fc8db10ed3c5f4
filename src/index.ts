/**
 * iadvize-activation: the controller, the machine, failure codes. Browser-safe: no Node built-ins, no jose.
 * @module iadvize-activation
 */
export { ActivationConflictError, createActivation } from './activation/create-activation.js';
export { fetchTokenFrom } from './activation/fetch-token.js';
export type { FetchTokenFromOptions } from './activation/fetch-token.js';
export { TokenUnavailableError } from './activation/token-unavailable.js';
export type { Activation, ActivationEventName, ActivationEventOf, PublicEmitted, TabsSignedOut } from './activation/create-activation.js';
export type { TabSignOutCause } from './activation/tabs.js';
export { ActivationOptionsError } from './activation/options.js';
export type { ActivationOptionName, ActivationOptions, Clock, FetchToken, FetchTokenRequest } from './activation/options.js';
export { TokenRefusedError } from './activation/token-bridge.js';
export { statusOf, viewOf } from './activation/view.js';
export type { ActivationState, ActivationStatus } from './activation/view.js';
export {
  activationMachine,
  DEFAULT_POLICY,
  DEFAULT_TIMEOUTS,
  DEFAULT_TOKEN_TTL_MS,
} from '../machines/activation.js';
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
export { describeFailure, FAILURE_ADVICE, FAILURE_CODES, isFailureCode } from './failures.js';
export type { Failure, FailureCode, FailurePhase } from './failures.js';
export { FAILURES } from './failure-descriptions.js';
export type { FailureDescription } from './failure-descriptions.js';
export type { ActivateRequest, ActivationMode, TagOutcome, TagPort, TokenProvider } from './tag/port.js';
