// Property: whatever a client sends (method, Origin, headers, body, a request cut short) and
// whatever the site's identify does (a visitor, nobody, an identity too long, a throw, an odd
// rejection, a hang), both handlers over loopback answer one of the documented statuses, in JSON
// (but the 204 of a preflight), with no key and no token text but the visitor's own token in a
// 200; every handler call settles, and nothing is left unhandled. Bounded: a fixed number of
// runs, each request on its own connection, each wait capped.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKEN_HANDLER_ERROR_STATUS } from '../../src/server/policy.js';
import { ENDPOINT_KINDS, jsonOf, rawAsk, startEndpoint, unhandledDuring, type Endpoint } from './support/endpoints.js';
import { SITE, useSiteIssuer } from './support/site-issuer.js';

const site = useSiteIssuer();
const RUNS_PER_HANDLER = 150;
const DOCUMENTED = new Set([200, 204, ...Object.values(TOKEN_HANDLER_ERROR_STATUS)]);

/** What identify does, chosen by the session cookie. */
const SESSIONS = ['user-7', 'long', 'empty', 'throw', 'odd', 'hang', 'nobody'] as const;
function identify(cookie: string | null): unknown {
  const session = /session=([\w-]+)/.exec(cookie ?? '')?.[1];
  switch (session) {
    case 'long':
      return 'u'.repeat(300);
    case 'empty':
      return '';
    case 'throw':
      throw new Error('session store down');
    case 'odd':
      return Promise.reject(Object.create(null));
    case 'hang':
      return new Promise(() => undefined);
    case 'user-7':
      return { userId: 'user-7', visitorData: { firstName: 'Jane' } };
    default:
      return null;
  }
}

const printable = fc.string({ unit: fc.constantFrom(...'abcXYZ019-_,; =/:.'.split('')), maxLength: 40 });
const request = fc.record({
  method: fc.constantFrom('POST', 'POST', 'POST', 'GET', 'OPTIONS', 'PUT', 'DELETE', 'PATCH', 'HEAD'),
  origin: fc.option(
    fc.constantFrom(
      SITE,
      'https://WWW.EXAMPLE.COM',
      'https://evil.example',
      'null',
      `${SITE}:8443`,
      `${SITE}.evil.example`,
    ),
    { nil: undefined },
  ),
  session: fc.option(fc.constantFrom(...SESSIONS), { nil: undefined }),
  contentType: fc.option(
    fc.constantFrom(
      'application/json',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
    ),
    { nil: undefined },
  ),
  requestedHeaders: fc.option(printable, { nil: undefined }),
  extraHeader: fc.option(fc.tuple(fc.constantFrom('x-csrf-token', 'x-session', 'authorization', 'accept'), printable), {
    nil: undefined,
  }),
  body: fc.oneof(
    fc.constant(undefined),
    fc.string({ maxLength: 64 }),
    fc.integer({ min: 900, max: 3_000 }).map((length) => 'b'.repeat(length)),
    fc.array(fc.string({ minLength: 1, maxLength: 600 }), { minLength: 1, maxLength: 4 }),
  ),
  abortAfterMs: fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined }),
});

describe.each(ENDPOINT_KINDS)('%s: random requests', (kind) => {
  let endpoint: Endpoint;
  beforeAll(async () => {
    endpoint = await startEndpoint(kind, {
      issuer: site.issuer,
      identify: (cookie) => identify(cookie) as string,
      allowedOrigins: ['https://www.example.com:443'],
      timeoutMs: 150,
      onError: async () => {
        throw new Error('log sink down');
      },
    });
  });
  afterAll(() => endpoint.close());

  it(`${RUNS_PER_HANDLER} runs: a documented status, JSON, no key or foreign token text; every call settles`, async () => {
    const keyLines = [site.keys.customer.privateKeyPem, site.keys.iadvize.privateKeyPem].flatMap((pem) =>
      pem.split('\n').slice(1, 3),
    );
    const unhandled = await unhandledDuring(async () => {
      await fc.assert(
        fc.asyncProperty(
          request,
          async ({ method, origin, session, contentType, requestedHeaders, extraHeader, body, abortAfterMs }) => {
            const headers: Record<string, string> = {
              ...(origin === undefined ? {} : { origin }),
              ...(session === undefined ? {} : { cookie: `session=${session}` }),
              ...(contentType === undefined ? {} : { 'content-type': contentType }),
              ...(requestedHeaders === undefined ? {} : { 'access-control-request-headers': requestedHeaders }),
              ...(extraHeader === undefined ? {} : { [extraHeader[0]]: extraHeader[1] }),
            };
            const hasBody = body !== undefined && method !== 'GET' && method !== 'HEAD';
            const answer = await rawAsk(endpoint.port, {
              method,
              headers,
              ...(hasBody ? { body } : {}),
              ...(abortAfterMs === undefined || !hasBody ? {} : { abortAfterMs }),
              giveUpAfterMs: 3_000,
            });
            if ('error' in answer) {
              // Only a request the client itself cut short may end without an answer.
              expect(abortAfterMs !== undefined && hasBody, `${method} ended without an answer: ${answer.error}`).toBe(
                true,
              );
              return;
            }
            expect(DOCUMENTED.has(answer.status), `status ${answer.status}`).toBe(true);
            expect(
              answer.headers['cache-control'],
              `${answer.status} ${JSON.stringify(answer.headers)} ${answer.body.slice(0, 80)}`,
            ).toBe('no-store');
            for (const line of keyLines) expect(answer.body).not.toContain(line);
            expect(answer.body).not.toMatch(/PRIVATE KEY/);
            if (answer.status === 204 || method === 'HEAD') {
              expect(answer.body).toBe('');
              return;
            }
            const parsed = jsonOf(answer) as { token?: unknown; error?: unknown } | undefined;
            expect(parsed, `not JSON: ${answer.body.slice(0, 80)}`).toBeTypeOf('object');
            if (answer.status === 200) {
              expect(session).toBe('user-7');
              expect(parsed?.token).toEqual(expect.stringMatching(/^eyJ/));
            } else {
              expect(TOKEN_HANDLER_ERROR_STATUS[parsed?.error as keyof typeof TOKEN_HANDLER_ERROR_STATUS]).toBe(
                answer.status,
              );
              expect(answer.body).not.toContain('eyJ');
            }
          },
        ),
        { numRuns: RUNS_PER_HANDLER },
      );
      for (let turn = 0; turn < 100 && endpoint.pending() > 0; turn++)
        await new Promise((resolve) => setTimeout(resolve, 20));
      expect(endpoint.pending()).toBe(0);
      expect(new Set(endpoint.outcomes)).toEqual(new Set(['resolved']));
    });
    expect(unhandled).toEqual([]);
  });
});
