// The token endpoint on plain node:http: createNodeTokenHandler reads the IncomingMessage and
// writes the ServerResponse itself, with the same checks and answers as createTokenHandler.
import { createServer, type IncomingMessage } from 'node:http';
import { createNodeTokenHandler, createTokenIssuer, loadKeysFromEnv } from 'iadvize-activation/server';

const issuer = await createTokenIssuer({
  ...(await loadKeysFromEnv()),
  issuer: 'https://www.example.com', // the iss claim
});

const tokenEndpoint = createNodeTokenHandler({
  issuer,
  // `req` is the IncomingMessage: find the signed-in visitor from its cookie, or answer null.
  identify: async (req) => (await sessionFrom(req))?.userId ?? null,
  allowedOrigins: ['https://www.example.com'],
  onError: (info) => console.error('iAdvize token endpoint', info), // redacted: no token, no key
});

createServer((req, res) => {
  if (req.url === '/api/iadvize-token') return void tokenEndpoint(req, res);
  res.writeHead(404).end();
}).listen(3000);

/** Your site's session lookup. */
declare function sessionFrom(req: IncomingMessage): Promise<{ userId: string } | null>;
