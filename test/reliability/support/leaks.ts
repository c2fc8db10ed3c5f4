// The leak scanner: every secret a test creates (issued tokens, private keys, session cookies)
// is registered here, and any output (inspector, snapshots, errors, console, bundles) is
// scanned for the secret itself or a fragment long enough to matter.
import { createPrivateKey } from 'node:crypto';
import { inspect } from 'node:util';

/** Shorter fragments could match by chance; a 16-character base64url run is 96 bits. */
const MIN_FRAGMENT = 16;

/** Private key text of any key, not only the ones registered: what must never ship or be logged. */
const PRIVATE_KEY_TEXT: ReadonlyArray<{ readonly name: string; readonly pattern: RegExp }> = [
  { name: 'a PEM private key', pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/ },
  // DER of an RSA PKCS#8 key (version 0, rsaEncryption, the key octets), in base64.
  { name: 'a bare base64 PKCS#8 RSA key', pattern: /MIIE[A-Za-z0-9+/]{2}IBADANBgkqhkiG9w0BAQEFAASC/ },
  { name: 'a long base64 DER run', pattern: /MII[A-Za-z0-9+/]{200,}/ },
  { name: 'a JWK private member', pattern: /"(d|p|q|dp|dq|qi)"\s*:\s*"[A-Za-z0-9_-]{20,}/ },
];

/** The kinds of private key text found in `text`. */
export function privateKeyTextIn(text: string): string[] {
  return PRIVATE_KEY_TEXT.filter(({ pattern }) => pattern.test(text)).map(({ name }) => name);
}

export interface Secrets {
  /** An issued token: the whole of it and each of its encrypted parts. */
  addToken(token: string): void;
  /** A private key as PKCS#8 PEM: each body line, the whole body and its JWK private members. */
  addPrivateKey(label: string, pem: string): void;
  /** A session cookie value. */
  addCookie(value: string): void;
  readonly tokenCount: number;
  /** What was found in `text`, as readable labels (never the secret itself). */
  findIn(text: string): string[];
  /** Same for any value: strings, errors (message, stack, cause) and objects, deeply. */
  findInValue(value: unknown): string[];
}

export function createSecrets(): Secrets {
  const fragments = new Map<string, string>();
  let tokenCount = 0;
  const add = (fragment: string, label: string) => {
    if (fragment.length >= MIN_FRAGMENT && !fragments.has(fragment)) fragments.set(fragment, label);
  };

  const secrets: Secrets = {
    addToken(token) {
      tokenCount += 1;
      add(token, `token #${tokenCount}`);
      // Part 0 is the protected header, the same for every token and not secret.
      token
        .split('.')
        .slice(1)
        .forEach((part, index) => add(part, `token #${tokenCount} part ${index + 1}`));
    },
    addPrivateKey(label, pem) {
      const lines = pem.split('\n').filter((line) => line !== '' && !line.startsWith('-----'));
      add(lines.join(''), `${label} (PEM body)`);
      // The first line is mostly the constant ASN.1 prefix of every PKCS#8 RSA key; the rest is the key.
      lines.slice(1).forEach((line, index) => add(line, `${label} (PEM line ${index + 2})`));
      const jwk = createPrivateKey(pem).export({ format: 'jwk' });
      for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi'] as const) {
        const value = jwk[member];
        if (typeof value === 'string') add(value, `${label} (JWK ${member})`);
      }
    },
    addCookie(value) {
      add(value, 'a session cookie');
    },
    get tokenCount() {
      return tokenCount;
    },
    findIn(text) {
      const found = new Set<string>();
      for (const [fragment, label] of fragments) if (text.includes(fragment)) found.add(label);
      for (const name of privateKeyTextIn(text)) found.add(name);
      return [...found];
    },
    findInValue(value) {
      return secrets.findIn(textOf(value));
    },
  };
  return secrets;
}

/** Everything readable in a value, errors included (their stack and cause are not enumerable). */
export function textOf(value: unknown): string {
  return `${walk(value, new WeakSet())}\n${inspect(value, { depth: 12, breakLength: Infinity, maxStringLength: null, maxArrayLength: null })}`;
}

function walk(value: unknown, seen: WeakSet<object>): string {
  if (typeof value === 'string') return value;
  if (value === null || typeof value !== 'object') return String(value);
  if (seen.has(value)) return '';
  seen.add(value);
  const parts: string[] = [];
  if (value instanceof Error) parts.push(value.name, value.message, value.stack ?? '', walk(value.cause, seen));
  for (const [key, item] of Object.entries(value)) parts.push(key, walk(item, seen));
  return parts.join('\n');
}
