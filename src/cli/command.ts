// What a CLI command is, and the small pieces every command shares: the I/O it may touch and
// argument parsing that reports mistakes as usage errors.
import { parseArgs } from 'node:util';
import { EXIT } from '../exit-codes.js';

/** Everything a command touches outside its arguments, so it can run in-process or as a child. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  readStdin(): Promise<string>;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

export interface CliCommand {
  readonly name: string;
  /** One line for the top-level help. */
  readonly summary: string;
  /** The full `--help` text. */
  readonly help: string;
  /** Resolves to the exit code. Throws UsageError for bad arguments. */
  run(args: readonly string[], io: CliIo): Promise<number>;
}

/** The exit-code lines every help text ends with. */
export const EXIT_CODES_HELP = `Exit codes: ${EXIT.ok} success; ${EXIT.failed} failed (invalid token, unusable key file, port in use);
${EXIT.usage} usage error (unknown command or option, missing argument, bad value).`;

/** Bad arguments: exit code 2 and a pointer to --help. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly code = 'usage';
}

/** The option kinds the commands use. */
export type CommandOptions = Record<string, { type: 'string' | 'boolean'; short?: string }>;

type Parsed<O extends CommandOptions> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O; strict: true; allowPositionals: boolean }>
>;

/** node:util parseArgs in strict mode, its errors turned into UsageError. */
export function parseCommandArgs<O extends CommandOptions>(
  args: readonly string[],
  options: O,
  positionals = 0,
): Parsed<O> {
  let parsed: Parsed<O>;
  try {
    parsed = parseArgs({ args: [...args], options, strict: true, allowPositionals: positionals > 0 });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (parsed.positionals.length > positionals) {
    throw new UsageError(`unexpected argument ${JSON.stringify(parsed.positionals[positionals]?.slice(0, 20))}`);
  }
  return parsed;
}

/** Whether the arguments ask for help; checked before parsing so `--help` works with anything. */
export function wantsHelp(args: readonly string[]): boolean {
  return args.includes('--help') || args.includes('-h');
}

export function parseWholeNumber(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`${flag} takes a whole number of seconds`);
  return Number(value);
}
