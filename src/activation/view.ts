// The controller's public snapshot: a small, stable view of the machine, not XState internals.
import type { SnapshotFrom } from 'xstate';
import type { ActivationMachine } from '../../machines/activation.js';
import type { Failure } from '../../machines/failures.js';

export type ActivationStatus =
  | 'inactive' // signed out, tag untouched
  | 'anonymous' // tag activated anonymously (whenSignedOut policy, or the opt-in fallback)
  | 'fetching-token'
  | 'activating' // awaiting the tag's answer to activate (secured or anonymous), or its script
  | 'active' // authenticated, and every token the tag asked for was handed out
  | 'failed' // an activation failed, or the tag asked for a token and got none (failure.phase 'refresh')
  | 'signing-out';

export interface ActivationState {
  readonly status: ActivationStatus;
  /** The identity given to signIn; undefined when signed out or when none was given. */
  readonly identity: string | undefined;
  /** The visitor is signed in on the site (whatever the tag's state). */
  readonly signedIn: boolean;
  /** The tag is, or is being, activated anonymously. */
  readonly anonymous: boolean;
  /** Why it failed (status 'failed'), or why it fell back to anonymous. */
  readonly failure: Failure | undefined;
  /** The last token the tag asked for could not be had (status 'failed' until a later one is handed out). */
  readonly refreshFailure: Failure | undefined;
  /** The tag script: loading (from start()), ready, or unavailable (blocked, unreachable). */
  readonly tag: TagStatus;
}

export type TagStatus = 'loading' | 'ready' | 'unavailable';

export function statusOf(snapshot: SnapshotFrom<ActivationMachine>): ActivationStatus {
  const visitor = (state: string | object) => snapshot.matches({ visitor: state } as never);
  if (visitor('signedOut')) return 'inactive';
  if (visitor({ anonymous: 'active' })) return 'anonymous';
  if (visitor('anonymous')) return 'activating';
  if (visitor('fetchingToken')) return 'fetching-token';
  if (visitor({ secured: { activation: 'active' } })) return snapshot.context.refreshFailure ? 'failed' : 'active';
  if (visitor('secured')) return 'activating';
  if (visitor('signingOut')) return 'signing-out';
  return 'failed';
}

export function viewOf(snapshot: SnapshotFrom<ActivationMachine>): ActivationState {
  const { context } = snapshot;
  const status = statusOf(snapshot);
  return {
    status,
    identity: context.visitor?.identity,
    signedIn: context.visitor !== undefined,
    anonymous: snapshot.matches({ visitor: 'anonymous' }),
    failure: context.failure ?? (status === 'failed' ? context.refreshFailure : undefined),
    refreshFailure: context.refreshFailure,
    tag: snapshot.matches({ tag: 'ready' })
      ? 'ready'
      : snapshot.matches({ tag: 'unavailable' })
        ? 'unavailable'
        : 'loading',
  };
}

/** Same content, same object: lets React's useSyncExternalStore skip renders. */
export function sameView(a: ActivationState, b: ActivationState): boolean {
  return (
    a.status === b.status &&
    a.identity === b.identity &&
    a.signedIn === b.signedIn &&
    a.anonymous === b.anonymous &&
    a.failure === b.failure &&
    a.refreshFailure === b.refreshFailure &&
    a.tag === b.tag
  );
}
