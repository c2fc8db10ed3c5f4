// Turns any accepted key input into a checked CryptoKey for one role (browser-safe: jose and
// WebCrypto only). Imports are cached so servers and the fake iAdvize pay them once.
import { exportJWK, importJWK, importPKCS8, importSPKI, importX509 } from 'jose';
import { kindOf } from './claims.js';
import { KeyError, type KeyRole } from './errors.js';
import { parseKeyText } from './key-text.js';
import { MIN_RSA_BITS, ROLES } from './key-roles.js';

/** PEM (PKCS#8, SPKI, certificate), bare base64 SPKI/PKCS#8 DER, a JWK (object or JSON text) or a CryptoKey. */
export type KeyInput = string | JsonWebKey | CryptoKey;

/** Text keys seen recently; bounded because a long-running server may be handed many. */
const MAX_CACHED_TEXT_KEYS = 64;
const textCache = new Map<string, Promise<CryptoKey>>();
/** JWK objects by identity (jose freezes the ones it is given; callers should not mutate them). */
const jwkCache = new WeakMap<object, Map<KeyRole, Promise<CryptoKey>>>();
/**
 * The public half (n, e) of each private key imported here, kept beside the non-extractable
 * CryptoKey so the issuer can check at start-up that the pair still signs and verifies.
 */
const publicHalves = new WeakMap<CryptoKey, JsonWebKey>();

/**
 * The public half of a private RSA key, as a public JWK: known for keys imported by `importKey`
 * and for extractable CryptoKeys; undefined for a non-extractable CryptoKey made elsewhere.
 */
export async function publicHalfOf(key: CryptoKey): Promise<JsonWebKey | undefined> {
  const known = publicHalves.get(key);
  if (known || !key.extractable) return known;
  const { n, e } = await exportJWK(key);
  return n === undefined || e === undefined ? undefined : { kty: 'RSA', n, e };
}

/**
 * Imports and checks a key for a role: an RSA key of at least 2048 bits, of the right half
 * (private/public) and bound to the role's algorithm. A CryptoKey is checked and returned as is.
 * Throws {@link KeyError}; its message names the key and the fix, never the key's content.
 */
export async function importKey(input: KeyInput, role: KeyRole): Promise<CryptoKey> {
  if (input === undefined || input === null) {
    throw new KeyError('key-missing', role, `${ROLES[role].label} is missing`);
  }
  if (isCryptoKey(input)) return checkCryptoKey(input, role);
  if (typeof input === 'string') {
    return remember(textCache, `${role}\n${input}`, () => importText(input, role));
  }
  if (typeof input === 'object' && !Array.isArray(input)) {
    let byRole = jwkCache.get(input);
    if (!byRole) jwkCache.set(input, (byRole = new Map()));
    return remember(byRole, role, () => importCheckedJwk(input, role));
  }
  throw new KeyError(
    'key-format',
    role,
    `${ROLES[role].label} must be a PEM or base64 string, a JWK or a CryptoKey, not ${kindOf(input)}`,
  );
}

export function isCryptoKey(value: unknown): value is CryptoKey {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { [Symbol.toStringTag]?: unknown })[Symbol.toStringTag] === 'CryptoKey'
  );
}

function remember<K>(cache: Map<K, Promise<CryptoKey>>, key: K, load: () => Promise<CryptoKey>): Promise<CryptoKey> {
  const hit = cache.get(key);
  if (hit) return hit;
  const pending = load();
  cache.set(key, pending);
  // A failed import is not cached: the caller may fix the environment and retry.
  pending.catch(() => cache.delete(key));
  if (cache === textCache && textCache.size > MAX_CACHED_TEXT_KEYS) {
    const oldest = textCache.keys().next().value;
    if (oldest !== undefined) textCache.delete(oldest);
  }
  return pending;
}

async function importText(text: string, role: KeyRole): Promise<CryptoKey> {
  const parsed = parseKeyText(text, role);
  if (parsed.form === 'jwk') return importCheckedJwk(parsed.jwk, role);
  requireHalf(parsed.form === 'pkcs8' ? 'private' : 'public', role);
  const { alg } = ROLES[role];
  let key: CryptoKey;
  try {
    key =
      parsed.form === 'pkcs8'
        ? await importPrivatePem(parsed.pem, alg)
        : parsed.form === 'spki'
          ? await importSPKI(parsed.pem, alg)
          : await importX509(parsed.pem, alg);
  } catch (cause) {
    const what =
      parsed.form === 'pkcs8'
        ? 'PKCS#8 private key'
        : parsed.form === 'spki'
          ? 'SPKI public key'
          : 'certificate with an RSA key';
    throw new KeyError('key-format', role, `${ROLES[role].label} is not a valid ${what}`, { cause });
  }
  return checkCryptoKey(key, role);
}

/**
 * PKCS#8 imported twice: once extractable, only to read the public half (n, e) PKCS#8 carries,
 * then as the non-extractable key that is kept. A start-up cost, paid once per key.
 */
async function importPrivatePem(pem: string, alg: string): Promise<CryptoKey> {
  const { n, e } = await exportJWK(await importPKCS8(pem, alg, { extractable: true }));
  const key = await importPKCS8(pem, alg);
  if (n !== undefined && e !== undefined) publicHalves.set(key, { kty: 'RSA', n, e });
  return key;
}

async function importCheckedJwk(jwk: JsonWebKey, role: KeyRole): Promise<CryptoKey> {
  const spec = ROLES[role];
  if (typeof jwk.kty !== 'string')
    throw new KeyError('key-format', role, `${spec.label} is an object without "kty": not a JWK`);
  if (jwk.kty !== 'RSA') {
    throw new KeyError('key-type', role, `${spec.label} is a JWK of kty "${jwk.kty.slice(0, 10)}", not an RSA key`);
  }
  requireHalf(typeof jwk.d === 'string' ? 'private' : 'public', role);
  if (jwk.alg !== undefined && jwk.alg !== spec.alg) {
    throw new KeyError(
      'key-algorithm',
      role,
      `${spec.label} is a JWK declared for alg "${String(jwk.alg).slice(0, 20)}" but is used with ${spec.alg}: is it the other pair's key?`,
    );
  }
  const use = spec.usage === 'sign' || spec.usage === 'verify' ? 'sig' : 'enc';
  if ((jwk.use !== undefined && jwk.use !== use) || (Array.isArray(jwk.key_ops) && !jwk.key_ops.includes(spec.usage))) {
    throw new KeyError(
      'key-algorithm',
      role,
      `${spec.label} is a JWK whose "use"/"key_ops" forbid ${spec.usage}: is it the other pair's key?`,
    );
  }
  // Only the key material goes to WebCrypto: its metadata has been checked above.
  const { kty, n, e, d, p, q, dp, dq, qi } = jwk;
  let key: CryptoKey | Uint8Array;
  try {
    key = await importJWK({ kty, n, e, d, p, q, dp, dq, qi }, spec.alg);
  } catch (cause) {
    throw new KeyError('key-format', role, `${spec.label} is not a valid RSA JWK`, { cause });
  }
  if (!isCryptoKey(key)) throw new KeyError('key-format', role, `${spec.label} is not a valid RSA JWK`);
  if (key.type === 'private' && typeof n === 'string' && typeof e === 'string')
    publicHalves.set(key, { kty: 'RSA', n, e });
  return checkCryptoKey(key, role);
}

function requireHalf(given: 'private' | 'public', role: KeyRole): void {
  const spec = ROLES[role];
  if (given === spec.type) return;
  if (given === 'public') {
    throw new KeyError(
      'public-key-given',
      role,
      `${spec.label} must be a private key, but a public key was given: pass the private half of the pair ("BEGIN PRIVATE KEY")`,
    );
  }
  throw new KeyError(
    'private-key-given',
    role,
    `${spec.label} must be a public key, but a private key was given: pass the public half ("BEGIN PUBLIC KEY" or bare base64 SPKI); private keys stay with their owner`,
  );
}

function checkCryptoKey(key: CryptoKey, role: KeyRole): CryptoKey {
  const spec = ROLES[role];
  if (key.type === 'secret')
    throw new KeyError('key-type', role, `${spec.label} is a secret (symmetric) key, not an RSA key`);
  requireHalf(key.type, role);
  const algorithm = key.algorithm as Partial<RsaHashedKeyAlgorithm>;
  if (!['RSASSA-PKCS1-v1_5', 'RSA-PSS', 'RSA-OAEP'].includes(algorithm.name ?? '')) {
    throw new KeyError('key-type', role, `${spec.label} is a ${String(algorithm.name)} CryptoKey, not an RSA key`);
  }
  if (algorithm.name !== spec.webCryptoName || algorithm.hash?.name !== 'SHA-256' || !key.usages.includes(spec.usage)) {
    throw new KeyError(
      'key-algorithm',
      role,
      `${spec.label} is a CryptoKey for ${String(algorithm.name)}/${String(algorithm.hash?.name)} with usages [${key.usages.join(', ')}]; ` +
        `it must be imported as { name: '${spec.webCryptoName}', hash: 'SHA-256' } with usage "${spec.usage}" (or pass the PEM instead)`,
    );
  }
  if (typeof algorithm.modulusLength !== 'number' || algorithm.modulusLength < MIN_RSA_BITS) {
    throw new KeyError(
      'key-too-small',
      role,
      `${spec.label} has a ${String(algorithm.modulusLength)}-bit modulus; RSA keys must have at least ${MIN_RSA_BITS} bits`,
    );
  }
  return key;
}
