// Tokens issued per second on one core (sequential awaits) by the built issuer, beside the raw
// limit measured in the same run: Node's synchronous RSA-2048 sign. A token costs at least one
// RSA signature, so the ratio says how much the rest (JOSE, encryption, async hops) adds.
import { createPrivateKey, sign } from 'node:crypto';
import { CompactEncrypt, CompactSign, importSPKI } from 'jose';
import { createTokenIssuer, generateDevKeys } from '../../dist/server.js';

const ROUNDS = 4;
const ROUND_MS = 500;
const WARM_UP_MS = 300;

/** Operations per second of `operation`, awaited one at a time for about `durationMs`. */
async function rate(operation, durationMs) {
  let count = 0;
  const start = performance.now();
  while (performance.now() - start < durationMs) {
    await operation();
    count++;
  }
  return { count, ms: performance.now() - start };
}

/** Interleaves the measured operations so drift (thermal, other load) hits them alike. */
async function compare(operations) {
  for (const operation of Object.values(operations)) await rate(operation, WARM_UP_MS);
  const totals = Object.fromEntries(Object.keys(operations).map((name) => [name, { count: 0, ms: 0 }]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, operation] of Object.entries(operations)) {
      const { count, ms } = await rate(operation, ROUND_MS);
      totals[name].count += count;
      totals[name].ms += ms;
    }
  }
  return Object.fromEntries(Object.entries(totals).map(([name, { count, ms }]) => [name, (count * 1000) / ms]));
}

export async function run() {
  const keys = await generateDevKeys();
  const issuer = await createTokenIssuer({
    privateKey: keys.customer.privateKeyPem,
    iadvizePublicKey: keys.iadvize.publicKeyPem,
    issuer: 'https://bench.example',
  });
  const identity = { userId: 'user-42', visitorData: { firstName: 'Jane', email: 'jane@example.com' } };
  const sample = await issuer.issue(identity);
  // The raw limit signs as much data as the issuer's JWS signing input.
  const data = Buffer.alloc(Math.ceil((sample.length * 3) / 4), 'x');
  const privateKey = createPrivateKey(keys.customer.privateKeyPem);
  // WebCrypto's own RSA sign (what jose calls).
  const webCryptoKey = await crypto.subtle.importKey(
    'pkcs8',
    privateKey.export({ type: 'pkcs8', format: 'der' }),
    { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
    false,
    ['sign'],
  );

  const encryptionKey = await importSPKI(keys.iadvize.publicKeyPem, 'RSA-OAEP-256');
  const jws = new TextEncoder().encode(`${'a'.repeat(36)}.${'b'.repeat(data.length - 37)}.${'c'.repeat(342)}`);

  // The parts of a token on their own, to show where the time beyond one RSA sign goes.
  const rates = await compare({
    tokens: () => issuer.issue(identity),
    rawSign: () => sign('sha256', data, privateKey),
    webCryptoSign: () => crypto.subtle.sign('RSASSA-PKCS1-v1_5', webCryptoKey, data),
    joseJws: () => new CompactSign(data).setProtectedHeader({ alg: 'RS256' }).sign(webCryptoKey),
    joseJwe: () => new CompactEncrypt(jws).setProtectedHeader({ alg: 'RSA-OAEP-256', enc: 'A256GCM', cty: 'JWT' }).encrypt(encryptionKey),
  });
  const micros = (perSecond) => Math.round(1e6 / perSecond);
  return {
    name: 'token issuance',
    value: Math.round(rates.tokens),
    unit: 'tokens/s',
    anchor: 'node:crypto RSA-2048 sign(sha256)/s',
    anchorValue: Math.round(rates.rawSign),
    ratio: Number((rates.tokens / rates.rawSign).toFixed(3)),
    goal: '>= 0.90',
    details: {
      microsPerToken: micros(rates.tokens),
      microsPerRawSign: micros(rates.rawSign),
      microsPerWebCryptoSign: micros(rates.webCryptoSign),
      microsPerJoseJws: micros(rates.joseJws),
      microsPerJoseJwe: micros(rates.joseJwe),
    },
  };
}
