// The demo's port: --port wins over the PORT environment variable, which wins over 4173.
import { DEFAULT_DEMO_PORT } from './app.js';

/** A --port or PORT value that is not a port number. */
export class DemoUsageError extends Error {
  override readonly name = 'DemoUsageError';
}

export function resolvePort(flag: string | undefined, env: string | undefined): number {
  // An empty PORT is as good as none (shells leave such variables around); an empty --port is a mistake.
  if (flag === undefined && (env === undefined || env === '')) return DEFAULT_DEMO_PORT;
  const [source, value] = flag !== undefined ? ['--port', flag] : ['PORT', env ?? ''];
  const port = /^\d{1,5}$/.test(value) ? Number(value) : NaN;
  if (!(port <= 65_535))
    throw new DemoUsageError(
      `${source} must be a port number from 0 to 65535 (got ${JSON.stringify(value.slice(0, 20))})`,
    );
  return port;
}
