// One simulated clock for a whole test system: the machine's delays (createActivation's
// `clock`), and, while installed, the global setTimeout that the tag adapter and the fake
// iAdvize schedule with. Unlike XState's SimulatedClock, which runs every due timer in one
// synchronous sweep, `advance` fires timers one at a time and lets the system settle between
// them, so real asynchronous work (WebCrypto token checks) started by one timer finishes
// before the next timer fires, as it would in a browser.

export interface TestClock {
  /** Milliseconds since the epoch, simulated. */
  now(): number;
  setTimeout(fn: (...args: unknown[]) => void, ms?: number): number;
  clearTimeout(id: unknown): void;
  /** Timers scheduled and not yet fired or cleared. */
  pendingTimers(): number;
  /** Moves time forward by `ms`, firing due timers in order and awaiting `between()` after each. */
  advance(ms: number, between?: () => Promise<void>): Promise<void>;
  /** Replaces the global setTimeout/clearTimeout with this clock's; returns the restore function. */
  install(): () => void;
}

interface Timer {
  readonly due: number;
  readonly order: number;
  readonly fn: () => void;
}

/** 2030-01-01T00:00:00Z: a fixed start makes runs reproducible. */
export const TEST_CLOCK_START = Date.UTC(2030, 0, 1);

export function createTestClock(start: number = TEST_CLOCK_START): TestClock {
  let now = start;
  let lastId = 0;
  const timers = new Map<number, Timer>();

  const nextDue = (): [number, Timer] | undefined => {
    let next: [number, Timer] | undefined;
    for (const entry of timers) {
      if (!next || entry[1].due < next[1].due || (entry[1].due === next[1].due && entry[1].order < next[1].order))
        next = entry;
    }
    return next;
  };

  const clock: TestClock = {
    now: () => now,
    setTimeout(fn, ms = 0) {
      const id = ++lastId;
      timers.set(id, { due: now + Math.max(0, Number(ms) || 0), order: id, fn: () => fn() });
      return id;
    },
    clearTimeout(id) {
      if (typeof id === 'number') timers.delete(id);
    },
    pendingTimers: () => timers.size,
    async advance(ms, between = async () => undefined) {
      const target = now + ms;
      for (let next = nextDue(); next && next[1].due <= target; next = nextDue()) {
        const [id, timer] = next;
        timers.delete(id);
        now = timer.due;
        timer.fn();
        await between();
      }
      now = target;
    },
    install() {
      const saved = { setTimeout: globalThis.setTimeout, clearTimeout: globalThis.clearTimeout };
      globalThis.setTimeout = clock.setTimeout as unknown as typeof globalThis.setTimeout;
      globalThis.clearTimeout = clock.clearTimeout as unknown as typeof globalThis.clearTimeout;
      return () => {
        globalThis.setTimeout = saved.setTimeout;
        globalThis.clearTimeout = saved.clearTimeout;
      };
    },
  };
  return clock;
}
