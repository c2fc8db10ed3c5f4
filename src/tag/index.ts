// iadvize-activation/tag: the tag port, the vendor contract and (issue 4) the real-tag adapter.
export type { ActivateRequest, ActivationMode, TagOutcome, TagPort, TokenProvider } from './port.js';
export * from './contract.js';
