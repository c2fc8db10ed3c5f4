// Mints visitor tokens: an RS256 JWS of the claims, signed with the customer private key,
// nested in an RSA-OAEP-256/A256GCM JWE for iAdvize (token-format.md). Keys are imported once.
import { CompactEncrypt, SignJWT } from 'jose';
import { USER_ID_CLAIM, VISITOR_DATA_CLAIM, userIdProblem, visitorDataProblem, type VisitorData } from '../token/claims.js';
import { TokenInputError } from '../token/errors.js';
import { importKey, type KeyInput } from '../token/keys.js';

export const DEFAULT_TTL_SECONDS = 60;
/** The longest lifetime accepted: a day. A leaked token opens the visitor's chat until it expires. */
export const MAX_TTL_SECONDS = 86_400;

export interface TokenIssuerOptions {
  /** The customer private key (signs the inner JWS): PEM PKCS#8, JWK or CryptoKey. Server-side only. */
  privateKey: KeyInput;
  /** iAdvize's public key (encrypts the JWE): bare base64 SPKI as iAdvize publishes it, PEM, JWK or CryptoKey. */
  iadvizePublicKey: KeyInput;
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

/** Imports and checks both keys (KeyError) and the options (TokenInputError) up front. */
export async function createTokenIssuer(options: TokenIssuerOptions): Promise<TokenIssuer> {
  const { issuer, ttlSeconds = DEFAULT_TTL_SECONDS, now = Date.now } = options;
  if (typeof issuer !== 'string' || issuer.length === 0) {
    throw new TokenInputError('issuer', 'the issuer option (the iss claim) must be a non-empty string, e.g. your site URL');
  }
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > MAX_TTL_SECONDS) {
    throw new TokenInputError('ttl', `ttlSeconds must be a whole number of seconds from 1 to ${MAX_TTL_SECONDS}; the default is ${DEFAULT_TTL_SECONDS}`);
  }
  const [signingKey, encryptionKey] = await Promise.all([
    importKey(options.privateKey, 'customer-private'),
    importKey(options.iadvizePublicKey, 'iadvize-public'),
  ]);
  const encoder = new TextEncoder();

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

function identityClaims(identity: VisitorIdentity): Record<string, unknown> {
  if (typeof identity !== 'object' || identity === null) {
    throw new TokenInputError('identity', 'issue() takes { userId, visitorData? }');
  }
  const userIdIssue = userIdProblem(identity.userId);
  if (userIdIssue) {
    throw new TokenInputError('user-id', `${userIdIssue}: pass the visitor's stable id, 1 to 255 characters, never reused for another person`);
  }
  if (identity.visitorData === undefined) return { [USER_ID_CLAIM]: identity.userId };
  const visitorData =
    typeof identity.visitorData === 'object' && identity.visitorData !== null && !Array.isArray(identity.visitorData)
      ? Object.fromEntries(Object.entries(identity.visitorData).filter(([, value]) => value !== undefined))
      : identity.visitorData;
  const visitorDataIssue = visitorDataProblem(visitorData, true);
  if (visitorDataIssue) throw new TokenInputError('visitor-data', visitorDataIssue);
  return { [USER_ID_CLAIM]: identity.userId, [VISITOR_DATA_CLAIM]: visitorData };
}
