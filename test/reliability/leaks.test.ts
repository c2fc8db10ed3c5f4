// No token, private key or session cookie in anything the library outputs: the inspector's
// timeline (entries, format, toJSON), the public snapshots and events, failure reasons, thrown
// messages, the handler's error hook, the fake's call log, the console (suite guard), and no
// private key text in any built bundle. Every token issued in this file is scanned for.
import { createPrivateKey } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SimulatedClock } from 'xstate';
import { describe, expect, it } from 'vitest';
import { ACTIVATION_EVENT_NAMES, createActivation } from '../../src/activation/create-activation.js';
import { fetchTokenFrom } from '../../src/activation/fetch-token.js';
import type { ActivationState } from '../../src/activation/view.js';
import { createInspector } from '../../src/inspect/inspector.js';
import { createTokenHandler } from '../../src/server/handler.js';
import { createTokenIssuer } from '../../src/token/issue.js';
import { importKey } from '../../src/token/keys.js';
import { verifyToken } from '../../src/token/verify.js';
import { privateKeyTextIn, textOf } from './support/leaks.js';
import { browserOn } from './support/loopback.js';
import { eventually, fakeIAdvize, settles, SITE_ISSUER, startActivation } from './support/stack.js';
import { secrets } from './support/suite.js';
import { parts, site, useLoopbackSite } from './support/site-fixture.js';

const guard = useLoopbackSite();

describe('no secret in outputs', () => {
  it('a whole life (sign-in, refresh, account switch, a tag quoting the token, a 401, sign-out): inspector, snapshots and events hold no token, key or cookie', async () => {
    const clock = new SimulatedClock();
    const inspector = createInspector({ now: () => clock.now(), record: ['transition', 'actor', 'emitted', 'event'] });
    const fake = await fakeIAdvize(parts);
    const browser = browserOn(site);
    const activation = startActivation({
      tag: fake.tag,
      fetchToken: fetchTokenFrom(site.tokenUrl, { fetch: browser.fetch }),
      clock,
      tokenTtlMs: 30_000,
      inspect: inspector.inspect,
    });
    const views: ActivationState[] = [];
    const events: unknown[] = [];
    activation.subscribe((view) => void views.push(view));
    for (const name of ACTIVATION_EVENT_NAMES) activation.on(name, (event) => void events.push(event));

    browser.cookie = site.openSession('visitor-a');
    const handedOver: unknown[] = [];
    activation.actor.on('token.provided', (event) => void handedOver.push(event));
    activation.signIn('visitor-a');
    await settles(activation, 'active');
    // The scan can find what it looks for: the machine's internal hand-over to the tag carries the token.
    expect(secrets.findInValue(handedOver).length).toBeGreaterThan(0);

    clock.increment(30_000);
    await fake.expireSession();
    expect(events).toContainEqual({ type: 'token.refreshed' });

    browser.cookie = site.openSession('visitor-b');
    activation.signIn('visitor-b');
    await eventually(() => expect(fake.state).toMatchObject({ status: 'secured', userId: 'visitor-b' }));
    activation.signOut();
    await settles(activation, 'inactive');

    const activate = fake.iAdvize.activate;
    fake.iAdvize.activate = async (provider) => {
      const answer = await provider();
      throw new Error(`rejected ${answer.authenticationOption.token}`);
    };
    activation.signIn('visitor-b');
    expect((await settles(activation, 'failed')).failure).toMatchObject({ code: 'tag-error' });
    fake.iAdvize.activate = activate;

    browser.cookie = undefined;
    activation.signIn('visitor-b');
    await eventually(() => expect(activation.getSnapshot().failure?.code).toBe('token-unavailable'));
    activation.signOut();
    await settles(activation, 'inactive');

    expect(secrets.tokenCount).toBeGreaterThanOrEqual(4);
    const outputs = {
      'inspector entries': inspector.entries(),
      'inspector format': inspector.format(),
      'inspector toJSON': JSON.stringify(inspector.toJSON()),
      'public snapshots': views,
      'public events': events,
      'fake call log': fake.calls.entries,
    };
    for (const [name, output] of Object.entries(outputs)) expect(secrets.findInValue(output), name).toEqual([]);
    expect(inspector.entries().length).toBeGreaterThan(20);
  });

  it('failure reasons from every token endpoint fault and every vendor rejection hold no token, key or cookie', async () => {
    const reasons: unknown[] = [];
    const browser = browserOn(site);
    browser.cookie = site.openSession('visitor-1');
    for (const path of [
      '/fault/status-500',
      '/fault/html',
      '/fault/empty',
      '/fault/no-token',
      '/fault/abort',
      '/api/iadvize-token',
    ]) {
      const fake = await fakeIAdvize(parts, { faults: { rotatedCustomerKey: parts.other.customer.publicKeyPem } });
      const activation = startActivation({
        tag: fake.tag,
        fetchToken: fetchTokenFrom(site.url(path), { fetch: browser.fetch }),
      });
      activation.signIn('visitor-1');
      const state = await settles(activation, 'failed');
      reasons.push(state.failure, fake.calls.entries);
      activation.stop();
    }
    expect(reasons.filter((reason) => (reason as { code?: string }).code !== undefined)).toHaveLength(6);
    expect(secrets.findInValue(reasons)).toEqual([]);
  });

  it('thrown messages (key misuse, a token or key misplaced in an option) hold no token or key', async () => {
    const { customer, iadvize } = parts.keys;
    const token = await parts.issuer.issue({ userId: 'visitor-1' });
    const corrupted = customer.privateKeyPem.replace(/\n(.{10})/, '\n!!!!!!!!!!');
    const attempts: Array<() => unknown> = [
      () =>
        createTokenIssuer({
          privateKey: customer.privateKeyPem,
          iadvizePublicKey: iadvize.privateKeyPem,
          issuer: SITE_ISSUER,
        }),
      () => createTokenIssuer({ privateKey: corrupted, iadvizePublicKey: iadvize.publicKeyPem, issuer: SITE_ISSUER }),
      () =>
        createTokenIssuer({
          privateKey: customer.publicKeyPem,
          iadvizePublicKey: iadvize.publicKeyPem,
          issuer: SITE_ISSUER,
        }),
      () => importKey(JSON.stringify({ ...jwkOf(customer.privateKeyPem), alg: 'RSA-OAEP-256' }), 'customer-private'),
      () => verifyToken(token, { iadvizePrivateKey: iadvize.publicKeyPem, customerPublicKey: customer.privateKeyPem }),
      () => createActivation({ tag: {} as never, fetchToken: async () => token }),
      () => createActivation({ tag: parts as never, fetchToken: token as never }),
      () =>
        createActivation({
          tag: { ready: async () => undefined, activate: async () => ({ ok: true }), logout: async () => undefined },
          fetchToken: async () => token,
          tokenTtlMs: token as never,
        }),
      () =>
        createActivation({
          tag: { ready: async () => undefined, activate: async () => ({ ok: true }), logout: async () => undefined },
          fetchToken: async () => token,
          policy: { onTokenFailure: customer.privateKeyPem as never },
        }),
    ];
    const errors: unknown[] = [];
    for (const attempt of attempts) {
      try {
        await attempt();
      } catch (error) {
        errors.push(error);
      }
    }
    expect(errors).toHaveLength(attempts.length);
    expect(secrets.findInValue(errors)).toEqual([]);
    // A misplaced secret is named by its kind, not quoted.
    expect(errors.map((error) => (error as Error).message).slice(-2)).toEqual([
      expect.stringContaining(`(got 'eyJ…[redacted]')`),
      expect.stringContaining(`(got '[redacted key]')`),
    ]);
  });

  it('the token handler’s error hook gets no token, key or cookie, and the 500 says nothing', async () => {
    const cookie = site.openSession('visitor-1');
    const token = await parts.issuer.issue({ userId: 'visitor-1' });
    const told: unknown[] = [];
    const handler = createTokenHandler({
      issuer: parts.issuer,
      allowedOrigins: [site.origin],
      identify: () => {
        throw new Error(`session store failed near ${token} with ${parts.keys.customer.privateKeyPem}`);
      },
      onError: (info) => void told.push(info),
    });
    const response = await handler(
      new Request(site.tokenUrl, { method: 'POST', headers: { origin: site.origin, cookie: `s=${cookie}` } }),
    );
    expect(response.status).toBe(500);
    expect(await response.text()).toBe('{"error":"internal"}');
    expect(told).toHaveLength(1);
    expect(secrets.findInValue(told)).toEqual([]);
  });

  it('the library wrote nothing to the console in this file', () => {
    expect(guard.consoleOutput).toEqual([]);
  });
});

describe('no private key text in built bundles', () => {
  it('dist/*.js, dist/chunks/*.js and dist/demo/*.js hold no private key text', () => {
    const dist = join(import.meta.dirname, '../../dist');
    const files = readdirSync(dist, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.js'));
    expect(files).toEqual(expect.arrayContaining(['index.js', 'tag.js', 'inspect.js']));
    expect(files.some((file) => file.startsWith('chunks/'))).toBe(true);
    const found = files.flatMap((file) => {
      const text = readFileSync(join(dist, file), 'utf8');
      return [...privateKeyTextIn(text), ...secrets.findIn(text)].map((what) => `${file}: ${what}`);
    });
    expect(found).toEqual([]);
  });

  it('the scanner recognises private key text (PEM, bare PKCS#8, JWK)', () => {
    const pem = parts.keys.customer.privateKeyPem;
    expect(privateKeyTextIn(pem)).toContain('a PEM private key');
    expect(privateKeyTextIn(pem.replace(/-----[A-Z ]+-----|\n/g, ''))).toContain('a bare base64 PKCS#8 RSA key');
    expect(privateKeyTextIn(JSON.stringify(jwkOf(pem)))).toContain('a JWK private member');
    expect(secrets.findIn(textOf(new Error(pem.split('\n')[3])))).not.toEqual([]);
  });
});

function jwkOf(pem: string): JsonWebKey {
  return createPrivateKey(pem).export({ format: 'jwk' }) as JsonWebKey;
}
