// The issuer both token-handler suites serve: fresh dev keys, the site as `iss`, a fixed clock.
import { beforeAll } from 'vitest';
import { createTokenIssuer, type TokenIssuer } from '../../../src/token/issue.js';
import { generateDevKeys, type DevKeys } from '../../../src/token/dev-keys.js';

export const NOW_MS = Date.parse('2026-01-15T12:00:00Z');
export const SITE = 'https://www.example.com';

export interface SiteIssuer {
  readonly keys: DevKeys;
  readonly issuer: TokenIssuer;
}

/** Registers a beforeAll that builds the keys and issuer; read them from the returned object in tests. */
export function useSiteIssuer(): SiteIssuer {
  const fixture = {} as { keys: DevKeys; issuer: TokenIssuer };
  beforeAll(async () => {
    fixture.keys = await generateDevKeys();
    fixture.issuer = await createTokenIssuer({
      privateKey: fixture.keys.customer.privateKeyPem,
      iadvizePublicKey: fixture.keys.iadvize.publicKeyPem,
      issuer: SITE,
      now: () => NOW_MS,
    });
  });
  return fixture;
}
