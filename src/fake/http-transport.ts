// The fake tag's way to the fake server from a browser: POST the token as JSON. Key-free.
import {
  parseAnswer,
  SERVER_ERROR_ANSWER,
  type AuthenticationAnswer,
  type AuthenticationRequestBody,
  type FakeServerTransport,
} from './server-protocol.js';

export interface HttpTransportOptions {
  /** Default the global fetch, looked up at each call. */
  readonly fetch?: typeof fetch;
}

/** A network failure, a 5xx or an unreadable body is what the tag sees as a server error. */
export function createHttpTransport(url: string, options: HttpTransportOptions = {}): FakeServerTransport {
  return {
    async authenticate(token: string): Promise<AuthenticationAnswer> {
      const body: AuthenticationRequestBody = { token };
      const init: RequestInit = {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        credentials: 'same-origin',
      };
      try {
        const response = await (options.fetch ? options.fetch(url, init) : fetch(url, init));
        if (response.status >= 500) return SERVER_ERROR_ANSWER;
        return parseAnswer(await response.json());
      } catch {
        return SERVER_ERROR_ANSWER;
      }
    },
  };
}
