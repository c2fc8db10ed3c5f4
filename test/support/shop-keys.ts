// A site and the fake iAdvize that trust each other: fresh dev keys, the site's token issuer over
// them, and the fake iAdvize server holding the other halves.
// Through the public entries, as a site's own tests would.
import { createTokenIssuer, generateDevKeys, type DevKeys, type TokenIssuer } from '../../src/server/index.js';
import { createFakeIAdvizeServer, type FakeIAdvizeServer } from '../../src/testing/index.js';

export interface ShopWithFakeIAdvize {
  readonly keys: DevKeys;
  readonly issuer: TokenIssuer;
  readonly fakeServer: FakeIAdvizeServer;
}

export async function shopWithFakeIAdvize(issuerUrl = 'https://shop.example'): Promise<ShopWithFakeIAdvize> {
  const keys = await generateDevKeys();
  const [issuer, fakeServer] = await Promise.all([
    createTokenIssuer({
      privateKey: keys.customer.privateKeyPem,
      iadvizePublicKey: keys.iadvize.publicKeyPem,
      issuer: issuerUrl,
    }),
    createFakeIAdvizeServer({
      customerPublicKey: keys.customer.publicKeyPem,
      iadvizePrivateKey: keys.iadvize.privateKeyPem,
    }),
  ]);
  return { keys, issuer, fakeServer };
}
