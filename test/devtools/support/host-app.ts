// A site that is not the demo, for the devtools browser tests: its own CSS, the real tag adapter
// loading the fake iAdvize script, the real token endpoint. It loads the panel the way the docs
// say, only when `?iadvize-devtools` is in the URL, or when a test calls `enableDevtools()`.
import { createActor } from 'xstate';
import { createActivation, fetchTokenFrom, type Activation } from '../../../src/index.js';
import { iAdvizeTag } from '../../../src/tag/index.js';

const activation = createActivation({
  tag: iAdvizeTag({ sid: 'host-sid', scriptUrl: '/iadvize.js', loadTimeoutMs: 5_000 }),
  fetchToken: fetchTokenFrom('/api/token'),
  // Short, so a test sees the token go stale and a provider call refresh it.
  tokenTtlMs: 3_000,
  timeouts: { tokenFetchMs: 5_000 },
}).start();

type Handle = import('../../../src/devtools/index.js').Devtools;
let devtools: Handle | undefined;

async function enableDevtools(collapsed = false): Promise<void> {
  const { mountDevtools } = await import('../../../src/devtools/index.js');
  devtools ??= mountDevtools(activation, { collapsed });
}

/**
 * The panel over another machine: only `actor`, `getSnapshot` and `subscribe` are read, and the
 * status is one this version of the panel has never heard of.
 */
async function mountToy(): Promise<void> {
  const [{ mountDevtools }, { toyMachine }] = await Promise.all([
    import('../../../src/devtools/index.js'),
    import('./toy-machine.js'),
  ]);
  const actor = createActor(toyMachine).start();
  const state = {
    status: 'warming-up',
    identity: undefined,
    signedIn: false,
    anonymous: false,
    failure: undefined,
    refreshFailure: undefined,
  };
  const toy = { actor, getSnapshot: () => state, subscribe: () => () => undefined } as unknown as Activation;
  mountDevtools(toy, { container: document.querySelector<HTMLElement>('#toy')! });
  Object.assign(window, { toy: actor });
}

if (new URLSearchParams(location.search).has('iadvize-devtools')) void enableDevtools();

Object.assign(window, {
  host: {
    activation,
    enableDevtools,
    mountToy,
    unmountDevtools: () => {
      devtools?.unmount();
      devtools = undefined;
    },
    report: () => devtools?.report(),
    value: () => activation.actor.getSnapshot().value,
    status: () => activation.getSnapshot().status,
    // The site's own session: a cookie naming the visitor, read by the token endpoint.
    signIn(userId: string) {
      document.cookie = `host_user=${encodeURIComponent(userId)}; path=/; SameSite=Strict`;
      activation.signIn(userId);
    },
    signOut() {
      document.cookie = 'host_user=; path=/; max-age=0';
      activation.signOut();
    },
  },
});
document.querySelector('#status')!.textContent = 'ready';
