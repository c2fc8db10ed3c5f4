// The four keys of the nested token, what each one does, and the JOSE algorithm it is
// imported for: RS256 for the customer pair (inner JWS), RSA-OAEP-256 for iAdvize's (JWE).
import type { KeyRole } from './errors.js';

export interface RoleSpec {
  /** JOSE algorithm the key is imported for. */
  readonly alg: 'RS256' | 'RSA-OAEP-256';
  /** The WebCrypto algorithm name a CryptoKey for this role must carry. */
  readonly webCryptoName: 'RSASSA-PKCS1-v1_5' | 'RSA-OAEP';
  readonly type: 'private' | 'public';
  /** The operation the key performs, as WebCrypto names its usage. */
  readonly usage: 'sign' | 'verify' | 'encrypt' | 'decrypt';
  /** How messages name the key, e.g. "the customer private key (signs the inner JWS)". */
  readonly label: string;
}

export const ROLES: { readonly [R in KeyRole]: RoleSpec } = {
  'customer-private': {
    alg: 'RS256',
    webCryptoName: 'RSASSA-PKCS1-v1_5',
    type: 'private',
    usage: 'sign',
    label: 'the customer private key (signs the inner JWS)',
  },
  'customer-public': {
    alg: 'RS256',
    webCryptoName: 'RSASSA-PKCS1-v1_5',
    type: 'public',
    usage: 'verify',
    label: 'the customer public key (verifies the inner JWS; iAdvize holds it)',
  },
  'iadvize-public': {
    alg: 'RSA-OAEP-256',
    webCryptoName: 'RSA-OAEP',
    type: 'public',
    usage: 'encrypt',
    label: "iAdvize's public key (encrypts the JWE)",
  },
  'iadvize-private': {
    alg: 'RSA-OAEP-256',
    webCryptoName: 'RSA-OAEP',
    type: 'private',
    usage: 'decrypt',
    label: "iAdvize's private key (decrypts the JWE)",
  },
};

/** The smallest RSA modulus accepted, in bits (token-format.md: 2048 or more). */
export const MIN_RSA_BITS = 2048;
