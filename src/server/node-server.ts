// The node:http server options the token endpoint is documented and tested with. Node's
// defaults hold a slow client for minutes (requestTimeout 300 s, checked every 30 s): a few
// hundred connections trickling headers would hold the server's sockets that long.

/**
 * Give them to `http.createServer(NODE_SERVER_TIMEOUTS, listener)` (or assign them to the
 * server Express's `app.listen` returns). All in milliseconds:
 * - `headersTimeout`: the request's headers must arrive within it (408 and close otherwise);
 * - `requestTimeout`: the whole request, body included, must arrive within it;
 * - `keepAliveTimeout`: an idle kept-alive connection is closed after it;
 * - `connectionsCheckingInterval`: how often the two request timeouts are checked (Node's
 *   default, 30 s, would let a slow client stay that much longer).
 */
export const NODE_SERVER_TIMEOUTS = {
  headersTimeout: 10_000,
  requestTimeout: 15_000,
  keepAliveTimeout: 5_000,
  connectionsCheckingInterval: 1_000,
} as const;
