// Every error the controller, the tag adapter and the bindings throw or reject with, in one module
// (the offline inspector's argument checks throw plain RangeError/Error): each carries a stable
// `code` from ACTIVATION_ERROR_CODES, so a site switches on `error.code` instead of importing
// classes to test with instanceof. Messages are for people and may change; codes do not. Reported
// failures (the snapshot's `failure`) are data with their own codes, machines/failures.ts; the
// token service's errors (server side) are src/token/errors.ts. Table: docs/errors.md.
// Near a leaf: it imports only types, from the machine's vocabulary.
import type { ActivationPolicy, ActivationTimeouts, TokenRefusal } from '../machines/activation.types.js';

/**
 * The codes of the browser-side errors:
 * - `invalid-options`: createActivation was given a bad option (ActivationOptionsError, `option` names it);
 * - `controller-conflict`: start() while another started controller drives the same page's tag
 *   (ActivationConflictError);
 * - `not-started`: signIn(), signOut() or reset() before start() (ActivationUsageError);
 * - `invalid-identity`: signIn(identity) with an identity that is not a non-empty string (ActivationUsageError);
 * - `token-refused`: the provider handed to the tag gives no token now (TokenRefusedError, `because` says why);
 * - `token-unavailable`: the site's fetchToken gave no usable token (TokenUnavailableError), reported
 *   as the failure code of the same name.
 */
export const ACTIVATION_ERROR_CODES = [
  'invalid-options',
  'controller-conflict',
  'not-started',
  'invalid-identity',
  'token-refused',
  'token-unavailable',
] as const;

export type ActivationErrorCode = (typeof ACTIVATION_ERROR_CODES)[number];

/** The option an ActivationOptionsError names (`options` for the options object itself). */
export type ActivationOptionName =
  | 'options'
  | 'tag'
  | 'fetchToken'
  | 'policy'
  | `policy.${keyof ActivationPolicy}`
  | 'tokenTtlMs'
  | 'timeouts'
  | `timeouts.${keyof ActivationTimeouts}`
  | 'inspect'
  | 'clock'
  | 'tabs';

/** Thrown by createActivation for a bad option; `option` names it. */
export class ActivationOptionsError extends TypeError {
  override readonly name = 'ActivationOptionsError';
  readonly code = 'invalid-options';
  constructor(
    readonly option: ActivationOptionName,
    message: string,
  ) {
    super(`createActivation: ${message}`);
  }
}

/** Thrown by start() when another started controller already drives the same page's tag. */
export class ActivationConflictError extends Error {
  override readonly name = 'ActivationConflictError';
  readonly code = 'controller-conflict';
  constructor() {
    super(
      'createActivation: another controller already drives the iAdvize tag on this page; create one controller per page load (stop() the other first).',
    );
  }
}

/** Thrown by a controller's methods called out of turn or with a bad argument. */
export class ActivationUsageError extends TypeError {
  override readonly name = 'ActivationUsageError';
  constructor(
    readonly code: 'not-started' | 'invalid-identity',
    message: string,
  ) {
    super(message);
  }
}

/** The provider's rejection: no token may be handed out now. */
export class TokenRefusedError extends Error {
  override readonly name = 'TokenRefusedError';
  readonly code = 'token-refused';
  constructor(readonly because: TokenRefusal | 'stopped') {
    super(`no token handed out: ${because}`);
  }
}

/** The site's token source gave no usable token; reported as `token-unavailable`. */
export class TokenUnavailableError extends Error {
  override readonly name = 'TokenUnavailableError';
  readonly code = 'token-unavailable';
}
