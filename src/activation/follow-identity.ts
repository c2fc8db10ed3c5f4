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

/** Per controller: the visitor another tab signed out here, which the page may still show. */
const endedByOtherTab = new WeakMap<Activation, { identity: string | undefined }>();

function endedHere(activation: Activation): { identity: string | undefined } {
  let ended = endedByOtherTab.get(activation);
  if (ended === undefined) {
    const record = { identity: undefined as string | undefined };
    // Emitted before this tab signs out, so the snapshot still names who is signed out.
    activation.on('tabs.signedOut', () => void (record.identity = activation.getSnapshot().identity));
    // Signed in again (by the site's own signIn(), say): nothing is held back any more.
    activation.subscribe((state) => void (state.signedIn && (record.identity = undefined)));
    endedByOtherTab.set(activation, record);
    ended = record;
  }
  return ended;
}

/**
 * Signs in, switches account or signs out only when the controller differs from the site.
 * After another tab ended this tab's session, the identity it held is not signed in again until
 * the site shows a change (`null` or another id) or signs in itself: a component mounting again
 * with the session the page read before would otherwise sign it back in, and end the other tabs'
 * new session.
 */
export function followIdentity(activation: Activation, identity: SiteIdentity): void {
  if (identity === undefined) return;
  const ended = endedHere(activation);
  if (ended.identity !== undefined) {
    if (identity === ended.identity) return;
    ended.identity = undefined;
  }
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
