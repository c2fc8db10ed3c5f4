// `npm start`: the demo server. Port from --port, then PORT, then 4173; keys in ./.dev-keys.
import { parseArgs } from 'node:util';
import { EXIT } from '../exit-codes.js';
import { resolvePort } from './options.js';
import { runDemo } from './run.js';

const io = {
  stdout: (text: string) => process.stdout.write(text),
  stderr: (text: string) => process.stderr.write(text),
};

let port: number | undefined;
try {
  const { values } = parseArgs({ args: process.argv.slice(2), options: { port: { type: 'string' } }, strict: true });
  port = resolvePort(values.port, process.env.PORT);
} catch (error) {
  // A bad --port or PORT, or an unknown option: exit code 2, as for the CLI's usage errors.
  io.stderr(
    `iadvize-activation demo: ${error instanceof Error ? error.message : String(error)} (usage: npm start -- --port N, or PORT=N npm start)\n`,
  );
  process.exitCode = EXIT.usage;
}
if (port !== undefined) process.exitCode = await runDemo({ port }, io);
