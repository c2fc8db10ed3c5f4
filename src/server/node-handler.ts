// The token endpoint on node:http (and Express, Fastify's raw request...): the same policy as
// createTokenHandler, read straight from the IncomingMessage and written straight to the
// ServerResponse, without building a web Request and Response per token. Node-only: it is the
// `iadvize-activation/server/node` entry, so the Fetch entry's types need nothing from Node.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createTokenPolicy, type TokenAnswer, type TokenHandlerOptions } from './policy.js';

/** createTokenHandler's options, `identify` being given the IncomingMessage. */
export type NodeTokenHandlerOptions<Req extends IncomingMessage = IncomingMessage> = TokenHandlerOptions<Req>;

/** A request listener: `http.createServer(handler)`, or `app.post(path, (req, res) => handler(req, res))`. */
export type NodeTokenHandler<Req extends IncomingMessage = IncomingMessage> = (
  req: Req,
  res: ServerResponse,
) => Promise<void>;

/**
 * After an answer given before the body was read whole (413), how long the connection keeps
 * reading and discarding what the client still sends before it closes, in ms, and how much it
 * reads at most. Closing at once resets a client still writing (EPIPE, ECONNRESET), and the
 * reset can destroy the answer before the client reads it; Go's net/http lingers the same way.
 */
const LINGER_MS = 500;
const LINGER_MAX_BYTES = 16 * 1024 * 1024;

/**
 * The token endpoint as a node:http request listener, answering exactly as `createTokenHandler`
 * does (same statuses, headers and JSON bodies). The body limit is enforced on the stream: a
 * declared Content-Length over it is refused unread, a chunked body is counted and no byte of it
 * is kept; a body a framework parsed already (`req.body` set) is not read again. The returned
 * promise never rejects, and settles once the answer is written: within `timeoutMs` of the
 * body being read, whatever `identify`, `onError` or the issuer do. Reading the body itself is
 * bounded by the server's `requestTimeout` (see `NODE_SERVER_TIMEOUTS`).
 * Give the type of your framework's request (`createNodeTokenHandler<express.Request>`) to
 * have it in `identify`.
 */
export function createNodeTokenHandler<Req extends IncomingMessage = IncomingMessage>(
  options: NodeTokenHandlerOptions<Req>,
): NodeTokenHandler<Req> {
  const policy = createTokenPolicy(options);
  return async (req, res) => {
    try {
      const origin = req.headers.origin;
      const requestedHeaders = req.headers['access-control-request-headers'];
      const answer = await policy({
        method: req.method ?? '',
        origin: origin ?? null,
        requestedHeaders: requestedHeaders ?? null,
        declaredLength: Number(req.headers['content-length'] ?? 0),
        bodyFits: (limit) => incomingFits(req, limit),
        request: req,
      });
      write(req, res, answer);
    } catch {
      // Only an answer that cannot be written (sent already by someone else) gets here:
      // nothing more can be said on this connection.
      res.destroy();
    }
  };
}

/** Counts the body as it streams, keeping none of it, and stops reading past `limit`. */
function incomingFits(req: IncomingMessage, limit: number): Promise<boolean> {
  // An HTTP/1.1 request with neither Transfer-Encoding nor a positive Content-Length has no body;
  // a body read before us (express.json(), a framework's parser) has ended, or sits parsed in
  // req.body while the parser still holds the stream: either way nothing to wait for. A req.body
  // on a stream nobody touched (Express 4's `{}` for a type its parser skipped) is still counted.
  const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
  const parsedElsewhere = (req as { body?: unknown }).body !== undefined && req.readableFlowing !== null;
  if (!hasBody || req.readableEnded || parsedElsewhere) return Promise.resolve(true);
  if (req.destroyed) return Promise.reject(new RequestBodyError());
  return new Promise((resolve, reject) => {
    let total = 0;
    const settle = (fits: boolean | RequestBodyError) => {
      req.off('data', onData).off('end', onEnd).off('error', onFailure).off('close', onFailure);
      if (fits instanceof RequestBodyError) reject(fits);
      else resolve(fits);
    };
    const onData = (chunk: Buffer) => {
      total += chunk.byteLength;
      if (total > limit) {
        // Paused, not destroyed: destroying the request would close the socket before the 413.
        req.pause();
        settle(false);
      }
    };
    const onEnd = () => settle(true);
    // An 'error' (aborted) or a 'close' before 'end': the client went away mid-body.
    const onFailure = () => settle(new RequestBodyError());
    req.on('data', onData).once('end', onEnd).once('error', onFailure).once('close', onFailure);
  });
}

/** The request ended or was aborted before its body was read whole. */
class RequestBodyError extends Error {
  override readonly name = 'RequestBodyError';
  constructor() {
    super('the request body could not be read: the client went away');
  }
}

function write(req: IncomingMessage, res: ServerResponse, { status, headers, body }: TokenAnswer): void {
  // The client is gone (it went away mid-body): nobody to answer.
  if (req.socket?.destroyed) return void res.destroy();
  const bodyLeft = !req.complete;
  res.writeHead(status, {
    ...headers,
    ...(status === 204 ? {} : { 'content-length': Buffer.byteLength(body) }),
    // Answered before the body was read whole (405, 403, 413...): close rather than have Node
    // read the rest of an unwanted body only to reuse the connection.
    ...(bodyLeft ? { connection: 'close' } : {}),
  });
  if (bodyLeft && req.socket) lingerBeforeClosing(req);
  res.end(status === 204 ? undefined : body);
}

/**
 * Node closes the socket of a `Connection: close` answer as soon as it is written. Instead:
 * send the answer and the end of the stream, read and discard what the client still sends for
 * LINGER_MS (LINGER_MAX_BYTES at most), then close.
 */
function lingerBeforeClosing(req: IncomingMessage): void {
  const socket = req.socket;
  let drained = 0;
  const close = () => {
    clearTimeout(timer);
    socket.destroy();
  };
  const timer = setTimeout(close, LINGER_MS);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
  req.on('data', (chunk: Buffer) => {
    drained += chunk.byteLength;
    if (drained > LINGER_MAX_BYTES) close();
  });
  req.resume();
  // node:http calls destroySoon() once the answer is written: half-close instead. The socket
  // closes itself once the client ends too (node:http sockets allow half-open), else on the timer.
  socket.destroySoon = () => void socket.end();
}
