// Mutation sanity: the property and model suites must fail on machines with a plausible
// mistake (mutants.ts), through the controller over the real adapter and the fake iAdvize.
// A mutant counts as caught only by a counterexample the real machine passes, so what fails
// is the mistake, not something else.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ActivationMachine } from '../../machines/activation.js';
import { createActivationOver } from '../../src/activation/create-activation.js';
import { createActivationTestPaths, type ActivationTestPath } from '../../src/testing/model/test-paths.js';
import { createFakeWorld } from '../../src/testing/model/world.js';
import { generateDevKeys, generateRsaKeyPair, type DevKeys } from '../../src/token/dev-keys.js';
import { REGRESSIONS } from '../property/regressions.js';
import { runScenario, scenarioArbitrary, type Scenario } from '../property/scenario.js';
import { READING_VALUES, type FakeTagReadings } from '../../src/fake/tag.js';
import { SUITE_POLICIES } from '../support/policies.js';
import { MUTANTS } from './mutants.js';

/** Searching for a counterexample, with real crypto, while the suite shares the cores. */
const MUTANT_TIMEOUT_MS = 5 * 60_000;
/** The most scenarios tried on a mutant, after the regression scenarios; every mutant is caught within the first few hundred, most by a regression scenario. */
const MUTANT_RUNS = 1_000;

let keys: DevKeys;
let rotatedKey: string;
beforeAll(async () => {
  keys = await generateDevKeys();
  rotatedKey = (await generateRsaKeyPair()).publicKeyPem;
});

const overMutant = (machine: ActivationMachine) => ({
  mount: (options: Parameters<typeof createActivationOver>[1]) => createActivationOver(machine, options),
});
const suites = SUITE_POLICIES.map((policy) => createActivationTestPaths({ policy }));

/** Both readings of whether logout() cancels an activate (tag-contract.md §8), as the model suite runs. */
const LOGOUT_READINGS = READING_VALUES.logout;
type LogoutReading = FakeTagReadings['logout'];
interface FailingPath {
  readonly path: ActivationTestPath;
  readonly logout: LogoutReading;
  readonly message: string;
}

/** The first model path that fails on `machine` under either logout reading, with the failure, or undefined. */
async function firstFailingPath(
  machine?: ActivationMachine,
  only?: Omit<FailingPath, 'message'>,
): Promise<FailingPath | undefined> {
  for (const logout of only ? [only.logout] : LOGOUT_READINGS) {
    for (const suite of suites) {
      for (const path of only ? suite.paths.filter((p) => p === only.path) : suite.paths) {
        const world = await createFakeWorld({
          keys,
          ...suite.worldOptions,
          readings: { logout },
          ...(machine ? overMutant(machine) : {}),
        });
        try {
          await path.run(world);
        } catch (error) {
          return { path, logout, message: error instanceof Error ? error.message : String(error) };
        } finally {
          await world.dispose();
        }
      }
    }
  }
  return undefined;
}

/** Whether the controller asks the tag port for its script at start(), with nobody signed in. */
async function scriptRequestedAtStart(machine?: ActivationMachine): Promise<boolean> {
  const world = await createFakeWorld({ keys, ...(machine ? overMutant(machine) : {}) });
  try {
    return world.trace.some((entry) => entry.kind === 'port-call' && entry.call === 'ready');
  } finally {
    await world.dispose();
  }
}

for (const mutant of MUTANTS) {
  describe(`mutant: ${mutant.name} (${mutant.mistake})`, () => {
    if (mutant.caughtBy.includes('property')) {
      it(
        'fails the property suite',
        async () => {
          const run = (scenario: Scenario, machine?: ActivationMachine) =>
            runScenario(scenario, { keys, rotatedKey, ...(machine ? overMutant(machine) : {}) });
          // Fails where the mutant breaks an invariant and the real machine does not. The suite as
          // CI runs it: its regression scenarios first, then random ones (a late answer past the
          // activation timeout is rare enough in random draws that 1,000 of them may miss it).
          const result = await fc.check(
            fc.asyncProperty(
              scenarioArbitrary,
              async (scenario) =>
                (await run(scenario, mutant.machine)) === undefined || (await run(scenario)) !== undefined,
            ),
            { numRuns: MUTANT_RUNS, examples: REGRESSIONS.map((scenario): [Scenario] => [scenario]) },
          );
          expect(result.failed, `no scenario in ${MUTANT_RUNS} told "${mutant.name}" from the real machine`).toBe(true);
          const counterexample = result.counterexample![0]!;
          const violation = (await run(counterexample, mutant.machine))!;
          console.log(
            `mutant "${mutant.name}": property suite failed after ${result.numRuns} runs, shrunk to ${counterexample.steps.length} steps: ` +
              `${JSON.stringify(counterexample.steps)} → ${violation.split('\n')[1]}`,
          );
        },
        MUTANT_TIMEOUT_MS,
      );
    }
    if (mutant.caughtBy.includes('lifecycle')) {
      it('fails the lifecycle probe: the tag script is requested by start(), before any sign-in', async () => {
        expect(await scriptRequestedAtStart(mutant.machine), 'the mutant requested the script at start').toBe(false);
        expect(await scriptRequestedAtStart(), 'the real machine requests the script at start').toBe(true);
      });
    }
    if (mutant.caughtBy.includes('model')) {
      it(
        'fails the model paths',
        async () => {
          const failure = await firstFailingPath(mutant.machine);
          expect(failure, `every model path passed on "${mutant.name}"`).toBeDefined();
          expect(await firstFailingPath(undefined, failure), 'the same path fails on the real machine').toBeUndefined();
          const [problem, after] = failure!.message.split('\n');
          console.log(
            `mutant "${mutant.name}": ${failure!.path.kind} model path failed (logout ${failure!.logout}): ${problem} (${after})`,
          );
        },
        MUTANT_TIMEOUT_MS,
      );
    }
  });
}
