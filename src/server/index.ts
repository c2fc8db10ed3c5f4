// iadvize-activation/server: token issuer, web-standard token handler, key loading (Node ≥ 20, edge).
export { bareSpki, generateDevKeys, generateRsaKeyPair } from '../token/dev-keys.js';
export type { DevKeys, PemKeyPair } from '../token/dev-keys.js';
