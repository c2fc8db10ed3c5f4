// Failure codes are data: one documented union, each with when it happens, what the visitor
// sees and what to do. docs/failures.md is generated from this table and the contract module.

export const FAILURE_CODES = [
  'token-unavailable',
  'token-timeout',
  'tag-unavailable',
  'activation-timeout',
  'tag-error',
  'invalid-option',
  'activation-ongoing',
  'already-activated',
  'server-error',
  'credentials-rejected',
  'malformed-token',
  'invalid-key',
  'logout-failed',
  'unknown',
] as const;

/** Every failure the library reports carries one of these codes. */
export type FailureCode = (typeof FAILURE_CODES)[number];

/** Where in the flow a failure happened. */
export type FailurePhase =
  | 'token' // first token fetch, before activate
  | 'tag-load' // waiting for the tag script
  | 'activation' // the secured activate call
  | 'anonymous-activation' // an anonymous activate call (policy or fallback)
  | 'refresh' // a token fetch asked by the tag while active
  | 'logout'; // the tag's logout

/** A reported failure: the code, the tag's raw reason when there is one, and advice. */
export interface Failure {
  readonly code: FailureCode;
  /** The raw text the tag (or token source) gave, kept verbatim for unknown reasons; never a token. */
  readonly reason?: string;
  readonly advice: string;
  readonly phase: FailurePhase;
}

export interface FailureDescription {
  /** When the library reports this code. */
  readonly when: string;
  /** What the visitor sees on the page. */
  readonly visitorSees: string;
  /** What the site's developers should do. */
  readonly advice: string;
}

export const FAILURES: { readonly [C in FailureCode]: FailureDescription } = {
  'token-unavailable': {
    when: "fetchToken rejected or returned no usable token (the site's backend could not mint one)",
    visitorSees: 'no chat (default policy) or an anonymous chat if the anonymous fallback was chosen',
    advice: 'Check the token endpoint: the visitor must be signed in on the site and the backend must be able to sign and encrypt a token (keys loaded, issuer configured).',
  },
  'token-timeout': {
    when: 'fetchToken did not settle within timeouts.tokenFetchMs',
    visitorSees: 'no chat (default policy) or an anonymous chat if the anonymous fallback was chosen',
    advice: 'The token endpoint is too slow or unreachable; check its latency, or raise timeouts.tokenFetchMs.',
  },
  'tag-unavailable': {
    when: 'the iAdvize tag script never loaded (blocked by an ad blocker, a CSP or the network) within the load timeout',
    visitorSees: 'no chat',
    advice: 'Make sure the tag script can load: allow the iAdvize domain in the Content-Security-Policy, check the sid and platform; ad blockers cannot be fixed from the site.',
  },
  'activation-timeout': {
    when: 'iAdvize.activate did not settle within timeouts.activationMs',
    visitorSees: 'no chat',
    advice: 'The tag never answered activate; check the browser console and network for iAdvize errors, or raise timeouts.activationMs.',
  },
  'tag-error': {
    when: 'iAdvize.activate threw or rejected instead of returning a result',
    visitorSees: 'no chat',
    advice: 'The tag failed unexpectedly; check the browser console. Make sure no other code calls iAdvize.activate on this page.',
  },
  'invalid-option': {
    when: 'the tag answered "A valid authentication option must be provided"',
    visitorSees: 'no chat',
    advice: "The provider must return { authenticationOption: { type: 'SECURED_AUTHENTICATION', token } } with a non-empty token.",
  },
  'activation-ongoing': {
    when: 'the tag answered that an activation (or login) is already ongoing',
    visitorSees: 'no chat until the first activation settles',
    advice: 'Another activate call is in flight on this page; let one controller own the tag and await its result.',
  },
  'already-activated': {
    when: `the tag answered "Can't activate twice, please logout first"`,
    visitorSees: 'the previous identity stays active',
    advice: 'Something else activated the tag on this page; call logout before activating another identity and use a single controller.',
  },
  'server-error': {
    when: 'the tag answered "Failed to fetch authentication with a server error" after its own retries',
    visitorSees: 'no chat',
    advice: "iAdvize could not authenticate the token: check that iAdvize has the customer public key, that the token is encrypted with iAdvize's public key and that authenticated mode is enabled for the site; otherwise contact iAdvize.",
  },
  'credentials-rejected': {
    when: 'the tag answered "Failed to authenticate visitor from credentials : ..."',
    visitorSees: 'no chat',
    advice: "iAdvize rejected the visitor's credentials: check the claims (userId, iss, exp), the clocks, and the site's authenticated-mode configuration and keys.",
  },
  'malformed-token': {
    when: 'the tag reported a malformed token (not a compact RSA-OAEP-256/A256GCM JWE wrapping an RS256 JWS)',
    visitorSees: 'no chat',
    advice: "Build the token as a JWS signed with the customer private key (RS256), nested in a JWE encrypted with iAdvize's public key (RSA-OAEP-256, A256GCM, cty JWT).",
  },
  'invalid-key': {
    when: 'the tag reported an invalid key: the signature does not verify or the token cannot be decrypted',
    visitorSees: 'no chat',
    advice: "Sign with the customer private key whose public key iAdvize holds, and encrypt with iAdvize's current public key; after a key rotation, give iAdvize the new public key.",
  },
  'logout-failed': {
    when: 'iAdvize.logout threw or did not settle within timeouts.logoutMs',
    visitorSees: 'the tag may still show the previous conversation; no new identity is activated',
    advice: 'The tag could not log out; reload the page to clear it. No other identity is activated until a logout succeeds.',
  },
  unknown: {
    when: 'the tag answered with a reason this library does not recognise, or with a result of an unexpected shape',
    visitorSees: 'no chat',
    advice: 'Read the raw reason kept with the failure; if it is a new iAdvize message, report it so the contract module can map it.',
  },
};

export function isFailureCode(value: unknown): value is FailureCode {
  return typeof value === 'string' && (FAILURE_CODES as readonly string[]).includes(value);
}

/** Builds the reported failure for a code: the advice comes from the table, never ad hoc. */
export function describeFailure(code: FailureCode, phase: FailurePhase, reason?: string): Failure {
  const advice = FAILURES[code].advice;
  return reason === undefined ? { code, advice, phase } : { code, reason, advice, phase };
}
