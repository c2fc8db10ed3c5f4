// Issue 16, "the token endpoint always answers": both handlers over loopback (node:http, and
// Hono on @hono/node-server), with an identify, an onError or an issuer that misbehave the ways
// load, soak and fuzzing found. Every request gets one JSON answer within the bound, the handler
// call settles, the process sees no unhandled rejection, and the next request is served.
import { afterEach, describe, expect, it } from 'vitest';
import type { TokenHandlerErrorInfo } from '../../src/server/handler.js';
import { SITE, useSiteIssuer } from './support/site-issuer.js';
import {
  ENDPOINT_KINDS,
  flood,
  jsonOf,
  rawAsk,
  startEndpoint,
  unhandledDuring,
  type Endpoint,
  type EndpointOptions,
} from './support/endpoints.js';

const site = useSiteIssuer();
const endpoints: Endpoint[] = [];
afterEach(async () => {
  await Promise.all(endpoints.splice(0).map((endpoint) => endpoint.close()));
});

const FROM_SITE = { origin: SITE, cookie: 'session=user-42' };

async function start(
  kind: (typeof ENDPOINT_KINDS)[number],
  overrides: Partial<EndpointOptions> = {},
): Promise<Endpoint> {
  const endpoint = await startEndpoint(kind, {
    issuer: site.issuer,
    identify: () => 'user-42',
    allowedOrigins: [SITE],
    ...overrides,
  });
  endpoints.push(endpoint);
  return endpoint;
}

/** Waits (bounded) until every handler call has settled. */
async function allSettled(endpoint: Endpoint): Promise<void> {
  for (let turn = 0; turn < 100 && endpoint.pending() > 0; turn++)
    await new Promise((resolve) => setTimeout(resolve, 20));
}

/** Values a failing session store or a careless site may reject with. */
function oddRejections(): Array<[string, () => unknown]> {
  return [
    ['an object without a prototype', () => Object.create(null)],
    [
      'an Error whose message is not a string',
      () => Object.assign(new Error('x'), { message: { text: 'store down' } }),
    ],
    [
      'an Error whose code getter throws',
      () =>
        Object.defineProperty(new Error('store down'), 'code', {
          get() {
            throw new Error('code getter');
          },
        }),
    ],
    [
      'an Error whose name getter throws',
      () =>
        Object.defineProperty(new Error('store down'), 'name', {
          get() {
            throw new Error('name getter');
          },
        }),
    ],
    ['a symbol', () => Symbol('down')],
    ['undefined', () => undefined],
  ];
}

describe.each(ENDPOINT_KINDS)('%s: the endpoint always answers', (kind) => {
  it('an async onError that rejects (its log sink is down): a 500 JSON answer, no unhandled rejection, the server still serves', async () => {
    const unhandled = await unhandledDuring(async () => {
      const reports: TokenHandlerErrorInfo[] = [];
      const endpoint = await start(kind, {
        identify: (cookie) => {
          if (cookie === 'session=broken') throw new Error('session store down');
          return 'user-42';
        },
        onError: async (info) => {
          reports.push(info);
          throw new Error('log sink down');
        },
      });
      const failed = await rawAsk(endpoint.port, { headers: { ...FROM_SITE, cookie: 'session=broken' } });
      expect(failed).toMatchObject({ status: 500 });
      expect(jsonOf(failed)).toEqual({ error: 'internal' });
      expect(reports).toHaveLength(1);
      expect(await rawAsk(endpoint.port, { headers: FROM_SITE })).toMatchObject({ status: 200 });
      await allSettled(endpoint);
      expect(endpoint.outcomes).toEqual(['resolved', 'resolved']);
    });
    expect(unhandled).toEqual([]);
  });

  it.each(oddRejections())(
    'identify rejecting with %s while onError is set: a 500 JSON answer, onError told, the call resolves',
    async (_name, make) => {
      const unhandled = await unhandledDuring(async () => {
        const reports: TokenHandlerErrorInfo[] = [];
        const endpoint = await start(kind, {
          identify: () => Promise.reject(make()),
          onError: (info) => void reports.push(info),
        });
        const answer = await rawAsk(endpoint.port, { headers: FROM_SITE });
        expect(answer).toMatchObject({ status: 500 });
        expect(jsonOf(answer)).toEqual({ error: 'internal' });
        expect(reports).toEqual([
          expect.objectContaining({ phase: 'identify', name: expect.any(String), message: expect.any(String) }),
        ]);
        await allSettled(endpoint);
        expect(endpoint.outcomes).toEqual(['resolved']);
      });
      expect(unhandled).toEqual([]);
    },
  );

  it('a hung identify, 200 requests at once: each gets 503 { error: "timeout" } within the bound, identify is told to stop, no handler call is left pending', async () => {
    const TIMEOUT_MS = 300;
    const signals: AbortSignal[] = [];
    const reports: TokenHandlerErrorInfo[] = [];
    const endpoint = await start(kind, {
      timeoutMs: TIMEOUT_MS,
      identify: (_cookie, signal) => {
        signals.push(signal);
        return new Promise<never>(() => undefined);
      },
      onError: (info) => void reports.push(info),
    });
    const answers = await Promise.all(
      Array.from({ length: 200 }, () => rawAsk(endpoint.port, { headers: FROM_SITE, giveUpAfterMs: 4_000 })),
    );
    for (const answer of answers) {
      expect(answer).toMatchObject({ status: 503 });
      expect(jsonOf(answer)).toEqual({ error: 'timeout' });
    }
    expect(signals).toHaveLength(200);
    expect(signals.every((signal) => signal.aborted)).toBe(true);
    expect(reports[0]).toEqual({
      phase: 'identify',
      name: 'TimeoutError',
      code: 'timeout',
      message: expect.stringContaining('300 ms'),
    });
    await allSettled(endpoint);
    expect(endpoint.pending()).toBe(0);
    expect(new Set(endpoint.outcomes)).toEqual(new Set(['resolved']));
  });

  it('a hung issuer: 503 { error: "timeout" } reported for the issue phase', async () => {
    const reports: TokenHandlerErrorInfo[] = [];
    const endpoint = await start(kind, {
      timeoutMs: 200,
      issuer: { issueWithExpiry: () => new Promise(() => undefined) },
      onError: (info) => void reports.push(info),
    });
    const answer = await rawAsk(endpoint.port, { headers: FROM_SITE, giveUpAfterMs: 4_000 });
    expect(answer).toMatchObject({ status: 503 });
    expect(jsonOf(answer)).toEqual({ error: 'timeout' });
    expect(reports).toEqual([expect.objectContaining({ phase: 'issue', code: 'timeout' })]);
  });

  it('a client that aborts mid-body: the handler call resolves, nothing is left unhandled, the next request is served', async () => {
    const unhandled = await unhandledDuring(async () => {
      const endpoint = await start(kind);
      const gone = await rawAsk(endpoint.port, {
        headers: { ...FROM_SITE, 'content-length': '500' },
        body: 'x'.repeat(100),
        abortAfterMs: 50,
      });
      expect(gone).toMatchObject({ error: expect.any(String) });
      expect(await rawAsk(endpoint.port, { headers: FROM_SITE })).toMatchObject({ status: 200 });
      await allSettled(endpoint);
      expect(endpoint.outcomes).toEqual(['resolved', 'resolved']);
    });
    expect(unhandled).toEqual([]);
  });

  it('a client that keeps writing a 100 MB declared body reads the 413 JSON answer, and the server reads only a bounded part of the rest', async () => {
    const endpoint = await start(kind);
    for (let attempt = 0; attempt < 3; attempt++) {
      const { received, ending } = await flood(endpoint.port, { origin: SITE }, 100 * 1024 * 1024);
      expect(received).toMatch(/^HTTP\/1\.1 413 /);
      expect(received.slice(received.indexOf('\r\n\r\n') + 4)).toBe('{"error":"payload-too-large"}');
      expect(received.toLowerCase()).toContain('connection: close');
      // node:http lingers before closing, so the client sees the end of the stream, not a reset;
      // @hono/node-server closes at once, and a client still writing then gets EPIPE after the answer.
      if (kind === 'node') expect(ending).toBe('closed');
    }
    for (let turn = 0; turn < 100 && endpoint.bytesReadPerConnection.length < 3; turn++)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(endpoint.bytesReadPerConnection).toHaveLength(3);
    for (const bytes of endpoint.bytesReadPerConnection) expect(bytes).toBeLessThan(20 * 1024 * 1024);
  });
});
