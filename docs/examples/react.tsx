// React: one controller for the page, created at module scope; components read it with
// useActivation and the component that knows who is signed in passes that on with
// useActivationIdentity. Safe under <StrictMode>, Fast Refresh and server rendering.
import { createActivation, fetchTokenFrom } from 'iadvize-activation';
import { useActivation, useActivationEvent, useActivationIdentity } from 'iadvize-activation/react';
import { iAdvizeTag } from 'iadvize-activation/tag';

// Module scope, not inside a component: one controller for the page's lifetime, whatever the
// routes, re-renders and StrictMode's double mount (a second one would activate a second time).
export const activation = createActivation({
  tag: iAdvizeTag({ sid: 'YOUR-SITE-ID', platform: 'ha' }),
  fetchToken: fetchTokenFrom('/api/iadvize-token'),
}).start();

export function ChatStatus() {
  const { status } = useActivation(activation);
  const text =
    status === 'active' ? 'Chat connected to your account' : status === 'failed' ? 'Chat unavailable' : status === 'inactive' ? 'Sign in to chat with us' : 'Connecting the chat…';
  return (
    <p id="chat-status" data-status={status}>
      {text}
    </p>
  );
}

/** `user` is your site's session: null when signed out (undefined while it is still loading). */
export function App({ user }: { user: { id: string } | null | undefined }) {
  // Signs in, switches account or signs out when the id changes; nothing on a re-render.
  useActivationIdentity(activation, user === undefined ? undefined : (user?.id ?? null));
  // The failure's code and advice are for developers (logs, monitoring); visitors get the text.
  useActivationEvent(activation, 'activation.failed', ({ failure }) => console.warn(`iAdvize activation failed (${failure.code}): ${failure.advice}`));
  return <ChatStatus />;
}
