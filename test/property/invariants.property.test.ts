// Property-based tests: random scenarios of site events, tag behaviours and timings, played
// against createActivation over the real tag adapter and the fake iAdvize; the nine invariants
// of the design are checked from the outside after every step. PROPERTY_RUNS=10000 for more
// runs, PROPERTY_SEED=<seed> to replay a reported failure.
import fc from 'fast-check';
import { beforeAll, expect, it } from 'vitest';
import { generateDevKeys, generateRsaKeyPair, type DevKeys } from '../../src/token/dev-keys.js';
import { REGRESSIONS } from './regressions.js';
import { runScenario, scenarioArbitrary } from './scenario.js';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 1_000);
const SEED = process.env.PROPERTY_SEED === undefined ? undefined : Number(process.env.PROPERTY_SEED);

let keys: DevKeys;
let rotatedKey: string;
beforeAll(async () => {
  keys = await generateDevKeys();
  rotatedKey = (await generateRsaKeyPair()).publicKeyPem;
});

it(`the nine invariants hold after every step of ${RUNS} random scenarios`, async () => {
  const started = performance.now();
  let runs = 0;
  const result = await fc.check(
    fc.asyncProperty(scenarioArbitrary, async (scenario) => {
      runs += 1;
      const violation = await runScenario(scenario, { keys, rotatedKey });
      if (violation) throw new Error(violation);
    }),
    {
      numRuns: RUNS,
      examples: REGRESSIONS.map((scenario) => [scenario]),
      ...(SEED === undefined ? {} : { seed: SEED }),
    },
  );
  console.log(
    `property runs: ${result.numRuns} of ${RUNS}${result.failed ? ', failed' : ' passed'} (${runs} played, shrinking included), ` +
      `${REGRESSIONS.length} regression scenarios first, seed ${result.seed}, ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  expect(
    result.failed,
    `${fc.defaultReportMessage(result)}\n\n${result.errorInstance instanceof Error ? result.errorInstance.message : ''}`,
  ).toBe(false);
}, 600_000);
