import { describe, expect, it, vi } from 'vitest';
import { createTokenHandler, type TokenHandlerErrorInfo, type TokenHandlerOptions } from '../../src/server/handler.js';
import type { TokenIssuer } from '../../src/server/issuer.js';
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

  it('405 with Allow: POST for any other method', async () => {
    for (const method of ['GET', 'PUT', 'DELETE', 'OPTIONS', 'PATCH']) {
      const response = await handler()(new Request(ENDPOINT, { method, headers: { origin: SITE } }));
      expect(response.headers.get('allow')).toBe('POST');
      await expectError(response, 405, 'method-not-allowed');
    }
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
    for (const origin of [`${SITE}/path`, 'www.example.com', '*']) {
      expect(() => handler({ allowedOrigins: [origin] })).toThrow(expect.objectContaining({ name: 'TokenInputError', code: 'option' }));
    }
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

  it('500 when the issuer refuses the identity, with the error code for onError', async () => {
    const reports: TokenHandlerErrorInfo[] = [];
    const response = await handler({ identify: () => 'x'.repeat(300), onError: (info) => reports.push(info) })(post());
    await expectError(response, 500, 'internal');
    expect(reports).toEqual([{ phase: 'issue', name: 'TokenInputError', code: 'user-id', message: expect.stringContaining('255') }]);
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
