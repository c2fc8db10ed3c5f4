// Waiting until a test system has nothing left to do but wait for simulated time. Promises and
// XState settle in microtasks; the only real-time work is WebCrypto (token signing, the fake
// iAdvize's checks), so the settler counts WebCrypto operations in flight and waits for them.

export interface Settler {
  /** Resolves once no WebCrypto operation is in flight and a few turns of the event loop passed quietly. */
  settle(): Promise<void>;
  /** Stops counting (restores `crypto.subtle`). */
  dispose(): void;
}

const SUBTLE_METHODS = [
  'encrypt',
  'decrypt',
  'sign',
  'verify',
  'digest',
  'generateKey',
  'deriveKey',
  'deriveBits',
  'importKey',
  'exportKey',
  'wrapKey',
  'unwrapKey',
] as const;

/** Turns of the event loop without crypto in flight before the system counts as settled. */
const QUIET_TURNS = 3;

/** A macrotask that no simulated clock replaces: setImmediate in Node, a message in browsers. */
const nextTurn: () => Promise<void> = (() => {
  if (typeof globalThis.setImmediate === 'function') {
    const setImmediate = globalThis.setImmediate;
    return () => new Promise<void>((resolve) => setImmediate(resolve));
  }
  const channel = new MessageChannel();
  const waiting: Array<() => void> = [];
  channel.port1.onmessage = () => waiting.shift()?.();
  return () =>
    new Promise<void>((resolve) => {
      waiting.push(resolve);
      channel.port2.postMessage(undefined);
    });
})();

let users = 0;
let inFlight = 0;
let restore: (() => void) | undefined;

function countCrypto(): () => void {
  const subtle = globalThis.crypto.subtle as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  const patched: string[] = [];
  for (const name of SUBTLE_METHODS) {
    const original = subtle[name];
    if (typeof original !== 'function') continue;
    subtle[name] = function counted(this: unknown, ...args: unknown[]) {
      inFlight += 1;
      let result: Promise<unknown>;
      try {
        result = original.apply(this, args);
      } catch (error) {
        inFlight -= 1;
        throw error;
      }
      return result.finally(() => {
        inFlight -= 1;
      });
    };
    patched.push(name);
  }
  return () => {
    for (const name of patched) delete subtle[name];
  };
}

export function createSettler(): Settler {
  if (users++ === 0) restore = countCrypto();
  let disposed = false;
  return {
    async settle() {
      for (let quiet = 0; quiet < QUIET_TURNS;) {
        await nextTurn();
        quiet = inFlight > 0 ? 0 : quiet + 1;
      }
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      if (--users === 0) {
        restore?.();
        restore = undefined;
      }
    },
  };
}
