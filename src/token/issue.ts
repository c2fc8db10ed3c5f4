// Mints visitor tokens: an RS256 JWS of the claims, signed with the customer private key,
// nested in an RSA-OAEP-256/A256GCM JWE for iAdvize (token-format.md). Keys are imported once,
// and proven at start-up: a pair that cannot make a token its public half verifies is refused
// there, not discovered as iAdvize refusing every token.
import { CompactEncrypt, CompactSign, compactVerify, importJWK, SignJWT } from 'jose';
import {
  MAX_USER_ID_LENGTH,
  USER_ID_CLAIM,
  VISITOR_DATA_CLAIM,
  userIdProblem,
  visitorDataProblem,
  type VisitorData,
} from './claims.js';
import { KeyError, TokenInputError, type KeyRole } from './errors.js';
import { ROLES } from './key-roles.js';
import { importKey, publicHalfOf, type KeyInput } from './keys.js';

export const DEFAULT_TTL_SECONDS = 60;
/** The longest lifetime accepted: a day. A leaked token opens the visitor's chat until it expires. */
export const MAX_TTL_SECONDS = 86_400;

export interface TokenIssuerOptions {
  /** The customer private key (signs the inner JWS): PEM PKCS#8, JWK or CryptoKey. Server-side only. */
  privateKey: KeyInput;
  /** iAdvize's public key (encrypts the JWE): bare base64 SPKI as iAdvize publishes it, PEM, JWK or CryptoKey. */
  iadvizePublicKey: KeyInput;
  /**
   * Optional: the customer public key you gave iAdvize. When given, the start-up self-test
   * checks the private key's signature against it, so a pair mixed up with another is refused.
   */
  customerPublicKey?: KeyInput;
  /** The `iss` claim, e.g. your site's URL. */
  issuer: string;
  /** Token lifetime in whole seconds, 1..86400. Default 60. */
  ttlSeconds?: number;
  /** The clock, in milliseconds since the epoch. Default `Date.now`; tests pass a fixed one. */
  now?: () => number;
}

/** Who the token is for. `visitorData` fields set to `undefined` are left out. */
export interface VisitorIdentity {
  userId: string;
  visitorData?: VisitorData;
}

export interface IssuedToken {
  /** The compact JWE to hand to the tag. */
  token: string;
  /** When the token expires, in milliseconds since the epoch (the `exp` claim × 1000). */
  expiresAt: number;
}

export interface TokenIssuer {
  readonly issuer: string;
  readonly ttlSeconds: number;
  /** The token alone. Throws TokenInputError for an unusable identity. */
  issue(identity: VisitorIdentity): Promise<string>;
  /** The token and its expiry, as the token handler answers. Throws TokenInputError. */
  issueWithExpiry(identity: VisitorIdentity): Promise<IssuedToken>;
}

/**
 * Imports and checks both keys (KeyError) and the options (TokenInputError) up front, then
 * signs, verifies and encrypts once: a private key that does not verify with its public half (a
 * corrupted copy) or with `customerPublicKey` is refused with KeyError `key-inconsistent`.
 */
export async function createTokenIssuer(options: TokenIssuerOptions): Promise<TokenIssuer> {
  const { issuer, ttlSeconds = DEFAULT_TTL_SECONDS, now = Date.now } = options;
  if (typeof issuer !== 'string' || issuer.length === 0) {
    throw new TokenInputError(
      'issuer',
      'the issuer option (the iss claim) must be a non-empty string, e.g. your site URL',
    );
  }
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > MAX_TTL_SECONDS) {
    throw new TokenInputError(
      'ttl',
      `ttlSeconds must be a whole number of seconds from 1 to ${MAX_TTL_SECONDS}; the default is ${DEFAULT_TTL_SECONDS}`,
    );
  }
  const [signingKey, encryptionKey] = await Promise.all([
    importKey(options.privateKey, 'customer-private'),
    importKey(options.iadvizePublicKey, 'iadvize-public'),
  ]);
  const encoder = new TextEncoder();
  await selfTest(signingKey, encryptionKey, options.customerPublicKey);

  async function issueWithExpiry(identity: VisitorIdentity): Promise<IssuedToken> {
    const claims = identityClaims(identity);
    const iat = Math.floor(now() / 1000);
    const exp = iat + ttlSeconds;
    const jws = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256' })
      .setIssuer(issuer)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .sign(signingKey);
    const token = await new CompactEncrypt(encoder.encode(jws))
      .setProtectedHeader({ alg: 'RSA-OAEP-256', enc: 'A256GCM', cty: 'JWT' })
      .encrypt(encryptionKey);
    return { token, expiresAt: exp * 1000 };
  }

  return {
    issuer,
    ttlSeconds,
    issueWithExpiry,
    issue: async (identity) => (await issueWithExpiry(identity)).token,
  };
}

/**
 * Why an identity cannot be put in a token, or undefined. `reason` is short, fixed text (no
 * caller data): the token endpoint sends it to the page; `message` says what to fix.
 */
export function identityProblem(
  identity: unknown,
): { code: 'identity' | 'user-id' | 'visitor-data'; reason: string; message: string } | undefined {
  if (typeof identity !== 'object' || identity === null || Array.isArray(identity)) {
    return {
      code: 'identity',
      reason: 'not a userId or { userId, visitorData? }',
      message: 'issue() takes { userId, visitorData? }',
    };
  }
  const { userId, visitorData } = identity as { userId?: unknown; visitorData?: unknown };
  const userIdIssue = userIdProblem(userId);
  if (userIdIssue) {
    const reason =
      typeof userId !== 'string'
        ? 'userId missing or not a string'
        : userId === ''
          ? 'userId empty'
          : `userId longer than ${MAX_USER_ID_LENGTH} characters`;
    return {
      code: 'user-id',
      reason,
      message: `${userIdIssue}: pass the visitor's stable id, 1 to ${MAX_USER_ID_LENGTH} characters, never reused for another person`,
    };
  }
  if (visitorData === undefined) return undefined;
  const visitorDataIssue = visitorDataProblem(definedFields(visitorData), true);
  return visitorDataIssue
    ? {
        code: 'visitor-data',
        reason: 'visitorData not an object of the documented string fields',
        message: visitorDataIssue,
      }
    : undefined;
}

function identityClaims(identity: VisitorIdentity): Record<string, unknown> {
  const problem = identityProblem(identity);
  if (problem) throw new TokenInputError(problem.code, problem.message);
  if (identity.visitorData === undefined) return { [USER_ID_CLAIM]: identity.userId };
  return { [USER_ID_CLAIM]: identity.userId, [VISITOR_DATA_CLAIM]: definedFields(identity.visitorData) };
}

/** visitorData without the fields set to undefined; anything else as it is. */
function definedFields(visitorData: unknown): unknown {
  return typeof visitorData === 'object' && visitorData !== null && !Array.isArray(visitorData)
    ? Object.fromEntries(Object.entries(visitorData).filter(([, value]) => value !== undefined))
    : visitorData;
}

const SELF_TEST_PAYLOAD = new TextEncoder().encode('iadvize-activation issuer self-test');

/**
 * Signs with the private key and verifies with its public half (and with `customerPublicKey`
 * when given), then encrypts for iAdvize: what every token needs, proven once before the first.
 */
async function selfTest(
  signingKey: CryptoKey,
  encryptionKey: CryptoKey,
  customerPublicKey: KeyInput | undefined,
): Promise<void> {
  const verifiers: Array<{ key: CryptoKey; fix: string }> = [];
  const corrupted =
    'the key is corrupted (a character changed or lost in copying): copy it again from its source, or generate a new pair and give iAdvize the new public key';
  const ownHalf = await publicHalfOf(signingKey);
  if (ownHalf) {
    let key: CryptoKey;
    try {
      key = (await importJWK(ownHalf, 'RS256')) as CryptoKey;
    } catch (cause) {
      throw inconsistent('customer-private', 'has a public half that is not a valid RSA key', corrupted, cause);
    }
    verifiers.push({ key, fix: corrupted });
  }
  if (customerPublicKey !== undefined) {
    verifiers.push({
      key: await importKey(customerPublicKey, 'customer-public'),
      fix: 'customerPublicKey is not its public half: pass the public key of the same pair (the one iAdvize holds), or the private key that matches it',
    });
  }
  let jws: string;
  try {
    jws = await new CompactSign(SELF_TEST_PAYLOAD).setProtectedHeader({ alg: 'RS256' }).sign(signingKey);
  } catch (cause) {
    throw inconsistent('customer-private', 'cannot sign', 'check that it is an RSA private key in PKCS#8', cause);
  }
  for (const { key, fix } of verifiers) {
    const verified = await compactVerify(jws, key).then(
      () => true,
      () => false,
    );
    if (!verified) throw inconsistent('customer-private', 'makes signatures that do not verify', fix);
  }
  try {
    await new CompactEncrypt(SELF_TEST_PAYLOAD)
      .setProtectedHeader({ alg: 'RSA-OAEP-256', enc: 'A256GCM', cty: 'JWT' })
      .encrypt(encryptionKey);
  } catch (cause) {
    throw inconsistent(
      'iadvize-public',
      'cannot encrypt a token',
      "pass iAdvize's RSA public key as published (bare base64 SPKI) or as PEM",
      cause,
    );
  }
}

function inconsistent(role: KeyRole, what: string, fix: string, cause?: unknown): KeyError {
  return new KeyError(
    'key-inconsistent',
    role,
    `${ROLES[role].label} failed the start-up self-test: it ${what}; ${fix}`,
    cause === undefined ? undefined : { cause },
  );
}
