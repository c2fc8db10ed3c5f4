// useActivationIdentity(): the site's session drives the controller from one line in the
// component that knows who is signed in. Runs in an effect (never on the server) and only acts
// on a difference, so StrictMode's double mount and Fast Refresh never call activate twice.
import { useEffect } from 'react';
import type { Activation } from '../activation/create-activation.js';
import { followIdentity, type SiteIdentity } from '../activation/follow-identity.js';

/**
 * Signs the visitor in (`identity` a stable id), switches account (another id) or signs out
 * (`null`); `undefined` means the site does not know yet and changes nothing. Unmounting does
 * not sign out: the session is the site's, not the component's.
 *
 * @example
 * function App({ user }: { user: { id: string } | null }) {
 *   useActivationIdentity(activation, user?.id ?? null);
 *   …
 * }
 */
export function useActivationIdentity(activation: Activation, identity: SiteIdentity): void {
  useEffect(() => {
    followIdentity(activation, identity);
  }, [activation, identity]);
}
