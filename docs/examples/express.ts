// The token endpoint in Express: createNodeTokenHandler mounted before any body parser, so
// every answer on its path is the endpoint's own JSON, on a server with the documented timeouts.
import express from 'express';
import { createServer } from 'node:http';
import { createTokenIssuer, loadKeysFromEnv } from 'iadvize-activation/server';
import { createNodeTokenHandler, NODE_SERVER_TIMEOUTS } from 'iadvize-activation/server/node';

const issuer = await createTokenIssuer({
  ...(await loadKeysFromEnv()),
  issuer: 'https://www.example.com', // the iss claim
});

// Your request type: `identify` sees what your middleware adds (a session, a user).
const tokenEndpoint = createNodeTokenHandler<express.Request>({
  issuer,
  identify: async (req) => (await sessionFrom(req))?.userId ?? null,
  allowedOrigins: ['https://www.example.com'],
  onError: (info) => console.error('iAdvize token endpoint', info), // redacted: no token, no key
});

const app = express();
// First, and with `all`: the handler answers the CORS preflight and 405 itself. A global
// express.json() mounted before it would answer malformed or large bodies with Express's HTML
// error pages before the endpoint runs.
app.all('/api/iadvize-token', (req, res) => void tokenEndpoint(req, res));
app.use(express.json());
// ...the site's other routes.

// An Express app is a node:http listener: give it the server options Node's defaults lack.
createServer(NODE_SERVER_TIMEOUTS, app).listen(3000);

/** Your site's session lookup. */
declare function sessionFrom(req: express.Request): Promise<{ userId: string } | null>;
