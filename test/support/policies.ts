// The policies the model and mutation suites run: both of each choice the machine's guards read,
// and the anonymous-upgrade choice where an anonymous session is there to upgrade.
import type { ActivationPolicy } from '../../machines/activation.js';

export const SUITE_POLICIES: readonly ActivationPolicy[] = [
  { onTokenFailure: 'stay-inactive', whenSignedOut: 'inactive', anonymousUpgrade: 'in-place' },
  { onTokenFailure: 'stay-inactive', whenSignedOut: 'anonymous', anonymousUpgrade: 'in-place' },
  { onTokenFailure: 'anonymous', whenSignedOut: 'inactive', anonymousUpgrade: 'in-place' },
  { onTokenFailure: 'anonymous', whenSignedOut: 'anonymous', anonymousUpgrade: 'logout-first' },
];
