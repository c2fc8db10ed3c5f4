// Tabs of one site agreeing on who is signed in, in Node: the channel (BroadcastChannel, the
// storage-event fallback, nothing without a page) over fake page environments, the agreement
// rule (later action wins, no echo, no identity on the wire), and two controllers as two tabs.
// The real platform channel is proven in Chromium: test/tabs/tabs.browser.test.ts.
import { describe, expect, it } from 'vitest';
import { createActivation, TokenRefusedError, type Activation, type PublicEmitted } from '../../src/index.js';
import { openTabChannel, type TabEnvironment } from '../../src/activation/tab-channel.js';
import { followIdentity } from '../../src/activation/follow-identity.js';
import { joinTabs, type TabMessage, type TabSignOutCause } from '../../src/activation/tabs.js';
import { createInspector } from '../../src/inspect/index.js';
import { checkInvariants } from '../../src/testing/trace/invariants.js';
import { recordActivation } from '../../src/testing/trace/trace-recorder.js';
import { createScriptedTag, fakeJwe, flush, type ScriptedTag } from '../support/scripted-tag.js';

/** Pages of one browser: BroadcastChannel instances of a name hear each other, never themselves. */
function broadcastBrowser() {
  const open = new Set<FakeChannel>();
  class FakeChannel {
    onmessage: ((event: { data: unknown }) => void) | null = null;
    constructor(readonly name: string) {
      open.add(this);
    }
    postMessage(message: unknown) {
      if (!open.has(this)) throw new DOMException('Channel is closed', 'InvalidStateError');
      // Structured clone, delivered later, as the platform does.
      const data = structuredClone(message);
      for (const other of open)
        if (other !== this && other.name === this.name)
          setImmediate(() => open.has(other) && other.onmessage?.({ data }));
    }
    close() {
      open.delete(this);
    }
  }
  const posted: unknown[] = [];
  const page = (): TabEnvironment => ({
    document: {},
    BroadcastChannel: class extends FakeChannel {
      override postMessage(message: unknown) {
        posted.push(message);
        super.postMessage(message);
      }
    },
  });
  return { page, posted, open };
}

/** Pages of one browser without BroadcastChannel: one localStorage, `storage` events to the other pages. */
function storageBrowser() {
  const items = new Map<string, string>();
  const written: string[] = [];
  type Listener = (event: { key: string | null; newValue: string | null }) => void;
  const pages: Array<{ listeners: Set<Listener> }> = [];
  const page = (): TabEnvironment => {
    const self = { listeners: new Set<Listener>() };
    pages.push(self);
    const dispatch = (key: string, newValue: string | null) => {
      for (const other of pages)
        if (other !== self)
          for (const listener of [...other.listeners]) setImmediate(() => listener({ key, newValue }));
    };
    return {
      document: {},
      localStorage: {
        setItem(key, value) {
          written.push(value);
          items.set(key, value);
          dispatch(key, value);
        },
        removeItem(key) {
          items.delete(key);
          dispatch(key, null);
        },
      },
      addEventListener: (_type, listener) => void self.listeners.add(listener),
      removeEventListener: (_type, listener) => void self.listeners.delete(listener),
    };
  };
  return { page, items, written, pages };
}

describe('the tab channel', () => {
  it('carries a message to the other pages of the name over BroadcastChannel, not back to the sender nor to another name', async () => {
    const browser = broadcastBrowser();
    const got = { a: [] as unknown[], b: [] as unknown[], other: [] as unknown[] };
    const a = openTabChannel(browser.page(), 'x', (m) => got.a.push(m));
    openTabChannel(browser.page(), 'x', (m) => got.b.push(m));
    openTabChannel(browser.page(), 'y', (m) => got.other.push(m));
    a.post({ kind: 'signed-out' });
    await flush();
    expect(got).toEqual({ a: [], b: [{ kind: 'signed-out' }], other: [] });
  });

  it('falls back to the storage event where BroadcastChannel is missing, and leaves nothing stored', async () => {
    const browser = storageBrowser();
    const got = { a: [] as unknown[], b: [] as unknown[] };
    const a = openTabChannel(browser.page(), 'x', (m) => got.a.push(m));
    const b = openTabChannel(browser.page(), 'x', (m) => got.b.push(m));
    a.post({ kind: 'signed-out', at: 1 });
    a.post({ kind: 'signed-out', at: 1 }); // the same message again still arrives: the key was removed in between
    await flush();
    expect(got).toEqual({
      a: [],
      b: [
        { kind: 'signed-out', at: 1 },
        { kind: 'signed-out', at: 1 },
      ],
    });
    expect(browser.items.size).toBe(0);
    b.close();
    a.post({ kind: 'signed-out', at: 2 });
    await flush();
    expect(got.b).toHaveLength(2);
  });

  it('ignores other storage keys and text that is not JSON', async () => {
    const browser = storageBrowser();
    const got: unknown[] = [];
    const writer = browser.page();
    openTabChannel(browser.page(), 'x', (m) => got.push(m));
    writer.localStorage!.setItem('x', '{not json');
    writer.localStorage!.setItem('other', '{"kind":"signed-out"}');
    await flush();
    expect(got).toEqual([]);
  });

  it('is a no-op without a page (Node has a BroadcastChannel shared by the whole process), or where storage is blocked', async () => {
    const browser = broadcastBrowser();
    const got: unknown[] = [];
    const { document: _page, ...node } = browser.page();
    openTabChannel(browser.page(), 'x', (m) => got.push(m));
    openTabChannel(node, 'x', () => undefined).post({ kind: 'signed-out' });
    expect(browser.open.size).toBe(1);
    const blocked: TabEnvironment = {
      document: {},
      get localStorage(): never {
        throw new DOMException('The operation is insecure.', 'SecurityError');
      },
      addEventListener: () => undefined,
    };
    openTabChannel(blocked, 'x', () => undefined).post({ kind: 'signed-out' });
    await flush();
    expect(got).toEqual([]);
  });
});

/** A tab's agreement on a fake browser: what it holds, and why it was signed out. */
interface Tab {
  holds: { identity: string | undefined } | undefined;
  readonly signOuts: TabSignOutCause[];
  readonly tabs: ReturnType<typeof joinTabs>;
}
function tabOf(
  page: TabEnvironment,
  holds: { identity: string | undefined } | undefined,
  now: () => number = Date.now,
): Tab {
  const tab: Tab = {
    holds,
    signOuts: [] as TabSignOutCause[],
    tabs: joinTabs({
      env: page,
      key: 'site-1 //ha.iadvize.com/iadvize.js',
      now,
      holder: () => tab.holds,
      signOut(because) {
        tab.signOuts.push(because);
        tab.holds = undefined;
        // The site's handler signing out again must not reach the other tabs.
        tab.tabs.signedOut();
      },
    }),
  };
  return tab;
}

describe('the agreement between tabs', () => {
  for (const [name, makeBrowser] of [
    ['BroadcastChannel', broadcastBrowser],
    ['storage event', storageBrowser],
  ] as const) {
    it(`a sign-out signs every other tab holding a visitor out, once, and is not passed on (${name})`, async () => {
      const browser = makeBrowser();
      const a = tabOf(browser.page(), { identity: 'alice' });
      const b = tabOf(browser.page(), { identity: 'alice' });
      const c = tabOf(browser.page(), undefined);
      a.tabs.signedOut();
      await flush();
      expect([a.signOuts, b.signOuts, c.signOuts]).toEqual([[], ['sign-out'], []]);
      const sent = 'posted' in browser ? browser.posted : browser.written.map((text) => JSON.parse(text));
      expect(sent).toHaveLength(1);
    });
  }

  it('an account switch ends the other identity, keeps the same one, and ends a visitor of unknown identity', async () => {
    const browser = broadcastBrowser();
    const a = tabOf(browser.page(), { identity: 'alice' });
    const same = tabOf(browser.page(), { identity: 'bob' });
    const other = tabOf(browser.page(), { identity: 'alice' });
    const unknown = tabOf(browser.page(), { identity: undefined });
    a.tabs.signedIn('bob');
    await flush();
    expect([same.signOuts, other.signOuts, unknown.signOuts]).toEqual([[], ['account-switch'], ['account-switch']]);
  });

  it('a sign-in without an identity is not told: a new tab restoring the session ends nobody', async () => {
    const browser = broadcastBrowser();
    const a = tabOf(browser.page(), { identity: undefined });
    tabOf(browser.page(), { identity: undefined });
    a.tabs.signedIn(undefined);
    await flush();
    expect(browser.posted).toEqual([]);
  });

  it('carries no identity, only a digest the tabs compare, and no token', async () => {
    const browser = broadcastBrowser();
    const a = tabOf(browser.page(), undefined);
    a.tabs.signedIn('alice@example.com');
    a.tabs.signedOut();
    const text = JSON.stringify(browser.posted);
    expect(text).not.toMatch(/alice|example|eyJ/);
    expect(browser.posted.map((m) => Object.keys(m as object).sort())).toEqual([
      ['at', 'kind', 'tab', 'who'],
      ['at', 'kind', 'tab'],
    ]);
  });

  it('racing sign-ins converge on the later one (time, then tab id): one visitor held across the tabs', async () => {
    const browser = broadcastBrowser();
    let time = 1_000;
    const a = tabOf(browser.page(), { identity: 'alice' }, () => time);
    const b = tabOf(browser.page(), { identity: 'bob' }, () => time);
    // Both act before hearing of the other: b's is later.
    a.tabs.signedIn('alice');
    time += 1;
    b.tabs.signedIn('bob');
    await flush();
    expect([a.signOuts, b.signOuts]).toEqual([['account-switch'], []]);

    // At the same millisecond the larger tab id wins: the outcome is still one visitor.
    const c = tabOf(browser.page(), { identity: 'carol' }, () => time);
    const d = tabOf(browser.page(), { identity: 'dave' }, () => time);
    time += 1;
    c.tabs.signedIn('carol');
    d.tabs.signedIn('dave');
    await flush();
    expect(c.signOuts.length + d.signOuts.length).toBe(1);
  });

  it('a sign-out older than the sign-in a tab made since changes nothing there', async () => {
    const browser = broadcastBrowser();
    let time = 1_000;
    const a = tabOf(browser.page(), undefined, () => time);
    const b = tabOf(browser.page(), { identity: 'bob' }, () => time);
    a.tabs.signedOut(); // at 1000, delivered after b's sign-in below
    time += 1;
    b.tabs.signedIn('bob');
    await flush();
    expect(b.signOuts).toEqual([]);
    // A later one does.
    time += 1;
    a.tabs.signedOut();
    await flush();
    expect(b.signOuts).toEqual(['sign-out']);
  });

  it('a closed tab hears nothing', async () => {
    const browser = broadcastBrowser();
    const a = tabOf(browser.page(), undefined);
    const b = tabOf(browser.page(), { identity: 'alice' });
    b.tabs.close();
    a.tabs.signedOut();
    await flush();
    expect(b.signOuts).toEqual([]);
  });

  it('ignores messages that are not the library’s', async () => {
    const browser = broadcastBrowser();
    const b = tabOf(browser.page(), { identity: 'alice' });
    const page = browser.page();
    const stranger = new page.BroadcastChannel!('iadvize-activation site-1 //ha.iadvize.com/iadvize.js');
    for (const junk of [
      null,
      'signed-out',
      { kind: 'signed-out' },
      { kind: 'signed-in', tab: 'x', at: Date.now() + 1 },
      { kind: 'bye', tab: 'x', at: Date.now() + 1 },
    ]) {
      stranger.postMessage(junk);
    }
    await flush();
    expect(b.signOuts).toEqual([]);
    stranger.postMessage({ kind: 'signed-out', tab: 'x', at: Date.now() + 1 } satisfies TabMessage);
    await flush();
    expect(b.signOuts).toEqual(['sign-out']);
  });
});

describe('two controllers as two tabs', () => {
  /** A controller over a scripted tag on its own fake page of `browser`. */
  const tabController = (page: TabEnvironment, options: { tabs?: boolean } = {}) => {
    const tag = Object.assign(createScriptedTag(), { scope: page, key: 'site-1' }) as ScriptedTag;
    const recorder = recordActivation();
    const inspector = createInspector();
    let fetches = 0;
    const events: PublicEmitted[] = [];
    const activation: Activation = recorder.attach(
      createActivation({
        tag: recorder.tag(tag),
        fetchToken: recorder.fetchToken(async () => fakeJwe(`t${++fetches}`)),
        inspect: inspector.inspect,
        ...options,
      }).start(),
    );
    activation.on('tabs.signedOut', (event) => events.push(event));
    return { tag, activation, recorder, inspector, events, fetches: () => fetches };
  };
  /** Two tabs of one browser, the same visitor signed in and active in both. */
  const twoTabsSignedIn = async (identity: string) => {
    const browser = broadcastBrowser();
    const a = tabController(browser.page());
    const b = tabController(browser.page());
    a.activation.signIn(identity);
    b.activation.signIn(identity);
    await flush();
    return { browser, a, b };
  };

  it("a sign-out in one tab logs the other's tag out, refuses its provider, ends inactive, tells its site; invariants hold in both", async () => {
    const { a, b } = await twoTabsSignedIn('alice');
    expect([a.activation.getSnapshot().status, b.activation.getSnapshot().status]).toEqual(['active', 'active']);
    expect(b.events).toEqual([]);

    a.activation.signOut();
    await flush();
    expect(b.activation.getSnapshot()).toMatchObject({ status: 'inactive', signedIn: false });
    expect(b.tag.log).toEqual(['ready', 'activate:secured', 'logout']);
    expect(b.events).toEqual([{ type: 'tabs.signedOut', because: 'sign-out' }]);
    // The timeline says where the sign-out came from.
    expect(b.inspector.format()).toContain('SIGN_OUT {from:"other-tab"}');
    expect(a.inspector.format()).not.toContain('other-tab');
    const provider = b.tag.activations[0]!.request;
    if (provider.mode !== 'secured') throw new Error('secured expected');
    await expect(provider.provider()).rejects.toBeInstanceOf(TokenRefusedError);
    expect(a.events).toEqual([]);
    expect(b.fetches()).toBe(1);
    for (const tab of [a, b]) expect(checkInvariants(tab.recorder.trace)).toEqual([]);
  });

  it('the sign-out always happens: a signIn() the site makes inside its tabs.signedOut handler is overtaken', async () => {
    const { a, b } = await twoTabsSignedIn('alice');
    // A stale handler: the site still believes alice is signed in.
    b.activation.on('tabs.signedOut', () => b.activation.signIn('alice'));
    a.activation.signOut();
    await flush();
    expect(b.activation.getSnapshot()).toMatchObject({ status: 'inactive', signedIn: false });
    expect(b.tag.log.filter((call) => call === 'logout')).toHaveLength(1);
    expect(b.tag.log.filter((call) => call.startsWith('activate'))).toHaveLength(1);
  });

  it('an account switch in one tab ends the old identity in the other without signing anyone in there (no token fetched)', async () => {
    const { a, b } = await twoTabsSignedIn('alice');
    a.activation.signIn('bob');
    await flush();
    expect(a.activation.getSnapshot()).toMatchObject({ status: 'active', identity: 'bob' });
    expect(b.activation.getSnapshot()).toMatchObject({ status: 'inactive', signedIn: false });
    expect(b.events).toEqual([{ type: 'tabs.signedOut', because: 'account-switch' }]);
    expect(b.fetches()).toBe(1);
    for (const tab of [a, b]) expect(checkInvariants(tab.recorder.trace)).toEqual([]);
  });

  it('a binding mounting again with the identity another tab ended does not sign it back in, nor end the new visitor there', async () => {
    const { a, b } = await twoTabsSignedIn('alice');
    // Tab b's page follows its session with the bindings' rule, as a component would.
    followIdentity(b.activation, 'alice');
    a.activation.signIn('bob');
    await flush();
    expect(b.activation.getSnapshot()).toMatchObject({ status: 'inactive', signedIn: false });

    // A component of tab b mounts again with the session the page read before the switch.
    followIdentity(b.activation, 'alice');
    await flush();
    expect(b.activation.getSnapshot()).toMatchObject({ status: 'inactive', signedIn: false });
    expect(b.fetches()).toBe(1);
    expect(a.activation.getSnapshot()).toMatchObject({ status: 'active', identity: 'bob' });
    expect(a.events).toEqual([]);

    // The page re-read its session: bob's, followed at once.
    followIdentity(b.activation, 'bob');
    await flush();
    expect(b.activation.getSnapshot()).toMatchObject({ status: 'active', identity: 'bob' });
    expect(a.activation.getSnapshot()).toMatchObject({ status: 'active', identity: 'bob' });
    for (const tab of [a, b]) expect(checkInvariants(tab.recorder.trace)).toEqual([]);
  });

  it("the site's own signIn() is never held back, and once the site shows null the ended identity is followed again", async () => {
    const { a, b } = await twoTabsSignedIn('alice');
    followIdentity(b.activation, 'alice');
    a.activation.signOut();
    await flush();
    followIdentity(b.activation, 'alice');
    await flush();
    expect(b.activation.getSnapshot().signedIn).toBe(false);

    // signIn() is a site action (after its own sign-in form, say): carried out whatever the bindings saw.
    b.activation.signIn('alice');
    await flush();
    expect(b.activation.getSnapshot()).toMatchObject({ status: 'active', identity: 'alice' });
    // Signed in again, nothing is held back: after the site's own sign-out, the binding signs alice in.
    b.activation.signOut();
    await flush();
    followIdentity(b.activation, 'alice');
    await flush();
    expect(b.activation.getSnapshot()).toMatchObject({ status: 'active', identity: 'alice' });

    a.activation.signOut();
    await flush();
    expect(b.activation.getSnapshot().signedIn).toBe(false);
    // The page re-read its session (signed out), then alice signs in again in this tab.
    followIdentity(b.activation, null);
    followIdentity(b.activation, 'alice');
    await flush();
    expect(b.activation.getSnapshot()).toMatchObject({ status: 'active', identity: 'alice' });
    expect(checkInvariants(b.recorder.trace)).toEqual([]);
  });

  it('a failed tab signed out by another leaves failed without breaking invariant 4 (the sign-out is a site action)', async () => {
    const browser = broadcastBrowser();
    const a = tabController(browser.page());
    const b = tabController(browser.page());
    b.tag.script.activate = { ok: false, code: 'credentials-rejected' };
    b.activation.signIn('alice');
    await flush();
    expect(b.activation.getSnapshot().status).toBe('failed');
    a.activation.signOut();
    await flush();
    expect(b.activation.getSnapshot()).toMatchObject({ status: 'inactive', signedIn: false });
    expect(checkInvariants(b.recorder.trace)).toEqual([]);
  });

  it('with tabs: false, neither tells nor hears the other tabs', async () => {
    const browser = broadcastBrowser();
    const a = tabController(browser.page(), { tabs: false });
    const b = tabController(browser.page());
    b.activation.signIn('alice');
    await flush();
    expect(browser.posted).toHaveLength(1);
    a.activation.signOut();
    a.activation.signIn('bob');
    await flush();
    expect(b.activation.getSnapshot().status).toBe('active');
    expect(browser.posted).toHaveLength(1);
    b.activation.signOut();
    await flush();
    expect(a.activation.getSnapshot()).toMatchObject({ status: 'active', identity: 'bob' });
  });

  it('a stopped controller leaves the channel, and a signOut() after stop() posts nothing', async () => {
    const browser = broadcastBrowser();
    const a = tabController(browser.page());
    expect(browser.open.size).toBe(1);
    a.activation.stop();
    expect(browser.open.size).toBe(0);
    expect(() => a.activation.signOut()).not.toThrow();
    expect(browser.posted).toEqual([]);
  });

  it('starts without the channel where the page refuses a BroadcastChannel (opaque origin)', async () => {
    const page: TabEnvironment = {
      document: {},
      BroadcastChannel: class {
        constructor() {
          throw new DOMException('Access is denied', 'SecurityError');
        }
      } as unknown as TabEnvironment['BroadcastChannel'],
    };
    const a = tabController(page);
    a.activation.signIn('alice');
    await flush();
    a.activation.signOut();
    await flush();
    expect(a.activation.getSnapshot().status).toBe('inactive');
  });
});
