// Sign-in → active → sign-out cycles per second through createActivation over the fake iAdvize,
// beside the same cycle written by hand the way the vendor's snippet does it (push on
// window.iAdvizeInterface, iAdvize.activate with a provider, iAdvize.logout): same fake, same
// pre-issued tokens. The difference is what the machine, the adapter and the controller cost.
import { createActivation } from '../../dist/index.js';
import { createTokenIssuer, generateDevKeys } from '../../dist/server.js';
import { createFakeIAdvize } from '../../dist/testing.js';
import { compareThroughput, micros, round } from './support/measure.mjs';

const USER_ID = 'user-42';
const TOKEN_POOL = 32;

export async function run() {
  const keys = await generateDevKeys();
  // Long enough to outlive the run: the tokens are issued once, outside the timed loops.
  const issuer = await createTokenIssuer({
    privateKey: keys.customer.privateKeyPem,
    iadvizePublicKey: keys.iadvize.publicKeyPem,
    issuer: 'https://bench.example',
    ttlSeconds: 900,
  });
  const tokens = await Promise.all(Array.from({ length: TOKEN_POOL }, () => issuer.issue({ userId: USER_ID })));
  let next = 0;
  const nextToken = () => tokens[next++ % tokens.length];

  const fake = await createFakeIAdvize({ customerPublicKey: keys.customer.publicKeyPem, iadvizePrivateKey: keys.iadvize.privateKeyPem });
  const activation = createActivation({ tag: fake.tag, fetchToken: async () => nextToken() }).start();

  const until = (status) =>
    new Promise((resolve, reject) => {
      const check = (state) => {
        if (state.status !== status && state.status !== 'failed') return;
        unsubscribe();
        if (state.status === 'failed') reject(new Error(`the cycle failed: ${state.failure.code} ${state.failure.reason ?? ''}`));
        else resolve();
      };
      const unsubscribe = activation.subscribe(check);
      check(activation.getSnapshot());
    });

  const throughController = async () => {
    activation.signIn(USER_ID);
    await until('active');
    activation.signOut();
    await until('inactive');
  };

  // The vendor's snippet, against the same fake window the adapter uses.
  const win = fake.window;
  const onTag = (fn) =>
    new Promise((resolve, reject) => {
      win.iAdvizeInterface = win.iAdvizeInterface || [];
      win.iAdvizeInterface.push((iAdvize) => fn(iAdvize).then(resolve, reject));
    });
  const byHand = async () => {
    const token = nextToken();
    const result = await onTag((iAdvize) => iAdvize.activate(() => ({ authenticationOption: { type: 'SECURED_AUTHENTICATION', token } })));
    if (result.authentication.status !== 'authentication-success') throw new Error(`the hand-written cycle failed: ${result.authentication.reason}`);
    await onTag((iAdvize) => iAdvize.logout());
  };

  // The fake's call log is the test double's record, not the library's: keep it from growing.
  const clearingLog = (cycle) => async () => {
    await cycle();
    fake.calls.clear();
  };
  const rates = await compareThroughput({ controller: clearingLog(throughController), byHand: clearingLog(byHand) }, { rounds: 6, roundMs: 600 });
  activation.stop();
  fake.dispose();

  // Slower means fewer cycles per second: the goal is at most 5% more time per cycle.
  const ratio = round(rates.byHand / rates.controller);
  return {
    name: 'orchestration cycle',
    value: Math.round(rates.controller),
    unit: 'cycles/s',
    anchor: 'cycles/s by hand (vendor snippet)',
    anchorValue: Math.round(rates.byHand),
    ratio,
    goal: '<= 1.05 (time per cycle vs by hand)',
    met: ratio <= 1.05,
    details: {
      microsPerCycleController: micros(rates.controller),
      microsPerCycleByHand: micros(rates.byHand),
      microsAddedPerCycle: micros(rates.controller) - micros(rates.byHand),
    },
  };
}
