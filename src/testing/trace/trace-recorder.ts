// What a test sees of an activation from the OUTSIDE, in one ordered trace: the site's actions,
// the controller's public snapshots and events, the calls made on the tag port and their
// answers, the provider's answers, the token fetches, and, with the fake iAdvize, what the
// vendor tag was asked and what the visitor sees. Wrap your own tag and fetchToken with it and
// the invariant checker works on your page too. The trace never holds a token.
import {
  ACTIVATION_EVENT_NAMES,
  type Activation,
  type ActivationEventName,
  type ActivationEventOf,
} from '../../activation/create-activation.js';
import type { FetchToken } from '../../activation/options.js';
import type { ActivationState } from '../../activation/view.js';
import type { FailureCode } from '../../../machines/failures.js';
import type { ActivationMode, ActivateRequest, TagOutcome, TagPort } from '../../tag/port.js';
import type { TokenPurpose } from '../../../machines/activation.js';
import type { FakeCall } from '../../fake/call-log.js';

export type SiteAction = 'sign-in' | 'sign-out' | 'reset';
export type PublicEvent = ActivationEventOf<ActivationEventName>;
/** How a tag-port call ended: `cancelled` when the controller had aborted it first. */
export type PortAnswer =
  | { readonly ok: true }
  | { readonly ok: false; readonly code: FailureCode; readonly cancelled: boolean }
  | { readonly ok: false; readonly threw: true; readonly cancelled: boolean };

export type TraceEntry =
  | { readonly kind: 'site'; readonly action: SiteAction; readonly identity?: string }
  | { readonly kind: 'state'; readonly state: ActivationState }
  | { readonly kind: 'event'; readonly event: PublicEvent }
  | {
      readonly kind: 'port-call';
      readonly id: number;
      readonly call: 'ready' | 'activate' | 'logout';
      readonly mode?: ActivationMode;
    }
  | {
      readonly kind: 'port-answer';
      readonly id: number;
      readonly call: 'ready' | 'activate' | 'logout';
      readonly mode?: ActivationMode;
      readonly answer: PortAnswer;
    }
  /** The tag called the provider it got from the activate call `activation`. */
  | { readonly kind: 'provider-call'; readonly id: number; readonly activation: number }
  /**
   * `token` numbers each distinct token in order of arrival (never the token itself); `at` is
   * the recorder's time; `because` says why a call got nothing.
   */
  | {
      readonly kind: 'provider-answer';
      readonly id: number;
      readonly handed: boolean;
      readonly token?: number;
      readonly because?: string;
      readonly at?: number;
    }
  | { readonly kind: 'fetch'; readonly id: number; readonly purpose: TokenPurpose }
  | {
      readonly kind: 'fetch-answer';
      readonly id: number;
      readonly outcome: 'token' | 'failed';
      readonly aborted: boolean;
      readonly token?: number;
      readonly expiresAt?: number;
    }
  /** A call the vendor tag saw, from the fake iAdvize's call log. */
  | { readonly kind: 'vendor'; readonly call: FakeCall }
  /** What the visitor sees, from the fake iAdvize. */
  | { readonly kind: 'tag-state'; readonly status: 'inactive' | 'anonymous' | 'secured'; readonly userId?: string };

export type Trace = readonly TraceEntry[];

/** The fake iAdvize's call log, or anything with its entries. */
export interface CallSource {
  readonly entries: readonly FakeCall[];
}

/** The fake iAdvize's visible state, or anything that reports one. */
export interface TagStateSource {
  readonly state: { readonly status: 'inactive' | 'anonymous' | 'secured'; readonly userId?: string };
  subscribe(
    listener: (state: { readonly status: 'inactive' | 'anonymous' | 'secured'; readonly userId?: string }) => void,
  ): () => void;
}

export interface RecordOptions {
  /** The fake iAdvize's `calls`: its entries are merged into the trace in order. */
  readonly calls?: CallSource;
  /** The fake iAdvize itself (or its tag): what the visitor sees goes into the trace. */
  readonly tagState?: TagStateSource;
  /** The clock provider answers are stamped with (for the expiry check of invariant 8). Default Date.now. */
  readonly now?: () => number;
}

export interface ActivationRecorder {
  /** Everything recorded so far, the vendor's calls included. */
  readonly trace: Trace;
  /** Wraps a tag port: calls, answers and provider calls are recorded. Pass the result to createActivation. */
  tag(port: TagPort): TagPort;
  /** Wraps a token source: fetches and their outcomes are recorded (never the token). */
  fetchToken(fetchToken: FetchToken): FetchToken;
  /** Records the controller's snapshots and events; use the returned controller to act as the site. */
  attach(activation: Activation): Activation;
  /** Appends the vendor calls logged since the last entry (reading `trace` does it too). */
  sync(): void;
  /** Stops listening to the controller and the fake. */
  dispose(): void;
}

export function recordActivation(options: RecordOptions = {}): ActivationRecorder {
  const trace: TraceEntry[] = [];
  const cleanups: Array<() => void> = [];
  let vendorSeen = 0;
  let lastId = 0;
  const now = options.now ?? Date.now;
  /** Tokens by number, so the trace can say "the same token" without holding one. */
  const tokenNumbers = new Map<string, number>();
  const tokenNumber = (token: unknown) => {
    if (typeof token !== 'string') return undefined;
    if (!tokenNumbers.has(token)) tokenNumbers.set(token, tokenNumbers.size + 1);
    return tokenNumbers.get(token);
  };

  const sync = () => {
    const entries = options.calls?.entries ?? [];
    // A cleared call log starts over.
    if (entries.length < vendorSeen) vendorSeen = 0;
    for (; vendorSeen < entries.length; vendorSeen += 1) trace.push({ kind: 'vendor', call: entries[vendorSeen]! });
  };
  const push = (entry: TraceEntry) => {
    sync();
    trace.push(entry);
  };

  if (options.tagState) {
    let last = '';
    const record = (state: TagStateSource['state']) => {
      const key = `${state.status}:${state.userId ?? ''}`;
      if (key === last) return;
      last = key;
      push(
        state.userId === undefined
          ? { kind: 'tag-state', status: state.status }
          : { kind: 'tag-state', status: state.status, userId: state.userId },
      );
    };
    record(options.tagState.state);
    cleanups.push(options.tagState.subscribe(record));
  }

  const answerOf = (outcome: TagOutcome, signal: AbortSignal): PortAnswer =>
    outcome.ok ? { ok: true } : { ok: false, code: outcome.code, cancelled: signal.aborted };

  return {
    get trace() {
      sync();
      return trace;
    },
    sync,
    tag(port) {
      /** A call that answers nothing (ready, logout): recorded as made, then as done or thrown. */
      const recordCall = async (call: 'ready' | 'logout', signal: AbortSignal, run: () => Promise<void>) => {
        const id = ++lastId;
        push({ kind: 'port-call', id, call });
        try {
          await run();
        } catch (error) {
          push({ kind: 'port-answer', id, call, answer: { ok: false, threw: true, cancelled: signal.aborted } });
          throw error;
        }
        push({ kind: 'port-answer', id, call, answer: { ok: true } });
      };
      return {
        // The page and configuration: one controller per page, hot-reload hand-over, the tabs' channel.
        ...(port.scope === undefined ? {} : { scope: port.scope }),
        ...(port.key === undefined ? {} : { key: port.key }),
        ready: ({ signal }) => recordCall('ready', signal, () => port.ready({ signal })),
        async activate(request) {
          const id = ++lastId;
          push({ kind: 'port-call', id, call: 'activate', mode: request.mode });
          const observed: ActivateRequest =
            request.mode === 'anonymous'
              ? request
              : {
                  ...request,
                  provider: async () => {
                    const call = ++lastId;
                    push({ kind: 'provider-call', id: call, activation: id });
                    try {
                      const token = await request.provider();
                      push({ kind: 'provider-answer', id: call, handed: true, token: tokenNumber(token)!, at: now() });
                      return token;
                    } catch (error) {
                      const because = (error as { because?: unknown } | null)?.because;
                      push({
                        kind: 'provider-answer',
                        id: call,
                        handed: false,
                        at: now(),
                        ...(typeof because === 'string' ? { because } : {}),
                      });
                      throw error;
                    }
                  },
                };
          let outcome: TagOutcome;
          try {
            outcome = await port.activate(observed);
          } catch (error) {
            push({
              kind: 'port-answer',
              id,
              call: 'activate',
              mode: request.mode,
              answer: { ok: false, threw: true, cancelled: request.signal.aborted },
            });
            throw error;
          }
          push({
            kind: 'port-answer',
            id,
            call: 'activate',
            mode: request.mode,
            answer: answerOf(outcome, request.signal),
          });
          return outcome;
        },
        logout: ({ signal }) => recordCall('logout', signal, () => port.logout({ signal })),
      };
    },
    fetchToken(fetchToken) {
      return async (request) => {
        const id = ++lastId;
        push({ kind: 'fetch', id, purpose: request.purpose });
        try {
          const answer = await fetchToken(request);
          const { token, expiresAt } = typeof answer === 'string' ? { token: answer, expiresAt: undefined } : answer;
          const number = tokenNumber(token);
          push({
            kind: 'fetch-answer',
            id,
            outcome: 'token',
            aborted: request.signal.aborted,
            ...(number === undefined ? {} : { token: number }),
            ...(typeof expiresAt === 'number' ? { expiresAt } : {}),
          });
          return answer;
        } catch (error) {
          push({ kind: 'fetch-answer', id, outcome: 'failed', aborted: request.signal.aborted });
          throw error;
        }
      };
    },
    attach(activation) {
      push({ kind: 'state', state: activation.getSnapshot() });
      cleanups.push(activation.subscribe((state) => push({ kind: 'state', state })));
      for (const type of ACTIVATION_EVENT_NAMES) {
        cleanups.push(activation.on(type, (event) => push({ kind: 'event', event })));
      }
      return {
        ...activation,
        signIn(identity) {
          push(
            identity === undefined
              ? { kind: 'site', action: 'sign-in' }
              : { kind: 'site', action: 'sign-in', identity },
          );
          activation.signIn(identity);
        },
        signOut() {
          push({ kind: 'site', action: 'sign-out' });
          activation.signOut();
        },
        reset() {
          push({ kind: 'site', action: 'reset' });
          return activation.reset();
        },
      };
    },
    dispose() {
      sync();
      for (const cleanup of cleanups.splice(0)) cleanup();
    },
  };
}
