// The invariant checker on hand-written traces: each invariant is reported when broken, and
// the legitimate traces that look close to a violation are not.
import { describe, expect, it } from 'vitest';
import type { ActivationState } from '../../src/activation/view.js';
import { describeFailure, type FailureCode, type FailurePhase } from '../../machines/failures.js';
import { assertInvariants, checkInvariants, InvariantError } from '../../src/testing/trace/invariants.js';
import type { TraceEntry } from '../../src/testing/trace/trace-recorder.js';

const state = (status: ActivationState['status'], extra: Partial<ActivationState> = {}): TraceEntry => ({
  kind: 'state',
  state: {
    status,
    identity: undefined,
    signedIn: false,
    anonymous: false,
    failure: undefined,
    refreshFailure: undefined,
    tag: 'ready',
    ...extra,
  },
});
const failed = (code: FailureCode, phase: FailurePhase, extra: Partial<ActivationState> = {}) =>
  state('failed', { signedIn: true, identity: 'alice', failure: describeFailure(code, phase), ...extra });
const signIn: TraceEntry = { kind: 'site', action: 'sign-in', identity: 'alice' };
const signOut: TraceEntry = { kind: 'site', action: 'sign-out' };
let ids = 0;
const activate = (mode: 'secured' | 'anonymous' = 'secured', id = ++ids): TraceEntry[] => [
  { kind: 'port-call', id, call: 'activate', mode },
  { kind: 'port-answer', id, call: 'activate', mode, answer: { ok: true } },
];
const activateCall = (mode: 'secured' | 'anonymous', id: number): TraceEntry => ({
  kind: 'port-call',
  id,
  call: 'activate',
  mode,
});
const logout = (id = ++ids): TraceEntry[] => [
  { kind: 'port-call', id, call: 'logout' },
  { kind: 'port-answer', id, call: 'logout', answer: { ok: true } },
];
const active = state('active', { signedIn: true, identity: 'alice' });
const invariantsOf = (trace: TraceEntry[], policy = {}) => checkInvariants(trace, { policy }).map((v) => v.invariant);

/** Sign in, activate, sign out and log out: the happy path every case starts from. */
const happy: TraceEntry[] = [
  state('inactive'),
  signIn,
  state('fetching-token', { signedIn: true, identity: 'alice' }),
  ...activate(),
  active,
  signOut,
  state('signing-out'),
  ...logout(),
  state('inactive'),
];

it('a clean sign-in and sign-out breaks nothing', () => {
  expect(checkInvariants(happy)).toEqual([]);
});

describe('invariant 1: one activate per sign-in, never two in flight', () => {
  it('a second secured activate for one sign-in', () => {
    expect(invariantsOf([state('inactive'), signIn, ...activate(), ...activate()])).toContain(1);
  });

  it('a secured activate with nobody signed in', () => {
    expect(invariantsOf([state('inactive'), ...activate()])).toContain(1);
  });
});

describe('invariant 7: never two activates at the tag; an abandoned session is logged out', () => {
  const vendor = (type: 'activate' | 'logout'): TraceEntry => ({ kind: 'vendor', call: { type } });
  const result: TraceEntry = { kind: 'vendor', call: { type: 'activation-result', ok: false, reason: 'cancelled' } };
  it('two activate calls in flight at the port, the first one abandoned by a sign-in', () => {
    expect(
      invariantsOf([state('inactive'), signIn, activateCall('secured', 900), signIn, activateCall('secured', 901)]),
    ).toContain(7);
  });
  it('iAdvize asked to activate while an activation is ongoing, a logout between them included (it cancels nothing)', () => {
    expect(invariantsOf([state('inactive'), signIn, vendor('activate'), signIn, vendor('activate')])).toContain(7);
    expect(
      invariantsOf([state('inactive'), signIn, vendor('activate'), vendor('logout'), signIn, vendor('activate')]),
    ).toContain(7);
    expect(
      invariantsOf([
        state('inactive'),
        signIn,
        vendor('activate'),
        vendor('logout'),
        result,
        signIn,
        vendor('activate'),
      ]),
    ).toEqual([]);
  });
  it('once the controller stopped waiting past its bound (cancelled at the port), another activate may follow', () => {
    const cancelled: TraceEntry = {
      kind: 'port-answer',
      id: 902,
      call: 'activate',
      mode: 'secured',
      answer: { ok: false, code: 'unknown', cancelled: true },
    };
    const trace = [
      state('inactive'),
      signIn,
      activateCall('secured', 902),
      vendor('activate'),
      cancelled,
      signIn,
      vendor('activate'),
    ];
    expect(invariantsOf(trace)).not.toContain(7);
  });
  it('a secured chat left open while the controller says signed out or failed', () => {
    const secured: TraceEntry = { kind: 'tag-state', status: 'secured', userId: 'alice' };
    const activated = [
      state('inactive'),
      signIn,
      state('fetching-token', { signedIn: true, identity: 'alice' }),
      ...activate(),
      secured,
    ];
    expect(invariantsOf([...activated, failed('activation-timeout', 'activation')])).toContain(7);
    expect(invariantsOf([...activated, active])).toEqual([]);
    // A logout under way, or a failed refresh reported as such, is not a lie.
    expect(
      invariantsOf([
        ...activated,
        failed('activation-timeout', 'activation'),
        { kind: 'port-call', id: 950, call: 'logout' },
      ]),
    ).not.toContain(7);
    expect(invariantsOf([...activated, failed('token-unavailable', 'refresh')])).not.toContain(7);
  });
});

describe('invariant 8: a token goes to one provider call, never past its expiry', () => {
  const call = (id: number): TraceEntry => ({ kind: 'provider-call', id, activation: 1 });
  const handed = (id: number, token: number, at = 0): TraceEntry => ({
    kind: 'provider-answer',
    id,
    handed: true,
    token,
    at,
  });
  it('the same token handed to a later call', () => {
    expect(invariantsOf([state('inactive'), signIn, call(1), handed(1, 1), call(2), handed(2, 1)])).toContain(8);
  });
  it('calls made at the same moment may share one fetch', () => {
    expect(invariantsOf([state('inactive'), signIn, call(1), call(2), handed(1, 1), handed(2, 1)])).toEqual([]);
  });
  it('a token handed out at or past its expiry', () => {
    const fetched: TraceEntry = {
      kind: 'fetch-answer',
      id: 9,
      outcome: 'token',
      aborted: false,
      token: 1,
      expiresAt: 1_000,
    };
    expect(invariantsOf([state('inactive'), signIn, fetched, call(1), handed(1, 1, 1_000)])).toContain(8);
    expect(invariantsOf([state('inactive'), signIn, fetched, call(1), handed(1, 1, 999)])).toEqual([]);
  });
});

describe('invariant 9: active only while the library can vouch for the session', () => {
  const refused: TraceEntry = { kind: 'provider-answer', id: 3, handed: false, because: 'refresh-failed' };
  it('active while (or after) the token the tag asked for was refused', () => {
    expect(invariantsOf([state('inactive'), signIn, active, refused])).toContain(9);
    expect(invariantsOf([state('inactive'), signIn, refused, active])).toContain(9);
  });
  it('active in the same step as a token handed out after the refusal (the answer is recorded just after)', () => {
    const handed: TraceEntry = { kind: 'provider-answer', id: 5, handed: true, token: 3 };
    expect(
      invariantsOf([state('inactive'), signIn, failed('token-unavailable', 'refresh'), refused, active, handed]),
    ).toEqual([]);
  });
  it('failed after the refusal, active again once a token is handed out', () => {
    const refreshFailed = failed('token-unavailable', 'refresh');
    const handed: TraceEntry = { kind: 'provider-answer', id: 4, handed: true, token: 2 };
    expect(invariantsOf([state('inactive'), signIn, refreshFailed, refused, handed, active])).toEqual([]);
  });
});

describe("invariant 2: no activate after a token failure under 'stay-inactive'", () => {
  const tokenFailure: TraceEntry[] = [
    state('inactive'),
    signIn,
    { kind: 'fetch', id: 50, purpose: 'activation' },
    { kind: 'fetch-answer', id: 50, outcome: 'failed', aborted: false },
  ];
  it('an anonymous activate after the fetch failed', () => {
    expect(invariantsOf([...tokenFailure, ...activate('anonymous')])).toContain(2);
  });
  it('is the opt-in under onTokenFailure: anonymous', () => {
    expect(
      invariantsOf(
        [
          ...tokenFailure,
          state('activating', {
            anonymous: true,
            signedIn: true,
            failure: describeFailure('token-unavailable', 'token'),
          }),
          ...activate('anonymous'),
        ],
        { onTokenFailure: 'anonymous' },
      ),
    ).toEqual([]);
  });
  it('a fallback announced from a token failure', () => {
    expect(
      invariantsOf([
        state('inactive'),
        signIn,
        {
          kind: 'event',
          event: { type: 'activation.anonymous', fallbackFrom: describeFailure('token-timeout', 'token') },
        },
      ]),
    ).toContain(2);
  });
});

describe('invariant 3: never anonymous after an activate failure', () => {
  it('an anonymous activate after a failed secured one', () => {
    expect(
      invariantsOf(
        [
          state('inactive'),
          signIn,
          { kind: 'port-call', id: 60, call: 'activate', mode: 'secured' },
          {
            kind: 'port-answer',
            id: 60,
            call: 'activate',
            mode: 'secured',
            answer: { ok: false, code: 'server-error', cancelled: false },
          },
          ...activate('anonymous'),
        ],
        { onTokenFailure: 'anonymous' },
      ),
    ).toContain(3);
  });
  it('but a cancelled activate is no failure', () => {
    const cancelled: TraceEntry[] = [
      { kind: 'port-call', id: 61, call: 'activate', mode: 'secured' },
      signOut,
      {
        kind: 'port-answer',
        id: 61,
        call: 'activate',
        mode: 'secured',
        answer: { ok: false, code: 'unknown', cancelled: true },
      },
    ];
    const signedOut: TraceEntry[] = [
      state('signing-out'),
      ...logout(),
      state('activating', { anonymous: true }),
      ...activate('anonymous'),
    ];
    expect(
      checkInvariants(
        [state('inactive'), signIn, state('activating', { signedIn: true }), ...cancelled, ...signedOut],
        { policy: { whenSignedOut: 'anonymous' } },
      ),
    ).toEqual([]);
  });
  it('and a failure still shown from the previous attempt is not news', () => {
    const previous = failed('server-error', 'activation');
    const retried: TraceEntry[] = [
      signIn,
      state('signing-out', {
        signedIn: true,
        identity: 'alice',
        failure: describeFailure('server-error', 'activation'),
      }),
      ...logout(),
    ];
    const fallback = state('activating', {
      anonymous: true,
      signedIn: true,
      identity: 'alice',
      failure: describeFailure('token-unavailable', 'token'),
    });
    expect(
      invariantsOf([state('inactive'), signIn, previous, ...retried, fallback, ...activate('anonymous')], {
        onTokenFailure: 'anonymous',
      }),
    ).toEqual([]);
  });
});

describe('invariant 4: no retry', () => {
  it('leaving failed without a site action', () => {
    expect(
      invariantsOf([
        state('inactive'),
        signIn,
        failed('server-error', 'activation'),
        state('fetching-token', { signedIn: true }),
      ]),
    ).toContain(4);
  });
  it('fetching a token while failed', () => {
    expect(
      invariantsOf([
        state('inactive'),
        signIn,
        failed('token-timeout', 'token'),
        { kind: 'fetch', id: 70, purpose: 'activation' },
      ]),
    ).toContain(4);
  });
  it('but a new sign-in may leave it', () => {
    expect(
      invariantsOf([
        state('inactive'),
        signIn,
        failed('token-timeout', 'token'),
        signIn,
        state('fetching-token', { signedIn: true }),
        { kind: 'fetch', id: 71, purpose: 'activation' },
      ]),
    ).toEqual([]);
  });
});

describe('invariant 5: signed out means logged out, and no token', () => {
  it('sign-out settled without a logout', () => {
    expect(invariantsOf([state('inactive'), signIn, ...activate(), active, signOut, state('inactive')])).toContain(5);
  });
  it('the visitor still sees a secured chat', () => {
    expect(invariantsOf([{ kind: 'tag-state', status: 'secured', userId: 'alice' }, ...happy])).toContain(5);
  });
  it('the provider hands out a token after sign-out', () => {
    expect(
      invariantsOf([
        ...happy,
        { kind: 'provider-call', id: 80, activation: 1 },
        { kind: 'provider-answer', id: 80, handed: true },
      ]),
    ).toContain(5);
  });
  it('the controller still reports the visitor signed in', () => {
    expect(
      invariantsOf([
        state('inactive'),
        signIn,
        active,
        signOut,
        state('inactive', { signedIn: true, identity: 'alice' }),
      ]),
    ).toContain(5);
  });
  it('a sign-out that changes nothing while signed in', () => {
    expect(invariantsOf([state('inactive'), signIn, active, signOut])).toContain(5);
  });
  it("another tab's sign-out ('tabs.signedOut') is a sign-out here: it must settle logged out", () => {
    const fromTab: TraceEntry = { kind: 'event', event: { type: 'tabs.signedOut', because: 'sign-out' } };
    const signedIn = [
      state('inactive'),
      signIn,
      state('fetching-token', { signedIn: true, identity: 'alice' }),
      ...activate(),
      active,
    ];
    expect(invariantsOf([...signedIn, fromTab, state('inactive')])).toContain(5);
    expect(invariantsOf([...signedIn, fromTab, state('signing-out'), ...logout(), state('inactive')])).toEqual([]);
    // It is the site's action (in another tab): leaving 'failed' for it is no retry (invariant 4).
    expect(
      invariantsOf([
        state('inactive'),
        signIn,
        failed('credentials-rejected', 'activation'),
        fromTab,
        state('inactive'),
      ]),
    ).toEqual([]);
  });
  it('but an anonymous session by policy after sign-out is fine', () => {
    expect(
      invariantsOf(
        [
          ...happy.slice(0, -1),
          state('activating', { anonymous: true }),
          ...activate('anonymous'),
          state('anonymous', { anonymous: true }),
          signOut,
        ],
        { whenSignedOut: 'anonymous' },
      ),
    ).toEqual([]);
  });
});

describe('invariant 6: documented failure codes', () => {
  it('a code outside FAILURE_CODES', () => {
    expect(
      invariantsOf([state('failed', { failure: { code: 'nope' as FailureCode, advice: '', phase: 'token' } })]),
    ).toContain(6);
  });
  it('advice that is not the documented one', () => {
    expect(
      invariantsOf([
        {
          kind: 'event',
          event: {
            type: 'activation.failed',
            failure: { ...describeFailure('tag-error', 'activation'), advice: 'try again' },
          },
        },
      ]),
    ).toContain(6);
  });
});

it('assertInvariants throws an InvariantError naming the invariant and showing the trace', () => {
  const trace = [
    state('inactive'),
    signIn,
    failed('server-error', 'activation'),
    state('fetching-token', { signedIn: true }),
  ];
  expect(() => assertInvariants(trace)).toThrow(InvariantError);
  expect(() => assertInvariants(trace)).toThrow(
    /invariant 4 \(no retry[\s\S]*state failed as alice failure=server-error\/activation/,
  );
});
