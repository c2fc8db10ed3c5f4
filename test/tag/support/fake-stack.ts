// What the tag suites share: two key sets (the registered one and a stranger's), an issuer over
// the first, and fake iAdvizes that are disposed after each test. Vitest gives each test file its
// own module instance, so these live bindings belong to the importing file.
import { afterEach, beforeAll, vi } from 'vitest';
import { createTokenIssuer, type TokenIssuer } from '../../../src/token/issue.js';
import {
  createFakeIAdvize,
  type CreateFakeIAdvizeOptions,
  type FakeIAdvize,
} from '../../../src/fake/create-fake-iadvize.js';
import { generateDevKeys, type DevKeys } from '../../../src/token/dev-keys.js';

export let keys: DevKeys;
export let other: DevKeys;
export let issuer: TokenIssuer;
const alive: FakeIAdvize[] = [];

/** Call once at the top of a file. */
export function useFakeStack(): void {
  beforeAll(async () => {
    [keys, other] = await Promise.all([generateDevKeys(), generateDevKeys()]);
    issuer = await createTokenIssuer({
      privateKey: keys.customer.privateKeyPem,
      iadvizePublicKey: keys.iadvize.publicKeyPem,
      issuer: 'https://shop.example',
    });
  });
  afterEach(() => {
    for (const fake of alive.splice(0)) fake.dispose();
    vi.useRealTimers();
  });
}

/** A fake iAdvize holding the registered keys, disposed after the test. */
export async function fakeIAdvize(options: Partial<CreateFakeIAdvizeOptions> = {}): Promise<FakeIAdvize> {
  const fake = await createFakeIAdvize({
    customerPublicKey: keys.customer.publicKeyPem,
    iadvizePrivateKey: keys.iadvize.privateKeyPem,
    sessionLifetimeMs: 60 * 60_000,
    ...options,
  });
  alive.push(fake);
  return fake;
}
