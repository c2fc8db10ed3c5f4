// Origins as browsers serialise them (scheme and host lower-cased, default port dropped, no
// path), so an allowed origin written 'https://WWW.example.com:443' matches the Origin header a
// browser sends; and the CORS headers of a preflight answer.
import { TokenInputError } from '../token/errors.js';

/**
 * The browser serialisation of an allowed origin. Throws TokenInputError (`option`) for
 * anything that is not `scheme://host[:port]` over http or https.
 */
export function normaliseOrigin(origin: unknown): string {
  const text = typeof origin === 'string' ? origin.trim() : '';
  let parsed: URL | undefined;
  try {
    parsed = new URL(text);
  } catch {
    parsed = undefined;
  }
  const isOrigin =
    parsed !== undefined &&
    (parsed.protocol === 'https:' || parsed.protocol === 'http:') &&
    parsed.username === '' &&
    parsed.password === '' &&
    parsed.pathname === '/' &&
    // URL drops an empty "?" or "#": look at the text itself.
    !/[?#]/.test(text) &&
    /^[a-z]+:\/\/[^/]+\/?$/i.test(text);
  if (!parsed || !isOrigin) {
    const shown = typeof origin === 'string' ? JSON.stringify(origin.slice(0, 100)) : `a ${typeof origin}`;
    throw new TokenInputError(
      'option',
      `allowedOrigins has ${shown}, which is not an origin: write scheme://host[:port] with no path, e.g. "https://www.example.com"`,
    );
  }
  return parsed.origin;
}

/** A list of header names (RFC 9110 tokens, comma-separated), as Access-Control-Request-Headers carries. */
const HEADER_LIST = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+(?:[ \t]*,[ \t]*[!#$%&'*+.^_`|~0-9A-Za-z-]+)*$/;
/** Longer lists are not echoed: no real page asks for more. */
const MAX_HEADER_LIST = 1_000;
/** How long a browser may reuse a preflight answer, in seconds. */
export const PREFLIGHT_MAX_AGE_SECONDS = 600;

/**
 * The headers of a preflight answer for an allowed origin: POST, the credentials, and the
 * request headers the page asked for (a CSRF header, a content type), echoed when they are a
 * well-formed list of names, lower-cased.
 */
export function preflightHeaders(requestedHeaders: string | null): Record<string, string> {
  const asked = requestedHeaders?.trim() ?? '';
  const echoed =
    asked !== '' && asked.length <= MAX_HEADER_LIST && HEADER_LIST.test(asked) ? asked.toLowerCase() : undefined;
  return {
    'access-control-allow-methods': 'POST',
    ...(echoed === undefined ? {} : { 'access-control-allow-headers': echoed }),
    'access-control-max-age': String(PREFLIGHT_MAX_AGE_SECONDS),
  };
}
