// The shapes of the vendor's page API (tag-contract.md §1–3): the command queue on `window`,
// the `iAdvize` object queued functions receive, and the minimal DOM the adapter touches.
// Structural and small on purpose: a real `window` fits, and so does the fake one in tests.
import { INTERFACE_QUEUE, type VendorActivationResult } from './contract.js';

/** What the provider hands the tag: the option object of tag-contract.md §2. */
export interface AuthenticationOptionAnswer {
  authenticationOption: { type: string; token?: string };
}

export type VendorProvider = () => Promise<AuthenticationOptionAnswer> | AuthenticationOptionAnswer;

/** The optional result callback some versions of `activate` take as second argument. */
export type VendorResultCallback = (result: VendorActivationResult) => void;

/** The `iAdvize` object handed to queued functions once the tag has loaded. */
export interface VendorTag {
  activate(provider: VendorProvider, onResult?: VendorResultCallback): unknown;
  logout(): unknown;
}

/** Queued functions get whatever the tag passes: the adapter checks it before use. */
export type QueuedFunction = (iAdvize: VendorTag) => void;

export interface TagConfig {
  sid?: string;
  [setting: string]: unknown;
}

/** `window.iAdvizeInterface`: an array before the tag loads, whatever the tag puts there after. */
export interface TagInterface {
  push(fn: QueuedFunction): unknown;
  config?: TagConfig;
}

/** The part of a `<script>` element the adapter uses. */
export interface TagScriptElement {
  src: string;
  async: boolean;
  getAttribute(name: string): string | null;
  addEventListener(type: 'error', listener: () => void): void;
}

/** The part of `document` the adapter uses to add the tag's script. */
export interface TagDocument {
  createElement(tagName: 'script'): TagScriptElement;
  getElementsByTagName(tagName: 'script'): ArrayLike<TagScriptElement>;
  /** `object`, not the script type: a real `Node`-typed `appendChild` must fit too. */
  readonly head: { appendChild(node: object): unknown } | null;
}

/** The part of `window` the adapter uses: the queue, and a document to add the script to. */
export interface TagWindow {
  [INTERFACE_QUEUE]?: TagInterface;
  readonly document?: TagDocument;
}
