// The token endpoint (createTokenHandler) over real loopback HTTP: bad requests never get a
// token and never see one in the answer; hundreds of concurrent visitors each get a valid token
// for themselves, never for someone else.
import { describe, expect, it } from 'vitest';
import { verifyToken } from '../../src/token/verify.js';
import { SESSION_COOKIE } from './support/loopback.js';
import { parts, site, useLoopbackSite } from './support/site-fixture.js';

useLoopbackSite();

interface Ask {
  method?: string;
  /** The Origin header; the page's own by default, null for none. */
  origin?: string | null;
  cookie?: string;
  body?: BodyInit;
  headers?: Record<string, string>;
}

async function ask({ method = 'POST', origin = site.origin, cookie, body, headers = {} }: Ask = {}) {
  const response = await fetch(site.tokenUrl, {
    method,
    headers: {
      ...headers,
      ...(origin === null ? {} : { origin }),
      ...(cookie === undefined ? {} : { cookie: `${SESSION_COOKIE}=${cookie}` }),
    },
    ...(body === undefined ? {} : { body, duplex: 'half' }),
  } as RequestInit);
  return { response, text: await response.text() };
}

/** A refusal: the status, the JSON error, not cacheable, and nothing token-like in it. */
function expectRefused({ response, text }: Awaited<ReturnType<typeof ask>>, status: number, error: string) {
  expect(response.status).toBe(status);
  expect(JSON.parse(text)).toEqual({ error });
  expect(response.headers.get('cache-control')).toBe('no-store');
  expect(text).not.toMatch(/eyJ/);
}

async function tokenFor(text: string): Promise<string> {
  const { token } = JSON.parse(text) as { token: string };
  const verification = await verifyToken(token, {
    iadvizePrivateKey: parts.keys.iadvize.privateKeyPem,
    customerPublicKey: parts.keys.customer.publicKeyPem,
  });
  if (!verification.ok) throw new Error(`the endpoint answered a token that does not verify: ${verification.check}`);
  return verification.claims.userId;
}

describe('token endpoint: bad requests', () => {
  it('control: a POST from the page with a session gets a valid token for that visitor', async () => {
    const answer = await ask({ cookie: site.openSession('visitor-1') });
    expect(answer.response.status).toBe(200);
    expect(await tokenFor(answer.text)).toBe('visitor-1');
  });

  it('wrong method (GET, PUT, DELETE, PATCH): 405 with Allow: POST, OPTIONS, no token', async () => {
    const cookie = site.openSession('visitor-1');
    for (const method of ['GET', 'PUT', 'DELETE', 'PATCH']) {
      const answer = await ask({ method, cookie });
      expectRefused(answer, 405, 'method-not-allowed');
      expect(answer.response.headers.get('allow')).toBe('POST, OPTIONS');
    }
  });

  it('OPTIONS (a preflight): 204 without a body or token for the page, 403 for another origin', async () => {
    const cookie = site.openSession('visitor-1');
    const granted = await ask({ method: 'OPTIONS', cookie, headers: { 'access-control-request-method': 'POST' } });
    expect(granted.response.status).toBe(204);
    expect(granted.text).toBe('');
    expect(granted.response.headers.get('access-control-allow-methods')).toBe('POST');
    expectRefused(await ask({ method: 'OPTIONS', cookie, origin: 'https://evil.example' }), 403, 'forbidden-origin');
  });

  it('missing Origin: 403, no token, even with a valid session', async () => {
    expectRefused(await ask({ origin: null, cookie: site.openSession('visitor-1') }), 403, 'forbidden-origin');
  });

  it('foreign, null or look-alike Origin: 403, no token, no CORS grant', async () => {
    const cookie = site.openSession('visitor-1');
    const port = new URL(site.origin).port;
    for (const origin of [
      'https://evil.example',
      'null',
      `http://localhost:${port}`,
      `${site.origin}.evil.example`,
      `${site.origin}/`,
      `https://127.0.0.1:${port}`,
    ]) {
      const answer = await ask({ origin, cookie });
      expectRefused(answer, 403, 'forbidden-origin');
      expect(answer.response.headers.get('access-control-allow-origin')).toBeNull();
    }
  });

  it('no session, an unknown cookie or an ended session: 401, no token', async () => {
    const ended = site.openSession('visitor-1');
    site.endSession(ended);
    for (const cookie of [undefined, 'forged-cookie-value', ended])
      expectRefused(await ask(cookie === undefined ? {} : { cookie }), 401, 'unauthenticated');
  });

  it('oversized body, declared or streamed without a length: 413, no token', async () => {
    const cookie = site.openSession('visitor-1');
    expectRefused(await ask({ cookie, body: 'x'.repeat(2_048) }), 413, 'payload-too-large');
    const chunks = Array.from({ length: 8 }, () => new TextEncoder().encode('y'.repeat(512)));
    const streamed = new ReadableStream<Uint8Array>({
      pull(controller) {
        const chunk = chunks.shift();
        if (chunk) controller.enqueue(chunk);
        else controller.close();
      },
    });
    expectRefused(await ask({ cookie, body: streamed }), 413, 'payload-too-large');
  });

  it('malformed JSON body naming another user: ignored, the token is for the session’s visitor', async () => {
    const cookie = site.openSession('visitor-1');
    for (const body of ['{"userId":"victim"', '{"userId":"victim"}', 'userId=victim', '\u0000\uffff']) {
      const answer = await ask({ cookie, body, headers: { 'content-type': 'application/json' } });
      expect(answer.response.status).toBe(200);
      expect(await tokenFor(answer.text)).toBe('visitor-1');
    }
  });
});

describe('token endpoint: concurrency', () => {
  it('300 visitors at once (at most 50 in flight, sessions by cookie and by header): each gets a valid token for themselves, never another’s', async () => {
    const visitors = Array.from({ length: 300 }, (_, index) => ({
      userId: `visitor-${index}`,
      cookie: site.openSession(`visitor-${index}`),
    }));
    const results = new Map<string, { userId: string; token: string }>();
    let inFlight = 0;
    let maxInFlight = 0;
    const queue = [...visitors];
    const worker = async () => {
      for (let visitor = queue.shift(); visitor; visitor = queue.shift()) {
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        // Half the clients name their session in a header (an app, a server-side caller), half by cookie.
        const byHeader = Number(visitor.userId.slice('visitor-'.length)) % 2 === 1;
        const answer = await ask(byHeader ? { headers: { 'x-session': visitor.cookie } } : { cookie: visitor.cookie });
        inFlight -= 1;
        expect(answer.response.status).toBe(200);
        const { token } = JSON.parse(answer.text) as { token: string };
        results.set(visitor.userId, { userId: await tokenFor(answer.text), token });
      }
    };
    await Promise.all(Array.from({ length: 50 }, worker));
    expect(maxInFlight).toBeLessThanOrEqual(50);
    expect(results.size).toBe(300);
    for (const { userId } of visitors) expect(results.get(userId)?.userId).toBe(userId);
    expect(new Set([...results.values()].map(({ token }) => token)).size).toBe(300);
  });
});
