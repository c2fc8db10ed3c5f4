// The token endpoint benchmark's load generator, run as its own process so that making
// requests does not take CPU from the server being measured. Prints the milliseconds taken.
// Usage: node load-client.mjs <url> <origin> <requests> <in flight>
import { Agent, request as httpRequest } from 'node:http';
import { timeFixed } from './measure.mjs';

const [url, origin, requests, inFlight] = process.argv.slice(2);
const agent = new Agent({ keepAlive: true, maxSockets: Number(inFlight) });

const tokenRequest = () =>
  new Promise((resolve, reject) => {
    const req = httpRequest(url, { agent, method: 'POST', headers: { origin, cookie: 'session=user-42', 'content-length': 0 } }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        if (res.statusCode === 200 && typeof JSON.parse(body).token === 'string') resolve();
        else reject(new Error(`token endpoint answered ${res.statusCode} ${body.slice(0, 200)}`));
      });
    });
    req.on('error', reject);
    req.end();
  });

const ms = await timeFixed(tokenRequest, { count: Number(requests), concurrency: Number(inFlight) });
agent.destroy();
process.stdout.write(`${ms}\n`);
