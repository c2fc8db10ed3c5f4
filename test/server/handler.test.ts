import { describe, expect, it, vi } from 'vitest';
import { createTokenHandler, type TokenHandlerErrorInfo, type TokenHandlerOptions } from '../../src/server/handler.js';
import type { TokenIssuer } from '../../src/token/issue.js';
import { verifyToken } from '../../src/token/verify.js';
import { NOW_MS, SITE, useSiteIssuer } from './support/site-issuer.js';

const ENDPOINT = `${SITE}/api/iadvize-token`;

const site = useSiteIssuer();

function handler(overrides: Partial<TokenHandlerOptions> = {}) {
  return createTokenHandler({ issuer: site.issuer, identify: () => 'user-42', allowedOrigins: [SITE], ...overrides });
}

function post(init: RequestInit & { origin?: string | null } = {}): Request {
  const { origin = SITE, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (origin !== null) headers.set('origin', origin);
  return new Request(ENDPOINT, { method: 'POST', ...rest, headers });
}

async function expectError(response: Response, status: number, error: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get('cache-control')).toBe('no-store');
  expect(response.headers.get('content-type')).toContain('application/json');
  const text = await response.text();
  expect(JSON.parse(text)).toEqual({ error });
  expect(text).not.toContain('eyJ');
}

describe('createTokenHandler', () => {
  it('answers 200 { token, expiresAt } for a signed-in visitor, not cacheable, readable by the allowed origin', async () => {
    const response = await handler()(post());
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('access-control-allow-origin')).toBe(SITE);
    expect(response.headers.get('access-control-allow-credentials')).toBe('true');
    const body = (await response.json()) as { token: string; expiresAt: number };
    expect(body.expiresAt).toBe(NOW_MS + 60_000);
    const verification = await verifyToken(body.token, {
      iadvizePrivateKey: site.keys.iadvize.privateKeyPem,
      customerPublicKey: site.keys.customer.publicKeyPem,
      currentDate: new Date(NOW_MS),
    });
    expect(verification).toMatchObject({ ok: true, claims: { userId: 'user-42', iss: SITE } });
  });

  it('passes the request to identify and accepts { userId, visitorData }', async () => {
    const identify = vi.fn(async (request: Request) => ({
      userId: request.headers.get('cookie') === 'session=abc' ? 'user-7' : 'nobody',
      visitorData: { firstName: 'Jane' },
    }));
    const response = await handler({ identify })(post({ headers: { cookie: 'session=abc' } }));
    const { token } = (await response.json()) as { token: string };
    const verification = await verifyToken(token, {
      iadvizePrivateKey: site.keys.iadvize.privateKeyPem,
      customerPublicKey: site.keys.customer.publicKeyPem,
      currentDate: new Date(NOW_MS),
    });
    expect(verification).toMatchObject({ ok: true, claims: { userId: 'user-7', visitorData: { firstName: 'Jane' } } });
    expect(identify).toHaveBeenCalledTimes(1);
  });

  it('405 with Allow: POST, OPTIONS for any other method', async () => {
    for (const method of ['GET', 'PUT', 'DELETE', 'PATCH']) {
      const response = await handler()(new Request(ENDPOINT, { method, headers: { origin: SITE } }));
      expect(response.headers.get('allow')).toBe('POST, OPTIONS');
      await expectError(response, 405, 'method-not-allowed');
    }
  });

  it('answers a CORS preflight from an allowed origin with 204 and the grant, echoing the requested headers; 403 JSON for others', async () => {
    const identify = vi.fn(() => 'user-42');
    const preflight = (origin: string, requested?: string) =>
      handler({ identify })(
        new Request(ENDPOINT, {
          method: 'OPTIONS',
          headers: {
            origin,
            'access-control-request-method': 'POST',
            ...(requested === undefined ? {} : { 'access-control-request-headers': requested }),
          },
        }),
      );
    const granted = await preflight(SITE, 'X-CSRF-Token, content-type');
    expect(granted.status).toBe(204);
    expect(await granted.text()).toBe('');
    expect(Object.fromEntries(granted.headers)).toMatchObject({
      'access-control-allow-origin': SITE,
      'access-control-allow-credentials': 'true',
      'access-control-allow-methods': 'POST',
      'access-control-allow-headers': 'x-csrf-token, content-type',
      'access-control-max-age': '600',
      vary: 'Origin',
    });
    // A malformed list is not echoed: the browser then allows only the safelisted headers.
    expect((await preflight(SITE, 'x-a; set-cookie="a"')).headers.get('access-control-allow-headers')).toBeNull();
    for (const origin of ['https://evil.example', 'null', `${SITE}.evil.example`]) {
      const refused = await preflight(origin, 'x-csrf-token');
      expect(refused.headers.get('access-control-allow-origin')).toBeNull();
      expect(refused.headers.get('access-control-allow-methods')).toBeNull();
      await expectError(refused, 403, 'forbidden-origin');
    }
    expect(identify).not.toHaveBeenCalled();
  });

  it('403 for an origin that is not allowed, without CORS headers, and never asks identify', async () => {
    const identify = vi.fn(() => 'user-42');
    for (const origin of ['https://evil.example', 'null', `${SITE}.evil.example`, 'http://www.example.com']) {
      const response = await handler({ identify })(post({ origin }));
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      await expectError(response, 403, 'forbidden-origin');
    }
    expect(identify).not.toHaveBeenCalled();
  });

  it('403 without an Origin header by default; served when allowMissingOrigin is set', async () => {
    await expectError(await handler()(post({ origin: null })), 403, 'forbidden-origin');
    expect((await handler({ allowMissingOrigin: true })(post({ origin: null }))).status).toBe(200);
  });

  it('normalises allowed origins and refuses entries that are not origins', () => {
    expect(() => handler({ allowedOrigins: [`${SITE}/`] })).not.toThrow();
    for (const origin of [
      `${SITE}/path`,
      'www.example.com',
      '*',
      `${SITE}?a`,
      `${SITE}#top`,
      'https://user@www.example.com',
      'ftp://www.example.com',
      'null',
    ]) {
      expect(() => handler({ allowedOrigins: [origin] })).toThrow(
        expect.objectContaining({ name: 'TokenInputError', code: 'option' }),
      );
    }
  });

  it('compares origins as browsers serialise them: a default port, upper case or a trailing slash in allowedOrigins still matches', async () => {
    for (const written of ['https://www.example.com:443', 'HTTPS://WWW.Example.COM', 'https://www.example.com:443/']) {
      const response = await handler({ allowedOrigins: [written] })(post());
      expect(response.status).toBe(200);
      expect(response.headers.get('access-control-allow-origin')).toBe(SITE);
    }
    const local = handler({ allowedOrigins: ['http://localhost:80', 'http://127.0.0.1:8080'] });
    expect((await local(post({ origin: 'http://localhost' }))).status).toBe(200);
    expect((await local(post({ origin: 'http://127.0.0.1:8080' }))).status).toBe(200);
    // Not the same origin: another port, another scheme.
    await expectError(await local(post({ origin: 'http://localhost:8080' })), 403, 'forbidden-origin');
    await expectError(await local(post({ origin: 'https://localhost' })), 403, 'forbidden-origin');
  });

  it('413 for a body over the limit, declared or streamed', async () => {
    await expectError(await handler()(post({ body: 'x'.repeat(1025) })), 413, 'payload-too-large');
    // A declared length is refused before anything is read.
    await expectError(await handler()(post({ headers: { 'content-length': '5000' } })), 413, 'payload-too-large');
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(new Uint8Array(600));
      },
    });
    const streamed = post({ body: stream, duplex: 'half' } as RequestInit);
    await expectError(await handler()(streamed), 413, 'payload-too-large');
    expect((await handler()(post({ body: 'x'.repeat(1024) }))).status).toBe(200);
    await expectError(await handler({ maxBodyBytes: 0 })(post({ body: 'x' })), 413, 'payload-too-large');
  });

  it('401 when identify finds nobody', async () => {
    for (const nobody of [null, undefined]) {
      const response = await handler({ identify: async () => nobody })(post());
      expect(response.headers.get('access-control-allow-origin')).toBe(SITE);
      await expectError(response, 401, 'unauthenticated');
    }
  });

  it('500 with no internals when identify throws; onError gets the redacted error', async () => {
    const reports: TokenHandlerErrorInfo[] = [];
    const secretToken = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
    const identify = () => {
      throw new Error(`session store down while reading ${secretToken} at db.internal:5432`);
    };
    const response = await handler({ identify, onError: (info) => reports.push(info) })(post());
    await expectError(response, 500, 'internal');
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ phase: 'identify', name: 'Error' });
    expect(reports[0]?.message).toContain('session store down');
    expect(reports[0]?.message).not.toContain(secretToken);
  });

  it('422 identity-refused with a reason when identify names an identity no token can carry, with the error code for onError', async () => {
    const cases: Array<[unknown, string, string]> = [
      ['x'.repeat(256), 'userId longer than 255 characters', 'user-id'],
      ['', 'userId empty', 'user-id'],
      [{ userId: 42 }, 'userId missing or not a string', 'user-id'],
      [
        { userId: 'u', visitorData: { shoeSize: '42' } },
        'visitorData not an object of the documented string fields',
        'visitor-data',
      ],
      [7, 'not a userId or { userId, visitorData? }', 'identity'],
    ];
    for (const [identity, reason, code] of cases) {
      const reports: TokenHandlerErrorInfo[] = [];
      const response = await handler({ identify: () => identity as string, onError: (info) => reports.push(info) })(
        post(),
      );
      expect(response.status).toBe(422);
      expect(response.headers.get('access-control-allow-origin')).toBe(SITE);
      expect(await response.json()).toEqual({ error: 'identity-refused', reason });
      expect(reports).toEqual([{ phase: 'issue', name: 'TokenInputError', code, message: expect.any(String) }]);
    }
    expect((await handler({ identify: () => 'x'.repeat(255) })(post())).status).toBe(200);
  });

  it('500 when the issuer fails, even if onError itself throws', async () => {
    const failing: Pick<TokenIssuer, 'issueWithExpiry'> = {
      issueWithExpiry: () => Promise.reject(new Error(`cannot sign with ${site.keys.customer.privateKeyPem}`)),
    };
    const reports: TokenHandlerErrorInfo[] = [];
    const onError = (info: TokenHandlerErrorInfo) => {
      reports.push(info);
      throw new Error('logger down');
    };
    const response = await handler({ issuer: failing, onError })(post());
    await expectError(response, 500, 'internal');
    expect(reports[0]?.message).not.toContain('PRIVATE KEY');
    expect(reports[0]?.message).toContain('cannot sign with');
  });
});
