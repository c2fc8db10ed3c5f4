// The token's freshness as the panel tells it: counted from the moment a new token is seen,
// never from the token's content; a context without the fields says so instead of guessing.
import { describe, expect, it } from 'vitest';
import { createFreshnessClock, describeFreshness } from '../../src/devtools/freshness.js';

describe('createFreshnessClock', () => {
  it('counts down from each new token, says stale at zero, and no token once it is gone', () => {
    let now = 1_000;
    const clock = createFreshnessClock(() => now);
    clock.observe({ token: undefined, tokenFreshForMs: 0 });
    expect(describeFreshness(clock.read())).toBe('none in hand: the next provider call fetches one');

    clock.observe({ token: 'first', tokenFreshForMs: 30_000 });
    now += 12_500;
    // The same token seen again (another snapshot) does not restart the count.
    clock.observe({ token: 'first', tokenFreshForMs: 30_000 });
    expect(clock.read()).toEqual({ state: 'fresh', remainingMs: 17_500, freshForMs: 30_000 });
    expect(describeFreshness(clock.read())).toBe('one unused, kept 18 s more (of 30 s)');

    now += 17_500;
    expect(clock.read()).toMatchObject({ state: 'stale', remainingMs: 0 });
    expect(describeFreshness(clock.read())).toBe('unused past its keep time: the next provider call fetches a new one');

    clock.observe({ token: 'second', tokenFreshForMs: 9_000 });
    expect(clock.read()).toEqual({ state: 'fresh', remainingMs: 9_000, freshForMs: 9_000 });
    clock.observe({ token: undefined, tokenFreshForMs: 9_000 });
    expect(clock.read().state).toBe('no-token');
  });

  it('says it cannot see the freshness of a machine whose context has no token fields, then counts from the token events', () => {
    let now = 0;
    const clock = createFreshnessClock(() => now);
    clock.observe({ visitor: undefined });
    expect(describeFreshness(clock.read())).toBe('not visible in this machine');
    clock.observe(undefined);
    expect(clock.read().state).toBe('unknown');
    clock.noteTokenEvent();
    now += 4_200;
    expect(clock.read()).toMatchObject({ state: 'unknown', sinceTokenEventMs: 4_200 });
    expect(describeFreshness(clock.read())).toBe("not in this machine's context; the last token came 5 s ago");
  });

  it('prefers the context over the events when the context has the fields', () => {
    let now = 0;
    const clock = createFreshnessClock(() => now);
    clock.noteTokenEvent();
    clock.observe({ token: 'a', tokenFreshForMs: 10_000 });
    now += 1_000;
    expect(clock.read()).toEqual({ state: 'fresh', remainingMs: 9_000, freshForMs: 10_000 });
  });

  it('never puts the token in what it reports', () => {
    const clock = createFreshnessClock(() => 0);
    clock.observe({ token: 'eyJhbGciOiJSU0EtT0FFUC0yNTYifQ.a.b.c.d', tokenFreshForMs: 5_000 });
    expect(JSON.stringify(clock.read()) + describeFreshness(clock.read())).not.toContain('eyJ');
  });
});
