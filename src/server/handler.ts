// The token endpoint as a web-standard (Request) => Promise<Response> function, for Node ≥ 20,
// edge runtimes and any framework that speaks Fetch (Hono, Next.js route handlers). The policy
// is policy.ts; node-handler.ts serves the same policy on node:http. It answers the visitor's
// own browser only, and never rejects.
import { createTokenPolicy, type TokenHandlerOptions } from './policy.js';

export {
  createTokenPolicy,
  DEFAULT_ANSWER_TIMEOUT_MS,
  DEFAULT_MAX_BODY_BYTES,
  TOKEN_HANDLER_ERROR_STATUS,
} from './policy.js';
export type {
  TokenAnswer,
  TokenHandlerErrorBody,
  TokenHandlerErrorCode,
  TokenHandlerErrorInfo,
  TokenHandlerOptions,
  TokenRequest,
} from './policy.js';

/**
 * POST only (405, `Allow: POST, OPTIONS`); a preflight `OPTIONS` from an allowed origin gets 204
 * with the CORS grant; Origin must be allowed (403); body at most `maxBodyBytes` (413); `identify`
 * must name a visitor (401) a token can carry (422 `identity-refused` with a `reason`); identify
 * and issuance must finish within `timeoutMs` (503 `timeout`); then 200 `{ token, expiresAt }`
 * (expiresAt in ms since the epoch). Every answer but the 204 is JSON with
 * `Cache-Control: no-store`; a 500 says only `{ "error": "internal" }`. The returned promise
 * never rejects: a body the client stopped sending is a 400 nobody reads.
 */
export function createTokenHandler(options: TokenHandlerOptions): (request: Request) => Promise<Response> {
  const policy = createTokenPolicy(options);
  return async (request) => {
    const { status, headers, body } = await policy({
      method: request.method,
      origin: request.headers.get('origin'),
      requestedHeaders: request.headers.get('access-control-request-headers'),
      declaredLength: Number(request.headers.get('content-length') ?? 0),
      bodyFits: (limit) => streamFits(request.body, limit),
      request,
    } satisfies Parameters<typeof policy>[0]);
    // Refused before its body was read (403, 405, a preflight with a body): ask the server to
    // close rather than read and discard the rest (@hono/node-server would read up to 64 MB).
    const unread = request.body !== null && !request.bodyUsed && headers.connection === undefined;
    return new Response(status === 204 ? null : body, {
      status,
      headers: unread ? { ...headers, connection: 'close' } : headers,
    });
  };
}

/** Reads at most `limit` + 1 bytes of a web stream: a streamed body over the limit is refused. */
async function streamFits(body: ReadableStream<Uint8Array> | null, limit: number): Promise<boolean> {
  if (!body) return true;
  const reader = body.getReader();
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return true;
    total += value.byteLength;
    if (total > limit) {
      // Cancelling may itself fail on a stream the client broke: the answer is 413 either way.
      await reader.cancel().catch(() => undefined);
      return false;
    }
  }
}
