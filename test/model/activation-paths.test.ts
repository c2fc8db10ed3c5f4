// Model-based tests: paths generated from the activation machine (xstate/graph) and played
// against the real system, for every policy: createActivation over the real tag adapter and
// the fake iAdvize, real tokens, real crypto checks. See src/testing/model/activation-model.ts for
// how each internal event of the machine maps to something that happens in the world.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActivationPolicy } from '../../machines/activation.js';
import {
  createActivationTestPaths,
  SIMPLE_PATH_VOCABULARY,
  type ActivationTestPath,
  type PathKind,
} from '../../src/testing/model/test-paths.js';
import { DEFAULT_READINGS, READING_VALUES, type FakeTagReadings } from '../../src/fake/tag.js';
import { SUITE_POLICIES } from '../support/policies.js';
import { createFakeWorld } from '../../src/testing/model/world.js';
import { generateDevKeys, type DevKeys } from '../../src/token/dev-keys.js';

/** Both readings of the undocumented point that matters most (tag-contract.md §8): does logout() cancel an activate? */
const LOGOUT_READINGS = READING_VALUES.logout;
/** Simple paths multiply with the states: the default policy's small vocabulary keeps them to a few hundred. */
const withSimplePaths = (policy: ActivationPolicy) =>
  policy.onTokenFailure === 'stay-inactive' && policy.whenSignedOut === 'inactive';
/** Hundreds of paths, each a whole world with real crypto: minutes when the suite shares the cores. */
const PATHS_TIMEOUT_MS = 15 * 60_000;
/** Full messages shown for the first failing paths; the rest are counted. */
const SHOWN_FAILURES = 3;

let keys: DevKeys;
beforeAll(async () => {
  keys = await generateDevKeys();
});

const covered = new Set<string>();
const ran: Record<PathKind, number> = { shortest: 0, transition: 0, simple: 0 };
const suites = SUITE_POLICIES.map((policy) => ({
  policy,
  suite: createActivationTestPaths({ policy, ...(withSimplePaths(policy) ? { simple: SIMPLE_PATH_VOCABULARY } : {}) }),
}));
const machineTransitions = suites[0]!.suite.machineTransitions;

async function play(
  path: ActivationTestPath,
  worldOptions: (typeof suites)[number]['suite']['worldOptions'],
  readings: Partial<FakeTagReadings>,
): Promise<string | undefined> {
  const world = await createFakeWorld({ keys, ...worldOptions, readings });
  try {
    await path.run(world);
    return undefined;
  } catch (error) {
    return `${path.name}\n${path.description}\n${error instanceof Error ? error.message : String(error)}`;
  } finally {
    for (const key of world.transitions) covered.add(key);
    ran[path.kind] += 1;
    await world.dispose();
  }
}

for (const { policy, suite } of suites) {
  describe(`policy ${policy.onTokenFailure} / ${policy.whenSignedOut} / upgrade ${policy.anonymousUpgrade}`, () => {
    for (const kind of ['shortest', 'transition', 'simple'] as const) {
      const paths = suite.paths.filter((path) => path.kind === kind);
      if (paths.length === 0) continue;
      it.each(LOGOUT_READINGS)(
        `every ${kind} path (${paths.length}) behaves as the model says, outside the machine, when logout %s`,
        async (logout) => {
          const failures: string[] = [];
          for (const path of paths) {
            const failure = await play(path, suite.worldOptions, { logout });
            if (failure) failures.push(failure);
          }
          expect(
            failures.length,
            `${failures.length} of ${paths.length} ${kind} paths failed; the first:\n\n${failures.slice(0, SHOWN_FAILURES).join('\n\n')}`,
          ).toBe(0);
        },
        PATHS_TIMEOUT_MS,
      );
    }
  });
}

/**
 * How activate delivers its result (tag-contract.md §8), each reading the fake does not take by
 * default, under the logout reading the contract says to assume: the transition paths of every
 * policy, which take every transition the model can reach. (The upgrade reading is the property
 * suite's: no model path upgrades an anonymous session at the tag.)
 */
const OTHER_READINGS: ReadonlyArray<Partial<FakeTagReadings>> = READING_VALUES.result
  .filter((result) => result !== DEFAULT_READINGS.result)
  .map((result) => ({ result }));

describe('every way activate may deliver its result (tag-contract.md §8)', () => {
  it.each(OTHER_READINGS.map((reading) => [JSON.stringify(reading), reading] as const))(
    'every transition path of every policy behaves as the model says when %s',
    async (_, reading) => {
      const failures: string[] = [];
      let played = 0;
      for (const { suite } of suites)
        for (const path of suite.paths.filter((p) => p.kind === 'transition')) {
          played += 1;
          const failure = await play(path, suite.worldOptions, { logout: 'keeps-activation', ...reading });
          if (failure) failures.push(failure);
        }
      expect(played).toBeGreaterThan(0);
      expect(
        failures.length,
        `${failures.length} of ${played} transition paths failed; the first:\n\n${failures.slice(0, SHOWN_FAILURES).join('\n\n')}`,
      ).toBe(0);
    },
    PATHS_TIMEOUT_MS,
  );
});

/**
 * Transitions no path of the model's world can take, each with the reason and the test that
 * takes it instead. Listed by key, so a renamed transition fails here rather than hiding.
 */
const UNREACHABLE_IN_THE_MODEL: Record<string, string> = {
  // A token is dropped by its tokenTtl timer before its expiry on a simulated clock; the guard is
  // for real pages, whose timers run late (background tabs). create-activation.test.ts takes it.
  'activation.visitor.secured.token.fresh|TOKEN_REQUESTED|1': 'a provider call past the token expiry, before its timer',
  // A controller taking over from the previous one on the page: no model step makes a second
  // controller; visitor-and-site.test.ts (a controller replaced…, hot reload) takes them.
  'activation.visitor.signedOut|tag.adopted|0': 'a hot reload over a secured session',
  'activation.visitor.signedOut|tag.adopted|1': 'a hot reload over any other tag state',
};

it('the paths take every transition of the machine (but the listed unreachable ones)', () => {
  for (const key of Object.keys(UNREACHABLE_IN_THE_MODEL))
    expect(machineTransitions, `no transition ${key} any more`).toContain(key);
  const missing = [...machineTransitions].filter((key) => !covered.has(key) && !(key in UNREACHABLE_IN_THE_MODEL));
  expect(missing, 'transitions no path took').toEqual([]);
});

afterAll(() => {
  const total = ran.shortest + ran.transition + ran.simple;
  const taken = [...machineTransitions].filter((key) => covered.has(key)).length;
  console.log(
    `model paths: ${total} run over ${SUITE_POLICIES.length} policies × ${LOGOUT_READINGS.length} logout readings, and the transition paths under ${OTHER_READINGS.length} result readings (shortest ${ran.shortest}, transition ${ran.transition}, simple ${ran.simple}); ` +
      `machine transitions taken: ${taken}/${machineTransitions.size} (${((100 * taken) / machineTransitions.size).toFixed(1)}%)`,
  );
});
