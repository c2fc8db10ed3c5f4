// Random scenarios for the property tests: a policy, how the tag script behaves, and a
// sequence of things that happen to a page (the site's calls, the token endpoint's and the
// tag's behaviour, time passing). Plain data, so fast-check shrinks a failing one to a few steps.
import { READING_VALUES, type FakeTagReadings } from '../../src/fake/tag.js';
import fc from 'fast-check';
import type { ActivationPolicy } from '../../machines/activation.js';
import type { Activation } from '../../src/activation/create-activation.js';
import type { ActivationOptions } from '../../src/activation/options.js';
import { checkInvariants, describeTrace, describeViolation } from '../../src/testing/trace/invariants.js';
import { createFakeWorld, type EndpointMode } from '../../src/testing/model/world.js';
import type { DevKeys } from '../../src/token/dev-keys.js';

export type Step =
  | { readonly do: 'sign-in'; readonly identity: string | undefined }
  /** Two sign-ins in the same tick, as from a double click. */
  | { readonly do: 'double-sign-in'; readonly identity: string | undefined }
  | { readonly do: 'sign-out' }
  | { readonly do: 'reset' }
  | { readonly do: 'endpoint'; readonly mode: Exclude<EndpointMode, 'hold'> }
  | { readonly do: 'latency'; readonly ms: number }
  | { readonly do: 'server-errors'; readonly count: number | 'always' }
  | { readonly do: 'rotate-key'; readonly rotated: boolean }
  | { readonly do: 'clock-skew'; readonly ms: number }
  | { readonly do: 'load-script' }
  | { readonly do: 'expire-session' }
  | { readonly do: 'provider-call'; readonly which: 'latest' | 'oldest' }
  | {
      readonly do: 'port-faults';
      readonly activate: 'pass' | 'throw';
      readonly logout: 'pass' | 'slow' | 'throw' | 'hang';
    }
  | { readonly do: 'advance'; readonly ms: number };

export interface Scenario {
  readonly policy: Pick<ActivationPolicy, 'onTokenFailure' | 'whenSignedOut'> & Partial<ActivationPolicy>;
  /** How the fake tag reads the docs' open points (tag-contract.md §8); default the fake's defaults. */
  readonly readings?: Partial<FakeTagReadings>;
  /** The tag script: loads, never loads (unless a 'load-script' step loads it late), or is blocked. */
  readonly script: 'load' | 'never' | 'error';
  readonly steps: readonly Step[];
}

const identity = fc.constantFrom('alice', 'bob', undefined);
/** Delays around the ones that matter: token reuse (30 s), timeouts (5 s, 20 s), session (60 s), script (15 s). */
const delay = fc.constantFrom(100, 1_000, 5_000, 10_000, 16_000, 21_000, 31_000, 61_000, 10 * 60_000);

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ do: fc.constant('sign-in' as const), identity }) },
  { weight: 1, arbitrary: fc.record({ do: fc.constant('double-sign-in' as const), identity }) },
  { weight: 3, arbitrary: fc.constant({ do: 'sign-out' as const }) },
  { weight: 1, arbitrary: fc.constant({ do: 'reset' as const }) },
  {
    weight: 2,
    arbitrary: fc.record({
      do: fc.constant('endpoint' as const),
      mode: fc.constantFrom('token' as const, 'slow' as const, 'fail' as const, 'hang' as const),
    }),
  },
  { weight: 1, arbitrary: fc.record({ do: fc.constant('latency' as const), ms: fc.constantFrom(0, 2_000, 40_000) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      do: fc.constant('server-errors' as const),
      count: fc.constantFrom(0, 1, 4, 'always' as const),
    }),
  },
  { weight: 1, arbitrary: fc.record({ do: fc.constant('rotate-key' as const), rotated: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ do: fc.constant('clock-skew' as const), ms: fc.constantFrom(0, 5 * 60_000) }) },
  { weight: 1, arbitrary: fc.constant({ do: 'load-script' as const }) },
  { weight: 2, arbitrary: fc.constant({ do: 'expire-session' as const }) },
  // The tag asks for tokens often: every call now fetches a new one (invariants 8 and 9).
  {
    weight: 3,
    arbitrary: fc.record({
      do: fc.constant('provider-call' as const),
      which: fc.constantFrom('latest' as const, 'oldest' as const),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      do: fc.constant('port-faults' as const),
      activate: fc.constantFrom('pass' as const, 'throw' as const),
      logout: fc.constantFrom('pass' as const, 'slow' as const, 'throw' as const, 'hang' as const),
    }),
  },
  { weight: 4, arbitrary: fc.record({ do: fc.constant('advance' as const), ms: delay }) },
);

export const scenarioArbitrary: fc.Arbitrary<Scenario> = fc.record({
  policy: fc.record({
    onTokenFailure: fc.constantFrom('stay-inactive' as const, 'anonymous' as const),
    whenSignedOut: fc.constantFrom('inactive' as const, 'anonymous' as const),
    anonymousUpgrade: fc.constantFrom('in-place' as const, 'logout-first' as const),
  }),
  readings: fc.record({
    logout: fc.constantFrom(...READING_VALUES.logout),
    result: fc.constantFrom(...READING_VALUES.result),
    upgrade: fc.constantFrom(...READING_VALUES.upgrade),
  }),
  script: fc.constantFrom('load' as const, 'never' as const, 'error' as const),
  steps: fc.array(step, { minLength: 1, maxLength: 30, size: 'medium' }),
});

export interface ScenarioOptions {
  readonly keys: DevKeys;
  /** A customer key iAdvize was not told about, for key rotations. */
  readonly rotatedKey: string;
  /** The controller to test; default createActivation. */
  readonly mount?: (options: ActivationOptions) => Activation;
}

/** Plays a scenario; resolves with a description of the first invariant broken, or undefined. */
export async function runScenario(scenario: Scenario, options: ScenarioOptions): Promise<string | undefined> {
  const world = await createFakeWorld({
    keys: options.keys,
    policy: scenario.policy,
    timeouts: { tokenFetchMs: 5_000, activationMs: 20_000, logoutMs: 5_000 },
    tokenTtlMs: 30_000,
    sessionLifetimeMs: 60_000,
    faults: { scriptLoad: scenario.script },
    ...(scenario.readings === undefined ? {} : { readings: scenario.readings }),
    ...(options.mount === undefined ? {} : { mount: options.mount }),
  });
  const { activation, fake, gate, endpoint } = world;
  try {
    for (const [index, step] of scenario.steps.entries()) {
      switch (step.do) {
        case 'sign-in':
          activation.signIn(step.identity);
          break;
        case 'double-sign-in':
          activation.signIn(step.identity);
          activation.signIn(step.identity);
          break;
        case 'sign-out':
          activation.signOut();
          break;
        case 'reset':
          activation.reset();
          break;
        case 'endpoint':
          endpoint.mode = step.mode;
          break;
        case 'latency':
          fake.faults.latencyMs = step.ms;
          break;
        case 'server-errors':
          fake.faults.serverErrors = step.count;
          break;
        case 'rotate-key':
          fake.faults.rotatedCustomerKey = step.rotated ? options.rotatedKey : undefined;
          break;
        case 'clock-skew':
          fake.faults.clockSkewMs = step.ms;
          break;
        case 'load-script':
          fake.load();
          break;
        case 'expire-session':
          void fake.expireSession();
          break;
        case 'provider-call': {
          const provider = step.which === 'latest' ? gate.providers.at(-1) : gate.providers[0];
          provider?.().catch(() => undefined);
          break;
        }
        case 'port-faults':
          Object.assign(gate.faults, { activate: step.activate, logout: step.logout });
          break;
        case 'advance':
          await world.advance(step.ms);
          break;
      }
      await world.settle();
      const violations = checkInvariants(world.trace, { policy: scenario.policy });
      if (violations.length > 0) {
        return [
          `after step ${index + 1} (${JSON.stringify(step)}):`,
          ...violations.map(describeViolation),
          'trace up to the first violation:',
          describeTrace(world.trace, violations[0]!.index, 40),
        ].join('\n');
      }
    }
    return undefined;
  } finally {
    await world.dispose();
  }
}
