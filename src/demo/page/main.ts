// The demo page: one controller over the REAL tag adapter (which loads the fake iAdvize script
// from this server), the real token endpoint, and the devtools panel any site can mount.
import type { InspectionEvent } from 'xstate';
import { ACTIVATION_EVENT_NAMES, createActivation, fetchTokenFrom } from '../../index.js';
import { createInspector } from '../../inspect/index.js';
import { iAdvizeTag } from '../../tag/index.js';
import { DEMO_PATHS } from '../page-config.js';
import { showChatBubble, whenFakeTagLoads } from './chat-bubble.js';
import { readPageConfig } from './config.js';
import { wireControls } from './controls.js';
import { byTestId } from './dom.js';
import { statelyInspect } from './stately.js';
import { showStatus } from './status-view.js';

const config = readPageConfig();
const timeline = createInspector();
const stately =
  config.inspect === 'stately' ? await statelyInspect(byTestId<HTMLButtonElement>('stately-open')) : undefined;

const activation = createActivation({
  tag: iAdvizeTag({ sid: config.sid, scriptUrl: DEMO_PATHS.tagScript, loadTimeoutMs: config.timeouts.tagLoadMs }),
  fetchToken: fetchTokenFrom(DEMO_PATHS.token),
  policy: { onTokenFailure: config.policy, whenSignedOut: config.whenSignedOut },
  timeouts: { tokenFetchMs: config.timeouts.tokenFetchMs },
  inspect:
    stately === undefined
      ? timeline.inspect
      : (event: InspectionEvent) => {
          timeline.inspect(event);
          stately(event);
        },
});

// What a site would log: the public events, which never carry a token.
for (const type of ACTIVATION_EVENT_NAMES) {
  activation.on(type, (event) => console.info(`iadvize-activation: ${JSON.stringify(event)}`));
}

// The panel as a site loads it, `import('iadvize-activation/devtools')` when asked for (here at
// once), from the package's own devtools entry; fed by the inspector given at creation, so its
// timeline starts with the page however late it mounts.
void (import(DEMO_PATHS.devtools) as Promise<typeof import('../../devtools/index.js')>).then(
  ({ mountDevtools }) => mountDevtools(activation, { container: byTestId('devtools'), inspector: timeline }),
  (error: unknown) => {
    byTestId('devtools').textContent =
      `The devtools panel could not load: ${error instanceof Error ? error.message : String(error)}`;
  },
);
showStatus(activation);
showChatBubble(byTestId('chat-bubble'));
wireControls(activation, config.faults, whenFakeTagLoads);

activation.start();
// A visitor already signed in on the shop (a reload, a returning visitor) is activated at once.
if (config.user !== null) activation.signIn(config.user.id);
