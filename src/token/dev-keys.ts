// Development key pairs: the customer's (signs tokens) and a local stand-in for iAdvize's
// (encrypts tokens; the fake iAdvize holds its private half). Never for production use.
import { exportPKCS8, exportSPKI, generateKeyPair } from 'jose';

export interface PemKeyPair {
  /** PKCS#8 PEM. Server-side only: never ship it to a browser. */
  readonly privateKeyPem: string;
  /** SPKI PEM. */
  readonly publicKeyPem: string;
}

export interface DevKeys {
  /** The site's pair: the private key signs the inner JWS; iAdvize holds the public key. */
  readonly customer: PemKeyPair;
  /** The local "iAdvize" pair: the public key encrypts the JWE; the fake iAdvize decrypts. */
  readonly iadvize: PemKeyPair;
}

export async function generateRsaKeyPair(modulusLength = 2048): Promise<PemKeyPair> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { modulusLength, extractable: true });
  return { privateKeyPem: await exportPKCS8(privateKey), publicKeyPem: await exportSPKI(publicKey) };
}

export async function generateDevKeys(): Promise<DevKeys> {
  const [customer, iadvize] = await Promise.all([generateRsaKeyPair(), generateRsaKeyPair()]);
  return { customer, iadvize };
}

/** The bare base64 SPKI form iAdvize publishes its public key in (PEM without armour). */
export function bareSpki(publicKeyPem: string): string {
  return publicKeyPem.replace(/-----(BEGIN|END) PUBLIC KEY-----/g, '').replace(/\s+/g, '');
}
