import { expect, it } from 'vitest';
import { createTestClock, TEST_CLOCK_START } from '../../src/testing/time/test-clock.js';

it('fires due timers one at a time, in order, awaiting between() after each', async () => {
  const clock = createTestClock();
  const log: string[] = [];
  clock.setTimeout(() => log.push(`b@${clock.now() - TEST_CLOCK_START}`), 20);
  clock.setTimeout(() => {
    log.push(`a@${clock.now() - TEST_CLOCK_START}`);
    // Scheduled while advancing, due before the end: fires in the same advance.
    clock.setTimeout(() => log.push(`c@${clock.now() - TEST_CLOCK_START}`), 5);
  }, 10);
  const cleared = clock.setTimeout(() => log.push('never'), 15);
  clock.clearTimeout(cleared);
  clock.setTimeout(() => log.push('later'), 100);
  await clock.advance(30, async () => void log.push('settled'));
  expect(log).toEqual(['a@10', 'settled', 'c@15', 'settled', 'b@20', 'settled']);
  expect(clock.now()).toBe(TEST_CLOCK_START + 30);
  expect(clock.pendingTimers()).toBe(1);
});

it('drives the global setTimeout while installed, and gives it back', async () => {
  const clock = createTestClock();
  const original = globalThis.setTimeout;
  const restore = clock.install();
  let fired = false;
  try {
    setTimeout(() => (fired = true), 1_000);
    await clock.advance(999);
    expect(fired).toBe(false);
    await clock.advance(1);
    expect(fired).toBe(true);
  } finally {
    restore();
  }
  expect(globalThis.setTimeout).toBe(original);
});
