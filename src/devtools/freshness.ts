// How long the fetched token not yet handed to the tag is kept (each token goes to one provider
// call), read from the machine's context (or,
// for a machine whose context does not say, the time since the last event that brought a
// token): the panel shows the time left, never the token. The token string is only compared, to see that a
// new one arrived (the machine holds the same string anyway); it is never shown nor exported.
export type FreshnessState = 'no-token' | 'fresh' | 'stale' | 'unknown';

export interface Freshness {
  readonly state: FreshnessState;
  /** Milliseconds left while fresh. */
  readonly remainingMs: number | undefined;
  /** How long this token is kept, unused, in all (the context's tokenFreshForMs). */
  readonly freshForMs: number | undefined;
  /** When the context does not say: milliseconds since the last emitted event that brought a token, if any. */
  readonly sinceTokenEventMs?: number;
}

/** The context fields read here; a machine without them gives 'unknown'. */
interface TokenContext {
  readonly token?: unknown;
  readonly tokenFreshForMs?: unknown;
}

export interface FreshnessClock {
  /** Called with each snapshot's context. */
  observe(context: unknown): void;
  /** An emitted event brought a token (`activation.secured`, `token.refreshed`): the fallback when the context says nothing. */
  noteTokenEvent(): void;
  read(): Freshness;
}

export function createFreshnessClock(now: () => number): FreshnessClock {
  let known = false;
  let current: unknown;
  let since = 0;
  let freshFor: number | undefined;
  let tokenEventAt: number | undefined;
  return {
    noteTokenEvent() {
      tokenEventAt = now();
    },
    observe(context) {
      const { token, tokenFreshForMs } = (context ?? {}) as TokenContext;
      known =
        context !== null && typeof context === 'object' && 'token' in context && typeof tokenFreshForMs === 'number';
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
      if (!known) {
        const unknown = { state: 'unknown', remainingMs: undefined, freshForMs: undefined } as const;
        return tokenEventAt === undefined ? unknown : { ...unknown, sinceTokenEventMs: now() - tokenEventAt };
      }
      if (current === undefined || freshFor === undefined)
        return { state: 'no-token', remainingMs: undefined, freshForMs: undefined };
      const remaining = freshFor - (now() - since);
      return remaining > 0
        ? { state: 'fresh', remainingMs: remaining, freshForMs: freshFor }
        : { state: 'stale', remainingMs: 0, freshForMs: freshFor };
    },
  };
}

export function describeFreshness(freshness: Freshness): string {
  switch (freshness.state) {
    case 'unknown':
      return freshness.sinceTokenEventMs === undefined
        ? 'not visible in this machine'
        : `not in this machine's context; the last token came ${seconds(freshness.sinceTokenEventMs)} ago`;
    case 'no-token':
      return 'none in hand: the next provider call fetches one';
    case 'fresh':
      return `one unused, kept ${seconds(freshness.remainingMs!)} more (of ${seconds(freshness.freshForMs!)})`;
    case 'stale':
      return 'unused past its keep time: the next provider call fetches a new one';
  }
}

const seconds = (ms: number) => `${Math.ceil(ms / 1000)} s`;
