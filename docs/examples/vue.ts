// Vue 3 (Nuxt too): one controller for the page, created at module scope; components read it with
// useActivation and the root passes the site's session on with useActivationIdentity. Written with
// defineComponent and h() so it type-checks as plain TypeScript; in a single-file component the
// same calls go in <script setup>. On the server the composables neither subscribe nor sign in.
import { defineComponent, h, type PropType } from 'vue';
import { createActivation, fetchTokenFrom } from 'iadvize-activation';
import { iAdvizeTag } from 'iadvize-activation/tag';
import { useActivation, useActivationEvent, useActivationIdentity } from 'iadvize-activation/vue';

// Module scope, not in setup(): one controller for the page's lifetime, whatever the routes.
export const activation = createActivation({
  tag: iAdvizeTag({ sid: 'YOUR-SITE-ID', platform: 'ha' }),
  fetchToken: fetchTokenFrom('/api/iadvize-token'),
}).start();

export const ChatStatus = defineComponent({
  name: 'ChatStatus',
  setup() {
    // A read-only shallow ref, unsubscribed when the component unmounts.
    const state = useActivation(activation);
    return () => {
      const { status } = state.value;
      const text =
        status === 'active' ? 'Chat connected to your account' : status === 'failed' ? 'Chat unavailable' : status === 'inactive' ? 'Sign in to chat with us' : 'Connecting the chat…';
      return h('p', { id: 'chat-status', 'data-status': status }, text);
    };
  },
});

export const App = defineComponent({
  name: 'App',
  props: {
    /** Your site's session: the visitor's stable id, null when signed out, undefined while loading. */
    userId: { type: [String, null] as PropType<string | null | undefined>, default: undefined },
  },
  setup(props) {
    // Signs in, switches account or signs out when the id changes; nothing otherwise.
    useActivationIdentity(activation, () => props.userId);
    // The failure's code and advice are for developers (logs, monitoring); visitors get the text.
    useActivationEvent(activation, 'activation.failed', ({ failure }) => console.warn(`iAdvize activation failed (${failure.code}): ${failure.advice}`));
    return () => h(ChatStatus);
  },
});
