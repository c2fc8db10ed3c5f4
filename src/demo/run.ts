// Running the demo from a terminal (`npm start`, `iadvize-activation demo`): start, say where,
// serve until Ctrl+C. A known start-up problem is one line on stderr and exit code 1.
import { KeyError } from '../token/errors.js';
import { DemoServerError, startDemoServer, type DemoServerOptions } from './app.js';
import { DemoAssetsError } from './assets.js';
import { DEFAULT_DEV_KEYS_DIR, DevKeysError } from './dev-keys.js';

export interface DemoIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

const PROGRAM = 'iadvize-activation demo';

/** Resolves with the exit code once the server has stopped (on SIGINT or SIGTERM by default). */
export async function runDemo(options: DemoServerOptions, io: DemoIo, untilStopped: () => Promise<unknown> = terminalStop): Promise<number> {
  const keysDir = options.keysDir ?? DEFAULT_DEV_KEYS_DIR;
  let demo;
  try {
    demo = await startDemoServer({ ...options, keysDir, log: (line) => io.stderr(`${line}\n`) });
  } catch (error) {
    const known = error instanceof DemoServerError || error instanceof DevKeysError || error instanceof DemoAssetsError || error instanceof KeyError;
    if (!known) throw error;
    io.stderr(`${PROGRAM}: ${error.message.replace(/\s*\n\s*/g, ' ')}\n`);
    return 1;
  }
  io.stdout(
    demo.keysCreated
      ? `Development keys created in ${keysDir}/ (private keys mode 0600; never commit them).\n`
      : `Development keys reused from ${keysDir}/.\n`,
  );
  io.stdout(`iAdvize activation demo: ${demo.url}\n`);
  io.stdout('Press Ctrl+C to stop.\n');
  await untilStopped();
  await demo.close();
  return 0;
}

function terminalStop(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
