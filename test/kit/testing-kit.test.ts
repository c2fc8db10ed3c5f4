// The testing kit on your own page and token route: the paths generated from the activation
// machine played against the fake iAdvize, a scenario of your own checked against the six
// invariants, and the invariant checker on a page wired by hand. (docs/testing.md quotes this file.)
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { createActivation, fetchTokenFrom, type ActivationOptions, type FetchToken } from 'iadvize-activation';
import { createTokenHandler, createTokenIssuer, generateDevKeys, type DevKeys } from 'iadvize-activation/server';
import {
  assertInvariants,
  checkInvariants,
  createActivationTestPaths,
  createFakeIAdvize,
  createFakeWorld,
  recordActivation,
  userIdFor,
} from 'iadvize-activation/testing';

const policy = { onTokenFailure: 'stay-inactive', whenSignedOut: 'inactive' } as const;
const origin = 'https://shop.example';

let keys: DevKeys;
beforeAll(async () => {
  keys = await generateDevKeys();
});

/** Your token route, called in process as your page calls it; its issuer tells time by `clock`. */
async function yourTokenRoute(clock: { now: () => number }): Promise<FetchToken> {
  const handler = createTokenHandler({
    issuer: await createTokenIssuer({ privateKey: keys.customer.privateKeyPem, iadvizePublicKey: keys.iadvize.publicKeyPem, issuer: origin, now: clock.now }),
    // Your session lookup; in this test the page says who is signed in with a header.
    identify: (request) => request.headers.get('x-test-user'),
    allowedOrigins: [origin],
  });
  return (request) =>
    fetchTokenFrom(`${origin}/api/iadvize-token`, {
      // The userId the kit expects iAdvize to see for each visitor it signs in.
      headers: { origin, 'x-test-user': userIdFor(request.identity) },
      fetch: (url, init) => handler(new Request(url, init)),
    })(request);
}

/** Your page: it creates the controller with its own choices; the kit hands in the tag, the token route and the clock. */
function yourPage(given: ActivationOptions) {
  return createActivation({ ...given, policy });
}

describe('generated paths, played against our page and token route', () => {
  const { paths, worldOptions } = createActivationTestPaths({ policy });

  it.each(paths.map((path) => [path.name, path] as const))('%s', async (_, path) => {
    const world = await createFakeWorld({ keys, ...worldOptions, tokenSource: yourTokenRoute, mount: yourPage });
    try {
      await path.run(world);
    } finally {
      await world.dispose();
    }
  });
});

it('a double click, an account switch, a session re-verification and a sign-out keep the nine invariants', async () => {
  const world = await createFakeWorld({ keys, policy, tokenSource: yourTokenRoute, mount: yourPage });
  try {
    const page = world.activation;
    page.signIn('alice');
    page.signIn('alice');
    await world.settle();
    expect(world.fake.state).toMatchObject({ status: 'secured', userId: 'alice' });

    page.signIn('bob');
    await world.settle();
    expect(world.fake.state).toMatchObject({ status: 'secured', userId: 'bob' });

    // iAdvize re-verifies the visitor after the token's reuse time: a fresh token is fetched.
    await world.advance(31_000);
    await world.fake.expireSession();
    await world.settle();
    expect(world.fake.calls.of('session-reverification')).toEqual([expect.objectContaining({ ok: true })]);

    page.signOut();
    await world.settle();
    expect(world.fake.state.status).toBe('inactive');
    expect(page.getSnapshot()).toMatchObject({ status: 'inactive', signedIn: false });
    assertInvariants(world.trace, { policy });
  } finally {
    await world.dispose();
  }
});

it('the invariant checker on a page wired by hand, in real time', async () => {
  const fake = await createFakeIAdvize({ customerPublicKey: keys.customer.publicKeyPem, iadvizePrivateKey: keys.iadvize.privateKeyPem });
  const recorder = recordActivation({ calls: fake.calls, tagState: fake });
  const page = recorder.attach(
    createActivation({ tag: recorder.tag(fake.tag), fetchToken: recorder.fetchToken(await yourTokenRoute({ now: Date.now })), policy }).start(),
  );
  try {
    page.signIn('alice');
    await vi.waitFor(() => expect(page.getSnapshot().status).toBe('active'));
    page.signOut();
    await vi.waitFor(() => expect(page.getSnapshot().status).toBe('inactive'));
    expect(checkInvariants(recorder.trace, { policy })).toEqual([]);
  } finally {
    page.stop();
    recorder.dispose();
    fake.dispose();
  }
});
