// A page without a framework: one controller for the page's lifetime, its status shown in
// <p id="chat-status">, and two functions for the site's own sign-in and sign-out code to call.
import { createActivation, fetchTokenFrom, type ActivationState } from 'iadvize-activation';
import { iAdvizeTag } from 'iadvize-activation/tag';

// Once per page load, at start-up: never per route, never per sign-in.
const activation = createActivation({
  tag: iAdvizeTag({ sid: 'YOUR-SITE-ID', platform: 'ha' }),
  fetchToken: fetchTokenFrom('/api/iadvize-token'),
  policy: { onTokenFailure: 'stay-inactive', whenSignedOut: 'inactive' },
});

const LABELS: Record<ActivationState['status'], string> = {
  inactive: 'Chat available once you are signed in',
  anonymous: 'Chat open (not signed in)',
  'fetching-token': 'Connecting the chat…',
  activating: 'Connecting the chat…',
  active: 'Chat connected to your account',
  failed: 'Chat unavailable',
  'signing-out': 'Closing the chat…',
};

function render(state: ActivationState): void {
  const element = document.getElementById('chat-status');
  if (!element) return;
  element.dataset.status = state.status;
  element.textContent = LABELS[state.status];
}

activation.subscribe(render);
// The failure's code and advice are for developers: log them, do not show them to visitors.
activation.on('activation.failed', ({ failure }) => console.warn(`iAdvize activation failed (${failure.code}): ${failure.advice}`));
activation.start();
render(activation.getSnapshot());

/** Call after your site's own sign-in succeeded, with the visitor's stable id. */
export function onSignedIn(userId: string): void {
  activation.signIn(userId);
}

/**
 * Call when the visitor signs out of your site. Resolves once the tag is logged out, so a
 * shared computer shows the next person nothing of this visitor's chat: wait for it before
 * navigating away.
 */
export function onSignedOut(): Promise<void> {
  activation.signOut();
  return new Promise((resolve) => {
    const settled = (state: ActivationState) => state.status !== 'signing-out';
    if (settled(activation.getSnapshot())) return resolve();
    const unsubscribe = activation.subscribe((state) => {
      if (!settled(state)) return;
      unsubscribe();
      resolve();
    });
  });
}
