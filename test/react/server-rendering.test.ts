// Server rendering with the real react-dom/server: the React example (module-level controller,
// useActivation, useActivationIdentity, useActivationEvent) renders its first state without a
// warning or an error, and nothing is signed in on the server (effects do not run there).
// The hand-written snippet the hook replaces throws there, which is what this guards against.
import { createElement, useSyncExternalStore } from 'react';
import { renderToReadableStream, renderToString } from 'react-dom/server';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { activation, App } from '../../docs/examples/react.js';

let errors: MockInstance;
let warnings: MockInstance;

beforeEach(() => {
  errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
  warnings = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});

afterEach(() => {
  vi.restoreAllMocks();
});

afterAll(() => {
  activation.stop();
});

describe('react-dom/server', () => {
  it('renders the example with the first state, quietly, and signs nobody in', async () => {
    const first = activation.getSnapshot();
    const html = renderToString(createElement(App, { user: { id: 'user-42' } }));
    expect(html).toBe(`<p id="chat-status" data-status="${first.status}">Sign in to chat with us</p>`);
    const stream = await renderToReadableStream(createElement(App, { user: null }));
    await stream.allReady;
    expect(await new Response(stream).text()).toContain(`data-status="${first.status}"`);
    expect(activation.getSnapshot()).toBe(first);
    expect(activation.getSnapshot().signedIn).toBe(false);
    expect(errors).not.toHaveBeenCalled();
    expect(warnings).not.toHaveBeenCalled();
  });

  it('the snippet without a server snapshot throws there (what useActivation prevents)', () => {
    function Bare() {
      return createElement('p', null, useSyncExternalStore(activation.subscribe, activation.getSnapshot).status);
    }
    expect(() => renderToString(createElement(Bare))).toThrow(/getServerSnapshot/);
  });
});
