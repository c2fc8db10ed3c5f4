// Scenarios the property tests once shrank a failure to: replayed first on every run, so a
// bug found by chance stays found.
import type { Scenario } from './scenario.js';

export const REGRESSIONS: readonly Scenario[] = [
  {
    // Signing out during an account switch's logout left the previous visitor signed in.
    policy: { onTokenFailure: 'stay-inactive', whenSignedOut: 'inactive' },
    script: 'load',
    steps: [
      { do: 'port-faults', activate: 'pass', logout: 'hang' },
      { do: 'sign-in', identity: 'alice' },
      { do: 'sign-in', identity: undefined },
      { do: 'sign-out' },
    ],
  },
  {
    // A logout that never ends, then an activate iAdvize answers late: the tag holds a session
    // the controller does not know of, and the next sign-out must still log it out.
    policy: { onTokenFailure: 'stay-inactive', whenSignedOut: 'inactive' },
    script: 'load',
    steps: [
      { do: 'latency', ms: 40_000 },
      { do: 'port-faults', activate: 'pass', logout: 'hang' },
      { do: 'sign-in', identity: 'alice' },
      { do: 'sign-out' },
      { do: 'advance', ms: 61_000 },
      { do: 'sign-out' },
    ],
  },
];
