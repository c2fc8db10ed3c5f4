// iadvize-activation/tag: what a site uses of the tag: the real-tag adapter, the tag port it
// implements, the vendor facts a page may need (the command queue, the script URL, the reason
// texts and their codes) and the vendor's types. The adapter's own plumbing (option builders,
// result parsing) and the fake's wording stay out. The list is docs/entries.md; a test holds it.
export { DEFAULT_LOAD_TIMEOUT_MS, iAdvizeTag } from './iadvize-tag.js';
export type { IAdvizeTagOptions } from './iadvize-tag.js';
export type { ActivateRequest, ActivationMode, TagOutcome, TagPort, TokenProvider } from './port.js';
export {
  codeForReason,
  DEFAULT_ANONYMOUS_TYPE,
  DEFAULT_PLATFORM,
  INTERFACE_QUEUE,
  tagScriptUrl,
  VENDOR_REASONS,
} from './contract.js';
export type { VendorActivationResult } from './contract.js';
export type {
  AuthenticationOptionAnswer,
  QueuedFunction,
  TagConfig,
  TagDocument,
  TagInterface,
  TagScriptElement,
  TagWindow,
  VendorProvider,
  VendorResultCallback,
  VendorTag,
} from './vendor-api.js';
