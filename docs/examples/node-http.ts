// The token endpoint on plain node:http: createNodeTokenHandler reads the IncomingMessage and
// writes the ServerResponse itself, with the same checks and answers as createTokenHandler. The
// server's timeouts are set: Node's defaults hold a slow client for minutes.
import { createServer, type IncomingMessage } from 'node:http';
import { createTokenIssuer, loadKeysFromEnv } from 'iadvize-activation/server';
import { createNodeTokenHandler, NODE_SERVER_TIMEOUTS } from 'iadvize-activation/server/node';

const issuer = await createTokenIssuer({
  ...(await loadKeysFromEnv()),
  issuer: 'https://www.example.com', // the iss claim
});

const tokenEndpoint = createNodeTokenHandler({
  issuer,
  // `req` is the IncomingMessage: find the signed-in visitor from its cookie, or answer null.
  // `signal` aborts once timeoutMs has passed and the endpoint has answered 503.
  identify: async (req, { signal }) => (await sessionFrom(req, signal))?.userId ?? null,
  allowedOrigins: ['https://www.example.com'],
  maxBodyBytes: 1024, // the default: the endpoint needs no body
  timeoutMs: 5_000, // the default: identify and issuance together, else 503 { "error": "timeout" }
  onError: (info) => console.error('iAdvize token endpoint', info), // redacted: no token, no key
});

// headersTimeout 10 s, requestTimeout 15 s, keepAliveTimeout 5 s, checked every second.
createServer(NODE_SERVER_TIMEOUTS, (req, res) => {
  if (req.url === '/api/iadvize-token') return void tokenEndpoint(req, res);
  res.writeHead(404).end();
}).listen(3000);

/** Your site's session lookup. */
declare function sessionFrom(req: IncomingMessage, signal: AbortSignal): Promise<{ userId: string } | null>;
