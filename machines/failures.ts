// Failure codes are data: one documented union, each with the advice every reported failure
// carries. A leaf: it imports nothing, so the machine, the vendor contract and the tag port all
// build on it. When each happens and what the visitor sees are in src/failure-descriptions.ts.

export const FAILURE_CODES = [
  'token-unavailable',
  'token-timeout',
  'tag-unavailable',
  'activation-timeout',
  'tag-error',
  'invalid-option',
  'activation-ongoing',
  'already-activated',
  'upgrade-refused',
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
  | 'activation' // loading the tag and the secured activate call
  | 'anonymous-activation' // an anonymous activate call (policy or fallback)
  | 'refresh' // the tag asked for a token again while active and got none
  | 'logout'; // the tag's logout

/** A reported failure: the code, the tag's raw reason when there is one, and advice. */
export interface Failure {
  readonly code: FailureCode;
  /** The raw text the tag (or token source) gave, kept verbatim for unknown reasons; never a token. */
  readonly reason?: string;
  readonly advice: string;
  readonly phase: FailurePhase;
}

/** What to do, per code: shipped with every failure (the longer descriptions are in failure-descriptions.ts). */
export const FAILURE_ADVICE: { readonly [C in FailureCode]: string } = {
  'token-unavailable':
    'Check the token endpoint: the visitor must be signed in on the site and the backend must be able to sign and encrypt a token (keys loaded, issuer configured).',
  'token-timeout': 'The token endpoint is too slow or unreachable; check its latency, or raise timeouts.tokenFetchMs.',
  'tag-unavailable':
    'Make sure the tag script can load: allow the iAdvize domain in the Content-Security-Policy, check the sid and platform; ad blockers cannot be fixed from the site.',
  'activation-timeout':
    'The tag never answered activate; check the browser console and network for iAdvize errors, or raise timeouts.activationMs.',
  'tag-error':
    'The tag failed unexpectedly; check the browser console. Make sure no other code calls iAdvize.activate on this page.',
  'invalid-option':
    'The provider must return a secured authentication option (the type the tag documents) with a non-empty token.',
  'activation-ongoing':
    'Another activate call is in flight on this page; let one controller own the tag and await its result.',
  'already-activated':
    'The tag already held a session this controller did not open: another script on the page activated it. Let one controller own the tag (it logs out before another identity).',
  'upgrade-refused':
    "The tag refused to upgrade its anonymous session to a secured one without a logout; set anonymousUpgrade: 'logout-first' (the anonymous conversation is then not carried over).",
  'server-error':
    "iAdvize could not authenticate the token: check that iAdvize has the customer public key, that the token is encrypted with iAdvize's public key and that authenticated mode is enabled for the site; otherwise contact iAdvize.",
  'credentials-rejected':
    "iAdvize rejected the visitor's credentials: check the claims (userId, iss, exp), the clocks, and the site's authenticated-mode configuration and keys.",
  'malformed-token':
    "Build the token as a JWS signed with the customer private key (RS256), nested in a JWE encrypted with iAdvize's public key (RSA-OAEP-256, A256GCM, cty JWT).",
  'invalid-key':
    "Sign with the customer private key whose public key iAdvize holds, and encrypt with iAdvize's current public key; after a key rotation, give iAdvize the new public key.",
  'logout-failed':
    'The tag could not log out; reload the page to clear it. No other identity is activated until a logout succeeds.',
  unknown:
    'Read the raw reason kept with the failure; if it is a new iAdvize message, report it so the contract module can map it.',
};

export function isFailureCode(value: unknown): value is FailureCode {
  return typeof value === 'string' && (FAILURE_CODES as readonly string[]).includes(value);
}

/** Builds the reported failure for a code: the advice comes from the table, never ad hoc. */
export function describeFailure(code: FailureCode, phase: FailurePhase, reason?: string): Failure {
  const advice = FAILURE_ADVICE[code];
  return reason === undefined ? { code, advice, phase } : { code, reason, advice, phase };
}
