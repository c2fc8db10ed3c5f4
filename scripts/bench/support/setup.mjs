// What the bench modules share: fresh dev keys with an issuer, a pool of tokens issued up front
// (so a module that measures orchestration does not measure issuance), and a fake iAdvize.
import { createTokenIssuer, generateDevKeys } from '../../../dist/server.js';
import { createFakeIAdvize } from '../../../dist/testing.js';

export const BENCH_ISSUER = 'https://bench.example';

/** New keys and an issuer over them; `ttlSeconds` long enough to outlive pooled tokens. */
export async function benchIssuer({ ttlSeconds, issuer = BENCH_ISSUER } = {}) {
  const keys = await generateDevKeys();
  const tokenIssuer = await createTokenIssuer({
    privateKey: keys.customer.privateKeyPem,
    iadvizePublicKey: keys.iadvize.publicKeyPem,
    issuer,
    ...(ttlSeconds === undefined ? {} : { ttlSeconds }),
  });
  return { keys, issuer: tokenIssuer };
}

/** `size` tokens for `userId`, handed out round-robin by the returned function. */
export async function tokenPool(issuer, userId, size) {
  const tokens = await Promise.all(Array.from({ length: size }, () => issuer.issue({ userId })));
  let next = 0;
  return () => tokens[next++ % tokens.length];
}

/** A fake iAdvize that accepts tokens made with `keys`. */
export function fakeIAdvizeFor(keys) {
  return createFakeIAdvize({
    customerPublicKey: keys.customer.publicKeyPem,
    iadvizePrivateKey: keys.iadvize.privateKeyPem,
  });
}
