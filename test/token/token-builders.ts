// Builds tokens the way a (possibly wrong) issuer would, with jose, so every verifier rejection
// can be produced on purpose.
import { CompactEncrypt, CompactSign, UnsecuredJWT, importPKCS8, importSPKI, type JWTPayload } from 'jose';
import type { DevKeys } from '../../src/token/dev-keys.js';

/** 2026-01-15T12:00:00Z: every time-dependent test reads this clock, never the real one. */
export const NOW = new Date('2026-01-15T12:00:00Z');
export const NOW_SECONDS = Math.floor(NOW.getTime() / 1000);

export function validClaims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    'https://iadvize.com/userId': 'user-42',
    'https://iadvize.com/visitorData': { firstName: 'Jane' },
    iss: 'https://example.com',
    iat: NOW_SECONDS,
    exp: NOW_SECONDS + 60,
    ...overrides,
  };
}

const encoder = new TextEncoder();

export async function signRs256(
  claims: object,
  privateKeyPem: string,
  alg: 'RS256' | 'PS256' = 'RS256',
): Promise<string> {
  return new CompactSign(encoder.encode(JSON.stringify(claims)))
    .setProtectedHeader({ alg })
    .sign(await importPKCS8(privateKeyPem, alg));
}

export async function signHs256(claims: object, secret: Uint8Array): Promise<string> {
  return new CompactSign(encoder.encode(JSON.stringify(claims))).setProtectedHeader({ alg: 'HS256' }).sign(secret);
}

export function unsigned(claims: object): string {
  return new UnsecuredJWT(claims as JWTPayload).encode();
}

export async function encrypt(
  plaintext: string,
  publicKeyPem: string,
  alg: 'RSA-OAEP-256' | 'RSA-OAEP' = 'RSA-OAEP-256',
  enc: 'A256GCM' | 'A128GCM' = 'A256GCM',
): Promise<string> {
  return new CompactEncrypt(encoder.encode(plaintext))
    .setProtectedHeader({ alg, enc, cty: 'JWT' })
    .encrypt(await importSPKI(publicKeyPem, alg));
}

/** A spec-conforming token for the given claims. */
export async function buildToken(keys: DevKeys, claims: object = validClaims()): Promise<string> {
  return encrypt(await signRs256(claims, keys.customer.privateKeyPem), keys.iadvize.publicKeyPem);
}

/** Replaces a token's protected header (the rest is kept, so only the header checks can pass). */
export function withHeader(token: string, header: object): string {
  const [, ...rest] = token.split('.');
  return [Buffer.from(JSON.stringify(header)).toString('base64url'), ...rest].join('.');
}

/** Changes one character in the middle of a segment, keeping it valid base64url. */
export function tamperSegment(token: string, index: number): string {
  const parts = token.split('.');
  const segment = parts[index] ?? '';
  const at = Math.floor(segment.length / 2);
  parts[index] = segment.slice(0, at) + (segment[at] === 'A' ? 'B' : 'A') + segment.slice(at + 1);
  return parts.join('.');
}
