// useActivationIdentity(): the site's session (a ref, getter or value) drives the controller.
// Browser only, and it acts only on a difference, so a remount or a watcher firing again never
// calls activate twice.
import { toValue, watch, type MaybeRefOrGetter } from 'vue';
import type { Activation } from '../activation/create-activation.js';
import { followIdentity, type SiteIdentity } from '../activation/follow-identity.js';
import { inBrowser } from './client.js';

/**
 * Signs the visitor in (a stable id), switches account (another id) or signs out (`null`);
 * `undefined` means the site does not know yet and changes nothing. The watcher stops with the
 * calling scope; that does not sign out, the session is the site's.
 *
 * @example
 * const user = useUser(); // your auth state
 * useActivationIdentity(activation, () => user.value?.id ?? null);
 */
export function useActivationIdentity(activation: Activation, identity: MaybeRefOrGetter<SiteIdentity>): void {
  if (!inBrowser()) return;
  watch(
    () => toValue(identity),
    (next) => followIdentity(activation, next),
    { immediate: true },
  );
}
