// Tokens issued per second by the built issuer, beside the raw limit measured in the same run:
// Node's synchronous RSA-2048 sign. A token costs at least one RSA signature, so the ratio says
// how much the rest (JOSE, the RSA-OAEP encryption, async hops) adds.
//
// The headline is one-core throughput with a few issuances in flight, which is how a server
// issues tokens under load: jose uses WebCrypto, whose every step is handed to libuv's thread
// pool and back, so one issuance awaited at a time mostly waits on hand-offs. scripts/bench.mjs
// pins the process to one core when it can, so the pool threads share that core and the figure
// is per core. The sequential latencies stay in the details.
import { createPrivateKey, sign } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { CompactEncrypt, CompactSign, importSPKI } from 'jose';
import { compareThroughput, micros, round } from './support/measure.mjs';
import { benchIssuer } from './support/setup.mjs';

/** Issuances in flight for the headline figure. */
const IN_FLIGHT = 4;

export async function run() {
  const { keys, issuer } = await benchIssuer();
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

  const tokens = () => issuer.issue(identity);
  // Awaited like the tokens, so both go through the same harness; the sign itself is synchronous.
  const rawSign = async () => sign('sha256', data, privateKey);

  const inFlight = await compareThroughput({ tokens, rawSign }, { concurrency: IN_FLIGHT });
  // One at a time, with the parts of a token on their own, to show where the time goes.
  const sequential = await compareThroughput({
    tokens,
    rawSign,
    webCryptoSign: () => crypto.subtle.sign('RSASSA-PKCS1-v1_5', webCryptoKey, data),
    joseJws: () => new CompactSign(data).setProtectedHeader({ alg: 'RS256' }).sign(webCryptoKey),
    joseJwe: () =>
      new CompactEncrypt(jws)
        .setProtectedHeader({ alg: 'RSA-OAEP-256', enc: 'A256GCM', cty: 'JWT' })
        .encrypt(encryptionKey),
  });

  const ratio = round(inFlight.tokens / inFlight.rawSign);
  return {
    name: `token issuance (${IN_FLIGHT} in flight)`,
    value: Math.round(inFlight.tokens),
    unit: 'tokens/s',
    anchor: 'node:crypto RSA-2048 sign(sha256)/s',
    anchorValue: Math.round(inFlight.rawSign),
    ratio,
    goal: '>= 0.90',
    met: ratio >= 0.9,
    details: {
      cpus: availableParallelism(),
      sequentialRatio: round(sequential.tokens / sequential.rawSign),
      sequentialMicrosPerToken: micros(sequential.tokens),
      sequentialMicrosPerRawSign: micros(sequential.rawSign),
      sequentialMicrosPerWebCryptoSign: micros(sequential.webCryptoSign),
      sequentialMicrosPerJoseJws: micros(sequential.joseJws),
      sequentialMicrosPerJoseJwe: micros(sequential.joseJwe),
    },
  };
}
