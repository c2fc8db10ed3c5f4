// A window small enough to build anywhere (Node tests, a worker) yet real enough for the
// adapter: the queue lives on it, and <script> elements added to its document are handed to
// whoever plays the browser, which loads them or fires their `error` event.
import type { TagDocument, TagScriptElement, TagWindow } from '../tag/vendor-api.js';

export class FakeScriptElement extends EventTarget implements TagScriptElement {
  src = '';
  async = false;
  readonly #attributes = new Map<string, string>();

  /** `src` reflects the property, as in the DOM; other attributes (`data-*`) are kept as set. */
  getAttribute(name: string): string | null {
    if (name === 'src') return this.src === '' ? null : this.src;
    return this.#attributes.get(name) ?? null;
  }

  setAttribute(name: string, value: string): void {
    if (name === 'src') this.src = value;
    else this.#attributes.set(name, value);
  }

  /** The browser gave up on the script (blocked, unreachable). */
  fail(): void {
    this.dispatchEvent(new Event('error'));
  }
}

export interface FakeDocument extends TagDocument {
  createElement(tagName: 'script'): FakeScriptElement;
  getElementsByTagName(tagName: 'script'): readonly FakeScriptElement[];
  readonly head: { appendChild(node: object): unknown };
}

export interface FakeWindow extends TagWindow {
  readonly document: FakeDocument;
}

/** `onScript` is called for each script added to the document, as a browser starts fetching it. */
export function createFakeWindow(onScript: (script: FakeScriptElement) => void = () => undefined): FakeWindow {
  const scripts: FakeScriptElement[] = [];
  const document: FakeDocument = {
    createElement: () => new FakeScriptElement(),
    getElementsByTagName: () => [...scripts],
    head: {
      appendChild(node: object) {
        if (!(node instanceof FakeScriptElement)) throw new TypeError('the fake document only holds scripts');
        scripts.push(node);
        onScript(node);
        return node;
      },
    },
  };
  return { document };
}
