// A promise answered by whichever source comes first (the tag, a timeout, an abort, a load
// failure); later answers are ignored and every listener and timer is removed on settling.

export interface Settlement<T> {
  readonly promise: Promise<T>;
  readonly settled: boolean;
  resolve(value: T): void;
  reject(error: Error): void;
  /** Runs once the promise settles (at once if it has): nothing is left waiting. */
  onSettled(cleanup: () => void): void;
}

export function createSettlement<T>(): Settlement<T> {
  let settled = false;
  const cleanups: Array<() => void> = [];
  let resolvePromise!: (value: T) => void;
  let rejectPromise!: (error: Error) => void;
  const promise = new Promise<T>((resolve, reject) => {
    resolvePromise = resolve;
    rejectPromise = reject;
  });
  const settle = (answer: () => void) => {
    if (settled) return;
    settled = true;
    for (const cleanup of cleanups.splice(0)) cleanup();
    answer();
  };
  return {
    promise,
    get settled() {
      return settled;
    },
    resolve: (value) => settle(() => resolvePromise(value)),
    reject: (error) => settle(() => rejectPromise(error)),
    onSettled(cleanup) {
      if (settled) cleanup();
      else cleanups.push(cleanup);
    },
  };
}

/** Calls `onAbort` when the signal aborts (at once if it has); the listener goes with the settlement. */
export function settleOnAbort(settlement: Settlement<unknown>, signal: AbortSignal, onAbort: () => void): void {
  if (signal.aborted) return onAbort();
  signal.addEventListener('abort', onAbort, { once: true });
  settlement.onSettled(() => signal.removeEventListener('abort', onAbort));
}

/** Settles with `onTimeout` after `ms`; the timer goes with the settlement. */
export function settleAfter(settlement: Settlement<unknown>, ms: number, onTimeout: () => void): void {
  const timer = setTimeout(onTimeout, ms);
  settlement.onSettled(() => clearTimeout(timer));
}
