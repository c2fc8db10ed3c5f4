// iadvize-activation/testing: the fake iAdvize (tag + server) and test-model helpers.
export { generateDevKeys } from '../token/dev-keys.js';
export type { DevKeys, PemKeyPair } from '../token/dev-keys.js';
export { createFakeIAdvize, DEFAULT_FAKE_SID } from './create-fake-iadvize.js';
export type { CreateFakeIAdvizeOptions, FakeIAdvize, FakeIAdvizeFaults, FakeIAdvizeState } from './create-fake-iadvize.js';
export { createFakeIAdvizeServer, noServerFaults } from './fake-server.js';
export type { FakeIAdvizeServer, FakeIAdvizeServerOptions, FakeServerFaults } from './fake-server.js';
export { createFakeTag, DEFAULT_READINGS, DEFAULT_SESSION_LIFETIME_MS, DEFAULT_TAG_RETRIES } from './fake-tag.js';
export type { FakeIAdvizeApi, FakeTag, FakeTagFailure, FakeTagOptions, FakeTagReadings, FakeTagState } from './fake-tag.js';
export { installFakeTag } from './install-fake-tag.js';
export { createFakeWindow, FakeScriptElement } from './fake-window.js';
export type { FakeDocument, FakeWindow } from './fake-window.js';
export { createHttpTransport } from './http-transport.js';
export type { HttpTransportOptions } from './http-transport.js';
export { parseAnswer, SERVER_ERROR_ANSWER, statusOfAnswer } from './server-protocol.js';
export type { AuthenticationAnswer, AuthenticationRequestBody, FakeServerTransport } from './server-protocol.js';
export { createCallLog } from './call-log.js';
export type { CallEntry, CallLog, CallType, FakeCall, ProviderPurpose } from './call-log.js';
export { DEFAULT_FAKE_SERVER_PATH, FAKE_CONFIG_GLOBAL, FAKE_TAG_GLOBAL, readScriptConfig } from './script-config.js';
export type { ConfigSource, FakeTagScriptConfig } from './script-config.js';
// Model-based and property-based testing kit: a fake world, generated paths, the invariants.
export { createFakeWorld, NEVER_MS, SLOW_MS, USER_ID_WITHOUT_IDENTITY, userIdFor } from './world.js';
export type {
  ActivationPlan,
  EndpointMode,
  FakeWorld,
  FakeWorldOptions,
  FetchAnswer,
  HeldActivation,
  HeldFetch,
  HeldLogout,
  LogoutPlan,
  PortFaults,
  TagGate,
  TokenEndpoint,
} from './world.js';
export { createActivationTestPaths, SIMPLE_PATH_VOCABULARY } from './model.js';
export type { ActivationTestPath, ActivationTestPaths, ActivationTestPathsOptions, ModelWorldOptions, PathKind } from './model.js';
export { createActivationModel, internalEventTypes, MODEL_IDENTITIES } from './activation-model.js';
export type { ActivationModel, ActivationModelOptions, ActivationOutcomeKind, ModelEvent, ModelSnapshot, ModelState, WorldAction, WorldEnv } from './activation-model.js';
export { describeAction, ModelPathError, playModelPath } from './model-driver.js';
export { assertInvariants, checkInvariants, describeTrace, InvariantError, INVARIANTS } from './invariants.js';
export type { CheckInvariantsOptions, InvariantNumber, InvariantViolation } from './invariants.js';
export { recordActivation } from './recorder.js';
export type { ActivationRecorder, CallSource, PortAnswer, PublicEvent, RecordOptions, SiteAction, TagStateSource, Trace, TraceEntry } from './recorder.js';
export { createTestClock, TEST_CLOCK_START } from './test-clock.js';
export type { TestClock } from './test-clock.js';
export { createSettler } from './settle.js';
export type { Settler } from './settle.js';
export { machineTransitions, transitionKey } from './transitions.js';
