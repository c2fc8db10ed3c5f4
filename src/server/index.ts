// iadvize-activation/server: token issuer, web-standard token handler, key loading (Node ≥ 20,
// edge runtimes). Its types need nothing from Node; the node:http listener is
// iadvize-activation/server/node.
export { bareSpki, generateDevKeys, generateRsaKeyPair } from '../token/dev-keys.js';
export type { DevKeys, PemKeyPair } from '../token/dev-keys.js';
export { createTokenIssuer, DEFAULT_TTL_SECONDS, MAX_TTL_SECONDS } from '../token/issue.js';
export type { IssuedToken, TokenIssuer, TokenIssuerOptions, VisitorIdentity } from '../token/issue.js';
export {
  createTokenHandler,
  DEFAULT_ANSWER_TIMEOUT_MS,
  DEFAULT_MAX_BODY_BYTES,
  TOKEN_HANDLER_ERROR_STATUS,
} from './handler.js';
export type {
  TokenHandlerErrorBody,
  TokenHandlerErrorCode,
  TokenHandlerErrorInfo,
  TokenHandlerOptions,
} from './handler.js';
export { DEFAULT_CLOCK_TOLERANCE_SECONDS, inspectToken, verifyToken } from '../token/verify.js';
export type {
  InspectTokenOptions,
  KeyInput,
  TokenCheck,
  TokenInspection,
  TokenVerification,
  VerifyTokenOptions,
  VisitorClaims,
  VisitorData,
} from '../token/verify.js';
export { importKey, isCryptoKey } from '../token/keys.js';
export {
  KEY_ERROR_CODES,
  KEY_LOAD_ERROR_CODES,
  KeyError,
  KeyLoadError,
  TOKEN_ERROR_CODES,
  TOKEN_INPUT_ERROR_CODES,
  TokenInputError,
} from '../token/errors.js';
export type { KeyErrorCode, KeyLoadErrorCode, KeyRole, TokenErrorCode, TokenInputErrorCode } from '../token/errors.js';
export { MAX_USER_ID_LENGTH, USER_ID_CLAIM, VISITOR_DATA_CLAIM, VISITOR_DATA_FIELDS } from '../token/claims.js';
export type { VisitorDataField } from '../token/claims.js';
export {
  KEY_ENV_VARIABLES,
  loadKeyFromEnv,
  loadKeyFromFile,
  loadKeysFromEnv,
  loadKeysFromFiles,
} from '../token/load-keys.js';
export type { IssuerKeys } from '../token/load-keys.js';
