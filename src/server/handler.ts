// The token endpoint: its policy over a minimal request shape, and that policy as a web-standard
// (Request) => Promise<Response> function for Node ≥ 20, edge runtimes and any framework that
// speaks Fetch (node-handler.ts serves the same policy on node:http). It answers the visitor's
// own browser only.
import { redactText } from '../redact.js';
import { TokenInputError } from '../token/errors.js';
import type { IssuedToken, TokenIssuer, VisitorIdentity } from './issuer.js';

/** The largest request body accepted, in bytes. The endpoint needs no body at all. */
export const DEFAULT_MAX_BODY_BYTES = 1024;

export interface TokenHandlerOptions<R = Request> {
  issuer: Pick<TokenIssuer, 'issueWithExpiry'>;
  /**
   * Who is signed in, from the request (session cookie, header...). A string is the userId;
   * null or undefined means nobody is signed in (401). Throwing gives a 500. The request body
   * has been read (and discarded) by then: identify from headers and cookies.
   */
  identify: (request: R) => Promise<VisitorIdentity | string | null | undefined> | VisitorIdentity | string | null | undefined;
  /** Origins allowed to ask for a token, e.g. ['https://www.example.com']. Others get 403. */
  allowedOrigins: readonly string[];
  /**
   * Whether a request without an Origin header is served. Default false: browsers send Origin
   * on every fetch POST, so a missing one means a non-browser client or an old browser.
   * Set true for same-origin setups behind proxies that strip it, or for server-side callers.
   */
  allowMissingOrigin?: boolean;
  /** Largest request body accepted, in bytes (413 above). Default 1024. */
  maxBodyBytes?: number;
  /** Told about every 500, with the error's text redacted of tokens and keys. */
  onError?: (info: TokenHandlerErrorInfo) => void;
}

export interface TokenHandlerErrorInfo {
  /** Where it failed: the site's identify callback or the issuer. */
  phase: 'identify' | 'issue';
  name: string;
  /** The error message with anything token- or key-like redacted. */
  message: string;
  /** The TokenInputError or KeyError code, when the error has one. */
  code?: string;
}

/** The `error` values of the JSON error bodies. */
export type TokenHandlerErrorBody =
  | { error: 'method-not-allowed' }
  | { error: 'forbidden-origin' }
  | { error: 'payload-too-large' }
  | { error: 'unauthenticated' }
  | { error: 'internal' };

/** A request as the endpoint's policy sees it, whichever server received it. */
export interface TokenRequest<R> {
  readonly method: string;
  /** The Origin header, null when there is none. */
  readonly origin: string | null;
  /** The declared Content-Length, 0 when there is none. */
  readonly declaredLength: number;
  /** Reads the body, at most `limit` + 1 bytes, keeping none: whether it fitted. Rejects when the read fails. */
  readonly bodyFits: (limit: number) => Promise<boolean>;
  /** What `identify` is given. */
  readonly request: R;
}

/** The endpoint's answer, for the server adapter to write out. */
export interface TokenAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** JSON text. */
  readonly body: string;
}

/**
 * The endpoint's whole policy, for any server: `createTokenHandler` (Fetch) and
 * `createNodeTokenHandler` (node:http) only translate requests and answers. Throws
 * TokenInputError for bad options; the returned function rejects only when reading the body does.
 */
export function createTokenPolicy<R>(options: TokenHandlerOptions<R>): (request: TokenRequest<R>) => Promise<TokenAnswer> {
  const allowedOrigins = new Set(options.allowedOrigins.map(normaliseOrigin));
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes < 0) {
    throw new TokenInputError('option', 'maxBodyBytes must be a whole number of bytes, 0 or more');
  }

  return async ({ method, origin, declaredLength, bodyFits, request }) => {
    const cors: Record<string, string> =
      origin !== null && allowedOrigins.has(origin)
        ? { 'access-control-allow-origin': origin, 'access-control-allow-credentials': 'true' }
        : {};
    if (method !== 'POST') return json(405, { error: 'method-not-allowed' }, { allow: 'POST', ...cors });
    if (origin === null ? !options.allowMissingOrigin : !allowedOrigins.has(origin)) {
      return json(403, { error: 'forbidden-origin' });
    }
    // A declared length over the limit is refused before anything is read.
    if (declaredLength > maxBodyBytes || !(await bodyFits(maxBodyBytes))) return json(413, { error: 'payload-too-large' }, cors);

    let identity: VisitorIdentity | null;
    try {
      identity = toIdentity(await options.identify(request));
    } catch (error) {
      return internal(error, 'identify', options.onError);
    }
    if (identity === null) return json(401, { error: 'unauthenticated' }, cors);
    let issued: IssuedToken;
    try {
      issued = await options.issuer.issueWithExpiry(identity);
    } catch (error) {
      return internal(error, 'issue', options.onError);
    }
    return json(200, { token: issued.token, expiresAt: issued.expiresAt }, cors);
  };
}

/**
 * POST only (405, `Allow: POST`); Origin must be allowed (403); body at most `maxBodyBytes`
 * (413); `identify` must name a visitor (401); then 200 `{ token, expiresAt }` (expiresAt in ms
 * since the epoch). Every answer is JSON with `Cache-Control: no-store`; a 500 says only
 * `{ "error": "internal" }`. For an allowed Origin the CORS headers let that page read the answer.
 */
export function createTokenHandler(options: TokenHandlerOptions): (request: Request) => Promise<Response> {
  const policy = createTokenPolicy(options);
  return async (request) => {
    const { status, headers, body } = await policy({
      method: request.method,
      origin: request.headers.get('origin'),
      declaredLength: Number(request.headers.get('content-length') ?? 0),
      bodyFits: (limit) => streamFits(request.body, limit),
      request,
    });
    return new Response(body, { status, headers });
  };
}

function normaliseOrigin(origin: string): string {
  let parsed: URL | undefined;
  try {
    parsed = new URL(origin);
  } catch {
    parsed = undefined;
  }
  if (!parsed || parsed.origin === 'null' || parsed.origin !== origin.replace(/\/$/, '')) {
    throw new TokenInputError(
      'option',
      `allowedOrigins has ${JSON.stringify(origin.slice(0, 100))}, which is not an origin: write scheme://host[:port] with no path, e.g. "https://www.example.com"`,
    );
  }
  return parsed.origin;
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
      await reader.cancel();
      return false;
    }
  }
}

function toIdentity(value: VisitorIdentity | string | null | undefined): VisitorIdentity | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? { userId: value } : value;
}

function internal(error: unknown, phase: TokenHandlerErrorInfo['phase'], onError: ((info: TokenHandlerErrorInfo) => void) | undefined): TokenAnswer {
  if (onError) {
    const code = typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string' ? (error as { code: string }).code : undefined;
    const info: TokenHandlerErrorInfo = {
      phase,
      name: error instanceof Error ? error.name : typeof error,
      message: redactText(error instanceof Error ? error.message : String(error)),
      ...(code === undefined ? {} : { code }),
    };
    try {
      onError(info);
    } catch {
      // A failing error hook must not turn a clean 500 into an unhandled rejection.
    }
  }
  return json(500, { error: 'internal' });
}

function json(status: number, body: TokenHandlerErrorBody | IssuedToken, headers: Record<string, string> = {}): TokenAnswer {
  return {
    status,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      ...headers,
    },
    body: JSON.stringify(body),
  };
}
