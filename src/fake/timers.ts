// The fake's timers, all in one place so dispose() clears every one. setTimeout is looked up
// at each call, so vitest's fake timers drive them.

export interface Timers {
  /** Runs `fn` after `ms`; returns the cancel function. Nothing is scheduled after dispose. */
  set(fn: () => void, ms: number): () => void;
  /** Resolves after `ms` (at once for 0 or after dispose). */
  delay(ms: number): Promise<void>;
  /** Clears every pending timer; later ones are not scheduled. */
  dispose(): void;
}

export function createTimers(): Timers {
  const pending = new Map<ReturnType<typeof setTimeout>, () => void>();
  let disposed = false;
  const set = (fn: () => void, ms: number) => {
    if (disposed) return () => undefined;
    const id = setTimeout(() => {
      pending.delete(id);
      fn();
    }, ms);
    const cancel = () => {
      clearTimeout(id);
      pending.delete(id);
    };
    pending.set(id, cancel);
    return cancel;
  };
  return {
    set,
    delay: (ms) => (ms > 0 && !disposed ? new Promise<void>((resolve) => void set(resolve, ms)) : Promise.resolve()),
    dispose() {
      disposed = true;
      for (const cancel of [...pending.values()]) cancel();
    },
  };
}
