// The token endpoint's whole policy over a minimal request shape, whichever server received the
// request: createTokenHandler (Fetch) and createNodeTokenHandler (node:http) only translate
// requests and answers. Every request gets one JSON answer within a bound, whatever the site's
// identify, onError or issuer do: a callback is data that may throw, reject, hang or be odd.
import { redactText } from '../redact.js';
import { TokenInputError } from '../token/errors.js';
import { identityProblem, type IssuedToken, type TokenIssuer, type VisitorIdentity } from '../token/issue.js';
import { normaliseOrigin, preflightHeaders } from './origins.js';

/** The largest request body accepted, in bytes. The endpoint needs no body at all. */
export const DEFAULT_MAX_BODY_BYTES = 1024;
/**
 * How long identify and issuance may take together before the answer is 503 `timeout`, in ms.
 * Under the page's default token fetch timeout (10 s), so the page hears why.
 */
export const DEFAULT_ANSWER_TIMEOUT_MS = 5_000;
/** The longest `timeoutMs` accepted: a timer past it would not be kept by every runtime. */
const MAX_ANSWER_TIMEOUT_MS = 2_147_483_647;

export interface TokenHandlerOptions<R = Request> {
  issuer: Pick<TokenIssuer, 'issueWithExpiry'>;
  /**
   * Who is signed in, from the request (session cookie, header...). A string is the userId;
   * null or undefined means nobody is signed in (401). Throwing gives a 500; an identity the
   * token cannot carry (empty userId, over 255 characters) a 422. The request body has been read
   * (and discarded) by then: identify from headers and cookies. `signal` aborts when `timeoutMs`
   * has passed and the endpoint has answered 503: stop the session lookup then.
   */
  identify: (
    request: R,
    context: { readonly signal: AbortSignal },
  ) => PromiseLike<VisitorIdentity | string | null | undefined> | VisitorIdentity | string | null | undefined;
  /**
   * Origins allowed to ask for a token, e.g. ['https://www.example.com']. Written as you like
   * ('https://WWW.Example.com:443/' is the same origin); others get 403.
   */
  allowedOrigins: readonly string[];
  /**
   * Whether a request without an Origin header is served. Default false: browsers send Origin
   * on every fetch POST, so a missing one means a non-browser client or an old browser.
   * Set true for same-origin setups behind proxies that strip it, or for server-side callers.
   */
  allowMissingOrigin?: boolean;
  /** Largest request body accepted, in bytes (413 above). Default 1024. */
  maxBodyBytes?: number;
  /** Longest wait for identify and issuance together, in ms (503 `timeout` past it). Default 5000. */
  timeoutMs?: number;
  /**
   * Told about every 500, 422 and 503, with the error's text redacted of tokens and keys. Not
   * awaited: what it throws, rejects with or how long it takes never changes the answer.
   */
  onError?: (info: TokenHandlerErrorInfo) => unknown;
}

export interface TokenHandlerErrorInfo {
  /** Where it failed: the site's identify callback or the issuer. */
  phase: 'identify' | 'issue';
  /** The error's name (`TimeoutError` when `timeoutMs` passed), or the type of what was thrown. */
  name: string;
  /** The error message with anything token- or key-like redacted. */
  message: string;
  /** The error's string `code` when it has one (TokenInputError, KeyError...); `timeout` on a timeout. */
  code?: string;
}

/**
 * The JSON bodies of the endpoint's refusals, by `error` code (stable: pages and monitoring
 * switch on it). 400: the body could not be read (the client went away mid-body); 401: nobody
 * signed in; 403: origin not allowed; 405: not POST (or OPTIONS); 413: body too large;
 * 422: `identify` named an identity a token cannot carry, `reason` says why in fixed words;
 * 500: identify or the issuer failed; 503: they did not finish within `timeoutMs`.
 */
export type TokenHandlerErrorBody =
  | { error: 'bad-request' }
  | { error: 'unauthenticated' }
  | { error: 'forbidden-origin' }
  | { error: 'method-not-allowed' }
  | { error: 'payload-too-large' }
  | { error: 'identity-refused'; reason: string }
  | { error: 'internal' }
  | { error: 'timeout' };

export type TokenHandlerErrorCode = TokenHandlerErrorBody['error'];

/** The status each error code is answered with. */
export const TOKEN_HANDLER_ERROR_STATUS: { readonly [C in TokenHandlerErrorCode]: number } = {
  'bad-request': 400,
  unauthenticated: 401,
  'forbidden-origin': 403,
  'method-not-allowed': 405,
  'payload-too-large': 413,
  'identity-refused': 422,
  internal: 500,
  timeout: 503,
};

/** A request as the endpoint's policy sees it, whichever server received it. */
export interface TokenRequest<R> {
  readonly method: string;
  /** The Origin header, null when there is none. */
  readonly origin: string | null;
  /** The Access-Control-Request-Headers header of a preflight, null when there is none. */
  readonly requestedHeaders: string | null;
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
  /** JSON text; empty for the 204 of a preflight. */
  readonly body: string;
}

/** What a step that raced the deadline came to. */
type Outcome<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown } | typeof TIMED_OUT;
const TIMED_OUT = Symbol('timed out');

/**
 * The endpoint's whole policy, for any server. Throws TokenInputError for bad options; the
 * returned function never rejects.
 */
export function createTokenPolicy<R>(
  options: TokenHandlerOptions<R>,
): (request: TokenRequest<R>) => Promise<TokenAnswer> {
  if (!Array.isArray(options.allowedOrigins)) {
    throw new TokenInputError('option', "allowedOrigins must be an array of origins, e.g. ['https://www.example.com']");
  }
  const allowedOrigins = new Set(options.allowedOrigins.map(normaliseOrigin));
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes < 0) {
    throw new TokenInputError('option', 'maxBodyBytes must be a whole number of bytes, 0 or more');
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_ANSWER_TIMEOUT_MS;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > MAX_ANSWER_TIMEOUT_MS) {
    throw new TokenInputError(
      'option',
      `timeoutMs must be a whole number of milliseconds from 1 to ${MAX_ANSWER_TIMEOUT_MS}; the default is ${DEFAULT_ANSWER_TIMEOUT_MS}`,
    );
  }
  const report = (info: TokenHandlerErrorInfo) => tell(options.onError, info);

  return async ({ method, origin, requestedHeaders, declaredLength, bodyFits, request }) => {
    const originAllowed = origin === null ? options.allowMissingOrigin === true : allowedOrigins.has(origin);
    // CORS grants vary with the Origin header: caches must key on it.
    const cors: Record<string, string> =
      origin !== null && originAllowed
        ? { 'access-control-allow-origin': origin, 'access-control-allow-credentials': 'true', vary: 'Origin' }
        : {};
    if (method === 'OPTIONS') {
      if (!originAllowed) return refuse('forbidden-origin');
      return {
        status: 204,
        headers: { 'cache-control': 'no-store', ...cors, ...preflightHeaders(requestedHeaders) },
        body: '',
      };
    }
    if (method !== 'POST') return refuse('method-not-allowed', { allow: 'POST, OPTIONS', ...cors });
    if (!originAllowed) return refuse('forbidden-origin');
    // A declared length over the limit is refused before anything is read; the answer asks the
    // server to close the connection rather than read the rest of an unwanted body.
    if (declaredLength > maxBodyBytes) return refuse('payload-too-large', { ...cors, connection: 'close' });
    let fits: boolean;
    try {
      fits = await bodyFits(maxBodyBytes);
    } catch {
      return refuse('bad-request', { ...cors, connection: 'close' });
    }
    if (!fits) return refuse('payload-too-large', { ...cors, connection: 'close' });

    // One deadline for identify and issuance together; the signal tells identify it passed.
    const deadline = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const expired = new Promise<typeof TIMED_OUT>((resolve) => {
      timer = setTimeout(() => {
        deadline.abort();
        resolve(TIMED_OUT);
      }, timeoutMs);
    });
    const within = <T>(step: () => T | PromiseLike<T>): Promise<Outcome<T>> =>
      Promise.race([
        // A synchronous throw, a rejection and an odd thenable all become a failed outcome.
        Promise.resolve()
          .then(step)
          .then(
            (value) => ({ ok: true as const, value }),
            (error: unknown) => ({ ok: false as const, error }),
          ),
        expired,
      ]);
    const timedOut = (phase: TokenHandlerErrorInfo['phase']) => {
      report({
        phase,
        name: 'TimeoutError',
        message: `${phase === 'identify' ? 'identify' : 'the issuer'} did not finish within timeoutMs (${timeoutMs} ms)`,
        code: 'timeout',
      });
      return refuse('timeout', cors);
    };

    try {
      const identified = await within(() => options.identify(request, { signal: deadline.signal }));
      if (identified === TIMED_OUT) return timedOut('identify');
      if (!identified.ok) {
        report(describeError(identified.error, 'identify'));
        return refuse('internal');
      }
      const identity = toIdentity(identified.value);
      if (identity === null) return refuse('unauthenticated', cors);
      const problem = identityProblem(identity);
      if (problem) {
        report({ phase: 'issue', name: 'TokenInputError', message: problem.message, code: problem.code });
        return answer(
          TOKEN_HANDLER_ERROR_STATUS['identity-refused'],
          { error: 'identity-refused', reason: problem.reason },
          cors,
        );
      }
      const issued = await within(() => options.issuer.issueWithExpiry(identity));
      if (issued === TIMED_OUT) return timedOut('issue');
      if (!issued.ok) {
        report(describeError(issued.error, 'issue'));
        return refuse('internal');
      }
      const { token, expiresAt } = issued.value ?? ({} as Partial<IssuedToken>);
      if (typeof token !== 'string' || typeof expiresAt !== 'number') {
        report({ phase: 'issue', name: 'TypeError', message: 'the issuer resolved without { token, expiresAt }' });
        return refuse('internal');
      }
      return answer(200, { token, expiresAt }, cors);
    } catch (error) {
      // Only an identity with throwing getters gets here: still one answer.
      report(describeError(error, 'issue'));
      return refuse('internal');
    } finally {
      clearTimeout(timer);
    }
  };
}

function toIdentity(value: unknown): VisitorIdentity | null {
  if (value === null || value === undefined) return null;
  return (typeof value === 'string' ? { userId: value } : value) as VisitorIdentity;
}

/** Calls the site's error hook without ever letting it change the answer or escape as a rejection. */
function tell(onError: TokenHandlerOptions<unknown>['onError'], info: TokenHandlerErrorInfo): void {
  if (!onError) return;
  try {
    const result: unknown = onError(info);
    // An async hook whose sink is down must not become an unhandled rejection.
    if (typeof result === 'object' && result !== null && typeof (result as PromiseLike<unknown>).then === 'function') {
      Promise.resolve(result).catch(() => undefined);
    }
  } catch {
    // A failing error hook must not turn a clean 500 into a crash.
  }
}

/**
 * What onError is told about a thrown value, read defensively: it may be anything (an object
 * without a prototype, a message that is not a string, getters that throw).
 */
function describeError(error: unknown, phase: TokenHandlerErrorInfo['phase']): TokenHandlerErrorInfo {
  const isObject = (typeof error === 'object' && error !== null) || typeof error === 'function';
  const read = (key: 'name' | 'message' | 'code'): unknown => {
    try {
      return (error as Record<string, unknown>)[key];
    } catch {
      return undefined;
    }
  };
  const name = isObject ? read('name') : undefined;
  const message = isObject ? read('message') : error;
  const code = isObject ? read('code') : undefined;
  return {
    phase,
    name: typeof name === 'string' ? name.slice(0, 100) : error === null ? 'null' : typeof error,
    message: redactText(
      typeof message === 'string' ? message : isObject || message === undefined ? '' : String(message),
    ).slice(0, 2_000),
    ...(typeof code === 'string' ? { code: code.slice(0, 100) } : {}),
  };
}

function refuse(
  error: Exclude<TokenHandlerErrorCode, 'identity-refused'>,
  headers: Record<string, string> = {},
): TokenAnswer {
  return answer(TOKEN_HANDLER_ERROR_STATUS[error], { error }, headers);
}

function answer(
  status: number,
  body: TokenHandlerErrorBody | IssuedToken,
  headers: Record<string, string> = {},
): TokenAnswer {
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
