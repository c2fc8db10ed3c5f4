// React: the controller created once at app start, read with useSyncExternalStore, and kept in
// step with the site's own session by one effect. Written with createElement so it type-checks
// without a JSX setup; `createElement(ChatStatus)` is `<ChatStatus />`.
import { createElement, useEffect, useSyncExternalStore, type ReactElement } from 'react';
import { createActivation, fetchTokenFrom, type Activation, type ActivationState } from 'iadvize-activation';
import { iAdvizeTag } from 'iadvize-activation/tag';

// Module scope, not inside a component: one controller for the page's lifetime, whatever the
// routes and re-renders (a second one would call activate a second time).
export const activation: Activation = createActivation({
  tag: iAdvizeTag({ sid: 'YOUR-SITE-ID', platform: 'ha' }),
  fetchToken: fetchTokenFrom('/api/iadvize-token'),
}).start();

/** The controller's state. getSnapshot returns the same object until something changes. */
export function useActivation(): ActivationState {
  return useSyncExternalStore(activation.subscribe, activation.getSnapshot);
}

/** Follows the site's session: the signed-in visitor's stable id, or null when signed out. */
export function useChatIdentity(userId: string | null): void {
  useEffect(() => {
    if (userId === null) activation.signOut();
    else activation.signIn(userId);
  }, [userId]);
}

export function ChatStatus(): ReactElement {
  const { status, failure } = useActivation();
  const text =
    status === 'active' ? 'Chat connected to your account' : status === 'failed' ? 'Chat unavailable' : status === 'inactive' ? 'Sign in to chat with us' : 'Connecting the chat…';
  // The failure code is for developers (logs, monitoring); visitors get the plain text.
  return createElement('p', { 'data-status': status, 'data-failure': failure?.code }, text);
}

export function App({ user }: { user: { id: string } | null }): ReactElement {
  useChatIdentity(user?.id ?? null);
  return createElement(ChatStatus);
}
