// Timing helpers shared by the benchmarks in scripts/bench/ (this folder is not run as one).
// Every comparison interleaves its subjects round by round, so drift (CPU frequency, other
// load, GC) hits both alike, and reports operations per second.

/** Operations per second with `concurrency` loops awaiting `operation`, for about `durationMs`. */
export async function throughput(operation, { concurrency = 1, durationMs }) {
  let count = 0;
  const start = performance.now();
  const worker = async () => {
    while (performance.now() - start < durationMs) {
      await operation();
      count++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { count, ms: performance.now() - start };
}

/** Operations per second for each named operation: a warm-up, then `rounds` interleaved rounds. */
export async function compareThroughput(
  operations,
  { concurrency = 1, rounds = 4, roundMs = 500, warmUpMs = 300 } = {},
) {
  for (const operation of Object.values(operations)) await throughput(operation, { concurrency, durationMs: warmUpMs });
  const totals = Object.fromEntries(Object.keys(operations).map((name) => [name, { count: 0, ms: 0 }]));
  for (let round = 0; round < rounds; round++) {
    for (const [name, operation] of Object.entries(operations)) {
      const { count, ms } = await throughput(operation, { concurrency, durationMs: roundMs });
      totals[name].count += count;
      totals[name].ms += ms;
    }
  }
  return Object.fromEntries(Object.entries(totals).map(([name, { count, ms }]) => [name, (count * 1000) / ms]));
}

/** Milliseconds to run `operation` exactly `count` times, `concurrency` at a time. */
export async function timeFixed(operation, { count, concurrency = 1 }) {
  let started = 0;
  const start = performance.now();
  const worker = async () => {
    while (started < count) {
      started++;
      await operation();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return performance.now() - start;
}

export const round = (value, digits = 3) => Number(value.toFixed(digits));
export const micros = (perSecond) => Math.round(1e6 / perSecond);
