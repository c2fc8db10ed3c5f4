// Running the demo from a terminal (`npm start`, `iadvize-activation demo`): start, say where,
// serve until Ctrl+C. Any start-up problem is one line on stderr (never a stack trace) and exit
// code 1; an unforeseen one says so, for a bug report.
import { EXIT } from '../exit-codes.js';
import { redactText } from '../redact.js';
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
export async function runDemo(
  options: DemoServerOptions,
  io: DemoIo,
  untilStopped: () => Promise<unknown> = terminalStop,
): Promise<number> {
  const keysDir = options.keysDir ?? DEFAULT_DEV_KEYS_DIR;
  let demo;
  try {
    demo = await startDemoServer({ ...options, keysDir, log: (line) => io.stderr(`${line}\n`) });
  } catch (error) {
    const known =
      error instanceof DemoServerError ||
      error instanceof DevKeysError ||
      error instanceof DemoAssetsError ||
      error instanceof KeyError;
    const reason = error instanceof Error ? error.message : String(error);
    io.stderr(
      `${PROGRAM}: ${redactText(known ? reason : `could not start (unexpected error): ${reason}`).replace(/\s*\n\s*/g, ' ')}\n`,
    );
    return EXIT.failed;
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
  return EXIT.ok;
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
