// The fake iAdvize server over HTTP: a web-standard Request → Response handler the demo
// server mounts, so the fake tag in a browser authenticates without holding any key.
import { statusOfAnswer, type AuthenticationAnswer } from './server-protocol.js';

/** Bigger bodies are not a token: refused before parsing. */
const MAX_BODY_BYTES = 16_384;

/** Answers POST `{ token }` (JSON) with the server's AuthenticationAnswer (JSON). */
export async function handleAuthentication(
  request: Request,
  authenticate: (token: string) => Promise<AuthenticationAnswer>,
): Promise<Response> {
  if (request.method !== 'POST') {
    return json(405, { error: 'POST a JSON body { "token": "<JWE>" }' }, { allow: 'POST' });
  }
  const text = await request.text().catch(() => '');
  const token = text.length > MAX_BODY_BYTES ? '' : tokenOf(text);
  // A missing or unreadable token is checked like any other: the server calls it malformed.
  const answer = await authenticate(token);
  return json(statusOfAnswer(answer), answer);
}

function tokenOf(body: string): string {
  try {
    const token: unknown = (JSON.parse(body) as { token?: unknown } | null)?.token;
    return typeof token === 'string' ? token : '';
  } catch {
    return '';
  }
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  });
}
