// Every error of the token service (issue, verify, key import and loading: the server side), in
// one leaf module that imports nothing. Each carries a stable `code` from TOKEN_ERROR_CODES, so
// callers switch on `error.code`. Messages say what to fix and never carry a token or key
// material: they end up in logs and terminals. The browser side's errors are src/errors.ts;
// both are tabled in docs/errors.md.

/** Which key a message is about; each has one job in the nested token. */
export type KeyRole = 'customer-private' | 'customer-public' | 'iadvize-public' | 'iadvize-private';

/**
 * Why a key was refused:
 * - `key-missing`: nothing (or an empty string) was given;
 * - `key-format`: not PEM (PKCS#8 / SPKI / certificate), bare base64 SPKI or PKCS#8, JWK or CryptoKey,
 *   or a format needing conversion first (PKCS#1 "RSA PRIVATE KEY", encrypted PKCS#8);
 * - `key-type`: not an RSA key;
 * - `key-too-small`: an RSA modulus under 2048 bits;
 * - `public-key-given`: a public key where the private half is needed;
 * - `private-key-given`: a private key where the public half is expected;
 * - `key-algorithm`: a CryptoKey or JWK bound to another algorithm or usage than this role's;
 * - `key-inconsistent`: the key imports but fails the issuer's start-up self-test: a signature
 *   made with the private key does not verify with its public half (a corrupted copy, a pair
 *   mixed up), or a token cannot be encrypted with iAdvize's key.
 */
export const KEY_ERROR_CODES = [
  'key-missing',
  'key-format',
  'key-type',
  'key-too-small',
  'public-key-given',
  'private-key-given',
  'key-algorithm',
  'key-inconsistent',
] as const;

export type KeyErrorCode = (typeof KEY_ERROR_CODES)[number];

export class KeyError extends Error {
  override readonly name = 'KeyError';
  readonly code: KeyErrorCode;
  readonly role: KeyRole;

  constructor(code: KeyErrorCode, role: KeyRole, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.role = role;
  }
}

/**
 * Why the issuer or the handler refused its input:
 * - `user-id`: not a string of 1..255 characters;
 * - `visitor-data`: not an object, an undocumented field, or a non-string value;
 * - `ttl`: not an integer number of seconds in 1..86400;
 * - `issuer`: the `iss` value is not a non-empty string;
 * - `identity`: `issue` was not given `{ userId, visitorData? }`;
 * - `option`: another option is invalid (an allowed origin that is not an origin, a body limit...).
 */
export const TOKEN_INPUT_ERROR_CODES = ['user-id', 'visitor-data', 'ttl', 'issuer', 'identity', 'option'] as const;

export type TokenInputErrorCode = (typeof TOKEN_INPUT_ERROR_CODES)[number];

export class TokenInputError extends Error {
  override readonly name = 'TokenInputError';
  readonly code: TokenInputErrorCode;

  constructor(code: TokenInputErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

/**
 * - `missing`: the variable is unset or empty, or the file does not exist;
 * - `unreadable`: the file exists but cannot be read (permissions, a directory...);
 * - `malformed`: the content is not a usable key for its role (see `keyError` for why).
 */
export const KEY_LOAD_ERROR_CODES = ['missing', 'unreadable', 'malformed'] as const;

export type KeyLoadErrorCode = (typeof KEY_LOAD_ERROR_CODES)[number];

/** Thrown by the key loaders (loadKeyFromEnv, loadKeyFromFile...): names the variable or the file, never its content. */
export class KeyLoadError extends Error {
  override readonly name = 'KeyLoadError';
  readonly code: KeyLoadErrorCode;
  /** `env:NAME` or the file path. */
  readonly source: string;
  readonly role: KeyRole;
  /** Why the content was refused, for `malformed`. */
  readonly keyError?: KeyError;

  constructor(code: KeyLoadErrorCode, source: string, role: KeyRole, message: string, keyError?: KeyError) {
    super(message);
    this.code = code;
    this.source = source;
    this.role = role;
    if (keyError) this.keyError = keyError;
  }
}

/** Every code a token-service error carries: one union to switch on. */
export const TOKEN_ERROR_CODES = [...KEY_ERROR_CODES, ...TOKEN_INPUT_ERROR_CODES, ...KEY_LOAD_ERROR_CODES] as const;

export type TokenErrorCode = (typeof TOKEN_ERROR_CODES)[number];
