// createNodeTokenHandler on a real node:http server (127.0.0.1, port 0): every status it can
// answer, the body limit enforced on the stream, a client that goes away, and parity with the
// web handler (createTokenHandler) for the same requests.
import {
  Agent,
  createServer,
  IncomingMessage,
  request as httpRequest,
  type ClientRequest,
  type OutgoingHttpHeaders,
  type Server,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { createTokenHandler, type TokenHandlerErrorInfo, type TokenHandlerOptions } from '../../src/server/handler.js';
import { createNodeTokenHandler, type NodeTokenHandlerOptions } from '../../src/server/node-handler.js';
import { verifyToken } from '../../src/token/verify.js';
import { NOW_MS, SITE, useSiteIssuer } from './support/site-issuer.js';

const PATH = '/api/iadvize-token';
const SECRET_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';

const site = useSiteIssuer();
const agent = new Agent({ keepAlive: true });

afterAll(() => agent.destroy());

interface Served {
  readonly port: number;
  /** How each call of the handler ended: 'resolved', or 'rejected: ...'. */
  readonly outcomes: string[];
  /** Resolves once `count` calls of the handler have settled. */
  settled(count: number): Promise<void>;
}

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/**
 * createNodeTokenHandler given straight to http.createServer, as a site without a framework does;
 * `beside` sees each request first (and is awaited), as a site's other middleware would.
 */
async function serve(
  overrides: Partial<NodeTokenHandlerOptions> = {},
  beside?: (req: IncomingMessage) => void | Promise<void>,
): Promise<Served> {
  const handler = createNodeTokenHandler({
    issuer: site.issuer,
    identify: () => 'user-42',
    allowedOrigins: [SITE],
    ...overrides,
  });
  const outcomes: string[] = [];
  const waiters: Array<() => void> = [];
  const server = createServer((req, res) => {
    void Promise.resolve(beside?.(req))
      .then(() => handler(req, res))
      .then(
        () => outcomes.push('resolved'),
        (error: unknown) => outcomes.push(`rejected: ${String(error)}`),
      )
      .finally(() => waiters.splice(0).forEach((wake) => wake()));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const settled = async (count: number) => {
    while (outcomes.length < count) await new Promise<void>((resolve) => waiters.push(resolve));
  };
  return { port: (server.address() as AddressInfo).port, outcomes, settled };
}

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

interface Ask {
  method?: string;
  /** The Origin header: the site's by default, null for none. */
  origin?: string | null;
  headers?: OutgoingHttpHeaders;
  /** Written then ended; several strings are sent as chunks (Transfer-Encoding: chunked). */
  body?: string | readonly string[];
}

/** Sends the request, and hands it to `during` before it is ended, when given (the caller ends it, or not). */
function ask(
  port: number,
  { method = 'POST', origin = SITE, headers = {}, body }: Ask = {},
  during?: (request: ClientRequest) => void,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path: PATH,
        method,
        agent,
        headers: { ...headers, ...(origin === null ? {} : { origin }) },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text }));
      },
    );
    request.on('error', reject);
    for (const chunk of typeof body === 'string' ? [body] : (body ?? [])) request.write(chunk);
    if (during) during(request);
    else request.end();
  });
}

/** What a verifier (iAdvize) finds in the token. */
function verify(token: string) {
  return verifyToken(token, {
    iadvizePrivateKey: site.keys.iadvize.privateKeyPem,
    customerPublicKey: site.keys.customer.publicKeyPem,
    currentDate: new Date(NOW_MS),
  });
}

function expectError(answer: Answer, status: number, error: string): void {
  expect(answer.status).toBe(status);
  expect(answer.headers['cache-control']).toBe('no-store');
  expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
  expect(JSON.parse(answer.body)).toEqual({ error });
  expect(answer.body).not.toContain('eyJ');
}

describe('createNodeTokenHandler', () => {
  it('answers 200 { token, expiresAt }: a token that decrypts and verifies, not cacheable, readable by the allowed origin, on a kept-alive connection', async () => {
    const { port } = await serve();
    const answer = await ask(port);
    expect(answer.status).toBe(200);
    expect(answer.headers['cache-control']).toBe('no-store');
    expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(answer.headers['access-control-allow-origin']).toBe(SITE);
    expect(answer.headers['access-control-allow-credentials']).toBe('true');
    expect(answer.headers['content-length']).toBe(String(Buffer.byteLength(answer.body)));
    expect(answer.headers.connection).toBe('keep-alive');
    const body = JSON.parse(answer.body) as { token: string; expiresAt: number };
    expect(body.expiresAt).toBe(NOW_MS + 60_000);
    const verification = await verify(body.token);
    expect(verification).toMatchObject({ ok: true, claims: { userId: 'user-42', iss: SITE } });
  });

  it('passes the IncomingMessage to identify, after the body is read, and accepts { userId, visitorData }', async () => {
    const seen: Array<{ isIncoming: boolean; complete: boolean }> = [];
    const { port } = await serve({
      identify: (req) => {
        seen.push({ isIncoming: req instanceof IncomingMessage, complete: req.complete });
        return {
          userId: req.headers.cookie === 'session=abc' ? 'user-7' : 'nobody',
          visitorData: { firstName: 'Jane' },
        };
      },
    });
    const answer = await ask(port, { headers: { cookie: 'session=abc' }, body: '{"ignored":true}' });
    const { token } = JSON.parse(answer.body) as { token: string };
    const verification = await verify(token);
    expect(verification).toMatchObject({ ok: true, claims: { userId: 'user-7', visitorData: { firstName: 'Jane' } } });
    expect(seen).toEqual([{ isIncoming: true, complete: true }]);
  });

  it('405 with Allow: POST, OPTIONS for any other method, with the CORS grant for the allowed origin', async () => {
    const identify = vi.fn(() => 'user-42');
    const { port } = await serve({ identify });
    for (const method of ['GET', 'PUT', 'DELETE', 'PATCH']) {
      const answer = await ask(port, { method });
      expect(answer.headers.allow).toBe('POST, OPTIONS');
      expect(answer.headers['access-control-allow-origin']).toBe(SITE);
      expectError(answer, 405, 'method-not-allowed');
    }
    expect(identify).not.toHaveBeenCalled();
  });

  it('403 for an origin that is not allowed, without CORS headers, and never asks identify', async () => {
    const identify = vi.fn(() => 'user-42');
    const { port } = await serve({ identify });
    for (const origin of ['https://evil.example', 'null', `${SITE}.evil.example`, 'http://www.example.com']) {
      const answer = await ask(port, { origin });
      expect(answer.headers['access-control-allow-origin']).toBeUndefined();
      expect(answer.headers['access-control-allow-credentials']).toBeUndefined();
      expectError(answer, 403, 'forbidden-origin');
    }
    expect(identify).not.toHaveBeenCalled();
  });

  it('403 without an Origin header by default; served when allowMissingOrigin is set', async () => {
    const refusing = await serve();
    expectError(await ask(refusing.port, { origin: null }), 403, 'forbidden-origin');
    const allowing = await serve({ allowMissingOrigin: true });
    const answer = await ask(allowing.port, { origin: null });
    expect(answer.status).toBe(200);
    expect(answer.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('413 for a declared Content-Length over the limit, answered before the client sends any of the body', async () => {
    const identify = vi.fn(() => 'user-42');
    const { port } = await serve({ identify });
    // The client sends the headers only: the answer can come only if the body is not awaited.
    const answer = await ask(port, { headers: { 'content-length': '5000' } }, (request) => request.flushHeaders());
    expectError(answer, 413, 'payload-too-large');
    expect(answer.headers['access-control-allow-origin']).toBe(SITE);
    // The rest of that body is not read to keep the connection: it is closed instead.
    expect(answer.headers.connection).toBe('close');
    expect(identify).not.toHaveBeenCalled();
  });

  it('413 for a chunked body over the limit, counted as it streams and answered while the client is still sending', async () => {
    const identify = vi.fn(() => 'user-42');
    const { port, outcomes, settled } = await serve({ identify });
    // 600 + 600 bytes and never ended: only counting the chunks as they come can answer.
    const answer = await ask(port, { body: ['x'.repeat(600), 'x'.repeat(600)] }, () => undefined);
    expectError(answer, 413, 'payload-too-large');
    expect(answer.headers.connection).toBe('close');
    expect(identify).not.toHaveBeenCalled();
    await settled(1);
    expect(outcomes).toEqual(['resolved']);
  });

  it('accepts a chunked body of exactly the limit, and refuses one byte more, whatever maxBodyBytes is', async () => {
    const { port } = await serve();
    expect((await ask(port, { body: ['x'.repeat(1000), 'x'.repeat(24)] })).status).toBe(200);
    expectError(await ask(port, { body: ['x'.repeat(1000), 'x'.repeat(25)] }), 413, 'payload-too-large');
    const strict = await serve({ maxBodyBytes: 0 });
    expectError(await ask(strict.port, { body: 'x' }), 413, 'payload-too-large');
    expect((await ask(strict.port)).status).toBe(200);
  });

  it('a body already read by a framework (a body parser before it): answered, not waited for', async () => {
    const { port } = await serve({}, async (req) => {
      for await (const chunk of req) void chunk;
    });
    expect((await ask(port, { body: '{"a":1}' })).status).toBe(200);
  });

  it('401 when identify finds nobody, with the CORS grant', async () => {
    for (const nobody of [null, undefined]) {
      const { port } = await serve({ identify: async () => nobody });
      const answer = await ask(port);
      expect(answer.headers['access-control-allow-origin']).toBe(SITE);
      expectError(answer, 401, 'unauthenticated');
    }
  });

  it('500 with no internals when identify throws; onError gets the redacted error', async () => {
    const reports: TokenHandlerErrorInfo[] = [];
    const { port, outcomes, settled } = await serve({
      identify: () => {
        throw new Error(`session store down while reading ${SECRET_TOKEN} at db.internal:5432`);
      },
      onError: (info) => reports.push(info),
    });
    const answer = await ask(port);
    expectError(answer, 500, 'internal');
    expect(answer.headers['access-control-allow-origin']).toBeUndefined();
    expect(reports).toEqual([
      { phase: 'identify', name: 'Error', message: expect.stringContaining('session store down') },
    ]);
    expect(reports[0]?.message).not.toContain(SECRET_TOKEN);
    await settled(1);
    expect(outcomes).toEqual(['resolved']);
  });

  it('422 identity-refused with its reason when the identity is too long for a token, with the error code for onError', async () => {
    const reports: TokenHandlerErrorInfo[] = [];
    const { port } = await serve({ identify: () => 'x'.repeat(300), onError: (info) => reports.push(info) });
    const answer = await ask(port);
    expect(answer.status).toBe(422);
    expect(JSON.parse(answer.body)).toEqual({ error: 'identity-refused', reason: 'userId longer than 255 characters' });
    expect(answer.headers['cache-control']).toBe('no-store');
    expect(reports).toEqual([
      { phase: 'issue', name: 'TokenInputError', code: 'user-id', message: expect.stringContaining('255') },
    ]);
  });

  it('500 when the issuer fails, redacted for onError, even if onError itself throws', async () => {
    const reports: TokenHandlerErrorInfo[] = [];
    const { port, outcomes, settled } = await serve({
      issuer: {
        issueWithExpiry: () => Promise.reject(new Error(`cannot sign with ${site.keys.customer.privateKeyPem}`)),
      },
      onError: (info) => {
        reports.push(info);
        throw new Error('logger down');
      },
    });
    expectError(await ask(port), 500, 'internal');
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ phase: 'issue', name: 'Error' });
    expect(reports[0]?.message).toContain('cannot sign with');
    expect(reports[0]?.message).not.toContain('PRIVATE KEY');
    await settled(1);
    expect(outcomes).toEqual(['resolved']);
  });

  // A request that ends before its body: nobody is left to answer, and nothing may reject.
  const cutShort: Array<{
    name: string;
    beside?: (req: IncomingMessage) => void | Promise<void>;
    during: (request: ClientRequest) => void;
  }> = [
    { name: 'the client goes away mid-body', during: (request) => void setTimeout(() => request.destroy(), 20) },
    {
      name: 'the site destroys it mid-body (its own timeout)',
      beside: (req) => void setTimeout(() => req.destroy(), 20),
      during: () => undefined,
    },
    {
      name: 'it is destroyed before the handler gets it (a middleware gave up on it)',
      beside: async (req) => {
        req.destroy();
        await new Promise((resolve) => setTimeout(resolve, 20));
      },
      during: () => undefined,
    },
  ];

  it.each(cutShort)(
    '$name: the handler settles without rejecting, identify is never asked, nothing is left unhandled',
    async ({ beside, during }) => {
      const unhandled: unknown[] = [];
      const collect = (reason: unknown) => void unhandled.push(reason);
      process.on('unhandledRejection', collect);
      try {
        const identify = vi.fn(() => 'user-42');
        const { port, outcomes, settled } = await serve({ identify }, beside);
        await expect(
          ask(port, { headers: { 'content-length': '100' }, body: 'x'.repeat(10) }, during),
        ).rejects.toThrow();
        await settled(1);
        expect(outcomes).toEqual(['resolved']);
        expect(identify).not.toHaveBeenCalled();
        // Give a stray rejection the turns it needs to be reported.
        await new Promise((resolve) => setTimeout(resolve, 50));
        expect(unhandled).toEqual([]);
      } finally {
        process.off('unhandledRejection', collect);
      }
    },
  );

  it('a client that goes away while identify runs: the handler still settles without rejecting', async () => {
    let release = () => {};
    const identifying = new Promise<void>((resolve) => (release = resolve));
    const { port, outcomes, settled } = await serve({
      identify: async () => {
        release();
        await new Promise((resolve) => setTimeout(resolve, 50));
        return 'user-42';
      },
    });
    const gone = ask(port, {}, (request) => {
      request.end();
      void identifying.then(() => request.destroy());
    });
    await expect(gone).rejects.toThrow();
    await settled(1);
    expect(outcomes).toEqual(['resolved']);
  });

  it('takes the type of the framework request for identify', async () => {
    // What Express or a session middleware adds to the IncomingMessage.
    type SessionRequest = IncomingMessage & { session?: { userId?: string } };
    const handler = createNodeTokenHandler<SessionRequest>({
      issuer: site.issuer,
      identify: (req) => req.session?.userId ?? null,
      allowedOrigins: [SITE],
    });
    const server = createServer((req, res) => {
      (req as SessionRequest).session = { userId: 'user-from-session' };
      void handler(req, res);
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const answer = await ask((server.address() as AddressInfo).port);
    const { token } = JSON.parse(answer.body) as { token: string };
    const verification = await verify(token);
    expect(verification).toMatchObject({ ok: true, claims: { userId: 'user-from-session' } });
  });

  it('refuses bad options when created, as the web handler does', () => {
    const create = (overrides: Partial<NodeTokenHandlerOptions>) => () =>
      createNodeTokenHandler({ issuer: site.issuer, identify: () => 'user-42', allowedOrigins: [SITE], ...overrides });
    expect(create({ allowedOrigins: [`${SITE}/path`] })).toThrow(
      expect.objectContaining({ name: 'TokenInputError', code: 'option' }),
    );
    expect(create({ maxBodyBytes: -1 })).toThrow(expect.objectContaining({ name: 'TokenInputError', code: 'option' }));
  });
});

describe('parity: the node and web handlers answer the same request alike', () => {
  /** Headers only node:http adds (framing and connection management), not the endpoint's answer. */
  const TRANSPORT_HEADERS = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']);

  /** A stand-in issuer with a predictable token, so the two bodies can be compared byte for byte. */
  const fixedIssuer: TokenHandlerOptions['issuer'] = {
    issueWithExpiry: async ({ userId }) => {
      if (userId === 'refused') throw new Error(`cannot sign for ${SECRET_TOKEN}`);
      return { token: `token-for-${userId}`, expiresAt: NOW_MS + 60_000 };
    },
  };

  /** Who is signed in, read from the cookie as a site would: the same code for both handlers. */
  const identifyFrom = (cookie: string | null | undefined) => {
    if (cookie === 'session=broken') throw new Error(`session store down at ${SECRET_TOKEN}`);
    const user = /session=([^;]+)/.exec(cookie ?? '')?.[1];
    return user === undefined ? null : { userId: user };
  };

  interface Case {
    readonly name: string;
    readonly ask: Ask;
    readonly options?: Pick<TokenHandlerOptions, 'allowMissingOrigin' | 'maxBodyBytes'>;
  }

  const signedIn = { cookie: 'session=user-42' };
  const cases: Case[] = [
    { name: '200', ask: { headers: signedIn } },
    { name: '200 with a small body', ask: { headers: signedIn, body: '{"hello":"world"}' } },
    {
      name: '200 without Origin when allowed',
      ask: { origin: null, headers: signedIn },
      options: { allowMissingOrigin: true },
    },
    { name: '401', ask: {} },
    { name: '403 wrong origin', ask: { origin: 'https://evil.example', headers: signedIn } },
    { name: '403 missing origin', ask: { origin: null, headers: signedIn } },
    { name: '405 GET', ask: { method: 'GET', headers: signedIn } },
    { name: '403 OPTIONS from another origin', ask: { method: 'OPTIONS', origin: 'https://evil.example' } },
    {
      name: '204 preflight',
      ask: {
        method: 'OPTIONS',
        headers: { 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-csrf-token' },
      },
    },
    { name: '422 identity too long', ask: { headers: { cookie: `session=${'x'.repeat(256)}` } } },
    { name: '413 declared', ask: { headers: signedIn, body: 'x'.repeat(1025) } },
    {
      name: '413 under a smaller limit',
      ask: { headers: signedIn, body: 'x'.repeat(11) },
      options: { maxBodyBytes: 10 },
    },
    { name: '500 from identify', ask: { headers: { cookie: 'session=broken' } } },
    { name: '500 from the issuer', ask: { headers: { cookie: 'session=refused' } } },
  ];

  it.each(cases)('$name', async ({ ask: input, options = {} }) => {
    const nodeReports: TokenHandlerErrorInfo[] = [];
    const webReports: TokenHandlerErrorInfo[] = [];
    const shared = { issuer: fixedIssuer, allowedOrigins: [SITE], ...options };

    const { port } = await serve({
      ...shared,
      identify: (req) => identifyFrom(req.headers.cookie),
      onError: (info) => nodeReports.push(info),
    });
    const overNode = await ask(port, input);

    const web = createTokenHandler({
      ...shared,
      identify: (request) => identifyFrom(request.headers.get('cookie')),
      onError: (info) => webReports.push(info),
    });
    const { method = 'POST', origin = SITE, headers = {}, body } = input;
    const webHeaders = new Headers(headers as Record<string, string>);
    if (origin !== null) webHeaders.set('origin', origin);
    const response = await web(
      new Request(`http://127.0.0.1${PATH}`, {
        method,
        headers: webHeaders,
        ...(body === undefined ? {} : { body: body as string }),
      }),
    );

    const nodeHeaders = Object.fromEntries(
      Object.entries(overNode.headers).filter(([name]) => !TRANSPORT_HEADERS.has(name)),
    );
    expect(overNode.status).toBe(response.status);
    expect(nodeHeaders).toEqual(
      Object.fromEntries([...response.headers].filter(([name]) => !TRANSPORT_HEADERS.has(name))),
    );
    expect(overNode.body).toBe(await response.text());
    expect(nodeReports).toEqual(webReports);
  });
});
