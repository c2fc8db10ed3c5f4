// The activation machine's vocabulary: policy, timing, context, events and what it emits, with
// their defaults. Beside the chart (activation.ts) so that file reads as the state list.
import type { ActivationMode, TagOutcome } from '../src/tag/port.js';
import type { Failure, FailureCode, FailurePhase } from './failures.js';

/** What to do when no token can be had: stay inactive (recommended) or activate anonymously (explicit opt-in). */
export type OnTokenFailure = 'stay-inactive' | 'anonymous';
/** What the tag does while nobody is signed in: nothing, or an anonymous activation. */
export type WhenSignedOut = 'inactive' | 'anonymous';
/**
 * Signing in over an anonymous session: a secured activate straight away (the documented
 * upgrade, which keeps the anonymous conversation), or a logout first (for a tag that answers
 * the upgrade with "Can't activate twice, please logout first", tag-contract.md §8).
 */
export type AnonymousUpgrade = 'in-place' | 'logout-first';

export interface ActivationPolicy {
  readonly onTokenFailure: OnTokenFailure;
  readonly whenSignedOut: WhenSignedOut;
  readonly anonymousUpgrade: AnonymousUpgrade;
}

export interface ActivationTimeouts {
  /** Longest wait for the site's backend to hand out a token (first fetch and refreshes). */
  readonly tokenFetchMs: number;
  /**
   * Longest wait for the tag to answer one activate call. Past it the activation has failed,
   * and the tag is assumed to hold an unknown session: it is logged out before any other activate.
   */
  readonly activationMs: number;
  /** Longest wait for the tag's logout. */
  readonly logoutMs: number;
}

export interface ActivationInput {
  readonly policy?: Partial<ActivationPolicy>;
  readonly timeouts?: Partial<ActivationTimeouts>;
  /** How long a fetched token is kept, unused, before it is dropped (at most). */
  readonly tokenTtlMs?: number;
}

export const DEFAULT_POLICY: ActivationPolicy = {
  onTokenFailure: 'stay-inactive',
  whenSignedOut: 'inactive',
  anonymousUpgrade: 'in-place',
};
export const DEFAULT_TIMEOUTS: ActivationTimeouts = { tokenFetchMs: 10_000, activationMs: 30_000, logoutMs: 10_000 };
/** Half the recommended 60 s token lifetime: a token handed to the tag always has time left. */
export const DEFAULT_TOKEN_TTL_MS = 30_000;

/** What the machine knows the tag holds; 'unknown' after an activate that did not end cleanly. */
export type TagSession = 'none' | 'anonymous' | 'secured' | 'unknown';

export interface Visitor {
  /** The site's id for the visitor, when given; two sign-ins with different ids are different people. */
  readonly identity: string | undefined;
}

/** A call the visitor flow wants the tag to make; the tag region makes one at a time. */
export type TagCall =
  { readonly kind: 'activate'; readonly mode: ActivationMode; readonly attempt: number } | { readonly kind: 'logout' };

export interface ActivationContext {
  readonly policy: ActivationPolicy;
  readonly timeouts: ActivationTimeouts;
  readonly tokenTtlMs: number;
  /** The signed-in visitor; undefined while signed out. */
  readonly visitor: Visitor | undefined;
  /** Counts sign-in attempts; provider calls from an older attempt get no token. */
  readonly attempt: number;
  /** The token in hand, not handed out yet: a token goes to one provider call only. */
  readonly token: string | undefined;
  /** How long the token in hand is kept unused: tokenTtlMs, or less when it expires sooner. */
  readonly tokenFreshForMs: number;
  /** The time (ms since the epoch) past which the token in hand is never handed out. */
  readonly tokenUsableUntil: number | undefined;
  /** Provider calls waiting for the token fetch in flight (one fetch shared by all). */
  readonly waitingRequests: readonly number[];
  /** The call the visitor flow asked of the tag, not started yet. */
  readonly tagCall: TagCall | undefined;
  /** The activate running at the tag, until the tag answers it; `abandoned` once nobody waits for it. */
  readonly tagActivation: { readonly call: ActivateTagInput; readonly abandoned: boolean } | undefined;
  readonly tagSession: TagSession;
  /** Why the tag script could not load. */
  readonly tagLoadFailure: string | undefined;
  /** A sign-in that waits for the logout of the previous identity (account switch). */
  readonly queuedSignIn: Visitor | undefined;
  /** The failure the status reports (a refresh failure included). */
  readonly failure: Failure | undefined;
  /** The last refresh the tag asked for failed; cleared when a later one succeeds. */
  readonly refreshFailure: Failure | undefined;
}

export type ActivationEvent =
  | { readonly type: 'SIGN_IN'; readonly identity?: string }
  /** `from` says another tab of the site signed out or switched account: a marker for the timeline, no other path. */
  | { readonly type: 'SIGN_OUT'; readonly from?: 'other-tab' }
  | { readonly type: 'RESET' }
  /** The tag called the provider of sign-in `attempt`, at time `at` (ms since the epoch). */
  | { readonly type: 'TOKEN_REQUESTED'; readonly requestId: number; readonly attempt: number; readonly at: number }
  /** Raised by the tag region: the tag answered an activate (or the wait for it ended). */
  | {
      readonly type: 'tag.activated';
      readonly call: Extract<TagCall, { kind: 'activate' }>;
      readonly outcome: TagOutcome;
    }
  | { readonly type: 'tag.loggedOut' }
  /** A new controller takes the tag over from the previous one on the page (hot reload): what the tag holds. */
  | { readonly type: 'tag.adopted'; readonly session: TagSession; readonly visitor: Visitor | undefined }
  | { readonly type: 'tag.logoutFailed'; readonly reason: string | undefined };

/** Why the provider got no token. */
export type TokenRefusal = 'not-signed-in' | 'stale-request' | 'refresh-failed';

export type ActivationEmitted =
  /** One answer for every provider call it names: calls that shared a fetch are answered together. */
  | { readonly type: 'token.provided'; readonly requestIds: readonly number[]; readonly token: string }
  | { readonly type: 'token.refused'; readonly requestIds: readonly number[]; readonly because: TokenRefusal }
  | { readonly type: 'activation.secured'; readonly identity: string | undefined }
  | { readonly type: 'activation.anonymous'; readonly fallbackFrom: Failure | undefined }
  | { readonly type: 'activation.failed'; readonly failure: Failure }
  | { readonly type: 'token.refreshed' }
  | { readonly type: 'token.refreshFailed'; readonly failure: Failure };

export type TokenPurpose = 'activation' | 'refresh';
/** What the token source answers: the token, how long to keep it unused, and when it stops being usable. */
export interface FetchedToken {
  readonly token: string;
  /** Omitted: tokenTtlMs. Longer than tokenTtlMs: tokenTtlMs. */
  readonly freshForMs?: number;
  /** Ms since the epoch; a provider call at or past it gets a newly fetched token instead. */
  readonly usableUntil?: number;
}
export interface FetchTokenInput {
  readonly purpose: TokenPurpose;
  readonly identity: string | undefined;
}
export type ActivateTagInput = Extract<TagCall, { kind: 'activate' }>;

export interface FailureParams {
  readonly code: FailureCode;
  readonly phase: FailurePhase;
  readonly reason?: string | undefined;
}
