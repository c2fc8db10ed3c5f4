// createActivation(): the public controller. It gives the machine its implementations at the
// edge (token source, tag) and exposes a small, framework-agnostic surface.
import { createActor, fromPromise, type Actor } from 'xstate';
import {
  activationMachine,
  type ActivateTagInput,
  type ActivationEmitted,
  type ActivationContext,
  type ActivationMachine,
  type TagSession,
  type Visitor,
  type FetchedToken,
  type FetchTokenInput,
} from '../../machines/activation.js';
import type { TagOutcome, TokenProvider } from '../tag/port.js';
import { resolveOptions, type ActivationOptions, type FetchToken, type FetchTokenRequest } from './options.js';
import { joinTabs, type TabSignOutCause, type Tabs } from './tabs.js';
import type { TabEnvironment } from './tab-channel.js';
import { createTokenBridge, type TokenBridge } from './token-bridge.js';
import { ActivationConflictError, ActivationUsageError, TokenUnavailableError } from '../errors.js';
import { sameView, viewOf, type ActivationState } from './view.js';
import { redactText } from '../redact.js';

/**
 * Another tab of the site signed out, or signed in another visitor: this tab signs out too
 * (emitted as it does, before the status follows). It need not call signOut(); update the UI.
 * The sign-out always happens: a signIn() made inside the handler is overtaken by it, so sign in
 * again once your session has been re-read.
 */
export interface TabsSignedOut {
  readonly type: 'tabs.signedOut';
  readonly because: TabSignOutCause;
}
/** The machine's emitted events that `on` delivers (the token hand-over ones stay internal), and the tabs' one. */
export type PublicEmitted = Exclude<ActivationEmitted, { type: 'token.provided' | 'token.refused' }> | TabsSignedOut;
export type ActivationEventName = PublicEmitted['type'];
/** Every event `on` delivers, by name (for a site or a test that listens to all of them). */
export const ACTIVATION_EVENT_NAMES = [
  'activation.secured',
  'activation.anonymous',
  'activation.failed',
  'token.refreshed',
  'token.refreshFailed',
  'tabs.signedOut',
] as const satisfies readonly ActivationEventName[];
/** The events `on` delivers, by name. */
export type ActivationEventOf<K extends ActivationEventName> = Extract<PublicEmitted, { type: K }>;

export interface Activation {
  /** Starts the machine (and the anonymous activation, if whenSignedOut is 'anonymous'). Returns itself. */
  start(): Activation;
  /** After the site's own sign-in. `identity` tells account switches apart; omit it if unknown. */
  signIn(identity?: string): void;
  /** On the site's sign-out: logs the tag out; the provider hands out no more tokens. */
  signOut(): void;
  /**
   * Clears a failure without signing in again: leaves `failed` (a failed refresh included) or the
   * anonymous fallback, logging the tag out if it may hold a session, and ends signed out.
   * Returns false, and does nothing, when there is no failure to clear.
   */
  reset(): boolean;
  getSnapshot(): ActivationState;
  /** Called on every change of the snapshot; returns the unsubscribe function. */
  subscribe(listener: (state: ActivationState) => void): () => void;
  on<K extends ActivationEventName>(type: K, handler: (event: ActivationEventOf<K>) => void): () => void;
  /** Stops the machine: aborts fetches and activations in flight, clears every timer. */
  stop(): void;
  /** The underlying XState actor, for inspection or advanced use. */
  readonly actor: Actor<ActivationMachine>;
}

/** A compact JWE has five base64url parts; anything else (HTML, JSON, '') is not a token. */
const COMPACT_JWE = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]*){4}$/;
/** A token is never handed out this close to its expiry: iAdvize must still find it valid when it checks. */
export const TOKEN_EXPIRY_MARGIN_MS = 5_000;

async function fetchUsableToken(
  fetchToken: FetchToken,
  request: FetchTokenRequest,
  now: () => number,
): Promise<FetchedToken> {
  const value: unknown = await fetchToken(request).catch((error: unknown) => {
    throw redactedError(error);
  });
  const { token, expiresAt } =
    typeof value === 'string' ? { token: value } : ((value ?? {}) as { token?: unknown; expiresAt?: unknown });
  if (typeof token !== 'string' || !COMPACT_JWE.test(token)) {
    throw new TokenUnavailableError(
      'fetchToken resolved without a token: expected the compact JWE string or { token }',
    );
  }
  if (typeof expiresAt !== 'number' || !Number.isFinite(expiresAt)) return { token };
  const usableUntil = expiresAt - TOKEN_EXPIRY_MARGIN_MS;
  const freshForMs = usableUntil - now();
  if (freshForMs <= 0) {
    throw new TokenUnavailableError(
      'fetchToken resolved with a token that expires within 5 s or has expired: check the token lifetime and the server clock',
    );
  }
  return { token, freshForMs, usableUntil };
}

/** Errors reach the machine (and so the page) redacted: a thrown text may quote a token. */
function redactedError(error: unknown): Error {
  const text = error instanceof Error ? error.message : typeof error === 'string' ? error : '';
  const redacted = new Error(redactText(text));
  if (error instanceof Error) redacted.name = error.name;
  return redacted;
}

/** A session is handed over only when the tag is at rest; otherwise the next controller logs out first. */
function handoverOf(context: ActivationContext, key: string, bridge: TokenBridge): Handover {
  const atRest = context.tagActivation === undefined && context.tagCall === undefined;
  const session = atRest ? context.tagSession : 'unknown';
  return {
    key,
    session,
    visitor: session === 'secured' ? context.visitor : undefined,
    forwardTo: (provider) => bridge.forwardTo(provider),
  };
}

/**
 * A throwing site listener must not starve the others (a UI left showing a stale status): its
 * error is rethrown apart, where the page's usual error reporting sees it.
 */
function notify<T>(listener: (value: T) => void, value: T): void {
  try {
    listener(value);
  } catch (error) {
    queueMicrotask(() => {
      throw error;
    });
  }
}

/** Started controllers by page: two would activate the same tag twice. */
const ownersByScope = new WeakMap<object, { readonly key: string | undefined; readonly activation: Activation }>();

/** What a stopped controller left at the tag, for the next controller of the same tag on the page (hot reload). */
interface Handover {
  readonly key: string;
  readonly session: TagSession;
  readonly visitor: Visitor | undefined;
  /** The providers the tag holds ask the next controller from now on. */
  forwardTo(provider: TokenProvider): void;
}
const handoversByScope = new WeakMap<object, Handover>();

export function createActivation(options: ActivationOptions): Activation {
  return createActivationOver(activationMachine, options);
}

/**
 * The controller over a given machine. createActivation uses the real one; tests pass
 * deliberately broken variants (mutants) to prove the suites catch them.
 */
export function createActivationOver(machineDefinition: ActivationMachine, options: ActivationOptions): Activation {
  const resolved = resolveOptions(options);
  const { tag } = resolved;
  const now = resolved.clock?.now ? () => resolved.clock!.now!() : Date.now;
  let bridge: ReturnType<typeof createTokenBridge> | undefined;

  // Each actor settles with what the tag or the token source really did; nothing here decides.
  const machine = machineDefinition.provide({
    actors: {
      loadTag: fromPromise<void>(({ signal }) =>
        tag.ready({ signal }).catch((error: unknown) => Promise.reject(redactedError(error))),
      ),
      fetchToken: fromPromise<FetchedToken, FetchTokenInput>(({ input, signal }) =>
        fetchUsableToken(resolved.fetchToken, { signal, purpose: input.purpose, identity: input.identity }, now),
      ),
      activateTag: fromPromise<TagOutcome, ActivateTagInput>(({ input, signal }) =>
        (input.mode === 'anonymous'
          ? tag.activate({ mode: 'anonymous', signal })
          : tag.activate({ mode: 'secured', provider: bridge!.providerFor(input.attempt), signal })
        ).catch((error: unknown) => Promise.reject(redactedError(error))),
      ),
      logoutTag: fromPromise<void>(({ signal }) =>
        tag.logout({ signal }).catch((error: unknown) => Promise.reject(redactedError(error))),
      ),
    },
  });

  const actor = createActor(machine, {
    input: { policy: resolved.policy, timeouts: resolved.timeouts, tokenTtlMs: resolved.tokenTtlMs },
    ...(resolved.inspect === undefined ? {} : { inspect: resolved.inspect }),
    ...(resolved.clock === undefined ? {} : { clock: resolved.clock }),
  });
  bridge = createTokenBridge(actor, now);

  let view = viewOf(actor.getSnapshot());
  const listeners = new Set<(state: ActivationState) => void>();
  const subscription = actor.subscribe({
    next(snapshot) {
      const next = viewOf(snapshot);
      if (sameView(view, next)) return;
      view = next;
      for (const listener of [...listeners]) notify(listener, view);
    },
    // A machine error would otherwise surface as an unhandled error in the host page.
    error: () => undefined,
  });

  let started = false;
  const send = (event: Parameters<typeof actor.send>[0]) => {
    if (!started)
      throw new ActivationUsageError(
        'not-started',
        'createActivation: call start() before signIn(), signOut() or reset().',
      );
    if (actor.getSnapshot().status === 'active') actor.send(event);
  };

  let tabs: Tabs | undefined;
  const tabListeners = new Set<(event: TabsSignedOut) => void>();
  /** Another tab's sign-out or account switch: the site is told, then this tab signs out on the usual path. */
  const signOutFromTab = (because: TabSignOutCause) => {
    for (const listener of [...tabListeners]) notify(listener, { type: 'tabs.signedOut', because });
    send({ type: 'SIGN_OUT', from: 'other-tab' });
  };

  const activation: Activation = {
    actor,
    start() {
      if (started) return activation;
      const scope = tag.scope;
      let adopted: Handover | undefined;
      if (scope !== undefined) {
        const owner = ownersByScope.get(scope);
        // Two configurations on one page is a real conflict; the same one again is a hot reload.
        if (owner && (tag.key === undefined || owner.key !== tag.key)) throw new ActivationConflictError();
        owner?.activation.stop();
        const handover = handoversByScope.get(scope);
        handoversByScope.delete(scope);
        if (handover !== undefined && handover.key === tag.key) adopted = handover;
        ownersByScope.set(scope, { key: tag.key, activation });
      }
      started = true;
      actor.start();
      if (adopted) {
        actor.send({ type: 'tag.adopted', session: adopted.session, visitor: adopted.visitor });
        adopted.forwardTo(bridge!.providerFor(actor.getSnapshot().context.attempt));
      }
      if (resolved.tabs) {
        tabs = joinTabs({
          env: (scope ?? globalThis) as TabEnvironment,
          key: tag.key,
          now,
          // The visitor held, or the one an account switch under way will sign in.
          holder: () => actor.getSnapshot().context.queuedSignIn ?? actor.getSnapshot().context.visitor,
          signOut: signOutFromTab,
        });
      }
      return activation;
    },
    signIn(identity) {
      if (identity !== undefined && (typeof identity !== 'string' || identity === '')) {
        throw new ActivationUsageError(
          'invalid-identity',
          'signIn(identity): identity must be a non-empty string, or omitted when unknown.',
        );
      }
      // Told first: the tabs order actions by when the site acted, not by when this tab's
      // machine finished the step (which a busy page can take tens of ms to do).
      tabs?.signedIn(identity);
      send(identity === undefined ? { type: 'SIGN_IN' } : { type: 'SIGN_IN', identity });
    },
    signOut() {
      tabs?.signedOut();
      send({ type: 'SIGN_OUT' });
    },
    reset() {
      if (!actor.getSnapshot().can({ type: 'RESET' })) return false;
      send({ type: 'RESET' });
      return true;
    },
    getSnapshot: () => view,
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    on(type, handler) {
      if (type === 'tabs.signedOut') {
        // A fresh function each time: the same handler twice is two subscriptions, as with actor.on.
        const listener = (event: TabsSignedOut) => (handler as (event: TabsSignedOut) => void)(event);
        tabListeners.add(listener);
        return () => void tabListeners.delete(listener);
      }
      const subscription = actor.on(type, handler as (event: ActivationEmitted) => void);
      return () => subscription.unsubscribe();
    },
    stop() {
      const scope = tag.scope;
      if (scope !== undefined && ownersByScope.get(scope)?.activation === activation) {
        ownersByScope.delete(scope);
        if (tag.key !== undefined)
          handoversByScope.set(scope, handoverOf(actor.getSnapshot().context, tag.key, bridge!));
      }
      // A signOut() after stop() posts nothing (a closed BroadcastChannel throws).
      tabs?.close();
      tabs = undefined;
      tabListeners.clear();
      bridge!.close();
      actor.stop();
      subscription.unsubscribe();
      listeners.clear();
    },
  };
  return activation;
}
