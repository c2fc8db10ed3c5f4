// The fake tag's `iAdvize` object: activate and logout behaving as the real tag does, as far
// as tag-contract.md says: option checks, activation already ongoing, can't activate twice,
// the anonymous → secured upgrade, its own retries, session re-verification through the provider.
import {
  AUTHENTICATION_FAILURE,
  AUTHENTICATION_SUCCESS,
  DEFAULT_ANONYMOUS_TYPE,
  SECURED_AUTHENTICATION,
  VENDOR_REASONS,
  type VendorActivationResult,
} from '../tag/contract.js';
import { FAKE_TAG_REASONS } from './reasons.js';
import type { VendorProvider, VendorResultCallback, VendorTag } from '../tag/vendor-api.js';
import type { VisitorData } from '../token/claims.js';
import { createCallLog, type CallLog, type ProviderPurpose } from './call-log.js';
import { SERVER_ERROR_ANSWER, type AuthenticationAnswer, type FakeServerTransport } from './server-protocol.js';
import { createTimers } from './timers.js';

/** The tag's own retries after a server error (tag-contract.md §5): 3, so 4 attempts in all. */
export const DEFAULT_TAG_RETRIES = 3;
/** iAdvize's default session lifetime (tag-contract.md §6). */
export const DEFAULT_SESSION_LIFETIME_MS = 60 * 60_000;

/**
 * How this fake reads what iAdvize's docs leave open (tag-contract.md §8); the suites run
 * against each. By default logout cancels nothing, as §8 says to assume.
 */
export interface FakeTagReadings {
  /** Whether logout() cancels an activate still running, or lets it finish (and open a session). */
  readonly logout: 'cancels-activation' | 'keeps-activation';
  /**
   * How activate delivers its result: the awaited promise, the callback, both (callback first, or
   * the promise first and the callback a few turns later), an acknowledgement promise of nothing
   * then the callback, or the callback then a contradicting duplicate through the promise.
   */
  readonly result:
    'both' | 'promise' | 'callback' | 'promise-then-callback' | 'ack-then-callback' | 'callback-then-duplicate';
  /** The anonymous → secured upgrade without logout: done in place, or refused with "Can't activate twice". */
  readonly upgrade: 'in-place' | 'refuse';
}

export const DEFAULT_READINGS: FakeTagReadings = { logout: 'keeps-activation', result: 'both', upgrade: 'in-place' };

/** Every value of every reading, the default first: what a suite iterates or draws from. */
export const READING_VALUES: { readonly [K in keyof FakeTagReadings]: readonly FakeTagReadings[K][] } = {
  logout: ['keeps-activation', 'cancels-activation'],
  result: ['both', 'promise', 'callback', 'promise-then-callback', 'ack-then-callback', 'callback-then-duplicate'],
  upgrade: ['in-place', 'refuse'],
};

export interface FakeTagOptions {
  /** The readings of the docs' open points. Default DEFAULT_READINGS. */
  readonly readings?: Partial<FakeTagReadings>;
  readonly server: FakeServerTransport;
  /** After this long, the tag calls the provider again and re-checks the identity. Default 60 min. */
  readonly sessionLifetimeMs?: number;
  /** Retries after a server error, each with a fresh token from the provider. Default 3. */
  readonly retries?: number;
  /** The anonymous option type this tag accepts. Default ANONYMOUS_AUTHENTICATION. */
  readonly anonymousType?: string;
  readonly now?: () => number;
  /** Where the tag's calls are recorded. Default a new log. */
  readonly calls?: CallLog;
}

export interface FakeTagFailure {
  readonly reason: string;
  readonly during: 'activation' | 'reverification';
  readonly at: number;
}

/** What a visitor of the page would see: no chat, an anonymous chat, or a chat as userId. */
export interface FakeTagState {
  readonly status: 'inactive' | 'anonymous' | 'secured';
  readonly userId?: string;
  readonly visitorData?: VisitorData;
  /** An activate call is under way. */
  readonly activating: boolean;
  /** When the secured session is re-verified next. */
  readonly sessionExpiresAt?: number;
  /** The last failed activation or re-verification (a failed re-verification ends the session). */
  readonly lastFailure?: FakeTagFailure;
}

/** The `iAdvize` object queued functions receive. */
export interface FakeIAdvizeApi extends VendorTag {
  /** A promise of the result, of nothing, or nothing at all, as `readings.result` says. */
  activate(
    provider: VendorProvider,
    onResult?: VendorResultCallback,
  ): Promise<VendorActivationResult | undefined> | undefined;
  logout(): Promise<void>;
}

export interface FakeTag {
  readonly iAdvize: FakeIAdvizeApi;
  readonly state: FakeTagState;
  readonly calls: CallLog;
  subscribe(listener: (state: FakeTagState) => void): () => void;
  /** Ends the session lifetime now: the tag re-verifies the identity, as when the lifetime runs out. */
  expireSession(): Promise<void>;
  /** Clears every timer: no more re-verification. */
  dispose(): void;
}

type Option = { readonly type: string; readonly token?: string };
/** The result's option when the provider was not called. */
const NO_OPTION: Option = { type: '' };

type Attempt =
  | { readonly ok: true; readonly option: Option; readonly identity: Identity }
  | { readonly ok: false; readonly option: Option; readonly reason: string };
type SecuredIdentity = { readonly status: 'secured'; readonly userId: string; readonly visitorData?: VisitorData };
type Identity = { readonly status: 'anonymous' } | SecuredIdentity;

export function createFakeTag(options: FakeTagOptions): FakeTag {
  const now = options.now ?? Date.now;
  const calls = options.calls ?? createCallLog(now);
  const retries = options.retries ?? DEFAULT_TAG_RETRIES;
  const sessionLifetimeMs = options.sessionLifetimeMs ?? DEFAULT_SESSION_LIFETIME_MS;
  const anonymousType = options.anonymousType ?? DEFAULT_ANONYMOUS_TYPE;
  const readings: FakeTagReadings = { ...DEFAULT_READINGS, ...options.readings };
  const timers = createTimers();
  const listeners = new Set<(state: FakeTagState) => void>();
  let state: FakeTagState = { status: 'inactive', activating: false };
  /** Bumped by logout: work started before it must not change the state after it. */
  let generation = 0;
  /** The secured session's provider and its re-verification timer. */
  let session: { readonly provider: VendorProvider; cancelTimer: () => void } | undefined;
  let reverification: Promise<void> | undefined;

  const setState = (next: FakeTagState) => {
    state = next;
    for (const listener of [...listeners]) listener(state);
  };
  const failedState = (reason: string, during: FakeTagFailure['during']): FakeTagState => ({
    ...state,
    activating: false,
    lastFailure: { reason, during, at: now() },
  });

  /** The provider's option, if it is a valid one for this tag. */
  async function askProvider(provider: VendorProvider, purpose: ProviderPurpose): Promise<Option | undefined> {
    calls.record({ type: 'provider', purpose });
    let answer: unknown;
    try {
      answer = await provider();
    } catch {
      return undefined;
    }
    const option = (answer as { authenticationOption?: unknown } | null | undefined)?.authenticationOption as
      Option | undefined;
    if (typeof option !== 'object' || option === null) return undefined;
    if (option.type === SECURED_AUTHENTICATION) {
      return typeof option.token === 'string' && option.token !== ''
        ? { type: option.type, token: option.token }
        : undefined;
    }
    return option.type === anonymousType ? { type: option.type } : undefined;
  }

  async function askServer(token: string): Promise<AuthenticationAnswer> {
    try {
      return await options.server.authenticate(token);
    } catch {
      return SERVER_ERROR_ANSWER;
    }
  }

  /** Provider, option check, then the server; a server error is retried with a fresh token. */
  async function attempt(provider: VendorProvider, purpose: ProviderPurpose): Promise<Attempt> {
    for (let retry = 0; ; retry += 1) {
      const option = await askProvider(provider, retry === 0 ? purpose : 'retry');
      if (!option) return { ok: false, option: NO_OPTION, reason: VENDOR_REASONS.invalidOption };
      if (option.token === undefined) return { ok: true, option, identity: { status: 'anonymous' } };
      const answer = await askServer(option.token);
      if (answer.ok) {
        const { userId, visitorData } = answer;
        return {
          ok: true,
          option,
          identity: visitorData ? { status: 'secured', userId, visitorData } : { status: 'secured', userId },
        };
      }
      if (answer.kind !== 'server-error' || retry >= retries) return { ok: false, option, reason: answer.reason };
    }
  }

  async function runActivation(provider: VendorProvider): Promise<VendorActivationResult> {
    if (state.activating) return failure(NO_OPTION, VENDOR_REASONS.activationOngoing);
    if (state.status === 'secured') return failure(NO_OPTION, VENDOR_REASONS.alreadyActivated);
    const started = generation;
    setState({ ...state, activating: true });
    const outcome = await attempt(provider, 'activation');
    if (generation !== started) return failure(outcome.option, FAKE_TAG_REASONS.cancelledByLogout);
    if (!outcome.ok) {
      setState(failedState(outcome.reason, 'activation'));
      return failure(outcome.option, outcome.reason);
    }
    if (outcome.identity.status === 'secured' && state.status === 'anonymous' && readings.upgrade === 'refuse') {
      setState(failedState(VENDOR_REASONS.alreadyActivated, 'activation'));
      return failure(outcome.option, VENDOR_REASONS.alreadyActivated);
    }
    if (outcome.identity.status === 'anonymous') {
      // Anonymous → secured is the documented upgrade; anonymous twice is activating twice.
      if (state.status === 'anonymous') {
        setState(failedState(VENDOR_REASONS.alreadyActivated, 'activation'));
        return failure(outcome.option, VENDOR_REASONS.alreadyActivated);
      }
      setState({ status: 'anonymous', activating: false });
    } else {
      openSession(provider, outcome.identity);
    }
    return { authentication: { option: outcome.option, status: AUTHENTICATION_SUCCESS } };
  }

  function openSession(provider: VendorProvider, identity: SecuredIdentity): void {
    session?.cancelTimer();
    session = { provider, cancelTimer: timers.set(() => void reverify(), sessionLifetimeMs) };
    setState({ ...identity, activating: false, sessionExpiresAt: now() + sessionLifetimeMs });
  }

  /** Re-verification: a fresh token for the same visitor keeps the session; anything else ends it. */
  function reverify(): Promise<void> {
    reverification ??= (async () => {
      const current = session;
      if (state.status !== 'secured' || !current) return;
      current.cancelTimer();
      const started = generation;
      const { userId } = state;
      const verdict = sameVisitor(await attempt(current.provider, 'reverification'), userId);
      if (generation !== started) return;
      calls.record(
        'reason' in verdict
          ? { type: 'session-reverification', ok: false, reason: verdict.reason }
          : { type: 'session-reverification', ok: true },
      );
      if ('identity' in verdict) return openSession(current.provider, verdict.identity);
      session = undefined;
      setState({
        status: 'inactive',
        activating: false,
        lastFailure: { reason: verdict.reason, during: 'reverification', at: now() },
      });
    })().finally(() => {
      reverification = undefined;
    });
    return reverification;
  }

  const run = async (provider: VendorProvider): Promise<VendorActivationResult> => {
    calls.record({ type: 'activate' });
    const result = await runActivation(provider);
    const { status, reason } = result.authentication;
    calls.record({
      type: 'activation-result',
      ok: status === AUTHENTICATION_SUCCESS,
      ...(reason === undefined ? {} : { reason }),
    });
    return result;
  };
  const callBack = (onResult: VendorResultCallback | undefined, result: VendorActivationResult) => {
    try {
      onResult?.(result);
    } catch {
      // A throwing callback is the page's bug; the tag's own answer stands.
    }
  };

  const iAdvize: FakeIAdvizeApi = {
    activate(provider, onResult) {
      const result = run(provider);
      switch (readings.result) {
        case 'promise':
          return result;
        case 'callback':
          void result.then((answer) => callBack(onResult, answer));
          return undefined;
        case 'promise-then-callback':
          return result.then((answer) => {
            // A few microtasks on: after the page's own `await` of the promise has resumed.
            void Promise.resolve()
              .then(() => Promise.resolve())
              .then(() => callBack(onResult, answer));
            return answer;
          });
        case 'ack-then-callback':
          void result.then((answer) => callBack(onResult, answer));
          return Promise.resolve(undefined);
        case 'callback-then-duplicate':
          return result.then((answer) => {
            callBack(onResult, answer);
            return failure(answer.authentication.option, 'a contradicting duplicate answer');
          });
        case 'both':
          return result.then((answer) => {
            callBack(onResult, answer);
            return answer;
          });
      }
    },
    async logout() {
      calls.record({ type: 'logout' });
      // A tag whose logout cancels nothing lets the activate in flight finish, and open its session.
      const keepActivation = readings.logout === 'keeps-activation' && state.activating;
      if (!keepActivation) generation += 1;
      session?.cancelTimer();
      session = undefined;
      const { lastFailure } = state;
      setState({ status: 'inactive', activating: keepActivation, ...(lastFailure ? { lastFailure } : {}) });
    },
  };

  return {
    iAdvize,
    get state() {
      return state;
    },
    calls,
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    expireSession: () => reverify(),
    dispose: () => timers.dispose(),
  };
}

function failure(option: Option, reason: string): VendorActivationResult {
  return { authentication: { option, status: AUTHENTICATION_FAILURE, reason } };
}

/** A re-verification keeps the session only with a secured identity for the same visitor. */
function sameVisitor(outcome: Attempt, userId: string | undefined): { identity: SecuredIdentity } | { reason: string } {
  if (!outcome.ok) return { reason: outcome.reason };
  if (outcome.identity.status !== 'secured') return { reason: VENDOR_REASONS.invalidOption };
  if (outcome.identity.userId !== userId) return { reason: FAKE_TAG_REASONS.identityChanged };
  return { identity: outcome.identity };
}
