// Node's http server in front of a web-standard (Request) => Promise<Response> handler: the
// demo's routes, the token handler and the fake iAdvize server all speak Fetch.
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';

/** No demo request needs more: a bigger body is refused before it is read whole. */
const MAX_BODY_BYTES = 64 * 1024;

export function nodeListener(
  handler: (request: Request) => Promise<Response>,
  onError: (error: unknown) => void,
): RequestListener {
  return (incoming, outgoing) => {
    void (async () => {
      try {
        const body = await readBody(incoming);
        if (body === 'too-large') return await send(outgoing, new Response('request body too large', { status: 413 }));
        await send(outgoing, await handler(toRequest(incoming, body)));
      } catch (error) {
        onError(error);
        if (!outgoing.headersSent) outgoing.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        outgoing.end('internal error');
      }
    })();
  };
}

function toRequest(incoming: IncomingMessage, body: Buffer | undefined): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  // The Host header only names the server in the URL; routes and origin checks never trust it.
  const url = new URL(incoming.url ?? '/', `http://${incoming.headers.host ?? 'localhost'}`);
  return new Request(url, {
    method: incoming.method ?? 'GET',
    headers,
    ...(body === undefined ? {} : { body: new Uint8Array(body) }),
  });
}

async function readBody(incoming: IncomingMessage): Promise<Buffer | undefined | 'too-large'> {
  if (incoming.method === 'GET' || incoming.method === 'HEAD') return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of incoming) {
    size += (chunk as Buffer).byteLength;
    if (size > MAX_BODY_BYTES) return 'too-large';
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

async function send(outgoing: ServerResponse, response: Response): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  const body = Buffer.from(await response.arrayBuffer());
  outgoing.writeHead(response.status, headers);
  outgoing.end(body);
}
