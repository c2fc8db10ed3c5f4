// The offline inspector's timeline on the page: every transition, actor and emitted event,
// time-stamped; the inspector has already redacted tokens.
import type { Inspector } from '../../inspect/inspector.js';
import { coalesced } from './dom.js';

export function showTimeline(inspector: Inspector, list: HTMLOListElement): void {
  const render = coalesced(() => {
    const items = inspector.format().split('\n').filter((line) => line !== '').map((line) => {
      const item = document.createElement('li');
      item.textContent = line;
      if (/^\+\d+ms\s+(\S+ )?emitted /.test(line)) item.className = 'emitted';
      return item;
    });
    list.replaceChildren(...items);
    list.scrollTop = list.scrollHeight;
  });
  inspector.subscribe(render);
  render();
}
