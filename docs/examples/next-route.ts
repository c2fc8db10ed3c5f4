// Next.js App Router: app/api/iadvize-token/route.ts. The token endpoint is createTokenHandler
// as is (Request in, Response out). Made on the first request, not at import: `next build`
// imports route modules, where the key variables are usually not set.
import { createTokenHandler, createTokenIssuer, loadKeysFromEnv } from 'iadvize-activation/server';

let handler: Promise<(request: Request) => Promise<Response>> | undefined;

async function createHandler(): Promise<(request: Request) => Promise<Response>> {
  const issuer = await createTokenIssuer({
    ...(await loadKeysFromEnv()),
    issuer: 'https://www.example.com', // the iss claim
  });
  return createTokenHandler({
    issuer,
    // Your session lookup (e.g. your auth library's session from the request's cookies).
    identify: async (request) => (await sessionFrom(request))?.userId ?? null,
    allowedOrigins: ['https://www.example.com'],
    onError: (info) => console.error('iAdvize token endpoint', info), // redacted: no token, no key
  });
}

export async function POST(request: Request): Promise<Response> {
  // A failed start (a missing key) is not cached: the next request tries again and logs again.
  handler ??= createHandler().catch((error: unknown) => {
    handler = undefined;
    throw error;
  });
  return (await handler)(request);
}

/** Your site's session lookup. */
declare function sessionFrom(request: Request): Promise<{ userId: string } | null>;
