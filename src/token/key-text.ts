// Reads a key given as text: PEM, bare base64 DER (the form iAdvize publishes its public key
// in) or a JSON JWK. It only recognises the container; jose imports the key itself.
import { KeyError, type KeyRole } from './errors.js';
import { ROLES } from './key-roles.js';

export type KeyText =
  | { readonly form: 'jwk'; readonly jwk: JsonWebKey }
  | { readonly form: 'spki' | 'pkcs8' | 'x509'; readonly pem: string };

/** DER of the rsaEncryption OID (1.2.840.113549.1.1.1), found early in RSA SPKI and PKCS#8. */
const RSA_OID = [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export function parseKeyText(text: string, role: KeyRole): KeyText {
  // Environment variables often carry PEM newlines as the two characters "\n".
  const trimmed = text.replace(/\\n/g, '\n').trim();
  const label = ROLES[role].label;
  if (trimmed === '') throw new KeyError('key-missing', role, `${label} is an empty string`);
  if (trimmed.startsWith('{')) return { form: 'jwk', jwk: parseJwk(trimmed, role) };
  if (trimmed.startsWith('-----BEGIN ')) return parsePem(trimmed, role);
  const base64 = trimmed.replace(/\s+/g, '');
  if (BASE64.test(base64)) return parseBareBase64(base64, role);
  throw new KeyError(
    'key-format',
    role,
    `${label} is not a key: expected PEM ("-----BEGIN ... KEY-----"), bare base64 (SPKI or PKCS#8 DER) or a JSON JWK`,
  );
}

function parseJwk(text: string, role: KeyRole): JsonWebKey {
  try {
    const jwk: unknown = JSON.parse(text);
    if (typeof jwk === 'object' && jwk !== null && !Array.isArray(jwk)) return jwk as JsonWebKey;
  } catch {
    // Reported below without the parser's message, which can quote the text.
  }
  throw new KeyError('key-format', role, `${ROLES[role].label} starts with "{" but is not a JSON object (JWK)`);
}

function parsePem(text: string, role: KeyRole): KeyText {
  const label = ROLES[role].label;
  const block = PEM_BLOCK.exec(text);
  if (!block) throw new KeyError('key-format', role, `${label} has a PEM "BEGIN" line without its matching "END" line`);
  const [, type, body = ''] = block;
  const base64 = body.replace(/\s+/g, '');
  switch (type) {
    case 'PUBLIC KEY':
    case 'PRIVATE KEY':
      requireRsa(decodeDer(base64, role), role);
      return { form: type === 'PUBLIC KEY' ? 'spki' : 'pkcs8', pem: armour(type, base64) };
    case 'CERTIFICATE':
      // The certificate's own signature algorithm precedes its key: jose's import reports the type.
      return { form: 'x509', pem: armour(type, base64) };
    case 'RSA PRIVATE KEY':
      throw new KeyError(
        'key-format',
        role,
        `${label} is a PKCS#1 "RSA PRIVATE KEY": convert it to PKCS#8 with \`openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem\``,
      );
    case 'RSA PUBLIC KEY':
      throw new KeyError(
        'key-format',
        role,
        `${label} is a PKCS#1 "RSA PUBLIC KEY": convert it to SPKI with \`openssl rsa -RSAPublicKey_in -in key.pem -pubout -out key-spki.pem\``,
      );
    case 'ENCRYPTED PRIVATE KEY':
      throw new KeyError(
        'key-format',
        role,
        `${label} is an encrypted PKCS#8 key: decrypt it first with \`openssl pkcs8 -in key.pem -out key-plain.pem\` and keep the result server-side`,
      );
    default:
      throw new KeyError(
        'key-format',
        role,
        `${label} is a PEM "${(type ?? '').slice(0, 30)}", not a PUBLIC KEY, PRIVATE KEY or CERTIFICATE`,
      );
  }
}

/** Bare DER: SPKI is SEQUENCE { SEQUENCE algorithm, ... }, PKCS#8 is SEQUENCE { INTEGER version, ... }. */
function parseBareBase64(base64: string, role: KeyRole): KeyText {
  const label = ROLES[role].label;
  const der = decodeDer(base64, role);
  const innerTag = der[0] === 0x30 && der[1] !== undefined ? der[der[1] < 0x80 ? 2 : 2 + (der[1] & 0x7f)] : undefined;
  const form = innerTag === 0x30 ? 'spki' : innerTag === 0x02 ? 'pkcs8' : undefined;
  if (!form)
    throw new KeyError(
      'key-format',
      role,
      `${label} is base64 but neither an SPKI public key nor a PKCS#8 private key`,
    );
  requireRsa(der, role);
  return { form, pem: armour(form === 'spki' ? 'PUBLIC KEY' : 'PRIVATE KEY', base64) };
}

function armour(pemType: string, base64: string): string {
  return `-----BEGIN ${pemType}-----\n${base64}\n-----END ${pemType}-----`;
}

function decodeDer(base64: string, role: KeyRole): Uint8Array {
  try {
    return Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
  } catch {
    throw new KeyError('key-format', role, `${ROLES[role].label} is not valid base64 DER`);
  }
}

/**
 * WebCrypto would only say "invalid key data" for a truncated key or an EC key: name the real
 * problem. The outer DER SEQUENCE must span the whole input, and hold the rsaEncryption OID.
 */
function requireRsa(der: Uint8Array, role: KeyRole): void {
  const lengthByte = der[1] ?? 0;
  const lengthBytes = lengthByte < 0x80 ? 0 : lengthByte & 0x7f;
  let length = lengthByte < 0x80 ? lengthByte : 0;
  for (let i = 0; i < lengthBytes; i++) length = length * 256 + (der[2 + i] ?? 0);
  if (der[0] !== 0x30 || 2 + lengthBytes + length !== der.length) {
    throw new KeyError(
      'key-format',
      role,
      `${ROLES[role].label} is truncated or corrupted: copy the whole key, from its BEGIN line to its END line`,
    );
  }
  const head = der.subarray(0, 32);
  for (let start = 0; start + RSA_OID.length <= head.length; start++) {
    if (RSA_OID.every((byte, i) => head[start + i] === byte)) return;
  }
  throw new KeyError(
    'key-type',
    role,
    `${ROLES[role].label} is not an RSA key: iAdvize tokens use RSA keys of 2048 bits or more`,
  );
}
