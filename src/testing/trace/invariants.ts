// The nine invariants of the design, checked on a recorded trace (recorder.ts): only what is
// visible from the outside (site actions, public snapshots and events, tag-port calls, provider
// answers, token fetches, the vendor's call log and what the visitor sees), never the machine.
import { DEFAULT_POLICY, type ActivationPolicy } from '../../../machines/activation.js';
import type { ActivationState } from '../../activation/view.js';
import { FAILURE_ADVICE, isFailureCode, type Failure } from '../../../machines/failures.js';
import type { TestingErrorCode } from '../error-codes.js';
import type { SiteAction, Trace, TraceEntry } from './trace-recorder.js';

export type InvariantNumber = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;

/** The invariants, worded as in the design. */
export const INVARIANTS: { readonly [N in InvariantNumber]: string } = {
  1: 'at most one activate call per sign-in attempt, and never two in flight',
  2: "no activate after a token failure under 'stay-inactive'",
  3: 'no anonymous activation after an activate failure',
  4: 'no retry: failed reaches activating only through a new SIGN_IN',
  5: 'after SIGN_OUT settles, the tag is logged out and the provider hands out no token',
  6: 'every failure carries a code from the documented list',
  7: 'never two activates running at the tag, counting one the library stopped waiting for, and an abandoned activate that succeeds late is logged out',
  8: 'a token handed to one provider call is never handed to a later one, and no token past its expiry is handed out',
  9: 'the status is active only while the library can vouch for a secured session',
};

export interface InvariantViolation {
  readonly invariant: InvariantNumber;
  readonly message: string;
  /** Index of the offending entry in the trace. */
  readonly index: number;
}

export interface CheckInvariantsOptions {
  /** The policy the controller runs with (invariant 2 depends on it). Default the library's default. */
  readonly policy?: Partial<ActivationPolicy>;
}

const PHASES = new Set(['token', 'activation', 'anonymous-activation', 'refresh', 'logout']);

/** Every violation in the trace, in order; empty when the nine invariants hold. Call it once the system has settled. */
export function checkInvariants(trace: Trace, options: CheckInvariantsOptions = {}): InvariantViolation[] {
  const policy = { ...DEFAULT_POLICY, ...options.policy };
  const violations: InvariantViolation[] = [];
  let index = 0;
  const violate = (invariant: InvariantNumber, message: string) => violations.push({ invariant, message, index });

  let state: ActivationState | undefined;
  // Reset by every site action: what happened since the site last acted.
  let tokenFailed = false;
  let activationFailed = false;
  let failedSinceSiteAction = false;
  // Invariant 1.
  let securedActivatesSinceSignIn = 0;
  let signedOut = true;
  const portActivatesInFlight = new Set<number>();
  let vendorActivatesInFlight = 0;
  // Invariant 5.
  let afterSignOut = false;
  let signOutSettled = false;
  let stateSinceSignOut = false;
  let logoutSinceSignOut = false;
  /** A secured session may have been opened since the last logout (an anonymous one is no one's identity). */
  let securedSinceLogout = false;
  let tagStatus: 'inactive' | 'anonymous' | 'secured' | undefined;
  const fetchPurposes = new Map<number, string>();
  // Invariant 3: activates the controller stopped waiting for (their failure is nobody's fallback).
  const abandonedActivates = new Set<number>();
  // Invariant 7.
  let logoutsInFlight = 0;
  // Invariant 8: tokens handed out so far, and those each provider call could already have seen.
  const handedTokens = new Set<number>();
  const handedBeforeCall = new Map<number, ReadonlySet<number>>();
  const tokenExpiry = new Map<number, number>();
  // Invariant 9: the tag asked and got nothing since the last token handed out.
  let refreshRefused = false;
  let activeAfterRefusal: number | undefined;

  const checkFailure = (failure: Failure | undefined, where: string) => {
    if (failure === undefined) return;
    if (!isFailureCode(failure.code))
      violate(6, `${where} has the code ${JSON.stringify(failure.code)}, not one of FAILURE_CODES`);
    else if (failure.advice !== FAILURE_ADVICE[failure.code])
      violate(6, `${where} (${failure.code}) does not carry the documented advice`);
    if (!PHASES.has(failure.phase)) violate(6, `${where} has the phase ${JSON.stringify(failure.phase)}`);
  };

  const settleSignOut = () => {
    if (!afterSignOut || signOutSettled || !state) return;
    const settled =
      state.status === 'inactive' || state.status === 'anonymous' || (state.status === 'activating' && state.anonymous);
    if (!settled) return;
    signOutSettled = true;
    if (state.signedIn)
      violate(
        5,
        `sign-out settled ('${state.status}') with the controller still reporting ${state.identity ?? 'a visitor'} as signed in`,
      );
    if (securedSinceLogout && !logoutSinceSignOut)
      violate(5, 'sign-out settled without a logout of a tag that had been activated');
    if (tagStatus === 'secured') violate(5, 'sign-out settled while the visitor still sees a secured chat');
  };

  /** The site acted: here, or in another tab (a sign-out there reaches this tab as 'tabs.signedOut'). */
  const siteAction = (action: SiteAction) => {
    tokenFailed = false;
    activationFailed = false;
    failedSinceSiteAction = false;
    if (action === 'sign-in') {
      securedActivatesSinceSignIn = 0;
      signedOut = false;
      afterSignOut = false;
    } else if (action === 'sign-out') {
      signedOut = true;
      afterSignOut = true;
      signOutSettled = false;
      stateSinceSignOut = false;
      logoutSinceSignOut = false;
    }
  };

  const onEntry = (entry: TraceEntry) => {
    switch (entry.kind) {
      case 'site': {
        siteAction(entry.action);
        break;
      }
      case 'state': {
        const next = entry.state;
        checkFailure(next.failure, `the snapshot's failure`);
        checkFailure(next.refreshFailure, `the snapshot's refreshFailure`);
        if (failedSinceSiteAction && next.status !== 'failed')
          violate(4, `left 'failed' for '${next.status}' without a site action`);
        // A failed refresh is left to the tag: its next provider call may fetch again and end it.
        if (next.status === 'failed' && next.failure?.phase !== 'refresh') failedSinceSiteAction = true;
        if (next.status !== 'activating') for (const id of portActivatesInFlight) abandonedActivates.add(id);
        // Judged once the provider answers that follow are in: the same step may be handing a token over.
        if (next.status === 'active' && refreshRefused) activeAfterRefusal ??= index;
        // A failure is news when the controller enters 'failed' with it; it stays shown until the next attempt.
        if (next.status === 'failed' && next.failure?.phase === 'token') tokenFailed = true;
        if (next.status === 'failed' && next.failure?.phase === 'activation') activationFailed = true;
        if (
          next.anonymous &&
          policy.onTokenFailure === 'stay-inactive' &&
          (tokenFailed || next.failure?.phase === 'token')
        ) {
          violate(2, "went anonymous after a token failure under 'stay-inactive'");
        }
        if (next.anonymous && (activationFailed || next.failure?.phase === 'activation'))
          violate(3, 'went anonymous after an activate failure');
        state = next;
        break;
      }
      case 'event': {
        const { event } = entry;
        if (event.type === 'tabs.signedOut') siteAction('sign-out');
        if (event.type === 'activation.failed' || event.type === 'token.refreshFailed')
          checkFailure(event.failure, `the '${event.type}' event`);
        if (event.type === 'activation.anonymous') {
          checkFailure(event.fallbackFrom, `the 'anonymous' event's fallbackFrom`);
          if (event.fallbackFrom?.phase === 'activation')
            violate(3, 'announced an anonymous fallback from an activate failure');
          if (event.fallbackFrom?.phase === 'token' && policy.onTokenFailure === 'stay-inactive') {
            violate(2, "announced an anonymous fallback from a token failure under 'stay-inactive'");
          }
        }
        break;
      }
      case 'port-call': {
        if (failedSinceSiteAction && entry.call !== 'logout')
          violate(4, `called the tag's ${entry.call} while failed, without a site action (a retry)`);
        if (entry.call === 'logout') logoutsInFlight += 1;
        if (entry.call !== 'activate') break;
        if (portActivatesInFlight.size > 0)
          violate(7, 'called activate while the tag was still running another (abandoned or not)');
        portActivatesInFlight.add(entry.id);
        if (tokenFailed && policy.onTokenFailure === 'stay-inactive')
          violate(2, "called activate after a token failure under 'stay-inactive'");
        if (entry.mode === 'anonymous' && activationFailed)
          violate(3, 'activated anonymously after an activate failure');
        if (entry.mode === 'secured') {
          securedSinceLogout = true;
          if (signedOut || state?.signedIn === false) violate(1, 'called a secured activate with nobody signed in');
          else if (securedActivatesSinceSignIn >= 1) violate(1, 'called activate a second time for one sign-in');
          securedActivatesSinceSignIn += 1;
        }
        break;
      }
      case 'port-answer': {
        const { answer } = entry;
        if ('code' in answer && !isFailureCode(answer.code))
          violate(6, `the tag port answered the code ${JSON.stringify(answer.code)}, not one of FAILURE_CODES`);
        if (entry.call === 'activate') {
          portActivatesInFlight.delete(entry.id);
          if (entry.mode === 'secured' && !answer.ok && !answer.cancelled && !abandonedActivates.has(entry.id))
            activationFailed = true;
          // Past the bound the controller stops waiting: the tag's own activate is no longer counted.
          if (!answer.ok && answer.cancelled) vendorActivatesInFlight = Math.max(0, vendorActivatesInFlight - 1);
        }
        if (entry.call === 'logout') logoutsInFlight = Math.max(0, logoutsInFlight - 1);
        if (entry.call === 'logout' && answer.ok) {
          securedSinceLogout = false;
          if (afterSignOut) logoutSinceSignOut = true;
        }
        break;
      }
      case 'provider-call': {
        handedBeforeCall.set(entry.id, new Set(handedTokens));
        break;
      }
      case 'provider-answer': {
        if (afterSignOut && entry.handed) violate(5, 'the provider handed out a token after sign-out');
        if (entry.handed && entry.token !== undefined) {
          if (handedBeforeCall.get(entry.id)?.has(entry.token))
            violate(8, `handed token #${entry.token} to a provider call made after another call had it`);
          const expiresAt = tokenExpiry.get(entry.token);
          if (expiresAt !== undefined && entry.at !== undefined && entry.at >= expiresAt)
            violate(8, `handed token #${entry.token} out at or past its expiry`);
          handedTokens.add(entry.token);
          refreshRefused = false;
          activeAfterRefusal = undefined;
        }
        if (!entry.handed && entry.because === 'refresh-failed') {
          refreshRefused = true;
          if (state?.status === 'active') violate(9, 'still reports active after refusing the token the tag asked for');
        }
        break;
      }
      case 'fetch': {
        fetchPurposes.set(entry.id, entry.purpose);
        if (failedSinceSiteAction) violate(4, 'fetched a token while failed, without a site action (a retry)');
        break;
      }
      case 'fetch-answer': {
        if (entry.token !== undefined && entry.expiresAt !== undefined) tokenExpiry.set(entry.token, entry.expiresAt);
        if (entry.outcome === 'failed' && !entry.aborted && fetchPurposes.get(entry.id) === 'activation')
          tokenFailed = true;
        break;
      }
      case 'vendor': {
        const { call } = entry;
        // A logout is not assumed to cancel an activate (tag-contract.md §8): only its result ends it.
        if (call.type === 'activate') {
          if (vendorActivatesInFlight > 0) violate(7, 'iAdvize was asked to activate while an activation was ongoing');
          vendorActivatesInFlight += 1;
        } else if (call.type === 'activation-result') {
          vendorActivatesInFlight = Math.max(0, vendorActivatesInFlight - 1);
        }
        break;
      }
      case 'tag-state': {
        tagStatus = entry.status;
        if (afterSignOut && signOutSettled && entry.status === 'secured')
          violate(5, 'the visitor sees a secured chat after sign-out settled');
        break;
      }
    }
  };

  for (; index < trace.length; index += 1) {
    const entry = trace[index]!;
    onEntry(entry);
    // A site action is followed by the controller's own entries: judge the state after those.
    if (entry.kind === 'state') {
      stateSinceSignOut = true;
      settleSignOut();
    }
  }
  if (activeAfterRefusal !== undefined) {
    violations.push({
      invariant: 9,
      message: 'reported active while the last token the tag asked for was refused',
      index: activeAfterRefusal,
    });
  }
  index = trace.length - 1;
  if (afterSignOut && !stateSinceSignOut && state?.signedIn)
    violate(5, 'SIGN_OUT changed nothing while a visitor was signed in');
  // Settled: a secured session is open only where the controller vouches for it, reports why it cannot, or is closing it.
  const vouched = state?.status === 'active' || state?.status === 'activating' || state?.status === 'signing-out';
  const reported =
    state?.status === 'failed' && (state.failure?.phase === 'refresh' || state.failure?.code === 'logout-failed');
  if (tagStatus === 'secured' && state && !vouched && !reported && logoutsInFlight === 0) {
    violate(7, `the visitor sees a secured chat while the controller reports '${state.status}' and logs nothing out`);
  }
  return violations;
}

export class InvariantError extends Error {
  override readonly name = 'InvariantError';
  readonly code = 'invariant-violated' satisfies TestingErrorCode;
  constructor(
    readonly violations: readonly InvariantViolation[],
    trace: Trace,
  ) {
    super(describeViolations(violations, trace));
  }
}

/** Throws an InvariantError listing every violation, with the trace up to the first one. */
export function assertInvariants(trace: Trace, options: CheckInvariantsOptions = {}): void {
  const violations = checkInvariants(trace, options);
  if (violations.length > 0) throw new InvariantError(violations, trace);
}

/** The trace entries leading to a violation, one line each, for failure messages. */
export function describeTrace(trace: Trace, until: number = trace.length - 1, context = 25): string {
  return trace
    .slice(Math.max(0, until - context + 1), until + 1)
    .map(
      (entry, offset) => `  ${String(Math.max(0, until - context + 1) + offset).padStart(4)} ${describeEntry(entry)}`,
    )
    .join('\n');
}

/** One violation on one line: the invariant's number and wording, then what broke it. */
export function describeViolation(violation: InvariantViolation): string {
  return `invariant ${violation.invariant} (${INVARIANTS[violation.invariant]}): ${violation.message}`;
}

function describeViolations(violations: readonly InvariantViolation[], trace: Trace): string {
  const lines = violations.map((v) => `${describeViolation(v)} [entry ${v.index}]`);
  return `${lines.join('\n')}\ntrace up to the first violation:\n${describeTrace(trace, violations[0]?.index)}`;
}

function describeEntry(entry: TraceEntry): string {
  switch (entry.kind) {
    case 'site':
      return `site ${entry.action}${entry.identity === undefined ? '' : ` ${entry.identity}`}`;
    case 'state': {
      const { status, identity, failure, refreshFailure, anonymous } = entry.state;
      return `state ${status}${anonymous ? ' (anonymous)' : ''}${identity === undefined ? '' : ` as ${identity}`}${failure ? ` failure=${failure.code}/${failure.phase}` : ''}${refreshFailure ? ` refreshFailure=${refreshFailure.code}` : ''}`;
    }
    case 'event':
      return `event ${entry.event.type}`;
    case 'port-call':
      return `port ${entry.call}${entry.mode ? ` ${entry.mode}` : ''} #${entry.id}`;
    case 'port-answer':
      return `port ${entry.call} #${entry.id} → ${entry.answer.ok ? 'ok' : 'code' in entry.answer ? entry.answer.code : 'threw'}${!entry.answer.ok && entry.answer.cancelled ? ' (cancelled)' : ''}`;
    case 'provider-call':
      return `provider called (activate #${entry.activation}) #${entry.id}`;
    case 'provider-answer':
      return `provider #${entry.id} → ${entry.handed ? 'token' : 'refused'}`;
    case 'fetch':
      return `fetch ${entry.purpose} #${entry.id}`;
    case 'fetch-answer':
      return `fetch #${entry.id} → ${entry.outcome}${entry.aborted ? ' (aborted)' : ''}`;
    case 'vendor':
      return `iAdvize ${entry.call.type}${'ok' in entry.call ? ` ${entry.call.ok ? 'ok' : 'failed'}` : ''}${'purpose' in entry.call ? ` ${entry.call.purpose}` : ''}`;
    case 'tag-state':
      return `visitor sees ${entry.status}${entry.userId === undefined ? '' : ` as ${entry.userId}`}`;
  }
}
