// iadvize-activation/testing: the fake iAdvize (tag + server, src/fake/) and the testing kit: model-based
// paths over a fake world (model/), the trace and its invariants (trace/), test time (time/).
export { generateDevKeys } from '../token/dev-keys.js';
export type { DevKeys, PemKeyPair } from '../token/dev-keys.js';
// The fake iAdvize (src/fake/): tag, server, window, transport, call log, wording.
export * from '../fake/index.js';
// Model-based and property-based testing kit: a fake world, generated paths, the invariants.
export { createFakeWorld, NEVER_MS, SLOW_MS, USER_ID_WITHOUT_IDENTITY, userIdFor } from './model/world.js';
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
} from './model/world.js';
export { createActivationTestPaths, SIMPLE_PATH_VOCABULARY } from './model/test-paths.js';
export type {
  ActivationTestPath,
  ActivationTestPaths,
  ActivationTestPathsOptions,
  ModelWorldOptions,
  PathKind,
} from './model/test-paths.js';
export { createActivationModel, internalEventTypes, MODEL_IDENTITIES } from './model/activation-model.js';
export type {
  ActivationModel,
  ActivationModelOptions,
  ActivationOutcomeKind,
  ModelEvent,
  ModelSnapshot,
  ModelState,
  WorldAction,
  WorldEnv,
} from './model/activation-model.js';
export { describeAction, ModelPathError, playModelPath } from './model/model-driver.js';
export {
  assertInvariants,
  checkInvariants,
  describeTrace,
  describeViolation,
  InvariantError,
  INVARIANTS,
} from './trace/invariants.js';
export type { CheckInvariantsOptions, InvariantNumber, InvariantViolation } from './trace/invariants.js';
export { recordActivation } from './trace/trace-recorder.js';
export type {
  ActivationRecorder,
  CallSource,
  PortAnswer,
  PublicEvent,
  RecordOptions,
  SiteAction,
  TagStateSource,
  Trace,
  TraceEntry,
} from './trace/trace-recorder.js';
export { createTestClock, TEST_CLOCK_START } from './time/test-clock.js';
export type { TestClock } from './time/test-clock.js';
export { createSettler } from './time/crypto-settler.js';
export type { Settler } from './time/crypto-settler.js';
export { machineTransitions, transitionKey } from './model/transitions.js';
export { TESTING_ERROR_CODES } from './error-codes.js';
export type { TestingErrorCode } from './error-codes.js';
