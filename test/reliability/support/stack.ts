// The real parts, wired as a site would: keys, an issuer whose every token is registered as a
// secret, the fake iAdvize (real adapter over a fake window), and createActivation over it.
import { SimulatedClock } from 'xstate';
import { expect } from 'vitest';
import { createActivation, type Activation } from '../../../src/activation/create-activation.js';
import type { ActivationOptions, FetchToken, FetchTokenRequest } from '../../../src/activation/options.js';
import type { ActivationState, ActivationStatus } from '../../../src/activation/view.js';
import { FAILURE_ADVICE, type FailureCode, type FailurePhase } from '../../../machines/failures.js';
import { createTokenIssuer, type TokenIssuer } from '../../../src/token/issue.js';
import type { VendorProvider } from '../../../src/tag/vendor-api.js';
import {
  createFakeIAdvize,
  type CreateFakeIAdvizeOptions,
  type FakeIAdvize,
} from '../../../src/fake/create-fake-iadvize.js';
import { generateDevKeys, type DevKeys } from '../../../src/token/dev-keys.js';
import { onCleanup, secrets } from './suite.js';

export const SITE_ISSUER = 'https://shop.example';

export interface Parts {
  readonly keys: DevKeys;
  /** Another site's keys: a rotated customer key, a wrong iAdvize key. */
  readonly other: DevKeys;
  /** Every token it issues is registered with `secrets`. */
  readonly issuer: TokenIssuer;
}

export async function createParts(options: { now?: () => number } = {}): Promise<Parts> {
  const [keys, other] = await Promise.all([generateDevKeys(), generateDevKeys()]);
  for (const [owner, pair] of [
    ['site', keys],
    ['other site', other],
  ] as const) {
    secrets.addPrivateKey(`${owner} customer private key`, pair.customer.privateKeyPem);
    secrets.addPrivateKey(`${owner} iAdvize private key`, pair.iadvize.privateKeyPem);
  }
  const issuer = await createTokenIssuer({
    privateKey: keys.customer.privateKeyPem,
    iadvizePublicKey: keys.iadvize.publicKeyPem,
    issuer: SITE_ISSUER,
    ...(options.now ? { now: options.now } : {}),
  });
  return { keys, other, issuer: recordingIssuer(issuer) };
}

/** The issuer, with every token registered as a secret before anyone sees it. */
function recordingIssuer(issuer: TokenIssuer): TokenIssuer {
  return {
    issuer: issuer.issuer,
    ttlSeconds: issuer.ttlSeconds,
    async issue(identity) {
      const token = await issuer.issue(identity);
      secrets.addToken(token);
      return token;
    },
    async issueWithExpiry(identity) {
      const issued = await issuer.issueWithExpiry(identity);
      secrets.addToken(issued.token);
      return issued;
    },
  };
}

export async function fakeIAdvize(parts: Parts, options: Partial<CreateFakeIAdvizeOptions> = {}): Promise<FakeIAdvize> {
  const fake = await createFakeIAdvize({
    customerPublicKey: parts.keys.customer.publicKeyPem,
    iadvizePrivateKey: parts.keys.iadvize.privateKeyPem,
    // A day: no re-verification unless a test asks for it.
    sessionLifetimeMs: 24 * 60 * 60_000,
    ...options,
  });
  onCleanup(() => fake.dispose());
  return fake;
}

/** A started controller, stopped after the test. */
export function startActivation(options: ActivationOptions): Activation {
  const activation = createActivation(options).start();
  onCleanup(() => activation.stop());
  return activation;
}

/**
 * Waits in real time, turn by turn of the event loop, for `check` to pass. Works under
 * vi.useFakeTimers (setImmediate is not faked) and never advances fake time by itself.
 */
export async function eventually(check: () => void, timeoutMs = 5_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    try {
      return check();
    } catch (error) {
      if (performance.now() > deadline) throw error;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
}

/** Lets pending promises, crypto and loopback I/O move on for a while: nothing else should happen. */
export async function quietFor(ms: number): Promise<void> {
  const until = performance.now() + ms;
  while (performance.now() < until) await new Promise<void>((resolve) => setImmediate(resolve));
}

export async function settles(activation: Activation, ...statuses: ActivationStatus[]): Promise<ActivationState> {
  await eventually(() => expect(statuses).toContain(activation.getSnapshot().status));
  return activation.getSnapshot();
}

/** Status failed with the code, the phase and the documented advice. */
export function expectFailure(state: ActivationState, code: FailureCode, phase: FailurePhase): void {
  expect(state.status).toBe('failed');
  expect(state.failure).toMatchObject({ code, phase, advice: FAILURE_ADVICE[code] });
}

/** The fake's log as a list of call types, only the ones that matter to the visitor's identity. */
export function identityCalls(fake: FakeIAdvize): string[] {
  return fake.calls.entries
    .filter(
      (entry) => entry.type === 'activate' || entry.type === 'logout' || (entry.type === 'server-check' && entry.ok),
    )
    .map((entry) => (entry.type === 'server-check' && entry.ok ? `verified:${entry.userId}` : entry.type));
}

export interface BackendCall {
  readonly request: FetchTokenRequest;
  /** Settles the held call by hand (a token for its identity, or a failure). */
  release(): void;
  fail(error: Error): void;
}

/**
 * The site's backend in process: a fresh issuer token for the identity asked, at once, or held
 * for the purposes listed in `hold` until the test releases it.
 */
export interface Backend {
  readonly fetchToken: FetchToken;
  readonly calls: BackendCall[];
  hold: ReadonlySet<FetchTokenRequest['purpose']>;
}

export function backendOf(parts: Parts): Backend {
  const backend: Backend = {
    calls: [],
    hold: new Set(),
    fetchToken: (request) =>
      new Promise<string>((resolve, reject) => {
        const issue = () => void parts.issuer.issue({ userId: request.identity ?? 'nobody' }).then(resolve, reject);
        backend.calls.push({ request, release: issue, fail: reject });
        if (backend.hold.has(request.purpose)) return;
        // Answers after the page's current task, as a network would: a request aborted in it is not served.
        queueMicrotask(() => (request.signal.aborted ? reject(request.signal.reason) : issue()));
      }),
  };
  return backend;
}

/** Keeps every provider the page hands to `iAdvize.activate`, so a test can call an old one later. */
export function recordProviders(fake: FakeIAdvize): VendorProvider[] {
  const providers: VendorProvider[] = [];
  const activate = fake.iAdvize.activate;
  fake.iAdvize.activate = (provider, onResult) => {
    providers.push(provider);
    return activate(provider, onResult);
  };
  return providers;
}

/**
 * Active as visitor-1 over the fake, with refreshes held at the backend and the clock just past
 * tokenTtlMs: the next provider call starts a refresh that does not answer until released.
 */
export async function activeWithStaleToken(parts: Parts) {
  const clock = new SimulatedClock();
  const fake = await fakeIAdvize(parts);
  const providers = recordProviders(fake);
  const backend = backendOf(parts);
  backend.hold = new Set(['refresh']);
  const activation = startActivation({ tag: fake.tag, fetchToken: backend.fetchToken, clock, tokenTtlMs: 30_000 });
  activation.signIn('visitor-1');
  await settles(activation, 'active');
  clock.increment(30_000);
  return { fake, providers, backend, activation };
}
