import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import {
  activationMachine,
  ActivationConflictError,
  ActivationOptionsError,
  ActivationUsageError,
  createActivation,
  DEFAULT_POLICY,
  DEFAULT_TIMEOUTS,
  DEFAULT_TOKEN_TTL_MS,
} from '../../src/index.js';
import { createScriptedTag } from '../support/scripted-tag.js';

const valid = () => ({ tag: createScriptedTag(), fetchToken: async () => 'a.b.c.d.e' });

describe('createActivation option validation', () => {
  it.each([
    ['no options', undefined, 'options', /expected an options object/],
    ['a typo in an option name', { ...valid(), polciy: {} }, 'options', /unknown option 'polciy'/],
    ['no tag', { fetchToken: valid().fetchToken }, 'tag', /option 'tag' is required/],
    [
      'a tag without logout',
      { ...valid(), tag: { ready: async () => {}, activate: async () => ({ ok: true }) } },
      'tag',
      /'logout' is not a function/,
    ],
    ['no fetchToken', { tag: valid().tag }, 'fetchToken', /'fetchToken' must be a function/],
    [
      'an unknown onTokenFailure',
      { ...valid(), policy: { onTokenFailure: 'anon' } },
      'policy.onTokenFailure',
      /must be 'stay-inactive' or 'anonymous' \(got 'anon'\)/,
    ],
    [
      'an unknown whenSignedOut',
      { ...valid(), policy: { whenSignedOut: true } },
      'policy.whenSignedOut',
      /must be 'inactive' or 'anonymous' \(got true\)/,
    ],
    ['an unknown policy', { ...valid(), policy: { retries: 3 } }, 'policy', /unknown policy 'retries'/],
    ['a negative timeout', { ...valid(), timeouts: { tokenFetchMs: -1 } }, 'timeouts.tokenFetchMs', /greater than 0/],
    ['an unknown timeout', { ...valid(), timeouts: { tagLoadMs: 5 } }, 'timeouts', /unknown timeout 'tagLoadMs'/],
    ['an inherited name as a policy', { ...valid(), policy: { toString: 'x' } }, 'policy', /unknown policy 'toString'/],
    [
      'an inherited name as a timeout',
      { ...valid(), timeouts: { constructor: 5 } },
      'timeouts',
      /unknown timeout 'constructor'/,
    ],
    ['an infinite token TTL', { ...valid(), tokenTtlMs: Infinity }, 'tokenTtlMs', /tokenTtlMs must be a number/],
    ['a string token TTL', { ...valid(), tokenTtlMs: '30000' }, 'tokenTtlMs', /got '30000'/],
    [
      'a clock without clearTimeout',
      { ...valid(), clock: { setTimeout: (): number => 1 } },
      'clock',
      /setTimeout and clearTimeout/,
    ],
    [
      'a clock whose now is not a function',
      { ...valid(), clock: { setTimeout: (): number => 1, clearTimeout: () => undefined, now: 5 } },
      'clock',
      /now\(\) if any/,
    ],
    [
      'a tabs option that is not a boolean',
      { ...valid(), tabs: 'yes' },
      'tabs',
      /option 'tabs' must be true or false \(got 'yes'\)/,
    ],
  ])('rejects %s, naming the option', (_, options, option, message) => {
    let error: unknown;
    try {
      createActivation(options as never);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ActivationOptionsError);
    expect(error).toBeInstanceOf(TypeError);
    expect(error).toMatchObject({ option, message: expect.stringMatching(message) });
    expect((error as Error).message).toMatch(/^createActivation: /);
  });

  it('accepts valid options and applies the defaults', () => {
    const activation = createActivation({
      ...valid(),
      policy: { onTokenFailure: 'anonymous' },
      timeouts: { activationMs: 5_000 },
    });
    const { context } = activation.actor.getSnapshot();
    expect(context.policy).toEqual({
      onTokenFailure: 'anonymous',
      whenSignedOut: 'inactive',
      anonymousUpgrade: 'in-place',
    });
    expect(context.timeouts).toEqual({ tokenFetchMs: 10_000, activationMs: 5_000, logoutMs: 10_000 });
    expect(context.tokenTtlMs).toBe(30_000);
  });

  it("the defaults are the machine's, applied in one place: the controller passes on only what was given", () => {
    const given = { ...valid(), policy: { whenSignedOut: 'anonymous' as const } };
    const viaController = createActivation(given).actor.getSnapshot().context;
    const viaMachine = createActor(activationMachine, { input: { policy: given.policy } }).getSnapshot().context;
    expect(viaController.policy).toEqual({ ...DEFAULT_POLICY, whenSignedOut: 'anonymous' });
    expect(viaController.policy).toEqual(viaMachine.policy);
    expect(viaController.timeouts).toEqual(DEFAULT_TIMEOUTS);
    expect(viaController.tokenTtlMs).toBe(DEFAULT_TOKEN_TTL_MS);
  });

  it('signIn before start() and a bad identity are clear errors', () => {
    const activation = createActivation(valid());
    expect(() => activation.signIn('u')).toThrow(/call start\(\) before signIn/);
    expect(() => activation.signIn('u')).toThrow(expect.objectContaining({ code: 'not-started' }));
    activation.start();
    expect(() => activation.signIn('')).toThrow(TypeError);
    expect(() => activation.signIn('')).toThrow(ActivationUsageError);
    expect(() => activation.signIn('')).toThrow(expect.objectContaining({ code: 'invalid-identity' }));
    expect(() => activation.signIn(42 as never)).toThrow(/identity must be a non-empty string/);
    activation.stop();
  });
});

describe('one controller per page', () => {
  it('a second controller started on the same page is a clear error until the first stops', () => {
    const page = {};
    const tagOn = () => Object.assign(createScriptedTag(), { scope: page });
    const first = createActivation({ ...valid(), tag: tagOn() }).start();
    const second = createActivation({ ...valid(), tag: tagOn() });
    expect(() => second.start()).toThrow(ActivationConflictError);
    expect(() => second.start()).toThrow(/one controller per page load/);
    expect(() =>
      createActivation({ ...valid(), tag: createScriptedTag() })
        .start()
        .stop(),
    ).not.toThrow();
    first.stop();
    expect(() => second.start()).not.toThrow();
    second.stop();
  });
});
