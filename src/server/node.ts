// iadvize-activation/server/node: the token endpoint as a node:http request listener (plain
// Node, Express), and the server timeouts it is documented with. Node only; the Fetch handler,
// the issuer and key loading are in iadvize-activation/server.
export { createNodeTokenHandler } from './node-handler.js';
export type { NodeTokenHandler, NodeTokenHandlerOptions } from './node-handler.js';
export { NODE_SERVER_TIMEOUTS } from './node-server.js';
