// Tokens per second from createTokenHandler served over HTTP on loopback (a plain node:http
// server adapting IncomingMessage to a web Request), beside the issuer called in process, with
// the same number of requests in flight. The difference is what the endpoint costs: HTTP, the
// Request/Response adaptation, origin and body checks, JSON.
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
import { createTokenHandler } from '../../dist/server.js';
import { micros, round, timeFixed } from './support/measure.mjs';
import { benchIssuer } from './support/setup.mjs';

const IN_FLIGHT = 4;
const REQUESTS_PER_ROUND = 500;
const ROUNDS = 4;
const ORIGIN = 'https://shop.example';
const LOAD_CLIENT = fileURLToPath(new URL('./support/load-client.mjs', import.meta.url));

/** Serves a web-standard handler with node:http, as a site without a framework would. */
function serve(handler) {
  const server = createServer(async (req, res) => {
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
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** The load generator's command: on core 1 when this run is pinned to core 0 and there is one. */
function clientCommand(args) {
  const node = [process.execPath, LOAD_CLIENT, ...args];
  const pinned = process.env.IADVIZE_BENCH_CHILD === 'taskset -c 0' && cpus().length > 1;
  return { command: pinned ? ['taskset', '-c', '1', ...node] : node, placement: pinned ? 'client on core 1, server on core 0' : 'client in its own process, same CPUs as the server' };
}

export async function run() {
  const { issuer } = await benchIssuer({ issuer: ORIGIN });
  const handler = createTokenHandler({
    issuer,
    // The site's session lookup, reduced to reading the cookie.
    identify: (request) => /(?:^|;\s*)session=([^;]+)/.exec(request.headers.get('cookie') ?? '')?.[1] ?? null,
    allowedOrigins: [ORIGIN],
  });
  const server = await serve(handler);
  const url = `http://127.0.0.1:${server.address().port}/api/iadvize-token`;

  let placement;
  const overHttp = async (count) => {
    const client = clientCommand([url, ORIGIN, String(count), String(IN_FLIGHT)]);
    placement = client.placement;
    const { stdout } = await promisify(execFile)(client.command[0], client.command.slice(1));
    return Number(stdout);
  };
  const inProcess = (count) => timeFixed(() => issuer.issueWithExpiry({ userId: 'user-42' }), { count, concurrency: IN_FLIGHT });

  const subjects = { overHttp, inProcess };
  const elapsed = { overHttp: 0, inProcess: 0 };
  // This process's CPU time (the server, or the issuer, and WebCrypto's pool threads): unlike
  // the wall time, it does not depend on how fast the load generator is.
  const cpuMicros = { overHttp: 0, inProcess: 0 };
  // A warm-up round each, then rounds interleaved so drift hits both alike.
  for (const measure of Object.values(subjects)) await measure(REQUESTS_PER_ROUND / 5);
  for (let i = 0; i < ROUNDS; i++) {
    for (const [name, measure] of Object.entries(subjects)) {
      const before = process.cpuUsage();
      elapsed[name] += await measure(REQUESTS_PER_ROUND);
      const { user, system } = process.cpuUsage(before);
      cpuMicros[name] += user + system;
    }
  }
  await new Promise((resolve) => server.close(resolve));

  const rate = (ms) => (ROUNDS * REQUESTS_PER_ROUND * 1000) / ms;
  const ratio = round(rate(elapsed.overHttp) / rate(elapsed.inProcess));
  return {
    name: `token endpoint over HTTP (${IN_FLIGHT} in flight)`,
    value: Math.round(rate(elapsed.overHttp)),
    unit: 'tokens/s',
    anchor: 'tokens/s issued in process',
    anchorValue: Math.round(rate(elapsed.inProcess)),
    ratio,
    goal: '>= 0.80',
    met: ratio >= 0.8,
    details: {
      requests: ROUNDS * REQUESTS_PER_ROUND,
      placement,
      microsPerTokenOverHttp: micros(rate(elapsed.overHttp)),
      microsPerTokenInProcess: micros(rate(elapsed.inProcess)),
      cpuMicrosPerTokenOverHttp: Math.round(cpuMicros.overHttp / (ROUNDS * REQUESTS_PER_ROUND)),
      cpuMicrosPerTokenInProcess: Math.round(cpuMicros.inProcess / (ROUNDS * REQUESTS_PER_ROUND)),
    },
  };
}
