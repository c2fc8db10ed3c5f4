// iadvize-activation/testing: the fake iAdvize (tag + server) and test-model helpers.
export { generateDevKeys } from '../token/dev-keys.js';
export type { DevKeys, PemKeyPair } from '../token/dev-keys.js';
