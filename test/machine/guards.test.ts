// Each named guard of the machine, called directly with the context and event it reads.
import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { activationMachine, type ActivationContext, type ActivationEvent } from '../../machines/activation.js';

const guards = activationMachine.implementations.guards as unknown as Record<
  string,
  (args: { context: ActivationContext; event: ActivationEvent }, params?: unknown) => boolean
>;
const baseContext = createActor(activationMachine, { input: {} }).getSnapshot().context;
const check = (name: string, context: Partial<ActivationContext>, event: ActivationEvent = { type: 'SIGN_OUT' }, params?: unknown) =>
  guards[name]!({ context: { ...baseContext, ...context }, event }, params);

describe('named guards', () => {
  it('anonymousOnTokenFailure follows the opt-in only', () => {
    expect(check('anonymousOnTokenFailure', {})).toBe(false);
    expect(check('anonymousOnTokenFailure', { policy: { onTokenFailure: 'anonymous', whenSignedOut: 'inactive' } })).toBe(true);
  });

  it('anonymousWhenSignedOut follows the whenSignedOut policy', () => {
    expect(check('anonymousWhenSignedOut', {})).toBe(false);
    expect(check('anonymousWhenSignedOut', { policy: { onTokenFailure: 'stay-inactive', whenSignedOut: 'anonymous' } })).toBe(true);
  });

  it.each([
    ['none', false],
    ['anonymous', true],
    ['secured', true],
    ['unknown', true],
  ] as const)('tagHoldsSession is %s → %s', (tagSession, expected) => {
    expect(check('tagHoldsSession', { tagSession })).toBe(expected);
    expect(check('tagIsAnonymous', { tagSession })).toBe(tagSession === 'anonymous');
  });

  it('sameVisitor needs a known identity equal to the signed-in one', () => {
    const visitor = { identity: 'alice' };
    expect(check('sameVisitor', { visitor }, { type: 'SIGN_IN', identity: 'alice' })).toBe(true);
    expect(check('sameVisitor', { visitor }, { type: 'SIGN_IN', identity: 'bob' })).toBe(false);
    expect(check('sameVisitor', { visitor }, { type: 'SIGN_IN' })).toBe(false);
    expect(check('sameVisitor', { visitor: { identity: undefined } }, { type: 'SIGN_IN' })).toBe(false);
  });

  it('otherVisitor needs a known identity different from the signed-in one', () => {
    const visitor = { identity: 'alice' };
    expect(check('otherVisitor', { visitor }, { type: 'SIGN_IN', identity: 'bob' })).toBe(true);
    expect(check('otherVisitor', { visitor }, { type: 'SIGN_IN', identity: 'alice' })).toBe(false);
    expect(check('otherVisitor', { visitor }, { type: 'SIGN_IN' })).toBe(false);
    expect(check('otherVisitor', { visitor: { identity: undefined } }, { type: 'SIGN_IN', identity: 'bob' })).toBe(true);
  });

  it('staleTokenRequest compares the provider call with the current attempt', () => {
    expect(check('staleTokenRequest', { attempt: 2 }, { type: 'TOKEN_REQUESTED', requestId: 1, attempt: 2 })).toBe(false);
    expect(check('staleTokenRequest', { attempt: 2 }, { type: 'TOKEN_REQUESTED', requestId: 1, attempt: 1 })).toBe(true);
  });

  it('activationSucceeded reads the outcome', () => {
    expect(check('activationSucceeded', {}, undefined, { outcome: { ok: true } })).toBe(true);
    expect(check('activationSucceeded', {}, undefined, { outcome: { ok: false, code: 'unknown' } })).toBe(false);
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
    expect(actor.getSnapshot().value).toBe('failed');
    expect(actor.getSnapshot().context.failure).toMatchObject({ code: 'token-unavailable', reason: expect.stringContaining("provide the 'fetchToken' actor") });
  });

  it('starts signed out with the defaults', () => {
    const snapshot = createActor(activationMachine, { input: {} }).getSnapshot();
    expect(snapshot.value).toBe('signedOut');
    expect(snapshot.context).toMatchObject({ tagSession: 'none', attempt: 0, visitor: undefined, failure: undefined });
  });
});
