// The token endpoint under concurrent load, on loopback: tokens per second and p50/p99 latency
// at 1, 32 and 128 keep-alive connections, from autocannon in its own process. The main figure
// is createNodeTokenHandler served as docs/examples/node-http.ts does; its anchor is a bare
// node:http endpoint doing the same issuance with no checks (what HTTP and the token cost by
// themselves; goal >= 0.95 of it). Beside them: createTokenHandler under Hono on
// @hono/node-server, and a Python backend issuing the same token with jwcrypto when Debian's
// python3-jwcrypto is installed (the goal is at least its figure at every concurrency).
//
// Servers run in this process, or as its children, on core 0 when the run is pinned
// (`taskset -c 0`); the load generator runs on core 1 (`taskset -c 1`).
import { serve } from '@hono/node-server';
import { execFile, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Hono } from 'hono';
import { createTokenHandler, verifyToken } from '../../dist/server.js';
import { createNodeTokenHandler, NODE_SERVER_TIMEOUTS } from '../../dist/server/node.js';
import { round } from './support/measure.mjs';
import { benchIssuer } from './support/setup.mjs';

const CONNECTIONS = [1, 32, 128];
/** Seconds of load per measurement; each subject gets a warm-up, then ROUNDS interleaved rounds. */
const WARM_UP_SECONDS = 2;
const ROUND_SECONDS = 2;
/** Many short rounds rather than a few long ones: on a shared machine, neighbours' bursts then hit every subject alike. */
const ROUNDS = 6;
const ORIGIN = 'https://shop.example';
const CLIENT = fileURLToPath(new URL('./support/autocannon-client.mjs', import.meta.url));
const PYTHON_SERVER = fileURLToPath(new URL('./support/python_token_server.py', import.meta.url));
/** Debian's python3-jwcrypto installs for the system Python, which a pyenv shim may hide. */
const PYTHONS = ['/usr/bin/python3', 'python3'];

const pinned = () => process.env.IADVIZE_BENCH_CHILD === 'taskset -c 0' && cpus().length > 1;
const onCore = (core, command) => (pinned() ? ['taskset', '-c', String(core), ...command] : command);

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** The site's session lookup, reduced to reading the cookie. */
const sessionOf = (cookie) => /(?:^|;\s*)session=([^;]+)/.exec(cookie ?? '')?.[1] ?? null;

/** The least any endpoint on node:http does: issue, write the JSON. No method, origin or body check. */
function bareHttp(issuer) {
  return createServer(NODE_SERVER_TIMEOUTS, async (req, res) => {
    const { token, expiresAt } = await issuer.issueWithExpiry({ userId: sessionOf(req.headers.cookie) });
    const body = JSON.stringify({ token, expiresAt });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
}

function listen(server) {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));
}

async function startHono(options) {
  const handler = createTokenHandler({ ...options, identify: (request) => sessionOf(request.headers.get('cookie')) });
  const app = new Hono().post('/api/iadvize-token', (c) => handler(c.req.raw));
  let server;
  const port = await new Promise((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1', serverOptions: NODE_SERVER_TIMEOUTS }, (info) =>
      resolve(info.port),
    );
  });
  return { port, close: () => new Promise((resolve) => server.close(resolve)) };
}

/** A Python with jwcrypto, or undefined. */
function pythonWithJwcrypto() {
  return PYTHONS.find((python) => spawnSync(python, ['-c', 'import jwcrypto'], { stdio: 'ignore' }).status === 0);
}

async function startPython(python, keys) {
  const [command, ...args] = onCore(0, [python, PYTHON_SERVER, ORIGIN, ORIGIN]);
  const child = spawn(command, args, {
    env: {
      ...process.env,
      BENCH_PRIVATE_KEY: keys.customer.privateKeyPem,
      BENCH_IADVIZE_PUBLIC_KEY: keys.iadvize.publicKeyPem,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the Python server exited (${code})`)));
    child.stdout.once('data', (chunk) => resolve(Number(String(chunk).trim())));
  });
  return { port, close: () => child.kill() };
}

/** One autocannon run against `port` from core 1. */
async function load(port, connections, seconds) {
  const command = onCore(1, [
    process.execPath,
    CLIENT,
    `http://127.0.0.1:${port}/api/iadvize-token`,
    ORIGIN,
    String(connections),
    String(seconds),
  ]);
  const { stdout } = await promisify(execFile)(command[0], command.slice(1), { maxBuffer: 1024 * 1024 });
  return JSON.parse(stdout);
}

/** One POST, its token decrypted and verified: every subject must issue the real thing. */
async function checkIssues(name, port, keys) {
  const response = await fetch(`http://127.0.0.1:${port}/api/iadvize-token`, {
    method: 'POST',
    headers: { origin: ORIGIN, cookie: 'session=user-42' },
  });
  const { token } = await response.json();
  const verification = await verifyToken(token, {
    iadvizePrivateKey: keys.iadvize.privateKeyPem,
    customerPublicKey: keys.customer.publicKeyPem,
  });
  if (!verification.ok || verification.claims.userId !== 'user-42')
    throw new Error(`${name} did not issue a valid token (${verification.check ?? 'wrong user'})`);
}

export async function run() {
  // Other work on the machine moves these figures more than anything measured: say how much there was.
  const loadBefore = round(loadavg()[0], 2);
  const { keys, issuer } = await benchIssuer({ issuer: ORIGIN });
  const options = { issuer, allowedOrigins: [ORIGIN] };
  const nodeServer = createServer(
    NODE_SERVER_TIMEOUTS,
    createNodeTokenHandler({ ...options, identify: (req) => sessionOf(req.headers.cookie) }),
  );
  const bareServer = bareHttp(issuer);
  const hono = await startHono(options);
  const subjects = { node: await listen(nodeServer), bareHttp: await listen(bareServer), hono: hono.port };
  const python = pythonWithJwcrypto();
  let pythonNote =
    python === undefined
      ? 'python3-jwcrypto not installed (apt-get install python3-jwcrypto): no Python figure'
      : `${python} with jwcrypto`;
  // The Python figure is a comparison, not the subject: a Python that will not start is reported, not fatal.
  const pythonServer = python
    ? await startPython(python, keys).catch(
        (error) => void (pythonNote = `the Python server did not start: ${error.message}`),
      )
    : undefined;
  if (pythonServer) subjects.python = pythonServer.port;

  const rows = {};
  try {
    for (const [name, port] of Object.entries(subjects)) await checkIssues(name, port, keys);
    for (const connections of CONNECTIONS) {
      for (const port of Object.values(subjects)) await load(port, connections, WARM_UP_SECONDS);
      const runs = Object.fromEntries(Object.keys(subjects).map((name) => [name, []]));
      // Interleaved rounds, so drift (frequency, neighbours' load) hits every subject alike.
      for (let i = 0; i < ROUNDS; i++)
        for (const [name, port] of Object.entries(subjects))
          runs[name].push(await load(port, connections, ROUND_SECONDS));
      for (const [name, results] of Object.entries(runs)) {
        rows[name] ??= {};
        rows[name][connections] = {
          tokensPerSecond: Math.round(results.reduce((sum, r) => sum + r.tokensPerSecond, 0) / results.length),
          p50Ms: median(results.map((r) => r.p50Ms)),
          p99Ms: median(results.map((r) => r.p99Ms)),
          failed: results.reduce((sum, r) => sum + r.non2xx + r.errors, 0),
        };
      }
    }
  } finally {
    await Promise.all([nodeServer, bareServer].map((server) => new Promise((resolve) => server.close(resolve))));
    await hono.close();
    pythonServer?.close();
  }

  const ratios = Object.fromEntries(
    CONNECTIONS.map((c) => [c, round(rows.node[c].tokensPerSecond / rows.bareHttp[c].tokensPerSecond)]),
  );
  const ratio = Math.min(...Object.values(ratios));
  const atLeastPython = rows.python
    ? Object.fromEntries(CONNECTIONS.map((c) => [c, rows.node[c].tokensPerSecond >= rows.python[c].tokensPerSecond]))
    : pythonNote;
  const p99Within2xP50At32 = rows.node[32].p99Ms <= 2 * rows.node[32].p50Ms;
  const failures = Object.values(rows)
    .flatMap((byConnections) => Object.values(byConnections))
    .reduce((sum, row) => sum + row.failed, 0);
  return {
    name: 'token endpoint under load, createNodeTokenHandler (tokens/s at 32 connections)',
    value: rows.node[32].tokensPerSecond,
    unit: 'tokens/s',
    anchor: 'tokens/s from a bare node:http endpoint doing the same issuance',
    anchorValue: rows.bareHttp[32].tokensPerSecond,
    ratio,
    goal: '>= 0.95 at 1, 32 and 128 connections; >= Python; p99 <= 2 x p50 at 32',
    met:
      ratio >= 0.95 &&
      p99Within2xP50At32 &&
      (typeof atLeastPython === 'string' || Object.values(atLeastPython).every(Boolean)) &&
      failures === 0,
    details: {
      placement: pinned()
        ? 'servers on core 0, autocannon on core 1'
        : 'unpinned: servers and autocannon share the CPUs',
      secondsPerFigure: ROUNDS * ROUND_SECONDS,
      loadAverage: { before: loadBefore, after: round(loadavg()[0], 2), cores: cpus().length },
      ratioToBareHttpByConnections: ratios,
      atLeastPython,
      p99Within2xP50At32,
      failedRequests: failures,
      pythonBackend: pythonNote,
      ...Object.fromEntries(Object.entries(rows).map(([name, byConnections]) => [name, byConnections])),
    },
  };
}
