// createActivation's options: their types and validation. A bad option fails at once with an error
// that names it and says what to give instead. The defaults are the machine's, applied in its context.
import type { InspectionEvent, Observer } from 'xstate';
import type { ActivationPolicy, ActivationTimeouts, TokenPurpose } from '../../machines/activation.js';
import { DEFAULT_TIMEOUTS } from '../../machines/activation.js';
import { redactText } from '../redact.js';
import { ActivationOptionsError, type ActivationOptionName } from '../errors.js';
import type { TagPort } from '../tag/port.js';

export interface FetchTokenRequest {
  /** Aborted when the machine no longer wants the token (sign-out, timeout, stop). */
  readonly signal: AbortSignal;
  /** 'activation' for the first token of a sign-in, 'refresh' when the tag asks again. */
  readonly purpose: TokenPurpose;
  /** The identity given to signIn, if any. */
  readonly identity: string | undefined;
}

/**
 * The site's token source: resolves with the JWE, or `{ token, expiresAt? }` as createTokenHandler
 * answers. With `expiresAt` (ms since the epoch), a token is handed out again for at most half
 * of the life it had left when it arrived, even when that is shorter than tokenTtlMs.
 */
export type FetchToken = (
  request: FetchTokenRequest,
) => Promise<string | { readonly token: string; readonly expiresAt?: number }>;

/** The timer source for the machine's delays (XState's clock shape; SimulatedClock fits). */
export interface Clock {
  setTimeout(fn: (...args: any[]) => void, timeout: number): any;
  clearTimeout(id: any): void;
  /** The time, in ms, that token `expiresAt` values are read against. Default `Date.now`. */
  now?(): number;
}

export interface ActivationOptions {
  /** The tag port: `iAdvizeTag(...)` from 'iadvize-activation/tag', or a fake from 'iadvize-activation/testing'. */
  readonly tag: TagPort;
  readonly fetchToken: FetchToken;
  readonly policy?: Partial<ActivationPolicy>;
  /** How long a token is handed to the tag again before a fresh one is fetched (default 30 s). */
  readonly tokenTtlMs?: number;
  readonly timeouts?: Partial<ActivationTimeouts>;
  /** XState inspection: e.g. `createInspector().inspect` from 'iadvize-activation/inspect'. */
  readonly inspect?: Observer<InspectionEvent> | ((event: InspectionEvent) => void);
  /** The clock for delays; tests pass XState's SimulatedClock. */
  readonly clock?: Clock;
  /**
   * Tabs of the site sign out together (default true): a sign-out in one tab signs the others
   * out, and an account switch ends the previous visitor's session in them. Same origin and tag
   * configuration only; no token crosses. False for a site whose tabs hold different visitors.
   */
  readonly tabs?: boolean;
}

const OPTION_NAMES: readonly string[] = [
  'tag',
  'fetchToken',
  'policy',
  'tokenTtlMs',
  'timeouts',
  'inspect',
  'clock',
  'tabs',
] satisfies ReadonlyArray<keyof ActivationOptions>;
const POLICY_VALUES: { readonly [K in keyof ActivationPolicy]: readonly ActivationPolicy[K][] } = {
  onTokenFailure: ['stay-inactive', 'anonymous'],
  whenSignedOut: ['inactive', 'anonymous'],
  anonymousUpgrade: ['in-place', 'logout-first'],
};
/** Longer than any sensible wait; also keeps setTimeout inside its 32-bit range. */
const MAX_DELAY_MS = 24 * 60 * 60 * 1000;

export interface ResolvedOptions {
  readonly tag: TagPort;
  readonly fetchToken: FetchToken;
  /** As given, checked: the machine fills in the defaults (its context factory, the one place). */
  readonly policy: Partial<ActivationPolicy> | undefined;
  readonly timeouts: Partial<ActivationTimeouts> | undefined;
  readonly tokenTtlMs: number | undefined;
  readonly inspect: ActivationOptions['inspect'];
  readonly clock: Clock | undefined;
  readonly tabs: boolean;
}

export function resolveOptions(options: unknown): ResolvedOptions {
  if (options === null || typeof options !== 'object') {
    throw new ActivationOptionsError(
      'options',
      `expected an options object; the options are ${OPTION_NAMES.join(', ')} (tag and fetchToken required).`,
    );
  }
  const given = options as Record<string, unknown>;
  for (const name of Object.keys(given)) {
    if (!OPTION_NAMES.includes(name)) {
      throw new ActivationOptionsError(
        'options',
        `unknown option '${name}'; the options are ${OPTION_NAMES.join(', ')}.`,
      );
    }
  }
  const tag = given.tag as Partial<TagPort> | undefined;
  if (tag === null || typeof tag !== 'object') {
    throw new ActivationOptionsError(
      'tag',
      "option 'tag' is required: pass iAdvizeTag({ sid }) from 'iadvize-activation/tag' or a fake tag.",
    );
  }
  for (const method of ['ready', 'activate', 'logout'] as const) {
    if (typeof tag[method] !== 'function') {
      throw new ActivationOptionsError(
        'tag',
        `option 'tag' must implement the tag port: '${method}' is not a function.`,
      );
    }
  }
  if (typeof given.fetchToken !== 'function') {
    throw new ActivationOptionsError(
      'fetchToken',
      "option 'fetchToken' must be a function ({ signal, purpose }) => Promise<token> that asks your backend for a token.",
    );
  }
  if (given.inspect !== undefined && typeof given.inspect !== 'function' && typeof given.inspect !== 'object') {
    throw new ActivationOptionsError('inspect', "option 'inspect' must be an inspection function or observer.");
  }
  const clock = given.clock as Partial<Clock> | undefined;
  if (
    clock !== undefined &&
    (typeof clock?.setTimeout !== 'function' ||
      typeof clock.clearTimeout !== 'function' ||
      (clock.now !== undefined && typeof clock.now !== 'function'))
  ) {
    throw new ActivationOptionsError(
      'clock',
      "option 'clock' must have setTimeout and clearTimeout, and now() if any (e.g. XState's SimulatedClock).",
    );
  }
  if (given.tabs !== undefined && typeof given.tabs !== 'boolean') {
    throw new ActivationOptionsError('tabs', `option 'tabs' must be true or false (got ${describe(given.tabs)}).`);
  }
  return {
    tag: tag as TagPort,
    fetchToken: given.fetchToken as FetchToken,
    policy: checkPolicy(given.policy),
    timeouts: checkTimeouts(given.timeouts),
    tokenTtlMs: given.tokenTtlMs === undefined ? undefined : delay('tokenTtlMs', given.tokenTtlMs),
    inspect: given.inspect as ActivationOptions['inspect'],
    clock: clock as Clock | undefined,
    tabs: given.tabs !== false,
  };
}

function checkPolicy(policy: unknown): Partial<ActivationPolicy> | undefined {
  if (policy === undefined) return undefined;
  if (policy === null || typeof policy !== 'object') {
    throw new ActivationOptionsError(
      'policy',
      "option 'policy' must be an object { onTokenFailure?, whenSignedOut?, anonymousUpgrade? }.",
    );
  }
  const checked: Partial<ActivationPolicy> = {};
  for (const [key, value] of Object.entries(policy)) {
    if (!isKeyOf(POLICY_VALUES, key)) {
      throw new ActivationOptionsError(
        'policy',
        `unknown policy '${key}'; the policies are ${Object.keys(POLICY_VALUES).join(', ')}.`,
      );
    }
    if (value === undefined) continue;
    const allowed: readonly unknown[] = POLICY_VALUES[key];
    if (!allowed.includes(value)) {
      throw new ActivationOptionsError(
        `policy.${key}`,
        `policy.${key} must be ${allowed.map((v) => `'${String(v)}'`).join(' or ')} (got ${describe(value)}).`,
      );
    }
    // One of POLICY_VALUES[key], checked just above.
    Object.assign(checked, { [key]: value });
  }
  return checked;
}

function checkTimeouts(timeouts: unknown): Partial<ActivationTimeouts> | undefined {
  if (timeouts === undefined) return undefined;
  if (timeouts === null || typeof timeouts !== 'object') {
    throw new ActivationOptionsError(
      'timeouts',
      `option 'timeouts' must be an object { ${Object.keys(DEFAULT_TIMEOUTS).join(', ')} } in milliseconds.`,
    );
  }
  const checked: { -readonly [K in keyof ActivationTimeouts]?: number } = {};
  for (const [key, value] of Object.entries(timeouts)) {
    if (!isKeyOf(DEFAULT_TIMEOUTS, key)) {
      throw new ActivationOptionsError(
        'timeouts',
        `unknown timeout '${key}'; the timeouts are ${Object.keys(DEFAULT_TIMEOUTS).join(', ')}.`,
      );
    }
    if (value !== undefined) checked[key] = delay(`timeouts.${key}`, value);
  }
  return checked;
}

function isKeyOf<T extends object>(object: T, key: string): key is Extract<keyof T, string> {
  return Object.hasOwn(object, key);
}

function delay(option: ActivationOptionName, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > MAX_DELAY_MS) {
    throw new ActivationOptionsError(
      option,
      `${option} must be a number of milliseconds greater than 0 and at most ${MAX_DELAY_MS} (got ${describe(value)}).`,
    );
  }
  return value;
}

/** A rejected value for the message; redacted first, as every output is: a misplaced token or key must not show. */
function describe(value: unknown): string {
  return typeof value === 'string'
    ? `'${redactText(value).slice(0, 40)}'`
    : typeof value === 'object'
      ? value === null
        ? 'null'
        : 'an object'
      : String(value);
}
