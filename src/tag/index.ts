// iadvize-activation/tag: the tag port, the vendor contract and the real-tag adapter.
export type { ActivateRequest, ActivationMode, TagOutcome, TagPort, TokenProvider } from './port.js';
export * from './contract.js';
export { DEFAULT_LOAD_TIMEOUT_MS, iAdvizeTag } from './iadvize-tag.js';
export type { IAdvizeTagOptions } from './iadvize-tag.js';
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
