// The chat bubble: what a visitor would see of the (fake) iAdvize tag — nothing until its script
// loads, then inactive, anonymous, or secured as the visitor. Read from the fake tag's own state.
import { INTERFACE_QUEUE, type QueuedFunction, type TagWindow } from '../../tag/index.js';
import { FAKE_TAG_GLOBAL, type FakeTag, type FakeTagState } from '../../testing/index.js';
import { DEMO_PATHS } from '../page-config.js';

export type BubbleState = 'not-loaded' | 'unavailable' | FakeTagState['status'];

/** Calls `onTag` with the fake tag once its script has run. */
export function whenFakeTagLoads(onTag: (tag: FakeTag) => void): void {
  const page = window as unknown as TagWindow;
  // The vendor's documented queue: a pushed function runs once the tag has loaded. The script
  // publishes its controller right after running the queue, hence the microtask.
  (page[INTERFACE_QUEUE] ||= [] as QueuedFunction[]).push(() =>
    queueMicrotask(() => onTag((page as unknown as Record<string, unknown>)[FAKE_TAG_GLOBAL] as FakeTag)),
  );
}

export function showChatBubble(bubble: HTMLElement): void {
  const show = (state: BubbleState, text: string) => {
    bubble.dataset.state = state;
    bubble.textContent = text;
  };
  // A blocked script never runs: its error event is the only sign (errors do not bubble; capture).
  document.addEventListener(
    'error',
    (event) => {
      const target = event.target;
      if (
        target instanceof HTMLScriptElement &&
        target.src !== '' &&
        new URL(target.src).pathname === DEMO_PATHS.tagScript
      ) {
        show('unavailable', 'Chat unavailable: the tag script did not load');
      }
    },
    true,
  );
  whenFakeTagLoads((tag) => {
    const render = (state: FakeTagState) => show(state.status, textOf(state));
    tag.subscribe(render);
    render(tag.state);
  });
}

function textOf(state: FakeTagState): string {
  if (state.activating) return 'Chat: connecting…';
  switch (state.status) {
    case 'inactive':
      return 'Chat inactive';
    case 'anonymous':
      return 'Chat open as an anonymous visitor';
    case 'secured':
      return `Chat secured as ${state.userId ?? '?'}`;
  }
}
