// ?inspect=stately: Stately's inspector as well as the offline one. It lives on stately.ai, so it
// needs the internet, and browsers open its window only from a click; events until then are kept
// and replayed by @statelyai/inspect once it connects.
import type { InspectionEvent } from 'xstate';
import { connectStatelyInspector } from '../../inspect/index.js';

export async function statelyInspect(openButton: HTMLButtonElement): Promise<(event: InspectionEvent) => void> {
  const stately = await connectStatelyInspector({ autoStart: false });
  openButton.addEventListener('click', () => stately.start(), { once: true });
  return (event) => stately.inspect.next?.(event);
}
