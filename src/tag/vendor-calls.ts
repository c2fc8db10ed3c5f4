// Calling the `iAdvize` object safely: whatever the tag does (throws, rejects, answers garbage,
// answers twice, never answers), the caller gets one outcome and the page gets no exception.
import { redactText } from '../redact.js';
import { anonymousOption, outcomeFromVendorResult, securedOption } from './contract.js';
import type { ActivateRequest, TagOutcome } from './port.js';
import type { Settlement } from './settlement.js';
import type { VendorProvider } from './vendor-api.js';

/** The provider handed to `iAdvize.activate`: the port's token provider wrapped in the vendor's option. */
export function vendorProvider(request: ActivateRequest, anonymousType: string): VendorProvider {
  if (request.mode === 'anonymous') return async () => anonymousOption(anonymousType);
  return async () => securedOption(await request.provider());
}

/**
 * Calls `iAdvize.activate(provider, onResult)`. The answer is the first definitive result, by
 * the awaited value or the callback, in either order; later ones are ignored. A tag that returns
 * nothing, or a promise of nothing (an acknowledgement), answers through the callback (§8).
 */
export function callActivate(iAdvize: unknown, provider: VendorProvider, settle: (outcome: TagOutcome) => void): void {
  const activate = methodOf(iAdvize, 'activate');
  if (!activate) return settle(tagError('the iAdvize object handed to queued functions has no activate function'));
  let returned: unknown;
  try {
    returned = activate.call(iAdvize, provider, (result: unknown) => settle(outcomeFromVendorResult(result)));
  } catch (error) {
    return settle(tagError(`iAdvize.activate threw: ${describeError(error)}`));
  }
  if (isThenable(returned)) {
    Promise.resolve(returned).then(
      (result) => {
        if (result !== undefined && result !== null) settle(outcomeFromVendorResult(result));
      },
      (error: unknown) => settle(tagError(`iAdvize.activate rejected: ${describeError(error)}`)),
    );
  } else if (returned !== undefined) {
    settle(outcomeFromVendorResult(returned));
  }
}

/** Calls `iAdvize.logout()` and settles with its end. */
export function callLogout(iAdvize: unknown, settlement: Settlement<void>): void {
  const logout = methodOf(iAdvize, 'logout');
  if (!logout)
    return settlement.reject(new Error('the iAdvize object handed to queued functions has no logout function'));
  try {
    Promise.resolve(logout.call(iAdvize)).then(
      () => settlement.resolve(),
      (error: unknown) => settlement.reject(new Error(`iAdvize.logout rejected: ${describeError(error)}`)),
    );
  } catch (error) {
    settlement.reject(new Error(`iAdvize.logout threw: ${describeError(error)}`));
  }
}

export function tagError(reason: string): TagOutcome {
  return { ok: false, code: 'tag-error', reason };
}

/** An error's text, redacted: a tag may quote the token it was given. */
export function describeError(error: unknown): string {
  const text = error instanceof Error ? error.message : typeof error === 'string' ? error : `a thrown ${typeof error}`;
  return redactText(text) || 'no message';
}

function methodOf(target: unknown, name: 'activate' | 'logout'): ((...args: unknown[]) => unknown) | undefined {
  if ((typeof target !== 'object' && typeof target !== 'function') || target === null) return undefined;
  const method: unknown = (target as Record<string, unknown>)[name];
  return typeof method === 'function' ? (method as (...args: unknown[]) => unknown) : undefined;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
