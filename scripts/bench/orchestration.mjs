// Sign-in → active → sign-out cycles per second through createActivation over the fake iAdvize,
// beside the same cycle written by hand the way the vendor's snippet does it (push on
// window.iAdvizeInterface, iAdvize.activate with a provider, iAdvize.logout): same fake, same
// pre-issued tokens. The difference is what the machine, the adapter and the controller cost.
// Reported as information: the goal of at most 5% over the snippet is retired (issue 12). A
// cycle happens once per sign-in, and what a visitor waits for is time-to-chat.mjs's figure.
import { createActor, createMachine, fromPromise } from 'xstate';
import { activationMachine, createActivation } from '../../dist/index.js';
import { AUTHENTICATION_SUCCESS, iAdvizeTag } from '../../dist/tag.js';
import { compareThroughput, micros, round } from './support/measure.mjs';
import { benchIssuer, fakeIAdvizeFor, tokenPool } from './support/setup.mjs';

const USER_ID = 'user-42';
const TOKEN_POOL = 32;

export async function run() {
  // Long enough to outlive the run: the tokens are issued once, outside the timed loops.
  const { keys, issuer } = await benchIssuer({ ttlSeconds: 900 });
  const nextToken = await tokenPool(issuer, USER_ID, TOKEN_POOL);
  const fake = await fakeIAdvizeFor(keys);
  const activation = createActivation({ tag: fake.tag, fetchToken: async () => nextToken() }).start();

  const throughController = cycleThrough(activation);

  // The vendor's snippet, against the same fake window the adapter uses.
  const win = fake.window;
  const onTag = (fn) =>
    new Promise((resolve, reject) => {
      win.iAdvizeInterface = win.iAdvizeInterface || [];
      win.iAdvizeInterface.push((iAdvize) => fn(iAdvize).then(resolve, reject));
    });
  const byHand = async () => {
    const token = nextToken();
    const result = await onTag((iAdvize) =>
      iAdvize.activate(() => ({ authenticationOption: { type: 'SECURED_AUTHENTICATION', token } })),
    );
    if (result.authentication.status !== 'authentication-success')
      throw new Error(`the hand-written cycle failed: ${result.authentication.reason}`);
    await onTag((iAdvize) => iAdvize.logout());
  };

  // The same cycle through the machine alone, its actors answering at once: what XState itself
  // spends running the machine, with no adapter, controller or fake tag.
  const bare = createActor(
    activationMachine.provide({
      actors: {
        fetchToken: fromPromise(async () => ({ token: nextToken() })),
        activateTag: fromPromise(async () => ({ ok: true })),
        logoutTag: fromPromise(async () => undefined),
      },
    }),
    { input: {} },
  ).start();
  const machineRate = await actorCycleRate(
    bare,
    { type: 'SIGN_IN', identity: USER_ID },
    { secured: { tag: 'active' } },
  );
  bare.stop();

  // The leanest XState machine for the same flow: fetch, activate, active, logout as plain
  // states with instant invoked actors; no guards, timeouts, refresh region or context. What
  // any XState-based controller of this flow spends at least.
  const minimal = createActor(
    createMachine({
      initial: 'signedOut',
      states: {
        signedOut: { on: { SIGN_IN: 'fetchingToken' } },
        fetchingToken: { invoke: { src: fromPromise(async () => nextToken()), onDone: 'activating' } },
        activating: { invoke: { src: fromPromise(async () => ({ ok: true })), onDone: 'active' } },
        active: { on: { SIGN_OUT: 'signingOut' } },
        signingOut: { invoke: { src: fromPromise(async () => undefined), onDone: 'signedOut' } },
      },
    }),
  ).start();
  const minimalRate = await actorCycleRate(minimal, { type: 'SIGN_IN' }, 'active');
  minimal.stop();

  // The whole library (controller, machine, real-tag adapter) over a vendor object that answers at
  // once and checks nothing: the library's own cost per cycle, with no fake iAdvize around it.
  const instantVendor = {
    activate: async (provider) => ({
      authentication: {
        option: { type: (await provider()).authenticationOption.type },
        status: AUTHENTICATION_SUCCESS,
      },
    }),
    logout: async () => undefined,
  };
  const instantWindow = { iAdvizeInterface: { push: (fn) => fn(instantVendor) } };
  const overInstantVendor = createActivation({
    tag: iAdvizeTag({ sid: 'bench', window: instantWindow, injectScript: false }),
    fetchToken: async () => nextToken(),
  }).start();
  const libraryRate = (
    await compareThroughput({ library: cycleThrough(overInstantVendor) }, { rounds: 3, roundMs: 400 })
  ).library;
  overInstantVendor.stop();

  // The fake's call log is the test double's record, not the library's: keep it from growing.
  const clearingLog = (cycle) => async () => {
    await cycle();
    fake.calls.clear();
  };
  const rates = await compareThroughput(
    { controller: clearingLog(throughController), byHand: clearingLog(byHand) },
    { rounds: 6, roundMs: 600 },
  );
  activation.stop();
  fake.dispose();

  // Slower means fewer cycles per second: the ratio is time per cycle against by hand.
  const ratio = round(rates.byHand / rates.controller);
  return {
    name: 'orchestration cycle',
    value: Math.round(rates.controller),
    unit: 'cycles/s',
    anchor: 'cycles/s by hand (vendor snippet)',
    anchorValue: Math.round(rates.byHand),
    ratio,
    // No goal: bench.mjs needs a boolean, and information cannot miss.
    goal: 'info (time per cycle vs by hand; the <= 1.05 goal is retired)',
    met: true,
    details: {
      microsPerCycleController: micros(rates.controller),
      microsPerCycleByHand: micros(rates.byHand),
      microsAddedPerCycle: micros(rates.controller) - micros(rates.byHand),
      microsPerCycleMinimalXStateFlow: micros(minimalRate),
      microsPerCycleMachineAlone: micros(machineRate),
      microsPerCycleLibraryOverInstantVendor: micros(libraryRate),
    },
  };
}

/** One sign-in → active → sign-out cycle through a started controller; a failure rejects. */
function cycleThrough(activation) {
  const until = (status) =>
    new Promise((resolve, reject) => {
      const check = (state) => {
        if (state.status !== status && state.status !== 'failed') return;
        unsubscribe();
        if (state.status === 'failed')
          reject(new Error(`the cycle failed: ${state.failure.code} ${state.failure.reason ?? ''}`));
        else resolve();
      };
      const unsubscribe = activation.subscribe(check);
      check(activation.getSnapshot());
    });
  return async () => {
    activation.signIn(USER_ID);
    await until('active');
    activation.signOut();
    await until('inactive');
  };
}

/** Cycles per second of a started actor driven straight: the sign-in event, `active`, SIGN_OUT, `signedOut`. */
async function actorCycleRate(actor, signIn, active) {
  const reaching = (state) =>
    new Promise((resolve) => {
      const subscription = actor.subscribe((snapshot) => {
        if (!snapshot.matches(state)) return;
        subscription.unsubscribe();
        resolve();
      });
    });
  const cycle = async () => {
    const activated = reaching(active);
    actor.send(signIn);
    await activated;
    const signedOut = reaching('signedOut');
    actor.send({ type: 'SIGN_OUT' });
    await signedOut;
  };
  return (await compareThroughput({ cycle }, { rounds: 3, roundMs: 400 })).cycle;
}
