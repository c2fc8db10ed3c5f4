// The fake iAdvize: a tag that behaves as tag-contract.md says (in a fake window, or as the demo's
// classic script), the fake iAdvize server that verifies tokens with real crypto, the HTTP
// transport between them, the call log, and the fake's wording for what the vendor leaves
// unwritten. A test double, published through iadvize-activation/testing; the demo uses it alone.
export { createFakeIAdvize, DEFAULT_FAKE_SID } from './create-fake-iadvize.js';
export type {
  CreateFakeIAdvizeOptions,
  FakeIAdvize,
  FakeIAdvizeFaults,
  FakeIAdvizeState,
} from './create-fake-iadvize.js';
export { createFakeIAdvizeServer, noServerFaults } from './server.js';
export type { FakeIAdvizeServer, FakeIAdvizeServerOptions, FakeServerFaults } from './server.js';
export {
  createFakeTag,
  DEFAULT_READINGS,
  DEFAULT_SESSION_LIFETIME_MS,
  DEFAULT_TAG_RETRIES,
  READING_VALUES,
} from './tag.js';
export type { FakeIAdvizeApi, FakeTag, FakeTagFailure, FakeTagOptions, FakeTagReadings, FakeTagState } from './tag.js';
export { installFakeTag } from './install-tag.js';
export { createFakeWindow, FakeScriptElement } from './window.js';
export type { FakeDocument, FakeWindow } from './window.js';
export { createHttpTransport } from './http-transport.js';
export type { HttpTransportOptions } from './http-transport.js';
export { parseAnswer, SERVER_ERROR_ANSWER, statusOfAnswer } from './server-protocol.js';
export type { AuthenticationAnswer, AuthenticationRequestBody, FakeServerTransport } from './server-protocol.js';
export { createCallLog } from './call-log.js';
export type { CallEntry, CallLog, CallType, FakeCall, ProviderPurpose } from './call-log.js';
export { DEFAULT_FAKE_SERVER_PATH, FAKE_CONFIG_GLOBAL, FAKE_TAG_GLOBAL, readScriptConfig } from './script-config.js';
export type { ConfigSource, FakeTagScriptConfig } from './script-config.js';
export { FAKE_DETAIL_REASONS, FAKE_REJECTION_REASONS, FAKE_TAG_REASONS } from './reasons.js';
