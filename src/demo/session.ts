// The shop's own sign-in: a random session id in an HttpOnly, SameSite=Strict cookie, and the
// signed-in user in memory. No Secure flag: the demo is served over plain http on loopback.
import { randomBytes } from 'node:crypto';

export const SESSION_COOKIE = 'demo_session';

export interface SessionStore<T> {
  /** Opens a session for `value`; returns the Set-Cookie header value. */
  open(value: T): string;
  /** The value of the request's session, if it has a live one. */
  read(request: Request): T | undefined;
  /** Ends the request's session; returns the Set-Cookie header value that clears the cookie. */
  close(request: Request): string;
}

export function createSessionStore<T>(): SessionStore<T> {
  const sessions = new Map<string, T>();
  return {
    open(value) {
      // 256 random bits: not guessable, not derived from the user.
      const id = randomBytes(32).toString('base64url');
      sessions.set(id, value);
      return cookie(id);
    },
    read(request) {
      const id = sessionId(request);
      return id === undefined ? undefined : sessions.get(id);
    },
    close(request) {
      const id = sessionId(request);
      if (id !== undefined) sessions.delete(id);
      return cookie('', 0);
    },
  };
}

function cookie(value: string, maxAgeSeconds?: number): string {
  return [
    `${SESSION_COOKIE}=${value}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    ...(maxAgeSeconds === undefined ? [] : [`Max-Age=${maxAgeSeconds}`]),
  ].join('; ');
}

function sessionId(request: Request): string | undefined {
  const header = request.headers.get('cookie') ?? '';
  for (const part of header.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === SESSION_COOKIE) return value.join('=') || undefined;
  }
  return undefined;
}
