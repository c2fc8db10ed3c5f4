// Each named guard of the machine, called directly with the context and event it reads.
import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { activationMachine, type ActivationContext, type ActivationEvent } from '../../machines/activation.js';

const guards = activationMachine.implementations.guards as unknown as Record<
  string,
  (args: { context: ActivationContext; event: ActivationEvent }, params?: unknown) => boolean
>;
const baseContext = createActor(activationMachine, { input: {} }).getSnapshot().context;
const check = (
  name: string,
  context: Partial<ActivationContext>,
  event: ActivationEvent = { type: 'SIGN_OUT' },
  params?: unknown,
) => guards[name]!({ context: { ...baseContext, ...context }, event }, params);

describe('named guards', () => {
  it('anonymousOnTokenFailure follows the opt-in only', () => {
    expect(check('anonymousOnTokenFailure', {})).toBe(false);
    expect(
      check('anonymousOnTokenFailure', {
        policy: { onTokenFailure: 'anonymous', whenSignedOut: 'inactive', anonymousUpgrade: 'in-place' },
      }),
    ).toBe(true);
  });

  it('anonymousWhenSignedOut follows the whenSignedOut policy', () => {
    expect(check('anonymousWhenSignedOut', {})).toBe(false);
    expect(
      check('anonymousWhenSignedOut', {
        policy: { onTokenFailure: 'stay-inactive', whenSignedOut: 'anonymous', anonymousUpgrade: 'in-place' },
      }),
    ).toBe(true);
  });

  it.each([
    ['none', false],
    ['anonymous', true],
    ['secured', true],
    ['unknown', true],
  ] as const)('tagMayHoldSession is %s → %s', (tagSession, expected) => {
    expect(check('tagMayHoldSession', { tagSession })).toBe(expected);
    expect(check('tagIsAnonymous', { tagSession })).toBe(tagSession === 'anonymous');
  });

  it('tagMayHoldSession counts an activate still running at the tag, abandoned or not (invariant 7)', () => {
    const call = { kind: 'activate', mode: 'secured', attempt: 1 } as const;
    expect(check('tagMayHoldSession', { tagActivation: { call, abandoned: false } })).toBe(true);
    expect(check('tagMayHoldSession', { tagActivation: { call, abandoned: true } })).toBe(true);
  });

  it('upgradeAfterLogout follows anonymousUpgrade over an anonymous session only', () => {
    const policy = {
      onTokenFailure: 'stay-inactive',
      whenSignedOut: 'anonymous',
      anonymousUpgrade: 'logout-first',
    } as const;
    expect(check('upgradeAfterLogout', { policy, tagSession: 'anonymous' })).toBe(true);
    expect(check('upgradeAfterLogout', { policy, tagSession: 'none' })).toBe(false);
    expect(check('upgradeAfterLogout', { tagSession: 'anonymous' })).toBe(false);
  });

  it('tokenUnusable compares the call time with the token in hand, and holds with no token', () => {
    const event = (at: number) => ({ type: 'TOKEN_REQUESTED', requestId: 1, attempt: 0, at }) as const;
    expect(check('tokenUnusable', { token: 't', tokenUsableUntil: 1_000 }, event(999))).toBe(false);
    expect(check('tokenUnusable', { token: 't', tokenUsableUntil: 1_000 }, event(1_000))).toBe(true);
    expect(check('tokenUnusable', { token: 't', tokenUsableUntil: undefined }, event(1e15))).toBe(false);
    expect(check('tokenUnusable', { token: undefined }, event(0))).toBe(true);
  });

  it('sameVisitorServed needs a known identity equal to the signed-in one, and no failed refresh', () => {
    const visitor = { identity: 'alice' };
    expect(check('sameVisitorServed', { visitor }, { type: 'SIGN_IN', identity: 'alice' })).toBe(true);
    expect(check('sameVisitorServed', { visitor }, { type: 'SIGN_IN', identity: 'bob' })).toBe(false);
    expect(check('sameVisitorServed', { visitor }, { type: 'SIGN_IN' })).toBe(false);
    expect(check('sameVisitorServed', { visitor: { identity: undefined } }, { type: 'SIGN_IN' })).toBe(false);
    const refreshFailure = { code: 'token-unavailable', phase: 'refresh', advice: '' } as const;
    expect(check('sameVisitorServed', { visitor, refreshFailure }, { type: 'SIGN_IN', identity: 'alice' })).toBe(false);
  });

  it('otherVisitor with overSession also asks whether the tag may hold a session', () => {
    const visitor = { identity: 'alice' };
    const bob = { type: 'SIGN_IN', identity: 'bob' } as const;
    expect(check('otherVisitor', { visitor, tagSession: 'secured' }, bob, { overSession: true })).toBe(true);
    expect(check('otherVisitor', { visitor, tagSession: 'none' }, bob, { overSession: true })).toBe(false);
    expect(check('otherVisitor', { visitor, tagSession: 'none' }, bob, { overSession: false })).toBe(true);
  });

  it('otherVisitor needs a known identity different from the signed-in one', () => {
    const visitor = { identity: 'alice' };
    expect(check('otherVisitor', { visitor }, { type: 'SIGN_IN', identity: 'bob' })).toBe(true);
    expect(check('otherVisitor', { visitor }, { type: 'SIGN_IN', identity: 'alice' })).toBe(false);
    expect(check('otherVisitor', { visitor }, { type: 'SIGN_IN' })).toBe(false);
    expect(check('otherVisitor', { visitor: { identity: undefined } }, { type: 'SIGN_IN', identity: 'bob' })).toBe(
      true,
    );
  });

  it('staleTokenRequest compares the provider call with the current attempt', () => {
    expect(
      check('staleTokenRequest', { attempt: 2 }, { type: 'TOKEN_REQUESTED', requestId: 1, attempt: 2, at: 0 }),
    ).toBe(false);
    expect(
      check('staleTokenRequest', { attempt: 2 }, { type: 'TOKEN_REQUESTED', requestId: 1, attempt: 1, at: 0 }),
    ).toBe(true);
  });

  it('answerAwaited matches the mode, the current attempt and the outcome', () => {
    const answer = (attempt: number, ok: boolean): ActivationEvent => ({
      type: 'tag.activated',
      call: { kind: 'activate', mode: 'secured', attempt },
      outcome: ok ? { ok: true } : { ok: false, code: 'unknown' },
    });
    expect(check('answerAwaited', { attempt: 2 }, answer(2, true), { mode: 'secured', ok: true })).toBe(true);
    expect(check('answerAwaited', { attempt: 2 }, answer(2, false), { mode: 'secured', ok: true })).toBe(false);
    expect(check('answerAwaited', { attempt: 2 }, answer(1, true), { mode: 'secured', ok: true })).toBe(false);
    expect(check('answerAwaited', { attempt: 2 }, answer(2, true), { mode: 'anonymous', ok: true })).toBe(false);
  });

  it('visitorSignedIn and signInQueued read the context', () => {
    expect(check('visitorSignedIn', {})).toBe(false);
    expect(check('visitorSignedIn', { visitor: { identity: undefined } })).toBe(true);
    expect(check('signInQueued', {})).toBe(false);
    expect(check('signInQueued', { queuedSignIn: { identity: 'x' } })).toBe(true);
  });
});

describe('the raw machine', () => {
  it('names the actor to provide when used without implementations', async () => {
    const actor = createActor(activationMachine, { input: {} });
    actor.start();
    actor.send({ type: 'SIGN_IN', identity: 'u' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(actor.getSnapshot().value).toMatchObject({ visitor: 'failed' });
    expect(actor.getSnapshot().context.failure).toMatchObject({
      code: 'token-unavailable',
      reason: expect.stringContaining("provide the 'fetchToken' actor"),
    });
  });

  it('starts signed out with the defaults', () => {
    const snapshot = createActor(activationMachine, { input: {} }).getSnapshot();
    expect(snapshot.value).toEqual({ tag: 'loading', visitor: 'signedOut' });
    expect(snapshot.context).toMatchObject({ tagSession: 'none', attempt: 0, visitor: undefined, failure: undefined });
  });
});
