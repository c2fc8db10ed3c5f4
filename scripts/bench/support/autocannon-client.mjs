// The token endpoint benchmark's load generator: autocannon in its own process (pinned to
// another core than the server when the run is), so making requests takes no CPU from the
// server measured. Keep-alive connections, POST with the page's Origin and a session cookie.
// Prints one JSON line: { tokensPerSecond, p50Ms, p99Ms, non2xx, errors }.
// Usage: node autocannon-client.mjs <url> <origin> <connections> <seconds>
import autocannon from 'autocannon';

const [url, origin, connections, seconds] = process.argv.slice(2);
const result = await autocannon({
  url,
  method: 'POST',
  headers: { origin, cookie: 'session=user-42', 'content-length': '0' },
  connections: Number(connections),
  duration: Number(seconds),
  pipelining: 1,
});
const elapsedSeconds = (result.finish - result.start) / 1000;
process.stdout.write(
  `${JSON.stringify({
    tokensPerSecond: result['2xx'] / elapsedSeconds,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  })}\n`,
);
