// Bytes a site ships for the library: the main entry plus the real-tag adapter bundled for the
// browser (minified, gzipped), beside the floor built the same way in the same run, a minimal
// XState machine and actor. Same measurement as the CI budget (scripts/bundle-budget.mjs).
import { contributionsOverFloor, measureBudget } from '../bundle-budget.mjs';
import { round } from './support/measure.mjs';

export async function run() {
  const { library, floor, overFloorGzipBytes, budgetGzipBytes, withinBudget } = await measureBudget();
  return {
    name: 'browser bundle (main + tag)',
    value: library.gzipBytes,
    unit: 'B gz',
    anchor: 'B gz minimal XState machine',
    anchorValue: floor.gzipBytes,
    ratio: round(library.gzipBytes / floor.gzipBytes),
    goal: `<= floor + ${budgetGzipBytes} B gz`,
    met: withinBudget,
    details: {
      overFloorGzipBytes,
      minifiedBytes: library.bytes,
      floorMinifiedBytes: floor.bytes,
      largestOverFloor: Object.fromEntries(
        contributionsOverFloor(library, floor, 6).map(({ path, bytesOverFloor }) => [path, `${bytesOverFloor} B min`]),
      ),
    },
  };
}
