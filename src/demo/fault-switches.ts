// The server side of the fault switches: the current set, and what each one changes. The token
// endpoint and tag script switches are read by the routes on each request; the iAdvize server
// switch is pushed into the fake server's own faults.
import { generateRsaKeyPair } from '../token/dev-keys.js';
import type { FakeServerFaults } from '../fake/server.js';
import { NO_FAULTS, type DemoFaults } from './faults.js';

export interface FaultSwitches {
  readonly current: DemoFaults;
  /** Applies a (validated) partial set; resolves with the whole set. */
  apply(patch: Partial<DemoFaults>): Promise<DemoFaults>;
}

export function createFaultSwitches(serverFaults: FakeServerFaults): FaultSwitches {
  let current = NO_FAULTS;
  // A customer public key iAdvize was never given: made on first use, as key generation takes a moment.
  let rogueKey: Promise<string> | undefined;

  return {
    get current() {
      return current;
    },
    async apply(patch) {
      const rotated =
        patch.iadvizeServer === 'wrong-key'
          ? await (rogueKey ??= generateRsaKeyPair().then((pair) => pair.publicKeyPem))
          : undefined;
      // Merged after the only wait, so concurrent calls apply in the order they finish, whole.
      current = { ...current, ...patch };
      serverFaults.serverErrors = current.iadvizeServer === 'error' ? 'always' : 0;
      if (patch.iadvizeServer !== undefined) serverFaults.rotatedCustomerKey = rotated;
      return current;
    },
  };
}
