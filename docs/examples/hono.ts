// The token endpoint in Hono on Node (@hono/node-server): createTokenHandler takes the web
// Request Hono holds and answers a web Response; the server gets the same timeouts as plain Node.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { createTokenHandler, createTokenIssuer, loadKeysFromEnv } from 'iadvize-activation/server';
import { NODE_SERVER_TIMEOUTS } from 'iadvize-activation/server/node';

const issuer = await createTokenIssuer({
  ...(await loadKeysFromEnv()),
  issuer: 'https://www.example.com', // the iss claim
});

const tokenEndpoint = createTokenHandler({
  issuer,
  identify: async (request, { signal }) => (await sessionFrom(request, signal))?.userId ?? null,
  allowedOrigins: ['https://www.example.com'],
  onError: (info) => console.error('iAdvize token endpoint', info), // redacted: no token, no key
});

const app = new Hono();
// `all`, not `post`: the handler answers the CORS preflight (OPTIONS) and 405 to other methods.
app.all('/api/iadvize-token', (c) => tokenEndpoint(c.req.raw));

serve({ fetch: app.fetch, port: 3000, serverOptions: NODE_SERVER_TIMEOUTS });

/** Your site's session lookup. */
declare function sessionFrom(request: Request, signal: AbortSignal): Promise<{ userId: string } | null>;
