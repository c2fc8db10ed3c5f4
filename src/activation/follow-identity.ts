// Keeps a controller's visitor in step with the site's own session, idempotently: the one rule
// both bindings (React, Vue) share, so StrictMode's second effect run, Fast Refresh and a watcher
// firing again never sign in twice. Framework-free, so it sits with the controller and neither
// binding imports the other (both entries share one small chunk).
import type { Activation } from './create-activation.js';

/**
 * The site's session as the bindings read it: the visitor's stable id when signed in, `null`
 * when signed out, `undefined` while the site does not know yet (auth still loading): nothing
 * is done then, so a page load never signs out a visitor whose session is being restored.
 */
export type SiteIdentity = string | null | undefined;

/** Signs in, switches account or signs out only when the controller differs from the site. */
export function followIdentity(activation: Activation, identity: SiteIdentity): void {
  if (identity === undefined) return;
  const state = activation.getSnapshot();
  if (identity === null) {
    if (state.signedIn) activation.signOut();
    return;
  }
  // Same visitor already signed in (whatever the status, failed included: leaving `failed` takes
  // a new sign-in by the site, never a re-render).
  if (state.signedIn && state.identity === identity) return;
  activation.signIn(identity);
}
