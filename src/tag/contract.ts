// Every iAdvize vendor string lives here (tag-contract.md): a correction is a one-line change.
import type { FailureCode } from '../../machines/failures.js';
import { redactText } from '../redact.js';
import type { TagOutcome } from './port.js';

/** Name of the global command queue the tag reads (`window.iAdvizeInterface`). */
export const INTERFACE_QUEUE = 'iAdvizeInterface';

/** URL of the tag script for a platform such as `ha` or `sd` (protocol-relative, as the vendor documents). */
export function tagScriptUrl(platform: string): string {
  return `//${platform}.iadvize.com/iadvize.js`;
}

export const DEFAULT_PLATFORM = 'ha';

export const SECURED_AUTHENTICATION = 'SECURED_AUTHENTICATION';
/** Public sources disagree ('ANONYMOUS' in an older README); configurable on the adapter. */
export const DEFAULT_ANONYMOUS_TYPE = 'ANONYMOUS_AUTHENTICATION';

export const AUTHENTICATION_SUCCESS = 'authentication-success';
export const AUTHENTICATION_FAILURE = 'authentication-failure';

/** Exact reason texts from the public material (tag-contract.md §4). */
export const VENDOR_REASONS = {
  invalidOption: 'A valid authentication option must be provided',
  activationOngoing: 'An activation is already ongoing',
  loginOngoing: 'A login is already ongoing',
  alreadyActivated: "Can't activate twice, please logout first",
  serverError: 'Failed to fetch authentication with a server error',
  /** Only this prefix is public; the rest of the text varies. */
  credentialsRejectedPrefix: 'Failed to authenticate visitor from credentials : ',
} as const;

/** Lower case, straight quotes, single spaces, so small wording drifts still match. */
function normaliseReason(reason: string): string {
  return reason
    .toLowerCase()
    .replace(/[\u2018\u2019\u0060\u00b4]/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}

/** Ordered: the specific prose patterns are tried before the generic credentials prefix. */
export const REASON_PATTERNS: ReadonlyArray<{
  readonly code: FailureCode;
  readonly pattern: RegExp;
  readonly vendorTexts: readonly string[];
}> = [
  { code: 'invalid-option', pattern: /valid authentication option/, vendorTexts: [VENDOR_REASONS.invalidOption] },
  {
    code: 'activation-ongoing',
    pattern: /(activation|login) is already ongoing/,
    vendorTexts: [VENDOR_REASONS.activationOngoing, VENDOR_REASONS.loginOngoing],
  },
  {
    code: 'already-activated',
    pattern: /can'?t activate twice|logout first/,
    vendorTexts: [VENDOR_REASONS.alreadyActivated],
  },
  { code: 'malformed-token', pattern: /malformed/, vendorTexts: ['prose only: "malformed token"'] },
  {
    code: 'invalid-key',
    pattern: /invalid (key|signature)|signature (does not|doesn't) verify/,
    vendorTexts: ['prose only: "invalid key"'],
  },
  { code: 'server-error', pattern: /server error/, vendorTexts: [VENDOR_REASONS.serverError] },
  {
    code: 'credentials-rejected',
    pattern: /authenticate visitor from credentials/,
    vendorTexts: [`${VENDOR_REASONS.credentialsRejectedPrefix}...`],
  },
];

/** Maps a vendor reason text to a failure code; anything unmatched is `unknown`. */
export function codeForReason(reason: string | undefined): FailureCode {
  if (typeof reason !== 'string') return 'unknown';
  const normalised = normaliseReason(reason);
  return REASON_PATTERNS.find(({ pattern }) => pattern.test(normalised))?.code ?? 'unknown';
}

/** The result shape the tag resolves `activate` with (or passes to the optional callback). */
export interface VendorActivationResult {
  authentication: {
    option: { type: string; token?: string };
    status: typeof AUTHENTICATION_SUCCESS | typeof AUTHENTICATION_FAILURE;
    reason?: string;
  };
}

/**
 * Turns whatever the tag answered into a port outcome. The option (which holds the token) is
 * never copied; an unexpected shape is `unknown` with a description of what came back.
 */
export function outcomeFromVendorResult(value: unknown): TagOutcome {
  const authentication = (value as { authentication?: unknown } | null | undefined)?.authentication;
  if (authentication === null || typeof authentication !== 'object') {
    return { ok: false, code: 'unknown', reason: `unexpected activation result: ${describeShape(value)}` };
  }
  const { status, reason } = authentication as { status?: unknown; reason?: unknown };
  if (status === AUTHENTICATION_SUCCESS) return { ok: true };
  if (status === AUTHENTICATION_FAILURE) {
    if (typeof reason !== 'string') return { ok: false, code: 'unknown' };
    return { ok: false, code: codeForReason(reason), reason: redactText(reason) };
  }
  return { ok: false, code: 'unknown', reason: `unexpected activation status: ${describeShape(status)}` };
}

function describeShape(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string "${redactText(value).slice(0, 80)}"`;
  if (typeof value === 'object') return `an object with keys [${Object.keys(value).slice(0, 8).join(', ')}]`;
  return String(value);
}

/** The provider's answer for a secured activation. */
export function securedOption(token: string): { authenticationOption: { type: string; token: string } } {
  return { authenticationOption: { type: SECURED_AUTHENTICATION, token } };
}

/** The provider's answer for an anonymous activation. */
export function anonymousOption(type: string = DEFAULT_ANONYMOUS_TYPE): { authenticationOption: { type: string } } {
  return { authenticationOption: { type } };
}
