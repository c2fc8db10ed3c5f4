// The token endpoint on node:http (and Express, Fastify's raw request...): the same policy as
// createTokenHandler, read straight from the IncomingMessage and written straight to the
// ServerResponse, without building a web Request and Response per token. Imports node:http for
// its types only, so the server entry still loads on edge runtimes.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createTokenPolicy, type TokenAnswer, type TokenHandlerOptions } from './handler.js';

/** createTokenHandler's options, `identify` being given the IncomingMessage. */
export type NodeTokenHandlerOptions<Req extends IncomingMessage = IncomingMessage> = TokenHandlerOptions<Req>;

/** A request listener: `http.createServer(handler)`, or `app.post(path, (req, res) => handler(req, res))`. */
export type NodeTokenHandler<Req extends IncomingMessage = IncomingMessage> = (req: Req, res: ServerResponse) => Promise<void>;

/**
 * The token endpoint as a node:http request listener, answering exactly as `createTokenHandler`
 * does (same statuses, headers and JSON bodies). The body limit is enforced on the stream: a
 * declared Content-Length over it is refused unread, a chunked body is counted and no byte of it
 * is kept. The returned promise settles once the answer is written and never rejects; when the
 * client goes away mid-body there is nobody to answer and the connection is dropped.
 * Give the type of your framework's request (`createNodeTokenHandler<express.Request>`) to
 * have it in `identify`.
 */
export function createNodeTokenHandler<Req extends IncomingMessage = IncomingMessage>(options: NodeTokenHandlerOptions<Req>): NodeTokenHandler<Req> {
  const policy = createTokenPolicy(options);
  return async (req, res) => {
    try {
      const answer = await policy({
        method: req.method ?? '',
        origin: req.headers.origin ?? null,
        declaredLength: Number(req.headers['content-length'] ?? 0),
        bodyFits: (limit) => incomingFits(req, limit),
        request: req,
      });
      write(res, answer, !req.complete);
    } catch {
      // Only a failed body read (the client went away) or an answer that cannot be written
      // (already sent by someone else) get here: nothing more can be said on this connection.
      res.destroy();
    }
  };
}

/** Counts the body as it streams, keeping none of it, and stops reading past `limit`. */
function incomingFits(req: IncomingMessage, limit: number): Promise<boolean> {
  // An HTTP/1.1 request with neither Transfer-Encoding nor a positive Content-Length has no body;
  // a body read before us (a framework's body parser) has ended: either way nothing to wait for.
  const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
  if (!hasBody || req.readableEnded) return Promise.resolve(true);
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

function write(res: ServerResponse, { status, headers, body }: TokenAnswer, bodyLeft: boolean): void {
  res.writeHead(status, {
    ...headers,
    'content-length': Buffer.byteLength(body),
    // Answered before the body was read whole (405, 403, 413...): close rather than have Node
    // read the rest of an unwanted body only to reuse the connection.
    ...(bodyLeft ? { connection: 'close' } : {}),
  });
  res.end(body);
}
