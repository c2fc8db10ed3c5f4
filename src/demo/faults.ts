// The demo's fault switches: what the page can break, as plain data shared by the server (which
// applies them) and the page (which shows them). Browser-safe.

export const FAULT_CHOICES = {
  /** The site's token endpoint: works, answers HTTP 503, or answers after the token fetch timeout. */
  tokenEndpoint: ['ok', 'fail', 'slow'],
  /** The tag script: loads, is blocked (HTTP 403, as an ad blocker or a CSP would), or arrives after the load timeout. */
  tagScript: ['ok', 'blocked', 'late'],
  /** The fake iAdvize server: works, answers a server error, or no longer holds the customer's registered public key. */
  iadvizeServer: ['ok', 'error', 'wrong-key'],
} as const;

export type FaultName = keyof typeof FAULT_CHOICES;
export type DemoFaults = { readonly [K in FaultName]: (typeof FAULT_CHOICES)[K][number] };

export const NO_FAULTS: DemoFaults = { tokenEndpoint: 'ok', tagScript: 'ok', iadvizeServer: 'ok' };

export const FAULT_NAMES = Object.keys(FAULT_CHOICES) as FaultName[];

/** A POST /api/faults body that is not a set of known switches and values. */
export class FaultsInputError extends Error {
  override readonly name = 'FaultsInputError';
}

/** Reads a partial set of switches, e.g. `{ "tokenEndpoint": "fail" }`; anything else is refused with the reason. */
export function parseFaultsPatch(value: unknown): Partial<DemoFaults> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new FaultsInputError(
      `expected an object such as {"tokenEndpoint":"fail"}; the switches are ${FAULT_NAMES.join(', ')}`,
    );
  }
  const patch: Record<string, string> = {};
  for (const [name, choice] of Object.entries(value)) {
    const choices = (FAULT_CHOICES as Record<string, readonly string[]>)[name];
    if (choices === undefined)
      throw new FaultsInputError(`unknown fault '${name.slice(0, 40)}'; the switches are ${FAULT_NAMES.join(', ')}`);
    if (typeof choice !== 'string' || !choices.includes(choice)) {
      throw new FaultsInputError(`${name} must be one of ${choices.join(', ')}`);
    }
    patch[name] = choice;
  }
  return patch as Partial<DemoFaults>;
}
