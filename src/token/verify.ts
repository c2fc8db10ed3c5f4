// Checks a visitor token the way iAdvize does (token-format.md, "Checks a verifier must make").
// Browser-safe (jose and project modules only): the fake iAdvize server runs it.
import { compactDecrypt, compactVerify, decodeJwt, decodeProtectedHeader, errors } from 'jose';
import {
  USER_ID_CLAIM,
  VISITOR_DATA_CLAIM,
  kindOf,
  userIdProblem,
  visitorDataProblem,
  type VisitorData,
} from './claims.js';
import { importKey, type KeyInput } from './keys.js';

export type { KeyInput } from './keys.js';
export type { VisitorData } from './claims.js';

/** The check a token failed, in the order they are made. */
export type TokenCheck =
  | 'format'
  | 'encryption-algorithm'
  | 'decryption'
  | 'signature-algorithm'
  | 'signature'
  | 'expired'
  | 'issued-in-future'
  | 'user-id'
  | 'visitor-data'
  | 'issuer';

export interface VisitorClaims {
  userId: string;
  visitorData?: VisitorData;
  iss?: string;
  iat?: number;
  exp: number;
}

export interface VerifyTokenOptions {
  iadvizePrivateKey: KeyInput;
  customerPublicKey: KeyInput;
  /** Allowed clock skew for exp and iat, in seconds. Default 30. */
  clockToleranceSeconds?: number;
  /** The verifier's "now"; default the current time. */
  currentDate?: Date;
  /** When set, `iss` must equal it. */
  expectedIssuer?: string;
}

export type TokenVerification = { ok: true; claims: VisitorClaims } | { ok: false; check: TokenCheck; message: string };

export const DEFAULT_CLOCK_TOLERANCE_SECONDS = 30;
const ENCRYPTION_ALG = 'RSA-OAEP-256';
const CONTENT_ENC = 'A256GCM';
const SIGNATURE_ALG = 'RS256';

const BUILD_ADVICE = 'build a JWS signed with RS256 and encrypt it as a compact JWE (RSA-OAEP-256, A256GCM, cty JWT)';

/** A failed check, thrown inside this module only and turned into a `TokenVerification`. */
class CheckFailure extends Error {
  constructor(
    readonly check: TokenCheck,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Verifies a token: JWE shape and algorithms, decryption with iAdvize's private key, RS256
 * signature with the customer public key, then the claims. Never throws for a bad token;
 * throws a KeyError when one of the option keys is unusable (a configuration mistake).
 */
export async function verifyToken(token: string, options: VerifyTokenOptions): Promise<TokenVerification> {
  const [iadvizePrivateKey, customerPublicKey] = await Promise.all([
    importKey(options.iadvizePrivateKey, 'iadvize-private'),
    importKey(options.customerPublicKey, 'customer-public'),
  ]);
  try {
    const jws = await decryptJwe(token, iadvizePrivateKey);
    const payload = await verifyJws(jws, customerPublicKey);
    return { ok: true, claims: checkClaims(parsePayload(payload), options) };
  } catch (error) {
    if (error instanceof CheckFailure) return { ok: false, check: error.check, message: error.message };
    throw error;
  }
}

/** Checks the outer header, then decrypts; returns the plaintext (the inner JWS). */
async function decryptJwe(token: unknown, key: CryptoKey): Promise<string> {
  const header = outerHeader(token);
  if (header.alg !== ENCRYPTION_ALG || header.enc !== CONTENT_ENC) {
    throw new CheckFailure(
      'encryption-algorithm',
      `the JWE uses alg ${describe(header.alg)} and enc ${describe(header.enc)}; iAdvize accepts only alg ${ENCRYPTION_ALG} with enc ${CONTENT_ENC}: encrypt with iAdvize's RSA public key using those algorithms`,
    );
  }
  try {
    const { plaintext } = await compactDecrypt(token as string, key, {
      keyManagementAlgorithms: [ENCRYPTION_ALG],
      contentEncryptionAlgorithms: [CONTENT_ENC],
    });
    return new TextDecoder('utf-8', { fatal: true }).decode(plaintext);
  } catch (error) {
    if (error instanceof errors.JWEDecryptionFailed) {
      throw new CheckFailure(
        'decryption',
        "the JWE does not decrypt with iAdvize's private key: encrypt with iAdvize's current public key and send the token unaltered",
      );
    }
    throw new CheckFailure('format', `the JWE is malformed (${joseReason(error)}): ${BUILD_ADVICE}`);
  }
}

function outerHeader(token: unknown): Record<string, unknown> {
  if (typeof token !== 'string' || token.length === 0) {
    throw new CheckFailure(
      'format',
      `the token must be a non-empty string, not ${token === '' ? 'an empty one' : kindOf(token)}: ${BUILD_ADVICE}`,
    );
  }
  const segments = token.split('.').length;
  const header = decodeHeader(token);
  if (segments === 3 && header) {
    throw new CheckFailure(
      'encryption-algorithm',
      "the token is a JWS with no encryption: encrypt it into a compact JWE with iAdvize's public key (RSA-OAEP-256, A256GCM, cty JWT)",
    );
  }
  if (segments !== 5 || !header) {
    throw new CheckFailure(
      'format',
      `the token is not a compact JWE (five base64url parts separated by dots): ${BUILD_ADVICE}`,
    );
  }
  return header;
}

/** Checks the inner header, then the signature; returns the payload bytes. */
async function verifyJws(jws: string, key: CryptoKey): Promise<Uint8Array> {
  const header = jws.split('.').length === 3 ? decodeHeader(jws) : undefined;
  if (!header) {
    throw new CheckFailure(
      'format',
      `the JWE plaintext is not a compact JWS: sign the claims first (RS256), then encrypt the JWS`,
    );
  }
  if (header.alg !== SIGNATURE_ALG) {
    throw new CheckFailure(
      'signature-algorithm',
      `the inner JWS uses alg ${describe(header.alg)}; iAdvize accepts only ${SIGNATURE_ALG}: sign with the customer RSA private key using RS256 (never "none", never an HMAC)`,
    );
  }
  try {
    return (await compactVerify(jws, key, { algorithms: [SIGNATURE_ALG] })).payload;
  } catch (error) {
    if (error instanceof errors.JWSSignatureVerificationFailed) {
      throw new CheckFailure(
        'signature',
        'the JWS signature does not verify with the registered customer public key: sign with the customer private key whose public half iAdvize holds',
      );
    }
    throw new CheckFailure(
      'format',
      `the inner JWS is malformed (${joseReason(error)}): sign the claims as a compact JWS with RS256`,
    );
  }
}

function parsePayload(payload: Uint8Array): Record<string, unknown> {
  let claims: unknown;
  try {
    claims = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload));
  } catch {
    throw new CheckFailure('format', 'the JWS payload is not JSON: sign a JSON object of claims');
  }
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) {
    throw new CheckFailure('format', `the JWS payload is ${kindOf(claims)}, not a JSON object of claims`);
  }
  return claims as Record<string, unknown>;
}

function checkClaims(claims: Record<string, unknown>, options: VerifyTokenOptions): VisitorClaims {
  const tolerance = options.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS;
  const now = Math.floor((options.currentDate ?? new Date()).getTime() / 1000);
  const { exp, iat, iss } = claims;
  if (!isNumericDate(exp)) {
    throw new CheckFailure(
      'expired',
      `the exp claim is ${exp === undefined ? 'missing' : kindOf(exp)}: set exp to the expiry time in seconds since the epoch`,
    );
  }
  if (exp <= now - tolerance) {
    throw new CheckFailure(
      'expired',
      `the token expired ${now - exp} s ago (clock tolerance ${tolerance} s): fetch a fresh token; if it was just issued, check the issuing server's clock`,
    );
  }
  if (iat !== undefined && !isNumericDate(iat)) {
    throw new CheckFailure(
      'issued-in-future',
      `the iat claim is ${kindOf(iat)}: set iat to the issue time in seconds since the epoch`,
    );
  }
  if (iat !== undefined && iat > now + tolerance) {
    throw new CheckFailure(
      'issued-in-future',
      `the token is issued ${iat - now} s in the future (clock tolerance ${tolerance} s): synchronise the issuing server's clock (NTP)`,
    );
  }
  const userId = claims[USER_ID_CLAIM];
  const userIdIssue = userIdProblem(userId);
  if (userIdIssue) {
    throw new CheckFailure(
      'user-id',
      `${userIdIssue} in the ${USER_ID_CLAIM} claim: set it to the visitor's stable id (1 to 255 characters)`,
    );
  }
  const visitorData = claims[VISITOR_DATA_CLAIM];
  const visitorDataIssue = visitorData === undefined ? undefined : visitorDataProblem(visitorData, false);
  if (visitorDataIssue)
    throw new CheckFailure('visitor-data', `${visitorDataIssue} in the ${VISITOR_DATA_CLAIM} claim`);
  if (options.expectedIssuer !== undefined && iss !== options.expectedIssuer) {
    throw new CheckFailure(
      'issuer',
      `the iss claim is ${typeof iss === 'string' ? JSON.stringify(iss.slice(0, 100)) : kindOf(iss)}, expected ${JSON.stringify(options.expectedIssuer)}: issue tokens with the configured issuer`,
    );
  }
  return {
    userId: userId as string,
    ...(visitorData === undefined ? {} : { visitorData: visitorData as VisitorData }),
    ...(typeof iss === 'string' ? { iss } : {}),
    ...(iat === undefined ? {} : { iat }),
    exp,
  };
}

function isNumericDate(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function decodeHeader(compact: string): Record<string, unknown> | undefined {
  try {
    return decodeProtectedHeader(compact) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** A header value in a message: short strings quoted, anything else by its type. */
function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : kindOf(value);
}

/** jose's own wording for a structural problem; jose messages never quote token content. */
function joseReason(error: unknown): string {
  return error instanceof errors.JOSEError ? error.message : 'unreadable';
}

/** The verification options, every one optional: each key given unlocks one more layer. */
export type InspectTokenOptions = Partial<VerifyTokenOptions>;

/** What can be read from a token: headers always, claims with iAdvize's private key. */
export interface TokenInspection {
  /** `jwe`: five parts (as expected); `jws`: three parts, signed but not encrypted; `unknown`: neither. */
  shape: 'jwe' | 'jws' | 'unknown';
  /** The outer protected header (the JWE's, or the JWS's when the token is not encrypted). */
  header?: Record<string, unknown>;
  /** The inner JWS header, once decrypted. */
  innerHeader?: Record<string, unknown>;
  /** The decoded claims. Unverified unless `verification.ok` is true. */
  payload?: Record<string, unknown>;
  /** The full verification, when both keys were given. */
  verification?: TokenVerification;
  /** Why decoding stopped before the claims, if it did. */
  problem?: string;
}

/**
 * Decodes a token for humans (the CLI): the headers, then with `iadvizePrivateKey` the inner
 * header and claims, and with `customerPublicKey` too the verification. Never throws for a bad
 * token; throws a KeyError for an unusable key. Returns no key material.
 */
export async function inspectToken(token: string, options: InspectTokenOptions = {}): Promise<TokenInspection> {
  const { iadvizePrivateKey, customerPublicKey } = options;
  const verification =
    iadvizePrivateKey !== undefined && customerPublicKey !== undefined
      ? await verifyToken(token, { ...options, iadvizePrivateKey, customerPublicKey })
      : undefined;
  const decoded = await decodeLayers(token, iadvizePrivateKey);
  return verification ? { ...decoded, verification } : decoded;
}

async function decodeLayers(token: string, iadvizePrivateKey: KeyInput | undefined): Promise<TokenInspection> {
  const segments = typeof token === 'string' ? token.split('.').length : 0;
  const header = typeof token === 'string' ? decodeHeader(token) : undefined;
  if (!header || (segments !== 3 && segments !== 5)) {
    return {
      shape: 'unknown',
      problem: 'not a compact JWE or JWS: expected five (or three) base64url parts separated by dots',
    };
  }
  if (segments === 3) return { shape: 'jws', header, ...decodePayload(token) };
  if (iadvizePrivateKey === undefined) {
    return { shape: 'jwe', header, problem: "the claims are encrypted: give iAdvize's private key to read them" };
  }
  let jws: string;
  try {
    jws = await decryptJwe(token, await importKey(iadvizePrivateKey, 'iadvize-private'));
  } catch (error) {
    if (error instanceof CheckFailure) return { shape: 'jwe', header, problem: error.message };
    throw error;
  }
  const innerHeader = jws.split('.').length === 3 ? decodeHeader(jws) : undefined;
  if (!innerHeader) return { shape: 'jwe', header, problem: 'the JWE plaintext is not a compact JWS' };
  return { shape: 'jwe', header, innerHeader, ...decodePayload(jws) };
}

function decodePayload(jws: string): Pick<TokenInspection, 'payload' | 'problem'> {
  try {
    return { payload: decodeJwt(jws) };
  } catch {
    return { problem: 'the JWS payload is not a JSON object of claims' };
  }
}
