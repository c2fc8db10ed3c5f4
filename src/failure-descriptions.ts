// Every failure code described for people: when it happens, what the visitor sees, what to do.
// docs/failures.md is generated from this table and the contract module. Kept apart from
// machines/failures.ts so browser bundles ship only the advice.
import { FAILURE_ADVICE, type FailureCode } from '../machines/failures.js';
import { VENDOR_REASONS } from './tag/contract.js';

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
    advice: FAILURE_ADVICE['token-unavailable'],
  },
  'token-timeout': {
    when: 'fetchToken did not settle within timeouts.tokenFetchMs',
    visitorSees: 'no chat (default policy) or an anonymous chat if the anonymous fallback was chosen',
    advice: FAILURE_ADVICE['token-timeout'],
  },
  'tag-unavailable': {
    when: 'the iAdvize tag script never loaded (blocked by an ad blocker, a CSP or the network) within the load timeout',
    visitorSees: 'no chat',
    advice: FAILURE_ADVICE['tag-unavailable'],
  },
  'activation-timeout': {
    when: 'iAdvize.activate did not settle within timeouts.activationMs',
    visitorSees: 'no chat',
    advice: FAILURE_ADVICE['activation-timeout'],
  },
  'tag-error': {
    when: 'iAdvize.activate threw or rejected instead of returning a result',
    visitorSees: 'no chat',
    advice: FAILURE_ADVICE['tag-error'],
  },
  'invalid-option': {
    when: `the tag answered "${VENDOR_REASONS.invalidOption}"`,
    visitorSees: 'no chat',
    advice: FAILURE_ADVICE['invalid-option'],
  },
  'activation-ongoing': {
    when: 'the tag answered that an activation (or login) is already ongoing',
    visitorSees: 'no chat until the first activation settles',
    advice: FAILURE_ADVICE['activation-ongoing'],
  },
  'already-activated': {
    when: `the tag answered "${VENDOR_REASONS.alreadyActivated}"`,
    visitorSees: 'the previous identity stays active',
    advice: FAILURE_ADVICE['already-activated'],
  },
  'upgrade-refused': {
    when: `the tag answered "${VENDOR_REASONS.alreadyActivated}" to a secured activate over its anonymous session (anonymousUpgrade: 'in-place')`,
    visitorSees: 'the anonymous chat stays; no secured session',
    advice: FAILURE_ADVICE['upgrade-refused'],
  },
  'server-error': {
    when: `the tag answered "${VENDOR_REASONS.serverError}" after its own retries`,
    visitorSees: 'no chat',
    advice: FAILURE_ADVICE['server-error'],
  },
  'credentials-rejected': {
    when: `the tag answered "${VENDOR_REASONS.credentialsRejectedPrefix}..."`,
    visitorSees: 'no chat',
    advice: FAILURE_ADVICE['credentials-rejected'],
  },
  'malformed-token': {
    when: 'the tag reported a malformed token (not a compact RSA-OAEP-256/A256GCM JWE wrapping an RS256 JWS)',
    visitorSees: 'no chat',
    advice: FAILURE_ADVICE['malformed-token'],
  },
  'invalid-key': {
    when: 'the tag reported an invalid key: the signature does not verify or the token cannot be decrypted',
    visitorSees: 'no chat',
    advice: FAILURE_ADVICE['invalid-key'],
  },
  'logout-failed': {
    when: 'iAdvize.logout threw or did not settle within timeouts.logoutMs',
    visitorSees: 'the tag may still show the previous conversation; no new identity is activated',
    advice: FAILURE_ADVICE['logout-failed'],
  },
  unknown: {
    when: 'the tag answered with a reason this library does not recognise, or with a result of an unexpected shape',
    visitorSees: 'no chat',
    advice: FAILURE_ADVICE['unknown'],
  },
};
