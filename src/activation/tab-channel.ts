// The channel between tabs of one site: the platform's own, no server. BroadcastChannel where the
// page has it; else the `storage` event (a localStorage key written and removed at once, which
// other tabs of the origin see); else nothing (server rendering, Node, a worker). Both are
// scoped to the origin by the browser; the name adds the tag's configuration (sid and script).
// Transport only: what a message means is tabs.ts's business.

/** What a page offers for it; the real adapter's scope (the window) or globalThis. */
export interface TabEnvironment {
  readonly document?: unknown;
  readonly BroadcastChannel?: new (name: string) => {
    onmessage: ((event: { readonly data: unknown }) => void) | null;
    postMessage(message: unknown): void;
    close(): void;
  };
  readonly localStorage?: Pick<Storage, 'setItem' | 'removeItem'>;
  addEventListener?(
    type: 'storage',
    listener: (event: { readonly key: string | null; readonly newValue: string | null }) => void,
  ): void;
  removeEventListener?(
    type: 'storage',
    listener: (event: { readonly key: string | null; readonly newValue: string | null }) => void,
  ): void;
}

export interface TabChannel {
  /** To every other tab on the channel, never back to this one. */
  post(message: object): void;
  close(): void;
}

/** Opens the channel `name`; `receive` gets what other tabs post (unchecked: any same-origin code may post). */
export function openTabChannel(env: TabEnvironment, name: string, receive: (message: unknown) => void): TabChannel {
  const none = { post() {}, close() {} };
  // No page, no tabs: a Node process has BroadcastChannel too, shared by everything in it.
  if (typeof env.document !== 'object' || !env.document) return none;
  if (env.BroadcastChannel) {
    // A page with an opaque origin (a sandboxed frame) may refuse one.
    try {
      const channel = new env.BroadcastChannel(name);
      channel.onmessage = (event) => receive(event.data);
      return { post: (message) => channel.postMessage(message), close: () => channel.close() };
    } catch {
      return none;
    }
  }
  let storage: TabEnvironment['localStorage'];
  try {
    storage = env.localStorage; // reading it throws where storage is blocked
  } catch {}
  if (!storage || !env.addEventListener) return none;
  const onStorage = (event: { readonly key: string | null; readonly newValue: string | null }) => {
    // Not ours, or the removal (newValue null).
    if (event.key === name && event.newValue) {
      try {
        receive(JSON.parse(event.newValue));
      } catch {}
    }
  };
  env.addEventListener('storage', onStorage);
  return {
    post(message) {
      // Storage full or blocked: this tab's own sign-out still happens, the others are not told.
      try {
        storage.setItem(name, JSON.stringify(message));
        storage.removeItem(name);
      } catch {}
    },
    close: () => env.removeEventListener?.('storage', onStorage),
  };
}
