// `demo`: the demo shop of `npm start`, from the installed package.
import { resolve } from 'node:path';
import { DEFAULT_DEMO_PORT } from '../../demo/app.js';
import { DEFAULT_DEV_KEYS_DIR } from '../../demo/dev-keys.js';
import { DemoUsageError, resolvePort } from '../../demo/options.js';
import { runDemo } from '../../demo/run.js';
import { EXIT_CODES_HELP, parseCommandArgs, UsageError, type CliCommand } from '../command.js';

const HELP = `Usage: iadvize-activation demo [--port N] [--keys DIR]

Starts the demo shop on http://localhost:N (127.0.0.1 only): sign in, watch the activation
machine live, switch faults on. A fake iAdvize tag and server; nothing to sign up for.

Options:
  --port N    the port (default: the PORT environment variable, else ${DEFAULT_DEMO_PORT}; 0 picks a free one)
  --keys DIR  development keys, made on the first run and reused (default ./${DEFAULT_DEV_KEYS_DIR})
  -h, --help  show this help

${EXIT_CODES_HELP}`;

export const demoCommand: CliCommand = {
  name: 'demo',
  summary: 'start the demo shop with the fake iAdvize (Ctrl+C to stop)',
  help: HELP,
  async run(args, io) {
    const { values } = parseCommandArgs(args, { port: { type: 'string' }, keys: { type: 'string' } });
    let port: number;
    try {
      port = resolvePort(values.port, io.env.PORT);
    } catch (error) {
      throw error instanceof DemoUsageError ? new UsageError(error.message) : error;
    }
    return runDemo({ port, keysDir: resolve(io.cwd, values.keys ?? DEFAULT_DEV_KEYS_DIR) }, io);
  },
};
