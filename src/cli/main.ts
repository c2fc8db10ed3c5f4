// The `iadvize-activation` command line: a table of commands, one module each, and the
// exit-code contract (EXIT): 0 success, 1 failure, 2 bad arguments; every failure is one line
// on stderr.
import { redactText } from '../redact.js';
import { EXIT } from '../exit-codes.js';
import { KeyError, KeyLoadError, TokenInputError } from '../token/errors.js';
import { EXIT_CODES_HELP, UsageError, wantsHelp, type CliCommand, type CliIo } from './command.js';
import { demoCommand } from './commands/demo.js';
import { keysCommand } from './commands/keys.js';
import { tokenCommand } from './commands/token.js';
import { verifyCommand } from './commands/verify.js';
import { packageVersion } from './version.js';

/** Every command, in help order. A new command is one module and one entry here. */
const COMMANDS: readonly CliCommand[] = [keysCommand, tokenCommand, verifyCommand, demoCommand];

const PROGRAM = 'iadvize-activation';

function topLevelHelp(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  return [
    `Usage: ${PROGRAM} <command> [options]`,
    `       ${PROGRAM} --version`,
    '',
    'Commands:',
    ...COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    '',
    `Run "${PROGRAM} <command> --help" for a command's options.`,
    '',
    EXIT_CODES_HELP,
  ].join('\n');
}

async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv;
  if (name === '--help' || name === '-h') {
    io.stdout(`${topLevelHelp()}\n`);
    return EXIT.ok;
  }
  if (name === '--version' || name === '-v') {
    io.stdout(`${packageVersion()}\n`);
    return EXIT.ok;
  }
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (!command) {
    const problem =
      name === undefined ? 'a command is required' : `unknown command ${JSON.stringify(name.slice(0, 30))}`;
    const names = COMMANDS.map((candidate) => candidate.name).join(', ');
    io.stderr(`${PROGRAM}: ${problem} (${names}; see ${PROGRAM} --help)\n`);
    return EXIT.usage;
  }
  if (wantsHelp(args)) {
    io.stdout(`${command.help}\n`);
    return EXIT.ok;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    const known =
      error instanceof UsageError ||
      error instanceof KeyError ||
      error instanceof KeyLoadError ||
      error instanceof TokenInputError;
    const reason = error instanceof Error ? error.message : String(error);
    // One line, and never a token or a key even if some message quoted one.
    const line = redactText(known ? reason : `unexpected error: ${reason}`).replace(/\s*\n\s*/g, ' ');
    io.stderr(
      `${PROGRAM} ${command.name}: ${line}${error instanceof UsageError ? ` (see ${PROGRAM} ${command.name} --help)` : ''}\n`,
    );
    return error instanceof UsageError ? EXIT.usage : EXIT.failed;
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const io: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readStdin,
  env: process.env,
  cwd: process.cwd(),
};

process.exitCode = await main(process.argv.slice(2), io);
