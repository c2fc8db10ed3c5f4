'use client';
// Next.js App Router: app/chat.tsx, a client component. The layout (a server component) knows
// the session and renders <Chat userId={session?.userId ?? null} />. The controller is made at
// module scope: the server renders its first state (nothing is signed in there, effects do not
// run), the browser makes its own once and keeps it across client-side navigations.
import { createActivation, fetchTokenFrom } from 'iadvize-activation';
import { useActivation, useActivationIdentity } from 'iadvize-activation/react';
import { iAdvizeTag } from 'iadvize-activation/tag';

const activation = createActivation({
  tag: iAdvizeTag({ sid: 'YOUR-SITE-ID', platform: 'ha' }),
  fetchToken: fetchTokenFrom('/api/iadvize-token'),
}).start();

export function Chat({ userId }: { userId: string | null }) {
  useActivationIdentity(activation, userId);
  const { status } = useActivation(activation);
  return <p data-status={status}>{status === 'active' ? 'Chat connected to your account' : status === 'failed' ? 'Chat unavailable' : null}</p>;
}
