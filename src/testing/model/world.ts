// A whole system under test in one process: the controller (yours, or createActivation) over
// the REAL tag adapter and the fake iAdvize, a token endpoint issuing real tokens, one
// simulated clock, and a recorder. Token fetches and tag calls can be held for a driver to
// answer one by one (model-based tests) or answered by the faults in force (property tests).
import type { InspectionEvent } from 'xstate';
import type { ActivationPolicy, ActivationTimeouts } from '../../../machines/activation.js';
import { createActivation, type Activation } from '../../activation/create-activation.js';
import type { ActivationOptions, FetchToken, FetchTokenRequest } from '../../activation/options.js';
import { createTokenIssuer } from '../../token/issue.js';
import { VENDOR_REASONS } from '../../tag/contract.js';
import type { ActivateRequest, TagOutcome, TagPort } from '../../tag/port.js';
import type { DevKeys } from '../../token/dev-keys.js';
import { createFakeIAdvize, type FakeIAdvize, type FakeIAdvizeFaults } from '../../fake/create-fake-iadvize.js';
import type { FakeTagReadings } from '../../fake/tag.js';
import { recordActivation, type ActivationRecorder, type Trace } from '../trace/trace-recorder.js';
import { createSettler } from '../time/crypto-settler.js';
import { createTestClock, type TestClock } from '../time/test-clock.js';
import { transitionKey } from './transitions.js';

/** The userId the site's backend puts in the token when signIn() was given no identity. */
export const USER_ID_WITHOUT_IDENTITY = 'visitor-without-id';
/** Longer than any test advances the clock: a delay this long never ends. */
export const NEVER_MS = 7 * 24 * 60 * 60_000;

export function userIdFor(identity: string | undefined): string {
  return identity ?? USER_ID_WITHOUT_IDENTITY;
}

/** How the token endpoint answers new fetches; 'hold' leaves them for `answer()`. */
export type EndpointMode = 'token' | 'slow' | 'fail' | 'hang' | 'hold';
export type FetchAnswer = 'token' | 'slow' | 'fail' | 'hang';
/** How long 'slow' answers (token endpoint, logout) take: well inside the default timeouts. */
export const SLOW_MS = 2_000;

export interface HeldFetch {
  readonly request: FetchTokenRequest;
  answered: boolean;
  answer(how: FetchAnswer): void;
}

export interface TokenEndpoint {
  mode: EndpointMode;
  /** Fetches in 'hold' mode not answered yet (aborted ones included). */
  readonly held: HeldFetch[];
  /** Every fetch, in order. */
  readonly requests: FetchTokenRequest[];
}

/**
 * How a held activation ends. `accept`/`reject` are played by the fake iAdvize (token accepted,
 * iAdvize server errors); `throw` and the anonymous `reject` (which the fake cannot produce) are
 * answered by the gate itself; `hang` leaves the call held: the tag never answers.
 */
export type ActivationPlan = 'accept' | 'reject' | 'throw' | 'hang';
export type LoadPlan = 'load' | 'fail';
export type LogoutPlan = 'done' | 'throw' | 'hang';

export interface HeldActivation {
  readonly signal: AbortSignal;
  released: boolean;
  release(plan: ActivationPlan): void;
}

export interface HeldLoad {
  readonly signal: AbortSignal;
  released: boolean;
  release(plan: LoadPlan): void;
}

export interface HeldLogout {
  readonly signal: AbortSignal;
  released: boolean;
  release(plan: LogoutPlan): void;
}

/** Port-level faults for property tests, where calls are not held: what the fake cannot do. */
export interface PortFaults {
  activate: 'pass' | 'throw';
  logout: 'pass' | 'slow' | 'throw' | 'hang';
}

export interface TagGate {
  /** Hold the tag script's load, activations and logouts for `release`. */
  hold: boolean;
  readonly loads: HeldLoad[];
  readonly activations: HeldActivation[];
  readonly logouts: HeldLogout[];
  /** The providers handed to the tag with each secured activate, oldest first. */
  readonly providers: Array<() => Promise<string>>;
  readonly faults: PortFaults;
}

export interface FakeWorldOptions {
  /** Generate once with generateDevKeys() and share: the fake iAdvize and the issuer use them. */
  readonly keys: DevKeys;
  readonly policy?: Partial<ActivationPolicy>;
  readonly timeouts?: Partial<ActivationTimeouts>;
  readonly tokenTtlMs?: number;
  /** iAdvize's session lifetime. Default 60 min. */
  readonly sessionLifetimeMs?: number;
  /** The adapter's script load timeout. Default 15 s. */
  readonly loadTimeoutMs?: number;
  /** The fake tag's own retries after a server error. Default 3. */
  readonly retries?: number;
  /** How the fake tag reads the docs' open points (tag-contract.md §8). */
  readonly readings?: Partial<FakeTagReadings>;
  readonly faults?: Partial<FakeIAdvizeFaults>;
  /**
   * Your token route as the page calls it (it must sign with `keys`), built for the world's
   * clock: the fake iAdvize checks `iat` and `exp` against simulated time, so your issuer must
   * tell time by `clock.now`. Default: a token issuer with `keys`.
   */
  readonly tokenSource?: (clock: { readonly now: () => number }) => FetchToken | Promise<FetchToken>;
  /** Your page: builds the controller from these options. Default createActivation. */
  readonly mount?: (options: ActivationOptions) => Activation;
  /** Start with fetches and tag calls held for a driver. Default false. */
  readonly hold?: boolean;
}

export interface FakeWorld {
  readonly keys: DevKeys;
  readonly clock: TestClock;
  readonly fake: FakeIAdvize;
  /** The controller; its signIn/signOut/reset are recorded as site actions. */
  readonly activation: Activation;
  readonly recorder: ActivationRecorder;
  /** The trace so far (vendor calls synced). */
  readonly trace: Trace;
  readonly endpoint: TokenEndpoint;
  readonly gate: TagGate;
  /** The machine transitions the controller took, as `transitionKey`s (if your page forwards `inspect`). */
  readonly transitions: ReadonlySet<string>;
  /** Lets promises, XState and real crypto finish. */
  settle(): Promise<void>;
  /** Moves simulated time forward, timer by timer, settling after each. */
  advance(ms: number): Promise<void>;
  dispose(): Promise<void>;
}

export async function createFakeWorld(options: FakeWorldOptions): Promise<FakeWorld> {
  const clock = createTestClock();
  const uninstall = clock.install();
  const settler = createSettler();
  const { keys } = options;
  const fake = await createFakeIAdvize({
    customerPublicKey: keys.customer.publicKeyPem,
    iadvizePrivateKey: keys.iadvize.privateKeyPem,
    now: clock.now,
    ...(options.sessionLifetimeMs === undefined ? {} : { sessionLifetimeMs: options.sessionLifetimeMs }),
    ...(options.loadTimeoutMs === undefined ? {} : { loadTimeoutMs: options.loadTimeoutMs }),
    ...(options.retries === undefined ? {} : { retries: options.retries }),
    ...(options.readings === undefined ? {} : { readings: options.readings }),
    ...(options.faults === undefined ? {} : { faults: options.faults }),
  });
  const source: FetchToken = options.tokenSource
    ? await options.tokenSource({ now: clock.now })
    : await (async () => {
        const issuer = await createTokenIssuer({
          privateKey: keys.customer.privateKeyPem,
          iadvizePublicKey: keys.iadvize.publicKeyPem,
          issuer: 'https://shop.example',
          now: clock.now,
        });
        return ({ identity }: FetchTokenRequest) => issuer.issueWithExpiry({ userId: userIdFor(identity) });
      })();

  const endpoint: TokenEndpoint = { mode: options.hold ? 'hold' : 'token', held: [], requests: [] };
  const fetchToken: FetchToken = (request) => {
    endpoint.requests.push(request);
    return new Promise((resolve, reject) => {
      const answer = (how: FetchAnswer) => {
        if (how === 'token') source(request).then(resolve, reject);
        else if (how === 'slow') setTimeout(() => void source(request).then(resolve, reject), SLOW_MS);
        else if (how === 'fail') reject(new Error('the token endpoint answered 503'));
        // Like fetch(): a request that never answers rejects once aborted.
        else
          request.signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')), {
            once: true,
          });
      };
      if (endpoint.mode !== 'hold') return answer(endpoint.mode);
      const held: HeldFetch = {
        request,
        answered: false,
        answer(how) {
          held.answered = true;
          answer(how);
        },
      };
      endpoint.held.push(held);
    });
  };

  const gate = createGate(fake, options.hold ?? false);
  const recorder = recordActivation({ calls: fake.calls, tagState: fake, now: clock.now });
  const transitions = new Set<string>();
  const inspect = (event: InspectionEvent) => {
    if (event.type === '@xstate.microstep')
      for (const transition of event._transitions) transitions.add(transitionKey(transition));
  };
  const mount = options.mount ?? createActivation;
  const mounted = mount({
    tag: recorder.tag(gate.port),
    fetchToken: recorder.fetchToken(fetchToken),
    clock,
    inspect,
    ...(options.policy === undefined ? {} : { policy: options.policy }),
    ...(options.timeouts === undefined ? {} : { timeouts: options.timeouts }),
    ...(options.tokenTtlMs === undefined ? {} : { tokenTtlMs: options.tokenTtlMs }),
  });
  const activation = recorder.attach(mounted);
  mounted.start();

  const settle = () => settler.settle();
  const world: FakeWorld = {
    keys,
    clock,
    fake,
    activation,
    recorder,
    get trace() {
      return recorder.trace;
    },
    endpoint,
    gate: gate.gate,
    transitions,
    settle,
    async advance(ms) {
      await clock.advance(ms, settle);
      await settle();
    },
    async dispose() {
      mounted.stop();
      await settle();
      recorder.dispose();
      fake.dispose();
      uninstall();
      settler.dispose();
    },
  };
  await settle();
  return world;
}

/** The tag port between the controller and the real adapter: holds calls, or adds port faults. */
function createGate(fake: FakeIAdvize, hold: boolean): { gate: TagGate; port: TagPort } {
  const gate: TagGate = {
    hold,
    loads: [],
    activations: [],
    logouts: [],
    providers: [],
    faults: { activate: 'pass', logout: 'pass' },
  };
  const faults = fake.faults;

  const port: TagPort = {
    ready({ signal }) {
      if (!gate.hold) return fake.tag.ready({ signal });
      return new Promise<void>((resolve, reject) => {
        const held: HeldLoad = {
          signal,
          released: false,
          release(how) {
            if (held.released) return;
            held.released = true;
            faults.scriptLoad = how === 'fail' ? 'error' : 'load';
            fake.tag.ready({ signal }).then(resolve, reject);
          },
        };
        gate.loads.push(held);
      });
    },
    activate(request: ActivateRequest): Promise<TagOutcome> {
      if (request.mode === 'secured') gate.providers.push(request.provider);
      if (!gate.hold) {
        if (gate.faults.activate === 'throw') return Promise.reject(new Error('the tag port threw'));
        return fake.tag.activate(request);
      }
      return new Promise<TagOutcome>((resolve, reject) => {
        const held: HeldActivation = {
          signal: request.signal,
          released: false,
          release(how) {
            if (held.released) return;
            held.released = true;
            Object.assign(faults, { serverErrors: 0, latencyMs: 0 });
            if (how === 'hang') return;
            if (how === 'throw') return reject(new Error('the tag port threw'));
            if (how === 'reject') {
              if (request.mode === 'anonymous')
                return resolve({ ok: false, code: 'server-error', reason: VENDOR_REASONS.serverError });
              faults.serverErrors = 'always';
            }
            fake.tag.activate(request).then(resolve, reject);
          },
        };
        gate.activations.push(held);
        // Aborted while held (the wait for it timed out, or the controller stopped): as the adapter answers an aborted call.
        request.signal.addEventListener(
          'abort',
          () => {
            if (held.released) return;
            held.released = true;
            fake.tag.activate(request).then(resolve, reject);
          },
          { once: true },
        );
      });
    },
    logout({ signal }) {
      if (!gate.hold) {
        if (gate.faults.logout === 'throw') return Promise.reject(new Error('the tag port threw on logout'));
        if (gate.faults.logout === 'hang')
          return new Promise((_, reject) =>
            signal.addEventListener('abort', () => reject(new Error('cancelled')), { once: true }),
          );
        if (gate.faults.logout === 'slow')
          return new Promise(
            (resolve, reject) => void setTimeout(() => void fake.tag.logout({ signal }).then(resolve, reject), SLOW_MS),
          );
        return fake.tag.logout({ signal });
      }
      return new Promise<void>((resolve, reject) => {
        const held: HeldLogout = {
          signal,
          released: false,
          release(how) {
            if (held.released) return;
            held.released = true;
            if (how === 'done') fake.tag.logout({ signal }).then(resolve, reject);
            else if (how === 'throw') reject(new Error('the tag port threw on logout'));
          },
        };
        gate.logouts.push(held);
        signal.addEventListener(
          'abort',
          () => {
            if (held.released) return;
            held.released = true;
            fake.tag.logout({ signal }).then(resolve, reject);
          },
          { once: true },
        );
      });
    },
  };
  return { gate, port };
}
