// The fake tag on its own, over a scripted server: how it takes over the queue, checks
// options, retries, re-verifies and logs, independently of the adapter and of the crypto.
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  AUTHENTICATION_FAILURE,
  AUTHENTICATION_SUCCESS,
  DEFAULT_ANONYMOUS_TYPE,
  INTERFACE_QUEUE,
  securedOption,
  VENDOR_REASONS,
} from '../../src/tag/contract.js';
import type { TagWindow, VendorProvider } from '../../src/tag/vendor-api.js';
import { createFakeTag, type FakeTagOptions, type FakeTagReadings } from '../../src/fake/tag.js';
import { installFakeTag } from '../../src/fake/install-tag.js';
import { SERVER_ERROR_ANSWER, type AuthenticationAnswer } from '../../src/fake/server-protocol.js';

/** A scripted server: 'good-<user>' tokens pass, 'error' is a server error, anything else is rejected. */
const scriptedServer = () => ({
  authenticate: vi.fn(async (token: string): Promise<AuthenticationAnswer> => {
    if (token.startsWith('good-')) return { ok: true, userId: token.slice(5) };
    if (token === 'error') return SERVER_ERROR_ANSWER;
    return { ok: false, kind: 'rejected', check: 'format', reason: 'rejected' };
  }),
});

const fakeTag = (options: Partial<FakeTagOptions> = {}) => createFakeTag({ server: scriptedServer(), ...options });
const giving = (...tokens: string[]): VendorProvider => {
  const queue = [...tokens];
  return async () => securedOption(queue.length > 1 ? (queue.shift() as string) : (queue[0] as string));
};

afterEach(() => void vi.useRealTimers());

describe('installing on a page', () => {
  it('runs the functions queued before it in order, keeps the config, then runs pushes at once', () => {
    const order: string[] = [];
    const win: TagWindow = {
      [INTERFACE_QUEUE]: Object.assign([() => order.push('first'), () => order.push('second')], {
        config: { sid: '42' },
      }),
    };
    const tag = installFakeTag(win, { server: scriptedServer() });
    expect(order).toEqual(['first', 'second']);
    win[INTERFACE_QUEUE]?.push((iAdvize) => order.push(iAdvize === tag.iAdvize ? 'at once' : 'wrong object'));
    expect(order).toEqual(['first', 'second', 'at once']);
    expect(win[INTERFACE_QUEUE]?.config).toEqual({ sid: '42' });
    expect(tag.calls.of('script-loaded')).toMatchObject([{ sid: '42' }]);
  });

  it('installs on a page that declared no queue', () => {
    const win: TagWindow = {};
    const tag = installFakeTag(win, { server: scriptedServer() });
    const seen = vi.fn();
    win[INTERFACE_QUEUE]?.push(seen);
    expect(seen).toHaveBeenCalledWith(tag.iAdvize);
    expect(tag.calls.of('script-loaded')).toMatchObject([{ sid: undefined }]);
  });

  it('logs a page function that throws and still runs the next; ignores what is not a function', () => {
    const after = vi.fn();
    const win = {
      [INTERFACE_QUEUE]: [
        () => {
          throw new Error('page bug');
        },
        'not a function',
        after,
      ],
    } as unknown as TagWindow;
    const tag = installFakeTag(win, { server: scriptedServer() });
    expect(after).toHaveBeenCalledOnce();
    expect(tag.calls.of('queued-function-error')).toMatchObject([{ message: 'page bug' }]);
  });
});

describe('activate', () => {
  it.each<[string, VendorProvider]>([
    ['throws', () => Promise.reject(new Error('no token'))],
    ['answers no option', async () => ({}) as never],
    [
      'answers a secured option without token',
      async () => ({ authenticationOption: { type: 'SECURED_AUTHENTICATION' } }),
    ],
    ['answers an unknown type', async () => ({ authenticationOption: { type: 'PASSWORD', token: 'x' } })],
    ['is not a function', 'nope' as never],
  ])('answers an invalid option when the provider %s, without asking the server', async (_, provider) => {
    const server = scriptedServer();
    const tag = createFakeTag({ server });
    const result = await tag.iAdvize.activate(provider);
    expect(result!.authentication).toMatchObject({
      status: AUTHENTICATION_FAILURE,
      reason: VENDOR_REASONS.invalidOption,
    });
    expect(server.authenticate).not.toHaveBeenCalled();
    expect(tag.state).toMatchObject({
      status: 'inactive',
      activating: false,
      lastFailure: { reason: VENDOR_REASONS.invalidOption, during: 'activation' },
    });
  });

  it('answers with the option it was given, through the promise and the callback alike', async () => {
    const tag = fakeTag();
    const callback = vi.fn();
    const result = await tag.iAdvize.activate(giving('good-ann'), callback);
    expect(result).toEqual({
      authentication: { option: { type: 'SECURED_AUTHENTICATION', token: 'good-ann' }, status: AUTHENTICATION_SUCCESS },
    });
    expect(callback).toHaveBeenCalledWith(result);
  });

  it("ignores a callback that throws: the tag's answer stands", async () => {
    const tag = fakeTag();
    const result = await tag.iAdvize.activate(giving('good-ann'), () => {
      throw new Error('page bug');
    });
    expect(result!.authentication.status).toBe(AUTHENTICATION_SUCCESS);
  });

  it('does not retry a rejection, only server errors', async () => {
    const server = scriptedServer();
    const tag = createFakeTag({ server });
    const result = await tag.iAdvize.activate(giving('bad'));
    expect(result!.authentication.reason).toBe('rejected');
    expect(server.authenticate).toHaveBeenCalledOnce();
  });

  it('treats a transport that throws as a server error, retried', async () => {
    const authenticate = vi
      .fn()
      .mockRejectedValueOnce(new Error('network down'))
      .mockResolvedValue({ ok: true, userId: 'ann' });
    const tag = createFakeTag({ server: { authenticate } });
    expect((await tag.iAdvize.activate(giving('good-ann')))!.authentication.status).toBe(AUTHENTICATION_SUCCESS);
    expect(authenticate).toHaveBeenCalledTimes(2);
  });

  it('retries as configured: 0 retries is a single attempt', async () => {
    const server = scriptedServer();
    const tag = createFakeTag({ server, retries: 0 });
    expect((await tag.iAdvize.activate(giving('error')))!.authentication.reason).toBe(VENDOR_REASONS.serverError);
    expect(server.authenticate).toHaveBeenCalledOnce();
  });

  it('shows activating while under way', async () => {
    const tag = fakeTag();
    const seen: boolean[] = [];
    tag.subscribe((state) => seen.push(state.activating));
    await tag.iAdvize.activate(giving('good-ann'));
    expect(seen).toEqual([true, false]);
  });
});

describe('the readings of what the docs leave open (tag-contract.md §8)', () => {
  /** What the page sees of one activate, in order: the promise's value and the callback's, and when. */
  async function delivered(result: FakeTagReadings['result']) {
    const tag = fakeTag({ readings: { result } });
    const seen: string[] = [];
    const returned = tag.iAdvize.activate(giving('good-ann'), (answer) =>
      seen.push(`callback ${answer.authentication.status}`),
    );
    if (returned === undefined) seen.push('no promise');
    else void returned.then((answer) => seen.push(`promise ${answer?.authentication.status ?? 'undefined'}`));
    await vi.waitFor(() => expect(tag.state.activating).toBe(false));
    // Settle what is still on its way (a promise resolved after the callback).
    await new Promise((resolve) => setImmediate(resolve));
    return seen;
  }

  it.each<[FakeTagReadings['result'], string[]]>([
    ['both', [`callback ${AUTHENTICATION_SUCCESS}`, `promise ${AUTHENTICATION_SUCCESS}`]],
    ['promise', [`promise ${AUTHENTICATION_SUCCESS}`]],
    ['callback', ['no promise', `callback ${AUTHENTICATION_SUCCESS}`]],
    ['promise-then-callback', [`promise ${AUTHENTICATION_SUCCESS}`, `callback ${AUTHENTICATION_SUCCESS}`]],
    ['ack-then-callback', ['promise undefined', `callback ${AUTHENTICATION_SUCCESS}`]],
    ['callback-then-duplicate', [`callback ${AUTHENTICATION_SUCCESS}`, `promise ${AUTHENTICATION_FAILURE}`]],
  ])('result %s: delivers %j', async (result, expected) => {
    expect(await delivered(result)).toEqual(expected);
  });

  it('logout: cancels-activation ends the activate in flight; keeps-activation lets it open its session', async () => {
    for (const [logout, status] of [
      ['cancels-activation', 'inactive'],
      ['keeps-activation', 'secured'],
    ] as const) {
      let release!: () => void;
      const tag = fakeTag({ readings: { logout } });
      const activated = tag.iAdvize.activate(async () => {
        await new Promise<void>((resolve) => (release = resolve));
        return securedOption('good-ann');
      });
      await vi.waitFor(() => expect(release).toBeDefined());
      await tag.iAdvize.logout();
      release();
      await activated;
      expect(tag.state.status, logout).toBe(status);
    }
  });

  it('upgrade: in-place opens the secured session over an anonymous one; refuse answers "Can\'t activate twice"', async () => {
    for (const [upgrade, status, reason] of [
      ['in-place', AUTHENTICATION_SUCCESS, undefined],
      ['refuse', AUTHENTICATION_FAILURE, VENDOR_REASONS.alreadyActivated],
    ] as const) {
      const tag = fakeTag({ readings: { upgrade } });
      await tag.iAdvize.activate(async () => ({ authenticationOption: { type: DEFAULT_ANONYMOUS_TYPE } }));
      expect(tag.state.status, upgrade).toBe('anonymous');
      const result = await tag.iAdvize.activate(giving('good-ann'));
      expect(result!.authentication, upgrade).toMatchObject({ status, ...(reason ? { reason } : {}) });
    }
  });
});

describe('session re-verification', () => {
  it('re-verifies once when asked twice at the same time', async () => {
    const tag = fakeTag();
    const provider = vi.fn(giving('good-ann'));
    await tag.iAdvize.activate(provider);
    await Promise.all([tag.expireSession(), tag.expireSession()]);
    expect(provider).toHaveBeenCalledTimes(2);
  });

  it('does nothing without a secured session', async () => {
    const tag = fakeTag();
    const provider = vi.fn(async () => ({ authenticationOption: { type: 'ANONYMOUS_AUTHENTICATION' } }));
    await tag.iAdvize.activate(provider);
    await tag.expireSession();
    expect(provider).toHaveBeenCalledOnce();
    expect(tag.state.status).toBe('anonymous');
  });

  it('ends the session when the provider turns anonymous', async () => {
    const tag = fakeTag();
    let anonymous = false;
    await tag.iAdvize.activate(async () =>
      anonymous ? { authenticationOption: { type: 'ANONYMOUS_AUTHENTICATION' } } : securedOption('good-ann'),
    );
    anonymous = true;
    await tag.expireSession();
    expect(tag.state).toMatchObject({
      status: 'inactive',
      lastFailure: { reason: VENDOR_REASONS.invalidOption, during: 'reverification' },
    });
  });

  it('a logout during re-verification wins: the late answer changes nothing', async () => {
    let answer: ((value: ReturnType<typeof securedOption>) => void) | undefined;
    let calls = 0;
    const tag = fakeTag();
    await tag.iAdvize.activate(() =>
      ++calls === 1 ? securedOption('good-ann') : new Promise((resolve) => (answer = resolve)),
    );
    const reverification = tag.expireSession();
    await vi.waitFor(() => expect(answer).toBeDefined());
    await tag.iAdvize.logout();
    answer?.(securedOption('good-ann'));
    await reverification;
    expect(tag.state).toEqual({ status: 'inactive', activating: false });
    expect(tag.calls.count('session-reverification')).toBe(0);
  });

  it('re-verifies on its timer until disposed', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const tag = fakeTag({ sessionLifetimeMs: 1_000 });
    const provider = vi.fn(giving('good-ann'));
    await tag.iAdvize.activate(provider);
    await vi.advanceTimersByTimeAsync(3_000);
    expect(provider).toHaveBeenCalledTimes(4);
    tag.dispose();
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(3_000);
    expect(provider).toHaveBeenCalledTimes(4);
  });
});
