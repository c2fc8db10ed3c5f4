// How long the token in hand is still handed out again, read from the machine's context: the
// panel shows the time left, never the token. The token string is only compared, to see that a
// new one arrived (the machine holds the same string anyway); it is never shown nor exported.
export type FreshnessState = 'no-token' | 'fresh' | 'stale' | 'unknown';

export interface Freshness {
  readonly state: FreshnessState;
  /** Milliseconds left while fresh. */
  readonly remainingMs: number | undefined;
  /** How long this token is handed out again in all (the context's tokenFreshForMs). */
  readonly freshForMs: number | undefined;
}

/** The context fields read here; a machine without them gives 'unknown'. */
interface TokenContext {
  readonly token?: unknown;
  readonly tokenFreshForMs?: unknown;
}

export interface FreshnessClock {
  /** Called with each snapshot's context. */
  observe(context: unknown): void;
  read(): Freshness;
}

export function createFreshnessClock(now: () => number): FreshnessClock {
  let known = false;
  let current: unknown;
  let since = 0;
  let freshFor: number | undefined;
  return {
    observe(context) {
      const { token, tokenFreshForMs } = (context ?? {}) as TokenContext;
      known = context !== null && typeof context === 'object' && 'token' in context && typeof tokenFreshForMs === 'number';
      if (!known || token === undefined) {
        current = undefined;
        freshFor = undefined;
        return;
      }
      if (token !== current) {
        current = token;
        since = now();
        freshFor = tokenFreshForMs as number;
      }
    },
    read() {
      if (!known) return { state: 'unknown', remainingMs: undefined, freshForMs: undefined };
      if (current === undefined || freshFor === undefined) return { state: 'no-token', remainingMs: undefined, freshForMs: undefined };
      const remaining = freshFor - (now() - since);
      return remaining > 0 ? { state: 'fresh', remainingMs: remaining, freshForMs: freshFor } : { state: 'stale', remainingMs: 0, freshForMs: freshFor };
    },
  };
}

export function describeFreshness(freshness: Freshness): string {
  switch (freshness.state) {
    case 'unknown':
      return 'not visible in this machine';
    case 'no-token':
      return 'no token in hand';
    case 'fresh':
      return `fresh for ${seconds(freshness.remainingMs!)} more (of ${seconds(freshness.freshForMs!)})`;
    case 'stale':
      return 'stale: the next provider call fetches a new one';
  }
}

const seconds = (ms: number) => `${Math.ceil(ms / 1000)} s`;
