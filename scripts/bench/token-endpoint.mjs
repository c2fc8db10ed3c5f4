// Tokens per second from the token endpoint served over HTTP on loopback, beside the issuer
// called in process, with the same number of requests in flight. The main figure serves
// createNodeTokenHandler on a plain node:http server, as a Node site would; the details also
// give createTokenHandler behind a node:http server adapting IncomingMessage to a web Request
// (what a Node site had to do before), and a bare node:http endpoint that only issues and writes
// the JSON (what HTTP itself costs here), so every cost is in view. The difference from
// in-process issuance is what the endpoint costs: HTTP, origin and body checks, JSON, and for
// the adapted one the Request/Response objects.
//
// The requests come from a separate load-generator process (keep-alive agent, a fixed number of
// requests), on another core when the run is pinned: a browser's requests cost the server
// nothing, and a client in this process would take CPU from the server being measured.
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import { cpus } from 'node:os';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createNodeTokenHandler, createTokenHandler } from '../../dist/server.js';
import { micros, round, timeFixed } from './support/measure.mjs';
import { benchIssuer } from './support/setup.mjs';

const IN_FLIGHT = 4;
const REQUESTS_PER_ROUND = 500;
const ROUNDS = 4;
/**
 * Requests before timing, per subject. A server is measured warm, as it runs in production: its
 * CPU per request over node:http keeps falling for the first few thousand requests (JIT).
 */
const WARM_UP_REQUESTS = 3_000;
const ORIGIN = 'https://shop.example';
const LOAD_CLIENT = fileURLToPath(new URL('./support/load-client.mjs', import.meta.url));

/** A web-standard handler behind node:http, adapting each request and answer. */
function adapted(handler) {
  return createServer(async (req, res) => {
    const headers = new Headers();
    for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i], req.rawHeaders[i + 1]);
    const declaresBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
    const request = new Request(`http://${req.headers.host ?? 'localhost'}${req.url}`, {
      method: req.method,
      headers,
      ...(declaresBody ? { body: Readable.toWeb(req), duplex: 'half' } : {}),
    });
    const response = await handler(request);
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
}

/**
 * The least any endpoint on node:http does: issue, write the JSON. No method, origin or body
 * check, no CORS. What HTTP itself costs here, so the handler's own share can be told apart.
 */
function bare(issuer) {
  return createServer(async (req, res) => {
    const { token, expiresAt } = await issuer.issueWithExpiry({ userId: sessionOf(req.headers.cookie) });
    const body = JSON.stringify({ token, expiresAt });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
}

/** The URL of `server`'s token endpoint once it listens on loopback. */
function listen(server) {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${server.address().port}/api/iadvize-token`)));
}

/** The site's session lookup, reduced to reading the cookie. */
const sessionOf = (cookie) => /(?:^|;\s*)session=([^;]+)/.exec(cookie ?? '')?.[1] ?? null;

/** The load generator's command: on core 1 when this run is pinned to core 0 and there is one. */
function clientCommand(args) {
  const node = [process.execPath, LOAD_CLIENT, ...args];
  const pinned = process.env.IADVIZE_BENCH_CHILD === 'taskset -c 0' && cpus().length > 1;
  return { command: pinned ? ['taskset', '-c', '1', ...node] : node, placement: pinned ? 'client on core 1, server on core 0' : 'client in its own process, same CPUs as the server' };
}

export async function run() {
  const { issuer } = await benchIssuer({ issuer: ORIGIN });
  const options = { issuer, allowedOrigins: [ORIGIN] };
  const servers = {
    node: createServer(createNodeTokenHandler({ ...options, identify: (req) => sessionOf(req.headers.cookie) })),
    webAdapted: adapted(createTokenHandler({ ...options, identify: (request) => sessionOf(request.headers.get('cookie')) })),
    bareHttp: bare(issuer),
  };
  const urls = Object.fromEntries(await Promise.all(Object.entries(servers).map(async ([name, server]) => [name, await listen(server)])));

  let placement;
  const overHttp = (url) => async (count) => {
    const client = clientCommand([url, ORIGIN, String(count), String(IN_FLIGHT)]);
    placement = client.placement;
    const { stdout } = await promisify(execFile)(client.command[0], client.command.slice(1));
    return Number(stdout);
  };
  const inProcess = (count) => timeFixed(() => issuer.issueWithExpiry({ userId: 'user-42' }), { count, concurrency: IN_FLIGHT });

  const subjects = { node: overHttp(urls.node), webAdapted: overHttp(urls.webAdapted), bareHttp: overHttp(urls.bareHttp), inProcess };
  const elapsed = Object.fromEntries(Object.keys(subjects).map((name) => [name, 0]));
  // This process's CPU time (the server, or the issuer, and WebCrypto's pool threads): unlike
  // the wall time, it does not depend on how fast the load generator is.
  const cpuMicros = { ...elapsed };
  // A warm-up each, then rounds interleaved so drift hits all alike.
  for (const measure of Object.values(subjects)) await measure(WARM_UP_REQUESTS);
  for (let i = 0; i < ROUNDS; i++) {
    for (const [name, measure] of Object.entries(subjects)) {
      const before = process.cpuUsage();
      elapsed[name] += await measure(REQUESTS_PER_ROUND);
      const { user, system } = process.cpuUsage(before);
      cpuMicros[name] += user + system;
    }
  }
  await Promise.all(Object.values(servers).map((server) => new Promise((resolve) => server.close(resolve))));

  const requests = ROUNDS * REQUESTS_PER_ROUND;
  const rate = (name) => (requests * 1000) / elapsed[name];
  const ratio = round(rate('node') / rate('inProcess'));
  return {
    name: `token endpoint over HTTP, createNodeTokenHandler (${IN_FLIGHT} in flight)`,
    value: Math.round(rate('node')),
    unit: 'tokens/s',
    anchor: 'tokens/s issued in process',
    anchorValue: Math.round(rate('inProcess')),
    ratio,
    goal: '>= 0.80',
    met: ratio >= 0.8,
    details: {
      requests,
      placement,
      tokensPerSecondWebAdapted: Math.round(rate('webAdapted')),
      ratioWebAdapted: round(rate('webAdapted') / rate('inProcess')),
      ratioBareHttp: round(rate('bareHttp') / rate('inProcess')),
      microsPerTokenNode: micros(rate('node')),
      microsPerTokenWebAdapted: micros(rate('webAdapted')),
      microsPerTokenBareHttp: micros(rate('bareHttp')),
      microsPerTokenInProcess: micros(rate('inProcess')),
      cpuMicrosPerTokenNode: Math.round(cpuMicros.node / requests),
      cpuMicrosPerTokenWebAdapted: Math.round(cpuMicros.webAdapted / requests),
      cpuMicrosPerTokenBareHttp: Math.round(cpuMicros.bareHttp / requests),
      cpuMicrosPerTokenInProcess: Math.round(cpuMicros.inProcess / requests),
    },
  };
}
