// The Vue composables with the real Vue 3: server rendering (vue/server-renderer) of the example
// renders the first state quietly, without subscribing or signing in; in a browser-like scope
// the ref follows the controller and stops following when the scope is disposed.
import { createSSRApp, effectScope, nextTick, ref } from 'vue';
import { renderToString } from 'vue/server-renderer';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { useActivation, useActivationEvent, useActivationIdentity } from '../../src/vue/index.js';
import { activation, App } from '../../docs/examples/vue.js';
import { harness } from '../activation/harness.js';

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

afterAll(() => {
  activation.stop();
});

describe('server rendering (vue/server-renderer)', () => {
  it('renders the example with the first state, quietly, without subscribing or signing in', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const warnings = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const subscribe = vi.spyOn(activation, 'subscribe');
    const on = vi.spyOn(activation, 'on');
    const first = activation.getSnapshot();
    const html = await renderToString(createSSRApp(App, { userId: 'user-42' }));
    expect(html).toBe(`<p id="chat-status" data-status="${first.status}">Sign in to chat with us</p>`);
    expect(activation.getSnapshot()).toBe(first);
    // A server never disposes a component's scope: a subscription there would leak per request.
    expect(subscribe).not.toHaveBeenCalled();
    expect(on).not.toHaveBeenCalled();
    expect(errors).not.toHaveBeenCalled();
    expect(warnings).not.toHaveBeenCalled();
  });
});

describe('in a browser scope', () => {
  it('the ref follows the controller, is read-only, and stops following when the scope is disposed', async () => {
    vi.stubGlobal('document', {});
    const h = harness();
    const events: string[] = [];
    const scope = effectScope();
    const state = scope.run(() => {
      useActivationIdentity(h.activation, 'user-1');
      useActivationEvent(h.activation, 'activation.secured', () => events.push('activated'));
      return useActivation(h.activation);
    })!;
    await h.advance(0);
    expect(state.value).toBe(h.activation.getSnapshot());
    expect(state.value).toMatchObject({ status: 'active', identity: 'user-1' });
    expect(events).toEqual(['activated']);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    (state as { value: unknown }).value = null;
    expect(state.value).toBe(h.activation.getSnapshot());
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('readonly'), expect.anything());

    scope.stop();
    const before = state.value;
    h.activation.signOut();
    await h.advance(0);
    await nextTick();
    expect(h.activation.getSnapshot().status).toBe('inactive');
    expect(state.value).toBe(before);
    expect(h.tag.activations).toHaveLength(1);
  });

  it('useActivationIdentity signs in once, then follows a ref to a switch and a sign-out', async () => {
    vi.stubGlobal('document', {});
    const h = harness();
    const userId = ref<string | null | undefined>(undefined);
    const scope = effectScope();
    scope.run(() => useActivationIdentity(h.activation, userId));
    await h.advance(0);
    // The tag script loads from start(); nothing is asked of the tag while the site does not know.
    expect(h.tag.log).toEqual(['ready']);
    userId.value = 'user-1';
    await nextTick();
    await h.advance(0);
    userId.value = 'user-2';
    await nextTick();
    await h.advance(0);
    expect(h.activation.getSnapshot()).toMatchObject({ status: 'active', identity: 'user-2' });
    expect(h.tag.activations).toHaveLength(2);
    userId.value = null;
    await nextTick();
    await h.advance(0);
    expect(h.activation.getSnapshot().status).toBe('inactive');
    scope.stop();
  });
});
